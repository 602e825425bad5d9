/// A table made safe to publish: suppressed cells are nil; the others and the totals rounded to 5.
public struct PublishedTable: Sendable, Equatable {
    /// Row-major cells; nil = suppressed.
    public let cells: [[Int?]]
    /// Row totals (nil = suppressed: the row's only suppressed cell would follow from it).
    public let rowTotals: [Int?]
    public let columnTotals: [Int?]
    public let total: Int?
    /// Cells suppressed because their count was 1–7.
    public let primary: Int
    /// Cells (and totals) suppressed so that no primary one can be recovered from a row or column.
    public let secondary: Int
}

/// Statistical disclosure control for counts from shared (e.g. health) data — the rule NHS analytics
/// platforms such as OpenSAFELY apply (conventions §13):
/// ```
/// primary:    a count c with 0 < c < 7.5 (1–7 after rounding to whole numbers) is suppressed
/// rounding:   every other count and every total is published as 5·round(c / 5); zeros stay 0
/// secondary:  while some row or column has exactly one suppressed cell, suppress its smallest
///             non-zero unsuppressed cell (first in order on ties); if it has none, suppress the
///             line's total
/// ```
/// So every line with a suppressed cell has at least two (or no published total), and a line total
/// minus the published cells only bounds the sum of two or more unknowns, each itself known only to
/// within the rounding — the attack in `SafePublicationTests` fails to pin any suppressed cell.
/// Fractional counts (aoristic sums) follow the same rule on their values.
///
/// Complexity: O((R + C) · R · C) in the worst case of the secondary loop; tables here are small
/// (24 × 7, a near-repeat table, LSOA × source).
public enum SafePublication {
    /// The rule as stated in manifests.
    public static let rule = "safe publication: counts 1-7 suppressed ('*'), all other counts and totals rounded to the nearest 5, and a second cell suppressed in any row or column where a suppressed one could be recovered from the total (OpenSAFELY-style rule)"
    /// How a suppressed cell is written.
    public static let suppressedMark = "*"

    public static func publish(_ counts: [[Int]]) -> PublishedTable {
        publish(counts.map { $0.map(Double.init) })
    }

    public static func publish(_ v: [[Double]]) -> PublishedTable {
        let nr = v.count, nc = v.first?.count ?? 0
        precondition(v.allSatisfy { $0.count == nc }, "SafePublication.publish: rows of different lengths")
        precondition(v.allSatisfy { $0.allSatisfy { $0.isFinite && $0 >= 0 } }, "SafePublication.publish: counts must be finite and non-negative")
        var hidden = v.map { $0.map { $0 > 0 && $0 < 7.5 } }
        let primary = hidden.joined().filter { $0 }.count
        var rowTotalHidden = [Bool](repeating: false, count: nr), colTotalHidden = [Bool](repeating: false, count: nc)
        var secondary = 0
        var changed = true
        while changed {
            changed = false
            for r in 0 ..< nr where !rowTotalHidden[r] {
                let cols = (0 ..< nc).filter { hidden[r][$0] }
                guard cols.count == 1 else { continue }
                let cand = (0 ..< nc).filter { !hidden[r][$0] && v[r][$0] > 0 }
                if let c = cand.min(by: { v[r][$0] != v[r][$1] ? v[r][$0] < v[r][$1] : $0 < $1 }) { hidden[r][c] = true }
                else { rowTotalHidden[r] = true }
                secondary += 1; changed = true
            }
            for c in 0 ..< nc where !colTotalHidden[c] {
                let rows = (0 ..< nr).filter { hidden[$0][c] }
                guard rows.count == 1 else { continue }
                let cand = (0 ..< nr).filter { !hidden[$0][c] && v[$0][c] > 0 }
                if let r = cand.min(by: { v[$0][c] != v[$1][c] ? v[$0][c] < v[$1][c] : $0 < $1 }) { hidden[r][c] = true }
                else { colTotalHidden[c] = true }
                secondary += 1; changed = true
            }
        }
        func round5(_ x: Double) -> Int { Int((x / 5).rounded(.toNearestOrAwayFromZero)) * 5 }
        let cells = (0 ..< nr).map { r in (0 ..< nc).map { c -> Int? in hidden[r][c] ? nil : round5(v[r][c]) } }
        let rows = (0 ..< nr).map { r -> Int? in rowTotalHidden[r] ? nil : round5(v[r].reduce(0, +)) }
        let cols = (0 ..< nc).map { c -> Int? in colTotalHidden[c] ? nil : round5((0 ..< nr).reduce(0) { $0 + v[$1][c] }) }
        let grand = v.joined().reduce(0, +)
        // The grand total could reveal a lone hidden row or column total; hide it whenever exactly one is hidden.
        let hiddenTotals = rowTotalHidden.filter { $0 }.count + colTotalHidden.filter { $0 }.count
        return PublishedTable(cells: cells, rowTotals: rows, columnTotals: cols, total: hiddenTotals == 1 ? nil : round5(grand),
                              primary: primary, secondary: secondary + (hiddenTotals == 1 ? 1 : 0))
    }
}
