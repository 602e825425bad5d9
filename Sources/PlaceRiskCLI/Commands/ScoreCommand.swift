import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// `placerisk score`: risk of every unit for the month after the data, from a model file.
public enum ScoreCommand: Subcommand {
    public static let spec = CommandSpec(
        name: "score",
        abstract: "Score every unit for the month after the data with a fitted risk model.",
        discussion: """
        Rebuilds the model's features (same unit, grid, crime types) from the inputs and scores the month
        after their last month: risk (probability), rank (1 = highest), decile (1 = highest 10 %), and the
        two features contributing most to each unit's linear predictor.
        """,
        positional: "inputs",
        positionalHelp: "police.uk street CSV files or folders (at least the months the features look back).",
        options: [
            OptionSpec("--model", value: "file", help: "Model file written by 'placerisk fit --model-out'.", required: true),
            OptionSpec("--out", value: "file", help: "Scores .csv (unit,risk,rank,decile,top_feature_1,top_feature_2).", required: true),
            OptionSpec("--boundaries", value: "file", help: "LSOA polygons for spatial_lag_1 with LSOA models."),
        ] + OptionSpec.runControls
    )

    public static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        let model = try RiskModelFile.read(path: a.value("--model")!)
        var b = a
        if let types = model.crimeTypes { b.values["--crime-type"] = types.map(\.label) }
        let pin = try PanelInputs(b, unit: model.unit, features: model.features, io: io, fixedGrid: model.grid)
        let T = pin.panel.monthCount
        let m: FeatureMatrix
        do { m = try PanelFeatures.build(pin.panel, features: model.features, outcome: .count, weights: pin.weights, lastTarget: T) } catch {
            throw RuntimeError(error.description)
        }
        let rows = (0 ..< m.rows).filter { Int(m.month[$0]) == T }
        let k = model.features.count
        let scored = rows.map { i in (unit: Int(m.unit[i]), s: model.score(m.values[(i * k) ..< (i * k + k)])) }
        let order = ForecastMetrics.ranking(scored.map(\.s.risk))
        var rank = [Int](repeating: 0, count: scored.count)
        for (r, i) in order.enumerated() { rank[i] = r + 1 }
        let out = a.value("--out")!
        createParentFolder(of: out)
        let w = try CSVWriter(path: out)
        let unitCol = model.unit == "cell" ? "cell_id" : "lsoa_code"
        try w.writeRow([unitCol, "month", "risk", "rank", "decile", "top_feature_1", "top_feature_2"])
        let month = pin.panel.months.first.advanced(by: T).description
        for i in order {
            let c = scored[i].s.contributions
            let top = c.indices.sorted { c[$0] > c[$1] }.prefix(2).map { model.features[$0].description }
            let decile = min(10, (rank[i] - 1) * 10 / max(1, scored.count) + 1)
            try w.writeRow([pin.panel.units[scored[i].unit], month, scored[i].s.risk.shortDescription, String(rank[i]), String(decile)]
                           + top + [String](repeating: "", count: 2 - top.count))
        }
        try w.close()
        if !a.flag("--quiet") { io.err("Scored \(scored.count) units for \(month) (\(pin.unitNote)); wrote \(out)\n") }
    }
}
