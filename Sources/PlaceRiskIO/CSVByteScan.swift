/// `CSVReader.scan`: the byte search the reader and the chunk scanners (`DatedChunkScanner`,
/// `DatedChunkWaves`) share.
extension CSVReader {
    /// Position of the first of the bytes `a`, `b`, `c` in `buf[from..<to]`, or `to`.
    /// Eight bytes at a time (SWAR: a byte equals `k` iff `(x ^ k·0x01…01)` has a zero byte; the
    /// lowest flagged byte of `(v − 0x01…01) & ~v & 0x80…80` is the first zero byte).
    @inline(__always)
    static func scan(_ buf: UnsafeBufferPointer<UInt8>, from: Int, to n: Int, _ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int {
        var p = from
        guard let base = buf.baseAddress else { return n }
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let ka = UInt64(a) &* ones, kb = UInt64(b) &* ones, kc = UInt64(c) &* ones
        while p + 8 <= n {
            let x = UInt64(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self))
            let xa = x ^ ka, xb = x ^ kb, xc = x ^ kc
            let m = ((xa &- ones) & ~xa & highs) | ((xb &- ones) & ~xb & highs) | ((xc &- ones) & ~xc & highs)
            if m != 0 { return p + m.trailingZeroBitCount >> 3 }
            p += 8
        }
        while p < n {
            let v = base[p]
            if v == a || v == b || v == c { return p }
            p += 1
        }
        return n
    }
}
