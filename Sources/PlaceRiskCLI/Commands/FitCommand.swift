import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// `placerisk fit --table`: logistic, Poisson or negative-binomial regression on any table.
public enum FitCommand: Subcommand {
    public static let spec = CommandSpec(
        name: "fit",
        abstract: "Fit a logistic, Poisson or negative binomial regression to a table.",
        discussion: """
        Table mode: --table FILE.csv --outcome COLUMN --features A,B,C.
        Risk-model mode: police inputs (or one LSOA x month counts CSV) --unit cell|lsoa
        [--features lag_1,mean_3 [--family poisson|negbin]] --outcome atleast:1 [--model-out models/NAME.json]:
        a model of next month's outcome (logistic) or count (poisson/negbin) from earlier months, saved as
        a versioned model file for 'placerisk score'. Without --features: the stacked default (an
        L2-penalised logistic model on mean_past, ewm_H, eb_rate, context and spatial features and
        kde_past; H and the penalty chosen from the data by rolling origin), backtested against the
        baselines with paired-bootstrap intervals; the file records which method score ranks by. Crime types default to "Violence and sexual offences";
        proactively detected types (Drugs, Possession of weapons, Public order) need --include-proactive.
        Unpenalised maximum likelihood by Newton's method (standard errors from the inverse observed
        information), as statsmodels; --l2 adds (lambda/2)*sum(beta^2) on the non-intercept coefficients
        (= scikit-learn C = 1/lambda). Prints the coefficient table to stdout; the intercept is 'const'.
        Rows with an empty/NA value in a used column are skipped and reported.
        """,
        positional: "inputs",
        positionalHelp: "Risk-model mode: police.uk street CSV files or folders.",
        positionalRequired: false,
        options: [
            OptionSpec("--table", value: "file", help: "Table mode: CSV with a header row."),
            OptionSpec("--outcome", value: "column|atleast:K|top:Q|count", help: "Table: the outcome column, 0/1 or a count. Risk model: count >= K next month (default atleast:1), top fraction Q, or count (poisson/negbin; their default).", required: false),
            OptionSpec("--features", value: "list", help: "Table: feature columns. Risk model: lag_K, mean_W, mean_past, ewm_H, eb_rate, eb_context_rate, context_mean_past, spatial_lag_1, spatial_mean_past_K, kde_past, month_sin, month_cos, cov:COLUMN, log1p_<f> (default: the stacked default model).", required: false),
            OptionSpec("--model-out", value: "file", help: "Risk model: write the model file (versioned JSON)."),
            OptionSpec("--evaluate", value: "N", help: "Risk model: backtest the last N months (rolling origin, vs naive baselines) and store the means in the model file (default model: always, N = 6)."),
            OptionSpec("--offset", value: "column", help: "Offset column, used as given (e.g. log population)."),
            OptionSpec("--log-offset", value: "column", help: "Offset = ln(column) (e.g. population); rows with a value <= 0 are refused."),
            OptionSpec("--weight-column", value: "column", help: "Table mode: observation (frequency) weights."),
            OptionSpec("--l2", value: "lambda", help: "L2 penalty on the non-intercept coefficients (default 0: unpenalised)."),
            OptionSpec("--json", value: "file", help: "Also write the fit as JSON."),
            OptionSpec.boundaries("spatial_lag_1, kde_past centroids and PAI areas of LSOA units"),
        ] + OptionSpec.riskModelUnit + DefaultRiskModel.options + OptionSpec.riskModelInputs + OptionSpec.policeFilters + OptionSpec.runControls
    )

    public static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        if a.value("--table") == nil {
            guard !a.positionals.isEmpty || !a.all("--incidents").isEmpty else { throw UsageError("give --table FILE.csv, or police inputs (or --incidents) for a risk model") }
            try RiskModelFit.run(a, io: io)
            return
        }
        guard a.positionals.isEmpty else { throw UsageError("give either --table or police inputs, not both") }
        guard a.value("--outcome") != nil, a.value("--features") != nil else { throw UsageError("table mode needs --outcome COLUMN and --features A,B,C") }
        guard let family = RegressionResult.Family(rawValue: a.value("--family") ?? "logistic") else {
            throw UsageError("invalid --family '\(a.value("--family")!)'; expected logistic, poisson or negbin")
        }
        let features = a.value("--features")!.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !features.isEmpty, Set(features).count == features.count else { throw UsageError("--features needs distinct column names, e.g. --features a,b,c") }
        var l2 = 0.0
        if let t = a.value("--l2") {
            guard let v = Double(t), v >= 0, v.isFinite else { throw UsageError("invalid --l2 '\(t)'; expected a number >= 0") }
            l2 = v
        }
        if a.value("--offset") != nil, a.value("--log-offset") != nil { throw UsageError("give either --offset or --log-offset, not both") }
        if family == .logistic, a.value("--offset") != nil || a.value("--log-offset") != nil {
            throw UsageError("an offset applies to the count families (poisson, negbin)")
        }
        let outcome = a.value("--outcome")!
        let offsetCol = a.value("--offset") ?? a.value("--log-offset")
        var cols = features + [outcome]
        if let o = offsetCol { cols.append(o) }
        if let w = a.value("--weight-column") { cols.append(w) }
        let path = a.value("--table")!
        let t = try NumericTable.read(path: path, columns: cols)
        let k = features.count
        var x = [Double](repeating: 0, count: t.rows * k)
        for i in 0 ..< t.rows { for j in 0 ..< k { x[i * k + j] = t.values[i * cols.count + j] } }
        let y = t.column(outcome)
        var offset: [Double]?
        if let o = offsetCol {
            let v = t.column(o)
            if a.value("--log-offset") != nil {
                if let bad = v.firstIndex(where: { $0 <= 0 }) {
                    throw RuntimeError("\(path): --log-offset column '\(o)' has \(v[bad].shortDescription) in data row \(bad + 1); its logarithm is undefined")
                }
                offset = v.map { log($0) }
            } else { offset = v }
        }
        let weights = a.value("--weight-column").map { t.column($0) }
        let r: RegressionResult
        do { r = try Regression.fit(family: family, x: x, names: features, y: y, offset: offset, weights: weights, l2: l2) } catch {
            throw RuntimeError(error.description)
        }
        io.out(RegressionReport.table(r, title: "\(family.rawValue) regression of \(outcome) on \(path)"))
        if t.skippedCount > 0 {
            io.err("Skipped \(t.skippedCount) of \(t.rowsRead) rows with a missing value (lines \(t.skippedLines.map(String.init).joined(separator: ", "))\(t.skippedCount > t.skippedLines.count ? ", …" : ""))\n")
        }
        if let j = a.value("--json") {
            createParentFolder(of: j)
            do { try (RegressionReport.json(r).serialized() + "\n").write(toFile: j, atomically: true, encoding: .utf8) } catch {
                throw RuntimeError("cannot write \(j): \(error.localizedDescription)")
            }
        }
    }
}
