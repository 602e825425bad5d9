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
    /// dates are never guessed; two-digit years are refused (with a pointer to the `yy` formats).
    case auto
    /// `DD/MM/YY` (`D/M/YY`), optionally ` HH:MM[:SS]`: a two-digit year by Excel's "2029 rule"
    /// (00–29 → 2000–2029, 30–99 → 1930–1999; Microsoft KB 214391).
    case dmyy = "dd/mm/yy"
    /// `DD-Mon-YY` or `DD Mon YY` (Excel's `dd-mmm-yy`), two-digit year by the same rule.
    case dMonYY = "dd mon yy"
    /// An Excel serial day number in the 1900 date system, fraction = time of day (`ExcelDate`).
    case excel
    /// An Excel serial day number in the 1904 date system (`ExcelDate`).
    case excel1904
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
        /// A two-digit year where four are expected (`auto`, `dd/mm/yyyy`, `dd mon yyyy`).
        case twoDigitYear
        public var reason: String {
            switch self {
            case .unparseable: return "not a date in the expected format"
            case .impossible(let why): return "impossible date or time (\(why))"
            case .twoDigitYear: return "a date with a two-digit year (set date_format = dd/mm/yy or dd mon yy to read 00-29 as 2000-2029 and 30-99 as 1930-1999, as Excel does)"
            }
        }

        /// What the field should have been, for "'value' is not …" messages (`CSVError.badValue`); nil for
        /// `unparseable`, whose expected layout the caller names.
        public var expected: String? {
            switch self {
            case .unparseable: return nil
            case .impossible(let why): return "a possible date or time (\(why))"
            case .twoDigitYear: return "a date with a four-digit year (or set date_format = dd/mm/yy or dd mon yy to read 00-29 as 2000-2029 and 30-99 as 1930-1999, as Excel does)"
            }
        }
    }

    /// Excel's "2029 rule" for a two-digit year (Microsoft KB 214391): 00–29 → 2000–2029, 30–99 → 1930–1999.
    public static func year(twoDigit yy: Int) -> Int {
        precondition((0 ... 99).contains(yy), "DateTimeText.year(twoDigit:): \(yy) is not two digits")
        return yy < 30 ? 2000 + yy : 1900 + yy
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Parses a date or date-time field in `format`.
    public static func parse(_ raw: UnsafeBufferPointer<UInt8>, format: DateFormat) -> Result<ParsedDateTime, Failure> {
        var lo = 0, hi = raw.count
        while lo < hi, raw[lo] == 0x20 || raw[lo] == 0x09 { lo += 1 }
        while hi > lo, raw[hi - 1] == 0x20 || raw[hi - 1] == 0x09 || raw[hi - 1] == 0x0D { hi -= 1 }
        var s = Scanner(bytes: raw, at: lo, end: hi)
        var f = format
        switch f {
        case .excel: return ExcelDate.parse(UnsafeBufferPointer(rebasing: raw[lo ..< hi]), system: .excel1900)
        case .excel1904: return ExcelDate.parse(UnsafeBufferPointer(rebasing: raw[lo ..< hi]), system: .excel1904)
        default: break
        }
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
        case .dmy, .dmyy:
            guard let a = s.int(1, 2), s.eat("/"), let b = s.int(1, 2), s.eat("/") else { return .failure(.unparseable) }
            guard let c = year(&s, twoDigits: f == .dmyy) else { return .failure(s.twoDigitYearFollows ? .twoDigitYear : .unparseable) }
            (y, m, d) = (c, b, a)
        case .dMonY, .dMonYY:
            guard let a = s.int(1, 2), s.eat(" ") || s.eat("-"), let name = s.letters(), s.eat(" ") || s.eat("-") else { return .failure(.unparseable) }
            guard let c = year(&s, twoDigits: f == .dMonYY) else { return .failure(s.twoDigitYearFollows ? .twoDigitYear : .unparseable) }
            guard let mi = months.firstIndex(of: String(name.prefix(3)).lowercased()), name.count == 3 || name.count >= 3 else { return .failure(.unparseable) }
            (y, m, d) = (c, mi + 1, a)
        case .auto, .excel, .excel1904: fatalError("unreachable")
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

    /// A four-digit year, or (when `twoDigits`) exactly two digits by the 2029 rule.
    static func year(_ s: inout Scanner, twoDigits: Bool) -> Int? {
        if twoDigits {
            guard let v = s.int(2, 2), s.digit() == nil else { return nil }
            return year(twoDigit: v)
        }
        return s.int(4, 4)
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
        /// Whether exactly two digits follow, then the end or a space (a two-digit year where four were expected).
        var twoDigitYearFollows: Bool {
            func isDigit(_ k: Int) -> Bool { k < end && bytes[k] >= 0x30 && bytes[k] <= 0x39 }
            return isDigit(at) && isDigit(at + 1) && (at + 2 >= end || bytes[at + 2] == 0x20 || bytes[at + 2] == UInt8(ascii: "T"))
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
