/// Which loaded incidents an analysis uses, row by row, and the honest row ledger that follows.
///
/// Every command that reads incidents asks the same question of each loaded row, in the same
/// order, so that the ledger of `aggregate`, `report`, `fit`, `backtest`, `score` and `correlate`
/// agrees on the same inputs and filters:
///
/// 1. crime type not analysed → `filtered_crime_type`;
/// 2. month outside the analysed range → `filtered_month`;
/// 3. the unit:
///    - LSOA units: no LSOA code → `no_lsoa`; code outside the study area → `outside_study_area`;
///    - grid cells: no coordinates → `no_coordinates`; outside BNG → `outside_bng_validity`;
///      outside the `bbox` or the grid → `outside_grid`;
///    - located points (KDE): no coordinates / outside BNG, and points farther than `margin`
///      metres beyond the grid's edge (they cannot reach any cell) → `outside_grid`.
///
/// The loader's own ledger (`base`: read, loaded, and what the loader skipped) is carried over and
/// the rows this selection leaves out move from used to their reason, so `read = used + Σ skipped`.
public struct IncidentSelection: Sendable {
    /// What an analysis counts its incidents in.
    public enum Units: Sendable {
        /// LSOAs; with a study area, only its LSOAs (nil: any code).
        case lsoa(StudyArea?)
        /// These LSOAs (an explicit study area, e.g. the LSOAs of a boundaries file).
        case lsoaSet(Set<String>)
        /// Cells of the grid (and inside `bbox` when given).
        case cells(Grid, bbox: BoundingBox?)
        /// Cells of the grid, counting only incidents in the LSOAs of an explicit area (a partnership's
        /// districts): the grid's rectangle also covers the neighbours' streets near the boundary.
        case cellsInArea(Grid, StudyArea)
        /// Located points reaching the grid: inside it, or within `margin` metres of its edge.
        case points(Grid, margin: Double)
    }

    /// `used[i]`: row `i` of the table is counted by the analysis.
    public let used: [Bool]
    /// The ledger after this selection (balanced).
    public let accounting: RowAccounting
    /// Number of rows used.
    public var count: Int { accounting.rowsUsed }

    /// Selects the rows of `table` of `crimeTypes` (nil: all) in `months` (nil: all) that `units` can place.
    public init(_ table: IncidentTable, base: RowAccounting, crimeTypes: Set<CrimeType>?, months: MonthRange?, units: Units) {
        precondition(base.rowsUsed == table.count, "IncidentSelection: the base ledger must count the table's rows as used")
        let n = table.count
        var keep = [Bool](repeating: true, count: n)
        // Skips counted per reason in an array (a dictionary keyed by the reason would hash its raw
        // text for every skipped row).
        let reasons = SkipReason.allCases
        var skipped = [Int](repeating: 0, count: reasons.count)
        let slot = Dictionary(uniqueKeysWithValues: reasons.enumerated().map { ($1, $0) })
        let sType = slot[.filteredCrimeType]!, sMonth = slot[.filteredMonth]!, sNoLSOA = slot[.noLSOA]!, sOutside = slot[.outsideStudyArea]!
        let sNoXY = slot[.noCoordinates]!, sBNG = slot[.outsideBNG]!, sGrid = slot[.outsideGrid]!
        let typeKeep = table.crimeTypes.map { crimeTypes?.contains($0) ?? true }
        let first = months?.first.index ?? Int.min, last = months?.last.index ?? Int.max
        var lsoaKeep: [Bool] = []
        if case .lsoa(let study) = units { lsoaKeep = table.lsoaCodes.map { study?.contains(lsoa: $0) ?? true } }
        if case .lsoaSet(let set) = units { lsoaKeep = table.lsoaCodes.map { set.contains($0) } }
        if case .cellsInArea(_, let study) = units { lsoaKeep = table.lsoaCodes.map { study.contains(lsoa: $0) } }
        for i in 0 ..< n {
            func skip(_ r: Int) { keep[i] = false; skipped[r] += 1 }
            if !typeKeep[Int(table.crimeTypeID[i])] { skip(sType); continue }
            let m = Int(table.monthIndex[i])
            if m < first || m > last { skip(sMonth); continue }
            switch units {
            case .lsoa, .lsoaSet:
                let l = table.lsoaID[i]
                if l < 0 { skip(sNoLSOA) } else if !lsoaKeep[Int(l)] { skip(sOutside) }
            case .cells(let grid, let bbox):
                switch table.location[i] {
                case .noCoordinates: skip(sNoXY)
                case .outsideBNG: skip(sBNG)
                case .projected:
                    let x = table.x[i], y = table.y[i]
                    if let b = bbox, !b.contains(x: x, y: y) { skip(sGrid) } else if grid.cellID(x: x, y: y) == nil { skip(sGrid) }
                }
            case .cellsInArea(let grid, _):
                switch table.location[i] {
                case .noCoordinates: skip(sNoXY)
                case .outsideBNG: skip(sBNG)
                case .projected:
                    if grid.cellID(x: table.x[i], y: table.y[i]) == nil { skip(sGrid); break }
                    let l = table.lsoaID[i]
                    if l < 0 { skip(sNoLSOA) } else if !lsoaKeep[Int(l)] { skip(sOutside) }
                }
            case .points(let grid, let margin):
                switch table.location[i] {
                case .noCoordinates: skip(sNoXY)
                case .outsideBNG: skip(sBNG)
                case .projected:
                    let x = table.x[i], y = table.y[i]
                    if x < grid.xmin - margin || x > grid.xmax + margin || y < grid.ymin - margin || y > grid.ymax + margin { skip(sGrid) }
                }
            }
        }
        var acc = base
        for (j, r) in reasons.enumerated() where skipped[j] > 0 { acc.unuse(skipped[j], because: r) }
        precondition(acc.isBalanced, "IncidentSelection: the ledger does not balance")
        used = keep
        accounting = acc
    }
}
