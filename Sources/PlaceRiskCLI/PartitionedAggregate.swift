import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// `aggregate --partition-by …`: police.uk archive trees streamed into a Hive-style folder of
/// partial aggregates (`PartitionFolder`), each force-month read once (`ArchiveDiscovery`).
enum PartitionedAggregate {
    static func run(_ o: AggregateCommand.Options, fields: [StreamingAggregation.PartitionField], io: CLIOutput) throws {
        let opts = o.input.common, quiet = o.input.quiet
        let weights = try o.weights.map { p throws(CSVError) in try CrimeTypeWeights.load(path: p) }
        let selection = try ArchiveDiscovery.select(o.input.paths)
        guard !selection.sources.isEmpty else {
            throw RuntimeError("no police.uk '*\(PoliceStreetLoader.fileSuffix)' files found in \(o.input.paths.joined(separator: " "))")
        }
        if !quiet { for d in selection.dropped { io.err("Archive: \(d.sentence)\n") } }
        var districts: [String: String]? = nil
        if fields.contains(.district) {
            let path = o.input.lookupPath
            guard FileManager.default.fileExists(atPath: path) else {
                throw RuntimeError("--partition-by district needs an LSOA -> district lookup; '\(path)' not found (give --lookup FILE; for the bundled lookup \(BundledData.hint))")
            }
            districts = try DistrictLookupLoader.load(path: path).districtOfLSOA
        }
        let unit: StreamingAggregation.Unit
        var grid: Grid? = nil
        if o.key.byCell {
            let g: Grid
            if let given = opts.grid { g = given } else {
                let b = opts.bbox!
                g = try Grid(covering: b, cell: opts.cell ?? min(b.maxX - b.minX, b.maxY - b.minY) / 250)
            }
            grid = g
            unit = .cell(g, bbox: opts.bbox)
            if !quiet { io.err("Grid: \(g.spec) (\(g.label), EPSG:27700, lower-left origin)\n") }
        } else { unit = .lsoa }
        let identity = PartitionFolder.Identity(unit: o.key.byCell ? "cell_id" : "lsoa_code", grid: grid?.spec ?? "",
                                                weights: PartitionFolder.Identity.weightsText(weights))
        let req = StreamingAggregation.Request(unit: unit, partitionBy: fields, filter: opts.filter, lenient: !o.input.strict,
                                               weights: weights, districtOfLSOA: districts)
        let writer = try PartitionFolder.Writer(root: o.out, fields: fields.map(\.rawValue), format: o.format, identity: identity)
        let started = Date()
        let result: StreamingAggregation.Result
        do {
            // Parts are written on a background thread while the next files are read.
            result = try StreamingAggregation.run(selection.sources, req) { parts throws in try writer.writeInBackground(parts) }
            try writer.waitForWrites()
            let ledger = IncidentInputs.ledgerJSON(result.accounting, files: result.files, diagnostics: diagnostics(result, selection))
            try writer.finish(extra: [("accounting", ledger), ("version", .string(PlaceRiskVersion.string))])
        } catch {
            writer.abandon()
            throw error
        }
        let seconds = Date().timeIntervalSince(started)
        if !quiet {
            for w in result.warnings { io.err("Warning: \(w)\n") }
            io.err(AccountingReport.table(result.accounting, title: "Rows (\(result.files.count) file(s))"))
            let t = result.timing
            io.err(String(format: "Time: %.2f s (%.0f rows/s); read %.2f s, parse+project %.2f s, count %.2f s (worker time: summed over the workers), merge %.2f s, write %.2f s (sorting and building the parts %.2f s, encoding and writing them %.2f s)\n",
                          seconds, Double(result.accounting.rowsRead) / max(seconds, 1e-9), t.read, t.parse, t.count, t.merge, t.flush,
                          t.flush - t.flushWrite, t.flushWrite))
            io.err("Wrote \(o.out)/ (\(writer.filesWritten) \(o.format.rawValue) part(s), \(writer.rowsWritten) rows, \(result.incidents) incidents)\n")
        }
        try IncidentInputs.writeAccounting(IncidentInputs.ledgerJSON(result.accounting, files: result.files, diagnostics: diagnostics(result, selection)),
                                           to: o.input.accounting)
    }

    /// The archive choices and the loader's diagnostics, for the ledger.
    static func diagnostics(_ r: StreamingAggregation.Result, _ s: ArchiveDiscovery.Selection) -> [(String, JSONValue)] {
        [("archive_copies_not_read", .array(s.dropped.map { d in
            .object([("path", .string(d.path)), ("force", .string(d.force)), ("month", .string(d.month.description)),
                     ("reason", .string(d.reason.rawValue)), ("read_instead", .string(d.kept))])
        })),
         ("unknown_crime_types", .array(r.unknownCrimeTypes.map { .object([("label", .string($0.label)), ("rows", .int($0.rows))]) })),
         ("duplicate_crime_ids", .string("not checked when streaming")),
         ("warnings", .array(r.warnings.map { .string($0) }))]
    }
}
