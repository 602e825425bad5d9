/// A design matrix built from a panel: one row per (unit, target month), features from earlier months.
public struct FeatureMatrix: Sendable {
    public let names: [String]
    /// Row-major values, rows × names.count.
    public let values: [Double]
    public let outcome: [Double]
    /// Unit index and month offset of each row.
    public let unit: [Int32]
    public let month: [Int32]
    public var rows: Int { outcome.count }
}

public enum PanelError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooFewMonths(have: Int, need: Int)
    case spatialLagNeedsWeights
    case weightsMismatch(units: Int, weights: Int)
    case invalidOutcome(String)
    case missingCovariate(String)
    case kdePastUnavailable
    case contextUnavailable

    public var description: String {
        switch self {
        case .tooFewMonths(let h, let n):
            return "the panel has \(h) months but the features need \(n) earlier months plus at least one target month"
        case .spatialLagNeedsWeights: return "the spatial lag feature needs neighbours (LSOA boundaries or a grid)"
        case .weightsMismatch(let u, let w): return "the panel has \(u) units but the spatial weights \(w)"
        case .invalidOutcome(let s): return s
        case .missingCovariate(let c): return "the feature cov:\(c) needs a covariate column '\(c)', which the covariates do not have"
        case .kdePastUnavailable: return "the feature kde_past needs incident points (a counts table has none)"
        case .contextUnavailable: return "the feature context_mean_past needs the counts of every crime type (street files; a counts table has one total)"
        }
    }
}

/// Features for the risk model (issue: predictive risk model; conventions §5–§6). Every feature of
/// target month t uses months < t only, so a model can be fitted on the past and score the next month.
public enum PanelFeatures {
    /// Builds rows for every unit and every target month from the first month with enough history
    /// (max lookback) to `lastTarget` (default: the panel's last month).
    public static func build(_ panel: Panel, features: [PanelFeature], outcome: PanelOutcome,
                             weights: SpatialWeights? = nil, lastTarget: Int? = nil) throws(PanelError) -> FeatureMatrix {
        let T = panel.monthCount, U = panel.unitCount
        let first = features.map(\.lookback).max() ?? 0
        let last = lastTarget ?? (T - 1)
        guard first <= last, last < T + 1 else { throw .tooFewMonths(have: T, need: first) }
        if features.contains(where: \.needsNeighbours) {
            guard let w = weights else { throw .spatialLagNeedsWeights }
            guard w.count == U else { throw .weightsMismatch(units: U, weights: w.count) }
        }
        var covariateColumn: [String: Int] = [:]
        for (j, c) in panel.covariateNames.enumerated() { covariateColumn[c] = j }
        for f in features {
            let base: PanelFeature
            if case .log1p(let inner) = f { base = inner } else { base = f }
            if case .covariate(let c) = base, covariateColumn[c] == nil { throw .missingCovariate(c) }
            if base == .kdePast, panel.kdePast == nil { throw .kdePastUnavailable }
            if base == .contextPastMean || base == .ebContextRate, panel.contextCounts == nil { throw .contextUnavailable }
        }
        switch outcome {
        case .atLeast(let k): guard k > 0 else { throw .invalidOutcome("the outcome threshold must be > 0, got \(k.shortDescription)") }
        case .topFraction(let q): guard q > 0, q < 1 else { throw .invalidOutcome("the top fraction must be between 0 and 1, got \(q.shortDescription)") }
        case .count: break
        }
        let ctx = Context(panel, features: features, weights: weights, covariateColumn: covariateColumn)
        var values: [Double] = [], y: [Double] = [], units: [Int32] = [], months: [Int32] = []
        let k = features.count
        values.reserveCapacity((last - first + 1) * U * k)
        for t in first ... last {
            // Outcome threshold of month t for top-fraction outcomes.
            var cut = Double.infinity
            if case .topFraction(let q) = outcome, t < T {
                let sorted = (0 ..< U).map { panel.count(unit: $0, month: t) }.sorted(by: >)
                let m = max(1, Int((q * Double(U)).rounded(.up)))
                cut = max(sorted[m - 1], Double.leastNonzeroMagnitude)
            }
            for u in 0 ..< U {
                for f in features { values.append(ctx.value(f, u, t)) }
                let c = t < T ? panel.count(unit: u, month: t) : .nan
                switch outcome {
                case .atLeast(let kk): y.append(c.isNaN ? .nan : (c >= kk ? 1 : 0))
                case .topFraction: y.append(c.isNaN ? .nan : (c >= cut ? 1 : 0))
                case .count: y.append(c)
                }
                units.append(Int32(u)); months.append(Int32(t))
            }
        }
        return FeatureMatrix(names: features.map(\.description), values: values, outcome: y, unit: units, month: months)
    }

}

extension PanelFeatures {
    /// Per-build precomputations: the cumulative counts (for `mean_past`, O(1) per row), the
    /// exponentially weighted means of each half-life, and the neighbourhood features per month.
    /// Every array is `U × (T + 1)`, index `u · (T + 1) + t`, from months < t only.
    struct Context {
        let panel: Panel
        let rw: SpatialWeights?
        let covariateColumn: [String: Int]
        let W: Int
        var cumulative: [Double] = []
        var ewm: [Int: [Double]] = [:]
        var eb: [Double] = []
        var spatialPast: [Int: [Double]] = [:]
        var contextCumulative: [Double] = []
        var ebContext: [Double] = []

        init(_ panel: Panel, features: [PanelFeature], weights: SpatialWeights?, covariateColumn: [String: Int]) {
            self.panel = panel; self.covariateColumn = covariateColumn
            rw = weights?.rowStandardised
            let T = panel.monthCount, U = panel.unitCount
            W = T + 1
            let bases = Set(features.map(\.base))
            let needPast = bases.contains(.pastMean) || bases.contains(.ebRate) || bases.contains(.ebContextRate) || bases.contains { if case .spatialPastMean = $0 { return true } else { return false } }
            if needPast {
                cumulative = [Double](repeating: 0, count: U * W)
                for u in 0 ..< U { for t in 0 ..< T { cumulative[u * W + t + 1] = cumulative[u * W + t] + panel.count(unit: u, month: t) } }
            }
            if bases.contains(.contextPastMean) || bases.contains(.ebContextRate), let cc = panel.contextCounts {
                contextCumulative = [Double](repeating: 0, count: U * W)
                for u in 0 ..< U { for t in 0 ..< T { contextCumulative[u * W + t + 1] = contextCumulative[u * W + t] + cc[u * T + t] } }
            }
            if bases.contains(.ebContextRate), !contextCumulative.isEmpty {
                ebContext = [Double](repeating: .nan, count: U * W)
                for t in stride(from: 1, through: T, by: 1) {
                    let y = (0 ..< U).map { cumulative[$0 * W + t] }, c = (0 ..< U).map { contextCumulative[$0 * W + t] }
                    let sy = y.reduce(0, +), sc = c.reduce(0, +)
                    let rho = sc > 0 ? sy / sc : 0
                    let n = Double(t)
                    guard let r = try? PriorEmpiricalBayesRates(counts: y, population: [Double](repeating: n, count: U), priorRates: c.map { rho * $0 / n }, per: 1) else { continue }
                    for u in 0 ..< U { ebContext[u * W + t] = r.rates[u] }
                }
            }
            for f in bases {
                if case .ewm(let h) = f { ewm[h] = Self.ewm(panel, halfLife: Double(h)) }
            }
            if bases.contains(.ebRate), let w = weights {
                eb = [Double](repeating: .nan, count: U * W)
                for t in stride(from: 1, through: T, by: 1) {
                    let y = (0 ..< U).map { cumulative[$0 * W + t] }
                    // Exposure t months for every unit; counts are whole numbers, so this cannot throw.
                    guard let r = try? LocalEmpiricalBayesRates(counts: y, population: [Double](repeating: Double(t), count: U), neighbours: w, per: 1) else { continue }
                    for u in 0 ..< U { eb[u * W + t] = r.rates[u] }
                }
            }
            for f in bases {
                guard case .spatialPastMean(let k) = f, let w = weights else { continue }
                let wk = (k == 1 ? w.binary : w.withinSteps(k)).rowStandardised
                var out = [Double](repeating: .nan, count: U * W)
                for t in stride(from: 1, through: T, by: 1) {
                    let lag = wk.lag((0 ..< U).map { cumulative[$0 * W + t] / Double(t) })
                    for u in 0 ..< U { out[u * W + t] = lag[u] }
                }
                spatialPast[k] = out
            }
        }

        /// `ewm[u · (T + 1) + t]` = Σ_{j=1…t} d^{j−1} c[t − j] / Σ_{j=1…t} d^{j−1}, d = 2^{−1/h} (NaN at t = 0).
        static func ewm(_ panel: Panel, halfLife h: Double) -> [Double] {
            let T = panel.monthCount, U = panel.unitCount, W = T + 1, d = exp2(-1 / h)
            var out = [Double](repeating: .nan, count: U * W)
            for u in 0 ..< U {
                var num = 0.0, den = 0.0
                for t in stride(from: 1, through: T, by: 1) {
                    num = panel.count(unit: u, month: t - 1) + d * num
                    den = 1 + d * den
                    out[u * W + t] = num / den
                }
            }
            return out
        }

        func value(_ f: PanelFeature, _ u: Int, _ t: Int) -> Double {
            let p = panel
            switch f {
            case .lag(let k): return p.count(unit: u, month: t - k)
            case .rollingMean(let n):
                var s = 0.0
                for j in 1 ... n { s += p.count(unit: u, month: t - j) }
                return s / Double(n)
            case .spatialLag:
                guard let w = rw else { return .nan }
                var s = 0.0
                for k in w.offsets[u] ..< w.offsets[u + 1] { s += w.weights[k] * p.count(unit: Int(w.neighbours[k]), month: t - 1) }
                return s
            case .monthOfYearSin, .monthOfYearCos:
                let m = Double(p.months.first.advanced(by: t).month)
                let angle = 2 * Double.pi * m / 12
                return f == .monthOfYearSin ? sin(angle) : cos(angle)
            case .covariate(let c):
                guard let j = covariateColumn[c] else { return .nan }
                return p.covariateValues[u * p.covariateNames.count + j]
            case .kdePast: return p.kdePast?[u * W + t] ?? .nan
            case .pastMean: return t > 0 ? cumulative[u * W + t] / Double(t) : .nan
            case .ewm(let h): return ewm[h]?[u * W + t] ?? .nan
            case .ebRate: return eb.isEmpty ? .nan : eb[u * W + t]
            case .spatialPastMean(let k): return spatialPast[k]?[u * W + t] ?? .nan
            case .ebContextRate: return ebContext.isEmpty ? .nan : ebContext[u * W + t]
            case .contextPastMean: return t > 0 && !contextCumulative.isEmpty ? contextCumulative[u * W + t] / Double(t) : .nan
            case .log1p(let inner): return log1p(value(inner, u, t))
            }
        }
    }
}
