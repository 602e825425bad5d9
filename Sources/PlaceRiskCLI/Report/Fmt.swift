import Foundation

/// Number formatting for report tables.
enum Fmt {
    static func int(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        let n = Int(v.rounded())
        let s = String(abs(n))
        var out = ""
        for (i, ch) in s.enumerated() { if i > 0, (s.count - i) % 3 == 0 { out.append(",") }; out.append(ch) }
        return (n < 0 ? "−" : "") + out
    }
    static func num(_ v: Double?, _ d: Int = 2) -> String {
        guard let v, v.isFinite else { return "–" }
        return String(format: "%.\(d)f", v).replacingOccurrences(of: "-", with: "−")
    }
    /// `v` to `digits` significant figures (0.99987 → "1.00", 0.0123456 → "0.0123").
    static func sig(_ v: Double?, _ digits: Int) -> String {
        guard let v, v.isFinite else { return "–" }
        guard v != 0 else { return "0" }
        let magnitude = Int((log10(abs(v))).rounded(.down))
        let decimals = max(0, digits - 1 - magnitude)
        return String(format: "%.\(decimals)f", v).replacingOccurrences(of: "-", with: "−")
    }
    static func pct(_ v: Double?, _ d: Int = 1) -> String {
        guard let v, v.isFinite else { return "–" }
        return String(format: "%.\(d)f\u{00A0}%%", 100 * v).replacingOccurrences(of: "-", with: "−")
    }
}
