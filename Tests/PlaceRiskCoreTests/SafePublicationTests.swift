import Testing
@testable import PlaceRiskCore

/// The attacker sees the published table: each published cell p is a true count in [p − 2, p + 2] (and
/// ≥ 8 when p > 0, since 1–7 would have been suppressed; 0 is exact), each published total T a true
/// total in [T − 2, T + 2], and knows a suppressed cell is ≥ 1. With `exact`, the attacker is stronger
/// than any real one: every published cell and total is known exactly. A suppressed cell is recovered
/// when no other table agrees with all of that; an alternative is searched by changing the target and
/// up to three other suppressed cells by ±1 or ±2 — finding one proves the cell was not recovered.
private func alternativeExists(for target: (Int, Int), truth: [[Int]], published p: PublishedTable, hidden: [[Bool]], exact: Bool) -> Bool {
    let nr = truth.count, nc = truth[0].count
    func cellBounds(_ r: Int, _ c: Int) -> (Int, Int) {
        if exact { return (truth[r][c], truth[r][c]) }
        let v = p.cells[r][c]!
        return v == 0 ? (0, 0) : (max(8, v - 2), v + 2)
    }
    func totalBounds(_ published: Int?, trueTotal: Int) -> (Int, Int)? {
        guard let t = published else { return nil }
        return exact ? (trueTotal, trueTotal) : (t - 2, t + 2)
    }
    // Bounds on the sum of a line's suppressed cells: total bounds minus the published cells' bounds.
    func lineBounds(_ cells: [(Int, Int)], _ published: Int?) -> (Int, Int)? {
        let trueTotal = cells.reduce(0) { $0 + truth[$1.0][$1.1] }
        guard let (lo, hi) = totalBounds(published, trueTotal: trueTotal) else { return nil }
        var a = lo, b = hi
        for (r, c) in cells where !hidden[r][c] { let (l, h) = cellBounds(r, c); a -= h; b -= l }
        return (a, b)
    }
    var lines: [(cells: [(Int, Int)], bounds: (Int, Int))] = []
    for r in 0 ..< nr { let cs = (0 ..< nc).map { (r, $0) }; if let b = lineBounds(cs, p.rowTotals[r]) { lines.append((cs, b)) } }
    for c in 0 ..< nc { let cs = (0 ..< nr).map { ($0, c) }; if let b = lineBounds(cs, p.columnTotals[c]) { lines.append((cs, b)) } }
    let all = (0 ..< nr).flatMap { r in (0 ..< nc).map { (r, $0) } }
    if let b = lineBounds(all, p.total) { lines.append((all, b)) }
    var value = truth
    func consistent() -> Bool {
        for (r, c) in all where hidden[r][c] && value[r][c] < 1 { return false }
        for l in lines {
            let s = l.cells.reduce(0) { hidden[$1.0][$1.1] ? $0 + value[$1.0][$1.1] : $0 }
            if s < l.bounds.0 || s > l.bounds.1 { return false }
        }
        return true
    }
    precondition(consistent(), "the true table must agree with what is published")
    let others = all.filter { hidden[$0.0][$0.1] && !($0.0 == target.0 && $0.1 == target.1) }
    let deltas = [-2, -1, 1, 2]
    func search(_ from: Int, _ left: Int) -> Bool {
        if consistent() { return true }
        guard left > 0 else { return false }
        for k in from ..< others.count {
            let (r, c) = others[k]
            for d in deltas {
                value[r][c] += d
                if search(k + 1, left - 1) { return true }
                value[r][c] -= d
            }
        }
        return false
    }
    for d in deltas {
        value = truth
        value[target.0][target.1] += d
        if search(0, 3) { return true }
    }
    return false
}

@Suite("Safe publication")
struct SafePublicationTests {
    /// The Near Repeat Calculator's published Chicago arson table (observed counts) as a realistic
    /// table with five cells of 1–7.
    static let chicago = [[0, 2, 0, 8], [9, 1, 1, 45], [4, 0, 0, 140], [6, 0, 0, 234], [393, 710, 770, 133_658]]

    /// Every cell of 1–7 is suppressed; every published value and total is a multiple of 5 within 2.5
    /// of the truth; zeros stay 0.
    @Test func smallCountsAreSuppressedAndTheRestRoundedToFive() {
        let p = SafePublication.publish(Self.chicago)
        #expect(p.primary == 5)
        for r in 0 ..< 5 { for c in 0 ..< 4 {
            let v = Self.chicago[r][c]
            if (1 ... 7).contains(v) { #expect(p.cells[r][c] == nil) }
            if let q = p.cells[r][c] { #expect(q % 5 == 0 && abs(q - v) <= 2) }
        } }
        #expect(p.cells[0][0] == 0 && p.cells[4][3] == 133_660)
        for (k, t) in p.rowTotals.enumerated() { if let t { #expect(abs(t - Self.chicago[k].reduce(0, +)) <= 2 && t % 5 == 0) } }
    }

    /// The attack (above) on the published table fails for every suppressed cell; every line with a
    /// suppressed cell has at least two, or no published total.
    @Test func suppressedCellsCannotBeRecoveredFromThePublishedTotals() {
        let p = SafePublication.publish(Self.chicago)
        let hidden = p.cells.map { $0.map { $0 == nil } }
        #expect(hidden.joined().filter { $0 }.count == 10)
        for r in 0 ..< 5 where p.rowTotals[r] != nil { #expect(hidden[r].filter { $0 }.count != 1) }
        for c in 0 ..< 4 where p.columnTotals[c] != nil { #expect((0 ..< 5).filter { hidden[$0][c] }.count != 1) }
        for r in 0 ..< 5 { for c in 0 ..< 4 where hidden[r][c] {
            #expect(alternativeExists(for: (r, c), truth: Self.chicago, published: p, hidden: hidden, exact: false), "cell \(r),\(c) recovered")
        } }
    }

    /// The attack can succeed, so the test above is not vacuous: (1) with primary suppression alone and
    /// the totals exact, the lone suppressed 2 of row 0 follows from the row total; (2) with the secondary
    /// cells but every published number known exactly, the two 1s of row 1 are pinned (any change along a
    /// cycle sends one of them to 0), which is why the totals are rounded too.
    @Test func theAttackSucceedsWithoutSecondarySuppressionOrRounding() {
        let primaryOnly = Self.chicago.map { $0.map { (1 ... 7).contains($0) } }
        let exactTable = PublishedTable(cells: Self.chicago.map { $0.map { (1 ... 7).contains($0) ? nil : $0 } },
                                        rowTotals: Self.chicago.map { $0.reduce(0, +) },
                                        columnTotals: (0 ..< 4).map { c in Self.chicago.reduce(0) { $0 + $1[c] } },
                                        total: Self.chicago.joined().reduce(0, +), primary: 5, secondary: 0)
        #expect(!alternativeExists(for: (0, 1), truth: Self.chicago, published: exactTable, hidden: primaryOnly, exact: true))
        let p = SafePublication.publish(Self.chicago)
        #expect(!alternativeExists(for: (1, 1), truth: Self.chicago, published: p, hidden: p.cells.map { $0.map { $0 == nil } }, exact: true))
    }

    /// A row whose only non-zero cell is small hides its total (nothing else to suppress in the row).
    @Test func aLoneSmallCountHidesItsLineTotal() {
        let p = SafePublication.publish([[3, 0, 0], [20, 30, 40], [25, 35, 45]])
        #expect(p.cells[0][0] == nil && p.rowTotals[0] == nil)
        #expect(p.cells[1][0] == nil || p.cells[2][0] == nil)   // the column's second cell
        let hidden = p.cells.map { $0.map { $0 == nil } }
        #expect(alternativeExists(for: (0, 0), truth: [[3, 0, 0], [20, 30, 40], [25, 35, 45]], published: p, hidden: hidden, exact: false))
    }
}
