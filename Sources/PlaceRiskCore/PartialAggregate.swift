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

    /// Position of each key in `keys`/`counts`.
    private var slot: [UInt64: Int] = [:]
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

    /// Adds `n` incidents to `key`.
    public mutating func add(_ key: UInt64, _ n: Int64) {
        if let s = slot[key] { counts[s] += n; return }
        slot[key] = keys.count
        keys.append(key)
        counts.append(n)
    }

    /// Adds every key of `other`.
    public mutating func merge(_ other: PartialAggregate) {
        for (k, n) in zip(other.keys, other.counts) { add(k, n) }
    }

    /// The keys of partition `part`, sorted by (unit, month, type) order of the packed bits, with counts.
    public func sortedEntries() -> [(key: UInt64, n: Int64)] {
        zip(keys, counts).map { (key: $0, n: $1) }.sorted { $0.key < $1.key }
    }

    public mutating func removeAll() {
        slot.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        counts.removeAll(keepingCapacity: true)
    }
}
