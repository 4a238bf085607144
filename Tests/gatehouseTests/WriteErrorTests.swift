import Foundation
import GatehouseTestSupport
import Testing

/// Output that cannot be written is an exit code and a message, never a crash, and never a
/// success with half an answer; output files are only ever regular files.
@Suite("write errors and output targets")
struct WriteErrorTests {
    func repository() throws -> TestRepository {
        let repo = try TestRepository()
        try repo.write("rules/CODEOWNERS", "* @team\n")
        try repo.write("README.md", "# x\n")
        try repo.commit("base")
        return repo
    }

    /// A shell's redirection, so the command sees a real full device or closed stream.
    func shell(_ script: String, in repo: TestRepository) throws -> ShellResult {
        var environment = TestRepository.gitEnvironment
        environment["GATEHOUSE"] = GatehouseCLI.executable
        if let profile = ProcessInfo.processInfo.environment["LLVM_PROFILE_FILE"] { environment["LLVM_PROFILE_FILE"] = profile }
        return try run(["sh", "-c", script], in: repo.path, environment: environment)
    }

    @Test func aFullStdoutIsExitTwoWithAMessage() throws {
        let repo = try repository()
        let result = try shell("\"$GATEHOUSE\" owners README.md > /dev/full", in: repo)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("cannot write the output: No space left on device"), "\(result.stderr)")
    }

    @Test func aFullStderrIsNoCrash() throws {
        let repo = try repository()
        // An error to report, and nowhere to report it: exit 2, not a signal.
        let result = try shell("\"$GATEHOUSE\" owners /etc/passwd 2> /dev/full; echo \"status=$?\"", in: repo)
        #expect(result.output.hasSuffix("status=2\n"), "\(result.output)")
        let hook = try shell("printf 'garbage\\n' | \"$GATEHOUSE\" hook pre-push origin url 2> /dev/full; echo \"status=$?\"", in: repo)
        #expect(hook.output.hasSuffix("status=2\n"), "\(hook.output)")
    }

    @Test func aReaderThatGoesAwayDoesNotKillTheCommand() throws {
        let repo = try repository()
        for index in 0..<3_000 { try repo.write("files/f\(index).txt", "x\n") }
        try repo.commit("many")
        // `set -o pipefail` is not POSIX; the exit status of the first command comes back through a file.
        let result = try shell("{ \"$GATEHOUSE\" owners --all; echo $? > status; } | head -1 > /dev/null; cat status", in: repo)
        #expect(result.output == "0\n", "\(result.output)\(result.stderr)")
    }

    @Test(arguments: ["/dev/full", "/dev/null", ".", "fifo"])
    func outputOnlyToARegularFileOrANewPath(_ target: String) throws {
        let repo = try repository()
        if target == "fifo" { #expect(mkfifo(repo.path + "/fifo", 0o644) == 0) }
        let result = try GatehouseCLI.run(["check", "--base", "HEAD", "--output", "json=\(target)"], in: repo.path)
        #expect(result.status == 2, "\(result.output)")
        #expect(result.stdout.isEmpty, "nothing is half done")
        #expect(result.stderr.contains("will not write \(target): it is"), "\(result.stderr)")
    }

    @Test func aStepSummaryThatCannotBeWrittenIsAnError() throws {
        let repo = try repository()
        let result = try GatehouseCLI.run(
            ["check", "--base", "HEAD", "--format", "github"], in: repo.path, environment: ["GITHUB_STEP_SUMMARY": "/dev/full"])
        #expect(result.status == 2, "\(result.output)\(result.stderr)")
        #expect(result.stderr.contains("cannot write the step summary /dev/full (GITHUB_STEP_SUMMARY): No space left on device"), "\(result.stderr)")
    }
}
