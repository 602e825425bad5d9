/// libm entry points used by the regression code (kept in one place; no Foundation).
enum RegressionMath {
    @inline(__always) static func ln(_ x: Double) -> Double { log(x) }
    @inline(__always) static func expo(_ x: Double) -> Double { exp(x) }
    @inline(__always) static func ln1p(_ x: Double) -> Double { log1p(x) }
    @inline(__always) static func lnGamma(_ x: Double) -> Double { lgamma(x) }
}

extension RegressionMath {
    /// 1 / (1 + e^{−η}), η = b₀ + Σ b_{j+1} x_j (the logistic model's probability).
    static func logistic(_ b: [Double], _ x: ArraySlice<Double>) -> Double {
        var eta = b[0]
        for (j, v) in x.enumerated() { eta += b[j + 1] * v }
        return 1 / (1 + expo(-eta))
    }
}
