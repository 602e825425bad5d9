import Testing
@testable import PlaceRiskCore

/// Points beyond the grid's edge count, and absurd sizes never trap.
@Suite("Kernel density: points beyond the grid, huge bandwidths and bands")
struct KernelDensityBeyondGridTests {
    static let grid = try! Grid(xmin: 1000, ymin: 2000, cell: 100, ncols: 20, nrows: 15)

    /// Random inside points plus, for each of the 4 edges and 4 corners, points at 0.2, 0.6, 0.95, 1.05
    /// and 2 support radii beyond the grid's rectangle (the last two out of reach of compact kernels).
    static func points(reach R: Double, seed: UInt64) -> (x: [Double], y: [Double], w: [Double]) {
        var rng = SeededGenerator(seed: seed)
        let g = grid
        var x: [Double] = [], y: [Double] = []
        for _ in 0 ..< 150 {
            x.append(Double.random(in: g.xmin ... g.xmax, using: &rng)); y.append(Double.random(in: g.ymin ... g.ymax, using: &rng))
        }
        let midX = (g.xmin + g.xmax) / 2 + 37, midY = (g.ymin + g.ymax) / 2 - 23
        for f in [0.2, 0.6, 0.95, 1.05, 2] {
            let o = f * R
            // Edges (west, east, south, north), off the middle, and corners (diagonal offsets).
            x += [g.xmin - o, g.xmax + o, midX, midX]; y += [midY, midY, g.ymin - o, g.ymax + o]
            let c = o / 2.0.squareRoot()
            x += [g.xmin - c, g.xmax + c, g.xmin - c, g.xmax + c]; y += [g.ymin - c, g.ymin - c, g.ymax + c, g.ymax + c]
        }
        let w = x.indices.map { _ in Double.random(in: 0.5 ... 2, using: &rng) }
        return (x, y, w)
    }

    /// Brute force over all points and all centres: does point i's kernel reach some cell centre?
    static func reaches(_ px: Double, _ py: Double, _ kernel: Kernel, bandwidth b: Double) -> Bool {
        let g = grid
        for r in 0 ..< g.nrows {
            for c in 0 ..< g.ncols {
                let dx = g.centreX(col: c) - px, dy = g.centreY(row: r) - py
                if kernel.shape.isCompact ? dx * dx + dy * dy < b * b : max(abs(dx), abs(dy)) <= b * Kernel.gaussianTruncation { return true }
            }
        }
        return false
    }

    /// A bandwidth shorter than the way from a point to its nearest centre leaves points inside the grid
    /// with no cell to add to: `pointsOutOfReachInsideGrid` equals a brute-force count, and from the
    /// shortest bandwidth reaching every point (hand values for 100 m cells: 100·√½ = 70.7107 m for the
    /// compact kernels, 100 / (2 · √(2 ln 10¹²)) = 6.72599 m for the Gaussian (Python: 100/2/math.sqrt(2*math.log(1e12)))) there are none.
    @Test(arguments: [KernelShape.quartic, .gaussian])
    func pointsInsideTheGridThatReachNoCentreAreCountedApart(shape: KernelShape) throws {
        let shortest = KernelDensity.shortestBandwidthReachingEveryPoint(shape: shape, cell: 100)
        #expect(abs(shortest - (shape.isCompact ? 70.71067811865476 : 6.7259949845051725)) < 1e-9)
        let (x, y, w) = Self.points(reach: 200, seed: 91)
        let g = Self.grid
        for factor in [0.5, 1.000001] {
            let kernel = try Kernel(shape, bandwidth: shortest * factor)
            let s = KernelDensity.surface(x: x, y: y, weights: w, grid: g, kernel: kernel)
            let inside = x.indices.filter { x[$0] >= g.xmin && x[$0] <= g.xmax && y[$0] >= g.ymin && y[$0] <= g.ymax }
            let notReaching = inside.filter { !Self.reaches(x[$0], y[$0], kernel, bandwidth: kernel.bandwidth) }.count
            #expect(s.pointsOutOfReachInsideGrid == notReaching, "\(s.pointsOutOfReachInsideGrid) vs brute force \(notReaching)")
            #expect(factor < 1 ? notReaching > 20 : notReaching == 0, "\(notReaching) at \(factor) × the shortest")
            #expect(s.pointsUsed + s.pointsOutOfReach + s.pointsSkipped == x.count)
        }
    }

    /// Every point within the support of a cell counts, inside the grid or not: the surface equals the
    /// brute-force sum over **all** points (fixed and adaptive bandwidths, quartic and Gaussian and the
    /// other kernels), and `pointsBeyondGrid` equals a brute-force count of outside points reaching a centre.
    @Test(arguments: KernelShape.allCases)
    func pointsJustBeyondEachEdgeAndCornerContribute(shape: KernelShape) throws {
        let kernel = try Kernel(shape, bandwidth: shape.isCompact ? 350 : 60)
        let (x, y, w) = Self.points(reach: kernel.supportRadius, seed: 77)
        let g = Self.grid
        let s = KernelDensity.surface(x: x, y: y, weights: w, grid: g, kernel: kernel)
        let brute = bruteForceKDE(x: x, y: y, w: w, grid: g, kernel: kernel)
        #expect(relativeMaxDiff(s.values, brute) < 1e-12)
        #expect(s.values == KernelDensity.estimate(x: x, y: y, weights: w, grid: g, kernel: kernel))
        let outside = x.indices.filter { !(x[$0] >= g.xmin && x[$0] <= g.xmax && y[$0] >= g.ymin && y[$0] <= g.ymax) }
        let beyond = outside.filter { Self.reaches(x[$0], y[$0], kernel, bandwidth: kernel.bandwidth) }.count
        #expect(s.pointsBeyondGrid == beyond && beyond >= 16, "\(s.pointsBeyondGrid) vs brute force \(beyond)")
        #expect(s.pointsUsed == 150 + beyond)
        #expect(s.pointsOutOfReach == outside.count - beyond && s.pointsSkipped == 0)
        // Without the outside points the edge cells lose mass: the brute-force sum over inside points differs.
        let inside = x.indices.filter { !outside.contains($0) }
        let clipped = bruteForceKDE(x: inside.map { x[$0] }, y: inside.map { y[$0] }, w: inside.map { w[$0] }, grid: g, kernel: kernel)
        #expect(relativeMaxDiff(clipped, brute) > 1e-3)

        // Adaptive (per-point) bandwidths: same account, brute force with each point's own kernel.
        var rng = SeededGenerator(seed: 5)
        let bws = x.indices.map { _ in Double.random(in: 0.5 ... 1.5, using: &rng) * kernel.bandwidth }
        let a = KernelDensity.surface(x: x, y: y, weights: w, grid: g, kernel: kernel, bandwidths: bws)
        #expect(relativeMaxDiff(a.values, bruteForceKDE(x: x, y: y, w: w, grid: g, kernel: kernel, bandwidths: bws)) < 1e-12)
        let beyondA = outside.filter { Self.reaches(x[$0], y[$0], kernel, bandwidth: bws[$0]) }.count
        #expect(a.pointsBeyondGrid == beyondA)
        // reachBox contains every contributing point.
        let box = KernelDensity.reachBox(grid: g, kernel: kernel, bandwidths: bws)
        for i in outside where Self.reaches(x[i], y[i], kernel, bandwidth: bws[i]) { #expect(box.contains(x: x[i], y: y[i])) }
    }

    /// The symptom: one incident 40 m beyond the west edge, level with a cell centre, quartic
    /// r = 500 m. The edge cell's centre is 90 m away, so by hand λ = 3/(π r²)(1 − 90²/500²)²
    /// = 3.5762106545424162e-06 per m² (not 0), and the point is reported as beyond the grid.
    @Test func anIncidentJustBeyondTheEdgeReachesTheEdgeCell() throws {
        let g = Self.grid
        let s = KernelDensity.surface(x: [g.xmin - 40], y: [g.centreY(row: 7)], grid: g, kernel: try Kernel(.quartic, bandwidth: 500))
        #expect(abs(s.values[7 * g.ncols] - 3.5762106545424162e-06) < 1e-20)
        #expect(s.pointsBeyondGrid == 1 && s.pointsUsed == 1)
    }

    /// Bandwidth 1e30 (and 1e200, 1e300) traps nowhere: the KDE (fixed, Gaussian tiles and adaptive),
    /// the Abramson pilot and the edge correction run and equal the brute-force sums; `validate`
    /// refuses them with a sentence and accepts an ordinary radius.
    @Test(arguments: [1e30, 1e200, 1e300])
    func hugeBandwidthsNeverTrap(bandwidth: Double) throws {
        let g = try Grid(xmin: 0, ymin: 0, cell: 100, ncols: 9, nrows: 7)
        let x = [50.0, 430, -2e5, 3e7], y = [20.0, 610, 90, -4e6]
        for shape in [KernelShape.quartic, .gaussian, .triangular] {
            let k = try Kernel(shape, bandwidth: bandwidth)
            let v = KernelDensity.estimate(x: x, y: y, grid: g, kernel: k)
            let b = bruteForceKDE(x: x, y: y, w: nil, grid: g, kernel: k)
            #expect(zip(v, b).allSatisfy { abs($0 - $1) <= 1e-12 * abs($1) }, "\(shape)")
            let a = KernelDensity.estimate(x: x, y: y, grid: g, kernel: try Kernel(shape, bandwidth: 200), bandwidths: [200, bandwidth, 300, 1e3])
            #expect(a.allSatisfy { $0.isFinite })
            #expect(AdaptiveBandwidth.pointDensity(x: x, y: y, weights: nil, kernel: k).count == 4)
            #expect(throws: KernelDensityError.self) { try KernelDensity.validate(kernel: k, grid: g) }
            let mask = (0 ..< g.cellCount).map { $0 % 9 < 5 }
            let e = try EdgeCorrection.factors(mask: mask, grid: g, kernel: k)
            #expect(e.indices.allSatisfy { mask[$0] ? e[$0].isFinite : e[$0].isNaN })
        }
        try KernelDensity.validate(kernel: try Kernel(.quartic, bandwidth: 2000), grid: g)
        #expect(throws: KernelDensityError.self) { try KernelDensity.validate(kernel: try Kernel(.quartic, bandwidth: 200_001), grid: g) }
        let text = KernelDensityError.bandwidthTooLarge(supportRadius: 1e30, cell: 100, maximumRadius: KernelDensity.maximumRadius, maximumCells: KernelDensity.maximumRadiusCells).description
        #expect(text.contains("100000 m") && text.contains("2000 cells"))
    }

    /// Gi*: bands of 1e30, ∞ and 1e9 m throw `.bandTooLarge` (no trap, no 117 s run); a band wider than
    /// the grid (but within the limits) equals the diagonal band, quickly, and the inverse-distance z
    /// equals a brute-force all-pairs computation.
    @Test func hugeGiStarBandsAreRefusedOrClampedToTheGrid() throws {
        let g = try Grid(xmin: 0, ymin: 0, cell: 100, ncols: 41, nrows: 28)
        var rng = SeededGenerator(seed: 9)
        let v = (0 ..< g.cellCount).map { _ in Double(Int.random(in: 0 ... 6, using: &rng)) }
        for band in [1e30, .infinity, 1e9, 100_001, 200_100] {
            #expect(throws: GiStarError.self) { try GetisOrd.grid(v, grid: g, band: band) }
        }
        #expect(GetisOrd.maximumBand == 100_000 && GetisOrd.maximumBandCells == 2000)
        let diagonal = (41.0 * 41 + 28 * 28).squareRoot() * 100
        let clock = ContinuousClock()
        var wide: [Double] = [], atDiagonal: [Double] = []
        let t = try clock.measure {
            wide = try GetisOrd.gridZ(v, grid: g, band: 100_000, weighting: .inverseDistance).z
            atDiagonal = try GetisOrd.gridZ(v, grid: g, band: diagonal, weighting: .inverseDistance).z
        }
        #expect(wide == atDiagonal)
        #expect(t < .seconds(5))
        // Brute force: w_ij = 1/(distance in cells), w_ii = 1, every pair a neighbour.
        let n = Double(v.count), mean = v.reduce(0, +) / n
        let sd = (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n).squareRoot()
        for i in stride(from: 0, to: g.cellCount, by: 97) {
            var lag = 0.0, W = 0.0, S1 = 0.0
            for j in 0 ..< g.cellCount {
                let di = Double(i / 41 - j / 41), dj = Double(i % 41 - j % 41)
                let wij = i == j ? 1 : 1 / (di * di + dj * dj).squareRoot()
                lag += wij * v[j]; W += wij; S1 += wij * wij
            }
            let z = (lag - mean * W) / (sd * ((n * S1 - W * W) / (n - 1)).squareRoot())
            #expect(abs(wide[i] - z) < 1e-9 * max(1, abs(z)), "cell \(i)")
        }
        // Binary: a band wider than the grid makes every cell every cell's neighbour, so z is undefined.
        #expect(try GetisOrd.gridZ(v, grid: g, band: 99_000).z.allSatisfy { $0.isNaN })
    }

    /// Absurd grids are typed errors: a cell of 1e-300 m or a box reaching 1e300 m.
    @Test func absurdGridSizesThrowInsteadOfTrapping() {
        #expect(throws: GridError.self) { try Grid(covering: BoundingBox(minX: 0, minY: 0, maxX: 1000, maxY: 1000), cell: 1e-300) }
        #expect(throws: GridError.self) { try Grid(covering: BoundingBox(minX: 0, minY: 0, maxX: 1e300, maxY: 10), cell: 1) }
        #expect(throws: GridError.self) { try Grid(covering: BoundingBox(minX: -1e308, minY: 0, maxX: 1e308, maxY: 10), cell: 1) }
        #expect(throws: GridError.self) { try Grid(covering: BoundingBox(minX: 0, minY: 0, maxX: 50_000, maxY: 50_000), cell: 1) }
    }
}
