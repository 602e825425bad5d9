import PlaceRiskCore

/// Names of LSOAs for people: the ONS LSOA name (`Cornwall 067E`), the 2019 local authority
/// district, and the House of Commons Library name of the LSOA's 2011 MSOA (`Penzance North`).
///
/// The names come from an IMD table with LSOA name, district and MSOA columns; the bundled compact
/// table (`IMDCompactTable`, `datasets/imd2019/imd2019_england_lsoa.csv`) has them for all 32,844
/// English LSOAs. Its MSOA column is the ONS LSOA 2011 → MSOA 2011 lookup (OGL v3.0) and its MSOA
/// names are the House of Commons Library MSOA Names 1.20 ("MSOA names © House of Commons Library,
/// Open Parliament Licence"). HCL names are not unique (e.g. four "Alexandra Park"): key on codes.
public struct PlaceNames: Sendable {
    /// One LSOA's names.
    public struct Place: Sendable, Equatable {
        /// LSOA 2011 code, e.g. `E01018997`.
        public let lsoaCode: String
        /// ONS LSOA 2011 name, e.g. `Cornwall 067E`.
        public let lsoaName: String
        /// 2019 local authority district code, e.g. `E06000052`.
        public let districtCode: String
        /// 2019 local authority district name, e.g. `Cornwall`.
        public let districtName: String
        /// MSOA 2011 code, e.g. `E02003948`.
        public let msoaCode: String
        /// House of Commons Library MSOA name, e.g. `Penzance North`.
        public let msoaName: String

        /// "LSOA name, district, MSOA name", e.g. `Cornwall 067E, Cornwall, Penzance North`; empty
        /// parts are left out.
        public var label: String {
            [lsoaName, districtName, msoaName].filter { !$0.isEmpty }.joined(separator: ", ")
        }
    }

    /// Places by LSOA code.
    public let places: [String: Place]

    /// The names of every row of `table` (empty strings where the table has no such column).
    public init(_ table: IMDTable) {
        var m: [String: Place] = [:]
        m.reserveCapacity(table.count)
        for (r, code) in table.codes.enumerated() {
            m[code] = Place(lsoaCode: code, lsoaName: table.lsoaNames[r], districtCode: table.districtCodes[r],
                            districtName: table.districtNames[r], msoaCode: table.msoaCodes[r], msoaName: table.msoaNames[r])
        }
        places = m
    }

    /// Reads the names from one IMD file (`IMDTable.load`), which must give the LSOA name, the
    /// district and the MSOA name on every row; else `IMDError.unrecognisedFile` names what is missing.
    public static func load(path: String) throws(IMDError) -> PlaceNames {
        let table = try IMDTable.load(paths: [path])
        let needed: [(IMDField, String)] = [(.lsoaName, "LSOA name column (lsoa_name)"), (.districtCode, "district code column (la_code)"),
                                            (.districtName, "district name column (la_name)"), (.msoaCode, "MSOA code column (msoa_code)"),
                                            (.msoaName, "MSOA name column (msoa_name, the House of Commons Library name)")]
        if let (_, missing) = needed.first(where: { !table.has($0.0) }) {
            throw IMDError.unrecognisedFile(file: path, missing: "\(missing) on every row", headers: try header(of: path))
        }
        return PlaceNames(table)
    }

    /// The header row of a file (for the message).
    private static func header(of path: String) throws(IMDError) -> [String] {
        do { return try CSVReader.header(path: path) } catch { throw IMDError.csv(error) }
    }

    /// Number of LSOAs named.
    public var count: Int { places.count }

    /// The names of an LSOA, or nil when it is not in the table.
    public subscript(lsoa code: String) -> Place? { places[code] }
}
