/// Counts of one source over the units and months of a triangulation.
public struct SourceCounts: Sendable, Equatable {
    /// The source's label (e.g. "police.uk", "istv").
    public var name: String
    /// `counts[unit][month]`, incidents.
    public var counts: [[Int]]
    public init(name: String, counts: [[Int]]) {
        self.name = name
        self.counts = counts
    }
    /// Each unit's total over the months.
    public var unitTotals: [Int] { counts.map { $0.reduce(0, +) } }
    public var total: Int { counts.joined().reduce(0, +) }
}

/// The under-recording indicator of one source against the reference (an *indicator*, not a fact:
/// a unit-month without a police record may still hold police-recorded violence geocoded elsewhere,
/// recorded in another month, or not classed as violence).
/// ```
/// share = Σ_{u,m : R_um = 0} S_um / Σ_{u,m} S_um      (R = reference, S = this source)
/// ```
public struct UnrecordedShare: Sendable, Equatable {
    /// Index of the source in `Triangulation.sources`.
    public let source: Int
    /// Σ S_um: the source's incidents in the units and months compared.
    public let incidents: Int
    /// Σ S_um over unit-months with no reference incident.
    public let inUnitMonthsWithoutReference: Int
    /// Their share (NaN when the source has no incident).
    public let share: Double
    /// Unit-months with at least one incident of the source, and of those, how many have no reference incident.
    public let unitMonthsWithSource: Int
    public let unitMonthsWithSourceOnly: Int
}

/// Rank correlation of two sources' unit rates.
public struct SourceCorrelation: Sendable, Equatable {
    public let a: Int
    public let b: Int
    /// Units compared (with a positive population when rates are per resident).
    public let n: Int
    public let spearman: SpearmanResult?
    public let kendall: KendallResult?
    /// Why a statistic could not be computed (e.g. one source is constant), or nil.
    public let note: String?
}

/// One unit's test of whether the two sources share its incidents as they share the whole area's.
public struct UnitDisagreement: Sendable, Equatable {
    public let unit: Int
    /// The reference's and the source's totals over the months.
    public let reference: Int
    public let source: Int
    /// n_u·π: the source's expected count given the unit's total n_u and the area-wide share π.
    public let expected: Double
    /// (S_u − n_u π) / √(n_u π (1 − π)): positive where the source records more than its share.
    public let z: Double
    /// (S_u / S) / (R_u / R): the unit's share of the source over its share of the reference (∞ when R_u = 0).
    public let ratioOfShares: Double
    /// Two-sided exact binomial p of S_u ~ Binomial(n_u, π), and its Benjamini–Hochberg q over the tested units.
    public let p: Double
    public let q: Double
}

/// The conditional binomial comparison of one source with the reference, unit by unit.
public struct SourceDisagreement: Sendable, Equatable {
    public let source: Int
    /// π = S / (R + S), the source's share of all incidents of the two over the area.
    public let share: Double
    /// The units with at least one incident of either source (others have nothing to test).
    public let units: [UnitDisagreement]
}

/// Several agencies' incidents side by side, per unit (LSOA) × month (issue 13 §4).
///
/// ```
/// counts        C[s][u][m] for every source s, unit u, month m (zeros included)
/// indicator     per source s ≠ ref: share of s's incidents in unit-months with C[ref][u][m] = 0
/// correlation   Spearman ρ (Bonett–Wright CI, t-approximation p) and Kendall τ-b (p) of the unit
///               rates r_su = Σ_m C[s][u][m] / pop_u · 1000 (or the totals when no population is given),
///               over the units, for the reference against each other source
/// disagreement  given the unit's total n_u = R_u + S_u, under H₀ (the two sources place incidents
///               alike) S_u ~ Binomial(n_u, π), π = S / (R + S); z, exact two-sided p, ratio of shares,
///               Benjamini–Hochberg q over the units with n_u > 0
/// ```
/// The conditional binomial test of two Poisson counts is the standard test of a ratio of rates
/// (Przyborowski & Wileński 1940; Lehmann & Romano, *Testing Statistical Hypotheses*, §4.6): it needs
/// no population, because the unit's population cancels.
///
/// Complexity: O(S · U · M) for the counts and indicator, O(U log U) (Spearman) and O(U²) worst case
/// (Kendall) per pair, O(Σ n_u) for the exact binomial tests.
public struct Triangulation: Sendable {
    public let units: [String]
    public let months: [YearMonth]
    public let sources: [SourceCounts]
    /// Index of the reference source (police-recorded violence).
    public let reference: Int
    /// Per unit population (nil: rates are the totals).
    public let population: [Double]?
    public let unrecorded: [UnrecordedShare]
    public let correlations: [SourceCorrelation]
    public let disagreement: [SourceDisagreement]

    public init(units: [String], months: [YearMonth], sources: [SourceCounts], reference: Int, population: [Double]? = nil) {
        precondition(sources.indices.contains(reference), "Triangulation: reference out of range")
        precondition(sources.allSatisfy { $0.counts.count == units.count && $0.counts.allSatisfy { $0.count == months.count } },
                     "Triangulation: every source needs counts[unit][month] over the same units and months")
        precondition(population.map { $0.count == units.count } ?? true, "Triangulation: one population per unit")
        self.units = units
        self.months = months
        self.sources = sources
        self.reference = reference
        self.population = population
        let ref = sources[reference]
        var shares: [UnrecordedShare] = [], cors: [SourceCorrelation] = [], dis: [SourceDisagreement] = []
        let refTotals = ref.unitTotals
        for s in sources.indices where s != reference {
            let c = sources[s].counts
            var inc = 0, without = 0, withSource = 0, sourceOnly = 0
            for u in units.indices { for m in months.indices {
                let v = c[u][m]
                inc += v
                if v > 0 { withSource += 1 }
                if ref.counts[u][m] == 0 { without += v; if v > 0 { sourceOnly += 1 } }
            } }
            shares.append(UnrecordedShare(source: s, incidents: inc, inUnitMonthsWithoutReference: without,
                                          share: inc > 0 ? Double(without) / Double(inc) : .nan,
                                          unitMonthsWithSource: withSource, unitMonthsWithSourceOnly: sourceOnly))
            cors.append(Self.correlate(reference, s, refTotals, sources[s].unitTotals, population))
            dis.append(Self.disagree(s, refTotals, sources[s].unitTotals))
        }
        unrecorded = shares
        correlations = cors
        disagreement = dis
    }

    static func correlate(_ a: Int, _ b: Int, _ x: [Int], _ y: [Int], _ pop: [Double]?) -> SourceCorrelation {
        var xs: [Double] = [], ys: [Double] = []
        for u in x.indices {
            if let p = pop {
                guard p[u] > 0, p[u].isFinite else { continue }
                xs.append(Double(x[u]) / p[u] * 1000); ys.append(Double(y[u]) / p[u] * 1000)
            } else { xs.append(Double(x[u])); ys.append(Double(y[u])) }
        }
        var note: String?
        var sp: SpearmanResult?, kt: KendallResult?
        do throws(CorrelationError) { sp = try Correlation.spearman(xs, ys) } catch { note = error.description }
        do throws(CorrelationError) { kt = try Correlation.kendallTauB(xs, ys) } catch { note = note ?? error.description }
        return SourceCorrelation(a: a, b: b, n: xs.count, spearman: sp, kendall: kt, note: note)
    }

    static func disagree(_ s: Int, _ r: [Int], _ v: [Int]) -> SourceDisagreement {
        let R = r.reduce(0, +), S = v.reduce(0, +)
        let pi = R + S > 0 ? Double(S) / Double(R + S) : .nan
        var rows: [UnitDisagreement] = []
        var ps: [Double] = []
        for u in r.indices where r[u] + v[u] > 0 {
            let n = r[u] + v[u]
            let e = Double(n) * pi
            let sd = (Double(n) * pi * (1 - pi)).squareRoot()
            let z = sd > 0 ? (Double(v[u]) - e) / sd : .nan
            let ratio = (R > 0 && S > 0) ? (r[u] > 0 ? (Double(v[u]) / Double(S)) / (Double(r[u]) / Double(R)) : .infinity) : .nan
            let p = pi > 0 && pi < 1 ? BinomialTest.pValue(k: v[u], n: n, p: pi) : .nan
            ps.append(p)
            rows.append(UnitDisagreement(unit: u, reference: r[u], source: v[u], expected: e, z: z, ratioOfShares: ratio, p: p, q: .nan))
        }
        let q = MultipleTesting.benjaminiHochberg(ps)
        rows = rows.enumerated().map { k, d in
            UnitDisagreement(unit: d.unit, reference: d.reference, source: d.source, expected: d.expected, z: d.z,
                             ratioOfShares: d.ratioOfShares, p: d.p, q: q[k])
        }
        return SourceDisagreement(source: s, share: pi, units: rows)
    }
}
