/// Memoised WGS84 → BNG projection keyed by the exact bit patterns of (lon, lat).
///
/// police.uk snaps every location to one of a fixed set of anonymised map points (about 14,000
/// distinct pairs in five months of Devon & Cornwall data), so most rows repeat a pair already
/// projected. An open-addressing table (linear probing, no per-lookup allocation) returns the
/// identical result `BritishNationalGrid.project` would, at the cost of a hash.
public struct ProjectionCache: Sendable {
    /// One slot: the key's bit patterns and the projected value; `lonBits == empty` marks a free slot.
    private struct Slot { var lonBits: UInt64; var latBits: UInt64; var e: Double; var n: Double }
    /// A NaN payload no parsed coordinate has (the parser never produces NaN).
    private static let empty: UInt64 = 0x7FF8_DEAD_BEEF_0001
    private var slots: [Slot]
    private var count = 0
    /// Entries kept at most; beyond this, pairs are projected without caching.
    public let capacity: Int

    public init(capacity: Int = 1 << 20) {
        self.capacity = capacity
        slots = [Slot](repeating: Slot(lonBits: Self.empty, latBits: 0, e: 0, n: 0), count: 1 << 12)
    }

    @inline(__always)
    private static func hash(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var h = (a &* 0x9E37_79B9_7F4A_7C15) ^ (b &+ 0x632B_E59B_D9B4_E019) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 31
        return h
    }

    /// BNG easting/northing, or (NaN, NaN) outside the projection's area of use.
    public mutating func project(longitude: Double, latitude: Double) -> (Double, Double) {
        let a = longitude.bitPattern, b = latitude.bitPattern
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: Self.hash(a, b)) & mask
        let found: (Double, Double)? = slots.withUnsafeBufferPointer { sp in
            while sp[s].lonBits != Self.empty {
                if sp[s].lonBits == a && sp[s].latBits == b { return (sp[s].e, sp[s].n) }
                s = (s + 1) & mask
            }
            return nil
        }
        if let f = found { return f }
        let p = BritishNationalGrid.project(longitude: longitude, latitude: latitude)
        let v = p.map { ($0.easting, $0.northing) } ?? (.nan, .nan)
        if count < capacity, a != Self.empty {
            slots[s] = Slot(lonBits: a, latBits: b, e: v.0, n: v.1)
            count += 1
            if count * 2 > slots.count { grow() }
        }
        return v
    }

    private mutating func grow() {
        let old = slots
        let n = slots.count * 2
        slots = [Slot](repeating: Slot(lonBits: Self.empty, latBits: 0, e: 0, n: 0), count: n)
        for o in old where o.lonBits != Self.empty {
            var s = Int(truncatingIfNeeded: Self.hash(o.lonBits, o.latBits)) & (n - 1)
            while slots[s].lonBits != Self.empty { s = (s + 1) & (n - 1) }
            slots[s] = o
        }
    }
}
