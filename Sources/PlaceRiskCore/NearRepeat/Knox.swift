/// How the distance between two incidents is measured (metres, British National Grid).
public enum KnoxDistance: String, Sendable, CaseIterable {
    /// |x₁ − x₂| + |y₁ − y₂| (the Near Repeat Calculator's default, "along the street grid").
    case manhattan
    /// √((x₁ − x₂)² + (y₁ − y₂)²).
    case euclidean

    @inline(__always)
    func between(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) -> Double {
        let dx = x1 - x2, dy = y1 - y2
        switch self {
        case .manhattan: return abs(dx) + abs(dy)
        case .euclidean: return (dx * dx + dy * dy).squareRoot()
        }
    }
}

/// Which end of a band holds a value that falls exactly on a band edge.
public enum KnoxBandEdges: String, Sendable, CaseIterable {
    /// `[lo, hi)` — the Near Repeat Calculator's rule (conventions §11), the default: a pair exactly
    /// 200 m apart with 200 m bands is in the second band "[200, 400)"; a pair 1 day apart with 1-day
    /// bands is in the second temporal band "[1, 2)".
    case leftClosed = "left-closed"
    /// `(lo, hi]` — pointpats `Knox`'s rule ("close" means distance ≤ δ and time ≤ τ); the first
    /// temporal band is `[0, d]`.
    case rightClosed = "right-closed"
}

/// The bands of a Knox / near-repeat table (Ratcliffe's Near Repeat Calculator layout).
///
/// Rows: "same location" (distance exactly 0), then `spaceBands` bands of width `spaceBand` metres
/// (the first one without the zero-distance pairs), then "more than `spaceBands·spaceBand`".
/// Columns: `timeBands` bands of width `timeBand` (days), then "more than `timeBands·timeBand`".
/// With the default `[lo, hi)` edges and b = 200, d = 1:
/// ```
/// rows:    d = 0 | 0 < d < 200 | 200 ≤ d < 400 | … | d ≥ K·b
/// columns: 0 ≤ Δt < 1 | 1 ≤ Δt < 2 | … | Δt ≥ L·d
/// ```
public struct KnoxBands: Sendable, Equatable {
    public let spaceBand: Double
    public let spaceBands: Int
    public let timeBand: Double
    public let timeBands: Int
    public let distance: KnoxDistance
    public let edges: KnoxBandEdges

    public init(spaceBand: Double, spaceBands: Int, timeBand: Double, timeBands: Int,
                distance: KnoxDistance = .manhattan, edges: KnoxBandEdges = .leftClosed) {
        precondition(spaceBand > 0 && spaceBand.isFinite, "KnoxBands: the spatial band width must be positive")
        precondition(timeBand > 0 && timeBand.isFinite, "KnoxBands: the temporal band width must be positive")
        precondition(spaceBands >= 1 && timeBands >= 1, "KnoxBands: need at least one spatial and one temporal band")
        self.spaceBand = spaceBand
        self.spaceBands = spaceBands
        self.timeBand = timeBand
        self.timeBands = timeBands
        self.distance = distance
        self.edges = edges
    }

    /// Rows of the table: same location, the K bands, more than.
    public var rowCount: Int { spaceBands + 2 }
    /// Columns of the table: the L bands, more than.
    public var columnCount: Int { timeBands + 1 }

    /// Row labels, with the intervals written as they are counted.
    public var rowLabels: [String] {
        var out = ["same location (0 m)"]
        for k in 0 ..< spaceBands {
            let lo = Double(k) * spaceBand, hi = Double(k + 1) * spaceBand
            switch edges {
            case .leftClosed: out.append(k == 0 ? "(0, \(fmt(hi))) m" : "[\(fmt(lo)), \(fmt(hi))) m")
            case .rightClosed: out.append("(\(fmt(lo)), \(fmt(hi))] m")
            }
        }
        let top = Double(spaceBands) * spaceBand
        out.append(edges == .leftClosed ? "more than: >= \(fmt(top)) m" : "more than: > \(fmt(top)) m")
        return out
    }

    /// Column labels (days), with the intervals written as they are counted.
    public var columnLabels: [String] {
        var out: [String] = []
        for k in 0 ..< timeBands {
            let lo = Double(k) * timeBand, hi = Double(k + 1) * timeBand
            switch edges {
            case .leftClosed: out.append("[\(fmt(lo)), \(fmt(hi))) days")
            case .rightClosed: out.append(k == 0 ? "[0, \(fmt(hi))] days" : "(\(fmt(lo)), \(fmt(hi))] days")
            }
        }
        let top = Double(timeBands) * timeBand
        out.append(edges == .leftClosed ? "more than: >= \(fmt(top)) days" : "more than: > \(fmt(top)) days")
        return out
    }

    private func fmt(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }

    /// The band of a non-negative value among `count` bands of `width`, `count` meaning "more than".
    /// Edge tests are done on the products `k·width`, so a value exactly on an edge goes by `edges`.
    @inline(__always)
    static func band(_ v: Double, width: Double, count: Int, edges: KnoxBandEdges) -> Int {
        let top = Double(count) * width
        switch edges {
        case .leftClosed:
            if v >= top { return count }
            var k = Int((v / width).rounded(.down))
            while k > 0 && Double(k) * width > v { k -= 1 }
            while k + 1 < count && Double(k + 1) * width <= v { k += 1 }
            return k
        case .rightClosed:
            if v > top { return count }
            var k = max(0, Int((v / width).rounded(.up)) - 1)
            while k > 0 && v <= Double(k) * width { k -= 1 }
            while k + 1 < count && v > Double(k + 1) * width { k += 1 }
            return k
        }
    }

    /// Row of a pair at distance `d` (0 = same location, `spaceBands + 1` = more than).
    @inline(__always)
    public func row(distance d: Double) -> Int {
        d == 0 ? 0 : 1 + KnoxBands.band(d, width: spaceBand, count: spaceBands, edges: edges)
    }

    /// Column of a pair `dt` days apart (`timeBands` = more than).
    @inline(__always)
    public func column(days dt: Double) -> Int {
        KnoxBands.band(dt, width: timeBand, count: timeBands, edges: edges)
    }
}

/// A Knox / near-repeat table: observed pair counts, Monte-Carlo expected counts, Knox ratios and
/// pseudo p-values per cell, row-major `rowCount × columnCount` (named fields, as the Near Repeat
/// Calculator's "observed", "mean expected", "observed over mean expected" and "significance" tables).
public struct KnoxResult: Sendable {
    public let bands: KnoxBands
    /// Number of incidents.
    public let n: Int
    /// Pairs i < j: n(n − 1)/2 (= the sum of `observed`).
    public let pairs: Int
    /// Observed pairs per cell.
    public let observed: [[Int]]
    /// Mean count per cell over the M permutations; when M = 0 (no simulation), the exact expectation
    /// `analyticExpected`.
    public let expected: [[Double]]
    /// The exact permutation expectation N_row · N_column / pairs (the row and column totals are
    /// invariant under permuting dates over fixed locations).
    public let analyticExpected: [[Double]]
    /// observed / expected (NaN when the expected count is 0).
    public let ratio: [[Double]]
    /// (1 + #{X* ≥ X}) / (M + 1), one-sided "more pairs than chance" (NaN when M = 0).
    public let p: [[Double]]
    /// Smallest and largest simulated count per cell (as the calculator's verbose output).
    public let simulatedMin: [[Int]]
    public let simulatedMax: [[Int]]
    public let permutations: Int
    public let seed: UInt64
}

/// The Knox test for space–time interaction in its Near Repeat Calculator form (Knox 1964, Applied
/// Statistics 13(1), 25–29; Ratcliffe & Rengert 2008, Security Journal 21, 58–76; Johnson et al.
/// 2007, J. Quantitative Criminology 23, 201–219): every pair of incidents i < j is counted in the
/// cell of its spatial band × temporal band; the dates are permuted over the fixed locations M times
/// (seeded) for the expected counts:
/// ```
/// X_rc      = #{ i < j : row(d_ij) = r, column(|t_i − t_j|) = c }
/// E_rc      = (1/M) Σ_m X*_rc(m)                  (X* = the table with permuted dates)
/// ratio_rc  = X_rc / E_rc
/// p_rc      = (1 + #{m : X*_rc(m) ≥ X_rc}) / (M + 1)
/// E[X*_rc]  = N_r · N_c / (n(n − 1)/2)            (exact: each location pair gets a random date pair)
/// ```
/// Bands: `KnoxBands` (which edges are closed is `KnoxBands.edges`; the default `[lo, hi)` is the
/// calculator's, checked on its published Chicago arson table).
///
/// Complexity: the points are bucketed on a grid of cell R = K·b (the finite spatial reach), so only
/// pairs within R are enumerated (P_near of them); the "more than" row is each column's total minus
/// the other rows, and the column totals come from the sorted dates by two pointers, O(n log n + L·n).
/// Each permutation only re-bands the P_near close pairs: O(M · P_near) in all, never O(M · n²).
/// Permutation m uses its own generator derived from (seed, m), so results repeat exactly for a seed
/// whatever the number of cores.
///
/// Comparison with other tools: pointpats `Knox` (one band each, "close" = d ≤ δ and Δt ≤ τ: use
/// `edges: .rightClosed`, and its NST is rows 0–1 × column 0); the Near Repeat Calculator reads
/// coordinates to 0.1 m, which moves pairs that sit on a band edge at that precision.
public enum Knox {
    /// The close pairs (row ≤ K) as parallel arrays.
    struct ClosePairs {
        var i: [Int32] = []
        var j: [Int32] = []
        var row: [UInt8] = []
    }

    /// Every pair with a finite spatial row (0 … K), by grid bucketing.
    static func closePairs(x: [Double], y: [Double], bands: KnoxBands) -> ClosePairs {
        let n = x.count
        let reach = Double(bands.spaceBands) * bands.spaceBand
        var out = ClosePairs()
        guard n >= 2 else { return out }
        let minX = x.min()!, minY = y.min()!
        // Bucket keys: column and row of a cell of side `reach` (Manhattan and Euclidean distances ≤ R
        // imply the Chebyshev distance ≤ R, so partners are in the 3 × 3 neighbouring cells).
        var key = [Int64](repeating: 0, count: n)
        for k in 0 ..< n {
            let cx = Int64(((x[k] - minX) / reach).rounded(.down)), cy = Int64(((y[k] - minY) / reach).rounded(.down))
            key[k] = cx << 32 | cy
        }
        let order = (0 ..< n).sorted { key[$0] != key[$1] ? key[$0] < key[$1] : $0 < $1 }
        var start: [Int64: Range<Int>] = [:]
        var a = 0
        while a < n {
            var b = a + 1
            while b < n && key[order[b]] == key[order[a]] { b += 1 }
            start[key[order[a]]] = a ..< b
            a = b
        }
        for i in 0 ..< n {
            let cx = key[i] >> 32, cy = key[i] & 0xFFFF_FFFF
            for ox in -1 ... 1 {
                for oy in -1 ... 1 {
                    let nx = cx + Int64(ox), ny = cy + Int64(oy)
                    guard nx >= 0, ny >= 0, let r = start[nx << 32 | ny] else { continue }
                    for q in r {
                        let j = order[q]
                        guard j > i else { continue }
                        let row = bands.row(distance: bands.distance.between(x[i], y[i], x[j], y[j]))
                        guard row <= bands.spaceBands else { continue }
                        out.i.append(Int32(i)); out.j.append(Int32(j)); out.row.append(UInt8(row))
                    }
                }
            }
        }
        return out
    }

    /// Pairs per temporal column over all n(n − 1)/2 pairs, from the sorted dates (two pointers).
    static func columnTotals(_ t: [Double], bands: KnoxBands) -> [Int] {
        let s = t.sorted(), n = s.count
        let pairs = n * (n - 1) / 2
        // within[k] = #{i < j : Δt in columns 0 ..< k}
        var within = [Int](repeating: 0, count: bands.timeBands + 1)
        for k in 1 ... bands.timeBands {
            let w = Double(k) * bands.timeBand
            var hi = 0, c = 0
            for lo in 0 ..< n {
                if hi < lo + 1 { hi = lo + 1 }
                switch bands.edges {
                case .leftClosed: while hi < n && s[hi] - s[lo] < w { hi += 1 }
                case .rightClosed: while hi < n && s[hi] - s[lo] <= w { hi += 1 }
                }
                c += hi - lo - 1
            }
            within[k] = c
        }
        var out = [Int](repeating: 0, count: bands.columnCount)
        for k in 0 ..< bands.timeBands { out[k] = within[k + 1] - within[k] }
        out[bands.timeBands] = pairs - within[bands.timeBands]
        return out
    }

    /// The table of the close pairs for dates `t` (rows 0 … K), plus the "more than" row from the
    /// column totals; flat row-major.
    static func table(_ cp: ClosePairs, t: UnsafeBufferPointer<Double>, bands: KnoxBands, columnTotals: [Int],
                      into cells: inout [Int]) {
        let nc = bands.columnCount, last = bands.spaceBands + 1
        for k in cells.indices { cells[k] = 0 }
        for k in cp.i.indices {
            let c = bands.column(days: abs(t[Int(cp.i[k])] - t[Int(cp.j[k])]))
            cells[Int(cp.row[k]) * nc + c] += 1
        }
        for c in 0 ..< nc {
            var s = 0
            for r in 0 ..< last { s += cells[r * nc + c] }
            cells[last * nc + c] = columnTotals[c] - s
        }
    }

    /// Observed pair counts only (no permutations).
    public static func observed(x: [Double], y: [Double], days t: [Double], bands: KnoxBands) -> [[Int]] {
        test(x: x, y: y, days: t, bands: bands, permutations: 0, seed: 0).observed
    }

    /// The full test: observed, Monte-Carlo expected (M permutations of the dates over the fixed
    /// locations, seeded), ratios and pseudo p-values.
    public static func test(x: [Double], y: [Double], days t: [Double], bands: KnoxBands,
                            permutations m: Int, seed: UInt64) -> KnoxResult {
        precondition(x.count == y.count && x.count == t.count, "Knox.test: \(x.count) x, \(y.count) y and \(t.count) dates")
        precondition(m >= 0, "Knox.test: the number of permutations must not be negative")
        precondition(t.allSatisfy { $0.isFinite } && x.allSatisfy { $0.isFinite } && y.allSatisfy { $0.isFinite },
                     "Knox.test: coordinates and dates must be finite")
        let n = x.count
        let pairs = n * (n - 1) / 2
        let nr = bands.rowCount, nc = bands.columnCount, cellsN = nr * nc
        let cp = closePairs(x: x, y: y, bands: bands)
        let totals = columnTotals(t, bands: bands)
        var obs = [Int](repeating: 0, count: cellsN)
        t.withUnsafeBufferPointer { table(cp, t: $0, bands: bands, columnTotals: totals, into: &obs) }
        let observedCells = obs

        // Permutations: worker w handles a contiguous slice of permutation indices with its own buffers.
        let workers = m == 0 ? 1 : Parallel.workerCount(items: m * max(cp.i.count, 1), grain: 2_000_000, maxWorkers: min(Parallel.processorCount, m))
        var sum = [Int](repeating: 0, count: workers * cellsN)
        var ge = [Int](repeating: 0, count: workers * cellsN)
        var lo = [Int](repeating: Int.max, count: workers * cellsN)
        var hi = [Int](repeating: Int.min, count: workers * cellsN)
        if m > 0 {
            sum.withUnsafeMutableBufferPointer { sp in
                ge.withUnsafeMutableBufferPointer { gp in
                    lo.withUnsafeMutableBufferPointer { lp in
                        hi.withUnsafeMutableBufferPointer { hp in
                            let ctx = UncheckedSendable((sp, gp, lp, hp))
                            Parallel.forEachSlice(count: m, workers: workers) { w, range in
                                let (sp, gp, lp, hp) = ctx.value
                                var perm = t
                                var cells = [Int](repeating: 0, count: cellsN)
                                let base = w * cellsN
                                for s in range {
                                    var rng = PermutationTest.generator(seed: seed, unit: s)
                                    perm = t
                                    // Fisher–Yates shuffle of the dates over the fixed locations.
                                    if n > 1 {
                                        for a in stride(from: n - 1, to: 0, by: -1) {
                                            let b = Int(rng.next().multipliedFullWidth(by: UInt64(a + 1)).high)
                                            perm.swapAt(a, b)
                                        }
                                    }
                                    perm.withUnsafeBufferPointer { table(cp, t: $0, bands: bands, columnTotals: totals, into: &cells) }
                                    for k in 0 ..< cellsN {
                                        let v = cells[k]
                                        sp[base + k] += v
                                        if v >= observedCells[k] { gp[base + k] += 1 }
                                        if v < lp[base + k] { lp[base + k] = v }
                                        if v > hp[base + k] { hp[base + k] = v }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Merge the workers' partials.
        var tSum = [Int](repeating: 0, count: cellsN), tGe = tSum
        var tLo = [Int](repeating: Int.max, count: cellsN), tHi = [Int](repeating: Int.min, count: cellsN)
        for w in 0 ..< workers {
            for k in 0 ..< cellsN {
                tSum[k] += sum[w * cellsN + k]; tGe[k] += ge[w * cellsN + k]
                tLo[k] = min(tLo[k], lo[w * cellsN + k]); tHi[k] = max(tHi[k], hi[w * cellsN + k])
            }
        }
        // Row totals (for the analytic expectation).
        var rowTotals = [Int](repeating: 0, count: nr)
        for r in 0 ..< nr { for c in 0 ..< nc { rowTotals[r] += obs[r * nc + c] } }

        func grid<T>(_ f: (Int) -> T) -> [[T]] { (0 ..< nr).map { r in (0 ..< nc).map { c in f(r * nc + c) } } }
        let analytic = grid { k in pairs > 0 ? Double(rowTotals[k / nc]) * Double(totals[k % nc]) / Double(pairs) : 0 }
        let expected = m > 0 ? grid { Double(tSum[$0]) / Double(m) } : analytic
        let ratio = grid { k -> Double in
            let e = expected[k / nc][k % nc]
            return e > 0 ? Double(obs[k]) / e : .nan
        }
        return KnoxResult(
            bands: bands, n: n, pairs: pairs,
            observed: grid { obs[$0] }, expected: expected, analyticExpected: analytic, ratio: ratio,
            p: grid { m > 0 ? Double(1 + tGe[$0]) / Double(m + 1) : .nan },
            simulatedMin: grid { m > 0 ? tLo[$0] : 0 }, simulatedMax: grid { m > 0 ? tHi[$0] : 0 },
            permutations: m, seed: seed)
    }
}
