import Testing
@testable import PlaceRiskCore

@Suite("Panel covariates, kde_past and count probabilities")
struct PanelInputsFeaturesTests {
    /// kde_past is the mean monthly quartic density of the months before t, by hand: one unit at the origin,
    /// a point at distance 0 in month 0 and one at 500 m in month 1, radius 1000 m. Quartic per m²:
    /// K(d) = 3/(π r²) (1 − d²/r²)², so K(0) = 3/(π·10⁶) and K(500) = 3/(π·10⁶)·0.5625.
    @Test func kdePastIsTheMeanMonthlyDensityOfEarlierMonthsOnly() throws {
        let k = try Kernel(.quartic, bandwidth: 1000)
        let out = KDEPast.build(unitX: [0], unitY: [0], pointX: [0, 500, 0], pointY: [0, 0, 0], pointMonth: [0, 1, 2], months: 3, kernel: k)
        let k0 = 3 / (Double.pi * 1e6), k500 = k0 * 0.5625
        #expect(out.count == 4 && out[0].isNaN)
        #expect(abs(out[1] - 1e6 * k0) < 1e-12)                       // month 0 only
        #expect(abs(out[2] - 1e6 * (k0 + k500) / 2) < 1e-12)          // months 0, 1
        #expect(abs(out[3] - 1e6 * (2 * k0 + k500) / 3) < 1e-12)      // months 0, 1, 2 (scoring month 3)
    }

    @Test func covariateAndKDEFeaturesRoundTripTheirNames() {
        for name in ["cov:income_score", "kde_past", "log1p_cov:total_population", "log1p_kde_past"] {
            #expect(PanelFeature(name: name)?.description == name)
        }
        #expect(PanelFeature(name: "cov:") == nil)
        #expect(PanelFeature.kdePast.lookback == 1 && PanelFeature.covariate("x").lookback == 0)
    }

    /// Covariate values enter every row of their unit; a missing column or kde_past without a surface is a typed error.
    @Test func covariatesJoinEveryRowOfTheirUnit() throws {
        let p = Panel(units: ["a", "b"], months: MonthRange(YearMonth(year: 2020, month: 1), YearMonth(year: 2020, month: 3)),
                      counts: [1, 2, 3, 0, 0, 5]).withCovariates(names: ["income"], values: [0.25, 0.5])
        let m = try PanelFeatures.build(p, features: [.lag(1), .covariate("income")], outcome: .count)
        #expect(m.values == [1, 0.25, 0, 0.5, 2, 0.25, 0, 0.5])
        #expect(m.outcome == [2, 0, 3, 5])
        #expect(throws: PanelError.missingCovariate("health")) { try PanelFeatures.build(p, features: [.covariate("health")], outcome: .count) }
        #expect(throws: PanelError.kdePastUnavailable) { try PanelFeatures.build(p, features: [.kdePast], outcome: .count) }
        let sub = p.subset(units: [1])
        #expect(sub.units == ["b"] && sub.counts == [0, 0, 5] && sub.covariateValues == [0.5])
    }

    /// P(Y ≥ k) against scipy.stats: poisson.sf(1, 1.5) = 0.4421745996289252, poisson.sf(4, 2.3) =
    /// 0.08375071927940161; NB2 μ = 2.3, α = 0.7 as nbinom(n = 1/α, p = 1/(1 + αμ)): sf(4) = 0.15565755786634763,
    /// sf(0) = 0.7460201424753845 (scipy 1.x, /tmp/peers-venv).
    @Test func countProbabilitiesMatchScipy() {
        #expect(abs(CountProbability.atLeast(2, mean: 1.5) - 0.4421745996289252) < 1e-14)
        #expect(abs(CountProbability.atLeast(5, mean: 2.3) - 0.08375071927940161) < 1e-14)
        #expect(abs(CountProbability.atLeast(5, mean: 2.3, alpha: 0.7) - 0.15565755786634763) < 1e-14)
        #expect(abs(CountProbability.atLeast(1, mean: 2.3, alpha: 0.7) - 0.7460201424753845) < 1e-14)
        #expect(CountProbability.atLeast(0, mean: 2) == 1 && CountProbability.atLeast(1, mean: 0) == 0)
    }
}
