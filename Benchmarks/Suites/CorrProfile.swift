import Foundation
import PlaceRiskCore
import PlaceRiskIO

/// `corr --profile`: where one pair's time goes (records with op "corr-profile"). Kinds of record, by the
/// start of `method`:
///   "product:"     a public PlaceRisk call (Ranks.midRanks, Ranks.ties, Correlation.*; radix ranking since
///                  2026-12-01, see Sources/PlaceRiskCore/RadixSort.swift);
///   "replica:"     a line of Correlation.swift copied verbatim (its internal pieces are not public);
///   "old product:" the comparison-sort pieces the product used before the radix ranking (for comparison).
/// (The driver-only radix prototypes the product's `RadixSort` grew from are gone; the product's
/// one-against-many calls are timed by `corr` itself.)
enum CorrProfile {
    static func run(x: [Double], y: [Double], input: String, repeats: Int) {
        let n = x.count
        func piece(_ method: String, _ t: [Double], _ extra: [(String, JSONValue)] = []) {
            record(op: "corr-profile", size: n, grid: "", method: method, times: t, input: input, extra: [("pairs", .int(1))] + extra)
        }
        // Spearman = complete pairs (copy) + 2 × midRanks + Pearson of the ranks.
        let (_, tc) = time(repeats) { () -> Int in
            var xs: [Double] = [], ys: [Double] = []
            xs.reserveCapacity(n); ys.reserveCapacity(n)
            for i in x.indices where !x[i].isNaN && !y[i].isNaN { xs.append(x[i]); ys.append(y[i]) }
            return xs.count + ys.count
        }
        piece("replica: completePairs (NaN filter, 2 copies)", tc)
        let (rx, tr) = time(repeats) { Ranks.midRanks(x) }
        piece("product: Ranks.midRanks(x) (radix sort)", tr)
        let (ry, try_) = time(repeats) { Ranks.midRanks(y) }
        piece("product: Ranks.midRanks(y) (radix sort)", try_)
        let (_, tp) = time(repeats) { try? Correlation.pearson(rx, ry) }
        piece("product: Correlation.pearson(ranks) (Pearson step of Spearman)", tp)
        let (_, ts) = time(repeats) { try? Correlation.spearman(x, y) }
        piece("product: Correlation.spearman (whole pair)", ts)

        // Kendall = lexicographic index sort + gathers + ties(x sorted) + ties(y) + merge-sort inversions.
        let (order, to) = time(repeats) { x.indices.sorted { x[$0] < x[$1] || (x[$0] == x[$1] && y[$0] < y[$1]) } }
        piece("old product: index sort by (x, y) (closure comparator)", to)
        let xo = order.map { x[$0] }, yo = order.map { y[$0] }
        let (_, ttx) = time(repeats) { Ranks.ties(xo) }
        piece("product: Ranks.ties(x in sorted order) (radix sort)", ttx)
        let (_, tty) = time(repeats) { Ranks.ties(y) }
        piece("product: Ranks.ties(y) (radix sort)", tty)
        let (_, ti) = time(repeats) { () -> Int in var a = yo; return countInversions(&a) }
        piece("old product: countInversions (bottom-up merge sort of Double)", ti)
        let (_, tk) = time(repeats) { try? Correlation.kendallTauB(x, y) }
        piece("product: Correlation.kendallTauB (whole pair)", tk)
    }

    /// Verbatim copy of the former Correlation.countInversions (before the Int32 blocked count).
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
