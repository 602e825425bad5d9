import Foundation
import PlaceRiskCore
import PlaceRiskIO

/// `corr --profile`: where one pair's time goes (records with op "corr-profile"). Kinds of record, by the
/// start of `method`:
///   "product:"     a public PlaceRisk call (Ranks.midRanks, Ranks.ties, Correlation.*; radix ranking since
///                  2026-12-01, see Sources/PlaceRiskCore/RadixSort.swift);
///   "replica:"     a line of Correlation.swift copied verbatim (its internal pieces are not public);
///   "old product:" the comparison-sort pieces the product used before the radix ranking (for comparison);
///   "prototype:"   the driver-only radix prototype the product's code grew from, checked against it.
enum CorrProfile {
    /// All pairs the way the product could run them: x ranked / sorted once (it is the same column for
    /// every measure when nothing is missing), each y by radix; serially and over the cores.
    static func runPairs(x: [Double], columns: [[Double]], input: String, repeats: Int, expectRho: [Double], expectTau: [Double]) {
        let n = x.count, k = Parallel.processorCount
        func rec(_ method: String, _ t: [Double], _ v: [Double], _ expect: [Double], workers: Int) {
            let d = zip(v, expect).map { abs($0 - $1) }.max() ?? .nan
            record(op: "corr-profile", size: n, grid: "", method: method, times: t, input: input,
                   extra: [("pairs", .int(columns.count)), ("workers", .int(workers)), ("max_abs_diff_vs_product", .number(d))])
        }
        func spearmanAll(workers: Int) -> [Double] {
            let rx = Radix.midRanks(x)
            let box = ResultBox(count: columns.count)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for j in stride(from: w, to: columns.count, by: workers) {
                    box.set(j, (try? Correlation.pearson(rx, Radix.midRanks(columns[j])))?.r ?? .nan)
                }
            }
            return box.values
        }
        func kendallAll(workers: Int) -> [Double] {
            let sx = Radix.SortedX(x)
            let box = ResultBox(count: columns.count)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for j in stride(from: w, to: columns.count, by: workers) { box.set(j, sx.kendall(columns[j]).tau) }
            }
            return box.values
        }
        for w in [1, k] where w == 1 || k > 1 {
            let (vs, ts) = time(repeats) { spearmanAll(workers: w) }
            rec("prototype: spearman \(columns.count) pairs, radix ranks, x ranked once, \(w) worker(s)", ts, vs, expectRho, workers: w)
            let (vk, tk) = time(repeats) { kendallAll(workers: w) }
            rec("prototype: kendall tau-b \(columns.count) pairs, x sorted once, radix y + scatter + blocked merge count, \(w) worker(s)", tk, vk, expectTau, workers: w)
        }
    }

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
        let (spear, ts) = time(repeats) { try? Correlation.spearman(x, y) }
        piece("product: Correlation.spearman (whole pair)", ts)

        // Kendall = lexicographic index sort + gathers + ties(x sorted) + ties(y) + merge-sort inversions.
        let (order, to) = time(repeats) { x.indices.sorted { x[$0] < x[$1] || (x[$0] == x[$1] && y[$0] < y[$1]) } }
        piece("old product: index sort by (x, y) (closure comparator)", to)
        let xo = order.map { x[$0] }, yo = order.map { y[$0] }
        let (_, ttx) = time(repeats) { Ranks.ties(xo) }
        piece("product: Ranks.ties(x in sorted order) (radix sort)", ttx)
        let (_, tty) = time(repeats) { Ranks.ties(y) }
        piece("product: Ranks.ties(y) (radix sort)", tty)
        let (invReplica, ti) = time(repeats) { () -> Int in var a = yo; return countInversions(&a) }
        piece("old product: countInversions (bottom-up merge sort of Double)", ti)
        let (kend, tk) = time(repeats) { try? Correlation.kendallTauB(x, y) }
        piece("product: Correlation.kendallTauB (whole pair)", tk)

        // Prototypes: radix argsort ranking, checked against the product.
        let (prx, tpr) = time(repeats) { Radix.midRanks(x) }
        precondition(prx == rx, "radix mid-ranks differ from Ranks.midRanks")
        piece("prototype: radix mid-ranks of x (LSD, 11-bit digits, constant digits skipped)", tpr)
        let (ps, tps) = time(repeats) { () -> Double in (try? Correlation.pearson(Radix.midRanks(x), Radix.midRanks(y)))?.r ?? .nan }
        piece("prototype: spearman pair with radix ranks (+ product Pearson)", tps,
              [("rho", .number(ps)), ("abs_diff_vs_product", .number(abs(ps - (spear?.rho ?? .nan))))])
        let (_, tay) = time(repeats) { Radix.argsort(y.map(Radix.key)) }
        piece("prototype: radix argsort of y (6 x 11-bit LSD passes, keys + UInt32 indices)", tay)
        let yRanks = Radix.midRanks(yo).map { Int32($0 * 2) }
        let (invBlocked, tbi) = time(repeats) { () -> Int in var a = yRanks; return Radix.blockedInversions(&a) }
        precondition(invBlocked == invReplica, "blocked inversion count differs from the product's merge count")
        piece("prototype: blocked merge count of inversions (Int32, insertion blocks of 32, branch-free merge)", tbi)
        let (pk, tpk) = time(repeats) { Radix.kendall(x, y) }
        precondition(pk.s == kend?.concordantMinusDiscordant, "radix Kendall S differs from the product's")
        piece("prototype: kendall tau-b pair, radix (y, then x stable) + Int32 merge count", tpk,
              [("tau", .number(pk.tau)), ("abs_diff_vs_product", .number(abs(pk.tau - (kend?.tau ?? .nan)))), ("s", .int(pk.s))])
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

/// Driver-only prototype of radix ranking (what Correlation/Ranks could use instead of comparison sorts).
enum Radix {
    /// Order-preserving map of a non-NaN Double to UInt64 (−0 and +0 map together).
    @inline(__always) static func key(_ v: Double) -> UInt64 {
        let b = (v == 0 ? 0.0 : v).bitPattern
        return b & (1 << 63) != 0 ? ~b : b | (1 << 63)
    }

    /// Stable LSD radix argsort of `keys` (six 11-bit digits, histograms in L1; a digit equal for every key
    /// is skipped), starting from `start` (a permutation) when given. Returns the sorted keys and the order.
    static func argsort(_ keys: [UInt64], start: [UInt32]? = nil) -> (keys: [UInt64], order: [UInt32]) {
        let n = keys.count, bits = 11, radix = 1 << 11, passes = 6, mask: UInt64 = (1 << 11) - 1
        var k0 = [UInt64](repeating: 0, count: n), i0 = [UInt32](repeating: 0, count: n)
        if let s = start { for j in 0 ..< n { i0[j] = s[j]; k0[j] = keys[Int(s[j])] } } else { for j in 0 ..< n { i0[j] = UInt32(j); k0[j] = keys[j] } }
        var k1 = [UInt64](repeating: 0, count: n), i1 = [UInt32](repeating: 0, count: n)
        var hist = [Int](repeating: 0, count: passes * radix)
        k0.withUnsafeBufferPointer { kp in
            hist.withUnsafeMutableBufferPointer { h in
                for v in kp {
                    for p in 0 ..< passes { h[p * radix + Int((v >> UInt64(p * bits)) & mask)] += 1 }
                }
            }
        }
        for pass in 0 ..< passes {
            let base = pass * radix, shift = UInt64(pass * bits)
            var sum = 0, constant = false
            for d in 0 ..< radix {
                let c = hist[base + d]
                if c == n { constant = true; break }
                hist[base + d] = sum; sum += c
            }
            if constant { continue }
            k0.withUnsafeBufferPointer { ks in
                i0.withUnsafeBufferPointer { iv in
                    k1.withUnsafeMutableBufferPointer { ko in
                        i1.withUnsafeMutableBufferPointer { io in
                            hist.withUnsafeMutableBufferPointer { h in
                                for j in 0 ..< n {
                                    let v = ks[j], d = base + Int((v >> shift) & mask)
                                    let p = h[d]; h[d] = p + 1
                                    ko[p] = v; io[p] = iv[j]
                                }
                            }
                        }
                    }
                }
            }
            swap(&k0, &k1); swap(&i0, &i1)
        }
        return (k0, i0)
    }

    /// Mid-ranks 1…n, as Ranks.midRanks.
    static func midRanks(_ x: [Double]) -> [Double] {
        let n = x.count
        let (k, ord) = argsort(x.map(key))
        var ranks = [Double](repeating: 0, count: n)
        var s = 0
        while s < n {
            var e = s + 1
            while e < n && k[e] == k[s] { e += 1 }
            let mid = Double(s + e + 1) / 2
            for j in s ..< e { ranks[Int(ord[j])] = mid }
            s = e
        }
        return ranks
    }

    /// Kendall τ-b and S (= n_c − n_d): radix sort by y (dense ranks, y ties), then stably by x (x ties,
    /// joint ties), then strict inversions of the dense y ranks by an Int32 merge sort.
    static func kendall(_ x: [Double], _ y: [Double]) -> (tau: Double, s: Int) {
        let n = x.count
        let (ky, oy) = argsort(y.map(key))
        var dy = [Int32](repeating: 0, count: n)
        var yGroups: [Int] = []
        var s = 0, r: Int32 = 0
        while s < n {
            var e = s + 1
            while e < n && ky[e] == ky[s] { e += 1 }
            if e - s > 1 { yGroups.append(e - s) }
            for j in s ..< e { dy[Int(oy[j])] = r }
            r += 1; s = e
        }
        let (kx, oxy) = argsort(x.map(key), start: oy)
        var yo = [Int32](repeating: 0, count: n)
        for j in 0 ..< n { yo[j] = dy[Int(oxy[j])] }
        var xGroups: [Int] = []
        var joint = 0
        s = 0
        while s < n {
            var e = s + 1
            while e < n && kx[e] == kx[s] { e += 1 }
            if e - s > 1 {
                xGroups.append(e - s)
                var a = s
                while a < e {
                    var b = a + 1
                    while b < e && yo[b] == yo[a] { b += 1 }
                    joint += (b - a) * (b - a - 1) / 2
                    a = b
                }
            }
            s = e
        }
        let dis = inversions(&yo)
        let tx = TieSummary(groupSizes: xGroups), ty = TieSummary(groupSizes: yGroups)
        let total = n * (n - 1) / 2
        let sv = total - tx.tiedPairs - ty.tiedPairs + joint - 2 * dis
        let tau = Double(sv) / Double(total - tx.tiedPairs).squareRoot() / Double(total - ty.tiedPairs).squareRoot()
        return (min(1, max(-1, tau)), sv)
    }

    /// x sorted once (dense ranks, tie-group starts, tie sizes) for the Kendall τ-b of x with many y.
    struct SortedX: Sendable {
        let n: Int
        let dense: [Int32]
        let groupStart: [Int]
        let ties: TieSummary

        init(_ x: [Double]) {
            n = x.count
            let (k, ord) = Radix.argsort(x.map(Radix.key))
            var dense = [Int32](repeating: 0, count: n), starts: [Int] = [], sizes: [Int] = []
            var s = 0
            while s < n {
                var e = s + 1
                while e < n && k[e] == k[s] { e += 1 }
                let r = Int32(starts.count)
                starts.append(s)
                if e - s > 1 { sizes.append(e - s) }
                for j in s ..< e { dense[Int(ord[j])] = r }
                s = e
            }
            self.dense = dense; groupStart = starts; ties = TieSummary(groupSizes: sizes)
        }

        /// τ-b and S of x with `y`: radix sort of y (dense ranks, y ties), one counting scatter into the x
        /// groups (→ (x, y) order), joint ties per x group, blocked merge count of inversions.
        func kendall(_ y: [Double]) -> (tau: Double, s: Int) {
            let (ky, oy) = Radix.argsort(y.map(Radix.key))
            var pos = groupStart
            var yo = [Int32](repeating: 0, count: n)
            var yGroups: [Int] = []
            var r: Int32 = 0, s = 0
            while s < n {
                var e = s + 1
                while e < n && ky[e] == ky[s] { e += 1 }
                if e - s > 1 { yGroups.append(e - s) }
                for j in s ..< e { let g = Int(dense[Int(oy[j])]); yo[pos[g]] = r; pos[g] += 1 }
                r += 1; s = e
            }
            var joint = 0
            for g in groupStart.indices {
                let lo = groupStart[g], hi = g + 1 < groupStart.count ? groupStart[g + 1] : n
                if hi - lo < 2 { continue }
                var a = lo
                while a < hi {
                    var b = a + 1
                    while b < hi && yo[b] == yo[a] { b += 1 }
                    joint += (b - a) * (b - a - 1) / 2
                    a = b
                }
            }
            let dis = Radix.blockedInversions(&yo)
            let ty = TieSummary(groupSizes: yGroups)
            let total = n * (n - 1) / 2
            let sv = total - ties.tiedPairs - ty.tiedPairs + joint - 2 * dis
            let tau = Double(sv) / Double(total - ties.tiedPairs).squareRoot() / Double(total - ty.tiedPairs).squareRoot()
            return (min(1, max(-1, tau)), sv)
        }
    }

    /// Strict inversions: insertion sort of blocks of 32 (counting the shifts), then branch-free
    /// bottom-up merges; sorts `a`.
    static func blockedInversions(_ a: inout [Int32]) -> Int {
        let n = a.count, block = 32
        var inv = 0
        a.withUnsafeMutableBufferPointer { p in
            var lo = 0
            while lo < n {
                let hi = min(lo + block, n)
                for i in lo + 1 ..< max(lo + 1, hi) {
                    let v = p[i]
                    var j = i
                    while j > lo && p[j - 1] > v { p[j] = p[j - 1]; j -= 1 }
                    inv += i - j
                    p[j] = v
                }
                lo = hi
            }
        }
        var from = a, to = [Int32](repeating: 0, count: n)
        var width = block
        while width < n {
            from.withUnsafeBufferPointer { f in
                to.withUnsafeMutableBufferPointer { t in
                    var lo = 0
                    while lo < n {
                        let mid = min(lo + width, n), hi = min(lo + 2 * width, n)
                        var i = lo, j = mid, k = lo
                        while i < mid && j < hi {
                            let fi = f[i], fj = f[j]
                            let take = fj < fi
                            t[k] = take ? fj : fi
                            inv &+= take ? mid - i : 0
                            j &+= take ? 1 : 0
                            i &+= take ? 0 : 1
                            k &+= 1
                        }
                        while i < mid { t[k] = f[i]; i += 1; k += 1 }
                        while j < hi { t[k] = f[j]; j += 1; k += 1 }
                        lo = hi
                    }
                }
            }
            swap(&from, &to)
            width *= 2
        }
        a = from
        return inv
    }

    /// Strict inversions (i < j, a[i] > a[j]) by bottom-up merge sort on unsafe buffers; sorts `a`.
    static func inversions(_ a: inout [Int32]) -> Int {
        let n = a.count
        var from = a, to = [Int32](repeating: 0, count: n)
        var inv = 0
        var width = 1
        while width < n {
            from.withUnsafeBufferPointer { f in
                to.withUnsafeMutableBufferPointer { t in
                    var lo = 0
                    while lo < n {
                        let mid = min(lo + width, n), hi = min(lo + 2 * width, n)
                        var i = lo, j = mid, k = lo
                        while i < mid && j < hi {
                            let fj = f[j], fi = f[i]
                            if fj < fi { t[k] = fj; j += 1; inv += mid - i } else { t[k] = fi; i += 1 }
                            k += 1
                        }
                        while i < mid { t[k] = f[i]; i += 1; k += 1 }
                        while j < hi { t[k] = f[j]; j += 1; k += 1 }
                        lo = hi
                    }
                }
            }
            swap(&from, &to)
            width *= 2
        }
        a = from
        return inv
    }
}
