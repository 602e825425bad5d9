import Testing
import PlaceRiskCore
@testable import PlaceRiskReport

@Suite("SVG numbers, paths and the map projection")
struct SVGPathTests {
    /// Fixed precision, half away from zero, trailing zeros dropped, no "-0", no exponent.
    @Test func numbersAreFixedPrecisionAndLocaleFree() {
        #expect(SVGNumber.format(12.345) == "12.3")
        #expect(SVGNumber.format(12.96) == "13")
        #expect(SVGNumber.format(-0.04) == "0")
        #expect(SVGNumber.format(-2.25, decimals: 1) == "-2.3")  // −22.5 exactly: half away from zero
        #expect(SVGNumber.format(0.25, decimals: 1) == "0.3")
        #expect(SVGNumber.format(1_234_567.891, decimals: 2) == "1234567.89")
        #expect(SVGNumber.format(0.000_04, decimals: 6) == "0.00004")
        #expect(SVGNumber.format(-7, decimals: 0) == "-7")
    }

    /// Rings are written compactly, duplicates after rounding are skipped, degenerate rings dropped.
    @Test func pathBuilderWritesCompactRings() {
        var b = SVGPathBuilder()
        let ring = b.addRing([(0, 0), (10, 0), (10.01, 0.02), (10, 10), (0, 0)])
        #expect(ring && b.string == "M0,0 10,0 10,10Z")
        let dot = b.addRing([(5, 5), (5.01, 5.01), (5.02, 5)])  // collapses to one point at 1 decimal
        #expect(!dot)
        let line = b.addPolyline([(1.26, 2), (3, 4.44)])
        #expect(line)
        #expect(b.string == "M0,0 10,0 10,10ZM1.3,2 3,4.4")
    }

    /// Box (100 000, 50 000)–(102 000, 51 000) m into the pixel box x 10, y 20, 400 × 300:
    /// s = min(400/2000, 300/1000) = 0.2 px/m; the 2000 × 1000 m box is 400 × 200 px, centred
    /// vertically with (300 − 200)/2 = 50 px above. So (minX, maxY) → (10, 70), (maxX, minY) →
    /// (410, 270), (minX, minY) → (10, 270), and the centre (101 000, 50 500) → (210, 170).
    @Test func projectionMapsBoxCornersToThePixelBox() {
        let box = BoundingBox(minX: 100_000, minY: 50_000, maxX: 102_000, maxY: 51_000)
        let p = MapProjection(fitting: box, into: PixelRect(x: 10, y: 20, width: 400, height: 300))
        #expect(p.scale == 0.2 && p.metresPerPixel == 5)
        let tl = p.project(x: 100_000, y: 51_000), br = p.project(x: 102_000, y: 50_000)
        let bl = p.project(x: 100_000, y: 50_000), c = p.project(x: 101_000, y: 50_500)
        #expect(tl.x == 10 && tl.y == 70)
        #expect(br.x == 410 && br.y == 270)
        #expect(bl.x == 10 && bl.y == 270)
        #expect(c.x == 210 && c.y == 170)
        let back = p.unproject(x: 410, y: 270)
        #expect(back.x == 102_000 && back.y == 50_000)
    }

    /// A tall box fills the height and is centred horizontally: 1000 × 4000 m into 400 × 400 px
    /// gives s = 0.1, 100 px wide, (400 − 100)/2 = 150 px to the left.
    @Test func projectionCentresATallBoxHorizontally() {
        let p = MapProjection(fitting: BoundingBox(minX: 0, minY: 0, maxX: 1000, maxY: 4000),
                              into: PixelRect(x: 0, y: 0, width: 400, height: 400))
        let tl = p.project(x: 0, y: 4000), br = p.project(x: 1000, y: 0)
        #expect(tl.x == 150 && tl.y == 0 && br.x == 250 && br.y == 400)
    }
}
