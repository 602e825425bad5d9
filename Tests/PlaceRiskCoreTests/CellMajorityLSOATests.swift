import Testing
@testable import PlaceRiskCore

/// The cell → LSOA majority vote: hand-made cases with ties, and a dictionary oracle.
@Suite("Cell majority LSOA")
struct CellMajorityLSOATests {
    /// Three cells, incidents interleaved:
    /// ```
    /// cell 0: LSOA ids 2, 1, 2, 1        → 2 votes each: tie → the smaller id, 1
    /// cell 1: LSOA ids 3, 0, 3           → 3 (2 votes against 1)
    /// cell 2: one incident without LSOA  → no vote → −1
    /// outside the grid (cell −1), LSOA 0 → ignored
    /// ```
    @Test func threeCellsWithATie() {
        let cells: [Int32] = [0, 1, 0, 2, 1, -1, 0, 1, 0]
        let lsoas: [Int32] = [2, 3, 1, -1, 0, 0, 2, 3, 1]
        #expect(CellMajorityLSOA.assign(cellIDs: cells, lsoaIDs: lsoas, cellCount: 3) == [1, 3, -1])
        // The tie is broken by the id, not by which code reached the count first: with 1 voted
        // first, the result is still 1; a third vote for 2 makes it 2.
        #expect(CellMajorityLSOA.assign(cellIDs: [0, 0, 0, 0], lsoaIDs: [1, 2, 2, 1], cellCount: 1) == [1])
        #expect(CellMajorityLSOA.assign(cellIDs: [0, 0, 0, 0, 0], lsoaIDs: [1, 2, 2, 1, 2], cellCount: 1) == [2])
        // No incidents at all: every cell −1.
        #expect(CellMajorityLSOA.assign(cellIDs: [], lsoaIDs: [], cellCount: 2) == [-1, -1])
    }

    /// With codes, ties go to the lexicographically smaller CODE, whatever the ids (the report's rule:
    /// `max` by count, then the smaller String). ids: 0 "E01000010", 1 "E01000002", 2 "E01000010"
    /// (a duplicate code under another id).
    /// ```
    /// cell 0: ids 0, 1          → 1 vote each; "E01000002" < "E01000010" → id 1 (the larger id)
    /// cell 1: ids 0, 2, 1, 1, 1 → "E01000010" has 2 votes (ids 0 and 2 together), "E01000002" 3 → id 1
    /// cell 2: ids 2, 0, 1       → "E01000010" 2 votes (ids 2 and 0) beats "E01000002" 1 → the first id of that code, 0
    /// ```
    @Test func tiesByCodeAndDuplicateCodes() {
        let codes = ["E01000010", "E01000002", "E01000010"]
        let cells: [Int32] = [0, 0, 1, 1, 1, 1, 1, 2, 2, 2]
        let ids: [Int32] = [0, 1, 0, 2, 1, 1, 1, 2, 0, 1]
        #expect(CellMajorityLSOA.assign(cellIDs: cells, lsoaIDs: ids, codes: codes, cellCount: 3) == [1, 1, 0])
    }

    /// Random cases against the dictionary vote the report used before (max count, ties to the
    /// smaller code), written independently here.
    @Test func matchesDictionaryOracle() {
        var rng = SeededGenerator(seed: 77)
        let codes = (0 ..< 12).map { _ in "E0100\(Int.random(in: 1000 ... 1011, using: &rng))" }   // duplicates likely
        for _ in 0 ..< 20 {
            let n = Int.random(in: 0 ... 400, using: &rng), cellCount = Int.random(in: 1 ... 30, using: &rng)
            let cells = (0 ..< n).map { _ in Int32.random(in: -1 ..< Int32(cellCount), using: &rng) }
            let ids = (0 ..< n).map { _ in Int32.random(in: -1 ..< Int32(codes.count), using: &rng) }
            var votes: [Int: [String: Int]] = [:]
            for i in 0 ..< n where cells[i] >= 0 && ids[i] >= 0 { votes[Int(cells[i]), default: [:]][codes[Int(ids[i])], default: 0] += 1 }
            let expected: [String?] = (0 ..< cellCount).map { c in votes[c]?.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key }
            let got = CellMajorityLSOA.assign(cellIDs: cells, lsoaIDs: ids, codes: codes, cellCount: cellCount).map { $0 < 0 ? nil : codes[Int($0)] }
            #expect(got == expected)
        }
    }
}
