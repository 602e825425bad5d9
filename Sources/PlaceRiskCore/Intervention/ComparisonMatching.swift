/// Automatic choice of comparison areas: one-to-one nearest-neighbour matching without replacement of
/// each treated unit (e.g. each LSOA of the intervention area) to an untreated candidate,
/// ```
/// exact on IMD decile (when known), then the smallest
/// d(i, j) = √( ((ln(1 + L_i) − ln(1 + L_j)) / s_L)² + ((g_i − g_j) / s_g)² )
/// L = pre-period mean count per month,  g = pre-period OLS slope of the monthly counts ÷ (1 + L)
/// s_L, s_g = SDs of ln(1 + L) and g over the candidates (ties: the earlier candidate)
/// ```
/// Why these three: **IMD decile**, because deprivation is the strongest place-level correlate of
/// violence (conventions §7), so matched areas share the context that drives their rates; **pre-period
/// level**, because the WDD compares differences in counts and needs areas of similar size (Wheeler &
/// Ratcliffe 2018), and the Poisson variance grows with the level; **pre-period trend**, because
/// difference-in-differences rests on parallel trends. Treated units are matched in order of their
/// pre-period level, largest first (the hardest to match get the widest choice).
public enum ComparisonMatching {
    public struct Unit: Sendable, Equatable {
        public let id: String
        public let decile: Int?
        /// The pre-period monthly counts.
        public let pre: [Double]
        public init(id: String, decile: Int?, pre: [Double]) {
            self.id = id
            self.decile = decile
            self.pre = pre
        }
        public var level: Double { pre.isEmpty ? 0 : pre.reduce(0, +) / Double(pre.count) }
        /// OLS slope per month of the counts, relative to 1 + level.
        public var relativeTrend: Double {
            let n = Double(pre.count)
            guard pre.count >= 2 else { return 0 }
            let tm = (n - 1) / 2, ym = level
            var sxy = 0.0, sxx = 0.0
            for (t, y) in pre.enumerated() { sxy += (Double(t) - tm) * (y - ym); sxx += (Double(t) - tm) * (Double(t) - tm) }
            return sxy / sxx / (1 + ym)
        }
    }

    /// The chosen candidate for each treated unit (same order as `treated`).
    public static func match(treated: [Unit], candidates: [Unit]) throws(InterventionError) -> [Unit] {
        guard !treated.isEmpty else { throw .emptyArea(role: "intervention") }
        guard !candidates.isEmpty else { throw .cannotMatch(unit: treated[0].id, reason: "no candidate area is left outside the intervention and displacement areas") }
        let lc = candidates.map { log(1 + $0.level) }, gc = candidates.map(\.relativeTrend)
        func sd(_ v: [Double]) -> Double {
            let m = v.reduce(0, +) / Double(v.count)
            let s = (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, v.count - 1))).squareRoot()
            return s > 0 ? s : 1
        }
        let sl = sd(lc), sg = sd(gc)
        var used = [Bool](repeating: false, count: candidates.count)
        var out = [Unit?](repeating: nil, count: treated.count)
        let order = treated.indices.sorted { treated[$0].level != treated[$1].level ? treated[$0].level > treated[$1].level : $0 < $1 }
        for i in order {
            let t = treated[i], lt = log(1 + t.level), gt = t.relativeTrend
            var best = -1, bestD = Double.infinity
            for (j, c) in candidates.enumerated() where !used[j] && (t.decile == nil || c.decile == t.decile) {
                let a = (lt - lc[j]) / sl, b = (gt - gc[j]) / sg
                let d = (a * a + b * b).squareRoot()
                if d < bestD { bestD = d; best = j }
            }
            guard best >= 0 else {
                let why = t.decile.map { "no unused candidate of IMD decile \($0) remains (\(candidates.count) candidates, \(used.filter { $0 }.count) already matched)" }
                    ?? "every candidate is already matched"
                throw .cannotMatch(unit: t.id, reason: why)
            }
            used[best] = true
            out[i] = candidates[best]
        }
        return out.map { $0! }
    }
}
