import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// A panel from a ready LSOA × month counts table, restricted to the study area (conventions §8) and
/// with every code that does not join accounted for by reason:
/// - flagged by the table as a 2021 LSOA code (not in the 2011 set that IMD 2019 and the boundaries use),
/// - not in the LSOA → district lookup (outside England, or an unknown code),
/// - in a district outside the study area (touched at < 50 % of its LSOAs),
/// and the study area's LSOAs absent from the table (e.g. 2011 codes retired in 2021) are left out and
/// counted — a producer's zero-filled table has no row for them, which means "not covered", not zero.
struct PanelCountsTable {
    let panel: Panel
    let area: [Double]?
    let note: String
    let accounting: JSONValue

    /// The table `o.paths[0]` over `o`'s months (`--from/--to`), study area (`--lookup`) and boundaries.
    init(_ o: InputOptions, io: CLIOutput, boundaries: LSOABoundaries? = nil, boundariesPath: String) throws {
        let path = o.paths[0]
        let file = try LSOACountsFile.read(path: path)
        let opts = o.common
        let lookupPath = o.lookupPath
        guard FileManager.default.fileExists(atPath: lookupPath) else {
            throw RuntimeError("the study-area rule needs an LSOA -> district lookup; '\(lookupPath)' not found (give --lookup FILE; for the bundled lookup \(BundledData.hint))")
        }
        let lookup = try DistrictLookupLoader.load(path: lookupPath)
        let T0 = file.months.count
        let first = opts.filter.from ?? file.months.first, last = opts.filter.to ?? file.months.last
        guard first <= last, first >= file.months.first, last <= file.months.last else {
            throw RuntimeError("\(path) holds \(file.months.first)…\(file.months.last); --from/--to ask for \(first)…\(last)")
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
        guard !units.isEmpty else { throw RuntimeError("\(path): no LSOA of the table joins the study area (2011 codes in \(lookupPath))") }
        var counts = [Double](repeating: 0, count: units.count * T)
        for (k, c) in units.enumerated() {
            let u = row[c]!
            for t in 0 ..< T { counts[k * T + t] = file.counts[u * T0 + shift + t] }
        }
        func rowsOf(_ cs: [String]) -> Double { cs.reduce(0.0) { s, c in s + (0 ..< T).reduce(0.0) { $0 + file.counts[row[c]! * T0 + shift + $1] } } }
        let used = counts.reduce(0, +)
        if !o.quiet {
            io.err("Counts table \(path): \(file.codes.count) LSOA codes × \(T0) months (\(file.rowsRead) rows, \(file.absentPairs) absent pairs counted as 0)\n")
            io.err("  study area: \(sa.districts.count) districts; \(units.count) LSOAs used (\(Int(used)) incidents in \(months.first)…\(months.last))\n")
            io.err("  not used: \(codes2021.count) codes flagged as 2021 LSOAs (\(Int(rowsOf(codes2021))) incidents), \(notInLookup.count) codes not in the lookup (\(Int(rowsOf(notInLookup))) incidents), \(outside.count) LSOAs outside the study area (\(Int(rowsOf(outside))) incidents); \(absent.count) study-area LSOAs absent from the table\n")
        }
        panel = Panel(units: units, months: months, counts: counts)
        let geo = LSOAGeometry(units, boundaries, missingPath: boundariesPath)
        area = geo.area
        note = "LSOAs of the study area in the counts table (\(sa.districts.count) districts, \(units.count) LSOAs; \(codes2021.count) 2021 codes, \(notInLookup.count) unknown codes, \(outside.count) out-of-area and \(absent.count) absent LSOAs not used)" + geo.note
        func list(_ c: [String]) -> JSONValue { .object([("count", .int(c.count)), ("incidents", .number(rowsOf(c.filter { row[$0] != nil }))), ("examples", .array(c.prefix(10).map { .string($0) }))]) }
        accounting = .object([
            ("file", .string(path)), ("rows_read", .int(file.rowsRead)), ("codes", .int(file.codes.count)),
            ("absent_pairs_counted_as_zero", .int(file.absentPairs)),
            ("units_used", .int(units.count)), ("incidents_used", .number(used)),
            ("not_used", .object([
                ("lsoa_2021_code_not_in_2011_set", list(codes2021)), ("not_in_lookup", list(notInLookup)),
                ("outside_study_area", list(outside)),
            ])),
            ("study_area_lsoas_absent_from_table", .object([("count", .int(absent.count)), ("examples", .array(absent.prefix(10).map { .string($0) }))])),
        ])
    }
}
