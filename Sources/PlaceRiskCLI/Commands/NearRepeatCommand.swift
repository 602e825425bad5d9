import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// `placerisk nearrepeat`: the Knox test in the Near Repeat Calculator's layout on dated incidents.
public enum NearRepeatCommand: Subcommand {
    public static let spec = CommandSpec(
        name: "nearrepeat",
        abstract: "Near-repeats (Knox test): pairs by distance and days bands, with p.",
        discussion: """
        Every pair of located, dated incidents is counted in its spatial band (same location = 0 m, then
        K bands of --space-band metres, then 'more than') and temporal band (L bands of --time-band days,
        then 'more than'); bands are [lo, hi) as Ratcliffe's Near Repeat Calculator (or (lo, hi] with
        --band-edges right-closed, as pointpats Knox). Expected counts: the mean over --permutations
        random re-assignments of the dates to the fixed locations (seeded); p = (1 + #{X* >= X}) / (M + 1);
        ratio = observed / expected. Days are UK local calendar days of each incident's start. Home-located
        records and rows without coordinates are not points and are counted as skipped. police.uk files
        (months only) are refused: near-repeats need days.
        """,
        positional: "police-files",
        positionalHelp: "Not accepted: police.uk files have months only (near-repeats need days).",
        positionalRequired: false,
        options: DatedSourceOptions.specs + NearRepeatOptions.specs + DatedSourceOptions.publishSpecs + DatedSourceOptions.runControls
    )

    public static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        let o = try NearRepeatOptions(a)
        // Points and times are all this command reads (the other columns are checked, not stored).
        let inputs = try DatedInputs(o.sources, io: io, keep: .points)
        try inputs.requireDates("near-repeats need days.")
        var x: [Double] = [], y: [Double] = [], days: [Double] = []
        var ledgers: [RowAccounting] = []
        for s in inputs.sources {
            var acc = s.accounting
            var home = 0, none = 0, outside = 0
            var clock = UKClockDays()
            for i in 0 ..< s.count {
                switch s.location[i] {
                case .point:
                    x.append(s.x[i]); y.append(s.y[i])
                    days.append(Double(clock.components(utc: s.start[i]).days))
                case .home: home += 1
                case .noCoordinates: none += 1
                case .outsideBNG: outside += 1
                }
            }
            acc.unuse(home, because: .homeLocation)
            acc.unuse(none, because: .noCoordinates)
            acc.unuse(outside, because: .outsideBNG)
            ledgers.append(acc)
        }
        guard x.count >= 2 else { throw RuntimeError("near-repeats need at least two located, dated incidents; the inputs have \(x.count)") }
        let r = Knox.test(x: x, y: y, days: days, bands: o.bands, permutations: o.permutations, seed: o.seed)
        let publish = o.sources.publish
        // Safe publication: observed counts suppressed and rounded; every table's suppressed cells are
        // null (an exact expected, ratio or p would give the observed count back: ratio × expected =
        // observed, and a row of expected counts sums to the row's pair total), the ratio is taken from the
        // published count, expected counts are rounded to 0.1, and the exact expectation and the
        // simulated ranges are left out.
        let safe = publish ? SafePublication.publish(r.observed) : nil
        func masked(_ rc: (Int, Int), _ v: Double) -> JSONValue {
            guard let safe else { return .number(v) }
            return safe.cells[rc.0][rc.1] == nil ? .null : .number((v * 10).rounded() / 10)
        }
        let nr = r.observed.count, nc = r.observed[0].count
        func grid(_ f: (Int, Int) -> JSONValue) -> JSONValue { .array((0 ..< nr).map { i in .array((0 ..< nc).map { j in f(i, j) }) }) }
        let observed = grid { i, j in safe.map { $0.cells[i][j].map { .int($0) } ?? .string(SafePublication.suppressedMark) } ?? .int(r.observed[i][j]) }
        let expected = grid { i, j in masked((i, j), r.expected[i][j]) }
        let ratio = grid { i, j -> JSONValue in
            guard let safe else { return .number(r.ratio[i][j]) }
            guard let c = safe.cells[i][j], r.expected[i][j] > 0 else { return .null }
            return .number(Double(c) / r.expected[i][j])
        }
        let p = grid { i, j in safe.map { $0.cells[i][j] == nil ? .null : .number(r.p[i][j]) } ?? .number(r.p[i][j]) }
        var extra: [(String, JSONValue)] = []
        if !publish {
            extra = [("expected_exact", table(r.analyticExpected.map { $0.map { .number($0) } })),
                     ("simulated_min", table(r.simulatedMin.map { $0.map { .int($0) } })),
                     ("simulated_max", table(r.simulatedMax.map { $0.map { .int($0) } }))]
        }
        let b = o.bands
        let json: JSONValue = .object([
            ("placerisk_version", .string(PlaceRiskVersion.string)),
            ("command", .string("nearrepeat")),
            ("method", .string("Knox test in the Near Repeat Calculator's layout (Ratcliffe): pairs i < j by spatial band x temporal band; expected = mean over M permutations of the dates over fixed locations (M = 0: the exact permutation mean N_row x N_col / pairs, no p); p = (1 + #{X* >= X}) / (M + 1); ratio = observed / expected")),
            ("incidents", publish ? .int(Int((Double(r.n) / 5).rounded()) * 5) : .int(r.n)),
            ("pairs", publish ? .null : .int(r.pairs)),
            ("distance", .string(b.distance.rawValue)),
            ("space_band_m", .number(b.spaceBand)), ("space_bands", .int(b.spaceBands)),
            ("time_band_days", .number(b.timeBand)), ("time_bands", .int(b.timeBands)),
            ("band_edges", .string(b.edges == .leftClosed ? "left-closed [lo, hi), as the Near Repeat Calculator; same location = distance exactly 0" : "right-closed (lo, hi], as pointpats Knox; same location = distance exactly 0")),
            ("days", .string("UK local calendar day of each incident's start (a window's first day)")),
            ("permutations", .int(r.permutations)), ("seed", .string(String(r.seed))),
            ("rows", .array(b.rowLabels.map { .string($0) })),
            ("columns", .array(b.columnLabels.map { .string($0) })),
            ("observed", observed),
            ("expected", expected),
            ("ratio", ratio),
            ("p", p),
        ] + extra + [
            ("publication", publish ? .string(SafePublication.rule + "; in every table a cell whose observed count is suppressed is null, the ratio uses the published count, expected counts are rounded to 0.1") : .string("exact counts (not for publication outside the partnership when a health source is included)")),
            ("sources", .array(inputs.sources.map { .object([("path", .string($0.path)), ("source", .string($0.source)), ("schema", .string($0.schema.origin))]) })),
            ("accounting", inputs.ledgerJSON(ledgers)),
        ])
        createParentFolder(of: o.out)
        do { try (json.serialized() + "\n").write(toFile: o.out, atomically: true, encoding: .utf8) } catch {
            throw RuntimeError("cannot write \(o.out): \(plainDescription(error))")
        }
        try inputs.emitAccounting(ledgers, o.sources, io)
        if !o.sources.quiet { io.err("Near-repeats: \(r.n) incidents, \(r.pairs) pairs, \(r.permutations) permutations; wrote \(o.out)\n") }
    }

    static func table(_ rows: [[JSONValue]]) -> JSONValue { .array(rows.map { .array($0) }) }
}
