import PlaceRiskCore

/// The body of a key × month × count CSV (an LSOA counts table, an area × month table) as a dense
/// key × month rectangle, the one reading rule both tables follow:
///
/// - each row: a non-empty key (trimmed), a month `YYYY-MM`, a count that is a whole number ≥ 0 —
///   anything else is an error naming file, line and column;
/// - keys in first-appearance order; months from the earliest to the latest row;
/// - one row per (key, month): a repeated pair is an error at its line; a pair absent from the table
///   counts as 0 and is reported in `absentPairs`, never silently.
struct KeyMonthCounts {
    let keys: [String]
    let months: MonthRange
    /// `counts[k · T + t]`.
    let counts: [Double]
    let rowsRead: Int
    let absentPairs: Int

    /// Reads the rows after the header; `keyWhat` names a key in messages ("an LSOA code"), `keyNoun`
    /// in the repeated-pair message ("LSOA"); `row` sees each row with its key and whether the key is new.
    init(_ r: inout CSVReader, path: String, header: [String], key cK: Int, month cM: Int, count cC: Int,
         keyWhat: String, keyNoun: String, row: (CSVReader, String, Bool) -> Void = { _, _, _ in }) throws(CSVError) {
        var index: [String: Int] = [:], keys: [String] = []
        var triples: [(k: Int, m: YearMonth, c: Double, line: Int)] = []
        var read = 0
        while try r.next() {
            read += 1
            try r.requireFieldCount(header.count)
            let key = r.string(cK).trimmingCharacters()
            guard !key.isEmpty else {
                throw CSVError(.badValue(column: header[cK], value: "", expected: keyWhat), file: path, line: r.recordLine, column: r.column(ofField: cK))
            }
            guard let m = YearMonth(r.string(cM).trimmingCharacters()) else {
                throw CSVError(.badValue(column: header[cM], value: r.string(cM), expected: "a month YYYY-MM"), file: path, line: r.recordLine, column: r.column(ofField: cM))
            }
            guard let c = r.withField(cC, { ASCIINumber.parseDouble($0) }), c >= 0, c == c.rounded() else {
                throw CSVError(.badValue(column: header[cC], value: r.string(cC), expected: "a whole number >= 0"), file: path, line: r.recordLine, column: r.column(ofField: cC))
            }
            let k: Int, isNew: Bool
            if let i = index[key] { k = i; isNew = false } else { k = keys.count; index[key] = k; keys.append(key); isNew = true }
            row(r, key, isNew)
            triples.append((k, m, c, r.recordLine))
        }
        guard let lo = triples.map(\.m).min(), let hi = triples.map(\.m).max() else { throw CSVError(.empty, file: path, line: 2, column: 1) }
        let months = MonthRange(lo, hi), T = months.count
        var counts = [Double](repeating: 0, count: keys.count * T), seen = [Bool](repeating: false, count: keys.count * T)
        for (k, m, c, line) in triples {
            let j = k * T + months.first.distance(to: m)
            guard !seen[j] else {
                throw CSVError(.badValue(column: header[cM], value: m.description, expected: "one row per \(keyNoun) and month (\(keys[k]) \(m) appears twice)"),
                               file: path, line: line, column: 1)
            }
            seen[j] = true
            counts[j] = c
        }
        self.keys = keys
        self.months = months
        self.counts = counts
        rowsRead = read
        absentPairs = seen.lazy.filter { !$0 }.count
    }
}
