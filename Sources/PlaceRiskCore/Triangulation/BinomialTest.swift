/// The exact binomial test of k successes in n trials against success probability π.
///
/// ```
/// P(X = x) = C(n, x) π^x (1 − π)^(n−x)                      (log-gamma form)
/// two-sided p = Σ_{x : P(X = x) ≤ P(X = k)·(1 + 10⁻⁷)} P(X = x),   capped at 1;  p = 1 when k = nπ
/// greater  p = P(X ≥ k),   less  p = P(X ≤ k)
/// ```
/// The two-sided rule ("minlike": every outcome at most as likely as the observed one, with the
/// same relative tolerance) is `scipy.stats.binomtest(k, n, p).pvalue` and R `binom.test`.
///
/// Complexity: O(n) per test.
public enum BinomialTest {
    public enum Alternative: String, Sendable { case twoSided = "two-sided", greater, less }

    /// ln P(X = x) for X ~ Binomial(n, π).
    public static func logPMF(_ x: Int, n: Int, p: Double) -> Double {
        precondition(x >= 0 && x <= n, "BinomialTest.logPMF: x outside 0...n")
        if p == 0 { return x == 0 ? 0 : -.infinity }
        if p == 1 { return x == n ? 0 : -.infinity }
        return lgamma(Double(n + 1)) - lgamma(Double(x + 1)) - lgamma(Double(n - x + 1))
            + Double(x) * log(p) + Double(n - x) * log1p(-p)
    }

    /// The p-value of `k` successes in `n` trials under success probability `p`.
    public static func pValue(k: Int, n: Int, p: Double, alternative: Alternative = .twoSided) -> Double {
        precondition(n >= 0 && k >= 0 && k <= n, "BinomialTest.pValue: need 0 <= k <= n")
        precondition(p >= 0 && p <= 1, "BinomialTest.pValue: p must be in [0, 1]")
        guard n > 0 else { return 1 }
        switch alternative {
        case .greater: return min(1, (k ... n).reduce(0.0) { $0 + exp(logPMF($1, n: n, p: p)) })
        case .less: return min(1, (0 ... k).reduce(0.0) { $0 + exp(logPMF($1, n: n, p: p)) })
        case .twoSided:
            if Double(k) == p * Double(n) { return 1 }
            let d = logPMF(k, n: n, p: p) + log1p(1e-7)
            var s = 0.0
            for x in 0 ... n {
                let l = logPMF(x, n: n, p: p)
                if l <= d { s += exp(l) }
            }
            return min(1, s)
        }
    }
}
