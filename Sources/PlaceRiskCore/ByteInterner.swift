/// Maps short byte strings (LSOA codes, crime types, force names) to dense ids 0, 1, 2, …
/// without allocating per lookup: an open-addressing hash table (FNV-1a, linear probing)
/// over one contiguous byte arena.
///
/// Complexity: expected O(length) per `intern`; the table doubles when ¾ full.
public struct ByteInterner: Sendable {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Slots hold id + 1 (0 = empty).
    private var slots: [Int32] = [Int32](repeating: 0, count: 64)

    public init() {}

    /// Number of distinct strings.
    public var count: Int { starts.count - 1 }

    /// The id of `bytes`, adding it when new.
    @inlinable
    public mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        internImpl(bytes)
    }

    /// The id of a Swift string, adding it when new.
    public mutating func intern(_ s: String) -> Int32 {
        var s = s
        return s.withUTF8 { internImpl($0) }
    }

    /// The id of `s` if present.
    public func id(of s: String) -> Int32? {
        var s = s
        return s.withUTF8 { find($0, hash: ByteInterner.hash($0)).found }
    }

    /// The string with id `i`.
    public func string(_ i: Int32) -> String {
        let a = starts[Int(i)], b = starts[Int(i) + 1]
        return arena[a ..< b].withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of id `i` (no String made).
    public func withBytes<R>(_ i: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let a = starts[Int(i)], b = starts[Int(i) + 1]
        return arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[a ..< b])) }
    }

    /// All strings in id order.
    public var strings: [String] { (0 ..< Int32(count)).map(string) }

    /// The id returned last: data files repeat values in runs (police.uk rows are grouped by
    /// LSOA; the force never changes), so the previous id is checked before hashing.
    private var last: Int32 = -1

    @usableFromInline
    mutating func internImpl(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        if last >= 0 {
            let a = starts[Int(last)], b = starts[Int(last) + 1]
            if b - a == bytes.count {
                let same = arena.withUnsafeBufferPointer { ar in
                    for k in 0 ..< bytes.count where ar[a + k] != bytes[k] { return false }
                    return true
                }
                if same { return last }
            }
        }
        let id = internSlow(bytes)
        last = id
        return id
    }

    private mutating func internSlow(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = ByteInterner.hash(bytes)
        let (found, slot) = find(bytes, hash: h)
        if let f = found { return f }
        let id = Int32(count)
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        hashes.append(h)
        slots[slot] = id + 1
        if count * 4 >= slots.count * 3 { grow() }
        return id
    }

    private func find(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> (found: Int32?, slot: Int) {
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        return arena.withUnsafeBufferPointer { ar in
            while true {
                let v = slots[s]
                if v == 0 { return (nil, s) }
                let id = Int(v - 1)
                if hashes[id] == h {
                    let a = starts[id], b = starts[id + 1]
                    if b - a == bytes.count {
                        var same = true
                        for k in 0 ..< bytes.count where ar[a + k] != bytes[k] { same = false; break }
                        if same { return (Int32(id), s) }
                    }
                }
                s = (s + 1) & mask
            }
        }
    }

    private mutating func grow() {
        let newSize = slots.count * 2
        var ns = [Int32](repeating: 0, count: newSize)
        let mask = newSize - 1
        for id in 0 ..< count {
            var s = Int(truncatingIfNeeded: hashes[id]) & mask
            while ns[s] != 0 { s = (s + 1) & mask }
            ns[s] = Int32(id + 1)
        }
        slots = ns
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h ^ (h >> 29)
    }
}

/// A column of strings stored as one byte arena plus offsets (no per-row String allocation).
public struct StringColumn: Sendable, Equatable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var ends: [Int] = []

    public init() {}

    public var count: Int { ends.count }

    public mutating func reserveCapacity(rows: Int, bytes n: Int) {
        ends.reserveCapacity(rows)
        bytes.reserveCapacity(n)
    }

    public mutating func append(_ b: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: b)
        ends.append(bytes.count)
    }

    public mutating func append(_ s: String) {
        bytes.append(contentsOf: s.utf8)
        ends.append(bytes.count)
    }

    public mutating func append(contentsOf other: StringColumn) {
        let base = bytes.count
        bytes.append(contentsOf: other.bytes)
        ends.append(contentsOf: other.ends.lazy.map { $0 + base })
    }

    public subscript(i: Int) -> String {
        let a = i == 0 ? 0 : ends[i - 1], b = ends[i]
        return bytes[a ..< b].withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    /// Keeps only the rows whose `keep` flag is true.
    public func filtered(_ keep: [Bool]) -> StringColumn {
        precondition(keep.count == count, "StringColumn.filtered: mask length differs from row count")
        var out = StringColumn()
        var start = 0
        for i in 0 ..< count {
            let end = ends[i]
            if keep[i] {
                out.bytes.append(contentsOf: bytes[start ..< end])
                out.ends.append(out.bytes.count)
            }
            start = end
        }
        return out
    }
}
