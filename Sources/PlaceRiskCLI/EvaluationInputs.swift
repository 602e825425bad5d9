import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// The area × month panel `evaluate` works on and the four areas resolved in it: from police files
/// (the study area's LSOAs, zeros included, the analysed types; queen neighbours and centroids from
/// the boundaries; IMD deciles for matching) or from an `area,month,count` table (no geometry).
struct EvaluationInputs {
    let units: [String]
    let months: MonthRange
    /// `counts[u · T + t]`.
    let counts: [Double]
    let decile: [Int?]
    /// Queen neighbours of each unit (empty without boundaries).
    let neighbours: [[Int]]
    let source: String
    var intervention: [Int] = []
    var displacement: [Int] = []
    var comparison: [Int] = []
    var comparisonDisplacement: [Int] = []
    var notes: [String] = []
    /// How the comparison areas were chosen (a sentence).
    var comparisonRule = "given with --comparison"
    var displacementRule = "given with --displacement"
    /// The incidents' ledger (police files only).
    var accounting: RowAccounting?
    var files: [(path: String, rowsRead: Int, rowsLoaded: Int)] = []
    var diagnostics: [(String, JSONValue)] = []
    var inputFiles: [String] = []
    /// Unit centroids (BNG metres; NaN without boundaries) and polygons.
    let centroidX: [Double], centroidY: [Double]
    let polygons: [MultiPolygon?]

    init(_ o: EvaluateOptions, io: CLIOutput) throws {
        if let path = o.table {
            let t = try AreaMonthTable.read(path: path)
            units = t.areas; months = t.months; counts = t.counts
            decile = [Int?](repeating: nil, count: t.areas.count)
            neighbours = [[Int]](repeating: [], count: t.areas.count)
            centroidX = [Double](repeating: .nan, count: t.areas.count); centroidY = centroidX
            polygons = [MultiPolygon?](repeating: nil, count: t.areas.count)
            source = "counts table \(path) (\(t.areas.count) areas × \(t.months.count) months, \(t.rowsRead) rows, \(t.absentPairs) absent pairs counted as 0)"
            inputFiles = [path]
        } else {
            let inputs = try IncidentInputs(o.input, core: true, io: io)
            guard let sa = inputs.study else { throw RuntimeError("the LSOA study area could not be determined") }
            let sel = inputs.select(types: o.types, units: .lsoa(sa))
            units = sa.lsoaCodes
            months = inputs.months
            counts = IncidentPanelCounts.lsoaMonth(inputs.table, used: sel.used, units: units, months: inputs.months)
            accounting = sel.accounting
            files = inputs.files
            diagnostics = inputs.diagnostics
            inputFiles = inputs.files.map(\.path)
            let b = try LSOABoundaries.load(o.boundaries)
            if let b {
                let w = b.queenWeights(among: units)
                neighbours = (0 ..< units.count).map { u in (w.offsets[u] ..< w.offsets[u + 1]).map { Int(w.neighbours[$0]) } }
                polygons = units.map { b.index[$0].map { b.polygons[$0] } }
                centroidX = polygons.map { $0?.centroid.x ?? .nan }; centroidY = polygons.map { $0?.centroid.y ?? .nan }
                inputFiles.append(b.path)
            } else {
                neighbours = [[Int]](repeating: [], count: units.count)
                polygons = [MultiPolygon?](repeating: nil, count: units.count)
                centroidX = [Double](repeating: .nan, count: units.count); centroidY = centroidX
                notes.append("LSOA boundaries '\(LSOABoundaries.path(o.boundaries))' not found: no default displacement area and no comparison rings")
            }
            let imdPath = o.imd ?? DeprivationInputs.defaultIMD
            if FileManager.default.fileExists(atPath: imdPath) {
                let imd: IMDTable
                do { imd = try IMDTable.load(paths: [imdPath], lsoaSet: .subsets) } catch { throw RuntimeError(error.description) }
                decile = units.map { c in imd.row(of: c).map { imd.imdDeciles[$0] } }
                inputFiles.append(imdPath)
            } else {
                decile = [Int?](repeating: nil, count: units.count)
                notes.append("IMD table '\(imdPath)' not found: automatic matching uses pre-period level and trend only")
            }
            source = "police.uk street files (\(inputs.files.count) files), \(o.types.map(\.label).sorted().joined(separator: ", ")), \(sa.lsoaCodes.count) LSOAs of \(sa.districts.count) districts, zeros included"
        }
        try resolve(o)
    }

    var T: Int { months.count }

    func series(_ area: [Int]) -> [Double] {
        (0 ..< T).map { t in area.reduce(0) { $0 + counts[$1 * T + t] } }
    }

    /// Indices of `spec` in the panel; an unknown code is an error naming it.
    func indices(_ spec: AreaSpec, role: String) throws -> [Int] {
        switch spec {
        case .codes(let codes):
            let pos = Dictionary(units.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            let missing = codes.filter { pos[$0] == nil }
            if !missing.isEmpty {
                let what = polygons.allSatisfy({ $0 == nil }) && decile.allSatisfy({ $0 == nil }) ? "areas of the table" : "LSOAs of the study area"
                throw RuntimeError("the \(role) area names \(missing.count) area(s) that are not \(what): \(missing.prefix(5).joined(separator: ", "))")
            }
            return codes.map { pos[$0]! }
        case .polygon(let path):
            let features = try GeoJSONReader.features(path: path)
            var shapes: [MultiPolygon] = []
            for f in features {
                shapes.append(try f.geometry.mapCoordinates { (x, y) throws(CSVError) -> (x: Double, y: Double) in
                    guard let p = BritishNationalGrid.project(longitude: x, latitude: y) else {
                        throw CSVError(.badValue(column: "geometry.coordinates", value: "[\(x), \(y)]", expected: "WGS84 lon/lat inside Great Britain"), file: path, line: 0, column: 0)
                    }
                    return (p.easting, p.northing)
                })
            }
            return (0 ..< units.count).filter { u in centroidX[u].isFinite && shapes.contains { $0.contains(x: centroidX[u], y: centroidY[u]) } }
        }
    }

    private mutating func resolve(_ o: EvaluateOptions) throws {
        intervention = try indices(o.intervention, role: "intervention")
        guard !intervention.isEmpty else { throw InterventionError.emptyArea(role: "intervention") }
        let inI = Set(intervention)
        if let d = o.displacement {
            displacement = try indices(d, role: "displacement")
        } else if let w = o.ring {
            let shapes = intervention.compactMap { polygons[$0] }
            displacement = (0 ..< units.count).filter { u in
                !inI.contains(u) && centroidX[u].isFinite && shapes.contains { Self.distance(x: centroidX[u], y: centroidY[u], to: $0) <= w }
            }
            displacementRule = "the LSOAs whose centroid lies within \(w.shortDescription) m of the intervention area's boundary"
        } else if o.table == nil {
            displacement = Array(Set(intervention.flatMap { neighbours[$0] }).subtracting(inI)).sorted()
            displacementRule = "the intervention area's queen-contiguous neighbouring LSOAs"
        } else {
            displacementRule = "none (the table's areas have no geometry; name one with --displacement)"
        }
        try Self.disjoint("intervention", intervention, "displacement", displacement, units)
        let taken = inI.union(displacement)
        if let c = o.comparison {
            comparison = try indices(c, role: "comparison")
            guard !comparison.isEmpty else { throw InterventionError.emptyArea(role: "comparison") }
            try Self.disjoint("intervention", intervention, "comparison", comparison, units)
            try Self.disjoint("displacement", displacement, "comparison", comparison, units)
        } else {
            // Candidates: no role, and not touching the intervention or displacement area (their rings must not overlap).
            let nb = neighbours
            let near = taken.union(displacement.flatMap { nb[$0] })
            let s = months.first.distance(to: o.start)
            guard s >= 1 else { throw InterventionError.startOutsideData(start: o.start, first: months.first, last: months.last) }
            let all = counts, TT = T, dec = decile
            let pre = { (u: Int) in Array(all[u * TT ..< u * TT + min(s, TT)]) }
            let cands = (0 ..< units.count).filter { !near.contains($0) }.map { ComparisonMatching.Unit(id: String($0), decile: dec[$0], pre: pre($0)) }
            let names = units
            let treated = intervention.map { ComparisonMatching.Unit(id: names[$0], decile: dec[$0], pre: pre($0)) }
            comparison = try ComparisonMatching.match(treated: treated, candidates: cands).map { Int($0.id)! }
            comparisonRule = decile.contains(where: { $0 != nil })
                ? "matched automatically: one comparison LSOA per intervention LSOA, exact on IMD 2019 decile, nearest on the pre-period level (log mean count per month) and trend; not adjacent to the intervention or displacement area"
                : "matched automatically: one comparison area per intervention area, nearest on the pre-period level (log mean count per month) and trend (no IMD deciles)"
        }
        if let cd = o.comparisonDisplacement {
            comparisonDisplacement = try indices(cd, role: "comparison displacement")
        } else if o.table == nil {
            let used = taken.union(comparison)
            comparisonDisplacement = Array(Set(comparison.flatMap { neighbours[$0] }).subtracting(used)).sorted()
        }
        try Self.disjoint("intervention", intervention, "comparison displacement", comparisonDisplacement, units)
        try Self.disjoint("displacement", displacement, "comparison displacement", comparisonDisplacement, units)
        try Self.disjoint("comparison", comparison, "comparison displacement", comparisonDisplacement, units)
    }

    static func disjoint(_ a: String, _ x: [Int], _ b: String, _ y: [Int], _ units: [String]) throws {
        let common = Set(x).intersection(y).sorted()
        if !common.isEmpty { throw InterventionError.overlappingAreas(first: a, second: b, units: common.map { units[$0] }) }
    }

    /// Distance from a point to a polygon's boundary (0 inside).
    static func distance(x: Double, y: Double, to m: MultiPolygon) -> Double {
        if m.contains(x: x, y: y) { return 0 }
        var best = Double.infinity
        for p in m.polygons {
            for k in 0 ..< p.ringCount {
                let r = p.ring(k)
                for i in 0 ..< r.count {
                    let a = r[i], b = r[(i + 1) % r.count]
                    let dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy
                    let t = l2 > 0 ? max(0, min(1, ((x - a.x) * dx + (y - a.y) * dy) / l2)) : 0
                    let ex = a.x + t * dx - x, ey = a.y + t * dy - y
                    best = min(best, (ex * ex + ey * ey).squareRoot())
                }
            }
        }
        return best
    }
}
