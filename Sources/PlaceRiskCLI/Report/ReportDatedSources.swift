import PlaceRiskCore
import PlaceRiskIO
import PlaceRiskReport
import Foundation

/// The report's Time and Sources sections, present when dated sources are given (`--incidents FILE
/// --schema S`). They read the dated sources only (Time) and police.uk beside them (Sources); the other
/// sections stay police.uk. Each names its data and period at its top, says SYNTHETIC when a source file
/// is named so, and applies safe publication (the default for health sources) to every number from a
/// dated source: heat-map cells and month counts suppressed and rounded (`SafePublication`, secondary
/// suppression along hours, days and months), shares rounded to 0.05 over at least 50 incidents,
/// per-LSOA test statistics withheld (a direction only). With `--no-publish` and a health source the
/// sections say UNPUBLISHED — not for publication.
enum ReportDatedSources {
    /// The sections' ids: they carry their own data line (the police one is not added above them).
    static let ids: Set<String> = ["time", "sources"]

    static func sections(_ r: ReportInputs) throws -> [SectionOutput] {
        guard let dated = r.options.dated else { return [] }
        var o = r.options.input
        o.dated = dated
        let quietIO = CLIOutput(out: { _ in }, err: { _ in })
        let (table, sources) = try TriangulationRun.loadSources(o, io: r.quiet ? quietIO : r.io)
        let publish = o.publish
        let files = sources.map(\.path)
        var time = try timeSection(r, sources, o: o, publish: publish)
        time.inputsRead += files
        var src = sourcesSection(r, table: table, sources: sources, publish: publish)
        src.inputsRead += files
        return [time, src]
    }

    /// "istv (SYNTHETIC_… .csv, SYNTHETIC: invented data), 2016-01..2017-11".
    static func label(_ s: DatedSourceSummary) -> String {
        let name = (s.path as NSString).lastPathComponent
        let period = s.months.map { "\($0.first)…\($0.last)" } ?? "no rows"
        return "\(s.source) (\(name)\(s.isSynthetic ? ", SYNTHETIC: invented data, not real records" : "")), \(period)"
    }

    static func publicationBlock(_ publish: Bool, health: Bool) -> HTMLBlock {
        if publish {
            return .note("Published safely: \(SafePublication.rule). Shares are rounded to 0.05 and given only over at least 50 incidents. Cells marked * (or hatched) are suppressed.")
        }
        return health ? .warning("UNPUBLISHED — NOT FOR PUBLICATION: exact counts from a health source (run with --no-publish). For use inside the partnership only; do not circulate this page.")
                      : .note("Exact counts (no health source among the dated sources).")
    }

    // MARK: Time

    static func timeSection(_ r: ReportInputs, _ sources: [DatedSourceSummary], o: InputOptions, publish: Bool) throws -> SectionOutput {
        var out = SectionOutput()
        let heading = "6c. Time (dated sources)"
        var blocks: [HTMLBlock] = [.note("Data: " + sources.map(label).joined(separator: "; ") + ". Times are UK local (GMT/BST). police.uk gives months only, so it has no times to show here.")]
        if sources.contains(where: \.isSynthetic) {
            blocks.append(.warning("SYNTHETIC data: \(sources.filter(\.isSynthetic).map { ($0.path as NSString).lastPathComponent }.joined(separator: ", ")) is invented by a seeded script (datasets/synthetic_istv/). The patterns below describe the script's choices, not any real place."))
        }
        blocks.append(publicationBlock(publish, health: sources.contains(where: \.health)))
        let nte = NightTimeEconomy()
        var numbers: [(String, JSONValue)] = []
        for s in sources {
            let d = s.incidents
            guard d.dated else { blocks.append(.note("\(s.source): no dates, no time patterns.")); continue }
            // The rows kept by --from/--to (UK local start day), as every other command.
            let lo = o.common.fromBound?.day, hi = o.common.toBound?.day
            let startDays = d.startDays()
            let rows = (0 ..< d.count).filter { i in
                let day = startDays[i]
                return (lo.map { day >= $0 } ?? true) && (hi.map { day <= $0 } ?? true)
            }
            guard !rows.isEmpty else { blocks.append(.note("\(s.source): no rows in the period.")); continue }
            var years: ClosedRange<Int>?
            for i in rows {
                let y = CivilDate(days: startDays[i]).year
                years = years.map { min($0.lowerBound, y) ... max($0.upperBound, y + 1) } ?? (y ... y + 1)
            }
            var t = HourWeekTable()
            Aoristic.add(start: d.start, end: d.ends, weight: nil, rows: rows,
                         holidays: BankHolidays.days(years: years!), into: &t)
            let total = t.total
            let pub = publish ? SafePublication.publish(t.cells) : nil
            let shown: [[Double?]] = (0 ..< 24).map { h in (0 ..< 7).map { dd in pub.map { $0.cells[h][dd].map(Double.init) } ?? t.cells[h][dd] } }
            let values = shown.joined().compactMap { $0 }
            func share(_ v: Double) -> String {
                guard v.isFinite, total > 0 else { return "–" }
                if publish { return total >= 50 ? roundedShare(v) : "not shown (fewer than 50)" }
                return Fmt.pct(v)
            }
            let nteShare = t.share(nte), weekend = t.weekendShare
            let bh = total > 0 ? t.bankHoliday / total : .nan, eve = total > 0 ? t.bankHolidayEve / total : .nan
            let n = pub.map { $0.total.map { "about \(Fmt.int(Double($0)))" } ?? "a suppressed number of" } ?? Fmt.int(total)
            if let scale = ClassifiedScale.sequential(values, classes: 5, method: .equalInterval, decimals: 0) {
                let map = HourWeekHeatMap(title: "\(s.source): assaults by hour and day\(s.isSynthetic ? " (SYNTHETIC)" : "")",
                                          description: "Heat map of \(n) \(s.source) incidents by hour of day (columns, UK local time) and day of week (rows), aoristic weights; night-time economy share \(share(nteShare)), weekend share \(share(weekend)). Outlined: Friday and Saturday 20:00–04:00.",
                                          cells: shown, scale: scale, units: publish ? "incidents (rounded to 5)" : "incidents",
                                          highlight: (days: nte.days, fromHour: nte.fromHour, toHour: nte.toHour))
                blocks.append(.figure(svg: map.svg(), caption: "\(label(s)): \(n) incidents by hour and day of the week (UK local clock). A date without a time spreads over the hours of its day (aoristic weights, Ratcliffe 2002). Outlined: the night-time economy, Friday and Saturday 20:00 to 04:00 the next morning."))
            }
            blocks.append(.table(HTMLTable(header: ["Share of \(s.source) incidents", "Value"], rows: [
                ["Night-time economy (Fri and Sat 20:00–04:00)", share(nteShare)],
                ["Weekend (Saturday and Sunday)", share(weekend)],
                ["Bank holidays (England and Wales)", share(bh)],
                ["Bank holiday eves", share(eve)],
            ], caption: "\(s.source): when incidents happen (shares of the aoristic weight)")))
            // Seasonality: incidents per month over the period.
            var byMonth: [Int: Int] = [:]
            for i in rows {
                let c = CivilDate(days: startDays[i])
                byMonth[YearMonth(year: c.year, month: c.month).index, default: 0] += 1
            }
            let first = byMonth.keys.min()!, last = byMonth.keys.max()!
            let months = (first ... last).map { YearMonth(index: $0) }
            let counts = (first ... last).map { byMonth[$0] ?? 0 }
            let mpub = publish ? SafePublication.publish([counts]) : nil
            let mshown: [Double] = counts.indices.map { k in mpub.map { $0.cells[0][k].map(Double.init) ?? .nan } ?? Double(counts[k]) }
            var chart = LineChart(title: "\(s.source): incidents per month\(s.isSynthetic ? " (SYNTHETIC)" : "")", xLabels: months.map(\.description),
                                  series: [ChartSeries(name: s.source, y: mshown)], xTitle: "month", yTitle: publish ? "incidents (rounded to 5)" : "incidents")
            chart.description = "Line chart of \(s.source) incidents per month, \(months.first!) to \(months.last!)\(publish ? "; suppressed months are gaps" : "")."
            blocks.append(.figure(svg: chart.svg(), caption: "Seasonality: \(s.source) incidents per month (by the UK local date of the incident)\(publish ? "; gaps are suppressed months" : "")."))
            out.csv([["source", "day", "hour", publish ? "published_count" : "weight"]] + (0 ..< 7).flatMap { dd in (0 ..< 24).map { h in
                [s.source, HourWeekHeatMap.dayNames[dd], String(h), shown[h][dd].map { $0.shortDescription } ?? SafePublication.suppressedMark]
            } }, "time_\(fileSafe(s.source)).csv")
            numbers.append((s.source, .object([
                ("night_time_economy_share", publish ? (total >= 50 ? .number((nteShare * 20).rounded() / 20) : .null) : .number(nteShare)),
                ("weekend_share", publish ? (total >= 50 ? .number((weekend * 20).rounded() / 20) : .null) : .number(weekend)),
            ])))
        }
        out.numbers.append(("time", .object(numbers)))
        return out.finish(HTMLSection(id: "time", heading: heading, blocks: blocks))
    }

    /// A p-value as read on a page: "< 0.001" below 0.001, else 3 significant digits.
    static func pText(_ p: Double?) -> String {
        guard let p, p.isFinite else { return "–" }
        return p < 0.001 ? "< 0.001" : Fmt.sig(p, 3)
    }

    /// A share published safely: rounded to 0.05, but a positive share that rounds to 0 reads "under 2.5 %".
    static func roundedShare(_ v: Double) -> String {
        let r = (v * 20).rounded() / 20
        return r == 0 && v > 0 ? "under 2.5 %" : Fmt.pct(r)
    }

    static func fileSafe(_ s: String) -> String {
        String(s.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    // MARK: Sources

    static func sourcesSection(_ r: ReportInputs, table: IncidentTable, sources: [DatedSourceSummary], publish: Bool) -> SectionOutput {
        var out = SectionOutput()
        let id = "sources", heading = "6d. Sources (triangulation)"
        let typeText = r.types.map(\.label).sorted().joined(separator: ", ")
        guard let police = r.inputs else { return .omitted(id: id, heading: heading, because: "no police.uk data") }
        var blocks: [HTMLBlock] = []
        let policeLine = "police.uk \(typeText), \(r.areaName), \(police.months.first)…\(police.months.last)"
        blocks.append(.note("Data: \(policeLine); beside it " + sources.map(label).joined(separator: "; ") + ". Units: the study area's LSOAs; each dated source counts its rows with an LSOA there (home-located ones included)."))
        if sources.contains(where: \.isSynthetic) {
            blocks.append(.warning("SYNTHETIC data: the dated source is invented by a seeded script (datasets/synthetic_istv/) so that this section runs out of the box. Any agreement or disagreement shown here is the script's, not a finding about real emergency departments or places."))
        }
        blocks.append(publicationBlock(publish, health: sources.contains(where: \.health)))
        if !publish, sources.contains(where: \.health) {
            out.findings.append(Finding(text: "UNPUBLISHED: this page holds exact counts from a health source (--no-publish) and is not for publication outside the partnership.", section: id))
        }
        let population: ((String) -> Double?)? = r.deprivation.map { d in { d.imd.population(of: $0) } }
        let run: TriangulationRun
        do {
            run = try TriangulationRun(police: police, types: r.types, policePaths: r.options.input.paths, datedTable: table, sources: sources,
                                       publish: publish, population: population)
        } catch {
            blocks.append(.warning("No triangulation: \(plainDescription(error))."))
            blocks.append(ledgerTable(sources.map { ($0.source, $0.accounting) }, published: publish ? Set(sources.indices) : []))
            return out.finish(HTMLSection(id: id, heading: heading, blocks: blocks))
        }
        let t = run.triangulation
        blocks[0] = .note("Data: \(policeLine); beside it " + sources.map(label).joined(separator: "; ") + ". Compared: \(run.periodText), the months every source covers; units: the \(t.units.count) LSOAs of the study area (each dated source counts its rows with an LSOA there, home-located ones included).")
        for n in run.notes { blocks.append(.note("Note: \(n).")) }
        func txt(_ v: Int?) -> String { v.map { Fmt.int(Double($0)) } ?? SafePublication.suppressedMark }
        // 1. Totals side by side, and by month.
        blocks.append(.table(HTMLTable(header: ["Source", "Period of the file", "Incidents compared", "LSOAs with any"],
                                       rows: t.sources.indices.map { k in
                                           [t.sources[k].name + (run.synthetic[k] ? " (SYNTHETIC)" : ""), run.periods[k], txt(run.total(k)),
                                            Fmt.int(Double(t.sources[k].unitTotals.filter { $0 > 0 }.count))]
                                       }, caption: "Incidents per source over \(run.periodText)")))
        blocks.append(.table(HTMLTable(header: ["Month"] + t.sources.map(\.name),
                                       rows: t.months.indices.map { m in [t.months[m].description] + t.sources.indices.map { txt(run.monthTotal($0, month: m)) } },
                                       caption: "By month, side by side (the LSOA × month table is in \(r.dataLink)/triangulation.json)")))
        // 2. The indicator.
        for u in t.unrecorded {
            let k = u.source
            let share = run.publishedShare(k, u.share, over: u.incidents)
            let num = run.publishedCount(k, u.inUnitMonthsWithoutReference), den = run.publishedCount(k, u.incidents)
            let shareText = share.map { run.published[k] != nil ? roundedShare(u.share) : Fmt.pct($0) } ?? "not shown (fewer than 50 incidents, or suppressed)"
            blocks.append(.paragraph("Under-recording indicator (\(t.sources[k].name)): \(shareText) of its incidents (\(txt(num)) of \(txt(den))) fall in LSOA-months with no police-recorded \(typeText.lowercased())."))
            out.findings.append(Finding(text: "Indicator, not a fact: \(shareText) of \(t.sources[k].name)\(run.synthetic[k] ? " (SYNTHETIC)" : "") incidents fall in LSOA-months with no police-recorded violence.", section: id))
            out.numbers.append(("under_recording_indicator_\(t.sources[k].name)", share.map { .number($0) } ?? .null))
        }
        blocks.append(.warning(TriangulationRun.indicatorCaveat))
        // 3. Rank correlations.
        let corRows: [[String]] = t.correlations.map { c in
            let k = c.b
            let rho = run.publishedStatistic(k, c.spearman?.rho), lo = run.publishedStatistic(k, c.spearman?.ciLow), hi = run.publishedStatistic(k, c.spearman?.ciHigh)
            return ["\(t.sources[c.a].name) vs \(t.sources[c.b].name)", Fmt.int(Double(c.n)), Fmt.num(rho, 2), "\(Fmt.num(lo, 2)) to \(Fmt.num(hi, 2))",
                    pText(c.spearman?.p), Fmt.num(run.publishedStatistic(k, c.kendall?.tau), 2), pText(c.kendall?.p)]
        }
        blocks.append(.table(HTMLTable(header: ["Sources", "LSOAs", "Spearman ρ", "95 % CI (Bonett–Wright)", "p", "Kendall τ-b", "p"], rows: corRows,
                                       caption: "Rank correlation of the LSOA rates \(t.population != nil ? "per 1,000 residents (IMD 2019 population, mid-2015)" : "(counts: no population)") over \(run.periodText)")))
        // 4. Where they disagree: map and table.
        for d in t.disagreement {
            let k = d.source, name = t.sources[k].name
            let more = d.units.filter { TriangulationRun.direction($0) == "more_in_source" }
            let fewer = d.units.filter { TriangulationRun.direction($0) == "fewer_in_source" }
            // Map classes: 0 fewer in the source, 1 consistent, 2 more in the source; suppressed / nothing: no data.
            var code = [Double](repeating: 1, count: t.units.count)
            for u in d.units {
                let dir = TriangulationRun.direction(u)
                code[u.unit] = run.unitTotal(k, unit: u.unit) == nil ? .nan : (dir == "more_in_source" ? 2 : (dir == "fewer_in_source" ? 0 : 1))
            }
            if let polys = r.polygons(of: t.units) {
                let scale = ClassifiedScale.categorical(colors: ["#2166ac", "#d9d9d9", "#b2182b"].map(RGB.init(hex:)),
                                                        labels: ["Fewer in \(name) than its share (FDR 0.05)", "Consistent", "More in \(name) than its share (FDR 0.05)"])
                var layer = PolygonFillLayer(polygons: polys, values: code, scale: scale, labels: t.units.map(r.placeLabel))
                layer.noDataColor = RGB(hex: "#ffffff")
                let suppressed = code.contains { $0.isNaN }
                var map = MapFigure(title: "Where \(name) and police.uk disagree\(run.synthetic[k] ? " (SYNTHETIC)" : "")",
                                    subtitle: "conditional binomial test per LSOA, Benjamini–Hochberg FDR 0.05, \(run.periodText)",
                                    layers: [.polygons(layer)],
                                    legend: Legend(title: "LSOA", entries: zip(scale.colors, scale.labels).map { LegendEntry(color: $0, label: $1) }
                                                   + (suppressed ? [LegendEntry(color: RGB(hex: "#ffffff"), label: "\(name) count suppressed")] : [])),
                                    attribution: r.attribution)
                map.autoNoDataLegend = false
                map.description = "Map of the \(t.units.count) LSOAs: \(more.count) where \(name) records significantly more than its share, \(fewer.count) fewer, the rest consistent."
                // Zoomed insets where the significant LSOAs cluster (the districts with most of them): town centres are small at force scale.
                var insets: [MapFigure] = []
                // Insets only where the overview is force-scale (wider than 30 km): a town's map is already zoomed.
                let overview = BoundingBox.union(polys.map { $0.boundingBox })
                if let b = r.boundaries, let o = overview, max(o.maxX - o.minX, o.maxY - o.minY) > 30_000 {
                    var byDistrict: [String: [Int]] = [:]
                    for u in more + fewer { byDistrict[r.nameColumns(t.units[u.unit])[2], default: []].append(u.unit) }
                    var boxes: [BoundingBox] = [], letters: [String] = []
                    for (j, e) in byDistrict.sorted(by: { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }).prefix(3).enumerated() {
                        guard let ps = b.polygons(of: e.value.map { t.units[$0] }), let box = BoundingBox.union(ps.map { $0.boundingBox }) else { continue }
                        let extent = box.expanded(by: 1500)
                        let letter = String(UnicodeScalar(UInt8(65 + j)))
                        boxes.append(extent); letters.append(letter)
                        var inset = map.inset(extent: extent, title: "\(letter): \(e.key.isEmpty ? "area \(letter)" : e.key)", subtitle: "\(e.value.count) LSOAs differ significantly",
                                              outlines: ps)
                        inset.description = "Zoomed map \(letter) of \(e.key): \(e.value.count) LSOAs where \(name) and police.uk differ significantly, outlined."
                        insets.append(inset)
                    }
                    map.addHighlightRectangles(boxes, labels: letters)
                }
                blocks.append(.figure(svg: map.svg(), caption: "Red: LSOAs where \(name) records more incidents than its area-wide share of the two sources (\(Fmt.pct(d.share)) here) predicts given the LSOA's total; blue: fewer. \(more.count) more, \(fewer.count) fewer, of \(d.units.count) LSOAs with any incident\(publish ? "; LSOAs whose \(name) count is suppressed are drawn as no data" : ""). Method: \(TriangulationRun.disagreementMethod).\(insets.isEmpty ? "" : insets.count == 1 ? " Box A is zoomed below." : " Boxes A–\(String(UnicodeScalar(UInt8(64 + insets.count)))) are zoomed below.")"))
                for m in insets { blocks.append(.figure(svg: m.svg(), caption: "Zoomed: LSOAs where the sources differ significantly, outlined (same classes as the overview).")) }
            } else {
                blocks.append(.note("The disagreement map is omitted: \(r.missingBoundariesNote ?? "no LSOA boundaries")."))
            }
            let top = (more + fewer).sorted { abs($0.z) > abs($1.z) }.prefix(15)
            if !top.isEmpty {
                blocks.append(.table(HTMLTable(header: ["LSOA", "Place", "police.uk", name, "Reading"] + (publish ? [] : ["z", "q"]),
                                               rows: top.map { u in
                                                   [t.units[u.unit], r.placeLabel(t.units[u.unit]), Fmt.int(Double(u.reference)), txt(run.unitTotal(k, unit: u.unit)),
                                                    u.z > 0 ? "more in \(name)" : "fewer in \(name)"] + (publish ? [] : [Fmt.num(u.z, 2), pText(u.q)])
                                               }, caption: "The LSOAs where the sources disagree most (largest |z| among those significant at FDR 0.05)\(publish ? "; z and q withheld under safe publication" : "")")))
            }
        }
        // 5. Ledger.
        blocks.append(ledgerTable(zip(t.sources.map(\.name), run.ledgers).map { ($0, $1) }, published: Set(t.sources.indices.filter { run.published[$0] != nil })))
        out.json(run.json(includeTable: true), "triangulation.json")
        out.json(run.ledgerJSON(), "triangulation_accounting.json")
        return out.finish(HTMLSection(id: id, heading: heading, blocks: blocks))
    }

    /// Rows read, used and skipped by reason, one column per source.
    /// Rows read, used and skipped by reason, one column per source; a source in `published` has its
    /// numbers suppressed (1–7) and rounded to 5 like every other count from it.
    static func ledgerTable(_ l: [(String, RowAccounting)], published: Set<Int> = []) -> HTMLBlock {
        let reasons = SkipReason.allCases.filter { r in l.contains { ($0.1.skipped[r] ?? 0) > 0 } }
        func v(_ k: Int, _ n: Int) -> String {
            guard published.contains(k) else { return Fmt.int(Double(n)) }
            if n > 0 && n < 8 { return SafePublication.suppressedMark }
            return Fmt.int((Double(n) / 5).rounded(.toNearestOrAwayFromZero) * 5)
        }
        var rows = [["rows read"] + l.indices.map { v($0, l[$0].1.rowsRead) }, ["used"] + l.indices.map { v($0, l[$0].1.rowsUsed) }]
        for r in reasons { rows.append(["skipped: \(r.label)"] + l.indices.map { v($0, l[$0].1.skipped[r] ?? 0) }) }
        return .table(HTMLTable(header: ["Rows"] + l.map(\.0), rows: rows,
                                caption: "Row accounting per source: every row used or skipped with a reason\(published.isEmpty ? "" : " (published sources rounded to 5, 1–7 suppressed; the exact ledger is in --accounting, for internal use)")"))
    }
}
