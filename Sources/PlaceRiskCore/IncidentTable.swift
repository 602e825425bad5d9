/// Where a row's coordinates stand after projection.
public enum LocationStatus: UInt8, Sendable {
    /// Projected to BNG; `x`, `y` are metres.
    case projected = 0
    /// Longitude/latitude empty (police.uk: no location).
    case noCoordinates = 1
    /// Longitude/latitude outside British National Grid's area of use (x, y are NaN).
    case outsideBNG = 2
}

/// Incidents as a struct of arrays: one contiguous buffer per field, row i across all of them.
///
/// Repeated text (LSOA codes and names, crime types, forces) is interned to dense ids; free text
/// (crime ID, location, outcome) lives in byte arenas. No per-row allocation.
public struct IncidentTable: Sendable {
    /// `YearMonth.index` of each row.
    public var monthIndex: [Int32] = []
    /// Index into `crimeTypes`.
    public var crimeTypeID: [UInt16] = []
    /// Index into `lsoaCodes`/`lsoaNames`; −1 when the row has no LSOA code.
    public var lsoaID: [Int32] = []
    /// Index into `forces` ("Falls within").
    public var forceID: [UInt16] = []
    /// WGS84 degrees; NaN when absent.
    public var longitude: [Double] = []
    public var latitude: [Double] = []
    /// British National Grid metres (EPSG:27700); NaN unless `location[i] == .projected`.
    public var x: [Double] = []
    public var y: [Double] = []
    public var location: [LocationStatus] = []
    /// Free-text columns; empty (0 rows) when the loader was asked not to keep text.
    public var crimeID = StringColumn()
    public var locationText = StringColumn()
    public var outcome = StringColumn()

    /// Code tables.
    public var crimeTypes: [CrimeType] = []
    public var lsoaCodes: [String] = []
    /// Name of each LSOA code (as first seen).
    public var lsoaNames: [String] = []
    public var forces: [String] = []

    public init() {}

    public var count: Int { monthIndex.count }

    /// Whether the free-text columns (crime ID, location, outcome) were loaded.
    public var hasText: Bool { crimeID.count > 0 || count == 0 }

    public func month(_ i: Int) -> YearMonth { YearMonth(index: Int(monthIndex[i])) }
    public func crimeType(_ i: Int) -> CrimeType { crimeTypes[Int(crimeTypeID[i])] }
    public func lsoaCode(_ i: Int) -> String? { lsoaID[i] < 0 ? nil : lsoaCodes[Int(lsoaID[i])] }

    /// Smallest and largest month present; nil when empty.
    public var monthSpan: MonthRange? {
        guard let lo = monthIndex.min(), let hi = monthIndex.max() else { return nil }
        return MonthRange(YearMonth(index: Int(lo)), YearMonth(index: Int(hi)))
    }

    /// Appends another table's rows, remapping its code tables onto this one's.
    public mutating func append(contentsOf o: IncidentTable) {
        let typeMap = o.crimeTypes.map { t -> UInt16 in
            if let i = crimeTypes.firstIndex(of: t) { return UInt16(i) }
            crimeTypes.append(t); return UInt16(crimeTypes.count - 1)
        }
        var lsoaIndex: [String: Int32] = [:]
        for (i, c) in lsoaCodes.enumerated() { lsoaIndex[c] = Int32(i) }
        let lsoaMap = o.lsoaCodes.indices.map { j -> Int32 in
            if let i = lsoaIndex[o.lsoaCodes[j]] { return i }
            lsoaCodes.append(o.lsoaCodes[j]); lsoaNames.append(o.lsoaNames[j])
            lsoaIndex[o.lsoaCodes[j]] = Int32(lsoaCodes.count - 1)
            return Int32(lsoaCodes.count - 1)
        }
        let forceMap = o.forces.map { f -> UInt16 in
            if let i = forces.firstIndex(of: f) { return UInt16(i) }
            forces.append(f); return UInt16(forces.count - 1)
        }
        monthIndex.append(contentsOf: o.monthIndex)
        crimeTypeID.append(contentsOf: o.crimeTypeID.lazy.map { typeMap[Int($0)] })
        lsoaID.append(contentsOf: o.lsoaID.lazy.map { $0 < 0 ? -1 : lsoaMap[Int($0)] })
        forceID.append(contentsOf: o.forceID.lazy.map { forceMap[Int($0)] })
        longitude.append(contentsOf: o.longitude)
        latitude.append(contentsOf: o.latitude)
        x.append(contentsOf: o.x)
        y.append(contentsOf: o.y)
        location.append(contentsOf: o.location)
        crimeID.append(contentsOf: o.crimeID)
        locationText.append(contentsOf: o.locationText)
        outcome.append(contentsOf: o.outcome)
    }

    /// The rows whose `keep` flag is true, in order; code tables (types, LSOAs, forces) are kept
    /// whole, so ids stay valid.
    public func filtered(_ keep: [Bool]) -> IncidentTable {
        precondition(keep.count == count, "IncidentTable.filtered: mask length differs from row count")
        func pick<T>(_ a: [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(a.count)
            for i in a.indices where keep[i] { out.append(a[i]) }
            return out
        }
        var t = IncidentTable()
        t.monthIndex = pick(monthIndex)
        t.crimeTypeID = pick(crimeTypeID)
        t.lsoaID = pick(lsoaID)
        t.forceID = pick(forceID)
        t.longitude = pick(longitude)
        t.latitude = pick(latitude)
        t.x = pick(x)
        t.y = pick(y)
        t.location = pick(location)
        if crimeID.count == count && count > 0 {
            t.crimeID = crimeID.filtered(keep)
            t.locationText = locationText.filtered(keep)
            t.outcome = outcome.filtered(keep)
        }
        t.crimeTypes = crimeTypes
        t.lsoaCodes = lsoaCodes
        t.lsoaNames = lsoaNames
        t.forces = forces
        return t
    }

    /// Checks that every column has `count` rows (programmer error otherwise).
    public func assertConsistent() {
        let n = count
        precondition(crimeTypeID.count == n && lsoaID.count == n && forceID.count == n
            && longitude.count == n && latitude.count == n && x.count == n && y.count == n
            && location.count == n
            && (hasText ? crimeID.count == n && locationText.count == n && outcome.count == n
                        : crimeID.count == 0 && locationText.count == 0 && outcome.count == 0),
            "IncidentTable: columns have different lengths")
    }
}
