/// A physical line whose fields the chunk scanner can take without its byte-at-a-time RFC 4180 loop:
/// one `LineSplitter` pass (SSE2 comma/LF/quote/CR positions), then the fields' content bounds.
///
/// A line is plain when it ends with LF (CRLF: one CR, just before the LF, and no other) and each of
/// its `n` fields is either
/// - unquoted: it does not start with `"` (a quote inside is literal, as in `CSVReader`), content = the
///   bytes up to the next comma or the line end; or
/// - quoted without escapes: `"` … `"` with no quote between, the closing quote just before a comma or
///   the line end; content = the bytes between the quotes (commas included: the comma positions
///   inside are joined back into the field).
/// These are the fields the exact scanner (`DatedChunkScanner`, `CSVReader`'s rules) gives the same
/// content for: a doubled quote, a quote after a closing quote, a quoted field running past the
/// line end, a lone CR, a line with another field count or more than `limit − 1` commas are not
/// plain (`split` returns −1) and go to the exact scanner, which reads them (or reports them) as always.
enum DatedPlainLine {
    /// Splits the line starting at `pos` of `p` (`count` bytes, readable 16 bytes past `count`) into
    /// `n` fields: field k's content is `bounds[2k] ..< bounds[2k + 1]` (offsets into `p`). Returns the
    /// line's LF offset, or −1 when the line is not plain. `starts` holds `limit` offsets (scratch).
    /// Offsets and indices are bounded by `count` and `limit`, so they are added without overflow checks.
    @inline(__always)
    static func split(_ p: UnsafePointer<UInt8>, from pos: Int, count: Int, fields n: Int,
                      starts: UnsafeMutablePointer<Int>, limit: Int, bounds: UnsafeMutablePointer<Int>) -> Int {
        let line = LineSplitter.split(p, from: pos, count: count, starts: starts, limit: limit)
        guard line.lf < count else { return -1 }
        let pieces = line.separators &+ 1
        guard pieces >= n, pieces <= limit else { return -1 }
        var end = line.lf
        if line.crs != 0 {
            guard line.crs == 1, p[end &- 1] == 0x0D else { return -1 }
            end &-= 1
        }
        if !line.hasQuote {
            guard pieces == n else { return -1 }
            for k in 0 ..< n {
                bounds[2 &* k] = starts[k]
                bounds[2 &* k &+ 1] = k &+ 1 < n ? starts[k &+ 1] &- 1 : end
            }
            return line.lf
        }
        let quote: UInt8 = 0x22
        var f = 0, k = 0
        while k < pieces {
            guard f < n else { return -1 }
            let a = starts[k]
            if p[a] == quote {
                // The piece that ends with the closing quote (not the opening one).
                var j = k
                var e = j &+ 1 < pieces ? starts[j &+ 1] &- 1 : end
                while !(e &- 1 > a && p[e &- 1] == quote) {
                    j &+= 1
                    guard j < pieces else { return -1 }
                    e = j &+ 1 < pieces ? starts[j &+ 1] &- 1 : end
                }
                if hasQuote(p, from: a &+ 1, to: e &- 1) { return -1 }
                bounds[2 &* f] = a &+ 1; bounds[2 &* f &+ 1] = e &- 1
                k = j &+ 1
            } else {
                bounds[2 &* f] = a; bounds[2 &* f &+ 1] = k &+ 1 < pieces ? starts[k &+ 1] &- 1 : end
                k &+= 1
            }
            f &+= 1
        }
        return f == n ? line.lf : -1
    }

    /// Whether `p[from ..< to]` holds a quote: eight bytes at a time (the exact zero-byte test of
    /// `LineSplitter.splitWords` on the bytes xor `"`), then byte by byte.
    @inline(__always)
    static func hasQuote(_ p: UnsafePointer<UInt8>, from: Int, to: Int) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, k = 0x22 &* ones
        var q = from
        while q &+ 8 <= to {
            let v = UnsafeRawPointer(p + q).loadUnaligned(as: UInt64.self) ^ k
            if ~(((v & low7) &+ low7) | v | low7) != 0 { return true }
            q &+= 8
        }
        while q < to { if p[q] == 0x22 { return true }; q &+= 1 }
        return false
    }
}
