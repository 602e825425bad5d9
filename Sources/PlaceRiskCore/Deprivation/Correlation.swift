#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a correlation could not be computed from the data. Each case reads as a sentence.
public enum CorrelationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer complete (non-NaN) pairs than the statistic needs.
    case tooFewPairs(n: Int, minimum: Int)
    /// One variable takes a single value over the complete pairs (`"x"` or `"y"`).
    case constantInput(variable: String)

    public var description: String {
        switch self {
        case .tooFewPairs(let n, let m):
            return "only \(n) complete (non-NaN) pairs remain; a correlation with a p-value needs at least \(m)"
        case .constantInput(let v):
            return "'\(v)' takes a single value over the complete pairs, so its correlation is undefined"
        }
    }
}

/// Pearson's product-moment correlation with its t-test p-value and Fisher-z confidence interval.
///
/// ```
/// r  = Σ (x−x̄)(y−ȳ) / ( ‖x−x̄‖ ‖y−ȳ‖ ),  clipped to [−1, 1]
/// p  = 2 · P(T_{n−2} ≥ |t|),  t = r √((n−2)/(1−r²))  ≡  2 · I_{(1−|r|)/2}(n/2−1, n/2−1)
/// CI = tanh( atanh r ± z_{1−α/2} / √(n−3) )        (Fisher 1921; [−1, 1] when n ≤ 3)
/// ```
/// Same as `scipy.stats.pearsonr(x, y)` (which evaluates p from the Beta(n/2−1, n/2−1) law of r
/// on (−1, 1)) and its `confidence_interval()`.
public struct PearsonResult: Sendable, Equatable {
    public let r: Double
    /// Two-sided p-value (exact under bivariate normality).
    public let p: Double
    public let ciLow: Double
    public let ciHigh: Double
    /// Complete (non-NaN) pairs used.
    public let n: Int
    /// Confidence level of [ciLow, ciHigh] (0.95 by default).
    public let confidence: Double
}

/// Spearman's rank correlation: Pearson's r of the mid-ranks, with scipy's t-approximation p-value
/// and a Bonett–Wright Fisher-z interval.
///
/// ```
/// ρ  = r(rank x, rank y)                     (mid-ranks for ties)
/// p  = 2 · P(T_{n−2} ≥ |t|),  t = ρ √((n−2)/((1+ρ)(1−ρ)))
/// CI = tanh( atanh ρ ± z_{1−α/2} · √((1 + ρ²/2)/(n−3)) )
/// ```
/// ρ and p equal `scipy.stats.spearmanr(x, y)`. The interval uses the standard error of
/// Bonett & Wright (2000), "Sample size requirements for estimating Pearson, Kendall and Spearman
/// correlations", Psychometrika 65(1):23–28, doi:10.1007/BF02294183 (scipy gives no Spearman CI);
/// [−1, 1] when n ≤ 3.
public struct SpearmanResult: Sendable, Equatable {
    public let rho: Double
    /// Two-sided p-value (t-approximation, as scipy).
    public let p: Double
    public let ciLow: Double
    public let ciHigh: Double
    public let n: Int
    public let confidence: Double
}

/// Kendall's τ-b with its two-sided p-value: exact permutation p without ties for n < 50, otherwise the
/// tie-corrected asymptotic normal test.
///
/// ```
/// S    = n_c − n_d,   n₀ = n(n−1)/2,  n₁ = Σ t(t−1)/2 (ties in x),  n₂ = Σ u(u−1)/2 (ties in y)
/// τ_b  = S / √((n₀ − n₁)(n₀ − n₂))
/// exact (no ties, n < 50):   p = min(1, 2 · P(D ≤ min(n_d, n₀ − n_d)))   (p = 1 when 4 n_d = n(n−1))
///   D = number of discordant pairs of a uniformly random permutation (inversions; the Mahonian
///   distribution): with f_2 = (1, 1) / 2 and f_j(c) = (1/j) Σ_{i=0}^{min(c, j−1)} f_{j−1}(c − i),
///   P(D = c) = f_n(c)                                                   (Kendall 1970, ch. 4)
/// normal approximation (ties or n ≥ 50):
///   Var S = (v₀ − v_t − v_u)/18 + v₁/(2n(n−1)) + v₂/(9n(n−1)(n−2))
///   v₀ = n(n−1)(2n+5),  v_t = Σ t(t−1)(2t+5),  v_u = Σ u(u−1)(2u+5),
///   v₁ = Σ t(t−1) · Σ u(u−1),  v₂ = Σ t(t−1)(t−2) · Σ u(u−1)(u−2)
///   z = S / √Var S,   p = 2 (1 − Φ(|z|))
/// ```
/// (Kendall 1945, Biometrika 33(3):239–251; Kendall, M. G. 1970 "Rank Correlation Methods", 4th ed.;
/// Kendall & Gibbons 1990 §4). The exact p equals `scipy.stats.kendalltau(x, y, method="exact")`
/// (scipy's `_kendall_p_exact`, two-sided: twice the lower tail at min(n_d, n₀ − n_d)) and R's
/// `cor.test(x, y, method = "kendall")`, whose rule (exact without ties for n < 50) this follows;
/// scipy's `method="auto"` uses the exact p only for n ≤ 33 (or n_d ≤ 1). The asymptotic p equals
/// `scipy.stats.kendalltau(x, y, variant="b", method="asymptotic")`. `pMethod` says which was used.
public struct KendallResult: Sendable, Equatable {
    /// How the p-value of a Kendall test was computed.
    public enum PMethod: String, Sendable, Equatable, CaseIterable {
        /// The exact permutation distribution of the discordant-pair count (no ties, n < 50).
        case exact
        /// The tie-corrected normal approximation of S (ties present, or n ≥ 50).
        case normalApproximation = "normal-approximation"
    }

    public let tau: Double
    /// Two-sided p-value, by `pMethod`.
    public let p: Double
    /// Whether `p` is the exact permutation p or the normal approximation.
    public let pMethod: PMethod
    /// S / √Var(S) (reported whichever `pMethod` gives p).
    public let z: Double
    /// S = concordant − discordant pairs (pairs tied in x or y count in neither).
    public let concordantMinusDiscordant: Int
    /// Var(S) under independence, tie-corrected.
    public let variance: Double
    public let n: Int
}

/// Pearson, Spearman and Kendall τ-b correlations with p-values and intervals, all two-sided.
///
/// Pairs in which x or y is NaN are dropped (pairwise deletion); every result reports the n used.
/// At least 3 complete pairs are required and neither variable may be constant: otherwise a
/// `CorrelationError` is thrown. x and y of different lengths is a programmer error (precondition).
///
/// Complexity: Pearson O(n); Spearman and Kendall O(n log n) (Kendall by Knight's 1966 merge-sort
/// count of discordant pairs, JASA 61(314):436–439, doi:10.1080/01621459.1966.10480879).
public enum Correlation {
    /// Pearson's r, p and Fisher-z interval (see `PearsonResult`).
    public static func pearson(_ x: [Double], _ y: [Double], confidence: Double = 0.95) throws(CorrelationError) -> PearsonResult {
        let (xs, ys) = try completePairs(x, y)
        let n = xs.count
        let r = pearsonR(xs, ys)
        let ab = Double(n) / 2 - 1
        let a = abs(r)
        let p = min(1, 2 * Distributions.incompleteBeta(ab, ab, x: (1 - a) / 2, y: (1 + a) / 2).lower)
        let (lo, hi) = fisherInterval(r, standardError: 1 / Double(n - 3).squareRoot(), n: n, confidence: confidence)
        return PearsonResult(r: r, p: p, ciLow: lo, ciHigh: hi, n: n, confidence: confidence)
    }

    /// Spearman's ρ, p and Bonett–Wright interval (see `SpearmanResult`).
    public static func spearman(_ x: [Double], _ y: [Double], confidence: Double = 0.95) throws(CorrelationError) -> SpearmanResult {
        let (xs, ys) = try completePairs(x, y)
        let n = xs.count
        let rho = pearsonR(Ranks.midRanks(xs), Ranks.midRanks(ys))
        let dof = Double(n - 2)
        let t = rho * max(0, dof / ((rho + 1) * (1 - rho))).squareRoot()
        let p = Distributions.studentTTwoSidedP(t, degreesOfFreedom: dof)
        let se = ((1 + rho * rho / 2) / Double(n - 3)).squareRoot()
        let (lo, hi) = fisherInterval(rho, standardError: se, n: n, confidence: confidence)
        return SpearmanResult(rho: rho, p: p, ciLow: lo, ciHigh: hi, n: n, confidence: confidence)
    }

    /// Kendall's τ-b and its asymptotic p-value (see `KendallResult`), in O(n log n).
    public static func kendallTauB(_ x: [Double], _ y: [Double]) throws(CorrelationError) -> KendallResult {
        let (xs, ys) = try completePairs(x, y)
        let n = xs.count
        // Sort pairs by (x, y): pairs tied in x are then in y order and contribute no inversion.
        let order = xs.indices.sorted { xs[$0] < xs[$1] || (xs[$0] == xs[$1] && ys[$0] < ys[$1]) }
        let xo = order.map { xs[$0] }
        var yo = order.map { ys[$0] }
        // Joint ties: runs of equal (x, y) in this order.
        var jointTies = 0
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && xo[end] == xo[start] && yo[end] == yo[start] { end += 1 }
            jointTies += (end - start) * (end - start - 1) / 2
            start = end
        }
        let tx = Ranks.ties(xo), ty = Ranks.ties(ys)
        let discordant = countInversions(&yo)
        let total = n * (n - 1) / 2
        let xTied = tx.tiedPairs, yTied = ty.tiedPairs
        let s = total - xTied - yTied + jointTies - 2 * discordant
        var tau = Double(s) / Double(total - xTied).squareRoot() / Double(total - yTied).squareRoot()
        tau = min(1, max(-1, tau))
        let nd = Double(n), m = nd * (nd - 1)
        let variance = (m * (2 * nd + 5) - tx.varianceTerm - ty.varianceTerm) / 18
            + 2 * Double(xTied) * Double(yTied) / m
            + tx.tripletTerm * ty.tripletTerm / (9 * m * (nd - 2))
        let z = Double(s) / variance.squareRoot()
        if xTied == 0, yTied == 0, n < exactKendallLimit {
            return KendallResult(tau: tau, p: kendallExactTwoSidedP(n: n, discordant: discordant), pMethod: .exact, z: z,
                                 concordantMinusDiscordant: s, variance: variance, n: n)
        }
        return KendallResult(tau: tau, p: MultipleTesting.twoSidedP(z), pMethod: .normalApproximation, z: z,
                             concordantMinusDiscordant: s, variance: variance, n: n)
    }

    /// Without ties, Kendall's p is exact for n below this (R's `cor.test` rule), else asymptotic.
    public static let exactKendallLimit = 50

    /// Two-sided exact p of Kendall's test without ties: min(1, 2 · P(D ≤ c)), c = min(n_d, n₀ − n_d),
    /// with D the number of inversions of a uniformly random permutation of n (see `KendallResult`);
    /// 1 at the exact centre 4c = n(n − 1), as scipy. O(n · c) ≤ O(n³) by the running-sum recurrence
    /// f_j(c) = (1/j)(F_{j−1}(c) − F_{j−1}(c − j)), F the cumulative sum of f_{j−1}.
    public static func kendallExactTwoSidedP(n: Int, discordant: Int) -> Double {
        let total = n * (n - 1) / 2
        precondition(n >= 1 && discordant >= 0 && discordant <= total, "Correlation.kendallExactTwoSidedP: need 0 ≤ discordant ≤ n(n−1)/2")
        let c = min(discordant, total - discordant)
        if n <= 2 || 4 * c == n * (n - 1) { return 1 }
        // f holds P(D = 0…c) for permutations of j elements, starting at j = 2: (½, ½).
        var f = [Double](repeating: 0, count: c + 1)
        f[0] = 0.5
        if c >= 1 { f[1] = 0.5 }
        var cum = [Double](repeating: 0, count: c + 1)
        if n > 2 {
            for j in 3 ... n {
                var run = 0.0
                for k in 0 ... c { run += f[k]; cum[k] = run }
                let inv = 1 / Double(j)
                for k in 0 ... c { f[k] = (cum[k] - (k >= j ? cum[k - j] : 0)) * inv }
            }
        }
        let tail = f.reduce(0, +)
        return min(1, max(0, 2 * tail))
    }

    // MARK: Shared pieces

    /// Pairs with both values non-NaN; throws when fewer than 3 remain or a variable is constant.
    static func completePairs(_ x: [Double], _ y: [Double]) throws(CorrelationError) -> ([Double], [Double]) {
        precondition(x.count == y.count, "Correlation: x has \(x.count) values but y has \(y.count)")
        var xs: [Double] = [], ys: [Double] = []
        xs.reserveCapacity(x.count); ys.reserveCapacity(y.count)
        for i in x.indices where !x[i].isNaN && !y[i].isNaN {
            xs.append(x[i]); ys.append(y[i])
        }
        guard xs.count >= 3 else { throw .tooFewPairs(n: xs.count, minimum: 3) }
        if xs.allSatisfy({ $0 == xs[0] }) { throw .constantInput(variable: "x") }
        if ys.allSatisfy({ $0 == ys[0] }) { throw .constantInput(variable: "y") }
        return (xs, ys)
    }

    /// r = Σ (x−x̄)/‖x−x̄‖ · (y−ȳ)/‖y−ȳ‖, clipped to [−1, 1] (scipy's evaluation order), after
    /// rescaling x by 1/max|x| and y by 1/max|y| as `scipy.stats.pearsonr` does: r is scale-invariant,
    /// and without it the sums of squares underflow (data near 1e-200 gave r = −1) or overflow
    /// (near 1e200 gave r = 0).
    static func pearsonR(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        let x = rescaled(x), y = rescaled(y)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxx = 0.0, syy = 0.0
        for i in x.indices {
            let dx = x[i] - mx, dy = y[i] - my
            sxx += dx * dx; syy += dy * dy
        }
        let nx = sxx.squareRoot(), ny = syy.squareRoot()
        var r = 0.0
        for i in x.indices { r += (x[i] - mx) / nx * ((y[i] - my) / ny) }
        return min(1, max(-1, r))
    }

    /// v / max|v| (v itself when max|v| is 0 or not finite).
    static func rescaled(_ v: [Double]) -> [Double] {
        let m = v.reduce(0) { max($0, abs($1)) }
        guard m > 0, m.isFinite else { return v }
        return v.map { $0 / m }
    }

    /// tanh(atanh r ± z_{1−α/2} · se); [−1, 1] when n ≤ 3 (as scipy).
    static func fisherInterval(_ r: Double, standardError se: Double, n: Int, confidence: Double) -> (Double, Double) {
        precondition(confidence > 0 && confidence < 1, "Correlation: confidence must lie in (0, 1)")
        guard n > 3 else { return (-1, 1) }
        let h = Distributions.normalQuantile(0.5 + confidence / 2)
        let z = atanh(r)
        return (tanh(z - h * se), tanh(z + h * se))
    }

    /// Number of pairs i < j with a[i] > a[j] (strict), by bottom-up merge sort; sorts `a`.
    static func countInversions(_ a: inout [Double]) -> Int {
        let n = a.count
        var from = a, to = [Double](repeating: 0, count: n)
        var inversions = 0
        var width = 1
        while width < n {
            var lo = 0
            while lo < n {
                let mid = min(lo + width, n), hi = min(lo + 2 * width, n)
                var i = lo, j = mid, k = lo
                while i < mid && j < hi {
                    if from[j] < from[i] {
                        // from[j] is below every remaining left element: mid − i inversions.
                        to[k] = from[j]; j += 1
                        inversions += mid - i
                    } else {
                        to[k] = from[i]; i += 1
                    }
                    k += 1
                }
                while i < mid { to[k] = from[i]; i += 1; k += 1 }
                while j < hi { to[k] = from[j]; j += 1; k += 1 }
                lo = hi
            }
            swap(&from, &to)
            width *= 2
        }
        a = from
        return inversions
    }
}
