/// libm entry points used by the regression code (kept in one place; no Foundation).
enum RegressionMath {
    @inline(__always) static func ln(_ x: Double) -> Double { log(x) }
    @inline(__always) static func expo(_ x: Double) -> Double { exp(x) }
    @inline(__always) static func ln1p(_ x: Double) -> Double { log1p(x) }
    @inline(__always) static func lnGamma(_ x: Double) -> Double { lgamma(x) }
    /// ln(1 + x) for x ≥ 0 as ln(u) · x / (u − 1), u = 1 ⊕ x (x itself when u = 1): within 5 ulp for
    /// 0 ≤ x < 3/4 and exact-rounded-sum accurate above (Goldberg 1991, *What every computer scientist should
    /// know about floating-point arithmetic*, Theorem 4); glibc's `log` is several times faster than its `log1p`.
    @inline(__always) static func ln1pNonNegative(_ x: Double) -> Double {
        let u = 1 + x
        return u == 1 ? x : log(u) * (x / (u - 1))
    }
}

extension RegressionMath {
    /// 1 / (1 + e^{−η}), η = b₀ + Σ b_{j+1} x_j (the logistic model's probability).
    static func logistic(_ b: [Double], _ x: ArraySlice<Double>) -> Double {
        var eta = b[0]
        for (j, v) in x.enumerated() { eta += b[j + 1] * v }
        return 1 / (1 + expo(-eta))
    }
}
