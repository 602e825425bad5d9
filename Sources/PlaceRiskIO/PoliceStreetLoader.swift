import PlaceRiskCore
import Dispatch

/// Which police.uk rows to keep. Rows failing a filter are counted as skipped with the reason.
public struct PoliceFilter: Sendable, Equatable {
    /// Keep only these crime types (nil = all).
    public var crimeTypes: Set<CrimeType>?
    /// Keep months ≥ `from` and ≤ `to` (either may be nil).
    public var from: YearMonth?
    public var to: YearMonth?
    /// Keep only these "Falls within" forces, matched case-insensitively (nil = all).
    public var forces: Set<String>?

    public init(crimeTypes: Set<CrimeType>? = nil, from: YearMonth? = nil, to: YearMonth? = nil, forces: Set<String>? = nil) {
        self.crimeTypes = crimeTypes
        self.from = from
        self.to = to
        self.forces = forces.map { Set($0.map { $0.lowercased() }) }
    }
}

/// The police.uk street-level CSV loader (header: conventions §8).
///
/// Accepts files and folders (recursing, picking `*-street.csv`), any number of months and forces.
/// Columns are found by header name. Each row becomes an incident, or a counted skip:
/// `malformed` (wrong field count, bad month or coordinate, broken quoting), `invalid_lsoa_code`,
/// `filtered_*`, and with `dropDuplicateIDs` `duplicate_crime_id`. Rows without coordinates are
/// kept (they still have a month and type, sometimes an LSOA) with `LocationStatus.noCoordinates`;
/// coordinates outside BNG's area of use get `.outsideBNG`. Files are read in parallel (one per
/// worker) and merged in path order, so output is deterministic.
///
/// Rules, each checked per row:
/// - police.uk fields never hold line breaks, so records never span lines
///   (`CSVReader.Options.lineBounded`): a quote left open at the end of a line, or text after a
///   closing quote, makes that one row malformed and reading resumes on the next line.
/// - LSOA codes are trimmed, the country letter upper-cased, and checked (`LSOACode`); a non-empty
///   invalid code skips the row (`invalid_lsoa_code`), an empty one keeps it without an LSOA.
/// - Crime types outside the 14 published ones are kept as their own type and listed in
///   `Result.unknownCrimeTypes` (a mis-decoded file shows up here).
/// - A non-empty Crime ID seen earlier in the same load (path order, then line order) is a
///   duplicate (`CrimeIDLedger`): counted in `Result.duplicateCrimeIDs`, and skipped when asked.
/// - A file whose located points lie (≥ 90 %) outside BNG's area of use but inside it with longitude
///   and latitude swapped is named in `Result.swappedCoordinateFiles`.
public enum PoliceStreetLoader {
    public static let fileSuffix = "-street.csv"
    public static let requiredColumns = ["Month", "Longitude", "Latitude", "LSOA code", "Crime type"]

    /// Share of a file's located points that must lie outside BNG, and inside once swapped, for the
    /// swapped-columns diagnostic (a few genuinely foreign points must not trigger it).
    public static let swappedShare = 0.9

    /// How many duplicate Crime ID examples a result keeps.
    public static let maximumDuplicateExamples = 5

    public struct Result: Sendable {
        public var table: IncidentTable
        public var accounting: RowAccounting
        /// Per input file: path, rows read, rows loaded.
        public var files: [(path: String, rowsRead: Int, rowsLoaded: Int)]
        /// Crime types that are not one of `CrimeType.standard`, with the number of rows carrying
        /// each (rows that passed the month and force filters), most rows first, then by label.
        /// They are loaded as their own `.unknown` type; a label like "Violence and sexual
        /// offencesÃ" means the file was mis-decoded.
        public var unknownCrimeTypes: [(label: String, rows: Int)] = []
        /// Loaded rows whose non-empty Crime ID had already been loaded earlier in this load (path
        /// order, then line order). Skipped as `duplicate_crime_id` when `dropDuplicateIDs` is set,
        /// else kept and only counted here.
        public var duplicateCrimeIDs: Int = 0
        /// A few duplicates, `file:line: Crime ID already seen at file:line`.
        public var duplicateCrimeIDExamples: [String] = []
        /// Files whose located points all (or ≥ 90 %) lie outside British National Grid's area of
        /// use but would lie inside with Longitude and Latitude swapped.
        public var swappedCoordinateFiles: [String] = []
        /// One plain sentence per file in `swappedCoordinateFiles`, for the user.
        public var swappedCoordinateMessages: [String] = []

        /// Every diagnostic above as plain sentences (unknown crime types, duplicate Crime IDs,
        /// swapped coordinates), ready to print; empty when there is nothing to say.
        public var warnings: [String] {
            var w: [String] = []
            if !unknownCrimeTypes.isEmpty {
                let list = unknownCrimeTypes.map { "'\($0.label)' (\($0.rows) \($0.rows == 1 ? "row" : "rows"))" }.joined(separator: ", ")
                w.append("crime types that are not police.uk categories (loaded as their own types; a mis-decoded file?): \(list)")
            }
            if duplicateCrimeIDs > 0 {
                w.append("\(duplicateCrimeIDs) rows repeat a Crime ID already loaded (the same crime read twice?)"
                         + (duplicateCrimeIDExamples.isEmpty ? "" : ", e.g. " + duplicateCrimeIDExamples.joined(separator: "; ")))
            }
            w += swappedCoordinateMessages
            return w
        }
    }

    /// Loads every street file under `paths`.
    /// - Parameter lenient: count malformed data rows (and invalid LSOA codes) as skipped (default);
    ///   when false, the first such row throws a `CSVError` naming file, line and column.
    /// - Parameter keepText: also keep the free-text columns (crime ID, location, outcome). Counting
    ///   needs none of them; leaving them out saves about half the memory and a third of the time.
    ///   The Crime ID column is read either way, for the duplicate check (fingerprints, not text).
    /// - Parameter dropDuplicateIDs: skip the second and later rows with the same non-empty Crime
    ///   ID (`duplicate_crime_id`); by default they are kept and counted in the result.
    public static func load(paths: [String], filter: PoliceFilter = PoliceFilter(), lenient: Bool = true,
                            keepText: Bool = true, dropDuplicateIDs: Bool = false) throws(CSVError) -> Result {
        let files = try FileDiscovery.files(from: paths, suffix: fileSuffix)
        guard !files.isEmpty else {
            throw CSVError(.io("no police.uk '*\(fileSuffix)' files found"), file: paths.joined(separator: " "), line: 0, column: 0)
        }
        var partials = [Swift.Result<FileLoad, CSVError>?](repeating: nil, count: files.count)
        let workers = min(Parallel.processorCount, files.count)
        partials.withUnsafeMutableBufferPointer { pp in
            let ctx = UncheckedSendable(pp)
            let next = AtomicCounter()
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                // One projection cache per worker, shared by its files (police.uk's map points repeat across months).
                var cache = ProjectionCache()
                while true {
                    let i = next.increment()
                    if i >= files.count { break }
                    do throws(CSVError) {
                        var reader = try CSVReader(path: files[i], options: .lineBounded)
                        ctx.value[i] = .success(try loadFile(reader: &reader, filter: filter, lenient: lenient, keepText: keepText, cache: &cache))
                    } catch {
                        ctx.value[i] = .failure(error)
                    }
                }
            }
        }
        var parts: [FileLoad] = []
        parts.reserveCapacity(files.count)
        for r in partials {
            switch r! {
            case .failure(let e): throw e
            case .success(let f): parts.append(f)
            }
        }
        return merge(parts, names: files, dropDuplicateIDs: dropDuplicateIDs)
    }

    /// Loads already-open readers (in-memory data, tests) one after another, as `load(paths:)` does
    /// files: the same checks, diagnostics and merge in the readers' order.
    public static func load(readers: inout [CSVReader], filter: PoliceFilter = PoliceFilter(), lenient: Bool = true,
                            keepText: Bool = true, dropDuplicateIDs: Bool = false) throws(CSVError) -> Result {
        var cache = ProjectionCache()
        var parts: [FileLoad] = []
        for i in readers.indices {
            parts.append(try loadFile(reader: &readers[i], filter: filter, lenient: lenient, keepText: keepText, cache: &cache))
        }
        return merge(parts, names: readers.map(\.name), dropDuplicateIDs: dropDuplicateIDs)
    }

    /// Loads one file.
    public static func loadFile(_ path: String, filter: PoliceFilter, lenient: Bool, keepText: Bool = true) throws(CSVError) -> (IncidentTable, RowAccounting) {
        var reader = try CSVReader(path: path, options: .lineBounded)
        var cache = ProjectionCache()
        let f = try loadFile(reader: &reader, filter: filter, lenient: lenient, keepText: keepText, cache: &cache)
        return (f.table, f.accounting)
    }

    /// Loads from an open reader (files or in-memory bytes). The reader is switched to line-bounded
    /// records (police.uk fields never hold line breaks).
    public static func load(reader r: inout CSVReader, filter: PoliceFilter, lenient: Bool, keepText: Bool = true) throws(CSVError) -> (IncidentTable, RowAccounting) {
        var cache = ProjectionCache()
        let f = try loadFile(reader: &r, filter: filter, lenient: lenient, keepText: keepText, cache: &cache)
        return (f.table, f.accounting)
    }

    /// One file's rows plus what the whole-load checks need.
    struct FileLoad: Sendable {
        var table = IncidentTable()
        var accounting = RowAccounting()
        /// Loaded rows with a non-empty Crime ID: row in `table`, source line, fingerprint.
        var crimeIDs: [(row: Int32, line: Int32, id: CrimeIDLedger.Fingerprint)] = []
        /// Rows per entry of `table.crimeTypes` that reached the crime-type check.
        var typeRows: [Int] = []
        /// Rows with coordinates; of them outside BNG; of those, inside once swapped.
        var located = 0, outsideBNG = 0, insideIfSwapped = 0
    }

    /// Combines per-file loads in order: duplicate Crime IDs (first occurrence kept), unknown crime
    /// types, swapped-coordinate diagnostics, one table and one ledger.
    static func merge(_ parts: [FileLoad], names: [String], dropDuplicateIDs: Bool) -> Result {
        precondition(parts.count == names.count, "PoliceStreetLoader.merge: one name per part")
        var table = IncidentTable()
        var acc = RowAccounting()
        var perFile: [(String, Int, Int)] = []
        var ledger = CrimeIDLedger()
        var duplicates = 0
        var dupExamples: [String] = []
        var unknown: [String: Int] = [:]
        var swapped: [String] = [], swappedMessages: [String] = []
        for (i, part) in parts.enumerated() {
            var t = part.table
            var a = part.accounting
            var drop: [Int32] = []
            for e in part.crimeIDs where ledger.isRepeat(e.id) {
                duplicates += 1
                if dupExamples.count < maximumDuplicateExamples, let first = firstSighting(of: e.id, in: parts) {
                    dupExamples.append("\(names[i]):\(e.line): Crime ID already seen at \(names[first.file]):\(first.line)")
                }
                if dropDuplicateIDs { drop.append(e.row) }
            }
            if !drop.isEmpty {
                var keep = [Bool](repeating: true, count: t.count)
                for r in drop { keep[Int(r)] = false }
                t = t.filtered(keep)
                a.unuse(drop.count, because: .duplicateCrimeID)
            }
            for (k, ct) in part.table.crimeTypes.enumerated() where ct.standardIndex == nil && part.typeRows[k] > 0 {
                unknown[ct.label, default: 0] += part.typeRows[k]
            }
            if let m = swappedMessage(names[i], part) { swapped.append(names[i]); swappedMessages.append(m) }
            if table.count == 0 && table.crimeTypes.isEmpty { table = t } else { table.append(contentsOf: t) }
            acc.merge(a)
            perFile.append((names[i], a.rowsRead, a.rowsUsed))
        }
        table.assertConsistent()
        var r = Result(table: table, accounting: acc, files: perFile)
        r.unknownCrimeTypes = unknown.map { (label: $0.key, rows: $0.value) }
            .sorted { $0.rows != $1.rows ? $0.rows > $1.rows : $0.label < $1.label }
        r.duplicateCrimeIDs = duplicates
        r.duplicateCrimeIDExamples = dupExamples
        r.swappedCoordinateFiles = swapped
        r.swappedCoordinateMessages = swappedMessages
        return r
    }

    /// Where a fingerprint first occurs (file index, line): a linear scan, run only for the few
    /// duplicates reported as examples.
    static func firstSighting(of id: CrimeIDLedger.Fingerprint, in parts: [FileLoad]) -> (file: Int, line: Int32)? {
        for (i, p) in parts.enumerated() {
            if let e = p.crimeIDs.first(where: { $0.id == id }) { return (i, e.line) }
        }
        return nil
    }

    /// The swapped-columns sentence for a file, or nil when its points look right.
    static func swappedMessage(_ name: String, _ f: FileLoad) -> String? {
        let n = Double(f.located)
        guard f.located > 0, Double(f.outsideBNG) >= swappedShare * n, Double(f.insideIfSwapped) >= swappedShare * n else { return nil }
        let tail = "would lie inside with Longitude and Latitude swapped; check the column order"
        if f.insideIfSwapped == f.located { return "\(name): every point lies outside Great Britain, but \(tail)" }
        return "\(name): \(f.outsideBNG) of \(f.located) points lie outside Great Britain, and \(f.insideIfSwapped) of them \(tail)"
    }

    /// - Parameter checkCrimeIDs: fingerprint the Crime IDs for the duplicate check (streamed
    ///   counts do not look for duplicates, so they skip the work).
    static func loadFile(reader r: inout CSVReader, filter: PoliceFilter, lenient: Bool, keepText: Bool,
                         checkCrimeIDs: Bool = true, cache projCache: inout ProjectionCache) throws(CSVError) -> FileLoad {
        r.options.recordsNeverSpanLines = true
        guard try r.next() else { throw CSVError(.empty, file: r.name, line: 0, column: 0) }
        let header = r.fields.map { trimmed($0) }
        let nFields = header.count
        func column(_ name: String, required: Bool) throws(CSVError) -> Int? {
            if let i = header.firstIndex(of: name) { return i }
            if required { throw CSVError(.missingColumnAmong(name, found: header), file: r.name, line: 0, column: 0) }
            return nil
        }
        let cMonth = try column("Month", required: true)!
        let cLon = try column("Longitude", required: true)!
        let cLat = try column("Latitude", required: true)!
        let cLSOA = try column("LSOA code", required: true)!
        let cType = try column("Crime type", required: true)!
        let cName = try column("LSOA name", required: false)
        let cForce = try column("Falls within", required: false)
        // Read even without text: the duplicate check fingerprints it.
        let cID = checkCrimeIDs || keepText ? try column("Crime ID", required: false) : nil
        let cLoc = keepText ? try column("Location", required: false) : nil
        let cOut = keepText ? try column("Last outcome category", required: false) : nil

        // Columns no one reads are parsed (for the field count) but not copied.
        var used = [cMonth, cLon, cLat, cLSOA, cType]
        used += [cName, cForce, cID, cLoc, cOut].compactMap { $0 }
        r.skippedFields = (0 ..< nFields).map { !used.contains($0) }
        var f = FileLoad()
        var t = IncidentTable()
        var acc = RowAccounting()
        var types = ByteInterner(), rawLSOAs = ByteInterner(), forces = ByteInterner()
        var typeKeep: [Bool] = [], forceKeep: [Bool] = []
        // Raw LSOA text id → table LSOA id (≥ 0), `noLSOA` (empty) or `badLSOA` (invalid).
        let noLSOA: Int32 = -1, badLSOA: Int32 = -2
        var lsoaOfRaw: [Int32] = []
        var lsoaIndex: [String: Int32] = [:]
        let fromIdx = filter.from?.index ?? Int.min, toIdx = filter.to?.index ?? Int.max
        let maxCodes = Int(UInt16.max) + 1

        /// A row with a defect: thrown when strict, else skipped for `reason` (message kept while
        /// the ledger has room for examples; built only then).
        func reject(_ reason: SkipReason, _ e: @autoclosure () -> CSVError) throws(CSVError) {
            if !lenient { throw e() }
            acc.skip(reason, example: acc.examples.count < RowAccounting.maximumExamples ? e().description : nil)
        }

        while true {
            let more: Bool
            do throws(CSVError) { more = try r.next() } catch {
                switch error.kind {
                case .quoteOpenAtLineEnd, .textAfterClosingQuote, .unterminatedQuote:
                    // The reader has moved on to the next line: one row is lost, not the file.
                    acc.read()
                    try reject(.malformed, error)
                    continue
                default:
                    throw error
                }
            }
            if !more { break }
            acc.read()
            if r.fieldCount != nFields {
                do throws(CSVError) { try r.requireFieldCount(nFields) } catch { try reject(.malformed, error); continue }
            }
            // Month.
            guard let ym = r.withField(cMonth, { YearMonth.parse($0) }) else {
                try reject(.malformed, CSVError(.badValue(column: "Month", value: r.string(cMonth), expected: "a YYYY-MM month"),
                                                file: r.name, line: r.recordLine, column: r.column(ofField: cMonth)))
                continue
            }
            if ym.index < fromIdx || ym.index > toIdx { acc.skip(.filteredMonth); continue }
            // Force.
            var fid: Int32 = 0
            if let cf = cForce {
                fid = r.withField(cf) { forces.intern($0) }
                if Int(fid) == forceKeep.count {
                    let name = forces.string(fid)
                    forceKeep.append(filter.forces.map { $0.contains(name.lowercased()) } ?? true)
                }
            } else if forces.count == 0 {
                _ = forces.intern(""); forceKeep.append(filter.forces == nil)
            }
            if Int(fid) >= maxCodes { // 16-bit ids, as for crime types
                try reject(.malformed, CSVError(.badValue(column: header[cForce!], value: r.string(cForce!), expected: "one of at most 65,536 distinct forces"),
                                                file: r.name, line: r.recordLine, column: r.column(ofField: cForce!)))
                continue
            }
            if !forceKeep[Int(fid)] { acc.skip(.filteredForce); continue }
            // Crime type.
            let tid = r.withField(cType) { types.intern($0) }
            // Ids are 16-bit: the code table stops at 65,536 types (rejected before it grows).
            if Int(tid) >= maxCodes {
                try reject(.malformed, CSVError(.badValue(column: "Crime type", value: r.string(cType), expected: "one of at most 65,536 distinct crime types"),
                                                file: r.name, line: r.recordLine, column: r.column(ofField: cType)))
                continue
            }
            if Int(tid) == typeKeep.count {
                let ct = CrimeType(label: trimmed(types.string(tid)))
                t.crimeTypes.append(ct)
                typeKeep.append(filter.crimeTypes.map { $0.contains(ct) } ?? true)
                f.typeRows.append(0)
            }
            f.typeRows[Int(tid)] += 1
            if !typeKeep[Int(tid)] { acc.skip(.filteredCrimeType); continue }
            // Coordinates.
            let lonEmpty = r.isEmpty(cLon), latEmpty = r.isEmpty(cLat)
            var lon = Double.nan, lat = Double.nan, px = Double.nan, py = Double.nan
            var status = LocationStatus.noCoordinates
            if !(lonEmpty && latEmpty) {
                guard let lo = r.withField(cLon, { ASCIINumber.parseDouble($0) }),
                      let la = r.withField(cLat, { ASCIINumber.parseDouble($0) }) else {
                    let bad = r.withField(cLon, { ASCIINumber.parseDouble($0) }) == nil ? cLon : cLat
                    try reject(.malformed, CSVError(.badValue(column: header[bad], value: r.string(bad), expected: "a number of degrees"),
                                                    file: r.name, line: r.recordLine, column: r.column(ofField: bad)))
                    continue
                }
                lon = lo; lat = la
                (px, py) = projCache.project(longitude: lo, latitude: la)
                status = px.isNaN ? .outsideBNG : .projected
            }
            // LSOA: checked once per distinct raw text.
            var lid: Int32 = noLSOA
            if !r.isEmpty(cLSOA) {
                let raw = r.withField(cLSOA) { rawLSOAs.intern($0) }
                if Int(raw) == lsoaOfRaw.count {
                    switch r.withField(cLSOA, { LSOACode.read($0) }) {
                    case .empty: lsoaOfRaw.append(noLSOA)
                    case .invalid: lsoaOfRaw.append(badLSOA)
                    case .valid(let code):
                        if let known = lsoaIndex[code] { lsoaOfRaw.append(known) } else {
                            let id = Int32(t.lsoaCodes.count)
                            t.lsoaCodes.append(code)
                            t.lsoaNames.append(cName.map { trimmed(r.string($0)) } ?? "")
                            lsoaIndex[code] = id
                            lsoaOfRaw.append(id)
                        }
                    }
                }
                lid = lsoaOfRaw[Int(raw)]
                if lid == badLSOA {
                    try reject(.invalidLSOA, CSVError(.badValue(column: header[cLSOA], value: r.string(cLSOA), expected: "an LSOA code (E01 or W01 and six digits)"),
                                                      file: r.name, line: r.recordLine, column: r.column(ofField: cLSOA)))
                    continue
                }
            }
            // Loaded: the whole-load checks' inputs.
            if status != .noCoordinates {
                f.located += 1
                if status == .outsideBNG {
                    f.outsideBNG += 1
                    if BritishNationalGrid.isValid(longitude: lat, latitude: lon) { f.insideIfSwapped += 1 }
                }
            }
            if checkCrimeIDs, let c = cID {
                let id = r.withField(c) { CrimeIDLedger.fingerprint($0) }
                if !id.isEmpty { f.crimeIDs.append((row: Int32(truncatingIfNeeded: t.count), line: Int32(truncatingIfNeeded: r.recordLine), id: id)) }
            }
            t.monthIndex.append(Int32(ym.index))
            t.crimeTypeID.append(UInt16(tid))
            t.lsoaID.append(lid)
            t.forceID.append(UInt16(fid))
            t.longitude.append(lon); t.latitude.append(lat)
            t.x.append(px); t.y.append(py)
            t.location.append(status)
            if keepText {
                appendText(&t.crimeID, r, cID)
                appendText(&t.locationText, r, cLoc)
                appendText(&t.outcome, r, cOut)
            }
            acc.use()
        }
        t.forces = Array(forces.strings.prefix(maxCodes))
        f.table = t
        f.accounting = acc
        return f
    }

    @inline(__always)
    private static func appendText(_ col: inout StringColumn, _ r: borrowing CSVReader, _ c: Int?) {
        if let c { r.withField(c) { col.append($0) } } else { col.append("") }
    }

    private static func trimmed(_ s: String) -> String {
        var sub = Substring(s)
        while let f = sub.first, f == " " || f == "\t" { sub.removeFirst() }
        while let l = sub.last, l == " " || l == "\t" { sub.removeLast() }
        return String(sub)
    }
}

/// A minimal thread-safe counter for handing out work items.
final class AtomicCounter: @unchecked Sendable {
    private var value = 0
    private let lock = DispatchSemaphore(value: 1)
    func increment() -> Int {
        lock.wait(); defer { lock.signal() }
        let v = value
        value += 1
        return v
    }
}
