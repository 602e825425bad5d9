import Testing
@testable import PlaceRiskCore

/// References: statsmodels 0.15.0 (scipy 1.17.1), computed in /tmp with
/// ```python
/// import numpy as np, statsmodels.api as sm
/// rng = np.random.default_rng(20161)                     # series A: 23 months, Jan 2016 – Nov 2017
/// T = 23; t = np.arange(T); m = t % 12 + 1
/// mu = 2000*np.exp(np.log(3300/2000)*t/22) * (1 + 0.08*np.sin(2*np.pi*(m-3)/12))
/// yA = rng.poisson(mu * rng.gamma(200, 1/200, T))        # over-dispersed
/// harm = [np.sin(2*np.pi*k*m/12), np.cos(2*np.pi*k*m/12) for k in (1, 2)]
/// X = sm.add_constant(np.column_stack([t/12, *harm]))
/// pois  = sm.GLM(yA, X, family=sm.families.Poisson()).fit(tol=1e-14)
/// quasi = sm.GLM(yA, X, family=sm.families.Poisson()).fit(scale='X2', tol=1e-14)
/// quasi.params[1], quasi.bse[1], quasi.pvalues[1], pois.pearson_chi2 / pois.df_resid
/// # series B: 36 months from Jul 2019, m = (t + 6) % 12 + 1, yB = default_rng(0).poisson(
/// #   40*exp(-0.1 t/12)*(1 + 0.2 cos(2π(m−7)/12))), 11 month dummies (Jan reference), Poisson .fit()
/// # series A with 11 month dummies: same calls with X = [const, t/12, [m == j] for j in 2…12]
/// ```
/// % per year = 100·expm1(β₁), CI = 100·expm1(β₁ ∓ 1.959963984540054·SE).
@Suite("Seasonal trend")
struct SeasonalTrendTests {
    static let seriesA: [Double] = [1593, 1628, 1957, 2061, 2428, 2212, 2511, 2468, 2561, 2520, 2553, 2413,
                                    2585, 2402, 3086, 3054, 3090, 3127, 3362, 3574, 3029, 3132, 2942]
    static let seriesB: [Double] = [51, 29, 45, 40, 41, 39, 34, 38, 30, 40, 43, 46, 47, 34, 40, 35, 42, 30,
                                    29, 26, 26, 24, 42, 47, 36, 37, 30, 30, 20, 23, 23, 27, 27, 30, 46, 40]

    static func close(_ a: Double, _ b: Double, relative: Double = 1e-6) -> Bool {
        abs(a - b) <= relative * max(1, abs(b))
    }

    /// 23 over-dispersed months: automatic seasonality is two harmonic pairs (17 residual df),
    /// φ = 14.6 > 1 so the SEs are quasi-Poisson — equal to statsmodels GLM Poisson scale='X2' to 1e-6.
    @Test func overDispersedSeriesMatchesStatsmodelsQuasiPoisson() throws {
        let r = try SeasonalTrend.fit(counts: Self.seriesA, start: YearMonth(year: 2016, month: 1))
        #expect(r.seasonality == .harmonics(pairs: 2))
        #expect(r.family == .quasiPoisson)
        #expect(r.months == 23 && r.residualDegreesOfFreedom == 17)
        #expect(Self.close(r.dispersion, 14.615140651165664))
        #expect(abs(r.logRatePerYear - 0.3094586271176665) < 1e-6)
        #expect(abs(r.standardError - 0.03179269635017963) < 1e-6)
        #expect(Self.close(r.percentPerYear, 36.26871925116942))
        #expect(Self.close(r.ciLow, 28.036614434937547))
        #expect(Self.close(r.ciHigh, 45.03010664804829))
        #expect(abs(r.p - 2.1669910922297617e-22) < 1e-6 * 2.1669910922297617e-22)
        #expect(r.significant)
        #expect(r.sentence == "rising by 36.3 % a year (95 % CI 28.0 % to 45.0 %)")
    }

    /// 36 under-dispersed months (φ = 0.81): month dummies, plain Poisson SEs (the scale is never
    /// below 1) — equal to statsmodels GLM Poisson .fit() to 1e-6.
    @Test func underDispersedSeriesKeepsPoissonErrorsAndMatchesStatsmodels() throws {
        let r = try SeasonalTrend.fit(counts: Self.seriesB, firstMonth: 7)
        #expect(r.seasonality == .monthDummies)
        #expect(r.family == .poisson)
        #expect(r.residualDegreesOfFreedom == 23)
        #expect(Self.close(r.dispersion, 0.8111734219289204))
        #expect(abs(r.logRatePerYear - -0.12701753929190346) < 1e-6)
        #expect(abs(r.standardError - 0.03454664341295506) < 1e-6)
        #expect(Self.close(r.percentPerYear, -11.928177471234811))
        #expect(Self.close(r.ciLow, -17.69412668655932))
        #expect(Self.close(r.ciHigh, -5.758293894785284))
        #expect(Self.close(r.p, 0.00023627342892693068))
        #expect(r.significant)
        #expect(r.sentence.hasPrefix("falling by 11.9 % a year"))
    }

    /// Month dummies forced on 23 months: 13 parameters, 10 residual df — still statsmodels' numbers.
    @Test func monthDummiesOnTwentyThreeMonthsLeaveTenResidualDegreesOfFreedom() throws {
        let r = try SeasonalTrend.fit(counts: Self.seriesA, firstMonth: 1, seasonality: .monthDummies)
        #expect(r.residualDegreesOfFreedom == 10)
        #expect(r.family == .quasiPoisson)
        #expect(Self.close(r.dispersion, 16.26721617537396))
        #expect(abs(r.logRatePerYear - 0.30970025475568486) < 1e-6)
        #expect(abs(r.standardError - 0.03393339514971272) < 1e-6)
        #expect(abs(r.p - 7.061259648197177e-20) < 1e-6 * 7.061259648197177e-20)
    }

    /// A flat series with a pure seasonal cycle has no trend: β₁ ≈ 0, not significant.
    @Test func pureSeasonWithoutTrendIsNotSignificant() throws {
        let season: [Double] = [90, 95, 100, 110, 120, 125, 130, 125, 115, 105, 95, 90]
        let r = try SeasonalTrend.fit(counts: season + season + season, firstMonth: 1)
        #expect(abs(r.percentPerYear) < 1e-6)
        #expect(!r.significant)
        #expect(r.sentence.hasSuffix("not distinguishable from no change)"))
    }

    /// Data errors are thrown, naming the problem.
    @Test func shortOrInvalidSeriesThrowSentences() {
        #expect(throws: SeasonalTrendError.tooFewMonths(12)) {
            try SeasonalTrend.fit(counts: [Double](repeating: 5, count: 12), firstMonth: 1)
        }
        var bad = Self.seriesA
        bad[4] = 2.5
        #expect(throws: SeasonalTrendError.invalidCount(month: 4, value: 2.5)) {
            try SeasonalTrend.fit(counts: bad, firstMonth: 1)
        }
        #expect(SeasonalTrendError.tooFewMonths(12).description.contains("at least 13"))
    }
}
