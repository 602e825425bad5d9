extension Distributions {
    // MARK: Beta

    /// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0.
    public static func logBeta(_ a: Double, _ b: Double) -> Double {
        lgamma(a) + lgamma(b) - lgamma(a + b)
    }

    /// Regularised incomplete beta function
    /// ```
    /// I_x(a, b) = (1 / B(a, b)) ∫₀ˣ t^(a−1) (1 − t)^(b−1) dt,   a, b > 0,  0 ≤ x ≤ 1
    ///           = xᵃ (1 − x)ᵇ / (a B(a, b)) · 1/(1+ d₁/(1+ d₂/(1+ …)))        (x < (a+1)/(a+b+2))
    /// d_{2m+1} = −(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),   d_{2m} = m(b−m) x / ((a+2m−1)(a+2m))
    /// ```
    /// and I_x(a, b) = 1 − I_{1−x}(b, a) otherwise, so that the continued fraction always converges
    /// fast (Numerical Recipes §6.4, eq. 6.4.5; Abramowitz & Stegun 26.5.8).
    public static func regularizedIncompleteBeta(_ a: Double, _ b: Double, _ x: Double) -> Double {
        incompleteBeta(a, b, x: x, y: 1 - x).lower
    }

    /// 1 − I_x(a, b), computed without cancellation (the upper tail; scipy `betaincc`).
    public static func regularizedIncompleteBetaComplement(_ a: Double, _ b: Double, _ x: Double) -> Double {
        incompleteBeta(a, b, x: x, y: 1 - x).upper
    }

    /// (I_x(a,b), 1 − I_x(a,b)) with the complement y = 1 − x supplied exactly by the caller.
    static func incompleteBeta(_ a: Double, _ b: Double, x: Double, y: Double) -> (lower: Double, upper: Double) {
        precondition(a > 0 && b > 0, "incompleteBeta: a and b must be positive (got \(a), \(b))")
        if x.isNaN || y.isNaN { return (.nan, .nan) }
        precondition(x >= 0 && y >= 0, "incompleteBeta: x must lie in [0, 1] (got \(x))")
        if x == 0 { return (0, 1) }
        if y == 0 { return (1, 0) }
        let lnFront = a * log(x) + b * log(y) - logBeta(a, b)
        if x < (a + 1) / (a + b + 2) {
            let lower = exp(lnFront) * betaContinuedFraction(a, b, x) / a
            return (lower, 1 - lower)
        } else {
            let upper = exp(lnFront) * betaContinuedFraction(b, a, y) / b
            return (1 - upper, upper)
        }
    }

    /// The continued fraction of I_x(a, b) by the modified Lentz method (NR `betacf`).
    fileprivate static func betaContinuedFraction(_ a: Double, _ b: Double, _ x: Double) -> Double {
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < fpMin { d = fpMin }
        d = 1 / d
        var h = d
        for m in 1 ... maxIterations {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d; if abs(d) < fpMin { d = fpMin }
            c = 1 + aa / c; if abs(c) < fpMin { c = fpMin }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d; if abs(d) < fpMin { d = fpMin }
            c = 1 + aa / c; if abs(c) < fpMin { c = fpMin }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < epsilon { break }
        }
        return h
    }
}
