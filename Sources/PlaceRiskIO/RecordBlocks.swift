import PlaceRiskCore

/// Reads a CSV file as its header plus blocks of whole records, so blocks can be parsed in
/// parallel and memory stays at a few blocks whatever the file's size.
///
/// A block ends at a record boundary:
/// - `lineBounded` (police.uk: fields never hold line breaks): at the last line feed;
/// - otherwise by the quote-parity rule (RFC 4180: a line feed ends a record only outside quotes,
///   i.e. after an even number of `"` since the block began): at the last such line feed.
/// A block with no boundary grows until one is found or the file ends. `firstLine` is the file's
/// line number of each block's first byte (line feeds counted), so messages point into the file.
public struct RecordBlocks {
    public let path: String
    public let lineBounded: Bool
    public let blockSize: Int
    /// The header record with its line end.
    public private(set) var header: [UInt8] = []
    /// Lines the header spans.
    public private(set) var headerLines = 0
    private let fd: FileDescriptorBox
    private var carry: [UInt8] = []
    private var eof = false
    private var nextLine = 1
    /// Bytes read so far.
    public private(set) var bytesRead = 0

    public init(path: String, blockSize: Int = 8 << 20, lineBounded: Bool) throws(CSVError) {
        self.path = path
        self.lineBounded = lineBounded
        self.blockSize = max(blockSize, 1 << 12)
        let d = open(path, O_RDONLY)
        guard d >= 0 else { throw CSVError(.io("cannot open: \(String(cString: strerror(errno)))"), file: path, line: 0, column: 0) }
        fd = FileDescriptorBox(d)
        // The header: the first record.
        while true {
            if let cut = boundary(in: carry, searchFrom: 0, first: true) {
                header = Array(carry[0 ..< cut])
                carry.removeFirst(cut)
                break
            }
            if eof { header = carry; carry = []; break }
            try fill(1 << 16)
        }
        headerLines = header.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        nextLine = 1 + headerLines
    }

    /// The next block of whole records and the file line it starts on; nil at the end of the file.
    public mutating func next() throws(CSVError) -> (bytes: [UInt8], firstLine: Int)? {
        var block = carry
        carry = []
        var searched = 0
        while true {
            if !eof { try readMore(into: &block, atLeast: blockSize) }
            if eof {
                guard !block.isEmpty else { return nil }
                return emit(block)
            }
            if let cut = boundary(in: block, searchFrom: searched, first: false) {
                if cut < block.count {
                    carry = Array(block[cut...])
                    block.removeLast(block.count - cut)
                }
                return emit(block)
            }
            searched = block.count
        }
    }

    /// Appends up to `want` bytes read from the file to `b` (fewer only at the end of the file).
    private mutating func readMore(into b: inout [UInt8], atLeast want: Int) throws(CSVError) {
        let old = b.count
        var got = 0
        var failed: Int32 = 0
        var new = [UInt8](unsafeUninitializedCapacity: old + want) { buf, n in
            if old > 0 { b.withUnsafeBufferPointer { src in UnsafeMutableRawPointer(buf.baseAddress!).copyMemory(from: src.baseAddress!, byteCount: old) } }
            while got < want {
                let r = read(fd.fd, buf.baseAddress! + old + got, want - got)
                if r < 0 { if errno == EINTR { continue }; failed = errno; break }
                if r == 0 { eof = true; break }
                got += r
            }
            n = old + got
        }
        if failed != 0 {
            throw CSVError(.io("read failed: \(String(cString: strerror(failed)))"), file: path, line: nextLine, column: 0)
        }
        bytesRead += got
        swap(&b, &new)
    }

    private mutating func emit(_ b: [UInt8]) -> (bytes: [UInt8], firstLine: Int) {
        let line = nextLine
        var n = 0
        b.withUnsafeBufferPointer { p in for x in p where x == 0x0A { n += 1 } }
        nextLine += n
        return (b, line)
    }

    /// Position just past the record boundary to cut at: the first (header) or the last one.
    private func boundary(in b: [UInt8], searchFrom: Int, first: Bool) -> Int? {
        b.withUnsafeBufferPointer { p -> Int? in
            if lineBounded {
                if first {
                    guard let q = p.firstIndex(of: 0x0A) else { return nil }
                    return q + 1
                }
                var i = p.count - 1
                while i >= searchFrom { if p[i] == 0x0A { return i + 1 }; i -= 1 }
                return nil
            }
            // Quote parity from the block's start (blocks start on record boundaries).
            var inQuotes = false, last: Int? = nil
            for i in 0 ..< p.count {
                let x = p[i]
                if x == 0x22 { inQuotes.toggle() } else if x == 0x0A && !inQuotes {
                    if first { return i + 1 }
                    last = i + 1
                }
            }
            return last
        }
    }

    private mutating func fill(_ want: Int) throws(CSVError) {
        var c = carry
        carry = []
        try readMore(into: &c, atLeast: want)
        carry = c
    }
}
