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
        let s = CivilDate.last(weekday: 6, month: 3, year: year).days
        let e = CivilDate.last(weekday: 6, month: 10, year: year).days
        return (Int64(s) * 86400 + 3600, Int64(e) * 86400 + 3600)
    }

    /// Whether a UTC instant is in BST.
    public static func isSummerTime(utc t: Int64) -> Bool {
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
