import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// Per-LSOA counts of the study area joined to IMD 2019, for `correlate` and `report`: every LSOA of the
/// study-area districts (zero-filled), each with its count, population and deprivation measures; every
/// input row or code that does not join is counted by reason (conventions §7–§8).
struct DeprivationInputs {
    static var defaultIMD: String { BundledData.path("datasets/imd2019/imd2019_england_lsoa.csv") }

    let codes: [String]
    let names: [String]
    let counts: [Double]
    let population: [Double]
    let imd: IMDTable
    /// Row of each unit in `imd`.
    let rows: [Int]
    let join: JSONValue
    let joinLines: [String]
    let periodNote: String
    let crimeNote: String
    let inputPaths: [String]
    /// The street rows' ledger after the join (nil for a counts table).
    let ledger: RowAccounting?
    let files: [(path: String, rowsRead: Int, rowsLoaded: Int)]
    /// The loader's diagnostics (empty for a counts table).
    let diagnostics: [(String, JSONValue)]

    /// The IMD files as one table (every LSOA subset kept), errors in plain words.
    static func loadIMD(_ paths: [String]) throws -> IMDTable {
        do { return try IMDTable.load(paths: paths, lsoaSet: .subsets) } catch { throw RuntimeError(error.description) }
    }

    init(_ o: DeprivationOptions, io: CLIOutput, preloaded: IncidentInputs? = nil, boundaries: LSOABoundaries? = nil, imd preloadedIMD: IMDTable? = nil) throws {
        let imdPaths = o.imdPaths
        for p in imdPaths where !FileManager.default.fileExists(atPath: p) { throw RuntimeError("IMD file '\(p)' not found (give --imd FILE)") }
        let table = try preloadedIMD ?? Self.loadIMD(imdPaths)
        guard table.has(.population) else { throw RuntimeError("the IMD files give no population (File 6 'Total population: mid 2015 (excluding prisoners)'); add File 6 with --imd") }
        imd = table
        var unitCodes: [String] = [], unitCounts: [Double] = []
        var join: [(String, JSONValue)] = [], lines: [String] = []
        let paths = o.input.paths
        if paths.count == 1, LSOACountsFile.looksLike(path: paths[0]) {
            var b = o.input
            if b.lookup == nil, imdPaths.count == 1 { b.lookup = imdPaths[0] }
            b.quiet = true
            let t = try PanelCountsTable(b, io: io, boundariesPath: LSOABoundaries.path(o.boundaries))
            unitCodes = t.panel.units
            unitCounts = (0 ..< t.panel.unitCount).map { u in (0 ..< t.panel.monthCount).reduce(0.0) { $0 + t.panel.count(unit: u, month: $1) } }
            join.append(("counts_table", t.accounting))
            lines.append(t.note)
            periodNote = "\(t.panel.months.first)…\(t.panel.months.last)"
            crimeNote = "all crime types, as counted in \(paths[0])"
            ledger = nil
            files = []
            diagnostics = []
        } else {
            let types = o.types
            // Every type is loaded: the study area counts LSOAs touched by any incident (conventions §8).
            var b = o.input.allTypes
            if b.lookup == nil, imdPaths.count == 1, table.has(.districtCode) { b.lookup = imdPaths[0] }
            let inputs = try preloaded ?? IncidentInputs(b, core: true, io: io)
            guard let sa = inputs.study else { throw RuntimeError("the LSOA study area could not be determined") }
            let t = inputs.table
            unitCodes = sa.lsoaCodes
            if o.input.districts == nil, let bp = o.boundaries {
                // An explicit study area: the LSOAs of the given boundaries.
                let loaded = try boundaries ?? LSOABoundaries.load(bp)
                guard let b = loaded else { throw RuntimeError("boundaries '\(bp)' not found") }
                unitCodes = Array(Set(b.codes)).sorted()
                lines.append("study area: the \(unitCodes.count) LSOAs of \(bp) (--boundaries)")
            }
            let selection = inputs.select(types: types, units: .lsoaSet(Set(unitCodes)))
            ledger = selection.accounting
            files = inputs.files
            diagnostics = inputs.diagnostics
            let rowJoin = IncidentLSOAJoin(t, types: types, months: inputs.months, units: unitCodes, imd: table, unknownCodes: sa.unknownCodes)
            unitCounts = rowJoin.counts
            precondition(rowJoin.joined == selection.count, "DeprivationInputs: the join and the row ledger disagree")
            join.append(("rows", rowJoin.json))
            join.append(("accounting", IncidentInputs.ledgerJSON(selection.accounting, files: inputs.files, diagnostics: inputs.diagnostics)))
            lines.append(rowJoin.sentence)
            periodNote = "\(inputs.months.first)…\(inputs.months.last)"
            crimeNote = types.count == CrimeType.standard.count ? "all crime types" : types.map(\.label).sorted().joined(separator: ", ")
        }
        // Join the study-area LSOAs to IMD rows with a population.
        let unitJoin = IMDUnitJoin(units: unitCodes, imd: table)
        guard unitJoin.kept.count >= 3 else { throw RuntimeError("only \(unitJoin.kept.count) study-area LSOAs join the IMD files; nothing to correlate") }
        let keep = unitJoin.kept
        rows = unitJoin.rows
        codes = keep.map { unitCodes[$0] }
        names = rows.map { table.lsoaNames[$0] }
        counts = keep.map { unitCounts[$0] }
        population = rows.map { table.populations[$0] }
        join.append(("units", unitJoin.json))
        lines.append(unitJoin.sentence)
        self.join = .object(join)
        joinLines = lines
        inputPaths = paths + imdPaths
    }

    /// The deprivation measures for `domains` (higher = more deprived), in the documented order.
    func measures(_ domains: [String]) -> [DomainCorrelation.Measure] { imd.deprivationMeasures(rows: rows, names: domains) }

    static let allDomains = IMDTable.deprivationMeasureNames
}
