/// One polygon: an outer ring and zero or more holes, stored as flat coordinate buffers.
///
/// Ring k is `(xs[i], ys[i])` for `i in ringStarts[k] ..< ringStarts[k + 1]`; ring 0 is the outer
/// ring, rings 1… are holes. Rings are stored **open**: when a ring's last vertex repeats its first
/// (GeoJSON/shapefile closure), the repeat is dropped, and the closing edge (last → first) is
/// implied. Orientation is kept as given; area and containment do not depend on it.
///
/// Units are whatever the caller supplies (degrees from a GeoJSON file, metres after
/// `MultiPolygon.mapCoordinates` with `BritishNationalGrid.project`).
public struct Polygon: Sendable, Equatable {
    public let xs: [Double]
    public let ys: [Double]
    /// `ringStarts.count == ringCount + 1`; the last entry is `xs.count`.
    public let ringStarts: [Int]
    /// Smallest box containing every vertex.
    public let boundingBox: BoundingBox

    /// Builds a polygon from its outer ring and holes (each ring closed or open, ≥ 3 distinct
    /// vertices, finite coordinates: programmer error otherwise; readers validate data first).
    public init(outer: [(x: Double, y: Double)], holes: [[(x: Double, y: Double)]] = []) {
        self.init(rings: [outer] + holes)
    }

    /// Builds a polygon from rings; ring 0 is the outer ring.
    public init(rings: [[(x: Double, y: Double)]]) {
        precondition(!rings.isEmpty, "Polygon: needs at least an outer ring")
        var xs: [Double] = [], ys: [Double] = [], starts = [0]
        xs.reserveCapacity(rings.reduce(0) { $0 + $1.count })
        ys.reserveCapacity(xs.capacity)
        for ring in rings {
            var m = ring.count
            if m > 1, ring[m - 1].x == ring[0].x, ring[m - 1].y == ring[0].y { m -= 1 }
            for i in 0 ..< m { xs.append(ring[i].x); ys.append(ring[i].y) }
            starts.append(xs.count)
        }
        self.init(xs: xs, ys: ys, ringStarts: starts)
    }

    /// Builds a polygon from flat buffers (rings already open, see the type's documentation).
    public init(xs: [Double], ys: [Double], ringStarts: [Int]) {
        precondition(xs.count == ys.count, "Polygon: xs and ys differ in length")
        precondition(ringStarts.count >= 2 && ringStarts.first == 0 && ringStarts.last == xs.count,
                     "Polygon: ringStarts must run from 0 to the vertex count")
        for k in 0 ..< ringStarts.count - 1 {
            precondition(ringStarts[k + 1] - ringStarts[k] >= 3, "Polygon: ring \(k) has fewer than 3 vertices")
        }
        var box = BoundingBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
        for i in xs.indices {
            precondition(xs[i].isFinite && ys[i].isFinite, "Polygon: vertex \(i) is not finite")
            box.minX = Swift.min(box.minX, xs[i]); box.maxX = Swift.max(box.maxX, xs[i])
            box.minY = Swift.min(box.minY, ys[i]); box.maxY = Swift.max(box.maxY, ys[i])
        }
        self.xs = xs
        self.ys = ys
        self.ringStarts = ringStarts
        self.boundingBox = box
    }

    /// Number of rings (1 + number of holes).
    public var ringCount: Int { ringStarts.count - 1 }

    /// The vertices of ring k (open: the first vertex is not repeated).
    public func ring(_ k: Int) -> [(x: Double, y: Double)] {
        (ringStarts[k] ..< ringStarts[k + 1]).map { (xs[$0], ys[$0]) }
    }

    /// Signed shoelace area of ring k: positive when counter-clockwise.
    /// ```
    /// A = ½ Σ_i (x_i − x_0)(y_{i+1} − y_0) − (x_{i+1} − x_0)(y_i − y_0)
    /// ```
    /// Coordinates are taken relative to the ring's first vertex, which keeps full precision for
    /// large projected coordinates (BNG metres ~ 10⁵) without changing the exact result.
    public func signedArea(ring k: Int) -> Double {
        let s = ringStarts[k], e = ringStarts[k + 1]
        let x0 = xs[s], y0 = ys[s]
        var sum = 0.0
        for i in s ..< e {
            let j = i + 1 == e ? s : i + 1
            sum += (xs[i] - x0) * (ys[j] - y0) - (xs[j] - x0) * (ys[i] - y0)
        }
        return sum / 2
    }

    /// Area = |outer ring| − Σ |holes| (shoelace; holes assumed inside the outer ring and disjoint).
    public var area: Double {
        var a = abs(signedArea(ring: 0))
        for k in 1 ..< ringCount { a -= abs(signedArea(ring: k)) }
        return a
    }

    /// Even-odd containment (see `MultiPolygon.contains(x:y:)` for the rule and boundary points).
    public func contains(x: Double, y: Double) -> Bool {
        guard boundingBox.contains(x: x, y: y) else { return false }
        return crossings(x: x, y: y) & 1 == 1
    }

    /// Number of ring edges that a ray from (x, y) towards +x crosses (half-open rule in y).
    func crossings(x px: Double, y py: Double) -> Int {
        var count = 0
        for k in 0 ..< ringStarts.count - 1 {
            let s = ringStarts[k], e = ringStarts[k + 1]
            var j = e - 1
            for i in s ..< e {
                if let xi = Polygon.crossingX(xs[i], ys[i], xs[j], ys[j], py), px < xi { count += 1 }
                j = i
            }
        }
        return count
    }

    /// Where the edge (x1, y1)–(x2, y2) crosses the horizontal line y = py, or nil when it does not
    /// under the half-open rule `(y1 > py) != (y2 > py)` (a vertex exactly on the line counts for
    /// the edge going up from it only, so a ring crosses any line an even number of times).
    /// Interpolated from the lower endpoint, so an edge gives the bit-identical x in either
    /// direction (two polygons sharing it agree). Shared by `contains` and `GridMask`.
    @inline(__always)
    static func crossingX(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ py: Double) -> Double? {
        guard (y1 > py) != (y2 > py) else { return nil }
        if y1 < y2 { return x1 + (py - y1) * (x2 - x1) / (y2 - y1) }
        return x2 + (py - y2) * (x1 - x2) / (y1 - y2)
    }

    /// The polygon with every vertex transformed (e.g. projected lon/lat → BNG metres).
    public func mapCoordinates<E: Error>(
        _ transform: (_ x: Double, _ y: Double) throws(E) -> (x: Double, y: Double)
    ) throws(E) -> Polygon {
        var nx = [Double](repeating: 0, count: xs.count), ny = nx
        for i in xs.indices {
            let p = try transform(xs[i], ys[i])
            nx[i] = p.x
            ny[i] = p.y
        }
        return Polygon(xs: nx, ys: ny, ringStarts: ringStarts)
    }
}

/// A set of polygons treated as one unit (an LSOA with islands, a GeoJSON `MultiPolygon`).
public struct MultiPolygon: Sendable, Equatable {
    public let polygons: [Polygon]
    /// Smallest box containing every vertex of every part.
    public let boundingBox: BoundingBox

    public init(_ polygons: [Polygon]) {
        precondition(!polygons.isEmpty, "MultiPolygon: needs at least one polygon")
        self.polygons = polygons
        var b = polygons[0].boundingBox
        for p in polygons.dropFirst() {
            b.minX = Swift.min(b.minX, p.boundingBox.minX); b.maxX = Swift.max(b.maxX, p.boundingBox.maxX)
            b.minY = Swift.min(b.minY, p.boundingBox.minY); b.maxY = Swift.max(b.maxY, p.boundingBox.maxY)
        }
        boundingBox = b
    }

    public init(_ polygon: Polygon) { self.init([polygon]) }

    /// Total area: Σ over parts of (outer − holes), shoelace. Square units of the coordinates.
    /// Parts are assumed disjoint (a valid MultiPolygon). A hole stored as a separate part (the ONS
    /// Devon & Cornwall file does this once, for E01018992) is added here, although `contains`
    /// treats it as a hole by the even-odd rule.
    public var area: Double { polygons.reduce(0) { $0 + $1.area } }

    /// Total number of vertices (rings stored open).
    public var vertexCount: Int { polygons.reduce(0) { $0 + $1.xs.count } }

    /// Whether (x, y) is inside, by the **even-odd rule across all rings of all parts**:
    /// ```
    /// inside ⇔ the ray from (x, y) towards +x crosses an odd number of ring edges,
    ///          an edge (x1,y1)–(x2,y2) counting when (y1 > y) ≠ (y2 > y) and
    ///          x < x1 + (y − y1)(x2 − x1)/(y2 − y1)   with (x1, y1) the lower endpoint
    /// ```
    /// (the crossing-number test; Shimrat 1962, Franklin's `pnpoly`). A point in a hole is outside;
    /// overlapping parts (invalid in GeoJSON) cancel. **Points exactly on the boundary may go
    /// either way** (in practice: on left/bottom edges inside, right/top edges outside). A point on
    /// or near an edge shared by two adjacent polygons (same two vertices, either direction) falls
    /// in exactly one of them, because both compute the same crossing. `GridMask` uses the same
    /// arithmetic and agrees bit for bit.
    public func contains(x: Double, y: Double) -> Bool {
        guard boundingBox.contains(x: x, y: y) else { return false }
        var count = 0
        for p in polygons { count += p.crossings(x: x, y: y) }
        return count & 1 == 1
    }

    /// The multipolygon with every vertex transformed, e.g.
    /// `try m.mapCoordinates { x, y throws(MyError) in … BritishNationalGrid.project(longitude: x, latitude: y) … }`.
    public func mapCoordinates<E: Error>(
        _ transform: (_ x: Double, _ y: Double) throws(E) -> (x: Double, y: Double)
    ) throws(E) -> MultiPolygon {
        var out: [Polygon] = []
        out.reserveCapacity(polygons.count)
        for p in polygons { out.append(try p.mapCoordinates(transform)) }
        return MultiPolygon(out)
    }
}

/// Which grid cells lie inside a set of polygons (e.g. the study area's LSOAs).
public enum GridMask {
    /// `mask[r · ncols + c]` is true when the centre of cell (r, c) is inside any polygon, by
    /// `MultiPolygon.contains(x:y:)` (identical arithmetic, so identical answers).
    ///
    /// Method: for each polygon, only the rows and columns whose centres fall in its bounding box
    /// are visited; per row, the edge crossings of the horizontal line through the cell centres are
    /// computed once, sorted, and swept left to right (scan-line even-odd fill).
    ///
    /// Complexity: O(Σ_p rows_p · (E_p + k log k) + cells_p) for polygon p with E_p edges, rows_p
    /// rows of cells in its box and k crossings per row — no per-cell × per-edge work.
    public static func cellsInside(_ polygons: [MultiPolygon], grid: Grid) -> [Bool] {
        var mask = [Bool](repeating: false, count: grid.cellCount)
        var xings: [Double] = []
        for poly in polygons {
            let b = poly.boundingBox
            // Generous index ranges from the box (one extra each side), then the exact centre test below.
            let c0 = clampedIndex(((b.minX - grid.xmin) / grid.cell - 0.5).rounded(.down), grid.ncols)
            let cEnd = clampedIndex(((b.maxX - grid.xmin) / grid.cell - 0.5).rounded(.up) + 1, grid.ncols)
            let r0 = clampedIndex(((b.minY - grid.ymin) / grid.cell - 0.5).rounded(.down), grid.nrows)
            let rEnd = clampedIndex(((b.maxY - grid.ymin) / grid.cell - 0.5).rounded(.up) + 1, grid.nrows)
            guard c0 < cEnd, r0 < rEnd else { continue }
            for r in r0 ..< rEnd {
                let py = grid.centreY(row: r)
                guard py >= b.minY, py <= b.maxY else { continue }
                xings.removeAll(keepingCapacity: true)
                for p in poly.polygons {
                    guard py >= p.boundingBox.minY, py <= p.boundingBox.maxY else { continue }
                    for k in 0 ..< p.ringCount {
                        let s = p.ringStarts[k], e = p.ringStarts[k + 1]
                        var j = e - 1
                        for i in s ..< e {
                            if let xi = Polygon.crossingX(p.xs[i], p.ys[i], p.xs[j], p.ys[j], py) { xings.append(xi) }
                            j = i
                        }
                    }
                }
                if xings.isEmpty { continue }
                xings.sort()
                // inside ⇔ #{crossings > px} odd ⇔ #{crossings ≤ px} has the parity of (total − 1).
                var passed = 0
                let total = xings.count
                for c in c0 ..< cEnd {
                    let px = grid.centreX(col: c)
                    guard px >= b.minX, px <= b.maxX else { continue }
                    while passed < total, xings[passed] <= px { passed += 1 }
                    if (total - passed) & 1 == 1 { mask[r * grid.ncols + c] = true }
                }
            }
        }
        return mask
    }

    /// `v` clamped to 0 ... upper as an Int (v may be far outside, never NaN for finite boxes).
    @inline(__always)
    static func clampedIndex(_ v: Double, _ upper: Int) -> Int {
        Int(Swift.min(Double(upper), Swift.max(0, v)))
    }
}
