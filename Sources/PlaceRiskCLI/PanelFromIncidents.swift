import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// The unit × month panel of the selected crime types from loaded street incidents: grid cells with at
/// least one incident of any type in any month (`cell`), or the study area's LSOAs zero-filled
/// (`lsoa`); plus each unit's area (for PAI) and the KDE-of-the-past surface at each unit.
struct PanelFromIncidents {
    let panel: Panel
    let area: [Double]?
    let grid: Grid?
    let note: String
    let kdeBandwidth: Double?
    /// The rows the panel counts (the modelled types in the units), with their ledger.
    let selection: IncidentSelection

    init(_ inputs: IncidentInputs, unit: SpatialUnit, types: Set<CrimeType>?, opts: inout CommonOptions, kdeBandwidth: Double?,
         boundaries: LSOABoundaries?, boundariesPath: String, quiet: Bool, io: CLIOutput) throws {
        let t = inputs.table, months = inputs.months, T = months.count
        let keep = t.crimeTypes.map { types?.contains($0) ?? true }
        var units: [String] = [], counts: [Double] = []
        var unitX: [Double] = [], unitY: [Double] = []
        var px: [Double] = [], py: [Double] = [], pm: [Int] = []
        for i in 0 ..< t.count where keep[Int(t.crimeTypeID[i])] && t.location[i] == .projected {
            guard let m = months.offset(ofIndex: Int(t.monthIndex[i])) else { continue }
            px.append(t.x[i]); py.append(t.y[i]); pm.append(m)
        }
        var unitArea: [Double]?
        var note: String
        var h: Double
        if unit == .cell {
            if opts.grid == nil, opts.cell == nil { opts.cell = 500 }
            let g = try inputs.grid(opts, quiet: quiet, io: io)
            grid = g
            let ids = GridBinning.cellIDs(x: t.x.enumerated().map { t.location[$0.offset] == .projected ? $0.element : .nan }, y: t.y, grid: g)
            // An explicit area (--area, --districts): only its incidents make cells and counts.
            let area = inputs.explicitArea
            let inArea = area.map { sa in t.lsoaCodes.map { sa.contains(lsoa: $0) } }
            var any = [Bool](repeating: false, count: g.cellCount)
            for i in 0 ..< t.count where ids[i] >= 0 && (inArea.map { m in t.lsoaID[i] >= 0 && m[Int(t.lsoaID[i])] } ?? true) { any[Int(ids[i])] = true }
            let active = (0 ..< g.cellCount).filter { any[$0] }
            var pos = [Int](repeating: -1, count: g.cellCount)
            for (k, c) in active.enumerated() { pos[c] = k }
            counts = [Double](repeating: 0, count: active.count * T)
            let sel = inputs.select(types: types, units: area.map { .cellsInArea(g, $0) } ?? .cells(g, bbox: nil))
            selection = sel
            for i in 0 ..< t.count where sel.used[i] {
                counts[pos[Int(ids[i])] * T + months.offset(ofIndex: Int(t.monthIndex[i]))!] += 1
            }
            units = active.map(String.init)
            unitX = active.map { g.centreX(col: $0 % g.ncols) }
            unitY = active.map { g.centreY(row: $0 / g.ncols) }
            note = "grid cells of \(g.label) with at least one incident of any type in any month (\(active.count) of \(g.cellCount))"
            h = kdeBandwidth ?? 3 * g.cell
        } else {
            grid = nil
            guard let sa = inputs.study else { throw RuntimeError("the LSOA study area could not be determined") }
            units = sa.lsoaCodes
            let sel = inputs.select(types: types, units: .lsoa(sa))
            selection = sel
            counts = inputs.lsoaMonthCounts(units: units, used: sel.used)
            note = "LSOAs of the study area (\(sa.districts.count) districts, \(units.count) LSOAs, zeros included)"
            let geo = LSOAGeometry(units, boundaries, missingPath: boundariesPath)
            unitArea = geo.area
            note += geo.note
            unitX = geo.centroidX; unitY = geo.centroidY
            h = kdeBandwidth ?? PanelInputs.defaultLSOAKDEBandwidth
        }
        var p = Panel(units: units, months: months, counts: counts)
        if unitX.contains(where: \.isFinite) {
            p.kdePast = KDEPast.build(unitX: unitX, unitY: unitY, pointX: px, pointY: py, pointMonth: pm, months: T, kernel: try Kernel(.quartic, bandwidth: h))
            note += "; kde_past: quartic, radius \(h.shortDescription) m, mean monthly density per km² of all earlier months"
            self.kdeBandwidth = h
        } else { self.kdeBandwidth = nil }
        panel = p
        area = unitArea
        self.note = note
    }
}

/// LSOA areas (for PAI) and centroids (for kde_past) from the boundaries, when every unit is in them.
struct LSOAGeometry {
    var area: [Double]?
    var centroidX: [Double], centroidY: [Double]
    var note = ""

    init(_ units: [String], _ boundaries: LSOABoundaries?, missingPath: String) {
        centroidX = [Double](repeating: .nan, count: units.count)
        centroidY = centroidX
        guard let boundaries else {
            note = "; PAI treats LSOAs as equal-area and kde_past is unavailable ('\(missingPath)' not found)"
            return
        }
        let path = boundaries.path, index = boundaries.index, polys = boundaries.polygons
        var allFound = true
        var areas: [Double] = []
        for (u, c) in units.enumerated() {
            guard let b = index[c] else { allFound = false; areas.append(.nan); continue }
            areas.append(polys[b].area)
            let ct = polys[b].centroid
            centroidX[u] = ct.x; centroidY[u] = ct.y
        }
        if allFound { area = areas; note = "; PAI uses LSOA areas from \(path)" } else {
            note = "; PAI treats LSOAs as equal-area (not every LSOA is in \(path))"
        }
    }
}
