/// The placebo distribution of the WDD local effect on an area × month panel: each draw takes a
/// random placebo area (as many units as the intervention area, drawn without replacement from the
/// pool of units that play no role) and a random placebo start month, and computes the local WDD z
/// against the real comparison area over equal windows of L months before and after the placebo start:
/// ```
/// z* = ((P₁ − P₀) − (C₁ − C₀)) / √(P₀ + P₁ + C₀ + C₁),   windows [s* − L, s*) and [s*, s* + L)
/// s* uniform on L … T − L,   placebo area uniform among the pool's subsets of the same size
/// ```
/// z is used rather than the raw difference so that placebo areas of different sizes are comparable.
/// Sums come from per-unit prefix sums: O(size) per draw.
public struct WDDPlacebo: Sendable {
    public let months: Int
    public let window: Int
    public let pool: [Int]
    public let comparison: [Int]
    public let areaSize: Int
    private let prefix: [Double]   // prefix[u·(T+1) + t] = Σ_{τ<t} y_uτ

    /// `counts[u · T + t]` over `units × months`; the placebo uses months 0 ..< `months`.
    public init(counts: [Double], units: Int, months T: Int, window L: Int, pool: [Int], comparison: [Int], areaSize: Int) {
        precondition(counts.count == units * T, "WDDPlacebo: counts do not fill units × months")
        precondition(L >= 1 && 2 * L <= T, "WDDPlacebo: two windows of \(L) months do not fit in \(T)")
        precondition(areaSize >= 1 && areaSize <= pool.count, "WDDPlacebo: the pool has \(pool.count) units for areas of \(areaSize)")
        months = T
        window = L
        self.pool = pool
        self.comparison = comparison
        self.areaSize = areaSize
        var p = [Double](repeating: 0, count: units * (T + 1))
        for u in 0 ..< units { for t in 0 ..< T { p[u * (T + 1) + t + 1] = p[u * (T + 1) + t] + counts[u * T + t] } }
        prefix = p
    }

    func sum(_ units: [Int], _ from: Int, _ to: Int) -> Double {
        units.reduce(0) { $0 + prefix[$1 * (months + 1) + to] - prefix[$1 * (months + 1) + from] }
    }

    /// The local WDD z of `area` against the comparison with the start at `s`; nil with no incidents.
    public func statistic(area: [Int], start s: Int) -> Double? {
        let L = window
        let p0 = sum(area, s - L, s), p1 = sum(area, s, s + L)
        let c0 = sum(comparison, s - L, s), c1 = sum(comparison, s, s + L)
        let v = p0 + p1 + c0 + c1
        guard v > 0 else { return nil }
        return ((p1 - p0) - (c1 - c0)) / v.squareRoot()
    }

    /// One random placebo (area, start) from the generator.
    public func draw<G: RandomNumberGenerator>(using rng: inout G) -> (area: [Int], start: Int) {
        var idx = pool
        for i in 0 ..< areaSize { idx.swapAt(i, Int.random(in: i ..< idx.count, using: &rng)) }
        return (Array(idx[0 ..< areaSize]), Int.random(in: window ... months - window, using: &rng))
    }

    /// The placebo test of `observed` with `draws` placebos.
    public func run<G: RandomNumberGenerator>(observed: Double, draws: Int, using rng: inout G) -> PlaceboResult? {
        PlaceboTest.run(observed: observed, draws: draws, using: &rng) { g in
            let d = draw(using: &g)
            return statistic(area: d.area, start: d.start)
        }
    }
}
