import PlaceRiskCore

/// Row accounting as a short text table (stderr) and as JSON.
public enum AccountingReport {
    /// A short table: rows read, used, and skipped by reason.
    public static func table(_ a: RowAccounting, title: String = "Rows") -> String {
        var rows: [(String, Int)] = [("read", a.rowsRead), ("used", a.rowsUsed)]
        for (r, n) in a.orderedSkips { rows.append(("skipped: " + r.label, n)) }
        let w = rows.map { $0.0.count }.max() ?? 0
        let nw = rows.map { String($0.1).count }.max() ?? 0
        var s = "\(title)\n"
        for (k, v) in rows {
            let ks = k + String(repeating: " ", count: w - k.count)
            let vs = String(v)
            s += "  \(ks)  \(String(repeating: " ", count: nw - vs.count))\(vs)\n"
        }
        if !a.examples.isEmpty {
            s += "  first rows skipped for a defect:\n"
            for e in a.examples { s += "    \(e)\n" }
        }
        return s
    }

    /// `{"rows_read", "rows_used", "rows_skipped", "skipped": {reason: n}, "balanced", "examples"}`.
    public static func json(_ a: RowAccounting, files: [(path: String, rowsRead: Int, rowsLoaded: Int)] = []) -> JSONValue {
        var o: [(String, JSONValue)] = [
            ("rows_read", .int(a.rowsRead)),
            ("rows_used", .int(a.rowsUsed)),
            ("rows_skipped", .int(a.rowsSkipped)),
            ("skipped", .object(SkipReason.allCases.map { ($0.rawValue, .int(a.skipped[$0] ?? 0)) })),
            ("balanced", .bool(a.isBalanced)),
            ("examples", .array(a.examples.map { .string($0) })),
        ]
        if !files.isEmpty {
            o.append(("files", .array(files.map {
                .object([("path", .string($0.path)), ("rows_read", .int($0.rowsRead)), ("rows_loaded", .int($0.rowsLoaded))])
            })))
        }
        return .object(o)
    }

    /// The ledger of a police.uk load (as `json(_:files:)`) plus its diagnostics:
    /// `"unknown_crime_types": [{label, rows}]`, `"duplicate_crime_ids"`, `"duplicate_crime_id_examples"`,
    /// `"swapped_coordinate_files"` and `"warnings"` (the plain sentences of `Result.warnings`).
    public static func json(_ r: PoliceStreetLoader.Result) -> JSONValue {
        guard case .object(var o) = json(r.accounting, files: r.files) else { preconditionFailure("AccountingReport.json: not an object") }
        o.append(("unknown_crime_types", .array(r.unknownCrimeTypes.map { .object([("label", .string($0.label)), ("rows", .int($0.rows))]) })))
        o.append(("duplicate_crime_ids", .int(r.duplicateCrimeIDs)))
        o.append(("duplicate_crime_id_examples", .array(r.duplicateCrimeIDExamples.map { .string($0) })))
        o.append(("swapped_coordinate_files", .array(r.swappedCoordinateFiles.map { .string($0) })))
        o.append(("warnings", .array(r.warnings.map { .string($0) })))
        return .object(o)
    }
}
