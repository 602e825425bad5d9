import Testing
import Foundation
import PlaceRiskCore
import PlaceRiskIO

// Polygons, grid masks, GeoJSON, .gal files and contiguity on real boundaries.
//
// Fixtures (copied verbatim, see Fixtures/): columbus.json, columbus.gal (libpysal example
// "columbus", Anselin 1988), stl.gal, stl_hom_rook.gal, stl_hom.wkt (libpysal example "stl",
// Messner et al. 2000). The Devon & Cornwall LSOA boundaries are read from the repository's
// bundled datasets/ folder.

private let dcBoundaries = datasetsFolder + "/lsoa2011_boundaries_devon_cornwall/lsoa2011_bsc_devon_cornwall.geojson"

private func sortedLists(_ w: SpatialWeights) -> [[Int]] {
    (0 ..< w.count).map { i in w.neighbours[w.offsets[i] ..< w.offsets[i + 1]].map(Int.init).sorted() }
}

private func ring(_ pts: [(Double, Double)]) -> [(x: Double, y: Double)] { pts.map { (x: $0.0, y: $0.1) } }

/// The notch shape (concave, a vertex at (5, 5) pointing inwards): hand-drawn.
private let notch = MultiPolygon(Polygon(outer: ring([(0, 0), (10, 0), (10, 10), (5, 5), (0, 10)])))
/// A 10 × 10 square with a 4 × 4 hole in the middle: hand-drawn.
private let frame = MultiPolygon(Polygon(outer: ring([(0, 0), (10, 0), (10, 10), (0, 10)]),
                                         holes: [ring([(3, 3), (3, 7), (7, 7), (7, 3)])]))

@Suite("Geometry: polygons by hand")
struct GeometryPolygonTests {
    @Test func shoelaceAreas() {
        // Unit square: 1, whichever orientation, closed or open.
        let ccw = Polygon(outer: ring([(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]))
        let cw = Polygon(outer: ring([(0, 0), (0, 1), (1, 1), (1, 0)]))
        #expect(ccw.area == 1 && cw.area == 1)
        #expect(ccw.signedArea(ring: 0) == 1 && cw.signedArea(ring: 0) == -1)
        #expect(ccw.xs.count == 4) // the closing repeat is dropped
        // L shape: 2 × 2 square minus its 1 × 1 north-east quarter = 3 (hand calculation).
        let l = ring([(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)])
        #expect(Polygon(outer: l).area == 3)
        // The same L at BNG magnitudes (metres): still exactly 3.
        #expect(Polygon(outer: l.map { ($0.x + 254_321, $0.y + 61_234) }).area == 3)
        // Frame: 100 − 16 = 84; hole orientation does not matter.
        #expect(frame.area == 84)
        // Two parts add: 84 + 3.
        #expect(MultiPolygon(frame.polygons + [Polygon(outer: l)]).area == 87)
    }

    @Test func pointInPolygonWithHolesAndNotches() {
        #expect(frame.contains(x: 1, y: 1))
        #expect(frame.contains(x: 8.5, y: 5))
        #expect(!frame.contains(x: 5, y: 5))     // in the hole
        #expect(!frame.contains(x: 11, y: 5))
        #expect(!frame.contains(x: -1, y: 5))
        // Notch: the ray from (2, 5) passes exactly through the vertex (5, 5); hand: inside
        // (below the edge (5,5)–(0,10), y = 10 − x = 8 at x = 2).
        #expect(notch.contains(x: 2, y: 5))
        #expect(!notch.contains(x: 5, y: 6))     // above the notch vertex: outside
        #expect(notch.contains(x: 5, y: 4.999))
        #expect(notch.contains(x: 9, y: 8.9))    // right lobe, below y = x
        #expect(!notch.contains(x: 8, y: 9))     // between the lobes
        // An island in the hole is inside (even-odd: outer + hole + island = 3 crossings).
        let island = Polygon(outer: ring([(4, 4), (6, 4), (6, 6), (4, 6)]))
        let lakeWithIsland = MultiPolygon(frame.polygons + [island])
        #expect(lakeWithIsland.contains(x: 5, y: 5))
        #expect(!lakeWithIsland.contains(x: 3.5, y: 5))
        #expect(frame.boundingBox == BoundingBox(minX: 0, minY: 0, maxX: 10, maxY: 10))
    }

    @Test func pointsOnASharedSlantedEdgeFallInExactlyOnePolygon() {
        // Two triangles share the edge (0.1, 0.3)–(9.7, 7.9), listed in opposite directions.
        let p = (x: 0.1, y: 0.3), q = (x: 9.7, y: 7.9)
        let left = MultiPolygon(Polygon(outer: [p, q, (x: 0.1, y: 7.9)]))
        let right = MultiPolygon(Polygon(outer: [q, p, (x: 9.7, y: 0.3)]))
        var g = SeededGenerator(seed: 11)
        for _ in 0 ..< 5_000 {
            let t = Double.random(in: 0.01 ... 0.99, using: &g)
            let x = p.x + t * (q.x - p.x), y = p.y + t * (q.y - p.y) // on the edge, up to rounding
            #expect([left, right].filter { $0.contains(x: x, y: y) }.count == 1)
        }
    }

    @Test func mapCoordinatesTransformsEveryVertexAndPassesTypedErrors() throws {
        let moved = frame.mapCoordinates { x, y in (x + 100, 2 * y) }
        #expect(moved.boundingBox == BoundingBox(minX: 100, minY: 0, maxX: 110, maxY: 20))
        #expect(moved.area == 168) // hand: 84 × 2 (y doubled)
        #expect(moved.polygons[0].ringStarts == frame.polygons[0].ringStarts)
        struct Refused: Error, Equatable {}
        #expect(throws: Refused()) {
            _ = try frame.mapCoordinates { (x, y) throws(Refused) -> (x: Double, y: Double) in
                if x > 5 { throw Refused() }
                return (x, y)
            }
        }
    }
}

@Suite("Geometry: GridMask against brute-force point-in-polygon")
struct GeometryGridMaskTests {
    static func brute(_ polygons: [MultiPolygon], _ g: Grid) -> [Bool] {
        (0 ..< g.cellCount).map { id in
            let x = g.centreX(col: id % g.ncols), y = g.centreY(row: id / g.ncols)
            return polygons.contains { $0.contains(x: x, y: y) }
        }
    }

    @Test func handShapes() throws {
        let g = try Grid(xmin: 0, ymin: 0, cell: 1, ncols: 10, nrows: 10)
        let m = GridMask.cellsInside([frame], grid: g)
        // Hand: 100 centres, the 4 × 4 centres 3.5…6.5 fall in the hole → 84.
        #expect(m.filter { $0 }.count == 84)
        #expect(m == Self.brute([frame], g))
        // A grid whose centres sit exactly on the notch vertex's row and on shape edges.
        let fine = try Grid(xmin: -1.25, ymin: -1.25, cell: 0.5, ncols: 26, nrows: 26)
        #expect(GridMask.cellsInside([notch, frame], grid: fine) == Self.brute([notch, frame], fine))
        // Polygons partly or wholly outside the grid.
        let off = [MultiPolygon(Polygon(outer: ring([(-50, -50), (3, -50), (3, 4)]))),
                   MultiPolygon(Polygon(outer: ring([(100, 100), (101, 100), (101, 101)])))]
        #expect(GridMask.cellsInside(off, grid: g) == Self.brute(off, g))
    }

    @Test func devonAndCornwallLSOAs() throws {
        let polygons = try GeoJSONReader.lsoaPolygonsBNG(path: dcBoundaries).polygons
        var box = polygons[0].boundingBox
        for p in polygons {
            box = BoundingBox(minX: min(box.minX, p.boundingBox.minX), minY: min(box.minY, p.boundingBox.minY),
                              maxX: max(box.maxX, p.boundingBox.maxX), maxY: max(box.maxY, p.boundingBox.maxY))
        }
        let g = try Grid(covering: box, cell: 2_500)
        let m = GridMask.cellsInside(polygons, grid: g)
        #expect(m == Self.brute(polygons, g))
        // 300 × 300 over the same extent: timing (printed) and a consistency check: every mask
        // cell's centre lies in some LSOA polygon.
        let big = try Grid(xmin: box.minX, ymin: box.minY, cell: max(box.maxX - box.minX, box.maxY - box.minY) / 300,
                           ncols: 300, nrows: 300)
        let clock = ContinuousClock()
        var bigMask: [Bool] = []
        let t = clock.measure { bigMask = GridMask.cellsInside(polygons, grid: big) }
        print("GridMask: 1,034 LSOAs × 300×300 grid: \(t), \(bigMask.filter { $0 }.count) cells inside")
        var g2 = SeededGenerator(seed: 7)
        for _ in 0 ..< 2_000 {
            let id = Int.random(in: 0 ..< big.cellCount, using: &g2)
            let x = big.centreX(col: id % 300), y = big.centreY(row: id / 300)
            #expect(bigMask[id] == polygons.contains { $0.contains(x: x, y: y) })
        }
    }
}

/// Reads `POLYGON ((x y, …), (…))` lines (the libpysal stl_hom.wkt file) into multipolygons.
private func readWKTPolygons(_ text: String) -> [MultiPolygon] {
    text.split(separator: "\n").map { line in
        let body = line.drop { $0 != "(" }.dropFirst().dropLast() // strip "POLYGON (" and ")"
        let rings = body.split(separator: ")").compactMap { chunk -> [(x: Double, y: Double)]? in
            let inner = chunk.drop { $0 == "," || $0 == " " || $0 == "(" }
            guard !inner.isEmpty else { return nil }
            return inner.split(separator: ",").map { p in
                let xy = p.split(separator: " ").compactMap { Double($0) }
                return (xy[0], xy[1])
            }
        }
        return MultiPolygon(Polygon(rings: rings))
    }
}

@Suite("Geometry: contiguity from real polygons against published .gal files")
struct GeometryContiguityTests {
    @Test func columbusQueenFromPolygonsEqualsColumbusGal() throws {
        let features = try GeoJSONReader.features(path: fixturePath("columbus.json"))
        #expect(features.count == 49) // libpysal README: n = 49
        let gal = try GALReader.read(path: fixturePath("columbus.gal"))
        // The GAL ids are POLYID, in the same order as the features ("1.0", "2.0", … in the JSON).
        #expect(features.map { $0.properties["POLYID"] } == gal.ids.map { "\($0).0" })
        let queen = Contiguity.queen(features.map(\.geometry))
        #expect(sortedLists(queen) == sortedLists(gal.weights))
        #expect(queen.neighbours.count == 236) // Σ k over columbus.gal's records (awk, by hand)
    }

    @Test func stlRookFromPolygonsEqualsRookGalAndQueenDiffersByFourVertexContacts() throws {
        let polygons = readWKTPolygons(try fixtureText("stl_hom.wkt"))
        #expect(polygons.count == 78)
        let rookGal = try GALReader.read(path: fixturePath("stl_hom_rook.gal"))
        #expect(sortedLists(Contiguity.rook(polygons)) == sortedLists(rookGal.weights))
        // stl.gal (queen) lacks four vertex-only contacts that exact vertex matching finds
        // (found with an independent Python vertex-set computation, see the report): the
        // counties 33–37, 35–40, 66–76 and 67–73 (1-based ids) meet at a single point.
        let queenGal = try GALReader.read(path: fixturePath("stl.gal"))
        var expected = sortedLists(queenGal.weights)
        for (a, b) in [(33, 37), (35, 40), (66, 76), (67, 73)] {
            expected[a - 1] = (expected[a - 1] + [b - 1]).sorted()
            expected[b - 1] = (expected[b - 1] + [a - 1]).sorted()
        }
        #expect(sortedLists(Contiguity.queen(polygons)) == expected)
    }

    @Test func devonAndCornwallQueenHasOnlyTheIslesOfScillyAsIsland() throws {
        let clock = ContinuousClock()
        var lsoa: (codes: [String], polygons: [MultiPolygon]) = ([], [])
        let tRead = try clock.measure { lsoa = try GeoJSONReader.lsoaPolygonsBNG(path: dcBoundaries) }
        #expect(lsoa.codes.count == 1_034) // datasets/README.md: 1,034 LSOAs
        var queen = SpatialWeights(neighbourLists: [])
        let tQueen = clock.measure { queen = Contiguity.queen(lsoa.polygons) }
        var rook = SpatialWeights(neighbourLists: [])
        let tRook = clock.measure { rook = Contiguity.rook(lsoa.polygons) }
        let counts = (0 ..< queen.count).map { queen.cardinality($0) }
        print("D&C: read+project \(tRead), queen \(tQueen), rook \(tRook); queen neighbours min \(counts.min()!), "
              + "mean \(Double(counts.reduce(0, +)) / Double(counts.count)), max \(counts.max()!)")
        // Islands: only E01019077 "Isles of Scilly 001A" (the only Scilly LSOA in the file).
        #expect(queen.islands.map { lsoa.codes[$0] } == ["E01019077"])
        #expect(queen.isSymmetricInStructure)
        // Independent Python computation (vertex sets of the raw lon/lat coordinates, see the
        // report): queen min 0, max 16 (E01020149), Σ = 5,490 links; rook Σ = 5,426.
        #expect(counts.min() == 0 && counts.max() == 16)
        #expect(lsoa.codes[counts.firstIndex(of: 16)!] == "E01020149")
        #expect(queen.neighbours.count == 5_490)
        #expect(rook.neighbours.count == 5_426)
        #expect(rook.islands == queen.islands)
    }
}

@Suite("Geometry: .gal files")
struct GeometryGALTests {
    @Test func stlGal() throws {
        let (ids, w) = try GALReader.read(path: fixturePath("stl.gal"))
        // Header "0 78 stl_hom POLY_ID_OG"; ids 1…78 in order.
        #expect(ids == (1 ... 78).map(String.init))
        // By hand from the file: "1 3 / 7 3 6", "10 9", "20 6 / 24 21 19 9 13 10", "78 4 / 75 71 74 70".
        #expect(w.neighbours[w.offsets[0] ..< w.offsets[1]].map { ids[Int($0)] } == ["7", "3", "6"])
        #expect(w.cardinality(9) == 9)
        #expect(w.neighbours[w.offsets[19] ..< w.offsets[20]].map { ids[Int($0)] } == ["24", "21", "19", "9", "13", "10"])
        #expect(w.neighbours[w.offsets[77] ..< w.offsets[78]].map { ids[Int($0)] } == ["75", "71", "74", "70"])
        // Histogram of k over all records (awk over the file): 15×3, 16×4, 14×5, 18×6, 10×7, 4×8, 1×9.
        let hist = Dictionary(grouping: (0 ..< 78).map { w.cardinality($0) }, by: { $0 }).mapValues(\.count)
        #expect(hist == [3: 15, 4: 16, 5: 14, 6: 18, 7: 10, 8: 4, 9: 1])
        #expect(w.neighbours.count == 398)
        #expect(w.isSymmetricInStructure)
    }

    @Test func headerVariantsIslandsAndCRLF() throws {
        // Hand-made: unit "b" has no neighbours (empty line after "b 0", as GeoDa writes it).
        let plain = try GALReader.parse(text: "3\na 1\nc\nb 0\n\nc 1\na\n", file: "t.gal")
        #expect(plain.ids == ["a", "b", "c"])
        #expect(sortedLists(plain.weights) == [[2], [], [0]])
        let geoda = try GALReader.parse(text: "0 3 shp ID\r\na 1\r\nc\r\nb 0\r\nc 1\r\na\r\n\r\n", file: "t.gal")
        #expect(geoda.ids == plain.ids && geoda.weights == plain.weights)
    }

    @Test func malformedInputNamesTheLine() {
        func line(_ text: String) -> Int? {
            do { _ = try GALReader.parse(text: text, file: "t.gal"); return nil } catch { return error.line }
        }
        #expect(line("2\n1 2\n2\n2 1\n1\n") == 3)        // k = 2 but one id on line 3
        #expect(line("2\n1 1\n3\n2 1\n1\n") == 3)        // unknown id 3
        #expect(line("2\n1 1\n1\n2 1\n1\n") == 3)        // self-neighbour
        #expect(line("2\n1 2\n2 2\n2 1\n1\n") == 3)      // repeated neighbour
        #expect(line("2\n1 1\n2\n1 1\n1\n") == 4)        // repeated unit id
        #expect(line("2\n1 x\n2\n") == 2)                // bad count
        #expect(line("3\n1 1\n2\n2 1\n1\n") == 1)        // header says 3, file has 2
        #expect(line("2\n1 1\n2\n2 1\n") == 5)           // truncated: neighbours of 2 missing
        #expect(line("") == 1)
        #expect(line("two\n") == 1)
    }
}

@Suite("Geometry: GeoJSON reading and writing")
struct GeometryGeoJSONTests {
    private func reason(_ text: String, codes: Bool = false) -> String? {
        do {
            let folder = try temporaryFolder()
            let path = folder + "/t.geojson"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            if codes { _ = try GeoJSONReader.lsoaPolygonsBNG(path: path) } else { _ = try GeoJSONReader.features(path: path) }
            return nil
        } catch let e as CSVError { return e.reason } catch { return "\(error)" }
    }

    private let square = #"{"type":"Polygon","coordinates":[[[-4.1,50.4],[-4.0,50.4],[-4.0,50.5],[-4.1,50.4]]]}"#

    @Test func propertiesAsText() throws {
        let features = try GeoJSONReader.features(path: fixturePath("columbus.json"))
        // First feature, copied from the file: "POLYID": 1.0, "NEIG": 5, "HOVAL": 80.467003, "CRIME": 15.72598.
        let p = features[0].properties
        #expect(p["POLYID"] == "1.0" && p["NEIG"] == "5" && p["HOVAL"] == "80.467003" && p["CRIME"] == "15.72598")
        let text = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"s":"x","b":true,"n":null,"i":-7},"geometry":\#(square)}]}"#
        let f = try GeoJSONReader.features(data: Data(text.utf8), file: "t")
        #expect(f[0].properties == ["s": "x", "b": "true", "i": "-7"])
        #expect(f[0].geometry.polygons[0].xs.count == 3) // closing repeat dropped
    }

    @Test func otherGeometriesAndBrokenFilesAreTypedErrorsNamingTheFeature() {
        let line = #"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}}"#
        let ok = #"{"type":"Feature","properties":{},"geometry":\#(square)}"#
        #expect(reason(#"{"type":"FeatureCollection","features":[\#(ok),\#(line)]}"#)
            == "column 'features[1].geometry.type': 'LineString' is not Polygon or MultiPolygon")
        let nullGeometry = #"{"type":"Feature","properties":{},"geometry":null}"#
        #expect(reason(#"{"type":"FeatureCollection","features":[\#(nullGeometry)]}"#)?.contains("features[0].geometry") == true)
        let short = #"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]}}"#
        #expect(reason(#"{"type":"FeatureCollection","features":[\#(ok),\#(ok),\#(short)]}"#)?.contains("features[2].geometry.coordinates[0]") == true)
        #expect(reason("{not json")?.hasPrefix("not valid JSON") == true)
        #expect(throws: CSVError.self) { try GeoJSONReader.features(path: "/nonexistent/x.geojson") }
    }

    @Test func lsoaReaderRefusesWhatIsNotLonLatInBritain() throws {
        let metres = #"{"type":"Polygon","coordinates":[[[250000,60000],[251000,60000],[251000,61000],[250000,60000]]]}"#
        func fc(_ geometry: String, props: String = #"{"LSOA11CD":"E01000001"}"#, crs: String = "") -> String {
            #"{"type":"FeatureCollection",\#(crs)"features":[{"type":"Feature","properties":\#(props),"geometry":\#(geometry)}]}"#
        }
        #expect(reason(fc(square), codes: true) == nil)
        #expect(reason(fc(metres), codes: true)?.contains("longitude/latitude in degrees") == true)
        // Columbus's coordinates (≈ 8.6, 14.0) are in degree range but far from Britain.
        #expect(throws: CSVError.self) { try GeoJSONReader.lsoaPolygonsBNG(path: fixturePath("columbus.json"), codeProperty: "POLYID") }
        let bngCRS = #""crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"#
        #expect(reason(fc(square, crs: bngCRS), codes: true)?.contains("column 'crs'") == true)
        #expect(reason(fc(square, props: "{}"), codes: true) == "header has no column 'features[0].properties.LSOA11CD'")
    }

    @Test func devonAndCornwallAreasMatchTheONSShapeArea() throws {
        // ONS computed `Shape__Area` (m², British National Grid) for each boundary: an independent
        // check of projection + shoelace. Tolerance 0.1 %: the Helmert's 2–5 m error on a 300 m
        // wide LSOA moves its area by well under that.
        let features = try GeoJSONReader.features(path: dcBoundaries)
        let lsoa = try GeoJSONReader.lsoaPolygonsBNG(path: dcBoundaries)
        var worst = 0.0
        for (f, m) in zip(features, lsoa.polygons) {
            worst = max(worst, abs(m.area / Double(f.properties["Shape__Area"]!)! - 1))
        }
        #expect(worst < 1e-3)
        // Cornwall 069A stores a hole as a third MultiPolygon part, wound the other way (Cornwall 069B
        // sits in it). The reader turns that part into a hole of the part containing it, so its area
        // now equals ONS's (checked above with every other LSOA) and it has two parts, one with a hole.
        let i = try #require(lsoa.codes.firstIndex(of: "E01018992"))
        let m = lsoa.polygons[i]
        #expect(m.polygons.count == 2 && m.polygons.map(\.ringCount).sorted() == [1, 2])
        // Even-odd containment already treats the part as a hole: 069B's points are not in 069A.
        let b = try #require(lsoa.codes.firstIndex(of: "E01018993"))
        let inB = lsoa.polygons[b].polygons[0]
        let cx = inB.xs.reduce(0, +) / Double(inB.xs.count), cy = inB.ys.reduce(0, +) / Double(inB.ys.count)
        #expect(lsoa.polygons[b].contains(x: cx, y: cy) && !m.contains(x: cx, y: cy))
    }

    @Test func roundTripKeepsCodesPropertiesAndVerticesWithin1e7Degrees() throws {
        let original = Array(try GeoJSONReader.features(path: dcBoundaries).prefix(60))
        let out = original.enumerated().map { i, f in
            GeoJSONOutputFeature(geometry: f.geometry, properties: [
                ("LSOA11CD", .string(f.properties["LSOA11CD"]!)), ("rank", .int(i)), ("rate", .number(Double(i) / 8)),
            ])
        }
        let path = try temporaryFolder() + "/round.geojson"
        try GeoJSONWriter.write(path: path, features: out)
        let back = try GeoJSONReader.features(path: path)
        #expect(back.map { $0.properties["LSOA11CD"] } == original.map { $0.properties["LSOA11CD"] })
        // Numbers come back as their text (JSONValue writes 1.0 as "1"): the values are exact.
        #expect(back.map { Double($0.properties["rate"]!)! } == (0 ..< 60).map { Double($0) / 8 })
        #expect(back[7].properties["rank"] == "7")
        var worst = 0.0
        for (a, b) in zip(original, back) {
            #expect(a.geometry.polygons.count == b.geometry.polygons.count)
            for (p, q) in zip(a.geometry.polygons, b.geometry.polygons) {
                #expect(p.ringStarts == q.ringStarts)
                for k in 0 ..< p.ringCount {
                    // RFC 7946 orientation: exterior counter-clockwise, holes clockwise.
                    #expect((q.signedArea(ring: k) > 0) == (k == 0))
                    var r = q.ring(k)
                    if (p.signedArea(ring: k) > 0) != (q.signedArea(ring: k) > 0) { r.reverse() }
                    for (u, v) in zip(p.ring(k), r) { worst = max(worst, abs(u.x - v.x), abs(u.y - v.y)) }
                }
            }
        }
        #expect(worst <= 0.5e-7 + 1e-15) // rounding to 7 decimals moves a coordinate ≤ ½·10⁻⁷
    }

    @Test func gridCellsOpenAsPolygonsWithTheirProperties() throws {
        let g = try Grid(xmin: 250_000, ymin: 60_000, cell: 1_000, ncols: 3, nrows: 2)
        let path = try temporaryFolder() + "/cells.geojson"
        var mask = [Bool](repeating: true, count: 6)
        mask[4] = false
        try GeoJSONWriter.gridCells(grid: g, values: ["count": [0, 1, 2, 3, 4, 5], "z": [.nan, 0, 0, 0, 0, 0.5]], mask: mask, path: path)
        let back = try GeoJSONReader.features(path: path)
        #expect(back.map { $0.properties["cell_id"]! } == ["0", "1", "2", "3", "5"])
        // Cell 5: row 1, col 2, centre (250000 + 2.5·1000, 60000 + 1.5·1000) by the §1 formula.
        #expect(back[4].properties == ["cell_id": "5", "row": "1", "col": "2", "x": "252500", "y": "61500",
                                       "count": "5", "z": "0.5"])
        #expect(back[0].properties["z"] == nil) // NaN is written as null
        // Corners: the BNG corners (hand: x 252000…253000, y 61000…62000) unprojected, ≤ ½·10⁻⁷°.
        let q = back[4].geometry.polygons[0]
        let corners = [(252_000.0, 61_000.0), (253_000.0, 61_000.0), (253_000.0, 62_000.0), (252_000.0, 62_000.0)]
        for (i, c) in corners.enumerated() {
            let ll = BritishNationalGrid.unproject(easting: c.0, northing: c.1)
            #expect(abs(q.xs[i] - ll.longitude) <= 0.5e-7 + 1e-15 && abs(q.ys[i] - ll.latitude) <= 0.5e-7 + 1e-15)
        }
        // Adjacent cells share exact corner coordinates, so they are rook neighbours as cells are.
        let rook = Contiguity.rook(back.map(\.geometry))
        #expect(sortedLists(rook) == [[1, 3], [0, 2], [1, 4], [0], [2]]) // hand: 4 is cell 5 here
    }
}
