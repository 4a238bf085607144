import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// JaCoCo XML: what `jacoco:report` (Maven), `jacocoTestReport` (Gradle), Kover and the JaCoCo CLI
/// write, following JaCoCo's `report.dtd`.
///
/// Reads `report/(group)*/package[@name]/sourcefile[@name]/line[@nr,@mi,@ci,@mb,@cb]`. The path is
/// the package name (already `/`-separated: `com/example`) + `/` + the file name; there is no source
/// root in the report (the caller maps `src/main/java` and the like). A line is measured when it has
/// instructions (`mi + ci > 0`); its hits are the covered instructions `ci`, so it is covered when
/// `ci > 0`. `<class>`, `<method>`, `<counter>` and `<sessioninfo>` are skipped. The DOCTYPE names
/// `report.dtd`, which is never fetched or read.
///
/// A `<line>` with neither `mi` nor `ci` is an error, not an unmeasured line: gcovr's `--jacoco`
/// output (gcovr 8.8) writes lines that way and so carries no line hits at all; reading it as
/// "nothing measured" would pass every gate.
public enum JaCoCoParser: CoverageParser {
    public static let name = "jacoco"
    public static let title = "JaCoCo"
    public static let listed = "JaCoCo"

    /// A `<report>` root, or JaCoCo's `-//JACOCO//DTD` public identifier.
    public static func detect(_ prefix: [UInt8]) -> Bool {
        let prolog = XMLProlog.scan(prefix)
        if prolog.rootName == "report" { return true }
        if let doctype = prolog.doctype, doctype.contains("-//JACOCO//DTD") { return prolog.rootName.isEmpty }
        return false
    }

    public static func parse(_ source: InputSource, emit: CoverageEmit) throws(GatehouseError) -> ReportInfo {
        let reader = Reader(displayPath: source.displayPath)
        try XMLReportReader.run(reader, source: source, emit: emit)
        return ReportInfo(format: format)
    }

    private final class Reader: XMLReportReader {
        private var package: String?
        private var sourcefile: String?
        private var lines: [LineHits] = []

        init(displayPath: String) { super.init(displayPath: displayPath, formatName: "JaCoCo") }

        override func start(_ name: String, _ attributes: [String: String]) throws(GatehouseError) {
            if stack.count == 1 {
                guard name == "report" else {
                    throw error("the root element is <\(InputText.token(name))>, not JaCoCo's <report>. Check that this file is a JaCoCo XML report.")
                }
                return
            }
            switch name {
            case "package" where parent == "report" || parent == "group":
                package = (attributes["name"] ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            case "sourcefile" where parent == "package":
                guard let file = attributes["name"], !file.isEmpty else {
                    throw error("<sourcefile> has no name attribute, so its lines belong to no file. Regenerate the JaCoCo report.")
                }
                let folder = package ?? ""
                sourcefile = folder.isEmpty ? file : folder + "/" + file
                lines.removeAll(keepingCapacity: true)
            case "line" where parent == "sourcefile" && sourcefile != nil:
                let line = try lineNumber(attributes, "nr")
                let missed = try optionalCount(attributes, "mi", line: line)
                let covered = try optionalCount(attributes, "ci", line: line)
                let missedBranches = try optionalCount(attributes, "mb", line: line) ?? 0
                let coveredBranches = try optionalCount(attributes, "cb", line: line) ?? 0
                guard missed != nil || covered != nil else {
                    throw error(
                        "<line nr=\"\(line)\"> has no instruction counts (mi, ci), so the report says nothing about which lines ran. gcovr's --jacoco output is like this; for C/C++ use gcovr --cobertura or --lcov instead.")
                }
                let mi = missed ?? 0, ci = covered ?? 0
                if mi > 0 || ci > 0 {
                    // JaCoCo's branch counters: mb missed and cb covered exits of the line's branches.
                    let total = missedBranches &+ coveredBranches
                    let branches = total > 0 && total <= 1_000_000 ? BranchHits(covered: coveredBranches, total: total) : nil
                    lines.append(LineHits(line: line, hits: ci, branches: branches))
                }
            default:
                break
            }
        }

        override func end(_ name: String) throws(GatehouseError) {
            switch name {
            case "sourcefile" where parent == "package":
                if let file = sourcefile { try emit(.normalized(path: file, lines), ReportInfo(format: .jacoco)) }
                sourcefile = nil
                lines.removeAll(keepingCapacity: true)
            case "package" where parent == "report" || parent == "group":
                package = nil
            default:
                break
            }
        }
    }
}

extension CoverageFormat {
    public static let jacoco = CoverageFormat(name: "jacoco")
}
