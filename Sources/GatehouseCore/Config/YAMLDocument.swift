import Yams

/// One YAML document of Gatehouse's own files (rules/gatehouse.yml, rules/teams.yml, a
/// checklist's front matter), composed with errors that name the file, line and column.
enum YAMLDocument {
    /// The document's root node, or nil when it sets nothing (empty, only comments, or `~`).
    /// `kind` is the error kind the file's problems take; `what` names it in messages
    /// ("YAML", "YAML in the front matter").
    static func compose(_ text: String, file: String, kind: GatehouseError.Kind, what: String = "YAML") throws(GatehouseError) -> Node? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.error(from: error, yaml: text, file: file, kind: kind, what: what)
        } catch {
            throw GatehouseError(kind, "cannot parse \(what): \(error)", at: SourceLocation(file: file))
        }
        guard let root, !root.isNull else { return nil }
        return root
    }

    static func error(from error: YamlError, yaml: String, file: String, kind: GatehouseError.Kind, what: String) -> GatehouseError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let detail = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return GatehouseError(
                kind, "invalid \(what): \(detail). Fix the syntax at this position.",
                at: SourceLocation(file: file, line: mark.line, column: mark.column))
        case let .duplicatedKeysInMapping(duplicates, context):
            // libyaml points at the mapping; the second time the key is written is what to fix.
            let lines = yaml.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
            let from = max(0, context.mark.line - 1)
            let repeated = duplicates.first.flatMap { key in
                lines.indices.filter { index in
                    guard index >= from else { return false }
                    let text = lines[index].drop { $0 == " " || $0 == "\t" || $0 == "-" }
                    return text.hasPrefix("\(key):") || text.hasPrefix("\"\(key)\":") || text.hasPrefix("'\(key)':")
                }.dropFirst().first
            }
            return GatehouseError(
                kind, "the key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) appears more than once; keep one.",
                at: repeated.map { SourceLocation(file: file, line: $0 + 1, column: 1) }
                    ?? SourceLocation(file: file, line: context.mark.line, column: context.mark.column))
        case let .reader(problem, offset, _, yaml):
            let (line, column) = offset.map { GatehouseConfig.lineAndColumn(ofUTF8Offset: $0, in: yaml) } ?? (nil, nil)
            return GatehouseError(
                kind, "invalid \(what): \(problem). Remove the character or save the file as plain UTF-8 text.",
                at: SourceLocation(file: file, line: line, column: column))
        default:
            return GatehouseError(kind, "invalid \(what): \(error)", at: SourceLocation(file: file))
        }
    }
}
