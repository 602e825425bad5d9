/// The log-likelihood of one family on a standardised design, its gradient and observed information,
/// and Newton's method on it (see `Regression`).
struct Likelihood {
    let family: RegressionResult.Family
    /// Row-major n × p design with the intercept in column 0.
    let z: [Double]
    let p: Int
    let y: [Double]
    let offset: [Double]?
    let weights: [Double]?
    /// L2 penalty per coefficient (0 for the intercept).
    let penalty: [Double]

    var n: Int { y.count }
    /// Parameters: β (p), plus α for NB2.
    var q: Int { family == .negativeBinomial ? p + 1 : p }

    struct State {
        var theta: [Double]
        /// Inverse observed information (penalised when λ > 0), q × q.
        var covariance: [Double]
        var logLikelihood: Double
        var iterations: Int
    }

    /// Σ w z zᵀ (p × p) — for the rank check.
    static func crossProduct(z: [Double], p: Int, weights: [Double]?) -> [Double] {
        let n = z.count / p
        let k = Parallel.workerCount(items: n, grain: 50_000)
        var parts = [Double](repeating: 0, count: p * p * k)
        z.withUnsafeBufferPointer { zp in
            parts.withUnsafeMutableBufferPointer { pp in
                let ctx = UncheckedSendable((zp, pp))
                Parallel.forEachSlice(count: n, workers: k) { worker, rows in
                    let (zp, pp) = ctx.value
                    let a = pp.baseAddress! + worker * p * p
                    for i in rows {
                        let w = weights?[i] ?? 1
                        let row = zp.baseAddress! + i * p
                        for r in 0 ..< p { let wr = w * row[r]; for c in 0 ... r { a[r * p + c] += wr * row[c] } }
                    }
                }
            }
        }
        var a = [Double](repeating: 0, count: p * p)
        for w in 0 ..< k { for j in 0 ..< p * p { a[j] += parts[w * p * p + j] } }
        for r in 0 ..< p { for c in 0 ..< r { a[c * p + r] = a[r * p + c] } }
        return a
    }

    /// ℓ (unpenalised), gradient and −Hessian of ℓ at θ, accumulated in one pass over the rows.
    func evaluate(_ theta: [Double], needLogLikelihood: Bool = true) -> (ll: Double, grad: [Double], info: [Double]) {
        let q = self.q, p = self.p, n = self.n
        let alpha = family == .negativeBinomial ? theta[p] : 0
        let k = Parallel.workerCount(items: n, grain: 50_000)
        let stride = 1 + q + q * q
        var parts = [Double](repeating: 0, count: stride * k)
        z.withUnsafeBufferPointer { zp in
            y.withUnsafeBufferPointer { yp in
                parts.withUnsafeMutableBufferPointer { pp in
                    let ctx = UncheckedSendable((zp, yp, pp))
                    let fam = family, off = offset, wts = weights
                    Parallel.forEachSlice(count: n, workers: k) { worker, rows in
                        let (zp, yp, pp) = ctx.value
                        let base = worker * stride
                        var ll = 0.0
                        let g = UnsafeMutablePointer<Double>.allocate(capacity: q), h = UnsafeMutablePointer<Double>.allocate(capacity: q * q)
                        let th = UnsafeMutablePointer<Double>.allocate(capacity: q)
                        defer { g.deallocate(); h.deallocate(); th.deallocate() }
                        g.initialize(repeating: 0, count: q); h.initialize(repeating: 0, count: q * q)
                        for j in 0 ..< q { th[j] = theta[j] }
                        let a = alpha > 0 ? 1 / alpha : 0
                        let psiA = fam == .negativeBinomial ? SpecialFunctions.digamma(a) : 0
                        let triA = fam == .negativeBinomial ? SpecialFunctions.trigamma(a) : 0
                        let lgA = fam == .negativeBinomial ? RegressionMath.lnGamma(a) : 0
                        // Rows are processed in blocks: the per-row score and curvature factors are stored,
                        // then g and the information are accumulated with register accumulators per entry
                        // (instead of read-modify-writing every entry of a shared buffer for every row).
                        let blockSize = 128
                        let sb = UnsafeMutablePointer<Double>.allocate(capacity: blockSize)
                        let cb = UnsafeMutablePointer<Double>.allocate(capacity: blockSize)
                        defer { sb.deallocate(); cb.deallocate() }
                        var filled = 0, blockStart = rows.lowerBound
                        func flush() {
                            guard filled > 0 else { return }
                            let z0 = zp.baseAddress! + blockStart * p
                            // Four independent accumulators per entry hide the add latency.
                            @inline(__always) func dot(_ f: UnsafeMutablePointer<Double>, _ j: Int, _ m: Int) -> Double {
                                var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
                                var u = 0
                                while u + 4 <= filled {
                                    let r0 = z0 + u * p, r1 = r0 + p, r2 = r1 + p, r3 = r2 + p
                                    a0 += f[u] * r0[j] * (m < 0 ? 1 : r0[m])
                                    a1 += f[u + 1] * r1[j] * (m < 0 ? 1 : r1[m])
                                    a2 += f[u + 2] * r2[j] * (m < 0 ? 1 : r2[m])
                                    a3 += f[u + 3] * r3[j] * (m < 0 ? 1 : r3[m])
                                    u += 4
                                }
                                while u < filled { let r = z0 + u * p; a0 += f[u] * r[j] * (m < 0 ? 1 : r[m]); u += 1 }
                                return (a0 + a1) + (a2 + a3)
                            }
                            for j in 0 ..< p {
                                g[j] += dot(sb, j, -1)
                                for m in 0 ... j { h[j * q + m] += dot(cb, j, m) }
                            }
                            filled = 0
                        }
                        for i in rows {
                            let row = zp.baseAddress! + i * p
                            var eta = off?[i] ?? 0
                            for j in 0 ..< p { eta += row[j] * th[j] }
                            let w = wts?[i] ?? 1, yi = yp[i]
                            var s = 0.0, c = 0.0   // score factor and curvature factor for β
                            switch fam {
                            case .logistic:
                                // One exp and one log1p: e = e^{−|η|}; μ = σ(η); softplus(η) = max(η, 0) + ln(1 + e).
                                let e = RegressionMath.expo(-abs(eta))
                                let mu = eta >= 0 ? 1 / (1 + e) : e / (1 + e)
                                if needLogLikelihood { ll += w * (yi * eta - (max(eta, 0) + RegressionMath.ln1p(e))) }
                                s = yi - mu; c = mu * (1 - mu)
                            case .poisson:
                                let mu = RegressionMath.expo(eta)
                                ll += w * (yi * eta - mu - RegressionMath.lnGamma(yi + 1))
                                s = yi - mu; c = mu
                            case .negativeBinomial:
                                let mu = RegressionMath.expo(eta)
                                let am = alpha * mu, d = 1 + am
                                let lnd = RegressionMath.ln1p(am)
                                ll += w * (RegressionMath.lnGamma(yi + a) - lgA - RegressionMath.lnGamma(yi + 1)
                                           + yi * (RegressionMath.ln(alpha) + eta) - (yi + a) * lnd)
                                s = (yi - mu) / d
                                c = mu * (1 + alpha * yi) / (d * d)
                                let dpsi = SpecialFunctions.digamma(yi + a) - psiA - lnd
                                let ga = -a * a * dpsi + (yi - mu) / (alpha * d)
                                g[p] += w * ga
                                // −∂²ℓ/∂β∂α = z (y − μ) μ / (1 + αμ)²
                                let cba = (yi - mu) * mu / (d * d)
                                for j in 0 ..< p { h[j * q + p] += w * cba * row[j] }
                                let d2 = 2 * a * a * a * dpsi + a * a * a * a * (SpecialFunctions.trigamma(yi + a) - triA)
                                    + a * a * mu / d - (yi - mu) * (1 + 2 * am) / (alpha * alpha * d * d)
                                h[p * q + p] -= w * d2
                            }
                            if filled == 0 { blockStart = i }
                            sb[filled] = w * s; cb[filled] = w * c
                            filled += 1
                            if filled == blockSize { flush() }
                        }
                        flush()
                        pp[base] = ll
                        for j in 0 ..< q { pp[base + 1 + j] = g[j] }
                        for j in 0 ..< q * q { pp[base + 1 + q + j] = h[j] }
                    }
                }
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

    /// Newton's method with step halving on the penalised objective.
    func maximise(maxIterations: Int, names: [String]) throws(RegressionError) -> State {
        var theta = [Double](repeating: 0, count: q)
        // Starting values: intercept-only fit of the mean.
        var sw = 0.0, swy = 0.0, swe = 0.0
        for i in 0 ..< n {
            let w = weights?[i] ?? 1
            sw += w; swy += w * y[i]; swe += w * RegressionMath.expo(offset?[i] ?? 0)
        }
        switch family {
        case .logistic: let m = swy / sw; theta[0] = RegressionMath.ln(m / (1 - m))
        case .poisson, .negativeBinomial: theta[0] = RegressionMath.ln(max(swy, 1e-300) / swe)
        }
        if family == .negativeBinomial {
            // Start β from the Poisson fit and α from the moments: Σ((y − μ)² − y) / Σ μ².
            let pois = Likelihood(family: .poisson, z: z, p: p, y: y, offset: offset, weights: weights, penalty: penalty)
            let ps = try pois.maximise(maxIterations: maxIterations, names: names)
            for j in 0 ..< p { theta[j] = ps.theta[j] }
            var num = 0.0, den = 0.0
            for i in 0 ..< n {
                var eta = offset?[i] ?? 0
                for j in 0 ..< p { eta += z[i * p + j] * theta[j] }
                let mu = RegressionMath.expo(eta)
                num += ((y[i] - mu) * (y[i] - mu) - y[i]); den += mu * mu
            }
            theta[p] = max(1e-3, num / den)
        }
        func objective(_ ll: Double, _ t: [Double]) -> Double {
            var s = ll
            for j in 0 ..< p { s -= 0.5 * penalty[j] * t[j] * t[j] }
            return s
        }
        var (ll, g, h) = evaluate(theta)
        var obj = objective(ll, theta)
        for iteration in 1 ... maxIterations {
            // Penalised gradient and information.
            var gp = g, hp = h
            for j in 0 ..< p { gp[j] -= penalty[j] * theta[j]; hp[j * q + j] += penalty[j] }
            let step = Likelihood.solveRegularised(hp, gp, q: q)
            var t = 1.0, accepted = false
            var cand = theta
            for _ in 0 ..< 40 {
                for j in 0 ..< q { cand[j] = theta[j] + t * step[j] }
                if family == .negativeBinomial, cand[p] <= 0 { t /= 2; continue }
                if family == .logistic {
                    // Concave objective: if the slope along the step is still ≥ 0 at its end, the objective
                    // rose along the whole step, so ℓ (a log1p per row) is not needed to accept it.
                    let e = evaluate(cand, needLogLikelihood: false)
                    var slope = 0.0
                    for j in 0 ..< q { slope += (e.grad[j] - (j < p ? penalty[j] * cand[j] : 0)) * step[j] }
                    if slope >= 0, e.grad.allSatisfy(\.isFinite) {
                        (g, h) = (e.grad, e.info); ll = .nan; accepted = true
                        break
                    }
                }
                let e = evaluate(cand)
                let o = objective(e.ll, cand)
                if o.isFinite, o >= obj - 1e-12 * abs(obj) || obj.isNaN {
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
            var eta = offset?[i] ?? 0
            for j in 0 ..< p { eta += z[i * p + j] * theta[j] }
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
