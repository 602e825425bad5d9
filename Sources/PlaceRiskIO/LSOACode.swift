/// Checking and normalising an LSOA code read from a data file.
///
/// Rule: an LSOA code is an ONS GSS code of nine characters, the entity code `E01` (England) or
/// `W01` (Wales) followed by six digits, e.g. `E01018936` (ONS, "Code History Database" and the GSS
/// coding and naming policy; the 2011 and 2021 LSOAs share the entity codes). Spaces and tabs
/// around the code are dropped and the country letter is upper-cased, so ` E01018936 ` and
/// `e01018936` both read as `E01018936`; anything else non-empty is invalid.
///
/// Complexity: O(length) on the raw bytes, no allocation; the police loader calls it once per
/// distinct raw code (the codes are interned first).
public enum LSOACode {
    /// What a field holds.
    public enum Reading: Equatable, Sendable {
        /// Empty or only spaces/tabs: the row has no LSOA.
        case empty
        /// A valid code, normalised (upper case, trimmed).
        case valid(String)
        /// Non-empty text that is not an LSOA code.
        case invalid
    }

    /// Reads a field's bytes.
    public static func read(_ raw: UnsafeBufferPointer<UInt8>) -> Reading {
        var lo = 0, hi = raw.count
        while lo < hi, raw[lo] == 0x20 || raw[lo] == 0x09 { lo += 1 }
        while hi > lo, raw[hi - 1] == 0x20 || raw[hi - 1] == 0x09 { hi -= 1 }
        if lo == hi { return .empty }
        guard hi - lo == 9 else { return .invalid }
        var country = raw[lo]
        if country == UInt8(ascii: "e") || country == UInt8(ascii: "w") { country -= 0x20 }
        guard country == UInt8(ascii: "E") || country == UInt8(ascii: "W"),
              raw[lo + 1] == UInt8(ascii: "0"), raw[lo + 2] == UInt8(ascii: "1") else { return .invalid }
        for k in lo + 3 ..< hi where !(raw[k] >= 0x30 && raw[k] <= 0x39) { return .invalid }
        var bytes = [UInt8](raw[lo ..< hi])
        bytes[0] = country
        return .valid(String(decoding: bytes, as: UTF8.self))
    }

    /// The same reading as a number, without allocating: −1 for `.empty`, −2 for `.invalid`, else
    /// the code as `country · 1,000,000 + digits` (country 0 = E, 1 = W), so numbers sort as the
    /// codes' text does. `label(ofNumber:)` gives the code back.
    public static func number(_ raw: UnsafeBufferPointer<UInt8>) -> Int32 {
        var lo = 0, hi = raw.count
        while lo < hi, raw[lo] == 0x20 || raw[lo] == 0x09 { lo += 1 }
        while hi > lo, raw[hi - 1] == 0x20 || raw[hi - 1] == 0x09 { hi -= 1 }
        if lo == hi { return -1 }
        guard hi - lo == 9 else { return -2 }
        let c = raw[lo] | 0x20
        guard c == UInt8(ascii: "e") || c == UInt8(ascii: "w"),
              raw[lo + 1] == UInt8(ascii: "0"), raw[lo + 2] == UInt8(ascii: "1") else { return -2 }
        var v: Int32 = 0
        for k in lo + 3 ..< hi {
            let d = raw[k] &- 0x30
            guard d <= 9 else { return -2 }
            v = v * 10 + Int32(d)
        }
        return c == UInt8(ascii: "w") ? 1_000_000 + v : v
    }

    /// The code a `number(_:)` stands for.
    public static func label(ofNumber n: Int32) -> String {
        precondition(n >= 0 && n < 2_000_000, "LSOACode.label: \(n) is not a code number")
        let digits = String(n % 1_000_000)
        return (n >= 1_000_000 ? "W01" : "E01") + String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// Reads a Swift string (same rules).
    public static func read(_ s: String) -> Reading {
        var s = s
        return s.withUTF8 { read($0) }
    }
}
