import PlaceRiskCore

/// Term dates (`timeofday --school-terms FILE`): a CSV of date ranges, columns `start,end` (aliases
/// `from,to`, `term_start,term_end`; found by name, ignoring case), dates in ISO `YYYY-MM-DD` or
/// `dd/mm/yyyy`, both ends inclusive (a local authority's published term dates, half-terms left out
/// by giving each half as its own row). Defects — an unparseable or impossible date, an end before
/// its start — are errors with file:line:column.
public enum SchoolTerms {
    /// The local day numbers (days since 1970-01-01) in any term.
    public static func load(path: String) throws(CSVError) -> Set<Int> {
        var r = try CSVReader(path: path)
        guard try r.next() else { throw CSVError(.empty, file: path, line: 1, column: 1) }
        var header = r.fields
        if let f = header.first, f.hasPrefix("\u{FEFF}") { header[0] = String(f.dropFirst()) }
        let lower = header.map { Substring($0).trimmingASCIISpaces().lowercased() }
        func find(_ names: [String]) throws(CSVError) -> Int {
            if let i = names.lazy.compactMap({ lower.firstIndex(of: $0) }).first { return i }
            throw CSVError(.missingColumnAmong(names[0], found: header), file: path, line: 1, column: 1)
        }
        let cs = try find(["start", "from", "term_start"]), ce = try find(["end", "to", "term_end"])
        var days = Set<Int>()
        while try r.next() {
            try r.requireFieldCount(header.count)
            func date(_ c: Int) throws(CSVError) -> Int {
                switch r.withField(c, { DateTimeText.parse($0, format: .auto) }) {
                case .success(let p) where p.second == nil: return p.date.days
                case .success: throw CSVError(.badValue(column: header[c], value: r.string(c), expected: "a date without a time"), file: path, line: r.recordLine, column: r.column(ofField: c))
                case .failure(let e):
                    throw CSVError(.badValue(column: header[c], value: r.string(c), expected: e.expected ?? "a date (YYYY-MM-DD or dd/mm/yyyy)"), file: path, line: r.recordLine, column: r.column(ofField: c))
                }
            }
            let a = try date(cs), b = try date(ce)
            guard b >= a else {
                throw CSVError(.io("term ends (\(r.string(ce))) before it starts (\(r.string(cs)))"), file: path, line: r.recordLine, column: r.column(ofField: ce))
            }
            guard b - a <= 366 else {
                throw CSVError(.io("a term of \(b - a + 1) days (more than a year): check the dates"), file: path, line: r.recordLine, column: r.column(ofField: ce))
            }
            for d in a ... b { days.insert(d) }
        }
        guard !days.isEmpty else { throw CSVError(.io("the term dates file has no terms"), file: path, line: 0, column: 0) }
        return days
    }
}
