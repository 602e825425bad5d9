import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// Orchestration of the default risk model (`StackedDefault`) shared by fit, backtest, score and the
/// report: which inputs the panel needs, the backtest with paired intervals, and their JSON / text.
enum DefaultRiskModel {
    /// Bootstrap replicates of the paired differences (`--replicates`).
    static let defaultReplicates = 499
    /// Seed of the paired bootstrap (`--seed`).
    static let defaultSeed: UInt64 = 42
    /// Test months of the backtest behind `fit` and `score`'s choice of method (and the report's).
    static let selectionTestMonths = 6

    static let options: [OptionSpec] = [
        OptionSpec("--replicates", value: "N", help: "Paired-bootstrap replicates of the model - baseline differences (default 499; 0 = no intervals)."),
        OptionSpec("--seed", value: "N", help: "Seed of the paired bootstrap (a whole number >= 0; default 42)."),
    ]

    static func replicates(_ a: ParsedArguments) throws -> Int {
        try OptionValue.whole("--replicates", a.value("--replicates") ?? String(defaultReplicates), in: 0 ... 100_000)
    }

    static func seed(_ a: ParsedArguments) throws -> UInt64 {
        try a.value("--seed").map { try OptionValue.seed("--seed", $0) } ?? defaultSeed
    }

    /// Every feature the stacked default may use on these inputs (so the panel builds their inputs):
    /// kde_past and the context counts need street files; the neighbourhood features need contiguity.
    static func panelFeatures(_ o: PanelOptions) -> [PanelFeature] {
        let paths = o.input.paths
        let countsTable = paths.count == 1 && LSOACountsFile.looksLike(path: paths[0])
        return StackedDefault.features(halfLife: StackedDefault.halfLives[0], kdePast: !countsTable, context: !countsTable, neighbours: true)
    }

    /// The rolling-origin comparison of the default (or the given features) with the baselines.
    static func backtest(_ pin: PanelInputs, model: Backtest.Model, outcome: PanelOutcome, testMonths: [Int],
                         replicates: Int, seed: UInt64) throws -> BacktestResult {
        do {
            return try Backtest.compare(panel: pin.panel, model: model, outcome: outcome, weights: pin.weights, testMonths: testMonths,
                                        area: pin.area, kdePast: pin.kdePastScorer, replicates: replicates, seed: seed)
        } catch let e as RegressionError { throw RuntimeError("fitting the model: \(e.description)") }
        catch let e as PanelError { throw RuntimeError(e.description) }
    }

    static func json(_ d: PairedDifference) -> JSONValue {
        func num(_ v: Double) -> JSONValue { v.isFinite ? .number(v) : .null }
        return .object([("metric", .string(d.metric)), ("estimate", num(d.estimate)), ("ci_low", num(d.low)), ("ci_high", num(d.high)),
                        ("replicates", .int(d.replicates))])
    }

    static func json(_ c: StackedChoice, months: MonthRange) -> JSONValue {
        func num(_ v: Double) -> JSONValue { v.isFinite ? .number(v) : .null }
        return .object([
            ("origin", .string(months.first.advanced(by: c.before).description)),
            ("half_life_months", .int(c.halfLife)), ("l2", .number(c.l2)),
            ("features", .array(c.features.map { .string($0.description) })),
            ("half_life_deviance", .array(zip(StackedDefault.halfLives, c.deviance).map { .object([("half_life", .int($0)), ("mean_poisson_deviance", num($1))]) })),
            ("inner_months", .array(c.innerMonths.map { .string(months.first.advanced(by: $0).description) })),
            ("inner_log_loss", .array(zip(StackedDefault.penalties, c.innerLogLoss).map { .object([("l2", .number($0)), ("log_loss", num($1))]) })),
        ])
    }

    /// The comparison block of a backtest JSON: method, intervals, verdicts, best method, choices.
    static func comparisonJSON(_ r: BacktestResult, months: MonthRange) -> JSONValue {
        let verdicts = BacktestVerdict.all(r)
        let best = BestMethod(verdicts)
        return .object([
            ("interval", .string(r.replicates > 0
                ? "paired bootstrap over test months and units (\(r.replicates) replicates, seed \(r.seed)), 95 % percentile interval of the mean over test months of model - baseline"
                : "none (--replicates 0): verdicts compare the points")),
            ("differences", .array(r.differences.map { d in .object([("baseline", .string(d.baseline)), ("metrics", .array(d.differences.map(json)))]) })),
            ("verdicts", .array(verdicts.map { .object([("baseline", .string($0.baseline)), ("beats", .bool($0.beats)), ("sentence", .string("the model " + $0.sentence))]) })),
            ("best_method", .string(best.method)), ("best_method_sentence", .string(best.sentence)),
            ("choices", .array(r.choices.map { json($0, months: months) })),
        ])
    }

    /// Plain-text table of the differences with their intervals.
    static func differencesText(_ r: BacktestResult) -> String {
        guard !r.differences.isEmpty else { return "" }
        var text = "  model - baseline, mean over test months [95 % paired-bootstrap interval, \(r.replicates) replicates, seed \(r.seed)]:\n"
        for d in r.differences {
            text += "    vs \(d.baseline):"
            for m in d.differences where ["auc", "log_loss", "brier", "pai_5", "pei_5"].contains(m.metric) {
                let digits = m.metric.hasPrefix("pai") ? 2 : m.metric == "auc" ? 3 : 4
                text += " \(m.metric) \(BacktestVerdict.signed(m.estimate, digits)) [\(BacktestVerdict.signed(m.low, digits)), \(BacktestVerdict.signed(m.high, digits))]"
            }
            text += "\n"
        }
        return text
    }
}
