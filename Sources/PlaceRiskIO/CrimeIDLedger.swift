/// Finding repeated police.uk Crime IDs across the files of one load, without keeping the IDs.
///
/// Rule: a police.uk `Crime ID` identifies one crime (a 64-hex-digit hash; empty for anti-social
/// behaviour, data.police.uk/about), so a non-empty ID seen twice in one load means the same crime
/// was read twice (overlapping downloads, a file given twice under two names). The first
/// occurrence, in path order then line order, is the original; the others are duplicates.
///
/// Each ID is reduced to a 128-bit fingerprint (two independent 64-bit hashes of its bytes), so
/// memory is 16 bytes per ID whatever its length; two different IDs share a fingerprint with
/// probability about n²/2¹²⁹ (negligible for any police.uk extract). An open-addressing table
/// (linear probing) over the fingerprints answers "seen before?" in expected O(1); it keeps no
/// positions (16 bytes a slot), so the loader finds where a repeat was first seen only for the few
/// it reports.
struct CrimeIDLedger {
    /// A Crime ID's fingerprint; (0, 0) is reserved for "no ID".
    struct Fingerprint: Equatable, Sendable {
        var a: UInt64
        var b: UInt64
        var isEmpty: Bool { a == 0 && b == 0 }
        static let none = Fingerprint(a: 0, b: 0)
    }

    /// Fingerprint of a field's bytes, spaces and tabs around it ignored; `.none` when empty.
    /// Two lanes read the bytes eight at a time (little-endian words, the last one zero-padded and
    /// tagged with the length): lane a = xor, multiply, xorshift; lane b = add, multiply, rotate
    /// (odd multipliers from SplitMix64 and xxHash64, so each step is a bijection of the state and
    /// two IDs of equal length differing in a single word never collide in lane a); both end with
    /// SplitMix64's finaliser (Steele, Lea & Flood 2014). About 4 operations a byte-word per lane.
    static func fingerprint(_ raw: UnsafeBufferPointer<UInt8>) -> Fingerprint {
        guard let base = raw.baseAddress, raw.count > 0 else { return .none }
        var lo = 0, hi = raw.count
        if base[0] == 0x20 || base[0] == 0x09 || base[hi - 1] == 0x20 || base[hi - 1] == 0x09 {
            while lo < hi, base[lo] == 0x20 || base[lo] == 0x09 { lo += 1 }
            while hi > lo, base[hi - 1] == 0x20 || base[hi - 1] == 0x09 { hi -= 1 }
            if lo == hi { return .none }
        }
        let length = UInt64(hi - lo)
        var a: UInt64 = 0x27D4_EB2F_1656_67C5 ^ length
        var b: UInt64 = 0x1656_67B1_9E37_79F9 &+ length
        var p = lo
        while p + 8 <= hi {
            let w = UInt64(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self))
            a = (a ^ w) &* 0x9E37_79B9_7F4A_7C15
            a ^= a >> 29
            b = (b &+ w) &* 0xC2B2_AE3D_27D4_EB4F
            b = b << 31 | b >> 33
            p += 8
        }
        var w: UInt64 = length << 56
        var shift: UInt64 = 0
        while p < hi { w |= UInt64(base[p]) << shift; shift += 8; p += 1 }
        a = mix(a ^ w)
        b = mix(b &+ w)
        if a == 0 && b == 0 { a = 1 }
        return Fingerprint(a: a, b: b)
    }

    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private var slots: [Fingerprint] = []
    private var used = 0

    init() {}

    /// Records `id`; returns true when it had been recorded before (a repeat).
    mutating func isRepeat(_ id: Fingerprint) -> Bool {
        precondition(!id.isEmpty, "CrimeIDLedger: empty IDs are not recorded")
        if (used + 1) * 4 >= slots.count * 3 { grow() }
        let mask = slots.count - 1
        let seen = slots.withUnsafeMutableBufferPointer { sp -> Bool in
            var s = Int(truncatingIfNeeded: id.b) & mask
            while !sp[s].isEmpty {
                if sp[s] == id { return true }
                s = (s + 1) & mask
            }
            sp[s] = id
            return false
        }
        if !seen { used += 1 }
        return seen
    }

    private mutating func grow() {
        let old = slots
        let n = max(1024, old.count * 2)
        slots = [Fingerprint](repeating: .none, count: n)
        for o in old where !o.isEmpty {
            var s = Int(truncatingIfNeeded: o.b) & (n - 1)
            while !slots[s].isEmpty { s = (s + 1) & (n - 1) }
            slots[s] = o
        }
    }
}

/// `CrimeIDLedger` with the place of each first sighting (file index, line), for streamed loads
/// that cannot look back at earlier files: 24 bytes a distinct ID.
struct CrimeIDSightings {
    private var slots: [CrimeIDLedger.Fingerprint] = []
    private var places: [(file: Int32, line: Int32)] = []
    private var used = 0

    /// Records `id` first seen at `place`; returns the earlier place when it was seen before.
    mutating func firstSighting(_ id: CrimeIDLedger.Fingerprint, at place: (file: Int32, line: Int32)) -> (file: Int32, line: Int32)? {
        precondition(!id.isEmpty, "CrimeIDSightings: empty IDs are not recorded")
        if (used + 1) * 4 >= slots.count * 3 { grow() }
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: id.b) & mask
        while !slots[s].isEmpty {
            if slots[s] == id { return places[s] }
            s = (s + 1) & mask
        }
        slots[s] = id
        places[s] = place
        used += 1
        return nil
    }

    private mutating func grow() {
        let old = slots, oldPlaces = places
        let n = max(1024, old.count * 2)
        slots = [CrimeIDLedger.Fingerprint](repeating: .none, count: n)
        places = [(file: Int32, line: Int32)](repeating: (0, 0), count: n)
        for (k, o) in old.enumerated() where !o.isEmpty {
            var s = Int(truncatingIfNeeded: o.b) & (n - 1)
            while !slots[s].isEmpty { s = (s + 1) & (n - 1) }
            slots[s] = o
            places[s] = oldPlaces[k]
        }
    }
}
