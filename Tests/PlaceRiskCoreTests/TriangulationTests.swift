import Testing
@testable import PlaceRiskCore

/// Three LSOAs × two months, police-recorded violence (reference) against ED assaults, every number
/// worked by hand below; the correlations and binomial p-values also from scipy 1.17.1
/// (`/tmp/peers-venv`, `stats.spearmanr`, `stats.kendalltau`, `stats.binomtest`).
///
/// ```
///            police (m1, m2)   ED (m1, m2)   police total   ED total
///   A            2, 0            1, 2             2            3
///   B            0, 0            1, 0             0            1
///   C            3, 1            2, 1             4            3
/// ```
@Suite("Triangulation")
struct TriangulationTests {
    static let units = ["A", "B", "C"]
    static let months = [YearMonth(year: 2016, month: 1), YearMonth(year: 2016, month: 2)]
    static let police = SourceCounts(name: "police.uk", counts: [[2, 0], [0, 0], [3, 1]])
    static let ed = SourceCounts(name: "istv", counts: [[1, 2], [1, 0], [2, 1]])
    static let t = Triangulation(units: units, months: months, sources: [police, ed], reference: 0)

    @Test("the under-recording indicator: 3 of 7 ED assaults fall in LSOA-months with no police record")
    func indicatorByHand() {
        // Unit-months with police 0: A-m2 (ED 2), B-m1 (ED 1), B-m2 (ED 0) → 3 of the 7 ED assaults.
        let u = Self.t.unrecorded[0]
        #expect(u.source == 1)
        #expect(u.incidents == 7)
        #expect(u.inUnitMonthsWithoutReference == 3)
        #expect(abs(u.share - 3.0 / 7.0) < 1e-15)
        // ED in A1, A2, B1, C1, C2 (5 unit-months); of those A2 and B1 have no police record.
        #expect(u.unitMonthsWithSource == 5)
        #expect(u.unitMonthsWithSourceOnly == 2)
    }

    @Test("rank correlation of the LSOA totals: rho = sqrt(3)/2, tau-b = 2/sqrt(6), p as scipy")
    func correlationByHandAndScipy() throws {
        // police totals (2, 0, 4) → ranks (2, 1, 3); ED (3, 1, 3) → mid-ranks (2.5, 1, 2.5):
        // ρ = 1.5 / √(2 · 1.5) = √3/2. τ-b: pairs AB, BC concordant, AC tied in ED: S = 2, τ_b = 2/√(3·2).
        let c = try #require(Self.t.correlations.first)
        let s = try #require(c.spearman), k = try #require(c.kendall)
        #expect(c.n == 3)
        #expect(abs(s.rho - 3.0.squareRoot() / 2) < 1e-12)
        #expect(abs(k.tau - 2 / 6.0.squareRoot()) < 1e-12)
        // scipy.stats.spearmanr([2,0,4],[3,1,3]).pvalue = 0.33333333333333326;
        // scipy.stats.kendalltau(...).pvalue = 0.22067136191984693 (ties: asymptotic).
        #expect(abs(s.p - 0.33333333333333326) < 1e-9)
        #expect(abs(k.p - 0.22067136191984693) < 1e-9)
    }

    @Test("disagreement per LSOA: pi = 7/13, z = 4/sqrt(210), 6/sqrt(42), -10/sqrt(294); exact binomial p as scipy")
    func disagreementByHand() throws {
        let d = try #require(Self.t.disagreement.first)
        #expect(abs(d.share - 7.0 / 13.0) < 1e-15)
        #expect(d.units.map(\.unit) == [0, 1, 2])
        let a = d.units[0], b = d.units[1], c = d.units[2]
        // A: n = 5, expected 35/13; z = (3 − 35/13)/√(5·7·6/169) = 4/√210. Ratio (3/7)/(2/6) = 9/7.
        #expect(abs(a.expected - 35.0 / 13.0) < 1e-12)
        #expect(abs(a.z - 4 / 210.0.squareRoot()) < 1e-12)
        #expect(abs(a.ratioOfShares - 9.0 / 7.0) < 1e-12)
        // P(X = 3) is the mode of Binomial(5, 7/13), so every outcome is as unlikely or less: p = 1 (scipy 1.0).
        #expect(abs(a.p - 1) < 1e-12)
        // B: n = 1, z = (1 − 7/13)/√(42/169) = 6/√42; P(0) = 6/13 ≤ P(1) = 7/13 → p = 1 (scipy 1.0); no police: ratio ∞.
        #expect(abs(b.z - 6 / 42.0.squareRoot()) < 1e-12)
        #expect(abs(b.p - 1) < 1e-12)
        #expect(b.ratioOfShares == .infinity)
        // C: n = 7, z = (3 − 49/13)/√(7·42/169) = −10/√294; ratio (3/7)/(4/6) = 9/14;
        // scipy.stats.binomtest(3, 7, 7/13).pvalue = 0.7107252749893676.
        #expect(abs(c.z + 10 / 294.0.squareRoot()) < 1e-12)
        #expect(abs(c.ratioOfShares - 9.0 / 14.0) < 1e-12)
        #expect(abs(c.p - 0.7107252749893676) < 1e-12)
        // statsmodels multipletests(fdr_bh) on (1, 1, 0.7107): all 1.
        #expect(d.units.allSatisfy { abs($0.q - 1) < 1e-12 })
    }

    @Test("per-resident rates change the ranks: populations (1000, 1000, 4000) give police rates (2, 0, 1)")
    func ratesUsePopulation() throws {
        let t = Triangulation(units: Self.units, months: Self.months, sources: [Self.police, Self.ed], reference: 0,
                              population: [1000, 1000, 4000])
        // Rates per 1,000: police (2, 0, 1), ED (3, 1, 0.75): ranks (3, 1, 2) and (3, 2, 1) → ρ = 0.5 (hand:
        // d = (0, −1, 1), ρ = 1 − 6·2/(3·8) = 0.5).
        let s = try #require(t.correlations[0].spearman)
        #expect(abs(s.rho - 0.5) < 1e-12)
    }

    @Test("Spearman and Kendall on 40 Poisson pairs equal scipy")
    func correlationsAgainstScipy() throws {
        // numpy default_rng(7): a = poisson(3, 40), b = poisson(a·0.5 + 1); scipy 1.17.1:
        // spearmanr → 0.6743815126153719, p 1.831434857866025e-06; kendalltau → 0.5372078492118763, p 1.8012398444096066e-05.
        let a = [4, 1, 4, 3, 5, 1, 0, 5, 1, 2, 1, 2, 5, 5, 2, 6, 2, 1, 3, 6, 1, 5, 2, 0, 5, 1, 3, 5, 5, 3, 1, 4, 2, 4, 7, 4, 4, 5, 1, 3]
        let b = [4, 3, 1, 4, 5, 0, 0, 2, 1, 1, 1, 3, 4, 4, 1, 5, 2, 3, 5, 3, 1, 4, 1, 1, 5, 1, 1, 3, 2, 1, 2, 3, 3, 5, 4, 3, 9, 5, 0, 4]
        let units = a.indices.map { "U\($0)" }
        let t = Triangulation(units: units, months: [YearMonth(year: 2016, month: 1)],
                              sources: [SourceCounts(name: "a", counts: a.map { [$0] }), SourceCounts(name: "b", counts: b.map { [$0] })], reference: 0)
        let c = t.correlations[0]
        let s = try #require(c.spearman), k = try #require(c.kendall)
        #expect(abs(s.rho - 0.6743815126153719) < 1e-12)
        #expect(abs(s.p - 1.831434857866025e-06) / 1.831434857866025e-06 < 1e-6)
        #expect(abs(k.tau - 0.5372078492118763) < 1e-12)
        #expect(abs(k.p - 1.8012398444096066e-05) / 1.8012398444096066e-05 < 1e-6)
    }

    @Test("exact binomial two-sided p equals scipy.stats.binomtest")
    func binomialAgainstScipy() {
        // scipy 1.17.1 binomtest(k, n, p).pvalue.
        let cases: [(Int, Int, Double, Double)] = [(12, 40, 0.2, 0.1159673303817507), (3, 40, 0.2, 0.04786946338839313),
                                                   (50, 100, 0.37, 0.00928156094694929), (0, 7, 0.6, 0.0016384000000000006),
                                                   (1, 5, 5.0 / 11.0, 0.3852878901714363)]
        for (k, n, p, ref) in cases {
            let v = BinomialTest.pValue(k: k, n: n, p: p)
            #expect(abs(v - ref) / ref < 1e-9, "binomtest(\(k), \(n), \(p)): \(v) vs \(ref)")
        }
        // 0.4^7 by hand for the lower tail of k = 0, n = 7, p = 0.6.
        #expect(abs(BinomialTest.pValue(k: 0, n: 7, p: 0.6, alternative: .less) - 0.0016384) < 1e-15)
    }

    @Test("a constant source gives a note, not a crash")
    func constantSourceNote() {
        let t = Triangulation(units: Self.units, months: Self.months,
                              sources: [Self.police, SourceCounts(name: "none", counts: [[0, 0], [0, 0], [0, 0]])], reference: 0)
        #expect(t.correlations[0].spearman == nil)
        #expect(t.correlations[0].note != nil)
        #expect(t.unrecorded[0].share.isNaN)
        #expect(t.disagreement[0].share == 0)
        #expect(t.disagreement[0].units.allSatisfy { $0.p.isNaN })
    }
}
