extension Distributions {
    // MARK: Gamma

    /// Regularised lower incomplete gamma function
    /// ```
    /// P(a, x) = γ(a, x)/Γ(a) = (1/Γ(a)) ∫₀ˣ t^(a−1) e^(−t) dt,   a > 0, x ≥ 0
    /// ```
    /// by the series e^(−x) xᵃ/Γ(a) · Σₙ xⁿ/(a(a+1)…(a+n)) for x < a + 1 and as 1 − Q(a, x) from the
    /// Legendre continued fraction otherwise (Numerical Recipes §6.2, `gser`/`gcf`; A&S 6.5.29, 6.5.31).
    public static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
        incompleteGamma(a, x).lower
    }

    /// Regularised upper incomplete gamma function Q(a, x) = 1 − P(a, x) = Γ(a, x)/Γ(a), computed
    /// directly in the upper tail (no cancellation).
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        incompleteGamma(a, x).upper
    }

    static func incompleteGamma(_ a: Double, _ x: Double) -> (lower: Double, upper: Double) {
        precondition(a > 0, "incompleteGamma: the shape a must be positive (got \(a))")
        if x.isNaN { return (.nan, .nan) }
        precondition(x >= 0, "incompleteGamma: x must be ≥ 0 (got \(x))")
        if x == 0 { return (0, 1) }
        if x.isInfinite { return (1, 0) }
        let lnFront = logGammaDensityFactor(a, x)
        if x < a + 1 {
            var ap = a, del = 1 / a, sum = del
            for _ in 0 ..< maxIterations {
                ap += 1
                del *= x / ap
                sum += del
                if abs(del) < abs(sum) * Double.ulpOfOne { break }
            }
            let lower = sum * exp(lnFront)
            return (lower, 1 - lower)
        }
        var b = x + 1 - a, c = 1 / fpMin, d = 1 / b, h = d
        for i in 1 ... maxIterations {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b; if abs(d) < fpMin { d = fpMin }
            c = b + an / c; if abs(c) < fpMin { c = fpMin }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < epsilon { break }
        }
        let upper = exp(lnFront) * h
        return (1 - upper, upper)
    }

    /// ln( xᵃ e⁻ˣ / Γ(a) ). For a ≥ 20 it is formed as a·(ln(1+u) − u) + ½ ln(a/2π) − c(a), u = (x−a)/a,
    /// with Stirling's series c(a) = lnΓ(a) − (a−½)ln a + a − ½ln 2π = 1/(12a) − 1/(360a³) + … (A&S 6.1.41),
    /// which avoids the cancellation of a ln x − x − lnΓ(a) (each term ~ a ln a) for large a.
    static func logGammaDensityFactor(_ a: Double, _ x: Double) -> Double {
        guard a >= 20 else { return a * log(x) - x - lgamma(a) }
        let u = (x - a) / a
        let ia = 1 / a, ia2 = ia * ia
        let stirling = ia * (1.0 / 12 - ia2 * (1.0 / 360 - ia2 * (1.0 / 1260 - ia2 * (1.0 / 1680 - ia2 / 1188))))
        return a * (log1p(u) - u) + 0.5 * log(a / (2 * Double.pi)) - stirling
    }

    /// Quantile of the gamma distribution with shape a and unit scale: the x with P(a, x) = p.
    ///
    /// Newton's method on P(a, x) − p (or on (1 − p) − Q(a, x) when p > ½, for accuracy in the upper
    /// tail, as scipy's `chdtri` works from 1 − p), safeguarded by bisection inside a bracket, from
    /// the Wilson–Hilferty start x₀ = a (1 − 1/(9a) + z/(3√a))³, z = Φ⁻¹(p); iterates until the step is
    /// below 1e-15·x (relative accuracy better than 1e-12). p = 0 → 0, p = 1 → ∞.
    public static func gammaQuantile(_ p: Double, shape a: Double) -> Double {
        precondition(a > 0, "gammaQuantile: the shape must be positive (got \(a))")
        if p.isNaN || p < 0 || p > 1 { return .nan }
        if p == 0 { return 0 }
        if p == 1 { return .infinity }
        let upperTail = p > 0.5
        let target = upperTail ? 1 - p : p
        // f is increasing in x in both cases.
        func f(_ x: Double) -> Double {
            let g = incompleteGamma(a, x)
            return upperTail ? target - g.upper : g.lower - target
        }
        func density(_ x: Double) -> Double { exp(logGammaDensityFactor(a, x)) / x }
        let z = normalQuantile(p)
        var x = a * pow(1 - 1 / (9 * a) + z / (3 * a.squareRoot()), 3)
        if !(x > 0) || !x.isFinite {
            // Small-x limit P(a, x) ≈ xᵃ / Γ(a + 1).
            x = exp((log(p) + lgamma(a + 1)) / a)
        }
        if !(x > 0) || !x.isFinite { x = a }
        // Bracket [lo, hi] with f(lo) ≤ 0 ≤ f(hi).
        var lo = 0.0, hi = x
        while f(hi) < 0 { lo = hi; hi *= 2 }
        if x > hi || x < lo { x = 0.5 * (lo + hi) }
        for _ in 0 ..< 500 {
            let fx = f(x)
            if fx == 0 { return x }
            if fx < 0 { lo = x } else { hi = x }
            let dens = density(x)
            var next = x - fx / dens
            if !(next > lo && next < hi) || !next.isFinite { next = 0.5 * (lo + hi) }
            if abs(next - x) <= 1e-15 * x || hi - lo <= 1e-15 * hi { return next }
            x = next
        }
        return x
    }

    /// Chi-square quantile with ν degrees of freedom: χ²_ν(p) = 2 · gammaQuantile(p, shape: ν/2)
    /// (A&S 26.4.19: P(χ²_ν ≤ x) = P(ν/2, x/2)); scipy `chi2.ppf(p, ν)`.
}
