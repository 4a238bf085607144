// swift-tools-version: 6.1
// Gatehouse's fuzzing harness: libFuzzer targets for every parser of hostile input. A package of
// its own (after swift-protobuf's FuzzTesting) so that sanitizer builds never touch the main
// package's .build. Build and run it with `make fuzz` (scripts/fuzz.sh); see docs/PERFORMANCE.md.
import PackageDescription

let package = Package(
    name: "GatehouseFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Gatehouse", path: "..")
    ],
    targets: [
        // One binary for every target: GATEHOUSE_FUZZ_TARGET picks the parser (one link instead
        // of twenty; scripts/fuzz.sh gives each target its own corpus and crash folder).
        .executableTarget(
            name: "gatehouse-fuzz",
            dependencies: [.product(name: "GatehouseCore", package: "Gatehouse")],
            path: "Sources/GatehouseFuzz"
        )
    ],
    swiftLanguageModes: [.v6]
)
