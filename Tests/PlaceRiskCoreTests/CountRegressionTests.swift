import Foundation
import Testing
@testable import PlaceRiskCore

@Suite("Poisson and negative binomial regression")
struct CountRegressionTests {
    /// statsmodels 0.15 Poisson and NegativeBinomial(nb2) with offset ln(population), Newton to tol 1e-14
    /// (Fixtures/count_models_reference.json; provenance in REFERENCES.md): coefficients, SEs, α and its
    /// SE, ℓ, AIC and BIC (k counts α, as statsmodels) to 1e-6; ℓ₀ to 1e-6 against the exact null fit.
    @Test(arguments: ["areas_n10k_20x20.csv", "areas_n10k_50x50.csv"])
    func countModelsMatchStatsmodels(file: String) throws {
        let ref = ((try jsonFixture("count_models_reference.json"))["fits"] as! [String: Any])[file] as! [String: Any]
        let feats = ["dom_income", "dom_crime", "dom_living_env"]
        let (x, y) = try design(file, features: feats, outcome: "incidents")
        let pop = try column(file, "population")
        let offset = pop.map { log($0) }
        for (key, family) in [("poisson", RegressionResult.Family.poisson), ("negbin_nb2", .negativeBinomial)] {
            let m = ref[key] as! [String: Any]
            let params = m["params"] as! [String: Double], bse = m["bse"] as! [String: Double]
            let r = try Regression.fit(family: family, x: x, names: feats, y: y, offset: offset)
            for (i, n) in r.names.enumerated() {
                #expect(abs(r.estimates[i] - params[n]!) < 1e-6, "\(file) \(key) \(n)")
                #expect(abs(r.standardErrors[i] - bse[n]!) < 1e-6 * max(1, bse[n]!), "\(file) \(key) SE \(n)")
            }
            if family == .negativeBinomial {
                #expect(abs(r.alpha! - params["alpha"]!) < 1e-6 && abs(r.alphaStandardError! - bse["alpha"]!) < 1e-6)
            }
            #expect(abs(r.logLikelihood - (m["llf"] as! Double)) < 1e-6)
            let llnull = (m["llnull_check"] as? [String: Any])?["llf"] as? Double ?? m["llnull"] as! Double
            #expect(abs(r.nullLogLikelihood - llnull) < 1e-6, "\(file) \(key) llnull")
            #expect(abs(r.aic - (m["aic"] as! Double)) < 1e-6 && abs(r.bic - (m["bic"] as! Double)) < 1e-6)
        }
    }

    @Test func countOutcomesMustBeCounts() {
        #expect(throws: RegressionError.invalidOutcome(row: 1, value: 1.5, expected: "a count (0, 1, 2, …)")) {
            try Regression.fit(family: .poisson, x: [1, 2, 3, 4, 5], names: ["a"], y: [0, 1.5, 2, 3, 1])
        }
    }
}
