import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// The dated sources of a run, loaded through their schemas, each with its own ledger.
struct DatedInputs {
    var sources: [DatedIncidents]

    /// `keep`: the columns the command reads (`DatedColumns`; the rows and ledgers are the same whatever it is).
    init(_ o: DatedSourceOptions, io: CLIOutput, keep: DatedColumns = .all) throws {
        var out: [DatedIncidents] = []
        for (path, schema) in o.sources {
            let d = try DatedIncidentLoader.read(path: path, schema: schema, lenient: !o.strict, keep: keep)
                .within(fromDay: o.fromBound?.day, toDay: o.toBound?.day)
            if !o.quiet { io.err("\(path): \(d.accounting.rowsUsed) of \(d.accounting.rowsRead) rows read (schema \(schema.name))\n") }
            out.append(d)
        }
        sources = out
    }

    /// Refuses sources without dates (a points file with no `date` column).
    func requireDates(_ sentence: String) throws {
        for s in sources where !s.dated {
            throw RuntimeError("\(s.path) has no date column: \(sentence)")
        }
    }

    /// The ledger JSON: one ledger per source, then the total.
    func ledgerJSON(_ ledgers: [RowAccounting]) -> JSONValue {
        var total = RowAccounting()
        for l in ledgers { total.merge(l) }
        return .object([
            ("sources", .array(zip(sources, ledgers).map { s, l in
                guard case .object(let o) = AccountingReport.json(l) else { return .null }
                return .object([("path", .string(s.path)), ("source", .string(s.source)), ("schema", .string(s.schema.origin))] + o
                               + (s.placeResolution.json.map { [("where", $0)] } ?? []))
            })),
            ("total", AccountingReport.json(total)),
        ])
    }

    /// Prints each source's ledger (unless quiet) and writes `--accounting`.
    func emitAccounting(_ ledgers: [RowAccounting], _ o: DatedSourceOptions, _ io: CLIOutput) throws {
        for (s, l) in zip(sources, ledgers) {
            precondition(l.isBalanced, "row accounting does not balance")
            if !o.quiet { io.err(AccountingReport.table(l, title: "Rows of \(s.source) (\(s.path))")) }
        }
        try IncidentInputs.writeAccounting(ledgerJSON(ledgers), to: o.accounting)
    }
}
