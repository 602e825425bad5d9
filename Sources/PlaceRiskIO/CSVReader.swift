import PlaceRiskCore
/// A streaming RFC 4180 CSV reader: bytes in, fields out, one record at a time.
///
/// Handles LF and CRLF (and a lone CR) line ends, a UTF-8 byte-order mark, quoted fields with
/// delimiters, doubled quotes (`""`) and line breaks inside, empty fields, and a missing final
/// newline. Blank lines are skipped. Reads the file in fixed-size chunks: memory is O(chunk +
/// longest record), never the whole file. Fields of the current record are stored
/// contiguously, each followed by a NUL byte, and are valid until the next `next()` call.
///
/// Errors (`CSVError`) name the file, the 1-based line and the 1-based byte column. A quote inside
/// an unquoted field is taken literally (as Python's csv module does); text after a closing quote
/// is an error.
///
/// Recovery: after `next()` throws `textAfterClosingQuote` or `quoteOpenAtLineEnd`, the reader has
/// already skipped to the start of the next physical line, so the caller may count the record as
/// malformed and call `next()` again. (`unterminatedQuote` is only thrown at the end of the input.)
///
/// Options: `Options.recordsNeverSpanLines` makes a line end inside quotes end the record (as a
/// malformed one, `quoteOpenAtLineEnd`) instead of becoming part of the field. Use it for formats
/// whose fields never hold line breaks (police.uk street files): one stray opening quote then costs
/// one row, not the rest of the file. The default is RFC 4180 (line breaks allowed inside quotes).
///
/// Limits: one record may hold up to 2 GiB of field bytes (offsets are 32-bit).
///
/// Plain lines (comma-delimited, no quote, LF or CRLF, wholly inside the chunk read) are split in one
/// `LineSplitter` pass (SSE2 on x86-64) instead of field by field: the same fields, columns and line
/// numbers (`CSVReaderTests` compares the two on random text read whole and in small chunks). After
/// a few lines in a row that are not plain, the split rests for a while (a file of quoted fields).
///
/// Complexity: O(bytes), with bulk copies of unquoted runs. A value type, so the hot loop runs
/// without dynamic exclusivity checks; do not copy a reader that is in use (copies share the file).
public struct CSVReader {
    /// Name used in error messages (the path, or a label for in-memory data).
    public let name: String
    public let delimiter: UInt8

    /// Parsing options beyond RFC 4180.
    public struct Options: Sendable, Equatable {
        /// A record is one physical line: a CR or LF inside quotes ends the record, which is then
        /// reported as `quoteOpenAtLineEnd` (reading resumes on the next line). Default false (RFC 4180
        /// §2.6: fields containing line breaks are quoted, so a quoted field may span lines).
        public var recordsNeverSpanLines: Bool

        public init(recordsNeverSpanLines: Bool = false) {
            self.recordsNeverSpanLines = recordsNeverSpanLines
        }

        /// RFC 4180: quoted fields may hold line breaks.
        public static let rfc4180 = Options()
        /// Records never span lines (police.uk street files).
        public static let lineBounded = Options(recordsNeverSpanLines: true)
    }

    /// Parsing options; may be changed before the first `next()` (or between records).
    public var options: Options

    // Source.
    private let file: FileDescriptorBox?
    private var chunk: [UInt8]
    private var chunkCount = 0
    private var pos = 0
    private var eof = false
    private var memory: [UInt8]?
    private var started = false

    // Position tracking (absolute byte offsets).
    private var chunkBase = 0
    private var lineNo = 1
    private var lineStart = 0
    /// The file line of each line of the input, in order (line ends as this reader counts them: LF,
    /// CRLF, a lone CR), when the input is lines gathered from several places of a file (the police
    /// fast path's deferred rows); nil: consecutive from `firstLine`.
    private var lineNumbers: [Int]? = nil
    private var lineIndex = 0

    // Current record.
    private var storage: [UInt8] = []
    /// Where each field of the current record lies in `storage`, and its source column.
    private struct Span { var start: Int32; var end: Int32; var column: Int32 }
    private var spans: [Span] = []
    /// 1-based line on which the current record starts.
    public private(set) var recordLine = 0
    /// 1-based line on which the current record ends (differs when a quoted field spans lines).
    public private(set) var recordEndLine = 0
    /// 1-based byte column just past the last field of the current record.
    public private(set) var recordEndColumn = 0

    /// Opens a file for streaming. `chunkSize` is the read size in bytes.
    public init(path: String, delimiter: UInt8 = UInt8(ascii: ","), chunkSize: Int = 1 << 20,
                options: Options = .rfc4180) throws(CSVError) {
        self.name = path
        self.delimiter = delimiter
        self.options = options
        self.chunk = [UInt8](repeating: 0, count: max(16, chunkSize))
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            let msg = String(cString: strerror(errno))
            throw CSVError(.io("cannot open: \(msg)"), file: path, line: 0, column: 0)
        }
        file = FileDescriptorBox(fd)
    }

    /// Reads from bytes in memory (tests, small inputs, blocks of a larger file). `firstLine` is the
    /// file's line number of the first byte, so positions in messages are the file's.
    public init(bytes: [UInt8], name: String = "<memory>", delimiter: UInt8 = UInt8(ascii: ","),
                options: Options = .rfc4180, firstLine: Int = 1) {
        self.lineNo = firstLine
        self.name = name
        self.delimiter = delimiter
        self.options = options
        self.chunk = []
        self.memory = bytes
        self.file = nil
    }

    /// Reads lines gathered from a file: `lineNumbers[k]` is the file line of the input's k-th line
    /// (so messages point into the file). A byte-order mark is only stripped when `firstLine` of the
    /// file is the input's first line (`stripsBOM`).
    init(bytes: [UInt8], name: String, options: Options, lineNumbers: [Int], stripsBOM: Bool) {
        precondition(!lineNumbers.isEmpty, "CSVReader: lineNumbers needs the first line's number")
        self.init(bytes: bytes, name: name, options: options, firstLine: lineNumbers[0])
        self.lineNumbers = lineNumbers
        self.bomAllowed = stripsBOM
    }

    /// Whether a UTF-8 byte-order mark at the start of the input is skipped.
    private var bomAllowed = true

    /// Whether plain lines take the one-pass split (tests turn it off to compare with the field loop).
    var splitsPlainLines = true
    /// Lines in a row the split gave back (quoted, a lone CR, …), and the line before which it is not
    /// tried again: after `splitMissLimit` misses it rests for `splitRest` lines, so a file of quoted
    /// lines scans each line once, not twice.
    private var splitMisses = 0, splitRestsUntilLine = 0
    private static let splitMissLimit = 4, splitRest = 256
    /// Comma offsets of the line being split (`LineSplitter`; lines with more fields take the field loop).
    private var splitStarts = [Int](repeating: 0, count: CSVReader.splitLimit)
    private static let splitLimit = 64

    /// Fields (by 0-based position) whose bytes need not be kept: they are still parsed and
    /// counted, but read back as empty. Set it after reading the header to skip copying columns
    /// a loader does not use.
    public var skippedFields: [Bool] = []

    /// Number of fields in the current record.
    public var fieldCount: Int { spans.count }

    /// Raw bytes of field `i` (valid until the next `next()`); a NUL follows them in memory.
    @inlinable
    public func withField<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withFieldImpl(i, body)
    }

    @usableFromInline
    func withFieldImpl<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let a = Int(spans[i].start), b = Int(spans[i].end)
        return try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[a ..< b])) }
    }

    /// Field `i` as a String.
    public func string(_ i: Int) -> String {
        withField(i) { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether field `i` is empty.
    public func isEmpty(_ i: Int) -> Bool { spans[i].start == spans[i].end }

    /// Length of field `i` in bytes.
    public func fieldLength(_ i: Int) -> Int { Int(spans[i].end - spans[i].start) }

    /// 1-based byte column where field `i` starts in the source line.
    public func column(ofField i: Int) -> Int { Int(spans[i].column) }

    /// All fields of the current record as Strings.
    public var fields: [String] { (0 ..< fieldCount).map(string) }

    /// The first record of a file (its header), read without loading the rest.
    public static func header(path: String) throws(CSVError) -> [String] {
        var r = try CSVReader(path: path, chunkSize: 1 << 16)
        guard try r.next() else { throw CSVError(.empty, file: path, line: 0, column: 0) }
        return r.fields
    }

    /// Throws `fieldCount` naming the line and column when the record does not have `expected` fields.
    public func requireFieldCount(_ expected: Int) throws(CSVError) {
        guard fieldCount != expected else { return }
        let col = fieldCount > expected ? Int(spans[expected].column) : recordEndColumn
        throw CSVError(.fieldCount(expected: expected, found: fieldCount), file: name, line: recordLine, column: col)
    }

    /// Advances to the next record. Returns false at the end of the input.
    public mutating func next() throws(CSVError) -> Bool {
        storage.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
        if !started {
            started = true
            try fill()
            // UTF-8 byte-order mark.
            if bomAllowed, chunkCount >= 3, chunk[0] == 0xEF, chunk[1] == 0xBB, chunk[2] == 0xBF { pos = 3 }
        }
        while true {
            if pos >= chunkCount {
                if eof { return false }
                try fill()
                if pos >= chunkCount { return false }
            }
            // Skip blank lines.
            let b = chunk[pos]
            if b == 0x0A { advanceLine(pos); pos += 1; continue }
            if b == 0x0D {
                pos += 1
                if try peekLF() { pos += 1 }
                newLine(at: chunkBase + pos)
                continue
            }
            break
        }
        recordLine = lineNo
        try parseRecord()
        return true
    }

    // MARK: parsing

    private func col(_ p: Int) -> Int { chunkBase + p - lineStart + 1 }
    private mutating func advanceLine(_ lfPos: Int) { newLine(at: chunkBase + lfPos + 1) }
    private mutating func newLine(at absolute: Int) {
        if let m = lineNumbers {
            lineIndex += 1
            lineNo = lineIndex < m.count ? m[lineIndex] : m[m.count - 1] + lineIndex - m.count + 1
        } else {
            lineNo += 1
        }
        lineStart = absolute
    }

    private mutating func beginField() {
        spans.append(Span(start: Int32(truncatingIfNeeded: storage.count), end: 0, column: Int32(truncatingIfNeeded: col(pos))))
    }

    private mutating func endField() {
        spans[spans.count - 1].end = Int32(truncatingIfNeeded: storage.count)
        storage.append(0)
    }

    /// After a CR, whether the next byte (possibly in the next chunk) is LF.
    private mutating func peekLF() throws(CSVError) -> Bool {
        if pos >= chunkCount {
            if eof { return false }
            try fill()
            if pos >= chunkCount { return false }
        }
        return chunk[pos] == 0x0A
    }

    /// The record at `pos` when it is a plain line (see the type's comment): its fields copied and
    /// `pos` past its line end, as `parseRecord` leaves them; false (nothing changed) otherwise.
    @inline(__always)
    private mutating func takePlainLine() -> Bool {
        // The splitter reads 16 bytes at a time: the line must end before the chunk's last 16.
        let safe = chunkCount &- 16
        guard splitsPlainLines, delimiter == 0x2C, pos < safe, lineNo >= splitRestsUntilLine else { return false }
        let limit = Self.splitLimit, from = pos
        // Column of offset a: 1 + the bytes before it in its line (`col`).
        let columnBase = chunkBase &- lineStart &+ 1
        var starts = [Int]()
        swap(&starts, &splitStarts)
        defer { swap(&starts, &splitStarts) }
        // (end of the record's last field, its LF), or nil: not plain.
        let taken: (end: Int, lf: Int)? = chunk.withUnsafeBufferPointer { c in
            starts.withUnsafeMutableBufferPointer { st in
                let starts = st.baseAddress!
                let line = LineSplitter.split(c.baseAddress!, from: from, count: safe, starts: starts, limit: limit)
                guard line.lf < safe, !line.hasQuote, line.separators < limit else { return nil }
                var end = line.lf
                if line.crs != 0 {
                    // A lone CR ends a line here: only CRLF's CR is plain.
                    guard line.crs == 1, c[end &- 1] == 0x0D else { return nil }
                    end &-= 1
                }
                let n = line.separators &+ 1
                for k in 0 ..< n {
                    let a = starts[k], e = k &+ 1 < n ? starts[k &+ 1] &- 1 : end
                    let at = Int32(truncatingIfNeeded: storage.count)
                    if e > a, !(k < skippedFields.count && skippedFields[k]) {
                        storage.append(contentsOf: UnsafeBufferPointer(rebasing: c[a ..< e]))
                    }
                    spans.append(Span(start: at, end: Int32(truncatingIfNeeded: storage.count), column: Int32(truncatingIfNeeded: columnBase &+ a)))
                    storage.append(0)
                }
                return (end, line.lf)
            }
        }
        guard let taken else {
            splitMisses += 1
            if splitMisses >= Self.splitMissLimit { splitMisses = 0; splitRestsUntilLine = lineNo + Self.splitRest }
            return false
        }
        splitMisses = 0
        pos = taken.end
        finishRecord()
        pos = taken.lf &+ 1
        newLine(at: chunkBase &+ pos)
        return true
    }

    private mutating func parseRecord() throws(CSVError) {
        if takePlainLine() { return }
        let d = delimiter
        beginField()
        while true {
            // Start of a field: quoted or not.
            if pos >= chunkCount {
                if !eof { try fill() }
                if pos >= chunkCount { endField(); finishRecord(); return }
            }
            if chunk[pos] == 0x22 {
                try parseQuoted()
            }
            // Unquoted run (or the rest after a quoted field: must be a delimiter or line end).
            while true {
                if pos >= chunkCount {
                    if !eof { try fill() }
                    if pos >= chunkCount { endField(); finishRecord(); return }
                }
                let runStart = pos
                var p = pos
                let n = chunkCount
                let end: UInt8 = chunk.withUnsafeBufferPointer { c in
                    p = CSVReader.scan(c, from: p, to: n, d, 0x0A, 0x0D)
                    return p < n ? c[p] : 0
                }
                if p > runStart, !skipCurrentField { keep(runStart, p) }
                pos = p
                if p >= n { continue } // refill and keep scanning the same field
                if end == d {
                    pos += 1
                    endField()
                    beginField()
                    break // next field
                }
                // Line end.
                endField()
                finishRecord()
                if end == 0x0A { advanceLine(pos); pos += 1 } else {
                    pos += 1
                    if try peekLF() { pos += 1 }
                    newLine(at: chunkBase + pos)
                }
                return
            }
        }
    }

    /// Copies `chunk[a..<b]` to the current field (through a buffer pointer: no slice retain).
    @inline(__always)
    private mutating func keep(_ a: Int, _ b: Int) {
        chunk.withUnsafeBufferPointer { c in storage.append(contentsOf: UnsafeBufferPointer(rebasing: c[a ..< b])) }
    }

    /// Whether the field being parsed is one whose bytes are not kept.
    private var skipCurrentField: Bool {
        let i = spans.count - 1
        return i < skippedFields.count && skippedFields[i]
    }

    private mutating func finishRecord() {
        recordEndLine = lineNo
        recordEndColumn = col(pos)
    }

    /// Parses a quoted field starting at the opening quote; leaves `pos` just past the closing quote,
    /// which must be followed by a delimiter, a line end or the end of input. On a thrown
    /// `textAfterClosingQuote` or `quoteOpenAtLineEnd`, `pos` is at the start of the next line.
    private mutating func parseQuoted() throws(CSVError) {
        let openLine = lineNo, openCol = col(pos)
        let bounded = options.recordsNeverSpanLines
        // Bytes that stop the quoted scan: the quote, LF, and (line-bounded only) CR.
        let stop3: UInt8 = bounded ? 0x0D : 0x0A
        pos += 1
        while true {
            if pos >= chunkCount {
                if !eof { try fill() }
                if pos >= chunkCount {
                    // The end of input ends the last line too.
                    throw CSVError(bounded ? .quoteOpenAtLineEnd : .unterminatedQuote, file: name, line: openLine, column: openCol)
                }
            }
            let runStart = pos
            var p = pos
            let n = chunkCount
            chunk.withUnsafeBufferPointer { c in p = CSVReader.scan(c, from: p, to: n, 0x22, 0x0A, stop3) }
            if p > runStart, !skipCurrentField { keep(runStart, p) }
            pos = p
            if p >= n { continue }
            if bounded, chunk[p] != 0x22 {
                // A line end inside quotes: this record is malformed; resume on the next line.
                let e = CSVError(.quoteOpenAtLineEnd, file: name, line: openLine, column: openCol)
                endField()
                finishRecord()
                try consumeLineEnd()
                throw e
            }
            if chunk[p] == 0x0A {
                if !skipCurrentField { storage.append(0x0A) }
                advanceLine(p)
                pos += 1
                continue
            }
            // A quote: doubled (literal quote) or closing.
            pos += 1
            if pos >= chunkCount, !eof { try fill() }
            if pos < chunkCount, chunk[pos] == 0x22 {
                if !skipCurrentField { storage.append(0x22) }
                pos += 1
                continue
            }
            // Closing quote: the next byte must end the field.
            if pos < chunkCount {
                let b = chunk[pos]
                if b != delimiter && b != 0x0A && b != 0x0D {
                    let e = CSVError(.textAfterClosingQuote, file: name, line: lineNo, column: col(pos))
                    endField()
                    finishRecord()
                    try skipRestOfLine()
                    throw e
                }
            }
            return
        }
    }

    /// At a CR or LF: steps past the line end (CRLF counts once).
    private mutating func consumeLineEnd() throws(CSVError) {
        if chunk[pos] == 0x0A { advanceLine(pos); pos += 1; return }
        pos += 1
        if try peekLF() { pos += 1 }
        newLine(at: chunkBase + pos)
    }

    /// Skips the bytes up to and including the next line end (or to the end of input), without
    /// reading quotes: recovery after a malformed record.
    private mutating func skipRestOfLine() throws(CSVError) {
        while true {
            if pos >= chunkCount {
                if eof { return }
                try fill()
                if pos >= chunkCount { return }
            }
            var p = pos
            let n = chunkCount
            chunk.withUnsafeBufferPointer { c in p = CSVReader.scan(c, from: p, to: n, 0x0A, 0x0D, 0x0D) }
            pos = p
            if p < n { try consumeLineEnd(); return }
        }
    }

    /// Loads the next chunk, keeping no bytes of the old one (fields are copied as parsed).
    private mutating func fill() throws(CSVError) {
        chunkBase += chunkCount
        pos = 0
        if let m = memory {
            if chunkCount == 0 && chunkBase == 0 && chunk.isEmpty {
                chunk = m
                chunkCount = m.count
            } else {
                chunkCount = 0
            }
            eof = true
            return
        }
        let got = chunk.withUnsafeMutableBytes { buf -> Int in
            var r: Int
            repeat { r = read(file!.fd, buf.baseAddress, buf.count) } while r < 0 && errno == EINTR
            return r
        }
        if got < 0 {
            let msg = String(cString: strerror(errno))
            throw CSVError(.io("read failed: \(msg)"), file: name, line: lineNo, column: 0)
        }
        chunkCount = got
        if got == 0 { eof = true }
    }
}

/// Owns an open file descriptor and closes it when the last reader copy goes away.
final class FileDescriptorBox: @unchecked Sendable {
    let fd: Int32
    init(_ fd: Int32) { self.fd = fd }
    deinit { close(fd) }
}
