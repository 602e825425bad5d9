/// The smallest change in an area's monthly count that a before/after comparison can tell from chance,
/// given the baseline level, the months before and after and the over-dispersion of the counts.
///
/// Test: the log ratio of the monthly means after and before, with its delta-method variance for
/// independent NB2 months (Var y = μ + αμ²; α = 0 is Poisson), optionally minus the same log ratio in
/// a comparison area (a difference-in-differences):
/// ```
/// ln R̂ = ln(S₁/A) − ln(S₀/B),  S₀ = B months before, S₁ = A months after
/// V(r) = 1/(Bμ) + 1/(Aμr) + α(1/B + 1/A)   [+ 1/(Bμ_c) + 1/(Aμ_c) + α_c(1/B + 1/A) with a comparison]
/// power(r) = Φ(|ln r|/√V(r) − z_{1−a/2}) + Φ(−|ln r|/√V(r) − z_{1−a/2})
/// MDC: the ratio r < 1 with power(r) = 0.80 at a = 0.05 (bisection); percentage fall = 1 − r
/// ```
/// The simulation draws the same design (NB2 months, `CountSampler`) and applies the same Wald test
/// with the plug-in variance 1/S₀ + 1/S₁ + α(1/B + 1/A) (+ comparison terms); the tests check the
/// formula's power against ≥ 2,000 seeded draws within Monte Carlo error.
///
/// Note the floor: as A → ∞, V → 1/(Bμ) + α/B, so with few months before, or strongly over-dispersed
/// counts, some changes are undetectable however long one waits (`monthsNeeded` returns nil).
public struct DetectionDesign: Sendable, Equatable {
    /// Baseline mean count per month.
    public let mean: Double
    /// NB2 over-dispersion α ≥ 0 (0: Poisson).
    public let alpha: Double
    public let before: Int
    public let after: Int
    /// A comparison area's baseline mean and α (a difference-in-differences), or nil.
    public let comparison: (mean: Double, alpha: Double)?

    public init(mean: Double, alpha: Double, before: Int, after: Int, comparison: (mean: Double, alpha: Double)? = nil) {
        precondition(mean > 0 && alpha >= 0 && before >= 1 && after >= 1, "DetectionDesign: mean > 0, α ≥ 0, months ≥ 1")
        self.mean = mean
        self.alpha = alpha
        self.before = before
        self.after = after
        self.comparison = comparison
    }

    public static func == (a: DetectionDesign, b: DetectionDesign) -> Bool {
        a.mean == b.mean && a.alpha == b.alpha && a.before == b.before && a.after == b.after
            && a.comparison?.mean == b.comparison?.mean && a.comparison?.alpha == b.comparison?.alpha
    }

    func with(before: Int, after: Int) -> DetectionDesign {
        DetectionDesign(mean: mean, alpha: alpha, before: before, after: after, comparison: comparison)
    }

    /// V(r): the variance of ln R̂ when the true rate ratio is r.
    public func variance(ratio r: Double) -> Double {
        let B = Double(before), A = Double(after)
        var v = 1 / (B * mean) + 1 / (A * mean * r) + alpha * (1 / B + 1 / A)
        if let c = comparison { v += 1 / (B * c.mean) + 1 / (A * c.mean) + c.alpha * (1 / B + 1 / A) }
        return v
    }
}

public enum MinimumDetectableChange {
    /// Power of the two-sided level-`level` test against a true rate ratio `ratio`.
    public static func power(_ d: DetectionDesign, ratio: Double, level: Double = 0.05) -> Double {
        precondition(ratio > 0, "MinimumDetectableChange.power: a rate ratio is positive")
        let z = Distributions.normalQuantile(1 - level / 2)
        let e = abs(log(ratio)) / d.variance(ratio: ratio).squareRoot()
        return 0.5 * erfc(-(e - z) / 2.0.squareRoot()) + 0.5 * erfc((e + z) / 2.0.squareRoot())
    }

    /// The smallest fall (rate ratio r < 1) detectable with `power`, searched down to r = 0.05 (a 95 %
    /// fall; below it the after-period holds too few incidents for the normal approximation); nil when
    /// even a 95 % fall is not detectable.
    public static func ratio(_ d: DetectionDesign, power target: Double = 0.8, level: Double = 0.05) -> Double? {
        var lo = 0.05, hi = 1.0   // power(lo) ≥ target, power(hi) = level
        guard power(d, ratio: lo, level: level) >= target else { return nil }
        for _ in 0 ..< 200 {
            let mid = (lo * hi).squareRoot()
            if power(d, ratio: mid, level: level) >= target { lo = mid } else { hi = mid }
            if hi / lo - 1 < 1e-12 { break }
        }
        return lo
    }

    /// The fewest months after (with `d.before` months before), or with `equal`, the fewest months m with
    /// m before and m after, to detect the fall to `ratio` with `power`; nil beyond `maximum` months.
    public static func monthsNeeded(_ d: DetectionDesign, ratio: Double, equal: Bool = false, power target: Double = 0.8,
                                    level: Double = 0.05, maximum: Int = 240) -> Int? {
        for m in 1 ... maximum where power(equal ? d.with(before: m, after: m) : d.with(before: d.before, after: m), ratio: ratio, level: level) >= target {
            return m
        }
        return nil
    }

    /// The simulated power of the same test: `draws` seeded replicates of the design at `ratio`;
    /// returns the rejection rate and its Monte Carlo standard error √(p(1 − p)/draws).
    public static func simulatedPower<G: RandomNumberGenerator>(_ d: DetectionDesign, ratio: Double, level: Double = 0.05,
                                                                draws: Int, using rng: inout G) -> (power: Double, monteCarloError: Double) {
        precondition(draws >= 1, "simulatedPower: at least one draw")
        let z = Distributions.normalQuantile(1 - level / 2)
        let B = Double(d.before), A = Double(d.after)
        func total(_ months: Int, _ mu: Double, _ a: Double) -> Double {
            var s = 0
            for _ in 0 ..< months { s += CountSampler.negativeBinomial(mean: mu, alpha: a, using: &rng) }
            return Double(s)
        }
        var reject = 0
        for _ in 0 ..< draws {
            let s0 = total(d.before, d.mean, d.alpha), s1 = total(d.after, d.mean * ratio, d.alpha)
            guard s0 > 0, s1 > 0 else { if s0 != s1 { reject += 1 }; continue }
            var lr = log(s1 / A) - log(s0 / B)
            var v = 1 / s0 + 1 / s1 + d.alpha * (1 / B + 1 / A)
            if let c = d.comparison {
                let c0 = total(d.before, c.mean, c.alpha), c1 = total(d.after, c.mean, c.alpha)
                guard c0 > 0, c1 > 0 else { continue }
                lr -= log(c1 / A) - log(c0 / B)
                v += 1 / c0 + 1 / c1 + c.alpha * (1 / B + 1 / A)
            }
            if abs(lr) / v.squareRoot() > z { reject += 1 }
        }
        let p = Double(reject) / Double(draws)
        return (p, (p * (1 - p) / Double(draws)).squareRoot())
    }

    /// Method-of-moments NB2 dispersion of a monthly series: α̂ = max(0, (s² − m)/m²) (s² with n − 1).
    /// Trend and season in the series count as over-dispersion here, so α̂ errs towards a larger
    /// (more cautious) minimum detectable change.
    public static func dispersion(_ counts: [Double]) -> Double {
        let n = Double(counts.count)
        guard n >= 2 else { return 0 }
        let m = counts.reduce(0, +) / n
        guard m > 0 else { return 0 }
        let s2 = counts.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
        return max(0, (s2 - m) / (m * m))
    }
}

/// What one area's monthly series lets a partnership detect: its baseline, dispersion, the minimum
/// detectable fall with `before` and `after` months, and the months after needed for a 10/20/30 % fall.
public struct DetectableChange: Sendable, Equatable {
    public let meanPerMonth: Double
    public let alpha: Double
    public let before: Int
    public let after: Int
    /// Minimum detectable rate ratio (nil: not even a 95 % fall is detectable, or no incidents).
    public let ratio: Double?
    /// Months after (with `before` months before) to detect a fall of 10, 20, 30 % (nil: not within 240 months).
    public let monthsFor: [Int: Int?]
    public var percentFall: Double? { ratio.map { 100 * (1 - $0) } }

    /// From the baseline monthly counts (mean and method-of-moments α from them); `before` defaults to
    /// the series length.
    public init(baseline: [Double], before: Int? = nil, after: Int, power: Double = 0.8, level: Double = 0.05) {
        precondition(!baseline.isEmpty && after >= 1, "DetectableChange: a baseline and at least one month after")
        let m = baseline.reduce(0, +) / Double(baseline.count)
        meanPerMonth = m
        alpha = MinimumDetectableChange.dispersion(baseline)
        self.before = before ?? baseline.count
        self.after = after
        guard m > 0 else { ratio = nil; monthsFor = [10: nil, 20: nil, 30: nil]; return }
        let d = DetectionDesign(mean: m, alpha: alpha, before: self.before, after: after)
        ratio = MinimumDetectableChange.ratio(d, power: power, level: level)
        var need: [Int: Int?] = [:]
        for f in [10, 20, 30] { need[f] = MinimumDetectableChange.monthsNeeded(d, ratio: 1 - Double(f) / 100, power: power, level: level) }
        monthsFor = need
    }
}
