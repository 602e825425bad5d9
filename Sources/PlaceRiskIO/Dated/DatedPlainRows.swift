import PlaceRiskCore

/// The row rules' shortcut for the common row of a plain line (`DatedPlainLine`): the fields as offsets
/// into the chunk buffer (no record view, no closures), the values batched into fixed buffers and
/// appended to the parser's columns in bulk. `DatedRowParser.take` stays the rule: the shortcut takes
/// a row only when every step is one it decides exactly as `take` would, and gives every other row
/// back (`takePlain` returns false before changing anything) to `take`, in file order:
/// ```
/// date        non-empty, one of DateTimeFast's fixed layouts (`fields`), the day in its month by the day
///             table (else: take — DateTimeText, failures)
/// time        the schema has no time, hour, minute or to-date columns (else: every row through take)
/// coordinates BNG columns only (longitude/latitude: every row through take); both fields empty → none;
///             both plain digits (1–15, no sign, point, exponent or space) → Double(integer), which is
///             ASCIINumber.parseDouble's value (an integer below 2^53: exact); anything else → take
/// LSOA        trimmed; empty → ""; E01/W01 + six digits (either case) → its code through a table keyed
///             by letter and digits (upper-cased label interned once per code); anything else → take
/// weight      the field empty → 1; anything else → take
/// home        the location type's label (trimmed) matched against the schema's home values once per code
/// text codes  trimmed, interned into the same columns as take's (first-seen order unchanged)
/// ```
/// The clock: `window` — per day, the offset the parser's day cache finds (`DateTimeFast.DayCache`: the
/// same at the day's first and last second → all day; else `UKLocalTime.utc` per row), kept for every day.
final class DatedPlainRows {
    /// Rows a batch holds before it is appended to the columns.
    static let capacity = 1024

    // Column positions (nil → −1) and what the schema asks.
    let cDate: Int, cE: Int, cN: Int, cLSOA: Int, cWeight: Int, cLocType: Int
    /// Text columns other than the LSOA (category, weapon, location type, age band, agency, place; −1: none).
    let coded: UnsafeMutablePointer<Int>
    let utcClock: Bool
    /// The parser's kept columns (`DatedColumns`) the batch stores.
    let storePoints: Bool, storeLines: Bool, storeLSOA: Bool, storeLocType: Bool

    // The batch. (Mutable state is only ever touched by the one thread scanning this parser's chunk:
    // no dynamic exclusivity checks.)
    @exclusivity(unchecked) var count = 0
    /// Rows taken by the shortcut so far (for tests: which rows did not go through `take`).
    @exclusivity(unchecked) var rowsTaken = 0
    let start = UnsafeMutablePointer<Int64>.allocate(capacity: capacity)
    let end = UnsafeMutablePointer<Int64>.allocate(capacity: capacity)
    let timed = UnsafeMutablePointer<Bool>.allocate(capacity: capacity)
    let x = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
    let y = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
    let location = UnsafeMutablePointer<DatedLocation>.allocate(capacity: capacity)
    let line = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
    let lsoa = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
    /// Codes of the `coded` columns: column j's at `codes + j * capacity`.
    let codes: UnsafeMutablePointer<Int32>
    /// Field bounds of the line being taken (2 per field) and `LineSplitter`'s comma offsets.
    let bounds: UnsafeMutablePointer<Int>
    let starts: UnsafeMutablePointer<Int>
    let startsLimit: Int

    /// LSOA codes by key (`lsoaKey`): open addressing, slot = key + 1 in the high half, code in the low.
    @exclusivity(unchecked) var lsoaSlots: UnsafeMutablePointer<UInt64>
    @exclusivity(unchecked) var lsoaMask = (1 << 13) - 1
    @exclusivity(unchecked) var lsoaUsed = 0
    @exclusivity(unchecked) var emptyLSOA: Int32 = -1
    /// Per location-type code (up to `homeCapacity`): 1 home, 0 not, −1 not yet decided.
    let homeOfCode: UnsafeMutablePointer<Int8>
    static let homeCapacity = 64
    /// Day numbers and UK-clock offsets of the dates met, for `dayYears` years from `dayBaseYear` (set by
    /// the first date): entry = day number << 8 | kind (0: not yet; kind 1: UTC = local all day, 2: UTC =
    /// local − 1 h all day, 3: a clock-change day, read through `UKLocalTime.utc` per row; 4 with day
    /// number 0: no such day, as 2024-02-30, whose rows go to the row rules) — the parser's day cache
    /// (`DateTimeFast.DayCache`) for every day at once, and the check of the day against its month.
    let dayTable: UnsafeMutablePointer<Int64>
    @exclusivity(unchecked) var dayBaseYear = Int.min
    static let dayYears = 16
    /// The text columns' labels met (up to `labelCapacity` per column, each up to `labelBytes` bytes): a
    /// field equal to one has its code without the column's interner; others are interned (and kept
    /// while there is room). Column j's entry i at j * labelCapacity + i.
    let labelLength: UnsafeMutablePointer<Int>
    let labelCode: UnsafeMutablePointer<Int32>
    let labelText: UnsafeMutablePointer<UInt8>
    let labelCount: UnsafeMutablePointer<Int>
    static let labelCapacity = 16, labelBytes = 64

    /// The shortcut for a parser's schema, or nil when its rows all go through `take` (longitude/latitude
    /// columns, time/hour/to-date columns, no date column).
    init?(_ r: DatedRowParser) {
        guard let dc = r.cDate, r.cTime == nil, r.cHour == nil, r.cMinute == nil, r.cToDate == nil, r.cToTime == nil,
              !r.useLonLat, r.n >= 1 else { return nil }
        cDate = dc
        cE = r.useBNG ? r.cE! : -1; cN = r.useBNG ? r.cN! : -1
        cLSOA = r.cLSOA ?? -1; cWeight = r.cWeight ?? -1; cLocType = r.cLocType ?? -1
        coded = .allocate(capacity: 6)
        // A text column not kept is not coded (the location type still is when points are kept: it decides home rows).
        let kept = [r.keepCategory, r.keepWeapon, r.keepLocType || r.keepPoints, r.keepAge, r.keepAgency, r.keepPlace]
        for (j, c) in [r.cCategory, r.cWeapon, r.cLocType, r.cAge, r.cAgency, r.cPlace].enumerated() { coded[j] = kept[j] ? c ?? -1 : -1 }
        storePoints = r.keepPoints; storeLines = r.keepLines; storeLSOA = r.keepLSOA; storeLocType = r.keepLocType
        lsoaSlots = .allocate(capacity: lsoaMask + 1)
        lsoaSlots.initialize(repeating: 0, count: lsoaMask + 1)
        homeOfCode = .allocate(capacity: Self.homeCapacity)
        homeOfCode.initialize(repeating: -1, count: Self.homeCapacity)
        dayTable = .allocate(capacity: Self.dayYears * 384)
        dayTable.initialize(repeating: 0, count: Self.dayYears * 384)
        labelLength = .allocate(capacity: 6 * Self.labelCapacity)
        labelCode = .allocate(capacity: 6 * Self.labelCapacity)
        labelText = .allocate(capacity: 6 * Self.labelCapacity * Self.labelBytes)
        labelCount = .allocate(capacity: 6)
        labelCount.initialize(repeating: 0, count: 6)
        utcClock = r.schema.timeZone == .utc
        codes = .allocate(capacity: 6 * Self.capacity)
        bounds = .allocate(capacity: 2 * r.n)
        startsLimit = max(64, 4 * r.n)
        starts = .allocate(capacity: startsLimit)
    }

    deinit {
        start.deallocate(); end.deallocate(); timed.deallocate(); x.deallocate(); y.deallocate()
        location.deallocate(); line.deallocate(); lsoa.deallocate(); codes.deallocate()
        bounds.deallocate(); starts.deallocate(); coded.deallocate(); lsoaSlots.deallocate(); homeOfCode.deallocate()
        dayTable.deallocate(); labelLength.deallocate(); labelCode.deallocate(); labelText.deallocate(); labelCount.deallocate()
    }

    /// Field `k`'s content without leading and trailing spaces and tabs and trailing CR
    /// (`DatedIncidentLoader.trimmed`).
    @inline(__always)
    func trimmed(_ p: UnsafePointer<UInt8>, _ k: Int) -> (Int, Int) {
        var lo = bounds[2 * k], hi = bounds[2 * k + 1]
        while lo < hi, p[lo] == 0x20 || p[lo] == 0x09 { lo += 1 }
        while hi > lo, p[hi - 1] == 0x20 || p[hi - 1] == 0x09 || p[hi - 1] == 0x0D { hi -= 1 }
        return (lo, hi)
    }

    /// A field of 1–15 ASCII digits as a Double (exact), else nil.
    @inline(__always)
    func plainInteger(_ p: UnsafePointer<UInt8>, _ k: Int) -> Double? {
        let lo = bounds[2 * k], hi = bounds[2 * k + 1]
        guard hi > lo, hi - lo <= 15 else { return nil }
        var v: Int64 = 0
        for i in lo ..< hi {
            let d = p[i] &- 0x30
            guard d < 10 else { return nil }
            v = v &* 10 &+ Int64(d)
        }
        return Double(v)
    }

    /// The UTC window of a reading on year `y`, month `m` (1–12), day `d` (1–31) (`second`: seconds since
    /// local midnight, nil: the whole day): what `DatedRowParser.instant` gives for a reading without a
    /// zone; nil when the day does not exist in its month (2024-02-30: the row rules read it and say so).
    @inline(__always)
    func window(_ y: Int, _ m: Int, _ d: Int, _ second: Int?) -> (start: Int64, end: Int64)? {
        if dayBaseYear == Int.min { dayBaseYear = y - Self.dayYears / 2 }
        let key = (y - dayBaseYear) * 384 + (m - 1) * 32 + (d - 1)
        var entry: Int64
        if key >= 0, key < Self.dayYears * 384 {
            entry = dayTable[key]
            if entry == 0 { entry = dayEntry(y, m, d); dayTable[key] = entry }
        } else { entry = dayEntry(y, m, d) }
        let days = entry >> 8, kind = entry & 0xFF
        if kind == 4 { return nil }
        let sec = second ?? 0
        let t0 = kind == 3 ? UKLocalTime.utc(date: CivilDate(days: Int(days)), secondOfDay: sec) : days * 86400 + Int64(sec) - (kind == 2 ? 3600 : 0)
        if second != nil { return (t0, t0) }
        if utcClock { return (t0, (days + 1) * 86400) }
        return (t0, UKLocalTime.utc(date: CivilDate(days: Int(days) + 1), secondOfDay: 0))
    }

    /// A day's table entry: day number << 8 | kind (1–3, see `dayTable`; 4: no such day).
    private func dayEntry(_ y: Int, _ m: Int, _ d: Int) -> Int64 {
        guard let date = CivilDate(year: y, month: m, day: d) else { return 4 }
        return dayEntry(date)
    }

    private func dayEntry(_ date: CivilDate) -> Int64 {
        let days = Int64(date.days)
        if utcClock { return days << 8 | 1 }
        let midnight = days * 86400
        let first = midnight - UKLocalTime.utc(date: date, secondOfDay: 0)
        let last = midnight + 86399 - UKLocalTime.utc(date: date, secondOfDay: 86399)
        let kind: Int64 = first == last && first == 0 ? 1 : first == last && first == 3600 ? 2 : 3
        return days << 8 | kind
    }

    /// The code of text column j's field `f` (trimmed), interned into `column` when not among the labels kept.
    @inline(__always)
    func code(_ j: Int, _ f: UnsafeBufferPointer<UInt8>, _ column: inout CodedColumn) -> Int32 {
        let first = j * Self.labelCapacity, n = labelCount[j], len = f.count
        for i in first ..< first + n where labelLength[i] == len {
            if len == 0 || memcmp(labelText + i * Self.labelBytes, f.baseAddress!, len) == 0 { return labelCode[i] }
        }
        let c = column.intern(f)
        if n < Self.labelCapacity, len <= Self.labelBytes {
            let i = first + n
            labelLength[i] = len; labelCode[i] = c
            if len > 0 { (labelText + i * Self.labelBytes).update(from: f.baseAddress!, count: len) }
            labelCount[j] = n + 1
        }
        return c
    }

    /// An LSOA code's key: 0–999,999 for E01 + digits, 2^20 + digits for W01 (either case); nil when
    /// the 9 bytes at `p` are not a code (`DatedIncidentLoader.lsoaKind` = 1).
    @inline(__always)
    static func lsoaKey(_ p: UnsafePointer<UInt8>) -> Int? {
        let c = p[0] | 0x20
        guard c == 0x65 || c == 0x77, p[1] == 0x30, p[2] == 0x31 else { return nil }
        var v = 0
        for k in 3 ..< 9 {
            let d = p[k] &- 0x30
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
        }
        return c == 0x77 ? (1 << 20) | v : v
    }

    /// The LSOA column's code of a key, interning the upper-cased label `p[0 ..< 9]` when the key is new here.
    @inline(__always)
    func lsoaCode(_ key: Int, _ p: UnsafePointer<UInt8>, _ column: inout CodedColumn) -> Int32 {
        let mask = lsoaMask, slots = lsoaSlots
        var s = (key &* 0x9E37_79B1) >> 7 & mask
        let tag = UInt64(key + 1) << 32
        while true {
            let v = slots[s]
            if v == 0 { break }
            if v & 0xFFFF_FFFF_0000_0000 == tag { return Int32(truncatingIfNeeded: v & 0xFFFF_FFFF) }
            s = (s + 1) & mask
        }
        return newLSOA(key, p, &column, slot: s)
    }

    /// A key met for the first time here: its upper-cased label interned into `column`, the code put in slot `s`.
    @inline(never)
    func newLSOA(_ key: Int, _ p: UnsafePointer<UInt8>, _ column: inout CodedColumn, slot s: Int) -> Int32 {
        let tag = UInt64(key + 1) << 32, slots = lsoaSlots
        let code = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 9) { t -> Int32 in
            for k in 0 ..< 9 { let b = p[k]; t[k] = b >= 0x61 && b <= 0x7A ? b - 0x20 : b }
            return column.intern(UnsafeBufferPointer(t))
        }
        slots[s] = tag | UInt64(UInt32(bitPattern: code))
        lsoaUsed += 1
        if lsoaUsed * 2 > lsoaMask + 1 { growLSOA() }
        return code
    }

    private func growLSOA() {
        let old = lsoaSlots, oldCount = lsoaMask + 1
        let mask = 2 * oldCount - 1
        let slots = UnsafeMutablePointer<UInt64>.allocate(capacity: mask + 1)
        slots.initialize(repeating: 0, count: mask + 1)
        for i in 0 ..< oldCount where old[i] != 0 {
            let v = old[i], key = Int(v >> 32) - 1
            var s = (key &* 0x9E37_79B1) >> 7 & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = v
        }
        old.deallocate()
        lsoaSlots = slots; lsoaMask = mask
    }
}

extension DatedRowParser {
    /// The record of the plain line whose field bounds are in `plain.bounds`, on file line `line`, when the
    /// shortcut decides it (see `DatedPlainRows`): added to the batch, true. False: nothing changed, the
    /// caller hands the record to `take`.
    @inline(__always)
    mutating func takePlain(_ s: DatedPlainRows, _ p: UnsafePointer<UInt8>, line: Int) -> Bool {
        let b = s.bounds
        // When (no state changes until every check has passed; the day table is a cache of the calendar).
        let dlo = b[2 * s.cDate], dhi = b[2 * s.cDate + 1]
        guard dhi > dlo, let pd = DateTimeFast.fields(UnsafeBufferPointer(start: p + dlo, count: dhi - dlo), format: fmt),
              let (t0, t1) = s.window(pd.year, pd.month, pd.day, pd.second) else { return false }
        // Where.
        var a = 0.0, c = 0.0, hasCoordinates = false
        if s.cE >= 0 {
            let eEmpty = b[2 * s.cE] == b[2 * s.cE + 1], nEmpty = b[2 * s.cN] == b[2 * s.cN + 1]
            if !eEmpty || !nEmpty {
                guard let e = s.plainInteger(p, s.cE), let n = s.plainInteger(p, s.cN) else { return false }
                (a, c, hasCoordinates) = (e, n, true)
            }
        }
        var lsoaKey = -1, lsoaAt = 0
        if s.cLSOA >= 0 {
            let (lo, hi) = s.trimmed(p, s.cLSOA)
            if hi > lo {
                guard hi - lo == 9, let k = DatedPlainRows.lsoaKey(p + lo) else { return false }
                lsoaKey = k; lsoaAt = lo
            }
        }
        if s.cWeight >= 0, b[2 * s.cWeight] != b[2 * s.cWeight + 1] { return false }

        // Taken: the row's values.
        datedRows += 1
        let second = pd.second
        var px = Double.nan, py = Double.nan, loc = DatedLocation.noCoordinates
        if hasCoordinates {
            let degreeLike = abs(a) <= 180 && abs(c) <= 90
            if degreeLike { if degreesLine == 0 { degreesLine = line } } else if metresLine == 0 { metresLine = line }
            if !degreeLike { (px, py, loc) = (a, c, .point) }
        }
        let k = s.count
        var lsoaCode: Int32 = 0
        if s.cLSOA >= 0, s.storeLSOA {
            if lsoaKey >= 0 { lsoaCode = s.lsoaCode(lsoaKey, p + lsoaAt, &d.lsoaCode) } else {
                if s.emptyLSOA < 0 { s.emptyLSOA = d.lsoaCode.intern(UnsafeBufferPointer(start: p, count: 0)) }
                lsoaCode = s.emptyLSOA
            }
        }
        for j in 0 ..< 6 {
            let f = s.coded[j]
            if f < 0 { continue }
            let (lo, hi) = s.trimmed(p, f)
            let field = UnsafeBufferPointer(start: p + lo, count: hi - lo)
            let code: Int32
            switch j {
            case 0: code = s.code(0, field, &d.category)
            case 1: code = s.code(1, field, &d.weapon)
            case 2:
                code = s.code(2, field, &d.locationType)
                let ci = Int(code)
                var home: Int8
                if ci < DatedPlainRows.homeCapacity {
                    home = s.homeOfCode[ci]
                    if home < 0 { home = DatedIncidentLoader.matchesAny(field, homes) ? 1 : 0; s.homeOfCode[ci] = home }
                } else { home = DatedIncidentLoader.matchesAny(field, homes) ? 1 : 0 }
                if home == 1 { loc = .home; px = .nan; py = .nan }
            case 3: code = s.code(3, field, &d.ageBand)
            case 4: code = s.code(4, field, &d.agency)
            default: code = s.code(5, field, &d.place)
            }
            s.codes[j * DatedPlainRows.capacity + k] = code
        }
        s.start[k] = t0; s.end[k] = t1; s.timed[k] = second != nil
        s.x[k] = px; s.y[k] = py; s.location[k] = loc
        s.line[k] = Int32(truncatingIfNeeded: line)
        s.lsoa[k] = lsoaCode
        s.count = k + 1
        if s.count == DatedPlainRows.capacity { flushPlain() }
        return true
    }

    /// Appends the batch to the columns and the ledger (before any row `take` adds, and at a scan's end).
    mutating func flushPlain() {
        guard let s = plain, s.count > 0 else { return }
        let k = s.count
        func put<T>(_ column: inout [T], _ from: UnsafeMutablePointer<T>) { column.append(contentsOf: UnsafeBufferPointer(start: from, count: k)) }
        // `end` stays empty while every row is a point time (`appendWindow`'s rule, for the batch at once).
        var storeEnds = !d.end.isEmpty
        if !storeEnds, (0 ..< k).contains(where: { s.end[$0] != s.start[$0] }) { fillEnds(); storeEnds = true }
        put(&d.start, s.start); put(&d.timed, s.timed)
        if storeEnds { put(&d.end, s.end) }
        if s.storePoints { put(&d.x, s.x); put(&d.y, s.y); put(&d.location, s.location) }
        if s.storeLines { put(&d.line, s.line) }
        if s.cWeight >= 0 { d.weight.append(contentsOf: repeatElement(1.0, count: k)) }
        if s.cLSOA >= 0, s.storeLSOA { put(&d.lsoaCode.codes, s.lsoa) }
        let cap = DatedPlainRows.capacity
        if s.coded[0] >= 0 { put(&d.category.codes, s.codes) }
        if s.coded[1] >= 0 { put(&d.weapon.codes, s.codes + cap) }
        if s.coded[2] >= 0, s.storeLocType { put(&d.locationType.codes, s.codes + 2 * cap) }
        if s.coded[3] >= 0 { put(&d.ageBand.codes, s.codes + 3 * cap) }
        if s.coded[4] >= 0 { put(&d.agency.codes, s.codes + 4 * cap) }
        if s.coded[5] >= 0 { put(&d.place.codes, s.codes + 5 * cap) }
        d.accounting.read(k); d.accounting.use(k)
        s.rowsTaken += k
        s.count = 0
    }
}
