/// What the stacked default chose for one origin (the months before `before`), and why.
public struct StackedChoice: Sendable, Equatable {
    /// The first target month the choice may be used for (every number behind it comes from months < before).
    public let before: Int
    /// Half-life (months) of `ewm_H`: the one whose exponentially weighted mean, used as next month's
    /// expected count, had the smallest mean Poisson deviance over the training target months.
    public let halfLife: Int
    /// L2 penalty λ of the logistic fit (`Regression.fit(l2:)`), chosen by the inner folds' log-loss.
    public let l2: Double
    public let features: [PanelFeature]
    /// Mean Poisson deviance per candidate half-life (same order as `StackedDefault.halfLives`).
    public let deviance: [Double]
    /// Mean inner-fold log-loss per candidate λ (same order as `StackedDefault.penalties`; NaN when not fitted).
    public let innerLogLoss: [Double]
    /// The inner validation months (target months < before).
    public let innerMonths: [Int]
}

/// The default risk model (issue 16): a regularised logistic model of next month's outcome stacked on
/// the baselines' own scores and the recency, shrinkage and spatial features, all chosen at each
/// origin from the training months only (nested rolling origin; no test month chooses anything).
///
/// Features (log1p of each; those whose inputs are missing are left out):
/// ```
/// mean_past               the mean-past baseline (full-history mean)
/// ewm_H                   exponentially weighted mean, half-life H ∈ halfLives
/// eb_rate                 local (neighbourhood) empirical-Bayes long-run rate, Marshall 1991   [neighbours]
/// context_mean_past       long-run mean of every non-proactive type                            [street data]
/// eb_context_rate         long-run rate shrunk toward ρ · context (Poisson–gamma moments)      [street data]
/// kde_past                the kde-past baseline                                                [points]
/// spatial_mean_past_1, _2 neighbours' long-run rate within 1 and 2 contiguity steps            [neighbours]
/// ```
/// Choice at origin t (training target months s = first … t − 1):
/// ```
/// H   = argmin_h  mean_s  D(count[s], ewm_h[s]),   D(y, μ) = 2[y ln(y/μ) − (y − μ)]  (μ floored at 1e-9)
/// λ   = argmin_λ  mean_{t' ∈ last 3 training months}  logloss( fit on targets < t', predict t' )
/// ```
/// then the model is fitted on every training month with (H, λ). The half-life follows the
/// prospective-mapping idea that recent events weigh more (Bowers, Johnson & Pease 2004, Br. J.
/// Criminol. 44:641–658); the stacking of base forecasts by a penalised logistic model follows
/// Wolpert (1992) "Stacked generalization", Neural Networks 5:241–259; the nested rolling origin
/// follows Tashman (2000), Int. J. Forecasting 16:437–450.
public enum StackedDefault {
    public static let halfLives = [1, 2, 3, 4, 6, 9, 12, 18]
    public static let penalties: [Double] = [0, 10, 100, 1000]
    public static let innerFolds = 3

    /// The feature list for a half-life and the inputs a panel has.
    /// `ewm` is left out when `recency` is false (a single training target month, t = 1, where ewm_H,
    /// mean_past and lag_1 are the same number).
    public static func features(halfLife h: Int, kdePast: Bool, context: Bool, neighbours: Bool, recency: Bool = true) -> [PanelFeature] {
        var f: [PanelFeature] = recency ? [.pastMean, .ewm(h)] : [.pastMean]
        if neighbours { f.append(.ebRate) }
        if context { f += [.contextPastMean, .ebContextRate] }
        if kdePast { f.append(.kdePast) }
        if neighbours { f += [.spatialPastMean(1), .spatialPastMean(2)] }
        return f.map { .log1p($0) }
    }

    /// Mean Poisson deviance of `ewm_h` as the forecast of count[s] over target months 1 … before − 1.
    public static func halfLifeDeviance(_ panel: Panel, before: Int) -> [Double] {
        let T = panel.monthCount, U = panel.unitCount, W = T + 1
        precondition(before >= 2 && before <= T + 1, "StackedDefault.halfLifeDeviance: needs at least one target month with history")
        return Parallel.map(halfLives.count) { i in
            let h = halfLives[i]
            let e = PanelFeatures.Context.ewm(panel, halfLife: Double(h))
            var d = 0.0, n = 0
            for s in 1 ..< min(before, T) {
                for u in 0 ..< U {
                    let y = panel.count(unit: u, month: s), mu = max(e[u * W + s], 1e-9)
                    d += 2 * ((y > 0 ? y * log(y / mu) : 0) - (y - mu)); n += 1
                }
            }
            return n > 0 ? d / Double(n) : .nan
        }
    }

    /// The choice for origin `before` (see the type's documentation).
    public static func choose(panel: Panel, weights: SpatialWeights?, outcome: PanelOutcome, before: Int) throws -> StackedChoice {
        let dev = halfLifeDeviance(panel, before: before)
        var bestH = 0
        for i in dev.indices where dev[i] < dev[bestH] { bestH = i }
        let h = halfLives[bestH]
        let features = Self.features(halfLife: h, kdePast: panel.kdePast != nil, context: panel.contextCounts != nil, neighbours: weights != nil, recency: before >= 3)
        let all = try PanelFeatures.build(panel, features: features, outcome: outcome, weights: weights, lastTarget: min(before, panel.monthCount) - 1)
        let k = features.count
        let inner = Array(max(2, before - innerFolds) ..< before)
        var loss = [Double](repeating: 0, count: penalties.count), folds = [Int](repeating: 0, count: penalties.count)
        // The inner folds × penalties are independent fits: over the cores, summed afterwards in fold order.
        let tasks = inner.flatMap { t in penalties.indices.map { (t, $0) } }
        let fold = UncheckedSendable(all)
        let losses: [Double?] = Parallel.map(tasks.count) { q in
            let (t, j) = tasks[q], all = fold.value
            let train = (0 ..< all.rows).filter { Int(all.month[$0]) < t }
            let test = (0 ..< all.rows).filter { Int(all.month[$0]) == t }
            guard !train.isEmpty, !test.isEmpty else { return nil }
            let x = train.flatMap { all.values[($0 * k) ..< ($0 * k + k)] }, y = train.map { all.outcome[$0] }
            guard let fit = try? Regression.fit(family: .logistic, x: x, names: all.names, y: y, l2: penalties[j]) else { return nil }
            let p = test.map { i in RegressionMath.logistic(fit.estimates, all.values[(i * k) ..< (i * k + k)]) }
            return ForecastMetrics.logLoss(probability: p, outcome: test.map { all.outcome[$0] })
        }
        for (q, (_, j)) in tasks.enumerated() { if let l = losses[q] { loss[j] += l; folds[j] += 1 } }
        let mean = loss.indices.map { folds[$0] > 0 ? loss[$0] / Double(folds[$0]) : .nan }
        var bestL = 0
        for j in mean.indices where mean[j].isFinite && (!mean[bestL].isFinite || mean[j] < mean[bestL]) { bestL = j }
        return StackedChoice(before: before, halfLife: h, l2: penalties[bestL], features: features, deviance: dev, innerLogLoss: mean, innerMonths: inner)
    }
}
