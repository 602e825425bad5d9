import Foundation
import Testing
import PlaceRiskCore
@testable import PlaceRiskReport

/// CIE L*a*b* (D65) of an sRGB colour, for palette distinctness checks (CIE76 ΔE*ab).
private func lab(_ c: RGB) -> (Double, Double, Double) {
    func lin(_ v: UInt8) -> Double { let s = Double(v) / 255; return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4) }
    let r = lin(c.r), g = lin(c.g), b = lin(c.b)
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    func f(_ t: Double) -> Double { t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116 }
    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))
}

private func deltaE(_ a: RGB, _ b: RGB) -> Double {
    let p = lab(a), q = lab(b)
    return ((p.0 - q.0) * (p.0 - q.0) + (p.1 - q.1) * (p.1 - q.1) + (p.2 - q.2) * (p.2 - q.2)).squareRoot()
}

@Suite("Log scales, palettes, insets, accessibility and print")
struct MapsAccessibilityPrintTests {
    static func square(_ x: Double, _ y: Double, _ side: Double) -> MultiPolygon {
        MultiPolygon(Polygon(outer: [(x, y), (x + side, y), (x + side, y + side), (x, y + side)]))
    }

    /// KDE-like values 0 … 237 per km²: round 1–2–5 breaks up to 500, the 3.7–237 range spread over
    /// several classes (not one), zeros and NaN unclassed (transparent), viridis end colours.
    @Test func logarithmicScaleHasRoundBreaksAndLeavesZerosTransparent() throws {
        let values: [Double] = [0, 0, .nan, 0.3, 1.5, 3.7, 8, 15, 40, 90, 237]
        let s = try #require(ClassifiedScale.logarithmic(values))
        #expect(s.breaks.upperBounds == [2, 5, 10, 20, 50, 100, 200, 500])
        #expect(s.labels.first == "≤ 2" && s.labels[1] == "2 – 5" && s.labels.last == "200 – 500")
        #expect(s.classIndex(of: 0) == nil && s.classIndex(of: .nan) == nil && s.classIndex(of: -1) == nil)
        #expect(s.classIndex(of: 3.7) == 1 && s.classIndex(of: 237) == 7 && s.classIndex(of: 0.3) == 0)
        #expect(s.colors.first == ColorRamp.viridis.anchors.first && s.colors.last == ColorRamp.viridis.anchors.last)
        // Fewer data decades, fewer classes; small numbers keep their first digit.
        let small = try #require(ClassifiedScale.logarithmic([0.02, 0.3, 0.9]))
        #expect(small.breaks.upperBounds == [0.05, 0.1, 0.2, 0.5, 1])
        #expect(small.labels == ["≤ 0.05", "0.05 – 0.1", "0.1 – 0.2", "0.2 – 0.5", "0.5 – 1"])
        #expect(ClassifiedScale.logarithmic([0, .nan]) == nil)
        // A floor hides the near-zero fringe.
        let floored = try #require(ClassifiedScale.logarithmic([1e-6, 0.5, 12], floor: 0.1))
        #expect(floored.classIndex(of: 1e-6) == nil && floored.classIndex(of: 0.5) != nil)
        #expect(NiceLogSeries.ceiling(3.7) == 5 && NiceLogSeries.ceiling(10) == 10 && NiceLogSeries.ceiling(237) == 500)
    }

    /// A raster with zero cells under a log scale: zeros draw nothing, the legend carries the units
    /// title, the round labels and a "No data" row.
    @Test func rasterWithLogScaleListsNoData() throws {
        let grid = try Grid(xmin: 0, ymin: 0, cell: 500, ncols: 4, nrows: 1)
        let values: [Double] = [0, 1.2, 30, 237]
        let scale = try #require(ClassifiedScale.logarithmic(values))
        let svg = MapFigure.raster(grid: grid, values: values, scale: scale, title: "Density", units: "Crimes per km²").svg()
        #expect(occurrences(of: "<rect x=", in: svg.components(separatedBy: "class=\"raster\"")[1].components(separatedBy: "</g></g>")[0]) == 3)
        #expect(svg.contains("Crimes per km²") && svg.contains("200 – 500") && svg.contains("No data"))
        #expect(isWellFormedXML(svg))
    }

    /// The emerging hot spot palette covers all 17 patterns with distinct colours (ΔE*ab ≥ 10 between
    /// any two, and from the no-data grey); hot patterns are warm (r > b), cold ones cool (b > r).
    @Test func emergingHotSpotPaletteIsCompleteAndDistinct() {
        let order = ColorPalettes.emergingHotSpotOrder
        #expect(order.count == 17 && Set(order).count == 17)
        #expect(Set(ColorPalettes.emergingHotSpot.keys) == Set(order))
        let pattern = EmergingHotSpotPattern.allCases.map(\.rawValue)
        #expect(Set(pattern) == Set(order))
        let colors = order.map { ColorPalettes.emergingHotSpot[$0]! } + [ColorPalettes.noData]
        for i in colors.indices {
            for j in colors.indices where j > i {
                #expect(deltaE(colors[i], colors[j]) >= 10, "\(i) \(j): \(colors[i]) vs \(colors[j])")
            }
        }
        for name in order where name.hasSuffix("Hot Spot") { #expect(ColorPalettes.emergingHotSpot[name]!.r > ColorPalettes.emergingHotSpot[name]!.b) }
        for name in order where name.hasSuffix("Cold Spot") { #expect(ColorPalettes.emergingHotSpot[name]!.b > ColorPalettes.emergingHotSpot[name]!.r) }
        #expect(ColorPalettes.emergingHotSpotCode("Persistent Hot Spot") == 4)
        #expect(ColorPalettes.emergingHotSpotCode("bogus").isNaN)
        let scale = ColorPalettes.emergingHotSpotScale
        #expect(scale.color(of: 1) == ColorPalettes.emergingHotSpot["New Hot Spot"])
        let legend = ColorPalettes.emergingHotSpotLegend(present: ["New Hot Spot"], noData: true)
        #expect(legend.entries.map(\.label) == ["New Hot Spot", "No data"])
    }

    /// A choropleth built by hand (no no-data row in its legend) with a NaN polygon gains the row.
    @Test func everyMapWithUnfilledAreasGetsANoDataRow() throws {
        let scale = ColorPalettes.emergingHotSpotScale
        let layer = PolygonFillLayer(polygons: [Self.square(0, 0, 100), Self.square(100, 0, 100)], values: [1, .nan], scale: scale)
        let map = MapFigure(title: "EHS", layers: [.polygons(layer)], legend: ColorPalettes.emergingHotSpotLegend(noData: false))
        #expect(map.hasUnfilledAreas)
        #expect(map.svg().contains(">No data</text>"))
        let full = MapFigure(title: "EHS", layers: [.polygons(PolygonFillLayer(polygons: [Self.square(0, 0, 100)], values: [1], scale: scale))],
                             legend: ColorPalettes.emergingHotSpotLegend(noData: false))
        #expect(!full.svg().contains(">No data</text>"))
    }

    /// An overview raster of 500 m cells over 60 km, zoomed to a 10 km box: cells ≥ 4 px, labels at
    /// the LSOA centroids present (an overlapping one skipped), the layers clipped, and the overview
    /// shows the inset's rectangle.
    @Test func insetZoomsSoCellsAreAtLeastFourPixels() throws {
        let grid = try Grid(xmin: 400_000, ymin: 400_000, cell: 500, ncols: 240, nrows: 240)
        let values = (0 ..< grid.cellCount).map { Double($0 % 17) }
        let scale = try #require(ClassifiedScale.logarithmic(values))
        var overview = MapFigure.raster(grid: grid, values: values, scale: scale, title: "Overview", units: "Crimes per km²")
        #expect(overview.projection.scale * 500 < 4)
        let box = BoundingBox(minX: 420_000, minY: 420_000, maxX: 429_000, maxY: 429_000).expanded(by: 500)
        let lsoas = [Self.square(421_000, 421_000, 2000), Self.square(425_000, 425_000, 2000), Self.square(425_990, 425_990, 10)]
        let labels = MapLabel.atCentroids(of: lsoas, names: ["Leeds 001A", "Leeds 002B & Co", "Leeds 002C"])
        let inset = overview.inset(extent: box, title: "City centre", outlines: lsoas, labels: labels,
                                   description: "Zoom on the city centre: 3 LSOAs")
        #expect(inset.projection.scale * 500 >= 4)
        let svg = inset.svg()
        #expect(svg.contains(">Leeds 001A</text>") && svg.contains(">Leeds 002B &amp; Co</text>"))
        #expect(!svg.contains("Leeds 002C"))  // overlaps 002B's label
        #expect(svg.contains("clip-path=") && svg.contains("class=\"outlines\""))
        #expect(svg.utf8.count < 60_000)  // cropped to the box, not the whole 120 km grid
        #expect(svg.contains("<desc id=") && svg.contains("Zoom on the city centre: 3 LSOAs"))
        #expect(isWellFormedXML(svg))
        // A narrow requested width is widened to keep 4 px cells.
        let narrow = overview.inset(extent: box, title: "Narrow", width: 200)
        #expect(narrow.projection.scale * 500 >= 4 - 1e-9 && narrow.width > 200)
        overview.addHighlightRectangles([box], labels: ["A"])
        let o = overview.svg()
        #expect(o.contains("class=\"highlights\"") && o.contains(">A</text>"))
        #expect(isWellFormedXML(o))
    }

    /// Every chart and map SVG has role="img", aria-labelledby naming its <title> and <desc> ids.
    @Test func everyFigureHasATextAlternative() throws {
        let scale = try #require(ClassifiedScale.sequential([1, 2], classes: 2))
        var map = MapFigure.choropleth(polygons: [Self.square(0, 0, 10), Self.square(10, 0, 10)], values: [1, 2], scale: scale,
                                       title: "Violence", units: "Rate")
        map.description = "Map of Leeds: 35 hot cells"
        var line = LineChart(title: "Trend", xLabels: ["2024-01", "2024-02"], series: [ChartSeries(name: "All", y: [1, 2])], yTitle: "Count")
        line.description = "Counts rose"
        let bar = BarChart(title: "Deciles", categories: ["1", "2"], values: [1, 2], lower: [0.5, 1.5], upper: [1.5, 2.5], yTitle: "Rate")
        let curve = CurveChart(title: "Hit rate", series: [ChartSeries(name: "Model", x: [0, 1], y: [0, 1])], xTitle: "Area %", yTitle: "Hit %")
        let cal = CalibrationPlot(title: "Calibration", predicted: [0.1, 0.2], observed: [0.1, 0.3], axisTitle: "Probability")
        for svg in [map.svg(), line.svg(), bar.svg(), curve.svg(), cal.svg()] {
            #expect(svg.contains("role=\"img\""))
            let labelled = try #require(svg.range(of: "aria-labelledby=\"")).upperBound
            let ids = svg[labelled...].prefix { $0 != "\"" }.split(separator: " ").map(String.init)
            #expect(ids.count == 2)
            #expect(svg.contains("<title id=\"\(ids[0])\">") && svg.contains("<desc id=\"\(ids[1])\">"))
            #expect(isWellFormedXML(svg))
        }
        #expect(map.svg().contains("<desc id=\"") && map.svg().contains("Map of Leeds: 35 hot cells</desc>"))
        #expect(line.svg().contains("Counts rose</desc>"))
        // Two maps with different titles on one page get different ids.
        var other = map; other.title = "Burglary"
        #expect(map.svg().components(separatedBy: "<title id=\"")[1].prefix(20) != other.svg().components(separatedBy: "<title id=\"")[1].prefix(20))
    }

    /// Every table gets a caption, its own or one from the section heading.
    @Test func everyTableHasACaption() {
        var doc = HTMLDocument(title: "R")
        doc.append(HTMLSection(id: "summary", heading: "Summary", blocks: [.table(HTMLTable(header: ["a"], rows: [["1"]]))]))
        doc.append(HTMLSection(id: "t", heading: "Trends", blocks: [.table(HTMLTable(header: ["a"], rows: [["1"]], caption: "Monthly counts"))]))
        let html = doc.render()
        #expect(occurrences(of: "<table>", in: html) == occurrences(of: "<caption>", in: html))
        #expect(html.contains("<caption>Table: Summary</caption>") && html.contains("<caption>Monthly counts</caption>"))
    }

    /// WCAG: known ratios, and every text colour in the stylesheet and SVG writers on every
    /// background ≥ 4.5:1; the stylesheet's `color:` values are all in the checked list.
    @Test func textContrastMeetsWCAGAA() {
        #expect(abs(Contrast.ratio(RGB(0, 0, 0), RGB(255, 255, 255)) - 21) < 1e-9)
        #expect(abs(Contrast.ratio(RGB(hex: "#777777"), RGB(255, 255, 255)) - 4.48) < 0.01)
        let css = HTMLDocument.css
        var used = Set<String>()
        var rest = Substring(css)
        while let r = rest.range(of: "color:#") {
            let before = rest[..<r.lowerBound]
            let hex = "#" + rest[r.upperBound...].prefix(6)
            if !before.hasSuffix("background-") && !before.hasSuffix("border-") { used.insert(String(hex)) }
            rest = rest[r.upperBound...]
        }
        #expect(!used.isEmpty)
        #expect(used.isSubset(of: Set(HTMLDocument.textColors)), "unchecked text colours: \(used.subtracting(HTMLDocument.textColors))")
        var backgrounds = Set(HTMLDocument.backgrounds)
        var rest2 = Substring(css)
        while let r = rest2.range(of: "background:#") { backgrounds.insert("#" + String(rest2[r.upperBound...].prefix(6))); rest2 = rest2[r.upperBound...] }
        for fg in HTMLDocument.textColors {
            for bg in backgrounds {
                #expect(Contrast.ratio(RGB(hex: fg), RGB(hex: bg)) >= Contrast.minimumForText, "\(fg) on \(bg)")
            }
        }
    }

    /// The print stylesheet: A4 with 15 mm margins, a page break before each section, figures and
    /// table rows kept whole, no contents list, SVGs at page width.
    @Test func printStylesheetIsA4WithBreaks() throws {
        let css = HTMLDocument.css
        let r = try #require(css.range(of: "@media print{"))
        let print = String(css[r.upperBound...])
        #expect(print.contains("@page{size:A4;margin:15mm}"))
        #expect(print.contains("main>section{break-before:page"))
        #expect(print.contains("figure,svg,.map,.note,.warning{break-inside:avoid"))
        #expect(print.contains("tr,thead{break-inside:avoid"))
        #expect(print.contains("nav{display:none}"))
        #expect(print.contains("figure svg{width:100%"))
    }
}

/// A demonstration page of the new drawing APIs (log-scaled density with inset rectangles, a zoomed
/// inset with labels, an emerging hot spot map), written only when PLACERISK_DEMO_HTML names a file:
/// for looking at the page and its print layout (`.ci/report-pdf.sh FILE out.pdf`).
@Suite("Demo page")
struct DemoPageTests {
    @Test func demoPageIsWellFormed() throws {
        let grid = try Grid(xmin: 400_000, ymin: 400_000, cell: 500, ncols: 120, nrows: 100)
        var values = [Double](repeating: 0, count: grid.cellCount)
        for r in 0 ..< grid.nrows {
            for c in 0 ..< grid.ncols {
                let d1 = hypot(Double(c - 40), Double(r - 50)), d2 = hypot(Double(c - 90), Double(r - 30))
                let v = 237 * exp(-d1 * d1 / 18) + 40 * exp(-d2 * d2 / 60) + (d1 < 30 ? 0.8 : 0)
                values[r * grid.ncols + c] = v < 0.05 ? 0 : v
            }
        }
        let scale = try #require(ClassifiedScale.logarithmic(values))
        let lsoas = (0 ..< 16).map { i in MapsAccessibilityPrintTests.square(417_000 + Double(i % 4) * 1500, 422_000 + Double(i / 4) * 1500, 1500) }
        let names = (0 ..< 16).map { "Town \(String(format: "%03d", $0 + 1))A" }
        var overview = MapFigure.raster(grid: grid, values: values, scale: scale, title: "Kernel density (demo)", units: "Crimes per km²",
                                        subtitle: "log classes, viridis; zero cells blank")
        overview.description = "Map of the demo area: one peak of 237 per km² in the west, a smaller one in the east."
        let box = BoundingBox.union(lsoas.map(\.boundingBox))!.expanded(by: 500)
        overview.addHighlightRectangles([box], labels: ["A"])
        let inset = overview.inset(extent: box, title: "A: town centre", outlines: lsoas,
                                   labels: MapLabel.atCentroids(of: lsoas, names: names))
        let codes = lsoas.indices.map { i in i == 5 ? Double.nan : Double(i % 17) }
        let ehs = MapFigure(title: "Emerging hot spots (demo)", layers: [.polygons(PolygonFillLayer(polygons: lsoas, values: codes, scale: ColorPalettes.emergingHotSpotScale))],
                            legend: ColorPalettes.emergingHotSpotLegend(noData: false))
        var doc = HTMLDocument(title: "Demo")
        doc.append(HTMLSection(id: "summary", heading: "Summary", blocks: [.paragraph("Demo of the drawing layer."), .table(HTMLTable(header: ["a", "b"], rows: [["1", "2"]]))]))
        doc.append(HTMLSection(id: "maps", heading: "Maps", blocks: [.figure(svg: overview.svg(), caption: "Overview"), .figure(svg: inset.svg(), caption: "Inset A")]))
        doc.append(HTMLSection(id: "ehs", heading: "Emerging hot spots", blocks: [.figure(svg: ehs.svg(), caption: "EHS palette")]))
        let html = doc.render()
        #expect(html.contains("Town 001A"))
        if let path = ProcessInfo.processInfo.environment["PLACERISK_DEMO_HTML"] {
            try html.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
}
