import PlaceRiskCore

/// How a date (or date-time) field is written.
public enum DateFormat: String, Sendable, CaseIterable {
    /// ISO 8601: `YYYY-MM-DD`, optionally `THH:MM[:SS[.fff]]` (or a space instead of `T`) and a zone
    /// `Z` / `±HH:MM` (with a zone the instant is exact; without, it is UK local time).
    case iso
    /// `DD/MM/YYYY` (day first, as UK agencies write it; `D/M/YYYY` accepted), optionally ` HH:MM[:SS]`.
    case dmy = "dd/mm/yyyy"
    /// `DD Mon YYYY` or `DD-Mon-YYYY` with an English month abbreviation (LFB `01 Jan 2009`, Excel text).
    case dMonY = "dd mon yyyy"
    /// Whichever of the three the field is (decided per field by its separators); US month-first
    /// dates are never guessed.
    case auto
}

/// A parsed date-time field.
public struct ParsedDateTime: Sendable, Equatable {
    public var date: CivilDate
    /// Seconds since local midnight, when the field had a time.
    public var second: Int?
    /// UTC offset in seconds, when the field had a zone.
    public var offset: Int?
}

/// Parsing of the dated sources' date and time fields. Failures name what was wrong, for the ledger's
/// examples ("month 13", "day 30 of February 2024", "hour 25").
public enum DateTimeText {
    public enum Failure: Error, Equatable, Sendable {
        case unparseable
        case impossible(String)
        public var reason: String {
            switch self {
            case .unparseable: return "not a date in the expected format"
            case .impossible(let why): return "impossible date or time (\(why))"
            }
        }
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Parses a date or date-time field in `format`.
    public static func parse(_ raw: UnsafeBufferPointer<UInt8>, format: DateFormat) -> Result<ParsedDateTime, Failure> {
        var lo = 0, hi = raw.count
        while lo < hi, raw[lo] == 0x20 || raw[lo] == 0x09 { lo += 1 }
        while hi > lo, raw[hi - 1] == 0x20 || raw[hi - 1] == 0x09 || raw[hi - 1] == 0x0D { hi -= 1 }
        var s = Scanner(bytes: raw, at: lo, end: hi)
        var f = format
        if f == .auto {
            var k = lo
            while k < hi, raw[k] >= 0x30 && raw[k] <= 0x39 { k += 1 }
            if k - lo == 4 { f = .iso } else if k < hi, raw[k] == UInt8(ascii: "/") { f = .dmy } else { f = .dMonY }
        }
        var y = 0, m = 0, d = 0
        switch f {
        case .iso:
            guard let a = s.int(4, 4), s.eat("-"), let b = s.int(1, 2), s.eat("-"), let c = s.int(1, 2) else { return .failure(.unparseable) }
            (y, m, d) = (a, b, c)
        case .dmy:
            guard let a = s.int(1, 2), s.eat("/"), let b = s.int(1, 2), s.eat("/"), let c = s.int(4, 4) else { return .failure(.unparseable) }
            (y, m, d) = (c, b, a)
        case .dMonY:
            guard let a = s.int(1, 2), s.eat(" ") || s.eat("-"), let name = s.letters(), s.eat(" ") || s.eat("-"), let c = s.int(4, 4) else { return .failure(.unparseable) }
            guard let mi = months.firstIndex(of: String(name.prefix(3)).lowercased()), name.count == 3 || name.count >= 3 else { return .failure(.unparseable) }
            (y, m, d) = (c, mi + 1, a)
        case .auto: fatalError("unreachable")
        }
        guard (1 ... 12).contains(m) else { return .failure(.impossible("month \(m)")) }
        guard let date = CivilDate(year: y, month: m, day: d) else {
            return .failure(.impossible("day \(d) of \(months[m - 1].capitalized) \(y)"))
        }
        var out = ParsedDateTime(date: date, second: nil, offset: nil)
        if s.atEnd { return .success(out) }
        guard s.eat("T") || s.eat(" ") else { return .failure(.unparseable) }
        while s.eat(" ") {}
        switch time(&s) {
        case .failure(let e): return .failure(e)
        case .success(let sec): out.second = sec
        }
        if f == .iso, !s.atEnd {
            if s.eat("Z") { out.offset = 0 } else {
                let sign = s.eat("+") ? 1 : (s.eat("-") ? -1 : 0)
                guard sign != 0, let oh = s.int(2, 2) else { return .failure(.unparseable) }
                _ = s.eat(":")
                let om = s.int(2, 2) ?? 0
                guard oh <= 14, om < 60 else { return .failure(.impossible("zone offset")) }
                out.offset = sign * (oh * 3600 + om * 60)
            }
        }
        guard s.atEnd else { return .failure(.unparseable) }
        return .success(out)
    }

    /// Parses a time field `HH:MM[:SS[.fff]]` (also `HHMM`) to seconds since midnight.
    public static func parseTime(_ raw: UnsafeBufferPointer<UInt8>) -> Result<Int, Failure> {
        var lo = 0, hi = raw.count
        while lo < hi, raw[lo] == 0x20 { lo += 1 }
        while hi > lo, raw[hi - 1] == 0x20 || raw[hi - 1] == 0x0D { hi -= 1 }
        var s = Scanner(bytes: raw, at: lo, end: hi)
        if hi - lo == 4, let v = s.int(4, 4) {
            guard v / 100 < 24 else { return .failure(.impossible("hour \(v / 100)")) }
            guard v % 100 < 60 else { return .failure(.impossible("minute \(v % 100)")) }
            return .success((v / 100) * 3600 + (v % 100) * 60)
        }
        s = Scanner(bytes: raw, at: lo, end: hi)
        let r = time(&s)
        if case .success = r, !s.atEnd { return .failure(.unparseable) }
        return r
    }

    static func time(_ s: inout Scanner) -> Result<Int, Failure> {
        guard let h = s.int(1, 2), s.eat(":"), let mi = s.int(2, 2) else { return .failure(.unparseable) }
        var sec = 0
        if s.eat(":") {
            guard let v = s.int(2, 2) else { return .failure(.unparseable) }
            sec = v
            if s.eat(".") || s.eat(",") { while s.digit() != nil {} }
        }
        guard h < 24 else { return .failure(.impossible("hour \(h)")) }
        guard mi < 60 else { return .failure(.impossible("minute \(mi)")) }
        guard sec < 60 else { return .failure(.impossible("second \(sec)")) }
        return .success(h * 3600 + mi * 60 + sec)
    }

    /// A byte cursor.
    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var at: Int
        let end: Int
        init(bytes: UnsafeBufferPointer<UInt8>, at: Int, end: Int) { self.bytes = bytes; self.at = at; self.end = end }
        var atEnd: Bool { at >= end }
        mutating func eat(_ c: Unicode.Scalar) -> Bool {
            guard at < end, bytes[at] == UInt8(ascii: c) else { return false }
            at += 1; return true
        }
        mutating func digit() -> Int? {
            guard at < end, bytes[at] >= 0x30, bytes[at] <= 0x39 else { return nil }
            at += 1; return Int(bytes[at - 1] - 0x30)
        }
        /// An unsigned integer of `min…max` digits.
        mutating func int(_ minDigits: Int, _ maxDigits: Int) -> Int? {
            let start = at
            var v = 0
            while at - start < maxDigits, let d = digit() { v = v * 10 + d }
            if at - start < minDigits { at = start; return nil }
            return v
        }
        mutating func letters() -> String? {
            let start = at
            while at < end, (bytes[at] | 0x20) >= 0x61, (bytes[at] | 0x20) <= 0x7A { at += 1 }
            return at > start ? String(decoding: UnsafeBufferPointer(rebasing: bytes[start ..< at]), as: UTF8.self) : nil
        }
    }

    /// String conveniences (tests, schema defaults).
    public static func parse(_ text: String, format: DateFormat) -> Result<ParsedDateTime, Failure> {
        var t = text
        return t.withUTF8 { parse($0, format: format) }
    }

    public static func parseTime(_ text: String) -> Result<Int, Failure> {
        var t = text
        return t.withUTF8 { parseTime($0) }
    }
}
