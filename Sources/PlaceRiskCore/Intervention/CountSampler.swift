/// Seeded draws from the Poisson and negative binomial (NB2) distributions, for simulation checks.
///
/// ```
/// Poisson(λ):  λ < 10: Knuth's product of uniforms;  λ ≥ 10: Hörmann's PTRS transformed rejection
///              (Hörmann 1993, Insurance Math Econ 12(1), 39–45; the algorithm numpy uses)
/// Gamma(k, 1): Marsaglia & Tsang 2000 (ACM TOMS 26(3), 363–372); k < 1 by U^{1/k} boosting
/// NB2(μ, α):   Poisson(λ), λ ~ Gamma(1/α, αμ)   (mean μ, variance μ + αμ²); α = 0 is Poisson(μ)
/// ```
public enum CountSampler {
    static func uniform<G: RandomNumberGenerator>(_ rng: inout G) -> Double {
        // (0, 1): 53 random bits, never exactly 0.
        (Double(rng.next() >> 11) + 0.5) / 9007199254740992.0
    }

    static func normal<G: RandomNumberGenerator>(_ rng: inout G) -> Double {
        let u1 = uniform(&rng), u2 = uniform(&rng)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    public static func gamma<G: RandomNumberGenerator>(shape k: Double, using rng: inout G) -> Double {
        precondition(k > 0, "CountSampler.gamma: the shape must be positive")
        if k < 1 { return gamma(shape: k + 1, using: &rng) * pow(uniform(&rng), 1 / k) }
        let d = k - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat { x = normal(&rng); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = uniform(&rng)
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    public static func poisson<G: RandomNumberGenerator>(_ lam: Double, using rng: inout G) -> Int {
        precondition(lam >= 0 && lam.isFinite, "CountSampler.poisson: λ must be finite and ≥ 0")
        if lam == 0 { return 0 }
        if lam < 10 {
            let l = exp(-lam)
            var k = 0, p = uniform(&rng)
            while p > l { k += 1; p *= uniform(&rng) }
            return k
        }
        let slam = lam.squareRoot(), loglam = log(lam)
        let b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b
        let invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = uniform(&rng) - 0.5, v = uniform(&rng)
            let us = 0.5 - abs(u)
            let k = ((2 * a / us + b) * u + lam + 0.43).rounded(.down)
            if us >= 0.07 && v <= vr { return Int(k) }
            if k < 0 || (us < 0.013 && v > us) { continue }
            if log(v) + log(invalpha) - log(a / (us * us) + b) <= -lam + k * loglam - lgamma(k + 1) { return Int(k) }
        }
    }

    public static func negativeBinomial<G: RandomNumberGenerator>(mean mu: Double, alpha: Double, using rng: inout G) -> Int {
        precondition(alpha >= 0, "CountSampler.negativeBinomial: α ≥ 0")
        guard alpha > 0 else { return poisson(mu, using: &rng) }
        return poisson(gamma(shape: 1 / alpha, using: &rng) * alpha * mu, using: &rng)
    }
}
