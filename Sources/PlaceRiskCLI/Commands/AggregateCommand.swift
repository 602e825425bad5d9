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
            OptionSpec.cell("none; the grid covers the study area's located incidents, or --bbox with its shorter side / 250"),
            OptionSpec.exactGrid,
            OptionSpec.bbox,
            OptionSpec("--zero-fill", help: "Write every unit x month (x crime type) in range, zeros included."),
            OptionSpec("--study-area", value: "core|all", help: "core: LSOAs of the districts the data cover (>= 50% of LSOAs, conventions 8); all: no restriction. Default: core for cell grids derived with --cell, all otherwise."),
            OptionSpec.harmWeights("adds a weighted column; an .asc output then holds weighted sums"),
            OptionSpec("--partition-by", value: "fields", help: "Stream the inputs into a Hive-style folder --out DIR of partial aggregates (unit x month x crime type: n, sum_w, sum_w2), split by any of force,year,month,district (comma-separated, in folder order) or none. Archive trees are read each force-month once."),
            OptionSpec("--format", value: "parquet|csv", help: "Format of the partition parts (default parquet)."),
        ] + OptionSpec.policeFilters + OptionSpec.runControls
    )

    /// The options of `aggregate`, parsed and checked before any file is read.
    struct Options: Sendable {
        var input: InputOptions
        var key: AggregationKey
        var out: String
        var ascii: Bool
        var zeroFill: Bool
        /// `--study-area core|all` (nil: core for grids derived with --cell, all otherwise).
        var studyArea: Bool?
        /// `--weights`: the crime-type weights file.
        var weights: String?
        /// `--partition-by` (nil: one output file, in memory); empty for `none`.
        var partitionBy: [StreamingAggregation.PartitionField]?
        var format: PartitionFolder.Format

        init(_ a: ParsedArguments) throws {
            let byText = a.value("--by")!
            guard let key = AggregationKey(rawValue: byText) else {
                throw UsageError("invalid --by '\(byText)'; expected one of: \(AggregationKey.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.key = key
            out = a.value("--out")!
            ascii = out.lowercased().hasSuffix(".asc")
            if ascii && key != .cell { throw UsageError("an ESRI ASCII grid (.asc) holds one value per cell: use --by cell, or a .csv output") }
            input = try InputOptions(a)
            let opts = input.common
            if !key.byCell, opts.cell != nil || opts.grid != nil {
                throw UsageError("--cell and --grid apply to cell keys (--by cell or cell,month)")
            }
            if key.byCell, opts.cell == nil, opts.grid == nil, opts.bbox == nil {
                throw UsageError("cell keys need --cell <metres> or --grid <xmin,ymin,cell,ncols,nrows>")
            }
            if opts.grid != nil, opts.cell != nil { throw UsageError("give either --grid or --cell, not both") }
            studyArea = try a.value("--study-area").map { s in
                guard s == "core" || s == "all" else { throw UsageError("invalid --study-area '\(s)'; expected core or all") }
                return s == "core"
            }
            if studyArea == false, input.districts != nil { throw UsageError("--districts names a study area; it cannot be combined with --study-area all") }
            zeroFill = a.flag("--zero-fill")
            weights = a.value("--weights")
            if input.publish {
                // Safe publication writes suppressed cells as '*': a grid of numbers or weighted sums cannot carry them.
                if ascii { throw UsageError("an .asc grid cannot mark suppressed counts: under safe publication (the default for health sources) write a .csv, or give --no-publish for use inside the partnership") }
                if weights != nil { throw UsageError("weighted sums of a health source's counts would give suppressed counts back: drop --weights under safe publication, or give --no-publish") }
                if a.value("--partition-by") != nil { throw UsageError("partial aggregates are exact by design (they are merged later): --partition-by needs --no-publish with a health source") }
            }
            let f = a.value("--format") ?? "parquet"
            guard let fmt = PartitionFolder.Format(rawValue: f) else { throw UsageError("invalid --format '\(f)'; expected parquet or csv") }
            format = fmt
            partitionBy = try a.value("--partition-by").map { text in
                if text == "none" { return [] }
                var out: [StreamingAggregation.PartitionField] = []
                for t in text.split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) {
                    guard let p = StreamingAggregation.PartitionField(rawValue: t) else {
                        throw UsageError("invalid --partition-by field '\(t)'; expected force, year, month, district (comma-separated) or none")
                    }
                    guard !out.contains(p) else { throw UsageError("--partition-by names '\(t)' twice") }
                    out.append(p)
                }
                guard !out.isEmpty else { throw UsageError("--partition-by needs fields, e.g. force,month, or none") }
                return out
            }
            if a.value("--format") != nil && partitionBy == nil { throw UsageError("--format applies to partitioned output: add --partition-by force,month (or none)") }
            if let p = partitionBy {
                if input.dated != nil { throw UsageError("--partition-by streams police.uk archives; dated sources (--incidents) are not streamed: aggregate them without --partition-by") }
                if ascii { throw UsageError("--partition-by writes a folder of parts, not an .asc grid") }
                if zeroFill { throw UsageError("--zero-fill does not apply to partial aggregates (absent keys are zeros when merged)") }
                if studyArea == true { throw UsageError("--study-area core needs every row at once; partitioned output is streamed (use --districts on the merged result, or --study-area all)") }
                if key.byCell && opts.grid == nil && opts.bbox == nil { throw UsageError("streamed cell counts need a fixed grid: give --grid <xmin,ymin,cell,ncols,nrows> or --bbox with --cell") }
                if key.byCell && p.contains(.district) { throw UsageError("--partition-by district needs LSOA units (--by lsoa,month,crime_type)") }
                if a.flag("--drop-duplicate-ids") { throw UsageError("--drop-duplicate-ids needs every Crime ID at once; partitioned output is streamed (overlapping archives are read each force-month once)") }
                if a.value("--districts") != nil { throw UsageError("--districts does not apply to partitioned output; filter the merged result by district") }
            }
        }
    }

    public static func run(_ a: ParsedArguments, io: CLIOutput) throws { try run(a, io: io, streamed: true) }

    /// `streamed: false` keeps every row in memory (`IncidentInputs` + `IncidentAggregator`): what the
    /// streamed path is tested against, and the path for grids derived from the points and for
    /// `--drop-duplicate-ids`.
    static func run(_ a: ParsedArguments, io: CLIOutput, streamed: Bool) throws {
        let o = try Options(a)
        if let p = o.partitionBy { return try PartitionedAggregate.run(o, fields: p, io: io) }
        if streamed && StreamedAggregate.applies(o, a) { return try StreamedAggregate.run(o, io: io) }
        let key = o.key, out = o.out, asc = o.ascii, opts = o.input.common, quiet = o.input.quiet
        let weights = try o.weights.map { p throws(CSVError) in try CrimeTypeWeights.load(path: p) }
        // --districts / --area name the study area: it applies to every key.
        let core = o.studyArea ?? (o.input.districts != nil || (key.byCell && opts.grid == nil && opts.bbox == nil))
        var inputs = try IncidentInputs(o.input, core: core, io: io)
        let table = inputs.table, study = inputs.study
        let grid = key.byCell ? try inputs.grid(opts, quiet: quiet, io: io) : nil

        // Types axis.
        var types: [CrimeType] = []
        if key.byCrimeType {
            if let f = opts.filter.crimeTypes { types = f.sorted() } else {
                let present = Set(table.crimeTypes)
                types = o.zeroFill ? CrimeType.standard + present.filter { $0.standardIndex == nil }.sorted() : present.sorted()
            }
        }
        let units: [String]? = key.byCell ? nil : study.map { sa in
            o.zeroFill ? sa.lsoaCodes : inputs.presentLSOAs.filter { sa.contains(lsoa: $0) }
        }
        // Points outside the grid or --bbox (e.g. stray out-of-area LSOAs) are skipped as outside_grid.
        let req = IncidentAggregator.Request(key: key, grid: grid, bbox: opts.bbox, months: inputs.months, crimeTypes: types,
                                             lsoaUnits: units, weights: weights)
        // Months of the range that no input row falls in: zero-filled rows there are not observed zeros.
        var monthsWithoutInput: [YearMonth] = []
        if o.zeroFill {
            var present = Set<Int32>()
            for m in table.monthIndex { present.insert(m) }
            monthsWithoutInput = inputs.months.filter { !present.contains(Int32($0.index)) }
            if !monthsWithoutInput.isEmpty {
                let list = monthsWithoutInput.count > 12 ? monthsWithoutInput.prefix(6).map(\.description).joined(separator: ", ") + ", … \(monthsWithoutInput.last!)"
                                                         : monthsWithoutInput.map(\.description).joined(separator: ", ")
                io.err("Warning: --zero-fill writes zeros for \(monthsWithoutInput.count) month(s) with no input rows at all (\(list)); these are missing files, not months without crime — narrow --from/--to or add the files\n")
            }
        }
        let result = IncidentAggregator.aggregate(table, req)
        for (r, n) in result.skipped { inputs.accounting.unuse(n, because: r) }
        precondition(inputs.accounting.isBalanced, "row accounting does not balance")

        createParentFolder(of: out)
        var written = 0
        var published: PublishedTable?
        if asc {
            try ASCIIGrid.write(path: out, grid: grid!, values: result.counts.sums ?? result.counts.counts.map { Double($0) })
            written = grid!.cellCount
        } else if o.input.publish {
            let w = try CSVWriter(path: out)
            let r = try PublishedCountsWriter.writeCSV(result.counts, unitLabels: result.unitLabels, grid: grid, zeroFill: o.zeroFill, to: w)
            try w.close()
            written = r.rows
            published = r.table
        } else {
            let w = try CSVWriter(path: out)
            written = try KeyedCountsWriter.writeCSV(result.counts, unitLabels: result.unitLabels, grid: grid,
                                                     zeroFill: o.zeroFill, to: w)
            try w.close()
        }
        var meta = Metadata.aggregate(key: key, out: out, grid: grid, bbox: opts.bbox, months: inputs.months, options: opts,
                                      zeroFill: o.zeroFill, study: study, accounting: inputs.accounting, files: inputs.files,
                                      rowsWritten: written, total: result.counts.total, weights: weights)
        if o.zeroFill, case .object(var o) = meta {
            o.append(("months_without_input", .array(monthsWithoutInput.map { .string($0.description) })))
            meta = .object(o)
        }
        if o.input.dated != nil, case .object(var m) = meta {
            // Under safe publication the exact total (and the ledger's used count) would undo the rounding.
            if let p = published {
                m = m.compactMap { kv -> (String, JSONValue)? in
                    if kv.0 == "incidents_counted" { return (kv.0, p.total.map { .int($0) } ?? .string(SafePublication.suppressedMark)) }
                    // The exact ledger would give the exact total back: it goes to --accounting only (internal).
                    if kv.0 == "accounting" { return (kv.0, .string("exact row accounting withheld under safe publication; see --accounting (internal use only)")) }
                    return kv
                }
                m.append(("published", .object([("primary_suppressed", .int(p.primary)), ("secondary_suppressed", .int(p.secondary)),
                                                ("total", p.total.map { .int($0) } ?? .string(SafePublication.suppressedMark))])))
            }
            m.append(("publication", .string(DatedSourceSummary.publicationNote(o.input))))
            meta = .object(m)
        }
        try Metadata.write(meta, beside: out)
        try IncidentInputs.emitAccounting(inputs.accounting, inputs.files, o.input, io, diagnostics: inputs.diagnostics)
        if !quiet { io.err("Wrote \(out) (\(written) \(asc ? "cells" : "rows"), \(result.counts.total) incidents)\n") }
    }
}
