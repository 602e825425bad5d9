import PlaceRiskCore
import PlaceRiskIO
import PlaceRiskReport
import Foundation

/// Section 5: the model's top-risk places for next month, its rolling-origin backtest against the naive
/// baselines, stated plainly; and the per-unit predictions of the last test month for the bias audit.
enum ReportRisk {
    /// The last test month's predictions, per unit, for the bias audit.
    struct Holdout {
        let month: String
        let units: [String]
        let unitIsCell: Bool
        let probability: [Double]
        let observed: [Double]
        /// The binary outcome of the test month (for calibration).
        let outcome: [Double]
        let area: [Double]
        let flagged: [Bool]
        let lsoa: [String?]
    }

    static func section(_ ctx: ReportInputs) throws -> (SectionOutput, Holdout?) {
        var out = SectionOutput()
        var blocks: [HTMLBlock] = []
        guard let inputs = ctx.inputs else { return (out.finish(HTMLSection(id: "risk", heading: "5. Risk", blocks: [.note("No police data.")])), nil) }
        let model = ctx.model
        let unit = model.flatMap { SpatialUnit(rawValue: $0.unit) } ?? .cell
        let features = model?.features ?? [.lag(1), .kdePast]
        let outcome = try PanelInputs.outcome(model.map { $0.outcome == "count" ? "atleast:1" : $0.outcome } ?? "atleast:1")
        let family = model?.family ?? .logistic
        var quietInput = ctx.options.input
        quietInput.quiet = true
        let po = PanelOptions(input: quietInput, boundaries: ctx.options.deprivation.boundaries)
        let types: Set<CrimeType>? = model.map { $0.crimeTypes.map(Set.init) } ?? ctx.types
        let pin = try PanelInputs(po, features: features, io: ctx.io, unit: unit, fixedGrid: model?.grid, crimeTypes: .some(types),
                                  kdeBandwidth: model?.kdeBandwidth, covariates: model?.covariates, preloaded: inputs, boundaries: .some(ctx.boundaries))
        let T = pin.panel.monthCount, months = pin.panel.months
        let lookback = features.map(\.lookback).max() ?? 0
        let describe = "\(family.rawValue) model of '\(outcome)' on \(features.map(\.description).joined(separator: ", ")) (\(pin.unitNote))"
        blocks.append(.paragraph(model != nil ? "Model: \(ctx.modelPath!) — \(describe)." : "No model file given (--model): a default \(describe) is fitted on these data."))
        // Scores for the month after the data.
        let all: FeatureMatrix
        do { all = try PanelFeatures.build(pin.panel, features: features, outcome: outcome, weights: pin.weights, lastTarget: T) } catch {
            blocks.append(.note("The risk section is omitted: \(error.description)."))
            return (out.finish(HTMLSection(id: "risk", heading: "5. Risk", blocks: blocks)), nil)
        }
        let k = features.count
        let coef: [Double]
        if let m = model { coef = m.estimates } else {
            let train = (0 ..< all.rows).filter { Int(all.month[$0]) < T }
            do { coef = try Regression.fit(family: .logistic, x: train.flatMap { all.values[($0 * k) ..< ($0 * k + k)] }, names: all.names, y: train.map { all.outcome[$0] }).estimates } catch {
                blocks.append(.note("The risk section is omitted: the default model cannot be fitted (\(error.description))."))
                return (out.finish(HTMLSection(id: "risk", heading: "5. Risk", blocks: blocks)), nil)
            }
        }
        func risk(_ i: Int) -> Double {
            var eta = coef[0]
            for j in 0 ..< k { eta += coef[j + 1] * all.values[i * k + j] }
            return family == .logistic ? 1 / (1 + exp(-eta)) : exp(eta)
        }
        let next = (0 ..< all.rows).filter { Int(all.month[$0]) == T }
        let scores = next.map(risk)
        let order = ForecastMetrics.ranking(scores)
        let nextMonth = months.first.advanced(by: T).description
        out.csv([[unit == .cell ? "cell_id" : "lsoa_code", "month", family == .logistic ? "risk" : "expected_count", "rank"]]
                         + order.enumerated().map { r, i in [pin.panel.units[Int(all.unit[next[i]])], nextMonth, scores[i].shortDescription, String(r + 1)] }, "risk_scores.csv")
        blocks.append(.table(HTMLTable(header: ["Rank", unit == .cell ? "Cell (id; centre E, N)" : "LSOA", family == .logistic ? "P(\(outcome)) in \(nextMonth)" : "expected count"],
                                       rows: order.prefix(10).enumerated().map { r, i in
                                           let u = pin.panel.units[Int(all.unit[next[i]])]
                                           var label = u
                                           if let g = pin.grid, let id = Int(u) { label = "\(u); \(Int(g.centreX(col: id % g.ncols))), \(Int(g.centreY(row: id / g.ncols)))" }
                                           return [String(r + 1), label, Fmt.num(scores[i], 3)]
                                       }, caption: "Ten highest-risk places for \(nextMonth) (all in risk_scores.csv). Places, never people.")))
        if let g = pin.grid {
            var values = [Double](repeating: .nan, count: g.cellCount)
            for (j, i) in next.enumerated() { values[Int(pin.panel.units[Int(all.unit[i])])!] = scores[j] }
            if let scale = ClassifiedScale.sequential(scores, classes: 5, method: .quantile, decimals: 3) {
                let map = MapFigure.raster(grid: g, values: values, scale: scale, title: "Predicted risk, \(nextMonth)", units: family == .logistic ? "probability" : "expected count",
                                           subtitle: "\(Int(g.cell)) m cells with any incident in the data", attribution: ctx.attribution)
                blocks.append(.figure(svg: map.svg(), caption: "Risk for the month after the data, quantile classes."))
            }
        } else if let polys = ctx.polygons(of: next.map { pin.panel.units[Int(all.unit[$0])] }), let scale = ClassifiedScale.sequential(scores, classes: 5, method: .quantile, decimals: 2) {
            let map = MapFigure.choropleth(polygons: polys, values: scores, scale: scale, title: "Predicted risk, \(nextMonth)", units: "probability", attribution: ctx.attribution)
            blocks.append(.figure(svg: map.svg(), caption: "Risk for the month after the data, quantile classes."))
        }
        // Backtest.
        let lowest = max(lookback + 1, T - 6)
        guard lowest < T else {
            blocks.append(.note("The backtest is omitted: \(T) months cannot hold \(lookback) months of history, a training month and a test month."))
            return (out.finish(HTMLSection(id: "risk", heading: "5. Risk", blocks: blocks)), nil)
        }
        ctx.progress("backtest: \(T - lowest) test month(s), \(pin.panel.unitCount) units")
        let rows: [Backtest.Row]
        do { rows = try Backtest.run(panel: pin.panel, features: features, outcome: outcome, weights: pin.weights, testMonths: Array(lowest ..< T), area: pin.area, kdePast: pin.kdePastScorer, family: family) } catch {
            blocks.append(.note("The backtest failed: \(plainDescription(error))."))
            return (out.finish(HTMLSection(id: "risk", heading: "5. Risk", blocks: blocks)), nil)
        }
        let means = rows.filter { $0.month == "mean" }
        out.json(.object([("units_evaluated", .string(pin.unitNote)), ("months", .array((lowest ..< T).map { .string(months.first.advanced(by: $0).description) })),
                                   ("results", .array(rows.map { r in .object([("model", .string(r.model)), ("month", .string(r.month)), ("auc", r.auc.map { .number($0) } ?? .null),
                                                                              ("brier", .number(r.brier)), ("hit_rate_5", .number(r.hitRate5)), ("pai_5", .number(r.pai5)), ("pei_5", .number(r.pei5))]) }))]), "backtest.json")
        out.numbers.append(("backtest_means", .array(means.map { .object([("model", .string($0.model)), ("auc", $0.auc.map { .number($0) } ?? .null), ("pai_5", .number($0.pai5))]) })))
        blocks.append(.table(HTMLTable(header: ["Model", "AUC", "Brier", "hit rate @5 % area", "PAI @5 %", "PEI @5 %"],
                                       rows: means.map { [$0.model, Fmt.num($0.auc, 3), Fmt.num($0.brier, 4), Fmt.pct($0.hitRate5), Fmt.num($0.pai5), Fmt.num($0.pei5, 3)] },
                                       caption: "Rolling origin over \(T - lowest) month(s): each month predicted from a model fitted on earlier months only; metrics over the study area's units.")))
        if let m = means.first(where: { $0.model == "model" }) {
            let verdicts = means.filter { $0.model != "model" }.map { bl -> String in
                let better = (m.auc ?? 0) > (bl.auc ?? 0) && m.pai5 > bl.pai5
                return "\(better ? "beats" : "does NOT beat") \(bl.model) (AUC \(String(format: "%+.3f", (m.auc ?? .nan) - (bl.auc ?? .nan))), PAI@5 % \(String(format: "%+.2f", m.pai5 - bl.pai5)))"
            }
            let all = means.filter { $0.model != "model" }.allSatisfy { (m.auc ?? 0) > ($0.auc ?? 0) && m.pai5 > $0.pai5 }
            let text = "In plain words: the model " + verdicts.joined(separator: "; ") + "."
            blocks.append(all ? .note(text) : .warning(text + " A model that does not beat simple history adds complexity without benefit."))
        }
        func curve(_ f: (ForecastMetrics.AreaResult) -> Double) -> [ChartSeries] {
            means.map { r in ChartSeries(name: r.model, x: r.curve.map { 100 * $0.flaggedAreaShare }, y: r.curve.map(f), highlighted: r.model == "model") }
        }
        blocks.append(.figure(svg: CurveChart(title: "Hit rate vs area flagged", series: curve { 100 * $0.hitRate }, xTitle: "% of area flagged", yTitle: "% of next month's crimes", diagonal: true).svg(),
                              caption: "Share of the test month's crimes in the highest-ranked places, by share of area (mean over test months)."))
        blocks.append(.figure(svg: CurveChart(title: "PAI vs area flagged", series: curve(\.pai), xTitle: "% of area flagged", yTitle: "PAI").svg(),
                              caption: "Predictive accuracy index = hit rate ÷ area share."))
        if let m = means.first(where: { $0.model == "model" }), !m.calibration.isEmpty {
            blocks.append(.figure(svg: CalibrationPlot(title: "Calibration of the model", predicted: m.calibration.map(\.predicted), observed: m.calibration.map(\.observed), axisTitle: "probability").svg(),
                                  caption: "Mean predicted probability against the observed rate in each risk decile (diagonal = perfect)."))
        }
        // The last test month's predictions from the backtest (fitted on earlier months only), for the bias audit.
        let last = T - 1, lastLabel = months.first.advanced(by: last).description
        guard let lastRow = rows.first(where: { $0.model == "model" && $0.month == lastLabel }), !lastRow.units.isEmpty else {
            return (out.finish(HTMLSection(id: "risk", heading: "5. Risk", blocks: blocks)), nil)
        }
        var rowOfUnit: [Int: Int] = [:]
        for i in 0 ..< all.rows where Int(all.month[i]) == last { rowOfUnit[Int(all.unit[i])] = i }
        let testRows = lastRow.units.map { rowOfUnit[$0]! }
        let p = lastRow.probability
        let units = lastRow.units.map { pin.panel.units[$0] }
        let area = pin.area ?? [Double](repeating: pin.grid.map { $0.cell * $0.cell } ?? 1, count: pin.panel.unitCount)
        let unitArea = lastRow.units.map { area[$0] }
        let flagged = ForecastMetrics.flagged(risk: p, area: unitArea, fraction: 0.05)
        var lsoa: [String?] = units
        if let g = pin.grid {
            // A cell's LSOA: the commonest LSOA code among its incidents, ties to the lexicographically
            // smaller code (every evaluated cell has one).
            let t = inputs.table
            let ids = GridBinning.cellIDs(x: t.x.enumerated().map { t.location[$0.offset] == .projected ? $0.element : .nan }, y: t.y, grid: g)
            let majority = CellMajorityLSOA.assign(cellIDs: ids, lsoaIDs: t.lsoaID, codes: t.lsoaCodes, cellCount: g.cellCount)
            lsoa = units.map { u in let id = majority[Int(u)!]; return id < 0 ? nil : t.lsoaCodes[Int(id)] }
        }
        let holdout = Holdout(month: lastLabel, units: units, unitIsCell: pin.grid != nil, probability: p,
                              observed: lastRow.units.map { pin.panel.count(unit: $0, month: last) }, outcome: testRows.map { all.outcome[$0] },
                              area: unitArea, flagged: flagged, lsoa: lsoa)
        return (out.finish(HTMLSection(id: "risk", heading: "5. Risk", blocks: blocks)), holdout)
    }
}
