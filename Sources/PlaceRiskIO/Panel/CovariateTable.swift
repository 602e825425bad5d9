import PlaceRiskCore
import Foundation

/// Static LSOA covariates (IMD 2019 scores and ranks, population, or any numeric column) read from a
/// CSV by header name, for the risk model's `cov:NAME` features.
///
/// The LSOA column is found by the aliases of `DistrictLookupLoader` plus `LSOA code` and `lsoa`.
/// A feature `cov:NAME` names a column either by its exact header or by its **short name**: the header
/// with `Index of Multiple Deprivation (IMD)` replaced by `IMD`, cut at the first `(` or `:`,
/// lower-cased, and every run of other characters turned into `_`. For the IMD 2019 files that gives
/// `imd_score`, `imd_rank`, `imd_decile`, `income_score`, `income_rank`, `employment_score`,
/// `education_skills_and_training_rank`, `health_deprivation_and_disability_rank`, `crime_rank`,
/// `barriers_to_housing_and_services_rank`, `living_environment_rank`, `total_population`, …
///
/// A domain may also be named by its short IMD name (`IMDComposite.Domain.rawValue`): names are matched
/// after `compactName`, so `education_rank` finds `Education, Skills and Training Rank (where 1 is most
/// deprived)` and `education_skills_and_training_rank` finds the compact table's `education_rank`. The
/// compact all-England table (`IMDCompactTable`) holds its columns under these short names
/// (`income_score` and `employment_score` as rates, as in the merged table); its domain deciles, not
/// written, are given as `IMDCompactTable.decile(ofRank:)` of the rank (`crime_decile`, …).
///
/// Values may carry thousands separators (`"1,296"`, as in the official files). A value that is not a
/// number is an error naming file, line and column; an empty value leaves that LSOA without the
/// covariate (reported by the caller as a missing covariate row).
public struct CovariateTable: Sendable {
    public let path: String
    public let names: [String]
    /// Per LSOA code, one value per name (NaN when empty in the file).
    public let rows: [String: [Double]]

    public static let lsoaAliases = DistrictLookupLoader.lsoaAliases + ["LSOA code", "lsoa", "LSOA11CD"]

    /// The short name of a header (see the type's documentation).
    public static func shortName(_ header: String) -> String {
        var h = header.replacingOccurrences(of: "Index of Multiple Deprivation (IMD)", with: "IMD")
        if let cut = h.firstIndex(where: { $0 == "(" || $0 == ":" }) { h = String(h[..<cut]) }
        var out = "", pendingUnderscore = false
        for ch in h.lowercased() {
            if ch.isASCII, ch.isLetter || ch.isNumber {
                if pendingUnderscore, !out.isEmpty { out.append("_") }
                pendingUnderscore = false
                out.append(ch)
            } else { pendingUnderscore = true }
        }
        return out
    }

    /// A short name with a domain's long prefix replaced by the domain's short name:
    /// `education_skills_and_training_rank` → `education_rank`, `health_deprivation_and_disability_score`
    /// → `health_score`, `barriers_to_housing_and_services_decile` → `barriers_decile`; others unchanged.
    public static func compactName(_ short: String) -> String {
        for d in IMDComposite.Domain.allCases {
            let long = shortName(d.officialName) + "_"
            if short.hasPrefix(long) { return d.rawValue + "_" + short.dropFirst(long.count) }
        }
        return short
    }

    /// Where a requested column's values come from.
    private enum Source {
        /// A column of the file.
        case column(Int)
        /// The deciles of a rank column (the compact table's unwritten domain deciles).
        case decileOfRank(Int)
    }

    /// Reads the columns `names` (exact headers or short names) for every LSOA in the file.
    public static func read(path: String, columns names: [String]) throws(CSVError) -> CovariateTable {
        var r = try CSVReader(path: path)
        guard try r.next() else { throw CSVError(.empty, file: path, line: 1, column: 1) }
        let header = r.fields.map { $0.trimmingCharacters() }
        guard let cL = lsoaAliases.lazy.compactMap({ header.firstIndex(of: $0) }).first else {
            throw CSVError(.missingColumn(lsoaAliases[0]), file: path, line: 1, column: 1)
        }
        let short = header.map(shortName)
        let compact = short.map(compactName)
        let isCompactTable = IMDCompactTable.isCompact(header: header)
        var sources: [Source] = []
        for n in names {
            let c = compactName(n)
            if let i = header.firstIndex(of: n) ?? short.firstIndex(of: n) ?? compact.firstIndex(of: c) {
                sources.append(.column(i))
            } else if isCompactTable, c.hasSuffix("_decile"), let i = compact.firstIndex(of: String(c.dropLast("_decile".count)) + "_rank") {
                sources.append(.decileOfRank(i))
            } else {
                let known = short.filter { !$0.isEmpty }.joined(separator: ", ")
                throw CSVError(.missingColumn("\(n)' (columns by short name: \(known))"), file: path, line: 1, column: 1)
            }
        }
        var rows: [String: [Double]] = [:]
        while try r.next() {
            try r.requireFieldCount(header.count)
            let code = r.string(cL).trimmingCharacters()
            guard !code.isEmpty else { continue }
            var v: [Double] = []
            for s in sources {
                let i: Int
                switch s { case .column(let k), .decileOfRank(let k): i = k }
                if r.isEmpty(i) { v.append(.nan); continue }
                guard let x = r.withField(i, { IMDColumns.parseNumber($0) }), x.isFinite else {
                    throw CSVError(.badValue(column: header[i], value: r.string(i).trimmingCharacters(), expected: "a number"),
                                   file: path, line: r.recordLine, column: r.column(ofField: i))
                }
                guard case .decileOfRank = s else { v.append(x); continue }
                let n = IMDComposite.englandLSOACount
                guard x == x.rounded(), x >= 1, x <= Double(n) else {
                    throw CSVError(.badValue(column: header[i], value: r.string(i).trimmingCharacters(), expected: "a rank from 1 to \(n)"),
                                   file: path, line: r.recordLine, column: r.column(ofField: i))
                }
                v.append(Double(IMDCompactTable.decile(ofRank: Int(x))))
            }
            rows[code] = v
        }
        return CovariateTable(path: path, names: names, rows: rows)
    }

    /// A number, allowing thousands separators in groups of three (`29,199`, `1,234,567.5`):
    /// the IMD files' rule, `IMDColumns.parseNumber`.
    static func parseNumber(_ s: String) -> Double? {
        Array(s.utf8).withUnsafeBufferPointer { IMDColumns.parseNumber($0) }
    }
}
