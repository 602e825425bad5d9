import Testing
@testable import PlaceRiskReport

@Suite("Douglas–Peucker simplification")
struct SimplifyTests {
    /// A zig-zag of ±0.1 along y = 0 from x = 0 to 5, then a peak (6, 3) and (7, 0). With tolerance
    /// 0.5: (6, 3) is 3 from the chord (0,0)–(7,0): kept; (5, 0) is 15/√45 ≈ 2.24 from (0,0)–(6,3):
    /// kept; the zig-zag is 0.1 from (0,0)–(5,0): dropped. With tolerance 0.05 nothing is dropped.
    @Test func keepsEndpointsAndRemovesAZigZag() {
        let pts: [(x: Double, y: Double)] = [(0, 0), (1, 0.1), (2, -0.1), (3, 0.1), (4, -0.1), (5, 0), (6, 3), (7, 0)]
        #expect(Simplify.douglasPeuckerIndices(pts, tolerance: 0.5) == [0, 5, 6, 7])
        #expect(Simplify.douglasPeuckerIndices(pts, tolerance: 0.05) == Array(0 ..< 8))
        let line = Simplify.polyline(pts, tolerance: 100)
        #expect(line.count == 2 && line[0] == (0, 0) && line[1] == (7, 0))
    }

    /// A square with edge midpoints loses the midpoints and stays closed: 4 corners + the closing
    /// repeat. A sliver triangle under a huge tolerance still keeps 3 vertices (4 points, closed).
    @Test func ringsStayClosedWithAtLeastFourPoints() {
        let square: [(x: Double, y: Double)] = [(0, 0), (5, 0), (10, 0), (10, 5), (10, 10), (5, 10), (0, 10), (0, 5)]
        let r = Simplify.ring(square, tolerance: 0.1)
        #expect(r.count == 5)
        #expect(r[0] == (0, 0) && r[1] == (10, 0) && r[2] == (10, 10) && r[3] == (0, 10) && r[4] == (0, 0))
        let sliver: [(x: Double, y: Double)] = [(0, 0), (50, 0.2), (100, 0), (50, -0.1), (0, 0)]
        let s = Simplify.ring(sliver, tolerance: 10)
        #expect(s.count == 4 && s[0] == s[3])
        #expect(s.contains { $0 == (100, 0) } && s.contains { $0 == (50, 0.2) })
    }
}
