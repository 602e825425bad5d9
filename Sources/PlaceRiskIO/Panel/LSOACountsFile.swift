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
        var codeIndex: [String: Int] = [:], codes: [String] = [], names: [String: String] = [:], not2011 = Set<String>()
        var triples: [(u: Int, m: YearMonth, c: Double, line: Int)] = []
        var read = 0
        while try r.next() {
            read += 1
            try r.requireFieldCount(header.count)
            let code = r.string(cL).trimmingCharacters()
            guard !code.isEmpty else {
                throw CSVError(.badValue(column: header[cL], value: "", expected: "an LSOA code"), file: path, line: r.recordLine, column: r.column(ofField: cL))
            }
            guard let m = YearMonth(r.string(cM).trimmingCharacters()) else {
                throw CSVError(.badValue(column: header[cM], value: r.string(cM), expected: "a month YYYY-MM"), file: path, line: r.recordLine, column: r.column(ofField: cM))
            }
            guard let c = r.withField(cC, { ASCIINumber.parseDouble($0) }), c >= 0, c == c.rounded() else {
                throw CSVError(.badValue(column: header[cC], value: r.string(cC), expected: "a whole number >= 0"), file: path, line: r.recordLine, column: r.column(ofField: cC))
            }
            let u: Int
            if let k = codeIndex[code] { u = k } else {
                u = codes.count; codeIndex[code] = u; codes.append(code)
                if let cN { names[code] = r.string(cN) }
            }
            if let cV, r.string(cV).lowercased() == "false" { not2011.insert(code) }
            triples.append((u, m, c, r.recordLine))
        }
        guard let lo = triples.map(\.m).min(), let hi = triples.map(\.m).max() else {
            throw CSVError(.empty, file: path, line: 2, column: 1)
        }
        let months = MonthRange(lo, hi), T = months.count
        var counts = [Double](repeating: 0, count: codes.count * T)
        var seen = [Bool](repeating: false, count: codes.count * T)
        for (u, m, c, line) in triples {
            let k = u * T + months.first.distance(to: m)
            guard !seen[k] else {
                throw CSVError(.badValue(column: header[cM], value: m.description, expected: "one row per LSOA and month (\(codes[u]) \(m) appears twice)"),
                               file: path, line: line, column: 1)
            }
            seen[k] = true
            counts[k] = c
        }
        return LSOACountsFile(path: path, codes: codes, names: names, months: months, counts: counts, rowsRead: read,
                              not2011: not2011, absentPairs: seen.lazy.filter { !$0 }.count)
    }
}
