import Testing
@testable import PlaceRiskCore

/// References: scipy 1.17.1 `scipy.stats.binomtest(k, n, p).pvalue` (two-sided), computed in /tmp.
@Suite("Place change")
struct PlaceChangeTests {
    static let scipy: [(k: Int, n: Int, p0: Double, p: Double)] = [
        (60, 100, 0.5, 0.05688793364098089),
        (3300, 6200, 0.5, 3.999357039007314e-07),
        (7, 30, 0.4, 0.06476399510651554),
        (12, 20, 0.3, 0.005936084198097523),
        (0, 5, 0.5, 0.0625),
        (10, 20, 0.5, 1.0),
    ]

    /// The C-test p equals scipy.stats.binomtest to 1e-9 relative, below and above n·p₀, p₀ ≠ ½ included.
    @Test func conditionalTestMatchesScipyBinomtest() {
        for c in Self.scipy {
            let p = PoissonRatioTest.pValue(c.k, c.n - c.k, p0: c.p0)
            #expect(abs(p - c.p) <= 1e-9 * c.p, "binomtest(\(c.k), \(c.n), \(c.p0)): \(p) vs \(c.p)")
        }
    }

    /// 23 months → window 11 (months 1–11 against 12–22; month 0 unused). Units (latest, previous):
    /// (60, 40), (3300, 2900), (10, 10), (0, 5), p from scipy above: 0.0569, 4.0e-7, 1, 0.0625.
    /// BH, m = 4: sorted 4.0e-7, 0.0569, 0.0625, 1 → q = 4·4.0e-7 = 1.5997e-6; min(2·0.0569, 4/3·0.0625)
    /// = 0.08333; 4/3·0.0625 = 0.08333; 1. Only unit 1 has q ≤ 0.05.
    @Test func twentyThreeMonthsCompareElevenAgainstElevenWithBHAcrossUnits() {
        let T = 23
        var counts = [Double](repeating: 0, count: 4 * T)
        let windows: [(Double, Double)] = [(60, 40), (3300, 2900), (10, 10), (0, 5)]
        for (u, (latest, previous)) in windows.enumerated() {
            counts[u * T] = 999                // month 0: outside both windows
            counts[u * T + 1] = previous - 1   // months 1 … 11
            counts[u * T + 11] = 1
            counts[u * T + 22] = latest        // months 12 … 22
        }
        let table = PlaceChange(counts: counts, units: 4, periods: T)
        #expect(table.window == 11)
        #expect(table.results.map(\.latest) == [60, 3300, 10, 0])
        #expect(table.results.map(\.previous) == [40, 2900, 10, 5])
        #expect(abs(table.results[0].p - 0.05688793364098089) < 1e-12)
        #expect(abs(table.results[1].q - 4 * 3.999357039007314e-07) < 1e-15)
        #expect(abs(table.results[0].q - 4.0 / 3 * 0.0625) < 1e-12)
        #expect(abs(table.results[3].q - 4.0 / 3 * 0.0625) < 1e-12)
        #expect(table.results[2].q == 1)
        #expect(table.flagged == [1])
        #expect(table.results[0].percentChange == 50)
        #expect(table.results[3].direction == .decrease && table.results[2].direction == .noChange)
        #expect(PlaceChange.defaultWindow(periods: 36) == 12)
    }
}
