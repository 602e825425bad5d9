import Testing
@testable import PlaceRiskIO

/// `CodeNumberTable` against a dictionary holding the same assignments (the obvious oracle): unset
/// codes read nil, set codes read their value, at both ends of the code range and for the numbers of
/// real codes (`LSOACode.number` of E01000001 = 1, W01000001 = 1,000,001).
struct CodeNumberTableTests {
    @Test func readsBackWhatWasSetAndNilElsewhere() {
        let t = CodeNumberTable()
        var oracle: [Int: Int32] = [:]
        let first = Array("E01000001".utf8), welsh = Array("W01000001".utf8)
        let codes = [0, 1, 999_999, 1_000_000, 1_999_999, first.withUnsafeBufferPointer { Int(LSOACode.number($0)) },
                     welsh.withUnsafeBufferPointer { Int(LSOACode.number($0)) }, 35_000]
        for (k, n) in codes.enumerated() { t[n] = Int32(k * 7); oracle[n] = Int32(k * 7) }
        t[35_000] = 0; oracle[35_000] = 0
        t[999_999] = nil; oracle[999_999] = nil
        for n in [0, 1, 2, 35_000, 35_001, 999_998, 999_999, 1_000_000, 1_000_001, 1_999_998, 1_999_999] {
            #expect(t[n] == oracle[n], "code number \(n)")
        }
    }
}
