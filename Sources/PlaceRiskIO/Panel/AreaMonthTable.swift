import PlaceRiskCore

/// A ready area × month counts table for `evaluate --table`: any areas (LSOAs, grid cells, beats,
/// a published example's treated and control areas) with one count per month.
///
/// Columns by header name (first alias that matches): area `area`, `unit`, `lsoa_code`, `LSOA code`,
/// `cell`, `cell_id`; month `month`, `Month` (`YYYY-MM`); count `count`, `Crime Count`, `n`.
/// One row per (area, month); a repeated pair, a bad month or a count that is not a whole number ≥ 0
/// is an error naming file, line and column. A pair absent from the table counts as 0 and is
/// reported in `absentPairs`.
public struct AreaMonthTable: Sendable {
    public static let areaAliases = ["area", "unit", "lsoa_code", "LSOA code", "cell", "cell_id"]
    public static let monthAliases = ["month", "Month"]
    public static let countAliases = ["count", "Crime Count", "crime_count", "n"]

    public let path: String
    /// Areas in first-appearance order.
    public let areas: [String]
    public let months: MonthRange
    /// `counts[a · T + t]`.
    public let counts: [Double]
    public let rowsRead: Int
    public let absentPairs: Int

    public static func read(path: String) throws(CSVError) -> AreaMonthTable {
        var r = try CSVReader(path: path)
        guard try r.next() else { throw CSVError(.empty, file: path, line: 1, column: 1) }
        let header = r.fields.map { $0.trimmingCharacters() }
        func find(_ names: [String]) -> Int? { names.lazy.compactMap { header.firstIndex(of: $0) }.first }
        guard let cA = find(areaAliases) else { throw CSVError(.missingColumnAmong("area", found: header), file: path, line: 1, column: 1) }
        guard let cM = find(monthAliases) else { throw CSVError(.missingColumnAmong("month", found: header), file: path, line: 1, column: 1) }
        guard let cC = find(countAliases) else { throw CSVError(.missingColumnAmong("count", found: header), file: path, line: 1, column: 1) }
        let body = try KeyMonthCounts(&r, path: path, header: header, key: cA, month: cM, count: cC, keyWhat: "an area name", keyNoun: "area")
        return AreaMonthTable(path: path, areas: body.keys, months: body.months, counts: body.counts, rowsRead: body.rowsRead, absentPairs: body.absentPairs)
    }

    /// The monthly series of `area` (nil when the table has no such area).
    public func series(_ area: String) -> [Double]? {
        guard let a = areas.firstIndex(of: area) else { return nil }
        let T = months.count
        return Array(counts[a * T ..< (a + 1) * T])
    }
}
