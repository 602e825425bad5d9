/// Maximum-likelihood regression by Newton's method: logistic, Poisson and negative binomial (NB2).
///
/// ```
/// logistic:  ℓ = Σ w_i [y_i η_i − ln(1 + e^{η_i})]
/// Poisson:   ℓ = Σ w_i [y_i η_i − e^{η_i} − ln y_i!],             η_i = x_iβ + offset_i
/// NB2:       ℓ = Σ w_i [lnΓ(y+1/α) − lnΓ(1/α) − ln y! + y ln(αμ) − (y + 1/α) ln(1 + αμ)],  μ = e^η
/// step:      θ ← θ + (−∇²ℓ)⁻¹ ∇ℓ,  halved until ℓ does not decrease;  stop when |Δθ| < 1e-10 (scaled)
/// ```
/// Standard errors come from the inverse observed information (−∇²ℓ at the optimum), jointly over
/// (β, α) for NB2, as statsmodels. Features are centred and scaled internally (intercept kept) for
/// stability and every result is reported on the original scale (β = J β̃, Σ = J Σ̃ Jᵀ).
///
/// Optional L2 penalty: maximises ℓ − (λ/2) Σ_{j ≠ const} β_j² on the original feature scale; the
/// intercept is **not** penalised and λ is not divided by n, so λ = 1/C of scikit-learn's
/// `LogisticRegression(C=…)` (which minimises ½‖β‖² + C·Σ loss). Observation weights act as frequencies.
///
/// The standardised features are held column-major; the information XᵀWX and the score are accumulated
/// in one pass per Newton step over blocks of rows (column dot products), split across cores
/// (per-worker partial matrices, merged), and solved by Cholesky.
public enum Regression {
    /// Fits `family` to the row-major design `x` (n × k, WITHOUT an intercept column; one is added and
    /// named `const`) with feature `names`.
    public static func fit(
        family: RegressionResult.Family, x: [Double], names: [String], y: [Double],
        offset: [Double]? = nil, weights: [Double]? = nil, l2: Double = 0, maxIterations: Int = 100
    ) throws(RegressionError) -> RegressionResult {
        let k = names.count
        let n = y.count
        precondition(x.count == n * k, "Regression.fit: design has \(x.count) values for \(n) rows × \(k) features")
        precondition(offset == nil || offset!.count == n, "Regression.fit: offset length differs")
        precondition(weights == nil || weights!.count == n, "Regression.fit: weights length differs")
        precondition(l2 >= 0, "Regression.fit: the L2 penalty must be ≥ 0")
        let p = k + 1
        guard n > p else { throw .tooFewRows(rows: n, parameters: p) }
        // Validate and standardise. The features' finiteness shows in their sums (`StandardisedDesign`); only
        // when one is not finite are the rows scanned feature by feature, to name the first bad value.
        let design = StandardisedDesign(x: x, features: k, rows: n, weights: weights)
        if let j = design.nonFiniteFeature {
            try validate(family: family, x: x, names: names, y: y, offset: offset, weights: weights, checkFeatures: true)
            // Every value and weight is finite, but the feature's weighted sum overflows.
            throw .featureTooLarge(names[j])
        }
        try validate(family: family, x: x, names: names, y: y, offset: offset, weights: weights, checkFeatures: false)
        if let j = design.constantFeature { throw .constantColumn(names[j]) }
        let mean = design.mean, scale = design.scale, columns = design.columns
        // Rank check on the standardised cross-product (parallel pass; the design is standardised, so a
        // relative pivot below 1e-10 means a column is a combination of the ones before it).
        var failed = -1
        let xtx = Likelihood.crossProduct(columns: columns, p: p, n: n, weights: weights)
        guard Cholesky(xtx, p: p, relativeTolerance: 1e-10, failedColumn: &failed) != nil else {
            throw .rankDeficient(failed <= 0 ? "const" : names[failed - 1])
        }
        // Penalty in the standardised space: λ / s_j² on feature j (intercept free).
        let penalty = [0.0] + scale.map { l2 / ($0 * $0) }
        let model = Likelihood(family: family, columns: columns, p: p, y: y, offset: offset, weights: weights, penalty: penalty)
        var state = try model.maximise(maxIterations: maxIterations, names: ["const"] + names)
        // Null model: intercept only (and α re-estimated for NB2, as statsmodels' llnull). Logistic and
        // Poisson have closed forms: β₀ = logit(ȳ_w), resp. ln(Σwy / Σw e^offset).
        let nullLL = try nullLogLikelihood(family: family, y: y, offset: offset, weights: weights, maxIterations: maxIterations)
        // Back to the original scale: β_j = β̃_j / s_j, β_0 = β̃_0 − Σ β̃_j m_j / s_j.
        let q = state.theta.count
        var J = [Double](repeating: 0, count: q * q)
        J[0] = 1
        for j in 1 ..< p { J[j] = -mean[j - 1] / scale[j - 1]; J[j * q + j] = 1 / scale[j - 1] }
        if q > p { J[p * q + p] = 1 }
        var theta = [Double](repeating: 0, count: q)
        for a in 0 ..< q { for b in 0 ..< q { theta[a] += J[a * q + b] * state.theta[b] } }
        var cov = [Double](repeating: 0, count: q * q)
        for a in 0 ..< q {
            for b in 0 ..< q {
                var s = 0.0
                for c in 0 ..< q { for d in 0 ..< q { s += J[a * q + c] * state.covariance[c * q + d] * J[b * q + d] } }
                cov[a * q + b] = s
            }
        }
        state.theta = theta
        let se = (0 ..< q).map { cov[$0 * q + $0].squareRoot() }
        let est = Array(theta[0 ..< p]), bse = Array(se[0 ..< p])
        let zs = zip(est, bse).map { $0 / $1 }
        let crit = 1.959963984540054
        var covBeta = [Double](repeating: 0, count: p * p)
        for a in 0 ..< p { for b in 0 ..< p { covBeta[a * p + b] = cov[a * q + b] } }
        return RegressionResult(
            family: family, names: ["const"] + names, estimates: est, standardErrors: bse, z: zs,
            p: zs.map(MultipleTesting.twoSidedP), ciLow: zip(est, bse).map { $0 - crit * $1 }, ciHigh: zip(est, bse).map { $0 + crit * $1 },
            covariance: covBeta, alpha: q > p ? theta[p] : nil, alphaStandardError: q > p ? se[p] : nil,
            logLikelihood: state.logLikelihood, nullLogLikelihood: nullLL, n: n,
            iterations: state.iterations, converged: true, l2: l2)
    }

    /// Throws for the first row (in order: outcome, features when `checkFeatures`, offset, weight) whose value
    /// is not finite or not an outcome of `family`, or when a logistic outcome has one class only.
    static func validate(family: RegressionResult.Family, x: [Double], names: [String], y: [Double], offset: [Double]?,
                         weights: [Double]?, checkFeatures: Bool) throws(RegressionError) {
        let k = names.count, n = y.count
        var ones = 0
        for i in 0 ..< n {
            guard y[i].isFinite else { throw .nonFinite(row: i, column: "outcome") }
            if checkFeatures { for j in 0 ..< k where !x[i * k + j].isFinite { throw .nonFinite(row: i, column: names[j]) } }
            if let o = offset, !o[i].isFinite { throw .nonFinite(row: i, column: "offset") }
            if let w = weights, !w[i].isFinite { throw .nonFinite(row: i, column: "weight") }
            switch family {
            case .logistic:
                guard y[i] == 0 || y[i] == 1 else { throw .invalidOutcome(row: i, value: y[i], expected: "0 or 1") }
                if y[i] == 1 { ones += 1 }
            case .poisson, .negativeBinomial:
                guard y[i] >= 0, y[i] == y[i].rounded() else { throw .invalidOutcome(row: i, value: y[i], expected: "a count (0, 1, 2, …)") }
            }
        }
        if family == .logistic, ones == 0 || ones == n { throw .oneOutcomeClass(y[0]) }
    }

    static func nullLogLikelihood(family: RegressionResult.Family, y: [Double], offset: [Double]?, weights: [Double]?,
                                  maxIterations: Int) throws(RegressionError) -> Double {
        let n = y.count
        let (sw, swy, swe) = Likelihood.startingSums(y: y, offset: offset, weights: weights)
        switch family {
        case .logistic:
            let m = swy / sw
            return swy * RegressionMath.ln(m) + (sw - swy) * RegressionMath.ln(1 - m)
        case .poisson:
            let b0 = RegressionMath.ln(swy / swe)
            var ll = 0.0
            for i in 0 ..< n {
                let eta = b0 + (offset?[i] ?? 0)
                ll += (weights?[i] ?? 1) * (y[i] * eta - RegressionMath.expo(eta) - RegressionMath.lnGamma(y[i] + 1))
            }
            return ll
        case .negativeBinomial:
            let model = Likelihood(family: family, columns: [], p: 1, y: y, offset: offset, weights: weights, penalty: [0])
            return try model.maximise(maxIterations: maxIterations, names: ["const"]).logLikelihood
        }
    }
}
