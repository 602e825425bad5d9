import PlaceRiskCore
import Foundation

/// A feature to write: polygons in WGS84 lon/lat degrees and ordered properties
/// (`.string`, `.int` or `.number` `JSONValue`s; non-finite numbers are written as `null`).
public struct GeoJSONOutputFeature: Sendable {
    public var geometry: MultiPolygon
    public var properties: [(String, JSONValue)]

    public init(geometry: MultiPolygon, properties: [(String, JSONValue)]) {
        self.geometry = geometry
        self.properties = properties
    }
}

/// Writes GeoJSON (RFC 7946) feature collections of polygons that QGIS, geopandas and web maps
/// open directly.
///
/// ```
/// {"type":"FeatureCollection","features":[
/// {"type":"Feature","properties":{…},"geometry":{"type":"Polygon","coordinates":[[[lon,lat],…]]}},
/// …
/// ]}
/// ```
/// * Coordinates are WGS84 longitude, latitude (RFC 7946 §4: no `crs` member), **rounded to
///   7 decimals** (≈ 1 cm; RFC 7946 §11.2 recommends 6 — we keep one more so cell corners stay
///   distinct and round trips are within 1e-7°).
/// * Rings are closed (first position repeated) and oriented by the right-hand rule (RFC 7946
///   §3.1.6: exterior counter-clockwise, holes clockwise); rings are reversed where needed.
/// * One part → `Polygon`, several → `MultiPolygon`. One feature per line.
public enum GeoJSONWriter {
    /// Decimal places of written coordinates.
    public static let coordinateDecimals = 7

    /// The text of a FeatureCollection.
    public static func text(features: [GeoJSONOutputFeature]) -> String {
        var s = "{\"type\":\"FeatureCollection\",\"features\":["
        for (i, f) in features.enumerated() {
            s += i == 0 ? "\n" : ",\n"
            s += featureJSON(f).serialized(pretty: false)
        }
        s += "\n]}\n"
        return s
    }

    /// Writes a FeatureCollection to `path`.
    public static func write(path: String, features: [GeoJSONOutputFeature]) throws(CSVError) {
        try save(text(features: features), to: path)
    }

    /// One feature as a JSON value.
    public static func featureJSON(_ f: GeoJSONOutputFeature) -> JSONValue {
        .object([
            ("type", .string("Feature")),
            ("properties", .object(f.properties)),
            ("geometry", geometryJSON(f.geometry)),
        ])
    }

    /// A `Polygon` (one part) or `MultiPolygon` geometry, lon/lat rounded, rings closed and oriented.
    /// Coordinates outside lon −180…180 / lat −90…90 are a programmer error (metres passed by mistake:
    /// unproject first, e.g. with `lonLat(fromBNG:)`).
    public static func geometryJSON(_ m: MultiPolygon) -> JSONValue {
        let parts = m.polygons.map { polygonJSON($0) }
        if parts.count == 1 { return .object([("type", .string("Polygon")), ("coordinates", parts[0])]) }
        return .object([("type", .string("MultiPolygon")), ("coordinates", .array(parts))])
    }

    /// A multipolygon in BNG metres converted to WGS84 lon/lat (`BritishNationalGrid.unproject`).
    public static func lonLat(fromBNG m: MultiPolygon) -> MultiPolygon {
        m.mapCoordinates { x, y in
            let p = BritishNationalGrid.unproject(easting: x, northing: y)
            return (p.longitude, p.latitude)
        }
    }

    /// A coordinate rounded to `coordinateDecimals` places.
    @inline(__always)
    static func rounded(_ v: Double) -> Double { (v * 1e7).rounded() / 1e7 }

    private static func polygonJSON(_ p: Polygon) -> JSONValue {
        var rings: [JSONValue] = []
        rings.reserveCapacity(p.ringCount)
        for k in 0 ..< p.ringCount {
            let s = p.ringStarts[k], e = p.ringStarts[k + 1]
            // Right-hand rule: exterior (k = 0) counter-clockwise (positive area), holes clockwise.
            let positive = p.signedArea(ring: k) > 0
            let reverse = (k == 0) != positive
            var positions: [JSONValue] = []
            positions.reserveCapacity(e - s + 1)
            for t in 0 ..< (e - s) {
                let i = reverse ? e - 1 - t : s + t
                positions.append(position(p.xs[i], p.ys[i]))
            }
            positions.append(positions[0])
            rings.append(.array(positions))
        }
        return .array(rings)
    }

    private static func position(_ lon: Double, _ lat: Double) -> JSONValue {
        precondition(abs(lon) <= 180 && abs(lat) <= 90,
                     "GeoJSONWriter: (\(lon), \(lat)) is not lon/lat in degrees; unproject BNG metres first")
        return .array([.number(rounded(lon)), .number(rounded(lat))])
    }

    // MARK: grid cells

    /// Every cell of `grid` (or those with `mask[id] == true`) as a square polygon with properties
    /// `cell_id, row, col, x, y` (centre, BNG metres; conventions §1: row 0 south,
    /// `cell_id = row · ncols + col`) followed by one property per entry of `values` (sorted by
    /// name; each array holds one value per cell, row-major, row 0 south). Corners are the BNG
    /// cell corners unprojected to lon/lat with `BritishNationalGrid.unproject`, so adjacent cells
    /// share exact corner coordinates. Feature order: ascending `cell_id`.
    public static func gridCellsText(grid: Grid, values: [String: [Double]], mask: [Bool]? = nil) -> String {
        let names = values.keys.sorted()
        for name in names {
            precondition(values[name]!.count == grid.cellCount,
                         "GeoJSONWriter.gridCells: '\(name)' has \(values[name]!.count) values for \(grid.cellCount) cells")
            precondition(!["cell_id", "row", "col", "x", "y"].contains(name),
                         "GeoJSONWriter.gridCells: '\(name)' clashes with a built-in property")
        }
        precondition(mask == nil || mask!.count == grid.cellCount, "GeoJSONWriter.gridCells: mask length differs from the cell count")
        let columns = names.map { values[$0]! }
        func cornerRow(_ r: Int) -> [(Double, Double)] {
            (0 ... grid.ncols).map { c in
                let p = BritishNationalGrid.unproject(easting: grid.xmin + Double(c) * grid.cell,
                                                      northing: grid.ymin + Double(r) * grid.cell)
                return (p.longitude, p.latitude)
            }
        }
        var s = "{\"type\":\"FeatureCollection\",\"features\":["
        var first = true
        var south = cornerRow(0)
        for r in 0 ..< grid.nrows {
            let north = cornerRow(r + 1)
            for c in 0 ..< grid.ncols {
                let id = r * grid.ncols + c
                if let mask, !mask[id] { continue }
                var props: [(String, JSONValue)] = [
                    ("cell_id", .int(id)), ("row", .int(r)), ("col", .int(c)),
                    ("x", .number(grid.centreX(col: c))), ("y", .number(grid.centreY(row: r))),
                ]
                for (k, name) in names.enumerated() { props.append((name, .number(columns[k][id]))) }
                // SW, SE, NE, NW, SW: counter-clockwise.
                let ring: [JSONValue] = [south[c], south[c + 1], north[c + 1], north[c], south[c]].map { position($0.0, $0.1) }
                let feature: JSONValue = .object([
                    ("type", .string("Feature")),
                    ("properties", .object(props)),
                    ("geometry", .object([("type", .string("Polygon")), ("coordinates", .array([.array(ring)]))])),
                ])
                s += first ? "\n" : ",\n"
                first = false
                s += feature.serialized(pretty: false)
            }
            south = north
        }
        s += "\n]}\n"
        return s
    }

    /// Writes `gridCellsText(grid:values:mask:)` to `path`.
    public static func gridCells(grid: Grid, values: [String: [Double]], mask: [Bool]? = nil, path: String) throws(CSVError) {
        try save(gridCellsText(grid: grid, values: values, mask: mask), to: path)
    }

    private static func save(_ text: String, to path: String) throws(CSVError) {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw CSVError(.io("cannot write: \(error.localizedDescription)"), file: path, line: 0, column: 0)
        }
    }
}
