/// The deprivation analysis of one area (conventions §7): for each deprivation measure (IMD, the
/// IMD excluding crime, each domain), Pearson r, Spearman ρ and Kendall τ-b of the per-1,000 rate with
/// the measure, Benjamini–Hochberg adjusted p across the family of measures, the decile gradient with
/// the D1/D10 rate ratio, the concentration index of the rate, and the Relative Index of Inequality.
///
/// ```
/// rate_i = 1000 · count_i / population_i
/// measure oriented so that higher = more deprived (a score as published; a rank as N + 1 − rank)
/// p_adjusted = BH over the measures' Spearman p (the headline statistic, conventions §7)
/// ```
/// Ecological statistics: they describe areas, not people (see `caveats`).
public enum DomainCorrelation {
    /// One deprivation measure over the units.
    public struct Measure: Sendable {
        /// Output name: `imd`, `imd_excluding_crime`, `income`, …
        public let name: String
        /// Values per unit, higher = more deprived (NaN where missing).
        public let values: [Double]
        /// Deciles per unit (1 = most deprived 10 %; 0 where missing), for the gradient.
        public let deciles: [Int]?
        /// What the values are, e.g. "score (rate)" or "rank oriented as 32,845 − rank (higher = more deprived)".
        public let meaning: String

        public init(name: String, values: [Double], deciles: [Int]?, meaning: String) {
            self.name = name; self.values = values; self.deciles = deciles; self.meaning = meaning
        }
    }

    /// Every statistic for one measure; a statistic that cannot be computed is nil with its reason in `notes`.
    public struct Result: Sendable {
        public let measure: String
        public let meaning: String
        public let n: Int
        public let pearson: PearsonResult?
        public let spearman: SpearmanResult?
        public let kendall: KendallResult?
        /// BH-adjusted Spearman p across the measures.
        public var pAdjusted: Double
        public internal(set) var gradient: DecileGradient?
        public internal(set) var concentration: ConcentrationIndex?
        public internal(set) var rii: RelativeIndexOfInequality?
        public internal(set) var notes: [String]
    }

    /// The caveats every output of this analysis prints (ecological inference, MAUP, vintage, small numbers).
    public static let caveats = """
    These are ecological associations between areas, not facts about people: deprived areas having more \
    recorded violence does not mean deprived people commit or suffer more of it (ecological fallacy). \
    Results depend on the units (LSOAs) and their boundaries (modifiable areal unit problem), IMD 2019 \
    describes 2015–2017 conditions and 2011 LSOAs while crime is recorded later, small counts make single-LSOA \
    rates noisy (see the empirical-Bayes rates), recorded crime reflects reporting and police activity, and \
    neighbouring areas are not independent (residual Moran's I).
    """

    /// Collects the reason a statistic could not be computed instead of stopping the analysis.
    private struct Attempts {
        var notes: [String] = []
        mutating func run<T>(_ what: String, _ body: () throws -> T) -> T? {
            do { return try body() } catch { notes.append("\(what): \(error)"); return nil }
        }
    }

    /// Correlations only (Pearson, Spearman, Kendall, BH) of `values` with each measure, for any table.
    ///
    /// The measures run concurrently (each result is computed exactly as alone, so the output is the
    /// serial one), and `values` is ranked / sorted once for every measure that leaves no unit out
    /// (all values finite) instead of once per measure and statistic.
    public static func run(values y0: [Double], measures: [Measure]) -> [Result] {
        for m in measures {
            precondition(m.values.count == y0.count, "DomainCorrelation.run: measure \(m.name) has the wrong length")
        }
        let allFinite = y0.allSatisfy(\.isFinite)
        let whole = measures.map { allFinite && $0.values.allSatisfy(\.isFinite) }
        let ranked: RankedSample? = y0.count >= 3 && whole.filter({ $0 }).count > 1 ? RankedSample(y0) : nil
        var results = Correlation.concurrentMap(measures.count) { k -> Result in
            let m = measures[k]
            let x: [Double], y: [Double], yRanked: RankedSample?
            if whole[k] {
                x = m.values; y = y0; yRanked = ranked
            } else {
                let keep = y0.indices.filter { m.values[$0].isFinite && y0[$0].isFinite }
                x = keep.map { m.values[$0] }; y = keep.map { y0[$0] }; yRanked = nil
            }
            var attempts = Attempts()
            let pearson = attempts.run("pearson") { try Correlation.pearson(x, y) }
            let spearman = attempts.run("spearman") { try Correlation.spearman(x, y, xRanked: nil, yRanked: yRanked, confidence: 0.95) }
            let kendall = attempts.run("kendall") { try Correlation.kendallTauB(x, y, xRanked: nil, yRanked: yRanked) }
            return Result(measure: m.name, meaning: m.meaning, n: x.count, pearson: pearson, spearman: spearman,
                          kendall: kendall, pAdjusted: .nan, gradient: nil, concentration: nil, rii: nil, notes: attempts.notes)
        }
        let q = MultipleTesting.benjaminiHochberg(results.map { $0.spearman?.p ?? .nan })
        for i in results.indices { results[i].pAdjusted = q[i] }
        return results
    }

    /// Runs every statistic for every measure. `counts` and `population` per unit (population > 0):
    /// the correlations of the rate (`run(values:measures:)`), then the gradient, C and RII.
    public static func run(counts: [Double], population: [Double], measures: [Measure],
                           riiFamily: RegressionResult.Family = .negativeBinomial) -> [Result] {
        precondition(counts.count == population.count, "DomainCorrelation.run: counts and population differ in length")
        let rate = zip(counts, population).map { $1 > 0 ? 1000 * $0 / $1 : .nan }
        var results = run(values: rate, measures: measures)
        for (k, m) in measures.enumerated() {
            let keep = counts.indices.filter { m.values[$0].isFinite && population[$0] > 0 }
            let x = keep.map { m.values[$0] }, y = keep.map { rate[$0] }
            let c = keep.map { counts[$0] }, w = keep.map { population[$0] }
            var attempts = Attempts()
            if let d = m.deciles {
                let kd = keep.filter { d[$0] >= 1 && d[$0] <= 10 }
                results[k].gradient = attempts.run("decile gradient") { try DecileGradient(counts: kd.map { counts[$0] }, population: kd.map { population[$0] }, decile: kd.map { d[$0] }) }
            }
            results[k].concentration = attempts.run("concentration index") { try ConcentrationIndex(outcome: y, population: w, deprivation: x, order: .scoreDescending) }
            if x.count >= 3 {
                let ridit = ConcentrationIndex.fractionalRanks(population: w, deprivation: x, order: .scoreDescending)
                var rii = attempts.run("RII (\(riiFamily.rawValue))") { try RelativeIndexOfInequality.fit(counts: c, population: w, ridit: ridit, family: riiFamily) }
                if rii == nil, riiFamily != .poisson {
                    rii = attempts.run("RII (poisson)") { try RelativeIndexOfInequality.fit(counts: c, population: w, ridit: ridit, family: .poisson) }
                }
                results[k].rii = rii
            }
            results[k].notes += attempts.notes
        }
        return results
    }
}
