/// A unit × month panel of counts (LSOAs or grid cells), zeros included: the input of the risk model.
///
/// Layout: `counts[u · T + t]` for unit u and month offset t (T months from `months.first`).
public struct Panel: Sendable, Equatable {
    public let units: [String]
    public let months: MonthRange
    public let counts: [Double]
    /// Static per-unit covariates (e.g. IMD 2019 domain scores, population), unit-major:
    /// `covariateValues[u · covariateNames.count + j]`.
    public var covariateNames: [String] = []
    public var covariateValues: [Double] = []
    /// Optional "KDE of the past" surface sampled at each unit, `kdePast[u · (T + 1) + t]` for t = 0 … T:
    /// the mean monthly kernel density (per km²) at the unit of the selected incidents of months
    /// 0 … t − 1 (NaN at t = 0; t = T is the month after the data). See `KDEPast`.
    /// Built from incident points by the caller (the panel itself holds counts only).
    public var kdePast: [Double]?
    /// Optional counts of a wider set of crime types in the same units and months (`counts` layout),
    /// e.g. every type not proactively detected: other recorded crime as a leading indicator of the
    /// modelled one (`context_mean_past`). Built by the caller from the same incident rows.
    public var contextCounts: [Double]?

    public var unitCount: Int { units.count }
    public var monthCount: Int { months.count }

    public init(units: [String], months: MonthRange, counts: [Double]) {
        precondition(counts.count == units.count * months.count,
                     "Panel: \(counts.count) counts for \(units.count) units × \(months.count) months")
        self.units = units
        self.months = months
        self.counts = counts
    }

    /// From zero-filled keyed counts by unit × month (`lsoa,month` or `cell,month`).
    public init(_ kc: KeyedCounts, unitLabels: [String]) {
        precondition(kc.key == .lsoaMonth || kc.key == .cellMonth, "Panel: needs counts keyed by unit and month")
        precondition(unitLabels.count == kc.unitCount, "Panel: \(unitLabels.count) labels for \(kc.unitCount) units")
        self.init(units: unitLabels, months: kc.months!, counts: kc.counts.map(Double.init))
    }

    @inlinable public func count(unit u: Int, month t: Int) -> Double { counts[u * months.count + t] }

    /// Attaches static covariates (unit-major values, one row per unit in `units` order).
    public func withCovariates(names: [String], values: [Double]) -> Panel {
        precondition(values.count == names.count * unitCount, "Panel: \(values.count) covariate values for \(unitCount) units × \(names.count) columns")
        var p = self
        p.covariateNames = names
        p.covariateValues = values
        return p
    }

    /// Keeps the units at `indices` (in that order), with their covariates and KDE values.
    public func subset(units indices: [Int]) -> Panel {
        let T = months.count, c = covariateNames.count
        var p = Panel(units: indices.map { units[$0] }, months: months, counts: indices.flatMap { counts[($0 * T) ..< ($0 * T + T)] })
        p.covariateNames = covariateNames
        p.covariateValues = c == 0 ? [] : indices.flatMap { covariateValues[($0 * c) ..< ($0 * c + c)] }
        p.kdePast = kdePast.map { k in indices.flatMap { k[($0 * (T + 1)) ..< ($0 * (T + 1) + T + 1)] } }
        p.contextCounts = contextCounts.map { k in indices.flatMap { k[($0 * T) ..< ($0 * T + T)] } }
        return p
    }
}

/// One named, documented predictor computed for unit u and target month t from months before t only.
public enum PanelFeature: Hashable, Sendable, CustomStringConvertible {
    /// count[t − k] (k ≥ 1).
    case lag(Int)
    /// mean of count[t − w … t − 1] (w ≥ 1).
    case rollingMean(Int)
    /// Row-standardised mean of the neighbours' count[t − 1] (needs spatial weights).
    case spatialLag
    /// sin and cos of 2π·(month of year of t)/12: seasonality without a cliff between December and January.
    case monthOfYearSin, monthOfYearCos
    /// A static covariate of the unit (a column of the panel's covariates), named `cov:COLUMN`.
    case covariate(String)
    /// The mean monthly kernel density of the selected incidents of all months before t at the unit
    /// (the panel's `kdePast`), named `kde_past`.
    case kdePast
    /// The mean count over **all** months before t (the mean-past baseline as a feature), `mean_past`.
    case pastMean
    /// Exponentially weighted mean of the months before t with half-life h months, `ewm_H`
    /// (recency weighting, as prospective hot-spotting does; Bowers, Johnson & Pease 2004):
    /// `Σ_{j=1…t} 2^{−(j−1)/h} count[t − j] / Σ_{j=1…t} 2^{−(j−1)/h}`.
    case ewm(Int)
    /// Each unit's long-run monthly rate (all months before t) shrunk toward its neighbourhood's rate by
    /// Marshall's (1991) local empirical-Bayes estimator (`LocalEmpiricalBayesRates`; exposure t
    /// months), `eb_rate`. Needs spatial weights.
    case ebRate
    /// Row-standardised mean of `mean_past` over the units within k contiguity steps (self excluded),
    /// `spatial_mean_past_K`: the spatial lag of the long-run rate at scale k. Needs spatial weights.
    case spatialPastMean(Int)
    /// The mean over all months before t of the panel's `contextCounts` (a wider set of crime types),
    /// `context_mean_past`.
    case contextPastMean
    /// Each unit's long-run rate shrunk toward a prior proportional to its `context_mean_past`
    /// (m_i = ρ · context rate, ρ = Σ y / Σ context over the units) by `PriorEmpiricalBayesRates`,
    /// `eb_context_rate`: sparse units rank by the other crime around them, busy ones by their own.
    case ebContextRate
    /// ln(1 + feature): for the skewed count features.
    indirect case log1p(PanelFeature)

    /// Months before t the feature reads (the first target month is at least this far into the panel).
    public var lookback: Int {
        switch self {
        case .lag(let k): return k
        case .rollingMean(let w): return w
        case .spatialLag, .kdePast, .pastMean, .ewm, .ebRate, .spatialPastMean, .contextPastMean, .ebContextRate: return 1
        case .covariate: return 0
        case .monthOfYearSin, .monthOfYearCos: return 0
        case .log1p(let f): return f.lookback
        }
    }

    /// Stable column name: `lag_1`, `mean_3`, `spatial_lag_1`, `month_sin`, `month_cos`, `log1p_lag_1`.
    public var description: String {
        switch self {
        case .lag(let k): return "lag_\(k)"
        case .rollingMean(let w): return "mean_\(w)"
        case .spatialLag: return "spatial_lag_1"
        case .monthOfYearSin: return "month_sin"
        case .monthOfYearCos: return "month_cos"
        case .covariate(let c): return "cov:\(c)"
        case .kdePast: return "kde_past"
        case .pastMean: return "mean_past"
        case .ewm(let h): return "ewm_\(h)"
        case .ebRate: return "eb_rate"
        case .spatialPastMean(let k): return "spatial_mean_past_\(k)"
        case .contextPastMean: return "context_mean_past"
        case .ebContextRate: return "eb_context_rate"
        case .log1p(let f): return "log1p_\(f)"
        }
    }

    /// Parses a name produced by `description`; nil for anything else.
    public init?(name: String) {
        if name.hasPrefix("log1p_") {
            guard let inner = PanelFeature(name: String(name.dropFirst(6))), !inner.isLog else { return nil }
            self = .log1p(inner)
            return
        }
        if name.hasPrefix("lag_"), let k = Int(name.dropFirst(4)), k >= 1 { self = .lag(k); return }
        if name.hasPrefix("mean_"), let w = Int(name.dropFirst(5)), w >= 1 { self = .rollingMean(w); return }
        if name.hasPrefix("ewm_"), let h = Int(name.dropFirst(4)), h >= 1 { self = .ewm(h); return }
        if name.hasPrefix("spatial_mean_past_"), let k = Int(name.dropFirst(18)), k >= 1, k <= 5 { self = .spatialPastMean(k); return }
        if name.hasPrefix("cov:"), name.count > 4 { self = .covariate(String(name.dropFirst(4))); return }
        switch name {
        case "spatial_lag_1": self = .spatialLag
        case "month_sin": self = .monthOfYearSin
        case "month_cos": self = .monthOfYearCos
        case "kde_past": self = .kdePast
        case "mean_past": self = .pastMean
        case "eb_rate": self = .ebRate
        case "context_mean_past": self = .contextPastMean
        case "eb_context_rate": self = .ebContextRate
        default: return nil
        }
    }

    var isLog: Bool { if case .log1p = self { return true } else { return false } }

    /// The feature without its `log1p_` wrapper.
    public var base: PanelFeature { if case .log1p(let f) = self { return f } else { return self } }

    /// Whether the feature reads neighbours (spatial weights).
    public var needsNeighbours: Bool {
        switch base {
        case .spatialLag, .ebRate, .spatialPastMean: return true
        default: return false
        }
    }
}

/// What the model predicts for unit u in month t.
public enum PanelOutcome: Sendable, Equatable, CustomStringConvertible {
    /// 1 when count[t] ≥ k.
    case atLeast(Double)
    /// 1 when the unit is among the top fraction q of units by count[t] (ties at the threshold all
    /// count, so slightly more than q may be flagged; units with count 0 never are).
    case topFraction(Double)
    /// count[t] itself (Poisson / negative binomial).
    case count

    public var description: String {
        switch self {
        case .atLeast(let k): return "count >= \(k.shortDescription)"
        case .topFraction(let q): return "top \((q * 100).shortDescription)% of units"
        case .count: return "count"
        }
    }
}
