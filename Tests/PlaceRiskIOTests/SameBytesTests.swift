import Testing
@testable import PlaceRiskIO

/// `RawTable.sameBytes` against array equality (the oracle): every length 0…40, equal pairs and pairs
/// differing in exactly one byte at each position (so the overlapping last word and the byte loop are
/// both reached).
struct SameBytesTests {
    @Test func agreesWithArrayEqualityAtEveryLengthAndPosition() {
        for n in 0 ... 40 {
            let a = (0 ..< n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            var cases: [[UInt8]] = [a]
            for k in 0 ..< n { var b = a; b[k] ^= 0x20; cases.append(b) }
            for b in cases {
                let got = a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in
                    n == 0 ? true : RawTable.sameBytes(x.baseAddress!, y.baseAddress!, n) } }
                #expect(got == (a == b), "length \(n)")
            }
        }
    }
}
