import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// The statistics of `correlate` (and the report's deprivation section) on joined deprivation inputs:
/// rates, empirical-Bayes rates, per-measure correlations, and Moran's I of the headline model's residuals.
struct DeprivationAnalysis {
    struct ResidualMoran {
        let measure: String
        let result: GlobalMoranResult
        var significant: Bool { result.pRandomisation < 0.05 }
        var sentence: String {
            String(format: "Residual spatial autocorrelation: Moran's I of the Pearson residuals of the %@ RII model over LSOA queen contiguity = %.3f (z %.2f, p %.2g)", measure, result.I, result.zRandomisation, result.pRandomisation)
                + (significant ? " — significant: neighbouring LSOAs are not independent, so p-values and CIs above are too optimistic." : " — not significant at 5 %.")
        }
    }

    let measures: [DomainCorrelation.Measure]
    let results: [DomainCorrelation.Result]
    let rate: [Double]
    let eb: EmpiricalBayesRates
    let residualMoran: ResidualMoran?

    init(_ d: DeprivationInputs, domains: [String], ebRates: Bool, boundaries: LSOABoundaries?) throws {
        measures = d.measures(domains)
        rate = zip(d.counts, d.population).map { 1000 * $0 / $1 }
        do { eb = try EmpiricalBayesRates(counts: d.counts, population: d.population) } catch { throw RuntimeError("empirical-Bayes rates: \(plainDescription(error))") }
        if ebRates {
            // Correlate the smoothed rate: pass smoothed counts (rate × population) so every statistic uses it.
            let smoothed = zip(eb.rates, d.population).map { $0 * $1 / 1000 }
            results = DomainCorrelation.run(counts: smoothed, population: d.population, measures: measures)
        } else {
            results = DomainCorrelation.run(counts: d.counts, population: d.population, measures: measures)
        }
        var moran: ResidualMoran?
        if let head = results.first, let rii = head.rii, let boundaries,
           let m = measures.first(where: { $0.name == head.measure }), m.values.allSatisfy(\.isFinite) {
            if boundaries.polygons(of: d.codes) != nil {
                let q = boundaries.queenWeights(among: d.codes)
                let ridit = ConcentrationIndex.fractionalRanks(population: d.population, deprivation: m.values, order: .scoreDescending)
                let b = rii.regression.estimates, alpha = rii.regression.alpha ?? 0
                let resid = d.codes.indices.map { i -> Double in
                    let mu = d.population[i] * exp(b[0] + b[1] * ridit[i])
                    return (d.counts[i] - mu) / (mu + alpha * mu * mu).squareRoot()
                }
                if let g = try? Moran.global(resid, weights: q.rowStandardised) { moran = ResidualMoran(measure: head.measure, result: g) }
            }
        }
        residualMoran = moran
    }

    /// `{"n_units", "crime", "period", "rate", "join", "correlations": [...], "residual_moran", "caveats"}`.
    func json(_ d: DeprivationInputs, rate rateKind: String) -> JSONValue {
        .object([
            ("placerisk_version", .string(PlaceRiskVersion.string)),
            ("n_units", .int(d.codes.count)), ("crime", .string(d.crimeNote)), ("period", .string(d.periodNote)),
            ("rate", .string(rateKind == "per-1000" ? "per 1,000 residents (IMD 2019 population, mid-2015)" : "empirical-Bayes smoothed per 1,000 (Marshall 1991)")),
            ("headline", .string("imd_excluding_crime: the IMD Crime domain is built from recorded crime")),
            ("join", d.join),
            ("correlations", .array(results.map(CorrelationReport.json))),
            ("residual_moran", residualMoran.map { m in .object([
                ("measure", .string(m.measure)), ("I", .number(m.result.I)), ("z", .number(m.result.zRandomisation)),
                ("p", .number(m.result.pRandomisation)), ("weights", .string("LSOA queen contiguity, row-standardised")),
                ("significant", .bool(m.significant)),
            ]) } ?? .null),
            ("caveats", .string(DomainCorrelation.caveats)),
        ])
    }
}
