import PlaceRiskCore

/// A ready LSOA × month counts table (no points), e.g. the 20-month Devon & Cornwall series
/// `lsoa_month_counts.csv` (`LSOA code,LSOA name,Month,Crime Count,LSOA code in 2011 set`).
///
/// Columns are found by header name (first alias that matches):
/// - LSOA code: `LSOA code`, `LSOA code (2011)`, `lsoa_code`, `lsoa`, `LSOA11CD`
/// - month (`YYYY-MM`): `Month`, `month`
/// - count (a whole number ≥ 0): `Crime Count`, `count`, `crime_count`, `n`
/// - optional vintage flag: `LSOA code in 2011 set` (`True`/`False`)
///
/// One row per (code, month); a repeated pair, a bad month or a non-integer count is an error naming
/// file, line and column. A (code, month) pair absent from the table counts as 0 and is reported in
/// `absentPairs`, never silently.
public struct LSOACountsFile: Sendable {
    public static let lsoaAliases = ["LSOA code", "LSOA code (2011)", "lsoa_code", "lsoa", "LSOA11CD"]
    public static let monthAliases = ["Month", "month"]
    public static let countAliases = ["Crime Count", "count", "crime_count", "n"]
    public static let vintageAliases = ["LSOA code in 2011 set"]

    public let path: String
    /// LSOA codes in first-appearance order.
    public let codes: [String]
    public let names: [String: String]
    public let months: MonthRange
    /// `counts[u · T + t]`.
    public let counts: [Double]
    public let rowsRead: Int
    /// Codes the table flags as not in the 2011 LSOA set (2021 codes); empty without the flag column.
    public let not2011: Set<String>
    /// (code, month) pairs of the code × month rectangle that had no row (counted as 0).
    public let absentPairs: Int

    /// True when the header names an LSOA code, a month and a count column (and no coordinates),
    /// i.e. the file is a counts table rather than a police.uk street file.
    public static func looksLike(path: String) -> Bool {
        guard path.lowercased().hasSuffix(".csv"), let h = try? CSVReader.header(path: path) else { return false }
        let has = { (aliases: [String]) in aliases.contains { h.contains($0) } }
        return has(lsoaAliases) && has(monthAliases) && has(countAliases) && !h.contains("Longitude")
    }

    public static func read(path: String) throws(CSVError) -> LSOACountsFile {
        var r = try CSVReader(path: path)
        guard try r.next() else { throw CSVError(.empty, file: path, line: 1, column: 1) }
        let header = r.fields.map { $0.trimmingCharacters() }
        func find(_ names: [String]) -> Int? { names.lazy.compactMap { header.firstIndex(of: $0) }.first }
        guard let cL = find(lsoaAliases) else { throw CSVError(.missingColumn(lsoaAliases[0]), file: path, line: 1, column: 1) }
        guard let cM = find(monthAliases) else { throw CSVError(.missingColumn(monthAliases[0]), file: path, line: 1, column: 1) }
        guard let cC = find(countAliases) else { throw CSVError(.missingColumn(countAliases[0]), file: path, line: 1, column: 1) }
        let cV = find(vintageAliases), cN = find(["LSOA name", "LSOA name (2011)", "lsoa_name"])
        var names: [String: String] = [:], not2011 = Set<String>()
        let body = try KeyMonthCounts(&r, path: path, header: header, key: cL, month: cM, count: cC, keyWhat: "an LSOA code", keyNoun: "LSOA") { row, code, isNew in
            if isNew, let cN { names[code] = row.string(cN) }
            if let cV, row.string(cV).lowercased() == "false" { not2011.insert(code) }
        }
        return LSOACountsFile(path: path, codes: body.keys, names: names, months: body.months, counts: body.counts, rowsRead: body.rowsRead,
                              not2011: not2011, absentPairs: body.absentPairs)
    }
}
