import PlaceRiskCore

/// The study area's LSOA × month panel of a ready counts table (`LSOACountsFile`), with every code that
/// does not join accounted for by reason (conventions §8):
/// - flagged by the table as a 2021 LSOA code (not in the 2011 set that IMD 2019 and the boundaries use),
/// - not in the LSOA → district lookup (outside England, or an unknown code),
/// - in a district outside the study area (touched at < 50 % of its LSOAs over the months used),
/// and the study area's LSOAs absent from the table (e.g. 2011 codes retired in 2021) are left out and
/// counted — a producer's zero-filled table has no row for them, which means "not covered", not zero.
public struct LSOACountsPanel: Sendable {
    public let study: StudyArea
    public let months: MonthRange
    /// The panel's units: the study area's LSOAs present in the table, in the study area's order.
    public let units: [String]
    /// `counts[u · T + t]` over `months`.
    public let counts: [Double]
    public let codes2021: [String]
    public let notInLookup: [String]
    public let outsideStudyArea: [String]
    public let absentFromTable: [String]
    /// Incidents of the table in the months used: per reason, and used.
    public let incidentsUsed: Double
    public let incidents2021: Double
    public let incidentsNotInLookup: Double
    public let incidentsOutside: Double

    /// The panel of `file` over `from…to` (nil: the table's own first / last month).
    public init(_ file: LSOACountsFile, lookup: DistrictLookup, from: YearMonth? = nil, to: YearMonth? = nil) throws(LSOACountsPanelError) {
        let T0 = file.months.count
        let first = from ?? file.months.first, last = to ?? file.months.last
        guard first <= last, first >= file.months.first, last <= file.months.last else {
            throw .monthsOutsideTable(path: file.path, table: file.months, asked: (first, last))
        }
        let months = MonthRange(first, last), T = months.count, shift = file.months.first.distance(to: first)
        let codes2021 = file.codes.filter { file.not2011.contains($0) }
        let candidate = file.codes.enumerated().filter { !file.not2011.contains($0.element) }
        let notInLookup = candidate.filter { lookup.districtOfLSOA[$0.element] == nil }.map(\.element)
        let touched = candidate.filter { u in (0 ..< T).contains { file.counts[u.offset * T0 + shift + $0] > 0 } }.map(\.element)
        let sa = StudyArea(touched: touched, lookup: lookup)
        let row = Dictionary(uniqueKeysWithValues: file.codes.enumerated().map { ($1, $0) })
        let outside = candidate.filter { lookup.districtOfLSOA[$0.element] != nil && !sa.contains(lsoa: $0.element) }.map(\.element)
        let absent = sa.lsoaCodes.filter { row[$0] == nil || file.not2011.contains($0) }
        let units = sa.lsoaCodes.filter { row[$0] != nil && !file.not2011.contains($0) }
        guard !units.isEmpty else { throw .noUnitJoins(path: file.path) }
        var counts = [Double](repeating: 0, count: units.count * T)
        for (k, c) in units.enumerated() {
            let u = row[c]!
            for t in 0 ..< T { counts[k * T + t] = file.counts[u * T0 + shift + t] }
        }
        func incidents(_ cs: [String]) -> Double { cs.reduce(0.0) { s, c in s + (0 ..< T).reduce(0.0) { $0 + file.counts[row[c]! * T0 + shift + $1] } } }
        study = sa
        self.months = months
        self.units = units
        self.counts = counts
        self.codes2021 = codes2021
        self.notInLookup = notInLookup
        outsideStudyArea = outside
        absentFromTable = absent
        incidentsUsed = counts.reduce(0, +)
        incidents2021 = incidents(codes2021)
        incidentsNotInLookup = incidents(notInLookup)
        incidentsOutside = incidents(outside)
    }

    /// The panel's accounting: what was read, used, and left out by reason (with up to ten examples).
    public func accounting(_ file: LSOACountsFile) -> JSONValue {
        func list(_ c: [String], _ n: Double) -> JSONValue { .object([("count", .int(c.count)), ("incidents", .number(n)), ("examples", .array(c.prefix(10).map { .string($0) }))]) }
        return .object([
            ("file", .string(file.path)), ("rows_read", .int(file.rowsRead)), ("codes", .int(file.codes.count)),
            ("absent_pairs_counted_as_zero", .int(file.absentPairs)),
            ("units_used", .int(units.count)), ("incidents_used", .number(incidentsUsed)),
            ("not_used", .object([
                ("lsoa_2021_code_not_in_2011_set", list(codes2021, incidents2021)), ("not_in_lookup", list(notInLookup, incidentsNotInLookup)),
                ("outside_study_area", list(outsideStudyArea, incidentsOutside)),
            ])),
            ("study_area_lsoas_absent_from_table", .object([("count", .int(absentFromTable.count)), ("examples", .array(absentFromTable.prefix(10).map { .string($0) }))])),
        ])
    }

    /// What the panel holds, in one line.
    public var note: String {
        "LSOAs of the study area in the counts table (\(study.districts.count) districts, \(units.count) LSOAs; \(codes2021.count) 2021 codes, \(notInLookup.count) unknown codes, \(outsideStudyArea.count) out-of-area and \(absentFromTable.count) absent LSOAs not used)"
    }
}

/// Why a counts table gives no panel.
public enum LSOACountsPanelError: Error, Equatable, Sendable, CustomStringConvertible {
    case monthsOutsideTable(path: String, table: MonthRange, asked: (YearMonth, YearMonth))
    case noUnitJoins(path: String)

    public static func == (a: Self, b: Self) -> Bool { a.description == b.description }

    public var description: String {
        switch self {
        case let .monthsOutsideTable(path, table, asked): "\(path) holds \(table.first)…\(table.last); --from/--to ask for \(asked.0)…\(asked.1)"
        case let .noUnitJoins(path): "\(path): no LSOA of the table joins the study area (2011 codes of the lookup)"
        }
    }
}
