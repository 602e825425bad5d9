import PlaceRiskCore
import PlaceRiskIO
import PlaceRiskReport
import Foundation

/// Section 1: period, area, counts by crime type with change against the previous month and the same
/// month a year earlier (where the data allow), harm beside counts with `--weights`, and the row ledger.
enum ReportSummary {
    static func section(_ ctx: ReportInputs) throws -> SectionOutput {
        var out = SectionOutput()
        guard let inputs = ctx.inputs else { return out.finish(HTMLSection(id: "summary", heading: "1. Summary", blocks: [.note("No police data.")])) }
        let months = inputs.months, T = months.count
        let byType = ctx.typeSeries
        let last = T - 1
        var rows: [[String]] = [], csv: [[String]] = [["crime_type", "analysed", "total", "latest_month", "previous_month", "change_vs_previous", "same_month_last_year", "harm_weight", "harm_total"]]
        var jsonRows: [JSONValue] = []
        let order = byType.keys.sorted { (byType[$0]!.reduce(0, +), $1.label) > (byType[$1]!.reduce(0, +), $0.label) }
        for ct in order {
            let s = byType[ct]!, total = s.reduce(0, +)
            let prev = last >= 1 ? s[last - 1] : .nan
            let change = last >= 1 && prev > 0 ? s[last] / prev - 1 : .nan
            let yearAgo = last >= 12 ? s[last - 12] : .nan
            let hw = ctx.harm.map { $0[ct] ?? 0 }
            var row = [ct.label + (ctx.types.contains(ct) ? " ●" : ""), Fmt.int(total), Fmt.int(s[last]), last >= 1 ? Fmt.int(prev) : "n/a",
                       change.isFinite ? Fmt.pct(change) : "n/a", yearAgo.isFinite ? Fmt.int(yearAgo) : "n/a (no data)"]
            if let hw { row.append(Fmt.int(hw * total)) }
            rows.append(row)
            csv.append([ct.label, ctx.types.contains(ct) ? "yes" : "no", total.shortDescription, s[last].shortDescription, prev.isFinite ? prev.shortDescription : "",
                        change.isFinite ? change.shortDescription : "", yearAgo.isFinite ? yearAgo.shortDescription : "", hw.map { $0.shortDescription } ?? "", hw.map { ($0 * total).shortDescription } ?? ""])
            jsonRows.append(.object([("crime_type", .string(ct.label)), ("total", .number(total)), ("latest_month", .number(s[last]))]))
        }
        out.csv(csv, "summary_by_crime_type.csv")
        out.numbers.append(("summary", .array(jsonRows)))
        var header = ["Crime type (● analysed)", "\(months.first)…\(months.last)", "\(months.last)", last >= 1 ? "\(months.last.advanced(by: -1))" : "previous month", "change", "\(months.last.advanced(by: -12))"]
        if ctx.harm != nil { header.append("harm (weighted)") }
        // The ledger of the analysed types in the study area's LSOAs (as `aggregate --by lsoa --crime-type … --study-area core`).
        let acc = ctx.selection.accounting
        var accRows = [["rows read", Fmt.int(Double(acc.rowsRead))], ["rows used", Fmt.int(Double(acc.rowsUsed))]]
        for s in acc.orderedSkips { accRows.append(["skipped: \(s.reason.label)", Fmt.int(Double(s.rows))]) }
        out.json(IncidentInputs.ledgerJSON(acc, files: inputs.files, diagnostics: inputs.diagnostics), "accounting.json")
        var blocks: [HTMLBlock] = []
        let sa = inputs.study
        let inc = sa?.coverage.filter(\.included).map(\.name) ?? []
        let explicit = ctx.options.input.districts != nil
        let areaText = explicit
            ? "Area: \(ctx.areaName) (\(sa?.lsoaCodes.count ?? 0) LSOAs), as asked for with --area"
            : "Area: \(inc.count) local authority districts (\(inc.joined(separator: ", "))), \(sa?.lsoaCodes.count ?? 0) LSOAs — the districts in which the data touch at least half of the LSOAs"
        blocks.append(.paragraph("Period: \(months.first) to \(months.last) (\(T) month\(T == 1 ? "" : "s"); police.uk gives months, not dates). \(areaText). Analysed: \(ctx.types.map(\.label).sorted().joined(separator: ", "))."))
        blocks.append(.table(HTMLTable(header: header, rows: rows, caption: "Recorded crimes in the study area by type. Same month a year earlier needs 13 months of data.")))
        if ctx.harm != nil {
            blocks.append(.warning("Harm weights (--weights) are heavy-tailed: a few serious offences can dominate a harm map. Read the harm figures beside the counts, never instead of them."))
        }
        // The area's trend: a seasonal Poisson model of the analysed types' monthly counts (Bernal et al. 2017).
        let monthly = (0 ..< T).map { t in ctx.types.reduce(0.0) { $0 + (byType[$1]?[t] ?? 0) } }
        if T >= 13, let trend = try? SeasonalTrend.fit(counts: monthly, start: months.first) {
            let text = "\(ctx.types.map(\.label).sorted().joined(separator: ", ")) in \(ctx.areaName): \(Fmt.int(monthly.first!)) in \(months.first), \(Fmt.int(monthly.last!)) in \(months.last) — \(trend.sentence), from a seasonal \(trend.family == .poisson ? "Poisson" : "quasi-Poisson") model of the \(T) monthly counts."
            blocks.append(.paragraph("Trend: " + text))
            out.findings.append(Finding(text: text.prefix(1).uppercased() + text.dropFirst(), section: "summary"))
            out.numbers.append(("trend_percent_per_year", .object([("estimate", .number(trend.percentPerYear)), ("ci_low", .number(trend.ciLow)), ("ci_high", .number(trend.ciHigh)), ("p", .number(trend.p))])))
        } else if T < 13 {
            blocks.append(.note("The trend per year needs at least 13 months; the data hold \(T)."))
        }
        if let s = ctx.lsoaSeries {
            let totals = s.codes.indices.map { u in (0 ..< s.months.count).reduce(0.0) { $0 + s.counts[u * s.months.count + $1] } }
            if let c = try? IncidentConcentration.lsoa(counts: totals) {
                out.findings.append(Finding(text: "Concentration by LSOA: the 10 % of LSOAs with most incidents hold \(Fmt.pct(c.share, 0)) of them (\(Fmt.int(c.incidents)) of \(Fmt.int(c.totalIncidents))).", section: "summary"))
                out.numbers.append(("top10pct_lsoas_share", .number(c.share)))
            }
        }
        blocks += try ReportComparison.blocks(ctx, &out)
        for w in inputs.warnings { blocks.append(.warning("Input check: \(w)")) }
        blocks.append(.table(HTMLTable(header: ["Data accounting", "rows"], rows: accRows, caption: "Every row read is either used or skipped with a reason (\(inputs.files.count) files): used = rows of the analysed types, in the period, with an LSOA of the study area." )))
        return out.finish(HTMLSection(id: "summary", heading: "1. Summary", blocks: blocks))
    }
}
