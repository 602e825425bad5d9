import Testing
import PlaceRiskCore

/// An axis-aligned square as a one-part multipolygon, counter-clockwise unless `clockwise`.
private func square(_ x: Double, _ y: Double, _ side: Double = 1, clockwise: Bool = false) -> MultiPolygon {
    var ring = [(x: x, y: y), (x: x + side, y: y), (x: x + side, y: y + side), (x: x, y: y + side)]
    if clockwise { ring.reverse() }
    return MultiPolygon(Polygon(outer: ring))
}

/// Neighbour lists of unit i, sorted (for comparisons that ignore list order).
private func sortedLists(_ w: SpatialWeights) -> [[Int]] {
    (0 ..< w.count).map { i in w.neighbours[w.offsets[i] ..< w.offsets[i + 1]].map(Int.init).sorted() }
}

@Suite("Contiguity: queen and rook on hand-made shapes")
struct ContiguityPolygonTests {
    /// A 3 × 3 block of unit squares, unit id = 3·row + col (row 0 south).
    let block: [MultiPolygon] = (0 ..< 9).map { (i: Int) -> MultiPolygon in
        square(Double(i % 3), Double(i / 3), clockwise: i % 2 == 1)
    }

    @Test func queenOnAThreeByThreeBlock() {
        let w = Contiguity.queen(block)
        // Hand count: a corner square touches 3 others, an edge square 5, the centre 8.
        #expect((0 ..< 9).map { w.cardinality($0) } == [3, 5, 3, 5, 8, 5, 3, 5, 3])
        #expect(sortedLists(w)[0] == [1, 3, 4])
        #expect(sortedLists(w)[4] == [0, 1, 2, 3, 5, 6, 7, 8])
        #expect(w.isSymmetricInStructure)
        #expect(w.weights.allSatisfy { $0 == 1 })
    }

    @Test func rookOnAThreeByThreeBlockIgnoresCornerContacts() {
        // Mixed orientations (odd ids clockwise): shared edges run in opposite or equal directions.
        let w = Contiguity.rook(block)
        // Hand count: corner 2, edge 3, centre 4 (diagonal squares share only a corner).
        #expect((0 ..< 9).map { w.cardinality($0) } == [2, 3, 2, 3, 4, 3, 2, 3, 2])
        #expect(sortedLists(w)[0] == [1, 3])
        #expect(sortedLists(w)[4] == [1, 3, 5, 7])
    }

    @Test func queenNeedsExactlySharedVerticesNotTouchingEdges() {
        // B's corner (1, 0.5) lies in the middle of A's east edge, which has no vertex there: not
        // neighbours under exact vertex matching (libpysal fuzzy=False). C shares A's corner (1, 1);
        // B and C touch nowhere (B's top is y = 0.5).
        let a = square(0, 0)
        let b = square(1, -0.5)
        let c = square(1, 1)
        let w = Contiguity.queen([a, b, c])
        #expect(sortedLists(w) == [[2], [], [0]])
        // A shared vertex that differs in the last bit is not shared.
        let d = square(1.0000000000000002, 1)
        #expect(Contiguity.queen([a, d]).islands == [0, 1])
    }

    @Test func negativeZeroEqualsPositiveZero() {
        let a = MultiPolygon(Polygon(outer: [(-1, -1), (0, -1), (0, -0.0), (-1, 0)]))
        let b = MultiPolygon(Polygon(outer: [(0.0, 0.0), (1, 0), (1, 1), (0, 1)]))
        #expect(sortedLists(Contiguity.queen([a, b])) == [[1], [0]])
    }

    @Test func holesAndMultiPartsCount() {
        // An island sitting in a lake: its outer ring is the lake's hole ring (same vertices).
        let lake = MultiPolygon(Polygon(outer: [(0, 0), (10, 0), (10, 10), (0, 10)],
                                        holes: [[(4, 4), (4, 6), (6, 6), (6, 4)]]))
        let island = MultiPolygon(Polygon(outer: [(4, 4), (6, 4), (6, 6), (4, 6)]))
        // A two-part unit whose second part touches the lake's corner (10, 10) only.
        let far = MultiPolygon([Polygon(outer: [(20, 20), (21, 20), (21, 21)]),
                                Polygon(outer: [(10, 10), (11, 10), (11, 11)])])
        #expect(sortedLists(Contiguity.queen([lake, island, far])) == [[1, 2], [0], [0]])
        #expect(sortedLists(Contiguity.rook([lake, island, far])) == [[1], [0], []])
    }

    @Test func repeatedVertexIsNoEdge() {
        // Both squares repeat the vertex (1, 1) (a zero-length edge) and share nothing else.
        let a = MultiPolygon(Polygon(outer: [(0, 0), (1, 0), (1, 1), (1, 1), (0, 1)]))
        let b = MultiPolygon(Polygon(outer: [(1, 1), (1, 1), (2, 1), (2, 2), (1, 2)]))
        #expect(Contiguity.rook([a, b]).islands == [0, 1])
        #expect(sortedLists(Contiguity.queen([a, b])) == [[1], [0]])
    }
}

@Suite("Contiguity: k nearest and distance band against the O(n²) oracle")
struct ContiguityPointTests {
    /// Brute force: all j ≠ i sorted by (dx² + dy², j) — the definition itself; the k nearest are
    /// the first k of each list.
    static func bruteOrder(_ x: [Double], _ y: [Double]) -> [[Int]] {
        (0 ..< x.count).map { i in
            var d2 = [Double](repeating: 0, count: x.count)
            for j in 0 ..< x.count {
                let dx = x[j] - x[i], dy = y[j] - y[i]
                d2[j] = dx * dx + dy * dy
            }
            return (0 ..< x.count).filter { $0 != i }.sorted { d2[$0] < d2[$1] || (d2[$0] == d2[$1] && $0 < $1) }
        }
    }

    static func bruteKNN(_ x: [Double], _ y: [Double], _ k: Int) -> [[Int]] {
        bruteOrder(x, y).map { Array($0.prefix(k)) }
    }

    /// Brute force: every j ≠ i with √(dx² + dy²) ≤ t, ascending.
    static func bruteBand(_ x: [Double], _ y: [Double], _ t: Double) -> [[Int]] {
        (0 ..< x.count).map { i in
            (0 ..< x.count).filter { j in
                let dx = x[j] - x[i], dy = y[j] - y[i]
                return j != i && (dx * dx + dy * dy).squareRoot() <= t
            }
        }
    }

    static func lists(_ w: SpatialWeights) -> [[Int]] {
        (0 ..< w.count).map { i in w.neighbours[w.offsets[i] ..< w.offsets[i + 1]].map(Int.init) }
    }

    /// Three point sets: uniform in a BNG-sized box, a clustered set, and an integer lattice with
    /// duplicates (many exactly equal distances, so the tie rule matters).
    static func pointSets() -> [(name: String, x: [Double], y: [Double])] {
        var g = SeededGenerator(seed: 20_240_601)
        let n = 700
        let ux = (0 ..< n).map { _ in Double.random(in: 130_000 ... 340_000, using: &g) }
        let uy = (0 ..< n).map { _ in Double.random(in: 10_000 ... 150_000, using: &g) }
        var cx: [Double] = [], cy: [Double] = []
        for c in 0 ..< 7 {
            let (mx, my) = (Double(c) * 20_000, Double(c % 3) * 15_000)
            for _ in 0 ..< 90 {
                cx.append(mx + Double.random(in: -300 ... 300, using: &g))
                cy.append(my + Double.random(in: -300 ... 300, using: &g))
            }
        }
        cx.append(1e6); cy.append(1e6) // one far outlier
        let lx = (0 ..< 500).map { _ in Double(Int.random(in: 0 ..< 15, using: &g)) * 10 }
        let ly = (0 ..< 500).map { _ in Double(Int.random(in: 0 ..< 15, using: &g)) * 10 }
        return [("uniform", ux, uy), ("clustered", cx, cy), ("lattice", lx, ly)]
    }

    static let sets = pointSets()
    /// The oracle's full neighbour order of every point of every set, computed once.
    static let orders = sets.map { bruteOrder($0.x, $0.y) }

    @Test(arguments: [1, 4, 8, 30])
    func kNearestEqualsBruteForce(k: Int) {
        for (s, order) in zip(Self.sets, Self.orders) {
            let w = Contiguity.kNearest(x: s.x, y: s.y, k: k)
            #expect(Self.lists(w) == order.map { Array($0.prefix(k)) }, "set \(s.name), k = \(k)")
            #expect((0 ..< w.count).allSatisfy { w.cardinality($0) == k })
        }
    }

    @Test func kNearestTieBreakByIndexOnHandMadePoints() {
        // Point 0 at the origin; points 1…4 all at distance 1 (hand-made): the two nearest are 1, 2.
        let x: [Double] = [0, 0, 1, 0, -1], y: [Double] = [0, 1, 0, -1, 0]
        let w = Contiguity.kNearest(x: x, y: y, k: 2)
        #expect(Self.lists(w)[0] == [1, 2])
        // Point 1 (0, 1): distances 1 (to 0), √2 (to 2 and 4), 2 (to 3) → [0, 2].
        #expect(Self.lists(w)[1] == [0, 2])
    }

    @Test(arguments: [0.0, 10, 25, 1_000, 12_000])
    func distanceBandEqualsBruteForce(threshold: Double) {
        for s in Self.sets {
            let w = Contiguity.distanceBand(x: s.x, y: s.y, threshold: threshold)
            #expect(Self.lists(w) == Self.bruteBand(s.x, s.y, threshold), "set \(s.name), threshold \(threshold)")
            #expect(w.isSymmetricInStructure)
        }
    }

    @Test func distanceBandIncludesTheThresholdItself() {
        // Hand-made: points 3 m apart on a line; threshold 3 links neighbours, not the ends (6 m).
        let w = Contiguity.distanceBand(x: [0, 3, 6], y: [0, 0, 0], threshold: 3)
        #expect(Self.lists(w) == [[1], [0, 2], [1]])
        // Coincident points are neighbours at any threshold, 0 included.
        #expect(Self.lists(Contiguity.distanceBand(x: [5, 5, 9], y: [1, 1, 1], threshold: 0)) == [[1], [0], []])
    }

    @Test func collinearPointsStayCorrect() {
        // 1,200 points on one line (a degenerate, one-row bucket grid): k = 1 and a 1.5 m band;
        // spacing 2 m with every 7th gap 1 m, so many exact ties (oracle: brute force).
        var x: [Double] = [], pos = 0.0
        for i in 0 ..< 1_200 { x.append(pos); pos += i % 7 == 6 ? 1 : 2 }
        let y = [Double](repeating: 42, count: x.count)
        #expect(Self.lists(Contiguity.kNearest(x: x, y: y, k: 1)) == Self.bruteKNN(x, y, 1))
        #expect(Self.lists(Contiguity.distanceBand(x: x, y: y, threshold: 1.5)) == Self.bruteBand(x, y, 1.5))
    }
}
