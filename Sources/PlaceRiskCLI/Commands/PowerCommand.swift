import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// `placerisk power`: with our numbers, what change could we ever tell from chance? The minimum
/// detectable change per area and indicator, and the months needed to detect a 10/20/30 % fall.
public enum PowerCommand: Subcommand {
    public static let spec = CommandSpec(
        name: "power",
        abstract: "What change can we detect? Minimum detectable change per area.",
        discussion: """
        For each area and crime type: the baseline mean count per month over the data, the over-dispersion
        seen in its monthly counts (NB2 alpha by moments), and the smallest fall a before/after comparison
        could detect at 80 % power and alpha = 0.05 with --before months before (default: all months of the
        data) and --after months after (default 12); and the months after needed to detect a 10, 20 and 30 %
        fall (blank: not within 240 months, because over-dispersion and a short baseline set a floor).
        Indicators are police.uk crime types ("Violence and sexual offences" is broader than violence with
        injury); knife-enabled crime and ED assaults are not in police.uk street files.
        """,
        positional: "inputs",
        positionalHelp: "police.uk street CSV files or folders (default: the bundled Devon & Cornwall 2016-01..2017-11).",
        positionalRequired: false,
        options: [
            OptionSpec("--out", value: "file", help: "The table (.csv): level, area code and name, indicator, baseline, alpha, MDC, months for 10/20/30 %.", required: true),
            OptionSpec("--intervention", value: "lsoas", help: "LSOA codes of an intervention area, reported as its own row."),
            OptionSpec("--before", value: "N", help: "Months before (default: every month of the data)."),
            OptionSpec("--after", value: "N", help: "Months after (default 12)."),
            OptionSpec("--levels", value: "list", help: "Rows to write: some of intervention, lsoa, msoa, district (default all)."),
            OptionSpec("--crime-type", value: "name", help: "Indicator(s): police.uk crime types (default \"Violence and sexual offences\"; all: every type).", repeatable: true),
            OptionSpec("--from", value: "YYYY-MM", help: "First month to keep."),
            OptionSpec("--to", value: "YYYY-MM", help: "Last month to keep."),
            OptionSpec("--force", value: "name", help: "Keep only rows whose 'Falls within' is this force.", repeatable: true),
        ] + OptionSpec.runControls
    )

    public static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        let o = try PowerOptions(a)
        let inputs = try IncidentInputs(o.input, core: true, io: io)
        guard let sa = inputs.study else { throw RuntimeError("the LSOA study area could not be determined") }
        let names = try? PlaceNames.load(path: o.input.lookupPath)
        let units = sa.lsoaCodes, T = inputs.months.count
        if let iv = o.intervention {
            let known = Set(units)
            let missing = iv.filter { !known.contains($0) }
            if !missing.isEmpty { throw RuntimeError("--intervention names \(missing.count) code(s) that are not LSOAs of the study area: \(missing.prefix(5).joined(separator: ", "))") }
        }
        var rows: [[String]] = [["level", "area_code", "area_name", "indicator", "lsoas", "months_before", "months_after", "mean_per_month", "alpha",
                                 "mdc_rate_ratio", "mdc_percent_fall", "months_after_for_10pc_fall", "months_after_for_20pc_fall", "months_after_for_30pc_fall"]]
        var used = [Bool](repeating: false, count: inputs.table.count)
        for type in o.types {
            let sel = inputs.select(types: [type], units: .lsoa(sa))
            for i in 0 ..< used.count where sel.used[i] { used[i] = true }
            let counts = IncidentPanelCounts.lsoaMonth(inputs.table, used: sel.used, units: units, months: inputs.months)
            for g in PowerTable.groups(units: units, names: names, intervention: o.intervention, levels: o.levels) {
                let series = (0 ..< T).map { t in g.members.reduce(0.0) { $0 + counts[$1 * T + t] } }
                let d = DetectableChange(baseline: series, before: o.before, after: o.after)
                rows.append(PowerTable.row(g, type.label, d))
            }
        }
        let w = try CSVWriter(path: o.out)
        for r in rows { try w.writeRow(r) }
        try w.close()
        let sel = inputs.select(types: Set(o.types), units: .lsoa(sa))
        try IncidentInputs.emitAccounting(sel.accounting, inputs.files, o.input, io, diagnostics: inputs.diagnostics)
        if !o.input.quiet { io.err("Wrote \(o.out) (\(rows.count - 1) rows; \(T) months of baseline, \(o.after) after, 80 % power, alpha = 0.05)\n") }
    }
}

/// The areas of a power table and the row each gives.
enum PowerTable {
    struct Group {
        let level: String, code: String, name: String
        let members: [Int]
    }

    static func groups(units: [String], names: PlaceNames?, intervention: [String]?, levels: Set<String>) -> [Group] {
        var out: [Group] = []
        let pos = Dictionary(units.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        if let iv = intervention, levels.contains("intervention") { out.append(Group(level: "intervention", code: iv.joined(separator: "+"), name: "intervention area", members: iv.compactMap { pos[$0] })) }
        func by(_ level: String, _ key: (PlaceNames.Place) -> (String, String)) {
            guard levels.contains(level), let names else { return }
            var g: [String: (String, [Int])] = [:]
            for (u, c) in units.enumerated() { if let p = names[lsoa: c] { let (k, n) = key(p); g[k, default: (n, [])].1.append(u) } }
            for k in g.keys.sorted() { out.append(Group(level: level, code: k, name: g[k]!.0, members: g[k]!.1)) }
        }
        by("district") { ($0.districtCode, $0.districtName) }
        by("msoa") { ($0.msoaCode, $0.msoaName) }
        if levels.contains("lsoa") { for (u, c) in units.enumerated() { out.append(Group(level: "lsoa", code: c, name: names?[lsoa: c]?.lsoaName ?? "", members: [u])) } }
        return out
    }

    static func row(_ g: Group, _ indicator: String, _ d: DetectableChange) -> [String] {
        func m(_ f: Int) -> String { (d.monthsFor[f] ?? nil).map(String.init) ?? "" }
        return [g.level, g.code, g.name, indicator, String(g.members.count), String(d.before), String(d.after), d.meanPerMonth.shortDescription, d.alpha.shortDescription,
                d.ratio.map { $0.shortDescription } ?? "", d.percentFall.map { $0.shortDescription } ?? "", m(10), m(20), m(30)]
    }
}
