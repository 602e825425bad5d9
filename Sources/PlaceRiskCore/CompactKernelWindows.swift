/// The exact sum of a compact kernel with one bandwidth (quartic, Epanechnikov, uniform, triangular)
/// over fixed-size, padded windows: the fast path of `KernelDensity.estimate` for those kernels.
///
/// It computes **the same numbers bit for bit** as the per-point path (`KernelDensity.addPoint`):
/// every cell receives the same terms, each computed by the same floating-point operations, added in
/// the same order (the points of a worker's slice in input order, then the workers' grids summed in
/// worker order). What changes is only the shape of the loops:
///
/// * every point covers a window of `rows` × 8·`chunks` cells, the same for every point (the largest
///   window the support radius R can cover: ⌊2R/Δ⌋ + 1 rows and columns, the columns rounded up to 8), instead of its own
///   7 or 8 — so no loop count depends on the point and the branch predictor never misses;
/// * the window's columns beyond the point's own (and beyond the grid's edge) have the per-column term
///   d²/r² = +∞ and its rows beyond the point's own have 1 − d²/r² = −∞ (triangular: d²/r² = +∞), so
///   their terms are exactly ±0, and x + (±0) = x for every x the grid holds (it starts at +0);
///   the worker grids have `chunks`·8 padding columns and `rows` padding rows that absorb them;
/// * the eight columns of a chunk are four `SIMD2<Double>` registers loaded once per point, and a row
///   is 4 × (subtract, clamp, multiply, multiply, add) without a compare-and-branch per cell
///   (`SIMD2` is what the x86-64 baseline target holds; LLVM does not contract to FMA, so the
///   products round exactly as the scalar ones).
///
/// * a point's column and row terms take no conversion, product or compare: the offsets j·Δ come
///   from a per-worker table (the same products), and the padding is *added* from a table per window
///   width and height (0, or ±∞; the terms are finite, so the sums are the replaced values exactly).
///
/// Measured on the 1M-point benchmark (`placerisk-bench kde`, r = 3.75 cells, 2 workers, 2026-12-01,
/// load 4.6–5.4): 0.104–0.127 s of CPU per estimate for the per-point path, 0.071–0.108 s here
/// (`Benchmarks/HISTORY.md`, "the afternoon run"); the tables, 2026-12-03 (AMD EPYC, idle, three interleaved rounds of
/// `--repeats 41` minus `--repeats 1`): 91–106 ms of CPU per estimate before, 83–93 ms after (and 87–93
/// against 76–81 ms in three more rounds).
enum CompactKernelWindows {
    /// Largest window side (cells) this path takes; wider windows use the per-point path, whose
    /// clipped windows waste nothing (the padding here would be at most 8 columns and 1 row of 64).
    static let maximumSide = 64

    /// Window rows and 8-column chunks for support radius `R` on cells of `cell` metres, or nil when
    /// the window would be wider than `maximumSide` (or R is not finite).
    static func windowShape(supportRadius R: Double, cell: Double) -> (rows: Int, chunks: Int)? {
        let cells = 2 * R / cell
        guard cells.isFinite, cells >= 0, cells < Double(maximumSide - 1) else { return nil }
        // At most ⌊2R/Δ⌋ + 1 centres lie in [p − R, p + R]. Rounding in the window's bounds can add one
        // when 2R/Δ is (nearly) an integer: such a point is added by `addPoint` instead (same numbers).
        let side = Int(cells) + 1
        return (side, (side + 7) / 8)
    }

    /// λ per m² at every cell centre (row-major, row 0 south), `w` empty meaning 1 per point;
    /// nil when `windowShape` refuses the kernel (the caller then takes the per-point path).
    static func estimate(x: UnsafeBufferPointer<Double>, y: UnsafeBufferPointer<Double>, w: UnsafeBufferPointer<Double>,
                         grid: Grid, kernel: Kernel, workers k: Int) -> [Double]? {
        precondition(kernel.shape.isCompact, "CompactKernelWindows: the Gaussian has its own path")
        guard let shape = windowShape(supportRadius: kernel.bandwidth, cell: grid.cell) else { return nil }
        // The padding is added to the terms (`Window.add`), which needs them finite: so r² and 1/r² must be.
        let b2 = kernel.bandwidth * kernel.bandwidth
        guard b2.isNormal, (1 / b2).isNormal else { return nil }
        let stride = grid.ncols + 8 * shape.chunks
        let padded = stride * (grid.nrows + shape.rows)
        var partial = [Double](repeating: 0, count: padded * k)
        partial.withUnsafeMutableBufferPointer { pp in
            let ctx = UncheckedSendable((x, y, w, pp))
            Parallel.forEachSlice(count: x.count, workers: k) { worker, range in
                let (x, y, w, pp) = ctx.value
                let window = Window(grid: grid, bandwidth: kernel.bandwidth, stride: stride, rows: shape.rows, chunks: shape.chunks,
                                    out: pp.baseAddress! + worker * padded)
                switch kernel.shape {
                case .quartic: window.add(Quartic.self, x: x, y: y, w: w, range: range)
                case .epanechnikov: window.add(Epanechnikov.self, x: x, y: y, w: w, range: range)
                case .uniform: window.add(Uniform.self, x: x, y: y, w: w, range: range)
                case .triangular: window.add(Triangular.self, x: x, y: y, w: w, range: range)
                case .gaussian: break
                }
            }
        }
        // Strip the padding; workers summed in order, as `Parallel.sumPartials`.
        var out = [Double](repeating: 0, count: grid.cellCount)
        out.withUnsafeMutableBufferPointer { o in
            partial.withUnsafeBufferPointer { p in
                for r in 0 ..< grid.nrows {
                    for c in 0 ..< grid.ncols { o[r * grid.ncols + c] = p[r * stride + c] }
                }
                for worker in 1 ..< max(k, 1) {
                    let base = worker * padded
                    for r in 0 ..< grid.nrows {
                        for c in 0 ..< grid.ncols { o[r * grid.ncols + c] += p[base + r * stride + c] }
                    }
                }
            }
        }
        return out
    }

    /// One worker's padded grid and the window geometry.
    struct Window {
        let grid: Grid
        let bandwidth: Double
        let stride: Int
        let rows: Int
        let chunks: Int
        let out: UnsafeMutablePointer<Double>

        /// Adds the kernels of the points in `range` (input order) to `out`.
        func add<T: WindowTerm>(_: T.Type, x: UnsafeBufferPointer<Double>, y: UnsafeBufferPointer<Double>,
                                w: UnsafeBufferPointer<Double>, range: Range<Int>) {
            let cols = 8 * chunks, rowsEven = rows + rows % 2
            // The per-point terms in one block with 256 bytes to spare at either end: written for every
            // point, they must not share a cache line with another worker's (false sharing cost more
            // than the padded windows save when they were two small allocations).
            let scratch = UnsafeMutableRawPointer.allocate(byteCount: (cols + rowsEven) * 8 + 512, alignment: 64)
            let sx = (scratch + 256).bindMemory(to: Double.self, capacity: cols + rowsEven)
            let sy = sx + cols
            // `addPoint`'s scratch, for a point whose window does not fit (never expected; see windowShape).
            let need = max(grid.ncols, grid.nrows) + 4
            let fx = UnsafeMutablePointer<Double>.allocate(capacity: need), fy = UnsafeMutablePointer<Double>.allocate(capacity: need)
            let b = bandwidth, b2 = b * b, inv = 1 / b2, d = grid.cell
            // Per-worker tables, so that a point's terms take no conversion, product or compare:
            // `offsets[j]` = Double(j)·Δ (the product the terms were computed with before), and for each
            // window width n the padding added to the column terms (0 for j < n, +∞ beyond), for each
            // height the padding of the row values (0, then `rowPadding`). The terms are finite (r² and
            // 1/r² are, `estimate` checks), so adding 0 leaves each as it is (none is −0) and ±∞ gives
            // the padding's ±∞: the same values as the compare-and-replace they stand for.
            let tableSide = max(cols, rowsEven)
            let offsets = UnsafeMutablePointer<Double>.allocate(capacity: tableSide)
            let padX = UnsafeMutablePointer<Double>.allocate(capacity: (cols + 1) * cols)
            let padY = UnsafeMutablePointer<Double>.allocate(capacity: (rowsEven + 1) * rowsEven)
            defer { scratch.deallocate(); fx.deallocate(); fy.deallocate(); offsets.deallocate(); padX.deallocate(); padY.deallocate() }
            for j in 0 ..< tableSide { offsets[j] = Double(j) * d }
            for n in 0 ... cols { for j in 0 ..< cols { padX[n * cols + j] = j < n ? 0 : .infinity } }
            for n in 0 ... rowsEven { for j in 0 ..< rowsEven { padY[n * rowsEven + j] = j < n ? 0 : T.rowPadding } }
            let offs = UnsafeRawPointer(offsets)
            // Without weights every point has weight 1: its factor once, not a division per point.
            let unitScale = T.scale(weight: 1, b2: b2)
            let lastCol = Double(grid.ncols - 1), lastRow = Double(grid.nrows - 1)
            for i in range {
                let wi = w.isEmpty ? 1 : w[i]
                guard wi.isFinite, wi != 0 else { continue }
                let px = x[i], py = y[i]
                // The window exactly as `addPoint` computes it: x0 and y0 depend on c0 and r0, so the
                // per-column and per-row terms round the same.
                let fx0 = (px - b - grid.xmin) / d - 0.5, fx1 = (px + b - grid.xmin) / d - 0.5
                let fy0 = (py - b - grid.ymin) / d - 0.5, fy1 = (py + b - grid.ymin) / d - 0.5
                guard fx1 >= 0, fy1 >= 0, fx0 <= lastCol, fy0 <= lastRow else { continue }
                let c0 = fx0 <= 0 ? 0 : KernelDensity.ceilInt(fx0), c1 = fx1 >= lastCol ? grid.ncols - 1 : KernelDensity.floorInt(fx1)
                let r0 = fy0 <= 0 ? 0 : KernelDensity.ceilInt(fy0), r1 = fy1 >= lastRow ? grid.nrows - 1 : KernelDensity.floorInt(fy1)
                guard c0 <= c1, r0 <= r1 else { continue }
                let nx = c1 - c0 + 1, ny = r1 - r0 + 1
                guard nx <= cols, ny <= rows else {
                    KernelDensity.addPoint(x: px, y: py, weight: wi, shape: T.shape, bandwidth: b, grid: grid, into: out,
                                           stride: stride, sx: fx, sy: fy)
                    continue
                }
                let x0 = grid.centreX(col: c0) - px, y0 = grid.centreY(row: r0) - py
                // Per-column d²/r² (+∞ beyond the point's columns) and per-row terms (padding beyond its rows).
                let x0v = SIMD2<Double>(repeating: x0), invv = SIMD2<Double>(repeating: inv)
                let padCols = UnsafeRawPointer(padX + nx * cols), padRows = UnsafeRawPointer(padY + ny * rowsEven)
                var c = 0
                while c < cols {
                    let dx = x0v + offs.loadUnaligned(fromByteOffset: c * 8, as: SIMD2<Double>.self)
                    let v = dx * dx * invv + padCols.loadUnaligned(fromByteOffset: c * 8, as: SIMD2<Double>.self)
                    UnsafeMutableRawPointer(sx).storeBytes(of: v, toByteOffset: c * 8, as: SIMD2<Double>.self)
                    c += 2
                }
                let y0v = SIMD2<Double>(repeating: y0)
                var r = 0
                while r < rowsEven {
                    let dy = y0v + offs.loadUnaligned(fromByteOffset: r * 8, as: SIMD2<Double>.self)
                    let v = T.rowTerm(dy * dy * invv) + padRows.loadUnaligned(fromByteOffset: r * 8, as: SIMD2<Double>.self)
                    UnsafeMutableRawPointer(sy).storeBytes(of: v, toByteOffset: r * 8, as: SIMD2<Double>.self)
                    r += 2
                }
                let s = w.isEmpty ? unitScale : T.scale(weight: wi, b2: b2)
                let sv = SIMD2<Double>(repeating: s)
                let base = out + r0 * stride + c0
                let xr = UnsafeRawPointer(sx)
                for ch in 0 ..< chunks {
                    let s0 = xr.loadUnaligned(fromByteOffset: ch * 64, as: SIMD2<Double>.self)
                    let s1 = xr.loadUnaligned(fromByteOffset: ch * 64 + 16, as: SIMD2<Double>.self)
                    let s2 = xr.loadUnaligned(fromByteOffset: ch * 64 + 32, as: SIMD2<Double>.self)
                    let s3 = xr.loadUnaligned(fromByteOffset: ch * 64 + 48, as: SIMD2<Double>.self)
                    let col = UnsafeMutableRawPointer(base + ch * 8)
                    for r in 0 ..< rows {
                        let a = SIMD2<Double>(repeating: sy[r])
                        let o = col + r * stride * 8
                        T.add(o, 0, a, s0, sv); T.add(o, 16, a, s1, sv); T.add(o, 32, a, s2, sv); T.add(o, 48, a, s3, sv)
                    }
                }
            }
        }
    }
}

/// One compact kernel's terms in the padded windows, each the same operations as `KernelDensity.addPoint`.
protocol WindowTerm {
    static var shape: KernelShape { get }
    /// The per-row values from dy²/r² (1 − dy²/r², or dy²/r² for the triangular kernel).
    static func rowTerm(_ dy2: SIMD2<Double>) -> SIMD2<Double>
    /// The per-row value of a padding row: its terms are ±0.
    static var rowPadding: Double { get }
    /// The point's factor: weight × the kernel's constant / r².
    static func scale(weight: Double, b2: Double) -> Double
    /// o[0..<2] += the terms of two cells from the row value, their dx²/r² and the scale.
    static func add(_ o: UnsafeMutableRawPointer, _ offset: Int, _ row: SIMD2<Double>, _ sx: SIMD2<Double>, _ s: SIMD2<Double>)
}

extension WindowTerm {
    @inline(__always) static func rowTerm(_ dy2: SIMD2<Double>) -> SIMD2<Double> { 1 - dy2 }
    static var rowPadding: Double { -.infinity }
}

/// 3/(π r²) · m², m = (1 − dy²/r²) − dx²/r² where positive.
enum Quartic: WindowTerm {
    static var shape: KernelShape { .quartic }
    @inline(__always) static func scale(weight: Double, b2: Double) -> Double { weight * 3 / (Double.pi * b2) }
    @inline(__always) static func add(_ o: UnsafeMutableRawPointer, _ offset: Int, _ a: SIMD2<Double>, _ sx: SIMD2<Double>, _ s: SIMD2<Double>) {
        let m = a - sx
        let mm = SIMD2<Double>(repeating: 0).replacing(with: m, where: m .> 0)
        let v = o.loadUnaligned(fromByteOffset: offset, as: SIMD2<Double>.self)
        o.storeBytes(of: v + s * mm * mm, toByteOffset: offset, as: SIMD2<Double>.self)
    }
}

/// 2/(π r²) · m, m = (1 − dy²/r²) − dx²/r² where positive.
enum Epanechnikov: WindowTerm {
    static var shape: KernelShape { .epanechnikov }
    @inline(__always) static func scale(weight: Double, b2: Double) -> Double { weight * 2 / (Double.pi * b2) }
    @inline(__always) static func add(_ o: UnsafeMutableRawPointer, _ offset: Int, _ a: SIMD2<Double>, _ sx: SIMD2<Double>, _ s: SIMD2<Double>) {
        let m = a - sx
        let mm = SIMD2<Double>(repeating: 0).replacing(with: m, where: m .> 0)
        let v = o.loadUnaligned(fromByteOffset: offset, as: SIMD2<Double>.self)
        o.storeBytes(of: v + s * mm, toByteOffset: offset, as: SIMD2<Double>.self)
    }
}

/// 1/(π r²) where dx²/r² < 1 − dy²/r².
enum Uniform: WindowTerm {
    static var shape: KernelShape { .uniform }
    @inline(__always) static func scale(weight: Double, b2: Double) -> Double { weight / (Double.pi * b2) }
    @inline(__always) static func add(_ o: UnsafeMutableRawPointer, _ offset: Int, _ a: SIMD2<Double>, _ sx: SIMD2<Double>, _ s: SIMD2<Double>) {
        let t = SIMD2<Double>(repeating: 0).replacing(with: s, where: sx .< a)
        let v = o.loadUnaligned(fromByteOffset: offset, as: SIMD2<Double>.self)
        o.storeBytes(of: v + t, toByteOffset: offset, as: SIMD2<Double>.self)
    }
}

/// 3/(π r²) · m, m = 1 − √(dx²/r² + dy²/r²) where positive (the row value is dy²/r², padding +∞).
enum Triangular: WindowTerm {
    static var shape: KernelShape { .triangular }
    @inline(__always) static func rowTerm(_ dy2: SIMD2<Double>) -> SIMD2<Double> { dy2 }
    static var rowPadding: Double { .infinity }
    @inline(__always) static func scale(weight: Double, b2: Double) -> Double { weight * 3 / (Double.pi * b2) }
    @inline(__always) static func add(_ o: UnsafeMutableRawPointer, _ offset: Int, _ yr: SIMD2<Double>, _ sx: SIMD2<Double>, _ s: SIMD2<Double>) {
        let m = 1 - (sx + yr).squareRoot()
        let mm = SIMD2<Double>(repeating: 0).replacing(with: m, where: m .> 0)
        let v = o.loadUnaligned(fromByteOffset: offset, as: SIMD2<Double>.self)
        o.storeBytes(of: v + s * mm, toByteOffset: offset, as: SIMD2<Double>.self)
    }
}
