import Testing
import PlaceRiskCore
@testable import PlaceRiskIO

/// `LineSplitter`'s word and vector implementations against a byte-at-a-time count of the same
/// line (the definition in its doc comment), on seeded random lines built from the bytes that
/// matter (comma, LF, quote, CR) and others, including bytes ≥ 0x80 (where a word-wise zero-byte
/// test could carry a false match).
@Suite struct LineSplitterTests {
    /// The definition, byte by byte.
    static func naive(_ b: [UInt8], from p: Int, count: Int, limit: Int) -> (line: LineSplitter.Line, starts: [Int]) {
        var line = LineSplitter.Line(lf: count, separators: 0, hasQuote: false, crs: 0)
        var starts = [p]
        var i = p
        while i < count {
            let c = b[i]
            if c == 0x0A { line.lf = i; break }
            if c == 0x2C { line.separators += 1; if line.separators < limit { starts.append(i + 1) } }
            if c == 0x22 { line.hasQuote = true }
            if c == 0x0D { line.crs += 1 }
            i += 1
        }
        return (line, starts)
    }

    static func same(_ a: LineSplitter.Line, _ b: LineSplitter.Line) -> Bool {
        a.lf == b.lf && a.separators == b.separators && a.hasQuote == b.hasQuote && a.crs == b.crs
    }

    @Test func bothImplementationsEqualTheByteCountOnRandomLines() {
        var rng = SeededGenerator(seed: 20_261_201)
        let alphabet: [UInt8] = [0x2C, 0x2C, 0x2C, 0x0A, 0x22, 0x0D, 0x41, 0x7A, 0x30, 0x20, 0x80, 0xFF, 0x2B, 0x2D, 0x0B, 0x09]
        let limit = 12
        let starts = UnsafeMutablePointer<Int>.allocate(capacity: limit + 2)
        defer { starts.deallocate() }
        var checked = 0
        for _ in 0 ..< 3000 {
            let n = Int(rng.next() % 300)
            var bytes = (0 ..< n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let count = bytes.count
            bytes += [UInt8](repeating: 0x2C, count: 16) // readable past count; must be ignored
            var p = 0
            while p < count {
                let want = Self.naive(bytes, from: p, count: count, limit: limit)
                bytes.withUnsafeBufferPointer { buf in
                    let words = LineSplitter.splitWords(buf.baseAddress!, from: p, count: count, starts: starts, limit: limit)
                    #expect(Self.same(words, want.line))
                    #expect((0 ..< want.starts.count).map { starts[$0] } == want.starts)
                    #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
                    let vectors = LineSplitter.splitVectors(buf.baseAddress!, from: p, count: count, starts: starts, limit: limit)
                    #expect(Self.same(vectors, want.line))
                    #expect((0 ..< want.starts.count).map { starts[$0] } == want.starts)
                    #endif
                }
                checked += 1
                p = want.line.lf + 1
            }
        }
        #expect(checked > 3000)
    }

    @Test func aPoliceLineSplitsAtItsTwelveFields() {
        // Hand count: twelve fields (11 commas), the LF last, no quote, the CR before the LF counted.
        let text = "abc,2020-01,Devon & Cornwall Police,Devon & Cornwall Police,-4.1,50.3,On or near X,E01018936,Cornwall 001A,Burglary,,\r\n"
        let bytes = Array(text.utf8) + [UInt8](repeating: 0, count: 16)
        let starts = UnsafeMutablePointer<Int>.allocate(capacity: 14)
        defer { starts.deallocate() }
        let line = bytes.withUnsafeBufferPointer { LineSplitter.split($0.baseAddress!, from: 0, count: bytes.count - 16, starts: starts, limit: 12) }
        #expect(line.separators == 11)
        #expect(line.lf == text.utf8.count - 1)
        #expect(line.crs == 1)
        #expect(!line.hasQuote)
        #expect(starts[1] == 4 && starts[9] == Array(text.utf8).firstIndex(of: UInt8(ascii: "B"))!)
    }
}
