/// Per-point bandwidths for adaptive kernel density.
///
/// Abramson (1982) square-root law: with a fixed-bandwidth pilot density λ̃ evaluated exactly at each
/// point and g its weighted geometric mean,
/// ```
/// h_i = h₀ · (λ̃(p_i) / g)^(−½)
/// ```
/// so bandwidths shrink in dense areas and grow in sparse ones (Abramson, I. S. 1982, Annals of
/// Statistics 10(4), 1217–1223; spatstat `densityAdaptiveKernel`). The pilot includes each point's own
/// kernel, so λ̃ > 0. k-nearest-neighbour bandwidths (CrimeStat's adaptive option): h_i = distance
/// to the k-th nearest other point, floored at `minimum`.
///
/// Complexity: pilot and k-NN use a bucket index of cell size R: O(n · m) for m points per
/// neighbourhood.
public enum AdaptiveBandwidth {
    public static func abramson(x: [Double], y: [Double], weights: [Double]?, pilot: Kernel) -> [Double] {
        let lam = pointDensity(x: x, y: y, weights: weights, kernel: pilot)
        var sw = 0.0, slog = 0.0
        for i in lam.indices where lam[i] > 0 {
            let w = weights?[i] ?? 1
            sw += w; slog += w * log(lam[i])
        }
        let g = exp(slog / max(sw, .leastNormalMagnitude))
        return lam.map { $0 > 0 ? pilot.bandwidth / ($0 / g).squareRoot() : pilot.bandwidth }
    }

    /// Distance from each point to its k-th nearest other point (at least `minimum`).
    public static func kNearest(x: [Double], y: [Double], k: Int, minimum: Double) -> [Double] {
        precondition(k >= 1 && k < x.count, "AdaptiveBandwidth.kNearest: need 1 ≤ k < n")
        let index = BucketIndex(x: x, y: y, cell: max(minimum, spreadScale(x, y, k: k)))
        return (0 ..< x.count).map { i in max(minimum, index.kthNearestDistance(i, k: k)) }
    }

    /// λ̃(p_i) = Σ_j w_j K(‖p_i − p_j‖), exactly, for every point (per m²).
    public static func pointDensity(x: [Double], y: [Double], weights: [Double]?, kernel: Kernel) -> [Double] {
        let R = kernel.supportRadius
        let index = BucketIndex(x: x, y: y, cell: R)
        var out = [Double](repeating: 0, count: x.count)
        for i in x.indices where x[i].isFinite && y[i].isFinite {
            var s = 0.0
            index.forEachNear(x: x[i], y: y[i], radius: R) { j in
                let dx = x[j] - x[i], dy = y[j] - y[i]
                s += (weights?[j] ?? 1) * kernel.value(squaredDistance: dx * dx + dy * dy)
            }
            out[i] = s
        }
        return out
    }

    /// A scale for k-NN bucket cells: the side of a square holding ~k points on average.
    static func spreadScale(_ x: [Double], _ y: [Double], k: Int) -> Double {
        guard let b = BoundingBox.enclosing(x: x, y: y) else { return 1 }
        let area = max(1, (b.maxX - b.minX) * (b.maxY - b.minY))
        return (area * Double(k) / Double(max(1, x.count))).squareRoot()
    }
}

/// Points bucketed into square cells for neighbourhood queries.
struct BucketIndex {
    let x: [Double], y: [Double]
    let cell: Double
    let minX: Double, minY: Double
    let nx: Int, ny: Int
    let starts: [Int]
    let items: [Int]

    init(x: [Double], y: [Double], cell: Double) {
        self.x = x; self.y = y
        let b = BoundingBox.enclosing(x: x, y: y) ?? BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)
        let extent = max(b.maxX - b.minX, b.maxY - b.minY)
        let c = extent.isFinite ? max(cell, extent / 4096, 1e-9) : .greatestFiniteMagnitude
        self.cell = c
        minX = b.minX; minY = b.minY
        nx = KernelDensity.clampedFloor((b.maxX - b.minX) / c, 0, 4096) + 1
        ny = KernelDensity.clampedFloor((b.maxY - b.minY) / c, 0, 4096) + 1
        var counts = [Int](repeating: 0, count: nx * ny + 1)
        var key = [Int](repeating: -1, count: x.count)
        for i in x.indices where x[i].isFinite && y[i].isFinite {
            let k = KernelDensity.clampedFloor((y[i] - b.minY) / c, 0, ny - 1) * nx + KernelDensity.clampedFloor((x[i] - b.minX) / c, 0, nx - 1)
            key[i] = k
            counts[k + 1] += 1
        }
        for k in 0 ..< nx * ny { counts[k + 1] += counts[k] }
        var fill = counts
        var it = [Int](repeating: 0, count: counts[nx * ny])
        for i in x.indices where key[i] >= 0 { it[fill[key[i]]] = i; fill[key[i]] += 1 }
        starts = counts
        items = it
    }

    /// Calls `body` with every point whose bucket lies within `radius` of (px, py) (a superset of the
    /// points within the radius).
    func forEachNear(x px: Double, y py: Double, radius: Double, _ body: (Int) -> Void) {
        // Clamped in floating point before conversion: a huge radius (bandwidth 1e30) covers every bucket.
        let c0 = KernelDensity.clampedFloor((px - radius - minX) / cell, 0, nx - 1), c1 = KernelDensity.clampedFloor((px + radius - minX) / cell, 0, nx - 1)
        let r0 = KernelDensity.clampedFloor((py - radius - minY) / cell, 0, ny - 1), r1 = KernelDensity.clampedFloor((py + radius - minY) / cell, 0, ny - 1)
        guard px - radius - minX <= Double(nx) * cell, px + radius - minX >= 0, py - radius - minY <= Double(ny) * cell, py + radius - minY >= 0 else { return }
        guard c0 <= c1, r0 <= r1 else { return }
        for r in r0 ... r1 {
            for c in c0 ... c1 {
                let k = r * nx + c
                for t in starts[k] ..< starts[k + 1] { body(items[t]) }
            }
        }
    }

    /// Distance from point i to its k-th nearest other point, by expanding rings of buckets.
    func kthNearestDistance(_ i: Int, k: Int) -> Double {
        var radius = cell
        while true {
            var d: [Double] = []
            forEachNear(x: x[i], y: y[i], radius: radius) { j in
                if j != i { let dx = x[j] - x[i], dy = y[j] - y[i]; d.append((dx * dx + dy * dy).squareRoot()) }
            }
            let covered = radius >= Double(max(nx, ny)) * cell
            if d.count >= k {
                d.sort()
                // Only distances ≤ radius are certain to be complete.
                if d[k - 1] <= radius || covered { return d[k - 1] }
            } else if covered {
                return d.max() ?? .infinity
            }
            radius *= 2
        }
    }
}
