/// One estimate with its normal-theory inference: estimate, standard error, z, two-sided p and the
/// 95 % interval `estimate ± 1.959964·SE` (the fields every evaluation estimator reports by name, e.g.
/// `wdd.total.estimate`, `wdd.total.se`).
public struct EffectEstimate: Sendable, Equatable {
    public let estimate: Double
    public let se: Double
    /// estimate / SE (NaN when SE = 0).
    public let z: Double
    /// Two-sided normal p-value 2·(1 − Φ(|z|)).
    public let p: Double
    public let ciLow: Double
    public let ciHigh: Double

    /// The 97.5 % standard normal quantile.
    public static let criticalValue = 1.959963984540054

    public init(estimate: Double, se: Double) {
        precondition(se >= 0 || se.isNaN, "EffectEstimate: a standard error cannot be negative")
        self.estimate = estimate
        self.se = se
        z = se > 0 ? estimate / se : .nan
        p = MultipleTesting.twoSidedP(z)
        ciLow = estimate - Self.criticalValue * se
        ciHigh = estimate + Self.criticalValue * se
    }
}

/// A coefficient of a log-linear count model read as a rate ratio: exp(β), exp(β ± 1.96·SE).
public struct LogRateRatio: Sendable, Equatable {
    /// The coefficient on the log scale, with its Wald inference.
    public let log: EffectEstimate
    public var ratio: Double { exp(log.estimate) }
    public var ciLow: Double { exp(log.ciLow) }
    public var ciHigh: Double { exp(log.ciHigh) }
    /// 100·(e^β − 1): the percentage change.
    public var percent: Double { 100 * expm1(log.estimate) }

    public init(coefficient: Double, se: Double) { log = EffectEstimate(estimate: coefficient, se: se) }
}
