/// Diggle's (1985) edge correction, cell-wise (conventions §2):
/// ```
/// e(u) = ∫_W K(v − u) dv,     λ̂_corrected(u) = λ(u) / e(u)    for u in W
/// ```
/// This is the **cell-wise** correction, spatstat's default `density.ppp(edge = TRUE, diggle = FALSE)`:
/// the surface at u is divided by the kernel mass inside W seen from u. It is not the per-point
/// ("Jones–Diggle") correction `diggle = TRUE`, λ̂(u) = Σ_i w_i K(u − p_i) / e(p_i).
///
/// Two ways to give W: `factors(polygons:grid:kernel:)` integrates the kernel against the polygons
/// themselves (exact; the one to use, see PolygonEdgeCorrection.swift); `factors(mask:grid:kernel:)`
/// below takes W as the union of mask cells (cell centres inside the study-area polygons, e.g. the LSOAs of the
/// force area: the coast of Cornwall is most of its boundary). For the Gaussian the integral over each
/// cell is exact and separable, [Φ((x₁−uₓ)/h) − Φ((x₀−uₓ)/h)]·[Φ((y₁−u_y)/h) − Φ((y₀−u_y)/h)]; for the
/// compact kernels it is a midpoint rule with s × s sub-points per mask cell,
/// s = clamp(⌈16Δ/R⌉, 4, 32) for support radius R. Cells outside W get NaN (no data).
/// Reference: Diggle, P. (1985) "A kernel method for smoothing point process data", Applied
/// Statistics 34(2), 138–147; spatstat `density.ppp(edge = TRUE)`.
public enum EdgeCorrection {
    /// e(u) at every cell centre (NaN outside the mask).
    public static func factors(mask: [Bool], grid: Grid, kernel: Kernel) throws(KernelDensityError) -> [Double] {
        precondition(mask.count == grid.cellCount, "EdgeCorrection: mask has \(mask.count) cells, grid \(grid.cellCount)")
        guard mask.contains(true) else { throw .emptyStudyArea }
        var e = kernel.shape == .gaussian ? gaussianExact(mask: mask, grid: grid, h: kernel.bandwidth)
                                          : midpoint(mask: mask, grid: grid, kernel: kernel)
        for i in e.indices where !mask[i] { e[i] = .nan }
        return e
    }

    /// λ / e inside the mask, NaN outside.
    public static func apply(_ density: [Double], factors e: [Double]) -> [Double] {
        precondition(density.count == e.count, "EdgeCorrection.apply: sizes differ")
        return zip(density, e).map { $1.isNaN || $1 <= 0 ? .nan : $0 / $1 }
    }

    static func midpoint(mask: [Bool], grid: Grid, kernel: Kernel) -> [Double] {
        let s = Int(max(4, min(32, (16 * grid.cell / kernel.supportRadius).rounded(.up))))
        let sub = grid.cell / Double(s)
        var x: [Double] = [], y: [Double] = []
        for r in 0 ..< grid.nrows {
            for c in 0 ..< grid.ncols where mask[r * grid.ncols + c] {
                let x0 = grid.xmin + Double(c) * grid.cell, y0 = grid.ymin + Double(r) * grid.cell
                for i in 0 ..< s {
                    for j in 0 ..< s {
                        x.append(x0 + (Double(j) + 0.5) * sub)
                        y.append(y0 + (Double(i) + 0.5) * sub)
                    }
                }
            }
        }
        let area = [Double](repeating: sub * sub, count: x.count)
        return KernelDensity.estimate(x: x, y: y, weights: area, grid: grid, kernel: kernel)
    }

    /// Exact Gaussian mass of each mask cell seen from every cell centre within the truncation radius 7.434 h.
    static func gaussianExact(mask: [Bool], grid: Grid, h: Double) -> [Double] {
        let d = grid.cell
        // Offsets beyond the grid's extent reach no cell: clamped before conversion (h = 1e30 is fine).
        let w = Int(min((h * Kernel.gaussianTruncation / d).rounded(.up), Double(max(grid.ncols, grid.nrows)))) + 1
        // P[k] = Φ((k + ½)Δ/h) − Φ((k − ½)Δ/h): mass of a cell k cells away along one axis.
        let p = (-w ... w).map { k -> Double in
            let a = (Double(k) - 0.5) * d / h, b = (Double(k) + 0.5) * d / h
            return 0.5 * (erf(b / 2.0.squareRoot()) - erf(a / 2.0.squareRoot()))
        }
        var e = [Double](repeating: 0, count: grid.cellCount)
        let nc = grid.ncols, nr = grid.nrows
        for r in 0 ..< nr {
            for c in 0 ..< nc where mask[r * nc + c] {
                for rr in max(0, r - w) ... min(nr - 1, r + w) {
                    let py = p[rr - r + w]
                    let base = rr * nc
                    for cc in max(0, c - w) ... min(nc - 1, c + w) { e[base + cc] += py * p[cc - c + w] }
                }
            }
        }
        return e
    }
}
