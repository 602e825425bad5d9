/// What a regression fit reports (all on the original scale of the features).
public struct RegressionResult: Sendable {
    public enum Family: String, Sendable, CaseIterable {
        case logistic
        case poisson
        /// Negative binomial NB2: Var(y) = μ + α μ², α estimated by maximum likelihood.
        case negativeBinomial = "negbin"
    }

    public let family: Family
    /// Coefficient names; the intercept is `const`.
    public let names: [String]
    public let estimates: [Double]
    public let standardErrors: [Double]
    public let z: [Double]
    /// Two-sided Wald p-values.
    public let p: [Double]
    public let ciLow: [Double]
    public let ciHigh: [Double]
    /// Covariance of the estimates (row-major, names × names): inverse observed information.
    public let covariance: [Double]
    /// NB2 dispersion α and its standard error (nil for other families).
    public let alpha: Double?
    public let alphaStandardError: Double?
    public let logLikelihood: Double
    public let nullLogLikelihood: Double
    public let n: Int
    public let iterations: Int
    public let converged: Bool
    /// L2 penalty λ on the non-intercept coefficients (0 = unpenalised maximum likelihood).
    public let l2: Double

    /// Number of estimated parameters (coefficients, plus α for NB2).
    public var parameterCount: Int { estimates.count + (alpha == nil ? 0 : 1) }
    /// McFadden's pseudo-R² = 1 − ℓ/ℓ₀.
    public var mcFaddenR2: Double { 1 - logLikelihood / nullLogLikelihood }
    /// AIC = −2ℓ + 2k (k counts α for NB2, as statsmodels).
    public var aic: Double { -2 * logLikelihood + 2 * Double(parameterCount) }
    /// BIC = −2ℓ + k ln n.
    public var bic: Double { -2 * logLikelihood + Double(parameterCount) * RegressionMath.ln(Double(n)) }
    /// exp(β): odds ratios (logistic) or rate ratios (counts).
    public var ratios: [Double] { estimates.map { RegressionMath.expo($0) } }
}

/// Why a fit failed. Each case is a sentence naming the columns involved.
public enum RegressionError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooFewRows(rows: Int, parameters: Int)
    case constantColumn(String)
    /// A feature whose values are finite but whose sum overflows a double (|values| near 1e308).
    case featureTooLarge(String)
    case rankDeficient(String)
    case oneOutcomeClass(Double)
    case invalidOutcome(row: Int, value: Double, expected: String)
    case nonFinite(row: Int, column: String)
    case separation(columns: [String], rows: Int)
    case noConvergence(iterations: Int)

    public var description: String {
        switch self {
        case .tooFewRows(let n, let k): return "\(n) rows cannot identify \(k) parameters"
        case .constantColumn(let c): return "feature '\(c)' is constant: it is collinear with the intercept"
        case .featureTooLarge(let c): return "feature '\(c)' has values too large to sum (near 1e308): rescale it, e.g. to thousands or millions"
        case .rankDeficient(let c): return "feature '\(c)' is a linear combination of the features before it (rank-deficient design)"
        case .oneOutcomeClass(let v): return "the outcome takes only the value \(v.shortDescription): there is nothing to model"
        case .invalidOutcome(let r, let v, let e): return "row \(r + 1): outcome \(v.shortDescription) is not \(e)"
        case .nonFinite(let r, let c): return "row \(r + 1): '\(c)' is not a finite number"
        case .separation(let cols, let rows):
            return "(quasi-)complete separation: \(rows) rows are predicted perfectly and the coefficients of \(cols.joined(separator: ", ")) diverge; drop or combine those features, or fit with an L2 penalty"
        case .noConvergence(let it): return "Newton's method did not converge in \(it) iterations"
        }
    }
}
