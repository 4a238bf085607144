// Yams's own copy of libyaml: its events are where aliases can be counted before Yams composes
// (and hashes) the nodes they stand for. Yams exposes no event API.
internal import CYaml
import Yams

/// One YAML document of Gatehouse's own files (rules/gatehouse.yml, rules/teams.yml, a
/// checklist's front matter), composed with errors that name the file, line and column.
///
/// Aliases are bounded before composing: Yams composes an alias as a copy of its anchor's node,
/// so `&a [x,x,…]`, `&b [*a,*a,…]`, … stands for exponentially many nodes in a few hundred
/// bytes, and Yams hashes every mapping key whole to find duplicates (a 247-byte complex key
/// ran for minutes; printed in a message it was gigabytes).
enum YAMLDocument {
    /// The most nodes aliases may stand for in one document, all aliases together, as if each
    /// were written out. Anchors and aliases that save typing in a team list stay far below it.
    static let maxAliasedNodes = 10_000
    /// The largest YAML document read: Gatehouse's own files are a few KiB to a few hundred.
    static let maxBytes = 4 << 20

    /// The document's root node, or nil when it sets nothing (empty, only comments, or `~`).
    /// `kind` is the error kind the file's problems take; `what` names it in messages
    /// ("YAML", "YAML in the front matter").
    static func compose(_ text: String, file: String, kind: GatehouseError.Kind, what: String = "YAML") throws(GatehouseError) -> Node? {
        guard text.utf8.count <= maxBytes else {
            throw GatehouseError(
                kind, "the \(what) is \(text.utf8.count) bytes; Gatehouse reads at most \(maxBytes >> 20) MiB of YAML. Check that this is the right file.",
                at: SourceLocation(file: file))
        }
        try checkAliases(text, file: file, kind: kind, what: what)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.error(from: error, yaml: text, file: file, kind: kind, what: what)
        } catch {
            throw GatehouseError(kind, "cannot parse \(what): \(InputText.token("\(error)", limit: 200))", at: SourceLocation(file: file))
        }
        guard let root, !root.isNull else { return nil }
        return root
    }

    /// Walks the document's events and refuses it at the first alias that takes the nodes
    /// aliases stand for past `maxAliasedNodes`. Syntax errors are left to Yams, which reports
    /// them with their context.
    static func checkAliases(_ text: String, file: String, kind: GatehouseError.Kind, what: String) throws(GatehouseError) {
        var text = text
        // Most files have no alias at all.
        guard text.utf8.contains(UInt8(ascii: "*")) else { return }
        let refusal: (line: Int, column: Int, total: Int)? = text.withUTF8 { bytes in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            // The nodes each anchor's node stands for, its aliases written out; and per open
            // collection its anchor and its nodes so far.
            var sizes: [String: Int] = [:]
            var open: [(anchor: String?, nodes: Int)] = []
            var aliased = 0
            func anchorName(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
                pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            }
            func add(_ nodes: Int) {
                if !open.isEmpty { open[open.count - 1].nodes += nodes }
            }
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    if let anchor = anchorName(event.data.scalar.anchor) { sizes[anchor] = 1 }
                    add(1)
                case YAML_SEQUENCE_START_EVENT:
                    open.append((anchorName(event.data.sequence_start.anchor), 1))
                case YAML_MAPPING_START_EVENT:
                    open.append((anchorName(event.data.mapping_start.anchor), 1))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let closed = open.popLast() else { continue }
                    if let anchor = closed.anchor { sizes[anchor] = closed.nodes }
                    add(closed.nodes)
                case YAML_ALIAS_EVENT:
                    // An alias to an unknown anchor is Yams's error to report; count it as one node.
                    let nodes = anchorName(event.data.alias.anchor).flatMap { sizes[$0] } ?? 1
                    aliased += nodes
                    if aliased > maxAliasedNodes {
                        return (Int(event.start_mark.line) + 1, Int(event.start_mark.column) + 1, aliased)
                    }
                    add(nodes)
                default:
                    continue
                }
            }
            return nil
        }
        if let refusal {
            throw GatehouseError(
                kind,
                "with this alias, aliases stand for \(refusal.total) nodes of this \(what), more than the \(maxAliasedNodes) "
                    + "Gatehouse expands in one document (a few hundred bytes of anchors and aliases can stand for billions). "
                    + "Write the values out instead of repeating aliases of aliases.",
                at: SourceLocation(file: file, line: refusal.line, column: refusal.column))
        }
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
            // Keys are quoted short: only a plain name's duplicate is looked for below.
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
                kind, "the key \(duplicates.prefix(5).map { "'\(InputText.token($0))'" }.joined(separator: ", ")) appears more than once; keep one.",
                at: repeated.map { SourceLocation(file: file, line: $0 + 1, column: 1) }
                    ?? SourceLocation(file: file, line: context.mark.line, column: context.mark.column))
        case let .reader(problem, offset, _, yaml):
            let (line, column) = offset.map { GatehouseConfig.lineAndColumn(ofUTF8Offset: $0, in: yaml) } ?? (nil, nil)
            return GatehouseError(
                kind, "invalid \(what): \(problem). Remove the character or save the file as plain UTF-8 text.",
                at: SourceLocation(file: file, line: line, column: column))
        default:
            return GatehouseError(kind, "invalid \(what): \(InputText.token("\(error)", limit: 200))", at: SourceLocation(file: file))
        }
    }
}

extension Node {
    /// How a message names this node where a key was expected: a name as a short escaped token
    /// in quotes; a list or mapping by its kind only, never its content (through aliases a
    /// 250-byte key printed as gigabytes).
    var keyInMessage: String {
        if case .scalar(let scalar) = self { return "'\(InputText.token(scalar.string))'" }
        return "\(kindName) used as a key"
    }

    /// How a message names this node where a value of another kind was expected: a scalar as a
    /// short escaped token in quotes, else its kind.
    var valueInMessage: String {
        if case .scalar(let scalar) = self { return "'\(InputText.token(scalar.string))'" }
        return kindName
    }
}
