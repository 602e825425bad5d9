import Foundation
import Testing
@testable import PlaceRiskCore

/// References: scipy 1.17.1, numpy 2.4.6, pandas 3.1.1 and esda 2.9.0 (the peers venv,
/// /work/shared/peers/VERSIONS.txt); each table says which one-liner printed it.
@Suite("Rates, exact Poisson intervals, empirical Bayes and decile gradients")
struct RatesTests {
    private func relClose(_ a: Double, _ b: Double, _ rel: Double) -> Bool {
        a == b || abs(a - b) <= rel * max(abs(a), abs(b))
    }

    /// Garwood limits `(k, stats.chi2.ppf(0.025, 2k)/2 (0 for k = 0), stats.chi2.ppf(0.975, 2k+2)/2)`.
    @Test func garwoodIntervalMatchesScipyChiSquare() {
        let cases: [(Double, Double, Double)] = [
            (0.0, 0.0, 3.6888794541139354),
            (1.0, 0.025317807984289876, 5.571643390938898),
            (5.0, 1.6234863901184207, 11.66833207932267),
            (37.0, 26.05141456710603, 50.999626141930825),
            (1000.0, 938.9730184076952, 1063.952136016302),
            (5000.0, 4862.359188694899, 5140.5489485350045),
        ]
        for (k, lo, hi) in cases {
            let ci = PoissonInterval.garwood(count: k)
            #expect(relClose(ci.low, lo, 1e-12), "k = \(k) lower \(ci.low) vs \(lo)")
            #expect(relClose(ci.high, hi, 1e-12), "k = \(k) upper \(ci.high) vs \(hi)")
        }
        // 90 %: stats.chi2.ppf(0.05, 74)/2, stats.chi2.ppf(0.95, 76)/2.
        let ci90 = PoissonInterval.garwood(count: 37, confidence: 0.9)
        #expect(relClose(ci90.low, 27.59461554097935, 1e-12) && relClose(ci90.high, 48.67548518951648, 1e-12))
    }

    /// A rate per 1,000 scales the Garwood limits by per/N.
    @Test func ratePerThousandScalesTheExactInterval() throws {
        let r = try RateEstimate(count: 37, population: 12_345)
        #expect(relClose(r.rate, 37.0 / 12_345 * 1000, 1e-15))
        #expect(relClose(r.ciLow, 26.05141456710603 / 12_345 * 1000, 1e-12))
        #expect(relClose(r.ciHigh, 50.999626141930825 / 12_345 * 1000, 1e-12))
        #expect(throws: RateError.invalidCount(unit: nil, value: 2.5)) { try RateEstimate(count: 2.5, population: 10) }
        #expect(throws: RateError.invalidPopulation(unit: nil, value: 0)) { try RateEstimate(count: 2, population: 0) }
    }

    /// Rate ratio with the log-scale Wald interval; reference is numpy on the same formula:
    /// `rr = (a/na)/(b/nb); se = np.sqrt(1/a+1/b); np.exp(np.log(rr) ∓ stats.norm.ppf(0.975)*se)` —
    /// here through the D1/D10 check below. A zero count gives NaN bounds and the flag.
    @Test func rateRatioFlagsZeroCounts() throws {
        let rr = try RateRatio(countA: 0, populationA: 1000, countB: 5, populationB: 2000)
        #expect(rr.zeroCount && rr.ratio == 0 && rr.ciLow.isNaN && rr.ciHigh.isNaN && rr.logStandardError.isNaN)
        let inf = try RateRatio(countA: 3, populationA: 1000, countB: 0, populationB: 2000)
        #expect(inf.zeroCount && inf.ratio == .infinity && inf.ciLow.isNaN)
        let ok = try RateRatio(countA: 20, populationA: 1000, countB: 10, populationB: 1000)
        #expect(!ok.zeroCount && ok.ratio == 2 && relClose(ok.logStandardError, (0.15).squareRoot(), 1e-15))
        #expect(relClose(ok.ciLow * ok.ciHigh, 4, 1e-14))  // symmetric on the log scale
    }

    /// esda `Empirical_Bayes(HC7984, PO7984).r` on St Louis (Fixtures/eb_stl_hc7984_esda.csv, written by
    /// `open(..., 'w').write('eb_rate\n' + ''.join('%.17g\n' % v for v in Empirical_Bayes(d['HC7984'].values,
    /// d['PO7984'].values).r.ravel()))` with `d = pd.read_csv('stl_hom_attributes.csv')`). Its first values equal
    /// esda's published docstring example (2.36718950e-05, 4.54539167e-05, 4.78114019e-05, …). A > 0 here
    /// (m = 0.00010236431644386057, A = 1.6921198240125238e-08 from the same numpy formula), so no truncation.
    @Test func empiricalBayesMatchesEsdaOnStLouis() throws {
        let counts = try column("stl_hom_attributes.csv", "HC7984"), pop = try column("stl_hom_attributes.csv", "PO7984")
        let ref = try column("eb_stl_hc7984_esda.csv", "eb_rate")
        let eb = try EmpiricalBayesRates(counts: counts, population: pop, per: 1)
        #expect(ref.count == 78 && eb.rates.count == 78)
        for i in ref.indices { #expect(relClose(eb.rates[i], ref[i], 1e-12), "unit \(i): \(eb.rates[i]) vs esda \(ref[i])") }
        #expect(relClose(eb.globalRate, 0.00010236431644386057, 1e-14))
        #expect(relClose(eb.betweenAreaVarianceRaw, 1.6921198240125238e-08, 1e-10))
        #expect(eb.betweenAreaVariance == eb.betweenAreaVarianceRaw)
        let perK = try EmpiricalBayesRates(counts: counts, population: pop, per: 1000)
        #expect(relClose(perK.rates[0], ref[0] * 1000, 1e-14))
        #expect(relClose(perK.betweenAreaVariance, eb.betweenAreaVariance * 1e6, 1e-14))
    }

    /// With every prior rate equal to the global rate Σy/Σn the prior-mean estimator is Marshall's global
    /// one, so it reproduces esda `Empirical_Bayes` on St Louis (the fixture of the test above).
    @Test func priorEmpiricalBayesWithTheGlobalPriorIsMarshallsGlobalEstimator() throws {
        let counts = try column("stl_hom_attributes.csv", "HC7984"), pop = try column("stl_hom_attributes.csv", "PO7984")
        let ref = try column("eb_stl_hc7984_esda.csv", "eb_rate")
        let m = counts.reduce(0, +) / pop.reduce(0, +)
        let eb = try PriorEmpiricalBayesRates(counts: counts, population: pop, priorRates: [Double](repeating: m, count: counts.count), per: 1)
        for i in ref.indices { #expect(relClose(eb.rates[i], ref[i], 1e-12), "unit \(i)") }
        #expect(relClose(eb.betweenAreaVariance, 1.6921198240125238e-08, 1e-10))
    }

    /// Hand-worked method-of-moments Poisson–gamma shrinkage toward unit priors: y = (0, 6, 30),
    /// n = (10, 10, 10), priors m = (0.2, 0.4, 2.0) per unit of n. Raw r = (0, 0.6, 3.0);
    /// s² = [10·0.04 + 10·0.04 + 10·1.0]/30 = 0.36; m̄ = 2.6/3 = 0.8667; n̄ = 10; A = 0.36 − 0.08667 = 0.27333;
    /// C = A/(A + m_i/10) = 0.27333/0.29333 = 0.93182, 0.27333/0.31333 = 0.87234, 0.27333/0.47333 = 0.57746;
    /// θ = 0.2 + 0.93182·(−0.2) = 0.013636, 0.4 + 0.87234·0.2 = 0.574468, 2 + 0.57746·1 = 2.577465.
    @Test func priorEmpiricalBayesMatchesAHandCalculation() throws {
        let eb = try PriorEmpiricalBayesRates(counts: [0, 6, 30], population: [10, 10, 10], priorRates: [0.2, 0.4, 2.0], per: 1)
        #expect(abs(eb.betweenAreaVariance - (0.36 - 2.6 / 30)) < 1e-12)
        let a = 0.36 - 2.6 / 30
        let want = [0.2 + a / (a + 0.02) * -0.2, 0.4 + a / (a + 0.04) * 0.2, 2 + a / (a + 0.2) * 1]
        for i in 0 ..< 3 { #expect(abs(eb.rates[i] - want[i]) < 1e-12) }
        #expect(abs(eb.rates[0] - 0.013636363636363636) < 1e-9 && abs(eb.rates[2] - 2.5774647887323945) < 1e-9)
    }

    /// Marshall's local estimator on a chain 0–1–2–3 with y = (2, 8, 0, 5), n = (100, 200, 100, 50):
    /// esda `Spatial_Empirical_Bayes(e, b, W({0:[1],1:[0,2],2:[1,3],3:[2]})).r` =
    /// [0.03333333, 0.03117647, 0.0135743, 0.08181818] (esda 2.9.0). By hand for unit 3: N = {2, 3},
    /// m = 5/150, s² = [50(0.1 − m)² + 100 m²]/150 = 0.0022222, A = s² − m/75 = 0.0017778,
    /// C = A/(A + m/50) = 0.72727, θ = m + C(0.1 − m) = 0.0818182; unit 0: A < 0, so θ = m = 10/300.
    @Test func localEmpiricalBayesMatchesEsdaAndAHandCalculation() throws {
        let w = SpatialWeights(neighbourLists: [[1], [0, 2], [1, 3], [2]])
        let eb = try LocalEmpiricalBayesRates(counts: [2, 8, 0, 5], population: [100, 200, 100, 50], neighbours: w, per: 1)
        let esda = [0.03333333, 0.03117647, 0.0135743, 0.08181818]
        for i in 0 ..< 4 { #expect(abs(eb.rates[i] - esda[i]) < 5e-8, "unit \(i): \(eb.rates[i])") }
        #expect(abs(eb.rates[3] - (5.0 / 150 + 0.0017777777777777779 / (0.0017777777777777779 + 5.0 / 150 / 50) * (0.1 - 5.0 / 150))) < 1e-12)
        #expect(eb.weights[0] == 0 && abs(eb.rates[0] - 10.0 / 300) < 1e-15)
        // All-zero neighbourhoods: esda gives 0/0 = NaN; here the rate is the prior, 0.
        let zero = try LocalEmpiricalBayesRates(counts: [0, 0], population: [5, 5], neighbours: SpatialWeights(neighbourLists: [[1], [0]]), per: 1)
        #expect(zero.rates == [0, 0])
    }

    /// When rates vary less than Poisson noise (A < 0) every area shrinks to the global rate (Marshall).
    /// esda does not truncate and returns, for e = [10, 12, 9, 10], b = [1000, 1500, 800, 1200],
    /// `[0.006853717026378898, -0.006577777777777766, 0.006229325699745549, 0.01392787524366472]` — a
    /// negative rate — with m = 0.009111111111111111, A = -6.537037037037038e-06 (numpy, same formula).
    @Test func empiricalBayesTruncatesNegativeVarianceUnlikeEsda() throws {
        let eb = try EmpiricalBayesRates(counts: [10, 12, 9, 10], population: [1000, 1500, 800, 1200], per: 1)
        #expect(relClose(eb.betweenAreaVarianceRaw, -6.537037037037038e-06, 1e-12))
        #expect(eb.betweenAreaVariance == 0 && eb.weights.allSatisfy { $0 == 0 })
        #expect(eb.rates.allSatisfy { relClose($0, 0.009111111111111111, 1e-15) })
    }

    /// Shrinkage weights lie in [0, 1], grow with population, and the smoothed rate lies between the raw
    /// and the global rate.
    @Test func empiricalBayesShrinksSmallAreasMore() throws {
        let counts: [Double] = [0, 3, 40, 2, 100, 7], pop: [Double] = [200, 900, 8000, 150, 30000, 5000]
        let eb = try EmpiricalBayesRates(counts: counts, population: pop)
        for i in counts.indices {
            #expect(eb.weights[i] >= 0 && eb.weights[i] <= 1)
            let lo = min(eb.rawRates[i], eb.globalRate), hi = max(eb.rawRates[i], eb.globalRate)
            #expect(eb.rates[i] >= lo - 1e-12 && eb.rates[i] <= hi + 1e-12)
        }
        #expect(eb.weights[4] > eb.weights[2] && eb.weights[2] > eb.weights[0] && eb.weights[0] > eb.weights[3])
    }

    /// Decile rates and D1/D10 on areas_n10k_50x50.csv against pandas + scipy:
    /// `g = d.groupby('imd_decile').agg(units=('area_id','size'), count=('incidents','sum'), pop=('population','sum'))`,
    /// rate = k/N·1000 with `stats.chi2.ppf(0.025, 2k)/2/N·1000`, `stats.chi2.ppf(0.975, 2k+2)/2/N·1000`;
    /// D1/D10: `rr = (a/na)/(b/nb); se = np.sqrt(1/a+1/b); np.exp(np.log(rr) ∓ stats.norm.ppf(0.975)*se)`.
    @Test func decileGradientMatchesPandasAndScipy() throws {
        let file = "areas_n10k_50x50.csv"
        let counts = try column(file, "incidents"), pop = try column(file, "population")
        let decile = try column(file, "imd_decile").map { Int($0) }
        let ref: [(Int, Int, Double, Double, Double, Double, Double)] = [
            (1, 250, 6451.0, 443155.0, 14.556983448229175, 14.203898558529055, 14.916626958994499),
            (2, 250, 864.0, 439520.0, 1.9657808518383693, 1.836872003268998, 2.101350333989477),
            (3, 250, 604.0, 459622.0, 1.3141233448355387, 1.2113979607414138, 1.423232114904008),
            (4, 250, 469.0, 504189.0, 0.9302067280325433, 0.8479145029297979, 1.0183286147784991),
            (5, 250, 446.0, 516699.0, 0.8631717886041971, 0.7849119584465338, 0.9471223346515314),
            (6, 250, 369.0, 543145.0, 0.6793765937272735, 0.6118186426089162, 0.7523565413884462),
            (7, 250, 312.0, 540258.0, 0.5775018602223383, 0.5151923657780267, 0.6452704524447717),
            (8, 250, 229.0, 571639.0, 0.4006024781374259, 0.3503934679907081, 0.4559868255953315),
            (9, 250, 169.0, 583327.0, 0.2897174312178247, 0.24768342533226118, 0.3368408835181206),
            (10, 250, 87.0, 548266.0, 0.15868209956480978, 0.12709785676262927, 0.1957337835695152),
        ]
        let g = try DecileGradient(counts: counts, population: pop, decile: decile)
        #expect(g.rows.count == 10)
        for (row, e) in zip(g.rows, ref) {
            #expect(row.decile == e.0 && row.units == e.1 && row.count == e.2 && row.population == e.3)
            let rate = try #require(row.rate)
            #expect(relClose(rate.rate, e.4, 1e-14), "decile \(e.0) rate")
            #expect(relClose(rate.ciLow, e.5, 1e-12) && relClose(rate.ciHigh, e.6, 1e-12), "decile \(e.0) CI")
        }
        let rr = try #require(g.ratio)
        #expect(relClose(rr.ratio, 91.73677111754961, 1e-14))
        #expect(relClose(rr.logStandardError, 0.10793177289363047, 1e-14))
        #expect(relClose(rr.ciLow, 74.24577731411311, 1e-12) && relClose(rr.ciHigh, 113.34833413447194, 1e-12))
    }

    /// Empty deciles are reported (rate nil) and remove the ratio; labels outside 1…10 throw.
    @Test func decileGradientReportsEmptyGroupsAndRejectsBadLabels() throws {
        let g = try DecileGradient(counts: [3, 4, 5], population: [100, 200, 300], decile: [1, 1, 5])
        #expect(g.rows[0].units == 2 && g.rows[0].count == 7 && g.rows[1].rate == nil && g.ratio == nil)
        #expect(throws: RateError.invalidDecile(unit: 2, value: 11, levels: 10)) {
            try DecileGradient(counts: [3, 4, 5], population: [100, 200, 300], decile: [1, 10, 11])
        }
        let q = try DecileGradient(counts: [3, 4, 5], population: [100, 200, 300], decile: [1, 3, 5], levels: 5)
        #expect(q.ratio?.ratio == (3.0 / 100) / (5.0 / 300))
        #expect(RateError.invalidDecile(unit: 2, value: 11, levels: 10).description == "unit 3: decile 11 is outside 1…10")
    }

    /// An area with no decile-10 unit (most of Cornwall): no D1/D10, but the ratio of the extreme deciles
    /// present, D1/D9, by hand: rate₁ = 30 / 2000 · 1000 = 15, rate₉ = 3 / 1000 · 1000 = 3, ratio 5, log-scale
    /// Wald interval exp(ln 5 ± 1.959964 · √(1/30 + 1/3)).
    @Test func extremeDecilesPresentGiveARatioWhenDecileTenIsEmpty() throws {
        let g = try DecileGradient(counts: [10, 20, 5, 3], population: [1000, 1000, 1000, 1000], decile: [1, 1, 5, 9])
        #expect(g.ratio == nil)
        let p = try #require(g.presentRatio)
        #expect(p.mostDeprived == 1 && p.leastDeprived == 9)
        #expect(abs(p.ratio.ratio - 5) < 1e-12)
        let se = (1.0 / 30 + 1.0 / 3).squareRoot()
        #expect(abs(p.ratio.ciLow - 5 * exp(-1.959963984540054 * se)) < 1e-9 && abs(p.ratio.ciHigh - 5 * exp(1.959963984540054 * se)) < 1e-9)
        // With deciles 1 and 10 both present there is no separate present ratio.
        #expect(try DecileGradient(counts: [3, 4], population: [100, 200], decile: [1, 10]).presentRatio == nil)
    }
}
