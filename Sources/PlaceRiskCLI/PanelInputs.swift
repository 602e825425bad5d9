import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// A unit × month panel built from police.uk inputs for the risk-model subcommands (fit, score,
/// backtest): grid cells with at least one incident of any type (`--unit cell`), or the LSOAs of the
/// study area (`--unit lsoa`, zero-filled), counting the selected crime types.
struct PanelInputs {
    let panel: Panel
    let weights: SpatialWeights?
    let area: [Double]?
    let grid: Grid?
    let kdePast: Backtest.Scorer?
    let unitNote: String
    let crimeTypes: Set<CrimeType>?
    let options: CommonOptions
    let inputs: IncidentInputs

    init(_ a: ParsedArguments, unit: String, features: [PanelFeature], io: CLIOutput, fixedGrid: Grid? = nil) throws {
        var opts = try CommonOptions(a)
        if let g = fixedGrid { opts.grid = g; opts.cell = nil }
        let typeFilter = opts.filter.crimeTypes
        opts.filter.crimeTypes = nil   // load every type: the grid study area counts incidents of any type
        let quiet = a.flag("--quiet")
        let inputs = try IncidentInputs(a, opts, core: unit == "lsoa" || (opts.grid == nil && opts.bbox == nil), io: io)
        let t = inputs.table
        let months = inputs.months
        let keep = t.crimeTypes.map { typeFilter?.contains($0) ?? true }
        let T = months.count
        var panelUnits: [String] = [], counts: [Double] = [], weights: SpatialWeights?
        var gridUsed: Grid?
        var kde: Backtest.Scorer?
        var unitArea: [Double]?
        var unitNote = ""
        if unit == "cell" {
            if opts.grid == nil, opts.cell == nil { opts.cell = 500 }
            let grid = try inputs.grid(opts, quiet: quiet, io: io)
            gridUsed = grid
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
        panel = Panel(units: panelUnits, months: months, counts: counts)
        self.weights = weights
        area = unitArea
        kdePast = kde
        self.unitNote = unitNote
        crimeTypes = typeFilter
        options = opts
        self.inputs = inputs
        self.grid = gridUsed
    }
}

extension PanelInputs {
    /// `lag_1,mean_3,…` → features (usage error naming an unknown one).
    static func features(_ text: String) throws -> [PanelFeature] {
        var out: [PanelFeature] = []
        for name in text.split(separator: ",") {
            guard let f = PanelFeature(name: String(name)) else {
                throw UsageError("unknown feature '\(name)'; expected lag_K, mean_W, spatial_lag_1, month_sin, month_cos or log1p_<feature>")
            }
            out.append(f)
        }
        return out
    }

    /// `atleast:K` or `top:Q` → outcome.
    static func outcome(_ text: String) throws -> PanelOutcome {
        if text.hasPrefix("atleast:"), let k = Double(text.dropFirst(8)) { return .atLeast(k) }
        if text.hasPrefix("top:"), let q = Double(text.dropFirst(4)) { return .topFraction(q) }
        throw UsageError("invalid --outcome '\(text)'; expected atleast:K or top:Q")
    }
}
