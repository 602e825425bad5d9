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
        var index: [String: Int] = [:], areas: [String] = []
        var triples: [(a: Int, m: YearMonth, c: Double, line: Int)] = []
        var read = 0
        while try r.next() {
            read += 1
            try r.requireFieldCount(header.count)
            let a = r.string(cA).trimmingCharacters()
            guard !a.isEmpty else {
                throw CSVError(.badValue(column: header[cA], value: "", expected: "an area name"), file: path, line: r.recordLine, column: r.column(ofField: cA))
            }
            guard let m = YearMonth(r.string(cM).trimmingCharacters()) else {
                throw CSVError(.badValue(column: header[cM], value: r.string(cM), expected: "a month YYYY-MM"), file: path, line: r.recordLine, column: r.column(ofField: cM))
            }
            guard let c = r.withField(cC, { ASCIINumber.parseDouble($0) }), c >= 0, c == c.rounded() else {
                throw CSVError(.badValue(column: header[cC], value: r.string(cC), expected: "a whole number >= 0"), file: path, line: r.recordLine, column: r.column(ofField: cC))
            }
            let k: Int
            if let i = index[a] { k = i } else { k = areas.count; index[a] = k; areas.append(a) }
            triples.append((k, m, c, r.recordLine))
        }
        guard let lo = triples.map(\.m).min(), let hi = triples.map(\.m).max() else { throw CSVError(.empty, file: path, line: 2, column: 1) }
        let months = MonthRange(lo, hi), T = months.count
        var counts = [Double](repeating: 0, count: areas.count * T), seen = [Bool](repeating: false, count: areas.count * T)
        for (a, m, c, line) in triples {
            let k = a * T + months.first.distance(to: m)
            guard !seen[k] else {
                throw CSVError(.badValue(column: header[cM], value: m.description, expected: "one row per area and month (\(areas[a]) \(m) appears twice)"),
                               file: path, line: line, column: 1)
            }
            seen[k] = true
            counts[k] = c
        }
        return AreaMonthTable(path: path, areas: areas, months: months, counts: counts, rowsRead: read, absentPairs: seen.lazy.filter { !$0 }.count)
    }

    /// The monthly series of `area` (nil when the table has no such area).
    public func series(_ area: String) -> [Double]? {
        guard let a = areas.firstIndex(of: area) else { return nil }
        let T = months.count
        return Array(counts[a * T ..< (a + 1) * T])
    }
}
