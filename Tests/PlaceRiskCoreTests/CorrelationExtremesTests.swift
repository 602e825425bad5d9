import Testing
@testable import PlaceRiskCore

@Suite("Pearson at extreme scales; Kendall's exact p")
struct CorrelationExtremesTests {
    static let a = [1.3, 2.9, 2.1, 4.7, 3.3, 5.8, 4.4, 7.1]
    static let b = [2.2, 1.9, 3.8, 3.1, 5.6, 4.0, 6.3, 5.9]

    /// Pearson r is scale-invariant, so data near 1e-200 or 1e200 (where unscaled sums of squares
    /// underflow or overflow) give the r of the plain numbers. References: mpmath 1.4.1, `mp.dps = 60`,
    /// on `mpf(float("1.3e-200"))` etc. (the exact doubles), r = Σ(x−x̄)(y−ȳ)/√(Σ(x−x̄)² Σ(y−ȳ)²):
    /// e-200 → 0.55555689496395247293, e200 → 0.55555689496395253549, e-300 → 0.55555689496395252221,
    /// e300 → 0.55555689496395248377, unscaled → 0.55555689496395256382 (scipy 1.17.1 pearsonr at
    /// e-200: 0.5555568949639526, p 0.15282103200156172).
    @Test(arguments: [("e-200", 0.55555689496395247293), ("e200", 0.55555689496395253549),
                      ("e-300", 0.55555689496395252221), ("e300", 0.55555689496395248377),
                      ("", 0.55555689496395256382)])
    func pearsonIsExactAtTinyAndHugeScales(exponent: String, expected: Double) throws {
        let x = Self.a.map { Double("\($0)\(exponent)")! }, y = Self.b.map { Double("\($0)\(exponent)")! }
        let r = try Correlation.pearson(x, y)
        #expect(abs(r.r - expected) < 1e-14, "\(exponent): r = \(r.r)")
        #expect(abs(r.p - 0.15282103200156172) < 1e-12, "\(exponent): p = \(r.p)")
        // Mixed scales: x tiny, y huge.
        let m = try Correlation.pearson(Self.a.map { $0 * 1e-250 }, Self.b.map { $0 * 1e250 })
        #expect(abs(m.r - 0.55555689496395256382) < 1e-13)
    }

    /// The permutations the scipy references were computed on (scipy 1.17.1; y from argsort of a
    /// 64-bit LCG, and for n = 7, 8 the first permutation in `itertools.permutations` order with each
    /// discordant count): x = 0…n−1, y as listed; exact p = `stats.kendalltau(x, y, method='exact').pvalue`,
    /// asymptotic p = `method='asymptotic'`.
    static let cases: [(y: [Int], tau: Double, exact: Double, asymptotic: Double)] = [
        ([3, 0, 1, 2, 4], 0.39999999999999997, 0.48333333333333334, 0.32718687779030575),
        // The n = 7 case: exact 0.7726 against the approximation's 0.6523.
        ([0, 1, 5, 6, 4, 3, 2], 0.14285714285714288, 0.7726190476190476, 0.6523041372117628),
        ([0, 3, 6, 5, 4, 2, 1], -0.14285714285714288, 0.7726190476190476, 0.6523041372117628),
        ([6, 5, 4, 3, 2, 1, 0], -1.0, 0.0003968253968253968, 0.001610794963892616),
        ([0, 1, 2, 3, 4, 6, 5], 0.9047619047619049, 0.002777777777777778, 0.004323111225531484),
        ([0, 1, 2, 4, 6, 5, 3], 0.6190476190476191, 0.06904761904761905, 0.05088574121639127),
        // n = 7, n_d = 10 of 21: the middle of an odd-sized support, p = 1.
        ([0, 1, 6, 5, 4, 3, 2], 0.04761904761904762, 1.0, 0.8806164096519662),
        // n = 8, n_d = 14 = n(n−1)/4: the statistic exactly at the centre, p = 1.
        ([0, 1, 6, 7, 5, 4, 3, 2], 0.0, 1.0, 1.0),
        ([4, 7, 5, 3, 9, 0, 1, 2, 8, 6], -0.022222222222222223, 1.0, 0.9287300745648026),
        ([16, 1, 10, 13, 9, 11, 5, 18, 8, 3, 19, 4, 6, 14, 12, 0, 2, 7, 15, 17], -0.010526315789473684, 0.9744669029388741, 0.948262722465774),
        ([21, 0, 27, 19, 5, 30, 3, 10, 29, 11, 28, 13, 12, 25, 15, 1, 17, 31, 7, 8, 32, 26, 18, 20, 23, 4, 2, 14, 24, 6, 22, 9, 16],
         -0.01893939393939394, 0.8899902211874436, 0.8768653654691915),
        ([37, 15, 26, 38, 18, 5, 17, 31, 12, 23, 14, 30, 4, 3, 32, 28, 7, 21, 35, 39, 6, 10, 36, 0, 11, 29, 22, 13, 9, 34,
          33, 27, 25, 24, 16, 2, 1, 19, 20, 8], -0.12820512820512822, 0.25051372460210297, 0.24397711809038614),
        ([7, 44, 5, 33, 25, 20, 28, 30, 40, 3, 22, 8, 1, 27, 42, 9, 26, 18, 10, 36, 14, 39, 38, 21, 34, 15, 23, 37, 4, 24,
          48, 45, 11, 31, 19, 17, 41, 16, 0, 13, 6, 29, 35, 12, 32, 2, 46, 47, 43], 0.0748299319727891, 0.4553276694605474, 0.44812446696385133),
    ]

    /// Without ties and n < 50, p is scipy's (and R's) exact permutation p, and the result says so.
    @Test func kendallUsesTheExactPermutationPBelowFiftyWithoutTies() throws {
        for c in Self.cases {
            let x = (0 ..< c.y.count).map(Double.init)
            let k = try Correlation.kendallTauB(x, c.y.map(Double.init))
            #expect(k.pMethod == .exact)
            #expect(abs(k.tau - c.tau) < 1e-14, "n = \(c.y.count)")
            #expect(abs(k.p - c.exact) <= 1e-12 * c.exact, "n = \(c.y.count): p = \(k.p), scipy exact \(c.exact)")
            // The approximation is still reported as z (and matches scipy's asymptotic p).
            #expect(abs(MultipleTesting.twoSidedP(k.z) - c.asymptotic) <= 1e-9 * c.asymptotic)
        }
        #expect(KendallResult.PMethod.exact.rawValue == "exact")
        #expect(KendallResult.PMethod.normalApproximation.rawValue == "normal-approximation")
    }

    /// n = 50 (the limit) and any ties: the normal approximation, equal to scipy's asymptotic p.
    @Test func kendallKeepsTheNormalApproximationFromFiftyOrWithTies() throws {
        let y: [Double] = [27, 5, 47, 13, 28, 23, 4, 38, 44, 15, 29, 0, 42, 9, 30, 43, 3, 37, 20, 31, 46, 17, 6, 40, 41, 35, 34,
                           25, 33, 19, 32, 24, 10, 36, 48, 12, 8, 16, 39, 7, 1, 45, 49, 21, 14, 26, 11, 18, 22, 2]
        let k = try Correlation.kendallTauB((0 ..< 50).map(Double.init), y)
        #expect(k.pMethod == .normalApproximation)
        // scipy 1.17.1: kendalltau(range(50), y, method='asymptotic') = 0.47707623559017676
        // (method='exact' would give 0.484256000016156).
        #expect(abs(k.p - 0.47707623559017676) < 1e-12)
        #expect(abs(k.tau - -0.06938775510204082) < 1e-14)
        let tied = try Correlation.kendallTauB([1, 2, 2, 3, 4, 5, 6], [0, 1, 5, 6, 4, 3, 2])
        #expect(tied.pMethod == .normalApproximation)
    }

    /// The exact null distribution sums to 1 and agrees with brute-force enumeration of all 7! orders.
    @Test func kendallExactTailEqualsEnumerationOfAllPermutations() {
        var perm = Array(0 ..< 7)
        var counts = [Int](repeating: 0, count: 22)
        func inversions(_ p: [Int]) -> Int { var s = 0; for i in 0 ..< p.count { for j in i + 1 ..< p.count where p[i] > p[j] { s += 1 } }; return s }
        // Heap's algorithm over all 5040 permutations.
        func heap(_ k: Int) {
            if k == 1 { counts[inversions(perm)] += 1; return }
            for i in 0 ..< k {
                heap(k - 1)
                if k % 2 == 0 { perm.swapAt(i, k - 1) } else { perm.swapAt(0, k - 1) }
            }
        }
        heap(7)
        #expect(counts.reduce(0, +) == 5040)
        for d in 0 ... 21 {
            let c = min(d, 21 - d)
            let tail = counts[0 ... c].reduce(0, +)
            let p = min(1, 2 * Double(tail) / 5040)
            #expect(abs(Correlation.kendallExactTwoSidedP(n: 7, discordant: d) - p) < 1e-15, "n_d = \(d)")
        }
    }
}
