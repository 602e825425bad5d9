/// Rolling-origin backtest of the risk model against naive baselines (conventions §6).
///
/// For each test month t: the model is fitted on the rows whose target month is before t (features
/// always come from months before their target), then scores month t. Baselines score month t from
/// the past alone: `naive-last` (count in t − 1), `mean-past` (mean count over all months before t)
/// and, when given, `kde-past` (a density of past incidents at each unit). Baseline scores become
/// probabilities by a one-feature logistic calibration fitted on the same training months (Platt
/// scaling), so Brier and log-loss compare like with like; AUC, hit rate, PAI and PEI use the ranking only.
///
/// `family` chooses the model: `.logistic` fits the binary outcome directly; `.poisson` / `.negativeBinomial`
/// fit next month's count and turn the predicted mean into P(count ≥ k) (`CountProbability`) for an
/// `atLeast(k)` outcome, or are Platt-calibrated like a baseline for a top-fraction outcome.
public enum Backtest {
    /// The model a backtest fits at each origin.
    public enum Model: Sendable, Equatable {
        /// Given features and family (unpenalised).
        case fixed([PanelFeature], RegressionResult.Family)
        /// The default: `StackedDefault`, its half-life and penalty chosen at the first test origin.
        case stacked
    }

    public struct Row: Sendable, Equatable {
        public let model: String
        /// `YYYY-MM`, or `mean` for the average over test months.
        public let month: String
        public let auc: Double?
        public let brier: Double
        public let logLoss: Double
        public let hitRate5: Double
        public let pai1: Double, pai5: Double, pai10: Double
        public let pei5: Double
        /// Hit rate, PAI and PEI at each of `curveFractions` of the area (the PAI / hit-rate curve).
        public var curve: [ForecastMetrics.AreaResult] = []
        /// Calibration by risk decile (lowest risk first): mean predicted probability vs observed rate.
        public var calibration: [CalibrationBin] = []
        /// One test month only (empty for the means): the probability of the outcome per unit and the
        /// score units are ranked by (`units` are panel unit indices), e.g. for a bias audit.
        public var units: [Int] = []
        public var probability: [Double] = []
        public var score: [Double] = []
    }

    public struct CalibrationBin: Sendable, Equatable {
        public let predicted: Double
        public let observed: Double
        public let units: Int
    }

    /// Area fractions of the PAI / hit-rate curve.
    public static let curveFractions: [Double] = [0.01, 0.02, 0.05, 0.10, 0.15, 0.20, 0.30, 0.40, 0.50, 0.75, 1.0]

    /// A baseline's score for unit u in test month offset t (from months before t only).
    public typealias Scorer = (_ unit: Int, _ month: Int) -> Double

    public static func run(panel: Panel, features: [PanelFeature], outcome: PanelOutcome, weights: SpatialWeights?,
                           testMonths: [Int], area: [Double]? = nil, kdePast: Scorer? = nil,
                           family: RegressionResult.Family = .logistic) throws -> [Row] {
        try compare(panel: panel, model: .fixed(features, family), outcome: outcome, weights: weights, testMonths: testMonths,
                    area: area, kdePast: kdePast, replicates: 0).rows
    }

    /// The rolling-origin backtest with the paired-bootstrap differences of the model against every
    /// baseline (`PairedBootstrap`, `replicates` draws from `seed`; none when `replicates` is 0).
    /// `.stacked` chooses the default model's half-life and penalty once, at the first test origin, from
    /// the months before it only (`StackedDefault.choose`: its own rolling origin inside them), and
    /// refits that model on the months before each test month: no test month chooses anything.
    public static func compare(panel: Panel, model spec: Model, outcome: PanelOutcome, weights: SpatialWeights?,
                               testMonths: [Int], area: [Double]? = nil, kdePast: Scorer? = nil,
                               replicates: Int = 999, seed: UInt64 = 1) throws -> BacktestResult {
        var rows: [Row] = []
        var choices: [StackedChoice] = []
        // cumulative[u·(T+1) + t] = Σ_{j<t} count[u, j], so mean-past is O(1) per row.
        let T = panel.monthCount
        var cumulative = [Double](repeating: 0, count: panel.unitCount * (T + 1))
        for u in 0 ..< panel.unitCount {
            for t in 0 ..< T { cumulative[u * (T + 1) + t + 1] = cumulative[u * (T + 1) + t] + panel.count(unit: u, month: t) }
        }
        let baselines: [(String, Scorer)] = [
            ("naive-last", { u, t in panel.count(unit: u, month: t - 1) }),
            ("mean-past", { u, t in cumulative[u * (T + 1) + t] / Double(max(t, 1)) }),
        ] + (kdePast.map { [("kde-past", $0)] } ?? [])
        var months: [PairedBootstrap.Month] = [], modelForecasts: [MonthForecast] = []
        var baselineForecasts = [[MonthForecast]](repeating: [], count: baselines.count)
        guard !testMonths.isEmpty else { return BacktestResult(rows: [], differences: [], choices: [], replicates: replicates, seed: seed) }
        // The model is the same at every origin: a fixed one, or the stacked default chosen once, at the
        // first test origin, from the months before it (nested rolling origin inside them), then refitted
        // on all months before each test month.
        let features: [PanelFeature], family: RegressionResult.Family, l2: Double
        switch spec {
        case .fixed(let f, let fam): features = f; family = fam; l2 = 0
        case .stacked:
            choices.append(try StackedDefault.choose(panel: panel, weights: weights, outcome: outcome, before: testMonths.min()!))
            features = choices[0].features; family = .logistic; l2 = choices[0].l2
        }
        let all = try PanelFeatures.build(panel, features: features, outcome: outcome, weights: weights)
        let countY = family == .logistic ? [] : try PanelFeatures.build(panel, features: features, outcome: .count, weights: weights).outcome
        /// One test month's rows (model, then each baseline) and its bootstrap inputs; nil when the month
        /// has no training or no test rows.
        struct MonthResult { var rows: [Row]; var month: PairedBootstrap.Month; var model: MonthForecast; var baselines: [MonthForecast] }
        func one(_ t: Int) throws -> MonthResult? {
            let k = features.count
            let train = (0 ..< all.rows).filter { Int(all.month[$0]) < t }
            let test = (0 ..< all.rows).filter { Int(all.month[$0]) == t }
            guard !train.isEmpty, !test.isEmpty else { return nil }
            var x: [Double] = [], y: [Double] = []
            x.reserveCapacity(train.count * k)
            for i in train { x += all.values[(i * k) ..< (i * k + k)]; y.append(all.outcome[i]) }
            let fit = try Regression.fit(family: family, x: x, names: all.names, y: family == .logistic ? y : train.map { countY[$0] }, l2: l2)
            let yTest = test.map { all.outcome[$0] }
            let observed = test.map { panel.count(unit: Int(all.unit[$0]), month: t) }
            func eta(_ i: Int) -> Double {
                var e = fit.estimates[0]
                for j in 0 ..< k { e += fit.estimates[j + 1] * all.values[i * k + j] }
                return e
            }
            let label = panel.months.first.advanced(by: t).description
            // The model's probability of the outcome, and the score it ranks units by.
            let pModel: [Double], rankModel: [Double]?
            switch (family, outcome) {
            case (.logistic, _):
                pModel = test.map { 1 / (1 + RegressionMath.expo(-eta($0))) }; rankModel = nil
            case (_, .atLeast(let kk)):
                let mu = test.map { RegressionMath.expo(eta($0)) }
                pModel = mu.map { CountProbability.atLeast(kk, mean: $0, alpha: fit.alpha) }; rankModel = mu
            default:
                let sTrain = train.map { eta($0) }, sTest = test.map { eta($0) }
                var p = sTest
                if let cal = try? Regression.fit(family: .logistic, x: sTrain, names: ["score"], y: y) {
                    p = sTest.map { 1 / (1 + RegressionMath.expo(-(cal.estimates[0] + cal.estimates[1] * $0))) }
                }
                pModel = p; rankModel = sTest
            }
            var modelRow = metrics("model", label, pModel, yTest, observed, area, ranking: rankModel)
            modelRow.units = test.map { Int(all.unit[$0]) }
            modelRow.probability = pModel
            modelRow.score = rankModel ?? pModel
            var result = MonthResult(rows: [modelRow], month: PairedBootstrap.Month(outcome: yTest, observed: observed, area: area.map { a in test.map { a[Int(all.unit[$0])] } }),
                                     model: MonthForecast(score: rankModel ?? pModel, probability: pModel), baselines: [])
            for (name, score) in baselines {
                // Platt calibration on the training months: logit P(y) = a + b·score.
                let sTrain = train.map { score(Int(all.unit[$0]), Int(all.month[$0])) }
                let sTest = test.map { score(Int(all.unit[$0]), t) }
                var p = sTest
                if let cal = try? Regression.fit(family: .logistic, x: sTrain, names: ["score"], y: y) {
                    p = sTest.map { 1 / (1 + RegressionMath.expo(-(cal.estimates[0] + cal.estimates[1] * $0))) }
                }
                var row = metrics(name, label, p, yTest, observed, area, ranking: sTest)
                row.units = modelRow.units
                row.probability = p
                row.score = sTest
                result.rows.append(row)
                result.baselines.append(MonthForecast(score: sTest, probability: p))
            }
            return result
        }
        // The test months are independent fits: over the cores, assembled in month order (the first
        // failing month's error is the one thrown, as in a loop).
        let work = UncheckedSendable(one)
        let perMonth: [UncheckedSendable<Result<MonthResult?, any Error>>] = Parallel.map(testMonths.count) { q in
            UncheckedSendable(Result { try work.value(testMonths[q]) })
        }
        for r in perMonth {
            guard let m = try r.value.get() else { continue }
            rows += m.rows
            months.append(m.month)
            modelForecasts.append(m.model)
            for b in baselines.indices { baselineForecasts[b].append(m.baselines[b]) }
        }
        var differences: [(baseline: String, differences: [PairedDifference])] = []
        if replicates > 0, !months.isEmpty {
            let d = PairedBootstrap.differences(months: months, model: modelForecasts, baselines: baselineForecasts, replicates: replicates, seed: seed)
            differences = baselines.indices.map { (baselines[$0].0, d[$0]) }
        }
        // Means per model over the test months.
        for name in ["model"] + baselines.map(\.0) {
            let r = rows.filter { $0.model == name }
            guard !r.isEmpty else { continue }
            func mean(_ f: (Row) -> Double) -> Double { r.map(f).reduce(0, +) / Double(r.count) }
            let aucs = r.compactMap(\.auc)
            var m = Row(model: name, month: "mean", auc: aucs.isEmpty ? nil : aucs.reduce(0, +) / Double(aucs.count),
                        brier: mean(\.brier), logLoss: mean(\.logLoss), hitRate5: mean(\.hitRate5),
                        pai1: mean(\.pai1), pai5: mean(\.pai5), pai10: mean(\.pai10), pei5: mean(\.pei5))
            // Curve: pointwise means over the months; calibration: unit-weighted means per decile.
            if r.allSatisfy({ $0.curve.count == r[0].curve.count }) {
                m.curve = r[0].curve.indices.map { j in
                    let c = r.map { $0.curve[j] }, n = Double(c.count)
                    return ForecastMetrics.AreaResult(fraction: c[0].fraction, flaggedAreaShare: c.map(\.flaggedAreaShare).reduce(0, +) / n,
                                                      flaggedUnits: c.map(\.flaggedUnits).reduce(0, +) / c.count,
                                                      hitRate: c.map(\.hitRate).reduce(0, +) / n, pai: c.map(\.pai).reduce(0, +) / n,
                                                      pei: c.map(\.pei).reduce(0, +) / n)
                }
            }
            if r.allSatisfy({ $0.calibration.count == r[0].calibration.count }) {
                m.calibration = r[0].calibration.indices.map { j in
                    let b = r.map { $0.calibration[j] }, u = b.map(\.units).reduce(0, +)
                    return CalibrationBin(predicted: b.reduce(0.0) { $0 + $1.predicted * Double($1.units) } / Double(max(u, 1)),
                                          observed: b.reduce(0.0) { $0 + $1.observed * Double($1.units) } / Double(max(u, 1)), units: u)
                }
            }
            rows.append(m)
        }
        return BacktestResult(rows: rows, differences: differences, choices: choices, replicates: replicates, seed: seed)
    }

    static func metrics(_ model: String, _ month: String, _ p: [Double], _ y: [Double], _ observed: [Double],
                        _ area: [Double]?, ranking: [Double]? = nil) -> Row {
        let score = ranking ?? p
        func at(_ f: Double) -> ForecastMetrics.AreaResult? { ForecastMetrics.areaMetrics(risk: score, observed: observed, area: area, fraction: f) }
        let r1 = at(0.01), r5 = at(0.05), r10 = at(0.10)
        var row = Row(model: model, month: month, auc: ForecastMetrics.auc(risk: score, outcome: y),
                   brier: ForecastMetrics.brier(probability: p, outcome: y), logLoss: ForecastMetrics.logLoss(probability: p, outcome: y),
                   hitRate5: r5?.hitRate ?? .nan, pai1: r1?.pai ?? .nan, pai5: r5?.pai ?? .nan, pai10: r10?.pai ?? .nan, pei5: r5?.pei ?? .nan)
        row.curve = curveFractions.compactMap(at)
        row.calibration = ForecastMetrics.calibration(probability: p, outcome: y).map { CalibrationBin(predicted: $0.predicted, observed: $0.observed, units: $0.units) }
        return row
    }
}

/// A backtest's rows (per month and means), the paired differences of the model against each baseline,
/// and, for the stacked default, what was chosen (once, at the first test origin).
public struct BacktestResult: Sendable {
    public let rows: [Backtest.Row]
    /// One entry per baseline in the rows' order: the differences model − baseline (`PairedBootstrap.metrics`).
    public let differences: [(baseline: String, differences: [PairedDifference])]
    public let choices: [StackedChoice]
    public let replicates: Int
    public let seed: UInt64

    /// The difference of `metric` against `baseline`, if computed.
    public func difference(_ metric: String, against baseline: String) -> PairedDifference? {
        differences.first { $0.baseline == baseline }?.differences.first { $0.metric == metric }
    }
}
