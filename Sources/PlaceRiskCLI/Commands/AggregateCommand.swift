import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// `placerisk aggregate`: police.uk files → counts by LSOA/cell × month (× crime type).
public enum AggregateCommand: Subcommand {
    public static let spec = CommandSpec(
        name: "aggregate",
        abstract: "Count incidents by LSOA, month, crime type or grid cell.",
        discussion: """
        Reads police.uk street-level CSVs (files, or folders searched for *-street.csv), projects
        WGS84 lon/lat to British National Grid (EPSG:27700, metres) and counts incidents. Every row
        is either used or skipped with a reason; the accounting is printed to stderr.
        Cell outputs: x, y = cell centre (BNG metres); grid origin = lower-left corner; row 0 = south.
        Beside the output, FILE.meta.json records units, grid, filters, accounting and version.
        """,
        positional: "inputs",
        positionalHelp: "police.uk street CSV files or folders (searched recursively for *-street.csv).",
        options: [
            OptionSpec("--by", value: "keys", help: "One of lsoa,month | lsoa,month,crime_type | lsoa | cell,month | cell.", required: true),
            OptionSpec("--out", value: "file", help: "Output .csv (any key) or .asc (ESRI ASCII grid, --by cell only).", required: true),
            OptionSpec("--cell", value: "metres", help: "Cell size; the grid is derived from the study area's extent."),
            OptionSpec("--grid", value: "xmin,ymin,cell,ncols,nrows", help: "Exact grid: lower-left corner, cell size (metres), columns, rows."),
            OptionSpec("--bbox", value: "xmin,ymin,xmax,ymax", help: "Count only points inside this box (BNG metres); with --cell the grid covers it."),
            OptionSpec("--crime-type", value: "name", help: "Keep only this crime type, e.g. \"Violence and sexual offences\".", repeatable: true),
            OptionSpec("--from", value: "YYYY-MM", help: "First month to keep."),
            OptionSpec("--to", value: "YYYY-MM", help: "Last month to keep."),
            OptionSpec("--force", value: "name", help: "Keep only rows whose 'Falls within' is this force.", repeatable: true),
            OptionSpec("--zero-fill", help: "Write every unit x month (x crime type) in range, zeros included."),
            OptionSpec("--study-area", value: "core|all", help: "core: LSOAs of the districts the data cover (>= 50% of LSOAs, conventions 8); all: no restriction. Default: core for cell grids derived with --cell, all otherwise."),
            OptionSpec("--lookup", value: "file", help: "LSOA -> district CSV (IMD 2019 File 1 or any file with LSOA and district code columns). Default: datasets/imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv when present."),
            OptionSpec("--weights", value: "file", help: "CSV crime_type,weight (e.g. a harm index you supply): adds a weighted column; an .asc output then holds weighted sums. Unlisted types weigh 0."),
            OptionSpec("--accounting", value: "file", help: "Also write the row accounting as JSON."),
            OptionSpec("--strict", help: "Stop at the first malformed row (default: skip and count it)."),
            OptionSpec("--quiet", help: "Do not print the accounting table."),
        ]
    )

    public static let defaultLookup = "datasets/imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv"

    public static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        let byText = a.value("--by")!
        guard let key = AggregationKey(rawValue: byText) else {
            throw UsageError("invalid --by '\(byText)'; expected one of: \(AggregationKey.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let out = a.value("--out")!
        let asc = out.lowercased().hasSuffix(".asc")
        if asc && key != .cell { throw UsageError("an ESRI ASCII grid (.asc) holds one value per cell: use --by cell, or a .csv output") }
        let opts = try CommonOptions(a)
        if !key.byCell, opts.cell != nil || opts.grid != nil {
            throw UsageError("--cell and --grid apply to cell keys (--by cell or cell,month)")
        }
        if key.byCell, opts.cell == nil, opts.grid == nil, opts.bbox == nil {
            throw UsageError("cell keys need --cell <metres> or --grid <xmin,ymin,cell,ncols,nrows>")
        }
        if opts.grid != nil, opts.cell != nil { throw UsageError("give either --grid or --cell, not both") }
        let studyText = a.value("--study-area")
        if let s = studyText, s != "core", s != "all" { throw UsageError("invalid --study-area '\(s)'; expected core or all") }

        let weights = try a.value("--weights").map { p throws(CSVError) in try CrimeTypeWeights.load(path: p) }

        // Load.
        let loaded = try PoliceStreetLoader.load(paths: a.positionals, filter: opts.filter, lenient: !a.flag("--strict"), keepText: false)
        var acc = loaded.accounting
        let table = loaded.table
        guard table.count > 0 else {
            emitAccounting(acc, loaded.files, a, io)
            throw RuntimeError("no incidents left after reading and filtering \(loaded.files.count) file(s)")
        }
        let months = MonthRange(opts.filter.from ?? table.monthSpan!.first, opts.filter.to ?? table.monthSpan!.last)

        // Study area.
        let wantCore = studyText.map { $0 == "core" } ?? (key.byCell && opts.grid == nil && opts.bbox == nil)
        var study: StudyArea?
        if wantCore {
            let lookupPath = a.value("--lookup") ?? defaultLookup
            guard FileManager.default.fileExists(atPath: lookupPath) else {
                throw RuntimeError("the study-area rule needs an LSOA -> district lookup; '\(lookupPath)' not found (give --lookup FILE, or --study-area all, or --grid/--bbox)")
            }
            let lookup = try DistrictLookupLoader.load(path: lookupPath)
            study = StudyArea(touched: table.lsoaID.lazy.filter { $0 >= 0 }.map { table.lsoaCodes[Int($0)] }, lookup: lookup)
            let sa = study!
            let inc = sa.coverage.filter(\.included), exc = sa.coverage.filter { !$0.included }
            if !a.flag("--quiet") {
                io.err("Study area: \(inc.count) districts (\(sa.lsoaCodes.count) LSOAs): \(inc.map(\.name).joined(separator: ", "))\n")
                if !exc.isEmpty {
                    io.err("  excluded \(exc.count) districts touched at < 50% of their LSOAs (e.g. \(exc.prefix(3).map { "\($0.name) \($0.lsoasTouched)/\($0.lsoasTotal)" }.joined(separator: ", ")))\n")
                }
                if !sa.unknownCodes.isEmpty { io.err("  \(sa.unknownCodes.count) LSOA codes not in the lookup (e.g. LSOA 2021 or Welsh codes)\n") }
            }
        }

        // Grid.
        var grid = opts.grid
        if key.byCell, grid == nil {
            let cell = opts.cell ?? (opts.bbox.map { min($0.maxX - $0.minX, $0.maxY - $0.minY) / 250 })!
            if let b = opts.bbox {
                grid = try Grid(covering: b, cell: cell)
            } else {
                let codeIn = table.lsoaCodes.map { study?.contains(lsoa: $0) ?? true }
                grid = try IncidentAggregator.deriveGrid(table, cell: cell) { i in
                    let l = table.lsoaID[i]
                    return study == nil || (l >= 0 && codeIn[Int(l)])
                }
            }
            if !a.flag("--quiet") { io.err("Grid: \(grid!.spec) (\(grid!.label), EPSG:27700, lower-left origin)\n") }
        }
        // Points outside the grid (e.g. stray out-of-area LSOAs) are skipped as outside_grid.
        let bbox = opts.bbox

        // Types axis.
        var types: [CrimeType] = []
        if key.byCrimeType {
            if let f = opts.filter.crimeTypes { types = f.sorted() } else {
                let present = Set(table.crimeTypes)
                types = a.flag("--zero-fill") ? CrimeType.standard + present.filter { $0.standardIndex == nil }.sorted() : present.sorted()
            }
        }
        let units: [String]? = key.byCell ? nil : (study.map { sa in
            a.flag("--zero-fill") ? sa.lsoaCodes
                : Set(table.lsoaID.lazy.filter { $0 >= 0 }.map { table.lsoaCodes[Int($0)] }).filter { sa.contains(lsoa: $0) }.sorted()
        })
        let req = IncidentAggregator.Request(key: key, grid: grid, bbox: bbox, months: months, crimeTypes: types, lsoaUnits: units, weights: weights)
        let result = IncidentAggregator.aggregate(table, req)
        for (r, n) in result.skipped { acc.unuse(n, because: r) }
        precondition(acc.isBalanced, "row accounting does not balance")

        // Write (creating the output's folder if needed).
        let folder = (out as NSString).deletingLastPathComponent
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        var written = 0
        if asc {
            try ASCIIGrid.write(path: out, grid: grid!, values: result.counts.sums ?? result.counts.counts.map { Double($0) })
            written = grid!.cellCount
        } else {
            let w = try CSVWriter(path: out)
            written = try KeyedCountsWriter.writeCSV(result.counts, unitLabels: result.unitLabels, grid: grid,
                                                     zeroFill: a.flag("--zero-fill"), to: w)
            try w.close()
        }
        let meta = Metadata.aggregate(key: key, out: out, grid: grid, bbox: bbox, months: months, options: opts,
                                      zeroFill: a.flag("--zero-fill"), study: study, accounting: acc, files: loaded.files,
                                      rowsWritten: written, total: result.counts.total, weights: weights)
        try Metadata.write(meta, beside: out)
        emitAccounting(acc, loaded.files, a, io)
        if !a.flag("--quiet") { io.err("Wrote \(out) (\(written) \(asc ? "cells" : "rows"), \(result.counts.total) incidents)\n") }
    }

    static func emitAccounting(_ acc: RowAccounting, _ files: [(path: String, rowsRead: Int, rowsLoaded: Int)], _ a: ParsedArguments, _ io: CLIOutput) {
        if !a.flag("--quiet") { io.err(AccountingReport.table(acc, title: "Rows (\(files.count) file(s))")) }
        if let p = a.value("--accounting") {
            do { try (AccountingReport.json(acc, files: files).serialized() + "\n").write(toFile: p, atomically: true, encoding: .utf8) } catch {
                io.err("Error: cannot write accounting to \(p): \(error.localizedDescription)\n")
            }
        }
    }
}
