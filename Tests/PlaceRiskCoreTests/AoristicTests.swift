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
}
