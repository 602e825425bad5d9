/// A placebo (permutation-style) test: the same estimator computed where and when nothing happened —
/// at placebo areas and placebo start months drawn at random — gives the distribution of estimates
/// under no effect; the real estimate's place in it is the empirical p (Abadie, Diamond & Hainmueller
/// 2010, JASA 105(490), §"Inference"; the "placebo in space and time" of conventions §12):
/// ```
/// p = (1 + #{ |θ*_m| ≥ |θ̂| }) / (M + 1)       (two-sided, on a centred statistic such as a z)
/// ```
/// Under no effect, and when the real area and start are exchangeable with the placebo ones, the rank
/// of θ̂ among the M + 1 values is uniform, so P(p ≤ a) ≤ a whatever the counts' dispersion — the
/// calibration test checks this on real police data. Seeded: the same generator state repeats exactly.
public struct PlaceboResult: Sendable, Equatable {
    public let observed: Double
    /// The placebo statistics, in draw order.
    public let placebos: [Double]
    /// Draws for which the statistic could not be computed (e.g. no incidents at all) and were redrawn.
    public let skipped: Int
    /// Two-sided empirical p.
    public let p: Double
    /// Share of placebos strictly below the observed value (where the real estimate falls, 0 … 1).
    public let percentile: Double

    public init(observed: Double, placebos: [Double], skipped: Int = 0) {
        precondition(!placebos.isEmpty, "PlaceboResult: at least one placebo")
        self.observed = observed
        self.placebos = placebos
        self.skipped = skipped
        let extreme = placebos.filter { abs($0) >= abs(observed) }.count
        p = Double(1 + extreme) / Double(placebos.count + 1)
        percentile = Double(placebos.filter { $0 < observed }.count) / Double(placebos.count)
    }
}

public enum PlaceboTest {
    /// Draws `draws` placebo statistics: `statistic` makes one placebo (its own area and start) from the
    /// generator and returns nil when it cannot be computed; such a draw is redrawn, at most
    /// 10 × `draws` attempts in all.
    public static func run<G: RandomNumberGenerator>(observed: Double, draws: Int, using rng: inout G,
                                                     statistic: (inout G) -> Double?) -> PlaceboResult? {
        precondition(draws >= 1, "PlaceboTest: at least one draw")
        var out: [Double] = []
        out.reserveCapacity(draws)
        var attempts = 0
        while out.count < draws, attempts < 10 * draws {
            attempts += 1
            if let v = statistic(&rng), v.isFinite { out.append(v) }
        }
        guard !out.isEmpty else { return nil }
        return PlaceboResult(observed: observed, placebos: out, skipped: attempts - out.count)
    }
}
