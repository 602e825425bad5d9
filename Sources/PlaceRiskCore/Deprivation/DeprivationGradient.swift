/// The deprivation link of one area's LSOAs, as `correlate` and the report compute it: rates per 1,000,
/// empirical-Bayes rates (Marshall 1991), the per-measure correlations and gradients
/// (`DomainCorrelation.run`), and Moran's I of the headline model's Pearson residuals.
///
/// Residuals: the headline measure's RII model is NB2 on the population-weighted ridit of deprivation,
/// μ_i = pop_i · exp(b₀ + b₁ · ridit_i); the Pearson residual is (y_i − μ_i) / √(μ_i + α μ_i²). Their
/// global Moran's I over LSOA queen contiguity (row-standardised) says whether neighbouring LSOAs are
/// independent — when they are not, every p-value and CI of the table is too optimistic.
public struct DeprivationGradient: Sendable {
    public struct ResidualMoran: Sendable {
        public let measure: String
        public let result: GlobalMoranResult
        /// p (randomisation) < 0.05.
        public var significant: Bool { result.pRandomisation < 0.05 }
    }

    public let results: [DomainCorrelation.Result]
    /// Rate per 1,000 of each unit.
    public let rate: [Double]
    public let eb: EmpiricalBayesRates
    public let residualMoran: ResidualMoran?

    /// - Parameters:
    ///   - ebRates: correlate the EB-smoothed rate instead of the raw one (every statistic then uses
    ///     smoothed counts, rate × population).
    ///   - contiguity: queen weights among the units (nil: no residual Moran's I).
    public init(counts: [Double], population: [Double], measures: [DomainCorrelation.Measure], ebRates: Bool,
                contiguity: SpatialWeights?) throws(RateError) {
        precondition(counts.count == population.count, "DeprivationGradient: counts and population differ in length")
        rate = zip(counts, population).map { 1000 * $0 / $1 }
        eb = try EmpiricalBayesRates(counts: counts, population: population)
        let used = ebRates ? zip(eb.rates, population).map { $0 * $1 / 1000 } : counts
        results = DomainCorrelation.run(counts: used, population: population, measures: measures)
        var moran: ResidualMoran?
        if let w = contiguity, let head = results.first, let rii = head.rii,
           let m = measures.first(where: { $0.name == head.measure }), m.values.allSatisfy(\.isFinite) {
            let ridit = ConcentrationIndex.fractionalRanks(population: population, deprivation: m.values, order: .scoreDescending)
            let b = rii.regression.estimates, alpha = rii.regression.alpha ?? 0
            let resid = counts.indices.map { i -> Double in
                let mu = population[i] * exp(b[0] + b[1] * ridit[i])
                return (counts[i] - mu) / (mu + alpha * mu * mu).squareRoot()
            }
            if let g = try? Moran.global(resid, weights: w.rowStandardised) { moran = ResidualMoran(measure: head.measure, result: g) }
        }
        residualMoran = moran
    }
}
