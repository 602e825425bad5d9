/// Assigns each grid cell the LSOA most of its incidents carry (a majority vote; e.g. to give a
/// cell an IMD decile in a bias audit).
///
/// ```
/// votes(c, l) = #{ incidents i : cell(i) = c, lsoa(i) = l }
/// LSOA(c)     = argmax_l votes(c, l),  ties → the smallest id l;   −1 when the cell has no vote
/// ```
/// `assign(cellIDs:lsoaIDs:cellCount:)` breaks ties by the smaller **integer id**;
/// `assign(cellIDs:lsoaIDs:codes:cellCount:)` by the lexicographically smaller **code** (String `<`),
/// the rule the report uses, by voting on the ranks of the sorted distinct codes. Incidents with a
/// cell id or an LSOA id of −1 (outside the grid, no code) do not vote.
///
/// Flat buffers only (no dictionary per cell): incidents are grouped by cell with a counting sort,
/// then each cell's votes are tallied in one shared array of `lsoaCount` counters that is reset
/// after the cell. Complexity: O(n + cellCount + lsoaCount) time and memory.
public enum CellMajorityLSOA {
    /// The majority LSOA id of each cell `0 ..< cellCount` (−1 for a cell without votes).
    /// Preconditions: equal lengths; cell ids in −1 ..< cellCount; LSOA ids ≥ −1.
    public static func assign(cellIDs: [Int32], lsoaIDs: [Int32], cellCount: Int) -> [Int32] {
        precondition(cellIDs.count == lsoaIDs.count, "CellMajorityLSOA: \(cellIDs.count) cell ids for \(lsoaIDs.count) LSOA ids")
        precondition(cellCount >= 0, "CellMajorityLSOA: the cell count must be non-negative")
        var lsoaCount = 0
        // start[c + 1] = number of votes in cell c, then prefix sums: cell c's votes are start[c] ..< start[c + 1].
        var start = [Int](repeating: 0, count: cellCount + 1)
        for i in cellIDs.indices {
            let c = Int(cellIDs[i]), l = Int(lsoaIDs[i])
            precondition(c >= -1 && c < cellCount, "CellMajorityLSOA: cell id \(c) is outside −1 ..< \(cellCount)")
            precondition(l >= -1, "CellMajorityLSOA: LSOA id \(l) is below −1")
            guard c >= 0, l >= 0 else { continue }
            start[c + 1] += 1
            lsoaCount = max(lsoaCount, l + 1)
        }
        for c in 0 ..< cellCount { start[c + 1] += start[c] }
        var grouped = [Int32](repeating: 0, count: start[cellCount])
        var next = start
        for i in cellIDs.indices where cellIDs[i] >= 0 && lsoaIDs[i] >= 0 {
            let c = Int(cellIDs[i])
            grouped[next[c]] = lsoaIDs[i]
            next[c] += 1
        }
        var tally = [Int](repeating: 0, count: lsoaCount)
        var out = [Int32](repeating: -1, count: cellCount)
        for c in 0 ..< cellCount where start[c] < start[c + 1] {
            let votes = start[c] ..< start[c + 1]
            for k in votes { tally[Int(grouped[k])] += 1 }
            var best: Int32 = -1, bestCount = 0
            for k in votes {
                let l = grouped[k], t = tally[Int(l)]
                if t > bestCount || (t == bestCount && l < best) { best = l; bestCount = t }
            }
            for k in votes { tally[Int(grouped[k])] = 0 }
            out[c] = best
        }
        return out
    }

    /// The majority LSOA of each cell as an index into `codes` (−1 for a cell without votes), ties
    /// broken by the lexicographically smaller code. `lsoaIDs` index `codes` (−1 = no code); ids
    /// with equal codes vote together and the result is the first such id.
    /// Complexity: O(n + cellCount + m log m) for m codes.
    public static func assign(cellIDs: [Int32], lsoaIDs: [Int32], codes: [String], cellCount: Int) -> [Int32] {
        let sorted = Array(Set(codes)).sorted()
        var rankOfCode: [String: Int32] = [:]
        for (r, c) in sorted.enumerated() { rankOfCode[c] = Int32(r) }
        let rankOfID = codes.map { rankOfCode[$0]! }
        var firstIDOfRank = [Int32](repeating: -1, count: sorted.count)
        for (i, r) in rankOfID.enumerated() where firstIDOfRank[Int(r)] < 0 { firstIDOfRank[Int(r)] = Int32(i) }
        let ranked = lsoaIDs.map { id -> Int32 in
            precondition(id >= -1 && Int(id) < codes.count, "CellMajorityLSOA: LSOA id \(id) is outside −1 ..< \(codes.count)")
            return id < 0 ? -1 : rankOfID[Int(id)]
        }
        return assign(cellIDs: cellIDs, lsoaIDs: ranked, cellCount: cellCount).map { $0 < 0 ? -1 : firstIDOfRank[Int($0)] }
    }
}
