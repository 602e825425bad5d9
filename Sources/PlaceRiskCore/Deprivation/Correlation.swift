import Dispatch

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
/// Complexity: Pearson O(n); Spearman O(n) (radix ranking, `RadixSort`); Kendall O(n log n) (radix sorts,
/// then Knight's 1966 merge-sort count of discordant pairs, JASA 61(314):436–439,
/// doi:10.1080/01621459.1966.10480879), O(n) after the sort when x or y has few distinct values
/// (`KendallCounting.swift`). The `against:` forms correlate one x with many columns, x sorted once.
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
        try spearman(x, y, xRanked: nil, yRanked: nil, confidence: confidence)
    }

    /// Spearman with the ranking of x and/or y done before (`RankedSample` of the whole array): used only
    /// when no pair is dropped (then the complete pairs are the arrays themselves), else ranked here.
    static func spearman(_ x: [Double], _ y: [Double], xRanked: RankedSample?, yRanked: RankedSample?,
                         confidence: Double) throws(CorrelationError) -> SpearmanResult {
        let (xs, ys, whole) = try completePairsWhole(x, y)
        let n = xs.count
        let rx = (whole ? xRanked : nil) ?? RankedSample(xs, groups: false)
        let ry = (whole ? yRanked : nil) ?? RankedSample(ys, groups: false)
        let rho = pearsonR(rx.midRanks, ry.midRanks)
        let dof = Double(n - 2)
        let t = rho * max(0, dof / ((rho + 1) * (1 - rho))).squareRoot()
        let p = Distributions.studentTTwoSidedP(t, degreesOfFreedom: dof)
        let se = ((1 + rho * rho / 2) / Double(n - 3)).squareRoot()
        let (lo, hi) = fisherInterval(rho, standardError: se, n: n, confidence: confidence)
        return SpearmanResult(rho: rho, p: p, ciLow: lo, ciHigh: hi, n: n, confidence: confidence)
    }

    /// Kendall's τ-b and its asymptotic p-value (see `KendallResult`), in O(n log n).
    public static func kendallTauB(_ x: [Double], _ y: [Double]) throws(CorrelationError) -> KendallResult {
        try kendallTauB(x, y, xRanked: nil, yRanked: nil)
    }

    /// Kendall with x or y sorted before (as `spearman(_:_:xRanked:yRanked:confidence:)`; one sorted variable is enough).
    ///
    /// x is radix-sorted (`RankedSample`: its order and groups of equal values; y instead when only y is
    /// sorted already — S, the joint ties and the discordant count are symmetric). The y values are
    /// gathered in that order as order-preserving integer keys (`RadixSort.key`), and each group of equal
    /// x is sorted by y: the pairs are then listed by (x, y), and the discordant pairs are exactly the
    /// strict inversions of the sequence (pairs tied in x are in y order and contribute none), counted by
    /// `Inversions.count`, which also sorts the sequence — the tie groups of y are its runs of equal keys.
    /// Joint ties are the runs of equal y inside an x group. That is the general path; `kendallCounts` picks a
    /// faster one by the numbers of distinct values (a contingency table, a block table of prefix counts, a
    /// Fenwick tree). Every path gives the same integers as scipy's `kendalltau` (stable sort by y, then by x;
    /// merge-sort count), so τ, Var S and p are unchanged.
    static func kendallTauB(_ x: [Double], _ y: [Double], xRanked: RankedSample?, yRanked: RankedSample?) throws(CorrelationError) -> KendallResult {
        let (xs, ys, whole) = try completePairsWhole(x, y)
        let n = xs.count
        // Discordant pairs and joint ties are symmetric in x and y: group by whichever is sorted already.
        let tx: TieSummary, ty: TieSummary, discordant: Int, jointTies: Int
        if whole, xRanked == nil, let ry = yRanked {
            let c = kendallCounts(grouping: ry, values: xs)
            (tx, ty, discordant, jointTies) = (TieSummary(groupSizes: c.valueTieSizes), ry.ties, c.discordant, c.joint)
        } else {
            let rx = (whole ? xRanked : nil) ?? RankedSample(xs)
            let c = kendallCounts(grouping: rx, values: ys)
            (tx, ty, discordant, jointTies) = (rx.ties, TieSummary(groupSizes: c.valueTieSizes), c.discordant, c.joint)
        }
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

    /// The integers of τ-b for the pairs (g_i, v_i), `grouping` the sorted g: discordant pairs, joint ties
    /// and the tie-group sizes of v (ascending). See `kendallTauB(_:_:xRanked:yRanked:)`.
    /// The path by the numbers of distinct values (`KendallCounting.swift`): v with at most `fewValuesLimit`
    /// values, the contingency table; g with at most `blockTableLimit` groups, the block table; up to
    /// `fewGroupsLimit`, the Fenwick tree; otherwise the merge count. All give the same integers.
    static func kendallCounts(grouping rg: RankedSample, values v: [Double]) -> (discordant: Int, joint: Int, valueTieSizes: [Int]) {
        guard !rg.group.isEmpty else { return kendallCountsByMerge(grouping: rg, values: v) }
        if rg.groupCount <= fewGroupsLimit, let c = kendallCountsFewValues(grouping: rg, values: v) { return c }
        if rg.groupCount <= blockTableLimit { return kendallCountsBlockTable(grouping: rg, values: v) }
        if rg.groupCount <= fewGroupsLimit { return kendallCountsFewGroups(grouping: rg, values: v) }
        return kendallCountsByMerge(grouping: rg, values: v)
    }

    /// Up to this many distinct values of the grouping variable (and above `blockTableLimit`),
    /// `kendallCountsFewGroups` (a Fenwick tree over the groups, 256 KB at most, in cache) replaces the merge count.
    static let fewGroupsLimit = 1 << 16

    /// The same integers as `kendallCountsByMerge`, by one radix sort of v carrying each value's group of g
    /// (`RadixSort.sortCarrying`: the full keys and group codes moved together, no gather) and one
    /// pass in descending v over a Fenwick tree of group counts: a pair is discordant when the
    /// value seen earlier (strictly greater v: a block of equal v is queried before it is inserted) lies in
    /// a lower group; joint ties are the pairs of one group inside a block of equal v. O(n log G).
    static func kendallCountsFewGroups(grouping rg: RankedSample, values v: [Double]) -> (discordant: Int, joint: Int, valueTieSizes: [Int]) {
        let n = v.count, G = rg.groupCount
        let (keys, g) = RadixSort.sortCarrying(v, payload: rg.group)
        var tree = [Int32](repeating: 0, count: G + 1)
        var inBlock = [Int32](repeating: 0, count: G)
        var discordant = 0, joint = 0
        var sizes: [Int] = []
        keys.withUnsafeBufferPointer { k in
            g.withUnsafeBufferPointer { gp in
                tree.withUnsafeMutableBufferPointer { f in
                    inBlock.withUnsafeMutableBufferPointer { c in
                        var hi = n
                        while hi > 0 {
                            var lo = hi - 1
                            let key = k[lo]
                            while lo > 0 && k[lo - 1] == key { lo -= 1 }
                            // Query the block: seen values (all greater) in a lower group.
                            for j in lo ..< hi {
                                var i = Int(gp[j]), s = 0   // prefix over groups 0 … g − 1 (Fenwick index g)
                                while i > 0 { s &+= Int(f[i]); i &= i &- 1 }
                                discordant &+= s
                            }
                            if hi - lo > 1 {
                                sizes.append(hi - lo)
                                for j in lo ..< hi { let q = Int(gp[j]); joint &+= Int(c[q]); c[q] &+= 1 }
                                for j in lo ..< hi { c[Int(gp[j])] = 0 }
                            }
                            // Insert the block.
                            for j in lo ..< hi {
                                var i = Int(gp[j]) + 1
                                while i <= G { f[i] &+= 1; i &+= i & (0 &- i) }
                            }
                            hi = lo
                        }
                    }
                }
            }
        }
        return (discordant, joint, sizes.reversed())
    }

    /// The integers of τ-b by sorting each group of g by v and counting the inversions of the whole
    /// sequence by merge sort (any number of groups).
    static func kendallCountsByMerge(grouping rg: RankedSample, values v: [Double]) -> (discordant: Int, joint: Int, valueTieSizes: [Int]) {
        let n = v.count
        var seq = [UInt64](repeating: 0, count: n), scratch = [UInt64](repeating: 0, count: n)
        var joint = 0, discordant = 0
        v.withUnsafeBufferPointer { vv in
            rg.order.withUnsafeBufferPointer { og in
                seq.withUnsafeMutableBufferPointer { out in
                  scratch.withUnsafeMutableBufferPointer { tmp in
                    for j in 0 ..< n { out[j] = RadixSort.key(vv[Int(og[j])]) }
                    let starts = rg.groupStart
                    for g in 0 ..< rg.groupCount {
                        let lo = starts[g], hi = starts[g + 1]
                        if hi - lo < 2 { continue }
                        // Sort the group by v (its inversions are pairs tied in g: not counted).
                        _ = Inversions.count(UnsafeMutableBufferPointer(rebasing: out[lo ..< hi]), scratch: tmp)
                        // Joint ties: runs of equal v within this group of equal g.
                        var a = lo
                        while a < hi {
                            var b = a + 1
                            while b < hi && out[b] == out[a] { b += 1 }
                            joint += (b - a) * (b - a - 1) / 2
                            a = b
                        }
                    }
                    discordant = Inversions.count(out, scratch: tmp)
                  }
                }
            }
        }
        // seq is now sorted: the groups of equal v, ascending.
        var sizes: [Int] = []
        var a = 0
        while a < n {
            var b = a + 1
            while b < n && seq[b] == seq[a] { b += 1 }
            if b - a > 1 { sizes.append(b - a) }
            a = b
        }
        return (discordant, joint, sizes)
    }

    // MARK: One variable against many

    /// `pearson(x, ys[j])` for every j (each result, or its error), the columns over the cores.
    /// Identical to the pair calls.
    public static func pearson(_ x: [Double], against ys: [[Double]], confidence: Double = 0.95) -> [Result<PearsonResult, CorrelationError>] {
        concurrentMap(ys.count) { j in
            do throws(CorrelationError) { return .success(try pearson(x, ys[j], confidence: confidence)) } catch { return .failure(error) }
        }
    }

    /// `spearman(x, ys[j])` for every j, identical to the pair calls, faster: x is ranked once when it has
    /// no NaN (reused for every column without NaN), and the columns run over the cores.
    public static func spearman(_ x: [Double], against ys: [[Double]], confidence: Double = 0.95) -> [Result<SpearmanResult, CorrelationError>] {
        let rx = rankedOnce(x, ys)
        return concurrentMap(ys.count) { j in
            do throws(CorrelationError) { return .success(try spearman(x, ys[j], xRanked: rx, yRanked: nil, confidence: confidence)) } catch { return .failure(error) }
        }
    }

    /// `kendallTauB(x, ys[j])` for every j, identical to the pair calls: x sorted once (as `spearman(_:against:)`),
    /// the columns over the cores.
    public static func kendallTauB(_ x: [Double], against ys: [[Double]]) -> [Result<KendallResult, CorrelationError>] {
        let rx = rankedOnce(x, ys)
        return concurrentMap(ys.count) { j in
            do throws(CorrelationError) { return .success(try kendallTauB(x, ys[j], xRanked: rx, yRanked: nil)) } catch { return .failure(error) }
        }
    }

    /// x sorted once when it has no NaN and more than one column will use it (nil otherwise).
    static func rankedOnce(_ x: [Double], _ ys: [[Double]]) -> RankedSample? {
        guard ys.count > 1, x.count >= 3, !x.contains(where: \.isNaN) else { return nil }
        return RankedSample(x)
    }

    /// `Parallel.map`: the columns over the cores.
    static func concurrentMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] { Parallel.map(count, body) }

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
        let (xs, ys, _) = try completePairsWhole(x, y)
        return (xs, ys)
    }

    /// As `completePairs(_:_:)`, and whether every pair is complete (then the arrays are x and y themselves).
    static func completePairsWhole(_ x: [Double], _ y: [Double]) throws(CorrelationError) -> ([Double], [Double], Bool) {
        precondition(x.count == y.count, "Correlation: x has \(x.count) values but y has \(y.count)")
        let whole = !x.contains(where: \.isNaN) && !y.contains(where: \.isNaN)
        var xs: [Double] = [], ys: [Double] = []
        if whole {
            xs = x; ys = y
        } else {
            xs.reserveCapacity(x.count); ys.reserveCapacity(y.count)
            for i in x.indices where !x[i].isNaN && !y[i].isNaN {
                xs.append(x[i]); ys.append(y[i])
            }
        }
        guard xs.count >= 3 else { throw .tooFewPairs(n: xs.count, minimum: 3) }
        if xs.allSatisfy({ $0 == xs[0] }) { throw .constantInput(variable: "x") }
        if ys.allSatisfy({ $0 == ys[0] }) { throw .constantInput(variable: "y") }
        return (xs, ys, whole)
    }

    /// r = Σ (x−x̄)/‖x−x̄‖ · (y−ȳ)/‖y−ȳ‖, clipped to [−1, 1] (scipy's evaluation order), after
    /// rescaling x by 1/max|x| and y by 1/max|y| as `scipy.stats.pearsonr` does: r is scale-invariant,
    /// and without it the sums of squares underflow (data near 1e-200 gave r = −1) or overflow
    /// (near 1e200 gave r = 0).
    /// Fused over unsafe buffers without the rescaled copies: the same operations in the same order as
    /// rescaling (x_i / max|x|), then the mean, the sums of squares and the sum of products.
    static func pearsonR(_ x: [Double], _ y: [Double]) -> Double {
        let count = x.count
        let n = Double(count)
        return x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                var ax = 0.0, ay = 0.0
                for i in 0 ..< count { ax = max(ax, abs(xp[i])); ay = max(ay, abs(yp[i])) }
                let sx = ax > 0 && ax.isFinite, sy = ay > 0 && ay.isFinite
                @inline(__always) func xv(_ i: Int) -> Double { sx ? xp[i] / ax : xp[i] }
                @inline(__always) func yv(_ i: Int) -> Double { sy ? yp[i] / ay : yp[i] }
                var tx = 0.0, ty = 0.0
                for i in 0 ..< count { tx += xv(i); ty += yv(i) }
                let mx = tx / n, my = ty / n
                var sxx = 0.0, syy = 0.0
                for i in 0 ..< count {
                    let dx = xv(i) - mx, dy = yv(i) - my
                    sxx += dx * dx; syy += dy * dy
                }
                let nx = sxx.squareRoot(), ny = syy.squareRoot()
                var r = 0.0
                for i in 0 ..< count { r += (xv(i) - mx) / nx * ((yv(i) - my) / ny) }
                return min(1, max(-1, r))
            }
        }
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
}
