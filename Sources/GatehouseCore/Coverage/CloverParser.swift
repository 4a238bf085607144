import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Clover XML: what OpenClover, PHPUnit (`--coverage-clover`), Istanbul/Jest (`clover` reporter),
/// Kover and gcovr (`--clover`) write.
///
/// Reads `coverage/project/(package)*/file[@name,@path]/line[@num,@type,@count]`. The path is
/// `@path` when present and not empty (gcovr: relative; OpenClover, Istanbul: absolute), else
/// `@name` (PHPUnit writes the absolute path there and no `path`). Line types:
/// - `stmt`: measured, hits = `count`;
/// - `cond`: measured, hits = `count`, or when there is no `count` (OpenClover writes only
///   `truecount`/`falsecount` for branches) `truecount + falsecount`, covered if either is > 0;
/// - `method`: skipped. It marks the declaration line, and its count is how often the method was
///   entered, which the statements inside already say; counting it would make every declaration
///   line measured, which Cobertura, JaCoCo and LCOV reports of the same code do not do.
/// Unknown types are skipped too. `<testproject>` (the test sources' own coverage) and `<metrics>` /
/// `<class>` are skipped.
public enum CloverParser: CoverageParser {
    public static let name = "clover"
    public static let title = "Clover"
    public static let listed = "Clover"

    /// A `<coverage>` root with a `clover` attribute. PHPUnit before php-code-coverage 11 wrote none
    /// (`<coverage generated="…"><project …>`), so a `<coverage>` root without Cobertura's
    /// `line-rate` whose first bytes have a `<project>` element and no `<packages>`/`<sources>`
    /// counts too. Cobertura's `detect` refuses whatever this accepts.
    public static func detect(_ prefix: [UInt8]) -> Bool {
        isClover(XMLProlog.scan(prefix))
    }

    static func isClover(_ prolog: XMLProlog) -> Bool {
        guard prolog.rootName == "coverage" else { return false }
        if prolog.rootHasAttribute("clover") { return true }
        return !prolog.rootHasAttribute("line-rate") && prolog.containsElement("project")
            && !prolog.containsElement("packages") && !prolog.containsElement("sources")
    }

    public static func parse(_ source: InputSource, emit: CoverageEmit) throws(GatehouseError) -> ReportInfo {
        let reader = Reader(displayPath: source.displayPath)
        try XMLReportReader.run(reader, source: source, emit: emit)
        return ReportInfo(format: format)
    }

    private final class Reader: XMLReportReader {
        private var file: String?
        private var lines: [LineHits] = []

        init(displayPath: String) { super.init(displayPath: displayPath, formatName: "Clover") }

        /// Inside `coverage/project`, not `coverage/testproject`.
        private var inProject: Bool { stack.count >= 2 && stack[1] == "project" }

        override func start(_ name: String, _ attributes: [String: String]) throws(GatehouseError) {
            if stack.count == 1 {
                guard name == "coverage" else {
                    throw error("the root element is <\(InputText.token(name))>, not Clover's <coverage>. Check that this file is a Clover XML report.")
                }
                if attributes["clover"] == nil, attributes["line-rate"] != nil {
                    throw error("this is a Cobertura report (its <coverage> root has line-rate and no clover attribute), not Clover. Name it as a Cobertura report or let Gatehouse detect the format.")
                }
                return
            }
            if stack.count == 2, name == "packages" || name == "sources" {
                throw error("this is a Cobertura report (<coverage> holds <\(InputText.token(name))>), not Clover. Name it as a Cobertura report or let Gatehouse detect the format.")
            }
            guard inProject else { return }
            switch name {
            case "file" where parent == "project" || parent == "package":
                guard file == nil else { throw error("<file> inside another <file>: the report is malformed. Regenerate it.") }
                let path = attributes["path"].flatMap { $0.isEmpty ? nil : $0 } ?? attributes["name"] ?? ""
                guard !path.isEmpty else {
                    throw error("<file> has neither a path nor a name attribute, so its lines belong to no file. Regenerate the Clover report.")
                }
                file = path
                lines.removeAll(keepingCapacity: true)
            case "line" where parent == "file" && file != nil:
                let line = try lineNumber(attributes, "num")
                let count = try optionalCount(attributes, "count", line: line)
                switch attributes["type"] ?? "stmt" {
                case "stmt":
                    guard let count else {
                        throw error("<line num=\"\(line)\" type=\"stmt\"> has no count attribute. Regenerate the Clover report.")
                    }
                    lines.append(LineHits(line: line, hits: count))
                case "cond":
                    let whenTrue = try optionalCount(attributes, "truecount", line: line)
                    let whenFalse = try optionalCount(attributes, "falsecount", line: line)
                    if let count {
                        lines.append(LineHits(line: line, hits: count))
                    } else if whenTrue != nil || whenFalse != nil {
                        let sum = (whenTrue ?? 0).addingReportingOverflow(whenFalse ?? 0)
                        lines.append(LineHits(line: line, hits: sum.overflow ? Int.max / 2 : min(sum.partialValue, Int.max / 2)))
                    } else {
                        throw error("<line num=\"\(line)\" type=\"cond\"> has neither count nor truecount/falsecount. Regenerate the Clover report.")
                    }
                default:
                    break  // method (see the type's documentation) and types Clover does not define
                }
            default:
                break
            }
        }

        override func end(_ name: String) throws(GatehouseError) {
            if name == "file", inProject, let path = file {
                try emit(.normalized(path: path, lines), ReportInfo(format: .clover))
                file = nil
                lines.removeAll(keepingCapacity: true)
            }
        }
    }
}

extension CoverageFormat {
    public static let clover = CoverageFormat(name: "clover")
}
