import Testing
@testable import PlaceRiskCore

@Suite("Compact kernels in padded windows")
struct CompactKernelWindowsTests {
    /// The padded-window path equals the per-point path **bit for bit** (not merely to a tolerance), for
    /// every compact kernel. The reference is the per-point path of the previous release, reached here by
    /// giving every point the same bandwidth through `bandwidths:` (the adaptive route, which never takes
    /// the padded windows): same terms, same order, so any difference in the last bit is a failure.
    /// Points lie inside the grid, on its edges and corners, beyond it within and out of reach; weights
    /// include negative, zero and NaN ones and coordinates NaN; bandwidths run from below half a cell to
    /// a window of 60 cells, and 70 cells (wider than `maximumSide`: the per-point path itself).
    @Test(arguments: [KernelShape.quartic, .epanechnikov, .uniform, .triangular])
    func paddedWindowsEqualThePerPointPathBitForBit(shape: KernelShape) throws {
        var rng = SeededGenerator(seed: 20261201)
        let g = try Grid(xmin: 1000, ymin: 5000, cell: 100, ncols: 37, nrows: 29)
        let n = 600
        var x = (0 ..< n).map { _ in Double.random(in: 300 ... 5400, using: &rng) }
        var y = (0 ..< n).map { _ in Double.random(in: 4300 ... 8600, using: &rng) }
        var w = (0 ..< n).map { _ in Double.random(in: -1 ... 3, using: &rng) }
        // Exactly on the grid's corners and edges, on cell centres and on cell boundaries.
        let special: [(Double, Double)] = [(1000, 5000), (4700, 7900), (1000, 7900), (4700, 5000), (1050, 5050), (2000, 6000), (2050, 6050), (4650, 7850)]
        for (i, p) in special.enumerated() { x[i] = p.0; y[i] = p.1 }
        w[10] = 0; w[11] = .nan; x[12] = .nan; y[13] = .infinity
        for bw in [30.0, 100, 250, 375, 400, 777, 3000, 3500] {
            let k = try Kernel(shape, bandwidth: bw)
            let same = [Double](repeating: bw, count: n)
            // Unweighted too: the windows then take the factor of weight 1 once, not per point.
            for (weights, label) in [(Optional(w), "weighted"), (nil, "unweighted")] {
                for workers in [1, 3] {
                    let fast = KernelDensity.estimate(x: x, y: y, weights: weights, grid: g, kernel: k, workers: workers)
                    let perPoint = KernelDensity.estimate(x: x, y: y, weights: weights, grid: g, kernel: k, bandwidths: same, workers: workers)
                    let differing = zip(fast, perPoint).filter { $0.bitPattern != $1.bitPattern }.count
                    #expect(differing == 0, "bandwidth \(bw), \(label), workers \(workers): \(differing) cells differ")
                }
            }
        }
    }

    /// The window's shape from the support radius: at most ⌊2R/Δ⌋ + 1 cell centres lie in [p − R, p + R]
    /// (hand count: R = 1500 m on 400 m cells spans 7.5 cells, so 8 centres; R = 5941 m on 500 m
    /// cells, the CLI's automatic bandwidth on the bundled 2020 data, spans 23.76 cells, so 24 centres
    /// in 3 chunks of 8 columns), and no padded window wider than 64 cells.
    @Test func windowShapeCountsTheCentresInTheSupport() {
        #expect(CompactKernelWindows.windowShape(supportRadius: 1500, cell: 400).map { $0.rows == 8 && $0.chunks == 1 } == true)
        #expect(CompactKernelWindows.windowShape(supportRadius: 5941, cell: 500).map { $0.rows == 24 && $0.chunks == 3 } == true)
        #expect(CompactKernelWindows.windowShape(supportRadius: 40, cell: 100).map { $0.rows == 1 && $0.chunks == 1 } == true)
        #expect(CompactKernelWindows.windowShape(supportRadius: 3100, cell: 100).map { $0.rows == 63 && $0.chunks == 8 } == true)
        #expect(CompactKernelWindows.windowShape(supportRadius: 3150, cell: 100) == nil)
        #expect(CompactKernelWindows.windowShape(supportRadius: .infinity, cell: 100) == nil)
    }

    /// The padding is added to the terms, which needs r² and 1/r² finite and normal: a bandwidth whose
    /// square overflows (1e200 m on 1e199 m cells: a window of 20 cells) or underflows (1e-170 m on
    /// 1e-171 m cells) is left to the per-point path (nil here), which clips every window itself.
    @Test func aBandwidthWhoseSquareIsNotNormalTakesThePerPointPath() throws {
        for (bw, cell) in [(1e200, 1e199), (1e-170, 1e-171)] {
            guard let g = try? Grid(xmin: 0, ymin: 0, cell: cell, ncols: 30, nrows: 30), let k = try? Kernel(.quartic, bandwidth: bw) else { continue }
            #expect(CompactKernelWindows.windowShape(supportRadius: bw, cell: cell) != nil)
            let x = [15 * cell], y = [15 * cell]
            let v = x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    CompactKernelWindows.estimate(x: xp, y: yp, w: UnsafeBufferPointer(start: nil, count: 0), grid: g, kernel: k, workers: 1)
                }
            }
            let tookTheWindows = v != nil
            #expect(!tookTheWindows, "bandwidth \(bw) on \(cell) m cells")
        }
    }

    /// Hand calculation: one point of weight 2 at (1130, 5270) on 100 m cells, quartic r = 250 m.
    /// The centre (1150, 5250) is at d² = 20² + 20² = 800 m², so λ = 2 · 3/(π · 62500) · (1 − 800/62500)²
    /// = 2.97804772789668e-5 per m²; the centre (1350, 5250) is at d² = 220² + 20² = 48,800 m², so
    /// λ = 2 · 3/(π · 62500) · (1 − 0.7808)² = 1.46825828444985e-6; the centre (1450, 5250) is beyond r: 0
    /// (values from Python: 6/(math.pi*62500)*(1-800/62500)**2).
    @Test func onePointMatchesTheHandCalculation() throws {
        let g = try Grid(xmin: 1000, ymin: 5000, cell: 100, ncols: 10, nrows: 10)
        let v = KernelDensity.estimate(x: [1130], y: [5270], weights: [2], grid: g, kernel: try Kernel(.quartic, bandwidth: 250), workers: 1)
        let c = 6 / (Double.pi * 62_500)
        #expect(abs(v[2 * 10 + 1] - c * (1 - 800.0 / 62_500) * (1 - 800.0 / 62_500)) < 1e-18)
        #expect(abs(v[2 * 10 + 1] - 2.97804772789668e-5) < 1e-18)
        #expect(abs(v[2 * 10 + 3] - 1.46825828444985e-6) < 1e-19)
        #expect(abs(v[2 * 10 + 3] - c * 0.2192 * 0.2192) < 1e-18)
        #expect(v[2 * 10 + 4] == 0)
        #expect(v.allSatisfy { $0 >= 0 })
    }
}
