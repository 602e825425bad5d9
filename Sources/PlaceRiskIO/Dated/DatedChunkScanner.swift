import PlaceRiskCore

/// Reads the records of a byte region that starts at a record boundary exactly as `CSVReader` does
/// (RFC 4180: quoted fields may hold delimiters, doubled quotes and line breaks; blank lines skipped;
/// a quote inside an unquoted field is literal; LF and CRLF line ends; a missing final newline),
/// handing each record to a `DatedRowParser`. Fields are views into the region (a quoted field with
/// doubled quotes is unescaped into a scratch buffer); nothing is copied per row.
///
/// Outcomes:
/// - `clean`: every record of the region was handed over and the region ends at a record boundary;
/// - `open(at:line:)`: a quoted field runs past the end of the region (not the file's end): the record
///   starting at byte `at` (file line `line`) needs the next region's bytes (the caller re-reads from it);
/// - `general`: the region has what this scanner leaves to `CSVReader` — a lone CR outside quotes (a line
///   end `CSVReader` counts, which the line numbers here do not), text after a closing quote, a quote
///   open at the end of the file (both errors of the general reader). The caller reads the file the
///   general way, which gives its results or its error.
///
/// Line numbers: the region's first line is `firstLine`; each LF (inside quotes too) starts a line, as
/// in `CSVReader` for files without lone CRs. Columns are 1-based bytes from the line's start.
struct DatedChunkScanner {
    enum Outcome: Equatable { case clean, open(at: Int, line: Int), general }

    /// One record's fields (the scanner's `DatedFieldSource`).
    struct Record: DatedFieldSource {
        var base: UnsafePointer<UInt8>
        /// Field i: bytes [start, end) of the region, or of `scratch` when `inScratch`; its column.
        struct Span { var start: Int32, end: Int32, column: Int32, inScratch: Bool }
        var spans: [Span] = []
        var scratch: [UInt8] = []
        var recordLine = 0
        var endColumn = 0
        let name: String

        init(base: UnsafePointer<UInt8>, name: String) {
            self.base = base; self.name = name
            spans.reserveCapacity(64)
        }

        var fieldCount: Int { spans.count }
        func isEmpty(_ i: Int) -> Bool { spans[i].start == spans[i].end }
        func column(ofField i: Int) -> Int { Int(spans[i].column) }

        @inline(__always)
        func withField<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
            let s = spans[i]
            let a = Int(s.start), b = Int(s.end)
            if s.inScratch { return try scratch.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[a ..< b])) } }
            return try body(UnsafeBufferPointer(start: base + a, count: b - a))
        }

        func string(_ i: Int) -> String { withField(i) { String(decoding: $0, as: UTF8.self) } }

        func requireFieldCount(_ expected: Int) throws(CSVError) {
            guard fieldCount != expected else { return }
            let c = fieldCount > expected ? Int(spans[expected].column) : endColumn
            throw CSVError(.fieldCount(expected: expected, found: fieldCount), file: name, line: recordLine, column: c)
        }

        @inline(__always)
        mutating func reset(line: Int) {
            spans.removeAll(keepingCapacity: true)
            if !scratch.isEmpty { scratch.removeAll(keepingCapacity: true) }
            recordLine = line
        }

        @inline(__always)
        mutating func add(_ a: Int, _ b: Int, column: Int) {
            spans.append(Span(start: Int32(truncatingIfNeeded: a), end: Int32(truncatingIfNeeded: b), column: Int32(truncatingIfNeeded: column), inScratch: false))
        }

        /// A quoted field's content [a, b) with its doubled quotes made single.
        mutating func addUnescaped(_ a: Int, _ b: Int, column: Int) {
            let s = scratch.count
            var k = a
            while k < b {
                scratch.append(base[k])
                k += base[k] == 0x22 ? 2 : 1
            }
            spans.append(Span(start: Int32(truncatingIfNeeded: s), end: Int32(truncatingIfNeeded: scratch.count), column: Int32(truncatingIfNeeded: column), inScratch: true))
        }
    }

    /// Scans `region` (which starts at a record boundary on file line `firstLine`; `atEnd`: it ends at
    /// the file's end), handing each record to `parser`. Region offsets must fit in 32 bits.
    /// `padded`: the region is readable 16 bytes past its end, so plain lines (`DatedPlainLine`) are
    /// split by `LineSplitter` and their rows offered to the parser's shortcut (`takePlain`) first;
    /// a line that is not plain, or a row the shortcut gives back, is read here byte by byte as always.
    static func scan(_ region: UnsafeBufferPointer<UInt8>, firstLine: Int, atEnd: Bool, name: String, padded: Bool = false,
                     into parser: inout DatedRowParser) throws(CSVError) -> Outcome {
        defer { parser.flushPlain() }
        guard let p = region.baseAddress, region.count > 0 else { return .clean }
        let plain = padded ? parser.plain : nil, fields = parser.n
        // The shortcut's state, held for the whole scan (no reference counting per row).
        let plainRef = plain.map { Unmanaged.passUnretained($0) }
        let starts = plain?.starts, bounds = plain?.bounds, limit = plain?.startsLimit ?? 0
        defer { withExtendedLifetime(plain) {} }
        precondition(region.count < Int(Int32.max), "DatedChunkScanner: a region must be under 2 GiB")
        let count = region.count
        let delim: UInt8 = 0x2C, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D, quote: UInt8 = 0x22
        var rec = Record(base: p, name: name)
        var pos = 0, line = firstLine, lineStart = 0
        while true {
            // Blank lines.
            while pos < count {
                let b = p[pos]
                if b == lf { pos += 1; line += 1; lineStart = pos; continue }
                if b == cr {
                    guard pos + 1 < count, p[pos + 1] == lf else { return .general }
                    pos += 2; line += 1; lineStart = pos; continue
                }
                break
            }
            if pos >= count { return .clean }
            if let u = plainRef, let starts, let bounds {
                let lf = DatedPlainLine.split(p, from: pos, count: count, fields: fields, starts: starts, limit: limit, bounds: bounds)
                if lf >= 0, u._withUnsafeGuaranteedRef({ parser.takePlain($0, p, line: line) }) {
                    pos = lf + 1; line += 1; lineStart = pos
                    continue
                }
            }
            let recordStart = pos, recordLine = line
            rec.reset(line: line)
            fields: while true {
                let column = pos - lineStart + 1
                if pos < count, p[pos] == quote {
                    pos += 1
                    let a = pos
                    var escaped = false
                    while true {
                        let q = CSVReader.scan(region, from: pos, to: count, quote, lf, lf)
                        if q >= count { return atEnd ? .general : .open(at: recordStart, line: recordLine) }
                        if p[q] == lf { line += 1; lineStart = q + 1; pos = q + 1; continue }
                        if q + 1 < count, p[q + 1] == quote { escaped = true; pos = q + 2; continue }
                        pos = q + 1
                        if escaped { rec.addUnescaped(a, q, column: column) } else { rec.add(a, q, column: column) }
                        break
                    }
                    if pos < count {
                        let b = p[pos]
                        if b != delim && b != lf && b != cr { return .general }
                    }
                } else {
                    let e = CSVReader.scan(region, from: pos, to: count, delim, lf, cr)
                    rec.add(pos, e, column: column)
                    pos = e
                }
                if pos >= count {
                    // The file's last record without a final newline (a region that is not the file's
                    // end always ends with a line feed).
                    guard atEnd else { return .open(at: recordStart, line: recordLine) }
                    rec.endColumn = pos - lineStart + 1
                    try parser.take(rec)
                    return .clean
                }
                let b = p[pos]
                if b == delim { pos += 1; continue fields }
                rec.endColumn = pos - lineStart + 1
                if b == cr {
                    guard pos + 1 < count, p[pos + 1] == lf else { return .general }
                    pos += 1
                }
                pos += 1
                try parser.take(rec)
                line += 1; lineStart = pos
                break
            }
        }
    }
}
