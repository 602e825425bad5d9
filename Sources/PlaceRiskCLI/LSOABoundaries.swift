import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// LSOA polygons (BNG metres) read once per run from `--boundaries` (default: the bundled ONS 2011
/// boundaries) and shared by every step that needs areas, centroids, contiguity or shapes.
final class LSOABoundaries: @unchecked Sendable {
    let path: String
    let codes: [String]
    let polygons: [MultiPolygon]
    let index: [String: Int]

    init(path: String, codes: [String], polygons: [MultiPolygon]) {
        self.path = path
        self.codes = codes
        self.polygons = polygons
        index = Dictionary(codes.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The boundaries named by `--boundaries` (`given`; nil: the bundled default); nil when the default
    /// file does not exist (a given file that does not exist is an error).
    static func load(_ given: String?) throws -> LSOABoundaries? {
        let path = given ?? DensityCommand.defaultBoundaries
        guard FileManager.default.fileExists(atPath: path) else {
            if given != nil { throw RuntimeError("\(path): no such file (--boundaries)") }
            return nil
        }
        let (codes, polys) = try GeoJSONReader.lsoaPolygonsBNG(path: path)
        guard !codes.isEmpty else { throw RuntimeError("\(path): the boundaries file holds no LSOA polygons (features with an LSOA code property)") }
        return LSOABoundaries(path: path, codes: codes, polygons: polys)
    }

    /// The path `load` would read, for messages when it is missing.
    static func path(_ given: String?) -> String { given ?? DensityCommand.defaultBoundaries }

    /// Polygons of `units` in order; nil when any unit has no polygon.
    func polygons(of units: [String]) -> [MultiPolygon]? {
        var out: [MultiPolygon] = []
        out.reserveCapacity(units.count)
        for c in units { guard let i = index[c] else { return nil }; out.append(polygons[i]) }
        return out
    }

    /// Queen contiguity of all polygons, built once per run (the first caller pays; the lock makes the
    /// cache safe to share).
    private var queenCache: SpatialWeights?
    private let lock = NSLock()
    var queen: SpatialWeights {
        lock.lock(); defer { lock.unlock() }
        if let q = queenCache { return q }
        let q = Contiguity.queen(polygons)
        queenCache = q
        return q
    }

    /// Queen contiguity among `units`: the polygons' queen weights restricted to them, neighbours in
    /// ascending unit order — the same weights as `Contiguity.queen` of the units' polygons (contiguity
    /// is a property of each pair); units without a polygon have no neighbours.
    func queenWeights(among units: [String]) -> SpatialWeights {
        let q = queen
        let pos = Dictionary(units.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return SpatialWeights(neighbourLists: units.map { c in
            guard let b = index[c] else { return [] }
            return (q.offsets[b] ..< q.offsets[b + 1]).compactMap { pos[codes[Int(q.neighbours[$0])]] }.sorted()
        })
    }
}
