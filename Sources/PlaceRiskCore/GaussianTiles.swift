/// The fixed-bandwidth Gaussian kernel density as blocked matrix products.
///
/// The Gaussian factorises: K(c − p) ∝ e_y(r − p_y) · e_x(c − p_x), so the surface is
/// ```
/// λ[r][c] = Σ_p a_p[r] · b_p[c],   a_p[r] = w_p e^{−(y_r − p_y)²/2h²} / (2πh²),  b_p[c] = e^{−(x_c − p_x)²/2h²}
/// ```
/// a sum of outer products that is a matrix product Aᵀ·B. Points are bucketed by (cell row,
/// block of `blockWidth` columns); each bucket's product covers the rows within K = ⌈R/Δ⌉ of the
/// bucket's row and the columns within K of its block (R = 7.434 h: beyond it each point's mass is
/// below 1e-12), and is accumulated in registers, 4 rows × 4 columns at a time, over the bucket's
/// points — so the output is written once per bucket instead of once per point. Terms beyond K cells
/// of a point's own cell are set to exactly 0 (the truncation), so the result is the same windowed
/// sum as the per-point path, summed in a different order.
enum GaussianTiles {
    static let blockWidth = 8

    static func estimate(x: UnsafeBufferPointer<Double>, y: UnsafeBufferPointer<Double>, w: UnsafeBufferPointer<Double>,
                         grid: Grid, h: Double, workers k: Int) -> [Double] {
        let n = x.count, d = grid.cell
        // The caller routes windows wider than the grid to the per-point path; clamped before conversion.
        let K = Int(min((h * Kernel.gaussianTruncation / d).rounded(.up), Double(max(grid.ncols, grid.nrows) + 1)))
        // Tile rows and columns, padded to multiples of 4 for the register-blocked product (the padding
        // holds zeros and is never written back).
        let W = (2 * K + 1 + 3) / 4 * 4
        let B = blockWidth
        let Bw = (B + 2 * K + 3) / 4 * 4
        let nbx = (grid.ncols + B - 1) / B
        let nBuckets = grid.nrows * nbx
        // Bucket points by (row, column block); points off the grid by more than K cells are dropped.
        var bucketOf = [Int32](repeating: -1, count: n)
        var counts = [Int](repeating: 0, count: nBuckets + 1)
        for i in 0 ..< n {
            let wi = w.isEmpty ? 1 : w[i]
            guard wi.isFinite, wi != 0 else { continue }
            let fc = (x[i] - grid.xmin) / d, fr = (y[i] - grid.ymin) / d
            guard fc.isFinite, fr.isFinite, fc > Double(-K - 1), fr > Double(-K - 1),
                  fc < Double(grid.ncols + K + 1), fr < Double(grid.nrows + K + 1) else { continue }
            // Points just outside the grid join the nearest edge bucket (their windows still reach in).
            let c = min(max(KernelDensity.floorInt(fc), 0), grid.ncols - 1)
            let r = min(max(KernelDensity.floorInt(fr), 0), grid.nrows - 1)
            let b = r * nbx + c / B
            bucketOf[i] = Int32(b)
            counts[b + 1] += 1
        }
        for b in 0 ..< nBuckets { counts[b + 1] += counts[b] }
        var order = [Int32](repeating: 0, count: counts[nBuckets])
        var fill = counts
        for i in 0 ..< n where bucketOf[i] >= 0 {
            let b = Int(bucketOf[i]); order[fill[b]] = Int32(i); fill[b] += 1
        }
        // Gather the points in bucket order once (a tight loop the CPU can overlap), so the per-bucket
        // work below reads them sequentially.
        let m = order.count
        var xs = [Double](repeating: 0, count: m), ys = xs, ws = xs
        for j in 0 ..< m {
            let i = Int(order[j])
            xs[j] = x[i]; ys[j] = y[i]; ws[j] = w.isEmpty ? 1 : w[i]
        }
        let cells = grid.cellCount
        var partial = [Double](repeating: 0, count: cells * k)
        let norm = 1 / (2 * Double.pi * h * h)
        xs.withUnsafeBufferPointer { x in
        ys.withUnsafeBufferPointer { y in
        ws.withUnsafeBufferPointer { w in
            counts.withUnsafeBufferPointer { cp in
                partial.withUnsafeMutableBufferPointer { pp in
                    let ctx = UncheckedSendable((cp, pp, x, y, w))
                    Parallel.forEachSlice(count: nBuckets, workers: k) { worker, buckets in
                        let (cp, pp, x, y, w) = ctx.value
                        let out = pp.baseAddress! + worker * cells
                        let chunk = 128
                        let A = UnsafeMutablePointer<Double>.allocate(capacity: chunk * W)
                        let Bm = UnsafeMutablePointer<Double>.allocate(capacity: chunk * Bw)
                        let T = UnsafeMutablePointer<Double>.allocate(capacity: W * Bw)
                        defer { A.deallocate(); Bm.deallocate(); T.deallocate() }
                        for b in buckets {
                            let lo = cp[b], hi = cp[b + 1]
                            if lo == hi { continue }
                            let r = b / nbx, cb = (b % nbx) * B
                            let rowStart = r - K, colStart = cb - K
                            T.initialize(repeating: 0, count: W * Bw)
                            var s = lo
                            while s < hi {
                                let m = min(chunk, hi - s)
                                for t in 0 ..< m {
                                    let i = s + t
                                    let wi = w[i] * norm
                                    // Rows/columns of this point's own window, relative to the tile.
                                    let pr = min(max(KernelDensity.floorInt((y[i] - grid.ymin) / d), -K - 1), grid.nrows + K)
                                    let pc = min(max(KernelDensity.floorInt((x[i] - grid.xmin) / d), -K - 1), grid.ncols + K)
                                    let a = A + t * W, bb = Bm + t * Bw
                                    a.initialize(repeating: 0, count: W)
                                    bb.initialize(repeating: 0, count: Bw)
                                    let r0 = max(0, pr - K - rowStart), r1 = min(W - 1, pr + K - rowStart)
                                    if r0 <= r1 {
                                        KernelDensity.gaussianTerms(start: grid.centreY(row: rowStart + r0) - y[i], step: d, h: h, count: r1 - r0 + 1, into: a + r0)
                                        for q in r0 ... r1 { a[q] *= wi }
                                    }
                                    let c0 = max(0, pc - K - colStart), c1 = min(Bw - 1, pc + K - colStart)
                                    if c0 <= c1 {
                                        KernelDensity.gaussianTerms(start: grid.centreX(col: colStart + c0) - x[i], step: d, h: h, count: c1 - c0 + 1, into: bb + c0)
                                    }
                                }
                                accumulate(T, A, Bm, m: m, W: W, Bw: Bw)
                                s += m
                            }
                            // Add the tile's in-grid part.
                            for q in 0 ..< W {
                                let gr = rowStart + q
                                if gr < 0 || gr >= grid.nrows { continue }
                                let c0 = max(0, -colStart), c1 = min(Bw - 1, grid.ncols - 1 - colStart)
                                if c0 > c1 { continue }
                                let o = out + gr * grid.ncols + colStart, tr = T + q * Bw
                                for c in c0 ... c1 { o[c] += tr[c] }
                            }
                        }
                    }
                }
            }
        }
        }
        }
        return Parallel.sumPartials(partial, count: cells, workers: k)
    }

    /// T[q][c] += Σ_t A[t][q] · B[t][c], register-blocked 4 rows × 4 columns (W and Bw are multiples of 4).
    @inline(__always)
    static func accumulate(_ T: UnsafeMutablePointer<Double>, _ A: UnsafeMutablePointer<Double>, _ Bm: UnsafeMutablePointer<Double>,
                           m: Int, W: Int, Bw: Int) {
        let bStride = Bw * 8
        var q = 0
        while q < W {
            var c = 0
            while c < Bw {
                var acc0 = SIMD4<Double>.zero, acc1 = SIMD4<Double>.zero, acc2 = SIMD4<Double>.zero, acc3 = SIMD4<Double>.zero
                var bp = UnsafeRawPointer(Bm + c)
                var ap = A + q
                for _ in 0 ..< m {
                    let bv = bp.loadUnaligned(as: SIMD4<Double>.self)
                    acc0 += ap[0] * bv
                    acc1 += ap[1] * bv
                    acc2 += ap[2] * bv
                    acc3 += ap[3] * bv
                    bp += bStride
                    ap += W
                }
                let t = UnsafeMutableRawPointer(T + q * Bw + c)
                t.storeBytes(of: t.loadUnaligned(as: SIMD4<Double>.self) + acc0, as: SIMD4<Double>.self)
                t.storeBytes(of: t.loadUnaligned(fromByteOffset: bStride, as: SIMD4<Double>.self) + acc1, toByteOffset: bStride, as: SIMD4<Double>.self)
                t.storeBytes(of: t.loadUnaligned(fromByteOffset: 2 * bStride, as: SIMD4<Double>.self) + acc2, toByteOffset: 2 * bStride, as: SIMD4<Double>.self)
                t.storeBytes(of: t.loadUnaligned(fromByteOffset: 3 * bStride, as: SIMD4<Double>.self) + acc3, toByteOffset: 3 * bStride, as: SIMD4<Double>.self)
                c += 4
            }
            q += 4
        }
    }
}
