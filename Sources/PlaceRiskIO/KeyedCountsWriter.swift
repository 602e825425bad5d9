import PlaceRiskCore

/// Writes keyed counts as CSV (sorted by key) or, for per-cell totals, as an ESRI ASCII grid.
///
/// CSV headers (units: counts of incidents; x, y = cell centre in BNG metres, EPSG:27700):
/// ```
/// lsoa,month            lsoa_code,month,count
/// lsoa,month,crime_type lsoa_code,month,crime_type,count
/// lsoa                  lsoa_code,count
/// cell,month            cell_id,row,col,x,y,month,count
/// cell                  cell_id,row,col,x,y,count
/// ```
/// A `weighted` column follows `count` when weights were given. `cell_id = row · ncols + col`,
/// row 0 south. Without zero-fill only non-zero keys are written.
public enum KeyedCountsWriter {
    public static func header(for key: AggregationKey, weighted: Bool) -> [String] {
        var h: [String]
        switch key {
        case .lsoaMonth: h = ["lsoa_code", "month", "count"]
        case .lsoaMonthCrimeType: h = ["lsoa_code", "month", "crime_type", "count"]
        case .lsoa: h = ["lsoa_code", "count"]
        case .cellMonth: h = ["cell_id", "row", "col", "x", "y", "month", "count"]
        case .cell: h = ["cell_id", "row", "col", "x", "y", "count"]
        }
        if weighted { h.append("weighted") }
        return h
    }

    /// The unit's leading columns: `cell_id,row,col,x,y` (cell centre, BNG metres) for cells, else its label.
    static func unitColumns(_ u: Int, _ kc: KeyedCounts, unitLabels: [String], grid: Grid?) -> [String] {
        guard kc.key.byCell, let g = grid else { return [unitLabels[u]] }
        let r = u / g.ncols, c = u % g.ncols
        return [String(u), String(r), String(c), g.centreX(col: c).shortDescription, g.centreY(row: r).shortDescription]
    }

    /// Writes CSV rows to `w`; returns the number of data rows written.
    @discardableResult
    public static func writeCSV(_ kc: KeyedCounts, unitLabels: [String], grid: Grid?, zeroFill: Bool, to w: CSVWriter) throws(CSVError) -> Int {
        precondition(!kc.key.byCell || grid != nil, "KeyedCountsWriter: cell keys need the grid")
        try w.writeRow(header(for: kc.key, weighted: kc.sums != nil))
        let months: [String] = kc.key.byMonth ? kc.months!.map(\.description) : [""]
        let types = kc.key.byCrimeType ? kc.crimeTypes.map(\.label) : [""]
        var rows = 0
        for u in 0 ..< kc.unitCount {
            let unitPrefix = Self.unitColumns(u, kc, unitLabels: unitLabels, grid: grid)
            for m in 0 ..< kc.monthCount {
                for t in 0 ..< kc.typeCount {
                    let idx = kc.index(unit: u, month: m, type: t)
                    let c = kc.counts[idx]
                    if c == 0 && !zeroFill { continue }
                    var row = unitPrefix
                    if kc.key.byMonth { row.append(months[m]) }
                    if kc.key.byCrimeType { row.append(types[t]) }
                    row.append(String(c))
                    if let s = kc.sums { row.append(s[idx].shortDescription) }
                    try w.writeRow(row)
                    rows += 1
                }
            }
        }
        return rows
    }
}
