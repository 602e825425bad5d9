import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// Risk-model mode of `placerisk fit`: a logistic model of next month's outcome from earlier months.
enum RiskModelFit {
    static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        let unit = a.value("--unit") ?? "cell"
        guard unit == "cell" || unit == "lsoa" else { throw UsageError("invalid --unit '\(unit)'; expected cell or lsoa") }
        let features = try PanelInputs.features(a.value("--features") ?? "lag_1,mean_3")
        let outcomeText = a.value("--outcome") ?? "atleast:1"
        let outcome = try PanelInputs.outcome(outcomeText)
        let pin = try PanelInputs(a, unit: unit, features: features, io: io)
        let m: FeatureMatrix
        do { m = try PanelFeatures.build(pin.panel, features: features, outcome: outcome, weights: pin.weights) } catch {
            throw RuntimeError(error.description)
        }
        let fit: RegressionResult
        do { fit = try Regression.fit(family: .logistic, x: m.values, names: m.names, y: m.outcome) } catch {
            throw RuntimeError("fitting the model: \(error.description)")
        }
        let months = pin.panel.months
        io.out(RegressionReport.table(fit, title: "risk model: logistic regression of '\(outcome)' next month on \(features.map(\.description).joined(separator: ", ")) (\(pin.unitNote))"))
        var evaluation: JSONValue = .null
        if let e = a.value("--evaluate") {
            guard let n = Int(e), n >= 1 else { throw UsageError("invalid --evaluate '\(e)'; expected a whole number of months >= 1") }
            let T = pin.panel.monthCount, first = features.map(\.lookback).max() ?? 0
            let lowest = max(first + 1, T - n)
            guard lowest < T else { throw RuntimeError("\(T) months cannot hold \(first) months of history, a training month and a test month") }
            let rows: [Backtest.Row]
            do {
                rows = try Backtest.run(panel: pin.panel, features: features, outcome: outcome, weights: pin.weights,
                                        testMonths: Array(lowest ..< T), area: pin.area, kdePast: pin.kdePast)
            } catch { throw RuntimeError("backtest: \(error)") }
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
            for f in pin.inputs.files { inputs.append(.object([("path", .string(f.path)), ("sha256", .string(try SHA256.hexDigest(path: f.path)))])) }
            let training: JSONValue = .object([
                ("inputs", .array(inputs)),
                ("months", .object([("from", .string(months.first.description)), ("to", .string(months.last.description))])),
                ("rows", .int(m.rows)), ("units", .string(pin.unitNote)),
                ("loglik", .number(fit.logLikelihood)), ("loglik_null", .number(fit.nullLogLikelihood)), ("aic", .number(fit.aic)),
                ("accounting", AccountingReport.json(pin.inputs.accounting)),
            ])
            let file = RiskModelFile(unit: unit, grid: pin.grid, crimeTypes: pin.crimeTypes.map { $0.sorted() }, features: features,
                                     outcome: outcomeText, fit: fit, training: training, evaluation: evaluation)
            createParentFolder(of: path)
            try file.write(path: path)
            if !a.flag("--quiet") { io.err("Wrote model \(path)\n") }
        }
    }
}
