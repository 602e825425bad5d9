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
/// `malformed` (wrong field count, bad month or coordinate), `filtered_*`. Rows without
/// coordinates are kept (they still have a month and type, sometimes an LSOA) with
/// `LocationStatus.noCoordinates`; coordinates outside BNG's area of use get `.outsideBNG`.
/// Files are read in parallel (one per worker) and merged in path order, so output is deterministic.
public enum PoliceStreetLoader {
    public static let fileSuffix = "-street.csv"
    public static let requiredColumns = ["Month", "Longitude", "Latitude", "LSOA code", "Crime type"]

    public struct Result: Sendable {
        public var table: IncidentTable
        public var accounting: RowAccounting
        /// Per input file: path, rows read, rows loaded.
        public var files: [(path: String, rowsRead: Int, rowsLoaded: Int)]
    }

    /// Loads every street file under `paths`.
    /// - Parameter lenient: count malformed data rows as skipped (default); when false, the first
    ///   malformed row throws a `CSVError` naming file, line and column.
    /// - Parameter keepText: also keep the free-text columns (crime ID, location, outcome). Counting
    ///   needs none of them; leaving them out saves about half the memory and a third of the time.
    public static func load(paths: [String], filter: PoliceFilter = PoliceFilter(), lenient: Bool = true,
                            keepText: Bool = true) throws(CSVError) -> Result {
        let files = try FileDiscovery.files(from: paths, suffix: fileSuffix)
        guard !files.isEmpty else {
            throw CSVError(.io("no police.uk '*\(fileSuffix)' files found"), file: paths.joined(separator: " "), line: 0, column: 0)
        }
        var partials = [Swift.Result<(IncidentTable, RowAccounting), CSVError>?](repeating: nil, count: files.count)
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
                        var reader = try CSVReader(path: files[i])
                        ctx.value[i] = .success(try load(reader: &reader, filter: filter, lenient: lenient, keepText: keepText, cache: &cache))
                    } catch {
                        ctx.value[i] = .failure(error)
                    }
                }
            }
        }
        var table = IncidentTable()
        var acc = RowAccounting()
        var perFile: [(String, Int, Int)] = []
        for (i, r) in partials.enumerated() {
            switch r! {
            case .failure(let e): throw e
            case .success(let (t, a)):
                if table.count == 0 && table.crimeTypes.isEmpty { table = t } else { table.append(contentsOf: t) }
                acc.merge(a)
                perFile.append((files[i], a.rowsRead, a.rowsUsed))
            }
        }
        table.assertConsistent()
        return Result(table: table, accounting: acc, files: perFile)
    }

    /// Loads one file.
    public static func loadFile(_ path: String, filter: PoliceFilter, lenient: Bool, keepText: Bool = true) throws(CSVError) -> (IncidentTable, RowAccounting) {
        var reader = try CSVReader(path: path)
        var cache = ProjectionCache()
        return try load(reader: &reader, filter: filter, lenient: lenient, keepText: keepText, cache: &cache)
    }

    /// Loads from an open reader (files or in-memory bytes).
    public static func load(reader r: inout CSVReader, filter: PoliceFilter, lenient: Bool, keepText: Bool = true) throws(CSVError) -> (IncidentTable, RowAccounting) {
        var cache = ProjectionCache()
        return try load(reader: &r, filter: filter, lenient: lenient, keepText: keepText, cache: &cache)
    }


    static func load(reader r: inout CSVReader, filter: PoliceFilter, lenient: Bool, keepText: Bool,
                     cache projCache: inout ProjectionCache) throws(CSVError) -> (IncidentTable, RowAccounting) {
        guard try r.next() else { throw CSVError(.empty, file: r.name, line: 1, column: 1) }
        let header = r.fields.map { trimmed($0) }
        let nFields = header.count
        func column(_ name: String, required: Bool) throws(CSVError) -> Int? {
            if let i = header.firstIndex(of: name) { return i }
            if required { throw CSVError(.missingColumn(name), file: r.name, line: 1, column: 1) }
            return nil
        }
        let cMonth = try column("Month", required: true)!
        let cLon = try column("Longitude", required: true)!
        let cLat = try column("Latitude", required: true)!
        let cLSOA = try column("LSOA code", required: true)!
        let cType = try column("Crime type", required: true)!
        let cName = try column("LSOA name", required: false)
        let cForce = try column("Falls within", required: false)
        let cID = keepText ? try column("Crime ID", required: false) : nil
        let cLoc = keepText ? try column("Location", required: false) : nil
        let cOut = keepText ? try column("Last outcome category", required: false) : nil

        // Columns no one reads are parsed (for the field count) but not copied.
        var used = [cMonth, cLon, cLat, cLSOA, cType]
        used += [cName, cForce, cID, cLoc, cOut].compactMap { $0 }
        r.skippedFields = (0 ..< nFields).map { !used.contains($0) }
        var t = IncidentTable()
        var acc = RowAccounting()
        var types = ByteInterner(), lsoas = ByteInterner(), forces = ByteInterner()
        var typeKeep: [Bool] = [], forceKeep: [Bool] = []
        let fromIdx = filter.from?.index ?? Int.min, toIdx = filter.to?.index ?? Int.max

        func malformed(_ e: CSVError) throws(CSVError) {
            if !lenient { throw e }
            acc.skip(.malformed, example: e.description)
        }

        while true {
            let more: Bool
            do throws(CSVError) { more = try r.next() } catch {
                if lenient, error.kind == .unterminatedQuote {
                    acc.read(); acc.skip(.malformed, example: error.description + "; the rest of the file could not be read")
                    break
                }
                throw error
            }
            if !more { break }
            acc.read()
            if r.fieldCount != nFields {
                do throws(CSVError) { try r.requireFieldCount(nFields) } catch { try malformed(error); continue }
            }
            // Month.
            guard let ym = r.withField(cMonth, { YearMonth.parse($0) }) else {
                try malformed(CSVError(.badValue(column: "Month", value: r.string(cMonth), expected: "a YYYY-MM month"),
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
            if !forceKeep[Int(fid)] { acc.skip(.filteredForce); continue }
            // Crime type.
            let tid = r.withField(cType) { types.intern($0) }
            if Int(tid) == typeKeep.count {
                let ct = CrimeType(label: trimmed(types.string(tid)))
                t.crimeTypes.append(ct)
                typeKeep.append(filter.crimeTypes.map { $0.contains(ct) } ?? true)
            }
            if !typeKeep[Int(tid)] { acc.skip(.filteredCrimeType); continue }
            // Coordinates.
            let lonEmpty = r.isEmpty(cLon), latEmpty = r.isEmpty(cLat)
            var lon = Double.nan, lat = Double.nan, px = Double.nan, py = Double.nan
            var status = LocationStatus.noCoordinates
            if !(lonEmpty && latEmpty) {
                guard let lo = r.withField(cLon, { ASCIINumber.parseDouble($0) }),
                      let la = r.withField(cLat, { ASCIINumber.parseDouble($0) }) else {
                    let bad = r.withField(cLon, { ASCIINumber.parseDouble($0) }) == nil ? cLon : cLat
                    try malformed(CSVError(.badValue(column: header[bad], value: r.string(bad), expected: "a number of degrees"),
                                           file: r.name, line: r.recordLine, column: r.column(ofField: bad)))
                    continue
                }
                lon = lo; lat = la
                (px, py) = projCache.project(longitude: lo, latitude: la)
                status = px.isNaN ? .outsideBNG : .projected
            }
            // LSOA.
            var lid: Int32 = -1
            if !r.isEmpty(cLSOA) {
                lid = r.withField(cLSOA) { lsoas.intern($0) }
                if Int(lid) == t.lsoaCodes.count {
                    t.lsoaCodes.append(lsoas.string(lid))
                    t.lsoaNames.append(cName.map { r.string($0) } ?? "")
                }
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
        t.forces = forces.strings
        return (t, acc)
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
