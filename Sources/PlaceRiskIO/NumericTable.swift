import PlaceRiskCore

/// Numeric columns read from a CSV by header name, for regression on a table a researcher brings.
///
/// A row with an empty (or `NA`/`NaN`) value in any requested column is skipped and counted, with
/// its line numbers reported; a non-numeric value is an error naming file, line and column.
public struct NumericTable: Sendable {
    public let names: [String]
    /// Row-major values, rows × names.count.
    public let values: [Double]
    public let rows: Int
    public let rowsRead: Int
    /// 1-based file lines of the rows skipped for a missing value (first 20).
    public let skippedLines: [Int]
    public let skippedCount: Int

    public func column(_ name: String) -> [Double] {
        let j = names.firstIndex(of: name)!
        return (0 ..< rows).map { values[$0 * names.count + j] }
    }

    public static func read(path: String, columns: [String]) throws(CSVError) -> NumericTable {
        var r = try CSVReader(path: path)
        guard try r.next() else { throw CSVError(.empty, file: path, line: 1, column: 1) }
        let header = r.fields.map { $0.trimmingCharacters() }
        var idx: [Int] = []
        for c in columns {
            guard let i = header.firstIndex(of: c) else { throw CSVError(.missingColumn(c), file: path, line: 1, column: 1) }
            idx.append(i)
        }
        var values: [Double] = [], rows = 0, read = 0, skipped = 0, lines: [Int] = []
        rowLoop: while try r.next() {
            read += 1
            try r.requireFieldCount(header.count)
            for i in idx where r.isEmpty(i) || (r.fieldLength(i) <= 3 && ["NA", "NAN", "N/A"].contains(r.string(i).uppercased())) {
                skipped += 1
                if lines.count < 20 { lines.append(r.recordLine) }
                continue rowLoop
            }
            for i in idx {
                guard let v = r.withField(i, { ASCIINumber.parseDouble($0) }) else {
                    throw CSVError(.badValue(column: header[i], value: r.string(i), expected: "a number"),
                                   file: path, line: r.recordLine, column: r.column(ofField: i))
                }
                values.append(v)
            }
            rows += 1
        }
        return NumericTable(names: columns, values: values, rows: rows, rowsRead: read, skippedLines: lines, skippedCount: skipped)
    }
}
