import Testing
@testable import PlaceRiskCore

/// `KeySort` against the standard library's comparison sort by (key, input position) — the stable
/// order by definition — on seeded random keys of several shapes.
struct KeySortTests {
    private func oracle(_ k: [UInt64], _ p: [Int64]) -> ([UInt64], [Int64]) {
        let s = k.indices.sorted { k[$0] != k[$1] ? k[$0] < k[$1] : $0 < $1 }
        return (s.map { k[$0] }, s.map { p[$0] })
    }

    @Test(arguments: [0, 1, 2, 7, 1000, 50_000])
    func sortsLikeAStableComparisonSort(n: Int) {
        var rng = SeededGenerator(seed: 20261201 &+ UInt64(n))
        // Full-width keys, packed-aggregate-like keys (constant high bits, few distinct types) and
        // heavy ties.
        let shapes: [(inout SeededGenerator) -> UInt64] = [
            { $0.next() },
            { r in PartialAggregate.pack(part: Int(r.next() % 41), unit: Int(r.next() % 35_000), monthIndex: 2022 * 12 + Int(r.next() % 3), type: Int(r.next() % 14)) },
            { r in r.next() % 5 },
        ]
        for shape in shapes {
            var keys = (0 ..< n).map { _ in shape(&rng) }
            var payload = (0 ..< n).map { Int64($0) * 3 - 7 }
            let (ek, ep) = oracle(keys, payload)
            KeySort.sort(&keys, carrying: &payload)
            #expect(keys == ek)
            #expect(payload == ep)
        }
    }
}
