/// The placebo distribution of the WDD local effect on an area × month panel. Each draw repeats the
/// whole design where nothing happened: a random placebo area (as many units as the intervention
/// area, drawn without replacement from `pool`), a random placebo start month s*, a comparison matched
/// to it by the rule of `ComparisonMatching` (exact on decile, nearest on the log pre-period level and
/// relative trend over the months before s*; not the placebo area nor its neighbours; without
/// replacement), and the local WDD z over equal windows of L months:
/// ```
/// z* = ((P₁ − P₀) − (C₁ − C₀)) / √(P₀ + P₁ + C₀ + C₁),   windows [s* − L, s*) and [s*, s* + L)
/// s* uniform on L … T − L,   placebo area uniform among the pool's subsets of the same size
/// ```
/// Because each placebo is made exactly as the real estimate is, the real one is exchangeable with them
/// under no effect and the empirical p is calibrated whatever the counts' dispersion (checked on real
/// police data). Differences from `ComparisonMatching`: the SDs that scale the distance are taken over
/// every candidate unit at that start. z is used rather than the raw difference so that areas of
/// different sizes are comparable. Level and trend come from prefix sums: O(units) per placebo unit.
public struct WDDPlacebo: Sendable {
    public let months: Int
    public let window: Int
    public let pool: [Int]
    public let areaSize: Int
    let units: Int
    let candidate: [Bool]
    let decile: [Int?]
    let neighbours: [[Int]]
    private let prefix: [Double]   // prefix[u·(T+1) + t] = Σ_{τ<t} y_uτ
    private let prefixT: [Double]  // Σ_{τ<t} τ·y_uτ
    /// Per start s (index s − window): each unit's (ln(1 + level), relative trend), the SDs over the
    /// candidates, and the candidates sorted by level (for an outward nearest-neighbour search).
    private let level: [[Double]], trend: [[Double]], sdLevel: [Double], sdTrend: [Double], byLevel: [[Int]]

    /// `counts[u · T + t]` over `units × months`; `candidate[u]`: u may serve as a placebo's comparison.
    public init(counts: [Double], units: Int, months T: Int, window L: Int, pool: [Int], candidate: [Bool],
                decile: [Int?], neighbours: [[Int]], areaSize: Int) {
        precondition(counts.count == units * T, "WDDPlacebo: counts do not fill units × months")
        precondition(L >= 1 && 2 * L <= T, "WDDPlacebo: two windows of \(L) months do not fit in \(T)")
        precondition(areaSize >= 1 && areaSize <= pool.count, "WDDPlacebo: the pool has \(pool.count) units for areas of \(areaSize)")
        precondition(candidate.count == units && decile.count == units && (neighbours.isEmpty || neighbours.count == units), "WDDPlacebo: one entry per unit")
        months = T
        window = L
        self.pool = pool
        self.areaSize = areaSize
        self.units = units
        self.candidate = candidate
        self.decile = decile
        self.neighbours = neighbours.isEmpty ? [[Int]](repeating: [], count: units) : neighbours
        var p = [Double](repeating: 0, count: units * (T + 1)), q = p
        for u in 0 ..< units {
            for t in 0 ..< T {
                p[u * (T + 1) + t + 1] = p[u * (T + 1) + t] + counts[u * T + t]
                q[u * (T + 1) + t + 1] = q[u * (T + 1) + t] + Double(t) * counts[u * T + t]
            }
        }
        prefix = p
        prefixT = q
        var lv: [[Double]] = [], tr: [[Double]] = [], sl: [Double] = [], sg: [Double] = [], order: [[Int]] = []
        let cands = (0 ..< units).filter { candidate[$0] }
        func sd(_ v: [Double]) -> Double {
            guard v.count >= 2 else { return 1 }
            let m = v.reduce(0, +) / Double(v.count)
            let x = (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot()
            return x > 0 ? x : 1
        }
        for start in L ... T - L {
            var a = [Double](repeating: 0, count: units), b = a
            for u in 0 ..< units { (a[u], b[u]) = Self.features(p, q, T, u, start) }
            lv.append(a); tr.append(b)
            sl.append(sd(cands.map { a[$0] })); sg.append(sd(cands.map { b[$0] }))
            order.append(cands.sorted { a[$0] != a[$1] ? a[$0] < a[$1] : $0 < $1 })
        }
        level = lv; trend = tr; sdLevel = sl; sdTrend = sg; byLevel = order
    }

    func sum(_ us: [Int], _ from: Int, _ to: Int) -> Double {
        us.reduce(0) { $0 + prefix[$1 * (months + 1) + to] - prefix[$1 * (months + 1) + from] }
    }

    /// ln(1 + level) and the relative OLS trend of unit u over months 0 ..< s.
    static func features(_ prefix: [Double], _ prefixT: [Double], _ months: Int, _ u: Int, _ s: Int) -> (Double, Double) {
        let n = Double(s)
        let s0 = prefix[u * (months + 1) + s], s1 = prefixT[u * (months + 1) + s]
        let level = s0 / n
        guard s >= 2 else { return (log(1 + level), 0) }
        let tm = (n - 1) / 2, sxx = n * (n * n - 1) / 12
        return (log(1 + level), (s1 - tm * s0) / sxx / (1 + level))
    }

    /// The matched comparison of `area` at start `s` (window ≤ s ≤ months − window; nil when a unit cannot
    /// be matched): for each unit, largest pre-period count first, the nearest unused candidate of its
    /// decile outside the area and its neighbours.
    public func comparison(area: [Int], start s: Int, excluding extra: Set<Int> = []) -> [Int]? {
        precondition(s >= window && s <= months - window, "WDDPlacebo.comparison: start outside the placebo range")
        let k = s - window
        let lv = level[k], tr = trend[k], sl = sdLevel[k], sg = sdTrend[k], order = byLevel[k]
        var excluded = Set(area).union(extra)
        for a in area { excluded.formUnion(neighbours[a]) }
        var out: [Int] = []
        let sorted = area.sorted { prefix[$0 * (months + 1) + s] != prefix[$1 * (months + 1) + s] ? prefix[$0 * (months + 1) + s] > prefix[$1 * (months + 1) + s] : $0 < $1 }
        for a in sorted {
            let la = lv[a], ga = tr[a]
            // Outward search from a's place in the level order: stop a side once its level gap alone exceeds the best.
            var lo = 0, hi = order.count
            while lo < hi { let m = (lo + hi) / 2; if lv[order[m]] < la { lo = m + 1 } else { hi = m } }
            var best = -1, bestD = Double.infinity
            var i = lo - 1, j = lo
            func consider(_ c: Int) {
                guard !excluded.contains(c), decile[a] == nil || decile[c] == decile[a] else { return }
                let x = (la - lv[c]) / sl, y = (ga - tr[c]) / sg
                let d = x * x + y * y
                if d < bestD || (d == bestD && c < best) { bestD = d; best = c }
            }
            while i >= 0 || j < order.count {
                let gl = i >= 0 ? (la - lv[order[i]]) / sl : .infinity, gr = j < order.count ? (lv[order[j]] - la) / sl : .infinity
                if min(gl, gr) * min(gl, gr) > bestD { break }
                if gl <= gr { consider(order[i]); i -= 1 } else { consider(order[j]); j += 1 }
            }
            guard best >= 0 else { return nil }
            excluded.insert(best)
            out.append(best)
        }
        return out
    }

    /// The local WDD z of `area` against `comparison` with the start at `s`; nil with no incidents.
    public func statistic(area: [Int], comparison: [Int], start s: Int) -> Double? {
        let L = window
        let p0 = sum(area, s - L, s), p1 = sum(area, s, s + L)
        let c0 = sum(comparison, s - L, s), c1 = sum(comparison, s, s + L)
        let v = p0 + p1 + c0 + c1
        guard v > 0 else { return nil }
        return ((p1 - p0) - (c1 - c0)) / v.squareRoot()
    }

    /// The whole placebo design at `area` and `s`: its matched comparison, then the local z.
    public func statistic(area: [Int], start s: Int, excluding extra: Set<Int> = []) -> Double? {
        guard let c = comparison(area: area, start: s, excluding: extra) else { return nil }
        return statistic(area: area, comparison: c, start: s)
    }

    /// One random placebo (area, start) from the generator.
    public func draw<G: RandomNumberGenerator>(using rng: inout G) -> (area: [Int], start: Int) {
        var idx = pool
        for i in 0 ..< areaSize { idx.swapAt(i, Int.random(in: i ..< idx.count, using: &rng)) }
        return (Array(idx[0 ..< areaSize]), Int.random(in: window ... months - window, using: &rng))
    }

    /// The placebo test of `observed` with `draws` placebos; a placebo area touching `excluding` is
    /// redrawn, and those units never serve as a placebo's comparison.
    public func run<G: RandomNumberGenerator>(observed: Double, draws: Int, excluding extra: Set<Int> = [], using rng: inout G) -> PlaceboResult? {
        PlaceboTest.run(observed: observed, draws: draws, using: &rng) { g in
            let d = draw(using: &g)
            guard extra.isDisjoint(with: d.area) else { return nil }
            return statistic(area: d.area, start: d.start, excluding: extra)
        }
    }
}
