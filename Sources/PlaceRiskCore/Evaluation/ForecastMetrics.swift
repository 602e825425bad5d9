/// Forecast evaluation for place-based risk (conventions §6).
///
/// ```
/// AUC      = P(risk of a random positive > risk of a random negative), ties ½ (Mann–Whitney with mid-ranks)
/// Brier    = mean (p − y)²
/// log-loss = −mean[y ln p + (1 − y) ln(1 − p)],  p clipped to [1e-15, 1 − 1e-15]
/// hit rate = n / N,   PAI = (n / N) / (a / A)     (Chainey, Tompson & Uhlig 2008, Security Journal 21)
/// PEI      = PAI / PAI*, PAI* = best PAI with the same flagged area using the observed counts (Hunt 2016;
///            units taken by observed density)
/// ```
/// Units are ranked by predicted risk, highest first; ties are broken by unit index (deterministic).
/// The top fraction of **area** is flagged: units are taken in rank order while the flagged area is
/// below the fraction (so the unit that crosses it is included and `a` is the area actually flagged).
public enum ForecastMetrics {
    /// Area under the ROC curve for binary outcomes; nil when only one class is present.
    public static func auc(risk: [Double], outcome: [Double]) -> Double? {
        precondition(risk.count == outcome.count, "ForecastMetrics.auc: lengths differ")
        let order = risk.indices.sorted { risk[$0] < risk[$1] }
        var ranks = [Double](repeating: 0, count: risk.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, risk[order[j + 1]] == risk[order[i]] { j += 1 }
            let mid = Double(i + j) / 2 + 1
            for k in i ... j { ranks[order[k]] = mid }
            i = j + 1
        }
        let pos = outcome.indices.filter { outcome[$0] == 1 }
        let nPos = Double(pos.count), nNeg = Double(outcome.count - pos.count)
        guard nPos > 0, nNeg > 0 else { return nil }
        let rankSum = pos.reduce(0.0) { $0 + ranks[$1] }
        return (rankSum - nPos * (nPos + 1) / 2) / (nPos * nNeg)
    }

    public static func brier(probability p: [Double], outcome y: [Double]) -> Double {
        precondition(p.count == y.count && !p.isEmpty, "ForecastMetrics.brier: lengths differ or empty")
        return zip(p, y).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(p.count)
    }

    public static func logLoss(probability p: [Double], outcome y: [Double]) -> Double {
        precondition(p.count == y.count && !p.isEmpty, "ForecastMetrics.logLoss: lengths differ or empty")
        var s = 0.0
        for (pi, yi) in zip(p, y) {
            let q = min(max(pi, 1e-15), 1 - 1e-15)
            s -= yi * log(q) + (1 - yi) * log(1 - q)
        }
        return s / Double(p.count)
    }

    /// Hit rate, PAI and PEI at one fraction of area.
    public struct AreaResult: Sendable, Equatable {
        public let fraction: Double
        /// Area actually flagged / total area.
        public let flaggedAreaShare: Double
        public let flaggedUnits: Int
        public let hitRate: Double
        public let pai: Double
        public let pei: Double
    }

    /// Units in rank order (risk descending, index ascending on ties): the stable radix sort of −risk
    /// (`RadixSort`, O(n)), which is that order exactly; with a NaN (no order) the comparison sort.
    public static func ranking(_ risk: [Double]) -> [Int] {
        guard !risk.contains(where: \.isNaN) else { return rankingByComparison(risk) }
        return RadixSort.argsort(risk.map { -$0 }).order.map(Int.init)
    }

    /// The same order by a comparison sort (the oracle of `ranking`).
    static func rankingByComparison(_ risk: [Double]) -> [Int] {
        risk.indices.sorted { risk[$0] != risk[$1] ? risk[$0] > risk[$1] : $0 < $1 }
    }

    /// The units flagged at `fraction` of the total area: in rank order (`ranking`), each unit is
    /// added while the area flagged so far is below `fraction` · total (the rule `areaMetrics` uses).
    public static func flagged(risk: [Double], area: [Double]? = nil, fraction: Double) -> [Bool] {
        precondition(fraction > 0 && fraction <= 1, "ForecastMetrics.flagged: fraction must be in (0, 1]")
        let a = area ?? [Double](repeating: 1, count: risk.count)
        let limit = fraction * a.reduce(0, +)
        var out = [Bool](repeating: false, count: risk.count), ar = 0.0
        for i in ranking(risk) {
            if ar >= limit { break }
            out[i] = true; ar += a[i]
        }
        return out
    }

    /// Hit rate, PAI and PEI at `fraction` of the total area; nil when nothing was observed (N = 0).
    public static func areaMetrics(risk: [Double], observed: [Double], area: [Double]? = nil, fraction: Double) -> AreaResult? {
        precondition(risk.count == observed.count, "ForecastMetrics.areaMetrics: lengths differ")
        precondition(fraction > 0 && fraction <= 1, "ForecastMetrics.areaMetrics: fraction must be in (0, 1]")
        let a = area ?? [Double](repeating: 1, count: risk.count)
        let totalN = observed.reduce(0, +), totalA = a.reduce(0, +)
        guard totalN > 0, totalA > 0 else { return nil }
        func flag(_ order: [Int], limit: Double) -> (n: Double, area: Double, units: Int) {
            var n = 0.0, ar = 0.0, u = 0
            for i in order {
                if ar >= limit { break }
                n += observed[i]; ar += a[i]; u += 1
            }
            return (n, ar, u)
        }
        let model = flag(ranking(risk), limit: fraction * totalA)
        // Best possible with the same area: rank by observed density (count / area; with equal areas,
        // by count). With unequal areas this greedy choice is the natural bound but not a guaranteed
        // optimum (a knapsack), so PEI can slightly exceed 1 there.
        let best = flag(ranking(zip(observed, a).map { $0 / $1 }), limit: model.area)
        let hit = model.n / totalN
        let pai = hit / (model.area / totalA)
        let paiStar = (best.n / totalN) / (best.area / totalA)
        return AreaResult(fraction: fraction, flaggedAreaShare: model.area / totalA, flaggedUnits: model.units,
                          hitRate: hit, pai: pai, pei: paiStar > 0 ? pai / paiStar : .nan)
    }

    /// Calibration: units split into `groups` equal-count groups by predicted risk (rank order);
    /// mean predicted probability and observed rate in each, lowest risk first.
    public static func calibration(probability p: [Double], outcome y: [Double], groups: Int = 10) -> [(predicted: Double, observed: Double, units: Int)] {
        precondition(p.count == y.count && groups >= 1, "ForecastMetrics.calibration: bad input")
        let order = ranking(p).reversed().map { $0 }
        var out: [(Double, Double, Int)] = []
        for g in 0 ..< groups {
            let r = Parallel.slice(g, of: groups, count: order.count)
            guard !r.isEmpty else { continue }
            let idx = order[r]
            out.append((idx.reduce(0.0) { $0 + p[$1] } / Double(idx.count), idx.reduce(0.0) { $0 + y[$1] } / Double(idx.count), idx.count))
        }
        return out
    }
}
