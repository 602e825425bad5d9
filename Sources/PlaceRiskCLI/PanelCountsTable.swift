import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// A panel from a ready LSOA × month counts table for the risk-model commands: the table read, the
/// study-area join (`LSOACountsPanel`, every code that does not join counted by reason), printed, with
/// the units' areas for PAI.
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
        let p: LSOACountsPanel
        do { p = try LSOACountsPanel(file, lookup: lookup, from: opts.filter.from, to: opts.filter.to) } catch { throw RuntimeError(error.description) }
        let months = p.months
        if !o.quiet {
            io.err("Counts table \(path): \(file.codes.count) LSOA codes × \(file.months.count) months (\(file.rowsRead) rows, \(file.absentPairs) absent pairs counted as 0)\n")
            io.err("  study area: \(p.study.districts.count) districts; \(p.units.count) LSOAs used (\(Int(p.incidentsUsed)) incidents in \(months.first)…\(months.last))\n")
            io.err("  not used: \(p.codes2021.count) codes flagged as 2021 LSOAs (\(Int(p.incidents2021)) incidents), \(p.notInLookup.count) codes not in the lookup (\(Int(p.incidentsNotInLookup)) incidents), \(p.outsideStudyArea.count) LSOAs outside the study area (\(Int(p.incidentsOutside)) incidents); \(p.absentFromTable.count) study-area LSOAs absent from the table\n")
        }
        panel = Panel(units: p.units, months: months, counts: p.counts)
        let geo = LSOAGeometry(p.units, boundaries, missingPath: boundariesPath)
        area = geo.area
        note = p.note + geo.note
        accounting = p.accounting(file)
    }
}
