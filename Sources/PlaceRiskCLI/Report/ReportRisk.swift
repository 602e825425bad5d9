import PlaceRiskCore
import PlaceRiskIO
import PlaceRiskReport
import Foundation

/// Section 5: the model's top-risk places for next month, its rolling-origin backtest against the naive
/// baselines, stated plainly; and the per-unit predictions of the last test month for the bias audit.
enum ReportRisk {
    /// The last test month's predictions, per unit, for the bias audit.
    struct Holdout: Sendable {
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
        /// Every baseline's calibrated probability for the same units (for calibration within IMD deciles).
        var baselines: [(name: String, probability: [Double])] = []
        /// The method whose predictions `probability` and `flagged` are (the one the risk list uses).
        var method = "model"
    }

    static func section(_ ctx: ReportInputs) throws -> (SectionOutput, Holdout?) {
        var out = SectionOutput()
        var blocks: [HTMLBlock] = []
        guard let inputs = ctx.inputs else { return (out.finish(HTMLSection(id: "risk", heading: "5. Risk", blocks: [.note("No police data.")])), nil) }
        let model = ctx.model
        let unit = model.flatMap { SpatialUnit(rawValue: $0.unit) } ?? .cell
        var features = model?.features ?? StackedDefault.features(halfLife: 1, kdePast: true, context: true, neighbours: true)
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
        var l2 = model?.l2 ?? 0
        if model == nil {
            guard T >= 2 else {
                blocks.append(.note("The risk section is omitted: \(T) month(s) cannot hold a month of history and a target month."))
                return (out.finish(HTMLSection(id: "risk", heading: "5. Risk", blocks: blocks)), nil)
            }
            do {
                let c = try StackedDefault.choose(panel: pin.panel, weights: pin.weights, outcome: outcome, before: T)
                features = c.features; l2 = c.l2
                out.numbers.append(("default_model", .object([("half_life_months", .int(c.halfLife)), ("l2", .number(c.l2))])))
            } catch {
                blocks.append(.note("The risk section is omitted: the default model cannot be chosen (\(plainDescription(error)))."))
                return (out.finish(HTMLSection(id: "risk", heading: "5. Risk", blocks: blocks)), nil)
            }
        }
        let describe = "\(family.rawValue) model of '\(outcome)' on \(features.map(\.description).joined(separator: ", "))\(l2 > 0 ? " (L2 penalty \(l2.shortDescription))" : "") (\(pin.unitNote))"
        blocks.append(.paragraph(model != nil ? "Model: \(ctx.modelPath!) — \(describe)." : "No model file given (--model): the stacked default — a \(describe) — is chosen and fitted on these data (half-life of ewm_H and the penalty by rolling origin over the months; in the backtest, chosen from the months before the first test month only)."))
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
            do { coef = try Regression.fit(family: .logistic, x: train.flatMap { all.values[($0 * k) ..< ($0 * k + k)] }, names: all.names, y: train.map { all.outcome[$0] }, l2: l2).estimates } catch {
                blocks.append(.note("The risk section is omitted: the default model cannot be fitted (\(error.description))."))
                return (out.finish(HTMLSection(id: "risk", heading: "5. Risk", blocks: blocks)), nil)
            }
        }
        let next = (0 ..< all.rows).filter { Int(all.month[$0]) == T }
        let nextUnits = next.map { Int(all.unit[$0]) }
        let scores = next.map { i in RiskModelFile.predict(family: family, coefficients: coef, all.values[(i * k) ..< (i * k + k)]) }
        let nextMonth = months.first.advanced(by: T).description
        // Backtest first: the list and the map use the method it found best.
        let lowest = max(lookback + 1, T - 6)
        var rows: [Backtest.Row] = []
        var result: BacktestResult?
        if lowest < T {
            ctx.progress("backtest: \(T - lowest) test month(s), \(pin.panel.unitCount) units, \(DefaultRiskModel.defaultReplicates) paired-bootstrap replicates")
            do {
                result = try DefaultRiskModel.backtest(pin, model: model == nil || model!.isStackedDefault ? .stacked : .fixed(features, family), outcome: outcome, testMonths: Array(lowest ..< T),
                                                       replicates: DefaultRiskModel.defaultReplicates, seed: DefaultRiskModel.defaultSeed)
                rows = result!.rows
            } catch {
                blocks.append(.note("The backtest failed: \(plainDescription(error))."))
            }
        } else {
            blocks.append(.note("The backtest is omitted: \(T) months cannot hold \(lookback) months of history, a training month and a test month."))
        }
        let verdicts = result.map { BacktestVerdict.all($0) } ?? []
        let best = BestMethod(verdicts)
        // Next month's scores of every method, per unit of `next`.
        func pastMean(_ u: Int) -> Double { (0 ..< T).reduce(0.0) { $0 + pin.panel.count(unit: u, month: $1) } / Double(max(T, 1)) }
        func lastCount(_ u: Int) -> Double { T > 0 ? pin.panel.count(unit: u, month: T - 1) : .nan }
        let ranked: [Double]
        switch best.method {
        case "mean-past": ranked = nextUnits.map(pastMean)
        case "naive-last": ranked = nextUnits.map(lastCount)
        case "kde-past": ranked = nextUnits.map { u in pin.kdePastScorer?(u, T) ?? .nan }
        default: ranked = scores
        }
        let order = ForecastMetrics.ranking(ranked)
        // Names: a cell takes the LSOA most of its incidents fall in (ties to the smaller code).
        let t = inputs.table
        var lsoaOfUnit: [String?] = pin.panel.units
        if let g = pin.grid {
            let ids = GridBinning.cellIDs(x: t.x.enumerated().map { t.location[$0.offset] == .projected ? $0.element : .nan }, y: t.y, grid: g)
            let majority = CellMajorityLSOA.assign(cellIDs: ids, lsoaIDs: t.lsoaID, codes: t.lsoaCodes, cellCount: g.cellCount)
            lsoaOfUnit = pin.panel.units.map { u in let id = majority[Int(u)!]; return id < 0 ? nil : t.lsoaCodes[Int(id)] }
        }
        func place(_ u: Int) -> (label: String, lsoa: String, msoa: String, district: String) {
            let code = lsoaOfUnit[u]
            let p = code.flatMap { ctx.names?[lsoa: $0] }
            var label = p.map { "\($0.lsoaName), \($0.msoaName)" } ?? (code ?? pin.panel.units[u])
            if let g = pin.grid, let id = Int(pin.panel.units[u]) { label = "cell \(id) in " + label + " (\(Int(g.centreX(col: id % g.ncols))), \(Int(g.centreY(row: id / g.ncols))))" }
            return (label, p?.lsoaName ?? code ?? "", p?.msoaName ?? "", p?.districtName ?? "")
        }
        let scoreName = family == .logistic ? "P(\(outcome))" : "expected count"
        out.csv([[unit == .cell ? "cell_id" : "lsoa_code", "lsoa_name", "msoa_name", "district", "month", "ranked_by", "rank", family == .logistic ? "risk" : "expected_count", "last_month_count", "past_monthly_mean"]]
                + order.enumerated().map { r, i in
                    let u = nextUnits[i], pl = place(u)
                    return [pin.panel.units[u], pl.lsoa, pl.msoa, pl.district, nextMonth, best.method, String(r + 1), scores[i].shortDescription, lastCount(u).shortDescription, pastMean(u).shortDescription]
                }, "risk_scores.csv")
        blocks.append(.paragraph(best.sentence))
        out.findings.append(Finding(text: "Prediction: " + (best.method == "model" ? (verdicts.isEmpty ? best.sentence : "the risk model beats simple history (" + verdicts.map(\.sentence).joined(separator: "; ") + ").") : "the risk model does not beat simple history; the risk list uses \(best.method) (\(BestMethod.meaning(best.method))).") , section: "risk"))
        // A probability that rounds to 1 reads "> 0.999": the expected count beside it tells the places apart.
        func probabilityText(_ p: Double) -> String { family == .logistic && p >= 0.9995 ? "> 0.999" : Fmt.sig(p, 3) }
        blocks.append(.table(HTMLTable(header: ["Rank", "Place", "\(scoreName) in \(nextMonth) (model)", "expected count (past monthly mean)", "last month"],
                                       rows: order.prefix(10).enumerated().map { r, i in
                                           let u = nextUnits[i]
                                           return [String(r + 1), place(u).label, probabilityText(scores[i]), Fmt.num(pastMean(u), 1), Fmt.int(lastCount(u))]
                                       }, caption: "Ten highest-ranked places for \(nextMonth) by \(best.method == "model" ? "the model" : "the \(best.method) baseline") (all in risk_scores.csv, with names). Places, never people.")))
        // The legend names what the ranked value is, in words.
        let mapUnits: String
        switch best.method {
        case "model": mapUnits = family == .logistic ? "probability" : "expected count"
        case "mean-past": mapUnits = "mean monthly count (all past months)"
        case "naive-last": mapUnits = "count last month"
        case "kde-past": mapUnits = "density of past incidents"
        default: mapUnits = best.method
        }
        if let g = pin.grid {
            var values = [Double](repeating: .nan, count: g.cellCount)
            for (j, u) in nextUnits.enumerated() { values[Int(pin.panel.units[u])!] = ranked[j] }
            if let scale = ClassifiedScale.sequential(ranked.filter(\.isFinite), classes: 5, method: .quantile, decimals: 3) {
                let outlines = ctx.inputs?.study.flatMap { ctx.polygons(of: $0.lsoaCodes) } ?? []
                var map = MapFigure.raster(grid: g, values: values, scale: scale, title: "Ranked risk, \(nextMonth) (\(best.method))", units: mapUnits,
                                           subtitle: "\(Int(g.cell)) m cells with any incident in the data\(outlines.isEmpty ? "" : "; LSOAs of the area outlined")", outlines: outlines, attribution: ctx.attribution)
                // A model's grid can be the force's: the map shows the ranked cells' extent (the area), not the grid's.
                map.extent = Self.extent(of: values, in: g)?.expanded(by: 2 * g.cell)
                blocks.append(.figure(svg: map.svg(), caption: "Places ranked for the month after the data by \(best.method), quantile classes."))
            }
        } else if let polys = ctx.polygons(of: nextUnits.map { pin.panel.units[$0] }), let scale = ClassifiedScale.sequential(ranked.filter(\.isFinite), classes: 5, method: .quantile, decimals: 2) {
            let map = MapFigure.choropleth(polygons: polys, values: ranked, scale: scale, title: "Ranked risk, \(nextMonth) (\(best.method))", units: mapUnits, attribution: ctx.attribution)
            blocks.append(.figure(svg: map.svg(), caption: "Places ranked for the month after the data by \(best.method), quantile classes."))
        }
        guard !rows.isEmpty else { return (out.finish(HTMLSection(id: "risk", heading: "5. Risk", blocks: blocks)), nil) }
        let means = rows.filter { $0.month == "mean" }
        out.json(.object([("units_evaluated", .string(pin.unitNote)), ("months", .array((lowest ..< T).map { .string(months.first.advanced(by: $0).description) })),
                          ("best_method", .string(best.method)),
                          ("results", .array(rows.map { r in .object([("model", .string(r.model)), ("month", .string(r.month)), ("auc", r.auc.map { .number($0) } ?? .null),
                                                                     ("brier", .number(r.brier)), ("hit_rate_5", .number(r.hitRate5)), ("pai_5", .number(r.pai5)), ("pei_5", .number(r.pei5))]) }))]), "backtest.json")
        out.numbers.append(("backtest_means", .array(means.map { .object([("model", .string($0.model)), ("auc", $0.auc.map { .number($0) } ?? .null), ("pai_5", .number($0.pai5))]) })))
        out.numbers.append(("best_method", .string(best.method)))
        blocks.append(.table(HTMLTable(header: ["Model", "AUC", "Brier", "hit rate @5 % area", "PAI @5 %", "PEI @5 %"],
                                       rows: means.map { [$0.model, Fmt.num($0.auc, 3), Fmt.num($0.brier, 4), Fmt.pct($0.hitRate5), Fmt.num($0.pai5), Fmt.num($0.pei5, 3)] },
                                       caption: "Rolling origin over \(T - lowest) month(s): each month predicted from a model fitted on earlier months only; metrics over the study area's units.")))
        if let r = result, !r.differences.isEmpty {
            var drows: [[String]] = []
            for d in r.differences {
                for m in d.differences {
                    let digits = m.metric.hasPrefix("pai") ? 2 : m.metric == "auc" || m.metric.hasPrefix("pei") ? 3 : 4
                    drows.append([d.baseline, m.metric, BacktestVerdict.signed(m.estimate, digits), BacktestVerdict.signed(m.low, digits) + " … " + BacktestVerdict.signed(m.high, digits),
                                  m.clearlyBetter ? "model better" : m.clearlyWorse ? "model worse" : "level"])
                }
            }
            blocks.append(.table(HTMLTable(header: ["Baseline", "Metric", "model − baseline", "95 % interval", "reading"], rows: drows,
                                           caption: "Differences, mean over test months, with a paired bootstrap over test months and units (\(r.replicates) replicates, seed \(r.seed)). Higher is better for AUC, PAI and PEI; lower for log-loss and Brier. The verdict needs the AUC interval above 0 and a higher PAI at 5 %.")))
            out.numbers.append(("differences", .array(r.differences.map { d in .object([("baseline", .string(d.baseline)), ("metrics", .array(d.differences.map(DefaultRiskModel.json)))]) })))
        }
        if !verdicts.isEmpty {
            let text = "In plain words: the model " + verdicts.map(\.sentence).joined(separator: "; ") + "."
            blocks.append(verdicts.allSatisfy(\.beats) ? .note(text) : .warning(text + " A model that does not beat simple history adds complexity without benefit, so the list above uses \(best.method)."))
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
        // The audit follows the method the list uses: its calibrated probability and its flagged 5 %.
        let chosenRow = rows.first { $0.model == best.method && $0.month == lastLabel && $0.units == lastRow.units } ?? lastRow
        let p = chosenRow.probability
        let units = lastRow.units.map { pin.panel.units[$0] }
        let area = pin.area ?? [Double](repeating: pin.grid.map { $0.cell * $0.cell } ?? 1, count: pin.panel.unitCount)
        let unitArea = lastRow.units.map { area[$0] }
        let flagged = ForecastMetrics.flagged(risk: chosenRow.score.isEmpty ? p : chosenRow.score, area: unitArea, fraction: 0.05)
        let lsoa: [String?] = lastRow.units.map { lsoaOfUnit[$0] }
        var holdout = Holdout(month: lastLabel, units: units, unitIsCell: pin.grid != nil, probability: p,
                              observed: lastRow.units.map { pin.panel.count(unit: $0, month: last) }, outcome: testRows.map { all.outcome[$0] },
                              area: unitArea, flagged: flagged, lsoa: lsoa)
        holdout.method = chosenRow.model
        holdout.baselines = rows.filter { $0.model != chosenRow.model && $0.month == lastLabel && $0.units == lastRow.units }.map { ($0.model, $0.probability) }
        return (out.finish(HTMLSection(id: "risk", heading: "5. Risk", blocks: blocks)), holdout)
    }

    /// The bounding box of the cells holding a finite value (nil when none does).
    static func extent(of values: [Double], in g: Grid) -> BoundingBox? {
        var r0 = Int.max, r1 = -1, c0 = Int.max, c1 = -1
        for (i, v) in values.enumerated() where v.isFinite {
            let r = i / g.ncols, c = i % g.ncols
            r0 = min(r0, r); r1 = max(r1, r); c0 = min(c0, c); c1 = max(c1, c)
        }
        guard r1 >= 0 else { return nil }
        return BoundingBox(minX: g.xmin + Double(c0) * g.cell, minY: g.ymin + Double(r0) * g.cell,
                           maxX: g.xmin + Double(c1 + 1) * g.cell, maxY: g.ymin + Double(r1 + 1) * g.cell)
    }
}
