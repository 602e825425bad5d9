/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), after Howard
/// Hinnant's `days_from_civil` / `civil_from_days` ("chrono-Compatible Low-Level Date Algorithms"):
/// ```
/// y' = y − [m ≤ 2],  era = ⌊y'/400⌋,  yoe = y' − 400·era
/// doy = ⌊(153·(m + (m > 2 ? −3 : 9)) + 2)/5⌋ + d − 1
/// doe = 365·yoe + ⌊yoe/4⌋ − ⌊yoe/100⌋ + doy
/// days = 146097·era + doe − 719468
/// ```
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A valid date, or nil (month 1–12, day within the month, leap years by the Gregorian rule).
    public init?(year: Int, month: Int, day: Int) {
        guard (1 ... 12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date of a day number.
    public init(days z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month m: Int, year y: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01.
    public var days: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// ISO weekday of a day number: 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    public static func weekday(days: Int) -> Int { ((days % 7) + 7 + 3) % 7 }

    public var weekday: Int { CivilDate.weekday(days: days) }

    /// The last `weekday` (0 = Monday … 6 = Sunday) of a month.
    public static func last(weekday w: Int, month: Int, year: Int) -> CivilDate {
        let end = CivilDate(year: year, month: month, day: daysIn(month: month, year: year))!.days
        return CivilDate(days: end - ((weekday(days: end) - w + 7) % 7))
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
