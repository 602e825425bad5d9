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
        var t = IncidentTable()
        var acc = d.accounting
        let n = d.count
        t.forces = [d.source]
        let health = d.schema.isHealthSource
        var typeOfLabel: [String: UInt16] = [:]
        var lsoaOfLabel: [String: Int32] = [:]
        var skipped: [SkipReason: Int] = [:]
        var home = 0, weighted = 0
        let lowerForces = forces.map { Set($0.map { $0.lowercased() }) }
        let sourceMatches = lowerForces?.contains(d.source.lowercased()) ?? true
        t.monthIndex.reserveCapacity(n)
        for i in 0 ..< n {
            let local = UKLocalTime.components(utc: d.start[i]).days
            if let f = fromDay, local < f { skipped[.filteredDate, default: 0] += 1; continue }
            if let e = toDay, local > e { skipped[.filteredDate, default: 0] += 1; continue }
            let label = d.category.isEmpty ? "" : d.category.label(i)
            let type: CrimeType = label.isEmpty ? (health ? .violenceAndSexualOffences : .unknown(Self.uncategorised))
                                                : (CrimeType.lenient(label) ?? .unknown(label))
            if let keep = crimeTypes, !keep.contains(type) { skipped[.filteredCrimeType, default: 0] += 1; continue }
            if !sourceMatches {
                let agency = d.agency.isEmpty ? "" : d.agency.label(i).lowercased()
                if agency.isEmpty || !(lowerForces?.contains(agency) ?? true) { skipped[.filteredForce, default: 0] += 1; continue }
            }
            let typeKey = type.label
            let tid: UInt16
            if let e = typeOfLabel[typeKey] { tid = e } else { tid = UInt16(t.crimeTypes.count); t.crimeTypes.append(type); typeOfLabel[typeKey] = tid }
            let civil = CivilDate(days: local)
            t.monthIndex.append(Int32(YearMonth(year: civil.year, month: civil.month).index))
            t.crimeTypeID.append(tid)
            let code = d.lsoa(i)
            if code.isEmpty { t.lsoaID.append(-1) } else if let e = lsoaOfLabel[code] { t.lsoaID.append(e) } else {
                let id = Int32(t.lsoaCodes.count)
                t.lsoaCodes.append(code); t.lsoaNames.append(""); lsoaOfLabel[code] = id
                t.lsoaID.append(id)
            }
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
            if d.weight[i] != 1 { weighted += 1 }
        }
        for r in SkipReason.allCases { if let k = skipped[r] { acc.unuse(k, because: r) } }
        precondition(acc.isBalanced && acc.rowsUsed == t.count, "DatedIncidentTable: the ledger does not balance")
        t.assertConsistent()
        table = t
        accounting = acc
        homeRows = home
        weightedRows = weighted
        months = t.monthSpan
    }
}
