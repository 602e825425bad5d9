import PlaceRiskCore

/// A Parquet file writer (Apache Parquet format 2.x, `parquet.thrift`), written from the
/// specification: one row group, REQUIRED columns, uncompressed data pages v1.
///
/// Layout:
/// ```
/// "PAR1" | per column: [dictionary page] data page … | FileMetaData (Thrift compact) | len (u32 LE) | "PAR1"
/// ```
/// - Strings are dictionary-encoded: a PLAIN dictionary page (u32 LE length + UTF-8 bytes per
///   entry, in first-seen order) and data pages of RLE_DICTIONARY indices: one byte bit width,
///   then the RLE/bit-packing hybrid (runs of ≥ 8 equal indices as RLE runs, the rest bit-packed
///   in groups of 8, least significant bit first).
/// - Numbers are dictionary-encoded the same way (the dictionary page holds PLAIN little-endian
///   values, 4 or 8 bytes each, bit patterns as given: −0.0, 0.0 and NaNs stay apart) when that is
///   smaller than PLAIN — at most `maxNumericDictionary` distinct values and fewer bytes in all, as
///   pyarrow's default `use_dictionary=True` falls back to PLAIN when the dictionary grows — else
///   PLAIN. Counts and weighted sums of an aggregate hold few distinct values, so their columns
///   shrink from 8 bytes a row to a few bits.
/// - Column statistics: `min_value`/`max_value` (PLAIN bytes without length; strings compared as
///   unsigned bytes, the STRING type-defined order; NaN left out of double bounds), `null_count` 0,
///   `distinct_count` for strings; `column_orders` says TYPE_ORDER, so readers may use them.
public enum ParquetWriter {
    /// Values per data page.
    public static let pageValues = 1 << 20
    /// Most distinct values a numeric column is dictionary-encoded with (its dictionary page then
    /// holds at most 512 KiB).
    public static let maxNumericDictionary = 1 << 16
    /// Rows from which the column chunks are encoded in parallel (the bytes are the same).
    static let parallelRows = 1 << 15

    /// The whole file as bytes. `parallel` false encodes the columns one after another (the same bytes).
    public static func encode(_ columns: [ParquetColumn], keyValues: [(String, String)] = [], createdBy: String = "placerisk",
                              parallel: Bool = true) -> [UInt8] {
        precondition(!columns.isEmpty, "ParquetWriter: no columns")
        let rows = columns[0].count
        precondition(columns.allSatisfy { $0.count == rows }, "ParquetWriter: columns differ in length")
        precondition(Set(columns.map(\.name)).count == columns.count, "ParquetWriter: duplicate column names")
        var out: [UInt8] = Array("PAR1".utf8)
        var chunks: [ChunkMeta] = []
        if parallel && rows >= parallelRows && columns.count > 1 {
            // Large tables: each column chunk encoded on its own core, then laid end to end.
            let encoded = Parallel.map(columns.count) { i -> ([UInt8], ChunkMeta) in
                var b: [UInt8] = []
                let m = writeChunk(columns[i], into: &b)
                return (b, m)
            }
            for (b, m) in encoded {
                var m = m
                let base = Int64(out.count)
                m.start += base; m.dataOffset += base
                if let d = m.dictionaryOffset { m.dictionaryOffset = d + base }
                out += b
                chunks.append(m)
            }
        } else {
            for c in columns { chunks.append(writeChunk(c, into: &out)) }
        }

        var m = ThriftCompact.Writer()
        m.i32(1, 2) // version
        m.list(2, .structure, count: columns.count + 1) { w in
            w.elementStruct { s in
                s.string(4, "schema")
                s.i32(5, Int32(columns.count))
            }
            for c in columns { w.elementStruct { s in schemaElement(c, &s) } }
        }
        m.i64(3, Int64(rows))
        m.list(4, .structure, count: 1) { w in
            w.elementStruct { g in
                g.list(1, .structure, count: chunks.count) { l in
                    for ch in chunks { l.elementStruct { cc in columnChunk(ch, &cc) } }
                }
                g.i64(2, chunks.reduce(0) { $0 + $1.size })
                g.i64(3, Int64(rows))
                g.i64(5, chunks[0].start)
                g.i64(6, chunks.reduce(0) { $0 + $1.size })
                g.i16(7, 0)
            }
        }
        if !keyValues.isEmpty {
            m.list(5, .structure, count: keyValues.count) { w in
                for (k, v) in keyValues { w.elementStruct { s in s.string(1, k); s.string(2, v) } }
            }
        }
        m.string(6, createdBy)
        m.list(7, .structure, count: columns.count) { w in
            for _ in columns { w.elementStruct { o in o.structure(1) { _ in } } } // TYPE_ORDER
        }
        m.stop()
        out += m.bytes
        appendU32(&out, UInt32(m.bytes.count))
        out += Array("PAR1".utf8)
        return out
    }

    /// Writes the file at `path` through a temporary name in the same folder, renamed into place
    /// only when every byte is written; on failure the temporary file is removed and nothing is
    /// left at `path`.
    public static func write(_ columns: [ParquetColumn], keyValues: [(String, String)] = [], createdBy: String = "placerisk",
                             to path: String) throws(CSVError) {
        try writeAtomically(encode(columns, keyValues: keyValues, createdBy: createdBy), to: path)
    }

    /// Writes bytes to `path` via `path.tmp-PID` and `rename` (`OutputFile`); removes the temporary
    /// file on failure (a full disk), so nothing at `path` claims to be complete.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(CSVError) {
        let f = try OutputFile(path: path)
        try f.write(bytes)
        try f.commit()
    }

    // MARK: - Column chunks

    struct ChunkMeta {
        var name: String
        var type: Int32
        var count: Int
        var start: Int64
        var size: Int64
        var dictionaryOffset: Int64?
        var dataOffset: Int64
        var encodings: [Int32]
        var minValue: [UInt8]?
        var maxValue: [UInt8]?
        var distinct: Int?
    }

    static func schemaElement(_ c: ParquetColumn, _ s: inout ThriftCompact.Writer) {
        switch c.values {
        case .int32:
            s.i32(1, ParquetCode.int32); s.i32(3, ParquetCode.required); s.string(4, c.name); s.i32(6, ParquetCode.int32Converted)
            s.structure(10) { l in l.structure(10) { i in i.byte(1, 32); i.bool(2, true) } }
        case .int64:
            s.i32(1, ParquetCode.int64); s.i32(3, ParquetCode.required); s.string(4, c.name); s.i32(6, ParquetCode.int64Converted)
            s.structure(10) { l in l.structure(10) { i in i.byte(1, 64); i.bool(2, true) } }
        case .double:
            s.i32(1, ParquetCode.double); s.i32(3, ParquetCode.required); s.string(4, c.name)
        case .string, .dictionary:
            s.i32(1, ParquetCode.byteArray); s.i32(3, ParquetCode.required); s.string(4, c.name); s.i32(6, ParquetCode.utf8)
            s.structure(10) { l in l.structure(1) { _ in } }
        }
    }

    static func columnChunk(_ ch: ChunkMeta, _ cc: inout ThriftCompact.Writer) {
        cc.i64(2, ch.start)
        cc.structure(3) { m in
            m.i32(1, ch.type)
            m.list(2, .i32, count: ch.encodings.count) { l in for e in ch.encodings { l.elementI32(e) } }
            m.list(3, .binary, count: 1) { l in l.elementBinary(Array(ch.name.utf8)) }
            m.i32(4, ParquetCode.uncompressed)
            m.i64(5, Int64(ch.count))
            m.i64(6, ch.size)
            m.i64(7, ch.size)
            m.i64(9, ch.dataOffset)
            if let d = ch.dictionaryOffset { m.i64(11, d) }
            m.structure(12) { s in
                s.i64(3, 0) // null_count
                if let d = ch.distinct { s.i64(4, Int64(d)) }
                if let mx = ch.maxValue { s.binary(5, mx) }
                if let mn = ch.minValue { s.binary(6, mn) }
            }
        }
    }

    static func writeChunk(_ c: ParquetColumn, into out: inout [UInt8]) -> ChunkMeta {
        let start = Int64(out.count)
        var meta = ChunkMeta(name: c.name, type: 0, count: c.count, start: start, size: 0, dictionaryOffset: nil,
                             dataOffset: start, encodings: [ParquetCode.plain])
        switch c.values {
        case .int32(let v):
            meta.type = ParquetCode.int32
            if let lo = v.min(), let hi = v.max() { meta.minValue = le(UInt32(bitPattern: lo)); meta.maxValue = le(UInt32(bitPattern: hi)) }
            writeNumbers(v.map { UInt64(UInt32(bitPattern: $0)) }, width: 4, meta: &meta, into: &out)
        case .int64(let v):
            meta.type = ParquetCode.int64
            if let lo = v.min(), let hi = v.max() { meta.minValue = le(UInt64(bitPattern: lo)); meta.maxValue = le(UInt64(bitPattern: hi)) }
            writeNumbers(v.map { UInt64(bitPattern: $0) }, width: 8, meta: &meta, into: &out)
        case .double(let v):
            meta.type = ParquetCode.double
            let finite = v.filter { !$0.isNaN }
            if var lo = finite.min(), var hi = finite.max() {
                // Parquet: a zero minimum is written as -0.0 and a zero maximum as +0.0.
                if lo == 0 { lo = -0.0 }
                if hi == 0 { hi = 0.0 }
                meta.minValue = le(lo.bitPattern); meta.maxValue = le(hi.bitPattern)
            }
            writeNumbers(v.map(\.bitPattern), width: 8, meta: &meta, into: &out)
        case .string(let v):
            var dict: [String: UInt32] = [:]
            var entries: [[UInt8]] = []
            var ids = [UInt32](repeating: 0, count: v.count)
            for (i, s) in v.enumerated() {
                if let k = dict[s] { ids[i] = k; continue }
                let k = UInt32(entries.count)
                dict[s] = k
                entries.append(Array(s.utf8))
                ids[i] = k
            }
            writeDictionaryChunk(entries: entries, ids: ids, meta: &meta, into: &out)
        case .dictionary(let codes, let labels):
            let (used, ids) = firstSeenCodes(codes, labelCount: labels.count)
            writeDictionaryChunk(entries: used.map { Array(labels[Int($0)].utf8) }, ids: ids, meta: &meta, into: &out)
        }
        meta.size = Int64(out.count) - start
        return meta
    }

    /// The codes renumbered by first appearance — the dictionary a `string` column of the same text
    /// gets — through a small open-addressing table (no table the size of `labelCount`): the label
    /// indices in first-seen order and each row's new id.
    static func firstSeenCodes(_ codes: [Int32], labelCount: Int) -> (used: [Int32], ids: [UInt32]) {
        precondition(codes.allSatisfy { $0 >= 0 && Int($0) < labelCount }, "ParquetWriter: a code outside its label table")
        // At most labelCount distinct codes: the table never fills.
        let (used, ids) = firstSeen(codes.map { UInt64(UInt32(bitPattern: $0)) }, limit: max(1, min(codes.count, labelCount)))!
        return (used.map { Int32(truncatingIfNeeded: $0) }, ids)
    }

    /// The distinct values of `keys` in first-seen order and each row's index into them, through a small
    /// open-addressing table (twice `limit` slots, no table the size of the key space); nil as soon as
    /// more than `limit` distinct values are met.
    static func firstSeen(_ keys: [UInt64], limit: Int) -> (entries: [UInt64], ids: [UInt32])? {
        var cap = 16
        while cap < 2 * limit { cap <<= 1 }
        let shift = UInt64(64 - cap.trailingZeroBitCount)
        var slotKey = [UInt64](repeating: 0, count: cap), slotID = [UInt32](repeating: .max, count: cap)
        var entries: [UInt64] = [], ids = [UInt32](repeating: 0, count: keys.count)
        guard let first = keys.first else { return (entries, ids) }
        var last = first &+ 1, lastID: UInt32 = 0
        for (i, x) in keys.enumerated() {
            if x == last { ids[i] = lastID; continue }
            var s = Int(truncatingIfNeeded: (x &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while slotID[s] != .max && slotKey[s] != x { s = (s + 1) & (cap - 1) }
            if slotID[s] == .max {
                if entries.count == limit { return nil }
                slotKey[s] = x; slotID[s] = UInt32(entries.count); entries.append(x)
            }
            last = x; lastID = slotID[s]
            ids[i] = lastID
        }
        return (entries, ids)
    }

    /// A BYTE_ARRAY chunk of a PLAIN dictionary page (`entries` in id order) and RLE_DICTIONARY data
    /// pages of `ids`, with the byte-order statistics and distinct count.
    static func writeDictionaryChunk(entries: [[UInt8]], ids: [UInt32], meta: inout ChunkMeta, into out: inout [UInt8]) {
        meta.type = ParquetCode.byteArray
        if let lo = entries.min(by: { $0.lexicographicallyPrecedes($1) }), let hi = entries.max(by: { $0.lexicographicallyPrecedes($1) }) {
            meta.minValue = lo; meta.maxValue = hi
        }
        var body: [UInt8] = []
        body.reserveCapacity(entries.reduce(0) { $0 + 4 + $1.count })
        for e in entries { appendU32(&body, UInt32(e.count)); body += e }
        writeDictionaryPages(body: body, entries: entries.count, ids: ids, meta: &meta, into: &out)
    }

    /// A numeric chunk (`bits`: each value's bit pattern, the low `width` bytes written): dictionary
    /// pages when `numericDictionary` finds them smaller, else PLAIN pages. The statistics are the
    /// caller's.
    static func writeNumbers(_ bits: [UInt64], width: Int, meta: inout ChunkMeta, into out: inout [UInt8]) {
        if let (entries, ids) = numericDictionary(bits, width: width) {
            var body: [UInt8] = []
            body.reserveCapacity(entries.count * width)
            for e in entries { for k in 0 ..< width { body.append(UInt8(truncatingIfNeeded: e >> (8 * UInt64(k)))) } }
            writeDictionaryPages(body: body, entries: entries.count, ids: ids, meta: &meta, into: &out)
            meta.distinct = nil // distinct bit patterns, not values (−0.0 and 0.0): no distinct_count for numbers
        } else if width == 4 {
            let v = bits.map { UInt32(truncatingIfNeeded: $0) }
            writePlainPages(count: v.count, into: &out) { r, b in appendLittleEndian(v[r], &b) }
        } else {
            writePlainPages(count: bits.count, into: &out) { r, b in appendLittleEndian(bits[r], &b) }
        }
    }

    /// The distinct bit patterns of `bits` in first-seen order and each row's index into them, when
    /// there are at most `maxNumericDictionary` and the dictionary-encoded chunk (the dictionary's
    /// `width`-byte values, a page header, each row's index in `bitWidth(distinct − 1)` bits) is
    /// smaller than PLAIN's `width` bytes a row; nil otherwise (given up as soon as the distinct
    /// values alone pass the limit).
    static func numericDictionary(_ bits: [UInt64], width: Int) -> (entries: [UInt64], ids: [UInt32])? {
        let rows = bits.count
        // No dictionary can win once its values alone take half the PLAIN bytes.
        let limit = min(maxNumericDictionary, rows / 2)
        guard limit >= 1, let (entries, ids) = firstSeen(bits, limit: limit) else { return nil }
        let indexBytes = (rows * bitWidth(max(entries.count - 1, 1)) + 7) / 8 + 1 + 8
        let dictionaryBytes = entries.count * width + 16
        return dictionaryBytes + indexBytes < rows * width ? (entries, ids) : nil
    }

    /// A PLAIN dictionary page (`body`, `entries` values) at the chunk's start, then RLE_DICTIONARY
    /// data pages of `ids`; sets the chunk's offsets, encodings and distinct count.
    static func writeDictionaryPages(body: [UInt8], entries: Int, ids: [UInt32], meta: inout ChunkMeta, into out: inout [UInt8]) {
        meta.distinct = entries
        meta.dictionaryOffset = meta.start
        var h = ThriftCompact.Writer()
        h.i32(1, ParquetCode.dictionaryPage)
        h.i32(2, Int32(body.count)); h.i32(3, Int32(body.count))
        h.structure(7) { d in d.i32(1, Int32(entries)); d.i32(2, ParquetCode.plain) }
        h.stop()
        out += h.bytes; out += body
        meta.dataOffset = Int64(out.count)
        meta.encodings = [ParquetCode.plain, ParquetCode.rleDictionary]
        let width = bitWidth(max(entries - 1, 1))
        writePages(count: ids.count, encoding: ParquetCode.rleDictionary, into: &out) { r, b in
            b.append(UInt8(width))
            RLEHybrid.encode(ids[r], bitWidth: width, into: &b)
        }
    }

    static func writePlainPages(count: Int, into out: inout [UInt8], _ body: (Range<Int>, inout [UInt8]) -> Void) {
        writePages(count: count, encoding: ParquetCode.plain, into: &out, body)
    }

    /// Data pages v1 of at most `pageValues` values; REQUIRED columns carry no level data.
    static func writePages(count: Int, encoding: Int32, into out: inout [UInt8], _ body: (Range<Int>, inout [UInt8]) -> Void) {
        var lo = 0
        repeat {
            let hi = min(count, lo + pageValues)
            var b: [UInt8] = []
            body(lo ..< hi, &b)
            precondition(b.count <= Int(Int32.max), "ParquetWriter: a page over 2 GiB")
            var h = ThriftCompact.Writer()
            h.i32(1, ParquetCode.dataPage)
            h.i32(2, Int32(b.count)); h.i32(3, Int32(b.count))
            h.structure(5) { d in
                d.i32(1, Int32(hi - lo)); d.i32(2, encoding)
                d.i32(3, ParquetCode.rle); d.i32(4, ParquetCode.rle)
            }
            h.stop()
            out += h.bytes; out += b
            lo = hi
        } while lo < count
    }

    /// Bits needed to hold `n` (≥ 1).
    static func bitWidth(_ n: Int) -> Int { Int.bitWidth - n.leadingZeroBitCount }

    static func le(_ v: UInt32) -> [UInt8] { var b: [UInt8] = []; appendU32(&b, v); return b }
    static func le(_ v: UInt64) -> [UInt8] { var b: [UInt8] = []; appendU64(&b, v); return b }
}

/// PLAIN values: each integer's bytes, least significant first (on a little-endian CPU the memory as it is).
func appendLittleEndian<T: FixedWidthInteger>(_ v: ArraySlice<T>, _ b: inout [UInt8]) {
    #if _endian(little)
    v.withUnsafeBytes { b.append(contentsOf: $0) }
    #else
    b.reserveCapacity(b.count + v.count * MemoryLayout<T>.size)
    for x in v { var y = x; for _ in 0 ..< MemoryLayout<T>.size { b.append(UInt8(truncatingIfNeeded: y)); y >>= 8 } }
    #endif
}

@inline(__always) func appendU32(_ b: inout [UInt8], _ v: UInt32) {
    b.append(UInt8(v & 0xFF)); b.append(UInt8((v >> 8) & 0xFF)); b.append(UInt8((v >> 16) & 0xFF)); b.append(UInt8(v >> 24))
}

@inline(__always) func appendU64(_ b: inout [UInt8], _ v: UInt64) {
    for k in 0 ..< 8 { b.append(UInt8((v >> (8 * UInt64(k))) & 0xFF)) }
}
