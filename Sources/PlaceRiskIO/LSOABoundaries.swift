import PlaceRiskCore
import Foundation

/// LSOA polygons (BNG metres) read once per run from `--boundaries` (default: the bundled ONS 2011
/// boundaries) and shared by every step that needs areas, centroids, contiguity or shapes.
public final class LSOABoundaries: @unchecked Sendable {
    public let path: String
    public let codes: [String]
    public let polygons: [MultiPolygon]
    public let index: [String: Int]

    public init(path: String, codes: [String], polygons: [MultiPolygon]) {
        self.path = path
        self.codes = codes
        self.polygons = polygons
        index = Dictionary(codes.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The LSOA polygons of the GeoJSON file `path` (projected to BNG when in lon/lat).
    public static func read(path: String) throws(LSOABoundariesError) -> LSOABoundaries {
        let codes: [String], polys: [MultiPolygon]
        do { (codes, polys) = try GeoJSONReader.lsoaPolygonsBNG(path: path) } catch { throw .unreadable(path: path, reason: error.description) }
        guard !codes.isEmpty else { throw .noPolygons(path: path) }
        return LSOABoundaries(path: path, codes: codes, polygons: polys)
    }

    /// Polygons of `units` in order; nil when any unit has no polygon.
    public func polygons(of units: [String]) -> [MultiPolygon]? {
        var out: [MultiPolygon] = []
        out.reserveCapacity(units.count)
        for c in units { guard let i = index[c] else { return nil }; out.append(polygons[i]) }
        return out
    }

    /// Queen contiguity of all polygons, built once per run (the first caller pays; the lock makes the
    /// cache safe to share).
    private var queenCache: SpatialWeights?
    private let lock = NSLock()
    public var queen: SpatialWeights {
        lock.lock(); defer { lock.unlock() }
        if let q = queenCache { return q }
        let q = Contiguity.queen(polygons)
        queenCache = q
        return q
    }

    /// Queen contiguity among `units`: the polygons' queen weights restricted to them, neighbours in
    /// ascending unit order — the same weights as `Contiguity.queen` of the units' polygons (contiguity
    /// is a property of each pair); units without a polygon have no neighbours.
    public func queenWeights(among units: [String]) -> SpatialWeights {
        let q = queen
        let pos = Dictionary(units.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return SpatialWeights(neighbourLists: units.map { c in
            guard let b = index[c] else { return [] }
            return (q.offsets[b] ..< q.offsets[b + 1]).compactMap { pos[codes[Int(q.neighbours[$0])]] }.sorted()
        })
    }
}

/// LSOA areas (for PAI) and centroids (for kde_past) from the boundaries, when every unit is in them.
public struct LSOAGeometry: Sendable {
    public var area: [Double]?
    public var centroidX: [Double], centroidY: [Double]
    public var note = ""

    public init(_ units: [String], _ boundaries: LSOABoundaries?, missingPath: String) {
        centroidX = [Double](repeating: .nan, count: units.count)
        centroidY = centroidX
        guard let boundaries else {
            note = "; PAI treats LSOAs as equal-area and kde_past is unavailable ('\(missingPath)' not found)"
            return
        }
        let path = boundaries.path, index = boundaries.index, polys = boundaries.polygons
        var allFound = true
        var areas: [Double] = []
        for (u, c) in units.enumerated() {
            guard let b = index[c] else { allFound = false; areas.append(.nan); continue }
            areas.append(polys[b].area)
            let ct = polys[b].centroid
            centroidX[u] = ct.x; centroidY[u] = ct.y
        }
        if allFound { area = areas; note = "; PAI uses LSOA areas from \(path)" } else {
            note = "; PAI treats LSOAs as equal-area (not every LSOA is in \(path))"
        }
    }
}

/// Why a boundaries file gives no polygons.
public enum LSOABoundariesError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case noPolygons(path: String)

    public var description: String {
        switch self {
        case let .unreadable(_, reason): reason
        case let .noPolygons(path): "\(path): the boundaries file holds no LSOA polygons (features with an LSOA code property)"
        }
    }
}
