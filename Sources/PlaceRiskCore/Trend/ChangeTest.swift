
/// Direction of the latest period's count relative to its baseline.
public enum ChangeDirection: String, Sendable, CaseIterable {
    /// Observed above the baseline mean.
    case increase
    /// Observed below the baseline mean.
    case decrease
    /// Observed equal to the baseline mean.
    case noChange = "no change"
}

/// The latest period's count against the trailing mean of the previous k periods.
public struct ChangeTestResult: Sendable, Equatable {
    /// Count in the latest period.
    public let observed: Int
    /// Trailing mean of the previous k periods (the Poisson mean under H₀).
    public let expected: Double
    /// Number of baseline periods used.
    public let baselinePeriods: Int
    /// observed / expected (+∞ when expected = 0 < observed, NaN when both are 0).
    public let ratio: Double
    /// P(X ≥ observed | μ = expected): evidence of an increase.
    public let pUpper: Double
    /// P(X ≤ observed | μ = expected): evidence of a decrease.
    public let pLower: Double
    /// Two-sided p = min(1, 2·min(pUpper, pLower)) (the doubled smaller tail).
    public let pTwoSided: Double
    /// Sign of observed − expected.
    public let direction: ChangeDirection

    /// The one-sided p-value in the observed direction (pUpper for an increase, pLower for a
    /// decrease, 1 for no change). Valid only for a direction chosen in advance; otherwise report
    /// `pTwoSided`.
    public var pDirectional: Double {
        switch direction {
        case .increase: return pUpper
        case .decrease: return pLower
        case .noChange: return 1
        }
    }
}

/// An exact Poisson test of the latest period's count against the trailing mean of the previous
/// k periods ("is this month unusual for this place?"):
/// ```
/// μ = (x_{T−k} + … + x_{T−1}) / k,   X ~ Poisson(μ) under H₀
/// P(X ≥ x) = P(x, μ)        (regularised lower incomplete gamma; 1 when x = 0)
/// P(X ≤ x) = Q(x + 1, μ)    (regularised upper incomplete gamma)
/// ```
/// equal to `scipy.stats.poisson.sf(x − 1, μ)` and `poisson.cdf(x, μ)`.
///
/// Caveat (printed by reports): μ is treated as known. It is itself an estimate from k periods, so
/// the test is anti-conservative for small k; the conditional binomial test of two Poisson rates
/// (x_T | x_T + Σ baseline ~ Binomial(n, 1/(k+1))) accounts for that. With many places tested,
/// adjust with `MultipleTesting.benjaminiHochberg`.
///
/// Complexity: O(k) plus the incomplete gamma (O(√μ) terms).
public enum ChangeTest {
    /// Tests `series.last` against the mean of the `k` values before it.
    /// Preconditions: k ≥ 1, at least k + 1 values, all counts ≥ 0.
    public static func latest(_ series: [Int], baselinePeriods k: Int) -> ChangeTestResult {
        precondition(k >= 1, "ChangeTest: the baseline needs at least one period")
        precondition(series.count >= k + 1, "ChangeTest: needs k baseline periods plus the latest one")
        let baseline = series[(series.count - 1 - k) ..< (series.count - 1)]
        precondition(series.allSatisfy { $0 >= 0 }, "ChangeTest: counts must be non-negative")
        let mean = Double(baseline.reduce(0, +)) / Double(k)
        return test(observed: series[series.count - 1], expected: mean, baselinePeriods: k)
    }

    /// Tests one observed count against a Poisson mean (`baselinePeriods` is reported as 0).
    public static func test(observed x: Int, expected mu: Double) -> ChangeTestResult {
        test(observed: x, expected: mu, baselinePeriods: 0)
    }

    private static func test(observed x: Int, expected mu: Double, baselinePeriods k: Int) -> ChangeTestResult {
        precondition(x >= 0, "ChangeTest: the observed count must be non-negative")
        precondition(mu >= 0 && mu.isFinite, "ChangeTest: the expected count must be finite and non-negative")
        let upper = x == 0 ? 1.0 : (mu == 0 ? 0.0 : Distributions.regularizedGammaP(Double(x), mu))
        let lower = mu == 0 ? 1.0 : Distributions.regularizedGammaQ(Double(x) + 1, mu)
        let two = min(1, 2 * min(upper, lower))
        let xd = Double(x)
        let direction: ChangeDirection = xd > mu ? .increase : (xd < mu ? .decrease : .noChange)
        let ratio = mu > 0 ? xd / mu : (x > 0 ? Double.infinity : .nan)
        return ChangeTestResult(observed: x, expected: mu, baselinePeriods: k, ratio: ratio,
                                pUpper: upper, pLower: lower, pTwoSided: two, direction: direction)
    }
}
