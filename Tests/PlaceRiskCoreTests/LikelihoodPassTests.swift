import Foundation
import Testing
@testable import PlaceRiskCore

/// The regression's fast paths against naive oracles: the column-major block passes of `Likelihood.evaluate`
/// against row-by-row textbook sums and finite differences, the SIMD column loops against scalar loops,
/// ln1p by Goldberg's formula against libm's log1p, and the standardisation's error order.
@Suite("Regression likelihood passes")
struct LikelihoodPassTests {
    /// A random standardised design (column-major, k features), outcomes of `family`, and optional
    /// weights and offset.
    static func problem(_ family: RegressionResult.Family, n: Int, k: Int, weighted: Bool, offset: Bool, seed: UInt64)
        -> (columns: [Double], y: [Double], w: [Double]?, off: [Double]?) {
        var g = SeededGenerator(seed: seed)
        let columns = (0 ..< n * k).map { _ in Double.random(in: -2 ... 2, using: &g) }
        let y: [Double] = (0 ..< n).map { _ in
            switch family {
            case .logistic: return Double.random(in: 0 ..< 1, using: &g) < 0.3 ? 1 : 0
            case .poisson, .negativeBinomial: return Double(Int.random(in: 0 ... 6, using: &g))
            }
        }
        let w = weighted ? (0 ..< n).map { _ in Double(Int.random(in: 1 ... 3, using: &g)) } : nil
        let off = offset ? (0 ..< n).map { _ in Double.random(in: -0.5 ... 0.5, using: &g) } : nil
        return (columns, y, w, off)
    }

    /// ℓ row by row from the textbook formulas (libm's exp, log1p and lgamma), z_i = (1, columns[j·n + i]).
    static func naiveLogLikelihood(_ family: RegressionResult.Family, _ theta: [Double], columns: [Double], n: Int, p: Int,
                                   y: [Double], w: [Double]?, off: [Double]?) -> Double {
        var ll = 0.0
        for i in 0 ..< n {
            var eta = theta[0] + (off?[i] ?? 0)
            for j in 1 ..< p { eta += theta[j] * columns[(j - 1) * n + i] }
            let wi = w?[i] ?? 1, yi = y[i]
            switch family {
            case .logistic: ll += wi * (yi * eta - (eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta))))
            case .poisson: ll += wi * (yi * eta - exp(eta) - lgamma(yi + 1))
            case .negativeBinomial:
                let alpha = theta[p], mu = exp(eta), a = 1 / alpha
                ll += wi * (lgamma(yi + a) - lgamma(a) - lgamma(yi + 1) + yi * log(alpha * mu) - (yi + a) * log(1 + alpha * mu))
            }
        }
        return ll
    }

    /// Two workers (n > 100,000), a last block of 259 % 256 rows and a SIMD tail of 3: every family, with and
    /// without weights and an offset. ℓ equals the row-by-row sum; for the logistic and Poisson the gradient
    /// Σ w (y − μ) z and the information Σ w c z zᵀ (c = μ(1 − μ), resp. μ) equal the row-by-row sums; for all
    /// three the gradient equals central differences of the naive ℓ and the information central differences
    /// of the gradient (step 1e-5: agreement to ~1e-7 relative).
    @Test(arguments: [RegressionResult.Family.logistic, .poisson, .negativeBinomial])
    func blockPassesEqualRowByRowSums(_ family: RegressionResult.Family) {
        let n = 100_000 + 2 * 256 + 259, k = 3, p = k + 1
        for (weighted, offset) in [(false, false), (true, true)] {
            let (columns, y, w, off) = Self.problem(family, n: n, k: k, weighted: weighted, offset: offset, seed: 20261201)
            let model = Likelihood(family: family, columns: columns, p: p, y: y, offset: off, weights: w, penalty: [0, 0, 0, 0])
            #expect(Parallel.workerCount(items: n, grain: 50_000) == min(2, Parallel.processorCount))
            var theta: [Double] = [-0.7, 0.3, -0.2, 0.15]
            if family == .negativeBinomial { theta.append(0.4) }
            let q = theta.count
            let e = model.evaluate(theta)
            let ll = Self.naiveLogLikelihood(family, theta, columns: columns, n: n, p: p, y: y, w: w, off: off)
            #expect(abs(e.ll - ll) <= 1e-11 * abs(ll), "\(family) ℓ \(e.ll) vs \(ll)")
            if family != .negativeBinomial {
                var g = [Double](repeating: 0, count: p), h = [Double](repeating: 0, count: p * p)
                for i in 0 ..< n {
                    var eta = theta[0] + (off?[i] ?? 0)
                    for j in 1 ..< p { eta += theta[j] * columns[(j - 1) * n + i] }
                    let mu = family == .logistic ? 1 / (1 + exp(-eta)) : exp(eta)
                    let c = family == .logistic ? mu * (1 - mu) : mu
                    let z = [1.0] + (1 ..< p).map { columns[($0 - 1) * n + i] }
                    let wi = w?[i] ?? 1
                    for a in 0 ..< p {
                        g[a] += wi * (y[i] - mu) * z[a]
                        for b in 0 ..< p { h[a * p + b] += wi * c * z[a] * z[b] }
                    }
                }
                for a in 0 ..< p { #expect(abs(e.grad[a] - g[a]) <= 1e-9 * max(1, abs(g[a])), "\(family) g[\(a)]") }
                for a in 0 ..< p * p { #expect(abs(e.info[a] - h[a]) <= 1e-10 * abs(h[a]), "\(family) info[\(a)]") }
            }
            let step = 1e-5
            for a in 0 ..< q {
                var up = theta, down = theta
                up[a] += step; down[a] -= step
                let fd = (Self.naiveLogLikelihood(family, up, columns: columns, n: n, p: p, y: y, w: w, off: off)
                    - Self.naiveLogLikelihood(family, down, columns: columns, n: n, p: p, y: y, w: w, off: off)) / (2 * step)
                #expect(abs(e.grad[a] - fd) <= 1e-6 * max(1, abs(fd)), "\(family) ∂ℓ/∂θ\(a): \(e.grad[a]) vs \(fd)")
                let gu = model.evaluate(up).grad, gd = model.evaluate(down).grad
                for b in 0 ..< q {
                    let fh = -(gu[b] - gd[b]) / (2 * step)
                    #expect(abs(e.info[b * q + a] - fh) <= 1e-6 * max(1, abs(fh)), "\(family) info[\(b),\(a)]: \(e.info[b * q + a]) vs \(fh)")
                }
            }
            // Without ℓ the gradient and information are the same numbers.
            let f = model.evaluate(theta, needLogLikelihood: false)
            if family == .logistic { #expect(f.ll == 0 && f.grad == e.grad && f.info == e.info) }
        }
    }

    /// The cross-product of the rank check: Σ w z zᵀ equals the row-by-row sum (two workers, ragged tail).
    @Test func crossProductEqualsRowByRowSum() {
        let n = 100_259, k = 2, p = 3
        let (columns, _, w, _) = Self.problem(.poisson, n: n, k: k, weighted: true, offset: false, seed: 7)
        let a = Likelihood.crossProduct(columns: columns, p: p, n: n, weights: w)
        var b = [Double](repeating: 0, count: p * p)
        for i in 0 ..< n {
            let z = [1.0, columns[i], columns[n + i]]
            for r in 0 ..< p { for c in 0 ..< p { b[r * p + c] += w![i] * z[r] * z[c] } }
        }
        for j in 0 ..< p * p { #expect(abs(a[j] - b[j]) <= 1e-11 * abs(b[j])) }
    }

    /// dot, sum and product equal their scalar loops at every length 0–19 and at an unaligned start.
    @Test func columnLoopsEqualScalarLoops() {
        var g = SeededGenerator(seed: 99)
        let a = (0 ..< 24).map { _ in Double.random(in: -1 ... 1, using: &g) }
        let b = (0 ..< 24).map { _ in Double.random(in: -1 ... 1, using: &g) }
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                for start in [0, 1] {
                    for m in 0 ..< 20 {
                        let x = ap.baseAddress! + start, y = bp.baseAddress! + start
                        var dot = 0.0, sum = 0.0
                        for i in 0 ..< m { dot += x[i] * y[i]; sum += x[i] }
                        #expect(abs(SIMDKernels.dot(x, y, m) - dot) <= 1e-14)
                        #expect(abs(SIMDKernels.sum(x, m) - sum) <= 1e-14)
                        let out = UnsafeMutablePointer<Double>.allocate(capacity: m + 1)
                        defer { out.deallocate() }
                        out[m] = 42
                        SIMDKernels.product(out, x, y, m)
                        for i in 0 ..< m { #expect(out[i] == x[i] * y[i]) }
                        #expect(out[m] == 42, "product wrote past its end at length \(m)")
                    }
                }
            }
        }
    }

    /// ln(1 + x) by Goldberg's formula within 5 ulp of libm's log1p, from x = 1e-300 (where 1 ⊕ x = 1) to 1.
    @Test func ln1pByLogIsWithinFiveUlpOfLog1p() {
        var xs: [Double] = [0, 1e-300, 1e-17, 1.1e-16, 2.3e-16, 1e-12, 1e-8, 1e-4, 0.25, 0.5, 0.75, 0.999, 1]
        var g = SeededGenerator(seed: 5)
        for _ in 0 ..< 10_000 { xs.append(Double.random(in: 0 ... 1, using: &g) * pow(10, -Double(Int.random(in: 0 ... 20, using: &g)))) }
        for x in xs {
            let ref = log1p(x)
            #expect(abs(RegressionMath.ln1pNonNegative(x) - ref) <= 5 * ref.ulp, "x = \(x)")
        }
    }

    /// Bad values are reported in row order as before the sums took over the finiteness check: the first
    /// row's outcome, then its features, then its offset; a constant column only once every row is valid.
    @Test func badValuesAreReportedInRowOrder() {
        let n = 20
        var x = (0 ..< n).flatMap { [Double($0), Double(($0 * 7) % 5)] }
        var y = (0 ..< n).map { Double($0 % 2) }
        x[3 * 2 + 1] = .nan
        y[10] = 2
        #expect(throws: RegressionError.nonFinite(row: 3, column: "b")) { try Regression.fit(family: .logistic, x: x, names: ["a", "b"], y: y) }
        y[1] = 3
        #expect(throws: RegressionError.invalidOutcome(row: 1, value: 3, expected: "0 or 1")) {
            try Regression.fit(family: .logistic, x: x, names: ["a", "b"], y: y)
        }
        x[3 * 2 + 1] = -.infinity
        y[1] = 1; y[10] = 0
        #expect(throws: RegressionError.nonFinite(row: 3, column: "b")) { try Regression.fit(family: .logistic, x: x, names: ["a", "b"], y: y) }
        // A constant column with an invalid outcome: the outcome first.
        let constant = (0 ..< n).flatMap { [Double($0), 5.0] }
        y[0] = -1
        #expect(throws: RegressionError.invalidOutcome(row: 0, value: -1, expected: "0 or 1")) {
            try Regression.fit(family: .logistic, x: constant, names: ["a", "c"], y: y)
        }
        // Finite values whose sum overflows are named, not a crash.
        y[0] = 0
        let huge = (0 ..< n).flatMap { [Double($0), $0 % 2 == 0 ? 1.7e308 : 1.6e308] }
        #expect(throws: RegressionError.featureTooLarge("h")) { try Regression.fit(family: .logistic, x: huge, names: ["a", "h"], y: y) }
        // A weight that is not a number makes every sum NaN: the weight is named, not a feature.
        var w = [Double](repeating: 1, count: n)
        w[4] = .nan
        #expect(throws: RegressionError.nonFinite(row: 4, column: "weight")) {
            try Regression.fit(family: .logistic, x: constant.enumerated().map { $0.offset % 2 == 1 ? Double($0.offset % 7) : $0.element }, names: ["a", "b"], y: y, weights: w)
        }
    }
}
