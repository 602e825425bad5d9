/// The fast paths of Kendall's τ-b integers when the grouping variable g (sorted once, `RankedSample`) has
/// few distinct values: the discordant pairs, the joint ties and the tie-group sizes of v, as
/// `Correlation.kendallCountsByMerge` and `Correlation.kendallCountsFewGroups` (the oracles they are
/// tested against, with the O(n²) pair count).
///
/// ```
/// n_d   = #{i, j : g_i < g_j, v_i > v_j}               (discordant pairs)
/// joint = #{i < j : g_i = g_j, v_i = v_j}              (pairs tied in both)
/// ```
/// * `kendallCountsFewValues` — v takes at most `fewValuesLimit` distinct values: the contingency table
///   T[g][c] (groups × values) in one pass, then n_d = Σ_g Σ_c T[g][c] · Σ_{c' > c} A_g[c'], A_g[c'] the
///   count of value c' in the groups before g; joint = Σ T(T−1)/2; the tie sizes of v are the column
///   sums. O(n · d + G · d).
/// * `kendallCountsBlockTable` — at most `blockTableLimit` groups: v sorted carrying each value's group
///   (`RadixSort.sortCarrying`), then one pass in descending v in which a block of equal v is first queried
///   (each value: the values seen so far, all greater, in a lower group — discordant) and then inserted.
///   The count "seen in a group below g" is read in O(1) from a two-level table of prefix counts, blocks of
///   32 groups (`below[g]`: seen in g's block with a lower group; `blocksBelow[g / 32]`: seen in lower
///   blocks), updated by two fixed-length branch-free loops of 32 lanes per insertion (vectorised), instead
///   of the Fenwick tree's data-dependent O(log G) walks. O(n) after the sort.
extension Correlation {
    /// At most this many distinct values of v take the contingency-table path.
    static let fewValuesLimit = 64

    /// The contingency table's largest size (groups × values); beyond it the other paths are used.
    static let fewValuesTableLimit = 1 << 20

    /// At most this many groups of g take the block-table path (32 blocks of 32 groups).
    static let blockTableLimit = 1024

    /// The τ-b integers from the groups × values contingency table; nil when v has more than
    /// `fewValuesLimit` distinct values (found within the first `fewValuesLimit` + 1 distinct values read) or the table would
    /// exceed `fewValuesTableLimit` cells.
    /// v must hold no NaN; −0 and +0 are one value (`==`).
    static func kendallCountsFewValues(grouping rg: RankedSample, values v: [Double]) -> (discordant: Int, joint: Int, valueTieSizes: [Int])? {
        let n = v.count, G = rg.groupCount
        precondition(rg.group.count == n, "Correlation.kendallCountsFewValues: grouping and values differ in length")
        // Pass 1: a code per value (order of first appearance) and the distinct values.
        var seen = [Double](repeating: 0, count: fewValuesLimit)
        var codes = [UInt8](repeating: 0, count: n)
        var d = 0
        let complete = v.withUnsafeBufferPointer { vp in
            codes.withUnsafeMutableBufferPointer { cp in
                seen.withUnsafeMutableBufferPointer { sp in
                    for i in 0 ..< n {
                        let x = vp[i]
                        var c = -1
                        for m in 0 ..< d where sp[m] == x { c = m }
                        if c < 0 {
                            if d == fewValuesLimit { return false }
                            sp[d] = x == 0 ? 0 : x
                            c = d; d += 1
                        }
                        cp[i] = UInt8(truncatingIfNeeded: c)
                    }
                    return true
                }
            }
        }
        guard complete, G * d <= fewValuesTableLimit else { return nil }
        // Codes of first appearance → ranks of the values (ascending).
        let byValue = (0 ..< d).sorted { seen[$0] < seen[$1] }
        var rank = [Int](repeating: 0, count: d)
        for (r, c) in byValue.enumerated() { rank[c] = r }
        // Pass 2: the table, row g, column = the value's rank.
        var table = [Int](repeating: 0, count: G * d)
        codes.withUnsafeBufferPointer { cp in
            rg.group.withUnsafeBufferPointer { gp in
                table.withUnsafeMutableBufferPointer { t in
                    rank.withUnsafeBufferPointer { rk in
                        for i in 0 ..< n { t[Int(gp[i]) &* d &+ rk[Int(cp[i])]] &+= 1 }
                    }
                }
            }
        }
        var before = [Int](repeating: 0, count: d), column = [Int](repeating: 0, count: d)
        var discordant = 0, joint = 0
        for g in 0 ..< G {
            var greater = 0   // values above c in the groups before g
            for c in stride(from: d - 1, through: 0, by: -1) {
                let t = table[g * d + c]
                discordant += t * greater
                joint += t * (t - 1) / 2
                greater += before[c]
            }
            for c in 0 ..< d { before[c] += table[g * d + c]; column[c] += table[g * d + c] }
        }
        return (discordant, joint, column.filter { $0 > 1 })
    }

    /// The τ-b integers by one sort of v carrying the groups and a descending pass over the two-level
    /// prefix-count table (see the type's notes). `rg` must have at most `blockTableLimit` groups.
    static func kendallCountsBlockTable(grouping rg: RankedSample, values v: [Double]) -> (discordant: Int, joint: Int, valueTieSizes: [Int]) {
        let n = v.count, G = rg.groupCount
        precondition(G <= blockTableLimit && rg.group.count == n, "Correlation.kendallCountsBlockTable: at most \(blockTableLimit) groups, one per value")
        let (keys, groups) = RadixSort.sortCarrying(v, payload: rg.group)
        var below = [Int32](repeating: 0, count: 32 * 32), blocksBelow = [Int32](repeating: 0, count: 32)
        var inBlock = [Int32](repeating: 0, count: G)
        var discordant = 0, joint = 0
        var sizes: [Int] = []
        keys.withUnsafeBufferPointer { k in
            groups.withUnsafeBufferPointer { gp in
                below.withUnsafeMutableBufferPointer { lowBuf in
                    blocksBelow.withUnsafeMutableBufferPointer { highBuf in
                        inBlock.withUnsafeMutableBufferPointer { c in
                            let low = lowBuf.baseAddress!, high = highBuf.baseAddress!
                            /// Seen so far in a group below g.
                            @inline(__always) func seenBelow(_ g: Int) -> Int { Int(high[g >> 5]) &+ Int(low[g]) }
                            /// Records one value of group g: +1 for every group above g, in its block and in the blocks above.
                            @inline(__always) func insert(_ g: Int) {
                                let lane = Int32(truncatingIfNeeded: g & 31), block = Int32(truncatingIfNeeded: g >> 5)
                                let row = low + (g & ~31)
                                for t in 0 ..< 32 { row[t] &+= Int32(truncatingIfNeeded: t) > lane ? 1 : 0 }
                                for t in 0 ..< 32 { high[t] &+= Int32(truncatingIfNeeded: t) > block ? 1 : 0 }
                            }
                            var hi = n
                            while hi > 0 {
                                let key = k[hi - 1]
                                if hi == 1 || k[hi - 2] != key {
                                    // A value without ties (the common case for continuous v).
                                    let g = Int(gp[hi - 1])
                                    discordant &+= seenBelow(g)
                                    insert(g)
                                    hi -= 1
                                    continue
                                }
                                var lo = hi - 1
                                while lo > 0 && k[lo - 1] == key { lo -= 1 }
                                // The block of equal v: queried before any of it is inserted.
                                for j in lo ..< hi { discordant &+= seenBelow(Int(gp[j])) }
                                sizes.append(hi - lo)
                                for j in lo ..< hi { let q = Int(gp[j]); joint &+= Int(c[q]); c[q] &+= 1 }
                                for j in lo ..< hi { c[Int(gp[j])] = 0 }
                                for j in lo ..< hi { insert(Int(gp[j])) }
                                hi = lo
                            }
                        }
                    }
                }
            }
        }
        return (discordant, joint, sizes.reversed())
    }
}
