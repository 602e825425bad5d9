import PlaceRiskCore

/// A user's gazetteer: free-text place names → a point (BNG) and/or an LSOA code, for dated sources
/// whose "where" is a place name (`place = COLUMN` in the schema; `gazetteer = FILE` or `--gazetteer FILE`).
///
/// File: a CSV with a header. Columns found by name, ignoring case: the name (`name`, `place`,
/// `place_name`), and a point — `easting,northing` (aliases `x,y`, `bng_e,bng_n`; BNG metres) or
/// `longitude,latitude` (aliases `lon`/`long`/`lng`, `lat`; WGS84 degrees, projected to BNG) — and/or an
/// LSOA code (`lsoa_code`, `lsoa`, `lsoa11cd`, `lsoa21cd`, `lsoa code`). Every row needs a name and a
/// place; a defect (empty name, bad number, degrees in the easting column, a point outside BNG's
/// area, a code that is not an LSOA code) is a whole-file error with file:line:column: a gazetteer is a
/// small reference file the user keeps, so it is fixed, not skipped.
///
/// Matching a row's place text, in order:
/// 1. **exact** — the text, trimmed, equals a name;
/// 2. **normalised** (`normalised(_:)`) — letters case-folded (Unicode lower case; accents kept), `&`
///    read as `and`, apostrophes dropped (`St Mary's` = `St Marys`), every other character that is not
///    a letter or digit read as a space (`.` `,` `-` `/` `(` …), runs of spaces collapsed and trimmed;
/// 3. **abbreviated** (`abbreviated(_:)`) — the normalised words with the common street-name
///    abbreviations read as one (see `abbreviations`): `street`/`st`, `saint`/`st`, `road`/`rd`,
///    `avenue`/`ave`/`av`, `lane`/`ln`, `drive`/`dr`, `place`/`pl`, `square`/`sq`, `terrace`/`terr`/`ter`,
///    `crescent`/`cres`, `close`/`cl`, `court`/`ct`, `gardens`/`gdns`, `mount`/`mt`.
///
/// Two names of the file that are equal once normalised but give different places are a whole-file
/// error (the second's line and column, naming the first's line): a user could not tell them apart.
/// The same name twice with the same place is allowed. Names that differ after normalisation but are
/// equal once abbreviated (`Church St` and `Church Street` with different points) are allowed in the
/// file; a row whose text reaches them only at step 3 is **ambiguous** and skipped with its reason.
public struct Gazetteer: Sendable {
    /// A gazetteer entry's place: a BNG point (NaN when none) and an LSOA code ("" when none).
    public struct Place: Sendable, Equatable {
        public var x: Double
        public var y: Double
        public var lsoa: String
        public var hasPoint: Bool { !x.isNaN }
        public static func == (a: Place, b: Place) -> Bool {
            a.lsoa == b.lsoa && (a.x == b.x || (a.x.isNaN && b.x.isNaN)) && (a.y == b.y || (a.y.isNaN && b.y.isNaN))
        }
    }

    /// How a place text matched.
    public enum Match: Sendable, Equatable {
        case exact(Int)
        case normalised(Int)
        case abbreviated(Int)
        /// Several places once abbreviated (entry indices).
        case ambiguous([Int])
        case none
    }

    public let path: String
    /// The entries' names as written, places and file lines (first occurrence of each name).
    public private(set) var names: [String] = []
    public private(set) var places: [Place] = []
    public private(set) var lines: [Int] = []
    var exact: [String: Int] = [:]
    var byNormalised: [String: Int] = [:]
    var byAbbreviated: [String: [Int]] = [:]

    public static let nameAliases = ["name", "place", "place_name"]
    public static let eastingAliases = ["easting", "x", "bng_e"]
    public static let northingAliases = ["northing", "y", "bng_n"]
    public static let longitudeAliases = ["longitude", "lon", "long", "lng"]
    public static let latitudeAliases = ["latitude", "lat"]
    public static let lsoaAliases = ["lsoa_code", "lsoa", "lsoa11cd", "lsoa21cd", "lsoa code"]

    /// Word → canonical form, applied after normalisation (step 3).
    public static let abbreviations: [String: String] = [
        "street": "st", "saint": "st", "road": "rd", "avenue": "ave", "av": "ave", "lane": "ln", "drive": "dr",
        "place": "pl", "square": "sq", "terrace": "terr", "ter": "terr", "crescent": "cres", "close": "cl",
        "court": "ct", "gardens": "gdns", "mount": "mt",
    ]

    /// Step 2's key.
    public static func normalised(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        func emit(_ s: String) {
            if pendingSpace, !out.isEmpty { out.append(" ") }
            pendingSpace = false
            out.append(s)
        }
        for ch in text.lowercased() {
            if ch == "'" || ch == "\u{2019}" || ch == "\u{2018}" || ch == "`" { continue }
            if ch == "&" { pendingSpace = true; emit("and"); pendingSpace = true; continue }
            if ch.isLetter || ch.isNumber { emit(String(ch)) } else { pendingSpace = true }
        }
        return out
    }

    /// Step 3's key: the normalised words with `abbreviations` applied.
    public static func abbreviated(_ text: String) -> String {
        normalised(text).split(separator: " ").map { w in abbreviations[String(w)] ?? String(w) }.joined(separator: " ")
    }

    /// The match of one place text (trimmed first); an empty text is `.none`.
    public func match(_ text: String) -> Match {
        let t = Substring(text).trimmingASCIISpaces()
        if t.isEmpty { return .none }
        if let i = exact[t] { return .exact(i) }
        if let i = byNormalised[Self.normalised(t)] { return .normalised(i) }
        guard let c = byAbbreviated[Self.abbreviated(t)] else { return .none }
        return c.count == 1 ? .abbreviated(c[0]) : .ambiguous(c)
    }

    public var count: Int { names.count }
    /// Whether any entry gives a point / an LSOA code.
    public var givesPoints: Bool { places.contains { $0.hasPoint } }
    public var givesLSOAs: Bool { places.contains { !$0.lsoa.isEmpty } }

    /// Reads a gazetteer file.
    public static func load(path: String) throws(CSVError) -> Gazetteer {
        var r = try CSVReader(path: path)
        guard try r.next() else { throw CSVError(.empty, file: path, line: 1, column: 1) }
        var header = r.fields
        if let f = header.first, f.hasPrefix("\u{FEFF}") { header[0] = String(f.dropFirst()) }
        let lower = header.map { Substring($0).trimmingASCIISpaces().lowercased() }
        func find(_ names: [String]) -> Int? { names.lazy.compactMap { lower.firstIndex(of: $0) }.first }
        guard let cName = find(nameAliases) else { throw CSVError(.missingColumnAmong("name", found: header), file: path, line: 1, column: 1) }
        let cE = find(eastingAliases), cN = find(northingAliases), cLon = find(longitudeAliases), cLat = find(latitudeAliases)
        let cL = find(lsoaAliases)
        func headerError(_ why: String) -> CSVError { CSVError(.io(why), file: path, line: 1, column: 1) }
        if (cE == nil) != (cN == nil) { throw headerError("a gazetteer's easting and northing columns go together") }
        if (cLon == nil) != (cLat == nil) { throw headerError("a gazetteer's longitude and latitude columns go together") }
        if cE != nil, cLon != nil { throw headerError("a gazetteer gives easting/northing or longitude/latitude, not both") }
        guard cE != nil || cLon != nil || cL != nil else {
            throw headerError("a gazetteer needs a place for each name: easting,northing (BNG metres), longitude,latitude or lsoa_code; columns found: \(header.map { "'\($0)'" }.joined(separator: ", "))")
        }
        var g = Gazetteer(path: path)
        var normalisedLine: [String: Int] = [:]
        while try r.next() {
            try r.requireFieldCount(header.count)
            func bad(_ c: Int, _ expected: String) -> CSVError {
                CSVError(.badValue(column: header[c], value: r.string(c), expected: expected), file: path, line: r.recordLine, column: r.column(ofField: c))
            }
            let name = Substring(r.string(cName)).trimmingASCIISpaces()
            guard !name.isEmpty else { throw CSVError(.io("a gazetteer row needs a name"), file: path, line: r.recordLine, column: r.column(ofField: cName)) }
            var place = Place(x: .nan, y: .nan, lsoa: "")
            if let ca = cE ?? cLon, let cb = cN ?? cLat, !r.isEmpty(ca) || !r.isEmpty(cb) {
                guard let a = r.withField(ca, { ASCIINumber.parseDouble($0) }), a.isFinite else { throw bad(ca, "a number") }
                guard let b = r.withField(cb, { ASCIINumber.parseDouble($0) }), b.isFinite else { throw bad(cb, "a number") }
                let degreeLike = abs(a) <= 180 && abs(b) <= 90
                if cE != nil {
                    guard !degreeLike else { throw bad(ca, "a BNG easting in metres (it looks like degrees: name the columns longitude,latitude)") }
                    guard (-1e5 ... 1e6).contains(a), (-1e5 ... 1.5e6).contains(b) else { throw bad(ca, "a BNG easting/northing pair in Great Britain") }
                    (place.x, place.y) = (a, b)
                } else {
                    guard degreeLike else { throw bad(ca, "a longitude in degrees (it looks like metres: name the columns easting,northing)") }
                    guard BritishNationalGrid.isValid(longitude: a, latitude: b), let p = BritishNationalGrid.project(longitude: a, latitude: b) else {
                        if BritishNationalGrid.isValid(longitude: b, latitude: a) { throw bad(ca, "a longitude (longitude and latitude look swapped)") }
                        throw bad(ca, "a longitude/latitude in British National Grid's area of use")
                    }
                    (place.x, place.y) = (p.easting, p.northing)
                }
            }
            if let cL, !r.isEmpty(cL) {
                guard case .valid(let code) = r.withField(cL, { LSOACode.read($0) }) else { throw bad(cL, "an LSOA code (E01/W01 and six digits)") }
                place.lsoa = code
            }
            guard place.hasPoint || !place.lsoa.isEmpty else {
                throw CSVError(.io("gazetteer name '\(name)' has no place (no coordinates, no LSOA code)"), file: path, line: r.recordLine, column: r.column(ofField: cName))
            }
            let key = normalised(name)
            if let j = g.byNormalised[key] {
                guard g.places[j] == place else {
                    let same = g.names[j] == name ? "'\(name)' is already on line \(normalisedLine[key]!)" : "'\(name)' is the same name as '\(g.names[j])' on line \(normalisedLine[key]!) (both read '\(key)' once case, spaces and punctuation are ignored)"
                    throw CSVError(.io("duplicate gazetteer name: \(same) with a different place; names must be unique"), file: path, line: r.recordLine, column: r.column(ofField: cName))
                }
                if g.exact[name] == nil { g.exact[name] = j }
                continue
            }
            let i = g.names.count
            g.names.append(name); g.places.append(place); g.lines.append(r.recordLine)
            g.exact[name] = i
            g.byNormalised[key] = i
            normalisedLine[key] = r.recordLine
            let ab = abbreviated(name)
            if let c = g.byAbbreviated[ab], c.contains(where: { g.places[$0] == place }) { continue }
            g.byAbbreviated[ab, default: []].append(i)
        }
        guard g.count > 0 else { throw CSVError(.io("the gazetteer has no names"), file: path, line: 0, column: 0) }
        return g
    }

    init(path: String) { self.path = path }
}
