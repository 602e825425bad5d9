/// Stable LSD radix sorting of Doubles by their order-preserving integer keys.
///
/// ```
/// key(v) = bits(v) XOR 0x8000…0   for v ≥ +0        (sign bit flipped)
///        = NOT bits(v)              for v < 0          (every bit flipped)
/// ```
/// so that key(a) < key(b) ⇔ a < b for non-NaN a, b; −0 is read as +0 first, so −0 and +0 get the same
/// key (they are equal values, as `==` says). Six passes of 11-bit digits (histograms counted in one
/// pass; a digit equal for every key is skipped), stable, so equal values keep their index order —
/// the same order as a comparison sort by (value, index). O(n) time, 2 × (8 + 4) bytes per value.
enum RadixSort {
    /// The order-preserving UInt64 key of a non-NaN Double (−0 and +0 share the key of +0).
    @inline(__always)
    static func key(_ v: Double) -> UInt64 {
        let b = (v == 0 ? 0.0 : v).bitPattern
        return b & (1 << 63) != 0 ? ~b : b | (1 << 63)
    }

    /// Turns one pass's digit histogram `hist[base ..< base + radix]` into each digit's first output
    /// position (exclusive prefix sums); false, leaving it as it was, when one digit holds all `count`
    /// keys (the pass would not move anything and is skipped).
    @inline(__always)
    static func startingOffsets(_ hist: inout [Int], base: Int, radix: Int, count n: Int) -> Bool {
        var sum = 0
        for d in 0 ..< radix {
            let c = hist[base + d]
            if c == n { return false }
            hist[base + d] = sum; sum += c
        }
        return true
    }

    /// One stable counting-sort pass: each key `keys[j]` (and its payload) goes to the slot its digit
    /// `(key >> shift) & mask` points at in `hist[base …]` (the starting offsets of `startingOffsets`,
    /// advanced as slots fill), in input order — the scatter step every radix sort here shares.
    @inline(__always)
    static func scatter<P>(_ keys: [UInt64], _ payload: [P], into ko: inout [UInt64], _ po: inout [P],
                           hist: inout [Int], base: Int, shift: UInt64, mask: UInt64) {
        let n = keys.count
        keys.withUnsafeBufferPointer { ks in
            payload.withUnsafeBufferPointer { ps in
                ko.withUnsafeMutableBufferPointer { ko in
                    po.withUnsafeMutableBufferPointer { po in
                        hist.withUnsafeMutableBufferPointer { h in
                            for j in 0 ..< n {
                                let v = ks[j], d = base &+ Int((v >> shift) & mask)
                                let at = h[d]; h[d] = at &+ 1
                                ko[at] = v; po[at] = ps[j]
                            }
                        }
                    }
                }
            }
        }
    }

    /// Indices of `x` in ascending order of value, ties by index, with the sorted keys (equal keys ⇔
    /// equal values). `x` must hold no NaN and fewer than 2³² values.
    static func argsort(_ x: [Double]) -> (keys: [UInt64], order: [UInt32]) {
        let r = sortCarrying(x, payload: (0 ..< UInt32(truncatingIfNeeded: x.count)).map { $0 })
        return (r.keys, r.payload)
    }

    /// The keys of `x` sorted ascending (stable) with `payload[i]` carried along with each value (nil:
    /// the index i, as `argsort`), so a caller needing a per-value code in sorted order reads it
    /// sequentially instead of gathering it through the order.
    static func sort(_ x: [Double], payload: [UInt32]?) -> (keys: [UInt64], order: [UInt32]) {
        let n = x.count
        precondition(n <= Int(UInt32.max), "RadixSort: at most 2^32 - 1 values")
        precondition(payload == nil || payload!.count == n, "RadixSort: one payload per value")
        let bits = 11, radix = 1 << 11, passes = 6
        let mask: UInt64 = (1 << 11) - 1
        var k0 = [UInt64](repeating: 0, count: n), i0 = [UInt32](repeating: 0, count: n)
        var k1 = [UInt64](repeating: 0, count: n), i1 = [UInt32](repeating: 0, count: n)
        var hist = [Int](repeating: 0, count: passes * radix)
        if let payload { i0 = payload }
        let carry = payload != nil
        x.withUnsafeBufferPointer { xp in
            k0.withUnsafeMutableBufferPointer { kp in
                i0.withUnsafeMutableBufferPointer { ip in
                    hist.withUnsafeMutableBufferPointer { h in
                        for j in 0 ..< n {
                            let v = key(xp[j])
                            kp[j] = v
                            if !carry { ip[j] = UInt32(truncatingIfNeeded: j) }
                            for p in 0 ..< passes { h[p &* radix &+ Int((v >> UInt64(p &* bits)) & mask)] &+= 1 }
                        }
                    }
                }
            }
        }
        for pass in 0 ..< passes {
            let base = pass * radix, shift = UInt64(pass * bits)
            guard startingOffsets(&hist, base: base, radix: radix, count: n) else { continue }
            scatter(k0, i0, into: &k1, &i1, hist: &hist, base: base, shift: shift, mask: mask)
            swap(&k0, &k1); swap(&i0, &i1)
        }
        return (k0, i0)
    }
}

/// A NaN-free sample sorted once: its order, the groups of equal values, mid-ranks and tie structure.
/// Built by one radix sort (`RadixSort`); reused when one variable is correlated with many.
struct RankedSample: Sendable {
    let count: Int
    /// Indices in ascending order of value, ties by index.
    let order: [UInt32]
    /// Per value, the 0-based index of its group of equal values (groups in ascending value order);
    /// empty when built with `groups: false`.
    let group: [Int32]
    /// Start of each group in `order`, then `count` (groups + 1 entries).
    let groupStart: [Int]
    /// Mid-ranks 1…n (`Ranks.midRanks`).
    let midRanks: [Double]
    /// Sizes of the groups of size ≥ 2, ascending value order (`Ranks.ties`).
    let ties: TieSummary

    /// `groups: false` leaves `group` empty (mid-ranks and ties only: enough for Spearman).
    init(_ x: [Double], groups: Bool = true) {
        precondition(!x.contains(where: \.isNaN), "Ranks: NaN has no rank; drop NaN values first")
        let n = x.count
        precondition(n < Int(Int32.max), "RankedSample: fewer than 2^31 - 1 values")
        let (keys, order) = RadixSort.argsort(x)
        var group = [Int32](repeating: 0, count: groups ? n : 0)
        var ranks = [Double](repeating: 0, count: n)
        var starts: [Int] = [], sizes: [Int] = []
        keys.withUnsafeBufferPointer { k in
            order.withUnsafeBufferPointer { o in
                group.withUnsafeMutableBufferPointer { g in
                    ranks.withUnsafeMutableBufferPointer { r in
                        var s = 0
                        while s < n {
                            var e = s + 1
                            while e < n && k[e] == k[s] { e += 1 }
                            // Positions s…e−1 (0-based) hold ranks s+1 … e; their mean:
                            let mid = Double(s + e + 1) / 2
                            let id = Int32(truncatingIfNeeded: starts.count)
                            starts.append(s)
                            if e - s > 1 { sizes.append(e - s) }
                            if groups {
                                for j in s ..< e { let i = Int(o[j]); r[i] = mid; g[i] = id }
                            } else {
                                for j in s ..< e { r[Int(o[j])] = mid }
                            }
                            s = e
                        }
                    }
                }
            }
        }
        starts.append(n)
        self.count = n; self.order = order; self.group = group; self.groupStart = starts
        self.midRanks = ranks; self.ties = TieSummary(groupSizes: sizes)
    }

    /// Number of distinct values.
    var groupCount: Int { groupStart.count - 1 }
}

/// Counting discordant pairs (Knight 1966) on integer codes or keys.
enum Inversions {
    /// Number of pairs i < j with a[i] > a[j] (strict); sorts `a`. See `count(_:scratch:)`.
    static func count<T: FixedWidthInteger>(_ a: inout [T]) -> Int {
        let n = a.count
        if n < 2 { return 0 }
        var scratch = [T](repeating: 0, count: n)
        return a.withUnsafeMutableBufferPointer { p in
            scratch.withUnsafeMutableBufferPointer { s in count(p, scratch: s) }
        }
    }

    /// Number of pairs i < j with p[i] > p[j] (strict): insertion sort of blocks of 32 (counting the
    /// shifts), then bottom-up merges with a branch-free inner loop (two runs already in order are
    /// copied); sorts `p` in place, `scratch` (at least `p.count` values) is overwritten. O(n log n).
    static func count<T: FixedWidthInteger>(_ p: UnsafeMutableBufferPointer<T>, scratch: UnsafeMutableBufferPointer<T>) -> Int {
        let n = p.count, block = 32
        precondition(scratch.count >= n, "Inversions.count: scratch too small")
        var inv = 0
        var lo = 0
        while lo < n {
            let hi = min(lo + block, n)
            var i = lo + 1
            while i < hi {
                let v = p[i]
                var j = i
                while j > lo && p[j - 1] > v { p[j] = p[j - 1]; j -= 1 }
                inv += i - j
                p[j] = v
                i += 1
            }
            lo = hi
        }
        if n <= block { return inv }
        var f = UnsafeMutableBufferPointer(rebasing: p[0 ..< n]), t = UnsafeMutableBufferPointer(rebasing: scratch[0 ..< n])
        var width = block
        while width < n {
            var lo = 0
            while lo < n {
                let mid = min(lo + width, n), hi = min(lo + 2 * width, n)
                var i = lo, j = mid, k = lo
                if mid >= hi || f[mid - 1] <= f[mid] {
                    // One run, or two already in order: no inversion between them.
                    (t.baseAddress! + lo).update(from: f.baseAddress! + lo, count: hi - lo)
                    lo = hi
                    continue
                }
                while i < mid && j < hi {
                    let fi = f[i], fj = f[j]
                    let take = fj < fi
                    t[k] = take ? fj : fi
                    inv &+= take ? mid &- i : 0
                    j &+= take ? 1 : 0
                    i &+= take ? 0 : 1
                    k &+= 1
                }
                while i < mid { t[k] = f[i]; i += 1; k += 1 }
                while j < hi { t[k] = f[j]; j += 1; k += 1 }
                lo = hi
            }
            swap(&f, &t)
            width *= 2
        }
        if f.baseAddress != p.baseAddress { p.baseAddress!.update(from: f.baseAddress!, count: n) }
        return inv
    }
}

extension RadixSort {
    /// The same result as `sort(x, payload:)` — keys ascending, stable (equal keys keep their index order),
    /// each value's payload carried — without the index: the full keys and the payloads are moved together
    /// by three LSD passes over the **high 32 bits** of the keys (11, 11 and 10 bits; a pass whose digit is
    /// equal for every key is skipped), so no gather through an index follows; then each run of equal high
    /// halves is sorted by the full key in place (stable insertion sort for runs up to 32, a comparison sort
    /// by (key, position) beyond — never quadratic). 12 bytes a value per pass (Int32 payload). `x` must hold no NaN and fewer than 2³² values.
    static func sortCarrying<P: FixedWidthInteger>(_ x: [Double], payload: [P]) -> (keys: [UInt64], payload: [P]) {
        let n = x.count
        precondition(n <= Int(UInt32.max), "RadixSort: at most 2^32 - 1 values")
        precondition(payload.count == n, "RadixSort: one payload per value")
        // k1 and p1 are written in full by any pass before they are read (no zero fill: it is a page-touching
        // pass of its own); k0 is written in full by the first loop.
        var k0 = [UInt64](unsafeUninitializedCapacity: n) { _, count in count = n }
        var k1 = [UInt64](unsafeUninitializedCapacity: n) { _, count in count = n }
        var p0 = payload, p1 = [P](unsafeUninitializedCapacity: n) { _, count in count = n }
        let radix = 1 << 11, digitMask: UInt64 = (1 << 11) - 1
        var hist = [Int](repeating: 0, count: 3 * radix)
        x.withUnsafeBufferPointer { xp in
            k0.withUnsafeMutableBufferPointer { kp in
                hist.withUnsafeMutableBufferPointer { h in
                    for j in 0 ..< n {
                        let k = key(xp[j]), hi = k >> 32
                        kp[j] = k
                        h[Int(hi & digitMask)] &+= 1
                        h[radix &+ Int((hi >> 11) & digitMask)] &+= 1
                        h[2 &* radix &+ Int(hi >> 22)] &+= 1
                    }
                }
            }
        }
        for pass in 0 ..< 3 {
            let base = pass * radix, shift = UInt64(32 + 11 * pass)
            guard startingOffsets(&hist, base: base, radix: radix, count: n) else { continue }
            scatter(k0, p0, into: &k1, &p1, hist: &hist, base: base, shift: shift, mask: digitMask)
            swap(&k0, &k1); swap(&p0, &p1)
        }
        // Runs of equal high halves, sorted by the full key (stable: the passes kept index order).
        k0.withUnsafeMutableBufferPointer { k in
            p0.withUnsafeMutableBufferPointer { p in
                var s = 0
                while s < n {
                    let hi = k[s] >> 32
                    var e = s + 1, sorted = true
                    while e < n && k[e] >> 32 == hi { if k[e] < k[e - 1] { sorted = false }; e += 1 }
                    if !sorted { sortRunByKey(k, p, s, e) }
                    s = e
                }
            }
        }
        return (k0, p0)
    }

    /// Sorts positions s..<e of `k` (carrying `p`) by key, stably (equal keys keep their positions' order).
    private static func sortRunByKey<P: FixedWidthInteger>(_ k: UnsafeMutableBufferPointer<UInt64>, _ p: UnsafeMutableBufferPointer<P>, _ s: Int, _ e: Int) {
        if e - s <= 32 {
            var i = s + 1
            while i < e {
                let kv = k[i], pv = p[i]
                var j = i
                while j > s && k[j - 1] > kv { k[j] = k[j - 1]; p[j] = p[j - 1]; j -= 1 }
                k[j] = kv; p[j] = pv
                i += 1
            }
            return
        }
        var run = (s ..< e).map { (key: k[$0], position: $0, payload: p[$0]) }
        run.sort { $0.key != $1.key ? $0.key < $1.key : $0.position < $1.position }
        for (j, r) in run.enumerated() { k[s + j] = r.key; p[s + j] = r.payload }
    }
}
