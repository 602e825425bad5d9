extension EdgeCorrection {
    /// Diggle's cell-wise edge-correction factors against the study-area **polygons themselves**
    /// (not a mask of cell centres):
    /// ```
    /// e(u) = ∫_W K(v − u) dv      at every cell centre u inside W (NaN outside),
    /// W = the union of the polygons (even-odd within each MultiPolygon, as `GridMask`)
    /// ```
    /// This is spatstat's default `density.ppp(edge = TRUE, diggle = FALSE)`: the surface is divided
    /// by e at the cell, λ̂(u) = λ(u)/e(u) (`EdgeCorrection.apply`) — **not** the per-point correction
    /// `diggle = TRUE`, λ̂(u) = Σ_i K(u − p_i)/e(p_i).
    ///
    /// Method (exact up to rounding for the quartic, Epanechnikov, uniform and triangular kernels;
    /// Gauss–Legendre for the Gaussian): with G(ρ) = ∫₀^ρ k(s) s ds the kernel's radial mass function
    /// (k the radial profile, 2π G(R) = 1) and D the disc of the support radius R around u, Green's
    /// theorem in polar coordinates about u gives
    /// ```
    /// e(u) = ∫_{∂W ∩ D} G(ρ) dθ  +  G(R) · |{θ : u + R(cos θ, sin θ) ∈ W}|
    /// ```
    /// with the boundary oriented (outer rings counter-clockwise, holes clockwise) and dθ signed.
    /// Along an edge at signed distance c from u, with s the arc length from the foot of the
    /// perpendicular, dθ = c ds / (c² + s²), so for t = ρ²/R² (quartic: 2π G = 3t − 3t² + t³) the
    /// edge term is a polynomial in s, e.g. quartic (c, s in units of R, q = c²):
    /// ```
    /// 2π ∫ G dθ = c · [ s (3 − 3q + q²) + s³ (2q/3 − 1) + s⁵/5 ]  between the ends of the edge inside D
    /// ```
    /// The arcs of the circle inside W follow from where edges cross it (an edge leaving D starts an
    /// arc inside its polygon, one entering D starts an arc outside) and from the even-odd status of
    /// one point of the circle, on the row of cell centres (the `GridMask` arithmetic: even-odd within
/// each MultiPolygon, the number of MultiPolygons containing it across them, clamped to 1).
    /// Edges shared by two polygons (same two vertices, opposite directions: adjacent LSOAs) cancel
    /// and are dropped first, so only the union's outline costs time. Cells whose disc meets no
    /// outline edge get e = 1 (for the Gaussian, whose window R = 7.434 h holds 1 − 1e-12 of the mass,
    /// also 1).
    ///
    /// The polygons are assumed not to overlap one another (a tiling such as the LSOAs; parts of one
    /// MultiPolygon follow the even-odd rule): where two overlap, their masses add.
    ///
    /// Complexity: O(E · (R/Δ)²) to find, for each outline edge, the cells within R, then O(k) per
    /// such cell for its k edges (Gaussian: × 10 nodes per h of edge).
    /// References: Diggle, P. (1985) Applied Statistics 34(2), 138–147; spatstat `density.ppp`,
    /// `edge.Trans`/`second.moment.calc` (cell-wise correction by default).
    public static func factors(polygons: [MultiPolygon], grid: Grid, kernel: Kernel, workers: Int? = nil) throws(KernelDensityError) -> [Double] {
        let mask = GridMask.cellsInside(polygons, grid: grid)
        guard mask.contains(true) else { throw .emptyStudyArea }
        let outline = PolygonOutline(polygons)
        let R = kernel.supportRadius
        let nc = grid.ncols, nr = grid.nrows, d = grid.cell
        var e = [Double](repeating: .nan, count: grid.cellCount)
        for i in e.indices where mask[i] { e[i] = 1 }
        // Cells (inside W) within R of each outline edge, as a CSR list per cell.
        var count = [Int32](repeating: 0, count: grid.cellCount)
        func forEachCellNear(_ k: Int, _ body: (Int) -> Void) {
            let ax = outline.ax[k], ay = outline.ay[k], bx = outline.bx[k], by = outline.by[k]
            let c0 = KernelDensity.clampedFloor((min(ax, bx) - R - grid.xmin) / d - 0.5, 0, nc - 1)
            let c1 = KernelDensity.clampedFloor((max(ax, bx) + R - grid.xmin) / d + 0.5, 0, nc - 1)
            let r0 = KernelDensity.clampedFloor((min(ay, by) - R - grid.ymin) / d - 0.5, 0, nr - 1)
            let r1 = KernelDensity.clampedFloor((max(ay, by) + R - grid.ymin) / d + 0.5, 0, nr - 1)
            guard min(ax, bx) - R <= grid.xmax, max(ax, bx) + R >= grid.xmin, min(ay, by) - R <= grid.ymax, max(ay, by) + R >= grid.ymin else { return }
            let ex = bx - ax, ey = by - ay, L2 = ex * ex + ey * ey
            let R2 = R * R
            for r in r0 ... r1 {
                let uy = grid.centreY(row: r)
                for c in c0 ... c1 where mask[r * nc + c] {
                    let ux = grid.centreX(col: c)
                    // Squared distance from the centre to the segment.
                    let t = L2 > 0 ? min(1, max(0, ((ux - ax) * ex + (uy - ay) * ey) / L2)) : 0
                    let px = ax + t * ex - ux, py = ay + t * ey - uy
                    if px * px + py * py < R2 { body(r * nc + c) }
                }
            }
        }
        for k in 0 ..< outline.count { forEachCellNear(k) { count[$0] += 1 } }
        var start = [Int](repeating: 0, count: grid.cellCount + 1)
        var cells: [Int] = []
        for i in 0 ..< grid.cellCount {
            start[i + 1] = start[i] + Int(count[i])
            if count[i] > 0 { cells.append(i) }
        }
        guard !cells.isEmpty else { return e }
        var list = [Int32](repeating: 0, count: start[grid.cellCount])
        var fill = Array(start[0 ..< grid.cellCount])
        for k in 0 ..< outline.count { forEachCellNear(k) { list[fill[$0]] = Int32(k); fill[$0] += 1 } }
        // Even-odd crossings of every ring with each needed row of cell centres (anchors for the arcs).
        var rowNeeded = [Bool](repeating: false, count: nr)
        for i in cells { rowNeeded[i / nc] = true }
        let rowCrossings = Self.rowCrossings(polygons, grid: grid, rows: rowNeeded)
        let mass = RadialMass(kernel)
        let k = workers ?? Parallel.workerCount(items: cells.count, grain: 512)
        e.withUnsafeMutableBufferPointer { ep in
            let ctx = UncheckedSendable((ep, cells, start, list, outline, rowCrossings, mass))
            Parallel.forEachSlice(count: cells.count, workers: k) { _, range in
                let (ep, cells, start, list, outline, rowCrossings, mass) = ctx.value
                var crossings: [(angle: Double, step: Int)] = []
                var ids: [Int32] = []
                for j in range {
                    let i = cells[j]
                    let ux = grid.centreX(col: i % nc), uy = grid.centreY(row: i / nc)
                    ep[i] = mass.inside(ux: ux, uy: uy, edges: list[start[i] ..< start[i + 1]], outline: outline,
                                        rowCrossings: rowCrossings[i / nc], crossings: &crossings, ids: &ids)
                }
            }
        }
        return e
    }

    /// The crossings of every ring edge with the line through each needed row of cell centres
    /// (`Polygon.crossingX`, the half-open rule of `GridMask`), sorted by x, each with the index of its
    /// MultiPolygon (containment is even-odd within each MultiPolygon, the union across them).
    static func rowCrossings(_ polygons: [MultiPolygon], grid: Grid, rows: [Bool]) -> [[RowCrossing]] {
        var out = [[RowCrossing]](repeating: [], count: grid.nrows)
        for (id, mp) in polygons.enumerated() {
            for p in mp.polygons {
                guard p.boundingBox.maxY >= grid.ymin, p.boundingBox.minY <= grid.ymax else { continue }
                let r0 = KernelDensity.clampedFloor((p.boundingBox.minY - grid.ymin) / grid.cell - 0.5, 0, grid.nrows - 1)
                let r1 = KernelDensity.clampedFloor((p.boundingBox.maxY - grid.ymin) / grid.cell + 0.5, 0, grid.nrows - 1)
                for r in r0 ... r1 where rows[r] {
                    let py = grid.centreY(row: r)
                    for k in 0 ..< p.ringCount {
                        let s = p.ringStarts[k], e = p.ringStarts[k + 1]
                        var j = e - 1
                        for i in s ..< e {
                            if let x = Polygon.crossingX(p.xs[i], p.ys[i], p.xs[j], p.ys[j], py) { out[r].append(RowCrossing(x: x, polygon: Int32(id))) }
                            j = i
                        }
                    }
                }
            }
        }
        for r in out.indices where !out[r].isEmpty { out[r].sort { $0.x < $1.x } }
        return out
    }
}

/// Where a ring edge crosses a row line, and which MultiPolygon it belongs to.
struct RowCrossing: Sendable {
    let x: Double
    let polygon: Int32
}

/// The outline of a union of polygons as oriented edges a → b: outer rings counter-clockwise and holes
/// clockwise (by even-odd nesting depth within each MultiPolygon), with edges shared by two polygons in
/// opposite directions removed (they cancel in any boundary integral).
struct PolygonOutline: Sendable {
    var ax: [Double] = [], ay: [Double] = [], bx: [Double] = [], by: [Double] = []
    var count: Int { ax.count }

    struct Key: Hashable { let ax, ay, bx, by: Double }

    init(_ polygons: [MultiPolygon]) {
        var edges: [Key] = []
        for mp in polygons {
            var rings: [(p: Polygon, k: Int)] = []
            for p in mp.polygons { for k in 0 ..< p.ringCount { rings.append((p, k)) } }
            for (idx, ring) in rings.enumerated() {
                let p = ring.p, s = p.ringStarts[ring.k], e = p.ringStarts[ring.k + 1]
                // Nesting depth: how many other rings of this MultiPolygon contain the first edge's midpoint.
                let tx = (p.xs[s] + p.xs[s + 1]) / 2, ty = (p.ys[s] + p.ys[s + 1]) / 2
                var depth = 0
                for (other, o) in rings.enumerated() where other != idx {
                    if PolygonOutline.crossings(o.p, ring: o.k, x: tx, y: ty) & 1 == 1 { depth += 1 }
                }
                let counterClockwise = p.signedArea(ring: ring.k) > 0
                let reverse = counterClockwise != (depth % 2 == 0)
                for i in s ..< e {
                    let j = i + 1 == e ? s : i + 1
                    let (a, b) = reverse ? (j, i) : (i, j)
                    if p.xs[a] == p.xs[b] && p.ys[a] == p.ys[b] { continue }
                    edges.append(Key(ax: p.xs[a], ay: p.ys[a], bx: p.xs[b], by: p.ys[b]))
                }
            }
        }
        // Cancel a → b against b → a.
        var open: [Key: [Int]] = [:]
        var keep = [Bool](repeating: true, count: edges.count)
        for (i, k) in edges.enumerated() {
            let rev = Key(ax: k.bx, ay: k.by, bx: k.ax, by: k.ay)
            if var r = open[rev], let j = r.popLast() {
                keep[i] = false; keep[j] = false
                open[rev] = r.isEmpty ? nil : r
            } else {
                open[k, default: []].append(i)
            }
        }
        for (i, k) in edges.enumerated() where keep[i] {
            ax.append(k.ax); ay.append(k.ay); bx.append(k.bx); by.append(k.by)
        }
    }

    /// Crossings of the ray from (x, y) towards +x with ring k of p.
    static func crossings(_ p: Polygon, ring k: Int, x px: Double, y py: Double) -> Int {
        let s = p.ringStarts[k], e = p.ringStarts[k + 1]
        var n = 0, j = e - 1
        for i in s ..< e {
            if let x = Polygon.crossingX(p.xs[i], p.ys[i], p.xs[j], p.ys[j], py), px < x { n += 1 }
            j = i
        }
        return n
    }
}

/// A radially symmetric kernel's mass inside a polygon seen from a point (see
/// `EdgeCorrection.factors(polygons:grid:kernel:)`).
struct RadialMass: Sendable {
    let shape: KernelShape
    /// Support radius R (Gaussian: 7.434 h).
    let R: Double
    /// Gaussian standard deviation h (unused for compact kernels).
    let h: Double
    /// 2π G(R): 1 for the compact kernels, 1 − e^{−R²/2h²} for the Gaussian.
    let arcMass: Double

    init(_ kernel: Kernel) {
        shape = kernel.shape
        R = kernel.supportRadius
        h = kernel.bandwidth
        arcMass = shape == .gaussian ? -expm1(-R * R / (2 * h * h)) : 1
    }

    /// 10-point Gauss–Legendre nodes and weights on [−1, 1] (Abramowitz & Stegun 25.4.30).
    static let glNodes: [Double] = [0.1488743389816312, 0.4333953941292472, 0.6794095682990244, 0.8650633666889845, 0.9739065285171717]
    static let glWeights: [Double] = [0.2955242247147529, 0.2692667193099963, 0.2190863625159820, 0.1494513491505806, 0.0666713443086881]

    /// 2π ∫ G(ρ) dθ along the line at signed distance c (dθ = c ds/(c² + s²)), from s1 to s2 (metres),
    /// the whole stretch inside the disc.
    func edgeTerm(c: Double, s1: Double, s2: Double) -> Double {
        if c == 0 || !(s2 > s1) { return 0 }
        switch shape {
        case .gaussian:
            // ∫ c (1 − e^{−ρ²/2h²}) / ρ² ds: smooth on the scale h; pieces of at most h, 10 nodes each.
            let inv = 1 / (2 * h * h), c2 = c * c
            let pieces = max(1, Int(min(((s2 - s1) / h).rounded(.up), 64)))
            let w = (s2 - s1) / Double(pieces)
            var total = 0.0
            for piece in 0 ..< pieces {
                let mid = s1 + (Double(piece) + 0.5) * w, half = w / 2
                var acc = 0.0
                for q in 0 ..< 5 {
                    for sign in [-1.0, 1.0] {
                        let s = mid + sign * half * RadialMass.glNodes[q]
                        let x = (c2 + s * s) * inv
                        acc += RadialMass.glWeights[q] * (x > 0 ? -expm1(-x) / x : 1)
                    }
                }
                total += acc * half
            }
            return c * inv * total
        default:
            let cs = c / R, a = s1 / R, b = s2 / R, q = cs * cs
            return cs * (antiderivative(q: q, cAbs: abs(cs), s: b) - antiderivative(q: q, cAbs: abs(cs), s: a))
        }
    }

    /// ∫ 2π G(ρ)·(1/ρ²) ds (without the factor c), in units of R, for the compact kernels:
    /// quartic 3 − 3t + t², Epanechnikov 2 − t, uniform 1, triangular 3 − 2√t, with t = q + s².
    @inline(__always)
    func antiderivative(q: Double, cAbs: Double, s: Double) -> Double {
        let s2 = s * s
        switch shape {
        case .quartic: return s * (3 - 3 * q + q * q) + s * s2 * (2 * q / 3 - 1) + s * s2 * s2 / 5
        case .epanechnikov: return s * (2 - q) - s * s2 / 3
        case .uniform: return s
        case .triangular:
            let rho = (q + s2).squareRoot()
            return 3 * s - (s * rho + (cAbs > 0 ? q * asinh(s / cAbs) : 0))
        case .gaussian: return 0
        }
    }

    /// e(u) for the cell centre (ux, uy) with the outline edges near it; `rowCrossings` are the sorted
    /// crossings of the row through uy (for the status of the anchor point on the circle); `crossings`
    /// and `ids` are scratch.
    func inside(ux: Double, uy: Double, edges: ArraySlice<Int32>, outline: PolygonOutline, rowCrossings: [RowCrossing],
                crossings: inout [(angle: Double, step: Int)], ids: inout [Int32]) -> Double {
        crossings.removeAll(keepingCapacity: true)
        let R2 = R * R
        var inner = 0.0
        for k32 in edges {
            let k = Int(k32)
            let Ax = outline.ax[k] - ux, Ay = outline.ay[k] - uy, Bx = outline.bx[k] - ux, By = outline.by[k] - uy
            let ex = Bx - Ax, ey = By - Ay
            let L = (ex * ex + ey * ey).squareRoot()
            guard L > 0 else { continue }
            let dx = ex / L, dy = ey / L
            let c = Ax * dy - Ay * dx
            let sA = Ax * dx + Ay * dy, sB = sA + L
            let inA = Ax * Ax + Ay * Ay < R2, inB = Bx * Bx + By * By < R2
            let c2 = c * c
            if !inA && !inB && c2 >= R2 { continue }
            let hw = max(0, R2 - c2).squareRoot()
            var s1 = sA, s2 = sB
            var entering = false, leaving = false
            if inA && inB {
            } else if inA {
                s2 = min(max(hw, sA), sB); leaving = true
            } else if inB {
                s1 = max(min(-hw, sB), sA); entering = true
            } else {
                guard sA < -hw, hw < sB else { continue }
                s1 = -hw; s2 = hw; entering = true; leaving = true
            }
            inner += edgeTerm(c: c, s1: s1, s2: s2)
            // Crossing angles: leaving D starts an arc inside this edge's polygon (+1), entering one outside (−1).
            if entering { crossings.append((atan2(Ay + (s1 - sA) * dy, Ax + (s1 - sA) * dx), -1)) }
            if leaving { crossings.append((atan2(Ay + (s2 - sA) * dy, Ax + (s2 - sA) * dx), 1)) }
        }
        // Anchor: the even-odd status of the circle's point at angle 0 (or π if a crossing is closer to 0).
        var anchor = 0.0
        if !crossings.isEmpty {
            let near0 = crossings.map { abs($0.angle) }.min()!
            let nearPi = crossings.map { Double.pi - abs($0.angle) }.min()!
            if nearPi > near0 { anchor = .pi }
        }
        let px = anchor == 0 ? ux + R : ux - R
        // Inside MultiPolygon m ⇔ an odd number of its crossings lie beyond px; coverage = how many contain it.
        var lo = 0, hi = rowCrossings.count
        while lo < hi { let m = (lo + hi) / 2; if rowCrossings[m].x <= px { lo = m + 1 } else { hi = m } }
        ids.removeAll(keepingCapacity: true)
        for q in lo ..< rowCrossings.count { ids.append(rowCrossings[q].polygon) }
        ids.sort()
        var coverage = 0, run = 0
        for q in ids.indices {
            run += 1
            if q + 1 == ids.count || ids[q + 1] != ids[q] { coverage += run & 1; run = 0 }
        }
        var arcs = 0.0
        if crossings.isEmpty {
            arcs = Double(coverage) * 2 * .pi
        } else {
            let twoPi = 2 * Double.pi
            for i in crossings.indices {
                var a = crossings[i].angle - anchor
                while a < 0 { a += twoPi }
                while a >= twoPi { a -= twoPi }
                crossings[i].angle = a
            }
            crossings.sort { $0.angle < $1.angle }
            var prev = 0.0
            for x in crossings {
                arcs += Double(min(1, max(0, coverage))) * (x.angle - prev)
                coverage += x.step
                prev = x.angle
            }
            arcs += Double(min(1, max(0, coverage))) * (twoPi - prev)
        }
        return (inner + arcMass * arcs) / (2 * .pi)
    }
}
