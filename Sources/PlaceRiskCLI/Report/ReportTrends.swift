import PlaceRiskCore
import PlaceRiskIO
import PlaceRiskReport
import Foundation

/// Section 2: monthly series per crime type, a Poisson change test per LSOA (latest month vs the trailing
/// mean), and with ≥ 6 months, emerging hot spots (Mann–Kendall on each LSOA's Gi* z series).
enum ReportTrends {
    static func section(_ ctx: ReportInputs) throws -> (SectionOutput, emerging: (codes: [String], pattern: [String])?) {
        var out = SectionOutput()
        var blocks: [HTMLBlock] = []
        var emerging: (codes: [String], pattern: [String])?
        if let inputs = ctx.inputs {
            let months = inputs.months, T = months.count
            let series = ctx.typeSeries
            let labels = (0 ..< T).map { months.first.advanced(by: $0).description }
            if T >= 2 {
                let top = series.keys.sorted { series[$0]!.reduce(0, +) > series[$1]!.reduce(0, +) }.prefix(7)
                let chart = LineChart(title: "Recorded crimes per month by type (study area)", xLabels: labels,
                                      series: top.map { ChartSeries(name: $0.label, y: series[$0]!, highlighted: ctx.types.contains($0)) }, yTitle: "crimes per month")
                blocks.append(.figure(svg: chart.svg(), caption: "Monthly counts of the seven commonest types; the analysed type is highlighted."))
            } else {
                blocks.append(.note("Trend charts are omitted: the data hold one month only (\(months.first)); a trend needs at least two."))
            }
            out.csv([["crime_type"] + labels] + series.keys.sorted().map { [$0.label] + series[$0]!.map(\.shortDescription) }, "trends_monthly.csv")
        }
        // LSOA × month series of the analysed types (or the counts table when it is longer).
        guard let series = ctx.lsoaSeries else {
            blocks.append(.note("Change tests and emerging hot spots are omitted: no LSOA × month series."))
            return (out.finish(HTMLSection(id: "trends", heading: "2. Trends", blocks: blocks)), nil)
        }
        let codes = series.codes, months = series.months, counts = series.counts, source = series.source
        let T = months.count
        if T >= 2 {
            let change = ChangeTestTable(counts: counts, units: codes.count, periods: T, fdr: ctx.fdr)
            let k = change.baselinePeriods, q = change.q, flagged = change.flagged
            let tests = codes.indices.map { (code: codes[$0], r: change.results[$0]) }
            out.csv([["lsoa_code", "lsoa_name", "msoa_name", "district_name", "observed", "expected", "ratio", "p_two_sided", "q_bh", "direction"]] + tests.indices.map { i in
                let r = tests[i].r
                return [tests[i].code] + ctx.nameColumns(tests[i].code) + [String(r.observed), r.expected.shortDescription, r.ratio.shortDescription, r.pTwoSided.shortDescription, q[i].shortDescription, "\(r.direction)"]
            }, "change_tests.csv")
            blocks.append(.paragraph("Change test (\(source)): each LSOA's count in \(months.last) against the mean of its previous \(k) month\(k == 1 ? "" : "s"), an exact Poisson test treating that mean as known (so slightly optimistic for short baselines); Benjamini–Hochberg across the \(codes.count) LSOAs at FDR \(Fmt.num(ctx.fdr)). \(flagged.count) LSOA\(flagged.count == 1 ? "" : "s") changed significantly."))
            if !flagged.isEmpty {
                blocks.append(.table(HTMLTable(header: ["LSOA", "\(months.last)", "trailing mean", "ratio", "q (BH)"],
                                               rows: flagged.prefix(15).map { i in let r = tests[i].r; return [ctx.placeLabel(tests[i].code), String(r.observed), Fmt.num(r.expected), Fmt.num(r.ratio), Fmt.num(q[i], 4)] },
                                               caption: "Largest significant changes in \(months.last) (all in change_tests.csv, with names).")))
            }
        }
        // Change over the period: the latest W months against the W before them, per LSOA (exact C-test, BH).
        if T >= 4 {
            let pc = PlaceChange(counts: counts, units: codes.count, periods: T, fdr: ctx.fdr)
            let w = pc.window, f = months.first
            let latest = "\(f.advanced(by: T - w))…\(months.last)", previous = "\(f.advanced(by: T - 2 * w))…\(f.advanced(by: T - w - 1))"
            out.csv([["lsoa_code", "lsoa_name", "msoa_name", "district_name", "latest", "previous", "ratio", "percent_change", "p", "q_bh", "direction"]] + codes.indices.map { u in
                let r = pc.results[u]
                return [codes[u]] + ctx.nameColumns(codes[u]) + [String(r.latest), String(r.previous), r.ratio.shortDescription, r.percentChange.shortDescription, r.p.shortDescription, r.q.shortDescription, "\(r.direction)"]
            }, "place_changes.csv")
            let up = pc.flagged.filter { pc.results[$0].ratio > 1 }, down = pc.flagged.filter { pc.results[$0].ratio < 1 }
            blocks.append(.paragraph("Change over the period (\(source)): each LSOA's incidents in \(latest) against \(previous) (\(w) months each\(w < 12 ? "; not whole years, so part of a change can be seasonal" : "")), an exact conditional test of the two Poisson counts, Benjamini–Hochberg across the \(codes.count) LSOAs at FDR \(Fmt.num(ctx.fdr)): \(up.count) significant rises, \(down.count) falls."))
            if !pc.flagged.isEmpty {
                blocks.append(.table(HTMLTable(header: ["Place", previous, latest, "change", "q (BH)"],
                                               rows: pc.flagged.prefix(10).map { u in let r = pc.results[u]; return [ctx.placeLabel(codes[u]), String(r.previous), String(r.latest), Fmt.pct(r.percentChange / 100, 0), Fmt.num(r.q, 4)] },
                                               caption: "Largest significant changes over the period (all in place_changes.csv).")))
                let named = up.prefix(3).map { u in "\(ctx.placeLabel(codes[u])) (\(pc.results[u].previous) → \(pc.results[u].latest))" }
                if !named.isEmpty {
                    out.findings.append(Finding(text: "Largest significant rises (\(previous) → \(latest)): " + named.joined(separator: "; ") + ".", section: "trends"))
                } else if !down.isEmpty {
                    out.findings.append(Finding(text: "No LSOA rose significantly between \(previous) and \(latest); \(down.count) fell.", section: "trends"))
                }
            } else {
                out.findings.append(Finding(text: "No LSOA changed significantly between \(previous) and \(latest) (exact tests, FDR \(Fmt.num(ctx.fdr))).", section: "trends"))
            }
        }
        if T >= 6, let polys = ctx.polygons(of: codes) {
            ctx.progress("emerging hot spots: Gi* on \(codes.count) LSOAs × \(T) months, Mann–Kendall per LSOA")
            let ehsa = EmergingHotSpotAnalysis(counts: counts, periods: T, weights: ctx.boundaries!.queenWeights(among: codes), fdr: false)
            let patterns = ehsa.patterns
            emerging = (codes, patterns.map(\.rawValue))
            out.csv([["lsoa_code", "lsoa_name", "msoa_name", "district_name", "pattern", "hot_steps", "cold_steps"]] + codes.indices.map { u in
                [codes[u]] + ctx.nameColumns(codes[u]) + [patterns[u].rawValue, String(ehsa.hotSteps(unit: u)), String(ehsa.coldSteps(unit: u))]
            }, "emerging_hotspots.csv")
            var tally: [String: Int] = [:]
            for p in patterns { tally[p.rawValue, default: 0] += 1 }
            let cats = EmergingHotSpotPattern.allCases.filter { tally[$0.rawValue] != nil }
            // Distinct, colour-blind-safe categories (warm hot patterns, cool cold ones; ColorPalettes.emergingHotSpot).
            let scale = ClassifiedScale.categorical(colors: cats.map { ColorPalettes.emergingHotSpot[$0.rawValue] ?? ColorPalettes.noData }, labels: cats.map { "\($0.rawValue) (\(tally[$0.rawValue]!))" })
            let values = patterns.map { p in Double(cats.firstIndex(of: p) ?? 0) }
            var map = MapFigure.choropleth(polygons: polys, values: values, scale: scale, title: "Emerging hot spots, \(months.first)…\(months.last)",
                                           units: "Esri pattern (LSOAs)", subtitle: "Gi* (queen contiguity) each month, Mann–Kendall trend of z; \(source)", labels: codes.map(ctx.placeLabel), attribution: ctx.attribution)
            map.description = "Map of emerging hot spot patterns of the \(codes.count) LSOAs: " + cats.map { "\($0.rawValue) \(tally[$0.rawValue]!)" }.joined(separator: ", ") + "."
            blocks.append(.figure(svg: map.svg(), caption: "Emerging hot spot categories (Esri's definitions: new, consecutive, intensifying, persistent, diminishing, sporadic, oscillating, historical) from \(T) monthly Gi* maps."))
        } else if T < 6 {
            blocks.append(.note("Emerging hot spots are omitted: they need at least 6 months and the series has \(T)."))
        }
        return (out.finish(HTMLSection(id: "trends", heading: "2. Trends", blocks: blocks)), emerging)
    }
}
