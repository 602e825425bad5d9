/// The error model of an evaluation's count regression.
public enum CountFamily: String, Sendable, CaseIterable {
    /// Poisson: Var(y) = μ.
    case poisson
    /// NB2: Var(y) = μ + αμ², α by maximum likelihood jointly with β (as statsmodels `NegativeBinomial`).
    case negativeBinomial = "negbin"
    /// NB2 unless the Poisson fit's Pearson dispersion is at most 1 or NB2's α runs to 0 (then Poisson).
    case automatic = "auto"

    var regressionFamily: RegressionResult.Family { self == .poisson ? .poisson : .negativeBinomial }
}

extension Regression {
    /// Fits `family` (resolving `.automatic` by the Poisson fit's Pearson dispersion) and returns the fit
    /// with the family used.
    static func fitCounts(_ family: CountFamily, x: [Double], names: [String], y: [Double]) throws(InterventionError) -> (RegressionResult, CountFamily, Double) {
        let k = names.count, n = y.count
        do {
            let pois = try Regression.fit(family: .poisson, x: x, names: names, y: y)
            var x2 = 0.0
            for i in 0 ..< n {
                var eta = pois.estimates[0]
                for j in 0 ..< k { eta += pois.estimates[j + 1] * x[i * k + j] }
                let mu = exp(eta)
                x2 += (y[i] - mu) * (y[i] - mu) / mu
            }
            let phi = x2 / Double(n - k - 1)
            let use: CountFamily = family == .automatic ? (phi > 1 ? .negativeBinomial : .poisson) : family
            if use == .poisson { return (pois, .poisson, phi) }
            // `.automatic`: when NB2's α runs to its boundary (little extra-Poisson variation left once the
            // design is fitted), the Poisson fit is the maximum-likelihood answer.
            if family == .automatic, let nb = try? Regression.fit(family: .negativeBinomial, x: x, names: names, y: y) { return (nb, .negativeBinomial, phi) }
            if family == .automatic { return (pois, .poisson, phi) }
            return (try Regression.fit(family: .negativeBinomial, x: x, names: names, y: y), .negativeBinomial, phi)
        } catch { throw .fit(error.description) }
    }
}
