/// What a density surface's numbers mean (stated in every output header).
public enum DensityUnits: String, CaseIterable, Sendable {
    /// Expected incidents (or weight) per km² at the cell centre.
    case perSquareKilometre = "per-km2"
    /// Expected incidents (or weight) per m² at the cell centre.
    case perSquareMetre = "per-m2"
    /// Expected incidents (or weight) in the cell: density at the centre × cell area.
    case countPerCell = "count"

    /// Factor from "per m²" to these units.
    public func factor(cellArea: Double) -> Double {
        switch self {
        case .perSquareKilometre: return 1e6
        case .perSquareMetre: return 1
        case .countPerCell: return cellArea
        }
    }

    public var description: String {
        switch self {
        case .perSquareKilometre: return "expected incidents per km² at the cell centre"
        case .perSquareMetre: return "expected incidents per m² at the cell centre"
        case .countPerCell: return "expected incidents in the cell (density at centre × cell area)"
        }
    }
}

/// A kernel density surface and the account of the points behind it.
public struct KernelDensitySurface: Sendable, Equatable {
    /// λ per m² at every cell centre (row-major, row 0 south).
    public let values: [Double]
    /// Points whose kernel reaches at least one cell centre (inside the grid or beyond its edge).
    public let pointsUsed: Int
    /// Of `pointsUsed`, those outside the grid's rectangle [xmin, xmax] × [ymin, ymax]: points beyond
    /// the edge whose support still reaches edge cells.
    public let pointsBeyondGrid: Int
    /// Points with finite coordinates, weight and bandwidth whose kernel reaches no cell centre.
    public let pointsOutOfReach: Int
    /// Of `pointsOutOfReach`, those inside the grid's rectangle: a bandwidth shorter than
    /// `shortestBandwidthReachingEveryPoint` leaves points between the centres with no cell to add to.
    public let pointsOutOfReachInsideGrid: Int
    /// Points with a non-finite coordinate, weight or bandwidth, zero weight or a non-positive bandwidth.
    public let pointsSkipped: Int
}

/// Exact kernel density on a grid (conventions §2):
/// ```
/// λ(c) = Σ_i w_i · K(‖c − p_i‖)      per m², at every cell centre c
/// ```
/// **Exact**: every cell receives the true sum over the points within the kernel's support (the
/// Gaussian is truncated to the square window |dx|, |dy| ≤ R = 7.434 h, outside which each point's
/// mass is below 1e-12 of its weight).
/// Nothing is binned or interpolated, unlike FFT estimators (KDEpy FFTKDE: 5–14 % peak error at
/// h ≈ cell size on the peers' 10k set). The sum runs over **all** points given, inside the grid or
/// beyond its edge: feed it every located point within `reach` of the grid (`surface` reports how
/// many beyond the edge contributed); clipping points to the grid first loses edge mass.
///
/// Fast path: loop over points, touching only the cells inside each point's support window; the
/// per-column and per-row terms are computed once per point (for the Gaussian via the exact
/// recurrence e_{k+1} = e_k·ρ_k, ρ_{k+1} = ρ_k·e^{−Δ²/h²}, two `exp` calls per axis), the inner loop
/// is branch-free over a contiguous row, and workers fill partial grids that are merged at the end.
/// The compact kernels with one bandwidth take fixed padded windows instead (`CompactKernelWindows`:
/// the same terms in the same order, so the same numbers bit for bit, without a point-dependent loop).
///
/// Complexity: O(n · (2R/Δ)² / k + k · cells) for n points, support radius R, cell Δ, k workers.
public enum KernelDensity {
    /// Largest support radius (Gaussian: the 7.434 h window half-width) in cells that callers should
    /// accept from users: 2,000 cells. Beyond it each point touches more than 16 million cells. The
    /// estimator itself accepts any finite bandwidth (a window wider than the grid is clipped to it, so
    /// the cost is at most points × cells) — `validate` refuses with a sentence instead.
    public static let maximumRadiusCells = 2_000.0
    /// Largest support radius (Gaussian: 7.434 h) in metres callers should accept: 100 km, wider than
    /// any police force area's shorter side is useful for (a typo such as `1e30` is refused).
    public static let maximumRadius = 100_000.0

    /// Refuses a kernel whose support radius (`Kernel.supportRadius`, 7.434 h for the Gaussian) exceeds
    /// `maximumRadius` metres or `maximumRadiusCells` cells of `grid`, with a sentence
    /// (`KernelDensityError.bandwidthTooLarge`). For user input; the estimator never traps either way.
    public static func validate(kernel: Kernel, grid: Grid) throws(KernelDensityError) {
        let R = kernel.supportRadius
        guard R.isFinite, R <= maximumRadius, R / grid.cell <= maximumRadiusCells else {
            throw .bandwidthTooLarge(supportRadius: R, cell: grid.cell, maximumRadius: maximumRadius, maximumCells: maximumRadiusCells)
        }
    }

    /// How far beyond the grid's edge a point can lie and still contribute: the support radius
    /// (compact kernels) or the truncation half-width 7.434 h (Gaussian), of the largest per-point
    /// bandwidth when `bandwidths` is given. Callers select located points within this distance of the
    /// grid (`reachBox`), or simply pass them all: points out of reach are counted and skipped.
    public static func reach(kernel: Kernel, bandwidths: [Double]? = nil) -> Double {
        guard let bw = bandwidths else { return kernel.supportRadius }
        let b = bw.reduce(0) { $1.isFinite ? max($0, $1) : $0 }
        return kernel.shape.isCompact ? b : b * Kernel.gaussianTruncation
    }

    /// The grid's rectangle grown by `reach(kernel:bandwidths:)` on every side: every point that can
    /// contribute to some cell lies in it.
    public static func reachBox(grid: Grid, kernel: Kernel, bandwidths: [Double]? = nil) -> BoundingBox {
        let r = reach(kernel: kernel, bandwidths: bandwidths)
        return BoundingBox(minX: grid.xmin - r, minY: grid.ymin - r, maxX: grid.xmax + r, maxY: grid.ymax + r)
    }

    /// λ per m² at every cell centre (row-major, row 0 south). `weights` nil means 1 per point;
    /// `bandwidths` (adaptive estimators) gives each point its own bandwidth.
    /// Points with a non-finite coordinate or weight contribute nothing. Points outside the grid
    /// contribute to every cell within their support, like the points inside (see `surface` for the
    /// counts).
    public static func estimate(
        x: [Double], y: [Double], weights: [Double]? = nil, grid: Grid, kernel: Kernel,
        bandwidths: [Double]? = nil, workers: Int? = nil
    ) -> [Double] {
        values(x: x, y: y, weights: weights, grid: grid, kernel: kernel, bandwidths: bandwidths, workers: workers)
    }

    /// The density surface with an account of the points: give it **every located point** (not only
    /// those inside the grid) — a point beyond the grid's edge but within the kernel's support of an
    /// edge cell adds to that cell exactly as an inside point does,
    /// ```
    /// λ(c) = Σ_{all i} w_i · K(‖c − p_i‖)
    /// ```
    /// and `pointsBeyondGrid` says how many such points contributed. Same numbers as `estimate`.
    public static func surface(
        x: [Double], y: [Double], weights: [Double]? = nil, grid: Grid, kernel: Kernel,
        bandwidths: [Double]? = nil, workers: Int? = nil
    ) -> KernelDensitySurface {
        let v = values(x: x, y: y, weights: weights, grid: grid, kernel: kernel, bandwidths: bandwidths, workers: workers)
        let a = pointAccount(x: x, y: y, weights: weights, grid: grid, kernel: kernel, bandwidths: bandwidths)
        return KernelDensitySurface(values: v, pointsUsed: a.used, pointsBeyondGrid: a.beyondGrid, pointsOutOfReach: a.outOfReach,
                                    pointsOutOfReachInsideGrid: a.outOfReachInsideGrid, pointsSkipped: a.skipped)
    }

    /// The account of `surface` without the density (for the binned Gaussian, whose points are the same):
    /// points whose kernel reaches a cell centre (`used`, of them `beyondGrid` outside the grid's
    /// rectangle), finite points out of reach (of them `outOfReachInsideGrid` inside the rectangle), and
    /// points skipped (non-finite, zero weight).
    public static func pointAccount(x: [Double], y: [Double], weights: [Double]? = nil, grid: Grid, kernel: Kernel, bandwidths: [Double]? = nil)
        -> (used: Int, beyondGrid: Int, outOfReach: Int, outOfReachInsideGrid: Int, skipped: Int) {
        var used = 0, beyond = 0, outOfReach = 0, outOfReachInside = 0, skipped = 0
        for i in x.indices {
            let wi = weights?[i] ?? 1, b = bandwidths?[i] ?? kernel.bandwidth
            guard x[i].isFinite, y[i].isFinite, wi.isFinite, wi != 0, b.isFinite, b > 0 else { skipped += 1; continue }
            let inside = x[i] >= grid.xmin && x[i] <= grid.xmax && y[i] >= grid.ymin && y[i] <= grid.ymax
            if reachesACellCentre(x: x[i], y: y[i], grid: grid, shape: kernel.shape, bandwidth: b) {
                used += 1
                if !inside { beyond += 1 }
            } else {
                outOfReach += 1
                if inside { outOfReachInside += 1 }
            }
        }
        return (used, beyond, outOfReach, outOfReachInside, skipped)
    }

    /// The shortest bandwidth with which every point inside a grid of `cell` metres reaches a cell centre:
    /// a point is at most half the cell's diagonal, cell·√½, from its nearest centre (compact kernels, whose
    /// support is the disc d < r) and at most cell/2 from it along each axis (the Gaussian's square window
    /// |dx|, |dy| ≤ 7.434 h, so h = cell / (2 · 7.434)). Below it, the points between the centres add nothing.
    public static func shortestBandwidthReachingEveryPoint(shape: KernelShape, cell: Double) -> Double {
        shape.isCompact ? cell * 0.5.squareRoot() : cell / 2 / Kernel.gaussianTruncation
    }

    /// Whether the point's kernel is non-zero at some cell centre: the nearest centre is within the
    /// support radius r (compact kernels, d < r), or within the square window |dx|, |dy| ≤ 7.434 h
    /// (Gaussian).
    static func reachesACellCentre(x px: Double, y py: Double, grid: Grid, shape: KernelShape, bandwidth b: Double) -> Bool {
        // Offset to the nearest column / row centre (the lattice clamped to the grid).
        func offset(_ p: Double, _ origin: Double, _ n: Int) -> Double {
            let f = ((p - origin) / grid.cell - 0.5).rounded()
            let k = f <= 0 ? 0 : (f >= Double(n - 1) ? Double(n - 1) : f)
            return abs(p - (origin + (k + 0.5) * grid.cell))
        }
        let dx = offset(px, grid.xmin, grid.ncols), dy = offset(py, grid.ymin, grid.nrows)
        if shape.isCompact { return dx * dx + dy * dy < b * b }
        let R = b * Kernel.gaussianTruncation
        return dx <= R && dy <= R
    }

    static func values(
        x: [Double], y: [Double], weights: [Double]?, grid: Grid, kernel: Kernel,
        bandwidths: [Double]?, workers: Int?
    ) -> [Double] {
        let n = x.count
        precondition(y.count == n, "KernelDensity: x and y differ in length")
        precondition(weights == nil || weights!.count == n, "KernelDensity: weights differ in length from points")
        precondition(bandwidths == nil || bandwidths!.count == n, "KernelDensity: bandwidths differ in length from points")
        let cells = grid.cellCount
        let k = workers ?? Parallel.workerCount(items: n, grain: 4096)
        let w = weights ?? [], bw = bandwidths ?? []
        // The tiled Gaussian needs a window no wider than the grid (else the per-point path, which
        // clips every window to the grid, is as exact and cheaper).
        let windowCells = kernel.supportRadius / grid.cell
        if kernel.shape == .gaussian, bandwidths == nil, windowCells <= Double(max(grid.ncols, grid.nrows)) {
            // Fixed-bandwidth Gaussian: blocked outer-product accumulation (see GaussianTiles).
            return x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    w.withUnsafeBufferPointer { wp in
                        GaussianTiles.estimate(x: xp, y: yp, w: wp, grid: grid, h: kernel.bandwidth, workers: k)
                    }
                }
            }
        }
        if kernel.shape.isCompact, bandwidths == nil {
            // One bandwidth: fixed padded windows, the same sums bit for bit (see CompactKernelWindows).
            let fixed = x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    w.withUnsafeBufferPointer { wp in
                        CompactKernelWindows.estimate(x: xp, y: yp, w: wp, grid: grid, kernel: kernel, workers: k)
                    }
                }
            }
            if let fixed { return fixed }
        }
        var partial = [Double](repeating: 0, count: cells * k)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                w.withUnsafeBufferPointer { wp in
                    bw.withUnsafeBufferPointer { bp in
                        partial.withUnsafeMutableBufferPointer { pp in
                            let ctx = UncheckedSendable((xp, yp, wp, bp, pp))
                            Parallel.forEachSlice(count: n, workers: k) { worker, range in
                                let (xp, yp, wp, bp, pp) = ctx.value
                                let out = pp.baseAddress! + worker * cells
                                // Per-worker scratch for one point's column and row terms.
                                var cap = 256
                                var sx = UnsafeMutablePointer<Double>.allocate(capacity: cap)
                                var sy = UnsafeMutablePointer<Double>.allocate(capacity: cap)
                                defer { sx.deallocate(); sy.deallocate() }
                                for i in range {
                                    let wi = wp.isEmpty ? 1 : wp[i]
                                    let b = bp.isEmpty ? kernel.bandwidth : bp[i]
                                    guard wi.isFinite, wi != 0, b.isFinite, b > 0 else { continue }
                                    let need = max(grid.ncols, grid.nrows) + 4
                                    if need > cap {
                                        sx.deallocate(); sy.deallocate()
                                        cap = need * 2
                                        sx = .allocate(capacity: cap); sy = .allocate(capacity: cap)
                                    }
                                    addPoint(x: xp[i], y: yp[i], weight: wi, shape: kernel.shape, bandwidth: b,
                                             grid: grid, into: out, stride: grid.ncols, sx: sx, sy: sy)
                                }
                            }
                        }
                    }
                }
            }
        }
        return Parallel.sumPartials(partial, count: cells, workers: k)
    }

    /// ⌈v⌉ and ⌊v⌋ for finite |v| < 2⁶², without a libm call (callers clamp v first).
    @inline(__always) static func ceilInt(_ v: Double) -> Int { let t = Int(v); return Double(t) < v ? t + 1 : t }
    @inline(__always) static func floorInt(_ v: Double) -> Int { let t = Int(v); return Double(t) > v ? t - 1 : t }

    /// Adds one point's kernel to `out` (per m²), whose rows are `stride` ≥ ncols values apart.
    /// `sx`, `sy` hold at least the window's columns/rows.
    @inline(__always)
    static func addPoint(x px: Double, y py: Double, weight: Double, shape: KernelShape, bandwidth b: Double,
                         grid: Grid, into out: UnsafeMutablePointer<Double>, stride ncols: Int,
                         sx: UnsafeMutablePointer<Double>, sy: UnsafeMutablePointer<Double>) {
        let R = shape.isCompact ? b : b * Kernel.gaussianTruncation
        let d = grid.cell
        // Columns/rows whose centre lies within R of the point: centre = min + (j + ½)Δ.
        let fx0 = (px - R - grid.xmin) / d - 0.5, fx1 = (px + R - grid.xmin) / d - 0.5
        let fy0 = (py - R - grid.ymin) / d - 0.5, fy1 = (py + R - grid.ymin) / d - 0.5
        // Reject windows entirely off the grid (and NaN) before any integer conversion.
        guard fx1 >= 0, fy1 >= 0, fx0 <= Double(grid.ncols - 1), fy0 <= Double(grid.nrows - 1) else { return }
        // Clamped in floating point before any conversion, so huge windows (bandwidth 1e30) never trap.
        let c0 = fx0 <= 0 ? 0 : ceilInt(fx0), c1 = fx1 >= Double(grid.ncols - 1) ? grid.ncols - 1 : floorInt(fx1)
        let r0 = fy0 <= 0 ? 0 : ceilInt(fy0), r1 = fy1 >= Double(grid.nrows - 1) ? grid.nrows - 1 : floorInt(fy1)
        guard c0 <= c1, r0 <= r1 else { return }
        let nx = c1 - c0 + 1, ny = r1 - r0 + 1
        let b2 = b * b
        let x0 = grid.centreX(col: c0) - px, y0 = grid.centreY(row: r0) - py
        if shape == .gaussian {
            gaussianTerms(start: x0, step: d, h: b, count: nx, into: sx)
            gaussianTerms(start: y0, step: d, h: b, count: ny, into: sy)
            let s = weight / (2 * Double.pi * b2)
            for r in 0 ..< ny {
                SIMDKernels.axpy(out + (r0 + r) * ncols + c0, s * sy[r], sx, nx)
            }
            return
        }
        let inv = 1 / b2
        for c in 0 ..< nx { let dx = x0 + Double(c) * d; sx[c] = dx * dx * inv }
        for r in 0 ..< ny { let dy = y0 + Double(r) * d; sy[r] = dy * dy * inv }
        let row = out + r0 * ncols + c0
        switch shape {
        case .quartic:
            let s = weight * 3 / (Double.pi * b2)
            for r in 0 ..< ny {
                let a = 1 - sy[r]
                if a <= 0 { continue }
                let o = row + r * ncols
                for c in 0 ..< nx { let m = a - sx[c]; let mm = m > 0 ? m : 0; o[c] += s * mm * mm }
            }
        case .epanechnikov:
            let s = weight * 2 / (Double.pi * b2)
            for r in 0 ..< ny {
                let a = 1 - sy[r]
                if a <= 0 { continue }
                let o = row + r * ncols
                for c in 0 ..< nx { let m = a - sx[c]; o[c] += s * (m > 0 ? m : 0) }
            }
        case .uniform:
            let s = weight / (Double.pi * b2)
            for r in 0 ..< ny {
                let a = 1 - sy[r]
                if a <= 0 { continue }
                let o = row + r * ncols
                for c in 0 ..< nx { o[c] += sx[c] < a ? s : 0 }
            }
        case .triangular:
            let s = weight * 3 / (Double.pi * b2)
            for r in 0 ..< ny {
                let yr = sy[r]
                if yr >= 1 { continue }
                let o = row + r * ncols
                for c in 0 ..< nx { let m = 1 - (sx[c] + yr).squareRoot(); o[c] += s * (m > 0 ? m : 0) }
            }
        case .gaussian:
            break
        }
    }

    /// e_k = exp(−(t0 + kΔ)² / (2h²)) for k = 0..<count by the exact two-term recurrence.
    @inline(__always)
    static func gaussianTerms(start t0: Double, step d: Double, h: Double, count: Int, into e: UnsafeMutablePointer<Double>) {
        let inv = 1 / (2 * h * h)
        let v = exp(-t0 * t0 * inv)
        e[0] = v
        guard count > 1 else { return }
        // e_{k+1}/e_k = exp(−(2 t_k Δ + Δ²)/(2h²)) =: ρ_k;  ρ_{k+1} = ρ_k · exp(−Δ²/h²).
        let rho = exp(-(2 * t0 * d + d * d) * inv)
        let g = exp(-2 * d * d * inv)
        e[1] = v * rho
        // Two interleaved chains (even and odd k) halve the multiply latency:
        // e_{k+2} = e_k · P_k with P_k = ρ_k ρ_{k+1} = ρ_k² g and P_{k+2} = P_k · g⁴.
        var pe = rho * rho * g, po = pe * g * g
        let g4 = g * g * g * g
        var ve = v, vo = v * rho
        var k = 2
        while k + 1 < count {
            ve *= pe; vo *= po
            e[k] = ve; e[k + 1] = vo
            pe *= g4; po *= g4
            k += 2
        }
        if k < count { e[k] = ve * pe }
    }

    /// `v` rounded towards −∞ and clamped to lo … hi, converted only after clamping (NaN → lo).
    @inline(__always) static func clampedFloor(_ v: Double, _ lo: Int, _ hi: Int) -> Int {
        guard v > Double(lo) else { return lo }
        guard v < Double(hi) else { return hi }
        return floorInt(v)
    }

    /// Ratio of two surfaces on the same grid (dual KDE, e.g. violence / all crime, or this period /
    /// last period): `numerator / denominator` where the denominator exceeds `minimumDenominator`,
    /// NaN elsewhere (undefined, written as NODATA, never as a silent 0 or ∞).
    public static func ratio(_ numerator: [Double], _ denominator: [Double], minimumDenominator: Double = 0) -> [Double] {
        precondition(numerator.count == denominator.count, "KernelDensity.ratio: surfaces differ in size")
        return zip(numerator, denominator).map { $1 > minimumDenominator ? $0 / $1 : .nan }
    }
}
