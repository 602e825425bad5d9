import Testing
@testable import PlaceRiskCore

@Suite("District comparison")
struct DistrictComparisonTests {
    /// Two districts × 4 months. A: units a1 (decile 1, pop 1000, counts 1,1,2,2) and a2 (decile 10, pop
    /// 1000, counts 0,1,0,1); B: b1 (decile 5, pop 2000, counts 3,3,3,3). Hand arithmetic:
    /// A: 8 incidents, pop 2000 → 1000·8/2000·12/4 = 12 per 1,000 per year; windows months 0–1 (3) and
    /// 2–3 (5): change 5/3 − 1 = 0.6667; share 8/20 = 0.4; D1/D10 = (6/1000)/(2/1000) = 3.
    /// B: 12 incidents, pop 2000 → 18 per 1,000 per year; change 6/6 − 1 = 0; share 0.6; no D1/D10.
    @Test func ratesChangeShareAndGradientPerDistrict() throws {
        let counts: [Double] = [1, 1, 2, 2, 0, 1, 0, 1, 3, 3, 3, 3]
        let c = try DistrictComparison(counts: counts, months: 4, population: [1000, 1000, 2000], district: ["A", "A", "B"], decile: [1, 10, 5])
        #expect(c.earlierMonths == 0 ..< 2 && c.laterMonths == 2 ..< 4)
        let a = c.rows[0], b = c.rows[1]
        #expect(a.district == "A" && a.incidents == 8 && abs(a.ratePer1000PerYear - 12) < 1e-12)
        #expect(a.earlier == 3 && a.later == 5 && abs(a.change - 2.0 / 3.0) < 1e-12 && abs(a.shareOfForce - 0.4) < 1e-12)
        #expect(abs(a.d1d10!.ratio - 3) < 1e-12)
        // 95 % CI of the change: exp(ln(5/3) ± 1.959964·√(1/5 + 1/3)) − 1 (hand: √0.5333 = 0.730297).
        let se = (1.0 / 5 + 1.0 / 3).squareRoot()
        #expect(abs(a.changeLow - ((5.0 / 3) * exp(-1.959963984540054 * se) - 1)) < 1e-9)
        #expect(b.district == "B" && abs(b.ratePer1000PerYear - 18) < 1e-12 && b.change == 0 && b.d1d10 == nil)
    }

    /// An odd number of months compares the last ⌊T/2⌋ with the ⌊T/2⌋ before (the first month is left out).
    @Test func oddMonthsLeaveTheFirstMonthOut() throws {
        let c = try DistrictComparison(counts: [9, 1, 1, 2, 2], months: 5, population: [100], district: ["A"], decile: [0])
        #expect(c.earlierMonths == 1 ..< 3 && c.laterMonths == 3 ..< 5)
        #expect(c.rows[0].earlier == 2 && c.rows[0].later == 4 && c.rows[0].change == 1)
    }
}
