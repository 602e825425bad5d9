import PlaceRiskCore

/// What a column of a dated source means (the schema's vocabulary).
public enum ColumnMeaning: String, Sendable, CaseIterable, Hashable {
    // when
    /// A date, or a date-time in one field (window start when `to_date` is given).
    case date
    /// A time of day `HH:MM[:SS]` to go with `date`.
    case time
    /// An integer hour 0–23 (with `minute`), as STATS19 `a_time_hr`.
    case hour
    /// An integer minute 0–59.
    case minute
    /// The window's end date (or date-time): the incident happened at some time in [from, to).
    case toDate = "to_date"
    /// The window's end time of day.
    case toTime = "to_time"
    // where
    case longitude, latitude
    /// British National Grid easting / northing (EPSG:27700, metres).
    case easting, northing
    /// An LSOA code (E01/W01 + 6 digits, 2011 or 2021 codes; `lsoa_vintage`, `lsoa_lookup`).
    case lsoa
    /// A free-text place name, matched against the gazetteer (`gazetteer = FILE`; `Gazetteer`).
    case place
    // what
    case category
    /// Weapon or assault method (ISTV ASSAULT METHOD).
    case weapon
    /// Location type (ISTV ASSAULT LOCATION TYPE): a value in `home_values` marks a home.
    case locationType = "location_type"
    /// A count or weight per row (default 1).
    case weight
    /// An age band (place-based counts only; never a person's score).
    case ageBand = "age_band"
    /// The source agency per row (otherwise the schema's constant `agency`).
    case agency
    /// A site code (ISTV SITE CODE OF TREATMENT).
    case site
}

/// A mapping from a dated source's columns to meanings, read from a schema file or built in.
///
/// Schema file format (`--schema FILE.schema`): UTF-8 text, one `key = value` per line, `#` starts
/// a comment, blank lines ignored. Keys are the `ColumnMeaning` raw values (the value is the column's
/// header name, spaces allowed, exact match after trimming) and these settings:
/// ```
/// name = my_ambulance                       # the source's label in outputs (default: the file name)
/// agency = London Ambulance Service         # a constant source agency (or `agency = …` via agency_column)
/// agency_column = Agency                    # the column holding the agency per row
/// date_format = auto | iso | dd/mm/yyyy | dd mon yyyy | dd/mm/yy | dd mon yy | excel | excel1904
/// timezone = Europe/London | UTC            # local clock (GMT/BST) or UTC; default Europe/London
/// home_values = home, dwelling              # location_type values meaning a home (case-insensitive)
/// gazetteer = places.csv                    # for `place`: name → point or LSOA (relative to this file)
/// lsoa_vintage = 2011 | 2021 | mixed        # which LSOA codes `lsoa` (or the gazetteer) holds
/// lsoa_lookup = lsoa11_lsoa21.csv           # the ONS 2011 ↔ 2021 lookup (relative to this file)
/// ```
/// Every column a schema file names must exist in the file's header (else an error names it).
public struct IncidentSchema: Sendable, Equatable {
    public enum TimeZoneRule: String, Sendable { case ukLocal = "Europe/London", utc = "UTC" }

    public var name: String
    /// Candidate header names per meaning (built-ins list aliases; a file names exactly one).
    public var columns: [ColumnMeaning: [String]]
    /// Meanings whose column must exist (a schema file: every meaning it names).
    public var required: Set<ColumnMeaning>
    public var agency: String?
    public var dateFormat: DateFormat
    public var timeZone: TimeZoneRule
    /// Lower-cased, trimmed location-type values meaning a home.
    public var homeValues: Set<String>
    /// Where the schema came from (a built-in's name, or the schema file's path).
    public var origin: String
    /// The gazetteer for the `place` column (`gazetteer = FILE`, or `--gazetteer FILE` on the command line).
    public var gazetteerPath: String?
    /// Which LSOA codes the source holds (nil: as given, no mapping; `mixed` when only a lookup is given).
    public var lsoaVintage: LSOAVintage?
    /// The ONS LSOA 2011 ↔ 2021 lookup (`lsoa_lookup = FILE`, or `--lsoa-lookup FILE`).
    public var lsoaLookupPath: String?

    public init(name: String, columns: [ColumnMeaning: [String]], required: Set<ColumnMeaning>, agency: String?,
                dateFormat: DateFormat = .auto, timeZone: TimeZoneRule = .ukLocal, homeValues: Set<String> = ["home"], origin: String) {
        self.name = name
        self.columns = columns
        self.required = required
        self.agency = agency
        self.dateFormat = dateFormat
        self.timeZone = timeZone
        self.homeValues = homeValues
        self.origin = origin
    }

    /// Built-in schema names.
    public static let builtInNames = ["points", "istv"]

    /// `points`: the points CSV (`x,y[,weight][,date][,category]`, BNG metres), as the peers' files.
    public static let points = IncidentSchema(
        name: "points",
        columns: [.easting: PointSet.xAliases, .northing: PointSet.yAliases, .weight: PointSet.weightAliases,
                  .date: ["date", "Date", "datetime"], .time: ["time"], .category: ["category", "type"], .lsoa: ["lsoa_code", "LSOA code"]],
        required: [.easting, .northing], agency: nil, origin: "built-in points")

    /// `istv`: the NHS "Information Sharing to Tackle Violence" minimum data set (ISB 1594) as CSV
    /// columns named after its data elements — `site_code`, `arrival_date_time`, `assault_date_time`,
    /// `assault_method`, `assault_method_other`, `assault_location_type`, `assault_location_description` —
    /// plus the geocoding a partnership adds (`lsoa_code`, `easting`, `northing`; the MDS has no
    /// coordinates). When = the assault date-time (patient-reported); the free-text location
    /// description is never read into outputs; location type "home" keeps its LSOA but is never a point.
    public static let istv = IncidentSchema(
        name: "istv",
        columns: [.site: ["site_code"], .date: ["assault_date_time"], .weapon: ["assault_method"],
                  .locationType: ["assault_location_type"], .lsoa: ["lsoa_code"], .easting: ["easting"], .northing: ["northing"],
                  .ageBand: ["age_band"], .category: ["category"]],
        required: [.site, .date, .weapon, .locationType], agency: "emergency department (ISTV)", origin: "built-in istv")

    /// Whether a source of this schema is a health source (safe publication is on by default).
    public var isHealthSource: Bool { name == "istv" || (agency ?? "").lowercased().contains("health") || (agency ?? "").contains("ISTV") }

    /// A built-in schema by name, or the schema file at `path`.
    public static func named(_ nameOrPath: String) throws(CSVError) -> IncidentSchema {
        switch nameOrPath {
        case "points": return points
        case "istv": return istv
        default: return try read(path: nameOrPath)
        }
    }

    /// Reads a schema file.
    public static func read(path: String) throws(CSVError) -> IncidentSchema {
        let bytes: [UInt8]
        do { bytes = try readWholeFile(path) } catch { throw error }
        return try parse(String(decoding: bytes, as: UTF8.self), origin: path)
    }

    /// Parses a schema file's text (`origin` names it in errors).
    public static func parse(_ text: String, origin: String) throws(CSVError) -> IncidentSchema {
        var base = (origin.split(separator: "/").last.map(String.init) ?? origin)
        if base.hasSuffix(".schema") { base.removeLast(7) }
        var s = IncidentSchema(name: base, columns: [:], required: [], agency: nil, origin: origin)
        var lineNo = 0
        /// A file named in the schema, relative to the schema file's folder.
        func relative(_ file: String) -> String {
            guard !file.hasPrefix("/"), let slash = origin.lastIndex(of: "/") else { return file }
            return String(origin[...slash]) + file
        }
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            var line = Substring(rawLine)
            if let h = line.firstIndex(of: "#") { line = line[..<h] }
            let trimmed = line.trimmingASCIISpaces()
            if trimmed.isEmpty { continue }
            func fail(_ why: String) -> CSVError { CSVError(.io(why), file: origin, line: lineNo, column: 1) }
            guard let eq = trimmed.firstIndex(of: "=") else { throw fail("expected 'key = value', found '\(trimmed)'") }
            let key = trimmed[..<eq].trimmingASCIISpaces().lowercased()
            let value = trimmed[trimmed.index(after: eq)...].trimmingASCIISpaces()
            guard !value.isEmpty else { throw fail("'\(key)' has no value") }
            switch key {
            case "name": s.name = value
            case "agency": s.agency = value
            case "agency_column": s.columns[.agency] = [value]; s.required.insert(.agency)
            case "date_format":
                guard let f = DateFormat(rawValue: value.lowercased()) else {
                    throw fail("unknown date_format '\(value)'; expected \(DateFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                s.dateFormat = f
            case "timezone":
                guard let z = TimeZoneRule(rawValue: value) else { throw fail("unknown timezone '\(value)'; expected Europe/London or UTC") }
                s.timeZone = z
            case "gazetteer": s.gazetteerPath = relative(value)
            case "lsoa_lookup": s.lsoaLookupPath = relative(value)
            case "lsoa_vintage":
                guard let v = LSOAVintage(rawValue: value.lowercased()) else { throw fail("unknown lsoa_vintage '\(value)'; expected 2011, 2021 or mixed") }
                s.lsoaVintage = v
            case "home_values":
                s.homeValues = Set(value.split(separator: ",").map { $0.trimmingASCIISpaces().lowercased() }.filter { !$0.isEmpty })
            default:
                guard let m = ColumnMeaning(rawValue: key) else {
                    throw fail("unknown key '\(key)'; expected a meaning (\(ColumnMeaning.allCases.map(\.rawValue).joined(separator: ", "))) or name, agency, agency_column, date_format, timezone, home_values, gazetteer, lsoa_vintage, lsoa_lookup")
                }
                guard s.columns[m] == nil else { throw fail("'\(key)' is given twice") }
                s.columns[m] = [value]
                s.required.insert(m)
            }
        }
        func fail(_ why: String) -> CSVError { CSVError(.io(why), file: origin, line: 0, column: 0) }
        guard s.columns[.date] != nil else { throw fail("a schema needs a 'date' column (when)") }
        if (s.columns[.longitude] == nil) != (s.columns[.latitude] == nil) { throw fail("'longitude' and 'latitude' go together") }
        if (s.columns[.easting] == nil) != (s.columns[.northing] == nil) { throw fail("'easting' and 'northing' go together") }
        if s.columns[.longitude] != nil, s.columns[.easting] != nil { throw fail("give either longitude/latitude or easting/northing, not both") }
        if (s.columns[.hour] == nil) != (s.columns[.minute] == nil) && s.columns[.minute] != nil { throw fail("'minute' needs 'hour'") }
        if s.columns[.time] != nil, s.columns[.hour] != nil { throw fail("give either 'time' or 'hour'/'minute', not both") }
        if s.columns[.toTime] != nil, s.columns[.toDate] == nil { throw fail("'to_time' needs 'to_date'") }
        if s.columns[.place] != nil, [ColumnMeaning.longitude, .easting, .lsoa].contains(where: { s.columns[$0] != nil }) {
            throw fail("give 'place' (matched against the gazetteer) or coordinates / an 'lsoa' column, not both")
        }
        if s.gazetteerPath != nil, s.columns[.place] == nil { throw fail("'gazetteer' needs a 'place' column") }
        if s.lsoaVintage != nil || s.lsoaLookupPath != nil, s.columns[.lsoa] == nil, s.columns[.place] == nil {
            throw fail("'lsoa_vintage' and 'lsoa_lookup' need an 'lsoa' column (or a 'place' column with a gazetteer of LSOA codes)")
        }
        // lsoa_vintage = 2021 or mixed without lsoa_lookup is allowed here (`--lsoa-lookup FILE` may
        // supply it); the loader refuses to map without one.
        return s
    }
}

extension Substring {
    func trimmingASCIISpaces() -> String {
        var a = startIndex, b = endIndex
        while a < b, self[a] == " " || self[a] == "\t" || self[a] == "\r" { a = index(after: a) }
        while b > a, self[index(before: b)] == " " || self[index(before: b)] == "\t" || self[index(before: b)] == "\r" { b = index(before: b) }
        return String(self[a ..< b])
    }
}

/// The whole of a small file (schema files, fixtures).
func readWholeFile(_ path: String) throws(CSVError) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw CSVError(.io("cannot open: \(String(cString: strerror(errno)))"), file: path, line: 0, column: 0) }
    defer { close(fd) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let got = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if got <= 0 { break }
        out.append(contentsOf: buf[0 ..< got])
    }
    return out
}
