/// Parquet's RLE / bit-packing hybrid (Apache Parquet format, `Encodings.md`, "Run Length
/// Encoding / Bit-Packing Hybrid (RLE = 3)"), used for dictionary indices and levels.
///
/// ```
/// run         := rle-run | bit-packed-run
/// rle-run     := varint(count << 1)        value in ceil(bitWidth / 8) bytes, little-endian
/// bit-packed  := varint(groups << 1 | 1)   groups × 8 values, bitWidth bits each, LSB first
/// ```
/// Only the last bit-packed group may be padded (readers stop at the page's value count).
public enum RLEHybrid {
    /// Appends `values` (each < 2^bitWidth) encoded with `bitWidth` bits: runs of ≥ 8 equal values
    /// as RLE runs, the values between them bit-packed (a bit-packed run is topped up to a multiple of
    /// 8 from the RLE run that follows it, so only the last group is ever padded). The values waiting
    /// to be bit-packed are always a contiguous range of `values`, so nothing is copied.
    public static func encode(_ values: ArraySlice<UInt32>, bitWidth: Int, into out: inout [UInt8]) {
        precondition(bitWidth >= 1 && bitWidth <= 32, "RLEHybrid: bit width \(bitWidth) out of 1…32")
        values.withUnsafeBufferPointer { v in
            guard let base = v.baseAddress else { return }
            let end = v.count
            var pending = 0 // bit-packed values wait in pending ..< i
            var i = 0
            while i < end {
                let x = base[i]
                var j = i + 1
                while j < end && base[j] == x { j += 1 }
                let run = j - i
                if run >= 8 {
                    // Top up the waiting bit-packed values to a multiple of 8 from this run, then RLE the rest.
                    let fill = (8 - (i - pending) % 8) % 8
                    flushPacked(base, pending ..< i + fill, bitWidth, &out)
                    if run - fill >= 8 {
                        varint(UInt64(run - fill) << 1, &out)
                        for k in 0 ..< (bitWidth + 7) / 8 { out.append(UInt8((x >> (8 * UInt32(k))) & 0xFF)) }
                        pending = j
                    } else {
                        pending = i + fill
                    }
                }
                i = j
            }
            flushPacked(base, pending ..< end, bitWidth, &out)
        }
    }

    /// `values[r]` as one bit-packed run (zero-padded to whole groups of 8).
    private static func flushPacked(_ values: UnsafePointer<UInt32>, _ r: Range<Int>, _ bitWidth: Int, _ out: inout [UInt8]) {
        guard !r.isEmpty else { return }
        let groups = (r.count + 7) / 8
        varint(UInt64(groups) << 1 | 1, &out)
        out.reserveCapacity(out.count + groups * bitWidth + 1)
        var acc: UInt64 = 0, bits = 0
        for g in 0 ..< groups * 8 {
            let v = g < r.count ? UInt64(values[r.lowerBound + g]) : 0
            acc |= v << UInt64(bits)
            bits += bitWidth
            while bits >= 8 { out.append(UInt8(acc & 0xFF)); acc >>= 8; bits -= 8 }
        }
        if bits > 0 { out.append(UInt8(acc & 0xFF)) }
    }

    private static func varint(_ v: UInt64, _ out: inout [UInt8]) {
        var v = v
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    /// Decodes `count` values from `bytes[from ..< to]`; nil when the runs are malformed or too short.
    public static func decode(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int, bitWidth: Int, count: Int) -> [UInt32]? {
        guard bitWidth >= 0 && bitWidth <= 32 else { return nil }
        var out: [UInt32] = []
        out.reserveCapacity(count)
        var p = from
        func varint() -> UInt64? {
            var v: UInt64 = 0, s: UInt64 = 0
            while p < to && s < 64 {
                let b = bytes[p]; p += 1
                v |= UInt64(b & 0x7F) << s
                if b & 0x80 == 0 { return v }
                s += 7
            }
            return nil
        }
        let valueBytes = (bitWidth + 7) / 8
        while out.count < count {
            guard let h = varint() else { return nil }
            if h & 1 == 0 {
                let n = Int(h >> 1)
                guard n > 0, p + valueBytes <= to else { return nil }
                var v: UInt32 = 0
                for k in 0 ..< valueBytes { v |= UInt32(bytes[p + k]) << (8 * UInt32(k)) }
                p += valueBytes
                out += repeatElement(v, count: min(n, count - out.count))
            } else {
                let n = Int(h >> 1) * 8
                guard n > 0, p + (n * bitWidth + 7) / 8 <= to else { return nil }
                var acc: UInt64 = 0, bits = 0
                let mask: UInt64 = bitWidth == 32 ? 0xFFFF_FFFF : (1 << UInt64(bitWidth)) - 1
                for _ in 0 ..< n {
                    while bits < bitWidth { acc |= UInt64(bytes[p]) << UInt64(bits); p += 1; bits += 8 }
                    if out.count < count { out.append(UInt32(acc & mask)) }
                    acc >>= UInt64(bitWidth); bits -= bitWidth
                }
            }
        }
        return out
    }
}
