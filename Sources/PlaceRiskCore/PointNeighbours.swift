/// Spatial weights between points (BNG metres, never degrees — conventions §1; the caller is
/// responsible): k nearest neighbours (libpysal `KNN`, ties by the smaller index) and binary distance
/// bands (libpysal `DistanceBand(binary=True)`, d ≤ threshold).
extension Contiguity {

    /// The k nearest other points of each point (Euclidean), ordered nearest first; equal distances
    /// are broken by the smaller index, so the result is the first k of all j ≠ i sorted by
    /// `(dx² + dy², j)`. Coincident points are neighbours at distance 0. Not symmetric in general.
    ///
    /// Method: points are bucketed in a uniform grid (≈ k points per bucket); each point searches
    /// square rings of buckets outwards until its k-th best distance is shorter than the distance
    /// to any bucket not yet searched.
    ///
    /// Complexity: O(n · k log k)-ish for evenly spread points (O(n) buckets); O(n²) only in
    /// degenerate clusterings. Memory O(n).
    public static func kNearest(x: [Double], y: [Double], k: Int) -> SpatialWeights {
        precondition(x.count == y.count, "Contiguity.kNearest: x and y differ in length")
        let n = x.count
        precondition(k >= 1 && k < n, "Contiguity.kNearest: k = \(k) must be in 1 ..< n = \(n)")
        let buckets = PointBuckets(x: x, y: y, minimumCell: 0, pointsPerBucket: Double(k))
        var lists = [[Int]](repeating: [], count: n)
        var best: [(d2: Double, j: Int)] = []
        best.reserveCapacity(k + 1)
        for i in 0 ..< n {
            best.removeAll(keepingCapacity: true)
            let px = x[i], py = y[i]
            let (cx, cy) = buckets.bucket(px, py)
            var r = 0
            while true {
                buckets.forEachInRing(cx: cx, cy: cy, r: r) { j in
                    guard j != i else { return }
                    let dx = x[j] - px, dy = y[j] - py
                    let d2 = dx * dx + dy * dy
                    if best.count == k {
                        let w = best[k - 1]
                        guard d2 < w.d2 || (d2 == w.d2 && j < w.j) else { return }
                        best.removeLast()
                    }
                    var pos = best.count
                    while pos > 0, best[pos - 1].d2 > d2 || (best[pos - 1].d2 == d2 && best[pos - 1].j > j) { pos -= 1 }
                    best.insert((d2, j), at: pos)
                }
                // Every point outside the searched square is at least `bound` away.
                let bound = buckets.distanceBeyondSquare(px, py, cx: cx, cy: cy, r: r)
                if bound == .infinity { break }
                if best.count == k, best[k - 1].d2 < bound * bound { break }
                r += 1
            }
            lists[i] = best.map(\.j)
        }
        return SpatialWeights(neighbourLists: lists)
    }

    /// Binary distance band: j is a neighbour of i (j ≠ i) when `√(dx² + dy²) ≤ threshold`.
    /// Symmetric; neighbour lists in ascending index order; coincident points are neighbours.
    ///
    /// Method: buckets at least `threshold` wide, so only the 3 × 3 buckets around a point are
    /// searched. Complexity: O(n + pairs within ~2·threshold); O(n) memory plus the result.
    public static func distanceBand(x: [Double], y: [Double], threshold: Double) -> SpatialWeights {
        precondition(x.count == y.count, "Contiguity.distanceBand: x and y differ in length")
        precondition(threshold.isFinite && threshold >= 0, "Contiguity.distanceBand: threshold must be finite and ≥ 0")
        let n = x.count
        guard n > 0 else { return SpatialWeights(neighbourLists: []) }
        let buckets = PointBuckets(x: x, y: y, minimumCell: threshold, pointsPerBucket: 2)
        var lists = [[Int]](repeating: [], count: n)
        for i in 0 ..< n {
            let px = x[i], py = y[i]
            let (cx, cy) = buckets.bucket(px, py)
            var list: [Int] = []
            for r in 0 ... 1 {
                buckets.forEachInRing(cx: cx, cy: cy, r: r) { j in
                    guard j != i else { return }
                    let dx = x[j] - px, dy = y[j] - py
                    if (dx * dx + dy * dy).squareRoot() <= threshold { list.append(j) }
                }
            }
            list.sort()
            lists[i] = list
        }
        return SpatialWeights(neighbourLists: lists)
    }
}

/// Points bucketed in a uniform grid (CSR: `items[start[b] ..< start[b + 1]]` are the points of
/// bucket b, ascending). The cell is never smaller than `minimumCell`, nor so small that the grid
/// would have more than ~3n buckets, nor below 10⁻⁶ of the coordinates' magnitude (so floating
/// rounding in the bucket assignment is negligible next to the safety margin of the searches).
struct PointBuckets {
    let x0: Double, y0: Double, cell: Double
    let nbx: Int, nby: Int
    let start: [Int]
    let items: [Int32]

    init(x: [Double], y: [Double], minimumCell: Double, pointsPerBucket: Double) {
        let n = x.count
        precondition(n < Int(Int32.max), "PointBuckets: too many points")
        var minX = Double.infinity, maxX = -Double.infinity, minY = Double.infinity, maxY = -Double.infinity
        for i in 0 ..< n {
            precondition(x[i].isFinite && y[i].isFinite, "Contiguity: point \(i) has a non-finite coordinate")
            minX = Swift.min(minX, x[i]); maxX = Swift.max(maxX, x[i])
            minY = Swift.min(minY, y[i]); maxY = Swift.max(maxY, y[i])
        }
        if n == 0 { minX = 0; maxX = 0; minY = 0; maxY = 0 }
        let w = maxX - minX, h = maxY - minY
        let magnitude = Swift.max(abs(minX), abs(maxX), abs(minY), abs(maxY), w, h)
        // Slightly wider than asked so a point exactly one cell away cannot skip a bucket by rounding.
        var c = Swift.max(minimumCell * (1 + 1e-6), (w * h * pointsPerBucket / Double(Swift.max(n, 1))).squareRoot())
        c = Swift.max(c, Swift.max(w, h) / Double(Swift.max(n, 1)), magnitude * 1e-6, Double.leastNormalMagnitude)
        x0 = minX
        y0 = minY
        cell = c
        nbx = Int((w / c).rounded(.down)) + 1
        nby = Int((h / c).rounded(.down)) + 1
        var counts = [Int](repeating: 0, count: nbx * nby + 1)
        var bucketOf = [Int](repeating: 0, count: n)
        for i in 0 ..< n {
            let b = Self.index(x[i], y[i], x0: minX, y0: minY, cell: c, nbx: nbx, nby: nby)
            bucketOf[i] = b
            counts[b + 1] += 1
        }
        for b in 0 ..< nbx * nby { counts[b + 1] += counts[b] }
        var fill = counts
        var it = [Int32](repeating: 0, count: n)
        for i in 0 ..< n {
            it[fill[bucketOf[i]]] = Int32(i)
            fill[bucketOf[i]] += 1
        }
        start = counts
        items = it
    }

    private static func index(_ x: Double, _ y: Double, x0: Double, y0: Double, cell: Double, nbx: Int, nby: Int) -> Int {
        let bx = Swift.min(nbx - 1, Swift.max(0, Int(((x - x0) / cell).rounded(.down))))
        let by = Swift.min(nby - 1, Swift.max(0, Int(((y - y0) / cell).rounded(.down))))
        return by * nbx + bx
    }

    func bucket(_ x: Double, _ y: Double) -> (Int, Int) {
        let b = Self.index(x, y, x0: x0, y0: y0, cell: cell, nbx: nbx, nby: nby)
        return (b % nbx, b / nbx)
    }

    /// Calls `body` with every point in the buckets at Chebyshev distance exactly r from (cx, cy).
    @inline(__always)
    func forEachInRing(cx: Int, cy: Int, r: Int, _ body: (Int) -> Void) {
        let ylo = Swift.max(0, cy - r), yhi = Swift.min(nby - 1, cy + r)
        guard ylo <= yhi else { return }
        for by in ylo ... yhi {
            let edgeRow = by == cy - r || by == cy + r
            let step = edgeRow ? 1 : 2 * r
            var bx = cx - r
            while bx <= cx + r {
                if bx >= 0, bx < nbx {
                    let b = by * nbx + bx
                    for t in start[b] ..< start[b + 1] { body(Int(items[t])) }
                }
                if step == 0 { break }
                bx += step
            }
        }
    }

    /// A lower bound (with a small safety margin) on the distance from (px, py) to any point in a
    /// bucket outside the square of buckets within Chebyshev distance r of (cx, cy); infinity when
    /// that square already covers every bucket.
    func distanceBeyondSquare(_ px: Double, _ py: Double, cx: Int, cy: Int, r: Int) -> Double {
        var d = Double.infinity
        if cx - r > 0 { d = Swift.min(d, px - (x0 + Double(cx - r) * cell)) }
        if cx + r < nbx - 1 { d = Swift.min(d, x0 + Double(cx + r + 1) * cell - px) }
        if cy - r > 0 { d = Swift.min(d, py - (y0 + Double(cy - r) * cell)) }
        if cy + r < nby - 1 { d = Swift.min(d, y0 + Double(cy + r + 1) * cell - py) }
        return d == .infinity ? d : Swift.max(0, d - cell * 1e-6)
    }
}
