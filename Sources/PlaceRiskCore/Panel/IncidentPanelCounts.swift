/// Unit × month counts of loaded incidents for the risk-model panel and the report, from the rows an
/// `IncidentSelection` uses (the one rule for which rows count), so every count of incidents goes through
/// one path and one ledger.
///
/// Layout: `counts[u · T + t]`, T = `months.count`, t the month's offset in `months`.
public enum IncidentPanelCounts {
    /// Counts per LSOA × month of the `used` rows for the LSOAs `units` (in that order). Every used row must
    /// fall in one of the units (the selection's unit rule guarantees it; anything else is a programmer error).
    public static func lsoaMonth(_ t: IncidentTable, used: [Bool], units: [String], months: MonthRange) -> [Double] {
        precondition(used.count == t.count, "IncidentPanelCounts.lsoaMonth: one flag per row")
        let T = months.count
        let pos = Dictionary(units.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let unitOfID = t.lsoaCodes.map { pos[$0] ?? -1 }
        var counts = [Double](repeating: 0, count: units.count * T)
        for i in 0 ..< t.count where used[i] {
            let l = t.lsoaID[i], u = l >= 0 ? unitOfID[Int(l)] : -1
            precondition(u >= 0, "IncidentPanelCounts.lsoaMonth: a used row has no unit")
            guard let m = months.offset(ofIndex: Int(t.monthIndex[i])) else { preconditionFailure("IncidentPanelCounts.lsoaMonth: a used row is outside the months") }
            counts[u * T + m] += 1
        }
        return counts
    }

    /// Counts per LSOA of the `used` rows (all their months together) for the LSOAs `units`; every used
    /// row must fall in one of them.
    public static func perLSOA(_ t: IncidentTable, used: [Bool], units: [String]) -> [Double] {
        precondition(used.count == t.count, "IncidentPanelCounts.perLSOA: one flag per row")
        let pos = Dictionary(units.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let unitOfID = t.lsoaCodes.map { pos[$0] ?? -1 }
        var counts = [Double](repeating: 0, count: units.count)
        for i in 0 ..< t.count where used[i] {
            let l = t.lsoaID[i], u = l >= 0 ? unitOfID[Int(l)] : -1
            precondition(u >= 0, "IncidentPanelCounts.perLSOA: a used row has no unit")
            counts[u] += 1
        }
        return counts
    }

    /// The cells of a grid panel and their counts.
    public struct Cells: Sendable {
        /// Cell ids (row-major from the lower-left, `Grid` convention) of the panel's units, ascending.
        public let cells: [Int]
        /// `counts[u · T + t]` of the used rows.
        public let counts: [Double]
    }

    /// The grid panel: the cells holding at least one located incident of any type in any month — within
    /// `area` when one is given (rows whose LSOA is in it) — and the counts of the `used` rows in them.
    /// A cell with no incident at all is not part of the study area (it is sea, moor or outside the force).
    public static func cellMonth(_ t: IncidentTable, used: [Bool], grid g: Grid, months: MonthRange, area: StudyArea?) -> Cells {
        precondition(used.count == t.count, "IncidentPanelCounts.cellMonth: one flag per row")
        let T = months.count
        let ids = GridBinning.cellIDs(x: t.x.indices.map { t.location[$0] == .projected ? t.x[$0] : .nan }, y: t.y, grid: g)
        let inArea = area.map { sa in t.lsoaCodes.map { sa.contains(lsoa: $0) } }
        var any = [Bool](repeating: false, count: g.cellCount)
        for i in 0 ..< t.count where ids[i] >= 0 {
            if let m = inArea { guard t.lsoaID[i] >= 0, m[Int(t.lsoaID[i])] else { continue } }
            any[Int(ids[i])] = true
        }
        let active = (0 ..< g.cellCount).filter { any[$0] }
        var pos = [Int](repeating: -1, count: g.cellCount)
        for (k, c) in active.enumerated() { pos[c] = k }
        var counts = [Double](repeating: 0, count: active.count * T)
        for i in 0 ..< t.count where used[i] {
            let c = Int(ids[i])
            precondition(c >= 0 && pos[c] >= 0, "IncidentPanelCounts.cellMonth: a used row is in no panel cell")
            guard let m = months.offset(ofIndex: Int(t.monthIndex[i])) else { preconditionFailure("IncidentPanelCounts.cellMonth: a used row is outside the months") }
            counts[pos[c] * T + m] += 1
        }
        return Cells(cells: active, counts: counts)
    }

    /// The located incidents of `types` (nil: all) in `months`, as points with their month offset: what
    /// kde_past smooths (the points of every unit, inside the panel's units or not, as a KDE sums every
    /// point within its support).
    public static func pastPoints(_ t: IncidentTable, types: Set<CrimeType>?, months: MonthRange) -> (x: [Double], y: [Double], month: [Int]) {
        let keep = t.crimeTypes.map { types?.contains($0) ?? true }
        var px: [Double] = [], py: [Double] = [], pm: [Int] = []
        for i in 0 ..< t.count where keep[Int(t.crimeTypeID[i])] && t.location[i] == .projected {
            guard let m = months.offset(ofIndex: Int(t.monthIndex[i])) else { continue }
            px.append(t.x[i]); py.append(t.y[i]); pm.append(m)
        }
        return (px, py, pm)
    }

    /// Monthly counts per crime type of the `used` rows, `[t]` per type present.
    public static func typeMonth(_ t: IncidentTable, used: [Bool], months: MonthRange) -> [CrimeType: [Double]] {
        precondition(used.count == t.count, "IncidentPanelCounts.typeMonth: one flag per row")
        var out: [CrimeType: [Double]] = [:]
        for i in 0 ..< t.count where used[i] {
            guard let m = months.offset(ofIndex: Int(t.monthIndex[i])) else { preconditionFailure("IncidentPanelCounts.typeMonth: a used row is outside the months") }
            out[t.crimeType(i), default: [Double](repeating: 0, count: months.count)][m] += 1
        }
        return out
    }
}
