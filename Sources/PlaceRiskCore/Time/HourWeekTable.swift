/// The night-time economy's hours: from `fromHour` on each of `days` until `toHour` the next morning
/// (default Friday and Saturday 20:00–04:00, i.e. Fri 20:00–Sat 04:00 and Sat 20:00–Sun 04:00).
public struct NightTimeEconomy: Sendable, Equatable {
    /// ISO weekdays (0 = Monday … 6 = Sunday) on which the night starts.
    public let days: Set<Int>
    public let fromHour: Int
    public let toHour: Int

    public init(days: Set<Int> = [4, 5], fromHour: Int = 20, toHour: Int = 4) {
        precondition(days.allSatisfy { (0 ... 6).contains($0) }, "NightTimeEconomy: weekdays are 0 (Monday) … 6 (Sunday)")
        precondition((0 ... 23).contains(fromHour) && (0 ... 24).contains(toHour), "NightTimeEconomy: hours are 0 … 23")
        self.days = days
        self.fromHour = fromHour
        self.toHour = toHour
    }

    /// Whether the local hour `hour` of weekday `weekday` is in the night-time economy.
    public func contains(hour: Int, weekday: Int) -> Bool {
        if fromHour < toHour { return days.contains(weekday) && hour >= fromHour && hour < toHour }
        return (days.contains(weekday) && hour >= fromHour) || (days.contains((weekday + 6) % 7) && hour < toHour)
    }
}

/// Hour-of-day × day-of-week weights (24 × 7) on the UK local clock, with its shares.
public struct HourWeekTable: Sendable, Equatable {
    /// `cells[hour][weekday]`, weekday 0 = Monday … 6 = Sunday.
    public var cells: [[Double]]
    /// Weight falling on bank holidays of England and Wales, and on their eves (the day before).
    public var bankHoliday: Double
    public var bankHolidayEve: Double
    /// Incidents (rows) in the table; with weights of 1 the cells sum to it.
    public var incidents: Int

    public init() {
        cells = [[Double]](repeating: [Double](repeating: 0, count: 7), count: 24)
        bankHoliday = 0
        bankHolidayEve = 0
        incidents = 0
    }

    public var total: Double { cells.joined().reduce(0, +) }

    /// Share of the weight in the night-time economy's hours.
    public func share(_ nte: NightTimeEconomy) -> Double {
        var s = 0.0
        for h in 0 ..< 24 { for d in 0 ..< 7 where nte.contains(hour: h, weekday: d) { s += cells[h][d] } }
        return total > 0 ? s / total : .nan
    }

    /// Share of the weight on Saturdays and Sundays (00:00–24:00 local).
    public var weekendShare: Double {
        var s = 0.0
        for h in 0 ..< 24 { s += cells[h][5] + cells[h][6] }
        return total > 0 ? s / total : .nan
    }
}

/// Aoristic hour-of-week counts (Ratcliffe 2002, "Aoristic signatures and the spatio-temporal analysis
/// of high volume crime patterns", J. Quantitative Criminology 18(1), 23–43; conventions §11): an
/// incident known only within [t₀, t₁) spreads its weight w over the clock hours it overlaps,
/// ```
/// w_h = w · |[t₀, t₁) ∩ hour h| / (t₁ − t₀)
/// ```
/// and a point time (t₁ = t₀) puts w on its hour. Hours are UK local clock hours (a window across a
/// clock change covers 23 or 25 local hours of its day), so the table sums to Σ w.
///
/// Complexity: O(Σ hours covered); a window is capped at 366 days (longer ones spread uniformly
/// over whole weeks first, exact in distribution).
public enum Aoristic {
    /// Adds incidents `rows` (all when nil) of windows [start, end) in UTC seconds to `table`.
    public static func add(start: [Int64], end: [Int64], weight: [Double], rows: [Int]? = nil,
                           holidays: Set<Int> = [], into table: inout HourWeekTable) {
        precondition(start.count == end.count && start.count == weight.count, "Aoristic.add: arrays of different lengths")
        // The cells are summed in a flat 24 × 7 buffer that starts from the table's values and is written back
        // at the end: the same additions in the same order as into `cells` itself (the same bits), without
        // the nested arrays' uniqueness checks on every addition.
        var flat = [Double](repeating: 0, count: 168)
        for h in 0 ..< 24 { for d in 0 ..< 7 { flat[h * 7 + d] = table.cells[h][d] } }
        var bankHoliday = table.bankHoliday, bankHolidayEve = table.bankHolidayEve, incidents = table.incidents
        flat.withUnsafeMutableBufferPointer { cells in
            func add(_ t: Int64, _ w: Double) {
                let c = UKLocalTime.components(utc: t)
                cells[c.hour * 7 + c.weekday] += w
                if !holidays.isEmpty {
                    if holidays.contains(c.days) { bankHoliday += w } else if holidays.contains(c.days + 1) { bankHolidayEve += w }
                }
            }
            func one(_ i: Int) {
                let t0 = start[i], t1 = end[i], w = weight[i]
                incidents += 1
                precondition(t1 >= t0, "Aoristic.add: a window ends before it starts (row \(i))")
                if t1 == t0 { add(t0, w); return }
                var a = t0
                let length = Double(t1 - t0)
                // Whole weeks spread uniformly over the 168 hours of the week.
                let week: Int64 = 7 * 86400
                let weeks = (t1 - t0) / week
                if weeks > 0 {
                    let share = w * Double(weeks * week) / length
                    for h in 0 ..< 24 { for d in 0 ..< 7 { cells[h * 7 + d] += share / 168 } }
                    a += weeks * week
                    // Holidays within whole weeks are left out of the holiday shares' numerator (windows of
                    // a week or more say nothing about a particular day).
                }
                var slot = (a >= 0 ? a / 3600 : (a - 3599) / 3600) * 3600
                while slot < t1 {
                    let lo = max(a, slot), hi = min(t1, slot + 3600)
                    if hi > lo { add(slot, w * Double(hi - lo) / length) }
                    slot += 3600
                }
            }
            if let rows { for i in rows { one(i) } } else { for i in start.indices { one(i) } }
        }
        for h in 0 ..< 24 { for d in 0 ..< 7 { table.cells[h][d] = flat[h * 7 + d] } }
        table.bankHoliday = bankHoliday
        table.bankHolidayEve = bankHolidayEve
        table.incidents = incidents
    }
}
