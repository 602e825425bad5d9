import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// The statistics of `correlate` (and the report's deprivation section) on joined deprivation inputs:
/// rates, empirical-Bayes rates, per-measure correlations, and Moran's I of the headline model's residuals.
struct DeprivationAnalysis {
    let measures: [DomainCorrelation.Measure]
    let gradient: DeprivationGradient
    var results: [DomainCorrelation.Result] { gradient.results }
    var rate: [Double] { gradient.rate }
    var eb: EmpiricalBayesRates { gradient.eb }
    var residualMoran: DeprivationGradient.ResidualMoran? { gradient.residualMoran }

    init(_ d: DeprivationInputs, domains: [String], ebRates: Bool, boundaries: LSOABoundaries?) throws {
        measures = d.measures(domains)
        let contiguity = boundaries.flatMap { b in b.polygons(of: d.codes) != nil ? b.queenWeights(among: d.codes) : nil }
        do { gradient = try DeprivationGradient(counts: d.counts, population: d.population, measures: measures, ebRates: ebRates, contiguity: contiguity) } catch {
            throw RuntimeError("empirical-Bayes rates: \(plainDescription(error))")
        }
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

extension DeprivationGradient.ResidualMoran {
    /// The plain sentence printed and shown on the page.
    var sentence: String {
        String(format: "Residual spatial autocorrelation: Moran's I of the Pearson residuals of the %@ RII model over LSOA queen contiguity = %.3f (z %.2f, p %.2g)", measure, result.I, result.zRandomisation, result.pRandomisation)
            + (significant ? " — significant: neighbouring LSOAs are not independent, so p-values and CIs above are too optimistic." : " — not significant at 5 %.")
    }
}
