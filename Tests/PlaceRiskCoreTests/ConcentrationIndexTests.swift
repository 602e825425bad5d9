import Foundation
import Testing
@testable import PlaceRiskCore

/// References were printed by a short script (numpy 2.4.6, statsmodels 0.15.0, scipy 1.17.1 in the peers
/// venv, /work/shared/peers/VERSIONS.txt); the script's function is quoted here so the numbers can be rebuilt:
/// ```python
/// def kwv(h, w, key):   # sorted most deprived first (key ascending), no ties
///     o = np.argsort(key, kind='stable'); h = np.asarray(h, float)[o]; w = np.asarray(w, float)[o]
///     f = w / w.sum(); cf = np.cumsum(f); R = cf - f / 2; mu = (f * h).sum()
///     C = 2 * (f * (h - mu) * (R - (f * R).sum())).sum() / mu
///     q = np.cumsum(f * h) / mu; qprev = np.r_[0, q[:-1]]
///     a = h / mu * (2 * R - 1 - C) + 2 - qprev - q
///     var = ((f * a * a).sum() - (1 + C) ** 2) / len(h)
///     s2 = (f * (R - 0.5) ** 2).sum()     # convenient regression, WLS weights f
///     slope = sm.WLS(2 * s2 * h / mu, sm.add_constant(R), weights=f).fit().params[1]
///     area = np.trapezoid(np.r_[0, q], np.r_[0, cf])           # C = 1 − 2·area
///     return C, np.sqrt(var), slope, 1 - 2 * area
/// ```
@Suite("Concentration index and relative index of inequality")
struct ConcentrationIndexTests {
    private func relClose(_ a: Double, _ b: Double, _ rel: Double) -> Bool {
        a == b || abs(a - b) <= rel * max(abs(a), abs(b))
    }

    /// 4 units (IMD rank 3, 1, 4, 2; population 1000, 1500, 2000, 500; rate 2, 8, 1, 4). By hand: sorted
    /// most deprived first f = (.3, .1, .2, .4), R = (.15, .35, .5, .8), μ = 3.6, Σ f h R = 1.02, so
    /// C = 2·1.02/3.6 − 1 = −13/30. `kwv(...)` gives C = −0.4333333333333334, SE = 0.07473088434807858,
    /// convenient-regression slope −0.43333333333333335 and 1 − 2·area −0.43333333333333335.
    @Test func fourUnitHandCalculation() throws {
        let c = try ConcentrationIndex(outcome: [2, 8, 1, 4], population: [1000, 1500, 2000, 500],
                                       deprivation: [3, 1, 4, 2], order: .rankAscending)
        #expect(abs(c.index - (-13.0 / 30)) < 1e-15)
        #expect(relClose(c.standardError, 0.07473088434807858, 1e-13))
        #expect(abs(c.mean - 3.6) < 1e-15)
        for (got, want) in zip(c.fractionalRanks, [0.5, 0.15, 0.8, 0.35]) { #expect(abs(got - want) < 1e-15) }
        #expect(c.index < 0 && c.interpretation.contains("concentrated among the more deprived"))
        let z = Distributions.normalQuantile(0.975)
        #expect(abs(c.ciLow - (c.index - z * c.standardError)) < 1e-15)
        #expect(relClose(c.p, MultipleTesting.twoSidedP(c.index / c.standardError), 1e-15))
    }

    /// Equal populations, no ties: the weighted formula reduces to KWV's individual-data formula
    /// (`(np.mean(a*a) − (1+C)**2)/n` with q_i = Σ_{j≤i} h_j/(nμ)), printed as C = −0.42857142857142855,
    /// SE = 0.0797044896635915 by both routes.
    @Test func equalWeightsReduceToKakwaniIndividualFormula() throws {
        let c = try ConcentrationIndex(outcome: [5, 1, 9, 0.5, 3, 2.5], population: [1, 1, 1, 1, 1, 1],
                                       deprivation: [2, 6, 1, 5, 3, 4], order: .rankAscending)
        #expect(abs(c.index - (-0.42857142857142855)) < 1e-15)
        #expect(relClose(c.standardError, 0.0797044896635915, 1e-13))
    }

    /// Rates of areas_n10k_20x20.csv (incidents/population·1000) ranked by imd_rank, population-weighted:
    /// `kwv(rate, w, d.imd_rank.values)` gives C = −0.6092786160457876, SE = 0.0448914805628938 (WLS slope
    /// −0.6092786160457879, 1 − 2·area −0.609278616045787). IMD score read descending gives the same
    /// ordering here only if score and rank agree, so that is checked against the rank result.
    @Test func areasRateConcentrationMatchesNumpy() throws {
        let file = "areas_n10k_20x20.csv"
        let y = try column(file, "incidents"), w = try column(file, "population"), rank = try column(file, "imd_rank")
        let c = try ConcentrationIndex(counts: y, population: w, deprivation: rank, order: .rankAscending)
        #expect(abs(c.index - (-0.6092786160457876)) < 1e-13)
        #expect(relClose(c.standardError, 0.0448914805628938, 1e-12))
        #expect(c.ciHigh < 0 && c.p < 1e-30)
        let rate = zip(y, w).map { $0 / $1 * 1000 }
        let viaRates = try ConcentrationIndex(outcome: rate, population: w, deprivation: rank, order: .rankAscending)
        #expect(abs(viaRates.index - c.index) < 1e-14)
        let viaScore = try ConcentrationIndex(outcome: rate, population: w, deprivation: rank.map { -$0 }, order: .scoreDescending)
        #expect(viaScore == viaRates)
    }

    /// Sign convention: an outcome rising with deprivation gives C < 0, falling gives C > 0, flat gives 0.
    @Test func signConventionNegativeMeansConcentratedAmongDeprived() throws {
        let pop: [Double] = [100, 200, 150, 120, 90], rank: [Double] = [1, 2, 3, 4, 5]
        let deprived = try ConcentrationIndex(outcome: [9, 7, 5, 3, 1], population: pop, deprivation: rank, order: .rankAscending)
        let affluent = try ConcentrationIndex(outcome: [1, 3, 5, 7, 9], population: pop, deprivation: rank, order: .rankAscending)
        let flat = try ConcentrationIndex(outcome: [4, 4, 4, 4, 4], population: pop, deprivation: rank, order: .rankAscending)
        #expect(deprived.index < 0 && affluent.index > 0 && abs(flat.index) < 1e-15)
        #expect(ConcentrationIndex.interpretation(of: -0.2).contains("more deprived"))
        #expect(ConcentrationIndex.interpretation(of: 0.2).contains("less deprived"))
        // Reading an IMD score (higher = more deprived) the other way round flips nothing.
        let byScore = try ConcentrationIndex(outcome: [9, 7, 5, 3, 1], population: pop, deprivation: [50, 40, 30, 20, 10], order: .scoreDescending)
        #expect(abs(byScore.index - deprived.index) < 1e-15)
    }

    /// Input order does not matter, and splitting a unit into two tied units with the same rate (same
    /// deprivation value) leaves C unchanged: tied units share their group's mid-point rank.
    @Test func orderInvarianceAndTiesShareTheGroupRank() throws {
        let h: [Double] = [2, 8, 1, 4], w: [Double] = [1000, 1500, 2000, 500], d: [Double] = [3, 1, 4, 2]
        let base = try ConcentrationIndex(outcome: h, population: w, deprivation: d, order: .rankAscending)
        let perm = [2, 0, 3, 1]
        let shuffled = try ConcentrationIndex(outcome: perm.map { h[$0] }, population: perm.map { w[$0] },
                                              deprivation: perm.map { d[$0] }, order: .rankAscending)
        #expect(abs(shuffled.index - base.index) < 1e-15 && abs(shuffled.standardError - base.standardError) < 1e-15)
        // Split unit 1 (rank 1, pop 1500, rate 8) into 600 + 900 at the same rank.
        let split = try ConcentrationIndex(outcome: [2, 8, 1, 4, 8], population: [1000, 600, 2000, 500, 900],
                                           deprivation: [3, 1, 4, 2, 1], order: .rankAscending)
        #expect(abs(split.index - base.index) < 1e-15)
        #expect(split.fractionalRanks[1] == split.fractionalRanks[4] && abs(split.fractionalRanks[1] - 0.15) < 1e-15)
        let r = ConcentrationIndex.fractionalRanks(population: [1000, 600, 2000, 500, 900], deprivation: [3, 1, 4, 2, 1], order: .rankAscending)
        #expect(r == split.fractionalRanks)
    }

    /// Data problems throw typed errors.
    @Test func badInputsThrow() {
        #expect(throws: ConcentrationIndexError.tooFewUnits(1)) {
            try ConcentrationIndex(outcome: [1], population: [1], deprivation: [1], order: .rankAscending)
        }
        #expect(throws: ConcentrationIndexError.invalidPopulation(unit: 1, value: 0)) {
            try ConcentrationIndex(outcome: [1, 2], population: [1, 0], deprivation: [1, 2], order: .rankAscending)
        }
        #expect(throws: ConcentrationIndexError.nonPositiveMean(0)) {
            try ConcentrationIndex(outcome: [0, 0], population: [1, 3], deprivation: [1, 2], order: .rankAscending)
        }
    }

    /// RII on areas_n10k_20x20.csv: ridit = population-weighted fractional rank by imd_rank (1 = most
    /// deprived), `ridit[o] = (np.cumsum(w[o]) − w[o]/2)/w.sum()` with `o = np.argsort(imd_rank, kind='stable')`
    /// (first three ridits 0.9412530654455253, 0.6843998463804049, 0.19639214713072775).
    /// Poisson: `sm.GLM(y, add_constant(ridit), family=Poisson(), offset=np.log(w)).fit(tol=1e-14)` →
    /// β = −4.936033167725046, SE 0.05442880063469548, RII = exp(−β) = 139.2169026657406,
    /// CI [125.13018542807824, 154.88945310468046].
    /// NB2: `sm.NegativeBinomial(y, X, loglike_method='nb2', offset=np.log(w))` fitted by Nelder–Mead, then
    /// BFGS, then Newton (tol 1e-14; max |score| 1e-13) → β = −3.0381789145230482, SE 0.12138595559987782,
    /// α = 0.5902569168934261, RII = 20.86720764378827, CI [16.44903500726437, 26.472091199068664].
    @Test func relativeIndexOfInequalityMatchesStatsmodels() throws {
        let file = "areas_n10k_20x20.csv"
        let y = try column(file, "incidents"), w = try column(file, "population"), rank = try column(file, "imd_rank")
        let ridit = ConcentrationIndex.fractionalRanks(population: w, deprivation: rank, order: .rankAscending)
        #expect(abs(ridit[0] - 0.9412530654455253) < 1e-15 && abs(ridit[1] - 0.6843998463804049) < 1e-15
            && abs(ridit[2] - 0.19639214713072775) < 1e-15)
        let p = try RelativeIndexOfInequality.fit(counts: y, population: w, ridit: ridit, family: .poisson)
        // statsmodels' GLM stops IRLS on the deviance, so its SE agrees to ~4e-9 relative only.
        #expect(abs(p.slope - (-4.936033167725046)) < 1e-10)
        #expect(relClose(p.slopeStandardError, 0.05442880063469548, 1e-7))
        #expect(relClose(p.rii, 139.2169026657406, 1e-10))
        #expect(relClose(p.ciLow, 125.13018542807824, 1e-8) && relClose(p.ciHigh, 154.88945310468046, 1e-8))
        let nb = try RelativeIndexOfInequality.fit(counts: y, population: w, ridit: ridit, family: .negativeBinomial)
        #expect(abs(nb.slope - (-3.0381789145230482)) < 1e-10)
        #expect(relClose(nb.slopeStandardError, 0.12138595559987782, 1e-10))
        #expect(relClose(nb.regression.alpha!, 0.5902569168934261, 1e-10))
        #expect(relClose(nb.rii, 20.86720764378827, 1e-10))
        #expect(relClose(nb.ciLow, 16.44903500726437, 1e-10) && relClose(nb.ciHigh, 26.472091199068664, 1e-10))
        #expect(nb.rii > 1)  // higher rates at the most deprived end
    }
}
