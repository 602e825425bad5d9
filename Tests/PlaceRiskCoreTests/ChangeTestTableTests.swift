import Testing
@testable import PlaceRiskCore

/// The change test per unit with BH across units. Reference values from scipy 1.17.1
/// (`/tmp/peers-venv`, the peers' environment):
/// ```
/// python3 -c "from scipy.stats import poisson, false_discovery_control as f
/// print(poisson.sf(8, 2.0), poisson.sf(7, 1.0), poisson.cdf(0, 1.0))
/// print(f([0.0004748946565223234, 2.049839334928338e-05, 0.7357588823428849], method='bh'))"
/// ```
/// → sf(8, 2) = 0.0002374473282611617, sf(7, 1) = 1.024919667464169e-05, cdf(0, 1) = 0.36787944117144245;
/// BH q = [0.000712341984783485, 6.149518004785014e-05, 0.7357588823428849].
@Suite("Change tests per unit (Poisson + Benjamini–Hochberg)")
struct ChangeTestTableTests {
    private func close(_ a: Double, _ b: Double, rel: Double = 1e-12) -> Bool { abs(a - b) <= rel * max(1e-300, abs(b)) }

    /// Three units × four months, so the baseline is k = min(12, 4 − 1) = 3 months:
    /// ```
    /// u0: 2, 2, 2 | 9   μ = 2, ratio 4.5, increase
    ///     P(X ≥ 9 | 2) = 1 − e⁻²·Σ_{x=0}^{8} 2ˣ/x! = 1 − 0.1353352832 × 7.3873015873 = 2.3745e-4
    ///     two-sided p = 2 × 2.3745e-4 = 4.7489e-4
    /// u1: 1, 1, 1 | 8   μ = 1, ratio 8, increase
    ///     P(X ≥ 8 | 1) = 1 − e⁻¹·Σ_{x=0}^{7} 1/x! = 1 − 0.3678794412 × 2.7182539683 = 1.0249e-5
    ///     two-sided p = 2.0498e-5
    /// u2: 1, 0, 2 | 0   μ = 1, ratio 0, decrease
    ///     P(X ≤ 0 | 1) = e⁻¹ = 0.3678794412,  two-sided p = 0.7357588823
    /// BH, m = 3, p sorted u1 < u0 < u2:
    ///     q(u2) = 3/3 × 0.73576 = 0.73576
    ///     q(u0) = min(0.73576, 3/2 × 4.7489e-4) = 7.1234e-4
    ///     q(u1) = min(7.1234e-4, 3/1 × 2.0498e-5) = 6.1495e-5
    /// flagged at FDR 0.05: u0 and u1; by ratio, u1 (8) before u0 (4.5)
    /// ```
    @Test func threeUnitsByHandAndScipy() {
        let counts: [Double] = [2, 2, 2, 9,
                                1, 1, 1, 8,
                                1, 0, 2, 0]
        let t = ChangeTestTable(counts: counts, units: 3, periods: 4, fdr: 0.05)
        #expect(t.baselinePeriods == 3 && t.unitCount == 3 && t.periodCount == 4)
        let r = t.results
        #expect(r.map(\.observed) == [9, 8, 0] && r.map(\.expected) == [2, 1, 1])
        #expect(r.map(\.ratio) == [4.5, 8, 0] && r.map(\.direction) == [.increase, .increase, .decrease])
        #expect(close(r[0].pUpper, 0.0002374473282611617, rel: 1e-10))
        #expect(close(r[0].pTwoSided, 2 * 0.0002374473282611617, rel: 1e-10))
        #expect(close(r[1].pUpper, 1.024919667464169e-05, rel: 1e-10))
        #expect(close(r[1].pTwoSided, 2 * 1.024919667464169e-05, rel: 1e-10))
        #expect(close(r[2].pLower, 0.36787944117144245) && r[2].pUpper == 1)
        #expect(close(r[2].pTwoSided, 0.7357588823428849))
        #expect(close(t.q[0], 0.000712341984783485, rel: 1e-10))
        #expect(close(t.q[1], 6.149518004785014e-05, rel: 1e-10))
        #expect(close(t.q[2], 0.7357588823428849))
        #expect(t.flagged == [1, 0])
        // At FDR 1e-4 only u1 (q 6.1e-5) passes; an explicit baseline of 1 month tests against the last month only.
        #expect(ChangeTestTable(counts: counts, units: 3, periods: 4, fdr: 1e-4).flagged == [1])
        let one = ChangeTestTable(counts: counts, units: 3, periods: 4, baselinePeriods: 1, fdr: 0.05)
        #expect(one.baselinePeriods == 1 && one.results.map(\.expected) == [2, 1, 2])   // x_{T−2}: 2, 1, 2
    }

    /// The flagged order: ratio descending, +∞ (a zero baseline) first, equal ratios by unit index.
    /// ```
    /// u0: 0, 0 | 5   μ = 0 → ratio +∞, p = 0
    /// u1: 2, 2 | 12  μ = 2 → ratio 6,  p = 2·sf(11, 2) ≈ 2e-6
    /// u2: 3, 3 | 18  μ = 3 → ratio 6,  p = 2·sf(17, 3) ≈ 1e-8
    /// u3: 4, 4 | 4   μ = 4 → no change, p = 1
    /// ```
    /// All of u0…u2 pass at FDR 0.05 (q ≤ 4/3 × 2e-6); u1 and u2 tie at ratio 6 → index order.
    @Test func flaggedOrderWithTiesAndZeroBaseline() {
        let t = ChangeTestTable(counts: [0, 0, 5, 2, 2, 12, 3, 3, 18, 4, 4, 4], units: 4, periods: 3, fdr: 0.05)
        #expect(t.baselinePeriods == 2)
        #expect(t.results[0].ratio == .infinity && t.results[0].pTwoSided == 0)
        #expect(t.results[3].direction == .noChange && t.results[3].pTwoSided == 1 && t.q[3] == 1)
        #expect(t.flagged == [0, 1, 2])
    }

    /// No units: empty results; the series is tested per unit exactly as `ChangeTest.latest`.
    @Test func emptyAndAgreesWithChangeTest() {
        let e = ChangeTestTable(counts: [], units: 0, periods: 5, fdr: 0.05)
        #expect(e.results.isEmpty && e.q.isEmpty && e.flagged.isEmpty && e.baselinePeriods == 4)
        let series = [3, 5, 4, 6, 2, 7, 5, 4, 6, 5, 3, 4, 8, 15]
        let t = ChangeTestTable(counts: series.map(Double.init), units: 1, periods: series.count, fdr: 0.05)
        #expect(t.baselinePeriods == 12 && t.results[0] == ChangeTest.latest(series, baselinePeriods: 12))
    }
}
