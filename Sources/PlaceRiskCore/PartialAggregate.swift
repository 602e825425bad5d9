/// Mergeable per-key sums of incidents: for every (partition, unit, month, crime type) the count
/// `n`. Weighted sums follow from the count because a weight belongs to a crime type:
/// ```
/// sum_w  = Σ_i w_i   = n · w_type          sum_w2 = Σ_i w_i² = n · w_type²
/// ```
/// so partial aggregates merge by adding `n` (exact in integers) and a weighted mean and variance
/// are recovered from (n, sum_w, sum_w2) of any union of parts: mean = sum_w / n,
/// var = sum_w2 / n − mean² (population). Keys are packed into 64 bits:
/// `part (20 bits) | unit (25 bits) | month (12 bits, months since 1990-01) | type (7 bits)`.
public struct PartialAggregate: Sendable {
    public static let partBits = 20, unitBits = 25, monthBits = 12, typeBits = 7
    /// The first month a key can hold (January 1990); keys hold 4,096 months from it.
    public static let monthBase = 1990 * 12

    /// Open addressing (linear probing) over positions in `keys`/`counts`, + 1 (0 = empty).
    private var slots = [Int32](repeating: 0, count: 1 << 10)
    public private(set) var keys: [UInt64] = []
    public private(set) var counts: [Int64] = []

    public init() {}

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// Whether the components fit the packed key.
    public static func fits(part: Int, unit: Int, monthIndex: Int, type: Int) -> Bool {
        let m = monthIndex - monthBase
        return part >= 0 && part < 1 << partBits && unit >= 0 && unit < 1 << unitBits
            && m >= 0 && m < 1 << monthBits && type >= 0 && type < 1 << typeBits
    }

    @inlinable
    public static func pack(part: Int, unit: Int, monthIndex: Int, type: Int) -> UInt64 {
        precondition(fits(part: part, unit: unit, monthIndex: monthIndex, type: type), "PartialAggregate: key component out of range")
        var k = UInt64(part)
        k = k << UInt64(unitBits) | UInt64(unit)
        k = k << UInt64(monthBits) | UInt64(monthIndex - monthBase)
        return k << UInt64(typeBits) | UInt64(type)
    }

    public static func unpack(_ k: UInt64) -> (part: Int, unit: Int, monthIndex: Int, type: Int) {
        let type = Int(k & ((1 << UInt64(typeBits)) - 1))
        let month = Int((k >> UInt64(typeBits)) & ((1 << UInt64(monthBits)) - 1)) + monthBase
        let unit = Int((k >> UInt64(typeBits + monthBits)) & ((1 << UInt64(unitBits)) - 1))
        let part = Int(k >> UInt64(typeBits + monthBits + unitBits))
        return (part, unit, month, type)
    }

    /// Adds `n` incidents to `key`; true when the key is new (so a caller can count keys held).
    @discardableResult
    public mutating func add(_ key: UInt64, _ n: Int64) -> Bool {
        let mask = slots.count - 1
        var s = Self.slot(key) & mask
        while true {
            let v = Int(slots[s])
            if v == 0 { break }
            if keys[v - 1] == key { counts[v - 1] += n; return false }
            s = (s + 1) & mask
        }
        precondition(keys.count < Int(Int32.max), "PartialAggregate: too many keys")
        keys.append(key)
        counts.append(n)
        slots[s] = Int32(keys.count)
        if keys.count * 2 > slots.count { grow() }
        return true
    }

    @inline(__always)
    private static func slot(_ k: UInt64) -> Int {
        var h = k &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 31
        return Int(truncatingIfNeeded: h)
    }

    private mutating func grow() {
        let n = slots.count * 2
        slots = [Int32](repeating: 0, count: n)
        for (i, k) in keys.enumerated() {
            var s = Self.slot(k) & (n - 1)
            while slots[s] != 0 { s = (s + 1) & (n - 1) }
            slots[s] = Int32(i + 1)
        }
    }
}
