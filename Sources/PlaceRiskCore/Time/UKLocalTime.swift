/// UK civil time: GMT (UTC+0) in winter, British Summer Time (UTC+1) from 01:00 UTC on the last
/// Sunday of March to 01:00 UTC on the last Sunday of October (Summer Time Order 2002; EU Directive
/// 2000/84/EC; conventions §11).
///
/// Times are held as seconds since 1970-01-01 00:00 UTC, so a window's length is right across a
/// clock change; hours of the day and days of the week are read back on the local clock.
///
/// Local times that do not or twice exist:
/// - the spring gap (local 01:00–01:59 on the last Sunday of March never happens): read as GMT, i.e.
///   the clock had not yet gone forward (01:30 → 01:30 UTC = 02:30 BST);
/// - the autumn overlap (local 01:00–01:59 on the last Sunday of October happens twice): the first,
///   BST, occurrence (01:30 → 00:30 UTC).
public enum UKLocalTime {
    /// Start and end of BST in a year, in UTC seconds.
    public static func summerTime(year: Int) -> (start: Int64, end: Int64) {
        if year >= firstCachedYear, year - firstCachedYear < cache.count { let c = cache[year - firstCachedYear]; return (c.start, c.end) }
        return computeSummerTime(year: year)
    }

    static func computeSummerTime(year: Int) -> (start: Int64, end: Int64) {
        let s = CivilDate.last(weekday: 6, month: 3, year: year).days
        let e = CivilDate.last(weekday: 6, month: 10, year: year).days
        return (Int64(s) * 86400 + 3600, Int64(e) * 86400 + 3600)
    }

    /// Years 1900 … 2199: the UTC instants of 1 January 00:00 and of the BST changes (computed once).
    static let firstCachedYear = 1900
    static let cache: [(yearStart: Int64, start: Int64, end: Int64)] = (1900 ..< 2200).map { y in
        let (s, e) = computeSummerTime(year: y)
        return (Int64(CivilDate(year: y, month: 1, day: 1)!.days) * 86400, s, e)
    }

    /// Whether a UTC instant is in BST.
    public static func isSummerTime(utc t: Int64) -> Bool {
        let c = cache
        if t >= c[0].yearStart, t < c[c.count - 1].yearStart {
            // The year from the mean Gregorian year length, then corrected by the table.
            var k = Int((t - c[0].yearStart) / 31_556_952)   // 365.2425 days, in seconds
            k = min(max(k, 0), c.count - 2)
            while k > 0 && t < c[k].yearStart { k -= 1 }
            while k + 1 < c.count && t >= c[k + 1].yearStart { k += 1 }
            return t >= c[k].start && t < c[k].end
        }
        let year = CivilDate(days: Int(floorDiv(t, 86400))).year
        let (s, e) = summerTime(year: year)
        return t >= s && t < e
    }

    /// The UTC instant of a UK local clock reading (seconds since midnight `secondOfDay`, 0 ..< 86400).
    public static func utc(date: CivilDate, secondOfDay: Int) -> Int64 {
        precondition(secondOfDay >= 0 && secondOfDay < 86400, "UKLocalTime.utc: second of day out of range")
        let local = Int64(date.days) * 86400 + Int64(secondOfDay)
        let (s, e) = summerTime(year: date.year)
        // The local readings of the changes: spring 01:00 GMT (= 02:00 BST); autumn 02:00 BST (= 01:00 GMT).
        // BST applies from local 02:00 on the spring day (gap read as GMT) until local 02:00 on the autumn
        // day (overlap read as BST).
        let springLocalEnd = s + 3600, autumnLocalEnd = e + 3600
        return (local >= springLocalEnd && local < autumnLocalEnd) ? local - 3600 : local
    }

    /// Local seconds since 1970-01-01 00:00 (local midnight-based) of a UTC instant.
    @inline(__always)
    public static func local(utc t: Int64) -> Int64 { isSummerTime(utc: t) ? t + 3600 : t }

    /// Local day number, hour (0–23) and ISO weekday (0 = Monday) of a UTC instant.
    public static func components(utc t: Int64) -> (days: Int, hour: Int, weekday: Int) {
        let l = local(utc: t)
        let d = Int(floorDiv(l, 86400))
        let h = Int((l - Int64(d) * 86400) / 3600)
        return (d, h, CivilDate.weekday(days: d))
    }

    @inline(__always)
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
}
