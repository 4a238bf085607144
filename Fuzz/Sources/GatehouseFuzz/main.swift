// libFuzzer entry points. GATEHOUSE_FUZZ_TARGET names the target (see `FuzzTargets.all`);
// `gatehouse-fuzz -help=1` is libFuzzer's own help, and with no target set the binary lists the
// targets and exits.
//
//   GATEHOUSE_FUZZ_TARGET=lcov .build/release/gatehouse-fuzz corpus/lcov -max_total_time=60
//   GATEHOUSE_FUZZ_TARGET=lcov .build/release/gatehouse-fuzz crash-0123abcd   # replay one input
import Foundation

#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) private var selected: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let name = ProcessInfo.processInfo.environment["GATEHOUSE_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTargets.all.first(where: { $0.name == name }) else {
        var message = name.isEmpty
            ? "gatehouse-fuzz: set GATEHOUSE_FUZZ_TARGET to one of:\n"
            : "gatehouse-fuzz: unknown target '\(name)'; GATEHOUSE_FUZZ_TARGET is one of:\n"
        for target in FuzzTargets.all { message += "  \(target.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(target.summary)\n" }
        FileHandle.standardError.write(Data(message.utf8))
        exit(2)
    }
    selected = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    selected!.run(bytes)
    return 0
}
