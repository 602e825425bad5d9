import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// `placerisk backtest`: rolling-origin evaluation of the risk model against naive baselines.
public enum BacktestCommand: Subcommand {
    public static let spec = CommandSpec(
        name: "backtest",
        abstract: "Rolling-origin backtest of the risk model against naive baselines (AUC, Brier, PAI, PEI).",
        discussion: """
        For each of the last --test-months months: fit the logistic model on earlier months only, predict
        the month, and score the baselines naive-last, mean-past and (grid) kde-past the same way.
        Metrics are computed over the study area's units only: for grids, the cells with at least one
        incident of any type in any month of the data; for LSOAs, the study-area rule (conventions 8).
        """,
        positional: "inputs",
        positionalHelp: "police.uk street CSV files or folders (several months).",
        options: [
            OptionSpec("--out", value: "file", help: "Results JSON.", required: true),
            OptionSpec("--unit", value: "cell|lsoa", help: "Spatial unit (default cell)."),
            OptionSpec("--cell", value: "metres", help: "Cell size for --unit cell (default 500)."),
            OptionSpec("--grid", value: "xmin,ymin,cell,ncols,nrows", help: "Exact grid for --unit cell."),
            OptionSpec("--features", value: "list", help: "Comma-separated features (default lag_1,mean_3): lag_K, mean_W, spatial_lag_1, month_sin, month_cos, log1p_<feature>."),
            OptionSpec("--outcome", value: "atleast:K|top:Q", help: "Binary outcome: count >= K (default atleast:1) or top fraction Q of units."),
            OptionSpec("--test-months", value: "N", help: "Number of final months to test (default 2)."),
            OptionSpec("--boundaries", value: "file", help: "LSOA polygons for spatial_lag_1 with --unit lsoa (default: the bundled boundaries)."),
        ] + OptionSpec.policeFilters + OptionSpec.runControls
    )

    public static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        let out = a.value("--out")!
        let unit = a.value("--unit") ?? "cell"
        guard unit == "cell" || unit == "lsoa" else { throw UsageError("invalid --unit '\(unit)'; expected cell or lsoa") }
        var features: [PanelFeature] = []
        for name in (a.value("--features") ?? "lag_1,mean_3").split(separator: ",") {
            guard let f = PanelFeature(name: String(name)) else { throw UsageError("unknown feature '\(name)'; expected lag_K, mean_W, spatial_lag_1, month_sin, month_cos or log1p_<feature>") }
            features.append(f)
        }
        let outcomeText = a.value("--outcome") ?? "atleast:1"
        let outcome: PanelOutcome
        if outcomeText.hasPrefix("atleast:"), let k = Double(outcomeText.dropFirst(8)) { outcome = .atLeast(k) }
        else if outcomeText.hasPrefix("top:"), let q = Double(outcomeText.dropFirst(4)) { outcome = .topFraction(q) }
        else { throw UsageError("invalid --outcome '\(outcomeText)'; expected atleast:K or top:Q") }
        guard let nTest = Int(a.value("--test-months") ?? "2"), nTest >= 1 else { throw UsageError("invalid --test-months; expected a whole number >= 1") }
        var opts = try CommonOptions(a)
        let typeFilter = opts.filter.crimeTypes
        opts.filter.crimeTypes = nil   // load every type: the grid study area counts incidents of any type
        let quiet = a.flag("--quiet")
        let inputs = try IncidentInputs(a, opts, core: unit == "lsoa" || (opts.grid == nil && opts.bbox == nil), io: io)
        let t = inputs.table
        let months = inputs.months
        let keep = t.crimeTypes.map { typeFilter?.contains($0) ?? true }
        let T = months.count
        var panelUnits: [String] = [], counts: [Double] = [], weights: SpatialWeights?
        var kde: Backtest.Scorer?
        var unitArea: [Double]?
        var unitNote = ""
        if unit == "cell" {
            if opts.grid == nil, opts.cell == nil { opts.cell = 500 }
            let grid = try inputs.grid(opts, quiet: quiet, io: io)
            let ids = GridBinning.cellIDs(x: t.x.enumerated().map { t.location[$0.offset] == .projected ? $0.element : .nan }, y: t.y, grid: grid)
            var anyCount = [Int](repeating: 0, count: grid.cellCount)
            for i in 0 ..< t.count where ids[i] >= 0 { anyCount[Int(ids[i])] += 1 }
            let active = (0 ..< grid.cellCount).filter { anyCount[$0] > 0 }
            var pos = [Int](repeating: -1, count: grid.cellCount)
            for (k, c) in active.enumerated() { pos[c] = k }
            counts = [Double](repeating: 0, count: active.count * T)
            var xs = [[Double]](repeating: [], count: T), ys = [[Double]](repeating: [], count: T)
            for i in 0 ..< t.count where ids[i] >= 0 && keep[Int(t.crimeTypeID[i])] {
                guard let m = months.offset(ofIndex: Int(t.monthIndex[i])) else { continue }
                counts[pos[Int(ids[i])] * T + m] += 1
                xs[m].append(t.x[i]); ys[m].append(t.y[i])
            }
            panelUnits = active.map(String.init)
            unitNote = "grid cells of \(grid.label) with at least one incident of any type in any month (\(active.count) of \(grid.cellCount))"
            // kde-past: quartic density of all selected incidents before the test month, r = 3 cells.
            let kernel = try Kernel(.quartic, bandwidth: 3 * grid.cell)
            var cache: [Int: [Double]] = [:]
            kde = { u, m in
                if cache[m] == nil {
                    let px = xs[0 ..< m].flatMap { $0 }, py = ys[0 ..< m].flatMap { $0 }
                    cache[m] = KernelDensity.estimate(x: px, y: py, grid: grid, kernel: kernel)
                }
                return cache[m]![active[u]]
            }
        } else {
            guard let sa = inputs.study else { throw RuntimeError("the LSOA study area could not be determined") }
            panelUnits = sa.lsoaCodes
            let pos = Dictionary(uniqueKeysWithValues: panelUnits.enumerated().map { ($1, $0) })
            counts = [Double](repeating: 0, count: panelUnits.count * T)
            for i in 0 ..< t.count where keep[Int(t.crimeTypeID[i])] {
                guard let c = t.lsoaCode(i), let u = pos[c], let m = months.offset(ofIndex: Int(t.monthIndex[i])) else { continue }
                counts[u * T + m] += 1
            }
            unitNote = "LSOAs of the study area (\(sa.districts.count) districts, \(panelUnits.count) LSOAs, zeros included)"
            // LSOA areas for PAI (flagged share of AREA), from the boundaries when present.
            let path = a.value("--boundaries") ?? DensityCommand.defaultBoundaries
            var codes: [String] = [], polys: [MultiPolygon] = []
            if FileManager.default.fileExists(atPath: path) {
                (codes, polys) = try GeoJSONReader.lsoaPolygonsBNG(path: path)
                let areaOf = Dictionary(uniqueKeysWithValues: zip(codes, polys.map(\.area)))
                if panelUnits.allSatisfy({ areaOf[$0] != nil }) {
                    unitArea = panelUnits.map { areaOf[$0]! }
                    unitNote += "; PAI uses LSOA areas from \(path)"
                } else {
                    unitNote += "; PAI treats LSOAs as equal-area (not every LSOA is in \(path))"
                }
            }
            if features.contains(where: { $0.description.contains("spatial_lag") }) {
                guard !codes.isEmpty else { throw RuntimeError("spatial_lag_1 needs LSOA boundaries; '\(path)' not found (give --boundaries)") }
                let q = Contiguity.queen(polys)
                let bpos = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })
                weights = SpatialWeights(neighbourLists: panelUnits.map { c in
                    guard let b = bpos[c] else { return [] }
                    return (q.offsets[b] ..< q.offsets[b + 1]).compactMap { pos[codes[Int(q.neighbours[$0])]] }
                })
            }
        }
        let panel = Panel(units: panelUnits, months: months, counts: counts)
        let first = features.map(\.lookback).max() ?? 0
        let lowest = max(first + 1, T - nTest)
        let tests = lowest < T ? Array(lowest ..< T) : []
        guard !tests.isEmpty else { throw RuntimeError("\(T) months cannot hold \(first) months of history, a training month and a test month") }
        let rows: [Backtest.Row]
        do { rows = try Backtest.run(panel: panel, features: features, outcome: outcome, weights: weights, testMonths: tests, area: unitArea, kdePast: kde) }
        catch let e as RegressionError { throw RuntimeError("fitting the model: \(e.description)") }
        catch let e as PanelError { throw RuntimeError(e.description) }
        func num(_ v: Double?) -> JSONValue { v.map { .number($0) } ?? .null }
        let json: JSONValue = .object([
            ("placerisk_version", .string(PlaceRiskVersion.string)),
            ("unit", .string(unit)), ("cell", unit == "cell" ? .number(opts.grid?.cell ?? opts.cell ?? 500) : .null),
            ("units_evaluated", .string(unitNote)),
            ("features", .array(features.map { .string($0.description) })),
            ("outcome", .string(outcome.description)),
            ("crime_types", typeFilter.map { .array($0.sorted().map { .string($0.label) }) } ?? .string("all")),
            ("months", .array(tests.map { .string(months.first.advanced(by: $0).description) })),
            ("results", .array(rows.map { r in .object([
                ("model", .string(r.model)), ("month", .string(r.month)), ("auc", num(r.auc)), ("brier", .number(r.brier)),
                ("log_loss", .number(r.logLoss)), ("hit_rate_5", .number(r.hitRate5)), ("pai_1", .number(r.pai1)),
                ("pai_5", .number(r.pai5)), ("pai_10", .number(r.pai10)), ("pei_5", .number(r.pei5)),
            ]) })),
        ])
        createParentFolder(of: out)
        do { try (json.serialized() + "\n").write(toFile: out, atomically: true, encoding: .utf8) } catch { throw RuntimeError("cannot write \(out): \(error.localizedDescription)") }
        let means = rows.filter { $0.month == "mean" }
        var text = "Backtest over \(tests.count) test month(s), \(unitNote):\n"
        text += "  model        AUC     Brier   PAI@5%  PEI@5%\n"
        for r in means {
            text += "  " + r.model.padding(toLength: 11, withPad: " ", startingAt: 0)
                + " " + (r.auc.map { String(format: "%.3f", $0) } ?? "  n/a") + "   " + String(format: "%.4f", r.brier)
                + "  " + String(format: "%6.2f", r.pai5) + "  " + String(format: "%6.3f", r.pei5) + "\n"
        }
        if let m = means.first(where: { $0.model == "model" }) {
            for b in means where b.model != "model" {
                let better = (m.auc ?? 0) > (b.auc ?? 0) && m.pai5 > b.pai5
                text += "  model vs \(b.model): " + (better ? "beats it" : "does NOT beat it")
                    + String(format: " (AUC %+.3f, PAI@5%% %+.2f)\n", (m.auc ?? .nan) - (b.auc ?? .nan), m.pai5 - b.pai5)
            }
        }
        io.out(text)
        IncidentInputs.emitAccounting(inputs.accounting, inputs.files, a, io)
    }
}
