import Foundation
import Testing
@testable import PlaceRiskCore

@Suite("Pearson, Spearman and Kendall correlations")
struct CorrelationTests {
    private func relClose(_ a: Double, _ b: Double, _ rel: Double) -> Bool {
        a == b || abs(a - b) <= rel * max(abs(a), abs(b))
    }

    /// The peers' scipy 1.17.1 oracles (`/work/shared/peers/corr.py`: `stats.pearsonr`,
    /// `confidence_interval(0.95)`, `stats.spearmanr`, `stats.kendalltau(variant="b")` — asymptotic p
    /// for every column here since all have ties or n > 33 — and `stats.false_discovery_control(method="bh")`
    /// per method and over all tests): r, ρ, τ and the CI bounds to 1e-9; p and BH q to 1e-6 relative.
    @Test(arguments: ["corr_areas_n10k_20x20_rate.json", "corr_areas_n10k_50x50_incidents.json"])
    func correlationsMatchScipyOracles(oracle: String) throws {
        let ref = try jsonFixture(oracle)
        let file = ref["input"] as! String
        let x = try column(file, ref["x"] as! String)
        let results = ref["results"] as! [[String: Any]]
        var pP: [Double] = [], pS: [Double] = [], pK: [Double] = []
        for res in results {
            let name = res["y"] as! String
            let y = try column(file, name)
            let pe = res["pearson"] as! [String: Any], sp = res["spearman"] as! [String: Any]
            let ke = res["kendall_tau_b"] as! [String: Any]
            let ci = pe["ci95"] as! [Double]
            let p = try Correlation.pearson(x, y)
            #expect(p.n == ref["n"] as! Int)
            #expect(abs(p.r - (pe["r"] as! Double)) < 1e-9, "\(name) r")
            #expect(relClose(p.p, pe["p"] as! Double, 1e-6), "\(name) Pearson p \(p.p) vs \(pe["p"]!)")
            #expect(abs(p.ciLow - ci[0]) < 1e-9 && abs(p.ciHigh - ci[1]) < 1e-9, "\(name) Pearson CI")
            let s = try Correlation.spearman(x, y)
            #expect(abs(s.rho - (sp["rho"] as! Double)) < 1e-9, "\(name) rho")
            #expect(relClose(s.p, sp["p"] as! Double, 1e-6), "\(name) Spearman p \(s.p) vs \(sp["p"]!)")
            let k = try Correlation.kendallTauB(x, y)
            #expect(ke["p_method"] as! String == "asymptotic")
            #expect(abs(k.tau - (ke["tau"] as! Double)) < 1e-9, "\(name) tau")
            #expect(relClose(k.p, ke["p"] as! Double, 1e-6), "\(name) Kendall p \(k.p) vs \(ke["p"]!)")
            pP.append(p.p); pS.append(s.p); pK.append(k.p)
        }
        // Benjamini–Hochberg within each method and across all 3 × k tests.
        let all = MultipleTesting.benjaminiHochberg(pP + pS + pK)
        let k = results.count
        for (m, key, ps) in [(0, "pearson", pP), (1, "spearman", pS), (2, "kendall_tau_b", pK)] {
            let q = MultipleTesting.benjaminiHochberg(ps)
            for (i, res) in results.enumerated() {
                let block = res[key] as! [String: Any]
                #expect(relClose(q[i], block["p_bh"] as! Double, 1e-6), "\(key) p_bh \(i)")
                #expect(relClose(all[m * k + i], block["p_bh_all"] as! Double, 1e-6), "\(key) p_bh_all \(i)")
            }
        }
    }

    /// The Spearman interval uses the Bonett–Wright (2000) standard error √((1+ρ²/2)/(n−3)). Reference:
    /// `r = stats.spearmanr(d[x], d[y]).statistic; se = np.sqrt((1+r*r/2)/(n-3)); z = stats.norm.ppf(0.975);
    /// np.tanh(np.arctanh(r) ∓ z*se)` (scipy 1.17.1, numpy 2.4.6, pandas `read_csv` of the fixture).
    @Test func spearmanIntervalIsBonettWright() throws {
        let cases: [(String, String, String, Double, Double, Double)] = [
            ("areas_n10k_20x20.csv", "rate", "dom_income", 0.47273838302450616, 0.38836471905879544, 0.5492516783556003),
            ("areas_n10k_50x50.csv", "incidents", "imd_decile", -0.7116354196706065, -0.7326379257164957, -0.689278944299785),
        ]
        for (file, xn, yn, rho, lo, hi) in cases {
            let s = try Correlation.spearman(try column(file, xn), try column(file, yn))
            #expect(abs(s.rho - rho) < 1e-12)
            #expect(abs(s.ciLow - lo) < 1e-12 && abs(s.ciHigh - hi) < 1e-12, "\(file) \(yn): [\(s.ciLow), \(s.ciHigh)]")
        }
    }

    /// Mid-ranks equal `scipy.stats.rankdata([3,1,4,1,5,9,2,6,5,3,5]).tolist()`.
    @Test func midRanksAverageTiesAsScipyRankdata() {
        let r = Ranks.midRanks([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])
        #expect(r == [4.5, 1.5, 6.0, 1.5, 8.0, 11.0, 3.0, 10.0, 8.0, 4.5, 8.0])
        let t = Ranks.ties([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])
        #expect(t.groupSizes == [2, 2, 3])
        #expect(t.tiedPairs == 1 + 1 + 3)
        #expect(t.varianceTerm == 2 * 1 * 9 * 2 + 3 * 2 * 11)
        #expect(t.tripletTerm == 6)
    }

    /// O(n²) tau-b straight from the definition: the oracle for the merge-sort count.
    private func naiveTauB(_ x: [Double], _ y: [Double]) -> (tau: Double, s: Int) {
        var c = 0, d = 0, tx = 0, ty = 0
        let n = x.count
        for i in 0 ..< n {
            for j in (i + 1) ..< n {
                let sx = x[i] < x[j] ? 1 : (x[i] > x[j] ? -1 : 0)
                let sy = y[i] < y[j] ? 1 : (y[i] > y[j] ? -1 : 0)
                if sx == 0 { tx += 1 }
                if sy == 0 { ty += 1 }
                if sx * sy > 0 { c += 1 } else if sx * sy < 0 { d += 1 }
            }
        }
        let n0 = n * (n - 1) / 2
        return (Double(c - d) / (Double(n0 - tx) * Double(n0 - ty)).squareRoot(), c - d)
    }

    /// Knight's O(n log n) τ-b equals the O(n²) definition on seeded random data with heavy ties in
    /// x, in y and jointly (values drawn from a few levels), for n from 3 to 400.
    @Test func kendallMergeSortEqualsNaiveTauBWithTies() throws {
        var rng = SeededGenerator(seed: 20_260_101)
        for n in [3, 4, 5, 7, 10, 33, 64, 100, 257, 400] {
            for levels in [2, 3, 6, 50] {
                let x = (0 ..< n).map { _ in Double(Int.random(in: 0 ..< levels, using: &rng)) }
                let y = (0 ..< n).map { i in Double(Int.random(in: 0 ..< levels, using: &rng)) + (i % 3 == 0 ? x[i] : 0) }
                guard Set(x).count > 1, Set(y).count > 1 else { continue }
                let fast = try Correlation.kendallTauB(x, y)
                let slow = naiveTauB(x, y)
                #expect(fast.concordantMinusDiscordant == slow.s, "n = \(n), levels = \(levels)")
                #expect(abs(fast.tau - slow.tau) < 1e-14, "n = \(n), levels = \(levels): \(fast.tau) vs \(slow.tau)")
            }
        }
    }

    /// NaN in either variable drops that pair only; n reports the pairs used.
    @Test func nanPairsAreDroppedPairwise() throws {
        let x = try column("areas_n10k_20x20.csv", "rate"), y = try column("areas_n10k_20x20.csv", "imd_score")
        var xn = x, yn = y
        for i in stride(from: 0, to: x.count, by: 7) { xn[i] = .nan }
        for i in stride(from: 3, to: x.count, by: 11) { yn[i] = .nan }
        let keep = x.indices.filter { !xn[$0].isNaN && !yn[$0].isNaN }
        let xk = keep.map { x[$0] }, yk = keep.map { y[$0] }
        let a = try Correlation.pearson(xn, yn), b = try Correlation.pearson(xk, yk)
        #expect(a == b && a.n == keep.count && a.n < x.count)
        #expect(try Correlation.spearman(xn, yn) == (try Correlation.spearman(xk, yk)))
        #expect(try Correlation.kendallTauB(xn, yn) == (try Correlation.kendallTauB(xk, yk)))
    }

    /// Data problems throw typed errors that read as sentences.
    @Test func tooFewPairsAndConstantInputThrow() {
        #expect(throws: CorrelationError.tooFewPairs(n: 2, minimum: 3)) {
            try Correlation.pearson([1, 2, .nan, 4], [1, 2, 3, .nan])
        }
        #expect(throws: CorrelationError.constantInput(variable: "y")) {
            try Correlation.spearman([1, 2, 3, 4], [5, 5, 5, 5])
        }
        #expect(throws: CorrelationError.constantInput(variable: "x")) {
            try Correlation.kendallTauB([2, 2, 2, 2], [1, 2, 3, 4])
        }
        let text = CorrelationError.tooFewPairs(n: 2, minimum: 3).description
        #expect(text.contains("2 complete") && text.contains("at least 3"))
    }

    /// A perfect monotone relation: r = ρ = τ = 1 (to rounding) with p ≈ 0.
    @Test func perfectAssociationGivesUnitCorrelationAndZeroP() throws {
        let x: [Double] = [1, 2, 3, 4, 5, 6], y = x.map { 2 * $0 + 1 }
        let p = try Correlation.pearson(x, y)
        #expect(abs(p.r - 1) < 1e-15 && p.p < 1e-12 && p.ciHigh <= 1)
        let s = try Correlation.spearman(x, y.map { $0 * $0 })
        #expect(abs(s.rho - 1) < 1e-15 && s.p < 1e-12)
        let k = try Correlation.kendallTauB(x, y)
        #expect(abs(k.tau - 1) < 1e-15 && k.concordantMinusDiscordant == 15)
    }
}
