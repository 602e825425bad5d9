import PlaceRiskCore
/// Parsing numbers straight from CSV field bytes, without creating Strings.
public enum ASCIINumber {
    /// Exact powers of ten representable in a Double (10^0 … 10^22).
    @usableFromInline
    static let pow10: [Double] = (0 ... 22).map { e in
        var v = 1.0
        for _ in 0 ..< e { v *= 10 }
        return v
    }

    /// Parses a decimal number (`-4.544117`, `12`, `1e-3`, surrounding spaces allowed).
    /// Returns nil for anything else, including empty text, `nan` and `inf`.
    ///
    /// Fast path (Clinger 1990): when the digits form an integer below 2^53 and the decimal
    /// exponent is within ±22, `mantissa / 10^k` (or `× 10^k`) is one correctly-rounded IEEE
    /// operation on exact operands, so the result equals `strtod`'s. Otherwise falls back to `strtod`.
    public static func parseDouble(_ raw: UnsafeBufferPointer<UInt8>) -> Double? {
        var lo = 0, hi = raw.count
        while lo < hi, raw[lo] == 0x20 || raw[lo] == 0x09 { lo += 1 }
        while hi > lo, raw[hi - 1] == 0x20 || raw[hi - 1] == 0x09 { hi -= 1 }
        guard lo < hi else { return nil }
        var i = lo
        var negative = false
        if raw[i] == 0x2D { negative = true; i += 1 } else if raw[i] == 0x2B { i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0, fracDigits = 0, sawDigit = false, sawDot = false
        var exact = true
        while i < hi {
            let b = raw[i]
            if b >= 0x30 && b <= 0x39 {
                sawDigit = true
                if mantissa == 0 && b == 0x30 {
                    // leading zero: no significant digit yet
                } else {
                    digits += 1
                    if digits <= 19 { mantissa = mantissa &* 10 &+ UInt64(b - 0x30) } else { exact = false }
                }
                if sawDot { fracDigits += 1 }
            } else if b == 0x2E && !sawDot {
                sawDot = true
            } else {
                break
            }
            i += 1
        }
        guard sawDigit else { return nil }
        var exp10 = 0
        if i < hi, raw[i] == 0x65 || raw[i] == 0x45 {
            i += 1
            var eneg = false
            if i < hi, raw[i] == 0x2D { eneg = true; i += 1 } else if i < hi, raw[i] == 0x2B { i += 1 }
            var e = 0, sawE = false
            while i < hi, raw[i] >= 0x30, raw[i] <= 0x39 {
                if e < 100_000 { e = e * 10 + Int(raw[i] - 0x30) }
                sawE = true; i += 1
            }
            guard sawE else { return nil }
            exp10 = eneg ? -e : e
        }
        guard i == hi else { return nil }
        let scale = exp10 - fracDigits
        if exact, mantissa < (1 << 53), scale >= -22, scale <= 22 {
            var v = Double(mantissa)
            v = scale < 0 ? v / pow10[-scale] : v * pow10[scale]
            return negative ? -v : v
        }
        // Slow path: strtod on a NUL-terminated copy.
        var tmp = [CChar](repeating: 0, count: hi - lo + 1)
        for k in lo ..< hi { tmp[k - lo] = CChar(bitPattern: raw[k]) }
        return tmp.withUnsafeBufferPointer { p -> Double? in
            var endp: UnsafeMutablePointer<CChar>?
            let v = strtod(p.baseAddress!, &endp)
            guard let e = endp, e - UnsafeMutablePointer(mutating: p.baseAddress!) == hi - lo, v.isFinite else { return nil }
            return v
        }
    }

    /// Parses a Double from a String (same rules).
    public static func parseDouble(_ s: String) -> Double? {
        var s = s
        return s.withUTF8 { parseDouble($0) }
    }
}
