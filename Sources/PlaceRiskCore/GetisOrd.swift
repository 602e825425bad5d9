/// Getis–Ord local Gi* hot-spot statistic (conventions §3; Ord & Getis 1995, Geographical Analysis
/// 27(4), 286–306), identical to ArcGIS Hot Spot Analysis and esda `G_Local(star=True, transform="B")`:
/// ```
/// x̄ = Σ x_j / n,   S = √(Σ x_j² / n − x̄²)                       (population SD)
/// Gi*_z = (Σ_j w_ij x_j − x̄ W_i) / ( S · √((n S1_i − W_i²) / (n − 1)) ),
/// W_i = Σ_j w_ij,  S1_i = Σ_j w_ij²,  j ranging over all units including i (w_ii = 1)
/// ```
/// p is two-sided (ArcGIS); esda's `p_norm` is one-sided — never compare them directly.
public struct GiStarResult: Sendable, Equatable {
    public let z: [Double]
    /// Two-sided normal p-values.
    public let p: [Double]
    /// BH-adjusted p-values across all units.
    public let q: [Double]
    /// ArcGIS Gi_Bin (−3…3), FDR-adjusted when asked.
    public let bin: [Int8]
    public let fdr: Bool
    public let n: Int
    public let mean: Double
    public let standardDeviation: Double
}

public enum GiStarError: Error, Equatable, Sendable, CustomStringConvertible {
    case zeroVariance(n: Int, value: Double)
    case tooFewUnits(Int)
    case bandTooSmall(band: Double, cell: Double)
    case nonFiniteValue(index: Int)
    /// The band exceeds `GetisOrd.maximumBand` metres or `GetisOrd.maximumBandCells` cells (or is not finite).
    case bandTooLarge(band: Double, cell: Double, maximumBand: Double, maximumCells: Double)

    public var description: String {
        switch self {
        case .zeroVariance(let n, let v):
            return "all \(n) values equal \(v.shortDescription): Gi* is undefined (zero variance); there are no hot or cold spots to find"
        case .tooFewUnits(let n): return "Gi* needs at least 3 units, got \(n)"
        case .bandTooSmall(let b, let c):
            return "distance band \(b.shortDescription) m is smaller than the cell size \(c.shortDescription) m: every cell would be its own only neighbour"
        case .nonFiniteValue(let i): return "value \(i) is not a finite number"
        case .bandTooLarge(let b, let c, let maxB, let maxCells):
            return "distance band \(b.shortDescription) m is too large: at most \(maxB.shortDescription) m and \(maxCells.shortDescription) cells of \(c.shortDescription) m (\((maxCells * c).shortDescription) m) are allowed"
        }
    }
}

/// How neighbours within the band are weighted on a grid.
public enum BandWeighting: String, Sendable, CaseIterable {
    /// w_ij = 1 within the band (ArcGIS FIXED_DISTANCE_BAND, esda binary).
    case binary
    /// w_ij = 1 / (distance in cells) within the band, w_ii = 1: a neighbour one cell away weighs as
    /// much as the cell itself (scale-free in metres).
    case inverseDistance = "inverse-distance"
}

public enum GetisOrd {
    /// Largest distance band accepted, in cells: 2,000 (the binary stencil costs O(cells · 2D/Δ)).
    public static let maximumBandCells = 2_000.0
    /// Largest distance band accepted, in metres: 100 km (beyond any hot-spot scale; `1e30` is a typo).
    public static let maximumBand = 100_000.0

    /// Gi* on a grid of values (row-major, row 0 south) with a distance band in metres, computed as a
    /// stencil: offsets (di, dj) with (di² + dj²)·Δ² ≤ D² (+1e-12, as the peers), the lag by row
    /// prefix sums (binary: O(cells · (2D/Δ + 1))) or direct shifted sums (inverse distance).
    /// Bands above `maximumBand` metres or `maximumBandCells` cells throw `.bandTooLarge`; a band
    /// wider than the grid is clamped to it (every offset within the grid's extent is a neighbour
    /// either way: a band beyond the grid's diagonal is equivalent to the diagonal), so the stencil
    /// never exceeds ncols × nrows.
    public static func grid(_ values: [Double], grid: Grid, band: Double, weighting: BandWeighting = .binary, fdr: Bool = false) throws(GiStarError) -> GiStarResult {
        let (z, mean, sd) = try gridZ(values, grid: grid, band: band, weighting: weighting)
        return inference(z: z, mean: mean, sd: sd, fdr: fdr)
    }

    /// The z-scores alone (what the peers' stencil computes), with the mean and SD used.
    public static func gridZ(_ values: [Double], grid: Grid, band: Double, weighting: BandWeighting = .binary) throws(GiStarError) -> (z: [Double], mean: Double, sd: Double) {
        precondition(values.count == grid.cellCount, "GetisOrd.grid: \(values.count) values for \(grid.cellCount) cells")
        guard band >= grid.cell else { throw .bandTooSmall(band: band, cell: grid.cell) }
        guard band.isFinite, band <= maximumBand, band / grid.cell <= maximumBandCells else {
            throw .bandTooLarge(band: band, cell: grid.cell, maximumBand: maximumBand, maximumCells: maximumBandCells)
        }
        let (mean, sd) = try moments(values)
        let nr = grid.nrows, nc = grid.ncols, n = values.count
        // Clamp to the grid: offsets with |di| < nr and |dj| < nc have di² + dj² < nr² + nc², so a
        // limit of nr² + nc² keeps every offset that can reach a cell (identical neighbours and weights).
        let extent = Double(nr * nr + nc * nc)
        let lim = min((band / grid.cell) * (band / grid.cell) + 1e-12, extent)
        let R = Int(min((band / grid.cell).rounded(.down), Double(max(nr, nc))))
        switch weighting {
        case .binary:
            // Half-width of the disc on each row offset.
            let half = (-R ... R).map { di -> Int in
                var m = 0
                while Double((m + 1) * (m + 1) + di * di) <= lim { m += 1 }
                return Double(di * di) <= lim ? m : -1
            }
            // Row prefix sums: P[r·(nc+1) + c] = Σ_{c' < c} x[r][c'].
            var pre = [Double](repeating: 0, count: nr * (nc + 1))
            for r in 0 ..< nr {
                var s = 0.0
                for c in 0 ..< nc { s += values[r * nc + c]; pre[r * (nc + 1) + c + 1] = s }
            }
            // Fused: per row, the lag by prefix-sum differences (interior columns without clamping,
            // so the loop vectorises), the neighbour count, and z — no per-cell weights list.
            var z = [Double](repeating: 0, count: n)
            let nd = Double(n)
            pre.withUnsafeBufferPointer { pp in
                z.withUnsafeMutableBufferPointer { zp in
                    let ctx = UncheckedSendable((pp, zp))
                    Parallel.forEachSlice(count: nr, workers: Parallel.workerCount(items: n, grain: 20_000)) { _, rows in
                        let (pp, zp) = ctx.value
                        let acc = UnsafeMutablePointer<Double>.allocate(capacity: nc)
                        let cnt = UnsafeMutablePointer<Double>.allocate(capacity: nc)
                        defer { acc.deallocate(); cnt.deallocate() }
                        for r in rows {
                            acc.initialize(repeating: 0, count: nc)
                            cnt.initialize(repeating: 0, count: nc)
                            for di in -R ... R {
                                let m = half[di + R], rr = r + di
                                if m < 0 || rr < 0 || rr >= nr { continue }
                                let P = pp.baseAddress! + rr * (nc + 1)
                                let edge = min(m, nc)
                                // Left edge: lo = 0.
                                for c in 0 ..< min(edge, nc) {
                                    let hi = min(nc - 1, c + m)
                                    acc[c] += P[hi + 1] - P[0]; cnt[c] += Double(hi + 1)
                                }
                                // Interior: lo = c − m, hi = c + m.
                                if m < nc - m {
                                    let w = Double(2 * m + 1)
                                    for c in m ..< nc - m { acc[c] += P[c + m + 1] - P[c - m]; cnt[c] += w }
                                }
                                // Right edge: hi = nc − 1.
                                for c in max(edge, nc - m) ..< nc {
                                    let lo = max(0, c - m)
                                    acc[c] += P[nc] - P[lo]; cnt[c] += Double(nc - lo)
                                }
                            }
                            let zr = zp.baseAddress! + r * nc
                            for c in 0 ..< nc {
                                let w = cnt[c]
                                let den = sd * ((nd * w - w * w) / (nd - 1)).squareRoot()
                                zr[c] = den > 0 ? (acc[c] - mean * w) / den : .nan
                            }
                        }
                    }
                }
            }
            return (z, mean, sd)
        case .inverseDistance:
            var lag = [Double](repeating: 0, count: n), wsum = [Double](repeating: 0, count: n), s1 = [Double](repeating: 0, count: n)
            var offs: [(Int, Int, Double)] = []
            for di in -R ... R {
                for dj in -R ... R where Double(di * di + dj * dj) <= lim {
                    offs.append((di, dj, di == 0 && dj == 0 ? 1 : 1 / Double(di * di + dj * dj).squareRoot()))
                }
            }
            for r in 0 ..< nr {
                for c in 0 ..< nc {
                    var s = 0.0, w = 0.0, w2 = 0.0
                    for (di, dj, wt) in offs {
                        let rr = r + di, cc = c + dj
                        if rr < 0 || rr >= nr || cc < 0 || cc >= nc { continue }
                        s += wt * values[rr * nc + cc]; w += wt; w2 += wt * wt
                    }
                    lag[r * nc + c] = s; wsum[r * nc + c] = w; s1[r * nc + c] = w2
                }
            }
            return (zScores(lag: lag, wsum: wsum, s1: s1, mean: mean, sd: sd), mean, sd)
        }
    }

    /// Gi* for areal units with sparse weights (e.g. LSOA queen contiguity). Neighbour weights are made
    /// binary (PySAL `transform="B"`) and w_ii = 1 is added (the star).
    public static func units(_ values: [Double], weights: SpatialWeights, fdr: Bool = false) throws(GiStarError) -> GiStarResult {
        precondition(values.count == weights.count, "GetisOrd.units: \(values.count) values for \(weights.count) units")
        let (mean, sd) = try moments(values)
        let n = values.count
        var lag = [Double](repeating: 0, count: n), wsum = [Double](repeating: 0, count: n)
        for i in 0 ..< n {
            var s = values[i]
            for k in weights.offsets[i] ..< weights.offsets[i + 1] { s += values[Int(weights.neighbours[k])] }
            lag[i] = s
            wsum[i] = Double(weights.cardinality(i) + 1)
        }
        return inference(z: zScores(lag: lag, wsum: wsum, s1: wsum, mean: mean, sd: sd), mean: mean, sd: sd, fdr: fdr)
    }

    static func moments(_ x: [Double]) throws(GiStarError) -> (Double, Double) {
        guard x.count >= 3 else { throw .tooFewUnits(x.count) }
        var s = 0.0, s2 = 0.0
        for (i, v) in x.enumerated() {
            guard v.isFinite else { throw .nonFiniteValue(index: i) }
            s += v
        }
        let n = Double(x.count), mean = s / n
        for v in x { s2 += (v - mean) * (v - mean) }
        let sd = (s2 / n).squareRoot()
        // Relative test: a constant surface has sd at rounding level of the mean.
        guard sd > 1e-12 * max(1, abs(mean)) else { throw .zeroVariance(n: x.count, value: x[0]) }
        return (mean, sd)
    }

    static func zScores(lag: [Double], wsum: [Double], s1: [Double], mean: Double, sd: Double) -> [Double] {
        let n = Double(lag.count)
        var z = [Double](repeating: 0, count: lag.count)
        for i in z.indices {
            let den = sd * ((n * s1[i] - wsum[i] * wsum[i]) / (n - 1)).squareRoot()
            z[i] = den > 0 ? (lag[i] - mean * wsum[i]) / den : .nan
        }
        return z
    }

    /// Two-sided p, BH q and bins for z-scores.
    public static func inference(z: [Double], mean: Double, sd: Double, fdr: Bool) -> GiStarResult {
        let p = z.map(MultipleTesting.twoSidedP)
        let q = MultipleTesting.benjaminiHochberg(p)
        return GiStarResult(z: z, p: p, q: q, bin: ConfidenceBin.bins(z: z, p: p, fdr: fdr, q: q),
                            fdr: fdr, n: z.count, mean: mean, standardDeviation: sd)
    }
}
