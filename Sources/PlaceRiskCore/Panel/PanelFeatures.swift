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

    public var description: String {
        switch self {
        case .tooFewMonths(let h, let n):
            return "the panel has \(h) months but the features need \(n) earlier months plus at least one target month"
        case .spatialLagNeedsWeights: return "the spatial lag feature needs neighbours (LSOA boundaries or a grid)"
        case .weightsMismatch(let u, let w): return "the panel has \(u) units but the spatial weights \(w)"
        case .invalidOutcome(let s): return s
        case .missingCovariate(let c): return "the feature cov:\(c) needs a covariate column '\(c)', which the covariates do not have"
        case .kdePastUnavailable: return "the feature kde_past needs incident points (a counts table has none)"
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
        if features.contains(where: { $0 == .spatialLag || $0 == .log1p(.spatialLag) }) {
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
        }
        switch outcome {
        case .atLeast(let k): guard k > 0 else { throw .invalidOutcome("the outcome threshold must be > 0, got \(k.shortDescription)") }
        case .topFraction(let q): guard q > 0, q < 1 else { throw .invalidOutcome("the top fraction must be between 0 and 1, got \(q.shortDescription)") }
        case .count: break
        }
        let rw = weights?.rowStandardised
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
                for f in features { values.append(value(f, panel, u, t, rw, covariateColumn)) }
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

    static func value(_ f: PanelFeature, _ p: Panel, _ u: Int, _ t: Int, _ w: SpatialWeights?, _ covariateColumn: [String: Int]) -> Double {
        switch f {
        case .lag(let k): return p.count(unit: u, month: t - k)
        case .rollingMean(let n):
            var s = 0.0
            for j in 1 ... n { s += p.count(unit: u, month: t - j) }
            return s / Double(n)
        case .spatialLag:
            guard let w else { return .nan }
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
        case .kdePast: return p.kdePast?[u * (p.months.count + 1) + t] ?? .nan
        case .log1p(let inner): return log1p(value(inner, p, u, t, w, covariateColumn))
        }
    }
}
