import Testing
@testable import PlaceRiskCore

@Suite("Paired bootstrap of model − baseline differences")
struct PairedBootstrapTests {
    /// Hand-computed case. Three test months; in month m every unit has outcome 0, the model says p_m
    /// and the baseline 0, so each unit's Brier difference is p_m² whatever units are drawn, and a
    /// replicate's difference is the mean of p_m² over the three drawn months. With p_m² = 0, 0.3, 0.9
    /// the 27 equally likely ordered draws give (by hand, counting multisets):
    ///   mean 0 (1/27), 0.1 (3/27), 0.2 (3/27), 0.3 (3/27 + 1/27), 0.4 (6/27), 0.5 (3/27), 0.6 (3/27),
    ///   0.7 (3/27), 0.9 (1/27);   cumulative: P(≤ 0) = 0.037, P(≤ 0.1) = 0.148, P(≤ 0.6) = 0.852, P(≤ 0.7) = 0.963.
    /// So the 10 % and 90 % quantiles are 0.1 and 0.7 (an 80 % interval), the 2.5 % and 97.5 % ones
    /// 0 and 0.9, and the estimate is (0 + 0.3 + 0.9)/3 = 0.4. With 20,000 replicates the order
    /// statistics at 10 % / 90 % sit more than 10 standard errors inside those steps.
    @Test func intervalMatchesTheHandComputedDistributionOverMonths() {
        let p2: [Double] = [0, 0.3, 0.9]
        let months = p2.map { _ in PairedBootstrap.Month(outcome: [0, 0, 0, 0], observed: [0, 0, 0, 0]) }
        let model = p2.map { MonthForecast(score: [1, 2, 3, 4], probability: [Double](repeating: $0.squareRoot(), count: 4)) }
        let base = p2.map { _ in MonthForecast(score: [1, 2, 3, 4], probability: [0, 0, 0, 0]) }
        let d80 = PairedBootstrap.differences(months: months, model: model, baselines: [base], replicates: 20_000, confidence: 0.8, seed: 7)[0]
        let brier = d80.first { $0.metric == "brier" }!
        #expect(abs(brier.estimate - 0.4) < 1e-12)
        #expect(abs(brier.low - 0.1) < 1e-12 && abs(brier.high - 0.7) < 1e-12, "\(brier.low) \(brier.high)")
        #expect(brier.clearlyWorse && !brier.clearlyBetter)  // a higher Brier is worse
        let d95 = PairedBootstrap.differences(months: months, model: model, baselines: [base], replicates: 20_000, confidence: 0.95, seed: 7)[0]
        let b95 = d95.first { $0.metric == "brier" }!
        #expect(abs(b95.low - 0) < 1e-12 && abs(b95.high - 0.9) < 1e-12)
        // No positive outcome: AUC is undefined in every draw, so no replicate and a NaN interval.
        let auc = d80.first { $0.metric == "auc" }!
        #expect(auc.replicates == 0 && auc.low.isNaN && auc.estimate.isNaN)
    }

    /// Hand-computed case over units: one month, two units with Brier differences 0.04 and 0.36
    /// (model 0.2 vs baseline 0 on unit 1; model 0.6 vs 0 on unit 2; outcomes 0). Draws of two units:
    /// (1,1) → 0.04 with probability 1/4, (1,2) or (2,1) → 0.20 with 1/2, (2,2) → 0.36 with 1/4; so the
    /// 80 % interval is [0.04, 0.36] and the estimate 0.20.
    @Test func intervalMatchesTheHandComputedDistributionOverUnits() {
        let months = [PairedBootstrap.Month(outcome: [0, 0], observed: [0, 0])]
        let d = PairedBootstrap.differences(months: months, model: [MonthForecast(score: [1, 2], probability: [0.2, 0.6])],
                                            baselines: [[MonthForecast(score: [1, 2], probability: [0, 0])]], replicates: 4_000, confidence: 0.8, seed: 3)[0]
        let b = d.first { $0.metric == "brier" }!
        #expect(abs(b.estimate - 0.2) < 1e-12 && abs(b.low - 0.04) < 1e-12 && abs(b.high - 0.36) < 1e-12)
    }

    /// A unit drawn c times counts as c rows: the weighted AUC, log-loss, Brier, PAI and PEI equal
    /// `ForecastMetrics` on the data with each unit repeated c times (copies adjacent in the ranking).
    @Test func multiplicitiesEqualDuplicatedRows() {
        let score: [Double] = [0.9, 0.1, 0.5, 0.5, 0.3, 0.8, 0.2, 0.5]
        let prob: [Double] = [0.7, 0.2, 0.4, 0.45, 0.3, 0.6, 0.1, 0.5]
        let y: [Double] = [1, 0, 1, 0, 0, 1, 0, 1]
        let obs: [Double] = [3, 0, 1, 0, 0, 2, 0, 1]
        let area: [Double] = [1, 2, 1, 1, 3, 1, 2, 1]
        let c: [Int32] = [2, 0, 1, 3, 1, 0, 2, 1]
        let month = PairedBootstrap.Month(outcome: y, observed: obs, area: area)
        let f = MonthForecast(score: score, probability: prob)
        let prep = PairedBootstrap.Prepared(f, month)
        let got = prep.metrics(c, month, best: PairedBootstrap.Best(month))
        var ds: [Double] = [], dp: [Double] = [], dy: [Double] = [], dobs: [Double] = [], da: [Double] = []
        for i in c.indices { for _ in 0 ..< c[i] { ds.append(score[i]); dp.append(prob[i]); dy.append(y[i]); dobs.append(obs[i]); da.append(area[i]) } }
        #expect(abs(got[0] - ForecastMetrics.auc(risk: ds, outcome: dy)!) < 1e-12)
        #expect(abs(got[1] - ForecastMetrics.logLoss(probability: dp, outcome: dy)) < 1e-12)
        #expect(abs(got[2] - ForecastMetrics.brier(probability: dp, outcome: dy)) < 1e-12)
        for (j, frac) in [0.01, 0.05, 0.10].enumerated() {
            let r = ForecastMetrics.areaMetrics(risk: ds, observed: dobs, area: da, fraction: frac)!
            #expect(abs(got[3 + j] - r.pai) < 1e-12, "PAI at \(frac)")
            #expect(abs(got[6 + j] - r.pei) < 1e-12, "PEI at \(frac)")
        }
    }

    /// Seeded: the same seed repeats the intervals exactly; the point estimate equals the mean over
    /// months of the per-month differences of `ForecastMetrics` (the backtest's mean rows).
    @Test func seededRunsRepeatAndEstimatesArePerMonthMeans() {
        let y1: [Double] = [1, 0, 1, 0, 0, 1], y2: [Double] = [0, 1, 1, 0, 1, 0]
        let months = [PairedBootstrap.Month(outcome: y1, observed: y1), PairedBootstrap.Month(outcome: y2, observed: y2)]
        let m = [MonthForecast(score: [0.9, 0.2, 0.7, 0.1, 0.3, 0.8], probability: [0.9, 0.2, 0.7, 0.1, 0.3, 0.8]),
                 MonthForecast(score: [0.2, 0.6, 0.9, 0.1, 0.4, 0.5], probability: [0.2, 0.6, 0.9, 0.1, 0.4, 0.5])]
        let b = [MonthForecast(score: [0.5, 0.5, 0.6, 0.4, 0.6, 0.5], probability: [0.5, 0.5, 0.6, 0.4, 0.6, 0.5]),
                 MonthForecast(score: [0.3, 0.3, 0.5, 0.4, 0.2, 0.6], probability: [0.3, 0.3, 0.5, 0.4, 0.2, 0.6])]
        let a = PairedBootstrap.differences(months: months, model: m, baselines: [b], replicates: 200, seed: 11)
        let again = PairedBootstrap.differences(months: months, model: m, baselines: [b], replicates: 200, seed: 11)
        #expect(a == again)
        let auc = a[0].first { $0.metric == "auc" }!
        let want = ((ForecastMetrics.auc(risk: m[0].score, outcome: y1)! - ForecastMetrics.auc(risk: b[0].score, outcome: y1)!)
                    + (ForecastMetrics.auc(risk: m[1].score, outcome: y2)! - ForecastMetrics.auc(risk: b[1].score, outcome: y2)!)) / 2
        #expect(abs(auc.estimate - want) < 1e-12)
        #expect(auc.low <= auc.estimate + 1e-12 && auc.high >= auc.low)
    }

    /// numpy `np.quantile([1, 2, 4, 8], [0.1, 0.5, 0.975])` = 1.3, 3.0, 7.7 (linear, type 7).
    @Test func quantileIsNumpysLinearRule() {
        let q = [0.1, 0.5, 0.975].map { PairedBootstrap.quantile([1, 2, 4, 8], $0) }
        #expect(abs(q[0] - 1.3) < 1e-12 && abs(q[1] - 3.0) < 1e-12 && abs(q[2] - 7.7) < 1e-12)
    }
}
