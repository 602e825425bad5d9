import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// Located points for the grid-based subcommands, from police.uk files (projected to BNG, filtered)
/// or from a points CSV already in BNG metres (`x,y[,weight]`, like the peers' files).
struct PointInputs {
    var x: [Double]
    var y: [Double]
    /// Empty when every point weighs 1.
    var weight: [Double]
    var accounting: RowAccounting
    var files: [(path: String, rowsRead: Int, rowsLoaded: Int)]
    /// The police inputs, when the points came from police files.
    var incidents: IncidentInputs?
    var source: String

    /// Whether the positional inputs are one points CSV (not a police street file).
    static func isPointsCSV(_ paths: [String]) -> Bool {
        guard paths.count == 1, let p = paths.first else { return false }
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: p, isDirectory: &isDir) && !isDir.boolValue
            && p.lowercased().hasSuffix(".csv") && !p.hasSuffix(PoliceStreetLoader.fileSuffix)
    }

    /// Points from `o.paths`; `typeWeights` (e.g. a harm index the user supplies) become point weights.
    init(_ o: InputOptions, typeWeights: [CrimeType: Double]?, io: CLIOutput) throws {
        let opts = o.common
        if Self.isPointsCSV(o.paths) {
            if o.dated != nil { throw UsageError("give the points CSV as --incidents \(o.paths[0]) --schema points beside the other dated sources") }
            let path = o.paths[0]
            let hasWeight = try CSVReader.header(path: path).contains { PointSet.weightAliases.contains($0) }
            let ps = try PointSet.read(path: path, weights: hasWeight, lenient: !o.strict)
            if let b = BoundingBox.enclosing(x: ps.x, y: ps.y), abs(b.minX) <= 180, abs(b.maxX) <= 180, abs(b.minY) <= 90, abs(b.maxY) <= 90 {
                throw RuntimeError("\(path): x and y look like longitude/latitude degrees; give British National Grid metres (EPSG:27700)")
            }
            x = ps.x; y = ps.y; weight = ps.weight
            accounting = ps.accounting
            files = [(path, ps.accounting.rowsRead, ps.accounting.rowsUsed)]
            incidents = nil
            source = "points CSV (BNG metres)"
        } else {
            let inc = try IncidentInputs(o, core: opts.grid == nil && opts.bbox == nil, io: io)
            var acc = inc.accounting
            let byType = typeWeights.map { tw in inc.table.crimeTypes.map { tw[$0] ?? 0 } }
            var xs: [Double] = [], ys: [Double] = [], ws: [Double] = []
            var noCoord = 0, outside = 0
            for i in 0 ..< inc.table.count {
                switch inc.table.location[i] {
                case .projected:
                    xs.append(inc.table.x[i]); ys.append(inc.table.y[i])
                    if let bt = byType { ws.append(bt[Int(inc.table.crimeTypeID[i])]) }
                case .noCoordinates: noCoord += 1
                case .outsideBNG: outside += 1
                }
            }
            acc.unuse(noCoord, because: .noCoordinates)
            acc.unuse(outside, because: .outsideBNG)
            x = xs; y = ys; weight = ws
            accounting = acc
            files = inc.files
            incidents = inc
            source = "police.uk street-level files (WGS84 projected to BNG)"
        }
        guard !x.isEmpty else { throw RuntimeError("no located points to analyse") }
    }

    /// The analysis grid: `--grid`; `--bbox` with `--cell` (default shorter side / 250); else the extent
    /// of the points (police data: of the study area's points) with `--cell` (default: the extent's
    /// shorter side / 250, as ArcGIS).
    func grid(_ opts: CommonOptions, quiet: Bool, io: CLIOutput) throws -> Grid {
        if let inc = incidents, opts.grid != nil || opts.bbox != nil || opts.cell != nil {
            return try inc.grid(opts, quiet: quiet, io: io)
        }
        if let g = opts.grid { return g }
        if let inc = incidents {
            // No cell size given: derive one from the study area's extent.
            let probe = try inc.grid(CommonOptions(cell: 1000, base: opts), quiet: true, io: io)
            let cell = niceCell(min(probe.xmax - probe.xmin, probe.ymax - probe.ymin) / 250)
            return try inc.grid(CommonOptions(cell: cell, base: opts), quiet: quiet, io: io)
        }
        guard let box = opts.bbox ?? BoundingBox.enclosing(x: x, y: y) else { throw RuntimeError("no located points to derive a grid from") }
        let cell = opts.cell ?? niceCell(max(min(box.maxX - box.minX, box.maxY - box.minY) / 250, 1))
        let g = try Grid(covering: box, cell: cell)
        if !quiet { io.err("Grid: \(g.spec) (\(g.label), EPSG:27700, lower-left origin)\n") }
        return g
    }

    /// Keeps the points of `mask` (the others are counted as `reason`); returns the kept indices.
    @discardableResult
    mutating func keep(_ mask: [Bool], droppedAs reason: SkipReason) -> [Int] {
        let kept = x.indices.filter { mask[$0] }
        let dropped = x.count - kept.count
        guard dropped > 0 else { return kept }
        accounting.unuse(dropped, because: reason)
        x = kept.map { x[$0] }
        y = kept.map { y[$0] }
        if !weight.isEmpty { weight = kept.map { weight[$0] } }
        return kept
    }

    /// Drops points outside the grid (counted as `outside_grid`); throws when none is left.
    mutating func clip(to g: Grid, bbox: BoundingBox?) throws {
        var keep = [Bool](repeating: true, count: x.count)
        var dropped = 0
        func inside(_ i: Int) -> Bool { g.cellID(x: x[i], y: y[i]) != nil }
        for i in x.indices where !inside(i) || !(bbox?.contains(x: x[i], y: y[i]) ?? true) {
            keep[i] = false; dropped += 1
        }
        guard dropped > 0 else { return }
        accounting.unuse(dropped, because: .outsideGrid)
        x = x.indices.filter { keep[$0] }.map { x[$0] }
        y = y.indices.filter { keep[$0] }.map { y[$0] }
        if !weight.isEmpty { weight = weight.indices.filter { keep[$0] }.map { weight[$0] } }
        guard !x.isEmpty else { throw RuntimeError("all \(dropped) located points fall outside the grid \(g.spec)") }
    }
}

/// ArcGIS's default cell (shorter extent side / 250) rounded down to 1, 2, 2.5 or 5 × 10^k metres,
/// so grids line up with round coordinates.
func niceCell(_ c: Double) -> Double {
    guard c.isFinite, c > 0 else { return 1 }
    var p = 1.0
    while p * 10 <= c { p *= 10 }
    while p > c { p /= 10 }
    for m in [5.0, 2.5, 2, 1] where m * p <= c { return m * p }
    return p
}

extension CommonOptions {
    /// A copy with `--cell` replaced.
    init(cell: Double, base: CommonOptions) {
        self = base
        self.cell = cell
    }
}
