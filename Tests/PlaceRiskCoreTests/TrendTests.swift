import Testing
@testable import PlaceRiskCore

/// Reference numbers from pymannkendall 1.4.3 and scipy 1.17.1 (Python 3, venv):
/// ```
/// python3 -c "import numpy as np, pymannkendall as mk; r = mk.original_test(np.array(X, dtype=float)); print(r)"
/// python3 -c "from scipy.stats import poisson; print(poisson.sf(x - 1, mu), poisson.cdf(x, mu))"
/// ```
@Suite("Trend: Mann–Kendall and the latest-period Poisson change test")
struct TrendTests {
    private func close(_ a: Double, _ b: Double, rel: Double = 1e-12) -> Bool {
        abs(a - b) <= rel * max(1, abs(b))
    }

    /// X = [2.1, 3.4, 3.4, 5.0, 4.2, 6.8, 6.8, 6.8, 7.1, 9.0, 8.5, 10.2] (ties of 2 and 3):
    /// pymannkendall: s 58, var_s 208.0, z 3.9522388981047576, p 7.742338784710867e-05,
    /// Tau 0.8787878787878788, slope 0.6757142857142857, intercept 3.083571428571428, 'increasing'.
    @Test func mannKendallWithTiesMatchesPymannkendall() {
        let r = MannKendall.test([2.1, 3.4, 3.4, 5.0, 4.2, 6.8, 6.8, 6.8, 7.1, 9.0, 8.5, 10.2])
        #expect(r.n == 12 && r.s == 58)
        #expect(r.varianceS == 208.0)
        #expect(close(r.z, 3.9522388981047576))
        #expect(close(r.p, 7.742338784710867e-05, rel: 1e-9))
        #expect(close(r.tau, 0.8787878787878788))
        #expect(close(r.senSlope, 0.6757142857142857))
        #expect(close(r.intercept, 3.083571428571428))
        #expect(r.direction() == .increasing)
    }

    /// X = [31, 28, 30, 25, 22, 24, 19, 18, 20, 15, 14, 12, 13, 9]: s −81, var_s 333.6666666666667,
    /// z −4.3795912116108715, p 1.189021462355555e-05, Tau −0.8901098901098901, slope −1.5833333333333333,
    /// intercept 29.791666666666664, 'decreasing'.
    @Test func mannKendallDecreasingMatchesPymannkendall() {
        let r = MannKendall.test([31, 28, 30, 25, 22, 24, 19, 18, 20, 15, 14, 12, 13, 9])
        #expect(r.s == -81)
        #expect(close(r.varianceS, 333.6666666666667))
        #expect(close(r.z, -4.3795912116108715))
        #expect(close(r.p, 1.189021462355555e-05, rel: 1e-9))
        #expect(close(r.tau, -0.8901098901098901))
        #expect(close(r.senSlope, -1.5833333333333333))
        #expect(close(r.intercept, 29.791666666666664))
        #expect(r.direction() == .decreasing)
    }

    /// X = [5, 7, 4, 6, 5, 8, 3, 6, 5, 7, 4, 7]: s 4, var_s 203.33333333333334, z 0.210386061995483,
    /// p 0.8333663701405813, slope 0.0, intercept 5.5, 'no trend'; and a series with S = 0 (p = 1, z = 0).
    @Test func mannKendallNoTrendMatchesPymannkendall() {
        let r = MannKendall.test([5, 7, 4, 6, 5, 8, 3, 6, 5, 7, 4, 7])
        #expect(r.s == 4 && close(r.varianceS, 203.33333333333334))
        #expect(close(r.z, 0.210386061995483) && close(r.p, 0.8333663701405813, rel: 1e-9))
        #expect(r.senSlope == 0 && r.intercept == 5.5 && r.direction() == .noTrend)
        let zero = MannKendall.test([5, 7, 4, 6, 5, 8, 3, 6, 5, 7, 4, 6])
        #expect(zero.s == 0 && zero.z == 0 && zero.p == 1)
    }

    /// NaN entries are skipped for S and Var(S); Sen's slope keeps the original positions.
    /// X = [1, nan, 2.5, 2, nan, 3.5, 3, 4.5]: s 11, var_s 28.333333333333332, z 1.8786728732554487,
    /// p 0.060289173990602185, Tau 0.7333333333333333, slope 0.4, intercept 1.15 — no trend at 5 %, a
    /// trend at 10 %.
    @Test func mannKendallSkipsMissingValuesAsPymannkendall() {
        let r = MannKendall.test([1.0, .nan, 2.5, 2.0, .nan, 3.5, 3.0, 4.5])
        #expect(r.n == 6 && r.s == 11 && close(r.varianceS, 28.333333333333332))
        #expect(close(r.z, 1.8786728732554487) && close(r.p, 0.060289173990602185, rel: 1e-10))
        #expect(close(r.tau, 0.7333333333333333))
        #expect(close(r.senSlope, 0.4) && close(r.intercept, 1.15))
        #expect(r.direction(alpha: 0.05) == .noTrend && r.direction(alpha: 0.10) == .increasing)
    }

    /// scipy.stats.poisson: sf(13, 6.5) = 0.007100183725718178, cdf(14, 6.5) = 0.9970442434097065;
    /// sf(0, 9.25) = 0.9999038883479386, cdf(1, 9.25) = 0.000985144433629296; cdf(0, 3) = 0.04978706836786395;
    /// sf(6, 7) = 0.5502889441513008, cdf(7, 7) = 0.5987138355230368; sf(39, 22.75) = 0.0006688916358062246,
    /// cdf(40, 22.75) = 0.9996383015007502; sf(2, 0.4) = 0.007926331867253838, cdf(3, 0.4) = 0.999223748623793.
    @Test func poissonTailsMatchScipy() {
        let cases: [(Int, Double, Double, Double)] = [
            (14, 6.5, 0.007100183725718178, 0.9970442434097065),
            (1, 9.25, 0.9999038883479386, 0.000985144433629296),
            (0, 3.0, 1.0, 0.04978706836786395),
            (7, 7.0, 0.5502889441513008, 0.5987138355230368),
            (40, 22.75, 0.0006688916358062246, 0.9996383015007502),
            (3, 0.4, 0.007926331867253838, 0.999223748623793),
        ]
        for (x, mu, upper, lower) in cases {
            let r = ChangeTest.test(observed: x, expected: mu)
            #expect(close(r.pUpper, upper, rel: 1e-12), "upper tail x=\(x) mu=\(mu)")
            #expect(close(r.pLower, lower, rel: 1e-12), "lower tail x=\(x) mu=\(mu)")
        }
    }

    /// Latest month 14 against the previous four (5, 8, 6, 7: mean 6.5): ratio 14/6.5, one-sided
    /// p = sf(13, 6.5), two-sided = 2 × that, direction increase. A drop to 1 against mean 9.25 is a
    /// decrease with p = cdf(1, 9.25). Older values outside the window are ignored.
    @Test func latestPeriodAgainstTrailingMean() {
        let up = ChangeTest.latest([100, 5, 8, 6, 7, 14], baselinePeriods: 4)
        #expect(up.expected == 6.5 && up.baselinePeriods == 4 && up.observed == 14)
        #expect(close(up.ratio, 14 / 6.5) && up.direction == .increase)
        #expect(close(up.pDirectional, 0.007100183725718178) && close(up.pTwoSided, 2 * 0.007100183725718178))
        let down = ChangeTest.latest([9, 10, 8, 10, 1], baselinePeriods: 4)
        #expect(down.direction == .decrease && close(down.pDirectional, 0.000985144433629296))
        let same = ChangeTest.latest([7, 7, 7], baselinePeriods: 2)
        #expect(same.direction == .noChange && same.ratio == 1 && same.pTwoSided == 1)
    }

    /// A zero baseline: any count is an (infinitely large) increase with p = 0; zero against zero is
    /// no change with p = 1 and an undefined ratio.
    @Test func zeroBaselineEdgeCases() {
        let up = ChangeTest.test(observed: 2, expected: 0)
        #expect(up.ratio == .infinity && up.pUpper == 0 && up.pLower == 1 && up.pTwoSided == 0)
        let none = ChangeTest.test(observed: 0, expected: 0)
        #expect(none.ratio.isNaN && none.pUpper == 1 && none.pLower == 1 && none.direction == .noChange)
    }
}
