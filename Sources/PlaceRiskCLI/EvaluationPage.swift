import PlaceRiskCore
import PlaceRiskReport

/// The self-contained page of `evaluate`: the estimates in words, the counts before/after per area,
/// the monthly series with the start marked, and each estimator's numbers with its assumptions.
enum EvaluationPage {
    static func render(_ r: Evaluation) -> String {
        let x = r.inputs
        var doc = HTMLDocument(title: "Did it work? Evaluation from \(r.options.start)",
                               subtitle: ["\(x.source); \(x.months.first)…\(r.monthLabel(r.end)). PlaceRisk \(PlaceRiskVersion.string). A statistical evaluation of recorded crime: evidence about these areas and months, not proof of cause."])
        doc.append(HTMLSection(id: "words", heading: "1. In plain words", blocks: [.list(r.sentences)]))
        let rows = r.counts.map { c -> [String] in
            let ch = c.before > 0 ? Fmt.pct(c.after / c.before - 1, 0) : "–"
            return [c.role, Fmt.int(c.before), Fmt.int(c.after), ch]
        }
        let areaRows: [[String]] = [("intervention", x.intervention, "given"), ("displacement", x.displacement, x.displacementRule),
                                    ("comparison", x.comparison, x.comparisonRule), ("comparison displacement", x.comparisonDisplacement, "given, or the comparison areas' neighbours")].map { role, a, rule in
            [role, String(a.count), a.prefix(8).map { x.units[$0] }.joined(separator: ", ") + (a.count > 8 ? ", …" : ""), rule]
        }
        doc.append(HTMLSection(id: "counts", heading: "2. Counts before and after", blocks: [
            .table(HTMLTable(header: ["Area", "before (\(r.beforeLabel))", "after (\(r.afterLabel))", "change"], rows: rows,
                             caption: "Incidents in the \(r.window) months before and the \(r.window) months from the start (equal windows, as the WDD compares).")),
            .table(HTMLTable(header: ["Area", "units", "which", "how chosen"], rows: areaRows, caption: "The four areas.")),
        ]))
        let labels = (0 ... r.end).map(r.monthLabel)
        func mean(_ a: [Int]) -> [Double] { let s = x.series(a); return (0 ... r.end).map { a.isEmpty ? .nan : s[$0] / Double(a.count) } }
        var series = [ChartSeries(name: "intervention", y: mean(x.intervention), highlighted: true)]
        if !x.displacement.isEmpty { series.append(ChartSeries(name: "displacement (per area)", y: mean(x.displacement))) }
        series.append(ChartSeries(name: "comparison (per area)", y: mean(x.comparison)))
        var chart = LineChart(title: "Monthly incidents per area", xLabels: labels, series: series, xTitle: "month", yTitle: "incidents per area per month")
        chart.marker = (r.start, "start \(r.options.start)")
        chart.description = "Monthly incidents per area in the intervention, displacement and comparison areas, \(labels.first!) to \(labels.last!); a dashed line marks the start, \(r.options.start)."
        doc.append(HTMLSection(id: "series", heading: "3. Monthly series", blocks: [.figure(svg: chart.svg(), caption: "Mean monthly count per area of each role; the dashed line is the first month of the intervention.")]))
        func e(_ n: String, _ v: EffectEstimate) -> [String] { [n, Fmt.num(v.estimate, 1), Fmt.num(v.se, 2), Fmt.num(v.z, 2), Fmt.sig(v.p, 3), "\(Fmt.num(v.ciLow, 1)) to \(Fmt.num(v.ciHigh, 1))"] }
        func rr(_ n: String, _ v: LogRateRatio) -> [String] { [n, Fmt.num(v.ratio, 3), Fmt.num(v.log.se, 4), Fmt.num(v.log.z, 2), Fmt.sig(v.log.p, 3), "\(Fmt.num(v.ciLow, 3)) to \(Fmt.num(v.ciHigh, 3))"] }
        var blocks: [HTMLBlock] = [.table(HTMLTable(header: ["WDD", "estimate (incidents)", "SE", "z", "p", "95 % CI"],
                                                    rows: [e("local", r.wdd.local), e("displacement", r.wdd.displacement), e("total", r.wdd.total)],
                                                    caption: "Weighted displacement difference (Wheeler & Ratcliffe 2018). " + WeightedDisplacementDifference.assumptions))]
        if let q = r.wdq {
            blocks.append(.paragraph("WDQ (Bowers & Johnson 2003): success measure \(Fmt.num(q.successMeasure, 4)), buffer measure \(Fmt.num(q.bufferMeasure, 4)), WDQ \(Fmt.num(q.quotient, 3)), total net effect \(Fmt.num(q.totalNetEffect, 1)) incidents: \(q.reading). " + WeightedDisplacementQuotient.assumptions))
        }
        switch r.did {
        case .success(let d):
            blocks.append(.table(HTMLTable(header: ["Difference-in-differences", "rate ratio", "SE (log)", "z", "p", "95 % CI"],
                                           rows: [rr("treated × after", d.rateRatio)] + d.leads.map { rr("lead \($0.offset)", $0.rateRatio) },
                                           caption: "\(d.family.rawValue) regression on \(d.units) areas × \(d.months) months with area and month effects\(d.alpha.map { ", α = \(Fmt.sig($0, 3))" } ?? ""); event-study leads (month −1 is the reference)\(d.preTrendP.map { ", joint pre-trend test p = \(Fmt.sig($0, 3))" } ?? ""). " + DifferenceInDifferences.assumptions)))
        case .failure(let err): blocks.append(.warning("Difference-in-differences: \(err.description)."))
        }
        switch r.its {
        case .success(let i):
            blocks.append(.table(HTMLTable(header: ["Interrupted time series", "rate ratio", "SE (log)", "z", "p", "95 % CI"],
                                           rows: [rr("level change", i.levelChange), rr("slope change per month", i.slopeChange), rr("pre-period trend per month", i.trend)],
                                           caption: "Segmented \(i.family.rawValue) regression of the intervention area with \(i.seasonality) (Bernal, Cummins & Gasparrini 2017); Ljung–Box Q = \(Fmt.num(i.autocorrelation.q, 2)) on \(i.autocorrelation.lags) lags, p = \(Fmt.sig(i.autocorrelation.p, 3)). " + InterruptedTimeSeries.assumptions)))
        case .failure(let err): blocks.append(.warning("Interrupted time series: \(err.description)."))
        }
        if let p = r.placebo {
            let sorted = p.placebos.sorted()
            let q = { (f: Double) in sorted[min(sorted.count - 1, Int(f * Double(sorted.count)))] }
            blocks.append(.paragraph("Placebo test: \(r.placeboNote). The real WDD local z is \(Fmt.num(p.observed, 2)); the placebo z's 2.5 %, 50 % and 97.5 % points are \(Fmt.num(q(0.025), 2)), \(Fmt.num(q(0.5), 2)) and \(Fmt.num(q(0.975), 2)); empirical two-sided p = \(Fmt.sig(p.p, 3)). This p does not assume Poisson counts."))
        } else { blocks.append(.note("Placebo test \(r.placeboNote).")) }
        doc.append(HTMLSection(id: "estimates", heading: "4. Estimates and their assumptions", blocks: blocks))
        if !x.notes.isEmpty { doc.append(HTMLSection(id: "notes", heading: "5. Notes", blocks: [.list(x.notes)])) }
        return doc.render()
    }
}
