import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// `placerisk score`: risk of every unit for the month after the data (or a given month), from a model file.
public enum ScoreCommand: Subcommand {
    public static let spec = CommandSpec(
        name: "score",
        abstract: "Score every unit for the month after the data with a fitted risk model.",
        discussion: """
        Rebuilds the model's features (same unit, grid, crime types, kde_past radius, covariates) from the
        inputs and scores the month after their last month, or --month: risk (a probability for logistic
        models, an expected count for poisson/negbin), expected_count beside a probability (the unit's
        mean monthly count of the past), ranked_by (the method the model's backtest found best: the model,
        or mean-past when the model did not beat it), rank (1 = highest), decile (1 = highest 10 %), and
        the two features contributing most to each unit's linear predictor. A month inside the data is
        scored from the months before it only (the same as a forecast made then).
        Output: .csv, or .geojson (WGS84 polygons of the cells or LSOAs with the same properties).
        """,
        positional: "inputs",
        positionalHelp: "police.uk street CSV files or folders, or an LSOA counts table (at least the months the features look back).",
        options: [
            OptionSpec("--model", value: "file", help: "Model file written by 'placerisk fit --model-out'.", required: true),
            OptionSpec("--out", value: "file", help: "Scores .csv (unit,month,risk,rank,decile,top_feature_1,top_feature_2) or .geojson.", required: true),
            OptionSpec("--month", value: "YYYY-MM", help: "Month to score (default: the month after the data)."),
            OptionSpec("--covariates", value: "file", help: "Covariates CSV for cov: features (default: the file the model was trained with)."),
            OptionSpec.boundaries("spatial_lag_1, kde_past and .geojson output of LSOA models"),
        ] + OptionSpec.runControls
    )

    public static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        let o = try PanelOptions(a, io: io)
        let model = try RiskModelFile.read(path: a.value("--model")!)
        let out = a.value("--out")!
        let geo = out.lowercased().hasSuffix(".geojson")
        guard geo || out.lowercased().hasSuffix(".csv") else { throw UsageError("--out must end in .csv or .geojson") }
        guard let modelUnit = SpatialUnit(rawValue: model.unit) else { throw RuntimeError("\(a.value("--model")!): unknown unit '\(model.unit)'; expected cell or lsoa") }
        let pin = try PanelInputs(o, features: model.features, io: io, unit: modelUnit, fixedGrid: model.grid,
                                  crimeTypes: .some(model.crimeTypes.map(Set.init)), kdeBandwidth: model.kdeBandwidth,
                                  covariates: a.value("--covariates") ?? model.covariates)
        let T = pin.panel.monthCount, months = pin.panel.months
        var target = T
        if let text = a.value("--month") {
            guard let m = YearMonth(text) else { throw UsageError("invalid --month '\(text)'; expected YYYY-MM") }
            target = months.first.distance(to: m)
            guard target >= 1, target <= T else {
                throw RuntimeError("the data cover \(months.first)…\(months.last); --month \(m) must be after the first month and at most \(months.last.advanced(by: 1))")
            }
        }
        let m: FeatureMatrix
        do { m = try PanelFeatures.build(pin.panel, features: model.features, outcome: .count, weights: pin.weights, lastTarget: target) } catch {
            throw RuntimeError(error.description)
        }
        let rows = (0 ..< m.rows).filter { Int(m.month[$0]) == target }
        let k = model.features.count
        let scored = rows.map { i in (unit: Int(m.unit[i]), s: model.score(m.values[(i * k) ..< (i * k + k)])) }
        if let bad = scored.first(where: { !$0.s.risk.isFinite }) {
            throw RuntimeError("unit \(pin.panel.units[bad.unit]) has a feature that cannot be computed (e.g. kde_past without a location)")
        }
        // The method the model's backtest found best ranks the units (`ranked_by`; "model" for older files).
        func pastMean(_ u: Int) -> Double { (0 ..< target).reduce(0.0) { $0 + pin.panel.count(unit: u, month: $1) } / Double(max(target, 1)) }
        let rankScore: [Double]
        switch model.rankedBy {
        case "mean-past": rankScore = scored.map { pastMean($0.unit) }
        case "naive-last": rankScore = scored.map { pin.panel.count(unit: $0.unit, month: target - 1) }
        case "kde-past":
            guard let k = pin.kdePastScorer else { throw RuntimeError("the model ranks by kde-past, which needs incident points (street files)") }
            rankScore = scored.map { k($0.unit, target) }
        default: rankScore = scored.map(\.s.risk)
        }
        let order = ForecastMetrics.ranking(rankScore)
        var rank = [Int](repeating: 0, count: scored.count)
        for (r, i) in order.enumerated() { rank[i] = r + 1 }
        let monthText = months.first.advanced(by: target).description
        let unitCol = model.unit == "cell" ? "cell_id" : "lsoa_code"
        let riskCol = model.family == .logistic ? "risk" : "expected_count"
        let header = [unitCol, "month", riskCol] + (model.family == .logistic ? ["expected_count"] : []) + ["ranked_by", "rank", "decile", "top_feature_1", "top_feature_2"]
        func fields(_ i: Int) -> [String] {
            let c = scored[i].s.contributions
            let top = c.indices.sorted { c[$0] > c[$1] }.prefix(2).map { model.features[$0].description }
            let decile = min(10, (rank[i] - 1) * 10 / max(1, scored.count) + 1)
            let expected = model.family == .logistic ? [pastMean(scored[i].unit).shortDescription] : []
            return [pin.panel.units[scored[i].unit], monthText, scored[i].s.risk.shortDescription] + expected + [model.rankedBy, String(rank[i]), String(decile)]
                + top + [String](repeating: "", count: 2 - top.count)
        }
        createParentFolder(of: out)
        if geo {
            let shapes = try unitShapes(pin, model, boundariesPath: LSOABoundaries.path(o.boundaries))
            var features: [GeoJSONOutputFeature] = []
            for i in order {
                guard let shape = shapes[scored[i].unit] else { continue }
                let f = fields(i)
                var props: [(String, JSONValue)] = []
                for (j, h) in header.enumerated() {
                    let numeric = [riskCol, "expected_count", "rank", "decile"].contains(h)
                    props.append((h, numeric ? .number(Double(f[j])!) : (f[j].isEmpty ? .null : .string(f[j]))))
                }
                features.append(GeoJSONOutputFeature(geometry: GeoJSONWriter.lonLat(fromBNG: shape), properties: props))
            }
            try GeoJSONWriter.write(path: out, features: features)
            if features.count < scored.count { io.err("Warning: \(scored.count - features.count) units have no polygon in the boundaries and are not in \(out)\n") }
        } else {
            let w = try CSVWriter(path: out)
            try w.writeRow(header)
            for i in order { try w.writeRow(fields(i)) }
            try w.close()
        }
        try Metadata.write(.object([
            ("placerisk_version", .string(PlaceRiskVersion.string)), ("command", .string("score")), ("model", .string(a.value("--model")!)), ("month", .string(monthText)),
            ("risk", .string(model.riskMeaning)), ("units", .string(pin.unitNote)),
            ("expected_count", .string(model.family == .logistic ? "the unit's mean monthly count over the months before the scored month (mean-past), as the expected count beside the probability" : "the risk column")),
            ("ranked_by", .string(model.rankedBy)),
            ("ranking_reason", .string(model.rankingSentence ?? "the model file states no backtest comparison; ranked by \(model.rankedBy)")),
            ("rank", .string("1 = highest risk; decile 1 = highest 10 %")),
            ("crs", .string(geo ? "WGS84 lon/lat (RFC 7946)" : "none (unit codes; cell_id = row * ncols + col, row 0 at the grid's southern edge)")),
            ("grid", model.grid.map(Metadata.gridJSON) ?? .null),
        ]), beside: out)
        try pin.emitAccounting(o.input, io: io)
        if !a.flag("--quiet") {
            if let r = model.rankingSentence { io.err(r + "\n") }
            io.err("Scored \(scored.count) units for \(monthText) (\(pin.unitNote)), ranked by \(model.rankedBy); wrote \(out)\n")
        }
    }

    /// Polygons (BNG) of the scored units: grid cells, or LSOAs from the boundaries.
    static func unitShapes(_ pin: PanelInputs, _ model: RiskModelFile, boundariesPath: String) throws -> [Int: MultiPolygon] {
        var out: [Int: MultiPolygon] = [:]
        if let g = model.grid {
            for (u, label) in pin.panel.units.enumerated() {
                let id = Int(label)!, x0 = g.xmin + Double(id % g.ncols) * g.cell, y0 = g.ymin + Double(id / g.ncols) * g.cell
                out[u] = MultiPolygon([Polygon(outer: [(x0, y0), (x0 + g.cell, y0), (x0 + g.cell, y0 + g.cell), (x0, y0 + g.cell)])])
            }
            return out
        }
        guard let b = pin.boundaries else {
            throw RuntimeError("GeoJSON output of an LSOA model needs LSOA boundaries; '\(boundariesPath)' not found (give --boundaries)")
        }
        for (u, c) in pin.panel.units.enumerated() { if let i = b.index[c] { out[u] = b.polygons[i] } }
        return out
    }
}
