/// The direction of a monotonic trend at a significance level.
public enum TrendDirection: String, Sendable, CaseIterable {
    /// Significant positive trend.
    case increasing
    /// Significant negative trend.
    case decreasing
    /// No significant trend.
    case noTrend = "no trend"
}

/// The Mann–Kendall trend test of one series, with Sen's slope (named fields as pymannkendall's
/// `original_test` result: `s`, `var_s`, `z`, `p`, `Tau`, `slope`, `intercept`).
public struct MannKendallResult: Sendable, Equatable {
    /// Number of non-NaN observations used (NaN values are skipped, as pymannkendall's `skip`).
    public let n: Int
    /// Mann–Kendall score S = Σ_{i<j} sign(x_j − x_i).
    public let s: Int
    /// Var(S) under H₀ with the tie correction.
    public let varianceS: Double
    /// Standard normal score with the continuity correction (0 when S = 0).
    public let z: Double
    /// Two-sided p-value 2·(1 − Φ(|z|)).
    public let p: Double
    /// Kendall's τ as pymannkendall reports it: S / (n(n − 1)/2) (τ-a, no tie adjustment).
    public let tau: Double
    /// Sen's (Theil–Sen) slope per time step: the median of (x_j − x_i)/(j − i), i < j, over the
    /// original positions (NaN when fewer than two observations).
    public let senSlope: Double
    /// Intercept of the Kendall–Theil line (Conover 1980): median(x) − median(positions)·slope.
    public let intercept: Double

    /// The trend at two-sided level α: significant when p < α, its sign from z (pymannkendall's
    /// `h = |z| > Φ⁻¹(1 − α/2)` is the same rule).
    public func direction(alpha: Double = 0.05) -> TrendDirection {
        guard p < alpha else { return .noTrend }
        return z > 0 ? .increasing : (z < 0 ? .decreasing : .noTrend)
    }
}

/// The Mann–Kendall test for a monotonic trend (Mann 1945, Econometrica 13(3), 245–259;
/// Kendall 1975, *Rank Correlation Methods*, 4th ed.; Gilbert 1987, ch. 16):
/// ```
/// S      = Σ_{i<j} sign(x_j − x_i)
/// Var(S) = [ n(n−1)(2n+5) − Σ_g t_g(t_g−1)(2t_g+5) ] / 18      (t_g = size of tie group g)
/// z      = (S − 1)/√Var(S) if S > 0,  0 if S = 0,  (S + 1)/√Var(S) if S < 0
/// p      = 2·(1 − Φ(|z|)) = erfc(|z|/√2)
/// ```
/// Matches pymannkendall 1.4.3 `original_test` (S, var_s, z, p, Tau, slope, intercept).
///
/// Complexity: O(n²) time for S and Sen's slope (series here are months: n ≲ a few hundred).
///
/// Comparison with other tools: R `Kendall::MannKendall` reports τ-b (tie-adjusted) and an exact
/// or uncorrected p; pymannkendall and this type report τ-a and the continuity-corrected normal p.
public enum MannKendall {
    /// Runs the test on `x` (time order = array order; NaN entries are skipped).
    public static func test(_ x: [Double]) -> MannKendallResult {
        let kept = x.filter { !$0.isNaN }
        let n = kept.count
        var s = 0
        for i in 0 ..< max(0, n - 1) {
            let xi = kept[i]
            for j in (i + 1) ..< n {
                let d = kept[j] - xi
                if d > 0 { s += 1 } else if d < 0 { s -= 1 }
            }
        }
        let variance = varianceOfS(kept)
        let z: Double
        if s > 0 { z = Double(s - 1) / variance.squareRoot() }
        else if s < 0 { z = Double(s + 1) / variance.squareRoot() }
        else { z = 0 }
        let p = MultipleTesting.twoSidedP(z)
        let tau = n >= 2 ? Double(s) / (0.5 * Double(n) * Double(n - 1)) : .nan
        let (slope, intercept) = senSlope(x)
        return MannKendallResult(n: n, s: s, varianceS: variance, z: z, p: p, tau: tau,
                                 senSlope: slope, intercept: intercept)
    }

    /// Var(S) with the tie correction (a group of t equal values removes t(t−1)(2t+5)/18).
    static func varianceOfS(_ kept: [Double]) -> Double {
        let n = Double(kept.count)
        var v = n * (n - 1) * (2 * n + 5)
        let sorted = kept.sorted()
        var i = 0
        while i < sorted.count {
            var j = i + 1
            while j < sorted.count && sorted[j] == sorted[i] { j += 1 }
            let t = Double(j - i)
            if t > 1 { v -= t * (t - 1) * (2 * t + 5) }
            i = j
        }
        return v / 18
    }

    /// Sen's slope and the Kendall–Theil intercept, pairs over the original positions with NaN
    /// values skipped (pymannkendall `sens_slope`):
    /// ```
    /// slope     = median_{i<j} (x_j − x_i)/(j − i)
    /// intercept = median(x) − median({i : x_i not NaN}) · slope
    /// ```
    public static func senSlope(_ x: [Double]) -> (slope: Double, intercept: Double) {
        var positions: [Int] = []
        for i in x.indices where !x[i].isNaN { positions.append(i) }
        guard positions.count >= 2 else { return (.nan, .nan) }
        var slopes: [Double] = []
        slopes.reserveCapacity(positions.count * (positions.count - 1) / 2)
        for a in 0 ..< positions.count - 1 {
            let i = positions[a]
            for b in (a + 1) ..< positions.count {
                let j = positions[b]
                slopes.append((x[j] - x[i]) / Double(j - i))
            }
        }
        let slope = median(&slopes)
        var values = positions.map { x[$0] }
        var where_ = positions.map(Double.init)
        return (slope, median(&values) - median(&where_) * slope)
    }

    /// The median (mean of the two middle values for an even count), sorting in place.
    static func median(_ v: inout [Double]) -> Double {
        guard !v.isEmpty else { return .nan }
        v.sort()
        let m = v.count / 2
        return v.count % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m])
    }
}
