import PlaceRiskCore

/// Where a dated incident is, as far as point analyses are concerned.
public enum DatedLocation: UInt8, Sendable {
    /// A point in BNG metres (`x`, `y`).
    case point
    /// A home-located record: it keeps its LSOA, is never drawn as a point.
    case home
    /// No coordinates (it may still have an LSOA).
    case noCoordinates
    /// Longitude/latitude outside British National Grid's area of use.
    case outsideBNG
}

/// A text field's values as codes into a label table (first-seen order), interned from the field's
/// bytes (no String per row).
public struct CodedColumn: Sendable {
    public var codes: [Int32] = []
    var interner = ByteInterner()
    public init() {}
    /// The labels in code order.
    public var labels: [String] { interner.strings }
    /// The label of row `i` ("" when the source has no such column or the field was empty).
    public func label(_ i: Int) -> String { codes.isEmpty ? "" : interner.string(codes[i]) }
    public var isEmpty: Bool { codes.isEmpty }
    /// The first `fewLimit` labels' bytes (code k = bytes `fewEnds[k − 1] ..< fewEnds[k]` of `fewBytes`): a
    /// column of a few values (weapon, location type) is coded by comparing with them, before any
    /// hashing; a code is the interner's all the same.
    private var fewBytes: [UInt8] = []
    private var fewEnds: [Int] = []
    private static let fewLimit = 8

    mutating func append(_ s: String) { codes.append(intern(Array(s.utf8))) }

    /// The code of a label, new ones numbered in first-seen order.
    mutating func intern(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBufferPointer { intern($0) }
    }

    @inline(__always)
    mutating func intern(_ b: UnsafeBufferPointer<UInt8>) -> Int32 {
        if interner.count <= Self.fewLimit, !fewEnds.isEmpty {
            let found = fewBytes.withUnsafeBufferPointer { ar in
                fewEnds.withUnsafeBufferPointer { ends -> Int32 in
                    var start = 0
                    for k in 0 ..< ends.count {
                        let e = ends[k]
                        if e - start == b.count, b.count == 0 || memcmp(ar.baseAddress! + start, b.baseAddress!, b.count) == 0 { return Int32(k) }
                        start = e
                    }
                    return -1
                }
            }
            if found >= 0 { return found }
        }
        let id = interner.intern(b)
        if Int(id) == fewEnds.count, fewEnds.count < Self.fewLimit { fewBytes.append(contentsOf: b); fewEnds.append(fewBytes.count) }
        return id
    }

    mutating func append(_ b: UnsafeBufferPointer<UInt8>) { codes.append(intern(b)) }
}

/// The incidents of one dated source (one `--incidents FILE --schema S`), column-wise, with its ledger.
///
/// When: every row is a window [start, end) in UTC seconds. A date-time is the zero-length window
/// [t, t]; a date without a time is its whole local day (conventions §11); a from … to pair is the
/// window it states (a `to_date` without a time: to the end of that day).
public struct DatedIncidents: Sendable {
    public var path: String
    public var schema: IncidentSchema
    /// The source's label in outputs (`name` of the schema, or the file name).
    public var source: String
    public var start: [Int64] = []
    /// Each row's window end; empty while every row is a point time (end = start: `ends`, `end(at:)`),
    /// as in a file of date-times: 8 bytes a row not written, copied and read again. A reader fills it
    /// (the rows before included) from the first row that is a window.
    public var end: [Int64] = []
    /// The window ends, nil when every row is a point time (end = start), as `Aoristic.add` takes them.
    public var ends: [Int64]? { end.isEmpty ? nil : end }
    /// Row `i`'s window end (its start when every row is a point time).
    @inline(__always)
    public func end(at i: Int) -> Int64 { end.isEmpty ? start[i] : end[i] }
    /// Whether the row had a time of day (else it is a whole day or a date window).
    public var timed: [Bool] = []
    public var x: [Double] = []
    public var y: [Double] = []
    public var location: [DatedLocation] = []
    /// LSOA code per row ("" when none), upper case.
    public var lsoaCode = CodedColumn()
    /// LSOA code of row `i` ("" when none).
    public func lsoa(_ i: Int) -> String { lsoaCode.label(i) }
    /// Every row's LSOA code.
    public var lsoa: [String] { let l = lsoaCode.labels; return lsoaCode.codes.map { l[Int($0)] } }
    /// Each row's count or weight (the schema's `weight` column, an empty field = 1); empty when the
    /// file has no weight column, every row weighing 1 (`weights`, `weight(at:)`): 8 bytes a row not
    /// written, copied and read again.
    public var weight: [Double] = []
    /// The weights, nil when every row weighs 1 (no weight column), as `Aoristic.add` takes them.
    public var weights: [Double]? { weight.isEmpty ? nil : weight }
    /// Row `i`'s weight (1 when the file has no weight column).
    @inline(__always)
    public func weight(at i: Int) -> Double { weight.isEmpty ? 1 : weight[i] }
    public var category = CodedColumn()
    public var weapon = CodedColumn()
    public var locationType = CodedColumn()
    public var ageBand = CodedColumn()
    public var agency = CodedColumn()
    /// The free-text place per row (schemas with a `place` column), as written.
    public var place = CodedColumn()
    /// How the rows' places and LSOA codes were resolved (gazetteer matches, 2021 → 2011 codes).
    public var placeResolution = PlaceResolutionReport()
    /// The file line of each row (for messages).
    public var line: [Int32] = []
    public var accounting = RowAccounting()
    /// Whether the source has dates at all (a `points` file may have none).
    public var dated = true
    /// The columns the read stored (`DatedColumns`): the others are empty.
    public var columns = DatedColumns.all

    public var count: Int { start.count }

    /// Local day number (days since 1970-01-01 on the UK clock) of each row's start.
    public func startDays() -> [Int] {
        var clock = UKClockDays()
        return start.map { clock.components(utc: $0).days }
    }
}
