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

    /// Reads the columns `names` (exact headers or short names) for every LSOA in the file.
    public static func read(path: String, columns names: [String]) throws(CSVError) -> CovariateTable {
        var r = try CSVReader(path: path)
        guard try r.next() else { throw CSVError(.empty, file: path, line: 1, column: 1) }
        let header = r.fields.map { $0.trimmingCharacters() }
        guard let cL = lsoaAliases.lazy.compactMap({ header.firstIndex(of: $0) }).first else {
            throw CSVError(.missingColumn(lsoaAliases[0]), file: path, line: 1, column: 1)
        }
        let short = header.map(shortName)
        var idx: [Int] = []
        for n in names {
            guard let i = header.firstIndex(of: n) ?? short.firstIndex(of: n) else {
                let known = short.filter { !$0.isEmpty }.joined(separator: ", ")
                throw CSVError(.missingColumn("\(n)' (columns by short name: \(known))"), file: path, line: 1, column: 1)
            }
            idx.append(i)
        }
        var rows: [String: [Double]] = [:]
        while try r.next() {
            try r.requireFieldCount(header.count)
            let code = r.string(cL).trimmingCharacters()
            guard !code.isEmpty else { continue }
            var v: [Double] = []
            for i in idx {
                if r.isEmpty(i) { v.append(.nan); continue }
                guard let x = r.withField(i, { IMDColumns.parseNumber($0) }), x.isFinite else {
                    throw CSVError(.badValue(column: header[i], value: r.string(i).trimmingCharacters(), expected: "a number"),
                                   file: path, line: r.recordLine, column: r.column(ofField: i))
                }
                v.append(x)
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
