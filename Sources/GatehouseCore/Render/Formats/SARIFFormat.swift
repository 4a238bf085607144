extension CIRenderers {
    /// SARIF 2.1.0, as GitHub code scanning accepts it: every result has a message and a
    /// location with a URI and a start line (findings without one point at the file the
    /// setting lives in).
    public static func sarif(_ verdict: Verdict, version: String, configFile: String) -> [UInt8] {
        let all = findings(verdict)
        let ruleIDs = Array(Set(all.map(\.ciRule))).sorted()
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.key("$schema"); w.string("https://json.schemastore.org/sarif-2.1.0.json")
        w.key("version"); w.string("2.1.0")
        w.key("runs")
        w.beginArray()
        w.beginObject()
        w.key("tool")
        w.beginObject()
        w.key("driver")
        w.beginObject()
        w.key("name"); w.string("Gatehouse")
        w.key("version"); w.string(version)
        w.key("rules")
        w.beginArray()
        for id in ruleIDs {
            w.beginObject()
            w.key("id"); w.string(id)
            w.key("shortDescription"); w.beginObject(); w.key("text"); w.string(GateID(rawValue: id)?.summary ?? id); w.endObject()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        w.endObject()
        w.key("results")
        w.beginArray()
        for finding in all {
            w.beginObject()
            w.key("ruleId"); w.string(finding.ciRule)
            w.key("ruleIndex"); w.int(ruleIDs.firstIndex(of: finding.ciRule) ?? 0)
            w.key("level"); w.string(finding.severity.rawValue)
            w.key("message"); w.beginObject(); w.key("text"); w.string(finding.message); w.endObject()
            w.key("locations")
            w.beginArray()
            w.beginObject()
            w.key("physicalLocation")
            w.beginObject()
            w.key("artifactLocation")
            w.beginObject()
            w.key("uri"); w.string(uri(finding.path?.bytes ?? Array(configFile.utf8)))
            w.key("uriBaseId"); w.string("%SRCROOT%")
            w.endObject()
            w.key("region")
            w.beginObject()
            w.key("startLine"); w.int(finding.line ?? 1)
            if let end = finding.endLine { w.key("endLine"); w.int(end) }
            w.endObject()
            w.endObject()
            w.endObject()
            w.endArray()
            w.key("partialFingerprints")
            w.beginObject()
            w.key("gatehouse/v1"); w.string(fingerprint(finding))
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        w.endArray()
        w.endObject()
        return w.document
    }

    /// A relative URI reference for a repository path: bytes outside RFC 3986's unreserved
    /// set and `/` are percent-encoded, so spaces, `#`, `%` and non-UTF-8 names survive.
    static func uri(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Stable across runs for the same finding, different for different findings.
    static func fingerprint(_ finding: Finding) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let text = "\(finding.ciRule)\u{0}\(finding.path?.string ?? "")\u{0}\(finding.line ?? 0)\u{0}\(finding.endLine ?? 0)\u{0}\(finding.path == nil ? finding.message : "")"
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        let digits = String(h, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// `--format sarif`: SARIF 2.1.0 for code scanning upload
public enum SARIFFormat: OutputFormat {
    public static let name = "sarif"
    public static let summary = "SARIF 2.1.0 for code scanning upload"

    public static func render(_ verdict: Verdict, _ context: RenderContext) -> [UInt8] {
        CIRenderers.sarif(verdict, version: context.version, configFile: context.configFile)
    }
}
