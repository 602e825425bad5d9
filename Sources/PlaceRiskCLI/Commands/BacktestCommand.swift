import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// `placerisk backtest`: rolling-origin evaluation of the risk model against naive baselines.
public enum BacktestCommand: Subcommand {
    public static let spec = CommandSpec(
        name: "backtest",
        abstract: "Rolling-origin backtest of the risk model against naive baselines (AUC, Brier, PAI, PEI).",
        discussion: """
        For each of the last --test-months months: fit the model on earlier months only, predict the
        month, and score the baselines naive-last, mean-past and (street data) kde-past the same way.
        Without --features the model is the stacked default (mean_past, ewm_H, eb_rate, context and
        spatial features, kde_past; half-life H and L2 penalty chosen from the training months only).
        Every difference model - baseline (AUC, log-loss, Brier, PAI/PEI at 1/5/10 %) has a 95 %
        paired-bootstrap interval over test months and units; the verdict uses the AUC interval.
        Metrics are computed over the study area's units only: for grids, the cells with at least one
        incident of any type in any month of the data; for LSOAs, the study-area rule (conventions 8).
        """,
        positional: "inputs",
        positionalHelp: "police.uk street CSV files or folders (several months), or one LSOA x month counts CSV.",
        options: [
            OptionSpec("--out", value: "file", help: "Results JSON.", required: true),
            OptionSpec("--features", value: "list", help: "Comma-separated features instead of the stacked default: lag_K, mean_W, mean_past, ewm_H, eb_rate, eb_context_rate, context_mean_past, spatial_lag_1, spatial_mean_past_K, kde_past, month_sin, month_cos, cov:COLUMN, log1p_<feature>."),
            OptionSpec("--outcome", value: "atleast:K|top:Q", help: "Binary outcome: count >= K (default atleast:1) or top fraction Q of units."),
            OptionSpec("--test-months", value: "N", help: "Number of final months to test (default 2)."),
        ] + DefaultRiskModel.options + [
            OptionSpec.boundaries("spatial_lag_1, kde_past centroids and PAI areas of LSOA units"),
        ] + OptionSpec.riskModelUnit + OptionSpec.riskModelInputs + OptionSpec.policeFilters + OptionSpec.runControls
    )

    public static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        let out = a.value("--out")!
        let family = try RiskModelFit.family(a)
        let given = try a.value("--features").map(PanelInputs.features)
        let outcome = try PanelInputs.outcome(a.value("--outcome") ?? "atleast:1")
        let nTest = try OptionValue.whole("--test-months", a.value("--test-months") ?? "2", in: 1 ... 1200)
        let replicates = try DefaultRiskModel.replicates(a), seed = try DefaultRiskModel.seed(a)
        if given == nil, a.value("--family") != nil { throw UsageError("--family applies to --features; the default model is a penalised logistic model") }
        let o = try PanelOptions(a, io: io)
        let pin = try PanelInputs(o, features: given ?? DefaultRiskModel.panelFeatures(o), io: io)
        let features = given ?? StackedDefault.features(halfLife: 1, kdePast: pin.panel.kdePast != nil, context: pin.panel.contextCounts != nil, neighbours: pin.weights != nil)
        let unit = pin.unit
        let panel = pin.panel, months = panel.months, T = months.count
        let typeFilter = pin.crimeTypes, unitNote = pin.unitNote, opts = pin.options
        let first = features.map(\.lookback).max() ?? 0
        let lowest = max(first + 1, T - nTest)
        let tests = lowest < T ? Array(lowest ..< T) : []
        guard !tests.isEmpty else { throw RuntimeError("\(T) months cannot hold \(first) months of history, a training month and a test month") }
        if !o.input.quiet { io.err(given == nil ? "Model: the stacked default (half-life and penalty chosen at the first test origin from the months before it, by rolling origin inside them)\n" : "Features: given with --features\n") }
        let result = try DefaultRiskModel.backtest(pin, model: given == nil ? .stacked : .fixed(features, family), outcome: outcome, testMonths: tests,
                                                   replicates: replicates, seed: seed)
        let rows = result.rows
        func num(_ v: Double?) -> JSONValue { v.map { .number($0) } ?? .null }
        let json: JSONValue = .object([
            ("placerisk_version", .string(PlaceRiskVersion.string)),
            ("unit", .string(unit.rawValue)), ("cell", unit == .cell ? .number(opts.grid?.cell ?? opts.cell ?? 500) : .null),
            ("units_evaluated", .string(unitNote)),
            ("model", .string(given == nil ? "stacked default: L2-penalised logistic regression on the features below (ewm_H with H chosen per origin)" : "given features")),
            ("features", .array(features.map { .string($0.description) })),
            ("features_chosen", .string(given == nil ? "the stacked default; its choice (made before the first test month) in comparison.choices" : "given with --features")),
            ("outcome", .string(outcome.description)), ("family", .string(given == nil ? "logistic (L2)" : family.rawValue)),
            ("accounting", pin.accounting),
            ("crime_types", typeFilter.map { .array($0.sorted().map { .string($0.label) }) } ?? .string("as counted in the input table")),
            ("months", .array(tests.map { .string(months.first.advanced(by: $0).description) })),
            ("results", .array(rows.map { r in .object([
                ("model", .string(r.model)), ("month", .string(r.month)), ("auc", num(r.auc)), ("brier", .number(r.brier)),
                ("log_loss", .number(r.logLoss)), ("hit_rate_5", .number(r.hitRate5)), ("pai_1", .number(r.pai1)),
                ("pai_5", .number(r.pai5)), ("pai_10", .number(r.pai10)), ("pei_5", .number(r.pei5)),
                ("curve", .array(r.curve.map { c in .object([("area_fraction", .number(c.flaggedAreaShare)), ("target_fraction", .number(c.fraction)),
                                                             ("hit_rate", .number(c.hitRate)), ("pai", .number(c.pai)), ("pei", .number(c.pei))]) })),
                ("calibration", .array(r.calibration.map { b in .object([("predicted", .number(b.predicted)), ("observed", .number(b.observed)), ("units", .int(b.units))]) })),
            ]) })),
            ("comparison", DefaultRiskModel.comparisonJSON(result, months: months)),
        ])
        createParentFolder(of: out)
        do { try (json.serialized() + "\n").write(toFile: out, atomically: true, encoding: .utf8) } catch { throw RuntimeError("cannot write \(out): \(error.localizedDescription)") }
        let means = rows.filter { $0.month == "mean" }
        var text = "Backtest over \(tests.count) test month(s), \(unitNote):\n"
        text += "  model        AUC     Brier   PAI@5%  PEI@5%\n"
        for r in means {
            text += "  " + r.model.padding(toLength: 11, withPad: " ", startingAt: 0)
                + " " + (r.auc.map { String(format: "%.3f", $0) } ?? "  n/a") + "   " + String(format: "%.4f", r.brier)
                + "  " + String(format: "%6.2f", r.pai5) + "  " + String(format: "%6.3f", r.pei5) + "\n"
        }
        text += DefaultRiskModel.differencesText(result)
        for c in result.choices { text += "  chosen from the months before \(months.first.advanced(by: c.before)): half-life \(c.halfLife) months, L2 \(c.l2.shortDescription)\n" }
        for v in BacktestVerdict.all(result) { text += "  the model \(v.sentence)\n" }
        text += "  " + BestMethod(BacktestVerdict.all(result)).sentence + "\n"
        io.out(text)
        try pin.emitAccounting(o.input, io: io)
    }
}
