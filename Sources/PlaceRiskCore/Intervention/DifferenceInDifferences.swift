/// Difference-in-differences as a count regression on the area × month panel with area and month
/// fixed effects (two-way fixed effects; e.g. Wing, Simon & Bello-Gomez 2018, Annu Rev Public Health
/// 39:453–469, §"Nonlinear models"):
/// ```
/// log μ_ut = α_u + γ_t + δ · D_ut,     D_ut = [u treated] · [t ≥ s]
/// rate ratio = e^δ,  95 % CI e^{δ ± 1.96·SE(δ)}
/// ```
/// Poisson or NB2 (Var = μ + αμ²), fitted by Newton on the observed information (`Regression.fit`);
/// dummies: area 0 and month 0 are the references. Matches statsmodels `GLM(y, X, Poisson())` and
/// `NegativeBinomial(y, X, loglike_method='nb2')` on the same design (fixture test).
///
/// Pre-trend check (event study): the same model with D_ut replaced by one indicator per month,
/// `[u treated]·[t = k]` for every k ≠ s − 1 (the month before the start is the reference); the leads
/// (k < s − 1) should be 0 if the treated and comparison areas moved in parallel before the start.
/// Their joint Wald test, W = λ̂ᵀ V⁻¹ λ̂ ~ χ²(s − 1), is reported with each lead.
///
/// Assumptions: parallel trends — without the intervention the treated area's log rate would have
/// moved as the comparison areas' did (untestable after the start; the leads only test before it);
/// no spill-over into the comparison areas; no other change at the same time in the treated area
/// only. Caveat: a test that does not reject is not proof of parallel trends (low power with few areas).
public struct DifferenceInDifferences: Sendable {
    /// e^δ with its inference.
    public let rateRatio: LogRateRatio
    /// The family used (`.automatic` resolved).
    public let family: CountFamily
    /// NB2 α (nil under Poisson).
    public let alpha: Double?
    /// Pearson dispersion of the Poisson fit.
    public let poissonDispersion: Double
    /// Event-study leads: month offset k − s (−s … −2) and the coefficient as a rate ratio.
    public let leads: [(offset: Int, rateRatio: LogRateRatio)]
    /// Event-study lags: k − s = 0 … and their rate ratios.
    public let lags: [(offset: Int, rateRatio: LogRateRatio)]
    /// Joint Wald χ² of the leads, its df and p (nil with fewer than two pre-period months).
    public let preTrendChiSquare: Double?
    public let preTrendDegreesOfFreedom: Int
    public let preTrendP: Double?
    /// The full fit (all fixed effects), for checks.
    public let fit: RegressionResult
    public let units: Int
    public let months: Int

    public static let assumptions = "Parallel trends: without the intervention the treated area's (log) rate would have moved as the comparison areas' did; no spill-over into the comparison areas; nothing else changed at the start in the treated area only. The leads test parallel trends before the start only; not rejecting them is not proof (few areas give little power)."

    /// `counts[u · T + t]` for `treated.count` units × T months; `start` = index of the first treated month.
    public init(counts: [Double], treated: [Bool], months T: Int, start s: Int, family: CountFamily = .automatic,
                eventStudy: Bool = true) throws(InterventionError) {
        let U = treated.count
        precondition(counts.count == U * T, "DifferenceInDifferences: \(counts.count) counts for \(U) units × \(T) months")
        guard treated.contains(true) else { throw .emptyArea(role: "intervention") }
        guard treated.contains(false) else { throw .emptyArea(role: "comparison") }
        guard s >= 1 else { throw .tooFewMonths(period: "before", months: s, minimum: 1) }
        guard s < T else { throw .tooFewMonths(period: "after", months: 0, minimum: 1) }
        let (x, names) = Self.design(treated: treated, months: T, start: s, eventStudy: false)
        let (r, used, phi) = try Regression.fitCounts(family, x: x, names: names, y: counts)
        let j = names.count   // δ is the last feature: index j in the estimates (const first)
        rateRatio = LogRateRatio(coefficient: r.estimates[j], se: r.standardErrors[j])
        self.family = used
        alpha = r.alpha
        poissonDispersion = phi
        fit = r
        units = U
        months = T
        guard eventStudy else {
            leads = []; lags = []; preTrendChiSquare = nil; preTrendDegreesOfFreedom = 0; preTrendP = nil
            return
        }
        let (xe, ne) = Self.design(treated: treated, months: T, start: s, eventStudy: true)
        // A zero month in the treated area makes its event coefficient diverge: the check is then
        // unavailable (nil), never a failure of the main estimate.
        // NB2's α can run to 0 in the larger event-study model: then its Poisson fit is the ML answer.
        guard let e = (try? Regression.fit(family: used.regressionFamily, x: xe, names: ne, y: counts))
            ?? (used == .poisson ? nil : try? Regression.fit(family: .poisson, x: xe, names: ne, y: counts)) else {
            leads = []; lags = []; preTrendChiSquare = nil; preTrendDegreesOfFreedom = 0; preTrendP = nil
            return
        }
        let first = ne.count - (T - 1) + 1   // estimate index of the first event indicator
        var ld: [(Int, LogRateRatio)] = [], lg: [(Int, LogRateRatio)] = []
        var leadIdx: [Int] = []
        var k = 0
        for t in 0 ..< T where t != s - 1 {
            let idx = first + k
            let rr = LogRateRatio(coefficient: e.estimates[idx], se: e.standardErrors[idx])
            if t < s - 1 { ld.append((t - s, rr)); leadIdx.append(idx) } else { lg.append((t - s, rr)) }
            k += 1
        }
        leads = ld
        lags = lg
        preTrendDegreesOfFreedom = leadIdx.count
        if leadIdx.isEmpty { preTrendChiSquare = nil; preTrendP = nil; return }
        let q = e.names.count, m = leadIdx.count
        var v = [Double](repeating: 0, count: m * m)
        for a in 0 ..< m { for b in 0 ..< m { v[a * m + b] = e.covariance[leadIdx[a] * q + leadIdx[b]] } }
        var failed = -1
        guard let ch = Cholesky(v, p: m, relativeTolerance: 1e-14, failedColumn: &failed) else {
            preTrendChiSquare = nil; preTrendP = nil; return
        }
        let b = leadIdx.map { e.estimates[$0] }
        let w = zip(b, ch.solve(b)).reduce(0) { $0 + $1.0 * $1.1 }
        preTrendChiSquare = w
        preTrendP = Distributions.regularizedGammaQ(Double(m) / 2, w / 2)
    }

    /// The design without intercept: area dummies (units 1 …), month dummies (months 1 …), then either
    /// `treated_post` or one `event_k` column per month k ≠ s − 1.
    public static func design(treated: [Bool], months T: Int, start s: Int, eventStudy: Bool) -> (x: [Double], names: [String]) {
        let U = treated.count
        var names = (1 ..< U).map { "area_\($0)" } + (1 ..< T).map { "month_\($0)" }
        if eventStudy { names += (0 ..< T).filter { $0 != s - 1 }.map { "event_\($0 - s)" } } else { names.append("treated_post") }
        let k = names.count
        var x = [Double](repeating: 0, count: U * T * k)
        for u in 0 ..< U {
            for t in 0 ..< T {
                let row = (u * T + t) * k
                if u >= 1 { x[row + u - 1] = 1 }
                if t >= 1 { x[row + (U - 1) + t - 1] = 1 }
                guard treated[u] else { continue }
                if eventStudy {
                    if t != s - 1 { x[row + (U - 1) + (T - 1) + (t < s - 1 ? t : t - 1)] = 1 }
                } else if t >= s { x[row + k - 1] = 1 }
            }
        }
        return (x, names)
    }
}
