import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseGit
import GatehouseSize

@main
struct Gatehouse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "Who must review a change, whether it passes the gates, and what reviewers must check.",
        discussion: """
            Exit codes: 0 pass, 1 a gate failed (or a check found errors), 2 bad input or usage.
            """,
        version: Gatehouse.versionText,
        subcommands: [Check.self, Diff.self, Owners.self, Explain.self, Rules.self, Size.self, Hook.self, ChecklistCommand.self, Init.self, Reviewers.self]
    )

    /// Gatehouse's own version: SARIF's tool version and size snapshots' generator name it.
    static let version = "0.1.0"

    /// What `--version` prints: Gatehouse's version and the libraries it runs with, so a bug
    /// report carries them (the same binary behaves differently over another libgit2).
    static var versionText: String {
        let (zlib, brotli) = SizeMeasurer.libraryVersions
        return "gatehouse \(version)\nlibgit2 \(Repository.libgit2Version)\nzlib \(zlib)\nbrotli \(brotli)"
    }

    /// Runs a command and maps every outcome onto the documented exit codes:
    /// 0 pass, 1 a gate or check failed, 2 bad input or usage.
    static func main() {
        // A reader that goes away (`| head`) must not kill the process: writes then fail with
        // EPIPE, which Output handles, and the command keeps its exit code.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as GatehouseError {
            Output.error(error.description)
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success || code.rawValue == 1 {
                exit(withError: error)
            }
            // Usage errors (ArgumentParser's default is 64): print its message and use 2.
            Output.error(fullMessage(for: error))
            Foundation.exit(2)
        }
    }
}
