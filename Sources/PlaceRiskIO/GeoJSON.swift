import PlaceRiskCore
import Foundation

/// One GeoJSON feature with polygonal geometry.
public struct GeoJSONFeature: Sendable, Equatable {
    /// Properties as text: strings as they are; integers as decimal digits; other numbers as
    /// Swift's shortest round-tripping decimal (`80.467003`, `2.0`); booleans `true`/`false`;
    /// nested arrays/objects as compact JSON. `null` properties are absent.
    public let properties: [String: String]
    /// A `Polygon` geometry becomes a one-part multipolygon. Coordinates as in the file.
    public let geometry: MultiPolygon

    public init(properties: [String: String], geometry: MultiPolygon) {
        self.properties = properties
        self.geometry = geometry
    }
}

/// Reads GeoJSON (RFC 7946) feature collections of polygons with Foundation's `JSONSerialization`.
///
/// Accepted: a `FeatureCollection` (or a single `Feature`) whose geometries are `Polygon` or
/// `MultiPolygon`. Rings are `[[x, y], …]`; a third coordinate (height) is ignored; the closing
/// repeat of the first position is dropped (see `Polygon`). Every problem is a `CSVError` with
/// line 0, column 0, the file, and a JSON path naming the feature, e.g.
/// `columbus.json:0:0: column 'features[12].geometry.type': 'LineString' is not Polygon or MultiPolygon`.
public enum GeoJSONReader {
    /// All features of the file, in file order.
    public static func features(path: String) throws(CSVError) -> [GeoJSONFeature] {
        try parse(data: read(path), file: path).features
    }

    /// All features of GeoJSON text held in memory (`file` names it in errors).
    public static func features(data: Data, file: String) throws(CSVError) -> [GeoJSONFeature] {
        try parse(data: data, file: file).features
    }

    /// LSOA codes and polygons projected to British National Grid metres (EPSG:27700), in file
    /// order, from a lon/lat (WGS84 / CRS84) boundary file such as the ONS LSOA boundaries.
    ///
    /// Refused with a `CSVError`: a `crs` member naming anything but CRS84 / EPSG:4326 (e.g. a file
    /// already in EPSG:27700); any coordinate outside lon −180…180 / lat −90…90 (not degrees) or
    /// outside British National Grid's area of use; a feature without the code property; a code
    /// that occurs twice (a join by code would be ambiguous).
    public static func lsoaPolygonsBNG(
        path: String, codeProperty: String = "LSOA11CD"
    ) throws(CSVError) -> (codes: [String], polygons: [MultiPolygon]) {
        let r = try lsoaPolygons(path: path, codeProperty: codeProperty)
        return (r.codes, r.polygons)
    }

    /// As `lsoaPolygonsBNG`, also returning each feature's WGS84 geometry (for GeoJSON output), so a
    /// caller needing both reads and parses the file once.
    public static func lsoaPolygons(
        path: String, codeProperty: String = "LSOA11CD"
    ) throws(CSVError) -> (codes: [String], polygons: [MultiPolygon], lonLat: [MultiPolygon]) {
        let parsed = try parse(data: read(path), file: path)
        if let crs = parsed.crsName {
            let lower = crs.lowercased()
            let lonLat = lower.hasSuffix("crs84") || lower.hasSuffix("epsg::4326") || lower.hasSuffix("epsg:4326")
            guard lonLat else {
                throw CSVError(.badValue(column: "crs", value: crs, expected: "WGS84 lon/lat (CRS84 or EPSG:4326)"),
                               file: path, line: 0, column: 0)
            }
        }
        var codes: [String] = [], polygons: [MultiPolygon] = [], seen: [String: Int] = [:]
        codes.reserveCapacity(parsed.features.count)
        polygons.reserveCapacity(parsed.features.count)
        for (i, f) in parsed.features.enumerated() {
            guard let code = f.properties[codeProperty], !code.isEmpty else {
                throw CSVError(.missingColumn("features[\(i)].properties.\(codeProperty)"), file: path, line: 0, column: 0)
            }
            if let first = seen[code] {
                throw CSVError(.badValue(column: "features[\(i)].properties.\(codeProperty)", value: code,
                                         expected: "a code not already used by features[\(first)]"),
                               file: path, line: 0, column: 0)
            }
            seen[code] = i
            let projected = try f.geometry.mapCoordinates { (x, y) throws(CSVError) -> (x: Double, y: Double) in
                guard abs(x) <= 180, abs(y) <= 90 else {
                    throw CSVError(.badValue(column: "features[\(i)].geometry.coordinates", value: "[\(x), \(y)]",
                                             expected: "longitude/latitude in degrees (reproject to WGS84 first)"),
                                   file: path, line: 0, column: 0)
                }
                guard let p = BritishNationalGrid.project(longitude: x, latitude: y) else {
                    throw CSVError(.badValue(column: "features[\(i)].geometry.coordinates", value: "[\(x), \(y)]",
                                             expected: "inside British National Grid's area of use (49.75–61.01° N, 9.01° W–2.01° E)"),
                                   file: path, line: 0, column: 0)
                }
                return (p.easting, p.northing)
            }
            codes.append(code)
            polygons.append(projected)
        }
        return (codes, polygons, parsed.features.map(\.geometry))
    }

    // MARK: parsing

    private static func read(_ path: String) throws(CSVError) -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CSVError(.io("cannot read: \(error.localizedDescription)"), file: path, line: 0, column: 0)
        }
    }

    /// Some published layers store a hole as a separate part wound the opposite way inside another part
    /// (ONS BSC: E01018992, Cornwall 069A). Such a part becomes a hole ring of the part containing it, so
    /// area and centroid subtract it (containment was already right by the even-odd rule).
    static func repairingHoleParts(_ parts: [Polygon]) -> [Polygon] {
        guard parts.count > 1 else { return parts }
        var holesOf = [[Int]](repeating: [], count: parts.count)
        var isHole = [Bool](repeating: false, count: parts.count)
        for i in parts.indices {
            let ring = parts[i].ring(0)
            let si = parts[i].signedArea(ring: 0)
            for j in parts.indices where j != i && !isHole[j] {
                let sj = parts[j].signedArea(ring: 0)
                guard si * sj < 0, abs(si) < abs(sj) else { continue }
                let outer = Polygon(rings: [parts[j].ring(0)])
                if outer.contains(x: ring[0].x, y: ring[0].y), outer.contains(x: ring[ring.count / 2].x, y: ring[ring.count / 2].y) {
                    holesOf[j].append(i); isHole[i] = true
                    break
                }
            }
        }
        guard isHole.contains(true) else { return parts }
        return parts.indices.filter { !isHole[$0] }.map { j in
            holesOf[j].isEmpty ? parts[j]
                : Polygon(rings: (0 ..< parts[j].ringCount).map { parts[j].ring($0) } + holesOf[j].map { parts[$0].ring(0) })
        }
    }

    static func parse(data: Data, file: String) throws(CSVError) -> (features: [GeoJSONFeature], crsName: String?) {
        func fail(_ where_: String, _ value: String, _ expected: String) -> CSVError {
            CSVError(.badValue(column: where_, value: value, expected: expected), file: file, line: 0, column: 0)
        }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw CSVError(.io("not valid JSON: \(error.localizedDescription)"), file: file, line: 0, column: 0)
        }
        guard let object = root as? [String: Any] else { throw fail("(root)", "not an object", "a GeoJSON object") }
        let type = object["type"] as? String ?? ""
        let rawFeatures: [Any]
        switch type {
        case "FeatureCollection":
            guard let f = object["features"] as? [Any] else { throw fail("features", "missing", "an array of features") }
            rawFeatures = f
        case "Feature":
            rawFeatures = [object]
        default:
            throw fail("type", type, "FeatureCollection or Feature")
        }
        var crsName: String?
        if let crs = object["crs"] as? [String: Any], let props = crs["properties"] as? [String: Any] {
            crsName = props["name"] as? String
        }
        var out: [GeoJSONFeature] = []
        out.reserveCapacity(rawFeatures.count)
        for (i, raw) in rawFeatures.enumerated() {
            let at = "features[\(i)]"
            guard let feature = raw as? [String: Any], feature["type"] as? String == "Feature" else {
                throw fail(at, "not a Feature object", "a Feature")
            }
            var properties: [String: String] = [:]
            if let props = feature["properties"] as? [String: Any] {
                for (k, v) in props { if let t = text(of: v) { properties[k] = t } }
            }
            guard let geometry = feature["geometry"] as? [String: Any] else {
                throw fail(at + ".geometry", "null", "a Polygon or MultiPolygon geometry")
            }
            let gtype = geometry["type"] as? String ?? "(none)"
            let coords = geometry["coordinates"]
            let parts: [Any]
            switch gtype {
            case "Polygon": parts = [coords as Any]
            case "MultiPolygon":
                guard let p = coords as? [Any], !p.isEmpty else {
                    throw fail(at + ".geometry.coordinates", "empty or missing", "an array of polygons")
                }
                parts = p
            default:
                throw fail(at + ".geometry.type", gtype, "Polygon or MultiPolygon")
            }
            var polygons: [Polygon] = []
            for (pi, part) in parts.enumerated() {
                let pAt = at + ".geometry.coordinates" + (gtype == "MultiPolygon" ? "[\(pi)]" : "")
                guard let rings = part as? [Any], !rings.isEmpty else { throw fail(pAt, "empty or missing", "an array of rings") }
                var ringList: [[(x: Double, y: Double)]] = []
                ringList.reserveCapacity(rings.count)
                for (ri, r) in rings.enumerated() {
                    let rAt = pAt + "[\(ri)]"
                    guard let positions = r as? [Any] else { throw fail(rAt, "not an array", "a ring of positions") }
                    var ring: [(x: Double, y: Double)] = []
                    ring.reserveCapacity(positions.count)
                    for (k, pos) in positions.enumerated() {
                        guard let xy = pos as? [Any], xy.count >= 2,
                              let x = number(xy[0]), let y = number(xy[1]), x.isFinite, y.isFinite
                        else { throw fail(rAt + "[\(k)]", "\(pos)", "a position [x, y] of two numbers") }
                        ring.append((x, y))
                    }
                    var distinct = ring.count
                    if distinct > 1, ring[distinct - 1] == ring[0] { distinct -= 1 }
                    guard distinct >= 3 else { throw fail(rAt, "\(distinct) vertices", "a ring of at least 3 vertices besides the closing repeat") }
                    ringList.append(ring)
                }
                polygons.append(Polygon(rings: ringList))
            }
            out.append(GeoJSONFeature(properties: properties, geometry: MultiPolygon(repairingHoleParts(polygons))))
        }
        return (out, crsName)
    }

    /// A JSON number as a Double (booleans are not numbers).
    private static func number(_ v: Any) -> Double? {
        guard let n = v as? NSNumber, !isBoolean(n) else { return nil }
        return n.doubleValue
    }

    /// JSONSerialization boxes `true`/`false` as NSNumber with Objective-C type "c" (char);
    /// JSON numbers are never boxed as char.
    private static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    /// A property value as text (nil for JSON null).
    private static func text(of v: Any) -> String? {
        switch v {
        case is NSNull: return nil
        case let s as String: return s
        case let n as NSNumber:
            if isBoolean(n) { return n.boolValue ? "true" : "false" }
            switch String(cString: n.objCType) {
            case "d", "f": return "\(n.doubleValue)"
            case "Q": return String(n.uint64Value)
            default: return String(n.int64Value)
            }
        default:
            guard JSONSerialization.isValidJSONObject(v),
                  let d = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys]) else { return "\(v)" }
            return String(decoding: d, as: UTF8.self)
        }
    }
}
