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
    /// Appends `values` (each < 2^bitWidth) encoded with `bitWidth` bits.
    public static func encode(_ values: ArraySlice<UInt32>, bitWidth: Int, into out: inout [UInt8]) {
        precondition(bitWidth >= 1 && bitWidth <= 32, "RLEHybrid: bit width \(bitWidth) out of 1…32")
        var pending: [UInt32] = []
        var i = values.startIndex
        let end = values.endIndex
        while i < end {
            var j = i + 1
            while j < end && values[j] == values[i] { j += 1 }
            var run = j - i
            if run >= 8 {
                // Top up a pending bit-packed run to a multiple of 8 from this run, then RLE the rest.
                let fill = (8 - pending.count % 8) % 8
                if fill > 0 { pending += repeatElement(values[i], count: fill); run -= fill }
                flushPacked(&pending, bitWidth, &out)
                if run >= 8 {
                    varint(UInt64(run) << 1, &out)
                    let v = values[i]
                    for k in 0 ..< (bitWidth + 7) / 8 { out.append(UInt8((v >> (8 * UInt32(k))) & 0xFF)) }
                } else {
                    pending += repeatElement(values[i], count: run)
                }
            } else {
                pending += values[i ..< j]
            }
            i = j
        }
        flushPacked(&pending, bitWidth, &out)
    }

    private static func flushPacked(_ pending: inout [UInt32], _ bitWidth: Int, _ out: inout [UInt8]) {
        guard !pending.isEmpty else { return }
        let groups = (pending.count + 7) / 8
        varint(UInt64(groups) << 1 | 1, &out)
        var acc: UInt64 = 0, bits = 0
        for g in 0 ..< groups * 8 {
            let v = g < pending.count ? UInt64(pending[g]) : 0
            acc |= v << UInt64(bits)
            bits += bitWidth
            while bits >= 8 { out.append(UInt8(acc & 0xFF)); acc >>= 8; bits -= 8 }
        }
        if bits > 0 { out.append(UInt8(acc & 0xFF)) }
        pending.removeAll(keepingCapacity: true)
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
