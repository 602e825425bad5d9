import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// One dated source (`--incidents FILE --schema S`) read beside police.uk files: where its rows sit in
/// the combined incident table, and its own ledger (the loader's skips, then the filters').
struct DatedSourceSummary: Sendable {
    var path: String
    var source: String
    var schemaOrigin: String
    var health: Bool
    /// Rows of the combined table that came from this source.
    var rows: Range<Int>
    var accounting: RowAccounting
    var homeRows: Int
    var weightedRows: Int
    var months: MonthRange?
    /// The loaded source itself (times, categories, weights), for the time and sources analyses.
    var incidents: DatedIncidents

    var rowsLoaded: Int { rows.count }
    /// Whether the file is the bundled synthetic one (or any file named SYNTHETIC).
    var isSynthetic: Bool { (path as NSString).lastPathComponent.uppercased().contains("SYNTHETIC") }

    /// Reads every dated source of `o`, appends its rows to `table` and its ledger to `accounting`.
    static func load(_ o: InputOptions, into table: inout IncidentTable, accounting: inout RowAccounting, io: CLIOutput) throws -> [DatedSourceSummary] {
        guard let d = o.dated else { return [] }
        let f = o.common.filter
        var out: [DatedSourceSummary] = []
        for (path, schema) in d.sources {
            let inc: DatedIncidents
            do { inc = try DatedIncidentLoader.read(path: path, schema: schema, lenient: !(o.strict || d.strict)) } catch {
                // The loader's sentence names near-repeats; here the source is read beside police.uk files.
                if case .io(let why) = error.kind, why.hasPrefix("the dates are months only") {
                    throw CSVError(.io("the dates are months only (YYYY-MM, as police.uk gives them): an --incidents source needs days; give monthly counts as police.uk street files or an LSOA counts CSV instead"),
                                   file: error.file, line: error.line, column: error.column)
                }
                throw error
            }
            let conv = DatedIncidentTable(inc, crimeTypes: f.crimeTypes, forces: f.forces,
                                          fromDay: o.common.fromBound?.day, toDay: o.common.toBound?.day)
            let lo = table.count
            table.append(contentsOf: conv.table)
            accounting.merge(conv.accounting)
            let s = DatedSourceSummary(path: path, source: inc.source, schemaOrigin: schema.origin, health: schema.isHealthSource,
                                       rows: lo ..< table.count, accounting: conv.accounting, homeRows: conv.homeRows,
                                       weightedRows: conv.weightedRows, months: conv.months, incidents: inc)
            if !o.quiet {
                io.err(AccountingReport.table(conv.accounting, title: "Rows of \(s.source) (\(path), schema \(schema.name))"))
                if conv.homeRows > 0 { io.err("  \(conv.homeRows) home-located rows: counted in LSOA units, never drawn as points (no_coordinates in grid and point analyses)\n") }
                if conv.weightedRows > 0 { io.err("Warning: \(conv.weightedRows) rows of \(path) have a weight other than 1; counts here take each row as one incident (timeofday uses the weights)\n") }
            }
            out.append(s)
        }
        return out
    }

    /// Sentences for periods that do not overlap: counts summed over them mix different years.
    static func periodWarnings(_ s: [DatedSourceSummary], policeMonths: MonthRange?) -> [String] {
        var spans: [(String, MonthRange)] = []
        if let p = policeMonths { spans.append(("police.uk", p)) }
        for x in s { if let m = x.months { spans.append((x.source, m)) } }
        var out: [String] = []
        for x in s where x.months == nil {
            out.append("\(x.path): no rows left after the filters (see its ledger)")
        }
        for i in spans.indices { for j in spans.indices where j > i {
            let a = spans[i], b = spans[j]
            if a.1.last < b.1.first || b.1.last < a.1.first {
                out.append("the periods of \(a.0) (\(a.1.first)..\(a.1.last)) and \(b.0) (\(b.1.first)..\(b.1.last)) do not overlap: counts over both mix different periods, and they cannot be compared month by month")
            }
        } }
        return out
    }

    /// What the outputs of this run may be used for.
    static func publicationNote(_ o: InputOptions) -> String {
        if o.publish { return SafePublication.rule }
        return o.hasHealthSource ? "UNPUBLISHED: exact counts from a health source (--no-publish): not for publication outside the partnership"
                                 : "exact counts (no health source)"
    }

    /// The per-source ledgers as JSON (police.uk first when read).
    static func ledgerJSON(_ s: [DatedSourceSummary], police: RowAccounting?, policeMonths: MonthRange?) -> JSONValue {
        var items: [JSONValue] = []
        func span(_ m: MonthRange?) -> JSONValue { m.map { .string("\($0.first)..\($0.last)") } ?? .null }
        if let p = police, case .object(let o) = AccountingReport.json(p) {
            items.append(.object([("source", .string("police.uk")), ("schema", .string("police-uk")), ("months", span(policeMonths))] + o))
        }
        for x in s {
            guard case .object(let o) = AccountingReport.json(x.accounting) else { continue }
            items.append(.object([("path", .string(x.path)), ("source", .string(x.source)), ("schema", .string(x.schemaOrigin)),
                                  ("health_source", .bool(x.health)), ("synthetic", .bool(x.isSynthetic)), ("months", span(x.months)),
                                  ("home_located_rows", .int(x.homeRows))] + o))
        }
        return .array(items)
    }
}
