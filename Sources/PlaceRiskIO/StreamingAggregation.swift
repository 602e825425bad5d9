import PlaceRiskCore
import Dispatch

/// police.uk street files → per-partition counts by unit × month × crime type, streamed: files are
/// read in blocks of whole records (`RecordBlocks`), the blocks of a wave parsed in parallel (one per
/// worker, a large file split across workers), each block counted into a small table and dropped.
/// Memory grows with the number of keys held, not of rows; when the keys held pass `keyBudget`
/// the partitions are handed to `flush` and cleared (a partition flushed twice gets two parts).
///
/// Every row read is used or skipped with a reason (the loader's per-row rules, then `no_lsoa` for
/// LSOA units, `no_coordinates` / `outside_bng` / `outside_grid` for cells). Whole-load checks of
/// the in-memory loader that need every row at once are not made here: repeated Crime IDs are not
/// looked for (overlapping archives are handled by `ArchiveDiscovery`, one file per force-month).
public struct StreamingAggregation {
    public enum Unit: Sendable, Equatable {
        case lsoa
        case cell(Grid, bbox: BoundingBox?)
    }

    /// What a partition is split by, in folder order.
    public enum PartitionField: String, Sendable, CaseIterable {
        case force, year, month, district
    }

    public struct Request: Sendable {
        public var unit: Unit
        public var partitionBy: [PartitionField]
        public var filter: PoliceFilter
        public var lenient: Bool
        /// Weight per crime type (types not listed weigh 0); nil: every incident weighs 1.
        public var weights: [CrimeType: Double]?
        /// LSOA code → district code, for `district` partitions.
        public var districtOfLSOA: [String: String]?
        public var blockSize: Int
        public var keyBudget: Int
        /// Read police.uk lines with `PoliceChunkScanner` (default), deferring unusual lines to the
        /// general path; false: every block through `CSVReader` and the loader (the oracle).
        public var fastPath: Bool
        /// Also gather what plain `aggregate` needs of the whole load (`Result.load`): months and LSOA
        /// codes of loaded rows, types seen, rows loaded per file, and repeated Crime IDs.
        public var loadInfo: Bool

        public init(unit: Unit, partitionBy: [PartitionField], filter: PoliceFilter = PoliceFilter(), lenient: Bool = true,
                    weights: [CrimeType: Double]? = nil, districtOfLSOA: [String: String]? = nil,
                    blockSize: Int = 8 << 20, keyBudget: Int = 4_000_000, fastPath: Bool = true, loadInfo: Bool = false) {
            self.unit = unit
            self.partitionBy = partitionBy
            self.filter = filter
            self.lenient = lenient
            self.weights = weights
            self.districtOfLSOA = districtOfLSOA
            self.blockSize = blockSize
            self.keyBudget = keyBudget
            self.fastPath = fastPath
            self.loadInfo = loadInfo
        }

        /// The weight of an incident of type `t`.
        public func weight(_ t: CrimeType) -> Double { weights.map { $0[t] ?? 0 } ?? 1 }
    }

    /// Seconds spent in each stage (parse includes the projection; the cache makes it small).
    public struct Timing: Sendable {
        public var read = 0.0, parse = 0.0, count = 0.0, merge = 0.0, flush = 0.0
        /// The part of `flush` spent in the flush callback (encoding and writing the parts).
        public var flushWrite = 0.0
    }

    public struct Result: Sendable {
        public var accounting = RowAccounting()
        public var files: [(path: String, rowsRead: Int, rowsLoaded: Int)] = []
        public var unknownCrimeTypes: [(label: String, rows: Int)] = []
        public var warnings: [String] = []
        public var keysWritten = 0
        public var flushes = 0
        public var bytesRead = 0
        public var timing = Timing()
        /// Incidents counted, and their weighted sum.
        public var incidents: Int64 = 0
        /// With `Request.loadInfo`: the whole-load facts.
        public var load = LoadInfo()
    }

    /// What the in-memory loader's table would tell of the whole load (`Request.loadInfo`).
    public struct LoadInfo: Sendable {
        /// Distinct months of loaded rows, sorted.
        public var months: [YearMonth] = []
        /// Distinct LSOA codes of loaded rows, sorted.
        public var lsoaCodes: [String] = []
        /// Crime types that reached the crime-type check (the loader's table's types).
        public var crimeTypes: [CrimeType] = []
        /// Rows loaded per file (before the unit's skips).
        public var rowsLoaded: [Int] = []
        /// Loaded rows repeating a non-empty Crime ID loaded earlier (path order, then line order).
        public var duplicateCrimeIDs = 0
        public var duplicateCrimeIDExamples: [String] = []
        /// Files whose points look like swapped columns, and the loader's sentence for each.
        public var swappedCoordinateFiles: [String] = []
        public var swappedCoordinateMessages: [String] = []
    }

    /// A parsed block's counts with its own code tables.
    struct BlockCounts: Sendable {
        var file: Int
        var lsoaCodes: [String] = []
        /// LSOA units in `keys` are code numbers (`LSOACode.number`), not indices into `lsoaCodes`.
        var unitsAreCodeNumbers = false
        var crimeTypes: [CrimeType] = []
        /// Keys packed by `localKey` with the block's own unit (LSOA) and type ids, and their counts.
        var keys: [UInt64] = []
        var counts: [Int64] = []
        var accounting = RowAccounting()
        var typeRows: [Int] = []
        var located = 0, outsideBNG = 0, insideIfSwapped = 0
        var readSeconds = 0.0, parseSeconds = 0.0, countSeconds = 0.0
        /// Rows loaded by the loader's rules, and with `loadInfo` their months, LSOA codes (numbers
        /// or text) and Crime ID fingerprints with file lines.
        var rowsLoaded = 0
        var loadedMonths = Set<Int>()
        var touchedNumbers = Set<Int32>()
        var touchedCodes: [String] = []
        var ids: [(id: CrimeIDLedger.Fingerprint, line: Int)] = []
    }

    /// A block's key: unit (32 bits) | months since 1990-01 (16 bits) | type (16 bits); the month
    /// must lie in `PartialAggregate`'s range, the type below 65,536.
    @inline(__always)
    static func localKey(unit: Int, monthIndex: Int, type: Int) -> UInt64 {
        UInt64(truncatingIfNeeded: unit) << 32 | UInt64(truncatingIfNeeded: monthIndex - PartialAggregate.monthBase) << 16 | UInt64(truncatingIfNeeded: type)
    }

    static func unpackLocal(_ k: UInt64) -> (unit: Int, monthIndex: Int, type: Int) {
        (Int(k >> 32), Int((k >> 16) & 0xFFFF) + PartialAggregate.monthBase, Int(k & 0xFFFF))
    }

    /// Rows built at once when the partitions are built for writing.
    static let flushBatchRows = 1 << 19

    /// Adds n incidents to `key` in partition `part`'s table, counting the keys held.
    @inline(__always)
    static func add(_ tables: inout [PartialAggregate], _ held: inout Int, _ part: Int, _ key: UInt64, _ n: Int64) {
        while tables.count <= part { tables.append(PartialAggregate()) }
        if tables.withUnsafeMutableBufferPointer({ $0[part].add(key, n) }) { held += 1 }
    }

    public static func run(_ sources: [ArchiveDiscovery.Source], _ req: Request,
                           flush: ([PartitionRows]) throws -> Void) throws -> Result {
        if req.partitionBy.contains(.force), let s = sources.first(where: { $0.force == nil }) {
            throw CSVError(.io("cannot tell the force from the file name (expected YYYY-MM-<force>-street.csv) for --partition-by force"),
                           file: s.path, line: 0, column: 0)
        }
        var result = Result()
        var perFile = [(read: Int, loaded: Int)](repeating: (0, 0), count: sources.count)
        var fileStats = [(located: Int, outside: Int, swapped: Int)](repeating: (0, 0, 0), count: sources.count)
        var headers: [[String]?] = Array(repeating: nil, count: sources.count)
        var unknown: [String: Int] = [:]
        // Global code tables. LSOA units are their code numbers (`LSOACode.number`: below 2,000,000,
        // in the order of the codes' text), so merging needs no unit table; a flush gives the units it
        // writes compact ids into `unitLabels` (`unitCompact`: code number → id).
        var unitLabels: [String] = []
        let unitCompact = CodeNumberTable()
        let byCell: Bool
        if case .cell = req.unit { byCell = true } else { byCell = false }
        var lastCode = -1, lastPart = 0
        var typeIndex: [CrimeType: Int] = [:], typeList: [CrimeType] = []
        var partIndex: [[String]: Int] = [:], partValues: [[String]] = []
        // Partition of (file, month, district) as one integer, so values are built once per partition.
        var partOfCode: [Int: Int] = [:]
        var districtIndex: [String: Int] = [:], districtNames: [String] = [], unitDistrict = CodeNumberTable()
        let byMonth = req.partitionBy.contains(.month) || req.partitionBy.contains(.year)
        let byDistrict = req.partitionBy.contains(.district), byForce = req.partitionBy.contains(.force)
        var forceIndex: [String: Int] = [:]
        // One count table per partition: a partition's keys stay together in a table small enough
        // for the cache (a national run holds thousands of force-month partitions), and a flush sorts
        // and builds each partition on its own, on all cores.
        // (Passed to `flushAll` inout, never captured, so the merge loop's accesses are static.)
        var tables: [PartialAggregate] = []
        var held = 0
        var incidents: Int64 = 0 // (added to `result` at the end: `result` is captured, so boxed)
        var fileLoaded = [Int](repeating: 0, count: sources.count)
        var loadedMonths = Set<Int>(), touched = Set<Int32>()
        var sightings = CrimeIDSightings()
        let workers = Parallel.processorCount
        var caches = [ProjectionCache](repeating: ProjectionCache(), count: workers)
        let clock = Stopwatch()

        var fileCursor = 0
        var current: RecordBlocks? = nil
        var currentFile = -1

        func flushAll(_ tables: inout [PartialAggregate], _ held: inout Int) throws {
            guard held > 0 else { return }
            let t0 = clock.seconds
            // Ranks: partitions by their values, types by label; units by code (code numbers sort as
            // the codes' text; cells by id), so a partition's keys re-packed with the ranks sort in
            // row order.
            let order = partValues.indices.filter { $0 < tables.count && !tables[$0].isEmpty }
                .sorted { partValues[$0].lexicographicallyPrecedes(partValues[$1]) }
            let typeOfRank = typeList.indices.sorted { typeList[$0].label < typeList[$1].label }.map { Int32($0) }
            var typeRank = [Int](repeating: 0, count: typeList.count)
            for (r, t) in typeOfRank.enumerated() { typeRank[Int(t)] = r }
            var monthLow = Int.max, monthHigh = Int.min
            for p in order {
                var last = -1
                for k in tables[p].keys {
                    let u = PartialAggregate.unpack(k)
                    monthLow = min(monthLow, u.monthIndex); monthHigh = max(monthHigh, u.monthIndex)
                    // Compact ids for the LSOAs written (their order does not reach the files).
                    if !byCell && u.unit != last && unitCompact[u.unit] == nil {
                        unitCompact[u.unit] = Int32(unitLabels.count)
                        unitLabels.append(LSOACode.label(ofNumber: Int32(u.unit)))
                    }
                    last = u.unit
                }
            }
            let rankTables = RankTables(byCell: byCell, unitCompact: unitCompact, typeOfRank: typeOfRank, typeWeights: typeList.map { req.weight($0) },
                                        monthLow: monthLow,
                                        labels: Labels(units: unitLabels, months: (monthLow ... monthHigh).map { YearMonth(index: $0).description },
                                                       crimeTypes: typeList.map(\.label)))
            // Built (sorted, labelled) on all cores a batch at a time — a batch holds at most
            // `flushBatchRows` rows — and handed over in partition order.
            let shared = UncheckedSendable((tables, rankTables, partValues, typeRank))
            var at = 0
            while at < order.count {
                var end = at, rows = 0
                while end < order.count && (end == at || rows + tables[order[end]].count <= Self.flushBatchRows) {
                    rows += tables[order[end]].count; end += 1
                }
                let batch = Array(order[at ..< end])
                let built = Parallel.map(end - at) { i -> PartitionRows in
                    let (tables, rankTables, partValues, typeRank) = shared.value
                    let p = batch[i]
                    var keys = tables[p].keys, counts = tables[p].counts
                    for j in keys.indices {
                        let u = PartialAggregate.unpack(keys[j])
                        keys[j] = PartialAggregate.pack(part: 0, unit: u.unit, monthIndex: u.monthIndex, type: typeRank[u.type])
                    }
                    KeySort.sort(&keys, carrying: &counts)
                    return Self.partitionRows(values: partValues[p], keys: keys[...], counts: counts[...], rankTables)
                }
                let tw = clock.seconds
                try flush(built)
                result.timing.flushWrite += clock.seconds - tw
                at = end
            }
            result.keysWritten += held
            result.flushes += 1
            tables = []
            held = 0
            result.timing.flush += clock.seconds - t0
        }

        var fast = FastWaves(sources: sources, req: req, workers: workers)
        while true {
            var parts: [BlockCounts] = []
            if req.fastPath {
                // A wave of chunks read and scanned on all cores, then its deferred lines in order.
                guard let p = try fast.next(caches: &caches) else { break }
                parts = p
                for (f, h) in fast.takeHeaders() where headers[f] == nil { headers[f] = h }
                result.bytesRead = fast.bytesRead
            } else {
            // Read a wave of blocks (serially: one file descriptor at a time).
            let t0 = clock.seconds
            var wave: [(file: Int, header: [UInt8], headerLines: Int, bytes: [UInt8], firstLine: Int)] = []
            var waveBytes = 0
            // A wave: about two blocks per worker (many small files, or a large file's blocks).
            while wave.count < 64 && waveBytes < workers * 2 * req.blockSize {
                if current == nil {
                    guard fileCursor < sources.count else { break }
                    currentFile = fileCursor
                    fileCursor += 1
                    current = try RecordBlocks(path: sources[currentFile].path, blockSize: req.blockSize, lineBounded: true)
                    if current!.header.isEmpty { throw CSVError(.empty, file: sources[currentFile].path, line: 0, column: 0) }
                }
                if let b = try current!.next() {
                    wave.append((currentFile, current!.header, current!.headerLines, b.bytes, b.firstLine))
                    waveBytes += b.bytes.count
                } else {
                    // A file of a header only still has its header checked (and 0 rows).
                    if perFile[currentFile] == (0, 0) && !wave.contains(where: { $0.file == currentFile }) {
                        wave.append((currentFile, current!.header, current!.headerLines, [], 1 + current!.headerLines))
                    }
                    result.bytesRead += current!.bytesRead
                    current = nil
                }
            }
            result.timing.read += clock.seconds - t0
            if wave.isEmpty { break }
            for b in wave where headers[b.file] == nil { headers[b.file] = Self.headerFields(b.header) }

            // Parse and count each block (in parallel).
            var results = [Swift.Result<BlockCounts, CSVError>?](repeating: nil, count: wave.count)
            let w = wave
            results.withUnsafeMutableBufferPointer { pp in
                caches.withUnsafeMutableBufferPointer { cp in
                    let ctx = UncheckedSendable((pp, cp))
                    let next = AtomicCounter()
                    DispatchQueue.concurrentPerform(iterations: min(workers, w.count)) { worker in
                        // Each worker keeps its projection cache across waves (police.uk points repeat).
                        let (pp, cp) = ctx.value
                        while true {
                            let i = next.increment()
                            if i >= w.count { break }
                            pp[i] = countBlock(w[i], name: sources[w[i].file].path, req, cache: &cp[worker])
                        }
                    }
                }
            }
            for r in results {
                switch r! {
                case .failure(let e): throw e
                case .success(let x): parts.append(x)
                }
            }
            }

            // Merge in block order (deterministic).
            let t1 = clock.seconds
            for b in parts {
                result.timing.parse += b.parseSeconds
                result.timing.count += b.countSeconds
                result.timing.read += b.readSeconds
                let f = b.file
                perFile[f].read += b.accounting.rowsRead
                perFile[f].loaded += b.accounting.rowsUsed
                fileStats[f].located += b.located; fileStats[f].outside += b.outsideBNG; fileStats[f].swapped += b.insideIfSwapped
                result.accounting.merge(b.accounting)
                fileLoaded[f] += b.rowsLoaded
                if req.loadInfo {
                    loadedMonths.formUnion(b.loadedMonths)
                    touched.formUnion(b.touchedNumbers)
                    for c in b.touchedCodes { var c = c; touched.insert(c.withUTF8 { LSOACode.number($0) }) }
                    for e in b.ids {
                        if let first = sightings.firstSighting(e.id, at: (Int32(f), Int32(truncatingIfNeeded: e.line))) {
                            result.load.duplicateCrimeIDs += 1
                            if result.load.duplicateCrimeIDExamples.count < PoliceStreetLoader.maximumDuplicateExamples {
                                result.load.duplicateCrimeIDExamples.append("\(sources[f].path):\(e.line): Crime ID already seen at \(sources[Int(first.file)].path):\(first.line)")
                            }
                        }
                    }
                }
                for (k, ct) in b.crimeTypes.enumerated() where ct.standardIndex == nil && b.typeRows[k] > 0 { unknown[ct.label, default: 0] += b.typeRows[k] }
                // LSOA units are code numbers (`LSOACode.number`), no string hashing.
                let unitMap: [Int] = b.unitsAreCodeNumbers ? [] : b.lsoaCodes.map { c in
                    var c = c
                    return Int(c.withUTF8 { LSOACode.number($0) })
                }
                let typeMap: [Int] = b.crimeTypes.map { t in
                    if let k = typeIndex[t] { return k }
                    typeIndex[t] = typeList.count; typeList.append(t); return typeList.count - 1
                }
                guard typeList.count < 1 << PartialAggregate.typeBits else {
                    throw CSVError(.io("more than \(1 << PartialAggregate.typeBits) crime types: not a police.uk archive?"),
                                   file: sources[f].path, line: 0, column: 0)
                }
                let src = sources[f]
                let forceCode: Int
                if byForce {
                    if let k = forceIndex[src.force!] { forceCode = k } else { forceCode = forceIndex.count; forceIndex[src.force!] = forceCode }
                } else { forceCode = 0 }
                for (k, n) in zip(b.keys, b.counts) {
                    let u = Self.unpackLocal(k)
                    let unit: Int
                    if byCell || b.unitsAreCodeNumbers { unit = u.unit } else { unit = unitMap[u.unit] }
                    var dcode = 0
                    if byDistrict {
                        if unitDistrict[unit] == nil {
                            let name = req.districtOfLSOA?[LSOACode.label(ofNumber: Int32(unit))] ?? "unknown"
                            if let k = districtIndex[name] { unitDistrict[unit] = Int32(k) } else {
                                districtIndex[name] = districtNames.count; districtNames.append(name); unitDistrict[unit] = Int32(districtNames.count - 1)
                            }
                        }
                        dcode = Int(unitDistrict[unit]!)
                    }
                    let fcode = byForce ? forceCode : 0
                    let code = (fcode << 42) | ((byMonth ? u.monthIndex : 0) << 24) | dcode
                    if code == lastCode {
                        Self.add(&tables, &held, lastPart, PartialAggregate.pack(part: lastPart, unit: unit, monthIndex: u.monthIndex, type: typeMap[u.type]), n)
                        incidents += n
                        continue
                    }
                    if let part = partOfCode[code] {
                        lastCode = code; lastPart = part
                        Self.add(&tables, &held, part, PartialAggregate.pack(part: part, unit: unit, monthIndex: u.monthIndex, type: typeMap[u.type]), n)
                        incidents += n
                        continue
                    }
                    var values: [String] = []
                    for p in req.partitionBy {
                        switch p {
                        case .force: values.append(src.force!)
                        case .year: values.append(String(YearMonth(index: u.monthIndex).year))
                        case .month: values.append(YearMonth(index: u.monthIndex).description)
                        case .district: values.append(req.districtOfLSOA?[LSOACode.label(ofNumber: Int32(unit))] ?? "unknown")
                        }
                    }
                    let part: Int
                    if let p = partIndex[values] { part = p } else {
                        part = partValues.count
                        guard part < 1 << PartialAggregate.partBits else {
                            throw CSVError(.io("more than \(1 << PartialAggregate.partBits) partitions"), file: src.path, line: 0, column: 0)
                        }
                        partIndex[values] = part; partValues.append(values)
                    }
                    partOfCode[code] = part
                    lastCode = code; lastPart = part
                    Self.add(&tables, &held, part, PartialAggregate.pack(part: part, unit: unit, monthIndex: u.monthIndex, type: typeMap[u.type]), n)
                    incidents += n
                }
            }
            result.timing.merge += clock.seconds - t1
            if held >= req.keyBudget { try flushAll(&tables, &held) }
        }
        try flushAll(&tables, &held)
        result.incidents = incidents
        precondition(result.accounting.isBalanced, "StreamingAggregation: the ledger does not balance")
        for (i, s) in sources.enumerated() {
            result.files.append((s.path, perFile[i].read, perFile[i].loaded))
            let st = fileStats[i]
            let n = Double(st.located)
            if st.located > 0, Double(st.outside) >= PoliceStreetLoader.swappedShare * n, Double(st.swapped) >= PoliceStreetLoader.swappedShare * n {
                result.warnings.append("\(s.path): \(st.outside) of \(st.located) points lie outside Great Britain, and \(st.swapped) of them would lie inside with Longitude and Latitude swapped; check the column order")
            }
        }
        result.warnings.insert(contentsOf: headerWarnings(sources, headers), at: 0)
        if req.loadInfo {
            result.load.months = loadedMonths.sorted().map { YearMonth(index: $0) }
            result.load.lsoaCodes = touched.sorted().map { LSOACode.label(ofNumber: $0) }
            result.load.crimeTypes = typeList
            result.load.rowsLoaded = fileLoaded
            for (i, s) in sources.enumerated() {
                var f = PoliceStreetLoader.FileLoad()
                (f.located, f.outsideBNG, f.insideIfSwapped) = fileStats[i]
                if let m = PoliceStreetLoader.swappedMessage(s.path, f) {
                    result.load.swappedCoordinateFiles.append(s.path); result.load.swappedCoordinateMessages.append(m)
                }
            }
        }
        result.unknownCrimeTypes = unknown.map { (label: $0.key, rows: $0.value) }.sorted { $0.rows != $1.rows ? $0.rows > $1.rows : $0.label < $1.label }
        if !result.unknownCrimeTypes.isEmpty {
            let list = result.unknownCrimeTypes.map { "'\($0.label)' (\($0.rows) rows)" }.joined(separator: ", ")
            result.warnings.insert("crime types that are not police.uk categories (counted as their own types; a mis-decoded file?): \(list)", at: 0)
        }
        return result
    }
}
