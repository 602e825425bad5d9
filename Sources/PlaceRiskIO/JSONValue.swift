/// A JSON value with ordered object keys, for metadata, accounting and model files.
///
/// Hand-written (no third-party packages): numbers print as the shortest round-tripping
/// decimal; non-finite numbers print as `null` (JSON has no NaN).
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case int(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

    /// Compact (`pretty == false`) or two-space indented text.
    public func serialized(pretty: Bool = true) -> String {
        var out = ""
        write(into: &out, indent: pretty ? 0 : -1)
        return out
    }

    private func write(into s: inout String, indent: Int) {
        let pretty = indent >= 0
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let close = pretty ? String(repeating: "  ", count: indent) : ""
        switch self {
        case .null: s += "null"
        case .bool(let b): s += b ? "true" : "false"
        case .int(let i): s += String(i)
        case .number(let d):
            if !d.isFinite { s += "null" } else if d == d.rounded(), abs(d) < 1e15 { s += String(Int64(d)) } else { s += "\(d)" }
        case .string(let t): JSONValue.escape(t, into: &s)
        case .array(let a):
            if a.isEmpty { s += "[]"; return }
            s += "["
            for (i, v) in a.enumerated() {
                if i > 0 { s += "," }
                if pretty { s += "\n" + pad }
                v.write(into: &s, indent: pretty ? indent + 1 : -1)
            }
            s += pretty ? "\n" + close + "]" : "]"
        case .object(let o):
            if o.isEmpty { s += "{}"; return }
            s += "{"
            for (i, (k, v)) in o.enumerated() {
                if i > 0 { s += "," }
                if pretty { s += "\n" + pad }
                JSONValue.escape(k, into: &s)
                s += pretty ? ": " : ":"
                v.write(into: &s, indent: pretty ? indent + 1 : -1)
            }
            s += pretty ? "\n" + close + "}" : "}"
        }
    }

    /// JSON string literal with the mandatory escapes.
    public static func escape(_ t: String, into s: inout String) {
        s += "\""
        for u in t.unicodeScalars {
            switch u {
            case "\"": s += "\\\""
            case "\\": s += "\\\\"
            case "\n": s += "\\n"
            case "\r": s += "\\r"
            case "\t": s += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    s += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    s.unicodeScalars.append(u)
                }
            }
        }
        s += "\""
    }
}
