import Foundation

/// Runs the built `gatehouse` executable, as a user would, with a clean environment:
/// no CI variables and no user git configuration unless the test passes them.
public enum GatehouseCLI {
    /// The executable built next to the test bundle.
    public static let executable: String = {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: me).deletingLastPathComponent()
        // On macOS the test binary sits inside a .xctest bundle.
        while folder.pathExtension == "xctest" || folder.lastPathComponent == "MacOS" || folder.lastPathComponent == "Contents" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("gatehouse").path
    }()

    public static func run(
        _ arguments: [String], in directory: String, environment extra: [String: String] = [:], stdin: [UInt8]? = nil
    ) throws -> ShellResult {
        var environment = TestRepository.gitEnvironment
        // Under `swift test --enable-code-coverage`, the executable's own profile goes beside the
        // test runner's (per binary and process: %m.%p), so the CLI's code counts as covered.
        if let profile = ProcessInfo.processInfo.environment["LLVM_PROFILE_FILE"] {
            environment["LLVM_PROFILE_FILE"] = profile
        }
        environment.merge(extra) { _, new in new }
        return try GatehouseTestSupport.run([executable] + arguments, in: directory, environment: environment, stdin: stdin)
    }
}
