/// Incidents → keyed counts: decides each row's unit (LSOA or grid cell), month and type position,
/// counts every row it cannot place under a skip reason, and runs `KeyedAggregation`.
public enum IncidentAggregator {
    /// What to aggregate and over which axes.
    public struct Request: Sendable {
        public var key: AggregationKey
        /// The grid for cell keys.
        public var grid: Grid?
        /// Only points inside this box are counted (cell keys); others are `outside_grid`.
        public var bbox: BoundingBox?
        /// The month axis (rows outside it are `filtered_month`).
        public var months: MonthRange
        /// The crime-type axis when keyed by type (rows of other types are `filtered_crime_type`).
        public var crimeTypes: [CrimeType]
        /// LSOA units, sorted; nil = every code present in the data (after filters).
        public var lsoaUnits: [String]?
        /// Per-type weights for weighted sums (types not listed weigh 0); nil = counts only.
        public var weights: [CrimeType: Double]?

        public init(key: AggregationKey, grid: Grid? = nil, bbox: BoundingBox? = nil, months: MonthRange,
                    crimeTypes: [CrimeType] = [], lsoaUnits: [String]? = nil, weights: [CrimeType: Double]? = nil) {
            self.key = key
            self.grid = grid
            self.bbox = bbox
            self.months = months
            self.crimeTypes = crimeTypes
            self.lsoaUnits = lsoaUnits
            self.weights = weights
        }
    }

    public struct Result: Sendable {
        public var counts: KeyedCounts
        /// LSOA code of each unit (LSOA keys); empty for cell keys.
        public var unitLabels: [String]
        /// Rows of the table that were counted.
        public var rowsUsed: Int
        /// Rows of the table that were not, by reason.
        public var skipped: [SkipReason: Int]
    }

    public static func aggregate(_ table: IncidentTable, _ req: Request) -> Result {
        let n = table.count
        var skipped: [SkipReason: Int] = [:]
        var unit = [Int32](repeating: -1, count: n)
        var labels: [String] = []
        let unitCount: Int
        if req.key.byCell {
            guard let grid = req.grid else { preconditionFailure("IncidentAggregator: cell keys need a grid") }
            unitCount = grid.cellCount
            for i in 0 ..< n {
                switch table.location[i] {
                case .noCoordinates: skipped[.noCoordinates, default: 0] += 1; continue
                case .outsideBNG: skipped[.outsideBNG, default: 0] += 1; continue
                case .projected: break
                }
                let x = table.x[i], y = table.y[i]
                if let b = req.bbox, !b.contains(x: x, y: y) { skipped[.outsideGrid, default: 0] += 1; continue }
                guard let id = grid.cellID(x: x, y: y) else { skipped[.outsideGrid, default: 0] += 1; continue }
                unit[i] = Int32(truncatingIfNeeded: id)
            }
        } else {
            let present = Set(table.lsoaID.filter { $0 >= 0 })
            labels = req.lsoaUnits ?? present.map { table.lsoaCodes[Int($0)] }.sorted()
            var pos: [String: Int32] = [:]
            for (k, c) in labels.enumerated() { pos[c] = Int32(k) }
            let idToUnit = table.lsoaCodes.map { pos[$0] ?? -1 }
            unitCount = labels.count
            for i in 0 ..< n {
                let l = table.lsoaID[i]
                if l < 0 { skipped[.noLSOA, default: 0] += 1; continue }
                let u = idToUnit[Int(l)]
                if u < 0 { skipped[.outsideStudyArea, default: 0] += 1; continue }
                unit[i] = u
            }
        }
        // Month axis.
        var month: [Int32]? = nil
        if req.key.byMonth {
            let first = req.months.first.index, nm = req.months.count
            var m = [Int32](repeating: 0, count: n)
            for i in 0 ..< n where unit[i] >= 0 {
                let o = Int(table.monthIndex[i]) - first
                if o < 0 || o >= nm { unit[i] = -1; skipped[.filteredMonth, default: 0] += 1 } else { m[i] = Int32(o) }
            }
            month = m
        } else {
            for i in 0 ..< n where unit[i] >= 0 && !req.months.contains(table.month(i)) {
                unit[i] = -1; skipped[.filteredMonth, default: 0] += 1
            }
        }
        // Crime-type axis.
        var type: [Int32]? = nil
        if req.key.byCrimeType {
            let map = table.crimeTypes.map { t in Int32(req.crimeTypes.firstIndex(of: t) ?? -1) }
            var tt = [Int32](repeating: -1, count: n)
            for i in 0 ..< n where unit[i] >= 0 {
                let v = map[Int(table.crimeTypeID[i])]
                if v < 0 { unit[i] = -1; skipped[.filteredCrimeType, default: 0] += 1 } else { tt[i] = v }
            }
            type = tt
        }
        var weights: [Double]? = nil
        if let wmap = req.weights {
            let byID = table.crimeTypes.map { wmap[$0] ?? 0 }
            weights = table.crimeTypeID.map { byID[Int($0)] }
        }
        let (kc, left) = KeyedAggregation.aggregate(
            key: req.key, unitCount: unitCount, months: req.months, crimeTypes: req.crimeTypes,
            unit: unit, month: month, type: type, weights: weights)
        let skippedTotal = skipped.values.reduce(0, +)
        precondition(left == skippedTotal, "IncidentAggregator: \(left) rows left out but \(skippedTotal) accounted for")
        return Result(counts: kc, unitLabels: labels, rowsUsed: n - left, skipped: skipped)
    }

    /// The extent of projected points passing `include`, as a grid of `cell`-metre cells.
    public static func deriveGrid(_ table: IncidentTable, cell: Double, include: (Int) -> Bool) throws(GridError) -> Grid {
        var b = BoundingBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
        for i in 0 ..< table.count where table.location[i] == .projected && include(i) {
            let x = table.x[i], y = table.y[i]
            b.minX = min(b.minX, x); b.maxX = max(b.maxX, x)
            b.minY = min(b.minY, y); b.maxY = max(b.maxY, y)
        }
        guard b.minX.isFinite else { throw .noPoints }
        return try Grid(covering: b, cell: cell)
    }
}
