/// Stable LSD radix sort of 64-bit keys carrying one 64-bit payload each.
///
/// Six passes of 11-bit digits (the last of 9), least significant first; one pass counts all six
/// histograms, and a pass whose digit is the same for every key is skipped (packed keys leave many
/// high bits constant). Stable, so equal keys keep their input order. O(n) time, 32 bytes a value
/// of scratch. For packed aggregate keys (`PartialAggregate.pack`) the order is the components'
/// lexicographic order, most significant first.
public enum KeySort {
    /// Sorts `keys` ascending, moving `payload[i]` with `keys[i]`.
    public static func sort(_ keys: inout [UInt64], carrying payload: inout [Int64]) {
        let n = keys.count
        precondition(payload.count == n, "KeySort: one payload per key")
        guard n > 1 else { return }
        let bits = 11, radix = 1 << bits, passes = 6
        let mask: UInt64 = (1 << UInt64(bits)) - 1
        var hist = [Int](repeating: 0, count: passes * radix)
        keys.withUnsafeBufferPointer { k in
            hist.withUnsafeMutableBufferPointer { h in
                for j in 0 ..< n {
                    let v = k[j]
                    for p in 0 ..< passes { h[p &* radix &+ Int((v >> UInt64(p * bits)) & mask)] &+= 1 }
                }
            }
        }
        var k1 = [UInt64](unsafeUninitializedCapacity: n) { _, c in c = n }
        var p1 = [Int64](unsafeUninitializedCapacity: n) { _, c in c = n }
        for pass in 0 ..< passes {
            let base = pass * radix, shift = UInt64(pass * bits)
            guard RadixSort.startingOffsets(&hist, base: base, radix: radix, count: n) else { continue }
            RadixSort.scatter(keys, payload, into: &k1, &p1, hist: &hist, base: base, shift: shift, mask: mask)
            swap(&keys, &k1); swap(&payload, &p1)
        }
    }
}
