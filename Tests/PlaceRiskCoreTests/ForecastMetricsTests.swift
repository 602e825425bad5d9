import Foundation
import Testing
@testable import PlaceRiskCore

@Suite("Forecast metrics")
struct ForecastMetricsTests {
    /// The ranking (risk descending, index ascending on ties) by radix sort equals the comparison sort on
    /// seeded values full of ties, ±0, ±infinity and tiny differences; by hand: [0.2, 0.9, 0.2, −0, 0, 0.9]
    /// ranks 1, 5, 0, 2, 3, 4 (the two 0.9s by index, then the 0.2s, then −0 and 0 as equal values).
    @Test func radixRankingEqualsTheComparisonSort() {
        #expect(ForecastMetrics.ranking([0.2, 0.9, 0.2, -0.0, 0, 0.9]) == [1, 5, 0, 2, 3, 4])
        var g = SeededGenerator(seed: 11)
        for n in [0, 1, 2, 17, 1000, 5000] {
            let pool: [Double] = [0, -0.0, 1, 0.5, 1e-300, -1e-300, .infinity, -.infinity, 0.1 + 0.2, 0.3, 42]
            let risk = (0 ..< n).map { _ in Bool.random(using: &g) ? pool.randomElement(using: &g)! : Double.random(in: -5 ... 5, using: &g) }
            #expect(ForecastMetrics.ranking(risk) == ForecastMetrics.rankingByComparison(risk), "n = \(n)")
        }
        #expect(ForecastMetrics.ranking([1, .nan, 2]) == ForecastMetrics.rankingByComparison([1, .nan, 2]))
    }

    /// Published examples from the scikit-learn documentation: roc_auc_score([0,0,1,1], [0.1,0.4,0.35,0.8])
    /// = 0.75; brier_score_loss([0,1,1,0], [0.1,0.9,0.8,0.3]) = 0.0375; log_loss for y = [1,0,0,1] with
    /// p = [0.9,0.1,0.2,0.65] = 0.21616187468057912.
    @Test func aucBrierAndLogLossMatchPublishedExamples() throws {
        #expect(ForecastMetrics.auc(risk: [0.1, 0.4, 0.35, 0.8], outcome: [0, 0, 1, 1]) == 0.75)
        #expect(ForecastMetrics.auc(risk: [0.5, 0.5], outcome: [0, 1]) == 0.5)
        #expect(ForecastMetrics.auc(risk: [0.5, 0.7], outcome: [1, 1]) == nil)
        #expect(abs(ForecastMetrics.brier(probability: [0.1, 0.9, 0.8, 0.3], outcome: [0, 1, 1, 0]) - 0.0375) < 1e-15)
        #expect(abs(ForecastMetrics.logLoss(probability: [0.9, 0.1, 0.2, 0.65], outcome: [1, 0, 0, 1]) - 0.21616187468057912) < 1e-15)
    }

    /// Hand calculation: 10 equal cells ranked 0…9; observed 5, 0, 3, 0, …, 0, 2 (N = 10). Top 20 % of area =
    /// cells 0, 1: hit rate 0.5, PAI = 0.5/0.2 = 2.5; the best two cells hold 8 → PAI* = 4, PEI = 0.625.
    @Test func paiAndPeiByHand() throws {
        let risk = (0 ..< 10).map { Double(10 - $0) }
        let obs: [Double] = [5, 0, 3, 0, 0, 0, 0, 0, 0, 2]
        let r = try #require(ForecastMetrics.areaMetrics(risk: risk, observed: obs, fraction: 0.2))
        #expect(r.flaggedUnits == 2 && r.hitRate == 0.5 && abs(r.pai - 2.5) < 1e-12 && abs(r.pei - 0.625) < 1e-12)
        // Unequal areas: the first unit alone is 30 % of the area, so a 20 % target flags it only.
        let a = try #require(ForecastMetrics.areaMetrics(risk: risk, observed: obs, area: [3, 1, 1, 1, 1, 1, 1, 0.5, 0.25, 0.25], fraction: 0.2))
        #expect(a.flaggedUnits == 1 && abs(a.flaggedAreaShare - 0.3) < 1e-12 && abs(a.pai - 0.5 / 0.3) < 1e-12)
        #expect(ForecastMetrics.areaMetrics(risk: risk, observed: [Double](repeating: 0, count: 10), fraction: 0.1) == nil)
    }

    /// In-sample AUC and Brier of the statsmodels fit on the peers' 20×20 areas
    /// (logit_areas_n10k_20x20.json: auc_in_sample, brier_in_sample), recomputed from our fit — to 1e-9.
    @Test func inSampleMetricsMatchThePeersOracle() throws {
        let feats = ["dom_income", "dom_crime", "dom_living_env", "rate_z"]
        let (x, y) = try design("areas_n10k_20x20.csv", features: feats, outcome: "outcome")
        let r = try Regression.fit(family: .logistic, x: x, names: feats, y: y)
        var p: [Double] = []
        for i in 0 ..< y.count {
            var eta: Double = r.estimates[0]
            for j in 0 ..< 4 { eta += r.estimates[j + 1] * x[i * 4 + j] }
            p.append(1 / (1 + exp(-eta)))
        }
        let sm = (try jsonFixture("logit_areas_n10k_20x20.json"))["statsmodels"] as! [String: Any]
        #expect(abs(ForecastMetrics.auc(risk: p, outcome: y)! - (sm["auc_in_sample"] as! Double)) < 1e-9)
        #expect(abs(ForecastMetrics.brier(probability: p, outcome: y) - (sm["brier_in_sample"] as! Double)) < 1e-9)
        let cal = ForecastMetrics.calibration(probability: p, outcome: y)
        let unitsTotal = cal.reduce(0) { $0 + $1.units }
        #expect(cal.count == 10 && unitsTotal == 400)
        // Calibration-in-the-large of a maximum-likelihood logit with an intercept: Σp = Σy exactly.
        var predictedTotal = 0.0
        for g in cal { predictedTotal += g.predicted * Double(g.units) }
        let observedTotal = y.reduce(0, +)
        #expect(abs(predictedTotal - observedTotal) < 1e-8)
    }

    /// The flagged set is the one areaMetrics scores, by hand: ranks 0.9 > 0.7 > 0.5 > 0.1 with areas
    /// 1, 2, 1, 1 (total 5); at 40 % (2 of area) units 0 (area 1) and 3 (area 2, added while 1 < 2) are
    /// flagged, covering 3 of area; observed 4 + 1 of 10 → hit rate 0.5, PAI 0.5 / 0.6.
    @Test func flaggedUnitsAreTheOnesAreaMetricsScores() throws {
        let risk = [0.9, 0.1, 0.5, 0.7], area = [1.0, 1, 1, 2], observed = [4.0, 3, 2, 1]
        let f = ForecastMetrics.flagged(risk: risk, area: area, fraction: 0.4)
        #expect(f == [true, false, false, true])
        let m = try #require(ForecastMetrics.areaMetrics(risk: risk, observed: observed, area: area, fraction: 0.4))
        #expect(abs(m.hitRate - 0.5) < 1e-15 && abs(m.pai - 0.5 / 0.6) < 1e-12 && m.flaggedUnits == 2)
    }
}
