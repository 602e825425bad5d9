import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// `placerisk triangulate`: police.uk violence beside other agencies' incidents, per LSOA × month.
public enum TriangulateCommand: Subcommand {
    public static let spec = CommandSpec(
        name: "triangulate",
        abstract: "Police-recorded violence beside other agencies' incidents (e.g. ED assaults), per LSOA x month.",
        discussion: """
        Counts police.uk violence (--crime-type, default "Violence and sexual offences") and each dated
        source (--incidents FILE --schema SCHEMA: all its rows with an LSOA, home-located ones included)
        per study-area LSOA x month over the months every source covers. Reports: the counts side by side;
        the share of each source's incidents in LSOA-months with no police-recorded violence (an
        under-recording INDICATOR, not a count of unreported crime); Spearman rho (Bonett-Wright CI) and
        Kendall tau-b of the LSOA rates per 1,000 residents (IMD 2019 population); and where the sources
        disagree (per LSOA: the conditional binomial test of the source's count given both sources'
        total, exact two-sided p, Benjamini-Hochberg q). Periods that do not overlap are an error.
        Health sources (istv) are published safely by default (--publish): counts 1-7 suppressed, others
        rounded to 5, secondary suppression; per-LSOA test statistics withheld (a direction only).
        """,
        positional: "police-inputs",
        positionalHelp: "police.uk street CSV files or folders (default: the bundled Devon & Cornwall files 2016-01..2017-11).",
        positionalRequired: false,
        options: [
            OptionSpec("--out", value: "file", help: "Output .json (everything) or .csv (lsoa_code,month and one column per source, with FILE.meta.json).", required: true),
            OptionSpec("--imd", value: "file", help: "IMD 2019 table with the population for rates per 1,000 (default: the bundled all-England table; without it, rates are counts)."),
            OptionSpec("--crime-type", value: "name", help: "Police crime type(s) to compare (default \"Violence and sexual offences\"; all = every type).", repeatable: true),
            OptionSpec("--from", value: "YYYY-MM[-DD]", help: "First month to compare (police.uk: a month, or a month's first day)."),
            OptionSpec("--to", value: "YYYY-MM[-DD]", help: "Last month to compare (police.uk: a month, or a month's last day)."),
            OptionSpec("--force", value: "name", help: "Keep only police rows whose 'Falls within' is this force (or dated sources of this name).", repeatable: true),
        ] + OptionSpec.runControls
    )

    public static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        let out = a.value("--out")!
        let lower = out.lowercased()
        guard lower.hasSuffix(".json") || lower.hasSuffix(".csv") else { throw UsageError("--out must end in .json or .csv") }
        let paths = a.positionals.isEmpty ? [EvaluateCommand.bundledPolice] : a.positionals
        let types = try CommonOptions.analysedTypes(a.all("--crime-type"))
        var input = try InputOptions(a, paths: paths)
        guard input.dated != nil else { throw UsageError("triangulate needs a dated source: --incidents FILE --schema SCHEMA (e.g. --incidents datasets/synthetic_istv/SYNTHETIC_istv_devon_cornwall_2016-2017.csv --schema istv)") }
        let datedInput = input
        input.dated = nil
        input = input.allTypes
        let police = try IncidentInputs(input, core: true, io: io)
        let imdPath = a.value("--imd") ?? DeprivationInputs.defaultIMD
        var population: ((String) -> Double?)?
        if FileManager.default.fileExists(atPath: imdPath) {
            do {
                let imd = try IMDTable.load(paths: [imdPath], lsoaSet: .subsets)
                if imd.has(.population) { population = { imd.population(of: $0) } }
            } catch { throw RuntimeError(error.description) }
        } else if a.value("--imd") != nil { throw RuntimeError("\(imdPath): no such file (--imd)") }
        let run = try TriangulationRun(police: police, types: types, policePaths: paths, dated: datedInput, population: population, io: io)
        createParentFolder(of: out)
        if lower.hasSuffix(".json") {
            try TimeOfDayCommand.write(run.json(includeTable: true).serialized() + "\n", out)
        } else {
            let t = run.triangulation
            var text = (["lsoa_code", "month"] + t.sources.map(\.name)).map(TimeOfDayCommand.csvField).joined(separator: ",") + "\n"
            for u in t.units.indices { for m in t.months.indices where t.sources.contains(where: { $0.counts[u][m] > 0 }) {
                let v = t.sources.indices.map { run.cell($0, unit: u, month: m).map(String.init) ?? SafePublication.suppressedMark }
                text += ([t.units[u], t.months[m].description] + v).joined(separator: ",") + "\n"
            } }
            try TimeOfDayCommand.write(text, out)
            try Metadata.write(run.json(includeTable: false), beside: out)
        }
        for n in run.notes where !input.quiet { io.err("Note: \(n)\n") }
        let ledger = run.ledgerJSON()
        for (s, l) in zip(run.triangulation.sources, run.ledgers) {
            precondition(l.isBalanced, "row accounting does not balance")
            if !input.quiet { io.err(AccountingReport.table(l, title: "Rows of \(s.name) in the triangulation")) }
        }
        try IncidentInputs.writeAccounting(ledger, to: input.accounting)
        if !input.quiet {
            let t = run.triangulation
            io.err("Triangulation: \(t.units.count) LSOAs x \(t.months.count) months (\(run.periodText)); wrote \(out)\(run.publish ? " (published safely)" : "")\n")
        }
    }
}
