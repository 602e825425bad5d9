import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// Risk-model mode of `placerisk fit`: a logistic model of next month's binary outcome, or a Poisson /
/// NB2 model of next month's count, from features of earlier months.
enum RiskModelFit {
    /// `--family` for the risk-model subcommands (default logistic).
    static func family(_ a: ParsedArguments) throws -> RegressionResult.Family {
        guard let f = RegressionResult.Family(rawValue: a.value("--family") ?? "logistic") else {
            throw UsageError("invalid --family '\(a.value("--family")!)'; expected logistic, poisson or negbin")
        }
        return f
    }

    static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        let family = try Self.family(a)
        let given = try a.value("--features").map(PanelInputs.features)
        let evaluateMonths = try a.value("--evaluate").map { try OptionValue.whole("--evaluate", $0, in: 1 ... 1200) }
        let outcomeText = a.value("--outcome") ?? (family == .logistic ? "atleast:1" : "count")
        if family == .logistic, outcomeText == "count" { throw UsageError("--outcome count needs --family poisson or negbin") }
        let outcome: PanelOutcome = outcomeText == "count" ? .count : try PanelInputs.outcome(outcomeText)
        if given == nil, a.value("--family") != nil { throw UsageError("--family applies to --features; the default model is a penalised logistic model") }
        let replicates = try DefaultRiskModel.replicates(a), seed = try DefaultRiskModel.seed(a)
        let o = try PanelOptions(a, io: io)
        let pin = try PanelInputs(o, features: given ?? DefaultRiskModel.panelFeatures(o), io: io)
        var features: [PanelFeature], l2 = 0.0, choice: StackedChoice?
        if let given { features = given } else {
            let T = pin.panel.monthCount
            guard T >= 2 else { throw RuntimeError("\(T) month(s) cannot hold a month of history and a target month") }
            do { choice = try StackedDefault.choose(panel: pin.panel, weights: pin.weights, outcome: outcome, before: T) } catch {
                throw RuntimeError("choosing the default model: \(plainDescription(error))")
            }
            features = choice!.features; l2 = choice!.l2
            if !o.input.quiet { io.err("Model: the stacked default; half-life \(choice!.halfLife) months and L2 \(l2.shortDescription) chosen from the \(T) months (features \(features.map(\.description).joined(separator: ",")))\n") }
        }
        let m: FeatureMatrix, counts: FeatureMatrix
        do {
            m = try PanelFeatures.build(pin.panel, features: features, outcome: outcome, weights: pin.weights)
            counts = family == .logistic ? m : try PanelFeatures.build(pin.panel, features: features, outcome: .count, weights: pin.weights)
        } catch { throw RuntimeError(error.description) }
        let fit: RegressionResult
        do { fit = try Regression.fit(family: family, x: m.values, names: m.names, y: counts.outcome, l2: l2) } catch {
            throw RuntimeError("fitting the model: \(error.description)")
        }
        let months = pin.panel.months
        let what = family == .logistic ? "logistic regression of '\(outcome)'" : "\(family.rawValue) regression of the count"
        io.out(RegressionReport.table(fit, title: "risk model: \(what) next month on \(features.map(\.description).joined(separator: ", ")) (\(pin.unitNote))"))
        var evaluation: JSONValue = .null
        var best: BestMethod?
        if given == nil {
            // The default's own backtest decides which method score and the report rank by.
            let n = evaluateMonths ?? DefaultRiskModel.selectionTestMonths
            let T = pin.panel.monthCount
            let lowest = max(2, T - n)
            if lowest < T {
                let r = try DefaultRiskModel.backtest(pin, model: .stacked, outcome: outcome, testMonths: Array(lowest ..< T), replicates: replicates, seed: seed)
                let verdicts = BacktestVerdict.all(r)
                best = BestMethod(verdicts)
                evaluation = .object([
                    ("method", .string("rolling origin: the default chosen from the months before the first test month; at each of the last \(T - lowest) month(s) refitted on earlier months only, then that month predicted")),
                    ("months", .array((lowest ..< T).map { .string(pin.panel.months.first.advanced(by: $0).description) })),
                    ("means", .array(r.rows.filter { $0.month == "mean" }.map { r in .object([
                        ("model", .string(r.model)), ("auc", r.auc.map { .number($0) } ?? .null), ("brier", .number(r.brier)), ("log_loss", .number(r.logLoss)),
                        ("pai_5", .number(r.pai5)), ("pei_5", .number(r.pei5)),
                    ]) })),
                    ("comparison", DefaultRiskModel.comparisonJSON(r, months: pin.panel.months)),
                ])
                for v in verdicts { io.err("Backtest: the model \(v.sentence)\n") }
                io.err(best!.sentence + "\n")
            } else {
                best = BestMethod([])
                io.err("Backtest omitted: \(T) months cannot hold a month of history, a training month and a test month; the model is untested\n")
            }
        } else if let n = evaluateMonths {
            guard family == .logistic || outcome != .count else { throw UsageError("--evaluate needs a binary --outcome (atleast:K or top:Q) to score against") }
            let T = pin.panel.monthCount, first = features.map(\.lookback).max() ?? 0
            let lowest = max(first + 1, T - n)
            guard lowest < T else { throw RuntimeError("\(T) months cannot hold \(first) months of history, a training month and a test month") }
            let rows: [Backtest.Row]
            do {
                rows = try Backtest.run(panel: pin.panel, features: features, outcome: outcome, weights: pin.weights,
                                        testMonths: Array(lowest ..< T), area: pin.area, kdePast: pin.kdePastScorer, family: family)
            } catch { throw RuntimeError("backtest: \(plainDescription(error))") }
            evaluation = .object([
                ("method", .string("rolling origin: fitted on earlier months only, each of the last \(T - lowest) month(s) predicted")),
                ("months", .array((lowest ..< T).map { .string(pin.panel.months.first.advanced(by: $0).description) })),
                ("means", .array(rows.filter { $0.month == "mean" }.map { r in .object([
                    ("model", .string(r.model)), ("auc", r.auc.map { .number($0) } ?? .null), ("brier", .number(r.brier)),
                    ("pai_5", .number(r.pai5)), ("pei_5", .number(r.pei5)),
                ]) })),
            ])
            for r in rows where r.month == "mean" {
                io.err("Backtest mean \(r.model): AUC \(r.auc.map { String(format: "%.3f", $0) } ?? "n/a"), PAI@5% \(String(format: "%.2f", r.pai5))\n")
            }
        }
        if let path = a.value("--model-out") {
            var inputs: [JSONValue] = []
            for p in pin.inputPaths + (pin.covariatesPath.map { [$0] } ?? []) {
                inputs.append(.object([("path", .string(p)), ("sha256", .string(try SHA256.hexDigest(path: p)))]))
            }
            let training: JSONValue = .object([
                ("inputs", .array(inputs)),
                ("months", .object([("from", .string(months.first.description)), ("to", .string(months.last.description))])),
                ("rows", .int(m.rows)), ("units", .string(pin.unitNote)),
                ("loglik", .number(fit.logLikelihood)), ("loglik_null", .number(fit.nullLogLikelihood)), ("aic", .number(fit.aic)),
                ("accounting", pin.accounting),
            ])
            var file = RiskModelFile(unit: pin.unit.rawValue, grid: pin.grid, crimeTypes: pin.crimeTypes.map { $0.sorted() }, features: features,
                                     outcome: outcomeText, fit: fit, training: training, evaluation: evaluation)
            file.l2 = l2
            if let best { file.rankedBy = best.method; file.rankingSentence = best.sentence }
            if let c = choice { file.selection = DefaultRiskModel.json(c, months: pin.panel.months); file.isStackedDefault = true }
            if features.contains(where: { $0.description.contains("kde_past") }) { file.kdeBandwidth = pin.kdeBandwidth }
            file.covariates = pin.covariatesPath
            createParentFolder(of: path)
            try file.write(path: path)
            if !a.flag("--quiet") { io.err("Wrote model \(path)\n") }
        }
        try pin.emitAccounting(o.input, io: io)
    }
}
