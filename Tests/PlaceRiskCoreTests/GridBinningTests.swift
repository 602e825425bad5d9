import Testing
@testable import PlaceRiskCore

@Suite("Grid binning (aggregation core kernel)")
struct GridBinningTests {
    /// Naive oracle: one point at a time through `Grid.cellID`, into a dictionary.
    func naive(_ x: [Double], _ y: [Double], _ w: [Double], _ g: Grid) -> (counts: [Int32], sums: [Double], outside: Int) {
        var c = [Int32](repeating: 0, count: g.cellCount), s = [Double](repeating: 0, count: g.cellCount), o = 0
        for i in x.indices {
            if let id = g.cellID(x: x[i], y: y[i]) { c[id] += 1; s[id] += w[i] } else { o += 1 }
        }
        return (c, s, o)
    }

    @Test(arguments: [1, 2, 3])
    func fastPathEqualsNaiveOracleOnRandomPoints(workers: Int) throws {
        var rng = SplitMix64(seed: UInt64(42 + workers))
        let g = try Grid(xmin: 200_000, ymin: 50_000, cell: 250, ncols: 37, nrows: 23)
        let n = 300_000
        var x = [Double](), y = [Double](), w = [Double]()
        for i in 0 ..< n {
            // Mostly inside, some outside, some exactly on edges, a few NaN.
            if i % 97 == 0 { x.append(g.xmax); y.append(g.ymin + Double(i % 23) * 250) }
            else if i % 1013 == 0 { x.append(.nan); y.append(60_000) }
            else {
                x.append(Double.random(in: 199_000 ... 210_500, using: &rng))
                y.append(Double.random(in: 49_000 ... 56_000, using: &rng))
            }
            w.append(Double(Int.random(in: 1 ... 5, using: &rng)) / 2)
        }
        let ref = naive(x, y, w, g)
        let c = GridBinning.counts(x: x, y: y, grid: g, workers: workers)
        #expect(c.counts == ref.counts)
        #expect(c.outside == ref.outside)
        #expect(c.inside + c.outside == n)
        let ws = GridBinning.weightedSums(x: x, y: y, weights: w, grid: g, workers: workers)
        #expect(ws.counts == ref.counts)
        // Halves of small integers: sums are exact in any order.
        #expect(ws.sums == ref.sums)
        #expect(ws.outside == ref.outside)
        let ids = GridBinning.cellIDs(x: x, y: y, grid: g)
        #expect(ids.filter { $0 < 0 }.count == ref.outside)
    }

    /// Peer oracle: numpy.histogram2d counts and weighted sums on the peers' 10k synthetic points
    /// (../shared/peers/oracles/counts_n10k_200x150.csv, wcounts_…; grid 350000,370000,400,200,150).
    @Test func equalsNumpyHistogram2dOnPeers10kPoints() throws {
        let pts = simpleCSV(try fixture("points_n10k.csv")).dropFirst()
        let x = pts.map { Double($0[1])! }, y = pts.map { Double($0[2])! }, w = pts.map { Double($0[3])! }
        let g = try Grid(spec: "350000,370000,400,200,150")
        let expected = simpleCSV(try fixture("counts_n10k_200x150.csv")).flatMap { $0.map { Int32($0)! } }
        let expectedW = simpleCSV(try fixture("wcounts_n10k_200x150.csv")).flatMap { $0.map { Double($0)! } }
        #expect(expected.count == 30_000)
        let c = GridBinning.counts(x: x, y: y, grid: g)
        #expect(c.counts == expected)
        #expect(c.outside == 0)
        #expect(c.counts.max() == 69) // bin_n10k_200x150_summary.json: max_count
        #expect(c.counts.filter { $0 == 0 }.count == 25_008) // … empty_cells
        let ws = GridBinning.weightedSums(x: x, y: y, weights: w, grid: g)
        for i in 0 ..< 30_000 { #expect(abs(ws.sums[i] - expectedW[i]) <= 1e-9 * max(1, abs(expectedW[i]))) }
        #expect(abs(ws.sums.reduce(0, +) - 13_947.5) < 1e-6) // … weight_total_inside
    }
}
