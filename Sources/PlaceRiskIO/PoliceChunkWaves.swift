import PlaceRiskCore
import Dispatch

extension StreamingAggregation {
    /// The fast path's reading: files in order, each cut into chunks of about `blockSize` bytes at
    /// line ends, a wave of chunks read (`pread`, each worker its own chunk and buffer) and scanned
    /// (`PoliceChunkScanner`) on all cores, then — serially, in file order — the lines the scanner
    /// deferred and any chunk it gave up on go through the general path (`CSVReader` + the loader)
    /// with their file line numbers.
    ///
    /// Chunk ownership: chunk [a, b) owns the lines that start in it, i.e. from just past the first
    /// LF at or after a − 1 (from a itself for the first chunk) to just past the first LF at or after
    /// b − 1. Line numbers are those `CSVReader` gives over the whole file: a line end is LF, CRLF or
    /// a lone CR, so a chunk advances the count by its lines plus the lone CRs in it (all of them in
    /// deferred lines or given-up chunks: a fast line has none).
    struct FastWaves {
        let sources: [ArchiveDiscovery.Source]
        let req: Request
        let workers: Int
        private var fileCursor = 0
        private var current: OpenFile? = nil
        private var headers: [(Int, [String])] = []
        private var buffers: [ChunkBuffer]
        private var deferredCache = ProjectionCache()
        private(set) var bytesRead = 0

        init(sources: [ArchiveDiscovery.Source], req: Request, workers: Int) {
            self.sources = sources
            self.req = req
            self.workers = workers
            buffers = (0 ..< workers).map { _ in ChunkBuffer() }
        }

        /// Header fields of the files opened since the last call (for the header-difference warnings).
        mutating func takeHeaders() -> [(Int, [String])] {
            defer { headers = [] }
            return headers
        }

        /// One open file: its header, scanner (nil: every chunk by the general path), the next chunk
        /// offset and the reader line at the next unprocessed chunk.
        final class OpenFile: @unchecked Sendable {
            let index: Int
            let path: String
            let fd: FileDescriptorBox
            let size: Int
            let header: [UInt8]
            let headerLines: Int
            let scanner: PoliceChunkScanner?
            var offset: Int
            var planned = false
            var readerLine: Int

            init(index: Int, path: String, req: Request) throws(CSVError) {
                self.index = index
                self.path = path
                let d = open(path, O_RDONLY)
                guard d >= 0 else { throw CSVError(.io("cannot open: \(String(cString: strerror(errno)))"), file: path, line: 0, column: 0) }
                fd = FileDescriptorBox(d)
                let end = lseek(d, 0, SEEK_END)
                guard end >= 0 else { throw CSVError(.io("cannot read: \(String(cString: strerror(errno)))"), file: path, line: 0, column: 0) }
                size = Int(end)
                guard size > 0 else { throw CSVError(.empty, file: path, line: 0, column: 0) }
                // The header: up to and including the first LF.
                var h: [UInt8] = []
                var at = 0
                while at < size {
                    let want = min(1 << 16, size - at)
                    var got = [UInt8](repeating: 0, count: want)
                    let n = try FastWaves.preadArray(d, into: &got, count: want, at: at, path: path)
                    if n == 0 { break }
                    if let lf = got[0 ..< n].firstIndex(of: 0x0A) { h += got[0 ... lf]; break }
                    h += got[0 ..< n]
                    at += n
                }
                header = h
                offset = h.count
                let crs = FastWaves.loneCRs(h[...])
                headerLines = h.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } + crs
                readerLine = 1 + headerLines
                // The fast path needs a header of one record naming the required columns.
                var s: PoliceChunkScanner? = nil
                if crs == 0 {
                    var r = CSVReader(bytes: h, name: path, options: .lineBounded)
                    if let more = try? r.next(), more, let cols = PoliceChunkScanner.Columns(header: r.fields.map(PoliceChunkScanner.trimmed)) {
                        s = PoliceChunkScanner(columns: cols, filter: req.filter, unit: req.unit, loadInfo: req.loadInfo)
                    }
                }
                scanner = s
            }
        }

        /// What phase A gives for one chunk.
        struct Scanned: Sendable {
            var fast: PoliceChunkScanner.Output?
            /// The chunk's bytes when the general path reads it whole.
            var whole: [UInt8]?
            var lines = 0
            var loneCRs = 0
            var bytes = 0
            var readSeconds = 0.0, scanSeconds = 0.0
        }

        /// The next wave's blocks in file order; nil when every file has been read.
        mutating func next(caches: inout [ProjectionCache]) throws(CSVError) -> [BlockCounts]? {
            var plan: [(file: OpenFile, a: Int, b: Int)] = []
            var bytes = 0
            while plan.count < 64 && bytes < workers * 4 * req.blockSize {
                if current == nil {
                    guard fileCursor < sources.count else { break }
                    current = try OpenFile(index: fileCursor, path: sources[fileCursor].path, req: req)
                    headers.append((fileCursor, StreamingAggregation.headerFields(current!.header)))
                    fileCursor += 1
                }
                let f = current!
                // A file of a header only still gets one (empty) chunk: its header is checked.
                let a = f.offset, b = min(f.size, a + req.blockSize)
                plan.append((f, a, b))
                f.offset = b
                f.planned = true
                bytes += b - a
                if b >= f.size { current = nil }
            }
            if plan.isEmpty { return nil }

            // Phase A: read and scan on all cores.
            var scanned = [Swift.Result<Scanned, CSVError>?](repeating: nil, count: plan.count)
            let p = plan, bufs = buffers, window = Self.window(blockSize: req.blockSize)
            scanned.withUnsafeMutableBufferPointer { sp in
                caches.withUnsafeMutableBufferPointer { cp in
                    let ctx = UncheckedSendable((sp, cp, p, bufs))
                    let counter = AtomicCounter()
                    DispatchQueue.concurrentPerform(iterations: min(workers, p.count)) { worker in
                        let (sp, cp, plan, bufs) = ctx.value
                        while true {
                            let i = counter.increment()
                            if i >= plan.count { break }
                            do throws(CSVError) {
                                sp[i] = .success(try FastWaves.scanChunk(plan[i].file, plan[i].a, plan[i].b, buffer: bufs[worker], cache: &cp[worker], window: window))
                            } catch { sp[i] = .failure(error) }
                        }
                    }
                }
            }

            // Phase B: in file order, the general path for deferred lines and given-up chunks.
            var parts: [BlockCounts] = []
            for (i, r) in scanned.enumerated() {
                let sc: Scanned
                switch r! {
                case .failure(let e): throw e
                case .success(let x): sc = x
                }
                let f = plan[i].file
                bytesRead += sc.bytes
                if let whole = sc.whole {
                    let reader = CSVReader(bytes: f.header + whole, name: f.path, options: .lineBounded, firstLine: f.readerLine - f.headerLines)
                    var b = try StreamingAggregation.countReader(reader, file: f.index, req, cache: &deferredCache)
                    b.readSeconds = sc.readSeconds
                    parts.append(b)
                    f.readerLine += sc.lines + sc.loneCRs
                    continue
                }
                let o = sc.fast!
                var b = BlockCounts(file: f.index)
                b.keys = o.keys; b.counts = o.counts
                b.unitsAreCodeNumbers = true; b.crimeTypes = o.crimeTypes; b.typeRows = o.typeRows
                b.accounting = o.accounting
                b.located = o.located; b.outsideBNG = o.outsideBNG; b.insideIfSwapped = o.insideIfSwapped
                b.readSeconds = sc.readSeconds; b.parseSeconds = sc.scanSeconds
                b.rowsLoaded = o.rowsLoaded
                b.loadedMonths = o.loadedMonths; b.touchedNumbers = o.touched
                var shift = 0
                var deferredPart: BlockCounts? = nil
                // Line index → lone CRs in the deferred lines before it (fast lines have none).
                var shiftAt: [(line: Int, shift: Int)] = []
                if !o.deferred.isEmpty {
                    var bytes = f.header
                    var numbers = Array(1 ... max(1, f.headerLines))
                    for d in o.deferred {
                        let c = Self.loneCRs(d.bytes[...])
                        let start = f.readerLine + d.line + shift
                        numbers += start ... start + c
                        shift += c
                        if c > 0 { shiftAt.append((d.line, shift)) }
                        bytes += d.bytes
                    }
                    let reader = CSVReader(bytes: bytes, name: f.path, options: .lineBounded, lineNumbers: numbers, stripsBOM: true)
                    deferredPart = try StreamingAggregation.countReader(reader, file: f.index, req, cache: &deferredCache)
                }
                if req.loadInfo {
                    // Crime IDs of the chunk in line order: the fast rows' (file lines now known) and the deferred rows'.
                    var k = 0, s = 0
                    var ids = o.ids.map { e -> (id: CrimeIDLedger.Fingerprint, line: Int) in
                        while k < shiftAt.count && shiftAt[k].line < e.line { s = shiftAt[k].shift; k += 1 }
                        return (e.id, f.readerLine + e.line + s)
                    }
                    if let d = deferredPart, !d.ids.isEmpty {
                        ids += d.ids
                        ids.sort { $0.line < $1.line }
                        deferredPart!.ids = []
                    }
                    b.ids = ids
                }
                parts.append(b)
                if let d = deferredPart { parts.append(d) }
                f.readerLine += o.lines + shift
            }
            return parts
        }

        /// Bytes read and scanned at a time within a chunk of `blockSize` bytes: small enough that the
        /// scan reads what `pread` has just written while it is still in the core's cache (512 KB; a
        /// quarter of the chunk when chunks are small, as in the tests, so that chunks span windows).
        static func window(blockSize: Int) -> Int { min(1 << 19, max(1 << 8, blockSize / 4)) }

        /// Reads the lines chunk [a, b) owns and scans them window by window (or, when the file has
        /// no fast scanner or the scanner gives up, keeps them whole for the general path).
        static func scanChunk(_ f: OpenFile, _ a: Int, _ b: Int, buffer: ChunkBuffer, cache: inout ProjectionCache,
                              window: Int) throws(CSVError) -> Scanned {
            guard let scanner = f.scanner else { return try wholeChunk(f, a, b, buffer: buffer, cache: &cache) }
            let clock = Stopwatch()
            var out = Scanned()
            var st = PoliceChunkScanner.State()
            var scanSeconds = 0.0
            var size = window
            // The first owned line starts just past the first LF at or after a − 1 (at a itself in
            // the first chunk); owned lines end just past the first LF at or after b − 1 (or at the
            // end of the file).
            var pos = a
            if a != f.header.count {
                pos = f.size
                var at = a - 1
                search: while at < f.size {
                    buffer.reserve(size)
                    let n = try fill(f, buffer, at: at, count: min(size, f.size - at))
                    out.bytes += n
                    if n == 0 { break }
                    if let q = memchr(buffer.base, 0x0A, n) { pos = at + buffer.base.distance(to: q.assumingMemoryBound(to: UInt8.self)) + 1; break search }
                    at += n
                }
            }
            let last = b - 1
            while pos < f.size && (pos <= last || b >= f.size) {
                buffer.reserve(size)
                let have = try fill(f, buffer, at: pos, count: min(size, f.size - pos))
                out.bytes += have
                if have == 0 { break } // the file shrank
                let atEnd = pos + have >= f.size
                var cut = -1, done = false
                if b < f.size && pos + have > last {
                    if let q = memchr(buffer.base + (last - pos), 0x0A, have - (last - pos)) {
                        cut = buffer.base.distance(to: q.assumingMemoryBound(to: UInt8.self)) + 1; done = true
                    }
                }
                if cut < 0 && atEnd { cut = have; done = true }
                if cut < 0 {
                    // Whole lines of the window; a line longer than the window doubles it.
                    var q = have - 1
                    while q >= 0 && buffer.base[q] != 0x0A { q -= 1 }
                    guard q >= 0 else { size *= 2; continue }
                    cut = q + 1
                }
                let t = clock.seconds
                scanner.scan(buffer.base, count: cut, cache: &cache, state: &st)
                scanSeconds += clock.seconds - t
                if st.out.gaveUp { return try wholeChunk(f, a, b, buffer: buffer, cache: &cache, tryScanner: false) }
                pos += cut
                if done { break }
            }
            let o = scanner.finish(&st)
            out.fast = o; out.lines = o.lines
            out.scanSeconds = scanSeconds
            out.readSeconds = clock.seconds - scanSeconds
            return out
        }

        /// Reads `count` bytes at file `offset` into the buffer from position `start` (fewer only at the
        /// end of the file); returns the bytes read.
        static func fill(_ f: OpenFile, _ buffer: ChunkBuffer, from start: Int = 0, at offset: Int, count: Int) throws(CSVError) -> Int {
            var have = 0
            while have < count {
                let n = try readInto(f.fd.fd, buffer.base + start + have, count: count - have, at: offset + have, path: f.path)
                if n == 0 { break }
                have += n
            }
            return have
        }

        /// Reads the lines chunk [a, b) owns in one piece and scans them (or keeps them for the general path).
        static func wholeChunk(_ f: OpenFile, _ a: Int, _ b: Int, buffer: ChunkBuffer, cache: inout ProjectionCache,
                               tryScanner: Bool = true) throws(CSVError) -> Scanned {
            let clock = Stopwatch()
            var out = Scanned()
            let first = a == f.header.count
            let r0 = first ? a : a - 1
            // Read to just past the first LF at or after b − 1 (or to the end of the file).
            var have = 0
            var want = min(f.size, b + (1 << 16)) - r0
            var cut = -1
            var ended = false
            while true {
                buffer.reserve(want)
                let got = try fill(f, buffer, from: have, at: r0 + have, count: want - have)
                ended = got < want - have // the end of the file (it may have shrunk)
                have += got
                if ended || b >= f.size || r0 + have >= f.size {
                    cut = have
                    let from = max(0, b - 1 - r0)
                    if b < f.size, from < have, let q = memchr(buffer.base + from, 0x0A, have - from) {
                        cut = buffer.base.distance(to: q.assumingMemoryBound(to: UInt8.self)) + 1
                    }
                    break
                }
                let from = max(0, b - 1 - r0)
                if from < have, let q = memchr(buffer.base + from, 0x0A, have - from) {
                    cut = buffer.base.distance(to: q.assumingMemoryBound(to: UInt8.self)) + 1
                    break
                }
                want = min(f.size - r0, have * 2)
            }
            // Owned lines start just past the first LF at or after a − 1.
            var start = 0
            if !first {
                if let q = memchr(buffer.base, 0x0A, cut) { start = buffer.base.distance(to: q.assumingMemoryBound(to: UInt8.self)) + 1 } else { start = cut }
            }
            out.bytes = have
            out.readSeconds = clock.seconds
            let n = cut - start
            let body = UnsafeBufferPointer(start: buffer.base + start, count: n)
            if tryScanner, let s = f.scanner {
                let o = s.scan(buffer.base + start, count: n, cache: &cache)
                if !o.gaveUp { out.fast = o; out.lines = o.lines; out.scanSeconds = clock.seconds - out.readSeconds; return out }
            }
            out.whole = Array(body)
            var lines = 0
            for x in body where x == 0x0A { lines += 1 }
            if n > 0 && body[n - 1] != 0x0A { lines += 1 }
            out.lines = lines
            out.loneCRs = loneCRs(body[...])
            out.scanSeconds = clock.seconds - out.readSeconds
            return out
        }

        /// CRs not followed by LF: line ends `CSVReader` counts beyond the LFs.
        static func loneCRs<C: Collection>(_ b: C) -> Int where C.Element == UInt8, C.Index == Int {
            var n = 0
            var i = b.startIndex
            while i < b.endIndex {
                if b[i] == 0x0D && (i + 1 == b.endIndex || b[i + 1] != 0x0A) { n += 1 }
                i += 1
            }
            return n
        }

        static func readInto(_ fd: Int32, _ p: UnsafeMutablePointer<UInt8>, count: Int, at offset: Int, path: String) throws(CSVError) -> Int {
            while true {
                let r = pread(fd, p, count, off_t(offset))
                if r >= 0 { return r }
                if errno == EINTR { continue }
                throw CSVError(.io("read failed: \(String(cString: strerror(errno)))"), file: path, line: 0, column: 0)
            }
        }

        static func preadArray(_ fd: Int32, into b: inout [UInt8], count: Int, at offset: Int, path: String) throws(CSVError) -> Int {
            var failure: CSVError? = nil
            let n = b.withUnsafeMutableBufferPointer { p -> Int in
                do throws(CSVError) { return try readInto(fd, p.baseAddress!, count: count, at: offset, path: path) } catch { failure = error; return 0 }
            }
            if let failure { throw failure }
            return n
        }
    }
}

/// A worker's read buffer, reused across chunks, always readable 16 bytes past its capacity (the
/// scanner loads whole words at line ends).
final class ChunkBuffer: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int

    init() {
        capacity = 1 << 16
        base = .allocate(capacity: capacity + 16)
        base.initialize(repeating: 0, count: capacity + 16)
    }

    func reserve(_ n: Int) {
        guard n > capacity else { return }
        let c = max(n, capacity * 2)
        let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: c + 16)
        nb.initialize(repeating: 0, count: c + 16)
        nb.update(from: base, count: capacity)
        base.deallocate()
        base = nb
        capacity = c
    }

    deinit { base.deallocate() }
}
