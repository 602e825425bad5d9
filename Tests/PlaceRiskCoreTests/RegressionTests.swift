import Foundation
import Testing
@testable import PlaceRiskCore

func jsonFixture(_ name: String) throws -> [String: Any] {
    let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil)!
    return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
}

/// Columns of a CSV fixture by name, as a row-major design plus the outcome.
func design(_ file: String, features: [String], outcome: String) throws -> (x: [Double], y: [Double]) {
    let rows = simpleCSV(try fixture(file))
    let h = rows[0]
    let fi = features.map { h.firstIndex(of: $0)! }, oi = h.firstIndex(of: outcome)!
    var x: [Double] = [], y: [Double] = []
    for r in rows.dropFirst() {
        for i in fi { x.append(Double(r[i])!) }
        y.append(Double(r[oi])!)
    }
    return (x, y)
}

@Suite("Logistic regression")
struct LogisticRegressionTests {
    /// Spector & Mazzeo (1980) — statsmodels 0.15 Logit, equal to Greene's published values
    /// (Fixtures/spector_reference.json): coefficients and SEs to 1e-6, log-likelihoods, McFadden R².
    @Test func spectorMatchesStatsmodels() throws {
        let (x, y) = try design("spector.csv", features: ["GPA", "TUCE", "PSI"], outcome: "GRADE")
        let r = try Regression.fit(family: .logistic, x: x, names: ["GPA", "TUCE", "PSI"], y: y)
        let ref = try jsonFixture("spector_reference.json")
        let params = ref["params"] as! [String: Double], bse = ref["bse"] as! [String: Double]
        for (i, name) in r.names.enumerated() {
            #expect(abs(r.estimates[i] - params[name]!) < 1e-6, "\(name)")
            #expect(abs(r.standardErrors[i] - bse[name]!) < 1e-6, "\(name) SE")
        }
        #expect(abs(r.logLikelihood - (ref["llf"] as! Double)) < 1e-8)
        #expect(abs(r.nullLogLikelihood - (ref["llnull"] as! Double)) < 1e-8)
        #expect(abs(r.mcFaddenR2 - (ref["prsquared_mcfadden"] as! Double)) < 1e-8)
        #expect(r.names == ["const", "GPA", "TUCE", "PSI"] && r.converged && r.n == 32)
        // Odds ratio and CI by hand: exp(2.826113) = 16.879; CI = β ± 1.959964·SE.
        #expect(abs(r.ratios[1] - 16.879) < 1e-3)
        #expect(abs(r.ciLow[1] - (r.estimates[1] - 1.959963984540054 * r.standardErrors[1])) < 1e-12)
    }

    /// ../shared/peers/oracles/logit_areas_n10k_*.json: statsmodels Logit (Newton) on the peers'
    /// synthetic areas — every coefficient, SE, z, p, CI, ℓ, ℓ₀, AIC, BIC to 1e-6 — and scikit-learn
    /// lbfgs with C = 1 (our λ = 1/C = 1, intercept unpenalised) to 1e-6.
    @Test(arguments: ["20x20", "50x50"])
    func peersStatsmodelsAndSklearn(grid: String) throws {
        let feats = ["dom_income", "dom_crime", "dom_living_env", "rate_z"]
        let (x, y) = try design("areas_n10k_\(grid).csv", features: feats, outcome: "outcome")
        let ref = try jsonFixture("logit_areas_n10k_\(grid).json")
        let sm = ref["statsmodels"] as! [String: Any]
        let r = try Regression.fit(family: .logistic, x: x, names: feats, y: y)
        let key = { (n: String) in n == "const" ? "intercept" : n }
        for (field, ours) in [("coef", r.estimates), ("std_err", r.standardErrors), ("z", r.z), ("p_value", r.p), ("ci95_low", r.ciLow), ("ci95_high", r.ciHigh)] {
            let e = sm[field] as! [String: Double]
            for (i, n) in r.names.enumerated() { #expect(abs(ours[i] - e[key(n)]!) <= 1e-6 * max(1, abs(e[key(n)]!)), "\(field) \(n)") }
        }
        for (field, ours) in [("log_likelihood", r.logLikelihood), ("log_likelihood_null", r.nullLogLikelihood), ("aic", r.aic), ("bic", r.bic)] {
            #expect(abs(ours - (sm[field] as! Double)) < 1e-6, "\(field)")
        }
        let sk = (ref["sklearn_l2_C1"] as! [String: Any])["coef"] as! [String: Double]
        let l2 = try Regression.fit(family: .logistic, x: x, names: feats, y: y, l2: 1)
        for (i, n) in l2.names.enumerated() { #expect(abs(l2.estimates[i] - sk[key(n)]!) < 1e-6, "sklearn C=1 \(n)") }
    }

    /// Recovery of the generator's known coefficients (../shared/peers/oracles/truth_n10k_50x50.json:
    /// −1.0, 0.8, 0.5, −0.3, 0.6): each estimate on the 2,500 synthetic areas lies within 3 SE of its truth.
    @Test func recoversTheGeneratorsCoefficients() throws {
        let feats = ["dom_income", "dom_crime", "dom_living_env", "rate_z"]
        let (x, y) = try design("areas_n10k_50x50.csv", features: feats, outcome: "outcome")
        let truth = (try jsonFixture("truth_n10k_50x50.json"))["logit_true_coefficients"] as! [String: Double]
        let r = try Regression.fit(family: .logistic, x: x, names: feats, y: y)
        for (i, n) in r.names.enumerated() {
            let t = truth[n == "const" ? "intercept" : n]!
            #expect(abs(r.estimates[i] - t) < 3 * r.standardErrors[i], "\(n): \(r.estimates[i]) vs truth \(t)")
        }
    }

    /// Observation weights act as frequencies: weight w equals the row repeated w times.
    @Test func frequencyWeightsEqualDuplicatedRows() throws {
        let (x, y) = try design("spector.csv", features: ["GPA", "TUCE", "PSI"], outcome: "GRADE")
        let w = (0 ..< 32).map { Double($0 % 3 + 1) }
        var xd: [Double] = [], yd: [Double] = []
        for i in 0 ..< 32 { for _ in 0 ..< Int(w[i]) { xd += x[(i * 3) ..< (i * 3 + 3)]; yd.append(y[i]) } }
        let a = try Regression.fit(family: .logistic, x: x, names: ["GPA", "TUCE", "PSI"], y: y, weights: w)
        let b = try Regression.fit(family: .logistic, x: xd, names: ["GPA", "TUCE", "PSI"], y: yd)
        for i in 0 ..< 4 {
            #expect(abs(a.estimates[i] - b.estimates[i]) < 1e-8 && abs(a.standardErrors[i] - b.standardErrors[i]) < 1e-8)
        }
    }

    @Test func degenerateDesignsAreTypedErrors() throws {
        // Complete separation: y = 1 exactly when x > 0.
        let xs: [Double] = [-3, -2, -1, -0.5, 0.5, 1, 2, 3, -2.5, 2.5]
        let ys: [Double] = xs.map { $0 > 0 ? 1 : 0 }
        #expect(throws: RegressionError.self) { try Regression.fit(family: .logistic, x: xs, names: ["x"], y: ys) }
        do { _ = try Regression.fit(family: .logistic, x: xs, names: ["x"], y: ys) } catch {
            guard case .separation(let cols, let rows) = error else { Issue.record("expected separation, got \(error)"); return }
            #expect(cols == ["x"] && rows > 0 && rows <= 10)
        }
        // Constant feature, a collinear pair, one outcome class, a non-binary outcome.
        let x2 = (0 ..< 10).flatMap { [Double($0), 5.0] }
        #expect(throws: RegressionError.constantColumn("c")) { try Regression.fit(family: .logistic, x: x2, names: ["a", "c"], y: ys) }
        let x3 = (0 ..< 10).flatMap { [Double($0), 2 * Double($0) + 1] }
        #expect(throws: RegressionError.rankDeficient("b")) { try Regression.fit(family: .logistic, x: x3, names: ["a", "b"], y: [0, 1, 0, 1, 1, 0, 1, 0, 0, 1]) }
        #expect(throws: RegressionError.oneOutcomeClass(1)) { try Regression.fit(family: .logistic, x: xs, names: ["x"], y: [Double](repeating: 1, count: 10)) }
        #expect(throws: RegressionError.invalidOutcome(row: 0, value: 2, expected: "0 or 1")) {
            try Regression.fit(family: .logistic, x: xs, names: ["x"], y: [2] + [Double](repeating: 0, count: 9))
        }
    }

    /// Digamma/trigamma against published values: ψ(1) = −γ = −0.5772156649015329, ψ(0.5) = −γ − 2 ln 2,
    /// ψ′(1) = π²/6, ψ′(0.5) = π²/2 (Abramowitz & Stegun 6.3.2, 6.3.3, 6.4.2, 6.4.4) — to 1e-13
    /// (the upward recurrence from small x accumulates a few ulps).
    @Test func specialFunctionsMatchPublishedValues() {
        #expect(abs(SpecialFunctions.digamma(1) + 0.5772156649015329) < 1e-13)
        #expect(abs(SpecialFunctions.digamma(0.5) - (-0.5772156649015329 - 2 * log(2.0))) < 1e-13)
        #expect(abs(SpecialFunctions.trigamma(1) - Double.pi * Double.pi / 6) < 1e-13)
        #expect(abs(SpecialFunctions.trigamma(0.5) - Double.pi * Double.pi / 2) < 1e-13)
        #expect(abs(SpecialFunctions.digamma(100) - 4.600161852738087) < 1e-14) // ψ(100) (mpmath)
    }
}
