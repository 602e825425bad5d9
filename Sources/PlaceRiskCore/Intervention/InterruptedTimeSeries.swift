/// Interrupted time series for one area without controls: segmented Poisson / NB2 regression with a
/// level and a slope change and seasonality (Bernal, Cummins & Gasparrini 2017, "Interrupted time
/// series regression for the evaluation of public health interventions: a tutorial", Int J Epidemiol
/// 46(1):348–355, doi:10.1093/ije/dyw098):
/// ```
/// log μ_t = β₀ + β₁·t + β₂·P_t + β₃·(t − s)·P_t + s(m_t),   t = 0 … T−1 months, P_t = [t ≥ s]
/// level change = e^{β₂} (the step at the start month),  slope change = e^{β₃} per month
/// s(m) = Σ_{k=1..K} a_k sin(2πkm/12) + b_k cos(2πkm/12)  or month dummies (`Seasonality`)
/// ```
/// Residual autocorrelation: the Pearson residuals' autocorrelation at lags 1 … L and the Ljung–Box
/// test (`LjungBox`); Bernal et al. ask for this check because autocorrelated residuals make the SEs
/// too small. Matches statsmodels `GLM(y, X, Poisson())` / `NegativeBinomial(…, 'nb2')` on the same
/// design and `acorr_ljungbox` on the residuals (fixture test).
///
/// Assumptions: without the intervention the pre-period trend and season would have continued; no
/// other change at the start (no controls protect against it); residuals independent after the season.
public struct InterruptedTimeSeries: Sendable {
    public let levelChange: LogRateRatio
    public let slopeChange: LogRateRatio
    /// The pre-period trend per month, as a rate ratio.
    public let trend: LogRateRatio
    public let family: CountFamily
    public let alpha: Double?
    public let poissonDispersion: Double
    public let seasonality: Seasonality
    /// Pearson residuals (y − μ̂)/√V(μ̂), V = μ (Poisson) or μ + αμ² (NB2).
    public let residuals: [Double]
    public let autocorrelation: LjungBox
    public let fitted: [Double]
    public let fit: RegressionResult

    public static let assumptions = "Without the intervention the pre-period trend and season would have continued; nothing else changed at the start (there is no control to protect against it); the residuals are independent once the season is removed (checked by Ljung-Box)."

    /// `counts`: one count per consecutive month; `start`: index of the first treated month;
    /// `firstMonth`: calendar month (1 … 12) of `counts[0]`.
    public init(counts: [Double], start s: Int, firstMonth: Int, family: CountFamily = .automatic,
                seasonality: Seasonality = .harmonics(pairs: 2), lags: Int? = nil) throws(InterventionError) {
        precondition((1 ... 12).contains(firstMonth), "InterruptedTimeSeries: firstMonth must be 1 … 12")
        let T = counts.count
        guard s >= 3 else { throw .tooFewMonths(period: "before", months: s, minimum: 3) }
        guard T - s >= 3 else { throw .tooFewMonths(period: "after", months: T - s, minimum: 3) }
        guard counts.contains(where: { $0 > 0 }) else { throw .zeroCounts(role: "intervention") }
        let season = seasonality.resolved(months: T)
        let (x, names) = Self.design(months: T, start: s, firstMonth: firstMonth, seasonality: season)
        let (r, used, phi) = try Regression.fitCounts(family, x: x, names: names, y: counts)
        trend = LogRateRatio(coefficient: r.estimates[1], se: r.standardErrors[1])
        levelChange = LogRateRatio(coefficient: r.estimates[2], se: r.standardErrors[2])
        slopeChange = LogRateRatio(coefficient: r.estimates[3], se: r.standardErrors[3])
        self.family = used
        alpha = r.alpha
        poissonDispersion = phi
        self.seasonality = season
        fit = r
        let k = names.count
        var mu = [Double](repeating: 0, count: T), res = mu
        for t in 0 ..< T {
            var eta = r.estimates[0]
            for j in 0 ..< k { eta += r.estimates[j + 1] * x[t * k + j] }
            mu[t] = exp(eta)
            let v = mu[t] + (r.alpha ?? 0) * mu[t] * mu[t]
            res[t] = (counts[t] - mu[t]) / v.squareRoot()
        }
        fitted = mu
        residuals = res
        autocorrelation = LjungBox(res, lags: lags ?? min(12, max(1, T / 4)))
    }

    /// The design without intercept: `time`, `level`, `slope`, then the seasonal columns.
    public static func design(months T: Int, start s: Int, firstMonth: Int, seasonality: Seasonality) -> (x: [Double], names: [String]) {
        var names = ["time", "level", "slope"]
        switch seasonality {
        case .monthDummies: names += (2 ... 12).map { "month_\($0)" }
        case .harmonics(let k): for j in 1 ... k { names += ["sin\(j)", "cos\(j)"] }
        case .automatic: preconditionFailure("resolve the seasonality first")
        }
        let k = names.count
        var x = [Double](repeating: 0, count: T * k)
        for t in 0 ..< T {
            let m = (firstMonth - 1 + t) % 12 + 1
            x[t * k] = Double(t)
            x[t * k + 1] = t >= s ? 1 : 0
            x[t * k + 2] = t >= s ? Double(t - s) : 0
            switch seasonality {
            case .monthDummies: if m >= 2 { x[t * k + 3 + m - 2] = 1 }
            case .harmonics(let pairs):
                for j in 1 ... pairs {
                    let angle = 2 * Double.pi * Double(j * m) / 12
                    x[t * k + 3 + 2 * (j - 1)] = sin(angle)
                    x[t * k + 4 + 2 * (j - 1)] = cos(angle)
                }
            case .automatic: break
            }
        }
        return (x, names)
    }
}
