import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// police.uk violence beside the dated sources, per study-area LSOA × month over the months they
/// share: the `Triangulation` with what publishing it needs (`triangulate` and the report's Sources
/// section both build it here).
///
/// The police side counts `types` (default "Violence and sexual offences") of the study area's LSOAs;
/// each dated source counts all its rows with an LSOA in the study area (home-located rows included:
/// they have an LSOA). Months: those every source covers (the overlap of their periods); none in
/// common is an error that names the periods. Rates per 1,000 residents use the IMD 2019 population
/// (mid-2015) when `population` is given.
struct TriangulationRun {
    let triangulation: Triangulation
    /// Whether health-source counts are published safely.
    let publish: Bool
    /// Per source (index into `triangulation.sources`): its published LSOA × month table (nil for
    /// police.uk and for every source when not publishing).
    let published: [PublishedTable?]
    let health: [Bool]
    let synthetic: [Bool]
    /// "2016-01..2017-11" per source, before the overlap.
    let periods: [String]
    /// Per source: the ledger of this analysis (read → used, skipped by reason).
    let ledgers: [RowAccounting]
    let paths: [String]
    let typesNote: String
    /// Sentences about the period (partial overlap).
    let notes: [String]

    var months: [YearMonth] { triangulation.months }
    var periodText: String { "\(months.first!)..\(months.last!) (\(months.count) months)" }

    /// What a unit's disagreement reads as at FDR q ≤ `alpha`.
    static func direction(_ d: UnitDisagreement, alpha: Double = 0.05) -> String {
        guard d.q <= alpha, d.z.isFinite else { return "consistent" }
        return d.z > 0 ? "more_in_source" : "fewer_in_source"
    }

    /// Loads the dated sources of `o` (every row: the police crime-type filter does not apply to them).
    static func loadSources(_ o: InputOptions, io: CLIOutput) throws -> (IncidentTable, [DatedSourceSummary]) {
        guard o.dated != nil else { throw UsageError("triangulation needs a dated source: --incidents FILE --schema SCHEMA") }
        var dt = IncidentTable(), dacc = RowAccounting()
        var opt = o
        opt.common.filter.crimeTypes = nil
        let sources = try DatedSourceSummary.load(opt, into: &dt, accounting: &dacc, io: io)
        return (dt, sources)
    }

    init(police: IncidentInputs, types: Set<CrimeType>, policePaths: [String], dated o: InputOptions,
         population: ((String) -> Double?)?, io: CLIOutput) throws {
        let (dt, sources) = try Self.loadSources(o, io: io)
        try self.init(police: police, types: types, policePaths: policePaths, datedTable: dt, sources: sources, publish: o.publish, population: population)
    }

    init(police: IncidentInputs, types: Set<CrimeType>, policePaths: [String], datedTable dt: IncidentTable, sources: [DatedSourceSummary],
         publish: Bool, population: ((String) -> Double?)?) throws {
        guard let sa = police.study else { throw RuntimeError("the LSOA study area could not be determined from the police.uk files") }
        let policeSpan = police.table.monthSpan!
        var periods = ["\(policeSpan.first)..\(policeSpan.last)"]
        var lo = policeSpan.first, hi = policeSpan.last
        for s in sources {
            guard let m = s.months else { throw RuntimeError("\(s.path): no rows left after the filters, nothing to triangulate (see its ledger)") }
            periods.append("\(m.first)..\(m.last)")
            lo = max(lo, m.first); hi = min(hi, m.last)
        }
        guard lo <= hi else {
            let list = zip(["police.uk"] + sources.map(\.source), periods).map { "\($0) \($1)" }.joined(separator: ", ")
            throw RuntimeError("the periods do not overlap (\(list)): LSOA-months cannot be compared across sources. Give police.uk files and dated sources for the same months (the bundled SYNTHETIC_istv_devon_cornwall_2016-2017.csv matches the bundled police data)")
        }
        let overlap = MonthRange(lo, hi)
        let months = Array(overlap)
        var notes: [String] = []
        if overlap.first != policeSpan.first || overlap.last != policeSpan.last || sources.contains(where: { $0.months! != overlap }) {
            notes.append("the sources cover different periods (\(zip(["police.uk"] + sources.map(\.source), periods).map { "\($0) \($1)" }.joined(separator: ", "))): only the \(months.count) months they share, \(lo)..\(hi), are compared")
        }
        let units = sa.lsoaCodes.sorted()
        let pos = Dictionary(uniqueKeysWithValues: units.enumerated().map { ($1, $0) })
        func counts(_ t: IncidentTable, _ used: [Bool]) -> [[Int]] {
            var c = [[Int]](repeating: [Int](repeating: 0, count: months.count), count: units.count)
            let unitOfID = t.lsoaCodes.map { pos[$0] ?? -1 }
            for i in 0 ..< t.count where used[i] {
                let u = unitOfID[Int(t.lsoaID[i])], m = Int(t.monthIndex[i]) - lo.index
                c[u][m] += 1
            }
            return c
        }
        let psel = IncidentSelection(police.table, base: police.accounting, crimeTypes: types, months: overlap, units: .lsoa(sa))
        var all = [SourceCounts(name: "police.uk", counts: counts(police.table, psel.used))]
        var ledgers = [psel.accounting]
        var health = [false], synthetic = [policePaths.contains { ($0 as NSString).lastPathComponent.uppercased().contains("SYNTHETIC") }]
        for s in sources {
            var mask = [Bool](repeating: false, count: dt.count)
            for i in s.rows { mask[i] = true }
            let sub = dt.filtered(mask)
            let sel = IncidentSelection(sub, base: s.accounting, crimeTypes: nil, months: overlap, units: .lsoa(sa))
            all.append(SourceCounts(name: s.source, counts: counts(sub, sel.used)))
            ledgers.append(sel.accounting)
            health.append(s.health)
            synthetic.append(s.isSynthetic)
        }
        let pop = population.map { f in units.map { f($0) ?? .nan } }
        triangulation = Triangulation(units: units, months: months, sources: all, reference: 0, population: pop)
        self.publish = publish
        published = all.indices.map { k in (publish && k > 0) ? SafePublication.publish(all[k].counts) : nil }
        self.health = health
        self.synthetic = synthetic
        self.periods = periods
        self.ledgers = ledgers
        paths = policePaths + sources.map(\.path)
        typesNote = types.count == 1 ? types.first!.label : "\(types.count) crime types"
        self.notes = notes
    }

    // MARK: published values

    /// A count of source `s` as published: exact for police.uk and unpublished runs, else the
    /// published cell (nil = suppressed).
    func cell(_ s: Int, unit u: Int, month m: Int) -> Int? {
        guard let p = published[s] else { return triangulation.sources[s].counts[u][m] }
        return p.cells[u][m]
    }
    func unitTotal(_ s: Int, unit u: Int) -> Int? {
        guard let p = published[s] else { return triangulation.sources[s].unitTotals[u] }
        return p.rowTotals[u]
    }
    func monthTotal(_ s: Int, month m: Int) -> Int? {
        guard let p = published[s] else { return triangulation.sources[s].counts.reduce(0) { $0 + $1[m] } }
        return p.columnTotals[m]
    }
    func total(_ s: Int) -> Int? {
        guard let p = published[s] else { return triangulation.sources[s].total }
        return p.total
    }
    /// A count for publication: rounded to 5 unless 1–7 (nil) when source `s` is published safely.
    func publishedCount(_ s: Int, _ v: Int) -> Int? {
        guard published[s] != nil else { return v }
        if v > 0 && v < 8 { return nil }
        return Int((Double(v) / 5).rounded(.toNearestOrAwayFromZero)) * 5
    }
    /// A share for publication: rounded to 0.05 and only over at least 50 incidents when published safely.
    func publishedShare(_ s: Int, _ v: Double, over n: Int) -> Double? {
        guard v.isFinite else { return nil }
        guard published[s] != nil else { return v }
        return n >= 50 ? (v * 20).rounded() / 20 : nil
    }
    /// A statistic for publication: 2 decimals when published safely.
    func publishedStatistic(_ s: Int, _ v: Double?) -> Double? {
        guard let v, v.isFinite else { return nil }
        return published[s] != nil ? (v * 100).rounded() / 100 : v
    }

    static let indicatorCaveat = "An indicator, not a fact: an ED-recorded assault in an LSOA-month with no police-recorded violence may have been reported to the police and recorded in another month, geocoded to another LSOA (police.uk snaps locations to anonymised map points), or recorded as another crime type; and ED records place an assault by the patient's account. Read it as where to ask, not as a count of unreported crime."
    static let disagreementMethod = "conditional binomial test per LSOA: given the LSOA's total n of both sources over the period, the source's count ~ Binomial(n, pi), pi = its share of both sources' incidents over the whole area (the population cancels); exact two-sided p (scipy binomtest's rule), Benjamini-Hochberg q over the LSOAs with n > 0; z = (count - n pi) / sqrt(n pi (1 - pi)); ratio of shares = (count / source total) / (police count / police total)"

    // MARK: JSON

    func json(includeTable: Bool) -> JSONValue {
        let t = triangulation
        func opt(_ v: Int?) -> JSONValue { v.map { .int($0) } ?? .string(SafePublication.suppressedMark) }
        func num(_ v: Double?) -> JSONValue { v.map { $0.isFinite ? .number($0) : .null } ?? .null }
        var srcs: [JSONValue] = []
        for (k, s) in t.sources.enumerated() {
            srcs.append(.object([("source", .string(s.name)), ("health_source", .bool(health[k])), ("synthetic", .bool(synthetic[k])),
                                 ("period", .string(periods[k])), ("incidents_compared", opt(total(k))),
                                 ("published_safely", .bool(published[k] != nil))]))
        }
        let ind: [JSONValue] = t.unrecorded.map { u in
            .object([("source", .string(t.sources[u.source].name)),
                     ("incidents", opt(publishedCount(u.source, u.incidents))),
                     ("in_lsoa_months_without_police_violence", opt(publishedCount(u.source, u.inUnitMonthsWithoutReference))),
                     ("share", num(publishedShare(u.source, u.share, over: u.incidents))),
                     ("lsoa_months_with_source", .int(u.unitMonthsWithSource)),
                     ("lsoa_months_with_source_only", .int(u.unitMonthsWithSourceOnly)),
                     ("caveat", .string(Self.indicatorCaveat))])
        }
        let cor: [JSONValue] = t.correlations.map { c in
            let s = c.b
            return .object([("a", .string(t.sources[c.a].name)), ("b", .string(t.sources[c.b].name)), ("lsoas", .int(c.n)),
                            ("rates", .string(t.population != nil ? "per 1,000 residents (IMD 2019 population, mid-2015)" : "counts over the period")),
                            ("spearman_rho", num(publishedStatistic(s, c.spearman?.rho))),
                            ("spearman_ci95", .array([num(publishedStatistic(s, c.spearman?.ciLow)), num(publishedStatistic(s, c.spearman?.ciHigh))])),
                            ("spearman_p", num(c.spearman?.p)),
                            ("kendall_tau_b", num(publishedStatistic(s, c.kendall?.tau))), ("kendall_p", num(c.kendall?.p)),
                            ("note", c.note.map { .string($0) } ?? .null)])
        }
        let dis: [JSONValue] = t.disagreement.map { d in
            let s = d.source
            let rows: [JSONValue] = d.units.map { u in
                var f: [(String, JSONValue)] = [("lsoa_code", .string(t.units[u.unit])), ("police", .int(u.reference))]
                if published[s] != nil {
                    // z, p, the ratio and the expected count would give the suppressed or rounded count back.
                    f.append(("source", opt(unitTotal(s, unit: u.unit))))
                    f.append(("direction", unitTotal(s, unit: u.unit) == nil ? .null : .string(Self.direction(u))))
                } else {
                    f += [("source", .int(u.source)), ("expected", .number(u.expected)), ("z", num(u.z)),
                          ("ratio_of_shares", u.ratioOfShares.isInfinite ? .string("inf") : num(u.ratioOfShares)),
                          ("p", num(u.p)), ("q", num(u.q)), ("direction", .string(Self.direction(u)))]
                }
                return .object(f)
            }
            return .object([("source", .string(t.sources[s].name)), ("share_of_both", num(publishedStatistic(s, d.share))),
                            ("lsoas_tested", .int(d.units.count)),
                            ("significant_more_in_source", .int(d.units.filter { Self.direction($0) == "more_in_source" }.count)),
                            ("significant_fewer_in_source", .int(d.units.filter { Self.direction($0) == "fewer_in_source" }.count)),
                            ("lsoas", .array(rows))])
        }
        var f: [(String, JSONValue)] = [
            ("placerisk_version", .string(PlaceRiskVersion.string)),
            ("command", .string("triangulate")),
            ("period", .string(periodText)),
            ("months", .array(months.map { .string($0.description) })),
            ("police_types", .string(typesNote)),
            ("units", .string("LSOA 2011 codes of the study area (\(t.units.count))")),
            ("publication", .string(publish ? SafePublication.rule + "; per-LSOA z, p, ratio and expected counts withheld (a direction at FDR 0.05 only); shares rounded to 0.05 over at least 50 incidents; correlations to 2 decimals; police.uk counts are public and exact"
                                            : (health.contains(true) ? "UNPUBLISHED: exact counts from a health source (--no-publish): not for publication outside the partnership" : "exact counts"))),
            ("notes", .array(notes.map { .string($0) })),
            ("sources", .array(srcs)),
            ("under_recording_indicator", .array(ind)),
            ("rank_correlations", .array(cor)),
            ("disagreement_method", .string(Self.disagreementMethod)),
            ("disagreement", .array(dis)),
        ]
        if includeTable {
            var rows: [JSONValue] = []
            for u in t.units.indices { for m in months.indices where t.sources.contains(where: { $0.counts[u][m] > 0 }) {
                var r: [(String, JSONValue)] = [("lsoa_code", .string(t.units[u])), ("month", .string(months[m].description))]
                for k in t.sources.indices { r.append((t.sources[k].name, opt(cell(k, unit: u, month: m)))) }
                rows.append(.object(r))
            } }
            f.append(("table", .array(rows)))
        }
        return .object(f)
    }

    /// The per-source ledgers of this analysis as JSON.
    func ledgerJSON() -> JSONValue {
        .object([("sources", .array(zip(triangulation.sources, ledgers).enumerated().map { k, e in
            guard case .object(let o) = AccountingReport.json(e.1) else { return .null }
            return .object([("source", .string(e.0.name)), ("path", k == 0 ? .string("police.uk files") : .string(paths[paths.count - (triangulation.sources.count - k)]))] + o)
        }))])
    }
}
