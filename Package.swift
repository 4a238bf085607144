// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Gatehouse",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "gatehouse", targets: ["gatehouse"]),
        .library(name: "GatehouseCore", targets: ["GatehouseCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        .target(
            name: "GatehouseCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // zlib and Debian's libbrotli measure compressed bundle sizes for the size gate. They
        // are C inputs like libgit2, so they get their own target (GatehouseSize) and Core stays
        // pure Swift.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .systemLibrary(
            name: "CBrotli",
            pkgConfig: "libbrotlienc",
            providers: [.apt(["libbrotli-dev"]), .brew(["brotli"])]
        ),
        .target(
            name: "GatehouseSize",
            dependencies: ["CZlib", "CBrotli", "GatehouseCore"]
        ),
        .target(
            name: "GatehouseGit",
            dependencies: ["CLibGit2", "GatehouseCore"]
        ),
        .executableTarget(
            name: "gatehouse",
            dependencies: [
                "GatehouseCore",
                "GatehouseGit",
                "GatehouseSize",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers shared by the test targets: fixture repositories built with the git CLI.
        .target(
            name: "GatehouseTestSupport",
            dependencies: ["GatehouseCore"],
            path: "Tests/Support"
        ),
        .testTarget(
            name: "GatehouseCoreTests",
            dependencies: [
                "GatehouseCore", "GatehouseTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            path: "Tests/GatehouseCoreTests"
        ),
        .testTarget(
            name: "GatehouseGitTests",
            dependencies: ["GatehouseGit", "GatehouseCore", "GatehouseTestSupport"],
            path: "Tests/GatehouseGitTests"
        ),
        .testTarget(
            name: "GatehouseSizeTests",
            dependencies: ["GatehouseSize", "GatehouseCore", "GatehouseTestSupport"],
            path: "Tests/GatehouseSizeTests"
        ),
        .testTarget(
            name: "gatehouseTests",
            dependencies: ["gatehouse", "GatehouseCore", "GatehouseTestSupport"],
            path: "Tests/gatehouseTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
