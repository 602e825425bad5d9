/// Line simplification by Douglas–Peucker (Douglas & Peucker 1973, *Cartographica* 10(2),
/// 112–122; Ramer 1972): keep the endpoints; find the vertex farthest from the segment joining
/// them; if it is farther than the tolerance keep it and recurse on both halves, else drop
/// everything in between. Distances are to the *segment* (not the infinite line), so spikes that
/// fold back are kept. Run on projected (pixel) coordinates, the tolerance is in pixels: 0.5 px
/// removes detail nobody can see and typically cuts LSOA boundary vertices by 80–95 % at county scale.
///
/// Complexity: O(n log n) typical, O(n²) worst case; iterative (explicit stack), no recursion depth
/// limit.
///
/// Comparison with other tools: shapely/GEOS `simplify(preserve_topology=False)` is the same
/// algorithm; mapshaper's default is Visvalingam. Neighbouring polygons are simplified separately,
/// so shared edges may differ by up to the tolerance — invisible below ~1 px, which is why the
/// tolerance is in pixels.
public enum Simplify {
    /// Indices of the vertices Douglas–Peucker keeps in an open polyline (first and last always).
    public static func douglasPeuckerIndices(_ points: [(x: Double, y: Double)], tolerance: Double) -> [Int] {
        precondition(tolerance >= 0, "Simplify: the tolerance must be non-negative")
        let n = points.count
        guard n > 2 else { return Array(0 ..< n) }
        var keep = [Bool](repeating: false, count: n)
        keep[0] = true; keep[n - 1] = true
        var stack: [(Int, Int)] = [(0, n - 1)]
        let tol2 = tolerance * tolerance
        while let (a, b) = stack.popLast() {
            guard b > a + 1 else { continue }
            var worst = -1.0, at = -1
            for i in (a + 1) ..< b {
                let d = segmentDistanceSquared(points[i], points[a], points[b])
                if d > worst { worst = d; at = i }
            }
            if worst > tol2 {
                keep[at] = true
                stack.append((a, at)); stack.append((at, b))
            }
        }
        return keep.indices.filter { keep[$0] }
    }

    /// An open polyline simplified by Douglas–Peucker (endpoints kept).
    public static func polyline(_ points: [(x: Double, y: Double)], tolerance: Double) -> [(x: Double, y: Double)] {
        douglasPeuckerIndices(points, tolerance: tolerance).map { points[$0] }
    }

    /// A ring simplified so that it stays a ring: the input may be open or closed; the output is
    /// **closed** (last = first) with at least 4 points (3 distinct vertices) whenever the input has
    /// 3 distinct vertices. The ring is split at its first vertex and the vertex farthest from it,
    /// each half simplified by Douglas–Peucker; if that leaves only the two split vertices, the
    /// vertex farthest from the segment joining them is kept too. Inputs with fewer than 3 vertices
    /// are returned closed but otherwise unchanged.
    public static func ring(_ points: [(x: Double, y: Double)], tolerance: Double) -> [(x: Double, y: Double)] {
        var open = points
        if open.count > 1, open[0] == open[open.count - 1] { open.removeLast() }
        let m = open.count
        guard m >= 3 else { return m == 0 ? [] : open + [open[0]] }
        // Split vertex: the farthest from vertex 0.
        var split = 1, far = -1.0
        for i in 1 ..< m {
            let dx = open[i].x - open[0].x, dy = open[i].y - open[0].y
            let d = dx * dx + dy * dy
            if d > far { far = d; split = i }
        }
        let first = Array(open[0 ... split])
        let second = Array(open[split ..< m]) + [open[0]]
        let k1 = douglasPeuckerIndices(first, tolerance: tolerance)
        let k2 = douglasPeuckerIndices(second, tolerance: tolerance).map { $0 + split }
        var idx = k1 + k2.dropFirst()  // k2 starts at `split`, already in k1; ends at m (= vertex 0 again)
        if idx.count < 4 {
            // Only the two split vertices survived: keep the vertex farthest from their segment.
            var best = -1.0, at = -1
            for i in 0 ..< m where i != 0 && i != split {
                let d = segmentDistanceSquared(open[i], open[0], open[split])
                if d > best { best = d; at = i }
            }
            idx = [0, split, m]
            if at >= 0 { idx.insert(at, at: at < split ? 1 : 2) }
        }
        return idx.map { open[$0 % m] }
    }

    /// Squared distance from p to the segment ab.
    static func segmentDistanceSquared(_ p: (x: Double, y: Double), _ a: (x: Double, y: Double), _ b: (x: Double, y: Double)) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let len2 = dx * dx + dy * dy
        var t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0
        t = max(0, min(1, t))
        let ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y
        return ex * ex + ey * ey
    }
}
