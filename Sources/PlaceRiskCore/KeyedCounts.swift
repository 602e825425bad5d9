/// What incidents are counted by.
public enum AggregationKey: String, CaseIterable, Sendable {
    case lsoaMonth = "lsoa,month"
    case lsoaMonthCrimeType = "lsoa,month,crime_type"
    case lsoa
    case cellMonth = "cell,month"
    case cell

    public var byMonth: Bool { self == .lsoaMonth || self == .lsoaMonthCrimeType || self == .cellMonth }
    public var byCrimeType: Bool { self == .lsoaMonthCrimeType }
    public var byCell: Bool { self == .cellMonth || self == .cell }
}

/// Dense counts (and optional weighted sums) over unit × month × crime type.
///
/// Layout: `index = (unit · nMonths + month) · nTypes + type`, so walking the buffer in order
/// walks the keys in sorted order (unit, then month, then type). Dimensions not in the key
/// have extent 1. Zero cells are real zeros: a zero-filled panel is this buffer written whole.
public struct KeyedCounts: Sendable, Equatable {
    public let key: AggregationKey
    /// Number of spatial units (cells of the grid, or LSOAs in `lsoaCodes`).
    public let unitCount: Int
    /// The month axis when keyed by month.
    public let months: MonthRange?
    /// The crime-type axis when keyed by crime type (else empty).
    public let crimeTypes: [CrimeType]
    public var counts: [Int32]
    /// Weighted sums when weights were given.
    public var sums: [Double]?

    public init(key: AggregationKey, unitCount: Int, months: MonthRange?, crimeTypes: [CrimeType], counts: [Int32], sums: [Double]?) {
        precondition(!key.byMonth || months != nil, "KeyedCounts: keyed by month needs a month range")
        self.key = key
        self.unitCount = unitCount
        self.months = months
        self.crimeTypes = crimeTypes
        self.counts = counts
        self.sums = sums
        precondition(counts.count == unitCount * monthCount * typeCount, "KeyedCounts: \(counts.count) counts for \(unitCount * monthCount * typeCount) keys")
        precondition(sums == nil || sums!.count == counts.count, "KeyedCounts: sums and counts differ in length")
    }

    public var monthCount: Int { key.byMonth ? (months?.count ?? 1) : 1 }
    public var typeCount: Int { key.byCrimeType ? crimeTypes.count : 1 }

    @inlinable
    public func index(unit: Int, month: Int = 0, type: Int = 0) -> Int {
        (unit * monthCount + month) * typeCount + type
    }

    /// Total of all counts.
    public var total: Int { counts.reduce(0) { $0 + Int($1) } }
}

/// The aggregation core: a keyed, parallel, mergeable sum (a multi-dimensional `bincount`).
///
/// ```
/// key_i = (unit_i · M + month_i) · T + type_i      (−1 components: row not counted)
/// counts[key_i] += 1;  sums[key_i] += w_i
/// ```
/// Complexity: O(n + k·D) for n rows, D dense keys, k workers (each with its own partial buffer,
/// merged at the end; k = 1 when D is large relative to n).
public enum KeyedAggregation {
    /// Aggregates rows with precomputed axis positions.
    ///
    /// - Parameters:
    ///   - unit: unit position per row, −1 to leave the row out.
    ///   - month: month position (0 ..< monthCount) per row, or nil when not keyed by month.
    ///   - type: crime-type position per row (−1 to leave out), or nil when not keyed by type.
    ///   - weights: optional weight per row.
    /// - Returns: the dense counts and the number of rows left out.
    public static func aggregate(
        key: AggregationKey, unitCount: Int, months: MonthRange?, crimeTypes: [CrimeType],
        unit: [Int32], month: [Int32]?, type: [Int32]?, weights: [Double]?
    ) -> (counts: KeyedCounts, leftOut: Int) {
        let n = unit.count
        precondition(month == nil || month!.count == n, "KeyedAggregation: month length differs")
        precondition(type == nil || type!.count == n, "KeyedAggregation: type length differs")
        precondition(weights == nil || weights!.count == n, "KeyedAggregation: weights length differs")
        precondition(!key.byMonth || (months != nil && month != nil), "KeyedAggregation: month axis required")
        precondition(!key.byCrimeType || type != nil, "KeyedAggregation: crime-type axis required")
        let nm = key.byMonth ? months!.count : 1
        let nt = key.byCrimeType ? crimeTypes.count : 1
        let d = unitCount * nm * nt
        precondition(d <= Int(Int32.max), "KeyedAggregation: \(d) keys exceed the dense limit")
        let k = (d > (1 << 22) || n < (1 << 16)) ? 1 : Parallel.workerCount(items: n, grain: 1 << 16)
        var pc = [Int32](repeating: 0, count: d * k)
        var ps = [Double](repeating: 0, count: weights == nil ? 0 : d * k)
        var left = [Int](repeating: 0, count: k)
        let useMonth = key.byMonth, useType = key.byCrimeType
        let mArr = month ?? [], tArr = type ?? [], wArr = weights ?? []
        unit.withUnsafeBufferPointer { up in
            mArr.withUnsafeBufferPointer { mp in
                tArr.withUnsafeBufferPointer { tp in
                    wArr.withUnsafeBufferPointer { wp in
                        pc.withUnsafeMutableBufferPointer { pcp in
                            ps.withUnsafeMutableBufferPointer { psp in
                                left.withUnsafeMutableBufferPointer { lp in
                                    let ctx = UncheckedSendable((up, mp, tp, wp, pcp, psp, lp))
                                    Parallel.forEachSlice(count: n, workers: k) { w, range in
                                        let (up, mp, tp, wp, pcp, psp, lp) = ctx.value
                                        let base = w * d
                                        let weighted = wp.count > 0
                                        var l = 0
                                        for i in range {
                                            let u = Int(up[i])
                                            let m = useMonth ? Int(mp[i]) : 0
                                            let t = useType ? Int(tp[i]) : 0
                                            if u < 0 || u >= unitCount || m < 0 || m >= nm || t < 0 || t >= nt {
                                                l += 1; continue
                                            }
                                            let idx = base + (u * nm + m) * nt + t
                                            pcp[idx] &+= 1
                                            if weighted { psp[idx] += wp[i] }
                                        }
                                        lp[w] = l
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var counts = Array(pc[0 ..< d])
        var sums: [Double]? = weights == nil ? nil : Array(ps[0 ..< d])
        for w in 1 ..< k {
            for i in 0 ..< d { counts[i] &+= pc[w * d + i] }
            if sums != nil { for i in 0 ..< d { sums![i] += ps[w * d + i] } }
        }
        let kc = KeyedCounts(key: key, unitCount: unitCount, months: key.byMonth ? months : nil,
                             crimeTypes: key.byCrimeType ? crimeTypes : [], counts: counts, sums: sums)
        return (kc, left.reduce(0, +))
    }
}
