import Testing
@testable import PlaceRiskCore

@Suite("UK clock by day table")
struct UKClockDaysTests {
    /// Every quarter hour of 2023–2025 (both clock changes of each year, the spring gap and the autumn
    /// overlap included) read in order and backwards: the table's answer is `UKLocalTime.components`'.
    @Test func everyQuarterHourOf2023To2025MatchesUKLocalTime() {
        let from = Int64(CivilDate(year: 2023, month: 1, day: 1)!.days) * 86400
        let to = Int64(CivilDate(year: 2026, month: 1, day: 1)!.days) * 86400
        var forward = UKClockDays(), backward = UKClockDays()
        var bad = 0, t = from
        while t < to {
            if forward.components(utc: t) != UKLocalTime.components(utc: t) { bad += 1 }
            let u = to - 900 - (t - from)
            if backward.components(utc: u) != UKLocalTime.components(utc: u) { bad += 1 }
            t += 900
        }
        #expect(bad == 0)
    }

    /// Around each 2024 change (01:00 UTC on 31 March and 27 October), second by second for two hours:
    /// local hour 0 then 2 in spring (01:00 UTC = 02:00 BST), hour 1 twice in autumn.
    @Test func theChangeSecondsAreReadOnTheRightSide() {
        var c = UKClockDays()
        for (y, m, d) in [(2024, 3, 31), (2024, 10, 27)] {
            let change = Int64(CivilDate(year: y, month: m, day: d)!.days) * 86400 + 3600
            for t in change - 3600 ..< change + 3600 { #expect(c.components(utc: t) == UKLocalTime.components(utc: t)) }
        }
        let spring = Int64(CivilDate(year: 2024, month: 3, day: 31)!.days) * 86400 + 3600
        #expect(c.components(utc: spring - 1).hour == 0 && c.components(utc: spring).hour == 2)
        let autumn = Int64(CivilDate(year: 2024, month: 10, day: 27)!.days) * 86400 + 3600
        #expect(c.components(utc: autumn - 1).hour == 1 && c.components(utc: autumn).hour == 1)
    }

    /// Random instants over 1890–2210 (outside the table's 16 years and outside `UKLocalTime`'s cached
    /// years, before 1970 included), the first one far from the rest.
    @Test func randomInstantsOverThreeCenturiesMatchUKLocalTime() {
        var g = SeededGenerator(seed: 2027)
        var c = UKClockDays()
        let lo = Int64(CivilDate(year: 1890, month: 1, day: 1)!.days) * 86400
        let hi = Int64(CivilDate(year: 2210, month: 12, day: 31)!.days) * 86400
        var bad = 0
        for _ in 0 ..< 200_000 {
            let t = lo + Int64(g.next() % UInt64(hi - lo))
            if c.components(utc: t) != UKLocalTime.components(utc: t) { bad += 1 }
        }
        #expect(bad == 0)
    }
}
