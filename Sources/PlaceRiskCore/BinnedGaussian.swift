/// Binned Gaussian kernel density — opt-in and approximate, with a stated maximum error (the exact
/// sum is `KernelDensity`):
/// ```
/// 1. linear binning: each point's weight is split over the 4 nodes of a lattice of spacing
///    Δ' = cell / s around it (bilinear weights), s = ⌈10 · cell / h⌉ so that Δ' ≤ h / 10; the
///    lattice's nodes include every cell centre;
/// 2. λ(c) = 1/(2πh²) · Σ_nodes W_node · g(c_x − node_x) · g(c_y − node_y),  g(t) = exp(−t²/(2h²)),
///    |t| ≤ K·Δ' ≤ 7.434 h (the exact path's truncation), as two separable passes (rows, then columns).
/// ```
/// This is how KDEpy's FFTKDE works (linear binning, then a convolution; Wand 1994, "Fast computation of
/// multivariate kernel estimators", JCGS 3(4):433–445), except that the binning lattice is finer than
/// the output grid and the sum is direct rather than by FFT, so the bound below holds at every cell.
///
/// **Maximum error.** For each point the binned term is the bilinear interpolation, from the 4 nodes
/// around it, of p ↦ K(c − p); the tensor-product interpolation error is at most
/// Δ'²/8 · (‖∂²K/∂x²‖∞ + ‖∂²K/∂y²‖∞) with ‖∂²K/∂x²‖∞ = 1/(2πh⁴) (at dx = 0), i.e. w · Δ'²/(8πh⁴) per point.
/// Dropped or shifted tail terms (a node beyond K·Δ', so the point beyond R − 2Δ' in that axis) add
/// at most w · exp(−(R − 2Δ')²/(2h²)) / (2πh²). So, per m², at every cell,
/// ```
/// |λ_binned(c) − λ_exact(c)| ≤ W · [ Δ'²/(8πh⁴) + exp(−(R − 2Δ')²/(2h²)) / (2πh²) ],   W = Σ |w_i|
/// ```
/// (with Δ' ≤ h/10 this is at most 0.25 % of W/(2πh²), the density of all the weight at one point).
/// The bound is checked against the exact sum in the tests.
///
/// Complexity: O(n) binning + O(N_rows · ncols · (2K+1) + cells · (2K+1)) for the two passes, with
/// N_rows = s · nrows + 2(K+1) lattice rows; independent of n after the binning.
public enum BinnedGaussian {
    /// The surface and what stands behind it.
    public struct Surface: Sendable, Equatable {
        /// λ per m² at every cell centre (row-major, row 0 south).
        public let values: [Double]
        /// Lattice spacing Δ' (m) and subdivisions s of a cell (Δ' = cell / s).
        public let spacing: Double
        public let subdivisions: Int
        /// The maximum error per m² at any cell (see the type's documentation).
        public let maximumError: Double
        /// W = Σ |w_i| over the points binned.
        public let totalWeight: Double
        /// Points binned (finite coordinates and weight, non-zero weight, within the lattice).
        public let pointsBinned: Int
    }

    /// Largest lattice (nodes) built; beyond it the bandwidth is small against the cell and the exact
    /// path is the right one (`KernelDensityError.binnedLatticeTooLarge`).
    public static let maximumLatticeNodes = 64_000_000

    /// Subdivisions of a cell for bandwidth h: the smallest s with cell / s ≤ h / 10.
    public static func subdivisions(cell: Double, bandwidth h: Double) -> Int {
        let s = (10 * cell / h).rounded(.up)
        return s <= 1 ? 1 : (s >= 1e9 ? Int(1e9) : Int(s))
    }

    /// The error bound per m² for total weight W, bandwidth h and lattice spacing Δ'.
    public static func errorBound(totalWeight W: Double, bandwidth h: Double, spacing d: Double) -> Double {
        let R = h * Kernel.gaussianTruncation
        let tail = max(0, R - 2 * d)
        return W * (d * d / (8 * Double.pi * h * h * h * h) + exp(-tail * tail / (2 * h * h)) / (2 * Double.pi * h * h))
    }

    /// The binned Gaussian surface of the points (weights nil: 1 each), standard deviation `bandwidth`.
    /// Points with a non-finite coordinate or weight, or zero weight, add nothing; points beyond the
    /// grid's edge add as in the exact path (the lattice reaches R beyond every edge cell centre).
    public static func estimate(x: [Double], y: [Double], weights: [Double]? = nil, grid: Grid, bandwidth h: Double,
                                workers: Int? = nil) throws(KernelDensityError) -> Surface {
        let n = x.count
        precondition(y.count == n && (weights == nil || weights!.count == n), "BinnedGaussian: x, y and weights differ in length")
        guard h.isFinite, h > 0 else { throw .nonPositiveBandwidth(h) }
        let s = subdivisions(cell: grid.cell, bandwidth: h)
        let d = grid.cell / Double(s)
        let R = h * Kernel.gaussianTruncation
        let Kd = (R / d).rounded(.down)
        let M = Kd + 1
        let nxD = Double(grid.ncols - 1) * Double(s) + 1 + 2 * M, nyD = Double(grid.nrows - 1) * Double(s) + 1 + 2 * M
        guard nxD * nyD <= Double(maximumLatticeNodes) else {
            throw .binnedLatticeTooLarge(nodes: nxD * nyD, maximum: maximumLatticeNodes)
        }
        let K = Int(Kd), m = Int(M), nx = Int(nxD), ny = Int(nyD)
        // Node (i, j) sits at (x0 + i·Δ', y0 + j·Δ'); cell (r, c)'s centre is node (m + c·s, m + r·s).
        let x0 = grid.centreX(col: 0) - M * d, y0 = grid.centreY(row: 0) - M * d
        let g = (0 ... K).map { k -> Double in let t = Double(k) * d; return exp(-t * t / (2 * h * h)) }
        let nodes = nx * ny
        let k = min(workers ?? Parallel.workerCount(items: n, grain: 1 << 17), max(1, 32_000_000 / nodes))
        var lattice = [Double](repeating: 0, count: nodes * k)
        var binned = [Int](repeating: 0, count: k), weight = [Double](repeating: 0, count: k)
        let w = weights ?? []
        // 1. Linear binning, each worker into its own lattice.
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                w.withUnsafeBufferPointer { wp in
                    lattice.withUnsafeMutableBufferPointer { lp in
                        binned.withUnsafeMutableBufferPointer { bp in
                            weight.withUnsafeMutableBufferPointer { tp in
                                let ctx = UncheckedSendable((xp, yp, wp, lp, bp, tp))
                                Parallel.forEachSlice(count: n, workers: k) { worker, range in
                                    let (xp, yp, wp, lp, bp, tp) = ctx.value
                                    let L = lp.baseAddress! + worker * nodes
                                    let inv = 1 / d, lastX = Double(nx - 1), lastY = Double(ny - 1)
                                    var count = 0, total = 0.0
                                    for i in range {
                                        let wi = wp.isEmpty ? 1 : wp[i]
                                        let fx = (xp[i] - x0) * inv, fy = (yp[i] - y0) * inv
                                        guard wi.isFinite, wi != 0, fx >= 0, fy >= 0, fx < lastX, fy < lastY else { continue }
                                        let ix = Int(fx), iy = Int(fy)
                                        let tx = fx - Double(ix), ty = fy - Double(iy)
                                        let p = L + iy * nx + ix
                                        p[0] += wi * (1 - tx) * (1 - ty); p[1] += wi * tx * (1 - ty)
                                        p[nx] += wi * (1 - tx) * ty; p[nx + 1] += wi * tx * ty
                                        count += 1; total += abs(wi)
                                    }
                                    bp[worker] = count; tp[worker] = total
                                }
                            }
                        }
                    }
                }
            }
        }
        if k > 1 {
            lattice.withUnsafeMutableBufferPointer { lp in
                for worker in 1 ..< k { for i in 0 ..< nodes { lp[i] += lp[worker * nodes + i] } }
            }
        }
        // 2. Rows: T[j][c] = Σ_k W[j][m + c·s + k] · g(|k|), for every lattice row j.
        let ncols = grid.ncols, nrows = grid.nrows
        var rowsPass = [Double](repeating: 0, count: ny * ncols)
        lattice.withUnsafeBufferPointer { lp in
            g.withUnsafeBufferPointer { gp in
                rowsPass.withUnsafeMutableBufferPointer { tp in
                    let ctx = UncheckedSendable((lp, gp, tp))
                    Parallel.forEachSlice(count: ny, workers: Parallel.workerCount(items: ny, grain: 16)) { _, range in
                        let (lp, gp, tp) = ctx.value
                        for j in range {
                            let out = tp.baseAddress! + j * ncols
                            let row = lp.baseAddress! + j * nx
                            for c in 0 ..< ncols {
                                let centre = row + m + c * s
                                var acc = centre[0] * gp[0]
                                var q = 1
                                while q <= K { acc += (centre[q] + centre[-q]) * gp[q]; q += 1 }
                                out[c] = acc
                            }
                        }
                    }
                }
            }
        }
        // 3. Columns: λ(r, c) = 1/(2πh²) · Σ_k T[m + r·s + k][c] · g(|k|).
        var values = [Double](repeating: 0, count: grid.cellCount)
        let norm = 1 / (2 * Double.pi * h * h)
        rowsPass.withUnsafeBufferPointer { tp in
            g.withUnsafeBufferPointer { gp in
                values.withUnsafeMutableBufferPointer { vp in
                    let ctx = UncheckedSendable((tp, gp, vp))
                    Parallel.forEachSlice(count: nrows, workers: Parallel.workerCount(items: nrows, grain: 8)) { _, range in
                        let (tp, gp, vp) = ctx.value
                        for r in range {
                            let out = vp.baseAddress! + r * ncols
                            let centre = tp.baseAddress! + (m + r * s) * ncols
                            SIMDKernels.axpy(out, gp[0], centre, ncols)
                            for q in 1 ... K {  // K ≥ 74: Δ' ≤ h/10
                                SIMDKernels.axpy(out, gp[q], centre + q * ncols, ncols)
                                SIMDKernels.axpy(out, gp[q], centre - q * ncols, ncols)
                            }
                            for c in 0 ..< ncols { out[c] *= norm }
                        }
                    }
                }
            }
        }
        let W = weight.reduce(0, +)
        return Surface(values: values, spacing: d, subdivisions: s, maximumError: errorBound(totalWeight: W, bandwidth: h, spacing: d),
                       totalWeight: W, pointsBinned: binned.reduce(0, +))
    }
}
