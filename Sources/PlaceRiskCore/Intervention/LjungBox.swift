/// Residual autocorrelation and the Ljung–Box portmanteau test (Ljung & Box 1978, Biometrika 65(2),
/// 297–303):
/// ```
/// r_k = Σ_{t=k}^{n−1} (e_t − ē)(e_{t−k} − ē) / Σ_t (e_t − ē)²        (statsmodels `acf`, adjusted=False)
/// Q   = n(n + 2) Σ_{k=1..L} r_k² / (n − k) ~ χ²(L)                   (statsmodels `acorr_ljungbox`)
/// ```
/// A small p means the residuals are autocorrelated: a regression's SEs are then too small.
public struct LjungBox: Sendable, Equatable {
    /// r_1 … r_L.
    public let autocorrelations: [Double]
    public let q: Double
    public let lags: Int
    public let p: Double

    public init(_ e: [Double], lags L: Int) {
        let n = e.count
        precondition(L >= 1 && L < n, "LjungBox: 1 ≤ lags < n")
        let mean = e.reduce(0, +) / Double(n)
        let d = e.map { $0 - mean }
        let c0 = d.reduce(0) { $0 + $1 * $1 }
        var r: [Double] = []
        var q = 0.0
        for k in 1 ... L {
            var s = 0.0
            for t in k ..< n { s += d[t] * d[t - k] }
            let rk = c0 > 0 ? s / c0 : 0
            r.append(rk)
            q += rk * rk / Double(n - k)
        }
        q *= Double(n) * Double(n + 2)
        autocorrelations = r
        self.q = q
        lags = L
        p = Distributions.regularizedGammaQ(Double(L) / 2, q / 2)
    }
}
