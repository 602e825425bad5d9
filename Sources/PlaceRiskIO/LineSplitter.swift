#if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
import _Builtin_intrinsics.intel
#endif

/// One physical line of a comma-separated file split in one pass: where its fields start, where
/// its LF is, and whether it holds a quote or a CR (which send it to the general reader).
///
/// For the line starting at `p`, with `lf` the first LF at or after `p` (or `count` when there is
/// none):
/// ```
/// separators = #{ i ∈ [p, lf) : buf[i] = ',' }
/// starts[k]  = 1 + (position of the k-th comma),  1 ≤ k < limit   (starts[0] = p)
/// hasQuote   = ∃ i ∈ [p, lf) : buf[i] = '"'
/// crs        = #{ i ∈ [p, lf) : buf[i] = CR }
/// ```
/// Two implementations give the same answer (`LineSplitterTests` compares them, and both with a
/// byte-at-a-time count, on random lines):
/// - `splitWords`, anywhere: eight bytes at a time with the exact zero-byte test
///   `zero(v) = ¬(((v ∧ 0x7F…7F) + 0x7F…7F) ∨ v ∨ 0x7F…7F)` of `v = word ⊕ (c · 0x0101…01)`;
/// - `splitVectors`, on x86-64: sixteen bytes at a time (SSE2 `pcmpeqb` + `pmovmskb`, one bit per
///   byte), the comma, LF, quote and CR masks from one load.
///
/// `buf` must be readable 16 bytes past `count` (bytes past `count` are ignored). Offsets are bounded
/// by `count`, so the vector loop adds without overflow checks (`&+`: no branch per addition).
enum LineSplitter {
    struct Line {
        var lf: Int
        var separators: Int
        var hasQuote: Bool
        var crs: Int
    }

    @inline(__always)
    static func split(_ buf: UnsafePointer<UInt8>, from p: Int, count: Int, starts: UnsafeMutablePointer<Int>, limit: Int) -> Line {
        #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
        return splitVectors(buf, from: p, count: count, starts: starts, limit: limit)
        #else
        return splitWords(buf, from: p, count: count, starts: starts, limit: limit)
        #endif
    }

    #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
    @inline(__always)
    static func splitVectors(_ buf: UnsafePointer<UInt8>, from p: Int, count: Int, starts: UnsafeMutablePointer<Int>, limit: Int) -> Line {
        let comma = _mm_set1_epi8(0x2C), newline = _mm_set1_epi8(0x0A), quote = _mm_set1_epi8(0x22), cr = _mm_set1_epi8(0x0D)
        var line = Line(lf: count, separators: 0, hasQuote: false, crs: 0)
        starts[0] = p
        var w = p
        var quotes: UInt32 = 0
        while w < count {
            let v = _mm_loadu_si128(UnsafeRawPointer(buf + w).assumingMemoryBound(to: __m128i.self))
            var c = UInt32(bitPattern: _mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)))
            var l = UInt32(bitPattern: _mm_movemask_epi8(_mm_cmpeq_epi8(v, newline)))
            var q = UInt32(bitPattern: _mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)))
            var r = UInt32(bitPattern: _mm_movemask_epi8(_mm_cmpeq_epi8(v, cr)))
            if count &- w < 16 {
                let keep: UInt32 = (1 << UInt32(count &- w)) &- 1
                c &= keep; l &= keep; q &= keep; r &= keep
            }
            if l != 0 {
                let bit = UInt32(l.trailingZeroBitCount)
                line.lf = w &+ Int(bit)
                let before: UInt32 = (1 << bit) &- 1
                c &= before; q &= before; r &= before
            }
            quotes |= q
            if r != 0 { line.crs &+= r.nonzeroBitCount } // rare: no POPCNT in the x86-64 baseline
            while c != 0 {
                line.separators &+= 1
                if line.separators < limit { starts[line.separators] = w &+ c.trailingZeroBitCount &+ 1 }
                c &= c &- 1
            }
            if l != 0 { break }
            w &+= 16
        }
        line.hasQuote = quotes != 0
        return line
    }
    #endif

    @inline(__always)
    static func splitWords(_ buf: UnsafePointer<UInt8>, from p: Int, count: Int, starts: UnsafeMutablePointer<Int>, limit: Int) -> Line {
        let ones: UInt64 = 0x0101_0101_0101_0101, low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let kComma = 0x2C &* ones, kLF = 0x0A &* ones, kQuote = 0x22 &* ones, kCR = 0x0D &* ones
        @inline(__always) func zero(_ v: UInt64) -> UInt64 { ~(((v & low7) &+ low7) | v | low7) }
        var line = Line(lf: count, separators: 0, hasQuote: false, crs: 0)
        starts[0] = p
        var w = p
        var quotes: UInt64 = 0
        while w < count {
            let x = UnsafeRawPointer(buf + w).loadUnaligned(as: UInt64.self)
            var c = zero(x ^ kComma), l = zero(x ^ kLF), q = zero(x ^ kQuote), r = zero(x ^ kCR)
            if count - w < 8 {
                let keep: UInt64 = (1 << UInt64(8 * (count - w))) &- 1
                c &= keep; l &= keep; q &= keep; r &= keep
            }
            if l != 0 {
                let bit = UInt64(l.trailingZeroBitCount)
                line.lf = w + Int(bit >> 3)
                let before: UInt64 = (1 << bit) &- 1
                c &= before; q &= before; r &= before
            }
            quotes |= q
            if r != 0 { line.crs += r.nonzeroBitCount } // rare: no POPCNT in the x86-64 baseline
            while c != 0 {
                line.separators += 1
                if line.separators < limit { starts[line.separators] = w + c.trailingZeroBitCount >> 3 + 1 }
                c &= c &- 1
            }
            if l != 0 { break }
            w += 8
        }
        line.hasQuote = quotes != 0
        return line
    }
}
