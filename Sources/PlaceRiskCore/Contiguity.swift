/// Spatial weights from shared boundaries: polygon contiguity (queen, rook) and grid-cell queen
/// contiguity, as binary weights (w = 1) in `SpatialWeights`' CSR form. Weights between points
/// (k nearest, distance bands) are in `PointNeighbours.swift`.
///
/// Comparison with other tools:
/// * `queen` equals libpysal `Queen.from_dataframe(df)` with its default exact vertex matching
///   (`fuzzy=False`, the `_vertex_set_intersection` path) and GeoDa's queen `.gal` files: units are
///   neighbours when they share **at least one vertex with exactly equal coordinates**. A vertex of
///   one polygon lying in the middle of another's edge does not count (it is not a shared vertex),
///   nor does any tolerance: generalised boundaries that do not share vertices give islands.
/// * `rook` equals libpysal `Rook.from_dataframe`: units share an **edge**, i.e. two consecutive
///   vertices of one ring are also consecutive (in either direction) in a ring of the other.
/// * `kNearest` equals libpysal `KNN` (Euclidean); ties at equal distance are broken by the
///   smaller index (scipy's KD-tree leaves them unspecified).
/// * `distanceBand` equals libpysal `DistanceBand(binary=True)`: neighbours at d ≤ threshold.
///
/// Coordinates for `kNearest` and `distanceBand` must be projected (BNG metres), never degrees
/// (conventions §1); the caller is responsible — these functions cannot tell.
public enum Contiguity {
    // MARK: polygon contiguity

    /// Queen contiguity: i and j are neighbours when they share at least one vertex (exact
    /// coordinates; −0.0 and +0.0 are the same). Neighbour lists are in ascending index order.
    ///
    /// Method: every (vertex, unit) pair is sorted by the vertex's bit pattern, so units sharing a
    /// vertex become adjacent runs; each run of m distinct units adds its m(m − 1) ordered pairs.
    ///
    /// Complexity: O(V log V) for V vertices in all, plus the pairs found.
    public static func queen(_ polygons: [MultiPolygon]) -> SpatialWeights {
        precondition(polygons.count < Int(Int32.max), "Contiguity.queen: too many units")
        var entries: [KeyedUnit<VertexKey>] = []
        entries.reserveCapacity(polygons.reduce(0) { $0 + $1.vertexCount })
        for (u, m) in polygons.enumerated() {
            for p in m.polygons {
                for i in p.xs.indices {
                    entries.append(KeyedUnit(key: VertexKey(p.xs[i], p.ys[i]), unit: Int32(u)))
                }
            }
        }
        return weights(sharing: &entries, count: polygons.count)
    }

    /// Rook contiguity: i and j are neighbours when they share an edge — the same two vertices
    /// (exact coordinates) consecutive in a ring of each, in either direction, the closing edge
    /// (last → first vertex) included. Zero-length edges (a repeated vertex) are ignored.
    /// Neighbour lists are in ascending index order.
    ///
    /// Complexity: O(E log E) for E edges in all.
    public static func rook(_ polygons: [MultiPolygon]) -> SpatialWeights {
        precondition(polygons.count < Int(Int32.max), "Contiguity.rook: too many units")
        var entries: [KeyedUnit<EdgeKey>] = []
        entries.reserveCapacity(polygons.reduce(0) { $0 + $1.vertexCount })
        for (u, m) in polygons.enumerated() {
            for p in m.polygons {
                for k in 0 ..< p.ringCount {
                    let s = p.ringStarts[k], e = p.ringStarts[k + 1]
                    var j = e - 1
                    for i in s ..< e {
                        let a = VertexKey(p.xs[j], p.ys[j]), b = VertexKey(p.xs[i], p.ys[i])
                        if a != b { entries.append(KeyedUnit(key: EdgeKey(a, b), unit: Int32(u))) }
                        j = i
                    }
                }
            }
        }
        return weights(sharing: &entries, count: polygons.count)
    }

    /// Sorts (key, unit) entries and links every pair of distinct units that share a key.
    private static func weights<K>(sharing entries: inout [KeyedUnit<K>], count n: Int) -> SpatialWeights {
        entries.sort()
        var pairs: [UInt64] = []
        var runUnits: [Int32] = []
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count, entries[end].key == entries[start].key { end += 1 }
            if end - start > 1 {
                runUnits.removeAll(keepingCapacity: true)
                for t in start ..< end where runUnits.last != entries[t].unit { runUnits.append(entries[t].unit) }
                for a in runUnits {
                    for b in runUnits where a != b { pairs.append(UInt64(UInt32(a)) << 32 | UInt64(UInt32(b))) }
                }
            }
            start = end
        }
        pairs.sort()
        var lists = [[Int]](repeating: [], count: n)
        var last = UInt64.max
        for p in pairs where p != last {
            last = p
            lists[Int(p >> 32)].append(Int(p & 0xFFFF_FFFF))
        }
        return SpatialWeights(neighbourLists: lists)
    }

}

// MARK: - keys and the bucket index

/// A vertex's exact coordinates as bit patterns (−0.0 folded into +0.0); ordered for sorting only.
struct VertexKey: Comparable, Hashable {
    let x: UInt64
    let y: UInt64

    init(_ x: Double, _ y: Double) {
        self.x = (x == 0 ? 0.0 : x).bitPattern
        self.y = (y == 0 ? 0.0 : y).bitPattern
    }

    static func < (a: VertexKey, b: VertexKey) -> Bool { (a.x, a.y) < (b.x, b.y) }
}

/// An undirected edge: its two vertices in canonical (sorted) order.
struct EdgeKey: Comparable, Hashable {
    let a: VertexKey
    let b: VertexKey

    init(_ p: VertexKey, _ q: VertexKey) {
        if p < q { a = p; b = q } else { a = q; b = p }
    }

    static func < (l: EdgeKey, r: EdgeKey) -> Bool { l.a < r.a || (l.a == r.a && l.b < r.b) }
}

/// A key with the unit that owns it, ordered by key then unit.
struct KeyedUnit<K: Comparable>: Comparable {
    let key: K
    let unit: Int32

    static func < (l: KeyedUnit, r: KeyedUnit) -> Bool { l.key < r.key || (l.key == r.key && l.unit < r.unit) }
}

extension Contiguity {
    /// Queen contiguity among grid cells (`cellIDs`: flat ids `row · ncols + col`, any subset of the grid):
    /// the up to eight cells around each cell that are also in the list, in (row, col) scan order.
    public static func gridQueen(cellIDs ids: [Int], grid: Grid) -> SpatialWeights {
        var pos = [Int: Int](minimumCapacity: ids.count)
        for (k, id) in ids.enumerated() {
            precondition(id >= 0 && id < grid.cellCount, "Contiguity.gridQueen: cell id \(id) is outside the grid")
            pos[id] = k
        }
        return SpatialWeights(neighbourLists: ids.map { id in
            let r = id / grid.ncols, c = id % grid.ncols
            var n: [Int] = []
            for dr in -1 ... 1 { for dc in -1 ... 1 where dr != 0 || dc != 0 {
                let rr = r + dr, cc = c + dc
                guard rr >= 0, rr < grid.nrows, cc >= 0, cc < grid.ncols, let p = pos[rr * grid.ncols + cc] else { continue }
                n.append(p)
            } }
            return n
        })
    }
}
