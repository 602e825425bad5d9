import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// Plain `aggregate --by …` streamed through `StreamingAggregation` (the one aggregation path that
/// `--partition-by` also takes): the files are counted at the finest grain, unit × month × crime
/// type, and the keys — not the rows — are then placed on the output's axes with the in-memory
/// aggregator's rules and skip reasons, in its order (`IncidentAggregator`: no LSOA, outside the
/// study area, outside the month range, a crime type off the axis; for cells no coordinates, outside
/// BNG, outside the grid or `--bbox`). Memory grows with the keys and the distinct Crime IDs.
///
/// Not taken (the rows are loaded in memory instead) for grids derived from the points with
/// `--cell` alone (the extent needs every point first) and for `--drop-duplicate-ids` (which row of
/// a repeated ID goes depends on every row), and when dated sources (`--incidents`) join the police
/// rows (their ledgers and safe publication are in `IncidentInputs`).
enum StreamedAggregate {
    static func applies(_ o: AggregateCommand.Options, _ a: ParsedArguments) -> Bool {
        let opts = o.input.common
        if o.key.byCell && opts.grid == nil && opts.bbox == nil { return false }
        // Dated sources (--incidents) join the police rows in memory, with their own ledgers and
        // safe publication (IncidentInputs); the stream reads police.uk files only.
        if o.input.dated != nil { return false }
        return !o.input.dropDuplicateIDs
    }

    static func run(_ o: AggregateCommand.Options, io: CLIOutput) throws {
        let key = o.key, out = o.out, asc = o.ascii, opts = o.input.common, quiet = o.input.quiet
        let weights = try o.weights.map { p throws(CSVError) in try CrimeTypeWeights.load(path: p) }
        let core = o.studyArea ?? (o.input.districts != nil)
        var grid: Grid? = nil
        if key.byCell {
            if let g = opts.grid { grid = g } else {
                let b = opts.bbox!
                grid = try Grid(covering: b, cell: opts.cell ?? min(b.maxX - b.minX, b.maxY - b.minY) / 250)
            }
        }
        let unit: StreamingAggregation.Unit = grid.map { .cell($0, bbox: opts.bbox) } ?? .lsoa
        let c = try StreamingAggregation.counts(paths: o.input.paths, unit: unit, filter: opts.filter, lenient: !o.input.strict)
        let load = c.result.load
        var accounting = c.result.accounting
        let files = c.loader.files
        var diagnostics: [(String, JSONValue)] = []
        if case .object(let all) = AccountingReport.json(c.loader) {
            let own = Set(["unknown_crime_types", "duplicate_crime_ids", "duplicate_crime_id_examples", "swapped_coordinate_files", "warnings"])
            diagnostics = all.filter { own.contains($0.0) }
        }
        if !quiet { for w in c.loader.warnings { io.err("Warning: \(w)\n") } }
        guard let first = load.months.first, let last = load.months.last else {
            try IncidentInputs.emitAccounting(accounting, files, o.input, io, diagnostics: diagnostics)
            throw RuntimeError("no incidents left after reading and filtering \(files.count) file(s)")
        }
        let months = MonthRange(opts.filter.from ?? first, opts.filter.to ?? last)
        let study = core ? try IncidentInputs.studyArea(touched: load.lsoaCodes, o.input, io: io).study : nil
        if let g = grid, opts.grid == nil, !quiet { io.err("Grid: \(g.spec) (\(g.label), EPSG:27700, lower-left origin)\n") }

        // The axes, as the in-memory command builds them.
        var types: [CrimeType] = []
        if key.byCrimeType {
            if let f = opts.filter.crimeTypes { types = f.sorted() } else {
                let present = Set(load.crimeTypes)
                types = o.zeroFill ? CrimeType.standard + present.filter { $0.standardIndex == nil }.sorted() : present.sorted()
            }
        }
        let labels: [String] = key.byCell ? [] : study.map { sa in o.zeroFill ? sa.lsoaCodes : load.lsoaCodes.filter { sa.contains(lsoa: $0) } } ?? load.lsoaCodes
        var monthsWithoutInput: [YearMonth] = []
        if o.zeroFill {
            let present = Set(load.months.map(\.index))
            monthsWithoutInput = months.filter { !present.contains($0.index) }
            if !monthsWithoutInput.isEmpty {
                let list = monthsWithoutInput.count > 12 ? monthsWithoutInput.prefix(6).map(\.description).joined(separator: ", ") + ", … \(monthsWithoutInput.last!)"
                                                         : monthsWithoutInput.map(\.description).joined(separator: ", ")
                io.err("Warning: --zero-fill writes zeros for \(monthsWithoutInput.count) month(s) with no input rows at all (\(list)); these are missing files, not months without crime — narrow --from/--to or add the files\n")
            }
        }
        let unitCount = key.byCell ? grid!.cellCount : labels.count
        let cells = unitCount * (key.byMonth ? months.count : 1) * (key.byCrimeType ? types.count : 1)
        var kc = KeyedCounts(key: key, unitCount: unitCount, months: key.byMonth ? months : nil, crimeTypes: types,
                             counts: [Int32](repeating: 0, count: cells), sums: weights == nil ? nil : [Double](repeating: 0, count: cells))
        var unitOf: [String: Int] = [:]
        for (k, l) in labels.enumerated() { unitOf[l] = k }
        var typeOf: [CrimeType: Int] = [:]
        for (k, t) in types.enumerated() { typeOf[t] = k }
        var skipped: [SkipReason: Int] = [:]
        for i in 0 ..< c.n.count {
            let n = Int(c.n[i])
            let u: Int
            if key.byCell { u = Int(c.cellIDs[i]) } else {
                guard let k = unitOf[c.lsoaCodes[i]] else { skipped[.outsideStudyArea, default: 0] += n; continue }
                u = k
            }
            let m = c.monthIndex[i] - months.first.index
            guard m >= 0 && m < months.count else { skipped[.filteredMonth, default: 0] += n; continue }
            var t = 0
            if key.byCrimeType {
                guard let k = typeOf[c.crimeTypes[i]] else { skipped[.filteredCrimeType, default: 0] += n; continue }
                t = k
            }
            let idx = kc.index(unit: u, month: key.byMonth ? m : 0, type: t)
            kc.counts[idx] += Int32(n)
            if let w = weights {
                let wt = w[c.crimeTypes[i]] ?? 0
                for _ in 0 ..< n { kc.sums![idx] += wt }
            }
        }
        for (r, n) in skipped.sorted(by: { $0.key < $1.key }) { accounting.unuse(n, because: r) }
        precondition(accounting.isBalanced, "row accounting does not balance")

        createParentFolder(of: out)
        var written = 0
        if asc {
            try ASCIIGrid.write(path: out, grid: grid!, values: kc.sums ?? kc.counts.map { Double($0) })
            written = grid!.cellCount
        } else {
            let w = try CSVWriter(path: out)
            written = try KeyedCountsWriter.writeCSV(kc, unitLabels: labels, grid: grid, zeroFill: o.zeroFill, to: w)
            try w.close()
        }
        var meta = Metadata.aggregate(key: key, out: out, grid: grid, bbox: opts.bbox, months: months, options: opts,
                                      zeroFill: o.zeroFill, study: study, accounting: accounting, files: files,
                                      rowsWritten: written, total: kc.total, weights: weights)
        if o.zeroFill, case .object(var ob) = meta {
            ob.append(("months_without_input", .array(monthsWithoutInput.map { .string($0.description) })))
            meta = .object(ob)
        }
        try Metadata.write(meta, beside: out)
        try IncidentInputs.emitAccounting(accounting, files, o.input, io, diagnostics: diagnostics)
        if !quiet { io.err("Wrote \(out) (\(written) \(asc ? "cells" : "rows"), \(kc.total) incidents)\n") }
    }
}
