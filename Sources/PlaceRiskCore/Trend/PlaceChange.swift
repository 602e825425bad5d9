/// The exact conditional test of two Poisson counts (the C-test; Przyborowski & Wilenski 1940,
/// Biometrika 31, 313–323):
/// ```
/// n₁ ~ Poisson(λ₁e₁), n₂ ~ Poisson(λ₂e₂);  H₀: λ₁ = λ₂
/// given n = n₁ + n₂:  n₁ ~ Binomial(n, p₀),  p₀ = e₁/(e₁ + e₂)
/// p = Σ_{x : P(x) ≤ P(n₁)·(1 + 1e-7)} P(x),   P(x) = C(n, x) p₀ˣ (1 − p₀)ⁿ⁻ˣ
/// ```
/// The two-sided p sums every outcome no more likely than the observed one ("minimum likelihood"),
/// the rule of `scipy.stats.binomtest(n₁, n, p₀).pvalue` (including its 1e-7 relative tolerance);
/// the tails come from the regularised incomplete beta, P(X ≤ k) = I_{1−p₀}(n − k, k + 1),
/// P(X ≥ k) = I_{p₀}(k, n − k + 1), and the far-tail boundary by binary search on the unimodal pmf.
public enum PoissonRatioTest {
    /// Two-sided p-value of n₁ given n₁ + n₂ under p₀ (0 < p₀ < 1).
    public static func pValue(_ n1: Int, _ n2: Int, p0: Double) -> Double {
        precondition(n1 >= 0 && n2 >= 0, "PoissonRatioTest: counts must be non-negative")
        precondition(p0 > 0 && p0 < 1, "PoissonRatioTest: p₀ must be in (0, 1), got \(p0)")
        let n = n1 + n2, k = n1
        guard n > 0 else { return 1 }
        let np = Double(n) * p0
        let lnRerr = log1p(1e-7)
        let lnD = logPMF(k, n, p0) + lnRerr
        if Double(k) == np { return 1 }
        let p: Double
        if Double(k) < np {
            // Upper tail: the smallest x ≥ ⌈np⌉ with P(x) ≤ P(k)(1 + 1e-7) (P decreasing there).
            var lo = Int(np.rounded(.up)), hi = n + 1
            while lo < hi { let mid = (lo + hi) / 2; if logPMF(mid, n, p0) <= lnD { hi = mid } else { lo = mid + 1 } }
            p = lowerTail(k, n, p0) + (lo <= n ? upperTail(lo, n, p0) : 0)
        } else {
            // Lower tail: the largest x ≤ ⌊np⌋ with P(x) ≤ P(k)(1 + 1e-7) (P increasing there).
            var lo = -1, hi = Int(np.rounded(.down))
            while lo < hi { let mid = (lo + hi + 1) / 2; if logPMF(mid, n, p0) <= lnD { lo = mid } else { hi = mid - 1 } }
            p = (lo >= 0 ? lowerTail(lo, n, p0) : 0) + upperTail(k, n, p0)
        }
        return min(1, p)
    }

    /// ln P(X = x), X ~ Binomial(n, p).
    static func logPMF(_ x: Int, _ n: Int, _ p: Double) -> Double {
        let xd = Double(x), nd = Double(n)
        return lgamma(nd + 1) - lgamma(xd + 1) - lgamma(nd - xd + 1) + xd * log(p) + (nd - xd) * log1p(-p)
    }

    /// P(X ≤ k) = I_{1−p}(n − k, k + 1).
    static func lowerTail(_ k: Int, _ n: Int, _ p: Double) -> Double {
        k >= n ? 1 : Distributions.incompleteBeta(Double(n - k), Double(k + 1), x: 1 - p, y: p).lower
    }

    /// P(X ≥ k) = I_p(k, n − k + 1).
    static func upperTail(_ k: Int, _ n: Int, _ p: Double) -> Double {
        k <= 0 ? 1 : Distributions.incompleteBeta(Double(k), Double(n - k + 1), x: p, y: 1 - p).lower
    }
}

/// One unit's change between the latest window and the window before it.
public struct PlaceChangeResult: Sendable, Equatable {
    /// Incidents in the latest `window` months.
    public let latest: Int
    /// Incidents in the `window` months before those.
    public let previous: Int
    /// latest / previous (+∞ when previous = 0 < latest, NaN when both are 0).
    public let ratio: Double
    /// 100·(latest/previous − 1).
    public let percentChange: Double
    /// Exact two-sided C-test p-value (equal windows: p₀ = ½).
    public let p: Double
    /// Benjamini–Hochberg q-value across all units of the table.
    public let q: Double
    /// Sign of latest − previous.
    public let direction: ChangeDirection
}

/// Year-on-year change per unit: the latest W months against the W months before, with an exact
/// conditional (C-) test per unit and Benjamini–Hochberg across units:
/// ```
/// W = min(12, ⌊T/2⌋)                        (12 = year on year; with 23 months, 11 vs 11)
/// n₁ = Σ_{t=T−W}^{T−1} x_t,   n₂ = Σ_{t=T−2W}^{T−W−1} x_t
/// p  = PoissonRatioTest.pValue(n₁, n₂, p₀ = ½)   (equal exposures: W months each)
/// q  = BH(p_1 … p_U)                         (Benjamini & Hochberg 1995)
/// flagged = { u : q_u ≤ α }, largest ratio first (ties by unit index; NaN last)
/// ```
/// With fewer than 24 months a W < 12 window compares different calendar months (e.g. Jan–Nov with
/// Feb–Dec of the year before), so part of the difference can be season; the table reports W.
///
/// Complexity: O(U·(W + log n)) for the tests plus O(U log U) for BH and the ordering.
public struct PlaceChange: Sendable {
    /// Number of units.
    public let unitCount: Int
    /// Number of months per unit.
    public let periodCount: Int
    /// Months per window W.
    public let window: Int
    /// False discovery rate α of `flagged`.
    public let fdr: Double
    /// One result per unit, in unit order.
    public let results: [PlaceChangeResult]
    /// Units with q ≤ `fdr`, the largest ratio first.
    public let flagged: [Int]

    /// The default window for T months: min(12, ⌊T/2⌋).
    public static func defaultWindow(periods T: Int) -> Int { min(12, T / 2) }

    /// Tests every unit. `counts` is unit-major, `counts[u · periods + t]`, whole non-negative numbers.
    /// Preconditions: periods ≥ 2; 1 ≤ window ≤ periods/2; counts.count = units × periods; 0 < fdr ≤ 1.
    public init(counts: [Double], units: Int, periods T: Int, window: Int? = nil, fdr: Double = 0.05) {
        precondition(units >= 0, "PlaceChange: the unit count must be non-negative")
        precondition(T >= 2, "PlaceChange: needs at least two months")
        precondition(counts.count == units * T, "PlaceChange: \(counts.count) counts for \(units) units × \(T) periods")
        precondition(fdr > 0 && fdr <= 1, "PlaceChange: the false discovery rate must be in (0, 1]")
        let w = window ?? Self.defaultWindow(periods: T)
        precondition(w >= 1 && 2 * w <= T, "PlaceChange: the window must be 1 … \(T / 2) months, got \(w)")
        var n1s: [Int] = [], n2s: [Int] = [], ps: [Double] = []
        for u in 0 ..< units {
            var a = 0, b = 0
            for t in (T - 2 * w) ..< T {
                let c = counts[u * T + t]
                precondition(c >= 0 && c == c.rounded(.towardZero) && c < 9.0e15, "PlaceChange: counts must be whole non-negative numbers, got \(c) at unit \(u), period \(t)")
                if t >= T - w { a += Int(c) } else { b += Int(c) }
            }
            n1s.append(a); n2s.append(b)
            ps.append(PoissonRatioTest.pValue(a, b, p0: 0.5))
        }
        let q = MultipleTesting.benjaminiHochberg(ps)
        var results: [PlaceChangeResult] = []
        results.reserveCapacity(units)
        for u in 0 ..< units {
            let a = Double(n1s[u]), b = Double(n2s[u])
            let ratio = b > 0 ? a / b : (a > 0 ? Double.infinity : .nan)
            let direction: ChangeDirection = a > b ? .increase : (a < b ? .decrease : .noChange)
            results.append(PlaceChangeResult(latest: n1s[u], previous: n2s[u], ratio: ratio,
                                             percentChange: 100 * (ratio - 1), p: ps[u], q: q[u], direction: direction))
        }
        self.unitCount = units
        self.periodCount = T
        self.window = w
        self.fdr = fdr
        self.results = results
        let key = results.map { $0.ratio.isNaN ? -1 : $0.ratio }
        self.flagged = q.indices.filter { q[$0] <= fdr }.sorted { a, b in key[a] != key[b] ? key[a] > key[b] : a < b }
    }
}
