import Foundation
import Testing
@testable import PlaceRiskCore

/// Brute-force oracle: every cell × every point, no window, no truncation (O(n · cells)).
func bruteForceKDE(x: [Double], y: [Double], w: [Double]?, grid: Grid, kernel: Kernel, bandwidths: [Double]? = nil) -> [Double] {
    var out = [Double](repeating: 0, count: grid.cellCount)
    for r in 0 ..< grid.nrows {
        for c in 0 ..< grid.ncols {
            let cx = grid.centreX(col: c), cy = grid.centreY(row: r)
            var s = 0.0
            for i in x.indices {
                let k = bandwidths.map { try! Kernel(kernel.shape, bandwidth: $0[i]) } ?? kernel
                let dx = cx - x[i], dy = cy - y[i]
                s += (w?[i] ?? 1) * k.value(squaredDistance: dx * dx + dy * dy)
            }
            out[r * grid.ncols + c] = s
        }
    }
    return out
}

/// max |a − b| relative to max |b|.
func relativeMaxDiff(_ a: [Double], _ b: [Double]) -> Double {
    let peak = b.map(abs).max() ?? 0
    return zip(a, b).map { abs($0 - $1) }.max()! / max(peak, .leastNormalMagnitude)
}

@Suite("Kernel density")
struct KernelDensityTests {
    /// ∫ K = 1 over the plane: radial Simpson rule ∫₀^R K(d) 2πd dd with 20,000 intervals.
    @Test(arguments: KernelShape.allCases)
    func everyKernelIntegratesToOne(shape: KernelShape) throws {
        let k = try Kernel(shape, bandwidth: 750)
        let R = shape.isCompact ? k.bandwidth : k.bandwidth * 12
        let m = 20_000, h = R / Double(m)
        var s = 0.0
        // The endpoint is taken as the left limit (the uniform kernel jumps to 0 at d = r).
        let at = { (i: Int) -> Double in min(Double(i) * h, R * (1 - 1e-15)) }
        for i in 0 ... m {
            let d = at(i)
            let f = k.value(squaredDistance: d * d) * 2 * Double.pi * d
            s += f * (i == 0 || i == m ? 1 : (i % 2 == 1 ? 4 : 2))
        }
        #expect(abs(s * h / 3 - 1) < 1e-9)
        // And the per-axis SD conversion: ∫ d² K = 2σ² (hand-derived in KernelShape.unitPerAxisSD).
        var m2 = 0.0
        for i in 0 ... m {
            let d = at(i)
            let f = d * d * k.value(squaredDistance: d * d) * 2 * Double.pi * d
            m2 += f * (i == 0 || i == m ? 1 : (i % 2 == 1 ? 4 : 2))
        }
        #expect(abs((m2 * h / 3).squareRoot() / 2.0.squareRoot() - k.perAxisStandardDeviation) < 1e-6 * k.bandwidth)
    }

    /// The fast windowed estimator equals the brute-force sum to 1e-12 relative, for every kernel,
    /// with weights, narrow and wide bandwidths, and points inside, on the edge and outside the grid.
    @Test(arguments: KernelShape.allCases)
    func fastPathEqualsBruteForce(shape: KernelShape) throws {
        var rng = SeededGenerator(seed: 2024)
        let g = try Grid(xmin: 1000, ymin: 5000, cell: 100, ncols: 37, nrows: 29)
        let n = 400
        let x = (0 ..< n).map { _ in Double.random(in: 500 ... 5200, using: &rng) }
        let y = (0 ..< n).map { _ in Double.random(in: 4600 ... 8300, using: &rng) }
        let w = (0 ..< n).map { _ in Double.random(in: 0.5 ... 3, using: &rng) }
        for bw in [30.0, 100, 250, 777] {
            let k = try Kernel(shape, bandwidth: bw)
            for workers in [1, 3] {
                let fast = KernelDensity.estimate(x: x, y: y, weights: w, grid: g, kernel: k, workers: workers)
                let slow = bruteForceKDE(x: x, y: y, w: w, grid: g, kernel: k)
                #expect(relativeMaxDiff(fast, slow) < 1e-12, "bandwidth \(bw), workers \(workers)")
            }
        }
        // Per-point (adaptive) bandwidths take the same path.
        let bws = (0 ..< n).map { _ in Double.random(in: 60 ... 400, using: &rng) }
        let k = try Kernel(shape, bandwidth: 100)
        let fast = KernelDensity.estimate(x: x, y: y, weights: w, grid: g, kernel: k, bandwidths: bws)
        #expect(relativeMaxDiff(fast, bruteForceKDE(x: x, y: y, w: w, grid: g, kernel: k, bandwidths: bws)) < 1e-12)
    }

    /// Peer oracle: the exact "direct" sum of ../shared/peers/kde.py on the peers' 10k weighted
    /// points, grid 350000,370000,400,200,150, in expected weight per m² — to 1e-9 relative.
    @Test(arguments: [("gaussian", 500.0), ("gaussian", 1500.0), ("quartic", 500.0), ("quartic", 1500.0)])
    func equalsPeersDirectSum(kernel: String, bandwidth: Double) throws {
        let pts = simpleCSV(try fixture("points_n10k.csv")).dropFirst()
        let x = pts.map { Double($0[1])! }, y = pts.map { Double($0[2])! }, w = pts.map { Double($0[3])! }
        let g = try Grid(spec: "350000,370000,400,200,150")
        let oracle = simpleCSV(try fixture("kde_n10k_\(kernel)_h\(Int(bandwidth)).csv")).flatMap { $0.map { Double($0)! } }
        #expect(oracle.count == 30_000)
        let k = try Kernel(KernelShape(rawValue: kernel)!, bandwidth: bandwidth)
        let ours = KernelDensity.estimate(x: x, y: y, weights: w, grid: g, kernel: k)
        let peak = oracle.max()!
        #expect(relativeMaxDiff(ours, oracle) < 1e-9)
        // Per cell, wherever the density is at least 1e-3 of the peak (far below that, the Gaussian's
        // documented truncation at 1e-12 of each point's mass is of the same order as the tolerance).
        for i in oracle.indices where oracle[i] > 1e-3 * peak {
            #expect(abs(ours[i] - oracle[i]) <= 1e-9 * oracle[i], "cell \(i)")
        }
    }

    @Test func unitsScaleThePerSquareMetreSurface() {
        #expect(DensityUnits.perSquareKilometre.factor(cellArea: 160_000) == 1e6)
        #expect(DensityUnits.perSquareMetre.factor(cellArea: 160_000) == 1)
        #expect(DensityUnits.countPerCell.factor(cellArea: 160_000) == 160_000)
    }

    @Test func badBandwidthsAreTypedErrors() {
        #expect(throws: KernelDensityError.nonPositiveBandwidth(0)) { try Kernel(.quartic, bandwidth: 0) }
        #expect(throws: KernelDensityError.nonPositiveBandwidth(-5)) { try Kernel(.gaussian, bandwidth: -5) }
        #expect(throws: KernelDensityError.self) { try Kernel(.gaussian, bandwidth: .nan) }
    }

    /// Hand calculation: the four corners of a 2 m square. Mean centre (1, 1); every distance √2, so
    /// SD = Dm = √2 and r = 0.9 · min(√2, √(1/ln 2)·√2) · 4^(−0.2) = 0.9·√2·0.757858283 = 0.964600…;
    /// σ = r/√8. Scott: s_x = s_y = 1, σ = 4^(−1/6) = 0.793700526. spatstat: 60/8 = 7.5.
    @Test func bandwidthRulesMatchHandCalculations() throws {
        let x = [0.0, 2, 0, 2], y = [0.0, 0, 2, 2]
        let box = BoundingBox(minX: 0, minY: 0, maxX: 100, maxY: 60)
        let sil = try BandwidthRule.spatialSilverman.perAxisSD(x: x, y: y, weights: nil, window: box)
        #expect(abs(sil * 8.0.squareRoot() - 0.9 * 2.0.squareRoot() * 0.757858283255199) < 1e-12)
        let scott = try BandwidthRule.scott.perAxisSD(x: x, y: y, weights: nil, window: box)
        #expect(abs(scott - 0.7937005259840998) < 1e-12)
        #expect(try BandwidthRule.spatstatShortSide.perAxisSD(x: x, y: y, weights: nil, window: box) == 7.5)
        // Weights act as counts: weight 2 on a point equals the point listed twice.
        let a = try BandwidthRule.spatialSilverman.perAxisSD(x: [0, 2, 5], y: [0, 1, 3], weights: [2, 1, 1], window: box)
        let b = try BandwidthRule.spatialSilverman.perAxisSD(x: [0, 0, 2, 5], y: [0, 0, 1, 3], weights: nil, window: box)
        #expect(abs(a - b) < 1e-12)
        #expect(throws: KernelDensityError.degenerateSpread) {
            try BandwidthRule.spatialSilverman.perAxisSD(x: [5, 5], y: [1, 1], weights: nil, window: box)
        }
        let quartic = try Kernel.matching(.quartic, perAxisSD: 100)
        #expect(abs(quartic.bandwidth - 100 * 8.0.squareRoot()) < 1e-9)
    }

    /// Half-plane check with a Gaussian (h = Δ): at the cell centre next to a straight mask edge
    /// (Δ/2 inside), e = Φ(0.5) = 0.6914624612740131 (standard normal CDF); deep inside, e = 1.
    @Test func edgeCorrectionMatchesTheHalfPlaneIntegral() throws {
        let g = try Grid(xmin: 0, ymin: 0, cell: 100, ncols: 40, nrows: 40)
        let mask = (0 ..< g.cellCount).map { $0 % 40 >= 20 }
        let e = try EdgeCorrection.factors(mask: mask, grid: g, kernel: try Kernel(.gaussian, bandwidth: 100))
        #expect(abs(e[20 * 40 + 20] - 0.6914624612740131) < 1e-12)
        #expect(abs(e[20 * 40 + 32] - 1) < 1e-12)
        #expect(e[20 * 40 + 5].isNaN)
        let corrected = EdgeCorrection.apply([Double](repeating: 2, count: g.cellCount), factors: e)
        #expect(abs(corrected[20 * 40 + 20] - 2 / 0.6914624612740131) < 1e-11)
        #expect(throws: KernelDensityError.emptyStudyArea) {
            try EdgeCorrection.factors(mask: [Bool](repeating: false, count: g.cellCount), grid: g, kernel: try Kernel(.quartic, bandwidth: 100))
        }
    }

    /// Quartic (r = 300 m = 3Δ): along one axis its marginal density is f(x) = 16/(5πr)·(1 − x²/r²)^{5/2}
    /// (hand-integrated over y), so at Δ/2 = 50 m from a straight edge e = 1 − ∫₅₀^r f, computed here
    /// by 1-D Simpson — independent of the 2-D midpoint rule being tested.
    @Test func quarticEdgeCorrectionMatchesTheMarginalIntegral() throws {
        let g = try Grid(xmin: 0, ymin: 0, cell: 100, ncols: 30, nrows: 30)
        let mask = (0 ..< g.cellCount).map { $0 % 30 >= 15 }
        let e = try EdgeCorrection.factors(mask: mask, grid: g, kernel: try Kernel(.quartic, bandwidth: 300))
        let r = 300.0, a = 50.0, m = 20_000, h = (r - a) / Double(m)
        var s = 0.0
        for i in 0 ... m {
            let x = a + Double(i) * h
            let f = 16 / (5 * Double.pi * r) * pow(max(0, 1 - x * x / (r * r)), 2.5)
            s += f * (i == 0 || i == m ? 1 : (i % 2 == 1 ? 4 : 2))
        }
        let expected = 1 - s * h / 3
        #expect(abs(e[15 * 30 + 15] - expected) < 2e-4)
        #expect(abs(e[15 * 30 + 25] - 1) < 2e-4)
    }

    @Test func dualRatioIsUndefinedWhereTheDenominatorIsZero() {
        let r = KernelDensity.ratio([1, 2, 3], [2, 0, 0.5])
        #expect(r[0] == 0.5 && r[1].isNaN && r[2] == 6)
    }

    /// Abramson: λ̃ at the points equals a brute-force double loop, and h_i = h₀·√(g/λ̃_i) with g the
    /// geometric mean (so the geometric mean of (h₀/h_i)² is 1).
    @Test func abramsonBandwidthsFollowTheSquareRootLaw() throws {
        var rng = SeededGenerator(seed: 11)
        let x = (0 ..< 300).map { _ in Double.random(in: 0 ... 3000, using: &rng) }
        let y = (0 ..< 300).map { i in i < 150 ? Double.random(in: 0 ... 300, using: &rng) : Double.random(in: 0 ... 3000, using: &rng) }
        let pilot = try Kernel(.quartic, bandwidth: 400)
        let lam = AdaptiveBandwidth.pointDensity(x: x, y: y, weights: nil, kernel: pilot)
        for i in stride(from: 0, to: 300, by: 17) {
            var s = 0.0
            for j in 0 ..< 300 { let dx = x[i] - x[j], dy = y[i] - y[j]; s += pilot.value(squaredDistance: dx * dx + dy * dy) }
            #expect(abs(lam[i] - s) <= 1e-12 * s)
        }
        let h = AdaptiveBandwidth.abramson(x: x, y: y, weights: nil, pilot: pilot)
        let meanLog = h.map { log(pow(400 / $0, 2)) }.reduce(0, +) / 300
        #expect(abs(meanLog) < 1e-12)
        let knn = AdaptiveBandwidth.kNearest(x: x, y: y, k: 5, minimum: 1)
        for i in stride(from: 0, to: 300, by: 13) {
            let d = (0 ..< 300).filter { $0 != i }.map { j in ((x[i] - x[j]) * (x[i] - x[j]) + (y[i] - y[j]) * (y[i] - y[j])).squareRoot() }.sorted()
            #expect(knn[i] == max(1, d[4]))
        }
    }
}
