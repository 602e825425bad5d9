import PlaceRiskCore

/// Where a dated record's fields come from: the general reader (`CSVReader`) or the chunk scanner's
/// record (`DatedChunkScanner.Record`). The row rules (`DatedRowParser`) read fields only through this,
/// so both paths apply the same rules to the same bytes.
protocol DatedFieldSource {
    var fieldCount: Int { get }
    /// 1-based file line on which the record starts.
    var recordLine: Int { get }
    func isEmpty(_ i: Int) -> Bool
    func withField<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R
    func string(_ i: Int) -> String
    /// 1-based byte column where field `i` starts in its line.
    func column(ofField i: Int) -> Int
    /// Throws `fieldCount` naming the line and column when the record does not have `expected` fields.
    func requireFieldCount(_ expected: Int) throws(CSVError)
}

extension CSVReader: DatedFieldSource {}

/// The row rules of `DatedIncidentLoader` (see there), one record at a time, into column-wise partial
/// results that merge in file order (`merge`): the sequential reader feeds one parser the whole file;
/// the chunked reader gives each chunk its own parser and merges them chunk by chunk, which yields the
/// same columns, codes (first-seen order), ledger (examples in file order) and first lines of each
/// coordinate kind as one parser over the whole file.
struct DatedRowParser {
    let path: String
    let header: [String]
    let lenient: Bool
    let schema: IncidentSchema
    let col: [ColumnMeaning: Int]
    let n: Int
    let fmt: DateFormat
    let useLonLat: Bool, useBNG: Bool
    let homes: [[UInt8]]
    // Column positions, resolved once (no dictionary lookups per row).
    let cDate: Int?, cTime: Int?, cHour: Int?, cMinute: Int?, cToDate: Int?, cToTime: Int?
    let cLon: Int?, cLat: Int?, cE: Int?, cN: Int?, cLSOA: Int?
    let cCategory: Int?, cWeapon: Int?, cLocType: Int?, cWeight: Int?, cAge: Int?, cAgency: Int?, cPlace: Int?

    /// The columns stored (`DatedColumns.effective`): the others are checked as always, not stored.
    let keep: DatedColumns
    let keepPoints: Bool, keepLines: Bool, keepLSOA: Bool, keepCategory: Bool, keepWeapon: Bool
    let keepLocType: Bool, keepAge: Bool, keepAgency: Bool, keepPlace: Bool

    /// The rows so far (no place resolution yet).
    var d: DatedIncidents
    /// Coordinate plausibility, per file (first line of each kind; 0: none yet).
    var degreesLine = 0, metresLine = 0, swappedLine = 0, swappedText = ""
    var monthOnlyLine = 0, datedRows = 0
    /// The last day's UK-clock offsets (`DateTimeFast.Day`), so most rows skip the calendar arithmetic.
    var day = DateTimeFast.DayCache()
    /// The shortcut for plain lines (`DatedPlainRows`; nil when the schema sends every row through `take`)
    /// and its batch, which `take` appends before adding a row.
    private(set) var plain: DatedPlainRows? = nil
    /// Added to the rows' lines (`d.line`) when the parts are joined: a chunk scanned before the lines
    /// before it were counted (`shiftLines`).
    var lineOffset = 0

    /// Column positions of a header (BOM stripped, trimmed) under `schema`; throws when a required
    /// column is missing.
    static func columns(header: [String], schema: IncidentSchema, path: String) throws(CSVError) -> [ColumnMeaning: Int] {
        var col: [ColumnMeaning: Int] = [:]
        for (m, names) in schema.columns {
            if let i = names.lazy.compactMap({ n in header.firstIndex(of: n) }).first { col[m] = i }
            else if schema.required.contains(m) {
                throw CSVError(.missingColumnAmong(names[0], found: header), file: path, line: 1, column: 1)
            }
        }
        guard col[.date] != nil || schema.name == "points" else {
            throw CSVError(.missingColumnAmong(schema.columns[.date]?.first ?? "date", found: header), file: path, line: 1, column: 1)
        }
        return col
    }

    /// The header's fields as the loader compares them: a UTF-8 byte-order mark dropped, spaces trimmed.
    static func cleanHeader(_ fields: [String]) -> [String] {
        var header = fields
        if let f = header.first, f.hasPrefix("\u{FEFF}") { header[0] = String(f.dropFirst()) }
        return header.map { Substring($0).trimmingASCIISpaces() }
    }

    init(path: String, header: [String], col: [ColumnMeaning: Int], schema: IncidentSchema, lenient: Bool, keep: DatedColumns = .all) {
        self.path = path
        let k = keep.effective(for: schema)
        self.keep = k
        keepPoints = k.contains(.points); keepLines = k.contains(.lines); keepLSOA = k.contains(.lsoa)
        keepCategory = k.contains(.category); keepWeapon = k.contains(.weapon); keepLocType = k.contains(.locationType)
        keepAge = k.contains(.ageBand); keepAgency = k.contains(.agency); keepPlace = k.contains(.place)
        self.header = header
        self.col = col
        self.schema = schema
        self.lenient = lenient
        n = header.count
        fmt = schema.dateFormat
        useLonLat = col[.longitude] != nil
        useBNG = col[.easting] != nil
        homes = schema.homeValues.map { Array($0.utf8) }
        cDate = col[.date]; cTime = col[.time]; cHour = col[.hour]; cMinute = col[.minute]
        cToDate = col[.toDate]; cToTime = col[.toTime]
        cLon = col[.longitude]; cLat = col[.latitude]; cE = col[.easting]; cN = col[.northing]; cLSOA = col[.lsoa]
        cCategory = col[.category]; cWeapon = col[.weapon]; cLocType = col[.locationType]; cWeight = col[.weight]
        cAge = col[.ageBand]; cAgency = col[.agency]; cPlace = col[.place]
        d = DatedIncidents(path: path, schema: schema, source: schema.name)
        plain = DatedPlainRows(self)
    }

    /// The lines of a scan that started on line 1 moved to start on line 1 + `by` (a scan without skips:
    /// its lines are only in the rows' line column and the first lines of each coordinate kind).
    mutating func shiftLines(by k: Int) {
        precondition(d.accounting.rowsRead == d.accounting.rowsUsed && monthOnlyLine == 0, "DatedRowParser.shiftLines: a scan with skips has lines in its ledger")
        lineOffset += k
        if degreesLine > 0 { degreesLine += k }
        if metresLine > 0 { metresLine += k }
        if swappedLine > 0 { swappedLine += k }
    }

    /// Room for `rows` more rows in every column this schema fills.
    mutating func reserve(_ rows: Int) {
        d.start.reserveCapacity(d.start.count + rows)
        if !d.end.isEmpty { d.end.reserveCapacity(d.end.count + rows) }
        d.timed.reserveCapacity(d.timed.count + rows)
        if cWeight != nil { d.weight.reserveCapacity(d.weight.count + rows) }
        if keepPoints { d.x.reserveCapacity(d.x.count + rows); d.y.reserveCapacity(d.y.count + rows); d.location.reserveCapacity(d.location.count + rows) }
        if keepLines { d.line.reserveCapacity(d.line.count + rows) }
        if cLSOA != nil, keepLSOA { d.lsoaCode.codes.reserveCapacity(d.lsoaCode.codes.count + rows) }
        if cCategory != nil, keepCategory { d.category.codes.reserveCapacity(d.category.codes.count + rows) }
        if cWeapon != nil, keepWeapon { d.weapon.codes.reserveCapacity(d.weapon.codes.count + rows) }
        if cLocType != nil, keepLocType { d.locationType.codes.reserveCapacity(d.locationType.codes.count + rows) }
        if cAge != nil, keepAge { d.ageBand.codes.reserveCapacity(d.ageBand.codes.count + rows) }
        if cAgency != nil, keepAgency { d.agency.codes.reserveCapacity(d.agency.codes.count + rows) }
        if cPlace != nil, keepPlace { d.place.codes.reserveCapacity(d.place.codes.count + rows) }
    }

    /// Appends a row's window to `start` and `end`; `end` stays empty while every row is a point time
    /// (`DatedIncidents.end`), and the first window fills it (`fillEnds`).
    @inline(__always)
    mutating func appendWindow(_ start: Int64, _ end: Int64) {
        let window = end != start
        if window, d.end.isEmpty { fillEnds() }
        d.start.append(start)
        if window || !d.end.isEmpty { d.end.append(end) }
    }

    /// The ends of the rows so far, all point times (end = start), stored before the first window's.
    mutating func fillEnds() {
        d.end = d.start
        d.end.reserveCapacity(d.start.capacity)
    }

    /// An empty parser with the same header and rules (a chunk's).
    func fresh() -> DatedRowParser {
        DatedRowParser(path: path, header: header, col: col, schema: schema, lenient: lenient, keep: keep)
    }

    /// Positions of the columns some meaning reads.
    var usedFields: [Bool] {
        var used = [Bool](repeating: false, count: n)
        for (_, i) in col { used[i] = true }
        return used
    }

    private func bad<S: DatedFieldSource>(_ r: S, _ c: Int, _ why: String) -> String {
        CSVError(.badValue(column: header[c], value: r.string(c), expected: why), file: path, line: r.recordLine, column: r.column(ofField: c)).description
    }

    private mutating func skip(_ reason: SkipReason, _ example: String) throws(CSVError) {
        if !lenient { throw CSVError(.io(example), file: path, line: 0, column: 0) }
        d.accounting.skip(reason, example: example)
    }

    /// A date field: the fixed layouts by `DateTimeFast`, anything else by `DateTimeText.parse`.
    /// (Static, and the row loop's closures read locals only: a closure reading `self` in a mutating
    /// method copies the whole parser, columns included, once per row.)
    @inline(__always)
    private static func parseDate(_ f: UnsafeBufferPointer<UInt8>, _ fmt: DateFormat) -> Result<ParsedDateTime, DateTimeText.Failure> {
        if let v = DateTimeFast.parse(f, format: fmt) { return .success(v) }
        return DateTimeText.parse(f, format: fmt)
    }

    /// One record: counted as read, then used or skipped with its reason (strict: the first skip throws).
    mutating func take<S: DatedFieldSource>(_ r: S) throws(CSVError) {
        if let s = plain, s.count > 0 { flushPlain() }
        d.accounting.read()
        if r.fieldCount != n {
            do throws(CSVError) { try r.requireFieldCount(n) } catch {
                if !lenient { throw error }
                d.accounting.skip(.malformed, example: error.description); return
            }
        }
        let tz = schema.timeZone, fmt = fmt, homes = homes
        // When.
        var start: Int64 = 0, end: Int64 = 0, timed = false
        if let dc = cDate {
            if r.isEmpty(dc) { try skip(.noDate, "\(path):\(r.recordLine): no date in column '\(header[dc])'"); return }
            let p = r.withField(dc) { Self.parseDate($0, fmt) }
            let pd: ParsedDateTime
            switch p {
            case .failure(let e):
                if monthOnlyLine == 0, r.withField(dc, { YearMonth.parse($0) }) != nil { monthOnlyLine = r.recordLine }
                try skip(.invalidDate, bad(r, dc, e.expected ?? "a date (\(fmt.rawValue))")); return
            case .success(let v): pd = v
            }
            datedRows += 1
            var second = pd.second
            if second == nil, let tc = cTime, !r.isEmpty(tc) {
                switch r.withField(tc, { DateTimeText.parseTime($0) }) {
                case .failure(let e): try skip(.invalidDate, bad(r, tc, e.expected ?? "a time (HH:MM[:SS])")); return
                case .success(let s): second = s
                }
            }
            if second == nil, let hc = cHour, !r.isEmpty(hc) {
                let h = r.withField(hc) { ASCIINumber.parseDouble($0) }
                let m = cMinute.map { c in r.isEmpty(c) ? 0 : r.withField(c) { ASCIINumber.parseDouble($0) } } ?? 0
                guard let h, h == h.rounded(), h >= 0 else { try skip(.invalidDate, bad(r, hc, "an hour 0-23")); return }
                guard h < 24 else { try skip(.invalidDate, bad(r, hc, "a possible hour (hour \(Int(h)))")); return }
                guard let m, m == m.rounded(), m >= 0, m < 60 else { try skip(.invalidDate, bad(r, cMinute!, "a minute 0-59")); return }
                second = Int(h) * 3600 + Int(m) * 60
            }
            start = instant(pd.date, second ?? 0, pd.offset, tz)
            timed = second != nil
            end = timed ? start : instant(CivilDate(days: pd.date.days + 1), 0, pd.offset, tz)
            if let tdc = cToDate, !r.isEmpty(tdc) {
                let q: ParsedDateTime
                switch r.withField(tdc, { Self.parseDate($0, fmt) }) {
                case .failure(let e): try skip(.invalidDate, bad(r, tdc, e.expected ?? "a date (\(fmt.rawValue))")); return
                case .success(let v): q = v
                }
                var s2 = q.second
                if s2 == nil, let ttc = cToTime, !r.isEmpty(ttc) {
                    switch r.withField(ttc, { DateTimeText.parseTime($0) }) {
                    case .failure(let e): try skip(.invalidDate, bad(r, ttc, e.expected ?? "a time (HH:MM[:SS])")); return
                    case .success(let s): s2 = s
                    }
                }
                // A to-date without a time runs to the end of that day.
                end = s2.map { instant(q.date, $0, q.offset, tz) } ?? instant(CivilDate(days: q.date.days + 1), 0, q.offset, tz)
                if end < start {
                    try skip(.reversedWindow, "\(path):\(r.recordLine): the window ends (\(r.string(tdc))\(cToTime.map { " " + r.string($0) } ?? "")) before it starts (\(r.string(dc))\(cTime.map { " " + r.string($0) } ?? ""))")
                    return
                }
                timed = timed && s2 != nil && end == start
            }
        }
        // Where.
        var px = Double.nan, py = Double.nan, loc = DatedLocation.noCoordinates
        if useLonLat || useBNG {
            let (ca, cb) = useLonLat ? (cLon!, cLat!) : (cE!, cN!)
            if !r.isEmpty(ca) || !r.isEmpty(cb) {
                let a = r.withField(ca) { ASCIINumber.parseDouble($0) }, b = r.withField(cb) { ASCIINumber.parseDouble($0) }
                guard let a, let b else { try skip(.malformed, bad(r, a == nil ? ca : cb, "a number")); return }
                let degreeLike = abs(a) <= 180 && abs(b) <= 90
                if degreeLike { if degreesLine == 0 { degreesLine = r.recordLine } } else if metresLine == 0 { metresLine = r.recordLine }
                if useLonLat, degreeLike {
                    if BritishNationalGrid.isValid(longitude: a, latitude: b), let p = BritishNationalGrid.project(longitude: a, latitude: b) {
                        (px, py, loc) = (p.easting, p.northing, .point)
                    } else if BritishNationalGrid.isValid(longitude: b, latitude: a) {
                        if swappedLine == 0 { swappedLine = r.recordLine; swappedText = "longitude \(r.string(ca)), latitude \(r.string(cb))" }
                    } else { loc = .outsideBNG }
                } else if useBNG, !degreeLike {
                    (px, py, loc) = (a, b, .point)
                }
            }
        }
        var lsoaState: Int8 = 0   // 0 none, 1 valid, -1 invalid
        if let lc = cLSOA {
            lsoaState = r.withField(lc) { DatedIncidentLoader.lsoaKind(DatedIncidentLoader.trimmed($0)) }
            if lsoaState < 0 { try skip(.invalidLSOA, bad(r, lc, "an LSOA code (E01/W01 and six digits)")); return }
        }
        var w = 1.0
        if let wc = cWeight, !r.isEmpty(wc) {
            guard let v = r.withField(wc, { ASCIINumber.parseDouble($0) }), v.isFinite, v >= 0 else { try skip(.malformed, bad(r, wc, "a count or weight >= 0")); return }
            w = v
        }
        appendWindow(start, end)
        d.timed.append(timed)
        if cWeight != nil { d.weight.append(w) }
        if keepPoints {
            if let c = cLocType, r.withField(c, { f in DatedIncidentLoader.matchesAny(DatedIncidentLoader.trimmed(f), homes) }) {
                loc = .home; px = .nan; py = .nan
            }
            d.x.append(px); d.y.append(py); d.location.append(loc)
        }
        if keepLines { d.line.append(Int32(truncatingIfNeeded: r.recordLine)) }
        if let lc = cLSOA, keepLSOA {
            if lsoaState == 1 { r.withField(lc) { f in DatedIncidentLoader.upperCased(DatedIncidentLoader.trimmed(f)) { d.lsoaCode.append($0) } } }
            else { d.lsoaCode.append("") }
        }
        if let c = cCategory, keepCategory { r.withField(c) { d.category.append(DatedIncidentLoader.trimmed($0)) } }
        if let c = cWeapon, keepWeapon { r.withField(c) { d.weapon.append(DatedIncidentLoader.trimmed($0)) } }
        if let c = cLocType, keepLocType { r.withField(c) { d.locationType.append(DatedIncidentLoader.trimmed($0)) } }
        if let c = cAge, keepAge { r.withField(c) { d.ageBand.append(DatedIncidentLoader.trimmed($0)) } }
        if let c = cAgency, keepAgency { r.withField(c) { d.agency.append(DatedIncidentLoader.trimmed($0)) } }
        if let c = cPlace, keepPlace { r.withField(c) { d.place.append(DatedIncidentLoader.trimmed($0)) } }
        d.accounting.use()
    }

    /// The UTC instant of a parsed reading: an explicit offset wins; else the schema's clock (the UK
    /// clock through the day cache, which gives `UKLocalTime.utc`'s value).
    @inline(__always)
    private mutating func instant(_ date: CivilDate, _ second: Int, _ offset: Int?, _ tz: IncidentSchema.TimeZoneRule) -> Int64 {
        if offset == nil, tz == .ukLocal { return day.utc(date: date, secondOfDay: second) }
        return DatedIncidentLoader.instant(date, second, offset, tz)
    }

    /// The whole-file checks, then the "where" steps: the source.
    func finish() throws(CSVError) -> DatedIncidents {
        precondition(lineOffset == 0, "DatedRowParser.finish: lines not yet shifted (join the parts first)")
        precondition((plain?.count ?? 0) == 0, "DatedRowParser.finish: the plain rows' batch was not appended")
        func fileError(_ line: Int, _ why: String) -> CSVError { CSVError(.io(why), file: path, line: line, column: 1) }
        if monthOnlyLine > 0, datedRows == 0 {
            throw fileError(monthOnlyLine, "the dates are months only (YYYY-MM, as police.uk gives them); near-repeats and time-of-day patterns need days")
        }
        if swappedLine > 0 {
            throw fileError(swappedLine, "\(swappedText) look swapped: the longitude column holds latitudes; fix the schema's longitude/latitude columns")
        }
        if degreesLine > 0, metresLine > 0 {
            throw fileError(max(degreesLine, metresLine), "a mix of coordinate systems in one file: line \(degreesLine) has longitude/latitude degrees, line \(metresLine) has BNG metres; split the file or fix the rows")
        }
        if useLonLat, metresLine > 0 {
            throw fileError(metresLine, "the longitude/latitude columns hold metres, not degrees; name them as easting/northing in the schema")
        }
        if useBNG, degreesLine > 0 {
            throw fileError(degreesLine, "the easting/northing columns hold degrees, not BNG metres; name them as longitude/latitude in the schema")
        }
        var out = d
        out.dated = col[.date] != nil
        out.columns = keep
        try DatedPlaceResolution.apply(to: &out, lenient: lenient)
        return out
    }
}
