import PlaceRiskCore

/// The fast record path of `StreamingAggregation`: one chunk of a police.uk street file (whole
/// lines) → counts by unit × month × crime type, reading only the fields the counts need.
///
/// police.uk fields never hold line breaks, so a record is one physical line. A line is taken on
/// the fast path when it holds no `"` and no CR except one just before its LF: its fields are then
/// exactly the bytes between commas (RFC 4180 §2.5–2.6: only a quoted field may hold a comma, a
/// quote or a line break), found with the quotes and CRs in one pass over the line
/// (`LineSplitter`: sixteen bytes at a time on x86-64, eight elsewhere),
/// and the row rules of `PoliceStreetLoader.loadFile` (month, month filter, force filter, crime
/// type, coordinates, LSOA code) and of `StreamingAggregation.countLoad` (no LSOA; no coordinates,
/// outside BNG, outside the grid; month outside the packed range) are applied in the same order,
/// to the same bytes, with the same parsers (`YearMonth.parse`, `ASCIINumber.parseDouble`,
/// `LSOACode.read`, `BritishNationalGrid.isValid`, `ProjectionCache`).
///
/// Everything else is **deferred**, whole line with its position, to the general path
/// (`CSVReader` + `loadFile`), which then decides the row with its file line in any message:
/// lines with a quote or a stray CR, a wrong number of fields, a month, coordinate or LSOA code
/// that fails its check (rows whose skip carries an example). A chunk that meets more than 65,536
/// distinct forces or crime types gives up (`gaveUp`) and is read by the general path whole. So the
/// counts and the ledger — reasons, numbers and examples — equal the general path's
/// (`PoliceFastPathTests` checks this against it on the bundled files and on mutated inputs).
///
/// Complexity: O(bytes), one pass over each line's bytes, and
/// a few hash probes per row (crime type, LSOA code, force: open addressing on the raw bytes).
struct PoliceChunkScanner {
    /// Field positions read from the header.
    struct Columns: Sendable {
        var month, lon, lat, lsoa, type: Int
        var force: Int?
        var crimeID: Int?
        var fieldCount: Int

        /// Positions by the loader's rules (names trimmed of spaces and tabs, first match); nil when
        /// a required column is missing (the general path then names it in its error).
        init?(header: [String]) {
            func at(_ n: String) -> Int? { header.firstIndex(of: n) }
            guard let m = at("Month"), let lo = at("Longitude"), let la = at("Latitude"),
                  let ls = at("LSOA code"), let ty = at("Crime type") else { return nil }
            month = m; lon = lo; lat = la; lsoa = ls; type = ty
            force = at("Falls within")
            crimeID = at("Crime ID")
            fieldCount = header.count
        }
    }

    /// What one chunk's fast lines give, with block-local code tables.
    struct Output: Sendable {
        /// Local key (`StreamingAggregation.localKey`; LSOA units are code numbers) → incidents.
        var keys: [UInt64] = []
        var counts: [Int64] = []
        var crimeTypes: [CrimeType] = []
        /// Rows per entry of `crimeTypes` that reached the crime-type check.
        var typeRows: [Int] = []
        var accounting = RowAccounting()
        var located = 0, outsideBNG = 0, insideIfSwapped = 0
        /// Lines of the chunk (LF-terminated, plus a last one without LF).
        var lines = 0
        /// Lines for the general path: index within the chunk (0-based) and bytes with their LF.
        var deferred: [(line: Int, bytes: [UInt8])] = []
        /// The chunk must be read by the general path as a whole (nothing else here is valid).
        var gaveUp = false
        /// Rows loaded by the loader's rules (before the unit's skips).
        var rowsLoaded = 0
        /// With `loadInfo`: months and LSOA code numbers of loaded rows, and their Crime ID
        /// fingerprints with the line index (the whole-load checks of plain `aggregate`).
        var loadedMonths = Set<Int>()
        var touched = Set<Int32>()
        var ids: [(id: CrimeIDLedger.Fingerprint, line: Int)] = []
    }

    let columns: Columns
    let filter: PoliceFilter
    let unit: StreamingAggregation.Unit
    let loadInfo: Bool
    private let fromIdx: Int, toIdx: Int

    init(columns: Columns, filter: PoliceFilter, unit: StreamingAggregation.Unit, loadInfo: Bool = false) {
        self.columns = columns
        self.filter = filter
        self.unit = unit
        self.loadInfo = loadInfo
        fromIdx = filter.from?.index ?? Int.min
        toIdx = filter.to?.index ?? Int.max
    }

    private static let maxCodes = Int(UInt16.max) + 1

    /// What a scan carries from one window of a chunk to the next: the chunk's output so far, its
    /// code tables and counts, and the line index within the chunk.
    struct State {
        var out = Output()
        var types = RawTable(), forces = RawTable()
        var typeKeep: [Bool] = [], forceKeep: [Bool] = []
        var counter = KeyCounter()
        var tally = Tally()
        var lastMonthWord: UInt64 = 0, lastMonth = -1
        var lastLoadedMonth = Int.min, lastTouched: Int32 = -3
        var lineIndex = 0
    }

    /// Scans `buf[0..<count]` (whole lines; `buf` readable 16 bytes past `count`).
    func scan(_ buf: UnsafePointer<UInt8>, count: Int, cache: inout ProjectionCache) -> Output {
        var st = State()
        scan(buf, count: count, cache: &cache, state: &st)
        return finish(&st)
    }

    /// The chunk's output once every window has been scanned.
    func finish(_ st: inout State) -> Output {
        var out = st.out
        out.accounting = st.tally.ledger
        out.lines = st.lineIndex
        (out.keys, out.counts) = st.counter.entries()
        return out
    }

    /// Scans the next window of a chunk, `buf[0..<count]` (whole lines, following the previous
    /// window's; `buf` readable 16 bytes past `count`), into `st`.
    func scan(_ buf: UnsafePointer<UInt8>, count: Int, cache: inout ProjectionCache, state st: inout State) {
        if st.out.gaveUp { return }
        let noLSOA: Int32 = -1, badLSOA: Int32 = -2
        let nf = columns.fieldCount
        let cMonth = columns.month, cLon = columns.lon, cLat = columns.lat, cLSOA = columns.lsoa, cType = columns.type
        let cForce = columns.force, cID = columns.crimeID
        let lo = PartialAggregate.monthBase, hi = lo + (1 << PartialAggregate.monthBits)
        var cellGrid: Grid? = nil, cellBox: BoundingBox? = nil
        if case .cell(let g, let b) = unit { cellGrid = g; cellBox = b }
        // Field k of the current line is starts[k] ..< starts[k + 1] - 1.
        let starts = UnsafeMutablePointer<Int>.allocate(capacity: nf + 2)
        defer { starts.deallocate() }
        @inline(__always) func field(_ k: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(start: buf + starts[k], count: starts[k + 1] - 1 - starts[k])
        }

        var p = 0
        lines: while p < count {
            // One pass over the line: its commas, quotes, CRs and the LF that ends it.
            let line = LineSplitter.split(buf, from: p, count: count, starts: starts, limit: nf)
            let lf = line.lf, nSep = line.separators
            let next = lf + 1
            defer { p = next; st.lineIndex += 1 }
            var end = lf
            if end > p && buf[end - 1] == 0x0D { end -= 1 }
            if end == p { continue } // a blank line: no record
            @inline(__always) func deferLine() { st.out.deferred.append((st.lineIndex, Array(UnsafeBufferPointer(start: buf + p, count: min(next, count) - p)))) }
            // A quote or a CR other than the one before LF defers the line, as does a wrong number
            // of fields.
            if nSep != nf - 1 || line.hasQuote || line.crs > lf - end { deferLine(); continue }
            starts[nf] = end + 1
            // Month.
            let mf = field(cMonth)
            var month: Int
            if mf.count == 7 {
                let word = UnsafeRawPointer(mf.baseAddress!).loadUnaligned(as: UInt64.self) & 0x00FF_FFFF_FFFF_FFFF
                if word == st.lastMonthWord && st.lastMonth >= 0 { month = st.lastMonth } else {
                    guard let ym = YearMonth.parse(mf) else { deferLine(); continue }
                    month = ym.index; st.lastMonth = month; st.lastMonthWord = word
                }
            } else { deferLine(); continue }
            if month < fromIdx || month > toIdx { st.tally.skip(.filteredMonth); continue }
            // Force.
            var forceOK = filter.forces == nil
            if let cf = cForce {
                let f = st.forces.intern(field(cf))
                if Int(f) == st.forceKeep.count {
                    if st.forceKeep.count >= Self.maxCodes { st.out.gaveUp = true; return }
                    let name = String(decoding: field(cf), as: UTF8.self)
                    st.forceKeep.append(filter.forces.map { $0.contains(name.lowercased()) } ?? true)
                }
                forceOK = st.forceKeep[Int(f)]
            }
            if !forceOK { st.tally.skip(.filteredForce); continue }
            // Crime type.
            let tid = Int(st.types.intern(field(cType)))
            if tid == st.typeKeep.count {
                if tid >= Self.maxCodes { st.out.gaveUp = true; return }
                let ct = CrimeType(label: Self.trimmed(String(decoding: field(cType), as: UTF8.self)))
                st.out.crimeTypes.append(ct)
                st.typeKeep.append(filter.crimeTypes.map { $0.contains(ct) } ?? true)
                st.out.typeRows.append(0)
            }
            if !st.typeKeep[tid] { st.out.typeRows[tid] += 1; st.tally.skip(.filteredCrimeType); continue }
            // Coordinates.
            let lonF = field(cLon), latF = field(cLat)
            var located = false, valid = false, lon = 0.0, lat = 0.0
            if !(lonF.isEmpty && latF.isEmpty) {
                guard let a = Self.degrees(lonF), let b = Self.degrees(latF) else {
                    deferLine(); continue
                }
                lon = a; lat = b
                located = true
                valid = BritishNationalGrid.isValid(longitude: a, latitude: b)
            }
            // LSOA code: its number (`LSOACode.number`, the rules of `LSOACode.read`) is the unit.
            var lid = noLSOA
            let lf2 = field(cLSOA)
            if !lf2.isEmpty {
                lid = LSOACode.number(lf2)
                if lid == badLSOA { deferLine(); continue }
            }
            // Loaded by the loader's rules: its diagnostics, then the unit.
            st.out.typeRows[tid] += 1
            st.out.rowsLoaded += 1
            if loadInfo {
                if month != st.lastLoadedMonth { st.out.loadedMonths.insert(month); st.lastLoadedMonth = month }
                if lid >= 0 && lid != st.lastTouched { st.out.touched.insert(lid); st.lastTouched = lid }
                if let c = cID {
                    let fp = CrimeIDLedger.fingerprint(field(c))
                    if !fp.isEmpty { st.out.ids.append((fp, st.lineIndex)) }
                }
            }
            var px = Double.nan, py = Double.nan
            if located {
                st.out.located += 1
                if cellGrid != nil { (px, py) = cache.project(longitude: lon, latitude: lat); valid = !px.isNaN }
                if !valid {
                    st.out.outsideBNG += 1
                    if BritishNationalGrid.isValid(longitude: lat, latitude: lon) { st.out.insideIfSwapped += 1 }
                }
            }
            let u: Int
            if let grid = cellGrid {
                guard located else { st.tally.skip(.noCoordinates); continue }
                guard valid else { st.tally.skip(.outsideBNG); continue }
                if let bb = cellBox, !bb.contains(x: px, y: py) { st.tally.skip(.outsideGrid); continue }
                guard let id = grid.cellID(x: px, y: py), id < 1 << PartialAggregate.unitBits else { st.tally.skip(.outsideGrid); continue }
                u = id
            } else {
                guard lid >= 0 else { st.tally.skip(.noLSOA); continue }
                u = Int(lid)
            }
            if month < lo || month >= hi { st.tally.skip(.filteredMonth); continue }
            st.counter.add(StreamingAggregation.localKey(unit: u, monthIndex: month, type: tid))
            st.tally.used += 1
        }
    }

    /// `ASCIINumber.parseDouble` of a field, with its exact fast path inlined for the usual form
    /// `-?digits.digits` of at most 15 bytes: mantissa m < 2⁵³ and k ≤ 14 decimals give
    /// m / 10^k, the value parseDouble computes for it (both powers exact); anything else goes to it.
    @inline(__always)
    static func degrees(_ f: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = f.count
        guard n > 0, n <= 15, let base = f.baseAddress else { return ASCIINumber.parseDouble(f) }
        var i = 0
        let negative = base[0] == 0x2D
        if negative { i = 1 }
        var m: UInt64 = 0, frac = 0, digits = 0, dot = false
        while i < n {
            let d = base[i] &- 0x30
            if d <= 9 {
                m = m &* 10 &+ UInt64(d); digits += 1
                if dot { frac += 1 }
            } else if base[i] == 0x2E && !dot {
                dot = true
            } else {
                return ASCIINumber.parseDouble(f)
            }
            i += 1
        }
        guard digits > 0 else { return ASCIINumber.parseDouble(f) }
        let v = frac > 0 ? Double(m) / ASCIINumber.pow10[frac] : Double(m)
        return negative ? -v : v
    }

    static func trimmed(_ s: String) -> String {
        var sub = Substring(s)
        while let f = sub.first, f == " " || f == "\t" { sub.removeFirst() }
        while let l = sub.last, l == " " || l == "\t" { sub.removeLast() }
        return String(sub)
    }
}

/// Row outcomes counted in plain integers (a dictionary update per row would cost more than the
/// rest of the row), turned into a ledger at the end of the chunk.
struct Tally {
    var used = 0
    /// Rows skipped, by the position of their reason in `reasons`.
    private var skips = [Int](repeating: 0, count: 7)
    private static let reasons: [SkipReason] = [.filteredMonth, .filteredForce, .filteredCrimeType, .noCoordinates, .outsideBNG, .outsideGrid, .noLSOA]

    @inline(__always) mutating func skip(_ r: SkipReason) {
        let k: Int
        switch r {
        case .filteredMonth: k = 0
        case .filteredForce: k = 1
        case .filteredCrimeType: k = 2
        case .noCoordinates: k = 3
        case .outsideBNG: k = 4
        case .outsideGrid: k = 5
        case .noLSOA: k = 6
        default: preconditionFailure("Tally: \(r) is decided by the general path")
        }
        skips[k] += 1
    }

    var ledger: RowAccounting {
        var a = RowAccounting()
        a.read(used + skips.reduce(0, +))
        a.use(used)
        for (k, r) in Self.reasons.enumerated() where skips[k] > 0 { a.skip(r, skips[k]) }
        return a
    }
}

/// Short byte strings → dense ids 0, 1, 2, … (open addressing, linear probing): the hash reads
/// the first and last eight bytes and the length in a few word operations, not a byte at a time;
/// equal hashes are confirmed with `memcmp`. The id of the previous lookup is tried first.
struct RawTable {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private var slots = [Int32](repeating: 0, count: 64) // id + 1; 0 = empty
    private var hashes: [UInt64] = []
    private var last: Int32 = -1
    var count: Int { starts.count - 1 }

    @inline(__always)
    static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = b.count
        var h = UInt64(n) &* 0x9E37_79B9_7F4A_7C15
        guard let base = b.baseAddress, n > 0 else { return h }
        let raw = UnsafeRawPointer(base)
        let first: UInt64, lastWord: UInt64
        if n >= 8 {
            first = raw.loadUnaligned(as: UInt64.self)
            lastWord = raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else {
            var f: UInt64 = 0
            for k in 0 ..< n { f |= UInt64(base[k]) << UInt64(8 * k) }
            first = f; lastWord = 0
        }
        h = (h ^ first) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ lastWord ^ (h >> 29)) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 32)
    }

    @inline(__always)
    private func equals(_ id: Int, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let a = starts[id], e = starts[id + 1]
        guard e - a == b.count else { return false }
        if b.count == 0 { return true }
        return arena.withUnsafeBufferPointer { Self.sameBytes($0.baseAddress! + a, b.baseAddress!, b.count) }
    }

    /// Whether n bytes at x and y are equal: eight at a time (the last word overlapping), inline —
    /// the labels compared here are short, where a call to `memcmp` costs more than the comparison.
    @inline(__always)
    static func sameBytes(_ x: UnsafePointer<UInt8>, _ y: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if n < 8 {
            for i in 0 ..< n where x[i] != y[i] { return false }
            return true
        }
        let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
        var i = 0
        while i + 8 <= n {
            if rx.loadUnaligned(fromByteOffset: i, as: UInt64.self) != ry.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        return i == n || rx.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == ry.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
    }

    mutating func intern(_ b: UnsafeBufferPointer<UInt8>) -> Int32 {
        if last >= 0 && equals(Int(last), b) { return last }
        let h = Self.hash(b)
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let v = slots[s]
            if v == 0 { break }
            let id = Int(v - 1)
            if hashes[id] == h && equals(id, b) { last = Int32(id); return last }
            s = (s + 1) & mask
        }
        let id = Int32(count)
        arena.append(contentsOf: b)
        starts.append(arena.count)
        hashes.append(h)
        slots[s] = id + 1
        if count * 2 >= slots.count { grow() }
        last = id
        return id
    }

    private mutating func grow() {
        let n = slots.count * 2
        var ns = [Int32](repeating: 0, count: n)
        for id in 0 ..< count {
            var s = Int(truncatingIfNeeded: hashes[id]) & (n - 1)
            while ns[s] != 0 { s = (s + 1) & (n - 1) }
            ns[s] = Int32(id + 1)
        }
        slots = ns
    }
}

/// Counts per 64-bit key (open addressing, linear probing; the previous key is tried first:
/// police.uk rows come grouped by LSOA). Keys must not be `UInt64.max`.
struct KeyCounter {
    private var keys = [UInt64](repeating: .max, count: 1 << 14)
    private var values = [Int64](repeating: 0, count: 1 << 14)
    private var used = 0
    private var lastKey: UInt64 = .max, lastSlot = 0

    mutating func add(_ k: UInt64, _ n: Int64 = 1) {
        if k == lastKey { values[lastSlot] += n; return }
        let mask = keys.count - 1
        var h = k &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let v = keys[s]
            if v == k { values[s] += n; lastKey = k; lastSlot = s; return }
            if v == .max { break }
            s = (s + 1) & mask
        }
        keys[s] = k
        values[s] = n
        used += 1
        lastKey = k; lastSlot = s
        if used * 2 >= keys.count { grow() }
    }

    private mutating func grow() {
        let oldK = keys, oldV = values
        let n = keys.count * 2
        keys = [UInt64](repeating: .max, count: n)
        values = [Int64](repeating: 0, count: n)
        lastKey = .max
        for (k, v) in zip(oldK, oldV) where k != .max {
            var h = k &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            var s = Int(truncatingIfNeeded: h) & (n - 1)
            while keys[s] != .max { s = (s + 1) & (n - 1) }
            keys[s] = k; values[s] = v
        }
    }

    /// The keys with their counts, in slot order.
    func entries() -> ([UInt64], [Int64]) {
        var k: [UInt64] = [], v: [Int64] = []
        k.reserveCapacity(used); v.reserveCapacity(used)
        for i in keys.indices where keys[i] != .max { k.append(keys[i]); v.append(values[i]) }
        return (k, v)
    }
}
