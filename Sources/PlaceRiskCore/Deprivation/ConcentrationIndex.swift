/// How a deprivation variable orders units from most to least deprived.
public enum DeprivationOrder: Sendable, Equatable {
    /// Smaller is more deprived: IMD rank (1 = most deprived) or IMD decile (1 = most deprived 10 %).
    case rankAscending
    /// Larger is more deprived: IMD score, domain scores.
    case scoreDescending
}

/// Why a concentration index could not be computed from the data. Each case reads as a sentence.
public enum ConcentrationIndexError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer than 2 units.
    case tooFewUnits(Int)
    /// A population that is zero, negative or not finite (0-based unit).
    case invalidPopulation(unit: Int, value: Double)
    /// An outcome or deprivation value that is NaN or infinite (0-based unit).
    case nonFiniteValue(unit: Int, variable: String)
    /// The population-weighted mean outcome μ is not positive, so C = 2 cov/μ is undefined.
    case nonPositiveMean(Double)

    public var description: String {
        switch self {
        case .tooFewUnits(let n): return "\(n) units cannot rank an outcome by deprivation; at least 2 are needed"
        case .invalidPopulation(let u, let v): return "unit \(u + 1): population \(v.shortDescription) is not a positive number"
        case .nonFiniteValue(let u, let v): return "unit \(u + 1): '\(v)' is not a finite number"
        case .nonPositiveMean(let m):
            return "the population-weighted mean outcome is \(m.shortDescription); the concentration index needs a positive mean"
        }
    }
}

/// The concentration index of an area outcome (e.g. crimes per 1,000) over population-weighted
/// deprivation rank.
///
/// **Sign convention.** Units are ranked from MOST deprived (R near 0) to LEAST deprived (R near 1).
/// A NEGATIVE C means the outcome is concentrated among the more deprived units; a positive C means
/// it is concentrated among the less deprived; C = 0 means no association with the ranking. This is
/// the usual health-economics convention with "poorest first" (O'Donnell et al. 2008, ch. 8).
///
/// ```
/// f_i = w_i / W                             population shares (W = Σ w_i), units sorted most deprived first
/// R_i = Σ_{j<i} f_j + f_i / 2               fractional rank (ridit); tied deprivation values share the
///                                           rank of their group: R = Σ_{before group} f + f_group / 2
/// μ   = Σ f_i h_i
/// C   = 2 · cov_f(h, R) / μ = 2 Σ f_i (h_i − μ)(R_i − R̄) / μ,   R̄ = Σ f_i R_i = ½
/// ```
/// Standard error: the delta-method formula of Kakwani, Wagstaff & van Doorslaer (1997),
/// "Socioeconomic inequalities in health: measurement, computation, and statistical inference",
/// J Econometrics 77(1):87–103, doi:10.1016/S0304-4076(96)01807-6 (their variance for individual and
/// for grouped data), with each unit weighted by its population share:
/// ```
/// q_t = Σ_{groups s ≤ t} Σ_{i∈s} f_i h_i / μ        concentration-curve ordinate after tie group t (q₀ = 0)
/// a_i = (h_i/μ)(2R_i − 1 − C) + 2 − q_{t−1} − q_t    for unit i in tie group t
/// Var(C) = (1/n) [ Σ f_i a_i² − (1 + C)² ],           n = number of units
/// ```
/// With equal populations and no ties this is KWV's individual-data formula exactly; with ties it is
/// their grouped-data formula (whose within-group term is the spread of a_i inside a group). Areas are
/// the observations (n = units, not residents), so Poisson noise within areas is not propagated.
/// CI = C ± z_{1−α/2} SE, z = C/SE, p two-sided normal.
///
/// Comparison with other tools: C equals the slope of the "convenient regression" of 2σ²_R · h_i/μ on
/// R_i weighted by f_i (Kakwani et al. 1997; O'Donnell, van Doorslaer, Wagstaff & Lindelow 2008,
/// *Analyzing Health Equity Using Household Survey Data*, World Bank, ch. 8, doi:10.1596/978-0-8213-6933-3);
/// the regression's OLS standard error ignores the dependence among ranks, which the KWV formula does not.
/// The tests check C and SE against a numpy hand calculation on a 4-unit example.
public struct ConcentrationIndex: Sendable, Equatable {
    /// The concentration index C (negative = concentrated among the deprived; see above).
    public let index: Double
    public let standardError: Double
    public let ciLow: Double
    public let ciHigh: Double
    public let z: Double
    public let p: Double
    /// Population-weighted mean outcome μ.
    public let mean: Double
    /// Units used.
    public let n: Int
    public let confidence: Double
    /// Fractional ranks R_i in input order (0 = most deprived end, 1 = least deprived end).
    public let fractionalRanks: [Double]

    /// C of `outcome` (a rate or other non-negative area measure) weighted by `population` and ranked
    /// by `deprivation` read in `order`.
    public init(outcome h: [Double], population w: [Double], deprivation: [Double], order: DeprivationOrder,
                confidence: Double = 0.95) throws(ConcentrationIndexError) {
        let n = h.count
        precondition(w.count == n && deprivation.count == n, "ConcentrationIndex: outcome, population and deprivation differ in length")
        precondition(confidence > 0 && confidence < 1, "ConcentrationIndex: confidence must lie in (0, 1)")
        guard n >= 2 else { throw .tooFewUnits(n) }
        for i in 0 ..< n {
            guard w[i].isFinite, w[i] > 0 else { throw .invalidPopulation(unit: i, value: w[i]) }
            guard h[i].isFinite else { throw .nonFiniteValue(unit: i, variable: "outcome") }
            guard deprivation[i].isFinite else { throw .nonFiniteValue(unit: i, variable: "deprivation") }
        }
        let (order, groupEnds, ranks) = Self.rankGroups(population: w, deprivation: deprivation, order: order)
        let total = w.reduce(0, +)
        var mu = 0.0
        for i in 0 ..< n { mu += w[i] / total * h[i] }
        guard mu > 0 else { throw .nonPositiveMean(mu) }
        var rBar = 0.0
        for i in 0 ..< n { rBar += w[i] / total * ranks[i] }
        var cov = 0.0
        for i in 0 ..< n { cov += w[i] / total * (h[i] - mu) * (ranks[i] - rBar) }
        let c = 2 * cov / mu
        // KWV variance, walking the tie groups in deprivation order.
        var sumFA2 = 0.0, qBefore = 0.0, start = 0
        for end in groupEnds {
            var qAfter = qBefore
            for k in start ..< end { let i = order[k]; qAfter += w[i] / total * h[i] / mu }
            for k in start ..< end {
                let i = order[k]
                let a = h[i] / mu * (2 * ranks[i] - 1 - c) + 2 - qBefore - qAfter
                sumFA2 += w[i] / total * a * a
            }
            qBefore = qAfter
            start = end
        }
        let variance = max(0, (sumFA2 - (1 + c) * (1 + c)) / Double(n))
        let se = variance.squareRoot()
        let zc = Distributions.normalQuantile(0.5 + confidence / 2)
        index = c
        standardError = se
        ciLow = c - zc * se
        ciHigh = c + zc * se
        z = c / se
        p = MultipleTesting.twoSidedP(c / se)
        mean = mu
        self.n = n
        self.confidence = confidence
        fractionalRanks = ranks
    }

    /// C of the rates counts_i / population_i (the rate's multiplier does not change C).
    public init(counts: [Double], population: [Double], deprivation: [Double], order: DeprivationOrder,
                confidence: Double = 0.95) throws(ConcentrationIndexError) {
        precondition(counts.count == population.count, "ConcentrationIndex: counts and population differ in length")
        for i in population.indices where !(population[i].isFinite && population[i] > 0) {
            throw .invalidPopulation(unit: i, value: population[i])
        }
        try self.init(outcome: zip(counts, population).map { $0 / $1 }, population: population,
                      deprivation: deprivation, order: order, confidence: confidence)
    }

    /// Population-weighted fractional ranks (ridits) R_i ∈ (0, 1), in input order: 0 is the most
    /// deprived end, 1 the least deprived; tied deprivation values share their group's mid-point.
    /// ```
    /// R_i = (Σ_{groups before i's} w + ½ Σ_{i's group} w) / Σ w
    /// ```
    public static func fractionalRanks(population: [Double], deprivation: [Double], order: DeprivationOrder) -> [Double] {
        precondition(population.count == deprivation.count, "fractionalRanks: population and deprivation differ in length")
        precondition(population.allSatisfy { $0.isFinite && $0 > 0 }, "fractionalRanks: populations must be positive")
        precondition(deprivation.allSatisfy(\.isFinite), "fractionalRanks: deprivation values must be finite")
        return rankGroups(population: population, deprivation: deprivation, order: order).ranks
    }

    /// Sorted order (most deprived first, ties by input index), the end index of each tie group in that
    /// order, and the fractional ranks in input order.
    static func rankGroups(population w: [Double], deprivation d: [Double], order: DeprivationOrder)
        -> (order: [Int], groupEnds: [Int], ranks: [Double]) {
        let n = w.count
        let sorted: [Int]
        switch order {
        case .rankAscending: sorted = (0 ..< n).sorted { d[$0] < d[$1] || (d[$0] == d[$1] && $0 < $1) }
        case .scoreDescending: sorted = (0 ..< n).sorted { d[$0] > d[$1] || (d[$0] == d[$1] && $0 < $1) }
        }
        let total = w.reduce(0, +)
        var ranks = [Double](repeating: 0, count: n)
        var ends: [Int] = []
        var before = 0.0, start = 0
        while start < n {
            var end = start + 1
            while end < n && d[sorted[end]] == d[sorted[start]] { end += 1 }
            var group = 0.0
            for k in start ..< end { group += w[sorted[k]] }
            let r = (before + group / 2) / total
            for k in start ..< end { ranks[sorted[k]] = r }
            before += group
            ends.append(end)
            start = end
        }
        return (sorted, ends, ranks)
    }

    /// A sentence reading the sign of `c` under this type's convention (ranked most deprived first).
    public static func interpretation(of c: Double) -> String {
        if c.isNaN { return "the concentration index is undefined" }
        if c < 0 {
            return "C = \(c.shortDescription) < 0: the outcome is concentrated among the more deprived units (units ranked from most to least deprived)"
        }
        if c > 0 {
            return "C = \(c.shortDescription) > 0: the outcome is concentrated among the less deprived units (units ranked from most to least deprived)"
        }
        return "C = 0: the outcome is spread evenly over the deprivation ranking"
    }

    /// `interpretation(of: index)` plus whether the interval excludes 0.
    public var interpretation: String {
        let pct = (confidence * 100).shortDescription
        let sig = ciLow > 0 || ciHigh < 0
            ? "its \(pct)% interval [\(ciLow.shortDescription), \(ciHigh.shortDescription)] excludes 0"
            : "its \(pct)% interval [\(ciLow.shortDescription), \(ciHigh.shortDescription)] includes 0, so the direction is not established"
        return Self.interpretation(of: index) + "; " + sig
    }
}

/// The Relative Index of Inequality (RII) from a Poisson or NB2 regression of counts on the
/// population-weighted deprivation ridit, with offset ln(population).
///
/// ```
/// ln E[y_i] = ln n_i + β₀ + β · ridit_i,       ridit 0 = MOST deprived end, 1 = LEAST deprived end
/// RII = rate(ridit 0) / rate(ridit 1) = exp(−β)       (most deprived relative to least deprived)
/// CI  = [exp(−β − z_{1−α/2} SE(β)), exp(−β + z_{1−α/2} SE(β))]
/// ```
/// RII > 1 means the rate is higher at the most deprived end. Ridits are the fractional ranks of
/// `ConcentrationIndex.fractionalRanks` (Pamuk 1985, "Social class inequality in mortality from 1921 to
/// 1972 in England and Wales", Population Studies 39(1):17–31, doi:10.1080/0032472031000141256;
/// Mackenbach & Kunst 1997, Soc Sci Med 44(6):757–771, doi:10.1016/S0277-9536(96)00073-1). SEs come
/// from the inverse observed information of `Regression.fit` (statsmodels' Poisson / NB2 MLE).
public struct RelativeIndexOfInequality: Sendable {
    /// exp(−β): rate at the most deprived end over rate at the least deprived end.
    public let rii: Double
    public let ciLow: Double
    public let ciHigh: Double
    /// β, the coefficient of the ridit (ln rate change from ridit 0 to ridit 1).
    public let slope: Double
    public let slopeStandardError: Double
    /// Two-sided Wald p-value of β = 0 (RII = 1).
    public let p: Double
    public let confidence: Double
    /// The full fit (coefficients `const` and `ridit`; α for NB2).
    public let regression: RegressionResult

    /// Fits ln E[counts] = ln(population) + β₀ + β·ridit by `family` (.poisson or .negativeBinomial).
    public static func fit(counts: [Double], population: [Double], ridit: [Double],
                           family: RegressionResult.Family = .poisson,
                           confidence: Double = 0.95) throws(RegressionError) -> RelativeIndexOfInequality {
        precondition(family != .logistic, "RelativeIndexOfInequality: use a count family (.poisson or .negativeBinomial)")
        precondition(counts.count == population.count && counts.count == ridit.count,
                     "RelativeIndexOfInequality: counts, population and ridit differ in length")
        precondition(confidence > 0 && confidence < 1, "RelativeIndexOfInequality: confidence must lie in (0, 1)")
        let offset = population.map { $0 > 0 ? log($0) : Double.nan }
        let r = try Regression.fit(family: family, x: ridit, names: ["ridit"], y: counts, offset: offset)
        let beta = r.estimates[1], se = r.standardErrors[1]
        let z = Distributions.normalQuantile(0.5 + confidence / 2)
        return RelativeIndexOfInequality(
            rii: exp(-beta), ciLow: exp(-beta - z * se), ciHigh: exp(-beta + z * se),
            slope: beta, slopeStandardError: se, p: r.p[1], confidence: confidence, regression: r)
    }
}
