/// Sparse spatial weights in compressed sparse row form (CSR): the neighbours of unit i are
/// `neighbours[offsets[i] ..< offsets[i + 1]]` with weights `weights[…]` at the same positions.
///
/// One type serves LSOA contiguity (queen), k nearest centroids and distance bands. Neighbour
/// lists exclude the unit itself; statistics that include it (Gi*) add `w_ii` explicitly.
/// Transformations follow PySAL: `B` binary (w = 1), `R` row-standardised (Σ_j w_ij = 1).
public struct SpatialWeights: Sendable, Equatable {
    public let count: Int
    public let offsets: [Int]
    public let neighbours: [Int32]
    public let weights: [Double]

    /// Builds weights from neighbour lists (and optional weights, default 1). Lists must not contain
    /// the unit itself or repeat a neighbour, and every index must be in 0..<count (programmer error).
    public init(neighbourLists: [[Int]], weightLists: [[Double]]? = nil) {
        precondition(weightLists == nil || weightLists!.count == neighbourLists.count,
                     "SpatialWeights: weight lists and neighbour lists differ in length")
        let n = neighbourLists.count
        var off = [0], nb: [Int32] = [], w: [Double] = []
        off.reserveCapacity(n + 1)
        for i in 0 ..< n {
            let list = neighbourLists[i]
            precondition(Set(list).count == list.count, "SpatialWeights: unit \(i) lists a neighbour twice")
            for (k, j) in list.enumerated() {
                precondition(j >= 0 && j < n && j != i, "SpatialWeights: unit \(i) has invalid neighbour \(j)")
                nb.append(Int32(j))
                w.append(weightLists?[i][k] ?? 1)
            }
            off.append(nb.count)
        }
        count = n
        offsets = off
        neighbours = nb
        weights = w
    }

    private init(count: Int, offsets: [Int], neighbours: [Int32], weights: [Double]) {
        self.count = count
        self.offsets = offsets
        self.neighbours = neighbours
        self.weights = weights
    }

    /// Number of neighbours of unit i.
    @inlinable public func cardinality(_ i: Int) -> Int { offsets[i + 1] - offsets[i] }

    /// Units without neighbours ("islands").
    public var islands: [Int] { (0 ..< count).filter { cardinality($0) == 0 } }

    /// Σ_j w_ij for each unit.
    public var rowSums: [Double] {
        (0 ..< count).map { i in weights[offsets[i] ..< offsets[i + 1]].reduce(0, +) }
    }

    /// All weights set to 1 (PySAL `transform="B"`).
    public var binary: SpatialWeights {
        SpatialWeights(count: count, offsets: offsets, neighbours: neighbours, weights: [Double](repeating: 1, count: weights.count))
    }

    /// Row-standardised (PySAL `transform="R"`): w_ij / Σ_j w_ij; islands keep no weights.
    public var rowStandardised: SpatialWeights {
        var w = weights
        for i in 0 ..< count {
            let s = weights[offsets[i] ..< offsets[i + 1]].reduce(0, +)
            if s > 0 { for k in offsets[i] ..< offsets[i + 1] { w[k] = weights[k] / s } }
        }
        return SpatialWeights(count: count, offsets: offsets, neighbours: neighbours, weights: w)
    }

    /// Whether w_ij ≠ 0 ⇔ w_ji ≠ 0 for all pairs (contiguity is; k-nearest usually is not).
    public var isSymmetricInStructure: Bool {
        var set = Set<Int>()
        for i in 0 ..< count { for k in offsets[i] ..< offsets[i + 1] { set.insert(i * count + Int(neighbours[k])) } }
        return set.allSatisfy { set.contains(($0 % count) * count + $0 / count) }
    }

    /// The spatial lag Σ_j w_ij x_j of each unit.
    public func lag(_ x: [Double]) -> [Double] {
        precondition(x.count == count, "SpatialWeights.lag: \(x.count) values for \(count) units")
        var out = [Double](repeating: 0, count: count)
        for i in 0 ..< count {
            var s = 0.0
            for k in offsets[i] ..< offsets[i + 1] { s += weights[k] * x[Int(neighbours[k])] }
            out[i] = s
        }
        return out
    }
}

extension SpatialWeights {
    /// Binary weights linking each unit to every unit within `k` steps of this graph, itself excluded
    /// (PySAL `higher_order(w, k, lower_order=True)`): the neighbourhood of a wider scale. k = 1 gives
    /// the binary weights of the same graph.
    ///
    /// Complexity: O(U · |within k|) by breadth-first search from each unit.
    public func withinSteps(_ k: Int) -> SpatialWeights {
        precondition(k >= 1, "SpatialWeights.withinSteps: k must be ≥ 1")
        var lists = [[Int]](repeating: [], count: count)
        var mark = [Int](repeating: -1, count: count)
        for i in 0 ..< count {
            mark[i] = i
            var frontier = [i], found: [Int] = []
            for _ in 0 ..< k {
                var next: [Int] = []
                for u in frontier {
                    for e in offsets[u] ..< offsets[u + 1] {
                        let j = Int(neighbours[e])
                        if mark[j] != i { mark[j] = i; next.append(j); found.append(j) }
                    }
                }
                frontier = next
            }
            lists[i] = found.sorted()
        }
        return SpatialWeights(neighbourLists: lists)
    }
}
