import Foundation
import GatehouseCore

#if canImport(Glibc)
import Glibc
#endif

/// One libFuzzer target: a parser fed the input bytes through its public entry point.
///
/// Errors (`GatehouseError`) are the expected answer to bad input; what the fuzzer looks for is
/// a crash (trap, sanitizer report), a hang (-timeout) or memory beyond -rss_limit_mb. The
/// targets also check what the parsers promise about their results (`check`), so that a broken
/// promise is a crash too.
struct FuzzTarget {
    /// The name GATEHOUSE_FUZZ_TARGET and scripts/fuzz.sh use.
    var name: String
    var summary: String
    var run: ([UInt8]) -> Void
}

enum FuzzTargets {
    /// libFuzzer calls in on one thread.
    nonisolated(unsafe) static let all: [FuzzTarget] = [
        coverage("lcov", LCOVParser.self, "LCOV tracefile (LCOVParser)"),
        coverage("cobertura", CoberturaParser.self, "Cobertura XML (CoberturaParser)"),
        coverage("jacoco", JaCoCoParser.self, "JaCoCo XML (JaCoCoParser)"),
        coverage("clover", CloverParser.self, "Clover XML (CloverParser)"),
        coverage("gocover", GoCoverprofileParser.self, "Go coverprofile (GoCoverprofileParser)"),
        coverage("llvmcov", LLVMCovJSONParser.self, "llvm-cov export JSON (LLVMCovJSONParser)"),
        coverage("coveragepy", CoveragePyJSONParser.self, "coverage.py JSON (CoveragePyJSONParser)"),
        FuzzTarget(name: "coverage", summary: "any coverage report, detected (CoverageReader), streamed into CoverageEvidence", run: coverageReader),
        lint("sarif", SARIFParser.self, "SARIF 2.1.0 (SARIFParser)"),
        lint("checkstyle", CheckstyleParser.self, "Checkstyle XML (CheckstyleParser)"),
        lint("eslint", ESLintParser.self, "ESLint JSON (ESLintParser)"),
        lint("rdjson", RDJSONParser.self, "reviewdog rdjson/rdjsonl (RDJSONParser)"),
        lint("swiftlint", SwiftLintParser.self, "SwiftLint JSON (SwiftLintParser)"),
        FuzzTarget(name: "lint", summary: "any lint report, detected (LintReader)", run: lintReader),
        FuzzTarget(name: "codeowners-github", summary: "CODEOWNERS, GitHub dialect, then owners of a few paths", run: { codeowners($0, .github) }),
        FuzzTarget(name: "codeowners-gitlab", summary: "CODEOWNERS, GitLab dialect, then owners of a few paths", run: { codeowners($0, .gitlab) }),
        FuzzTarget(name: "config", summary: "rules/gatehouse.yml (GatehouseConfig.parse)", run: config),
        FuzzTarget(name: "teams", summary: "rules/teams.yml and load files (TeamsConfig.parse, parseLoad)", run: teams),
        FuzzTarget(name: "checklist", summary: "a checklist file (ChecklistParser), rendered and verified against itself", run: checklist),
        FuzzTarget(name: "checklist-verify", summary: "a pull-request body verified against checklists (ChecklistVerifier)", run: checklistVerify),
        FuzzTarget(name: "prepush", summary: "a pre-push hook's stdin (PrePushInput.parse)", run: prePush),
    ]

    // MARK: Reports: path-based parsers

    /// Every report parser reads a path (they stream or map files), so the input is written to a
    /// file first: GATEHOUSE_FUZZ_INPUT when set (scripts/fuzz.sh sets it and removes the file
    /// after the run, as libFuzzer often leaves without running exit handlers), else a file of
    /// this process on /dev/shm when there is one, so no disk is involved.
    static let inputPath: String = {
        if let path = ProcessInfo.processInfo.environment["GATEHOUSE_FUZZ_INPUT"], !path.isEmpty { return path }
        let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        return "\(folder)/gatehouse-fuzz-\(getpid()).input"
    }()

    static func writeInput(_ bytes: [UInt8]) {
        let fd = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        require(fd >= 0, "cannot write \(inputPath): \(String(cString: strerror(errno)))")
        var written = 0
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = write(fd, buffer.baseAddress! + written, buffer.count - written)
                require(count > 0 || errno == EINTR, "cannot write \(inputPath)")
                if count > 0 { written += count }
            }
        }
        close(fd)
    }

    /// `precondition`, with its message printed in release builds too (a broken promise is a
    /// finding, and the message says which).
    static func require(_ condition: Bool, _ message: @autoclosure () -> String = "") {
        if !condition { fatalError("broken promise: \(message())") }
    }

    /// What every coverage parser promises of one emission: lines ascending and unique, 1-based,
    /// hits and branch counts not negative, covered branches at most the total.
    static func checkEmission(_ file: FileCoverage) {
        var previous = 0
        for entry in file.lines {
            require(entry.line > previous, "lines not ascending and unique (\(previous) then \(entry.line)) in \(file.path)")
            require(entry.hits >= 0, "negative hits \(entry.hits) at line \(entry.line)")
            if let branches = entry.branches {
                require(branches.total >= 0 && branches.covered >= 0 && branches.covered <= branches.total, "branches \(branches)")
            }
            previous = entry.line
        }
    }

    /// GATEHOUSE_FUZZ_VERBOSE=1 prints what each input gave (for triage: `scripts/fuzz.sh repro`).
    static let verbose = ProcessInfo.processInfo.environment["GATEHOUSE_FUZZ_VERBOSE"].map { $0 != "" && $0 != "0" } ?? false

    static func note(_ message: @autoclosure () -> String) {
        if verbose { FileHandle.standardError.write(Data("gatehouse-fuzz: \(message())\n".utf8)) }
    }

    static func checkError(_ error: GatehouseError, _ count: Int) {
        note("error: \(error.description)")
        // A message echoes excerpts of the input; it must not grow with it beyond that.
        require(error.description.utf8.count <= 16 * 1024 + 2 * count, "a \(error.description.utf8.count)-byte message for a \(count)-byte input")
    }

    static func coverage(_ name: String, _ parser: any CoverageParser.Type, _ summary: String) -> FuzzTarget {
        FuzzTarget(name: name, summary: summary) { bytes in
            _ = parser.detect(Array(bytes.prefix(4096)))
            writeInput(bytes)
            var emitted = 0
            do throws(GatehouseError) {
                _ = try parser.parse(path: inputPath, displayPath: "fuzz-input") { file, _ throws(GatehouseError) in
                    checkEmission(file)
                    emitted += file.lines.count
                }
                note("\(emitted) lines")
            } catch {
                checkError(error, bytes.count)
            }
        }
    }

    /// The whole path from report to evidence: detection, the streaming read, path mapping.
    nonisolated(unsafe) static let mapper = PathMapper(
        repositoryFiles: ["Sources/App/main.swift", "src/main.c", "src/lib/util.c", "pkg/a/a.go", "lib/x.py", "x.py", "README.md"]
            .map { RepoPath($0) },
        root: "/home/ci/work", rewrites: [PathMapper.Rewrite(from: "/build/", to: "src/")])

    static func coverageReader(_ bytes: [UInt8]) {
        writeInput(bytes)
        do {
            let report = try CoverageReader.read(path: inputPath, displayPath: "fuzz-input")
            report.files.forEach(checkEmission)
            note("\(report.format.rawValue): \(report.files.count) files")
        } catch {
            checkError(error, bytes.count)
        }
        var evidence = CoverageEvidence()
        do {
            try CoverageReader.read(path: inputPath, displayPath: "fuzz-input", into: &evidence, mapper: mapper)
            let total = evidence.total
            require(total.covered >= 0 && total.covered <= total.measured, "covered \(total.covered) of \(total.measured)")
            let branches = evidence.branchTotal
            require(branches.covered >= 0 && branches.covered <= branches.total, "branches \(branches)")
        } catch {
            checkError(error, bytes.count)
        }
    }

    // MARK: Lint reports

    static func checkFindings(_ report: LintReport) {
        for finding in report.findings {
            if let line = finding.line { require(line >= 1, "line \(line) of a finding is not 1-based") }
        }
    }

    static func lint(_ name: String, _ parser: any LintParser.Type, _ summary: String) -> FuzzTarget {
        FuzzTarget(name: name, summary: summary) { bytes in
            _ = parser.detect(Array(bytes.prefix(4096)))
            writeInput(bytes)
            do throws(GatehouseError) {
                let report = try parser.parse(path: inputPath, displayPath: "fuzz-input")
                checkFindings(report)
                note("\(report.findings.count) findings")
            } catch {
                checkError(error, bytes.count)
            }
        }
    }

    static func lintReader(_ bytes: [UInt8]) {
        writeInput(bytes)
        do {
            let report = try LintReader.read(path: inputPath, displayPath: "fuzz-input")
            checkFindings(report)
            note("\(report.format.rawValue): \(report.findings.count) findings")
        } catch {
            checkError(error, bytes.count)
        }
    }

    // MARK: CODEOWNERS

    static let fixedPaths = [
        "README.md", "a", "docs/guide/intro.md", "src/app/main.swift", "src/app/sub/deep/x.test.js", ".github/CODEOWNERS",
        "Sources/GatehouseCore/Ownership/CodeownersParser.swift", "with space/ü.txt", "a/b/c/d/e/f/g/h/i/j/k.txt", "build/",
    ].map { RepoPath($0) }

    /// Parses in one dialect, then asks who owns a few fixed paths and paths made from the
    /// rules' own patterns (so that most rules match something), through the per-path matcher and
    /// through the cursor used for lists, which must agree.
    static func codeowners(_ bytes: [UInt8], _ dialect: OwnershipDialect) {
        let file: CodeownersFile
        do {
            file = try CodeownersParser.parse(bytes, path: "CODEOWNERS", dialect: dialect)
        } catch {
            checkError(error, bytes.count)
            return
        }
        require(file.dialect == dialect)
        note("\(file.rules.count) rules, \(file.sections.count) sections, \(file.problems.count) problems")
        let rules = OwnershipRules(file)
        var paths = fixedPaths
        for rule in file.rules.prefix(16) {
            var pattern = rule.pattern
            while pattern.hasPrefix("/") || pattern.hasPrefix("!") { pattern.removeFirst() }
            let path = pattern.replacingOccurrences(of: "**", with: "x/y").replacingOccurrences(of: "*", with: "z")
                .replacingOccurrences(of: "?", with: "q")
            if !path.isEmpty { paths.append(RepoPath(path)) }
            if pattern.hasSuffix("/") { paths.append(RepoPath(path + "file.txt")) }
        }
        let listed = rules.owners(of: paths)
        var scratch = OwnershipMatcher.Scratch()
        for (index, path) in paths.enumerated() {
            let one = rules.owners(of: path, scratch: &scratch)
            require(one == listed[index], "owners(of:) of one path and of a list disagree for '\(path)': \(one) vs \(listed[index])")
            for section in one.sections {
                if let rule = section.rule { require(rule >= 0 && rule < file.rules.count) }
            }
        }
    }

    // MARK: YAML

    static func config(_ bytes: [UInt8]) {
        do {
            let config = try GatehouseConfig.parse(Data(bytes), file: "rules/gatehouse.yml")
            note("\(config)")
        } catch {
            checkError(error, bytes.count)
        }
    }

    static func teams(_ bytes: [UInt8]) {
        do {
            let teams = try TeamsConfig.parse(Data(bytes), file: "rules/teams.yml")
            note("\(teams)")
        } catch {
            checkError(error, bytes.count)
        }
        do {
            let load = try TeamsConfig.parseLoad(Data(bytes), file: "load.yml")
            note("load: \(load)")
        } catch {
            checkError(error, bytes.count)
        }
    }

    // MARK: Checklists

    /// A parsed checklist, rendered as the pull-request task list: every item must be found in
    /// its own rendering (unticked), or the reviewer could never tick it.
    static func checklist(_ bytes: [UInt8]) {
        let parsed: Checklist
        do {
            parsed = try ChecklistParser.parse(bytes, file: "rules/checklists/fuzz.md")
        } catch {
            checkError(error, bytes.count)
            return
        }
        var required = parsed
        required.isRequired = true
        let applied = AppliedChecklist(checklist: required, files: [], items: required.items)
        let markdown = ChecklistRenderer.markdown([applied])
        _ = ChecklistRenderer.text([applied])
        let verification = ChecklistVerifier.verify([applied], body: markdown)
        note("\(parsed.items.count) items; verified against its own task list: \(ChecklistVerifier.text(verification))")
        require(verification.problems.count <= verification.requiredItems)
    }

    static let fixedChecklists: [AppliedChecklist] = {
        let security = Checklist(
            file: "rules/checklists/security.md", title: "Security", paths: ["/src/auth/"], isRequired: true,
            items: [
                ChecklistItem(text: "Inputs are validated", line: 6),
                ChecklistItem(text: "Secrets   stay out of `logs`", depth: 1, line: 7, explanation: ["Grep for them."]),
                ChecklistItem(text: "No new dependency", line: 9),
            ])
        let docs = Checklist(
            file: "rules/checklists/docs.md", title: "Docs", paths: ["*.md"], isRequired: false,
            items: [ChecklistItem(text: "Spelling checked", line: 5), ChecklistItem(text: "Inputs are validated", line: 6)])
        let migrations = Checklist(
            file: "rules/checklists/migrations.md", title: "Migrations", paths: ["/db/"], isRequired: true,
            items: [ChecklistItem(text: "Reversible <b>down</b> migration", line: 5), ChecklistItem(text: "[x] tested on a copy", line: 6)])
        return [security, docs, migrations].map { AppliedChecklist(checklist: $0, files: [], items: $0.items) }
    }()

    static func checklistVerify(_ bytes: [UInt8]) {
        let body = String(decoding: bytes, as: UTF8.self)
        let verification = ChecklistVerifier.verify(fixedChecklists, body: body)
        require(verification.problems.count <= verification.requiredItems)
        note(ChecklistVerifier.text(verification))
    }

    // MARK: Hook

    static func prePush(_ bytes: [UInt8]) {
        do {
            let refs = try PrePushInput.parse(bytes)
            note("\(refs.count) refs")
            for ref in refs {
                require(ref.localSHA.count == ref.remoteSHA.count && !ref.localRef.isEmpty && !ref.remoteRef.isEmpty)
                _ = ref.shortRemoteRef
                _ = ref.isDeletion
                _ = ref.isNewRef
            }
        } catch {
            checkError(error, bytes.count)
        }
    }
}
