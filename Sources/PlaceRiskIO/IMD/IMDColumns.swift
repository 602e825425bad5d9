import PlaceRiskCore

/// One kind of value an IMD 2019 file can hold for an LSOA.
public enum IMDField: Hashable, Sendable, CustomStringConvertible {
    /// LSOA name (2011), e.g. `Cornwall 067E`.
    case lsoaName
    /// 2019 local authority district code, e.g. `E06000052`.
    case districtCode
    /// 2019 local authority district name, e.g. `Cornwall`.
    case districtName
    /// 2011 MSOA code of the LSOA, e.g. `E02003948` (ONS LSOA 2011 → MSOA 2011 lookup).
    case msoaCode
    /// House of Commons Library name of that MSOA, e.g. `Penzance North` (Open Parliament Licence).
    case msoaName
    /// IMD score (points; higher = more deprived).
    case imdScore
    /// IMD rank, 1 = most deprived.
    case imdRank
    /// IMD decile, 1 = most deprived 10 %.
    case imdDecile
    /// A domain's score (income and employment as rates, others in points).
    case domainScore(IMDComposite.Domain)
    /// A domain's rank, 1 = most deprived.
    case domainRank(IMDComposite.Domain)
    /// A domain's decile, 1 = most deprived 10 %.
    case domainDecile(IMDComposite.Domain)
    /// Total population, mid-2015, excluding prisoners (File 6), the IoD 2019 denominator.
    case population

    /// Every field, in a fixed order (ids, IMD, then score/rank/decile per domain, population).
    public static let all: [IMDField] = [.lsoaName, .districtCode, .districtName, .msoaCode, .msoaName, .imdScore, .imdRank, .imdDecile]
        + IMDComposite.Domain.allCases.flatMap { [IMDField.domainScore($0), .domainRank($0), .domainDecile($0)] }
        + [.population]

    /// A snake-case name for messages and outputs: `lsoa_name`, `imd_rank`, `crime_decile`, `population`, …
    public var description: String {
        switch self {
        case .lsoaName: return "lsoa_name"
        case .districtCode: return "lad_code"
        case .districtName: return "lad_name"
        case .msoaCode: return "msoa_code"
        case .msoaName: return "msoa_name"
        case .imdScore: return "imd_score"
        case .imdRank: return "imd_rank"
        case .imdDecile: return "imd_decile"
        case .domainScore(let d): return "\(d.rawValue)_score"
        case .domainRank(let d): return "\(d.rawValue)_rank"
        case .domainDecile(let d): return "\(d.rawValue)_decile"
        case .population: return "population"
        }
    }

    /// Whether the field is a number (scores, ranks, deciles, population) rather than text.
    public var isData: Bool {
        switch self {
        case .lsoaName, .districtCode, .districtName, .msoaCode, .msoaName: return false
        default: return true
        }
    }
}

/// How the values of a recognised column are written, and how they are stored.
public enum IMDUnit: Sendable, Equatable {
    /// Text (names, district codes), stored as is.
    case text
    /// A rank, 1 (most deprived) … 32,844.
    case rank
    /// A decile, 1 (most deprived 10 %) … 10.
    case decile
    /// A score in the published points (IMD score, Education/Health/Crime/Barriers/Living
    /// Environment domain scores); any finite number (some domain scores are negative).
    case points
    /// A proportion of the population in 0…1 (File 7 `Income Score (rate)`), stored as is.
    case rate
    /// A percentage in 0…100 (mySociety `income_score`), stored as a rate (÷ 100).
    case percent
    /// A head count ≥ 0, an integer.
    case count
}

/// Recognises the columns of the IMD 2019 files by header **name**, never by position.
///
/// Names are compared after trimming, collapsing runs of spaces and ignoring case; the first column
/// that matches a field wins (later duplicates are ignored). `{D}` is a domain's official name
/// (`Income`, `Employment`, `Education, Skills and Training`, `Health Deprivation and Disability`,
/// `Crime`, `Barriers to Housing and Services`, `Living Environment`) and `{d}` its snake-case raw
/// value (`income`, …, `living_environment`).
///
/// | field | accepted header names | unit | seen in |
/// |---|---|---|---|
/// | LSOA code | `LSOA code (2011)`, `lsoa_code`, `lsoa`, `LSOA11CD` | | all files |
/// | LSOA name | `LSOA name (2011)`, `lsoa_name`, `LSOA11NM` | text | Files 1/2/6, NHSR, merged |
/// | district code | `Local Authority District code (2019)`, `la_code`, `LAD19CD` | text | Files 1/2/6, NHSR, merged |
/// | district name | `Local Authority District name (2019)`, `la_name`, `LAD19NM` | text | Files 1/2/6, NHSR, merged |
/// | MSOA code | `msoa_code`, `MSOA11CD` | text | compact |
/// | MSOA name (House of Commons Library) | `msoa_name`, `MSOA11HCLNM` | text | compact |
/// | IMD score | `Index of Multiple Deprivation (IMD) Score`, `imd_score`, `overall_local_score` | points | NHSR, mySociety, merged |
/// | IMD rank | `Index of Multiple Deprivation (IMD) Rank`, `… Rank (where 1 is most deprived)`, `imd_rank` | rank | File 1, File 2, merged |
/// | IMD decile | `Index of Multiple Deprivation (IMD) Decile`, `… Decile (where 1 is most deprived 10% of LSOAs)`, `imd_decile` | decile | File 1, File 2, NHSR, merged |
/// | domain rank | `{D} Rank (where 1 is most deprived)`, `{D} Rank`, `{d}_rank` | rank | File 2, merged |
/// | domain decile | `{D} Decile (where 1 is most deprived 10% of LSOAs)`, `{D} Decile`, `{d}_decile` | decile | File 2, merged |
/// | income/employment score | `{D} Score (rate)` | rate | File 7, merged |
/// | income/employment score | `income_score`, `employment_score` | **percent** | mySociety |
/// | other domain scores | `{D} Score`, `{d}_score` | points | File 7 |
/// | population | `Total population: mid 2015 (excluding prisoners)`, `total_population`, `population` | count | File 6, merged, compact |
///
/// The compact all-England table (`IMDCompactTable`, recognised by the six id columns that open its
/// header) uses the short names above with two differences: its `income_score`/`employment_score`
/// are **rates** (File 7's unit), and its domain deciles are derived from the ranks
/// (`Recognised.derivesDeciles`).
///
/// Units: `imd2019_income_employment_scores_lsoa.csv` (mySociety `composite_uk_imd`) gives income and
/// employment scores as **percentages** (`0.7`, `3.4`: the official rate × 100, 1 dp — checked
/// against the merged table, whose `Income Score (rate)` equals them ÷ 100 for all 1,034 LSOAs), so
/// `income_score`/`employment_score` are read as percent and stored as rates like File 7's.
///
/// Vintage guards: `lsoa_year` must be 2011, `la_year` and `imd_year` 2019 (NHSRpopulation file).
/// Other columns (File 6 age groups, …) are ignored and listed in `Recognised.ignored`.
public enum IMDColumns {
    /// One field's accepted header names and the unit they are written in.
    public struct Alias: Sendable {
        /// The field the names stand for.
        public let field: IMDField
        /// How values under these names are written.
        public let unit: IMDUnit
        /// Accepted header names (compared after `normalise`).
        public let names: [String]
    }

    /// Accepted names of the LSOA code column.
    public static let lsoaCodeNames = ["LSOA code (2011)", "lsoa_code", "lsoa", "LSOA11CD", "lsoa11cd"]

    /// Columns that must hold one given value (the LSOA, district and IMD vintages).
    public static let vintageColumns: [(name: String, value: String)] = [("lsoa_year", "2011"), ("la_year", "2019"), ("imd_year", "2019")]

    /// Every alias, in the order of the table above.
    public static let aliases: [Alias] = {
        let imd = "Index of Multiple Deprivation (IMD)"
        var a: [Alias] = [
            Alias(field: .lsoaName, unit: .text, names: ["LSOA name (2011)", "lsoa_name", "LSOA11NM"]),
            Alias(field: .districtCode, unit: .text, names: ["Local Authority District code (2019)", "la_code", "LAD19CD"]),
            Alias(field: .districtName, unit: .text, names: ["Local Authority District name (2019)", "la_name", "LAD19NM"]),
            Alias(field: .msoaCode, unit: .text, names: ["msoa_code", "MSOA11CD"]),
            Alias(field: .msoaName, unit: .text, names: ["msoa_name", "MSOA11HCLNM"]),
            Alias(field: .imdScore, unit: .points, names: ["\(imd) Score", "imd_score", "overall_local_score"]),
            Alias(field: .imdRank, unit: .rank, names: ["\(imd) Rank", "\(imd) Rank (where 1 is most deprived)", "imd_rank"]),
            Alias(field: .imdDecile, unit: .decile, names: ["\(imd) Decile", "\(imd) Decile (where 1 is most deprived 10% of LSOAs)", "imd_decile"]),
        ]
        for d in IMDComposite.Domain.allCases {
            let n = d.officialName, s = d.rawValue
            a.append(Alias(field: .domainRank(d), unit: .rank, names: ["\(n) Rank (where 1 is most deprived)", "\(n) Rank", "\(s)_rank"]))
            a.append(Alias(field: .domainDecile(d), unit: .decile,
                           names: ["\(n) Decile (where 1 is most deprived 10% of LSOAs)", "\(n) Decile", "\(s)_decile"]))
            if d == .income || d == .employment {
                a.append(Alias(field: .domainScore(d), unit: .rate, names: ["\(n) Score (rate)"]))
                a.append(Alias(field: .domainScore(d), unit: .percent, names: ["\(s)_score"]))
            } else {
                a.append(Alias(field: .domainScore(d), unit: .points, names: ["\(n) Score", "\(s)_score"]))
            }
        }
        a.append(Alias(field: .population, unit: .count,
                       names: ["Total population: mid 2015 (excluding prisoners)", "total_population", "population"]))
        return a
    }()

    /// A recognised column: its 0-based position, header text, field and unit.
    public struct Column: Sendable {
        /// 0-based position in the header.
        public let index: Int
        /// The header text as written in the file.
        public let header: String
        /// What the column holds.
        public let field: IMDField
        /// How its values are written.
        public let unit: IMDUnit
    }

    /// What a header row was recognised as.
    public struct Recognised: Sendable {
        /// Position of the LSOA code column.
        public let lsoaCode: Int
        /// Recognised value columns, in header order.
        public let columns: [Column]
        /// Vintage columns present: position, name and required value.
        public let vintage: [(index: Int, name: String, value: String)]
        /// Headers not used (unknown, or a second column for an already recognised field).
        public let ignored: [String]
        /// Whether absent deciles are derived from the ranks (`IMDCompactTable.decile(ofRank:)`):
        /// true for the compact table, whose domain deciles are not written.
        public var derivesDeciles = false
    }

    /// Header text compared: trimmed, internal runs of white space made one space, lower case.
    public static func normalise(_ header: String) -> String {
        header.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ").lowercased()
    }

    /// Lookup from normalised name to (field, unit).
    private static let byName: [String: (IMDField, IMDUnit)] = {
        var m: [String: (IMDField, IMDUnit)] = [:]
        for a in aliases { for n in a.names where m[normalise(n)] == nil { m[normalise(n)] = (a.field, a.unit) } }
        return m
    }()

    /// The same for the compact table: its income and employment scores are rates.
    private static let compactByName: [String: (IMDField, IMDUnit)] = {
        var m = byName
        for d in [IMDComposite.Domain.income, .employment] { m[normalise("\(d.rawValue)_score")] = (.domainScore(d), .rate) }
        return m
    }()

    /// Recognises a header row. Throws `IMDError.unrecognisedFile` (listing the headers found) when
    /// there is no LSOA code column or no data column (score, rank, decile or population).
    public static func recognise(header: [String], file: String) throws(IMDError) -> Recognised {
        let compact = IMDCompactTable.isCompact(header: header)
        let byName = compact ? compactByName : byName
        let codeNames = Set(lsoaCodeNames.map(normalise))
        var code: Int?
        var columns: [Column] = [], seen = Set<IMDField>(), ignored: [String] = []
        var vintage: [(index: Int, name: String, value: String)] = []
        for (i, h) in header.enumerated() {
            let n = normalise(h)
            if codeNames.contains(n), code == nil { code = i; continue }
            if let v = vintageColumns.first(where: { $0.name == n }) { vintage.append((i, v.name, v.value)); continue }
            if let (field, unit) = byName[n], !seen.contains(field) {
                seen.insert(field)
                columns.append(Column(index: i, header: h, field: field, unit: unit))
            } else {
                ignored.append(h)
            }
        }
        guard let code else {
            throw IMDError.unrecognisedFile(file: file, missing: "LSOA code column (accepted names: \(lsoaCodeNames.joined(separator: ", ")))", headers: header)
        }
        guard columns.contains(where: { $0.field.isData }) else {
            throw IMDError.unrecognisedFile(file: file, missing: "IMD score, rank, decile or population column", headers: header)
        }
        return Recognised(lsoaCode: code, columns: columns, vintage: vintage, ignored: ignored, derivesDeciles: compact)
    }

    /// Parses a number that may carry thousands separators (`29,199`, `"1,296"` once unquoted):
    /// commas are accepted only between groups of three digits in the integer part (`1,2` and
    /// `12,34` are rejected). Otherwise as `ASCIINumber.parseDouble`. Nil when not a number.
    public static func parseNumber(_ raw: UnsafeBufferPointer<UInt8>) -> Double? {
        guard raw.contains(0x2C) else { return ASCIINumber.parseDouble(raw) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count, raw[i] == 0x20 { i += 1 }
        if i < raw.count, raw[i] == 0x2D || raw[i] == 0x2B { out.append(raw[i]); i += 1 }
        var group = 0, groups = 0
        while i < raw.count {
            let b = raw[i]
            if b >= 0x30 && b <= 0x39 {
                group += 1
                out.append(b)
            } else if b == 0x2C {
                // First group 1–3 digits, later ones exactly 3.
                guard groups == 0 ? (1 ... 3).contains(group) : group == 3 else { return nil }
                groups += 1
                group = 0
            } else {
                break
            }
            i += 1
        }
        guard group == 3 else { return nil }
        while i < raw.count {
            if raw[i] == 0x2C { return nil }
            out.append(raw[i])
            i += 1
        }
        return out.withUnsafeBufferPointer { ASCIINumber.parseDouble($0) }
    }
}
