import Testing
@testable import PlaceRiskCore

/// UTC seconds of a UK local reading.
private func local(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ mi: Int = 0) -> Int64 {
    UKLocalTime.utc(date: CivilDate(year: y, month: m, day: d)!, secondOfDay: h * 3600 + mi * 60)
}

@Suite("Aoristic hour-of-week table")
struct AoristicTests {
    /// Hand calculation: a burglary known only between Friday 22:30 and Saturday 01:30 (3 hours) puts
    /// 0.5/3 on Fri 22, 1/3 on Fri 23 and Sat 00, 0.5/3 on Sat 01; a point time at Wed 14:10 puts 1 on Wed 14.
    @Test func aWindowSpreadsByTheShareOfEachHourItCovers() {
        var t = HourWeekTable()
        // 2024-01-05 is a Friday (ISO weekday 4).
        let s = [local(2024, 1, 5, 22, 30), local(2024, 1, 3, 14, 10)]
        let e = [local(2024, 1, 6, 1, 30), local(2024, 1, 3, 14, 10)]
        Aoristic.add(start: s, end: e, weight: [1, 1], into: &t)
        #expect(abs(t.cells[22][4] - 1.0 / 6) < 1e-12 && abs(t.cells[23][4] - 1.0 / 3) < 1e-12)
        #expect(abs(t.cells[0][5] - 1.0 / 3) < 1e-12 && abs(t.cells[1][5] - 1.0 / 6) < 1e-12)
        #expect(t.cells[14][2] == 1)
        #expect(abs(t.total - 2) < 1e-12)
        // Night-time economy (Fri–Sat 20:00–04:00): the whole burglary, not the Wednesday one: 1/2.
        #expect(abs(t.share(NightTimeEconomy()) - 0.5) < 1e-12)
        // Weekend (Sat–Sun): the burglary's Saturday half-hour shares, 1/3 + 1/6 = 0.5 of 2 incidents.
        #expect(abs(t.weekendShare - 0.25) < 1e-12)
    }

    /// No weights (nil) is every weight 1: the same bits as the table from a column of ones, with and
    /// without a row list and bank holidays, for the hour-of-week table and the school-hours split.
    @Test func noWeightsIsEveryWeightOne() {
        let s = [local(2024, 1, 5, 22, 30), local(2024, 1, 3, 14, 10), local(2024, 12, 25, 9), local(2024, 3, 31, 0)]
        let e = [local(2024, 1, 6, 1, 30), local(2024, 1, 3, 14, 10), local(2024, 12, 25, 9), local(2024, 4, 1, 0)]
        let ones = [Double](repeating: 1, count: s.count), holidays = BankHolidays.days(years: 2024 ... 2024)
        for rows in [nil, [3, 0, 2]] as [[Int]?] {
            var a = HourWeekTable(), b = HourWeekTable()
            Aoristic.add(start: s, end: e, weight: nil, rows: rows, holidays: holidays, into: &a)
            Aoristic.add(start: s, end: e, weight: ones, rows: rows, holidays: holidays, into: &b)
            #expect(a.cells.joined().map(\.bitPattern) == b.cells.joined().map(\.bitPattern))
            #expect(a.bankHoliday == b.bankHoliday && a.bankHolidayEve == b.bankHolidayEve && a.incidents == b.incidents)
            #expect(abs(a.total - Double(rows?.count ?? s.count)) < 1e-12)
            let cal = SchoolCalendar(holidays: holidays, termDays: nil)
            var p = SchoolHoursSplit(), q = SchoolHoursSplit()
            p.add(start: s, end: e, weight: nil, rows: rows ?? Array(s.indices), calendar: cal)
            q.add(start: s, end: e, weight: ones, rows: rows ?? Array(s.indices), calendar: cal)
            #expect(p.schoolHours == q.schoolHours && p.afterSchool == q.afterSchool && p.otherTimes == q.otherTimes && p.incidents == q.incidents)
        }
    }

    /// A whole day across the spring clock change has 23 local hours, each 1/23 (hour 1 is skipped:
    /// 01:00–02:00 local does not exist on 31 March 2024); the autumn day has 25 (hour 1 twice: 2/25).
    @Test func wholeDaysAcrossClockChangesCoverTheirLocalHours() {
        var t = HourWeekTable()
        Aoristic.add(start: [local(2024, 3, 31, 0)], end: [local(2024, 4, 1, 0)], weight: [1], into: &t)
        #expect(t.cells[1][6] == 0 && abs(t.cells[0][6] - 1.0 / 23) < 1e-12 && abs(t.cells[2][6] - 1.0 / 23) < 1e-12)
        var u = HourWeekTable()
        Aoristic.add(start: [local(2024, 10, 27, 0)], end: [local(2024, 10, 28, 0)], weight: [1], into: &u)
        #expect(abs(u.cells[1][6] - 2.0 / 25) < 1e-12 && abs(u.cells[5][6] - 1.0 / 25) < 1e-12)
        #expect(abs(u.total - 1) < 1e-12)
    }

    /// Bank holiday and eve weights: Christmas Day 2024 (Wednesday) at 21:00 and 24 December at 21:00.
    @Test func bankHolidayAndEveShares() {
        var t = HourWeekTable()
        Aoristic.add(start: [local(2024, 12, 25, 21), local(2024, 12, 24, 21), local(2024, 12, 20, 21)],
                     end: [local(2024, 12, 25, 21), local(2024, 12, 24, 21), local(2024, 12, 20, 21)],
                     weight: [1, 1, 1], holidays: BankHolidays.days(years: 2024 ... 2024), into: &t)
        #expect(t.bankHoliday == 1 && t.bankHolidayEve == 1)
    }

    /// The table of random windows sums to the number of incidents; every window over two weeks spreads evenly.
    @Test func theTableSumsToTheIncidents() {
        var g = SeededGenerator(seed: 11)
        var s: [Int64] = [], e: [Int64] = []
        for _ in 0 ..< 500 {
            let a = Int64(1_700_000_000 + Int(g.next() % 30_000_000))
            s.append(a); e.append(a + Int64(g.next() % 2_000_000))
        }
        var t = HourWeekTable()
        Aoristic.add(start: s, end: e, weight: [Double](repeating: 1, count: 500), into: &t)
        #expect(abs(t.total - 500) < 1e-9 && t.incidents == 500)
        var w = HourWeekTable()
        Aoristic.add(start: [local(2024, 1, 1, 0)], end: [local(2024, 1, 15, 0)], weight: [168], into: &w)
        #expect(w.cells.joined().allSatisfy { abs($0 - 1) < 1e-12 })
    }

    /// The two-pass `add` (point times' cells found on all cores, the additions in row order) against the
    /// one-pass definition it replaced (`onePass`, below): the same bits in every cell and share, for
    /// 200,000 rows of point times and windows (minutes to weeks, clock-change days, bank holidays and
    /// eves), with and without a row list, with weights, on top of a table that already holds values.
    @Test func twoPassesGiveTheOnePassDefinitionsBits() {
        var g = SeededGenerator(seed: 20261202)
        var s: [Int64] = [], e: [Int64] = [], w: [Double] = []
        let base = Int64(CivilDate(year: 2022, month: 1, day: 1)!.days) * 86400
        for k in 0 ..< 200_000 {
            // Every 50th row a clock-change Sunday of 2023 or 2024, at any second.
            let day: Int64 = k % 50 == 0 ? [Int64(CivilDate(year: 2023, month: 3, day: 26)!.days), Int64(CivilDate(year: 2024, month: 10, day: 27)!.days)][k % 100 == 0 ? 0 : 1] * 86400
                : base + Int64(g.next() % (3 * 366)) * 86400
            let a = day + Int64(g.next() % 86400)
            s.append(a)
            switch g.next() % 10 {
            case 0: e.append(a + Int64(g.next() % 600))                 // minutes
            case 1: e.append(a + Int64(g.next() % (3 * 86400)))        // hours to days
            case 2: e.append(a + Int64(g.next() % (20 * 86400)))       // over whole weeks
            default: e.append(a)                                      // point times
            }
            w.append(k % 7 == 0 ? Double(g.next() % 1000) / 7 : 1)
        }
        let holidays = BankHolidays.days(years: 2021 ... 2026)
        let rows = (0 ..< s.count).filter { $0 % 3 != 1 }.reversed().map { $0 }
        for (list, hol) in [(nil, holidays), (rows, holidays), (nil, Set<Int>()), (Optional(rows), Set<Int>())] {
            var start = HourWeekTable()
            start.cells[3][2] = 0.1; start.cells[20][4] = 7; start.bankHoliday = 0.3; start.incidents = 5
            var fast = start, slow = start
            Aoristic.add(start: s, end: e, weight: w, rows: list, holidays: hol, into: &fast)
            Self.onePass(start: s, end: e, weight: w, rows: list, holidays: hol, into: &slow)
            #expect(fast.cells.joined().map(\.bitPattern) == slow.cells.joined().map(\.bitPattern))
            #expect(fast.bankHoliday.bitPattern == slow.bankHoliday.bitPattern && fast.bankHolidayEve.bitPattern == slow.bankHolidayEve.bitPattern)
            #expect(fast.incidents == slow.incidents && fast.incidents == 5 + (list?.count ?? s.count))
            #expect(!hol.isEmpty ? fast.bankHoliday > 0.3 && fast.bankHolidayEve > 0 : fast.bankHoliday == 0.3)
        }
    }

    /// The one-pass definition (the previous `Aoristic.add`, kept here as the oracle).
    /// Adds incidents `rows` (all when nil) of windows [start, end) in UTC seconds to `table`.
    static func onePass(start: [Int64], end: [Int64], weight: [Double], rows: [Int]? = nil,
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
