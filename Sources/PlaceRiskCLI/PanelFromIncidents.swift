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
        let t = inputs.table, months = inputs.months
        var units: [String] = [], counts: [Double] = []
        var unitX: [Double] = [], unitY: [Double] = []
        let past = IncidentPanelCounts.pastPoints(t, types: types, months: months)
        var unitArea: [Double]?
        var note: String
        var h: Double
        if unit == .cell {
            if opts.grid == nil, opts.cell == nil { opts.cell = 500 }
            let g = try inputs.grid(opts, quiet: quiet, io: io)
            grid = g
            // An explicit area (--area, --districts): only its incidents make cells and counts.
            let area = inputs.explicitArea
            let sel = inputs.select(types: types, units: area.map { .cellsInArea(g, $0) } ?? .cells(g, bbox: nil))
            selection = sel
            let cells = IncidentPanelCounts.cellMonth(t, used: sel.used, grid: g, months: months, area: area)
            let active = cells.cells
            counts = cells.counts
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
            counts = IncidentPanelCounts.lsoaMonth(t, used: sel.used, units: units, months: months)
            note = "LSOAs of the study area (\(sa.districts.count) districts, \(units.count) LSOAs, zeros included)"
            let geo = LSOAGeometry(units, boundaries, missingPath: boundariesPath)
            unitArea = geo.area
            note += geo.note
            unitX = geo.centroidX; unitY = geo.centroidY
            h = kdeBandwidth ?? PanelInputs.defaultLSOAKDEBandwidth
        }
        var p = Panel(units: units, months: months, counts: counts)
        if unitX.contains(where: \.isFinite) {
            p.kdePast = KDEPast.build(unitX: unitX, unitY: unitY, pointX: past.x, pointY: past.y, pointMonth: past.month, months: months.count, kernel: try Kernel(.quartic, bandwidth: h))
            note += "; kde_past: quartic, radius \(h.shortDescription) m, mean monthly density per km² of all earlier months"
            self.kdeBandwidth = h
        } else { self.kdeBandwidth = nil }
        panel = p
        area = unitArea
        self.note = note
    }
}
