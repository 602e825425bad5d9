/// Deciles by rank, as the IMD publishes them: decile 1 holds the 10 % of units with the highest values
/// (most deprived), decile 10 the lowest.
///
/// With the finite values ranked r = 1 … n from the highest (ties broken by position, so the result is
/// deterministic), decile = ⌈10 r / n⌉. This is the rule of the published IMD 2019 deciles: it gives the
/// `imd_decile` of every one of the 32,844 LSOAs from its `imd_rank` (checked in `IMDDecileRuleTests`;
/// ⌊10 (r − 1) / n⌋ + 1 differs at 8 decile boundaries). NaN → 0.
public enum Deciles {
    public static func byRank(_ values: [Double]) -> [Int] {
        let idx = values.indices.filter { values[$0].isFinite }.sorted { a, b in
            values[a] != values[b] ? values[a] > values[b] : a < b
        }
        var out = [Int](repeating: 0, count: values.count)
        for (k, i) in idx.enumerated() { out[i] = ofRank(k + 1, count: idx.count) }
        return out
    }

    /// ⌈10 r / n⌉ for rank r of n (1 = highest).
    public static func ofRank(_ r: Int, count n: Int) -> Int {
        precondition(r >= 1 && r <= n, "Deciles.ofRank: rank \(r) outside 1…\(n)")
        return (10 * r + n - 1) / n
    }
}
