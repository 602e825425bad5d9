/// The log-likelihood of one family on a standardised design, its gradient and observed information,
/// and Newton's method on it (see `Regression`).
struct Likelihood {
    let family: RegressionResult.Family
    /// The standardised features, column-major: feature j (parameter j = 1..<p) holds rows
    /// `(j − 1)·n ..< j·n`. Parameter 0 is the intercept, whose column (all 1) is not stored.
    let columns: [Double]
    let p: Int
    let y: [Double]
    let offset: [Double]?
    let weights: [Double]?
    /// L2 penalty per coefficient (0 for the intercept).
    let penalty: [Double]

    var n: Int { y.count }
    /// Parameters: β (p), plus α for NB2.
    var q: Int { family == .negativeBinomial ? p + 1 : p }

    init(family: RegressionResult.Family, columns: [Double], p: Int, y: [Double], offset: [Double]?, weights: [Double]?, penalty: [Double]) {
        precondition(columns.count == (p - 1) * y.count, "Likelihood: \(columns.count) feature values for \(y.count) rows × \(p - 1) features")
        self.family = family
        self.columns = columns
        self.p = p
        self.y = y
        self.offset = offset
        self.weights = weights
        self.penalty = penalty
    }

    struct State {
        var theta: [Double]
        /// Inverse observed information (penalised when λ > 0), q × q.
        var covariance: [Double]
        var logLikelihood: Double
        var iterations: Int
    }

    /// Rows per block of the column passes: the block's slice of every column and its per-row factors stay in
    /// the first-level cache while they are summed.
    static let blockRows = 256

    /// η_i = θ₀ + offset_i + Σ_j θ_j z_ij for one row (the scalar paths: start values, the separation check).
    func linearPredictor(_ theta: [Double], row i: Int) -> Double {
        var eta = theta[0] + (offset?[i] ?? 0)
        for j in 1 ..< p { eta += columns[(j - 1) * n + i] * theta[j] }
        return eta
    }

    /// Adds Σ_u f_u z_u z_uᵀ over one block of `m` rows starting at row `b0` to the lower triangle of the
    /// β block of `h` (row stride `q`), z_u = (1, z_u1, …). `tmp` holds `m` doubles of scratch.
    @inline(__always)
    static func addInformation(_ h: UnsafeMutablePointer<Double>, q: Int, p: Int, columns: UnsafePointer<Double>?, n: Int,
                               b0: Int, m: Int, factor f: UnsafePointer<Double>, tmp: UnsafeMutablePointer<Double>) {
        h[0] += SIMDKernels.sum(f, m)
        for j in 1 ..< p {
            let zj = columns! + (j - 1) * n + b0
            SIMDKernels.product(tmp, f, zj, m)
            h[j * q] += SIMDKernels.sum(tmp, m)
            for c in 1 ... j { h[j * q + c] += SIMDKernels.dot(tmp, columns! + (c - 1) * n + b0, m) }
        }
    }

    /// Σ w z zᵀ (p × p, z with its intercept) — for the rank check.
    static func crossProduct(columns: [Double], p: Int, n: Int, weights: [Double]?) -> [Double] {
        let k = Parallel.workerCount(items: n, grain: 50_000)
        var parts = [Double](repeating: 0, count: p * p * k)
        columns.withUnsafeBufferPointer { cp in
            parts.withUnsafeMutableBufferPointer { pp in
                let ctx = UncheckedSendable((cp, pp))
                Parallel.forEachSlice(count: n, workers: k) { worker, rows in
                    let (cp, pp) = ctx.value
                    let a = pp.baseAddress! + worker * p * p
                    let b = blockRows
                    let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 2 * b)
                    defer { scratch.deallocate() }
                    let f = scratch, tmp = scratch + b
                    var b0 = rows.lowerBound
                    while b0 < rows.upperBound {
                        let m = min(b, rows.upperBound - b0)
                        for u in 0 ..< m { f[u] = weights?[b0 + u] ?? 1 }
                        addInformation(a, q: p, p: p, columns: cp.baseAddress.map { UnsafePointer($0) }, n: n, b0: b0, m: m, factor: f, tmp: tmp)
                        b0 += m
                    }
                }
            }
        }
        var a = [Double](repeating: 0, count: p * p)
        for w in 0 ..< k { for j in 0 ..< p * p { a[j] += parts[w * p * p + j] } }
        for r in 0 ..< p { for c in 0 ..< r { a[c * p + r] = a[r * p + c] } }
        return a
    }

    /// `body` with the weights' buffer (an empty buffer without weights).
    func withWeights<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R {
        guard let weights else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return weights.withUnsafeBufferPointer(body)
    }

    /// The logistic rows' score factors s_u = w_u (y_u − μ_u) and curvature factors c_u = w_u μ_u (1 − μ_u) for
    /// `count` rows, four at a time; returns Σ w_u ℓ_u when `logLikelihood` is set (0 otherwise).
    ///
    /// With e = e^{−|η|}: μ = σ(η) = 1 / (1 + e) for η ≥ 0 and e / (1 + e) for η < 0, and
    /// ℓ_u = y η − softplus(η), softplus(η) = max(η, 0) + ln(1 + e) — no overflow for any η.
    /// e comes from glibc's `exp` lane by lane (a polynomial exp on 2-wide SSE2 vectors measured slower).
    @inline(__always)
    static func logisticFactors(eta: UnsafePointer<Double>, y: UnsafePointer<Double>, weights: UnsafePointer<Double>?, count m: Int,
                                score: UnsafeMutablePointer<Double>, curvature: UnsafeMutablePointer<Double>, logLikelihood: Bool) -> Double {
        var ll = 0.0
        var u = 0
        let one = SIMD4<Double>(repeating: 1)
        while u < m {
            let lanes = min(4, m - u)
            var ev = SIMD4<Double>(), yv = SIMD4<Double>(), wv = one
            if lanes == 4 {
                ev = UnsafeRawPointer(eta + u).loadUnaligned(as: SIMD4<Double>.self)
                yv = UnsafeRawPointer(y + u).loadUnaligned(as: SIMD4<Double>.self)
                if let weights { wv = UnsafeRawPointer(weights + u).loadUnaligned(as: SIMD4<Double>.self) }
            } else {
                for l in 0 ..< lanes { ev[l] = eta[u + l]; yv[l] = y[u + l]; wv[l] = weights?[u + l] ?? 1 }
            }
            var e = SIMD4<Double>()
            for l in 0 ..< 4 { e[l] = RegressionMath.expo(-abs(ev[l])) }
            let mu = e.replacing(with: 1, where: ev .>= 0) / (one + e)
            let s = wv * (yv - mu), c = wv * (mu * (one - mu))
            if logLikelihood {
                for l in 0 ..< lanes { ll += wv[l] * (yv[l] * ev[l] - (max(ev[l], 0) + RegressionMath.ln1pNonNegative(e[l]))) }
            }
            if lanes == 4 {
                UnsafeMutableRawPointer(score + u).storeBytes(of: s, as: SIMD4<Double>.self)
                UnsafeMutableRawPointer(curvature + u).storeBytes(of: c, as: SIMD4<Double>.self)
            } else {
                for l in 0 ..< lanes { score[u + l] = s[l]; curvature[u + l] = c[l] }
            }
            u += lanes
        }
        return ll
    }

    /// ℓ (unpenalised), gradient and −Hessian of ℓ at θ.
    ///
    /// Rows are taken in blocks of `blockRows`: η for the block is accumulated column by column, the
    /// per-row score factor s_u and curvature factor c_u are computed (one exp, and a log1p for ℓ, per row
    /// for the logistic), and then g += Σ s_u z_u and the information += Σ c_u z_u z_uᵀ are column dot
    /// products over the block — every pass a contiguous vector loop.
    func evaluate(_ theta: [Double], needLogLikelihood: Bool = true) -> (ll: Double, grad: [Double], info: [Double]) {
        let q = self.q, p = self.p, n = self.n
        let alpha = family == .negativeBinomial ? theta[p] : 0
        let k = Parallel.workerCount(items: n, grain: 50_000)
        let stride = 1 + q + q * q
        var parts = [Double](repeating: 0, count: stride * k)
        columns.withUnsafeBufferPointer { cp in
            y.withUnsafeBufferPointer { yp in
                parts.withUnsafeMutableBufferPointer { pp in withWeights { wb in
                    let ctx = UncheckedSendable((cp, yp, pp, wb))
                    let fam = family, off = offset
                    Parallel.forEachSlice(count: n, workers: k) { worker, rows in
                        let (cp, yp, pp, wb) = ctx.value
                        let wp = wb.baseAddress.map { UnsafePointer($0) }
                        let cols = cp.baseAddress.map { UnsafePointer($0) }
                        let base = worker * stride
                        var ll = 0.0
                        let g = UnsafeMutablePointer<Double>.allocate(capacity: q), h = UnsafeMutablePointer<Double>.allocate(capacity: q * q)
                        let b = Likelihood.blockRows
                        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 5 * b)
                        defer { g.deallocate(); h.deallocate(); scratch.deallocate() }
                        g.initialize(repeating: 0, count: q); h.initialize(repeating: 0, count: q * q)
                        let eta = scratch, sb = scratch + b, cb = scratch + 2 * b, ab = scratch + 3 * b, tmp = scratch + 4 * b
                        let a = alpha > 0 ? 1 / alpha : 0
                        let psiA = fam == .negativeBinomial ? SpecialFunctions.digamma(a) : 0
                        let triA = fam == .negativeBinomial ? SpecialFunctions.trigamma(a) : 0
                        let lgA = fam == .negativeBinomial ? RegressionMath.lnGamma(a) : 0
                        let lnAlpha = fam == .negativeBinomial ? RegressionMath.ln(alpha) : 0
                        var b0 = rows.lowerBound
                        while b0 < rows.upperBound {
                            let m = min(b, rows.upperBound - b0)
                            if let off { for u in 0 ..< m { eta[u] = theta[0] + off[b0 + u] } } else { eta.update(repeating: theta[0], count: m) }
                            for j in 1 ..< p { SIMDKernels.axpy(eta, theta[j], cols! + (j - 1) * n + b0, m) }
                            switch fam {
                            case .logistic:
                                ll += Likelihood.logisticFactors(eta: eta, y: yp.baseAddress! + b0, weights: wp.map { $0 + b0 }, count: m,
                                                                 score: sb, curvature: cb, logLikelihood: needLogLikelihood)
                            case .poisson:
                                for u in 0 ..< m {
                                    let mu = RegressionMath.expo(eta[u])
                                    let w = wp?[b0 + u] ?? 1, yi = yp[b0 + u]
                                    ll += w * (yi * eta[u] - mu - RegressionMath.lnGamma(yi + 1))
                                    sb[u] = w * (yi - mu); cb[u] = w * mu
                                }
                            case .negativeBinomial:
                                for u in 0 ..< m {
                                    let mu = RegressionMath.expo(eta[u])
                                    let w = wp?[b0 + u] ?? 1, yi = yp[b0 + u]
                                    let am = alpha * mu, d = 1 + am
                                    let lnd = RegressionMath.ln1p(am)
                                    ll += w * (RegressionMath.lnGamma(yi + a) - lgA - RegressionMath.lnGamma(yi + 1)
                                               + yi * (lnAlpha + eta[u]) - (yi + a) * lnd)
                                    sb[u] = w * ((yi - mu) / d)
                                    cb[u] = w * (mu * (1 + alpha * yi) / (d * d))
                                    let dpsi = SpecialFunctions.digamma(yi + a) - psiA - lnd
                                    g[p] += w * (-a * a * dpsi + (yi - mu) / (alpha * d))
                                    // −∂²ℓ/∂β∂α = z (y − μ) μ / (1 + αμ)²
                                    ab[u] = w * ((yi - mu) * mu / (d * d))
                                    let d2 = 2 * a * a * a * dpsi + a * a * a * a * (SpecialFunctions.trigamma(yi + a) - triA)
                                        + a * a * mu / d - (yi - mu) * (1 + 2 * am) / (alpha * alpha * d * d)
                                    h[p * q + p] -= w * d2
                                }
                                h[p] += SIMDKernels.sum(ab, m)
                                for j in 1 ..< p { h[j * q + p] += SIMDKernels.dot(ab, cols! + (j - 1) * n + b0, m) }
                            }
                            g[0] += SIMDKernels.sum(sb, m)
                            for j in 1 ..< p { g[j] += SIMDKernels.dot(sb, cols! + (j - 1) * n + b0, m) }
                            Likelihood.addInformation(h, q: q, p: p, columns: cols, n: n, b0: b0, m: m, factor: cb, tmp: tmp)
                            b0 += m
                        }
                        pp[base] = ll
                        for j in 0 ..< q { pp[base + 1 + j] = g[j] }
                        for j in 0 ..< q * q { pp[base + 1 + q + j] = h[j] }
                    }
                } }
            }
        }
        var ll = 0.0, g = [Double](repeating: 0, count: q), h = [Double](repeating: 0, count: q * q)
        for w in 0 ..< k {
            let base = w * stride
            ll += parts[base]
            for j in 0 ..< q { g[j] += parts[base + 1 + j] }
            for j in 0 ..< q * q { h[j] += parts[base + 1 + q + j] }
        }
        // Symmetrise: the β block was filled in its lower triangle, (β, α) in column p.
        for r in 0 ..< p { for c in 0 ..< r { h[c * q + r] = h[r * q + c] } }
        if q > p { for j in 0 ..< p { h[p * q + j] = h[j * q + p] } }
        return (ll, g, h)
    }

    /// Σw, Σw·y and Σw·e^{offset} (the intercept-only start and null model; e^{offset} is 1 without an offset).
    static func startingSums(y: [Double], offset: [Double]?, weights: [Double]?) -> (sw: Double, swy: Double, swe: Double) {
        var sw = 0.0, swy = 0.0, swe = 0.0
        switch (weights, offset) {
        case (nil, nil):
            for v in y { swy += v }
            sw = Double(y.count); swe = sw
        default:
            for i in 0 ..< y.count {
                let w = weights?[i] ?? 1
                sw += w; swy += w * y[i]; swe += w * (offset.map { RegressionMath.expo($0[i]) } ?? 1)
            }
        }
        return (sw, swy, swe)
    }

    /// Newton's method with step halving on the penalised objective.
    func maximise(maxIterations: Int, names: [String]) throws(RegressionError) -> State {
        var theta = [Double](repeating: 0, count: q)
        // Starting values: intercept-only fit of the mean.
        let (sw, swy, swe) = Likelihood.startingSums(y: y, offset: offset, weights: weights)
        switch family {
        case .logistic: let m = swy / sw; theta[0] = RegressionMath.ln(m / (1 - m))
        case .poisson, .negativeBinomial: theta[0] = RegressionMath.ln(max(swy, 1e-300) / swe)
        }
        if family == .negativeBinomial {
            // Start β from the Poisson fit and α from the moments: Σ((y − μ)² − y) / Σ μ².
            let pois = Likelihood(family: .poisson, columns: columns, p: p, y: y, offset: offset, weights: weights, penalty: penalty)
            let ps = try pois.maximise(maxIterations: maxIterations, names: names)
            for j in 0 ..< p { theta[j] = ps.theta[j] }
            var num = 0.0, den = 0.0
            for i in 0 ..< n {
                let mu = RegressionMath.expo(linearPredictor(theta, row: i))
                num += ((y[i] - mu) * (y[i] - mu) - y[i]); den += mu * mu
            }
            theta[p] = max(1e-3, num / den)
        }
        func objective(_ ll: Double, _ t: [Double]) -> Double {
            var s = ll
            for j in 0 ..< p { s -= 0.5 * penalty[j] * t[j] * t[j] }
            return s
        }
        // The logistic fit accepts its steps by the slope along them (below), so ℓ at the start is computed
        // only if a step has to be judged by the objective.
        var (ll, g, h) = evaluate(theta, needLogLikelihood: family != .logistic)
        var obj: Double? = family == .logistic ? nil : objective(ll, theta)
        if family == .logistic { ll = .nan }
        for iteration in 1 ... maxIterations {
            // Penalised gradient and information.
            var gp = g, hp = h
            for j in 0 ..< p { gp[j] -= penalty[j] * theta[j]; hp[j * q + j] += penalty[j] }
            let step = Likelihood.solveRegularised(hp, gp, q: q)
            // A full step below the stopping size (1e-7, relative) ends the fit if it is accepted: ℓ at its end
            // is then needed, so it is computed in the same pass instead of one more pass at the end.
            var lastStep = true
            for j in 0 ..< q where abs(step[j]) / max(1, abs(theta[j])) >= 1e-7 { lastStep = false }
            var t = 1.0, accepted = false
            var cand = theta
            for _ in 0 ..< 40 {
                for j in 0 ..< q { cand[j] = theta[j] + t * step[j] }
                if family == .negativeBinomial, cand[p] <= 0 { t /= 2; continue }
                var evaluated: (ll: Double, grad: [Double], info: [Double])?
                if family == .logistic {
                    // Concave objective: if the slope along the step is still ≥ 0 at its end, the objective
                    // rose along the whole step, so ℓ (a log1p per row) is not needed to accept it.
                    let withLL = lastStep && t == 1
                    let e = evaluate(cand, needLogLikelihood: withLL)
                    var slope = 0.0
                    for j in 0 ..< q { slope += (e.grad[j] - (j < p ? penalty[j] * cand[j] : 0)) * step[j] }
                    if slope >= 0, e.grad.allSatisfy(\.isFinite) {
                        (g, h) = (e.grad, e.info); ll = withLL ? e.ll : .nan; accepted = true
                        break
                    }
                    // At the optimum the slope is rounding noise of either sign: ℓ is already here, judge by it.
                    if withLL { evaluated = e }
                }
                let e = evaluated ?? evaluate(cand)
                let o = objective(e.ll, cand)
                let current = obj ?? objective(evaluate(theta).ll, theta)
                obj = current
                if o.isFinite, o >= current - 1e-12 * abs(current) || current.isNaN {
                    (ll, g, h) = e; obj = o; accepted = true
                    break
                }
                t /= 2
            }
            var maxStep = 0.0
            for j in 0 ..< q { maxStep = max(maxStep, abs(t * step[j]) / max(1, abs(theta[j]))) }
            theta = cand
            if family == .logistic {
                let big = (1 ..< p).filter { abs(theta[$0]) > 25 }
                if !big.isEmpty || (!accepted && iteration > 5) {
                    try checkSeparation(theta, names: names)
                }
            }
            // The step just taken was below 1e-7 (relative): by Newton's quadratic convergence the error
            // left is of order its square (< 1e-13), and ℓ and the information are already evaluated here.
            if !accepted || maxStep < 1e-7 {
                if ll.isNaN { ll = evaluate(theta).ll }
                var hp = h
                for j in 0 ..< p { hp[j * q + j] += penalty[j] }
                var failed = -1
                guard let ch = Cholesky(hp, p: q, relativeTolerance: 1e-14, failedColumn: &failed) else {
                    if family == .logistic { try checkSeparation(theta, names: names) }
                    throw .rankDeficient(failed < names.count ? names[max(0, failed)] : "alpha")
                }
                return State(theta: theta, covariance: ch.inverse(), logLikelihood: ll, iterations: iteration)
            }
        }
        if family == .logistic { try checkSeparation(theta, names: names) }
        throw .noConvergence(iterations: maxIterations)
    }

    /// Throws `.separation` when some rows are predicted with certainty (|η| > 30) by diverging
    /// coefficients (|β̃| > 15 on the standardised scale).
    func checkSeparation(_ theta: [Double], names: [String]) throws(RegressionError) {
        var certain = 0
        for i in 0 ..< n {
            let eta = linearPredictor(theta, row: i)
            if abs(eta) > 30, (eta > 0) == (y[i] == 1) { certain += 1 }
        }
        let cols = (1 ..< p).filter { abs(theta[$0]) > 15 }.map { names[$0] }
        if certain > 0, !cols.isEmpty { throw .separation(columns: cols, rows: certain) }
    }

    /// Solves H x = g by Cholesky, adding a growing ridge if H is not positive definite far from the optimum.
    static func solveRegularised(_ h: [Double], _ g: [Double], q: Int) -> [Double] {
        var ridge = 0.0
        var maxDiag = 0.0
        for j in 0 ..< q { maxDiag = max(maxDiag, abs(h[j * q + j])) }
        for _ in 0 ..< 30 {
            var a = h
            for j in 0 ..< q { a[j * q + j] += ridge }
            var failed = -1
            if let ch = Cholesky(a, p: q, relativeTolerance: 1e-15, failedColumn: &failed) { return ch.solve(g) }
            ridge = ridge == 0 ? 1e-8 * max(maxDiag, 1) : ridge * 10
        }
        return g.map { $0 / max(maxDiag, 1) }
    }
}
