/// Memoised WGS84 → BNG projection keyed by the exact bit patterns of (lon, lat).
///
/// police.uk snaps every location to one of a fixed set of anonymised map points (about 14,000
/// distinct pairs in five months of Devon & Cornwall data), so most rows repeat a pair already
/// projected. An open-addressing table (linear probing, no per-lookup allocation) returns the
/// identical result `BritishNationalGrid.project` would, at the cost of a hash.
public struct ProjectionCache: Sendable {
    private var keysLon: [UInt64]
    private var keysLat: [UInt64]
    private var values: [(Double, Double)]
    private var used: [Bool]
    private var count = 0
    /// Entries kept at most; beyond this, pairs are projected without caching.
    public let capacity: Int

    public init(capacity: Int = 1 << 20) {
        self.capacity = capacity
        keysLon = [UInt64](repeating: 0, count: 1 << 12)
        keysLat = keysLon
        values = [(Double, Double)](repeating: (0, 0), count: 1 << 12)
        used = [Bool](repeating: false, count: 1 << 12)
    }

    /// BNG easting/northing, or (NaN, NaN) outside the projection's area of use.
    public mutating func project(longitude: Double, latitude: Double) -> (Double, Double) {
        let a = longitude.bitPattern, b = latitude.bitPattern
        var h = (a &* 0x9E37_79B9_7F4A_7C15) ^ (b &+ 0x632B_E59B_D9B4_E019) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 31
        let mask = used.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while used[s] {
            if keysLon[s] == a && keysLat[s] == b { return values[s] }
            s = (s + 1) & mask
        }
        let p = BritishNationalGrid.project(longitude: longitude, latitude: latitude)
        let v = p.map { ($0.easting, $0.northing) } ?? (.nan, .nan)
        if count < capacity {
            used[s] = true; keysLon[s] = a; keysLat[s] = b; values[s] = v
            count += 1
            if count * 2 > used.count { grow() }
        }
        return v
    }

    private mutating func grow() {
        let oldLon = keysLon, oldLat = keysLat, oldV = values, oldUsed = used
        let n = used.count * 2
        keysLon = [UInt64](repeating: 0, count: n); keysLat = keysLon
        values = [(Double, Double)](repeating: (0, 0), count: n)
        used = [Bool](repeating: false, count: n)
        count = 0
        for i in oldUsed.indices where oldUsed[i] {
            let a = oldLon[i], b = oldLat[i]
            var h = (a &* 0x9E37_79B9_7F4A_7C15) ^ (b &+ 0x632B_E59B_D9B4_E019) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            var s = Int(truncatingIfNeeded: h) & (n - 1)
            while used[s] { s = (s + 1) & (n - 1) }
            used[s] = true; keysLon[s] = a; keysLat[s] = b; values[s] = oldV[i]
            count += 1
        }
    }
}
