import Foundation
import Testing
@testable import PlaceRiskCore

/// The Kendall fast paths of `KendallCounting.swift` (contingency table for few values, two-level block
/// table for few groups) and `RadixSort.sortCarrying` against independent oracles: the O(n²) pair count
/// from the definition, the previous product paths kept as oracles (`kendallCountsFewGroups`, the Fenwick
/// tree; `kendallCountsByMerge`, Knight's merge count), the comparison-sort τ-b of
/// `RadixRankingTests.oldKendall`, `RadixSort.sort` (the full six-pass sort) and scipy.
@Suite("Kendall counting fast paths against the pair count and the previous paths")
struct KendallCountingTests {
    typealias SplitMix = RadixRankingTests.SplitMix

    /// Discordant pairs and joint ties straight from the definition, O(n²); tie sizes of v by `Ranks.ties`.
    static func pairCount(_ g: [Double], _ v: [Double]) -> (discordant: Int, joint: Int) {
        var d = 0, j = 0
        for a in 0 ..< g.count {
            for b in a + 1 ..< g.count {
                if (g[a] < g[b] && v[a] > v[b]) || (g[a] > g[b] && v[a] < v[b]) { d += 1 }
                if g[a] == g[b] && v[a] == v[b] { j += 1 }
            }
        }
        return (d, j)
    }

    /// Cases for every path: x with 1…1,100 levels (around the 1,024-group limit of the block table), y
    /// with 2…70 levels (around the 64-value limit of the table, ±0 among the values), continuous, or 600
    /// levels that share the high half of their keys.
    static func cases(_ g: inout SplitMix) -> [(x: [Double], y: [Double])] {
        var out: [(x: [Double], y: [Double])] = []
        for n in [3, 5, 40, 300, 1200] {
            for xLevels in [1, 2, 9, 944, 1024, 1025, 1100] {
                for yLevels in [2, 10, 64, 65, 70, 0, -1] {
                    let x = (0 ..< n).map { _ in Double(Int.random(in: 0 ..< xLevels, using: &g)) - Double(xLevels / 2) }
                    let y = (0 ..< n).map { i -> Double in
                        if yLevels == 0 { return Double.random(in: -3 ... 3, using: &g) }
                        // 600 values sharing one high key half (runs of equal high halves longer than 32, with ties).
                        if yLevels == -1 { return 2 + Double(Int.random(in: 0 ..< 600, using: &g)) * 0x1p-51 }
                        let c = Int.random(in: 0 ..< yLevels, using: &g) - yLevels / 2
                        return c == 0 && i % 2 == 0 ? -0.0 : Double(c) / 4
                    }
                    out.append((x, y))
                }
            }
        }
        return out
    }

    @Test func fewValuesAndBlockTableEqualThePairCountAndTheFenwickAndMergeCounts() {
        var g = SplitMix(state: 20_261_201)
        var fewValuesUsed = 0, blockTableUsed = 0
        for (x, y) in Self.cases(&g) {
            let rx = RankedSample(x)
            let fenwick = Correlation.kendallCountsFewGroups(grouping: rx, values: y)
            let merge = Correlation.kendallCountsByMerge(grouping: rx, values: y)
            #expect(fenwick.discordant == merge.discordant && fenwick.joint == merge.joint && fenwick.valueTieSizes == merge.valueTieSizes)
            let brute = x.count <= 300 ? Self.pairCount(x, y) : nil
            if let brute { #expect(merge.discordant == brute.discordant && merge.joint == brute.joint) }
            #expect(merge.valueTieSizes == Ranks.ties(y).groupSizes)
            let distinct = Set(y.map { $0 == 0 ? 0 : $0 }).count
            let few = Correlation.kendallCountsFewValues(grouping: rx, values: y)
            #expect((few != nil) == (distinct <= Correlation.fewValuesLimit), "few values: \(distinct) distinct")
            if let few {
                fewValuesUsed += 1
                #expect(few.discordant == merge.discordant && few.joint == merge.joint && few.valueTieSizes == merge.valueTieSizes,
                        "few values n \(x.count) groups \(rx.groupCount) values \(distinct)")
            }
            if rx.groupCount <= Correlation.blockTableLimit {
                blockTableUsed += 1
                let block = Correlation.kendallCountsBlockTable(grouping: rx, values: y)
                #expect(block.discordant == merge.discordant && block.joint == merge.joint && block.valueTieSizes == merge.valueTieSizes,
                        "block table n \(x.count) groups \(rx.groupCount)")
            }
        }
        // Both paths were exercised, and the limits were crossed both ways.
        #expect(fewValuesUsed > 50 && blockTableUsed > 50)
    }

    /// The whole τ-b through the new paths (pair calls and `against:`), with NaN pairs dropped, equals the
    /// comparison-sort oracle bit for bit (τ, p, z, S, Var S): the integers are the same.
    @Test func tauBThroughTheFastPathsEqualsTheComparisonSortOracleWithNaN() throws {
        var g = SplitMix(state: 7)
        for n in [50, 400, 1500] {
            let x = (0 ..< n).map { _ in Double(Int.random(in: 0 ..< 944, using: &g)) / 7 }
            var ys: [[Double]] = [
                x.map { $0 + Double.random(in: -20 ... 20, using: &g) },          // continuous: block table
                x.map { _ in Double(Int.random(in: 1 ... 10, using: &g)) },        // 10 values: contingency table
                x.map { $0 > 60 ? 1 : 0 },                                          // 2 values, correlated
            ]
            var gappy = ys[0]; gappy[1] = .nan; gappy[n - 1] = .nan
            ys.append(gappy)
            for y in ys {
                #expect(try Correlation.kendallTauB(x, y) == RadixRankingTests.oldKendall(x, y), "n \(n)")
            }
            var xn = x; xn[2] = .nan
            #expect(try Correlation.kendallTauB(xn, ys[1]) == RadixRankingTests.oldKendall(xn, ys[1]))
            for (j, r) in Correlation.kendallTauB(x, against: ys).enumerated() {
                #expect(try r.get() == RadixRankingTests.oldKendall(x, ys[j]), "against, column \(j)")
            }
        }
    }

    /// scipy 1.17.1, `stats.kendalltau(x, y, variant="b")` with i = 0…59:
    /// x = (7i mod 5), y = (3i² mod 11) → τ 0.0027307730683968014, p 0.9788548706478334 (5 × 11 values:
    /// contingency path); x = (7i mod 13), y = sin i → τ −0.11901165379501241, p 0.19162132848414626
    /// (13 groups, continuous y: block-table path).
    @Test func tauBMatchesScipyOnBothPaths() throws {
        let i = (0 ..< 60).map(Double.init)
        let a = try Correlation.kendallTauB(i.map { ($0 * 7).truncatingRemainder(dividingBy: 5) },
                                            i.map { ($0 * $0 * 3).truncatingRemainder(dividingBy: 11) })
        #expect(abs(a.tau - 0.0027307730683968014) < 1e-15 && abs(a.p - 0.9788548706478334) < 1e-12, "\(a.tau) \(a.p)")
        let b = try Correlation.kendallTauB(i.map { ($0 * 7).truncatingRemainder(dividingBy: 13) }, i.map { sin($0) })
        #expect(abs(b.tau - -0.11901165379501241) < 1e-15 && abs(b.p - 0.19162132848414626) < 1e-12, "\(b.tau) \(b.p)")
    }

    /// `sortCarrying` gives `RadixSort.sort`'s keys and payloads bit for bit: random doubles, heavy ties,
    /// ±0, ±infinity, and long runs (> 32) of values sharing their high key halves in reverse order.
    @Test func sortCarryingEqualsTheFullRadixSort() {
        var g = SplitMix(state: 31)
        let shared = (0 ..< 200).reversed().map { 2 + Double($0) * 0x1p-51 }   // one high half, descending
        let inputs: [[Double]] = [
            [], [1], (0 ..< 3000).map { _ in Double.random(in: -1e6 ... 1e6, using: &g) },
            RadixRankingTests.awkward(2500, &g).filter { !$0.isNaN },
            shared, shared + shared.reversed() + [0, -0.0, .infinity, -.infinity],
        ]
        for x in inputs {
            let payload = (0 ..< x.count).map { _ in Int32.random(in: 0 ..< 1000, using: &g) }
            let fast = RadixSort.sortCarrying(x, payload: payload)
            let full = RadixSort.sort(x, payload: payload.map { UInt32(bitPattern: $0) })
            #expect(fast.keys == full.keys, "keys, n = \(x.count)")
            #expect(fast.payload.map { UInt32(bitPattern: $0) } == full.order, "payloads, n = \(x.count)")
        }
    }
}
