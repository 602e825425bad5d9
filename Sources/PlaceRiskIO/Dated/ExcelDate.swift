import PlaceRiskCore

/// Excel serial date-times (`date_format = excel` or `excel1904`): a day number whose fractional part
/// is the time of day, as a spreadsheet cell formatted "General" holds a date.
///
/// The 1900 date system (Excel for Windows, the default) inherits Lotus 1-2-3's leap-year bug: it counts
/// 1900-02-29, a day that never existed (1900 is not a leap year: divisible by 100, not by 400).
/// ```
/// serial 1 … 59  → 1899-12-31 + serial   (1 = 1900-01-01, 59 = 1900-02-28)
/// serial 60      → "1900-02-29": refused (impossible)
/// serial ≥ 61    → 1899-12-30 + serial   (61 = 1900-03-01, 25569 = 1970-01-01)
/// ```
/// (Microsoft, "Excel incorrectly assumes that the year 1900 is a leap year", KB 214326; the ≥ 61 branch
/// is Python's `datetime(1899, 12, 30) + timedelta(days=serial)`, the pandas/openpyxl convention.)
/// The 1904 system (older Mac workbooks): `1904-01-01 + serial`, serial 0 = 1904-01-01.
/// Serial 0 of the 1900 system ("1900-01-00") and negative serials are refused; the last day is
/// 9999-12-31 (serial 2,958,465 resp. 2,957,003). Time of day = fraction × 86,400 s, rounded to the
/// nearest second (a fraction that rounds to 86,400 s is the next midnight). A serial written without
/// a fractional part is a date (a whole day), with one a date-time.
public enum ExcelDate {
    public enum System: Sendable { case excel1900, excel1904 }

    static let epoch1900 = CivilDate(year: 1899, month: 12, day: 30)!.days
    static let epoch1904 = CivilDate(year: 1904, month: 1, day: 1)!.days
    static let lastDay = CivilDate(year: 9999, month: 12, day: 31)!.days

    /// The local day number (days since 1970-01-01) and second of day of a serial, or why it is refused.
    public static func components(serial: Double, system: System) -> Result<(days: Int, second: Int), DateTimeText.Failure> {
        guard serial.isFinite else { return .failure(.unparseable) }
        guard serial >= 0 else { return .failure(.impossible("negative Excel serial \(serial)")) }
        var whole = serial.rounded(.down)
        var second = Int(((serial - whole) * 86400).rounded())
        if second >= 86400 { whole += 1; second -= 86400 }
        guard whole <= 3_000_000 else { return .failure(.impossible("Excel serial \(Int(whole)) is after 9999-12-31")) }
        let n = Int(whole)
        let days: Int
        switch system {
        case .excel1900:
            if n == 0 { return .failure(.impossible("Excel serial 0 is the non-day 1900-01-00")) }
            if n == 60 { return .failure(.impossible("Excel serial 60 is 1900-02-29, a day that never existed (Lotus 1-2-3's leap-year bug)")) }
            days = n < 60 ? epoch1900 + 1 + n : epoch1900 + n
        case .excel1904:
            days = epoch1904 + n
        }
        guard days <= lastDay else { return .failure(.impossible("Excel serial \(n) is after 9999-12-31")) }
        return .success((days, second))
    }

    /// Parses a serial field (`45292`, `45292.75`; spaces around it allowed).
    static func parse(_ f: UnsafeBufferPointer<UInt8>, system: System) -> Result<ParsedDateTime, DateTimeText.Failure> {
        var hasPoint = false
        for b in f {
            if b == UInt8(ascii: ".") { hasPoint = true; continue }
            guard b >= 0x30 && b <= 0x39 || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") else {
                return .failure(.unparseable)
            }
        }
        guard let v = ASCIINumber.parseDouble(f) else { return .failure(.unparseable) }
        switch components(serial: v, system: system) {
        case .failure(let e): return .failure(e)
        case .success(let c):
            let timed = hasPoint && v != v.rounded(.down)
            return .success(ParsedDateTime(date: CivilDate(days: c.days), second: timed ? c.second : nil, offset: nil))
        }
    }
}
