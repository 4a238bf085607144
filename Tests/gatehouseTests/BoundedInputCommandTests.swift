import Foundation
import GatehouseCore
import GatehouseTestSupport
import Testing

/// Issue 14 through the binary: every input costs what its size does, is read once from one
/// descriptor, and never leads Gatehouse outside the repository.
@Suite("gatehouse with hostile inputs")
struct BoundedInputCommandTests {
    /// A repository whose last commit adds `src/app.py` lines 3 and 4, with changed-line coverage
    /// required at 90%.
    private func repository() throws -> TestRepository {
        let repo = try TestRepository()
        try repo.write("src/app.py", "def f():\n    return 1\n")
        try repo.write("rules/gatehouse.yml", "coverage:\n  changed_lines: 90\n")
        try repo.commit("base")
        try repo.write("src/app.py", "def f():\n    return 1\ndef g():\n    return 2\n")
        try repo.commit("change")
        return repo
    }

    /// An LCOV report over 4 KiB whose first record leaves the change's lines 3 and 4 uncovered.
    private func failingLCOV() -> String {
        var text = "SF:src/app.py\nDA:1,1\nDA:2,1\nDA:3,0\nDA:4,0\nend_of_record\n"
        for index in 0..<300 { text += "SF:vendor/f\(index).py\nDA:1,1\nend_of_record\n" }
        return text
    }

    // MARK: 4. One descriptor, read once

    @Test("a report on stdin is read from its first byte: the verdict is the file's")
    func reportOnStandardInput() throws {
        let repo = try repository()
        let report = failingLCOV()
        #expect(report.utf8.count > 4096)
        try repo.write("cov.info", report)
        let fromFile = try GatehouseCLI.run(["check", "--base", "HEAD~1", "--coverage", "cov.info"], in: repo.path)
        #expect(fromFile.status == 1, "\(fromFile.output)\(fromFile.stderr)")
        let fromPipe = try GatehouseCLI.run(["check", "--base", "HEAD~1", "--coverage", "/dev/stdin"], in: repo.path, stdin: Array(report.utf8))
        #expect(fromPipe.status == 1, "\(fromPipe.output)\(fromPipe.stderr)")
        #expect(fromPipe.output.contains("FAIL coverage.changed_lines: 0% of 2 changed lines covered"), "\(fromPipe.output)")
    }

    @Test("a lint report on stdin is read from its first byte")
    func lintReportOnStandardInput() throws {
        let repo = try repository()
        var findings = [#"{"filePath":"src/app.py","messages":[{"ruleId":"r","severity":2,"message":"bad","line":3}]}"#]
        for index in 0..<200 { findings.append(#"{"filePath":"vendor/f\#(index).py","messages":[]}"#) }
        let report = "[" + findings.joined(separator: ",\n") + "]\n"
        #expect(report.utf8.count > 4096)
        let result = try GatehouseCLI.run(["check", "--base", "HEAD~1", "--lint", "/dev/stdin"], in: repo.path, stdin: Array(report.utf8))
        #expect(result.status == 1, "\(result.output)\(result.stderr)")
        #expect(result.output.contains("FAIL lint: 1 finding"), "\(result.output)")
    }

    @Test("a FIFO nobody writes to times out with a message naming it", arguments: ["--coverage", "--lint"])
    func fifoWithoutWriter(option: String) throws {
        let repo = try repository()
        let fifo = repo.path + "/report.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        // Before the fix the open blocked until a writer came: this one comes after 20 seconds
        // and closes at once, so an old binary ends (reading an empty report) instead of hanging.
        let release = DispatchWorkItem {
            let fd = open(fifo, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + 20, execute: release)
        defer { release.cancel() }
        let started = Date()
        let result = try GatehouseCLI.run(
            ["check", "--base", "HEAD~1", option, "report.fifo"], in: repo.path, environment: ["GATEHOUSE_INPUT_TIMEOUT": "1"])
        #expect(Date().timeIntervalSince(started) < 15)
        #expect(result.status == 2)
        #expect(result.stderr.contains("report.fifo"), "\(result.stderr)")
        #expect(result.stderr.contains("no data from the"), "\(result.stderr)")
        #expect(result.stderr.contains("for 1 seconds"), "\(result.stderr)")
    }

    @Test("a FIFO with a writer is read like a file")
    func fifoWithWriter() throws {
        let repo = try repository()
        let fifo = repo.path + "/report.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let report = Array(failingLCOV().utf8)
        // A reader that closes early must fail the test, not end the process on SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            guard fd >= 0 else { return }
            report.withUnsafeBytes { _ = write(fd, $0.baseAddress!, $0.count) }
            close(fd)
        }
        writer.start()
        // A reader that opens the FIFO a second time waits for a writer that is gone: this one,
        // 20 seconds later, ends that wait, so such a reader fails instead of hanging.
        let release = DispatchWorkItem {
            let fd = open(fifo, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + 20, execute: release)
        defer { release.cancel() }
        let result = try GatehouseCLI.run(["check", "--base", "HEAD~1", "--coverage", "report.fifo"], in: repo.path)
        #expect(result.status == 1, "\(result.output)\(result.stderr)")
        #expect(result.output.contains("FAIL coverage.changed_lines: 0% of 2 changed lines covered"), "\(result.output)")
    }

    // MARK: 5. Never outside the repository

    /// A folder beside the repository with a file of "secret" content, as /etc/shadow would be.
    private func outsideSecret(_ repo: TestRepository) throws -> (folder: String, file: String) {
        let folder = repo.parentFolder + "/outside"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/shadow"
        try Data("TN:\nroot password hunter2-secret-token\n".utf8).write(to: URL(fileURLWithPath: file))
        return (folder, file)
    }

    @Test("a committed link out of the repository is not measured by size")
    func sizeRefusesALinkOutOfTheRepository() throws {
        let repo = try repository()
        let secret = try outsideSecret(repo)
        try repo.write("rules/gatehouse.yml", "size:\n  budgets:\n    - {name: js, files: [\"dist/*.js\"], max: \"10 kB\"}\n")
        try FileManager.default.createDirectory(atPath: repo.path + "/dist", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/dist/app.js", withDestinationPath: secret.file)
        try repo.commit("a link")
        let result = try GatehouseCLI.run(["size"], in: repo.path)
        #expect(result.status == 2, "\(result.output)\(result.stderr)")
        #expect(result.stderr.contains("dist/app.js"), "\(result.stderr)")
        #expect(result.stderr.contains("outside the repository"), "\(result.stderr)")
        #expect(!result.output.contains("js"), "\(result.output)")
    }

    @Test("report globs do not follow a link out of the repository", arguments: ["file", "folder"])
    func reportGlobsStayInside(link: String) throws {
        let repo = try repository()
        let secret = try outsideSecret(repo)
        try repo.write("rules/gatehouse.yml", "coverage:\n  changed_lines: 90\n  reports: [\"coverage/*.info\"]\n")
        if link == "file" {
            try FileManager.default.createDirectory(atPath: repo.path + "/coverage", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: repo.path + "/coverage/lcov.info", withDestinationPath: secret.file)
        } else {
            try FileManager.default.moveItem(atPath: secret.file, toPath: secret.folder + "/lcov.info")
            try FileManager.default.createSymbolicLink(atPath: repo.path + "/coverage", withDestinationPath: secret.folder)
        }
        // The configuration is the work tree's (uncommitted), so this run is judged by it on purpose.
        let result = try GatehouseCLI.run(["check", "--base", "HEAD~1", "--rules-from", "worktree"], in: repo.path)
        #expect(result.status == 2, "\(result.output)\(result.stderr)")
        #expect(result.stderr.contains("coverage/lcov.info") && result.stderr.contains("outside the repository"), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2"), "\(result.stderr)")
    }

    @Test("a work-tree CODEOWNERS that links out of the repository is refused, not read", arguments: ["rules check", "owners src/app.py", "explain src/app.py"])
    func workTreeCodeownersLinkIsRefused(command: String) throws {
        let repo = try repository()
        let secret = try outsideSecret(repo)
        try FileManager.default.createDirectory(atPath: repo.path + "/.github", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/.github/CODEOWNERS", withDestinationPath: secret.file)
        let result = try GatehouseCLI.run(command.split(separator: " ").map(String.init), in: repo.path)
        #expect(result.status == 2, "\(result.output)\(result.stderr)")
        #expect(result.stderr.contains(".github/CODEOWNERS is a symbolic link"), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2") && !result.output.contains("hunter2"), "\(result.output)\(result.stderr)")
    }

    @Test("a work-tree rules file over the limit is refused at its name, never read whole")
    func oversizedWorkTreeRulesFile() throws {
        let repo = try repository()
        // Valid YAML all the way (a comment), so only the size can refuse it.
        let comment = "# " + String(repeating: "x", count: 1023) + "\n"
        try repo.write("rules/gatehouse.yml", "coverage:\n  changed_lines: 90\n" + String(repeating: comment, count: 4 * 1024 + 1))
        let result = try GatehouseCLI.run(["check", "--base", "HEAD~1", "--rules-from", "worktree"], in: repo.path)
        #expect(result.status == 2, "\(result.output)\(result.stderr)")
        #expect(result.stderr.contains("rules/gatehouse.yml is 420") && result.stderr.contains("at most 4194304 bytes"), "\(result.stderr)")
        #expect(result.output.isEmpty, "\(result.output)")
    }

    @Test("a configured size baseline that links out of the repository is refused; one given on the command line is read")
    func sizeBaselineStaysInside() throws {
        let repo = try repository()
        let secret = try outsideSecret(repo)
        try repo.write("dist/app.js", "x\n")
        try repo.write("rules/gatehouse.yml", "size:\n  budgets:\n    - {name: js, files: [\"dist/*.js\"]}\n  baseline: base.json\n")
        let snapshot = try GatehouseCLI.run(["size", "--output", secret.folder + "/base.json"], in: repo.path)
        #expect(snapshot.status == 0, "\(snapshot.stderr)")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/base.json", withDestinationPath: secret.folder + "/base.json")
        let configured = try GatehouseCLI.run(["check", "--base", "HEAD~1", "--rules-from", "worktree"], in: repo.path)
        #expect(configured.status == 2, "\(configured.output)\(configured.stderr)")
        #expect(configured.stderr.contains("base.json") && configured.stderr.contains("outside the repository"), "\(configured.stderr)")
        let named = try GatehouseCLI.run(
            ["check", "--base", "HEAD~1", "--rules-from", "worktree", "--size-baseline", secret.folder + "/base.json"], in: repo.path)
        #expect(named.status == 0, "\(named.output)\(named.stderr)")
    }

    @Test("an error in a report names the file and line, and quotes none of it")
    func errorsQuoteNoContent() throws {
        let repo = try repository()
        let secret = try outsideSecret(repo)
        // A path on the command line is the user's choice, so it is read; its content stays out of the message.
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/cov.info", withDestinationPath: secret.file)
        let result = try GatehouseCLI.run(["check", "--base", "HEAD~1", "--coverage", "cov.info"], in: repo.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("cov.info:2:"), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2") && !result.stderr.contains("password"), "\(result.stderr)")
    }

    @Test("init refuses a rules folder or starter file that links out of the repository", arguments: ["folder", "file"])
    func initWritesNothingThroughALink(link: String) throws {
        let repo = try repository()
        try repo.remove("rules/gatehouse.yml")
        try repo.commit("no rules")
        let secret = try outsideSecret(repo)
        if link == "folder" {
            try? FileManager.default.removeItem(atPath: repo.path + "/rules")
            try FileManager.default.createSymbolicLink(atPath: repo.path + "/rules", withDestinationPath: secret.folder)
        } else {
            try FileManager.default.createDirectory(atPath: repo.path + "/rules", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: repo.path + "/rules/gatehouse.yml", withDestinationPath: secret.folder + "/bashrc")
        }
        let result = try GatehouseCLI.run(["init"], in: repo.path)
        #expect(result.status == 2, "\(result.output)\(result.stderr)")
        #expect(result.stderr.contains("symbolic link") && result.stderr.contains("outside the repository"), "\(result.stderr)")
        #expect(result.stderr.contains("Nothing was written"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: secret.folder) == ["shadow"])
    }

    // MARK: 3. Lint reports are read item by item

    @Test("a 20 MB SARIF report of dense values is read in a small multiple of its size")
    func sarifMemoryFollowsTheItemsRead() throws {
        let repo = try repository()
        let values = "[" + Array(repeating: "0", count: 200).joined(separator: ",") + "]"
        let result = #"{"ruleId":"r1","message":{"text":"m"},"properties":{"x":\#(values)}}"#
        let count = 20_000_000 / (result.utf8.count + 1)
        let document = #"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"lint"}},"results":["#
            + Array(repeating: result, count: count).joined(separator: ",") + "]}]}"
        try repo.write("big.sarif", document)
        // GNU time reports the largest resident set in KiB.
        let timed = try GatehouseTestSupport.run(
            ["/usr/bin/time", "-f", "%M", GatehouseCLI.executable, "check", "--base", "HEAD~1", "--lint", "big.sarif"],
            in: repo.path, environment: TestRepository.gitEnvironment)
        #expect(timed.status == 0, "\(timed.stderr.suffix(500))")
        let kilobytes = try #require(Int(timed.stderr.split(separator: "\n").last ?? ""), "\(timed.stderr.suffix(300))")
        // The bytes themselves are 20 MB; the tree of the whole document once took 680 MB.
        #expect(kilobytes < 200_000, "\(kilobytes) KiB")
    }
}
