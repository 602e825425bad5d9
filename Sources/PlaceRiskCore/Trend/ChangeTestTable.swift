/// The latest-period change test for every unit of a unit × period panel, with Benjamini–Hochberg
/// across units:
/// ```
/// for each unit u:  r_u = ChangeTest.latest(x_u,0 … x_u,T−1, baselinePeriods: k)
///                   (exact Poisson test of x_u,T−1 against the mean of x_u,T−1−k … x_u,T−2)
/// q = BH(r_1.pTwoSided, …, r_U.pTwoSided)           (Benjamini & Hochberg 1995; NaN-free here)
/// flagged = { u : q_u ≤ α },  ordered by ratio r_u.ratio descending, ties by unit index (NaN last)
/// ```
/// The default baseline k = min(12, T − 1): the previous year where the series has it. The Poisson
/// mean is treated as known (see `ChangeTest` for the caveat), so short baselines are optimistic.
///
/// Complexity: O(U·(T + √μ)) for the tests plus O(U log U) for BH and the ordering.
public struct ChangeTestTable: Sendable {
    /// Number of units (rows of the panel).
    public let unitCount: Int
    /// Number of periods per unit.
    public let periodCount: Int
    /// Baseline periods k of every test.
    public let baselinePeriods: Int
    /// The false discovery rate α of `flagged`.
    public let fdr: Double
    /// One result per unit, in unit order.
    public let results: [ChangeTestResult]
    /// BH-adjusted two-sided p-values (q-values), one per unit.
    public let q: [Double]
    /// Units with q ≤ `fdr`, the largest ratio first (ties by the smaller unit index).
    public let flagged: [Int]

    /// The default baseline length for T periods: min(12, T − 1).
    public static func defaultBaseline(periods T: Int) -> Int { min(12, T - 1) }

    /// Tests every unit's last period. `counts` is unit-major, `counts[u · periods + t]`, whole
    /// non-negative numbers. Preconditions: periods ≥ 2; 1 ≤ k ≤ periods − 1; counts.count = units × periods.
    public init(counts: [Double], units: Int, periods T: Int, baselinePeriods k: Int? = nil, fdr: Double) {
        precondition(units >= 0, "ChangeTestTable: the unit count must be non-negative")
        precondition(T >= 2, "ChangeTestTable: needs at least two periods (a baseline and the latest one)")
        precondition(counts.count == units * T, "ChangeTestTable: \(counts.count) counts for \(units) units × \(T) periods")
        precondition(fdr > 0 && fdr <= 1, "ChangeTestTable: the false discovery rate must be in (0, 1]")
        let k = k ?? Self.defaultBaseline(periods: T)
        precondition(k >= 1 && k <= T - 1, "ChangeTestTable: the baseline must be 1 … \(T - 1) periods, got \(k)")
        var results: [ChangeTestResult] = []
        results.reserveCapacity(units)
        for u in 0 ..< units {
            let series = (0 ..< T).map { t -> Int in
                let c = counts[u * T + t]
                precondition(c >= 0 && c == c.rounded(.towardZero) && c < 9.0e15, "ChangeTestTable: counts must be whole non-negative numbers, got \(c) at unit \(u), period \(t)")
                return Int(c)
            }
            results.append(ChangeTest.latest(series, baselinePeriods: k))
        }
        let q = MultipleTesting.benjaminiHochberg(results.map(\.pTwoSided))
        self.unitCount = units
        self.periodCount = T
        self.baselinePeriods = k
        self.fdr = fdr
        self.results = results
        self.q = q
        // NaN ratios (0 against a zero baseline) sort last; ratios are otherwise ≥ 0 (+∞ allowed).
        let key = results.map { $0.ratio.isNaN ? -1 : $0.ratio }
        self.flagged = q.indices.filter { q[$0] <= fdr }.sorted { a, b in key[a] != key[b] ? key[a] > key[b] : a < b }
    }
}
