import Foundation
import Testing
@testable import PlaceRiskCore

/// Points and day numbers from a fixture with columns x, y and an ISO date (days since 2016-01-01) or a day count.
private func knoxFixture(_ name: String) throws -> (x: [Double], y: [Double], t: [Double]) {
    let rows = simpleCSV(try fixture(name)).dropFirst()
    var x: [Double] = [], y: [Double] = [], t: [Double] = []
    for r in rows {
        x.append(Double(r[0])!); y.append(Double(r[1])!)
        if r[2].contains("-") {
            let p = r[2].split(separator: "-").map { Int($0)! }
            t.append(Double(daysFromCivil(p[0], p[1], p[2])))
        } else { t.append(Double(r[2])!) }
    }
    return (x, y, t)
}

/// Days since 1970-01-01 (Hinnant's days_from_civil), an independent date oracle for the fixtures.
private func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
}

/// All pairs by brute force: the O(n²) oracle for the bucketed count.
private func bruteForce(_ x: [Double], _ y: [Double], _ t: [Double], _ b: KnoxBands) -> [[Int]] {
    var out = [[Int]](repeating: [Int](repeating: 0, count: b.columnCount), count: b.rowCount)
    for i in 0 ..< x.count { for j in (i + 1) ..< x.count {
        out[b.row(distance: b.distance.between(x[i], y[i], x[j], y[j]))][b.column(days: abs(t[i] - t[j]))] += 1
    } }
    return out
}

@Suite("Knox near-repeat test")
struct KnoxTests {
    static let chicagoBands = KnoxBands(spaceBand: 200, spaceBands: 3, timeBand: 1, timeBands: 3, distance: .manhattan)

    /// The Near Repeat Calculator 1.3's published "Observed frequencies distribution" for Chicago arson
    /// 2016 (blank cells are 0), reproduced exactly from the records as the calculator read them.
    @Test func observedCountsEqualTheNearRepeatCalculatorsPublishedTable() throws {
        let (x, y, t) = try knoxFixture("chicago_arson_nrc_source.csv")
        #expect(x.count == 522)
        let published = [[0, 2, 0, 8], [9, 1, 1, 45], [4, 0, 0, 140], [6, 0, 0, 234], [393, 710, 770, 133_658]]
        let r = Knox.test(x: x, y: y, days: t, bands: Self.chicagoBands, permutations: 0, seed: 1)
        #expect(r.observed == published)
        #expect(r.pairs == 522 * 521 / 2)
        #expect(r.observed.joined().reduce(0, +) == r.pairs)
    }

    /// With no permutations the expected counts are the exact expectation N_row · N_col / pairs (checked
    /// against pointpats' ENST below), the ratios are observed over it, and p is NaN: on the Chicago
    /// table, row 1 column 0 (9 observed pairs) has ratio 9 / E.
    @Test func zeroPermutationsGiveTheExactExpectation() throws {
        let (x, y, t) = try knoxFixture("chicago_arson_nrc_source.csv")
        let r = Knox.test(x: x, y: y, days: t, bands: Self.chicagoBands, permutations: 0, seed: 1)
        #expect(r.expected == r.analyticExpected)
        let rows = r.observed.map { $0.reduce(0, +) }, cols = (0 ..< 4).map { c in r.observed.map { $0[c] }.reduce(0, +) }
        #expect(abs(r.expected[1][0] - Double(rows[1] * cols[0]) / Double(r.pairs)) < 1e-12)
        #expect(abs(r.ratio[1][0] - 9 / r.expected[1][0]) < 1e-12)
        #expect(r.p.joined().allSatisfy { $0.isNaN })
    }

    /// The band-edge tie: records 89 and 319 (1-based) are exactly 400.0 m apart (Manhattan) at the
    /// calculator's 0.1 m precision and 147 days apart, so [lo, hi) puts the pair in "[400, 600)"
    /// (the calculator's 140 / 234). At full precision they are 399.96 m apart ("[200, 400)": 141 / 233);
    /// with (lo, hi] edges the 0.1 m pair also falls in "(200, 400]".
    @Test func aPairOnABandEdgeGoesToTheUpperBandWithLeftClosedEdges() throws {
        let (x, y, t) = try knoxFixture("chicago_arson_nrc_source.csv")
        #expect(KnoxDistance.manhattan.between(x[88], y[88], x[318], y[318]) == 400)
        #expect(abs(t[88] - t[318]) == 147)
        let full = try knoxFixture("chicago_arson_full_precision.csv")
        let f = Knox.observed(x: full.x, y: full.y, days: full.t, bands: Self.chicagoBands)
        #expect(f[2][3] == 141 && f[3][3] == 233)
        let rc = KnoxBands(spaceBand: 200, spaceBands: 3, timeBand: 1, timeBands: 3, distance: .manhattan, edges: .rightClosed)
        let g = Knox.observed(x: x, y: y, days: t, bands: rc)
        #expect(g == bruteForce(x, y, t, rc))
        #expect(g[2].reduce(0, +) == 145 && g[3].reduce(0, +) == 239)
    }

    /// The calculator's mean expected counts (99 iterations) against ours (999, seeded): every cell within
    /// 4 Monte-Carlo standard errors of the calculator's, using the binomial-like SE √(E/99 + E/999).
    /// Also the exact expectation N_r·N_c/pairs agrees with both.
    @Test func expectedCountsAgreeWithTheCalculatorWithinMonteCarloError() throws {
        let (x, y, t) = try knoxFixture("chicago_arson_nrc_source.csv")
        let nrcMean: [[Double]] = [
            [0.0101010101010101, 0.0707070707070707, 0.0909090909090909, 9.82828282828283],
            [0.121212121212121, 0.272727272727273, 0.252525252525253, 55.3535353535354],
            [0.343434343434343, 0.767676767676768, 0.838383838383838, 142.050505050505],
            [0.777777777777778, 1.16161616161616, 1.35353535353535, 236.707070707071],
            [410.747474747475, 710.727272727273, 768.464646464646, 133_641.060606061],
        ]
        let r = Knox.test(x: x, y: y, days: t, bands: Self.chicagoBands, permutations: 999, seed: 20_160_101)
        for i in 0 ..< 5 { for j in 0 ..< 4 {
            let e = r.analyticExpected[i][j]
            let se = max((e / 99 + e / 999).squareRoot(), 0.05)
            #expect(abs(r.expected[i][j] - nrcMean[i][j]) < 4 * se, "cell \(i),\(j)")
            #expect(abs(r.expected[i][j] - e) < 4 * max((e / 999).squareRoot(), 0.02), "cell \(i),\(j)")
        } }
        // The calculator's significance for the clearest near-repeat cells: p = 0.01 with 99 iterations,
        // i.e. no permutation reached the observed count. With 999, P(Poisson(0.34) ≥ 4) ≈ 5e-4 and
        // P(Poisson(0.78) ≥ 6) ≈ 2e-4 allow a permutation or two to reach them: p ≤ 0.005.
        #expect(r.p[1][0] == 0.001 && r.p[0][1] <= 0.005 && r.p[2][0] <= 0.005 && r.p[3][0] <= 0.005)
        // And the calculator's "not significant" cells stay so: row 5 column 2 (p 0.84), row 2 column 2 (0.27).
        #expect(r.p[4][1] > 0.5 && r.p[1][1] > 0.1)
        #expect(r.p[0][0] == 1) // observed 0: every permutation is ≥ 0
        #expect(abs(r.ratio[1][0] - 9 / r.expected[1][0]) < 1e-12)
    }

    /// pointpats 2.5.5 `Knox` on the Burkitt lymphoma data (values in Fixtures/REFERENCES.md): with
    /// (lo, hi] edges its "close in space and time" count NST is rows 0–1 × column 0; NS and NT are the
    /// row and column totals; its analytic expectation is NS·NT/pairs.
    @Test(arguments: [(20.0, 5.0, [[13, 3416], [39, 14110]], 10.143816133803618),
                      (20.0, 30.0, [[54, 3375], [175, 13974]], 44.671805666173626),
                      (10.0, 60.0, [[40, 1122], [396, 16020]], 28.821936511548525),
                      (5.0, 180.0, [[41, 319], [1297, 15921]], 27.402434861759016)])
    func countsEqualPointpatsKnoxOnBurkitt(delta: Double, tau: Double, pointpats: [[Int]], enst: Double) throws {
        let (x, y, t) = try knoxFixture("burkitt_pointpats.csv")
        #expect(x.count == 188)
        let b = KnoxBands(spaceBand: delta, spaceBands: 1, timeBand: tau, timeBands: 1, distance: .euclidean, edges: .rightClosed)
        let r = Knox.test(x: x, y: y, days: t, bands: b, permutations: 0, seed: 0)
        let o = r.observed
        let nst = o[0][0] + o[1][0]
        #expect(nst == pointpats[0][0])
        #expect(o[0][1] + o[1][1] == pointpats[0][1])
        #expect(o[2][0] == pointpats[1][0])
        #expect(o[2][1] == pointpats[1][1])
        #expect(abs(r.analyticExpected[0][0] + r.analyticExpected[1][0] - enst) < 1e-9)
    }

    /// The bucketed count equals the all-pairs count on random data with many exact ties (integer
    /// coordinates and days), for both distances and both edge rules.
    @Test(arguments: KnoxDistance.allCases, KnoxBandEdges.allCases)
    func bucketedCountsEqualAllPairs(distance: KnoxDistance, edges: KnoxBandEdges) {
        var g = SeededGenerator(seed: 7)
        let n = 700
        let x = (0 ..< n).map { _ in Double(g.next() % 3000) }, y = (0 ..< n).map { _ in Double(g.next() % 2000) }
        let t = (0 ..< n).map { _ in Double(g.next() % 90) }
        let b = KnoxBands(spaceBand: 100, spaceBands: 4, timeBand: 7, timeBands: 3, distance: distance, edges: edges)
        #expect(Knox.observed(x: x, y: y, days: t, bands: b) == bruteForce(x, y, t, b))
    }

    /// A seed repeats exactly; a different seed gives different simulated counts.
    @Test func seededPermutationsRepeatExactly() throws {
        let (x, y, t) = try knoxFixture("chicago_arson_nrc_source.csv")
        let a = Knox.test(x: x, y: y, days: t, bands: Self.chicagoBands, permutations: 50, seed: 3)
        let b = Knox.test(x: x, y: y, days: t, bands: Self.chicagoBands, permutations: 50, seed: 3)
        let c = Knox.test(x: x, y: y, days: t, bands: Self.chicagoBands, permutations: 50, seed: 4)
        #expect(a.expected == b.expected && a.p == b.p)
        #expect(a.expected != c.expected)
    }

    /// Band semantics by hand: values on an edge go up with [lo, hi) and down with (lo, hi].
    @Test func bandEdgesFollowTheStatedRule() {
        let l = KnoxBands(spaceBand: 200, spaceBands: 3, timeBand: 1, timeBands: 3)
        #expect(l.row(distance: 0) == 0 && l.row(distance: 0.1) == 1 && l.row(distance: 200) == 2 && l.row(distance: 599.9) == 3 && l.row(distance: 600) == 4)
        #expect(l.column(days: 0) == 0 && l.column(days: 1) == 1 && l.column(days: 2.5) == 2 && l.column(days: 3) == 3)
        let r = KnoxBands(spaceBand: 200, spaceBands: 3, timeBand: 1, timeBands: 3, edges: .rightClosed)
        #expect(r.row(distance: 200) == 1 && r.row(distance: 600) == 3 && r.row(distance: 600.01) == 4)
        #expect(r.column(days: 0) == 0 && r.column(days: 1) == 0 && r.column(days: 1.5) == 1 && r.column(days: 3) == 2 && r.column(days: 4) == 3)
        #expect(l.rowLabels == ["same location (0 m)", "(0, 200) m", "[200, 400) m", "[400, 600) m", "more than: >= 600 m"])
    }
}
