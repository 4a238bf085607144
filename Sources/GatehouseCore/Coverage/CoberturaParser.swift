import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Cobertura XML: what coverage.py (`coverage xml`), gcovr (`--cobertura`), Istanbul, coverlet and
/// many CI converters write.
///
/// Reads `coverage/sources/source` (the roots the file names are relative to) and
/// `coverage/packages/package/classes/class[@filename]/lines/line[@number,@hits]`. Lines under
/// `class/methods/method/lines` repeat the class's own lines and are skipped. Several classes can
/// name one file (Java inner classes, gcovr merging): each class is emitted as it ends, and the
/// consumer merges them (hits summed per line).
public enum CoberturaParser: CoverageParser {
    public static let name = "cobertura"
    public static let title = "Cobertura"
    public static let listed = "Cobertura"

    /// A `<coverage>` root that is not Clover's, with Cobertura's `line-rate` attribute, its DTD,
    /// or its `<sources>` / `<packages>` children.
    public static func detect(_ prefix: [UInt8]) -> Bool {
        let prolog = XMLProlog.scan(prefix)
        guard prolog.rootName == "coverage", !CloverParser.isClover(prolog) else { return false }
        if prolog.rootHasAttribute("line-rate") { return true }
        if let doctype = prolog.doctype, doctype.hasPrefix("coverage"),
            doctype.lowercased().contains("cobertura") || doctype.contains("coverage-0") {
            return true
        }
        return prolog.containsElement("sources") || prolog.containsElement("packages")
    }

    /// Each class is emitted as it ends, with the source roots read so far. `<sources>` comes before
    /// `<packages>` (the Cobertura DTD's order, which every tool writes), so the roots are complete by
    /// the first class; a `<source>` after a class has been emitted is refused.
    public static func parse(_ source: InputSource, emit: CoverageEmit) throws(GatehouseError) -> ReportInfo {
        let reader = Reader(displayPath: source.displayPath)
        try XMLReportReader.run(reader, source: source, emit: emit)
        return ReportInfo(format: format, sourceRoots: reader.sourceRoots)
    }

    /// `branch="true" condition-coverage="50% (1/2)"`: the line's branches, taken of total.
    /// Anything else (no branch, a count that does not parse) is no branch data, not an error:
    /// tools write the attribute loosely, and line coverage does not depend on it.
    static func conditions(_ attributes: [String: String]) -> BranchHits? {
        guard attributes["branch"] == "true", let text = attributes["condition-coverage"],
              let open = text.lastIndex(of: "("), let slash = text[open...].firstIndex(of: "/"),
              let close = text[slash...].firstIndex(of: ")"),
              let covered = Int(text[text.index(after: open)..<slash].trimmingCharacters(in: .whitespaces)),
              let total = Int(text[text.index(after: slash)..<close].trimmingCharacters(in: .whitespaces)),
              total > 0, covered >= 0, covered <= total, total <= 1_000_000 else { return nil }
        return BranchHits(covered: covered, total: total)
    }

    private final class Reader: XMLReportReader {
        var sourceRoots: [String] = []
        private var emitted = false
        private var source: String?
        private var filename: String?
        private var lines: [LineHits] = []

        init(displayPath: String) { super.init(displayPath: displayPath, formatName: "Cobertura") }

        override func start(_ name: String, _ attributes: [String: String]) throws(GatehouseError) {
            let depth = stack.count
            if depth == 1 {
                guard name == "coverage" else {
                    throw error("the root element is <\(InputText.token(name))>, not Cobertura's <coverage>. Check that this file is a Cobertura report.")
                }
                if attributes["clover"] != nil {
                    throw error("this is a Clover report (its <coverage> root has a clover attribute), not Cobertura. Name it as a Clover report or let Gatehouse detect the format.")
                }
                return
            }
            switch name {
            case "project" where depth == 2:
                throw error("this is a Clover report (<coverage> holds a <project>), not Cobertura. Name it as a Clover report or let Gatehouse detect the format.")
            case "source" where depth == 3 && stack[1] == "sources":
                guard !emitted else {
                    throw error("a <source> after the classes: Cobertura reports list their source roots in <sources> before <packages>, and the classes before it were already read without it. Regenerate the report.")
                }
                source = ""
            case "class" where parent == "classes":
                guard filename == nil else { throw error("<class> inside another <class>: the report is malformed. Regenerate it.") }
                guard let file = attributes["filename"], !file.isEmpty else {
                    throw error("<class name=\"\(InputText.token(attributes["name"] ?? ""))\"> has no filename attribute, so its lines belong to no file. Regenerate the report with the coverage tool.")
                }
                filename = file
                lines.removeAll(keepingCapacity: true)
            case "line" where parent == "lines" && depth >= 3 && stack[depth - 3] == "class" && filename != nil:
                let line = try lineNumber(attributes, "number")
                let hits = try count(attributes, "hits", line: line)
                lines.append(LineHits(line: line, hits: hits, branches: CoberturaParser.conditions(attributes)))
            default:
                break
            }
        }

        override func end(_ name: String) throws(GatehouseError) {
            if name == "source", let text = source, stack.count == 3 {
                let root = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !root.isEmpty { sourceRoots.append(root) }
                source = nil
            } else if name == "class", let file = filename, parent == "classes" {
                let coverage = FileCoverage.normalized(path: file, lines)
                filename = nil
                lines.removeAll(keepingCapacity: true)
                emitted = true
                try emit(coverage, ReportInfo(format: .cobertura, sourceRoots: sourceRoots))
            }
        }

        override func text(_ string: String) {
            if source != nil, stack.count == 3 { source! += string }
        }
    }
}

extension CoverageFormat {
    public static let cobertura = CoverageFormat(name: "cobertura")
}
