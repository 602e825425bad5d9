import PlaceRiskCore
import Foundation

/// Partial aggregates on disk: a Hive-style folder of parts that any engine (DuckDB, Spark,
/// pyarrow) reads as one table and PlaceRisk's `merge` sums.
///
/// ```
/// OUT/_placerisk.json                         identity: schema, unit, grid, weights, partitioning
/// OUT/force=<f>/month=<YYYY-MM>/part-0.parquet  (or .csv)
/// columns: lsoa_code | cell_id, month, crime_type, n, sum_w, sum_w2
/// ```
/// Partition values are escaped as Hive does (`%XX` for `/ = % : # ? \ " '` and controls). Every
/// Parquet part carries the identity in its footer's key/value metadata too (`placerisk.*`). The
/// folder is built under `OUT.partial-PID` and renamed to OUT when complete; a failure removes it.
public enum PartitionFolder {
    public static let schemaName = "placerisk.partial-aggregate/1"
    public static let manifestName = "_placerisk.json"

    public enum Format: String, Sendable { case parquet, csv }

    /// What makes two partial aggregates mergeable: the same schema, unit, grid and weights.
    public struct Identity: Sendable, Equatable {
        /// `lsoa_code` or `cell_id`.
        public var unit: String
        /// `Grid.spec` for cells, "" for LSOAs.
        public var grid: String
        /// `crime type=weight` pairs sorted by type, `;`-joined; "none" when every incident weighs 1.
        public var weights: String

        public init(unit: String, grid: String, weights: String) {
            self.unit = unit; self.grid = grid; self.weights = weights
        }

        public static func weightsText(_ w: [CrimeType: Double]?) -> String {
            guard let w else { return "none" }
            return w.map { "\($0.key.label)=\($0.value.shortDescription)" }.sorted().joined(separator: ";")
        }

        public var keyValues: [(String, String)] {
            [("placerisk.schema", PartitionFolder.schemaName), ("placerisk.unit", unit), ("placerisk.grid", grid), ("placerisk.weights", weights)]
        }

        public var columnNames: [String] { [unit, "month", "crime_type", "n", "sum_w", "sum_w2"] }
        public var columnTypes: [String] { [unit == "cell_id" ? "int64" : "string", "string", "string", "int64", "double", "double"] }

        /// Weight per crime-type label (nil when "none"); the weights text read back.
        public var weightOfType: [String: Double]? {
            guard weights != "none" else { return nil }
            var out: [String: Double] = [:]
            for pair in weights.split(separator: ";") {
                guard let eq = pair.lastIndex(of: "=") else { continue }
                out[String(pair[..<eq])] = Double(pair[pair.index(after: eq)...])
            }
            return out
        }
    }

    /// Hive's escaping of a partition value.
    public static func escape(_ v: String) -> String {
        var out: [UInt8] = []
        let hex = Array("0123456789ABCDEF".utf8)
        for b in v.utf8 {
            if b < 0x20 || b == 0x7F || "/=%:#?\\\"'".utf8.contains(b) {
                out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0x0F)]]
            } else { out.append(b) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The part's columns; text columns go as codes into the shared labels (`ParquetColumn.Values.dictionary`).
    public static func columns(_ r: StreamingAggregation.PartitionRows, identity: Identity) -> [ParquetColumn] {
        let unit: ParquetColumn
        if identity.unit == "cell_id" {
            unit = ParquetColumn("cell_id", .int64(r.cellIDs))
        } else {
            unit = ParquetColumn("lsoa_code", r.byCell ? .string(r.unitLabels) : .dictionary(codes: r.units.map { Int32(truncatingIfNeeded: $0) }, labels: r.labels.units))
        }
        return [unit, ParquetColumn("month", .dictionary(codes: r.monthCodes, labels: r.labels.months)),
                ParquetColumn("crime_type", .dictionary(codes: r.typeCodes, labels: r.labels.crimeTypes)),
                ParquetColumn("n", .int64(r.n)), ParquetColumn("sum_w", .double(r.sumW)), ParquetColumn("sum_w2", .double(r.sumW2))]
    }

    /// CSV bytes of a table of the partial-aggregate columns.
    public static func csvBytes(_ cols: [ParquetColumn]) throws(CSVError) -> [UInt8] {
        let w = CSVWriter()
        try w.writeRow(cols.map(\.name))
        let n = cols.first?.count ?? 0
        for i in 0 ..< n {
            try w.writeRow(cols.map { c in
                switch c.values {
                case .int32(let v): return String(v[i])
                case .int64(let v): return String(v[i])
                case .double(let v): return v[i].shortDescription
                case .string(let v): return v[i]
                case .dictionary(let codes, let labels): return labels[Int(codes[i])]
                }
            })
        }
        return w.bytes
    }

    /// Builds a partitioned folder.
    public final class Writer {
        public let root: String
        public let staging: String
        public let fields: [String]
        public let format: Format
        public let identity: Identity
        private var partsIn: [String: Int] = [:]
        public private(set) var filesWritten = 0
        public private(set) var rowsWritten = 0
        /// Background writing (`writeInBackground`): one serial queue, at most `queuedBatches` batches
        /// waiting (each at most `StreamingAggregation.flushBatchRows` rows, ~35 MB), and the first
        /// error, which stops every later write. (Six were not faster on the national tree:
        /// 13.5 s against 10.7–12.5 s for two in the same half hour.)
        public static let queuedBatches = 2
        private let queue = DispatchQueue(label: "placerisk.partition-writer")
        private let slots = DispatchSemaphore(value: Writer.queuedBatches)
        private var backgroundError: CSVError?

        public init(root: String, fields: [String], format: Format, identity: Identity) throws(CSVError) {
            self.root = root
            self.fields = fields
            self.format = format
            self.identity = identity
            let fm = FileManager.default
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: root, isDirectory: &isDir) {
                let entries = (try? fm.contentsOfDirectory(atPath: root)) ?? ["?"]
                guard isDir.boolValue, entries.isEmpty else {
                    throw CSVError(.io("already exists and is not an empty folder; remove it or give another --out"), file: root, line: 0, column: 0)
                }
                try? fm.removeItem(atPath: root)
            }
            staging = root + ".partial-\(getpid())"
            try? fm.removeItem(atPath: staging)
            do { try fm.createDirectory(atPath: staging, withIntermediateDirectories: true) } catch {
                throw CSVError(.io("cannot create the output folder: \(error.localizedDescription)"), file: staging, line: 0, column: 0)
            }
        }

        /// A partition's file bytes (or the error encoding gave), with its values and row count.
        public struct EncodedPart: Sendable {
            public var values: [String]
            public var rows: Int
            public var bytes: Swift.Result<[UInt8], CSVError>
        }

        /// The parts' file bytes, encoded on all cores (no state of the writer changes).
        public func encode(_ parts: [StreamingAggregation.PartitionRows]) -> [EncodedPart] {
            let job = UncheckedSendable((parts, identity, format))
            return Parallel.map(parts.count) { i -> EncodedPart in
                let (parts, identity, format) = job.value
                let cols = PartitionFolder.columns(parts[i], identity: identity)
                let bytes: Swift.Result<[UInt8], CSVError>
                do throws(CSVError) {
                    switch format {
                    case .parquet: bytes = .success(ParquetWriter.encode(cols, keyValues: identity.keyValues, createdBy: "placerisk \(PlaceRiskVersion.string)"))
                    case .csv: bytes = .success(try PartitionFolder.csvBytes(cols))
                    }
                } catch { bytes = .failure(error) }
                return EncodedPart(values: parts[i].values, rows: parts[i].count, bytes: bytes)
            }
        }

        /// Encodes the parts now, on all cores, then queues their files to be written, in order, on a
        /// background thread while the caller goes on (reading the next files); blocks only while
        /// `queuedBatches` earlier batches still wait. A failed write (a full disk) removes the
        /// unfinished folder as `write` does, and its error is thrown by the next call here, by
        /// `waitForWrites` or by `finish`.
        public func writeInBackground(_ parts: [StreamingAggregation.PartitionRows]) throws(CSVError) {
            if let e = queue.sync(execute: { backgroundError }) { throw e }
            let encoded = encode(parts)
            slots.wait()
            let job = UncheckedSendable((self, encoded))
            queue.async {
                let (w, encoded) = job.value
                defer { w.slots.signal() }
                guard w.backgroundError == nil else { return }
                do throws(CSVError) { try w.writeEncoded(encoded) } catch { w.backgroundError = error }
            }
        }

        /// Waits until every queued part is written; throws the background error, if any.
        public func waitForWrites() throws(CSVError) {
            if let e = queue.sync(execute: { backgroundError }) { throw e }
        }

        /// Writes one part per partition (the next free `part-N` of its folder).
        public func write(_ parts: [StreamingAggregation.PartitionRows]) throws(CSVError) {
            try writeEncoded(encode(parts))
        }

        /// Writes encoded parts in order, so a disk that fills stops at the same part and leaves the
        /// same error as a serial run.
        func writeEncoded(_ encoded: [EncodedPart]) throws(CSVError) {
            for e in encoded {
                let rel = zip(fields, e.values).map { "\($0)=\(PartitionFolder.escape($1))" }.joined(separator: "/")
                let dir = rel.isEmpty ? staging : staging + "/" + rel
                do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                    throw abandoned(CSVError(.io("cannot create: \(error.localizedDescription)"), file: dir, line: 0, column: 0))
                }
                let k = partsIn[rel, default: 0]
                partsIn[rel] = k + 1
                do throws(CSVError) {
                    try ParquetWriter.writeAtomically(e.bytes.get(), to: dir + "/part-\(k).\(format.rawValue)")
                } catch { throw abandoned(error) }
                filesWritten += 1
                rowsWritten += e.rows
            }
        }

        /// Writes the manifest and moves the finished folder to `root`.
        public func finish(extra: [(String, JSONValue)] = []) throws(CSVError) {
            try waitForWrites()
            let manifest = JSONValue.object([
                ("schema", .string(PartitionFolder.schemaName)), ("unit", .string(identity.unit)), ("grid", .string(identity.grid)),
                ("weights", .string(identity.weights)), ("partition_by", .array(fields.map { .string($0) })),
                ("format", .string(format.rawValue)), ("columns", .array(identity.columnNames.map { .string($0) })),
                ("column_types", .array(identity.columnTypes.map { .string($0) })),
                ("files", .int(filesWritten)), ("rows", .int(rowsWritten)),
            ] + extra)
            do {
                try ParquetWriter.writeAtomically(Array((manifest.serialized() + "\n").utf8), to: staging + "/" + PartitionFolder.manifestName)
            } catch { throw abandoned(error) }
            guard rename(staging, root) == 0 else {
                let why = String(cString: strerror(errno))
                abandon()
                throw CSVError(.io("cannot move the finished folder into place: \(why); nothing was left"), file: root, line: 0, column: 0)
            }
        }

        /// Removes everything written so far.
        public func abandon() {
            queue.sync {} // no background write still running
            removeStaging()
        }

        private func removeStaging() { try? FileManager.default.removeItem(atPath: staging) }

        /// A failed write (a full disk): the unfinished folder is removed and the error says so and
        /// names the part that failed; nothing appears at `root`.
        private func abandoned(_ e: CSVError) -> CSVError {
            removeStaging() // (on the writing thread when writing in the background)
            return CSVError(.io("\(e.reason); the unfinished partition folder was removed and nothing was written to \(root)"),
                            file: e.file.hasPrefix(staging) ? root + e.file.dropFirst(staging.count) : e.file, line: 0, column: 0)
        }
    }
}
