/// Why a rate could not be computed from the data. Each case reads as a sentence.
public enum RateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A count is negative, fractional or not finite (`unit` is the 0-based position, nil for a scalar).
    case invalidCount(unit: Int?, value: Double)
    /// A population is zero, negative or not finite.
    case invalidPopulation(unit: Int?, value: Double)
    /// A decile (group) label outside 1…levels.
    case invalidDecile(unit: Int, value: Int, levels: Int)
    /// No units to pool.
    case empty

    public var description: String {
        func at(_ u: Int?) -> String { u.map { "unit \($0 + 1): " } ?? "" }
        switch self {
        case .invalidCount(let u, let v): return "\(at(u))count \(v.shortDescription) is not a count (0, 1, 2, …)"
        case .invalidPopulation(let u, let v): return "\(at(u))population \(v.shortDescription) is not a positive number"
        case .invalidDecile(let u, let v, let l): return "unit \(u + 1): decile \(v) is outside 1…\(l)"
        case .empty: return "there are no units to compute a rate from"
        }
    }

    static func check(count: Double, unit: Int?) throws(RateError) {
        guard count.isFinite, count >= 0, count == count.rounded() else { throw .invalidCount(unit: unit, value: count) }
    }

    static func check(population: Double, unit: Int?) throws(RateError) {
        guard population.isFinite, population > 0 else { throw .invalidPopulation(unit: unit, value: population) }
    }
}

/// A crude rate with its exact Poisson (Garwood) confidence interval.
///
/// ```
/// rate = k / N · per
/// μ_L  = ½ χ²_{2k}(α/2)         (0 when k = 0)
/// μ_U  = ½ χ²_{2k+2}(1 − α/2)
/// CI   = [μ_L, μ_U] / N · per
/// ```
/// Garwood (1936), "Fiducial limits for the Poisson distribution", Biometrika 28(3/4):437–442,
/// doi:10.2307/2333958; the interval is exact (conservative): P(covers) ≥ 1 − α for every μ.
/// Equals `scipy.stats.chi2.ppf(α/2, 2k)/2` and `chi2.ppf(1−α/2, 2k+2)/2` (and R's `poisson.test`).
public struct RateEstimate: Sendable, Equatable {
    public let count: Double
    public let population: Double
    /// The rate's denominator unit: 1000 means "per 1,000 residents".
    public let per: Double
    public let rate: Double
    public let ciLow: Double
    public let ciHigh: Double
    public let confidence: Double

    /// Rate per `per` population with an exact Poisson interval (see the type's documentation).
    public init(count: Double, population: Double, per: Double = 1000, confidence: Double = 0.95) throws(RateError) {
        try RateError.check(count: count, unit: nil)
        try RateError.check(population: population, unit: nil)
        precondition(per > 0, "RateEstimate: per must be positive")
        let (lo, hi) = PoissonInterval.garwood(count: count, confidence: confidence)
        self.count = count
        self.population = population
        self.per = per
        self.rate = count / population * per
        self.ciLow = lo / population * per
        self.ciHigh = hi / population * per
        self.confidence = confidence
    }
}

/// The exact (Garwood 1936) confidence interval for a Poisson mean from an observed count k:
/// ```
/// [ ½ χ²_{2k}(α/2),  ½ χ²_{2k+2}(1 − α/2) ],   lower limit 0 when k = 0
/// ```
/// (Garwood 1936, Biometrika 28:437–442, doi:10.2307/2333958). The chi-square quantiles are solved to
/// 1e-12 relative accuracy (`Distributions.chiSquareQuantile`).
public enum PoissonInterval {
    /// The Garwood interval (low, high) for the Poisson mean given the observed count k (a non-negative
    /// integer; a fractional count is a programmer error) at the given two-sided confidence.
    public static func garwood(count k: Double, confidence: Double = 0.95) -> (low: Double, high: Double) {
        precondition(confidence > 0 && confidence < 1, "PoissonInterval: confidence must lie in (0, 1)")
        precondition(k >= 0 && k == k.rounded(), "PoissonInterval: the count must be a non-negative integer")
        let alpha = 1 - confidence
        let lo = k == 0 ? 0 : Distributions.gammaQuantile(alpha / 2, shape: k)
        let hi = Distributions.gammaQuantile(1 - alpha / 2, shape: k + 1)
        return (lo, hi)
    }
}

/// The ratio of two crude rates, group A over group B, with a log-scale Wald interval.
///
/// ```
/// RR = (a / N_A) / (b / N_B)
/// se(ln RR) = √(1/a + 1/b)
/// CI = exp( ln RR ± z_{1−α/2} · se )
/// ```
/// (the large-sample interval for a ratio of Poisson rates: Kirkwood & Sterne 2003, *Essential Medical
/// Statistics*, 2nd ed., ch. 23 "Comparing rates"; Breslow & Day 1987, *Statistical Methods in Cancer
/// Research* II, IARC Sci. Publ. 82, §2.2). When a or b is 0 the log-scale interval does not exist: the
/// bounds are NaN and `zeroCount` is true (RR itself is 0 or ∞, NaN when both are 0).
public struct RateRatio: Sendable, Equatable {
    public let countA: Double
    public let populationA: Double
    public let countB: Double
    public let populationB: Double
    public let ratio: Double
    /// √(1/a + 1/b) (NaN when a count is 0).
    public let logStandardError: Double
    public let ciLow: Double
    public let ciHigh: Double
    /// True when a or b is 0 and the interval could not be formed.
    public let zeroCount: Bool
    public let confidence: Double

    /// (a / N_A) / (b / N_B) with its log-scale Wald interval; throws on invalid counts or populations.
    public init(countA a: Double, populationA na: Double, countB b: Double, populationB nb: Double,
                confidence: Double = 0.95) throws(RateError) {
        try RateError.check(count: a, unit: nil)
        try RateError.check(count: b, unit: nil)
        try RateError.check(population: na, unit: nil)
        try RateError.check(population: nb, unit: nil)
        precondition(confidence > 0 && confidence < 1, "RateRatio: confidence must lie in (0, 1)")
        countA = a; populationA = na; countB = b; populationB = nb
        self.confidence = confidence
        ratio = (a / na) / (b / nb)
        zeroCount = a == 0 || b == 0
        if zeroCount {
            logStandardError = .nan; ciLow = .nan; ciHigh = .nan
        } else {
            let se = (1 / a + 1 / b).squareRoot()
            let z = Distributions.normalQuantile(0.5 + confidence / 2)
            logStandardError = se
            ciLow = exp(log(ratio) - z * se)
            ciHigh = exp(log(ratio) + z * se)
        }
    }
}

/// Global (aspatial) empirical-Bayes smoothed rates by the method of moments (Marshall 1991).
///
/// ```
/// r_i = y_i / n_i                               raw rates
/// m   = Σ y_i / Σ n_i                           global rate (prior mean)
/// n̄   = Σ n_i / N
/// s²  = Σ n_i (r_i − m)² / Σ n_i                population-weighted variance of the raw rates
/// A   = s² − m / n̄                              moment estimate of the between-area variance
/// A⁺  = max(A, 0)
/// C_i = A⁺ / (A⁺ + m / n_i)                     shrinkage weight on the raw rate (0 when A⁺ = 0)
/// θ_i = C_i r_i + (1 − C_i) m                   smoothed rate
/// ```
/// Marshall (1991), "Mapping disease and mortality rates using empirical Bayes estimators",
/// Applied Statistics 40(2):283–294, doi:10.2307/2347593, §3 (global estimator). All rates are
/// reported per `per` population (A in per² units).
///
/// Comparison with other tools: equals pysal/esda `Empirical_Bayes(e, b).r` (× per) whenever A > 0.
/// esda does not truncate A at 0, so when the raw rates vary less than Poisson noise alone would
/// make them (A < 0) its weights leave [0, 1]; here, as Marshall advises, every area then shrinks
/// fully to m. `betweenAreaVarianceRaw` keeps the untruncated A.
public struct EmpiricalBayesRates: Sendable, Equatable {
    /// Smoothed rates θ_i, per `per`.
    public let rates: [Double]
    /// Raw rates r_i, per `per`.
    public let rawRates: [Double]
    /// Shrinkage weights C_i ∈ [0, 1] (1 = raw rate kept, 0 = global rate).
    public let weights: [Double]
    /// The global rate m, per `per`.
    public let globalRate: Double
    /// A⁺ = max(A, 0), per².
    public let betweenAreaVariance: Double
    /// A before truncation, per² (negative when the rates are less variable than Poisson noise).
    public let betweenAreaVarianceRaw: Double
    public let per: Double

    /// Smooths `counts` over `population` (see the type's documentation).
    public init(counts: [Double], population: [Double], per: Double = 1000) throws(RateError) {
        precondition(counts.count == population.count, "EmpiricalBayesRates: counts and population differ in length")
        precondition(per > 0, "EmpiricalBayesRates: per must be positive")
        guard !counts.isEmpty else { throw .empty }
        for i in counts.indices {
            try RateError.check(count: counts[i], unit: i)
            try RateError.check(population: population[i], unit: i)
        }
        let n = Double(counts.count)
        let totalCount = counts.reduce(0, +), totalPop = population.reduce(0, +)
        let m = totalCount / totalPop
        let raw = zip(counts, population).map { $0 / $1 }
        var s2 = 0.0
        for i in raw.indices { let d = raw[i] - m; s2 += population[i] * d * d }
        s2 /= totalPop
        let a = s2 - m / (totalPop / n)
        let aPlus = max(a, 0)
        let w = population.map { aPlus > 0 ? aPlus / (aPlus + m / $0) : 0 }
        rates = raw.indices.map { (w[$0] * raw[$0] + (1 - w[$0]) * m) * per }
        rawRates = raw.map { $0 * per }
        weights = w
        globalRate = m * per
        betweenAreaVariance = aPlus * per * per
        betweenAreaVarianceRaw = a * per * per
        self.per = per
    }
}

/// Rates by deprivation decile (or any 1…levels grouping) and the most-to-least deprived rate ratio.
///
/// ```
/// for each group g:  units_g, k_g = Σ_{i∈g} y_i,  N_g = Σ_{i∈g} n_i,  rate_g = k_g/N_g · per  (Garwood CI)
/// gradient ratio  = rate_1 / rate_levels        (D1/D10 for IMD deciles: most / least deprived)
/// ```
/// IMD convention (conventions §7): decile 1 = most deprived 10 %. The ratio uses `RateRatio` (log-scale
/// Wald interval with se √(1/k₁ + 1/k_L)); the per-group intervals are exact (`RateEstimate`).
public struct DecileGradient: Sendable, Equatable {
    /// One group's pooled counts and rate.
    public struct Row: Sendable, Equatable {
        public let decile: Int
        public let units: Int
        public let count: Double
        public let population: Double
        /// Nil when the group has no units.
        public let rate: RateEstimate?
    }

    /// Rows for groups 1…levels in order (empty groups included, with `rate == nil`).
    public let rows: [Row]
    /// rate(group 1) / rate(group levels); nil when either group is empty.
    public let ratio: RateRatio?
    /// The ratio of the most to the least deprived groups that have units (e.g. D1/D9 in an area with no
    /// LSOA of national decile 10), when those are not groups 1 and `levels`; nil when `ratio` exists or
    /// fewer than two groups have units.
    public let presentRatio: PresentRatio?
    public let levels: Int

    /// `ratio` between the extreme groups present.
    public struct PresentRatio: Sendable, Equatable {
        public let mostDeprived: Int
        public let leastDeprived: Int
        public let ratio: RateRatio
    }
    public let per: Double

    /// Pools `counts` and `population` by `decile` (1…levels) and forms the rates and the ratio.
    public init(counts: [Double], population: [Double], decile: [Int], levels: Int = 10,
                per: Double = 1000, confidence: Double = 0.95) throws(RateError) {
        precondition(counts.count == population.count && counts.count == decile.count,
                     "DecileGradient: counts, population and decile differ in length")
        precondition(levels >= 2, "DecileGradient: need at least 2 groups")
        guard !counts.isEmpty else { throw .empty }
        var units = [Int](repeating: 0, count: levels)
        var k = [Double](repeating: 0, count: levels), pop = [Double](repeating: 0, count: levels)
        for i in counts.indices {
            try RateError.check(count: counts[i], unit: i)
            try RateError.check(population: population[i], unit: i)
            let d = decile[i]
            guard d >= 1 && d <= levels else { throw .invalidDecile(unit: i, value: d, levels: levels) }
            units[d - 1] += 1; k[d - 1] += counts[i]; pop[d - 1] += population[i]
        }
        var rows: [Row] = []
        for g in 0 ..< levels {
            let rate = units[g] > 0 ? try RateEstimate(count: k[g], population: pop[g], per: per, confidence: confidence) : nil
            rows.append(Row(decile: g + 1, units: units[g], count: k[g], population: pop[g], rate: rate))
        }
        self.rows = rows
        let last = levels - 1
        ratio = units[0] > 0 && units[last] > 0
            ? try RateRatio(countA: k[0], populationA: pop[0], countB: k[last], populationB: pop[last], confidence: confidence)
            : nil
        if ratio == nil, let a = units.firstIndex(where: { $0 > 0 }), let b = units.lastIndex(where: { $0 > 0 }), a < b {
            presentRatio = PresentRatio(mostDeprived: a + 1, leastDeprived: b + 1,
                                        ratio: try RateRatio(countA: k[a], populationA: pop[a], countB: k[b], populationB: pop[b], confidence: confidence))
        } else { presentRatio = nil }
        self.levels = levels
        self.per = per
    }
}

/// Local (spatial) empirical-Bayes smoothed rates by the method of moments (Marshall 1991, §3 local
/// estimator): the same shrinkage as `EmpiricalBayesRates`, but each unit's prior mean and variance come
/// from its neighbourhood N_i = {i} ∪ neighbours(i) instead of the whole map.
///
/// ```
/// r_j  = y_j / n_j
/// m_i  = Σ_{j∈N_i} y_j / Σ_{j∈N_i} n_j                   local prior mean
/// s²_i = Σ_{j∈N_i} n_j (r_j − m_i)² / Σ_{j∈N_i} n_j       local weighted variance
/// A_i  = s²_i − m_i / n̄_i,   n̄_i = Σ_{j∈N_i} n_j / |N_i|,   A⁺_i = max(A_i, 0)
/// C_i  = A⁺_i / (A⁺_i + m_i / n_i)                         (0 when A⁺_i = 0)
/// θ_i  = m_i + C_i (r_i − m_i)
/// ```
/// Comparison with other tools: equals pysal/esda `Spatial_Empirical_Bayes(e, b, w).r` (binary
/// contiguity) wherever esda's result is defined; where A⁺_i = m_i = 0 esda divides 0 by 0 (NaN) and
/// this returns m_i = 0. A unit without neighbours is shrunk within its own neighbourhood {i}, i.e.
/// s² = 0 and θ_i = m_i = r_i.
public struct LocalEmpiricalBayesRates: Sendable, Equatable {
    /// Smoothed rates θ_i, per `per`.
    public let rates: [Double]
    /// Local prior means m_i, per `per`.
    public let priorRates: [Double]
    /// Shrinkage weights C_i ∈ [0, 1].
    public let weights: [Double]
    public let per: Double

    /// Smooths `counts` over `population` toward each unit's neighbourhood (`neighbours`: contiguity; its
    /// weights are ignored, every neighbour counts once).
    public init(counts: [Double], population: [Double], neighbours: SpatialWeights, per: Double = 1000) throws(RateError) {
        precondition(counts.count == population.count, "LocalEmpiricalBayesRates: counts and population differ in length")
        precondition(neighbours.count == counts.count, "LocalEmpiricalBayesRates: \(neighbours.count) units in the weights for \(counts.count) counts")
        precondition(per > 0, "LocalEmpiricalBayesRates: per must be positive")
        guard !counts.isEmpty else { throw .empty }
        for i in counts.indices {
            try RateError.check(count: counts[i], unit: i)
            try RateError.check(population: population[i], unit: i)
        }
        let raw = zip(counts, population).map { $0 / $1 }
        var theta = [Double](repeating: 0, count: counts.count), prior = theta, w = theta
        for i in counts.indices {
            let lo = neighbours.offsets[i], hi = neighbours.offsets[i + 1]
            var sy = counts[i], sn = population[i]
            for k in lo ..< hi { let j = Int(neighbours.neighbours[k]); sy += counts[j]; sn += population[j] }
            let m = sy / sn
            var d = raw[i] - m, s2 = population[i] * d * d
            for k in lo ..< hi { let j = Int(neighbours.neighbours[k]); d = raw[j] - m; s2 += population[j] * d * d }
            s2 /= sn
            let a = max(s2 - m / (sn / Double(hi - lo + 1)), 0)
            let c = a > 0 ? a / (a + m / population[i]) : 0
            prior[i] = m * per; w[i] = c; theta[i] = (m + c * (raw[i] - m)) * per
        }
        rates = theta; priorRates = prior; weights = w
        self.per = per
    }
}

/// Empirical-Bayes rates shrunk toward a per-unit prior mean (e.g. from a covariate) by the method of
/// moments: Marshall's (1991) global estimator with the map's single mean m replaced by each unit's
/// prior m_i (his §4 "regression" form; Clayton & Kaldor 1987, Biometrics 43:671–681, for the
/// Poisson–gamma model whose posterior mean this approximates).
///
/// ```
/// r_i = y_i / n_i,   m_i = prior rate of unit i,   m̄ = Σ n_i m_i / Σ n_i,   n̄ = Σ n_i / N
/// s²  = Σ n_i (r_i − m_i)² / Σ n_i
/// A   = s² − m̄ / n̄,   A⁺ = max(A, 0)
/// C_i = A⁺ / (A⁺ + m_i / n_i)          (0 when A⁺ = 0; 1 when m_i = 0 < A⁺)
/// θ_i = m_i + C_i (r_i − m_i)
/// ```
/// With every m_i equal to Σ y / Σ n this is exactly `EmpiricalBayesRates` (tested).
public struct PriorEmpiricalBayesRates: Sendable, Equatable {
    public let rates: [Double]
    public let weights: [Double]
    public let betweenAreaVariance: Double
    public let per: Double

    /// `priorRates` are per unit of population (the same scale as y / n), not per `per`.
    public init(counts: [Double], population: [Double], priorRates: [Double], per: Double = 1000) throws(RateError) {
        precondition(counts.count == population.count && counts.count == priorRates.count, "PriorEmpiricalBayesRates: lengths differ")
        precondition(per > 0, "PriorEmpiricalBayesRates: per must be positive")
        guard !counts.isEmpty else { throw .empty }
        for i in counts.indices {
            try RateError.check(count: counts[i], unit: i)
            try RateError.check(population: population[i], unit: i)
            precondition(priorRates[i].isFinite && priorRates[i] >= 0, "PriorEmpiricalBayesRates: prior rate \(i) is not a non-negative number")
        }
        let totalPop = population.reduce(0, +), nbar = totalPop / Double(counts.count)
        var s2 = 0.0, mbar = 0.0
        for i in counts.indices {
            let d = counts[i] / population[i] - priorRates[i]
            s2 += population[i] * d * d; mbar += population[i] * priorRates[i]
        }
        s2 /= totalPop; mbar /= totalPop
        let a = max(s2 - mbar / nbar, 0)
        let w = counts.indices.map { i in a > 0 ? a / (a + priorRates[i] / population[i]) : 0 }
        weights = w
        rates = counts.indices.map { i in (priorRates[i] + w[i] * (counts[i] / population[i] - priorRates[i])) * per }
        betweenAreaVariance = a * per * per
        self.per = per
    }
}
