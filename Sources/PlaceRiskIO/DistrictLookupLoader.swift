import PlaceRiskCore

/// Reads an LSOA → district lookup from any CSV with the right columns, found by header name.
///
/// Accepted header names (first match wins):
/// - LSOA code: `LSOA code (2011)` (IMD 2019 Files 1–7), `LSOA11CD`, `lsoa_code`, `lsoa11cd`
/// - district code: `Local Authority District code (2019)`, `LAD19CD`, `la_code`, `lad19cd`
/// - district name: `Local Authority District name (2019)`, `LAD19NM`, `la_name`, `lad19nm`
/// The official IMD files' traps (BOM, CRLF, no final newline, quoted headers) are handled by `CSVReader`.
/// The bundled all-England table (`IMDCompactTable`, columns `lsoa_code`, `la_code`, `la_name`) is read
/// by the same names: it gives the 2019 district of all 32,844 English LSOAs.
public enum DistrictLookupLoader {
    public static let lsoaAliases = ["LSOA code (2011)", "LSOA11CD", "lsoa_code", "lsoa11cd"]
    public static let districtCodeAliases = ["Local Authority District code (2019)", "LAD19CD", "la_code", "lad19cd"]
    public static let districtNameAliases = ["Local Authority District name (2019)", "LAD19NM", "la_name", "lad19nm"]

    public static func load(path: String) throws(CSVError) -> DistrictLookup {
        var r = try CSVReader(path: path)
        guard try r.next() else { throw CSVError(.empty, file: path, line: 1, column: 1) }
        let header = r.fields
        func find(_ names: [String]) throws(CSVError) -> Int {
            for n in names { if let i = header.firstIndex(of: n) { return i } }
            throw CSVError(.missingColumn(names[0]), file: path, line: 1, column: 1)
        }
        let cL = try find(lsoaAliases), cD = try find(districtCodeAliases)
        let cN = try? find(districtNameAliases)
        var map: [String: String] = [:], names: [String: String] = [:]
        while try r.next() {
            try r.requireFieldCount(header.count)
            let l = r.string(cL), d = r.string(cD)
            guard !l.isEmpty, !d.isEmpty else { continue }
            map[l] = d
            if let cN, names[d] == nil { names[d] = r.string(cN) }
        }
        return DistrictLookup(districtOfLSOA: map, districtNames: names)
    }
}
