import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// `placerisk correlate`: crime rates of the study area's LSOAs against IMD 2019, by domain.
public enum CorrelateCommand: Subcommand {
    public static let spec = CommandSpec(
        name: "correlate",
        abstract: "Correlate LSOA crime rates with IMD 2019 deprivation, by domain.",
        discussion: """
        Counts the selected crime (default "Violence and sexual offences") in every LSOA of the study area
        (districts touched at >= 50 % of their LSOAs, zero-filled; conventions 8), divides by the IMD 2019
        population (mid-2015) and correlates the rate per 1,000 with each deprivation measure (higher = more
        deprived): Pearson r (Fisher-z CI), Spearman rho (Bonett-Wright CI), Kendall tau-b, Benjamini-Hochberg
        adjusted p (Spearman, across the measures), the decile gradient with the decile 1 / decile 10 rate
        ratio, the concentration index and the Relative Index of Inequality (negative binomial on the ridit).
        The headline measure is imd_excluding_crime: the IMD Crime domain is built from recorded crime, so
        correlating crime with the full IMD partly correlates crime with itself.
        Table mode: --table FILE.csv --x COL --y A,B,C gives r, rho, tau-b and BH p of COL with each column.
        """,
        positional: "inputs",
        positionalHelp: "police.uk street CSV files or folders, or one LSOA x month counts CSV.",
        positionalRequired: false,
        options: [
            OptionSpec.imd,
            OptionSpec("--domains", value: "list", help: "all (default) or a subset of imd_excluding_crime, imd, income, employment, education, health, crime, barriers, living_environment."),
            OptionSpec("--rate", value: "per-1000|eb-per-1000", help: "Rate correlated: raw per 1,000 residents (default) or empirical-Bayes smoothed (Marshall 1991)."),
            OptionSpec("--out", value: "file", help: "Results .json (everything, with the join accounting) or .csv (one row per domain)."),
            OptionSpec("--units-out", value: "file", help: "Per-LSOA CSV: code, name, count, population, rate, EB rate, measures."),
            OptionSpec.boundaries("the residual Moran's I; given explicitly, their LSOAs are the study area"),
            OptionSpec("--table", value: "file", help: "Table mode: any CSV."),
            OptionSpec("--x", value: "column", help: "Table mode: the variable correlated with each --y."),
            OptionSpec("--y", value: "list", help: "Table mode: comma-separated columns."),
        ] + OptionSpec.policeFilters + OptionSpec.runControls
    )

    public static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        if a.value("--table") != nil { try runTable(a, io: io); return }
        guard !a.positionals.isEmpty || !a.all("--incidents").isEmpty else { throw UsageError("give police inputs or an LSOA counts CSV, or --table FILE.csv --x COL --y A,B") }
        let domains = try Self.domains(a.value("--domains"))
        let rateKind = a.value("--rate") ?? "per-1000"
        guard rateKind == "per-1000" || rateKind == "eb-per-1000" else { throw UsageError("invalid --rate '\(rateKind)'; expected per-1000 or eb-per-1000") }
        let o = try DeprivationOptions(a)
        try o.input.refuseWhenPublishing("correlate", because: "its per-LSOA rates and decile counts are exact.")
        let boundaries = try LSOABoundaries.load(o.boundaries)
        let d = try DeprivationInputs(o, io: io, boundaries: boundaries)
        let analysis = try DeprivationAnalysis(d, domains: domains, ebRates: rateKind == "eb-per-1000", boundaries: boundaries)
        var text = "Deprivation correlation: \(d.crimeNote), \(d.periodNote); rate \(rateKind == "per-1000" ? "per 1,000 residents" : "per 1,000, empirical-Bayes smoothed") (IMD 2019 population, mid-2015)\n"
        text += d.joinLines.map { "  " + $0 + "\n" }.joined()
        text += "\n" + CorrelationReport.table(analysis.results) + "\n"
        for r in analysis.results where r.meaning.contains("rank oriented") { text += "  \(r.measure): \(r.meaning)\n" }
        text += "  Headline: imd_excluding_crime, because the IMD Crime domain is made from recorded crime (correlating crime with the full IMD partly correlates crime with itself).\n"
        text += "  Concentration index < 0: the rate is concentrated in the more deprived LSOAs. RII = rate at the most / least deprived end (NB2 on the population-weighted ridit).\n"
        if let m = analysis.residualMoran { text += "  \(m.sentence)\n" }
        text += "\n" + DomainCorrelation.caveats + "\n"
        io.out(text)
        if let m = analysis.residualMoran, m.significant { io.err("Warning: \(m.sentence)\n") }
        if let out = a.value("--out") {
            createParentFolder(of: out)
            if out.lowercased().hasSuffix(".csv") {
                let w = try CSVWriter(path: out)
                for row in CorrelationReport.csvRows(analysis.results) { try w.writeRow(row) }
                try w.close()
            } else {
                try write(analysis.json(d, rate: rateKind), to: out)
            }
        }
        if let u = a.value("--units-out") {
            createParentFolder(of: u)
            let w = try CSVWriter(path: u)
            try w.writeRow(["lsoa_code", "lsoa_name", "count", "population", "rate_per_1000", "eb_rate_per_1000"] + analysis.measures.map(\.name))
            for i in d.codes.indices {
                try w.writeRow([d.codes[i], d.names[i], d.counts[i].shortDescription, d.population[i].shortDescription,
                                analysis.rate[i].shortDescription, analysis.eb.rates[i].shortDescription] + analysis.measures.map { $0.values[i].shortDescription })
            }
            try w.close()
        }
        if let l = d.ledger { try IncidentInputs.emitAccounting(l, d.files, o.input, io, diagnostics: d.diagnostics) } else { try IncidentInputs.writeAccounting(d.join, to: o.input.accounting) }
    }

    static func domains(_ text: String?) throws -> [String] {
        guard let t = text, t != "all" else { return DeprivationInputs.allDomains }
        let list = t.split(separator: ",").map(String.init)
        for d in list where !DeprivationInputs.allDomains.contains(d) {
            throw UsageError("unknown domain '\(d)'; expected all or some of: \(DeprivationInputs.allDomains.joined(separator: ", "))")
        }
        return list
    }

    static func write(_ j: JSONValue, to path: String) throws {
        do { try (j.serialized() + "\n").write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw RuntimeError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    static func runTable(_ a: ParsedArguments, io: CLIOutput) throws {
        guard a.positionals.isEmpty else { throw UsageError("give either --table or inputs, not both") }
        guard let x = a.value("--x"), let ys = a.value("--y")?.split(separator: ",").map(String.init), !ys.isEmpty else {
            throw UsageError("table mode needs --x COLUMN and --y A,B,C")
        }
        let path = a.value("--table")!
        let t = try NumericTable.read(path: path, columns: [x] + ys)
        let results = DomainCorrelation.run(values: t.column(x), measures: ys.map { .init(name: $0, values: t.column($0), deciles: nil, meaning: "column \($0)") })
        var text = "Correlation of \(x) with \(ys.joined(separator: ", ")) in \(path) (\(t.rows) rows; BH over the \(ys.count) Spearman p-values)\n\n"
        text += CorrelationReport.table(results)
        io.out(text)
        if t.skippedCount > 0 { io.err("Skipped \(t.skippedCount) of \(t.rowsRead) rows with a missing value\n") }
        if let out = a.value("--out") {
            createParentFolder(of: out)
            if out.lowercased().hasSuffix(".csv") {
                let w = try CSVWriter(path: out)
                for row in CorrelationReport.csvRows(results) { try w.writeRow(row) }
                try w.close()
            } else {
                try write(.object([("table", .string(path)), ("x", .string(x)), ("n_units", .int(t.rows)),
                                   ("correlations", .array(results.map(CorrelationReport.json)))]), to: out)
            }
        }
    }
}
