import PlaceRiskCore

/// Reads one dated source (any agency's incidents) through its schema: every row used or skipped with
/// a reason (`RowAccounting`, one ledger per source).
///
/// Row rules:
/// - wrong field count → `malformed`; empty date → `no_date`; unparseable or impossible date/time
///   (2024-02-30, 25:00, month 13) → `invalid_date`; a window ending before it starts →
///   `window_ends_before_start`; a non-empty LSOA field that is not a code → `invalid_lsoa_code`;
///   an unparseable coordinate or weight → `malformed`. Each with file:line:column in the examples.
/// - rows with no coordinates or outside BNG's area are kept (they count in time tables and by LSOA);
///   point analyses un-use them later with the reason.
/// Whole-file errors (thrown, with the file and line): the schema names a column the header lacks;
/// dates that are months only (`YYYY-MM`, police.uk style: day-level analyses need days); coordinates
/// in the wrong columns (longitude/latitude swapped, metres in degree columns, degrees in BNG columns);
/// a mix of BNG metres and longitude/latitude degrees in one file.
/// Last, the "where" steps (`DatedPlaceResolution`): a `place` column through the gazetteer, LSOA
/// 2021 codes to 2011 through the ONS lookup, each skip with its reason.
public enum DatedIncidentLoader {
    public static func read(path: String, schema: IncidentSchema, lenient: Bool = true) throws(CSVError) -> DatedIncidents {
        let expected = try PointSet.countLines(path: path)
        var r = try CSVReader(path: path)
        guard try r.next() else { throw CSVError(.empty, file: path, line: 1, column: 1) }
        var header = r.fields
        if let f = header.first, f.hasPrefix("\u{FEFF}") { header[0] = String(f.dropFirst()) }
        header = header.map { Substring($0).trimmingASCIISpaces() }
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
        var d = DatedIncidents(path: path, schema: schema, source: schema.name)
        d.start.reserveCapacity(expected); d.end.reserveCapacity(expected); d.x.reserveCapacity(expected); d.y.reserveCapacity(expected)
        let n = header.count
        let useLonLat = col[.longitude] != nil, useBNG = col[.easting] != nil
        let homes = schema.homeValues.map { Array($0.utf8) }
        let fmt = schema.dateFormat
        // Coordinate plausibility, per file (first line of each kind).
        var degreesLine = 0, metresLine = 0, swappedLine = 0, swappedText = ""
        var monthOnlyLine = 0, datedRows = 0
        func bad(_ c: Int, _ why: String) -> String {
            CSVError(.badValue(column: header[c], value: r.string(c), expected: why), file: path, line: r.recordLine, column: r.column(ofField: c)).description
        }
        func skip(_ reason: SkipReason, _ example: String) throws(CSVError) {
            if !lenient { throw CSVError(.io(example), file: path, line: 0, column: 0) }
            d.accounting.skip(reason, example: example)
        }
        // Column positions, resolved once (no dictionary lookups per row).
        let cDate = col[.date]
        let cTime = col[.time]
        let cHour = col[.hour]
        let cMinute = col[.minute]
        let cToDate = col[.toDate]
        let cToTime = col[.toTime]
        let cLon = col[.longitude]
        let cLat = col[.latitude]
        let cE = col[.easting]
        let cN = col[.northing]
        let cLSOA = col[.lsoa]
        let cCategory = col[.category]
        let cWeapon = col[.weapon]
        let cLocType = col[.locationType]
        let cWeight = col[.weight]
        let cAge = col[.ageBand]
        let cAgency = col[.agency]
        let cPlace = col[.place]
        // Columns no meaning reads are parsed but not copied.
        var used = [Bool](repeating: false, count: header.count)
        for (_, i) in col { used[i] = true }
        r.skippedFields = used.map { !$0 }
        rows: while try r.next() {
            d.accounting.read()
            if r.fieldCount != n {
                do throws(CSVError) { try r.requireFieldCount(n) } catch {
                    if !lenient { throw error }
                    d.accounting.skip(.malformed, example: error.description); continue
                }
            }
            // When.
            var start: Int64 = 0, end: Int64 = 0, timed = false
            if let dc = cDate {
                if r.isEmpty(dc) { try skip(.noDate, "\(path):\(r.recordLine): no date in column '\(header[dc])'"); continue }
                let p = r.withField(dc) { DateTimeText.parse($0, format: fmt) }
                let pd: ParsedDateTime
                switch p {
                case .failure(let e):
                    if monthOnlyLine == 0, r.withField(dc, { YearMonth.parse($0) }) != nil { monthOnlyLine = r.recordLine }
                    try skip(.invalidDate, bad(dc, e == .unparseable ? "a date (\(fmt.rawValue))" : e.reason)); continue
                case .success(let v): pd = v
                }
                datedRows += 1
                var second = pd.second
                if second == nil, let tc = cTime, !r.isEmpty(tc) {
                    switch r.withField(tc, { DateTimeText.parseTime($0) }) {
                    case .failure(let e): try skip(.invalidDate, bad(tc, e == .unparseable ? "a time (HH:MM[:SS])" : e.reason)); continue
                    case .success(let s): second = s
                    }
                }
                if second == nil, let hc = cHour, !r.isEmpty(hc) {
                    let h = r.withField(hc) { ASCIINumber.parseDouble($0) }
                    let m = cMinute.map { c in r.isEmpty(c) ? 0 : r.withField(c) { ASCIINumber.parseDouble($0) } } ?? 0
                    guard let h, h == h.rounded(), h >= 0 else { try skip(.invalidDate, bad(hc, "an hour 0-23")); continue }
                    guard h < 24 else { try skip(.invalidDate, bad(hc, "a possible hour (hour \(Int(h)))")); continue }
                    guard let m, m == m.rounded(), m >= 0, m < 60 else { try skip(.invalidDate, bad(cMinute!, "a minute 0-59")); continue }
                    second = Int(h) * 3600 + Int(m) * 60
                }
                start = instant(pd.date, second ?? 0, pd.offset, schema.timeZone)
                timed = second != nil
                end = timed ? start : instant(CivilDate(days: pd.date.days + 1), 0, pd.offset, schema.timeZone)
                if let tdc = cToDate, !r.isEmpty(tdc) {
                    let q: ParsedDateTime
                    switch r.withField(tdc, { DateTimeText.parse($0, format: fmt) }) {
                    case .failure(let e): try skip(.invalidDate, bad(tdc, e == .unparseable ? "a date (\(fmt.rawValue))" : e.reason)); continue
                    case .success(let v): q = v
                    }
                    var s2 = q.second
                    if s2 == nil, let ttc = cToTime, !r.isEmpty(ttc) {
                        switch r.withField(ttc, { DateTimeText.parseTime($0) }) {
                        case .failure(let e): try skip(.invalidDate, bad(ttc, e == .unparseable ? "a time (HH:MM[:SS])" : e.reason)); continue
                        case .success(let s): s2 = s
                        }
                    }
                    // A to-date without a time runs to the end of that day.
                    end = s2.map { instant(q.date, $0, q.offset, schema.timeZone) } ?? instant(CivilDate(days: q.date.days + 1), 0, q.offset, schema.timeZone)
                    if end < start {
                        try skip(.reversedWindow, "\(path):\(r.recordLine): the window ends (\(r.string(tdc))\(cToTime.map { " " + r.string($0) } ?? "")) before it starts (\(r.string(dc))\(cTime.map { " " + r.string($0) } ?? ""))")
                        continue
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
                    guard let a, let b else { try skip(.malformed, bad(a == nil ? ca : cb, "a number")); continue }
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
                lsoaState = r.withField(lc) { Self.lsoaKind(Self.trimmed($0)) }
                if lsoaState < 0 { try skip(.invalidLSOA, bad(lc, "an LSOA code (E01/W01 and six digits)")); continue }
            }
            var w = 1.0
            if let wc = cWeight, !r.isEmpty(wc) {
                guard let v = r.withField(wc, { ASCIINumber.parseDouble($0) }), v.isFinite, v >= 0 else { try skip(.malformed, bad(wc, "a count or weight >= 0")); continue }
                w = v
            }
            if let c = cLocType, r.withField(c, { f in Self.matchesAny(Self.trimmed(f), homes) }) {
                loc = .home; px = .nan; py = .nan
            }
            d.start.append(start); d.end.append(end); d.timed.append(timed)
            d.x.append(px); d.y.append(py); d.location.append(loc); d.weight.append(w)
            d.line.append(Int32(truncatingIfNeeded: r.recordLine))
            if let lc = cLSOA {
                if lsoaState == 1 { r.withField(lc) { f in Self.upperCased(Self.trimmed(f)) { d.lsoaCode.append($0) } } }
                else { d.lsoaCode.append("") }
            }
            if let c = cCategory { r.withField(c) { d.category.append(Self.trimmed($0)) } }
            if let c = cWeapon { r.withField(c) { d.weapon.append(Self.trimmed($0)) } }
            if let c = cLocType { r.withField(c) { d.locationType.append(Self.trimmed($0)) } }
            if let c = cAge { r.withField(c) { d.ageBand.append(Self.trimmed($0)) } }
            if let c = cAgency { r.withField(c) { d.agency.append(Self.trimmed($0)) } }
            if let c = cPlace { r.withField(c) { d.place.append(Self.trimmed($0)) } }
            d.accounting.use()
        }
        // Whole-file checks.
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
        d.dated = col[.date] != nil
        try DatedPlaceResolution.apply(to: &d, lenient: lenient)
        return d
    }

    /// A field without leading and trailing spaces, tabs and CR.
    @inline(__always)
    static func trimmed(_ f: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0, hi = f.count
        while lo < hi, f[lo] == 0x20 || f[lo] == 0x09 { lo += 1 }
        while hi > lo, f[hi - 1] == 0x20 || f[hi - 1] == 0x09 || f[hi - 1] == 0x0D { hi -= 1 }
        return UnsafeBufferPointer(rebasing: f[lo ..< hi])
    }

    /// 0: empty; 1: an LSOA code (E01/W01, either case, then six digits); −1: something else (ONS GSS coding).
    static func lsoaKind(_ f: UnsafeBufferPointer<UInt8>) -> Int8 {
        if f.isEmpty { return 0 }
        guard f.count == 9 else { return -1 }
        let c = f[0] | 0x20
        guard c == UInt8(ascii: "e") || c == UInt8(ascii: "w"), f[1] == UInt8(ascii: "0"), f[2] == UInt8(ascii: "1") else { return -1 }
        for k in 3 ..< 9 where !(f[k] >= 0x30 && f[k] <= 0x39) { return -1 }
        return 1
    }

    /// Calls `body` with an upper-cased copy of a short ASCII field.
    static func upperCased(_ f: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(f.count, 1)) { t in
            for k in 0 ..< f.count { let b = f[k]; t[k] = b >= 0x61 && b <= 0x7A ? b - 0x20 : b }
            body(UnsafeBufferPointer(rebasing: t[0 ..< f.count]))
        }
    }

    /// Whether a field equals one of `values` (lower-case ASCII) ignoring ASCII case.
    static func matchesAny(_ f: UnsafeBufferPointer<UInt8>, _ values: [[UInt8]]) -> Bool {
        outer: for v in values where v.count == f.count {
            for k in 0 ..< f.count {
                let b = f[k], l = b >= 0x41 && b <= 0x5A ? b + 0x20 : b
                if l != v[k] { continue outer }
            }
            return true
        }
        return false
    }

    /// The UTC instant of a parsed reading: an explicit offset wins; else the schema's clock.
    static func instant(_ date: CivilDate, _ second: Int, _ offset: Int?, _ tz: IncidentSchema.TimeZoneRule) -> Int64 {
        if let o = offset { return Int64(date.days) * 86400 + Int64(second) - Int64(o) }
        switch tz {
        case .utc: return Int64(date.days) * 86400 + Int64(second)
        case .ukLocal: return UKLocalTime.utc(date: date, secondOfDay: second)
        }
    }
}
