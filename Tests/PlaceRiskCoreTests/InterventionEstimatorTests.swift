import Foundation
import Testing
@testable import PlaceRiskCore

/// The evaluation estimators against published numbers and statsmodels on the same panel.
@Suite("Intervention evaluation: WDD, WDQ, DiD, ITS")
struct InterventionEstimatorTests {
    /// Wheeler & Ratcliffe (2018, Crime Science 7:7), worked example; the same numbers are ptools'
    /// test "Est & Variance Paper": `wdd(c(308,318), c(207,110), c(150,140), c(178,157))` gives
    /// total −118, SE √1568, z −2.98, 95 % CI −196 to −40.
    @Test func wddEqualsTheWheelerRatcliffeWorkedExample() {
        let w = WeightedDisplacementDifference(treated: PrePost(before: 207, after: 110), control: PrePost(before: 308, after: 318),
                                               treatedRing: PrePost(before: 178, after: 157), controlRing: PrePost(before: 150, after: 140))
        #expect(w.total.estimate == -118)
        #expect(abs(w.total.se - 1568.0.squareRoot()) < 1e-12)
        #expect((w.total.z * 100).rounded() / 100 == -2.98)
        #expect(w.total.ciLow.rounded() == -196 && w.total.ciHigh.rounded() == -40)
        // Hand: local = (110 − 207) − (318 − 308) = −107; displacement = (157 − 178) − (140 − 150) = −11.
        #expect(w.local.estimate == -107 && w.displacement.estimate == -11)
        let localVariance: Double = 207 + 110 + 308 + 318
        #expect(w.local.se == localVariance.squareRoot())
    }

    /// ptools' unit tests: local −10 from (20,20),(20,10); total −20 with the same change in the ring.
    @Test func wddMatchesPtoolsUnitTests() {
        #expect(WeightedDisplacementDifference(treated: PrePost(before: 20, after: 10), control: PrePost(before: 20, after: 20)).local.estimate == -10)
        let w = WeightedDisplacementDifference(treated: PrePost(before: 20, after: 10), control: PrePost(before: 20, after: 20),
                                               treatedRing: PrePost(before: 20, after: 10), controlRing: PrePost(before: 20, after: 20))
        #expect(w.total.estimate == -20 && w.displacement.estimate == -10)
    }

    /// Bowers & Johnson (2003) definitions by hand on the worked example's counts:
    /// S = 110/318 − 207/308 = −0.326171…, B = 157/318 − 178/308 = −0.084213…, WDQ = B/S = 0.258187…
    @Test func wdqByHandOnTheWorkedExample() {
        let q = WeightedDisplacementQuotient(treated: PrePost(before: 207, after: 110), control: PrePost(before: 308, after: 318),
                                             treatedRing: PrePost(before: 178, after: 157))
        let s = 110.0 / 318 - 207.0 / 308, b = 157.0 / 318 - 178.0 / 308
        #expect(abs(q.successMeasure - s) < 1e-15 && abs(q.bufferMeasure - b) < 1e-15)
        #expect(abs(q.quotient - b / s) < 1e-15 && q.quotient > 0 && q.interventionImproved)
        // TNE = (207·318/308 − 110) − (157 − 178·318/308) = 103.72 + 26.78 = 130.5 (hand).
        #expect(abs(q.totalNetEffect - ((207.0 * 318 / 308 - 110) - (157 - 178.0 * 318 / 308))) < 1e-12)
        #expect(q.reading.contains("diffusion"))
    }

    struct Reference: Decodable {
        struct Fit: Decodable {
            let names: [String]; let params: [Double]; let bse: [Double]; let ci_low: [Double]; let ci_high: [Double]
            let pretrend_chi2: Double?; let pretrend_p: Double?; let pretrend_df: Int?
            let ljung_box_q: Double?; let ljung_box_p: Double?
        }
        let did_poisson: Fit, did_negbin: Fit, event_poisson: Fit, its_poisson: Fit, its_negbin: Fit
    }

    static func panel() throws -> (counts: [Double], reference: Reference) {
        let rows = simpleCSV(try fixture("intervention_panel.csv")).dropFirst()
        let counts = rows.map { Double($0[2])! }
        let ref = try JSONDecoder().decode(Reference.self, from: Data(try fixture("intervention_reference.json").utf8))
        return (counts, ref)
    }

    static func expectEqual(_ r: RegressionResult, _ f: Reference.Fit, tolerance: Double = 1e-6, _ what: String) {
        let k = r.estimates.count
        #expect(r.names == Array(f.names.prefix(k)), "\(what): names")
        for j in 0 ..< k {
            #expect(abs(r.estimates[j] - f.params[j]) < tolerance, "\(what) \(f.names[j]): \(r.estimates[j]) vs \(f.params[j])")
            #expect(abs(r.standardErrors[j] - f.bse[j]) < tolerance, "\(what) SE \(f.names[j])")
            #expect(abs(r.ciLow[j] - f.ci_low[j]) < tolerance && abs(r.ciHigh[j] - f.ci_high[j]) < tolerance, "\(what) CI \(f.names[j])")
        }
        if let a = r.alpha {
            #expect(abs(a - f.params[k]) < tolerance, "\(what) alpha \(a) vs \(f.params[k])")
            #expect(abs(r.alphaStandardError! - f.bse[k]) < tolerance, "\(what) SE alpha")
        }
    }

    /// statsmodels 0.15 `GLM(y, X, Poisson())` and `NegativeBinomial(y, X, 'nb2')` on the fixture panel
    /// (Fixtures/make_intervention_reference.py): every coefficient, SE and CI to 1e-6.
    @Test func didEqualsStatsmodelsOnTheSamePanel() throws {
        let (y, ref) = try Self.panel()
        let treated = (0 ..< 6).map { $0 == 0 }
        let p = try DifferenceInDifferences(counts: y, treated: treated, months: 24, start: 14, family: .poisson)
        Self.expectEqual(p.fit, ref.did_poisson, "DiD Poisson")
        #expect(abs(p.rateRatio.log.estimate - ref.did_poisson.params.last!) < 1e-6)
        let nb = try DifferenceInDifferences(counts: y, treated: treated, months: 24, start: 14, family: .negativeBinomial, eventStudy: false)
        Self.expectEqual(nb.fit, ref.did_negbin, "DiD NB2")
        // Event study: each lead/lag and the joint Wald χ² of the leads (statsmodels `wald_test`).
        #expect(p.leads.count == 13 && p.lags.count == 10)
        let e = ref.event_poisson
        for (off, rr) in p.leads + p.lags {
            let j = e.names.firstIndex(of: "event_\(off)")!
            #expect(abs(rr.log.estimate - e.params[j]) < 1e-6 && abs(rr.log.se - e.bse[j]) < 1e-6, "event \(off)")
        }
        #expect(p.preTrendDegreesOfFreedom == e.pretrend_df)
        #expect(abs(p.preTrendChiSquare! - e.pretrend_chi2!) < 1e-6 && abs(p.preTrendP! - e.pretrend_p!) < 1e-6)
    }

    @Test func itsEqualsStatsmodelsOnTheSameSeries() throws {
        let (y, ref) = try Self.panel()
        let series = Array(y[0 ..< 24])
        let p = try InterruptedTimeSeries(counts: series, start: 14, firstMonth: 1, family: .poisson)
        Self.expectEqual(p.fit, ref.its_poisson, "ITS Poisson")
        #expect(abs(p.levelChange.log.estimate - ref.its_poisson.params[2]) < 1e-6)
        #expect(abs(p.slopeChange.log.estimate - ref.its_poisson.params[3]) < 1e-6)
        // statsmodels `acorr_ljungbox(resid_pearson, lags=[6])`.
        #expect(p.autocorrelation.lags == 6)
        #expect(abs(p.autocorrelation.q - ref.its_poisson.ljung_box_q!) < 1e-6 && abs(p.autocorrelation.p - ref.its_poisson.ljung_box_p!) < 1e-6)
        let nb = try InterruptedTimeSeries(counts: series, start: 14, firstMonth: 1, family: .negativeBinomial)
        Self.expectEqual(nb.fit, ref.its_negbin, "ITS NB2")
    }

    @Test func badInputIsRefusedWithASentence() {
        #expect(throws: InterventionError.tooFewMonths(period: "before", months: 2, minimum: 3)) {
            try InterruptedTimeSeries(counts: [Double](repeating: 3, count: 12), start: 2, firstMonth: 1)
        }
        #expect(throws: InterventionError.tooFewMonths(period: "after", months: 2, minimum: 3)) {
            try InterruptedTimeSeries(counts: [Double](repeating: 3, count: 12), start: 10, firstMonth: 1)
        }
        #expect(throws: InterventionError.zeroCounts(role: "intervention")) {
            try InterruptedTimeSeries(counts: [Double](repeating: 0, count: 12), start: 6, firstMonth: 1)
        }
        #expect(throws: InterventionError.emptyArea(role: "comparison")) {
            try DifferenceInDifferences(counts: [Double](repeating: 1, count: 12), treated: [true], months: 12, start: 6)
        }
        #expect(InterventionError.overlappingAreas(first: "intervention", second: "comparison", units: ["E01"]).description
            == "the intervention area and the comparison area overlap in 1 area(s) (E01); an area can play one role only")
    }

    /// Matching: exact on decile; nearest on log level and relative trend; without replacement; a decile
    /// with no candidate is a sentence.
    @Test func matchingIsExactOnDecileNearestOnLevelAndTrend() throws {
        let t = [ComparisonMatching.Unit(id: "T1", decile: 2, pre: [10, 10, 10, 10]), ComparisonMatching.Unit(id: "T2", decile: 2, pre: [3, 3, 3, 3])]
        let c = [ComparisonMatching.Unit(id: "C1", decile: 5, pre: [10, 10, 10, 10]),   // wrong decile
                 ComparisonMatching.Unit(id: "C5", decile: 2, pre: [5, 8, 12, 15]),   // right level, steep trend
                 ComparisonMatching.Unit(id: "C2", decile: 2, pre: [11, 10, 10, 11]),
                 ComparisonMatching.Unit(id: "C3", decile: 2, pre: [3, 4, 4, 3]),
                 ComparisonMatching.Unit(id: "C4", decile: 2, pre: [30, 30, 30, 30])]
        #expect(try ComparisonMatching.match(treated: t, candidates: c).map(\.id) == ["C2", "C3"])
        #expect(throws: InterventionError.self) {
            try ComparisonMatching.match(treated: [ComparisonMatching.Unit(id: "T", decile: 9, pre: [1, 2])], candidates: c)
        }
    }
}

@Suite("Intervention evaluation: placebo designs")
struct WDDPlaceboTests {
    /// A seeded random panel: the outward search finds the same comparison as a brute-force scan of
    /// the same distance (features recomputed here by hand), and the statistic is the WDD local z.
    @Test func matchedComparisonEqualsBruteForceAndStatisticIsTheWDDz() {
        var rng = SeededGenerator(seed: 11)
        let U = 60, T = 12, L = 4
        var counts: [Double] = []
        for u in 0 ..< U { for _ in 0 ..< T { counts.append(Double(CountSampler.poisson(2 + Double(u % 7), using: &rng))) } }
        let decile: [Int?] = (0 ..< U).map { $0 % 3 }
        let p = WDDPlacebo(counts: counts, units: U, months: T, window: L, pool: Array(0 ..< U), candidate: [Bool](repeating: true, count: U),
                           decile: decile, neighbours: [], areaSize: 1)
        func feat(_ u: Int, _ s: Int) -> (Double, Double) {
            let y = Array(counts[u * T ..< u * T + s]), m = y.reduce(0, +) / Double(s), tm = Double(s - 1) / 2
            var sxy = 0.0, sxx = 0.0
            for (t, v) in y.enumerated() { sxy += (Double(t) - tm) * (v - m); sxx += (Double(t) - tm) * (Double(t) - tm) }
            return (log(1 + m), sxy / sxx / (1 + m))
        }
        func sd(_ v: [Double]) -> Double { let m = v.reduce(0, +) / Double(v.count); return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot() }
        for (a, s) in [(0, 4), (17, 6), (33, 8), (59, 5)] {
            let f = (0 ..< U).map { feat($0, s) }
            let sl = sd(f.map(\.0)), sg = sd(f.map(\.1))
            let brute = (0 ..< U).filter { $0 != a && decile[$0] == decile[a] }.min { x, y in
                let dx = pow((f[a].0 - f[x].0) / sl, 2) + pow((f[a].1 - f[x].1) / sg, 2), dy = pow((f[a].0 - f[y].0) / sl, 2) + pow((f[a].1 - f[y].1) / sg, 2)
                return dx != dy ? dx < dy : x < y
            }!
            let c = p.comparison(area: [a], start: s)!
            #expect(c == [brute], "area \(a) start \(s)")
            let w = WeightedDisplacementDifference(treated: PrePost(before: counts[a * T + s - L ..< a * T + s].reduce(0, +), after: counts[a * T + s ..< a * T + s + L].reduce(0, +)),
                                                   control: PrePost(before: counts[brute * T + s - L ..< brute * T + s].reduce(0, +), after: counts[brute * T + s ..< brute * T + s + L].reduce(0, +)))
            #expect(abs(p.statistic(area: [a], start: s)! - w.local.z) < 1e-12)
        }
    }
}
