import PlaceRiskCore
import Dispatch
#if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
import _Builtin_intrinsics.intel
#endif

/// The dated loader's chunked reading: the data after the header cut into chunks at line ends, a wave
/// of chunks (one per core) each read with `pread`, its line feeds counted and scanned
/// (`DatedChunkScanner`, each with its own `DatedRowParser`) in one step on all cores, then checked in
/// file order and, after the last wave, joined (`DatedRowParser.joined`). The result is
/// `DatedIncidentLoader.readSequential`'s.
///
/// Record boundaries: chunk [a, b) owns the lines that start in it — from just past the first LF at or
/// after a − 1 (from a itself for the first chunk) to just past the first LF at or after b − 1. A line
/// start is a record start unless a quoted field with a line break spans it, and the scanner only ever
/// starts at a line start, so a chunk's parse is speculative: it holds when the chunk before ended at a
/// record boundary (`clean`), which the merge checks in order. When the chunk before ended inside a
/// quoted field (`open`), that record's bytes are joined to this chunk's and scanned again from the
/// record's true start (serially, on the merging thread): exact whatever the quoting, and the cost of
/// a record cut by a chunk end is one chunk read twice.
///
/// Line numbers: each chunk's first line is 1 + the header's lines + the line feeds before it. A chunk
/// is scanned as if it started on line 1 (the feeds before it are not counted yet); in file order its
/// lines are then shifted (`DatedRowParser.shiftLines`: a scan without skips or errors holds lines only
/// in the rows' line column and the first line of each coordinate kind) or, when it has a skip or an
/// error (lines written into text), it is scanned again from its true first line. That is `CSVReader`'s
/// count when the file has no lone CR outside quotes; a file with one (the scanner reports it:
/// `general`), a header that is not one plain line, or anything else the scanner leaves to `CSVReader`
/// is read by `readSequential` from the start.
///
/// Memory: one chunk buffer per core (about `blockSize` bytes each, more for a line longer than that),
/// the chunks' columns until the join, then the joined columns (about twice the result at the peak).
enum DatedChunkWaves {
    /// Chunk size: large enough that the per-chunk merge is noise, small enough to keep memory at a few
    /// chunks (as the police.uk fast path).
    static let defaultBlockSize = 8 << 20

    static func read(path: String, schema: IncidentSchema, lenient: Bool, keep: DatedColumns = .all, blockSize: Int = defaultBlockSize,
                     workers: Int = Parallel.processorCount) throws(CSVError) -> DatedIncidents {
        precondition(blockSize >= 1 && workers >= 1, "DatedChunkWaves.read: blockSize and workers must be positive")
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CSVError(.io("cannot open: \(String(cString: strerror(errno)))"), file: path, line: 0, column: 0) }
        let box = FileDescriptorBox(fd)
        let end = lseek(fd, 0, SEEK_END)
        guard end >= 0 else { throw CSVError(.io("cannot read: \(String(cString: strerror(errno)))"), file: path, line: 0, column: 0) }
        let size = Int(end)
        guard let h = try header(fd: box.fd, size: size, path: path) else {
            return try DatedIncidentLoader.readSequential(path: path, schema: schema, lenient: lenient, keep: keep)
        }
        let header = DatedRowParser.cleanHeader(h.fields)
        let col = try DatedRowParser.columns(header: header, schema: schema, path: path)
        let model = DatedRowParser(path: path, header: header, col: col, schema: schema, lenient: lenient, keep: keep)
        var parts: [DatedRowParser] = []

        // The plan: a chunk count that is a multiple of the workers, chunks of near-equal size.
        let data = size - h.dataStart
        let w = max(1, workers)
        var chunks = data <= 0 ? 0 : (data + blockSize - 1) / blockSize
        if chunks > 1 { chunks = (chunks + w - 1) / w * w }
        let nominal = chunks == 0 ? 0 : (data + chunks - 1) / chunks
        var nextLine = h.firstDataLine
        var carry: [UInt8]? = nil, carryLine = 0
        let slots = (0 ..< min(w, max(chunks, 1))).map { _ in Slot() }
        var k = 0
        while k < chunks {
            let wave = min(slots.count, chunks - k)
            let ctx = UncheckedSendable((slots, k, nominal, h.dataStart, size, box, model))
            // Read, count and scan the wave's chunks on all cores, each as if it starts at a record
            // boundary on line 1 (its true first line is known once the chunks before are counted).
            DispatchQueue.concurrentPerform(iterations: wave) { i in
                let (slots, k, nominal, start, size, box, model) = ctx.value
                let a = start + (k + i) * nominal, b = min(size, a + nominal)
                slots[i].load(fd: box.fd, a: a, b: b, first: k + i == 0, size: size, path: path)
                if slots[i].error == nil { slots[i].scan(model: model, firstLine: 1, path: path) }
            }
            // Check and collect in file order (joined after the last wave).
            for i in 0 ..< wave {
                let s = slots[i]
                if let e = s.error { throw e }
                let firstLine = nextLine
                nextLine += s.lineFeeds
                var parser: DatedRowParser
                var outcome: DatedChunkScanner.Outcome
                var scanned: [UInt8]? = nil
                if let c = carry {
                    // The record before runs into this chunk: scan again from its start.
                    var joined = c
                    s.withOwned { joined.append(contentsOf: $0) }
                    parser = model.fresh()
                    outcome = try joined.withUnsafeBufferPointer { buf throws(CSVError) in
                        try DatedChunkScanner.scan(buf, firstLine: carryLine, atEnd: s.atEnd, name: path, into: &parser)
                    }
                    scanned = joined
                    carry = nil
                } else {
                    // Lines: a scan without skips or errors wrote lines only into the rows' line column and
                    // the first lines of each coordinate kind, which shift by the lines before the chunk;
                    // any other scan wrote them into text (ledger examples, errors) and is read again here
                    // from its true first line.
                    if s.scanError != nil || s.parser!.d.accounting.rowsRead != s.parser!.d.accounting.rowsUsed {
                        s.scan(model: model, firstLine: firstLine, path: path)
                    } else {
                        s.parser!.shiftLines(by: firstLine - 1)
                        if case .open(let at, let line) = s.outcome { s.outcome = .open(at: at, line: line + firstLine - 1) }
                    }
                    if let e = s.scanError { throw e }
                    parser = s.parser!
                    outcome = s.outcome
                }
                s.parser = nil
                switch outcome {
                case .general:
                    return try DatedIncidentLoader.readSequential(path: path, schema: schema, lenient: lenient, keep: keep)
                case .open(let at, let line):
                    if let j = scanned { carry = Array(j[at...]) } else { carry = s.withOwned { Array($0[at...]) } }
                    carryLine = line
                case .clean: break
                }
                parts.append(parser)
            }
            k += wave
        }
        if carry != nil { return try DatedIncidentLoader.readSequential(path: path, schema: schema, lenient: lenient, keep: keep) }
        return try (parts.isEmpty ? model.fresh() : DatedRowParser.joined(parts)).finish()
    }

    /// The header record when it is one plain line (no quote, no lone CR) after any blank lines and a
    /// byte-order mark: its fields (as `CSVReader` reads them), where the data starts and its first
    /// line. Nil: the general reader decides (no header, a quoted or unusual one).
    static func header(fd: Int32, size: Int, path: String) throws(CSVError) -> (fields: [String], dataStart: Int, firstDataLine: Int)? {
        var bytes: [UInt8] = []
        while true {
            let want = min(1 << 16, size - bytes.count)
            if want <= 0 { break }
            let old = bytes.count
            var failed: Int32 = 0
            bytes.append(contentsOf: [UInt8](unsafeUninitializedCapacity: want) { buf, n in
                n = 0
                while n < want {
                    let r = pread(fd, buf.baseAddress! + n, want - n, off_t(old + n))
                    if r < 0 { if errno == EINTR { continue }; failed = errno; break }
                    if r == 0 { break }
                    n += r
                }
            })
            if failed != 0 { throw CSVError(.io("read failed: \(String(cString: strerror(failed)))"), file: path, line: 1, column: 0) }
            if bytes.count == old { break }
            // Enough once a non-blank line has ended.
            if let e = firstRecordLine(bytes), e.end < bytes.count { break }
            if bytes.count >= 16 << 20 { return nil }
        }
        guard let e = firstRecordLine(bytes) else { return nil }
        let line = Array(bytes[0 ..< e.end])
        for k in e.start ..< e.end {
            if line[k] == 0x22 { return nil }
            if line[k] == 0x0D, !(k + 1 < line.count && line[k + 1] == 0x0A) { return nil }
        }
        var r = CSVReader(bytes: line, name: path)
        guard try r.next() else { return nil }
        return (r.fields, e.end, 1 + e.blankLines + 1)
    }

    /// The first non-blank line of `b` (after a BOM): where it starts, just past its line end (or the
    /// end of `b`), and the blank lines before it; nil when `b` has only blank lines or one of them
    /// ends with a lone CR.
    static func firstRecordLine(_ b: [UInt8]) -> (start: Int, end: Int, blankLines: Int)? {
        var p = b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0
        var blank = 0
        while p < b.count {
            if b[p] == 0x0A { p += 1; blank += 1; continue }
            if b[p] == 0x0D {
                guard p + 1 < b.count, b[p + 1] == 0x0A else { return nil }
                p += 2; blank += 1; continue
            }
            break
        }
        guard p < b.count else { return nil }
        var q = p
        while q < b.count, b[q] != 0x0A { q += 1 }
        return (p, q < b.count ? q + 1 : q, blank)
    }

    /// One core's chunk: its bytes, the lines it owns, its scan.
    final class Slot: @unchecked Sendable {
        /// The bytes read (from a − 1, or a for the first chunk; a buffer reused across waves, never
        /// zero-filled) and the owned range in them.
        private var base = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 + padding)
        private var capacity = 1
        /// Bytes allocated past `capacity`, so the owned range is readable 16 bytes past its end (`LineSplitter`).
        static let padding = 16
        /// Bytes per `pread` (a window that stays in the core's cache until its line feeds are counted).
        static let window = 256 << 10
        private var length = 0
        /// Line feeds in the bytes read, counted window by window as they arrive (while in cache).
        private var lineFeedsRead = 0
        private var ownStart = 0, ownEnd = 0
        private(set) var lineFeeds = 0
        private(set) var atEnd = false
        var error: CSVError? = nil
        var parser: DatedRowParser? = nil
        var outcome = DatedChunkScanner.Outcome.clean
        var scanError: CSVError? = nil

        deinit { base.deallocate() }

        private var read: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: length) }

        func withOwned<R>(_ body: (UnsafeBufferPointer<UInt8>) throws(CSVError) -> R) throws(CSVError) -> R {
            try body(UnsafeBufferPointer(start: base + ownStart, count: ownEnd - ownStart))
        }

        func withOwned<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            body(UnsafeBufferPointer(start: base + ownStart, count: ownEnd - ownStart))
        }

        /// Reads chunk [a, b) of the file and finds the lines it owns.
        func load(fd: Int32, a: Int, b: Int, first: Bool, size: Int, path: String) {
            error = nil; parser = nil; scanError = nil; outcome = .clean
            let from = first ? a : a - 1
            length = 0; lineFeedsRead = 0
            do throws(CSVError) {
                try append(fd: fd, at: from, upTo: b, path: path)
                // The owned start: a for the first chunk, else just past the first LF at or after a − 1.
                var s = 0
                // Past b, the search reads on in steps that double from 256 bytes (a line is short).
                var step = 256
                /// Just past the first LF at or after `searched` (reading on as needed), or the end of the file.
                func pastFirstLF(from searched: Int) throws(CSVError) -> Int {
                    var searched = searched
                    while true {
                        if let q = Self.firstLF(read, from: searched) { return q + 1 }
                        searched = length
                        if from + length >= size { return length }
                        try append(fd: fd, at: from + length, upTo: min(size, from + length + step), path: path)
                        step = min(step * 2, 1 << 20)
                    }
                }
                if !first { s = try pastFirstLF(from: 0) }
                // The owned end: just past the first LF at or after b − 1 (the file's end at the last chunk).
                var e: Int
                if b >= size {
                    if from + length < size { try append(fd: fd, at: from + length, upTo: size, path: path) }
                    e = length
                } else {
                    e = try pastFirstLF(from: max(b - 1 - from, s > 0 ? s - 1 : 0))
                }
                if s > e { s = e }
                ownStart = s; ownEnd = e
                atEnd = from + e >= size
                // The owned lines' feeds: those read, less those before and after the owned range.
                lineFeeds = lineFeedsRead - Self.countLF(UnsafeBufferPointer(start: base, count: s))
                    - Self.countLF(UnsafeBufferPointer(start: base + e, count: length - e))
            } catch { self.error = error }
        }

        /// Scans the owned lines with a fresh parser (errors kept for the merge, which decides whether
        /// this scan holds).
        func scan(model: DatedRowParser, firstLine line: Int, path: String) {
            scanError = nil; outcome = .clean
            var p = model.fresh()
            p.reserve(lineFeeds + 1)
            let end = atEnd
            do throws(CSVError) {
                outcome = try withOwned { (buf: UnsafeBufferPointer<UInt8>) throws(CSVError) -> DatedChunkScanner.Outcome in
                    try DatedChunkScanner.scan(buf, firstLine: line, atEnd: end, name: path, padded: true, into: &p)
                }
            } catch { scanError = error }
            parser = p
        }

        private func append(fd: Int32, at offset: Int, upTo limit: Int, path: String) throws(CSVError) {
            let want = limit - offset
            guard want > 0 else { return }
            if length + want > capacity {
                let c = max(length + want, capacity * 2)
                let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: c + Self.padding)
                nb.update(from: base, count: length)
                base.deallocate()
                base = nb; capacity = c
            }
            var failed: Int32 = 0
            var got = 0
            // Windows of `window` bytes, each counted right after it is read.
            while got < want {
                let w = min(want - got, Self.window)
                var inWindow = 0
                while inWindow < w {
                    let r = pread(fd, base + length + got + inWindow, w - inWindow, off_t(offset + got + inWindow))
                    if r < 0 { if errno == EINTR { continue }; failed = errno; break }
                    if r == 0 { break }
                    inWindow += r
                }
                lineFeedsRead += Self.countLF(UnsafeBufferPointer(start: base + length + got, count: inWindow))
                got += inWindow
                if failed != 0 || inWindow < w { break }
            }
            if failed != 0 { throw CSVError(.io("read failed: \(String(cString: strerror(failed)))"), file: path, line: 0, column: 0) }
            length += got
        }

        static func firstLF(_ p: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
            let q = CSVReader.scan(p, from: min(from, p.count), to: p.count, 0x0A, 0x0A, 0x0A)
            return q < p.count ? q : nil
        }

        /// Line feeds in `p`: sixteen bytes at a time on x86-64 (SSE2: each byte's match subtracted from a
        /// byte counter for at most 255 blocks, then `psadbw` sums the counters), eight bytes at a time
        /// (the exact zero-byte test) elsewhere and for the tail.
        static func countLF(_ p: UnsafeBufferPointer<UInt8>) -> Int {
            guard let base = p.baseAddress else { return 0 }
            let n = p.count
            var c = 0, i = 0
            #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
            let newline = _mm_set1_epi8(0x0A), zero = _mm_setzero_si128()
            while i + 16 <= n {
                var counters = _mm_setzero_si128()
                var blocks = 0
                while blocks < 255, i + 16 <= n {
                    let v = _mm_loadu_si128(UnsafeRawPointer(base + i).assumingMemoryBound(to: __m128i.self))
                    counters = _mm_sub_epi8(counters, _mm_cmpeq_epi8(v, newline))
                    i += 16; blocks += 1
                }
                let sums = _mm_sad_epu8(counters, zero)
                c += Int(sums[0]) + Int(sums[1])
            }
            #endif
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080, lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
            let k = UInt64(0x0A) &* ones
            while i + 8 <= n {
                let x = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) ^ k
                // A zero byte of x ↔ its high bit clear in ((x & 0x7F…) + 0x7F…) | x (exact, no borrow).
                let t = (((x & lows) &+ lows) | x) & highs
                c += (t ^ highs).nonzeroBitCount
                i += 8
            }
            while i < n { if base[i] == 0x0A { c += 1 }; i += 1 }
            return c
        }
    }
}
