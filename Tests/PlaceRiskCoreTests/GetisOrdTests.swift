import Foundation
import Testing
@testable import PlaceRiskCore

/// Reads a PySAL .gal file (header line, then "id k" / "neighbour ids" pairs) into SpatialWeights,
/// ids mapped to positions in file order (a tiny independent parser for the reference tests).
func readGAL(_ text: String) -> (ids: [String], weights: SpatialWeights) {
    let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { $0.split(separator: " ").map(String.init) }
    var ids: [String] = [], lists: [[String]] = []
    var i = 1
    while i + 1 < lines.count || (i < lines.count && lines[i].count == 2 && lines[i][1] == "0") {
        ids.append(lines[i][0])
        let k = Int(lines[i][1])!
        if k == 0 { lists.append([]); i += 1; if i < lines.count, lines[i].isEmpty { i += 1 }; continue }
        lists.append(lines[i + 1])
        i += 2
    }
    let pos = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
    return (ids, SpatialWeights(neighbourLists: lists.map { $0.map { pos[$0]! } }))
}

/// Naive Gi*: explicit w_ij from centre distances for every pair (O(n²)).
func naiveGiStar(_ x: [Double], grid g: Grid, band: Double, inverse: Bool) -> [Double] {
    let n = x.count, nd = Double(n)
    let mean = x.reduce(0, +) / nd
    let sd = (x.map { $0 * $0 }.reduce(0, +) / nd - mean * mean).squareRoot()
    return (0 ..< n).map { i in
        let ri = i / g.ncols, ci = i % g.ncols
        var lag = 0.0, w = 0.0, w2 = 0.0
        for j in 0 ..< n {
            let rj = j / g.ncols, cj = j % g.ncols
            let dc = Double((ri - rj) * (ri - rj) + (ci - cj) * (ci - cj)).squareRoot()
            guard dc * g.cell <= band + 1e-9 else { continue }
            let wij = inverse && i != j ? 1 / dc : 1
            lag += wij * x[j]; w += wij; w2 += wij * wij
        }
        return (lag - mean * w) / (sd * ((nd * w2 - w * w) / (nd - 1)).squareRoot())
    }
}

@Suite("Getis-Ord Gi*")
struct GetisOrdTests {
    func peersCounts(weighted: Bool) throws -> (Grid, [Double]) {
        let pts = simpleCSV(try fixture("points_n10k.csv")).dropFirst()
        let x = pts.map { Double($0[1])! }, y = pts.map { Double($0[2])! }, w = pts.map { Double($0[3])! }
        let g = try Grid(spec: "350000,370000,400,200,150")
        let v = weighted ? GridBinning.weightedSums(x: x, y: y, weights: w, grid: g).sums
                         : GridBinning.counts(x: x, y: y, grid: g).counts.map(Double.init)
        return (g, v)
    }

    /// Peer oracle: ../shared/peers/gistar.py (numpy stencil; equal to esda G_Local star/B to 1.4e-14)
    /// on the peers' 10k points binned to 200×150 cells of 400 m, bands 1000 and 1200 m, counts and
    /// weighted sums — to 1e-9.
    @Test(arguments: [("gistar_n10k_band1000_z.csv", 1000.0, false), ("gistar_n10k_band1200_z.csv", 1200.0, false),
                      ("gistar_n10k_band1000_weighted_z.csv", 1000.0, true)])
    func gridStencilEqualsPeers(file: String, band: Double, weighted: Bool) throws {
        let (g, v) = try peersCounts(weighted: weighted)
        let oracle = simpleCSV(try fixture(file)).flatMap { $0.map { Double($0)! } }
        let r = try GetisOrd.grid(v, grid: g, band: band)
        #expect(oracle.count == 30_000)
        #expect(zip(r.z, oracle).map { abs($0 - $1) }.max()! < 1e-9)
        if !weighted, band == 1000 {
            // gistar_n10k_band1000_summary.json: z_max 73.12032178226865, 1666 cells with z > 1.96.
            #expect(abs(r.z.max()! - 73.12032178226865) < 1e-9)
            #expect(r.z.filter { $0 > 1.96 }.count == 1666)
        }
    }

    @Test(arguments: [false, true])
    func stencilEqualsNaivePairwiseSum(inverse: Bool) throws {
        var rng = SeededGenerator(seed: 3)
        let g = try Grid(xmin: 0, ymin: 0, cell: 50, ncols: 23, nrows: 17)
        let x = (0 ..< g.cellCount).map { _ in Double(Int.random(in: 0 ... 6, using: &rng)) }
        for band in [50.0, 75, 120, 260] {
            let fast = try GetisOrd.grid(x, grid: g, band: band, weighting: inverse ? .inverseDistance : .binary)
            let slow = naiveGiStar(x, grid: g, band: band, inverse: inverse)
            #expect(zip(fast.z, slow).map { abs($0 - $1) }.max()! < 1e-10, "band \(band)")
        }
    }

    /// Columbus (Anselin 1988) CRIME with binary queen weights from columbus.gal plus self:
    /// reference_getis_ord_gi_star_binary_queen.csv (libpysal/esda, verified by the dataset's README
    /// against the closed form) — all 49 z to 1e-6.
    @Test func columbusMatchesTheReferenceTable() throws {
        let (ids, w) = readGAL(try fixture("columbus.gal"))
        #expect(ids.count == 49)
        let rows = simpleCSV(try fixture("reference_getis_ord_gi_star_binary_queen.csv")).dropFirst()
        var crime: [String: Double] = [:], zref: [String: Double] = [:]
        for r in rows { crime[r[0]] = Double(r[1])!; zref[r[0]] = Double(r[2])! }
        let r = try GetisOrd.units(ids.map { crime[$0]! }, weights: w)
        for (k, id) in ids.enumerated() { #expect(abs(r.z[k] - zref[id]!) < 1e-6, "POLYID \(id)") }
    }

    @Test func degenerateInputsAreTypedErrors() throws {
        let g = try Grid(xmin: 0, ymin: 0, cell: 100, ncols: 4, nrows: 4)
        #expect(throws: GiStarError.zeroVariance(n: 16, value: 2)) { try GetisOrd.grid([Double](repeating: 2, count: 16), grid: g, band: 150) }
        #expect(throws: GiStarError.bandTooSmall(band: 50, cell: 100)) { try GetisOrd.grid((0 ..< 16).map(Double.init), grid: g, band: 50) }
        #expect(throws: GiStarError.tooFewUnits(2)) { try GetisOrd.units([1, 2], weights: SpatialWeights(neighbourLists: [[1], [0]])) }
    }
}

@Suite("p-values, FDR and bins")
struct MultipleTestingTests {
    /// Hand calculation: p = (0.01, 0.04, 0.03, 0.5) → sorted 0.01, 0.03, 0.04, 0.5;
    /// q = (min(4·0.01, …) = 0.04, 4/3·0.04 = 0.0533…, min(2·0.03, 0.0533…) = 0.0533…, 0.5).
    @Test func benjaminiHochbergByHand() {
        let q = MultipleTesting.benjaminiHochberg([0.01, 0.04, 0.03, 0.5, .nan])
        #expect(abs(q[0] - 0.04) < 1e-15 && abs(q[1] - 0.16 / 3) < 1e-15 && abs(q[2] - 0.16 / 3) < 1e-15 && q[3] == 0.5 && q[4].isNaN)
    }

    /// scipy.stats.false_discovery_control as recorded in ../shared/peers/oracles/corr_areas_n10k_20x20_rate.json
    /// ('p_bh': BH over the 9 y columns, per method) — to 1e-12 relative.
    @Test func benjaminiHochbergEqualsScipy() throws {
        let url = Bundle.module.url(forResource: "Fixtures/corr_areas_n10k_20x20_rate.json", withExtension: nil)!
        let d = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let results = d["results"] as! [[String: Any]]
        for method in ["pearson", "spearman", "kendall_tau_b"] {
            let p = results.map { ($0[method] as! [String: Any])["p"] as! Double }
            let expected = results.map { ($0[method] as! [String: Any])["p_bh"] as! Double }
            let q = MultipleTesting.benjaminiHochberg(p)
            for i in q.indices { #expect(abs(q[i] - expected[i]) <= 1e-12 * expected[i], "\(method) \(i)") }
        }
    }

    @Test func binsFollowArcGISCutOffsAndFDRShrinksThem() {
        // Two-sided p for z = 1.7, 2.0, 2.6, −3.0: 0.0891, 0.0455, 0.00932, 0.0027 (normal table).
        let z = [1.7, 2.0, 2.6, -3.0, 0.3]
        let p = z.map(MultipleTesting.twoSidedP)
        #expect(abs(p[0] - 0.08913092551708608) < 1e-12 && abs(p[3] - 0.0026997960632601866) < 1e-12)
        #expect(ConfidenceBin.bins(z: z, p: p, fdr: false) == [1, 2, 3, -3, 0])
        // BH with m = 5: q = (0.1114, 0.0758, 0.0233, 0.0135, 0.764) → bins 0, 1, 2, −2, 0.
        #expect(ConfidenceBin.bins(z: z, p: p, fdr: true) == [0, 1, 2, -2, 0])
    }
}
