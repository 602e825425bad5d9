import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// What every police-data subcommand starts from: the loaded incidents, their row ledger, the
/// month range, the study area (when asked for) and the analysis grid.
struct IncidentInputs {
    static var defaultLookup: String { BundledData.path("datasets/imd2019/imd2019_england_lsoa.csv") }

    let table: IncidentTable
    var accounting: RowAccounting
    let files: [(path: String, rowsRead: Int, rowsLoaded: Int)]
    /// The dated sources (`--incidents`), appended to `table` after the police.uk rows, each with its ledger.
    let sources: [DatedSourceSummary]
    /// The months of the police.uk rows (nil when none were read).
    let policeMonths: MonthRange?
    let months: MonthRange
    private(set) var study: StudyArea?
    /// The force-wide study area by the ≥ 50 % rule, when `study` is an explicit area (`--districts` /
    /// `--area`); otherwise the same as `study`. The report compares the area with the force's other districts.
    let forceStudy: StudyArea?
    /// What the loader noticed beyond the ledger (unknown crime types, duplicate Crime IDs, swapped
    /// lon/lat), as JSON fields for the accounting and as plain sentences printed as warnings.
    let diagnostics: [(String, JSONValue)]
    let warnings: [String]
    /// The LSOA → district lookup of the study-area rule and the distinct LSOA codes of the rows (nil /
    /// empty without the rule), kept so that `restricted(to:)` can re-apply it to one district.
    private(set) var lookup: DistrictLookup?
    private(set) var presentCodes: Set<String> = []

    /// Loads the positional inputs with the common filters; applies the study-area rule when `core`.
    init(_ o: InputOptions, core: Bool, io: CLIOutput) throws {
        let opts = o.common
        var tab = IncidentTable(), acc = RowAccounting(), fs: [(path: String, rowsRead: Int, rowsLoaded: Int)] = []
        var warn: [String] = [], diag: [(String, JSONValue)] = []
        if !o.paths.isEmpty || o.dated == nil {
            let loaded = try PoliceStreetLoader.load(paths: o.paths, filter: opts.filter, lenient: !o.strict, keepText: false,
                                                     dropDuplicateIDs: o.dropDuplicateIDs)
            tab = loaded.table; acc = loaded.accounting; fs = loaded.files; warn = loaded.warnings
            if case .object(let all) = AccountingReport.json(loaded) {
                let own = Set(["unknown_crime_types", "duplicate_crime_ids", "duplicate_crime_id_examples", "swapped_coordinate_files", "warnings"])
                diag = all.filter { own.contains($0.0) }
            }
        }
        policeMonths = tab.monthSpan
        let policeLedger = acc
        let dated = try DatedSourceSummary.load(o, into: &tab, accounting: &acc, io: io)
        sources = dated
        fs += dated.map { ($0.path, $0.accounting.rowsRead, $0.rowsLoaded) }
        if !dated.isEmpty {
            diag.append(("sources", DatedSourceSummary.ledgerJSON(dated, police: o.paths.isEmpty ? nil : policeLedger, policeMonths: policeMonths)))
            diag.append(("publication", .string(DatedSourceSummary.publicationNote(o))))
            warn += DatedSourceSummary.periodWarnings(dated, policeMonths: o.paths.isEmpty ? nil : policeMonths)
        }
        table = tab
        accounting = acc
        files = fs
        warnings = warn
        diagnostics = diag
        if !o.quiet { for w in warnings { io.err("Warning: \(w)\n") } }
        guard table.count > 0 else {
            try Self.emitAccounting(accounting, files, o, io, diagnostics: diagnostics)
            throw RuntimeError("no incidents left after reading and filtering \(files.count) file(s)")
        }
        months = MonthRange(opts.filter.from ?? table.monthSpan!.first, opts.filter.to ?? table.monthSpan!.last)
        guard core else { study = nil; forceStudy = nil; return }
        let t = table
        var present = [Bool](repeating: false, count: t.lsoaCodes.count)
        for l in t.lsoaID where l >= 0 { present[Int(l)] = true }
        let codes = t.lsoaCodes.indices.filter { present[$0] }.map { t.lsoaCodes[$0] }
        let chosen = try Self.studyArea(touched: codes, o, io: io)
        (study, forceStudy, lookup) = (chosen.study, chosen.force, chosen.lookup)
        presentCodes = Set(codes)
        // Rows that touch no district of the lookup at all (police.uk publishes Northern Ireland's rows
        // without LSOA codes) give the rule nothing to choose from: every command that needs it stops here,
        // rather than analyse 0 rows. (Rows that touch districts too thinly go on: their outputs say so.)
        if let sa = study, sa.coverage.isEmpty, let why = emptyStudyAreaReason {
            throw RuntimeError("\(why), so the study-area rule has no district to choose — with --grid or --bbox a grid analysis does without it")
        }
    }

    /// The study area by the rule (conventions §8) from the distinct LSOA codes of the loaded rows,
    /// and the force-wide one (the same unless `--districts` / `--area` name districts); prints what it chose.
    static func studyArea(touched codes: [String], _ o: InputOptions, io: CLIOutput) throws -> (study: StudyArea, force: StudyArea, lookup: DistrictLookup) {
        let lookupPath = o.lookupPath
        guard FileManager.default.fileExists(atPath: lookupPath) else {
            throw RuntimeError("the study-area rule needs an LSOA -> district lookup; '\(lookupPath)' not found (give --lookup FILE, or --study-area all, or --grid/--bbox; for the bundled lookup \(BundledData.hint))")
        }
        let lookup = try DistrictLookupLoader.load(path: lookupPath)
        var explicit: Set<String>?
        if let list = o.districts { explicit = try Self.districtCodes(list, lookup: lookup, lookupPath: lookupPath) }
        let presentCodes = Set(codes)
        let sa = StudyArea(touched: presentCodes, lookup: lookup, districts: explicit)
        let force = explicit == nil ? sa : StudyArea(touched: presentCodes, lookup: lookup)
        if let explicit, !sa.lsoaCodes.contains(where: { presentCodes.contains($0) }) {
            let asked = explicit.sorted().map { lookup.districtNames[$0] ?? $0 }.joined(separator: ", ")
            let covered = force.coverage.filter(\.included).map(\.name).sorted()
            throw RuntimeError("no incident of the inputs lies in \(asked) (--area / --districts); the inputs cover \(covered.isEmpty ? "no district of the lookup" : covered.joined(separator: ", "))")
        }
        if !o.quiet {
            let inc = sa.coverage.filter(\.included), exc = sa.coverage.filter { !$0.included }
            io.err("Study area: \(inc.count) districts (\(sa.lsoaCodes.count) LSOAs): \(inc.map(\.name).joined(separator: ", "))\n")
            if explicit != nil {
                let others = force.coverage.filter { $0.included && !sa.districts.contains($0.code) }.map(\.name).sorted()
                if !others.isEmpty { io.err("  the inputs also cover \(others.count) other districts, not asked for (\(others.prefix(4).joined(separator: ", "))\(others.count > 4 ? ", …" : ""))\n") }
            } else if !exc.isEmpty {
                let eg = exc.prefix(3).map { "\($0.name) \($0.lsoasTouched)/\($0.lsoasTotal)" }.joined(separator: ", ")
                io.err("  excluded \(exc.count) districts touched at < 50% of their LSOAs (e.g. \(eg))\n")
            }
            if !sa.unknownCodes.isEmpty { io.err("  \(sa.unknownCodes.count) LSOA codes not in the lookup (e.g. LSOA 2021 or Welsh codes)\n") }
        }
        return (sa, force, lookup)
    }

    /// The same inputs with the study area set to `districts` (codes) — what `--districts` would give —
    /// and the force's area kept; nil without a lookup. Nothing is read again.
    func restricted(to districts: Set<String>) -> IncidentInputs? {
        guard let lookup else { return nil }
        var copy = self
        copy.study = StudyArea(touched: presentCodes, lookup: lookup, districts: districts)
        return copy
    }

    /// The study area when it was given explicitly (`--districts`, `--area`) and differs from the force's.
    var explicitArea: StudyArea? {
        guard let s = study, let f = forceStudy, s.districts != f.districts else { return nil }
        return s
    }

    /// District codes for `--districts` / `--area` values: codes (E06000052) or names ("Isles of Scilly",
    /// case and spacing ignored) of the lookup's districts; anything else is a usage error listing them.
    static func districtCodes(_ given: [String], lookup: DistrictLookup, lookupPath: String) throws -> Set<String> {
        let known = Set(lookup.districtOfLSOA.values)
        func norm(_ s: String) -> String { s.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" }).joined(separator: " ") }
        var byName: [String: String] = [:]
        for (code, name) in lookup.districtNames where known.contains(code) { byName[norm(name)] = code }
        var out = Set<String>()
        for g in given {
            if known.contains(g.uppercased()) { out.insert(g.uppercased()); continue }
            guard let c = byName[norm(g)] else {
                if byName.isEmpty {
                    throw UsageError("'\(g)' is not a district code in \(lookupPath), which has no district names; give codes, e.g. E06000052,E06000053")
                }
                throw UsageError("'\(g)' is not a district code or name in \(lookupPath) (e.g. E06000052 or \"Cornwall\", \"Isles of Scilly\")")
            }
            out.insert(c)
        }
        return out
    }

    /// Monthly counts per crime type over the study area (all LSOAs when there is none), `[t]`: the same
    /// rows as every LSOA analysis of all types (the one selection rule), counted by type and month.
    func typeSeries() -> [CrimeType: [Double]] {
        IncidentPanelCounts.typeMonth(table, used: select(types: nil, units: .lsoa(study)).used, months: months)
    }

    /// Why the study-area rule chose no LSOA, or nil when it chose some (or was not applied). The rule
    /// reads the rows' LSOA codes: rows without them (police.uk publishes Northern Ireland's so) or with
    /// codes the lookup does not hold touch no district; rows that touch districts at under half of their
    /// LSOAs include none.
    var emptyStudyAreaReason: String? {
        guard let sa = study, sa.lsoaCodes.isEmpty else { return nil }
        let coded = table.lsoaID.lazy.filter { $0 >= 0 }.count
        if sa.coverage.isEmpty {
            if coded == 0 { return "the study area is empty: none of the \(table.count) rows read has an LSOA code (police.uk publishes Northern Ireland's rows without one)" }
            return "the study area is empty: the rows' \(presentCodes.count) LSOA code(s) are not in the district lookup (e.g. \(presentCodes.sorted().prefix(2).joined(separator: ", ")); LSOA 2021 or Welsh codes?)"
        }
        let eg = sa.coverage.prefix(3).map { "\($0.name) \($0.lsoasTouched)/\($0.lsoasTotal)" }.joined(separator: ", ")
        return "the study area is empty: the rows touch no district at half of its LSOAs or more (the study-area rule; \(eg))"
    }

    /// LSOA codes present in the data (after filters), sorted.
    var presentLSOAs: [String] {
        Set(table.lsoaID.lazy.filter { $0 >= 0 }.map { table.lsoaCodes[Int($0)] }).sorted()
    }

    /// The analysis grid: `--grid` exactly; else `--bbox` covered by `--cell` cells (default: the
    /// box's shorter side / 250, as ArcGIS); else the extent of the study area's located points.
    func grid(_ opts: CommonOptions, quiet: Bool, io: CLIOutput) throws -> Grid {
        if let g = opts.grid { return g }
        let g: Grid
        if let b = opts.bbox {
            g = try Grid(covering: b, cell: opts.cell ?? min(b.maxX - b.minX, b.maxY - b.minY) / 250)
        } else {
            guard let cell = opts.cell else { throw UsageError("a grid needs --cell <metres>, --grid or --bbox") }
            let codeIn = table.lsoaCodes.map { study?.contains(lsoa: $0) ?? true }
            let t = table, restrict = study != nil
            do {
                g = try IncidentAggregator.deriveGrid(t, cell: cell) { i in
                    let l = t.lsoaID[i]
                    return !restrict || (l >= 0 && codeIn[Int(l)])
                }
            } catch {
                guard let why = emptyStudyAreaReason else { throw error }
                throw RuntimeError("no grid can be derived: \(why) — give --grid or --bbox to set the grid yourself")
            }
        }
        if !quiet { io.err("Grid: \(g.spec) (\(g.label), EPSG:27700, lower-left origin)\n") }
        return g
    }

    /// The rows an analysis of `types` (nil: all) in `units` uses, over the inputs' months, and the ledger
    /// that follows (`read = used + skipped by reason`; the one rule every command applies).
    func select(types: Set<CrimeType>?, units: IncidentSelection.Units) -> IncidentSelection {
        IncidentSelection(table, base: accounting, crimeTypes: types, months: months, units: units)
    }

    /// Prints the ledger (unless `--quiet`) and writes it as JSON with `--accounting`; a failed write is an error.
    static func emitAccounting(_ acc: RowAccounting, _ files: [(path: String, rowsRead: Int, rowsLoaded: Int)], _ o: InputOptions, _ io: CLIOutput,
                               diagnostics: [(String, JSONValue)] = []) throws {
        precondition(acc.isBalanced, "row accounting does not balance")
        if !o.quiet { io.err(AccountingReport.table(acc, title: "Rows (\(files.count) file(s))")) }
        try writeAccounting(ledgerJSON(acc, files: files, diagnostics: diagnostics), to: o.accounting)
    }

    /// The ledger as JSON with the loader's diagnostics.
    static func ledgerJSON(_ acc: RowAccounting, files: [(path: String, rowsRead: Int, rowsLoaded: Int)], diagnostics: [(String, JSONValue)]) -> JSONValue {
        guard case .object(let o) = AccountingReport.json(acc, files: files) else { return AccountingReport.json(acc, files: files) }
        return .object(o + diagnostics)
    }

    /// Writes an accounting JSON to `--accounting` when given; a failed write is an error.
    static func writeAccounting(_ json: JSONValue, to path: String?) throws {
        guard let p = path else { return }
        createParentFolder(of: p)
        do { try (json.serialized() + "\n").write(toFile: p, atomically: true, encoding: .utf8) } catch {
            throw RuntimeError("cannot write the accounting to \(p): \(plainDescription(error))")
        }
    }
}

/// Creates the folder an output file goes into.
func createParentFolder(of path: String) {
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
}
