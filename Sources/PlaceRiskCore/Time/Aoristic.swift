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
    /// Rows per worker from which the point times' cells are found on all cores.
    static let parallelGrain = 1 << 15

    /// Adds incidents `rows` (all when nil) of windows [start, end) in UTC seconds (`end` nil: every row
    /// a point time, end = start), weighing `weight` (nil: each weighs 1), to `table`.
    ///
    /// Two passes, with the additions of the one-pass definition in its order (so the same bits, whatever
    /// the number of cores; `AoristicTests` checks the result against that definition):
    /// 1. on all cores, each point time's cell (local hour × weekday, `UKClockDays`) and its bank-holiday
    ///    flag (a holiday, the eve of one, neither); windows are marked for the second pass;
    /// 2. in row order, each point time's weight added to its cell (and to the holiday or eve share), each
    ///    window spread over its hours.
    public static func add(start: [Int64], end: [Int64]?, weight: [Double]?, rows: [Int]? = nil,
                           holidays: Set<Int> = [], into table: inout HourWeekTable) {
        precondition((end == nil || start.count == end!.count) && (weight == nil || start.count == weight!.count), "Aoristic.add: arrays of different lengths")
        let all = rows == nil, rowList = rows ?? [], n = all ? start.count : rowList.count, count = start.count
        let hasHolidays = !holidays.isEmpty
        // Pass 1: cell[k] = hour · 7 + weekday of the k-th row's point time (`window`: a window);
        // flag[k] = 1 on a bank holiday, 2 on an eve, 0 otherwise.
        let window: UInt8 = 255
        let cell = UnsafeMutablePointer<UInt8>.allocate(capacity: max(n, 1))
        let flag = UnsafeMutablePointer<UInt8>.allocate(capacity: hasHolidays ? max(n, 1) : 1)
        defer { cell.deallocate(); flag.deallocate() }
        let windows = end != nil
        start.withUnsafeBufferPointer { sp in
            (end ?? []).withUnsafeBufferPointer { ep in
                rowList.withUnsafeBufferPointer { rp in
                    let ctx = UncheckedSendable((sp, ep, rp, cell, flag))
                    Parallel.forEachSlice(count: n, workers: Parallel.workerCount(items: n, grain: parallelGrain)) { _, range in
                        let (sp, ep, rp, cell, flag) = ctx.value
                        var clock = UKClockDays(), days = HolidayDays(holidays)
                        for k in range {
                            let i = all ? k : rp[k]
                            precondition(i >= 0 && i < count, "Aoristic.add: row \(i) out of range")
                            let t0 = sp[i]
                            if windows, ep[i] != t0 { cell[k] = window; continue }
                            let c = clock.components(utc: t0)
                            cell[k] = UInt8(truncatingIfNeeded: c.hour * 7 + c.weekday)
                            if hasHolidays { flag[k] = days.flag(c.days) }
                        }
                    }
                }
            }
        }
        // Pass 2: the additions, in row order, in a flat 24 × 7 buffer started from the table and written back.
        var flat = [Double](repeating: 0, count: 168)
        for h in 0 ..< 24 { for d in 0 ..< 7 { flat[h * 7 + d] = table.cells[h][d] } }
        var bankHoliday = table.bankHoliday, bankHolidayEve = table.bankHolidayEve, incidents = table.incidents
        var clock = UKClockDays()
        flat.withUnsafeMutableBufferPointer { cells in
            func add(_ t: Int64, _ w: Double) {
                let c = clock.components(utc: t)
                cells[c.hour * 7 + c.weekday] += w
                if hasHolidays {
                    if holidays.contains(c.days) { bankHoliday += w } else if holidays.contains(c.days + 1) { bankHolidayEve += w }
                }
            }
            for k in 0 ..< n {
                let i = all ? k : rowList[k]
                let w = weight?[i] ?? 1
                incidents += 1
                let c = cell[k]
                if c != window {
                    cells[Int(c)] += w
                    if hasHolidays { if flag[k] == 1 { bankHoliday += w } else if flag[k] == 2 { bankHolidayEve += w } }
                    continue
                }
                let t0 = start[i], t1 = end![i]
                precondition(t1 >= t0, "Aoristic.add: a window ends before it starts (row \(i))")
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
        }
        for h in 0 ..< 24 { for d in 0 ..< 7 { table.cells[h][d] = flat[h * 7 + d] } }
        table.bankHoliday = bankHoliday
        table.bankHolidayEve = bankHolidayEve
        table.incidents = incidents
    }
}

/// `Aoristic.add`'s bank-holiday flag of a local day — 1 a holiday, 2 the eve of one (and not a holiday
/// itself), 0 neither — from a table of `span` days centred on the first day asked about (each day's two
/// `Set` lookups once); days outside it are looked up every time.
private struct HolidayDays {
    static let span = 16 * 366
    let holidays: Set<Int>
    private var base = Int.min
    /// Per day from `base`: the flag + 1 (0: not looked up yet).
    private var known: [UInt8]

    init(_ holidays: Set<Int>) {
        self.holidays = holidays
        known = holidays.isEmpty ? [] : [UInt8](repeating: 0, count: Self.span)
    }

    @inline(__always)
    mutating func flag(_ day: Int) -> UInt8 {
        if base == .min { base = day - Self.span / 2 }
        let k = day &- base
        guard k >= 0, k < Self.span else { return lookUp(day) }
        let v = known[k]
        if v != 0 { return v - 1 }
        let f = lookUp(day)
        known[k] = f + 1
        return f
    }

    func lookUp(_ day: Int) -> UInt8 { holidays.contains(day) ? 1 : holidays.contains(day + 1) ? 2 : 0 }
}

