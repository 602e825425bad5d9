import PlaceRiskCore

/// The fixed layouts of dated sources' date-time fields, read without the general scanner, and the
/// UK clock per day. Both are shortcuts with the general code as their oracle:
/// - `parse` reads `YYYY-MM-DD`, `YYYY-MM-DD HH:MM`, `YYYY-MM-DD HH:MM:SS` (space or `T`) in the `iso`
///   and `auto` formats and `DD/MM/YYYY`, `DD/MM/YYYY HH:MM`, `DD/MM/YYYY HH:MM:SS` in `dd/mm/yyyy`
///   and `auto`, every digit in place and the value possible; it returns nil for anything else
///   (another layout, spaces around, a zone, an impossible date or time), which then goes to
///   `DateTimeText.parse` — so a field's result and failure message are always the general parser's.
/// - `DayCache.utc` gives `UKLocalTime.utc` from the day's offset when the offset is the same at the
///   day's first and last second (at most one BST change a day, so then it holds all day), and calls
///   `UKLocalTime.utc` on the two change days a year.
enum DateTimeFast {
    @inline(__always)
    private static func digit(_ p: UnsafePointer<UInt8>, _ k: Int) -> Int? {
        let v = p[k] &- 0x30
        return v < 10 ? Int(v) : nil
    }

    @inline(__always)
    private static func two(_ p: UnsafePointer<UInt8>, _ k: Int) -> Int? {
        guard let a = digit(p, k), let b = digit(p, k + 1) else { return nil }
        return a * 10 + b
    }

    /// A field in one of the fixed layouts (see the type), or nil.
    @inline(__always)
    static func parse(_ f: UnsafeBufferPointer<UInt8>, format: DateFormat) -> ParsedDateTime? {
        guard let r = fields(f, format: format), let date = CivilDate(year: r.year, month: r.month, day: r.day) else { return nil }
        return ParsedDateTime(date: date, second: r.second, offset: nil)
    }

    /// The readings of a field in one of the fixed layouts — every digit and separator in place, month
    /// 1–12, day 1–31, hour < 24, minute and second < 60 — without the day checked against its month
    /// (`parse` does that through `CivilDate`; the plain-row shortcut through its table of days met).
    @inline(__always)
    static func fields(_ f: UnsafeBufferPointer<UInt8>, format: DateFormat) -> (year: Int, month: Int, day: Int, second: Int?)? {
        let n = f.count
        guard n == 10 || n == 16 || n == 19, let p = f.baseAddress else { return nil }
        var y = 0, m = 0, d = 0
        if p[4] == 0x2D {   // YYYY-MM-DD
            guard format == .iso || format == .auto, p[7] == 0x2D, let y1 = two(p, 0), let y2 = two(p, 2),
                  let mm = two(p, 5), let dd = two(p, 8) else { return nil }
            (y, m, d) = (y1 * 100 + y2, mm, dd)
        } else if p[2] == 0x2F {   // DD/MM/YYYY
            guard format == .dmy || format == .auto, p[5] == 0x2F, let dd = two(p, 0), let mm = two(p, 3),
                  let y1 = two(p, 6), let y2 = two(p, 8) else { return nil }
            (y, m, d) = (y1 * 100 + y2, mm, dd)
        } else { return nil }
        guard m >= 1, m <= 12, d >= 1, d <= 31 else { return nil }
        if n == 10 { return (y, m, d, nil) }
        guard p[10] == 0x20 || p[10] == 0x54, p[13] == 0x3A, let h = two(p, 11), let mi = two(p, 14), h < 24, mi < 60 else { return nil }
        var sec = 0
        if n == 19 {
            guard p[16] == 0x3A, let s = two(p, 17), s < 60 else { return nil }
            sec = s
        }
        return (y, m, d, h * 3600 + mi * 60 + sec)
    }

    /// The UK clock's offset for the last day asked about.
    struct DayCache {
        private var days = Int.min
        /// Seconds the UK clock is ahead of UTC all day (0 or 3600), or nil on a change day.
        private var offset: Int64? = 0

        /// `UKLocalTime.utc(date:secondOfDay:)`.
        @inline(__always)
        mutating func utc(date: CivilDate, secondOfDay: Int) -> Int64 {
            let dd = date.days
            if dd != days {
                days = dd
                let midnight = Int64(dd) * 86400
                let first = midnight - UKLocalTime.utc(date: date, secondOfDay: 0)
                let last = midnight + 86399 - UKLocalTime.utc(date: date, secondOfDay: 86399)
                offset = first == last ? first : nil
            }
            guard let o = offset else { return UKLocalTime.utc(date: date, secondOfDay: secondOfDay) }
            precondition(secondOfDay >= 0 && secondOfDay < 86400, "DateTimeFast.DayCache: second of day out of range")
            return Int64(dd) * 86400 + Int64(secondOfDay) - o
        }
    }
}
