/// Bank holidays of England and Wales, by rule (Banking and Financial Dealings Act 1971, Schedule 1,
/// and the annual proclamations), with the one-off proclaimed days listed:
/// ```
/// New Year's Day   1 January; if a Saturday or Sunday, the following Monday ("substitute day")
/// Good Friday      Easter Sunday − 2      (Easter: the anonymous Gregorian algorithm, Meeus/Jones/Butcher)
/// Easter Monday    Easter Sunday + 1
/// Early May        first Monday of May    (moved: 1995 → 8 May, 2020 → Friday 8 May)
/// Spring           last Monday of May     (moved: 2002 → 4 June, 2012 → 4 June, 2022 → 2 June)
/// Summer           last Monday of August
/// Christmas Day    25 December; Boxing Day 26 December; a day falling on Saturday or Sunday moves to
///                  the next weekday not already a holiday (25 Sat → Mon 27; 26 Sat → Mon 28; 25 Sun →
///                  Tue 27)
/// one-offs         1999-12-31 Millennium, 2011-04-29 Royal wedding, 2012-06-05 Diamond Jubilee,
///                  2022-06-03 Platinum Jubilee, 2022-09-19 State Funeral, 2023-05-08 Coronation
/// ```
/// Checked against GOV.UK's published list for 2011–2028 (`england_and_wales_bank_holidays.csv`).
/// Years after the list may gain proclaimed days the rule cannot know.
public enum BankHolidays {
    /// Easter Sunday (Gregorian), the anonymous algorithm (Nature 1876; Meeus, *Astronomical
    /// Algorithms*, ch. 8).
    public static func easterSunday(year y: Int) -> CivilDate {
        let a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4
        let f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1
        return CivilDate(year: y, month: month, day: day)!
    }

    static let oneOffs: [(CivilDate, String)] = [
        (CivilDate(year: 1999, month: 12, day: 31)!, "Millennium celebrations"),
        (CivilDate(year: 2011, month: 4, day: 29)!, "Royal wedding"),
        (CivilDate(year: 2012, month: 6, day: 5)!, "Queen's Diamond Jubilee"),
        (CivilDate(year: 2022, month: 6, day: 3)!, "Queen's Platinum Jubilee"),
        (CivilDate(year: 2022, month: 9, day: 19)!, "State Funeral of Queen Elizabeth II"),
        (CivilDate(year: 2023, month: 5, day: 8)!, "Coronation of King Charles III"),
    ]

    /// The bank holidays of a year, in date order, with their names.
    public static func englandAndWales(year y: Int) -> [(date: CivilDate, name: String)] {
        var out: [(CivilDate, String)] = []
        func d(_ m: Int, _ day: Int) -> CivilDate { CivilDate(year: y, month: m, day: day)! }
        func firstMonday(_ m: Int) -> CivilDate { let s = d(m, 1).days; return CivilDate(days: s + (7 - CivilDate.weekday(days: s)) % 7) }
        // New Year's Day.
        let ny = d(1, 1)
        out.append((ny.weekday >= 5 ? CivilDate(days: ny.days + (7 - ny.weekday)) : ny, "New Year's Day"))
        let easter = easterSunday(year: y).days
        out.append((CivilDate(days: easter - 2), "Good Friday"))
        out.append((CivilDate(days: easter + 1), "Easter Monday"))
        switch y {
        case 1995: out.append((d(5, 8), "Early May bank holiday (VE day)"))
        case 2020: out.append((d(5, 8), "Early May bank holiday (VE day)"))
        default: out.append((firstMonday(5), "Early May bank holiday"))
        }
        switch y {
        case 2002, 2012: out.append((d(6, 4), "Spring bank holiday"))
        case 2022: out.append((d(6, 2), "Spring bank holiday"))
        default: out.append((CivilDate.last(weekday: 0, month: 5, year: y), "Spring bank holiday"))
        }
        out.append((CivilDate.last(weekday: 0, month: 8, year: y), "Summer bank holiday"))
        // Christmas and Boxing Day with substitutes.
        var taken = Set<Int>()
        for (day, name) in [(25, "Christmas Day"), (26, "Boxing Day")] {
            var k = d(12, day).days
            while CivilDate.weekday(days: k) >= 5 || taken.contains(k) { k += 1 }
            taken.insert(k)
            out.append((CivilDate(days: k), name))
        }
        for (date, name) in oneOffs where date.year == y { out.append((date, name)) }
        return out.sorted { $0.0 < $1.0 }.map { (date: $0.0, name: $0.1) }
    }

    /// Day numbers of the bank holidays of the years `years`.
    public static func days(years: ClosedRange<Int>) -> Set<Int> {
        var s = Set<Int>()
        for y in years { for h in englandAndWales(year: y) { s.insert(h.date.days) } }
        return s
    }
}
