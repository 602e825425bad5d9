/// How `SeasonalTrend` absorbs the month-of-year pattern.
public enum Seasonality: Sendable, Equatable {
    /// Eleven month-of-year dummies (January is the reference): the most flexible seasonal shape,
    /// 11 parameters.
    case monthDummies
    /// `pairs` Fourier pairs sin(2πk·m/12), cos(2πk·m/12), k = 1 … pairs, m = calendar month 1 … 12
    /// (Bernal, Cummins & Gasparrini 2017 use two pairs, R `tsModel::harmonic(month, 2, 12)`).
    case harmonics(pairs: Int)
    /// Month dummies when the series covers at least 24 months (every calendar month seen twice),
    /// otherwise two harmonic pairs.
    case automatic

    /// The concrete choice for a series of `months` months.
    public func resolved(months: Int) -> Seasonality {
        guard case .automatic = self else { return self }
        return months >= 24 ? .monthDummies : .harmonics(pairs: 2)
    }
}

/// The error model behind a `SeasonalTrend`'s standard errors.
public enum TrendFamily: String, Sendable, CaseIterable {
    /// Poisson GLM, SEs from the observed information (the Pearson dispersion was ≤ 1).
    case poisson
    /// Poisson point estimates with SEs multiplied by √φ, φ = Pearson χ²/df > 1.
    case quasiPoisson = "quasi-Poisson"
}

/// Why a seasonal trend could not be estimated from the data. Each case reads as a sentence.
public enum SeasonalTrendError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer than 13 months: within one year the trend cannot be told apart from the season.
    case tooFewMonths(Int)
    /// A monthly count that is negative, fractional or not finite (0-based month).
    case invalidCount(month: Int, value: Double)
    /// The seasonal design leaves no residual degrees of freedom for the dispersion.
    case noResidualDegreesOfFreedom(months: Int, parameters: Int)
    /// The Poisson fit itself failed.
    case fit(RegressionError)

    public var description: String {
        switch self {
        case .tooFewMonths(let n):
            return "\(n) months cannot separate a trend from the season; at least 13 consecutive months are needed"
        case .invalidCount(let m, let v): return "month \(m + 1): count \(v.shortDescription) is not a whole non-negative number"
        case .noResidualDegreesOfFreedom(let n, let p):
            return "\(n) months leave no residual degrees of freedom for \(p) trend and seasonal parameters; use fewer harmonics"
        case .fit(let e): return "the seasonal Poisson model could not be fitted: \(e)"
        }
    }
}

/// An area's trend over a monthly count series, stated as a percentage change per year.
public struct SeasonalTrendResult: Sendable, Equatable {
    /// Number of months in the series.
    public let months: Int
    /// The seasonal terms actually used (never `.automatic`).
    public let seasonality: Seasonality
    /// Poisson or quasi-Poisson (the SE model).
    public let family: TrendFamily
    /// Pearson dispersion φ = Σ (y − μ̂)²/μ̂ / (T − p) of the Poisson fit.
    public let dispersion: Double
    /// Residual degrees of freedom T − p.
    public let residualDegreesOfFreedom: Int
    /// β₁: the change in log μ per year.
    public let logRatePerYear: Double
    /// SE of β₁ (× √φ under quasi-Poisson).
    public let standardError: Double
    /// 100·(e^{β₁} − 1).
    public let percentPerYear: Double
    /// 100·(e^{β₁ − 1.96·SE} − 1).
    public let ciLow: Double
    /// 100·(e^{β₁ + 1.96·SE} − 1).
    public let ciHigh: Double
    /// Two-sided Wald p-value of β₁ = 0 (normal reference, as statsmodels GLM).
    public let p: Double
    /// True when the 95 % interval excludes no change (p < 0.05): "the trend is real at the 5 % level".
    public let significant: Bool

    /// The trend in plain words, e.g. "rising by 36.3 % a year (95 % CI 28.0 % to 45.0 %)".
    public var sentence: String {
        let verb = percentPerYear >= 0 ? "rising" : "falling"
        let certainty = significant ? "" : "; not distinguishable from no change"
        return "\(verb) by \(oneDecimal(abs(percentPerYear))) % a year (95 % CI \(oneDecimal(ciLow)) % to \(oneDecimal(ciHigh)) %\(certainty))"
    }

    private func oneDecimal(_ x: Double) -> String {
        guard x.isFinite else { return "\(x)" }
        let tenths = Int((x.magnitude * 10).rounded())
        return (x < 0 && tenths > 0 ? "-" : "") + "\(tenths / 10).\(tenths % 10)"
    }
}

/// The trend of a monthly count series from a seasonal Poisson regression (Bernal, Cummins &
/// Gasparrini 2017, "Interrupted time series regression for the evaluation of public health
/// interventions: a tutorial", Int J Epidemiol 46(1), 348–355, §"Seasonality" and §"Over-dispersion"):
/// ```
/// log μ_t = β₀ + β₁·(t/12) + s(m_t),          t = 0 … T−1 months, m_t = calendar month
/// s(m)    = Σ_{j=2..12} γ_j [m = j]           (month dummies, T ≥ 24 by default)
///         = Σ_{k=1..2} a_k sin(2πkm/12) + b_k cos(2πkm/12)   (harmonics, T < 24 by default)
/// φ       = X²/(T − p),  X² = Σ (y_t − μ̂_t)²/μ̂_t          (Pearson dispersion of the Poisson fit)
/// SE(β₁)  = √(max(1, φ)) · SE_Poisson(β₁)                  (quasi-Poisson when φ > 1)
/// % / yr  = 100·(e^{β₁} − 1),  CI = 100·(e^{β₁ ± 1.96·SE} − 1),  p = 2(1 − Φ(|β₁/SE|))
/// ```
/// Choices, and why:
/// - **Seasonality.** With 23 months, 11 dummies + intercept + trend are 13 parameters and leave
///   10 residual df, and one calendar month is seen only once, so its dummy fits that month exactly;
///   φ would rest on 10 df. Two harmonic pairs (4 parameters, 17 residual df) capture an annual and a
///   half-year cycle, as Bernal et al. do. So `.automatic` uses dummies only from 24 months.
/// - **Over-dispersion.** Quasi-Poisson (Bernal et al.; McCullagh & Nelder 1989 §4.5) rather than NB2:
///   the point estimate is the Poisson one, only the SEs widen, and with monthly totals in the
///   thousands NB2's α is poorly determined on ~20 points. The scale is applied only when φ > 1, so
///   an under-dispersed series never gets a narrower interval than Poisson's.
/// - **p-value.** Normal reference (statsmodels' GLM default), not t with T − p df.
///
/// Matches statsmodels 0.15 `GLM(y, X, family=Poisson()).fit(scale='X2')` (φ > 1) or `.fit()` (φ ≤ 1).
/// Uses `Regression.fit(family: .poisson, …)` (Newton on the observed information).
///
/// Caveat: the model assumes no autocorrelation beyond the season; with strongly autocorrelated
/// residuals the interval is too narrow (Bernal et al. recommend checking the residual ACF).
///
/// Complexity: O(T·p²) per Newton step, p ≤ 13.
public enum SeasonalTrend {
    /// Fits the trend to `counts` (one whole non-negative count per consecutive month, oldest first);
    /// `firstMonth` is the calendar month (1 = January … 12) of `counts[0]`.
    public static func fit(counts: [Double], firstMonth: Int,
                           seasonality: Seasonality = .automatic) throws(SeasonalTrendError) -> SeasonalTrendResult {
        precondition((1 ... 12).contains(firstMonth), "SeasonalTrend: firstMonth must be 1 … 12, got \(firstMonth)")
        if case .harmonics(let k) = seasonality {
            // A sixth pair's sine, sin(πm), is zero at every whole month: at most 5 pairs are identifiable.
            precondition((1 ... 5).contains(k), "SeasonalTrend: 1 … 5 harmonic pairs, got \(k)")
        }
        let T = counts.count
        guard T >= 13 else { throw .tooFewMonths(T) }
        for (i, c) in counts.enumerated() where !(c.isFinite && c >= 0 && c == c.rounded()) {
            throw .invalidCount(month: i, value: c)
        }
        let season = seasonality.resolved(months: T)
        var names = ["trend_per_year"]
        let monthOf = { (t: Int) -> Int in (firstMonth - 1 + t) % 12 + 1 }
        switch season {
        case .monthDummies: names += (2 ... 12).map { "month_\($0)" }
        case .harmonics(let k):
            for j in 1 ... k { names += ["sin\(j)", "cos\(j)"] }
        case .automatic: preconditionFailure("resolved")
        }
        let k = names.count, p = k + 1
        guard T - p >= 1 else { throw .noResidualDegreesOfFreedom(months: T, parameters: p) }
        var x = [Double](repeating: 0, count: T * k)
        for t in 0 ..< T {
            let m = monthOf(t)
            x[t * k] = Double(t) / 12
            switch season {
            case .monthDummies: if m >= 2 { x[t * k + (m - 1)] = 1 }
            case .harmonics(let pairs):
                for j in 1 ... pairs {
                    let angle = 2 * Double.pi * Double(j * m) / 12
                    x[t * k + 2 * j - 1] = sin(angle)
                    x[t * k + 2 * j] = cos(angle)
                }
            case .automatic: break
            }
        }
        let r: RegressionResult
        do { r = try Regression.fit(family: .poisson, x: x, names: names, y: counts) } catch { throw .fit(error) }
        var x2 = 0.0
        for t in 0 ..< T {
            var eta = r.estimates[0]
            for j in 0 ..< k { eta += r.estimates[j + 1] * x[t * k + j] }
            let mu = exp(eta)
            x2 += (counts[t] - mu) * (counts[t] - mu) / mu
        }
        let df = T - p
        let phi = x2 / Double(df)
        let family: TrendFamily = phi > 1 ? .quasiPoisson : .poisson
        let b = r.estimates[1]
        let se = r.standardErrors[1] * max(1, phi).squareRoot()
        let crit = 1.959963984540054
        let pValue = MultipleTesting.twoSidedP(b / se)
        return SeasonalTrendResult(
            months: T, seasonality: season, family: family, dispersion: phi, residualDegreesOfFreedom: df,
            logRatePerYear: b, standardError: se, percentPerYear: 100 * expm1(b),
            ciLow: 100 * expm1(b - crit * se), ciHigh: 100 * expm1(b + crit * se), p: pValue,
            significant: pValue < 0.05)
    }

    /// Fits the trend to a series starting at `start` (its calendar month fixes the season's phase).
    public static func fit(counts: [Double], start: YearMonth,
                           seasonality: Seasonality = .automatic) throws(SeasonalTrendError) -> SeasonalTrendResult {
        try fit(counts: counts, firstMonth: start.month, seasonality: seasonality)
    }
}
