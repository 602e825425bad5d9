import PlaceRiskCore

/// Locale-free, fixed-precision number formatting for SVG coordinates.
///
/// `v` is rounded half away from zero to `decimals` fraction digits, trailing zeros are dropped and
/// `-0` prints as `0`: 12.345 → "12.3" (1 decimal), 12.96 → "13", −0.04 → "0". Never an exponent for
/// |v| < 10¹⁵; never a locale's decimal comma (no `String(format:)`).
public enum SVGNumber {
    static let powersOfTen: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// `v` with at most `decimals` (0…6) fraction digits. `v` must be finite.
    public static func format(_ v: Double, decimals: Int = 1) -> String {
        var out: [UInt8] = []
        append(v, decimals: decimals, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `format(v, decimals:)` as UTF-8 bytes.
    public static func append(_ v: Double, decimals: Int, to out: inout [UInt8]) {
        appendQuantized(quantize(v, decimals: decimals), decimals: decimals, to: &out)
    }

    /// `v · 10^decimals` rounded to an integer (the value the text will show).
    static func quantize(_ v: Double, decimals: Int) -> Int64 {
        precondition(v.isFinite, "SVGNumber: cannot format a non-finite coordinate (\(v))")
        precondition((0 ... 6).contains(decimals), "SVGNumber: decimals must be 0…6")
        let r = (v * powersOfTen[decimals]).rounded(.toNearestOrAwayFromZero)
        precondition(abs(r) < 9e15, "SVGNumber: \(v) is too large for a drawing coordinate")
        return Int64(r)
    }

    static func appendQuantized(_ q: Int64, decimals: Int, to out: inout [UInt8]) {
        if q < 0 { out.append(UInt8(ascii: "-")) }
        let mag = q.magnitude
        let scale = UInt64(powersOfTen[decimals])
        appendDigits(mag / scale, to: &out)
        var frac = mag % scale
        guard frac != 0 else { return }
        var width = decimals
        while frac % 10 == 0 { frac /= 10; width -= 1 }
        out.append(UInt8(ascii: "."))
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
        var i = width - 1
        while frac > 0 { digits[i] = UInt8(ascii: "0") + UInt8(frac % 10); frac /= 10; i -= 1 }
        out.append(contentsOf: digits)
    }

    private static func appendDigits(_ v: UInt64, to out: inout [UInt8]) {
        if v < 10 { out.append(UInt8(ascii: "0") + UInt8(v)); return }
        appendDigits(v / 10, to: &out)
        out.append(UInt8(ascii: "0") + UInt8(v % 10))
    }
}
