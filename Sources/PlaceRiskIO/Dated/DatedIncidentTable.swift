import PlaceRiskCore

/// A dated source's rows as police-style incidents, so every command that reads incidents can count
/// them beside police.uk files.
///
/// Each row becomes one incident (its `weight` is not a count here: `timeofday` uses it):
/// ```
/// month       = the UK local calendar month of the row's start (a window's first moment)
/// point       = its BNG easting/northing; home-located rows keep their LSOA and get no point
///               (`no_coordinates` in point and grid analyses: never drawn), as rows without coordinates
/// LSOA        = its LSOA code (none: `no_lsoa` in LSOA analyses)
/// crime type  = its category, matched to police.uk's 14 types when it names one (case-insensitive),
///               else kept as its own type; no category: a health source's rows are assaults
///               ("Violence and sexual offences"), other sources' "Uncategorised"
/// force       = the source's label ("Falls within"), so `--force NAME` selects a source too
/// ```
/// Filters: `--crime-type` (`filtered_crime_type`), `--force` matched against the source label or
/// the row's agency (`filtered_force`), and the day window `[fromDay, toDay]` on the row's local start
/// day (`filtered_date`); the source's ledger records them.
public struct DatedIncidentTable: Sendable {
    public var table: IncidentTable
    /// The source's ledger: the loader's, then the filters'.
    public var accounting: RowAccounting
    /// Home-located rows kept (for LSOA units; never drawn as points).
    public var homeRows: Int
    /// Rows whose weight is not 1 (counted as one incident each here).
    public var weightedRows: Int
    /// First and last month of the kept rows (nil when none).
    public var months: MonthRange?

    /// The category label of a row without one.
    public static let uncategorised = "Uncategorised"

    public init(_ d: DatedIncidents, crimeTypes: Set<CrimeType>?, forces: Set<String>?, fromDay: Int?, toDay: Int?) {
        precondition(d.accounting.rowsUsed == d.count, "DatedIncidentTable: the loader's ledger must count every stored row as used")
        precondition(d.columns.isSuperset(of: [.points, .lsoa, .category, .agency]), "DatedIncidentTable: the source was read without the points, LSOA, category or agency columns")
        var t = IncidentTable()
        var acc = d.accounting
        let n = d.count
        t.forces = [d.source]
        let health = d.schema.isHealthSource
        var typeOfLabel: [String: UInt16] = [:]
        var filteredDate = 0, filteredType = 0, filteredForce = 0
        var home = 0, weighted = 0
        let lowerForces = forces.map { Set($0.map { $0.lowercased() }) }
        let sourceMatches = lowerForces?.contains(d.source.lowercased()) ?? true
        // Per code of the category, agency and LSOA columns, decided once (the first time a row has it), in
        // the order of the one-row-at-a-time rules: the crime type and whether --crime-type keeps it (0 not
        // decided, 1 yes, 2 no); whether the agency passes --force (0, 1, 2 likewise); the type's id in the
        // table, given when a kept row first has it (−1: not yet); the LSOA's id (−2 not decided, −1 none).
        let categoryLabels = d.category.isEmpty ? [""] : d.category.labels
        let agencyLabels = d.agency.isEmpty ? [""] : d.agency.labels
        let lsoaLabels = d.lsoaCode.isEmpty ? [""] : d.lsoaCode.labels
        var typeOfCode = [CrimeType?](repeating: nil, count: categoryLabels.count)
        var keepOfCode = [UInt8](repeating: 0, count: categoryLabels.count)
        var tidOfCode = [Int32](repeating: -1, count: categoryLabels.count)
        var agencyPasses = [UInt8](repeating: 0, count: agencyLabels.count)
        var lsoaOfCode = [Int32](repeating: -2, count: lsoaLabels.count)
        var clock = UKClockDays()
        // The month index of the last local day met (rows of one day often come together).
        var lastDay = Int.min, lastMonth: Int32 = 0
        t.monthIndex.reserveCapacity(n); t.crimeTypeID.reserveCapacity(n); t.lsoaID.reserveCapacity(n); t.forceID.reserveCapacity(n)
        t.longitude.reserveCapacity(n); t.latitude.reserveCapacity(n); t.x.reserveCapacity(n); t.y.reserveCapacity(n)
        t.location.reserveCapacity(n)
        for i in 0 ..< n {
            let local = clock.components(utc: d.start[i]).days
            if let f = fromDay, local < f { filteredDate += 1; continue }
            if let e = toDay, local > e { filteredDate += 1; continue }
            let cc = d.category.isEmpty ? 0 : Int(d.category.codes[i])
            // The row's crime type (decided per code), filtered, then the agency, then the type's id in the table.
            if keepOfCode[cc] == 0 {
                let label = categoryLabels[cc]
                let type: CrimeType = label.isEmpty ? (health ? .violenceAndSexualOffences : .unknown(Self.uncategorised))
                                                    : (CrimeType.lenient(label) ?? .unknown(label))
                typeOfCode[cc] = type
                keepOfCode[cc] = crimeTypes.map { $0.contains(type) } ?? true ? 1 : 2
            }
            if keepOfCode[cc] == 2 { filteredType += 1; continue }
            if !sourceMatches {
                let ac = d.agency.isEmpty ? 0 : Int(d.agency.codes[i])
                if agencyPasses[ac] == 0 {
                    let agency = agencyLabels[ac].lowercased()
                    agencyPasses[ac] = !agency.isEmpty && (lowerForces?.contains(agency) ?? true) ? 1 : 2
                }
                if agencyPasses[ac] == 2 { filteredForce += 1; continue }
            }
            var tid32 = tidOfCode[cc]
            if tid32 < 0 {
                let type = typeOfCode[cc]!, typeKey = type.label
                if let e = typeOfLabel[typeKey] { tid32 = Int32(e) } else {
                    tid32 = Int32(t.crimeTypes.count); t.crimeTypes.append(type); typeOfLabel[typeKey] = UInt16(tid32)
                }
                tidOfCode[cc] = tid32
            }
            if local != lastDay {
                let civil = CivilDate(days: local)
                lastDay = local; lastMonth = Int32(YearMonth(year: civil.year, month: civil.month).index)
            }
            t.monthIndex.append(lastMonth)
            t.crimeTypeID.append(UInt16(tid32))
            let lc = d.lsoaCode.isEmpty ? 0 : Int(d.lsoaCode.codes[i])
            var lid = lsoaOfCode[lc]
            if lid == -2 {
                let code = lsoaLabels[lc]
                if code.isEmpty { lid = -1 } else {
                    lid = Int32(t.lsoaCodes.count)
                    t.lsoaCodes.append(code); t.lsoaNames.append("")
                }
                lsoaOfCode[lc] = lid
            }
            t.lsoaID.append(lid)
            t.forceID.append(0)
            t.longitude.append(.nan); t.latitude.append(.nan)
            switch d.location[i] {
            case .point:
                t.x.append(d.x[i]); t.y.append(d.y[i]); t.location.append(.projected)
            case .home:
                home += 1
                t.x.append(.nan); t.y.append(.nan); t.location.append(.noCoordinates)
            case .noCoordinates:
                t.x.append(.nan); t.y.append(.nan); t.location.append(.noCoordinates)
            case .outsideBNG:
                t.x.append(.nan); t.y.append(.nan); t.location.append(.outsideBNG)
            }
            if d.weight(at: i) != 1 { weighted += 1 }
        }
        // In the order of `SkipReason.allCases`, as the ledger lists them.
        let skipped: [SkipReason: Int] = [.filteredDate: filteredDate, .filteredCrimeType: filteredType, .filteredForce: filteredForce]
        for r in SkipReason.allCases { if let k = skipped[r], k > 0 { acc.unuse(k, because: r) } }
        precondition(acc.isBalanced && acc.rowsUsed == t.count, "DatedIncidentTable: the ledger does not balance")
        t.assertConsistent()
        table = t
        accounting = acc
        homeRows = home
        weightedRows = weighted
        months = t.monthSpan
    }
}
