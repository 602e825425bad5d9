import Testing
@testable import PlaceRiskCore

/// The radix fast paths (`RadixSort`, `RankedSample`, `Inversions`, the `against:` and
/// `DomainCorrelation.run` reuse of one sorted variable) against naive oracles: a comparison sort of the
/// indices by (value, index) with average ranks for ties, an O(n²) inversion count, and the comparison-
/// sort Kendall τ-b the product used before (copied here verbatim).
@Suite("Radix ranking and inversion counts against naive oracles")
struct RadixRankingTests {
    /// SplitMix64: a seeded generator, so every run tests the same data.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Values with many ties, negatives, ±0, subnormals, ±infinity, extremes and plain random doubles.
    static func awkward(_ n: Int, _ g: inout SplitMix) -> [Double] {
        let pool: [Double] = [0.0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 3 * .leastNonzeroMagnitude,
                              .leastNormalMagnitude, -.leastNormalMagnitude, .infinity, -.infinity,
                              .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1, -1, 2.5, -2.5, 1e-300, -1e300]
        return (0 ..< n).map { _ in
            switch Int.random(in: 0 ..< 4, using: &g) {
            case 0: return pool.randomElement(using: &g)!
            case 1: return Double(Int.random(in: -5 ... 5, using: &g))
            case 2: return Double.random(in: -1e6 ... 1e6, using: &g)
            default: return Double(Int.random(in: -3 ... 3, using: &g)) * .leastNonzeroMagnitude
            }
        }
    }

    /// Naive ranks: indices sorted by (value, index) with `<`, average ranks for runs of `==`.
    static func naiveMidRanks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] || (x[$0] == x[$1] && $0 < $1) }
        var ranks = [Double](repeating: 0, count: x.count)
        var s = 0
        while s < order.count {
            var e = s + 1
            while e < order.count && x[order[e]] == x[order[s]] { e += 1 }
            for k in s ..< e { ranks[order[k]] = Double(s + e + 1) / 2 }
            s = e
        }
        return ranks
    }

    static func naiveTieSizes(_ x: [Double]) -> [Int] {
        let s = x.sorted()
        var sizes: [Int] = [], a = 0
        while a < s.count {
            var b = a + 1
            while b < s.count && s[b] == s[a] { b += 1 }
            if b - a > 1 { sizes.append(b - a) }
            a = b
        }
        return sizes
    }

    @Test func radixRanksEqualComparisonSortRanks() {
        var g = SplitMix(state: 20_261_201)
        for n in [0, 1, 2, 3, 7, 31, 32, 33, 100, 1000, 5000] {
            for _ in 0 ..< 4 {
                let x = Self.awkward(n, &g)
                let naiveOrder = x.indices.sorted { x[$0] < x[$1] || (x[$0] == x[$1] && $0 < $1) }
                #expect(Ranks.sortedIndices(x) == naiveOrder, "order, n = \(n)")
                #expect(Ranks.midRanks(x) == Self.naiveMidRanks(x), "mid-ranks, n = \(n)")
                #expect(Ranks.ties(x).groupSizes == Self.naiveTieSizes(x), "ties, n = \(n)")
                let r = RankedSample(x)
                #expect(r.ties.groupSizes == Self.naiveTieSizes(x))
                #expect(r.groupCount == Set(x.map { $0 == 0 ? 0 : $0 }).count)
                // Group codes are ordered as the values and equal exactly for equal values.
                for _ in 0 ..< min(200, n) {
                    let i = Int.random(in: 0 ..< n, using: &g), j = Int.random(in: 0 ..< n, using: &g)
                    #expect((r.group[i] < r.group[j]) == (x[i] < x[j]) && (r.group[i] == r.group[j]) == (x[i] == x[j]))
                }
            }
        }
    }

    @Test func keysPreserveOrderAndTieSignedZeros() {
        #expect(RadixSort.key(-0.0) == RadixSort.key(0.0))
        let v: [Double] = [-.infinity, -.greatestFiniteMagnitude, -1, -.leastNormalMagnitude, -.leastNonzeroMagnitude, 0,
                           .leastNonzeroMagnitude, .leastNormalMagnitude, 1, .greatestFiniteMagnitude, .infinity]
        for i in v.indices.dropLast() { #expect(RadixSort.key(v[i]) < RadixSort.key(v[i + 1]), "\(v[i]) < \(v[i + 1])") }
        #expect(Ranks.midRanks([0.0, -0.0, 1, -0.0]) == [2, 2, 4, 2])
    }

    static func bruteInversions(_ a: [Int32]) -> Int {
        var c = 0
        for i in a.indices { for j in i + 1 ..< a.count where a[i] > a[j] { c += 1 } }
        return c
    }

    @Test func blockedInversionCountEqualsBruteForce() {
        var g = SplitMix(state: 7)
        for n in [0, 1, 2, 5, 31, 32, 33, 63, 64, 65, 100, 257, 1000, 2048, 3001] {
            for range in [Int32(1), 3, 10, 1000, Int32.max - 1] {
                var a = (0 ..< n).map { _ in Int32.random(in: 0 ... range, using: &g) }
                let expected = Self.bruteInversions(a)
                let sorted = a.sorted()
                var keys = a.map { RadixSort.key(Double($0) - 1e4) }
                let sortedKeys = keys.sorted()
                #expect(Inversions.count(&a) == expected, "n = \(n), range = \(range)")
                #expect(a == sorted)
                #expect(Inversions.count(&keys) == expected, "UInt64 keys, n = \(n), range = \(range)")
                #expect(keys == sortedKeys)
            }
        }
        var runs = (0 ..< 3000).map { Int32(($0 % 700) / 3) }   // sorted runs of 700 (the copy shortcut)
        let expectedRuns = Self.bruteInversions(runs)
        #expect(Inversions.count(&runs) == expectedRuns)
        var rev = (0 ..< 500).map { Int32(500 - $0) }
        #expect(Inversions.count(&rev) == 500 * 499 / 2)
    }

    /// The comparison-sort Kendall τ-b of the product before the radix path (verbatim), as the oracle.
    static func oldKendall(_ x: [Double], _ y: [Double]) throws(CorrelationError) -> KendallResult {
        let (xs, ys) = try Correlation.completePairs(x, y)
        let n = xs.count
        let order = xs.indices.sorted { xs[$0] < xs[$1] || (xs[$0] == xs[$1] && ys[$0] < ys[$1]) }
        let xo = order.map { xs[$0] }
        let yo = order.map { ys[$0] }
        var jointTies = 0
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && xo[end] == xo[start] && yo[end] == yo[start] { end += 1 }
            jointTies += (end - start) * (end - start - 1) / 2
            start = end
        }
        let tx = TieSummary(groupSizes: naiveTieSizes(xo)), ty = TieSummary(groupSizes: naiveTieSizes(ys))
        var discordant = 0
        for i in 0 ..< n { for j in i + 1 ..< n where yo[i] > yo[j] { discordant += 1 } }
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
        if xTied == 0, yTied == 0, n < Correlation.exactKendallLimit {
            return KendallResult(tau: tau, p: Correlation.kendallExactTwoSidedP(n: n, discordant: discordant), pMethod: .exact, z: z,
                                 concordantMinusDiscordant: s, variance: variance, n: n)
        }
        return KendallResult(tau: tau, p: MultipleTesting.twoSidedP(z), pMethod: .normalApproximation, z: z,
                             concordantMinusDiscordant: s, variance: variance, n: n)
    }

    @Test func kendallAndSpearmanEqualTheComparisonSortOracles() throws {
        var g = SplitMix(state: 99)
        for n in [3, 4, 10, 33, 49, 50, 200, 1500] {
            for trial in 0 ..< 4 {
                // Finite values (τ-b and ρ of infinities are still ranks, but keep the oracle simple); ties, ±0, NaN.
                var x = Self.awkward(n, &g).map { $0.isFinite ? $0 : 7 }
                var y = Self.awkward(n, &g).map { $0.isFinite ? $0 : -7 }
                if trial == 1 { x = (0 ..< n).map { _ in Double.random(in: 0 ..< 1, using: &g) }; y = x.map { $0 + Double.random(in: 0 ..< 0.5, using: &g) } }
                if trial == 2, n > 5 { x[1] = .nan; y[3] = .nan }
                let k = try Correlation.kendallTauB(x, y), k0 = try Self.oldKendall(x, y)
                #expect(k == k0, "kendall n = \(n) trial \(trial)")
                let s = try Correlation.spearman(x, y)
                let (xs, ys) = try Correlation.completePairs(x, y)
                #expect(s.rho == Correlation.pearsonR(Self.naiveMidRanks(xs), Self.naiveMidRanks(ys)), "spearman n = \(n)")
            }
        }
    }

    /// The carrying sort (high halves first) gives the full radix sort's keys and payloads exactly (stable), on awkward
    /// values, on values whose keys share their high 32 bits in runs shorter and longer than the
    /// insertion-sort limit (1 + k·2⁻⁵² and 1e6 + k·ulp, shuffled), on ten tied levels and on sorted input.
    @Test func carryingSortEqualsTheFullRadixSort() {
        var g = SplitMix(state: 77)
        var inputs: [[Double]] = []
        for n in [0, 1, 2, 33, 1000, 20_000] { inputs.append(Self.awkward(n, &g)) }
        for run in [5, 40, 3000] {
            inputs.append((0 ..< 6000).map { _ in 1 + Double(Int.random(in: 0 ..< run, using: &g)) * 0x1p-52 })
            inputs.append((0 ..< 6000).map { _ in 1e6 + Double(Int.random(in: 0 ..< run, using: &g)) * (1e6).ulp })
        }
        inputs.append((0 ..< 5000).map { _ in Double(Int.random(in: 1 ... 10, using: &g)) })
        inputs.append((0 ..< 5000).map { Double($0) * 1e-3 })
        for x in inputs {
            let payload = (0 ..< x.count).map { _ in Int32.random(in: 0 ..< 1000, using: &g) }
            let full = RadixSort.sort(x, payload: payload.map { UInt32(bitPattern: $0) })
            let half = RadixSort.sortCarrying(x, payload: payload)
            #expect(half.keys == full.keys, "keys, n = \(x.count)")
            #expect(half.payload.map { UInt32(bitPattern: $0) } == full.order, "payloads, n = \(x.count)")
            // argsort (the index as payload) takes the same path: the full sort's order exactly.
            let order = RadixSort.argsort(x), fullOrder = RadixSort.sort(x, payload: nil)
            #expect(order.keys == fullOrder.keys && order.order == fullOrder.order, "argsort, n = \(x.count)")
        }
    }

    /// Kendall's integers for a few-level x (944 levels, as the benchmark's rate) against continuous y
    /// (every value distinct, and values sharing their high key halves) equal the O(n²) pair count.
    @Test func fewGroupsCountWithContinuousValuesEqualsTheBruteForce() {
        var g = SplitMix(state: 944)
        for ys in 0 ..< 2 {
            let n = 1500
            let x = (0 ..< n).map { _ in Double(Int.random(in: 0 ..< 944, using: &g)) / 7 }
            let y = (0 ..< n).map { _ in ys == 0 ? Double.random(in: -3 ... 3, using: &g) : 2 + Double(Int.random(in: 0 ..< 600, using: &g)) * 0x1p-51 }
            let a = Correlation.kendallCountsFewGroups(grouping: RankedSample(x), values: y)
            let b = Correlation.kendallCountsByMerge(grouping: RankedSample(x), values: y)
            var d = 0, j = 0
            for i in 0 ..< n { for k in i + 1 ..< n {
                if (x[i] - x[k]) * (y[i] - y[k]) < 0 { d += 1 }
                if x[i] == x[k] && y[i] == y[k] { j += 1 }
            } }
            #expect(a.discordant == d && a.joint == j)
            #expect(b.discordant == d && b.joint == j && a.valueTieSizes == b.valueTieSizes)
        }
    }

    /// The two counting paths (merge count for any number of x groups; Fenwick tree over few groups) give
    /// the same discordant pairs, joint ties and y tie sizes, and both equal the O(n²) pair count.
    @Test func fewGroupsCountEqualsTheMergeCountAndTheBruteForce() {
        var g = SplitMix(state: 2024)
        for n in [2, 3, 17, 400, 3000] {
            for levels in [1, 2, 7, 50, 100_000] {
                let x = (0 ..< n).map { _ in Double(Int.random(in: 0 ..< levels, using: &g)) }
                let y = (0 ..< n).map { _ in Double(Int.random(in: 0 ..< max(2, levels / 3 + 1), using: &g)) * (Bool.random(using: &g) ? 1 : -1) }
                let rx = RankedSample(x)
                let a = Correlation.kendallCountsFewGroups(grouping: rx, values: y)
                let b = Correlation.kendallCountsByMerge(grouping: rx, values: y)
                #expect(a.discordant == b.discordant && a.joint == b.joint && a.valueTieSizes == b.valueTieSizes, "n \(n) levels \(levels)")
                if n <= 400 {
                    var d = 0, j = 0
                    for i in 0 ..< n { for k in i + 1 ..< n {
                        if (x[i] - x[k]) * (y[i] - y[k]) < 0 { d += 1 }
                        if x[i] == x[k] && y[i] == y[k] { j += 1 }
                    } }
                    #expect(a.discordant == d && a.joint == j, "brute force n \(n) levels \(levels)")
                }
            }
        }
    }

    @Test func againstManyEqualsThePairCalls() throws {
        var g = SplitMix(state: 5)
        let n = 3000
        let x = (0 ..< n).map { _ in Double(Int.random(in: 0 ..< 400, using: &g)) / 7 }
        var ys: [[Double]] = (0 ..< 5).map { k in x.map { $0 * Double(k - 2) + Double.random(in: -20 ... 20, using: &g) } }
        ys.append(x.map { _ in Double(Int.random(in: 1 ... 10, using: &g)) })
        var withNaN = ys[0]; withNaN[17] = .nan; ys.append(withNaN)
        ys.append([Double](repeating: 2, count: n))
        let pe = Correlation.pearson(x, against: ys), sp = Correlation.spearman(x, against: ys), ke = Correlation.kendallTauB(x, against: ys)
        for (j, y) in ys.enumerated() {
            switch (pe[j], Result { () throws(CorrelationError) in try Correlation.pearson(x, y) }) {
            case (.success(let a), .success(let b)): #expect(a == b)
            case (.failure(let a), .failure(let b)): #expect(a == b)
            default: Issue.record("pearson \(j) differs")
            }
            switch (sp[j], Result { () throws(CorrelationError) in try Correlation.spearman(x, y) }) {
            case (.success(let a), .success(let b)): #expect(a == b)
            case (.failure(let a), .failure(let b)): #expect(a == b)
            default: Issue.record("spearman \(j) differs")
            }
            switch (ke[j], Result { () throws(CorrelationError) in try Correlation.kendallTauB(x, y) }) {
            case (.success(let a), .success(let b)): #expect(a == b)
            case (.failure(let a), .failure(let b)): #expect(a == b)
            default: Issue.record("kendall \(j) differs")
            }
        }
        // A NaN in x: every column falls back to its own complete pairs.
        var xn = x; xn[0] = .nan
        let sn = Correlation.spearman(xn, against: ys)
        #expect(try sn[1].get() == Correlation.spearman(xn, ys[1]))
    }

    @Test func domainCorrelationRunEqualsSerialPairCalls() throws {
        var g = SplitMix(state: 11)
        let n = 2500
        let rate = (0 ..< n).map { _ in Double(Int.random(in: 0 ..< 50, using: &g)) / 3 }
        var measures: [DomainCorrelation.Measure] = (0 ..< 4).map { k in
            DomainCorrelation.Measure(name: "m\(k)", values: rate.map { $0 * Double(k) + Double.random(in: 0 ..< 5, using: &g) }, deciles: nil, meaning: "score")
        }
        var gappy = measures[1].values; gappy[3] = .nan; gappy[9] = .infinity
        measures.append(DomainCorrelation.Measure(name: "gappy", values: gappy, deciles: nil, meaning: "score"))
        measures.append(DomainCorrelation.Measure(name: "constant", values: [Double](repeating: 1, count: n), deciles: nil, meaning: "score"))
        let results = DomainCorrelation.run(values: rate, measures: measures)
        for (k, m) in measures.enumerated() {
            let keep = rate.indices.filter { m.values[$0].isFinite && rate[$0].isFinite }
            let x = keep.map { m.values[$0] }, y = keep.map { rate[$0] }
            #expect(results[k].n == keep.count)
            #expect(results[k].pearson == (try? Correlation.pearson(x, y)))
            #expect(results[k].spearman == (try? Correlation.spearman(x, y)))
            #expect(results[k].kendall == (try? Correlation.kendallTauB(x, y)))
        }
        #expect(results[5].spearman == nil && results[5].notes.count == 3)
        // Deterministic across runs (parallel over the measures).
        let again = DomainCorrelation.run(values: rate, measures: measures)
        #expect(again.map(\.pAdjusted).map(\.bitPattern) == results.map(\.pAdjusted).map(\.bitPattern))
    }

    /// The fused Pearson r against the former one (rescaled copies, then reduce and two loops), bit for bit.
    @Test func fusedPearsonEqualsTheRescaledCopies() {
        func old(_ x: [Double], _ y: [Double]) -> Double {
            let n = Double(x.count)
            let x = Correlation.rescaled(x), y = Correlation.rescaled(y)
            let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
            var sxx = 0.0, syy = 0.0
            for i in x.indices { let dx = x[i] - mx, dy = y[i] - my; sxx += dx * dx; syy += dy * dy }
            let nx = sxx.squareRoot(), ny = syy.squareRoot()
            var r = 0.0
            for i in x.indices { r += (x[i] - mx) / nx * ((y[i] - my) / ny) }
            return min(1, max(-1, r))
        }
        var g = SplitMix(state: 3)
        for n in [3, 10, 1000, 20000] {
            for scale in [1e-300, 1e-200, 1.0, 1e200, 1e300] {
                let x = (0 ..< n).map { _ in Double.random(in: -1 ... 1, using: &g) * scale }
                let y = x.map { $0 * 0.5 + Double.random(in: -1 ... 1, using: &g) * scale }
                #expect(Correlation.pearsonR(x, y).bitPattern == old(x, y).bitPattern, "n = \(n), scale = \(scale)")
            }
            let z = (0 ..< n).map { Double($0 % 7) }, w = (0 ..< n).map { _ in Double(Int.random(in: 0 ... 3, using: &g)) }
            #expect(Correlation.pearsonR(z, w).bitPattern == old(z, w).bitPattern)
        }
    }
}
