import PlaceRiskCore
import PlaceRiskIO
import PlaceRiskReport
import Foundation

/// `placerisk evaluate`: did incidents fall where the partnership acted, more than elsewhere, and did
/// they move next door? WDD, WDQ, DiD, ITS and a placebo test on one area × month panel.
public enum EvaluateCommand: Subcommand {
    static var bundledPolice: String { BundledData.path("datasets/police_uk_devon_cornwall_street_2016-01_to_2017-11") }

    public static let spec = CommandSpec(
        name: "evaluate",
        abstract: "Evaluate an intervention: WDD, WDQ, DiD, ITS and a placebo test.",
        discussion: """
        Builds the area x month panel of the analysed type (default Violence and sexual offences) over the
        study area's LSOAs (or reads an area,month,count --table), resolves the intervention, displacement,
        comparison and comparison-displacement areas, and estimates: the weighted displacement difference
        (Wheeler & Ratcliffe 2018) and quotient (Bowers & Johnson 2003) over equal windows before and after
        --start; difference-in-differences as a Poisson/NB2 regression with area and month effects, with
        event-study leads; a segmented seasonal regression of the intervention area alone (Bernal,
        Cummins & Gasparrini 2017) with a Ljung-Box check of its residuals; and a placebo test of the WDD
        at random placebo areas and start months (seeded). --json holds every estimate by name; --out
        writes a page with the counts, the monthly series and the estimates in words.
        """,
        positional: "inputs",
        positionalHelp: "police.uk street CSV files or folders (default: the bundled Devon & Cornwall 2016-01..2017-11).",
        positionalRequired: false,
        options: OptionSpec.evaluate + [OptionSpec("--crime-type", value: "name", help: "The analysed type(s) (default \"Violence and sexual offences\"; all: every type).", repeatable: true),
                                        OptionSpec("--from", value: "YYYY-MM", help: "First month to keep."),
                                        OptionSpec("--to", value: "YYYY-MM", help: "Last month to keep."),
                                        OptionSpec("--force", value: "name", help: "Keep only rows whose 'Falls within' is this force.", repeatable: true)]
            + OptionSpec.runControls
    )

    public static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        let o = try EvaluateOptions(a)
        let inputs = try EvaluationInputs(o, io: io)
        let result = try Evaluation(inputs, o)
        if let acc = inputs.accounting {
            try IncidentInputs.writeAccounting(IncidentInputs.ledgerJSON(acc, files: inputs.files, diagnostics: inputs.diagnostics), to: o.input.accounting)
            if !o.input.quiet { io.err(AccountingReport.table(acc, title: "Rows (\(inputs.files.count) file(s))")) }
        } else if let p = o.input.accounting {
            try IncidentInputs.writeAccounting(.object([("file", .string(o.table!)), ("note", .string("a counts table has no incident rows: every count of the named areas is used"))]), to: p)
        }
        createParentFolder(of: o.json)
        do { try (result.json.serialized() + "\n").write(toFile: o.json, atomically: true, encoding: .utf8) } catch {
            throw RuntimeError("cannot write \(o.json): \(plainDescription(error))")
        }
        if let out = o.out {
            createParentFolder(of: out)
            do { try EvaluationPage.render(result).write(toFile: out, atomically: true, encoding: .utf8) } catch {
                throw RuntimeError("cannot write \(out): \(plainDescription(error))")
            }
        }
        if !o.input.quiet {
            for s in result.sentences { io.err("  \(s)\n") }
            io.err("Wrote \(o.json)\(o.out.map { " and \($0)" } ?? "")\n")
        }
    }
}

/// Every estimate of one evaluation, computed from the inputs (Core does the statistics).
struct Evaluation {
    let inputs: EvaluationInputs
    let options: EvaluateOptions
    let start: Int, end: Int, window: Int
    let counts: [(role: String, before: Double, after: Double)]
    let wdd: WeightedDisplacementDifference
    let wdq: WeightedDisplacementQuotient?
    let did: Result<DifferenceInDifferences, InterventionError>
    let didUnits: Int
    let its: Result<InterruptedTimeSeries, InterventionError>
    let placebo: PlaceboResult?
    let placeboNote: String

    init(_ x: EvaluationInputs, _ o: EvaluateOptions) throws {
        inputs = x
        options = o
        let m = x.months
        guard m.contains(o.start) else { throw InterventionError.startOutsideData(start: o.start, first: m.first, last: m.last) }
        let e = o.end ?? m.last
        guard m.contains(e) else { throw RuntimeError("--end \(e) is outside the data (\(m.first)…\(m.last))") }
        let s = m.first.distance(to: o.start), last = m.first.distance(to: e)
        guard s >= EvaluateOptions.minimumMonths else { throw InterventionError.tooFewMonths(period: "before", months: s, minimum: EvaluateOptions.minimumMonths) }
        guard last - s + 1 >= EvaluateOptions.minimumMonths else { throw InterventionError.tooFewMonths(period: "after", months: last - s + 1, minimum: EvaluateOptions.minimumMonths) }
        start = s; end = last
        let L = min(s, last - s + 1)
        window = L
        func pp(_ area: [Int]) -> PrePost {
            let y = x.series(area)
            return PrePost(before: y[(s - L) ..< s].reduce(0, +), after: y[s ..< (s + L)].reduce(0, +))
        }
        let t = pp(x.intervention), c = pp(x.comparison), d = pp(x.displacement), ce = pp(x.comparisonDisplacement)
        let full = x.series(x.intervention)[0 ... last]
        guard full.contains(where: { $0 > 0 }) else { throw InterventionError.zeroCounts(role: "intervention") }
        guard x.series(x.comparison)[0 ... last].contains(where: { $0 > 0 }) else { throw InterventionError.zeroCounts(role: "comparison") }
        counts = [("intervention", t.before, t.after), ("displacement", d.before, d.after), ("comparison", c.before, c.after), ("comparison displacement", ce.before, ce.after)]
        wdd = WeightedDisplacementDifference(treated: t, control: c, treatedRing: d, controlRing: ce)
        wdq = c.before > 0 && c.after > 0 && !x.displacement.isEmpty ? WeightedDisplacementQuotient(treated: t, control: c, treatedRing: d) : nil
        // DiD: the intervention area as one unit beside each comparison unit with any incident in the window.
        let T = last + 1
        var panel = Array(full)
        var treated = [true]
        for u in x.comparison {
            let y = x.series([u])[0 ... last]
            guard y.contains(where: { $0 > 0 }) else { continue }
            panel += y; treated.append(false)
        }
        didUnits = treated.count
        did = Self.attempt { () throws(InterventionError) in try DifferenceInDifferences(counts: panel, treated: treated, months: T, start: s, family: o.family) }
        let series = Array(full)
        its = Self.attempt { () throws(InterventionError) in try InterruptedTimeSeries(counts: series, start: s, firstMonth: m.first.month, family: o.family, seasonality: .automatic) }
        // Placebo: the same design (random area of the same size among the units that play no role,
        // random start, matched comparison, equal windows) repeated where nothing happened.
        let roles = Set(x.intervention + x.displacement + x.comparison + x.comparisonDisplacement)
        // Areas with no incident in the window (e.g. empty grid cells of a zero-filled table) can be
        // neither placebo nor comparison areas: the real ones have incidents too.
        let active = (0 ..< x.units.count).map { u in (0 ... last).contains { x.counts[u * x.T + $0] > 0 } }
        let pool = (0 ..< x.units.count).filter { !roles.contains($0) && active[$0] }
        let blocked = Set(x.intervention + x.displacement)
        if pool.count >= x.intervention.count, 2 * L <= T, wdd.local.z.isFinite {
            var sub = [Double](repeating: 0, count: x.units.count * T)
            for u in 0 ..< x.units.count { for tt in 0 ..< T { sub[u * T + tt] = x.counts[u * x.T + tt] } }
            let design = WDDPlacebo(counts: sub, units: x.units.count, months: T, window: L, pool: pool,
                                    candidate: (0 ..< x.units.count).map { !blocked.contains($0) && active[$0] }, decile: x.decile,
                                    neighbours: x.neighbours, areaSize: x.intervention.count)
            var rng = SeededGenerator(seed: o.seed)
            placebo = design.run(observed: wdd.local.z, draws: o.placebos, using: &rng)
            placeboNote = "the WDD local z at \(o.placebos) placebo designs: a random area of \(x.intervention.count) unit(s) among the \(pool.count) with incidents that play no role, a random start month (\(L)-month windows) and a comparison matched to it by the same rule; seed \(o.seed)"
        } else {
            placebo = nil
            placeboNote = pool.count < x.intervention.count ? "not run: fewer areas play no role than the intervention area has" : "not run: the windows do not fit twice in the data"
        }
    }

    static func attempt<V>(_ body: () throws(InterventionError) -> V) -> Result<V, InterventionError> {
        do { return .success(try body()) } catch { return .failure(error) }
    }

    func monthLabel(_ i: Int) -> String { inputs.months.first.advanced(by: i).description }
    var beforeLabel: String { "\(monthLabel(start - window))…\(monthLabel(start - 1))" }
    var afterLabel: String { "\(monthLabel(start))…\(monthLabel(start + window - 1))" }

    static func effect(_ e: EffectEstimate) -> JSONValue {
        .object([("estimate", .number(e.estimate)), ("se", .number(e.se)), ("z", .number(e.z)), ("p", .number(e.p)), ("ci_low", .number(e.ciLow)), ("ci_high", .number(e.ciHigh))])
    }

    static func ratio(_ r: LogRateRatio) -> JSONValue {
        .object([("rate_ratio", .number(r.ratio)), ("rate_ratio_ci_low", .number(r.ciLow)), ("rate_ratio_ci_high", .number(r.ciHigh)), ("percent_change", .number(r.percent)),
                 ("estimate", .number(r.log.estimate)), ("se", .number(r.log.se)), ("z", .number(r.log.z)), ("p", .number(r.log.p)),
                 ("ci_low", .number(r.log.ciLow)), ("ci_high", .number(r.log.ciHigh))])
    }

    var json: JSONValue {
        let x = inputs
        func codes(_ a: [Int]) -> JSONValue { .array(a.map { .string(x.units[$0]) }) }
        var o: [(String, JSONValue)] = [
            ("data", .string(x.source)), ("period", .string("\(x.months.first)…\(monthLabel(end))")), ("start", .string(options.start.description)),
            ("areas", .object([("intervention", codes(x.intervention)), ("displacement", codes(x.displacement)), ("comparison", codes(x.comparison)),
                               ("comparison_displacement", codes(x.comparisonDisplacement)), ("displacement_rule", .string(x.displacementRule)),
                               ("comparison_rule", .string(x.comparisonRule))])),
            ("windows", .object([("months_each", .int(window)), ("before", .string(beforeLabel)), ("after", .string(afterLabel))])),
            ("counts", .object(counts.map { ($0.role.replacingOccurrences(of: " ", with: "_"), .object([("before", .number($0.before)), ("after", .number($0.after))])) })),
            ("wdd", .object([("local", Self.effect(wdd.local)), ("displacement", Self.effect(wdd.displacement)), ("total", Self.effect(wdd.total)),
                             ("assumptions", .string(WeightedDisplacementDifference.assumptions))])),
        ]
        if let q = wdq {
            o.append(("wdq", .object([("success_measure", .number(q.successMeasure)), ("buffer_measure", .number(q.bufferMeasure)), ("quotient", .number(q.quotient)),
                                      ("total_net_effect", .number(q.totalNetEffect)), ("reading", .string(q.reading)), ("assumptions", .string(WeightedDisplacementQuotient.assumptions))])))
        } else { o.append(("wdq", .object([("error", .string("needs a displacement area and comparison incidents before and after"))]))) }
        switch did {
        case .success(let d):
            var f: [(String, JSONValue)] = [("treated_post", Self.ratio(d.rateRatio))]
            if case .object(let r) = Self.ratio(d.rateRatio) { f = r }
            f += [("family", .string(d.family.rawValue)), ("alpha", d.alpha.map { .number($0) } ?? .null), ("poisson_dispersion", .number(d.poissonDispersion)),
                  ("units", .int(d.units)), ("months", .int(d.months)),
                  ("event_study", .object([("leads", .array(d.leads.map { .object([("offset", .int($0.offset))] + Self.pairs(Self.ratio($0.rateRatio))) })),
                                           ("lags", .array(d.lags.map { .object([("offset", .int($0.offset))] + Self.pairs(Self.ratio($0.rateRatio))) })),
                                           ("pretrend_chi2", d.preTrendChiSquare.map { .number($0) } ?? .null), ("pretrend_df", .int(d.preTrendDegreesOfFreedom)),
                                           ("pretrend_p", d.preTrendP.map { .number($0) } ?? .null)])),
                  ("assumptions", .string(DifferenceInDifferences.assumptions))]
            o.append(("did", .object(f)))
        case .failure(let e): o.append(("did", .object([("error", .string(e.description))])))
        }
        switch its {
        case .success(let i):
            o.append(("its", .object([("level_change", Self.ratio(i.levelChange)), ("slope_change", Self.ratio(i.slopeChange)), ("trend", Self.ratio(i.trend)),
                                      ("family", .string(i.family.rawValue)), ("alpha", i.alpha.map { .number($0) } ?? .null), ("seasonality", .string("\(i.seasonality)")),
                                      ("ljung_box", .object([("q", .number(i.autocorrelation.q)), ("lags", .int(i.autocorrelation.lags)), ("p", .number(i.autocorrelation.p)),
                                                             ("acf", .array(i.autocorrelation.autocorrelations.map { .number($0) }))])),
                                      ("assumptions", .string(InterruptedTimeSeries.assumptions))])))
        case .failure(let e): o.append(("its", .object([("error", .string(e.description))])))
        }
        if let p = placebo {
            o.append(("placebo", .object([("statistic", .string("wdd.local.z")), ("observed", .number(p.observed)), ("p", .number(p.p)), ("percentile", .number(p.percentile)),
                                          ("draws", .int(p.placebos.count)), ("skipped", .int(p.skipped)), ("seed", .string(String(options.seed))), ("design", .string(placeboNote))])))
        } else { o.append(("placebo", .object([("error", .string(placeboNote))]))) }
        o.append(("notes", .array(inputs.notes.map { .string($0) })))
        o.append(("caveat", .string("A demonstration of method on recorded crime; an estimate is evidence about the areas and months named, not proof of cause.")))
        return .object(o)
    }

    static func pairs(_ v: JSONValue) -> [(String, JSONValue)] {
        if case .object(let o) = v { return o }
        return []
    }

    static func pct(_ v: Double) -> String { String(format: "%.0f %%", v).replacingOccurrences(of: "-", with: "−") }

    /// The estimates in plain words.
    var sentences: [String] {
        var s: [String] = []
        let t = counts[0], c = counts[2]
        s.append("In the \(window) months from \(monthLabel(start)), the intervention area had \(Int(t.after)) incidents against \(Int(t.before)) in the \(window) months before; the comparison area \(Int(c.after)) against \(Int(c.before)).")
        let w = wdd.local
        s.append("WDD: a local change of \(Fmt.num(w.estimate, 0)) incidents relative to the comparison (95 % CI \(Fmt.num(w.ciLow, 0)) to \(Fmt.num(w.ciHigh, 0)), Poisson p = \(Fmt.sig(w.p, 2))); displacement \(Fmt.num(wdd.displacement.estimate, 0)) (CI \(Fmt.num(wdd.displacement.ciLow, 0)) to \(Fmt.num(wdd.displacement.ciHigh, 0))); total \(Fmt.num(wdd.total.estimate, 0)) (CI \(Fmt.num(wdd.total.ciLow, 0)) to \(Fmt.num(wdd.total.ciHigh, 0))).")
        if inputs.displacement.isEmpty { s.append("No displacement area was set, so displacement is not measured.") }
        else if abs(wdd.displacement.z) < 1.96 { s.append("No sign of displacement into the surrounding area (\(inputs.displacementRule)).") }
        else { s.append(wdd.displacement.estimate > 0 ? "The surrounding area did worse than the comparison area's surroundings: possible displacement." : "The surrounding area did better than the comparison area's surroundings: possible diffusion of benefit.") }
        let d = counts[1], e = counts[3]
        if !inputs.displacement.isEmpty, d.before > 0, e.before > 0, max(d.before / e.before, e.before / d.before) > 2 {
            s.append("Caution: the two surrounding areas differ in size (\(Int(d.before)) and \(Int(e.before)) incidents before), so the displacement difference mostly reflects the larger one; read the counts.")
        }
        if let q = wdq { s.append("WDQ: \(q.reading) (success measure \(Fmt.num(q.successMeasure, 3)), WDQ \(Fmt.num(q.quotient, 2))).") }
        if case .success(let d) = did {
            let r = d.rateRatio
            let verb = r.ratio < 1 ? "fell" : "rose"
            s.append("Difference-in-differences (\(d.family.rawValue), area and month effects, \(d.units) areas): incidents in the intervention area \(verb) \(Self.pct(abs(r.percent))) (95 % CI \(Self.pct(100 * (r.ciLow - 1))) to \(Self.pct(100 * (r.ciHigh - 1)))) relative to the comparison areas, p = \(Fmt.sig(r.log.p, 2)).")
            if d.preTrendP == nil { s.append("Pre-trend check: not available (the event-study model needs at least two comparison areas with incidents every month, or it cannot be fitted).") }
            if let p = d.preTrendP { s.append("Pre-trend check: the \(d.preTrendDegreesOfFreedom) event-study leads \(p < 0.05 ? "differ from zero (p = \(Fmt.sig(p, 2))): the areas were not moving in parallel before the start, so read the DiD with caution" : "are jointly compatible with zero (p = \(Fmt.sig(p, 2))); this does not prove parallel trends").") }
        } else if case .failure(let e) = did { s.append("Difference-in-differences could not be estimated: \(e.description).") }
        if case .success(let i) = its {
            s.append("Interrupted time series of the intervention area alone (\(i.family.rawValue), seasonal): a level change of \(Self.pct(i.levelChange.percent)) at the start (95 % CI \(Self.pct(100 * (i.levelChange.ciLow - 1))) to \(Self.pct(100 * (i.levelChange.ciHigh - 1)))) and a slope change of \(Fmt.num(i.slopeChange.percent, 1)) % a month; residual autocorrelation: Ljung–Box p = \(Fmt.sig(i.autocorrelation.p, 2))\(i.autocorrelation.p < 0.05 ? " (autocorrelated: the intervals are too narrow)" : "").")
        } else if case .failure(let e) = its { s.append("Interrupted time series could not be estimated: \(e.description).") }
        if let p = placebo { s.append("Placebo test: \(Int((p.percentile * 100).rounded())) % of \(p.placebos.count) placebo estimates lie below the real one; empirical p = \(Fmt.sig(p.p, 2)).") }
        return s
    }
}
