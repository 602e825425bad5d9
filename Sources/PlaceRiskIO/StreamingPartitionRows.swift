import PlaceRiskCore

extension StreamingAggregation {
    /// The label tables every partition of a flush shares: the arrays are copy-on-write, so the
    /// partitions hold one copy between them and no String per row.
    public struct Labels: Sendable {
        /// LSOA code of each unit id (empty for cells).
        public var units: [String]
        /// `YYYY-MM` of each month code.
        public var months: [String]
        /// Crime-type label of each type code.
        public var crimeTypes: [String]

        public init(units: [String], months: [String], crimeTypes: [String]) {
            self.units = units; self.months = months; self.crimeTypes = crimeTypes
        }
    }

    /// One partition's rows, sorted by unit (LSOA code or cell id), month and crime-type label, as
    /// codes into the shared `labels`.
    public struct PartitionRows: Sendable {
        /// Partition values in `partitionBy` order.
        public var values: [String]
        public var labels: Labels
        /// Whether the unit is a grid cell (`units` hold cell ids) or an LSOA (`units` index `labels.units`).
        public var byCell: Bool
        public var units: [Int64]
        public var monthCodes: [Int32]
        public var typeCodes: [Int32]
        public var n: [Int64]
        public var sumW: [Double]
        public var sumW2: [Double]
        public var count: Int { n.count }

        public init(values: [String], labels: Labels, byCell: Bool, units: [Int64], monthCodes: [Int32], typeCodes: [Int32],
                    n: [Int64], sumW: [Double], sumW2: [Double]) {
            precondition([units.count, monthCodes.count, typeCodes.count, sumW.count, sumW2.count].allSatisfy { $0 == n.count },
                         "PartitionRows: columns differ in length")
            self.values = values; self.labels = labels; self.byCell = byCell; self.units = units
            self.monthCodes = monthCodes; self.typeCodes = typeCodes; self.n = n; self.sumW = sumW; self.sumW2 = sumW2
        }

        /// From text columns (codes by first appearance): LSOA units when `unitLabels` is given, else
        /// the cells of `cellIDs`.
        public init(values: [String], unitLabels: [String], cellIDs: [Int64], months: [String], crimeTypes: [String],
                    n: [Int64], sumW: [Double], sumW2: [Double]) {
            func coded(_ v: [String]) -> (codes: [Int32], labels: [String]) {
                var at: [String: Int32] = [:], labels: [String] = []
                let codes = v.map { s -> Int32 in
                    if let k = at[s] { return k }
                    at[s] = Int32(labels.count); labels.append(s); return Int32(labels.count - 1)
                }
                return (codes, labels)
            }
            let byCell = unitLabels.isEmpty && !cellIDs.isEmpty
            let u = coded(unitLabels), m = coded(months), t = coded(crimeTypes)
            self.init(values: values, labels: Labels(units: u.labels, months: m.labels, crimeTypes: t.labels), byCell: byCell,
                      units: byCell ? cellIDs : u.codes.map { Int64($0) }, monthCodes: m.codes, typeCodes: t.codes, n: n, sumW: sumW, sumW2: sumW2)
        }

        /// Each row's LSOA code ("" for cells).
        public var unitLabels: [String] { byCell ? Array(repeating: "", count: count) : units.map { labels.units[Int($0)] } }
        /// Each row's cell id (0 for LSOAs).
        public var cellIDs: [Int64] { byCell ? units : Array(repeating: 0, count: count) }
        public var months: [String] { monthCodes.map { labels.months[Int($0)] } }
        public var crimeTypes: [String] { typeCodes.map { labels.crimeTypes[Int($0)] } }
    }

    /// What a flush needs to turn sorted rank keys back into rows.
    struct RankTables: Sendable {
        var byCell: Bool
        /// Compact id (index into `labels.units`) of each LSOA code number written (unused for cells).
        var unitCompact: CodeNumberTable
        var typeOfRank: [Int32]
        var typeWeights: [Double]
        var monthLow: Int
        var labels: Labels
    }

    /// One partition's rows from its run of keys sorted by `PartialAggregate.pack(part: rank,
    /// unit: code number or cell id, month, type: rank)`, with their counts; sum_w = n · w and sum_w2 = n · w · w of the
    /// type's weight.
    static func partitionRows(values: [String], keys: ArraySlice<UInt64>, counts: ArraySlice<Int64>, _ t: RankTables) -> PartitionRows {
        let n = keys.count
        var units = [Int64](), months = [Int32](), types = [Int32](), sumW = [Double](), sumW2 = [Double]()
        units.reserveCapacity(n); months.reserveCapacity(n); types.reserveCapacity(n); sumW.reserveCapacity(n); sumW2.reserveCapacity(n)
        for (k, c) in zip(keys, counts) {
            let u = PartialAggregate.unpack(k)
            let type = t.typeOfRank[u.type], w = t.typeWeights[Int(type)]
            units.append(t.byCell ? Int64(u.unit) : Int64(t.unitCompact[u.unit]!))
            months.append(Int32(u.monthIndex - t.monthLow))
            types.append(type)
            sumW.append(Double(c) * w)
            sumW2.append(Double(c) * w * w)
        }
        return PartitionRows(values: values, labels: t.labels, byCell: t.byCell, units: units, monthCodes: months, typeCodes: types,
                             n: Array(counts), sumW: sumW, sumW2: sumW2)
    }
}
