/// Assigns each grid cell the LSOA most of its incidents carry (a majority vote; e.g. to give a
/// cell an IMD decile in a bias audit).
///
/// ```
/// votes(c, l) = #{ incidents i : cell(i) = c, lsoa(i) = l }
/// LSOA(c)     = argmax_l votes(c, l),  ties → the smallest id l;   −1 when the cell has no vote
/// ```
/// Ties go to the smaller **integer id**: to break them by the smaller LSOA *code* (as the report
/// does), pass ids that are ranks of the codes in sorted order. Incidents with a cell id or an LSOA
/// id of −1 (outside the grid, no code) do not vote.
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
}
