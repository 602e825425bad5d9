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
