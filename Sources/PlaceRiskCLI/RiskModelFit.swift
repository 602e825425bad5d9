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
                                     outcome: outcomeText, fit: fit, training: training)
            createParentFolder(of: path)
            try file.write(path: path)
            if !a.flag("--quiet") { io.err("Wrote model \(path)\n") }
        }
    }
}
