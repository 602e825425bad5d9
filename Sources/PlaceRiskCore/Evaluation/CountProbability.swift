/// P(Y ≥ k) under a fitted count model, so a Poisson or NB2 risk model is scored on the same binary
/// outcome (`count ≥ k`) and metrics as the logistic one.
///
/// ```
/// Poisson(μ):   P(Y = 0) = e^{−μ},            P(Y = j) = P(Y = j − 1) · μ / j
/// NB2(μ, α):    P(Y = 0) = (1 + αμ)^{−1/α},   P(Y = j) = P(Y = j − 1) · (j − 1 + 1/α)/j · αμ/(1 + αμ)
/// P(Y ≥ k) = 1 − Σ_{j < k} P(Y = j)
/// ```
/// (Cameron & Trivedi 2013, *Regression Analysis of Count Data*, 2nd ed., §3.3, NB2 parameterisation
/// Var Y = μ + αμ².) k is rounded up to a whole number; k ≤ 0 gives 1.
public enum CountProbability {
    public static func atLeast(_ k: Double, mean mu: Double, alpha: Double? = nil) -> Double {
        let kk = Int(k.rounded(.up))
        guard kk > 0 else { return 1 }
        guard mu > 0 else { return 0 }
        var pj: Double, cdf = 0.0
        if let a = alpha, a > 0 {
            let r = 1 / a, q = a * mu / (1 + a * mu)
            pj = exp(-r * log1p(a * mu))
            for j in 0 ..< kk {
                if j > 0 { pj *= (Double(j) - 1 + r) / Double(j) * q }
                cdf += pj
            }
        } else {
            pj = exp(-mu)
            for j in 0 ..< kk {
                if j > 0 { pj *= mu / Double(j) }
                cdf += pj
            }
        }
        return min(1, max(0, 1 - cdf))
    }
}
