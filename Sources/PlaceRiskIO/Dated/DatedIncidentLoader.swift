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
    /// Reads a dated source: the file cut into chunks read and scanned on all cores
    /// (`DatedChunkWaves`), with the same result as `readSequential` (every field, the ledger, the order).
    /// `keep`: the columns stored beside the times and weights (`DatedColumns`; the rows and the ledger do
    /// not depend on it).
    public static func read(path: String, schema: IncidentSchema, lenient: Bool = true, keep: DatedColumns = .all) throws(CSVError) -> DatedIncidents {
        try DatedChunkWaves.read(path: path, schema: schema, lenient: lenient, keep: keep)
    }

    /// The general path: one `CSVReader` over the whole file, record by record (the chunked path's
    /// oracle, and its fallback for what its scanner leaves to the general reader).
    public static func readSequential(path: String, schema: IncidentSchema, lenient: Bool = true, keep: DatedColumns = .all) throws(CSVError) -> DatedIncidents {
        let expected = try PointSet.countLines(path: path)
        var r = try CSVReader(path: path)
        guard try r.next() else { throw CSVError(.empty, file: path, line: 1, column: 1) }
        let header = DatedRowParser.cleanHeader(r.fields)
        let col = try DatedRowParser.columns(header: header, schema: schema, path: path)
        var parser = DatedRowParser(path: path, header: header, col: col, schema: schema, lenient: lenient, keep: keep)
        parser.reserve(expected)
        // Columns no meaning reads are parsed but not copied.
        r.skippedFields = parser.usedFields.map { !$0 }
        while try r.next() { try parser.take(r) }
        return try parser.finish()
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
