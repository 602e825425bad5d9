import PlaceRiskCore

/// A problem reading or merging IMD 2019 files. Every message names the file, and the line and
/// column where there is one.
public enum IMDError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `IMDTable.load(paths:)` was given no file.
    case noFiles
    /// The CSV itself is malformed (quote, field count, I/O); the wrapped error names file:line:column.
    case csv(CSVError)
    /// The header has no LSOA code column or no data column.
    case unrecognisedFile(file: String, missing: String, headers: [String])
    /// A value that is not what its column holds (not a number, out of range, wrong vintage).
    case badValue(file: String, line: Int, column: Int, header: String, value: String, expected: String)
    /// The same LSOA code twice in one file.
    case duplicateLSOA(file: String, code: String, line: Int, firstLine: Int)
    /// An LSOA of one file that another file lacks.
    case lsoaSetMismatch(file: String, line: Int, code: String, otherFile: String, rows: Int, otherRows: Int)
    /// Two files give different values for the same LSOA and field.
    case conflict(field: String, lsoa: String, firstFile: String, firstLine: Int, firstValue: String,
                  secondFile: String, secondLine: Int, secondValue: String)

    /// One or two sentences, starting with `file:line:column:` where a position is known.
    public var description: String {
        switch self {
        case .noFiles:
            return "No IMD file was given."
        case .csv(let e):
            return e.description
        case let .unrecognisedFile(file, missing, headers):
            let list = headers.map { "'\($0)'" }.joined(separator: ", ")
            return "\(file): not a recognised IMD 2019 file: it has no \(missing). Headers found: \(list)."
        case let .badValue(file, line, column, header, value, expected):
            return "\(file):\(line):\(column): column '\(header)': '\(value)' is not \(expected)."
        case let .duplicateLSOA(file, code, line, firstLine):
            return "\(file):\(line):1: LSOA \(code) appears a second time (first on line \(firstLine))."
        case let .lsoaSetMismatch(file, line, code, otherFile, rows, otherRows):
            return "\(file):\(line):1: LSOA \(code) is not in \(otherFile) (\(rows) LSOAs here, \(otherRows) there). "
                + "Merged IMD files must list the same LSOAs (use lsoaSet: .subsets to add a regional table to a national one)."
        case let .conflict(field, lsoa, firstFile, firstLine, firstValue, secondFile, secondLine, secondValue):
            return "\(secondFile):\(secondLine):1: \(field) of LSOA \(lsoa) is \(secondValue), "
                + "but \(firstFile):\(firstLine) gives \(firstValue)."
        }
    }
}

/// IMD 2019 values per LSOA (2011 codes), merged from any combination of the official files
/// (File 1, File 2, File 6, File 7), the NHSRpopulation score file, the mySociety income/employment
/// scores, the Devon & Cornwall merged table and the compact all-England table (`IMDCompactTable`).
/// Columns are recognised by name (`IMDColumns`).
///
/// Storage is one flat array per field, indexed by row; `row(of:)` maps an LSOA code to its row.
/// Absent values: NaN for scores and population, 0 for ranks and deciles, "" for text.
/// Income and employment scores are rates (0…1) whatever the source unit.
///
/// Merge rules: rows are those of the first file with the most LSOAs, in its order. Files must
/// list the same LSOAs (`lsoaSet: .identical`) or, with `.subsets`, a subset of those rows. A value
/// given by two files must agree — exactly for text, ranks, deciles and population, within
/// `scoreTolerance` for scores — else `IMDError.conflict` names both files and lines.
public struct IMDTable: Sendable {
    /// How the LSOA sets of the merged files must relate.
    public enum LSOASetRule: Sendable {
        /// Every file lists the same LSOAs (e.g. Files 1, 2 and 6 for England).
        case identical
        /// Every file's LSOAs are among those of the largest file (e.g. a regional table plus national files).
        case subsets
    }

    /// A file that went into the table.
    public struct Source: Sendable {
        /// The file's path, as given.
        public let path: String
        /// Number of data rows (LSOAs).
        public let rows: Int
        /// Fields recognised, in header order, then the deciles derived from ranks (compact table).
        public let fields: [IMDField]
        /// Headers not used.
        public let ignoredHeaders: [String]
    }

    /// Largest difference between two files' scores still taken as agreement: half a unit in the
    /// third decimal (NHSRpopulation and the merged table round scores to 3 dp) plus float noise.
    public static let scoreTolerance = 0.0005 + 1e-9

    /// LSOA codes, one per row.
    public private(set) var codes: [String]
    private var rowOfCode: [String: Int]
    /// LSOA names ("" when absent).
    public private(set) var lsoaNames: [String]
    /// 2019 local authority district code per row ("" when absent).
    public private(set) var districtCodes: [String]
    /// 2019 local authority district name per row ("" when absent).
    public private(set) var districtNames: [String]
    /// 2011 MSOA code per row ("" when absent).
    public private(set) var msoaCodes: [String]
    /// House of Commons Library MSOA name per row ("" when absent).
    public private(set) var msoaNames: [String]
    /// IMD score (NaN when absent).
    public private(set) var imdScores: [Double]
    /// IMD rank, 1 = most deprived (0 when absent).
    public private(set) var imdRanks: [Int]
    /// IMD decile, 1 = most deprived 10 % (0 when absent).
    public private(set) var imdDeciles: [Int]
    /// Domain scores, `domainScores[d.index][row]` (NaN when absent or not published).
    public private(set) var domainScores: [[Double]]
    /// Domain ranks, `domainRanks[d.index][row]` (0 when absent).
    public private(set) var domainRanks: [[Int]]
    /// Domain deciles, `domainDeciles[d.index][row]` (0 when absent).
    public private(set) var domainDeciles: [[Int]]
    /// Total population mid-2015 excluding prisoners (NaN when absent).
    public private(set) var populations: [Double]
    /// Number of rows with a value, per field (0 for fields no file gave).
    public private(set) var coverage: [IMDField: Int] = [:]
    /// The files merged, in the order given.
    public private(set) var sources: [Source] = []

    private init(codes: [String]) {
        let n = codes.count, domains = IMDComposite.Domain.allCases.count
        self.codes = codes
        rowOfCode = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })
        lsoaNames = Array(repeating: "", count: n)
        districtCodes = lsoaNames
        districtNames = lsoaNames
        msoaCodes = lsoaNames
        msoaNames = lsoaNames
        imdScores = Array(repeating: .nan, count: n)
        populations = imdScores
        imdRanks = Array(repeating: 0, count: n)
        imdDeciles = imdRanks
        domainScores = Array(repeating: imdScores, count: domains)
        domainRanks = Array(repeating: imdRanks, count: domains)
        domainDeciles = domainRanks
    }

    // MARK: queries

    /// Number of LSOAs (rows).
    public var count: Int { codes.count }

    /// The row of an LSOA code, or nil.
    public func row(of code: String) -> Int? { rowOfCode[code] }

    /// Whether every row has a value for `field`.
    public func has(_ field: IMDField) -> Bool { (coverage[field] ?? 0) == count && count > 0 }

    /// Fields with a value on every row.
    public var presentFields: Set<IMDField> { Set(IMDField.all.filter(has)) }

    /// Fields with a value on some rows but not all (a regional table merged into national files).
    public var partialFields: Set<IMDField> { Set(IMDField.all.filter { (coverage[$0] ?? 0) > 0 && !has($0) }) }

    /// District code of an LSOA (nil when the LSOA or its district is unknown).
    public func districtCode(of lsoa: String) -> String? {
        guard let r = rowOfCode[lsoa], !districtCodes[r].isEmpty else { return nil }
        return districtCodes[r]
    }

    /// Population of an LSOA (nil when unknown).
    public func population(of lsoa: String) -> Double? {
        guard let r = rowOfCode[lsoa], !populations[r].isNaN else { return nil }
        return populations[r]
    }

    /// Scores of one domain, per row (NaN when absent).
    public func scores(_ domain: IMDComposite.Domain) -> [Double] { domainScores[domain.index] }
    /// Ranks of one domain, per row (0 when absent).
    public func ranks(_ domain: IMDComposite.Domain) -> [Int] { domainRanks[domain.index] }
    /// Deciles of one domain, per row (0 when absent).
    public func deciles(_ domain: IMDComposite.Domain) -> [Int] { domainDeciles[domain.index] }

    /// Every LSOA of the given district codes, sorted by code (the study-area rule, conventions §8).
    public func lsoas(inDistricts districts: some Sequence<String>) -> [String] {
        let set = Set(districts)
        return codes.indices.filter { set.contains(districtCodes[$0]) }.map { codes[$0] }.sorted()
    }

    /// LSOA → district lookup (for `StudyArea`); LSOAs without a district are left out.
    public var districtLookup: DistrictLookup {
        var map: [String: String] = [:], names: [String: String] = [:]
        for r in codes.indices where !districtCodes[r].isEmpty {
            map[codes[r]] = districtCodes[r]
            if names[districtCodes[r]] == nil, !districtNames[r].isEmpty { names[districtCodes[r]] = districtNames[r] }
        }
        return DistrictLookup(districtOfLSOA: map, districtNames: names)
    }

    /// The IMD rebuilt from the seven domain ranks (`IMDComposite.scores`, N = 32,844), per row;
    /// NaN where a weighted domain's rank is absent. `.excludingCrime` gives the crime-free index.
    public func rebuiltScores(weights: IMDComposite.Weights = .published) -> [Double] {
        IMDComposite.scores(ranks: domainRanks, weights: weights, count: IMDComposite.englandLSOACount)
    }

    // MARK: loading

    /// Reads and merges IMD 2019 files (see the type's merge rules). Throws `IMDError`.
    public static func load(paths: [String], lsoaSet: LSOASetRule = .identical) throws(IMDError) -> IMDTable {
        guard !paths.isEmpty else { throw IMDError.noFiles }
        var files: [ParsedFile] = []
        for p in paths { files.append(try ParsedFile(path: p)) }
        // Reference rows: the first file with the most LSOAs.
        var ref = 0
        for (k, f) in files.enumerated() where f.codes.count > files[ref].codes.count { ref = k }
        let reference = files[ref]
        for f in files {
            for (i, c) in f.codes.enumerated() where reference.rowOf[c] == nil {
                throw IMDError.lsoaSetMismatch(file: f.path, line: f.lines[i], code: c, otherFile: reference.path,
                                               rows: f.codes.count, otherRows: reference.codes.count)
            }
            if lsoaSet == .identical, f.codes.count != reference.codes.count,
               let i = reference.codes.firstIndex(where: { f.rowOf[$0] == nil }) {
                throw IMDError.lsoaSetMismatch(file: reference.path, line: reference.lines[i], code: reference.codes[i],
                                               otherFile: f.path, rows: reference.codes.count, otherRows: f.codes.count)
            }
        }
        var table = IMDTable(codes: reference.codes)
        // Which file set each field on each row (−1: none yet), to name it in a conflict.
        var owner: [IMDField: [Int32]] = [:]
        for (k, f) in files.enumerated() {
            for (field, column) in f.columns {
                var own = owner[field] ?? Array(repeating: -1, count: table.count)
                for (i, code) in f.codes.enumerated() {
                    let t = table.rowOfCode[code]!
                    guard let incoming = column.value(i) else { continue }
                    if own[t] >= 0 {
                        let existing = table.value(field, t)
                        if !incoming.agrees(with: existing) {
                            let first = files[Int(own[t])]
                            throw IMDError.conflict(field: field.description, lsoa: code, firstFile: first.path,
                                                    firstLine: first.lines[first.rowOf[code]!], firstValue: existing.text,
                                                    secondFile: f.path, secondLine: f.lines[i], secondValue: incoming.text)
                        }
                    } else {
                        table.set(field, t, incoming)
                        own[t] = Int32(k)
                    }
                }
                owner[field] = own
            }
            table.sources.append(Source(path: f.path, rows: f.codes.count, fields: f.columns.map(\.0), ignoredHeaders: f.ignored))
        }
        for (field, own) in owner { table.coverage[field] = own.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } }
        return table
    }

    /// The value of `field` on row `r` (only called where a file has set it).
    private func value(_ field: IMDField, _ r: Int) -> Value {
        switch field {
        case .lsoaName: return .text(lsoaNames[r])
        case .districtCode: return .text(districtCodes[r])
        case .districtName: return .text(districtNames[r])
        case .msoaCode: return .text(msoaCodes[r])
        case .msoaName: return .text(msoaNames[r])
        case .imdScore: return .real(imdScores[r])
        case .imdRank: return .integer(imdRanks[r])
        case .imdDecile: return .integer(imdDeciles[r])
        case .domainScore(let d): return .real(domainScores[d.index][r])
        case .domainRank(let d): return .integer(domainRanks[d.index][r])
        case .domainDecile(let d): return .integer(domainDeciles[d.index][r])
        case .population: return .integer(Int(populations[r]))
        }
    }

    private mutating func set(_ field: IMDField, _ r: Int, _ v: Value) {
        switch (field, v) {
        case (.lsoaName, .text(let s)): lsoaNames[r] = s
        case (.districtCode, .text(let s)): districtCodes[r] = s
        case (.districtName, .text(let s)): districtNames[r] = s
        case (.msoaCode, .text(let s)): msoaCodes[r] = s
        case (.msoaName, .text(let s)): msoaNames[r] = s
        case (.imdScore, .real(let x)): imdScores[r] = x
        case (.imdRank, .integer(let n)): imdRanks[r] = n
        case (.imdDecile, .integer(let n)): imdDeciles[r] = n
        case (.domainScore(let d), .real(let x)): domainScores[d.index][r] = x
        case (.domainRank(let d), .integer(let n)): domainRanks[d.index][r] = n
        case (.domainDecile(let d), .integer(let n)): domainDeciles[d.index][r] = n
        case (.population, .integer(let n)): populations[r] = Double(n)
        default: preconditionFailure("IMDTable: \(field) cannot hold \(v)")
        }
    }
}

/// One cell value while merging.
private enum Value: CustomStringConvertible {
    case text(String)
    case integer(Int)
    case real(Double)

    func agrees(with other: Value) -> Bool {
        switch (self, other) {
        case let (.text(a), .text(b)): return a == b
        case let (.integer(a), .integer(b)): return a == b
        case let (.real(a), .real(b)): return abs(a - b) <= IMDTable.scoreTolerance
        default: return false
        }
    }

    var text: String {
        switch self {
        case .text(let s): return "'\(s)'"
        case .integer(let n): return String(n)
        case .real(let x): return String(x)
        }
    }

    var description: String { text }
}

/// One file read into columns (values per file row), before merging.
private struct ParsedFile {
    /// A column's values; nil where the cell is empty.
    enum Column {
        case text([String])
        case integer([Int?])
        case real([Double?])

        func value(_ i: Int) -> Value? {
            switch self {
            case .text(let a): return a[i].isEmpty ? nil : .text(a[i])
            case .integer(let a): return a[i].map(Value.integer)
            case .real(let a): return a[i].map(Value.real)
            }
        }
    }

    let path: String
    var codes: [String] = []
    var lines: [Int] = []
    var rowOf: [String: Int] = [:]
    var columns: [(IMDField, Column)] = []
    var ignored: [String] = []

    init(path: String) throws(IMDError) {
        self.path = path
        do {
            try read()
        } catch let e as IMDError {
            throw e
        } catch let e as CSVError {
            throw IMDError.csv(e)
        } catch {
            preconditionFailure("IMDTable: unexpected error \(error)")
        }
    }

    private mutating func read() throws {
        var r = try CSVReader(path: path)
        guard try r.next() else { throw CSVError(.empty, file: path, line: 1, column: 1) }
        let header = r.fields
        let rec = try IMDColumns.recognise(header: header, file: path)
        ignored = rec.ignored
        var texts = rec.columns.map { _ in [String]() }
        var ints = rec.columns.map { _ in [Int?]() }
        var reals = rec.columns.map { _ in [Double?]() }
        while try r.next() {
            try r.requireFieldCount(header.count)
            let line = r.recordLine
            let code = r.string(rec.lsoaCode)
            guard Self.isLSOACode(code) else {
                throw IMDError.badValue(file: path, line: line, column: r.column(ofField: rec.lsoaCode), header: header[rec.lsoaCode],
                                        value: code, expected: "an LSOA code (a letter and 8 digits, e.g. E01000001)")
            }
            if let first = rowOf[code] {
                throw IMDError.duplicateLSOA(file: path, code: code, line: line, firstLine: lines[first])
            }
            rowOf[code] = codes.count
            codes.append(code)
            lines.append(line)
            for v in rec.vintage where r.string(v.index) != v.value {
                throw IMDError.badValue(file: path, line: line, column: r.column(ofField: v.index), header: header[v.index],
                                        value: r.string(v.index), expected: "\(v.value) (IMD 2019 uses 2011 LSOAs and 2019 districts)")
            }
            for (k, c) in rec.columns.enumerated() {
                switch c.unit {
                case .text:
                    texts[k].append(r.string(c.index))
                case .rank, .decile, .count:
                    ints[k].append(try Self.integer(r, c, line: line, path: path))
                case .points, .rate, .percent:
                    reals[k].append(try Self.real(r, c, line: line, path: path))
                }
            }
        }
        for (k, c) in rec.columns.enumerated() {
            switch c.unit {
            case .text: columns.append((c.field, .text(texts[k])))
            case .rank, .decile, .count: columns.append((c.field, .integer(ints[k])))
            case .points, .rate, .percent: columns.append((c.field, .real(reals[k])))
            }
        }
        if rec.derivesDeciles { deriveDeciles() }
    }

    /// Adds, for the IMD and each domain with a rank column but no decile column, the deciles
    /// `IMDCompactTable.decile(ofRank:)` of the ranks (the compact table's rule).
    private mutating func deriveDeciles() {
        let pairs = [(IMDField.imdRank, IMDField.imdDecile)] + IMDComposite.Domain.allCases.map { (IMDField.domainRank($0), IMDField.domainDecile($0)) }
        for (rankField, decileField) in pairs where !columns.contains(where: { $0.0 == decileField }) {
            guard let ranks = columns.first(where: { $0.0 == rankField }), case .integer(let values) = ranks.1 else { continue }
            columns.append((decileField, .integer(values.map { $0.map { IMDCompactTable.decile(ofRank: $0) } })))
        }
    }

    /// A letter followed by 8 digits (the GSS code shape, e.g. E01000001).
    static func isLSOACode(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 9, (0x41 ... 0x5A).contains(u[0]) else { return false }
        return u.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    private static func bad(_ r: CSVReader, _ c: IMDColumns.Column, line: Int, path: String, _ expected: String) -> IMDError {
        IMDError.badValue(file: path, line: line, column: r.column(ofField: c.index), header: c.header, value: r.string(c.index), expected: expected)
    }

    /// A rank, decile or head count; nil for an empty cell.
    private static func integer(_ r: CSVReader, _ c: IMDColumns.Column, line: Int, path: String) throws(IMDError) -> Int? {
        if r.isEmpty(c.index) { return nil }
        let x = r.withField(c.index) { IMDColumns.parseNumber($0) }
        let n = IMDComposite.englandLSOACount
        switch c.unit {
        case .rank:
            guard let x, x == x.rounded(), x >= 1, x <= Double(n) else { throw bad(r, c, line: line, path: path, "a rank from 1 to \(n)") }
            return Int(x)
        case .decile:
            guard let x, x == x.rounded(), x >= 1, x <= 10 else { throw bad(r, c, line: line, path: path, "a decile from 1 to 10") }
            return Int(x)
        default:
            guard let x, x == x.rounded(), x >= 0, x < 1e9 else { throw bad(r, c, line: line, path: path, "a whole number of people") }
            return Int(x)
        }
    }

    /// A score (rates as is, percentages ÷ 100); nil for an empty cell.
    private static func real(_ r: CSVReader, _ c: IMDColumns.Column, line: Int, path: String) throws(IMDError) -> Double? {
        if r.isEmpty(c.index) { return nil }
        guard let x = r.withField(c.index, { IMDColumns.parseNumber($0) }) else { throw bad(r, c, line: line, path: path, "a number") }
        switch c.unit {
        case .rate:
            guard x >= 0, x <= 1 else { throw bad(r, c, line: line, path: path, "a rate between 0 and 1 (is it a percentage?)") }
            return x
        case .percent:
            guard x >= 0, x <= 100 else { throw bad(r, c, line: line, path: path, "a percentage between 0 and 100") }
            return x / 100
        default:
            return x
        }
    }
}
