/// Mid-ranks ("average" ranks) and the tie structure of a sample.
///
/// ```
/// rank(x_i) = 1 + #{j : x_j < x_i} + (#{j : x_j = x_i} − 1) / 2
/// ```
/// so tied values share the mean of the ranks they occupy (scipy `rankdata(method="average")`,
/// R `rank(ties.method="average")`). Complexity: O(n) (one stable LSD radix sort of the indices by the
/// order-preserving integer keys of the values, `RadixSort`; −0 and +0 are tied).
///
/// Comparison with other tools: identical to scipy's default `rankdata` and to the ranks used by
/// `scipy.stats.spearmanr`; NaN has no rank here (scipy ranks it last) — drop NaN first.
public enum Ranks {
    /// Average ranks 1…n of `x` (ties share the mean of their positions).
    public static func midRanks(_ x: [Double]) -> [Double] {
        RankedSample(x, groups: false).midRanks
    }

    /// The sizes of the groups of tied values in `x` (only groups of size ≥ 2), in ascending value order.
    public static func ties(_ x: [Double]) -> TieSummary {
        precondition(!x.contains(where: \.isNaN), "Ranks: NaN has no rank; drop NaN values first")
        let keys = RadixSort.argsort(x).keys
        var sizes: [Int] = []
        var start = 0
        while start < keys.count {
            var end = start + 1
            while end < keys.count && keys[end] == keys[start] { end += 1 }
            if end - start > 1 { sizes.append(end - start) }
            start = end
        }
        return TieSummary(groupSizes: sizes)
    }

    /// Indices of `x` in ascending order of value, ties by index (deterministic): a stable LSD radix
    /// sort of the order-preserving integer keys (`RadixSort`; −0 and +0 are equal).
    static func sortedIndices(_ x: [Double]) -> [Int] {
        precondition(!x.contains(where: \.isNaN), "Ranks: NaN has no rank; drop NaN values first")
        return RadixSort.argsort(x).order.map { Int($0) }
    }
}

/// The tie structure of a sample: the sizes t_g of its groups of equal values (t_g ≥ 2), and the
/// tie sums used by rank statistics.
///
/// ```
/// tiedPairs     = Σ t(t−1)/2          pairs tied in this variable (scipy `xtie`)
/// sumT3MinusT   = Σ (t³ − t)          Spearman / Kruskal–Wallis tie correction
/// varianceTerm  = Σ t(t−1)(2t+5)      v_t (resp. v_u) in Var(S) of Kendall's S (scipy `x1`)
/// pairTerm      = Σ t(t−1)            factor of v₁ = Σt(t−1)·Σu(u−1)
/// tripletTerm   = Σ t(t−1)(t−2)       factor of v₂ = Σt(t−1)(t−2)·Σu(u−1)(u−2) (scipy `x0`)
/// ```
/// (Kendall & Gibbons 1990, *Rank Correlation Methods*, 5th ed., ch. 4; scipy `count_rank_tie`).
public struct TieSummary: Sendable, Equatable {
    /// Sizes of the groups of tied values (each ≥ 2).
    public let groupSizes: [Int]

    /// A summary from the tie-group sizes (each should be ≥ 2).
    public init(groupSizes: [Int]) { self.groupSizes = groupSizes }

    /// Σ t(t−1)/2: pairs tied in this variable.
    public var tiedPairs: Int { groupSizes.reduce(0) { $0 + $1 * ($1 - 1) / 2 } }
    /// Σ (t³ − t).
    public var sumT3MinusT: Double { groupSizes.reduce(0) { let t = Double($1); return $0 + t * t * t - t } }
    /// Σ t(t−1)(2t+5).
    public var varianceTerm: Double { groupSizes.reduce(0) { let t = Double($1); return $0 + t * (t - 1) * (2 * t + 5) } }
    /// Σ t(t−1).
    public var pairTerm: Double { groupSizes.reduce(0) { let t = Double($1); return $0 + t * (t - 1) } }
    /// Σ t(t−1)(t−2).
    public var tripletTerm: Double { groupSizes.reduce(0) { let t = Double($1); return $0 + t * (t - 1) * (t - 2) } }
    /// Whether the sample has any tie.
    public var hasTies: Bool { !groupSizes.isEmpty }
}
