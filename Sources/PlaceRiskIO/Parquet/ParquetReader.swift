import PlaceRiskCore

/// A Parquet file that cannot be read, with the file and what is wrong in plain words.
public struct ParquetError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let reason: String
    public init(file: String, _ reason: String) { self.file = file; self.reason = reason }
    public var description: String { "\(file): \(reason)" }
}

/// Reads the flat Parquet files PlaceRisk and other engines write for tables of numbers and text:
/// top-level INT32, INT64, DOUBLE and BYTE_ARRAY columns, REQUIRED or OPTIONAL without nulls,
/// uncompressed data pages v1, PLAIN or dictionary (PLAIN_DICTIONARY / RLE_DICTIONARY) encoded,
/// any number of row groups. Anything else is a `ParquetError` naming what is not supported.
public struct ParquetFile: Sendable {
    /// One column of the schema.
    public struct Field: Sendable, Equatable {
        public var name: String
        /// `int32`, `int64`, `double` or `string` (BYTE_ARRAY with the STRING / UTF8 annotation), else
        /// `physical type N`.
        public var type: String
        public var required: Bool
        /// The logical type's union field (1 STRING, 10 INTEGER, …) when annotated.
        public var logicalType: Int16?
        public var convertedType: Int64?
    }

    public let path: String
    public let fields: [Field]
    public let rowCount: Int
    /// The footer's key/value metadata.
    public let keyValues: [String: String]
    /// The footer as decoded (for statistics and tests).
    public let metadata: ThriftCompact.Value
    private let bytes: [UInt8]

    /// Reads and checks the footer of the file at `path`.
    public init(path: String) throws(ParquetError) {
        guard let f = fopen(path, "rb") else { throw ParquetError(file: path, "cannot open: \(String(cString: strerror(errno)))") }
        defer { fclose(f) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { data += chunk[0 ..< n] }
            if n < chunk.count { break }
        }
        try self.init(bytes: data, name: path)
    }

    public init(bytes: [UInt8], name: String) throws(ParquetError) {
        path = name
        self.bytes = bytes
        let magic = Array("PAR1".utf8)
        guard bytes.count >= 12, Array(bytes[0 ..< 4]) == magic, Array(bytes[(bytes.count - 4)...]) == magic else {
            throw ParquetError(file: name, "not a Parquet file (no PAR1 marks at its start and end; truncated?)")
        }
        let n = bytes.count
        let len = Int(UInt32(bytes[n - 8]) | UInt32(bytes[n - 7]) << 8 | UInt32(bytes[n - 6]) << 16 | UInt32(bytes[n - 5]) << 24)
        guard len > 0, len <= n - 12 else { throw ParquetError(file: name, "footer length \(len) does not fit a \(n)-byte file") }
        let meta: ThriftCompact.Value
        do { meta = try ThriftCompact.readStruct(bytes, at: n - 8 - len).0 } catch {
            throw ParquetError(file: name, "unreadable footer at byte \(error.offset): \(error.reason)")
        }
        metadata = meta
        guard let schema = meta[2]?.list, let root = schema.first, let rows = meta[3]?.int else {
            throw ParquetError(file: name, "footer lacks the schema or the row count")
        }
        let children = Int(root[5]?.int ?? 0)
        guard children == schema.count - 1 else {
            throw ParquetError(file: name, "nested columns are not supported (the schema is not one flat list of columns)")
        }
        var fs: [Field] = []
        for e in schema.dropFirst() {
            guard let nm = e[4]?.string, let t = e[1]?.int else { throw ParquetError(file: name, "a schema column lacks its name or type") }
            if e[5] != nil { throw ParquetError(file: name, "column '\(nm)' is nested; only flat columns are supported") }
            let rep = e[3]?.int ?? 0
            guard rep != 2 else { throw ParquetError(file: name, "column '\(nm)' is repeated; only flat columns are supported") }
            let logical = e[10]?.fields?.keys.first
            let converted = e[6]?.int
            let typeName: String
            switch Int32(t) {
            case ParquetCode.int32: typeName = "int32"
            case ParquetCode.int64: typeName = "int64"
            case ParquetCode.double: typeName = "double"
            case ParquetCode.byteArray: typeName = (logical == 1 || converted == Int64(ParquetCode.utf8)) ? "string" : "binary"
            default: typeName = "physical type \(t)"
            }
            fs.append(Field(name: nm, type: typeName, required: rep == 0, logicalType: logical, convertedType: converted))
        }
        fields = fs
        rowCount = Int(rows)
        var kv: [String: String] = [:]
        for e in meta[5]?.list ?? [] { if let k = e[1]?.string { kv[k] = e[2]?.string ?? "" } }
        keyValues = kv
    }

    /// The statistics of column `index` in row group `group` (`min_value`, `max_value` bytes, `null_count`).
    public func statistics(column index: Int, group: Int = 0) -> (min: [UInt8]?, max: [UInt8]?, nullCount: Int64?, distinct: Int64?) {
        let s = metadata[4]?.list?[group][1]?.list?[index][3]?[12]
        return (s?[6]?.binary, s?[5]?.binary, s?[3]?.int, s?[4]?.int)
    }

    /// Every column's values, all row groups concatenated.
    public func columns() throws(ParquetError) -> [ParquetColumn] {
        guard let groups = metadata[4]?.list else { throw ParquetError(file: path, "footer lacks the row groups") }
        var out: [ParquetColumn] = fields.map { f in
            switch f.type {
            case "int32": return ParquetColumn(f.name, .int32([]))
            case "int64": return ParquetColumn(f.name, .int64([]))
            case "double": return ParquetColumn(f.name, .double([]))
            default: return ParquetColumn(f.name, .string([]))
            }
        }
        for f in fields where !["int32", "int64", "double", "string"].contains(f.type) {
            throw ParquetError(file: path, "column '\(f.name)' has type \(f.type); only int32, int64, double and UTF-8 strings are supported")
        }
        for (gi, g) in groups.enumerated() {
            guard let chunks = g[1]?.list, chunks.count == fields.count else {
                throw ParquetError(file: path, "row group \(gi) does not have one column chunk per schema column")
            }
            for (ci, ch) in chunks.enumerated() {
                guard ch[1] == nil else { throw ParquetError(file: path, "column '\(fields[ci].name)' lives in another file; not supported") }
                guard let m = ch[3] else { throw ParquetError(file: path, "column chunk \(ci) of row group \(gi) has no metadata") }
                try readChunk(m, field: fields[ci], into: &out[ci].values)
            }
        }
        for c in out where c.count != rowCount {
            throw ParquetError(file: path, "column '\(c.name)' holds \(c.count) values but the footer says \(rowCount) rows")
        }
        return out
    }

    private func readChunk(_ m: ThriftCompact.Value, field: Field, into values: inout ParquetColumn.Values) throws(ParquetError) {
        let name = field.name
        guard (m[4]?.int ?? -1) == Int64(ParquetCode.uncompressed) else {
            throw ParquetError(file: path, "column '\(name)' is compressed (codec \(m[4]?.int ?? -1)); only uncompressed files are supported")
        }
        guard let total = m[5]?.int, let dataOffset = m[9]?.int else { throw ParquetError(file: path, "column '\(name)' lacks its value count or page offset") }
        var p = Int(m[11]?.int ?? dataOffset)
        var dictionary: ParquetColumn.Values?
        var read = 0
        while read < Int(total) {
            guard p >= 4, p < bytes.count - 8 else { throw ParquetError(file: path, "column '\(name)': a page offset \(p) lies outside the file") }
            let header: ThriftCompact.Value, bodyStart: Int
            do { (header, bodyStart) = try ThriftCompact.readStruct(bytes, at: p) } catch {
                throw ParquetError(file: path, "column '\(name)': unreadable page header at byte \(error.offset): \(error.reason)")
            }
            guard let type = header[1]?.int, let size = header[3]?.int, size >= 0, bodyStart + Int(size) <= bytes.count - 8 else {
                throw ParquetError(file: path, "column '\(name)': a page header at byte \(p) is incomplete or its page runs past the footer")
            }
            let body = bodyStart ..< bodyStart + Int(size)
            p = body.upperBound
            switch Int32(type) {
            case ParquetCode.dictionaryPage:
                let n = Int(header[7]?[1]?.int ?? -1)
                guard n >= 0 else { throw ParquetError(file: path, "column '\(name)': a dictionary page without its size") }
                dictionary = try plain(field, body, count: n)
            case ParquetCode.dataPage:
                guard let dh = header[5], let n = dh[1]?.int, let enc = dh[2]?.int else {
                    throw ParquetError(file: path, "column '\(name)': a data page without its header")
                }
                var start = body.lowerBound
                if !field.required {
                    // Definition levels (max level 1): u32 length, then the RLE hybrid with bit width 1.
                    guard start + 4 <= body.upperBound else { throw ParquetError(file: path, "column '\(name)': a page ends before its levels") }
                    let len = Int(UInt32(bytes[start]) | UInt32(bytes[start + 1]) << 8 | UInt32(bytes[start + 2]) << 16 | UInt32(bytes[start + 3]) << 24)
                    guard start + 4 + len <= body.upperBound else { throw ParquetError(file: path, "column '\(name)': levels run past the page") }
                    let levels = bytes.withUnsafeBytes { RLEHybrid.decode($0, from: start + 4, to: start + 4 + len, bitWidth: 1, count: Int(n)) }
                    guard let lv = levels else { throw ParquetError(file: path, "column '\(name)': unreadable definition levels") }
                    if lv.contains(0) { throw ParquetError(file: path, "column '\(name)' has null values; PlaceRisk's tables have none") }
                    start += 4 + len
                }
                let vals: ParquetColumn.Values
                switch Int32(enc) {
                case ParquetCode.plain:
                    vals = try plain(field, start ..< body.upperBound, count: Int(n))
                case ParquetCode.plainDictionary, ParquetCode.rleDictionary:
                    guard let d = dictionary else { throw ParquetError(file: path, "column '\(name)': dictionary-encoded page before any dictionary") }
                    guard start < body.upperBound else { throw ParquetError(file: path, "column '\(name)': an empty dictionary-index page") }
                    let w = Int(bytes[start])
                    let ids = bytes.withUnsafeBytes { RLEHybrid.decode($0, from: start + 1, to: body.upperBound, bitWidth: w, count: Int(n)) }
                    guard let ids, ids.allSatisfy({ Int($0) < d.count }) else {
                        throw ParquetError(file: path, "column '\(name)': dictionary indices are unreadable or out of range")
                    }
                    vals = gather(d, ids)
                default:
                    throw ParquetError(file: path, "column '\(name)': encoding \(enc) is not supported (PLAIN and dictionary only)")
                }
                append(&values, vals)
                read += Int(n)
            case ParquetCode.dataPageV2:
                throw ParquetError(file: path, "column '\(name)': data pages v2 are not supported; write data pages v1")
            default:
                continue // index pages and others carry no values
            }
        }
    }

    private func u32(_ i: Int) -> UInt32 {
        UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
    }

    private func u64(_ i: Int) -> UInt64 { UInt64(u32(i)) | UInt64(u32(i + 4)) << 32 }

    private func plain(_ field: Field, _ r: Range<Int>, count n: Int) throws(ParquetError) -> ParquetColumn.Values {
        let short = ParquetError(file: path, "column '\(field.name)': a page holds fewer bytes than its \(n) values need")
        switch field.type {
        case "int32":
            guard r.count >= 4 * n else { throw short }
            return .int32((0 ..< n).map { Int32(bitPattern: u32(r.lowerBound + 4 * $0)) })
        case "int64":
            guard r.count >= 8 * n else { throw short }
            return .int64((0 ..< n).map { Int64(bitPattern: u64(r.lowerBound + 8 * $0)) })
        case "double":
            guard r.count >= 8 * n else { throw short }
            return .double((0 ..< n).map { Double(bitPattern: u64(r.lowerBound + 8 * $0)) })
        default:
            var out: [String] = []
            out.reserveCapacity(n)
            var p = r.lowerBound
            for _ in 0 ..< n {
                guard p + 4 <= r.upperBound else { throw short }
                let len = Int(u32(p))
                guard p + 4 + len <= r.upperBound else { throw short }
                out.append(String(decoding: bytes[p + 4 ..< p + 4 + len], as: UTF8.self))
                p += 4 + len
            }
            return .string(out)
        }
    }

    private func gather(_ d: ParquetColumn.Values, _ ids: [UInt32]) -> ParquetColumn.Values {
        switch d {
        case .int32(let v): return .int32(ids.map { v[Int($0)] })
        case .int64(let v): return .int64(ids.map { v[Int($0)] })
        case .double(let v): return .double(ids.map { v[Int($0)] })
        case .string(let v): return .string(ids.map { v[Int($0)] })
        case .dictionary: return gather(d.materialized, ids)
        }
    }

    private func append(_ a: inout ParquetColumn.Values, _ b: ParquetColumn.Values) {
        switch (a, b) {
        case (.int32(var x), .int32(let y)): x += y; a = .int32(x)
        case (.int64(var x), .int64(let y)): x += y; a = .int64(x)
        case (.double(var x), .double(let y)): x += y; a = .double(x)
        case (.string(var x), .string(let y)): x += y; a = .string(x)
        default: preconditionFailure("ParquetFile: page values of another type than the column")
        }
    }
}
