import Testing
import PlaceRiskCore
@testable import PlaceRiskReport

@Suite("Choropleth and raster maps")
struct MapTests {
    static func square(_ x: Double, _ y: Double, _ side: Double) -> MultiPolygon {
        MultiPolygon(Polygon(outer: [(x, y), (x + side, y), (x + side, y + side), (x, y + side)]))
    }

    /// Two 1 km squares with values 1 and 5 in two equal-interval classes: two non-empty `<path d=`
    /// elements (one per class), a legend with the units title, a scale bar, a north arrow and the
    /// attribution; the SVG parses as XML.
    @Test func choroplethOfTwoSquares() throws {
        let scale = try #require(ClassifiedScale.sequential([1, 5], classes: 2, method: .equalInterval))
        let map = MapFigure.choropleth(polygons: [Self.square(0, 0, 1000), Self.square(1000, 0, 1000)], values: [1, 5],
                                       scale: scale, title: "Violence", units: "Incidents per km²")
        let svg = map.svg()
        let paths = pathData(svg)
        #expect(paths.count == 2 && paths.allSatisfy { !$0.isEmpty })
        #expect(svg.contains("class=\"legend\"") && svg.contains("Incidents per km²"))
        #expect(svg.contains("class=\"scale-bar\"") && svg.contains("class=\"north-arrow\""))
        #expect(svg.contains("police.uk"))
        #expect(svg.contains(scale.colors[0].hex) && svg.contains(scale.colors[1].hex))
        #expect(!svg.contains("No data"))
        #expect(isWellFormedXML(svg))
    }

    /// Polygon labels become escaped tooltips: a hostile name appears only escaped, never raw, and
    /// the SVG stays well-formed. A NaN value is drawn in the no-data colour and listed in the legend.
    @Test func labelsAreEscapedAndNoDataIsListed() throws {
        let scale = try #require(ClassifiedScale.sequential([1, 2, 3], classes: 3))
        let name = "<script>alert(1)</script> & co"
        let map = MapFigure.choropleth(polygons: [Self.square(0, 0, 500), Self.square(500, 0, 500), Self.square(0, 500, 500)],
                                       values: [1, .nan, 3], scale: scale, title: name, units: "Rate",
                                       labels: [name, "Plymouth 001A", "St Ives 'Harbour'"])
        let svg = map.svg()
        #expect(!svg.contains("<script"))
        #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"))
        #expect(svg.contains("No data") && svg.contains("#f2f2f2"))
        #expect(pathData(svg).count == 3)
        #expect(isWellFormedXML(svg))
    }

    /// 3 rows × 4 columns, category codes (row 0 = south):
    /// row 0: 0 0 1 1 → 2 runs; row 1: NaN 2 2 2 → 1 run; row 2: 0 1 0 0 → 3 runs: 6 rectangles.
    /// The first run (row 0, columns 0–1) is 2 cells wide: 200 m at 0.2 px/m… checked via the run list.
    @Test func rasterMergesRunsOfEqualClass() throws {
        let grid = try Grid(xmin: 0, ymin: 0, cell: 100, ncols: 4, nrows: 3)
        let values: [Double] = [0, 0, 1, 1, .nan, 2, 2, 2, 0, 1, 0, 0]
        let scale = ClassifiedScale.categorical(colors: [RGB(hex: "#111111"), RGB(hex: "#222222"), RGB(hex: "#333333")],
                                                labels: ["a", "b", "c"])
        let layer = GridRasterLayer(grid: grid, values: values, scale: scale)
        let runs = layer.runs()
        #expect(runs.count == 6)
        #expect(runs[0] == GridRasterLayer.Run(row: 0, column: 0, length: 2, classIndex: 0))
        #expect(runs[2] == GridRasterLayer.Run(row: 1, column: 1, length: 3, classIndex: 2))
        // 400 × 300 m into 400 × 300 px: 1 px/m, so the first run is x 0, y 200 (row 0 is the bottom), 200 × 100.
        let proj = MapProjection(fitting: BoundingBox(minX: 0, minY: 0, maxX: 400, maxY: 300),
                                 into: PixelRect(x: 0, y: 0, width: 400, height: 300))
        let svg = MapLayer.raster(layer).svg(projection: proj)
        #expect(occurrences(of: "<rect", in: svg) == 6)
        #expect(svg.contains("<rect x=\"0\" y=\"200\" width=\"200\" height=\"100\"/>"))
        #expect(occurrences(of: "<g fill=", in: svg) == 3)
        let map = MapFigure.raster(grid: grid, values: values, scale: scale, title: "Cells", units: "Class",
                                   outlines: [Self.square(0, 0, 400)])
        let full = map.svg()
        #expect(full.contains("class=\"outlines\"") && isWellFormedXML(full))
    }

    /// Scale bar lengths are 1, 2 or 5 × 10^k metres; labels switch to km at 1,000 m.
    @Test func scaleBarUsesRoundLengths() {
        #expect(MapDecorations.roundLength(atMost: 7_300) == 5_000)
        #expect(MapDecorations.roundLength(atMost: 1_999) == 1_000)
        #expect(MapDecorations.roundLength(atMost: 240) == 200)
        #expect(MapDecorations.lengthLabel(500) == "500 m" && MapDecorations.lengthLabel(2_500) == "2.5 km")
    }
}
