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

    init(_ o: DeprivationOptions, io: CLIOutput, preloaded: IncidentInputs? = nil, boundaries: LSOABoundaries? = nil) throws {
        let imdPaths = o.imdPaths
        for p in imdPaths where !FileManager.default.fileExists(atPath: p) { throw RuntimeError("IMD file '\(p)' not found (give --imd FILE)") }
        let table: IMDTable
        do { table = try IMDTable.load(paths: imdPaths, lsoaSet: .subsets) } catch { throw RuntimeError(error.description) }
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
            let pos = Dictionary(uniqueKeysWithValues: unitCodes.enumerated().map { ($1, $0) })
            let selection = inputs.select(types: types, units: .lsoaSet(Set(unitCodes)))
            ledger = selection.accounting
            files = inputs.files
            diagnostics = inputs.diagnostics
            unitCounts = [Double](repeating: 0, count: unitCodes.count)
            var noCode = 0, outsideEngland = 0, notIn2011 = 0, outsideArea = 0, inMonths = 0
            let selected = t.crimeTypes.map { types.contains($0) }
            for i in 0 ..< t.count where selected[Int(t.crimeTypeID[i])] {
                guard inputs.months.offset(ofIndex: Int(t.monthIndex[i])) != nil else { continue }
                inMonths += 1
                guard let c = t.lsoaCode(i), !c.isEmpty else { noCode += 1; continue }
                if let u = pos[c] { unitCounts[u] += 1; continue }
                if !c.hasPrefix("E") { outsideEngland += 1 }
                else if table.row(of: c) == nil && sa.unknownCodes.contains(c) { notIn2011 += 1 }
                else { outsideArea += 1 }
            }
            let used = Int(unitCounts.reduce(0, +))
            precondition(used == selection.count, "DeprivationInputs: the join and the row ledger disagree")
            join.append(("rows", .object([
                ("selected", .int(inMonths)), ("joined", .int(used)), ("no_lsoa_code", .int(noCode)),
                ("outside_england", .int(outsideEngland)), ("not_in_lsoa_2011_set", .int(notIn2011)),
                ("outside_study_area", .int(outsideArea)),
            ])))
            join.append(("accounting", IncidentInputs.ledgerJSON(selection.accounting, files: inputs.files, diagnostics: inputs.diagnostics)))
            lines.append("\(inMonths) selected rows: \(used) joined to the study area's LSOAs; not joined: \(noCode) without an LSOA code, \(outsideEngland) outside England, \(notIn2011) with a code not in the LSOA 2011 set (e.g. 2021 codes), \(outsideArea) in LSOAs outside the study area")
            periodNote = "\(inputs.months.first)…\(inputs.months.last)"
            crimeNote = types.count == CrimeType.standard.count ? "all crime types" : types.map(\.label).sorted().joined(separator: ", ")
        }
        // Join the study-area LSOAs to IMD rows with a population.
        var keep: [Int] = [], rows: [Int] = [], noIMD: [String] = [], noPop: [String] = []
        for (u, c) in unitCodes.enumerated() {
            guard let r = table.row(of: c) else { noIMD.append(c); continue }
            guard table.populations[r].isFinite, table.populations[r] > 0 else { noPop.append(c); continue }
            keep.append(u); rows.append(r)
        }
        guard keep.count >= 3 else { throw RuntimeError("only \(keep.count) study-area LSOAs join the IMD files; nothing to correlate") }
        codes = keep.map { unitCodes[$0] }
        names = rows.map { table.lsoaNames[$0] }
        counts = keep.map { unitCounts[$0] }
        population = rows.map { table.populations[$0] }
        self.rows = rows
        join.append(("units", .object([
            ("study_area_lsoas", .int(unitCodes.count)), ("matched_imd", .int(keep.count)),
            ("no_imd_row", .object([("count", .int(noIMD.count)), ("examples", .array(noIMD.prefix(10).map { .string($0) }))])),
            ("no_population", .object([("count", .int(noPop.count)), ("examples", .array(noPop.prefix(10).map { .string($0) }))])),
        ])))
        lines.append("\(unitCodes.count) study-area LSOAs: \(keep.count) matched IMD 2019 with a population; \(noIMD.count) without an IMD row, \(noPop.count) without a population")
        self.join = .object(join)
        joinLines = lines
        inputPaths = paths + imdPaths
    }

    /// The deprivation measures for `domains` (higher = more deprived), in the documented order.
    func measures(_ domains: [String]) -> [DomainCorrelation.Measure] {
        let N = Double(IMDComposite.englandLSOACount)
        func oriented(_ ranks: [Int]) -> [Double] { rows.map { ranks[$0] > 0 ? N + 1 - Double(ranks[$0]) : .nan } }
        let rankMeaning = "rank oriented as 32,845 − rank (higher = more deprived; no score published in these files)"
        var out: [DomainCorrelation.Measure] = []
        for d in domains {
            switch d {
            case "imd_excluding_crime":
                let all = imd.rebuiltScores(weights: .excludingCrime)
                let dec = Self.deciles(all)
                out.append(.init(name: d, values: rows.map { all[$0] }, deciles: rows.map { dec[$0] },
                                 meaning: "IMD rebuilt from the six non-crime domain ranks (exponential transform, weights w/0.907); deciles \(imd.count == IMDComposite.englandLSOACount ? "national" : "within the \(imd.count) LSOAs of the IMD files")"))
            case "imd":
                let scores = rows.map { imd.imdScores[$0] }
                let useScore = scores.allSatisfy(\.isFinite)
                out.append(.init(name: d, values: useScore ? scores : oriented(imd.imdRanks), deciles: rows.map { imd.imdDeciles[$0] },
                                 meaning: useScore ? "IMD score (published)" : rankMeaning))
            default:
                guard let dom = IMDComposite.Domain(rawValue: d) else { continue }
                let scores = rows.map { imd.scores(dom)[$0] }
                let useScore = scores.allSatisfy(\.isFinite)
                let dec = imd.deciles(dom)
                out.append(.init(name: d, values: useScore ? scores : oriented(imd.ranks(dom)), deciles: rows.map { dec[$0] },
                                 meaning: useScore ? "\(dom.officialName) score (published)" : rankMeaning))
            }
        }
        return out
    }

    static let allDomains = ["imd_excluding_crime", "imd", "income", "employment", "education", "health", "crime", "barriers", "living_environment"]

    /// Deciles 1 (highest 10 % = most deprived) … 10 of `values` by rank (NaN → 0).
    static func deciles(_ values: [Double]) -> [Int] {
        let idx = values.indices.filter { values[$0].isFinite }.sorted { values[$0] > values[$1] }
        var out = [Int](repeating: 0, count: values.count)
        for (k, i) in idx.enumerated() { out[i] = k * 10 / max(1, idx.count) + 1 }
        return out
    }
}
