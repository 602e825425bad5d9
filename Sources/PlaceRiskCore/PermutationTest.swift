/// The alternative hypothesis of a permutation test (always stated in outputs).
public enum Alternative: String, Sendable, CaseIterable {
    /// In the direction the observed statistic lies (esda's default "directed" rule): the smaller of
    /// #{sim ≥ obs} and #{sim ≤ obs} (esda uses #{sim < obs} for the second; they differ only by ties).
    case directional
    /// #{sim ≥ obs}.
    case greater
    /// #{sim ≤ obs}.
    case lesser
    /// 2 × the directional count, capped so that p ≤ 1.
    case twoSided = "two-sided"
}

/// The seeded permutation engine shared by every permutation test (global Moran, LISA, …).
///
/// Pseudo p-value (Hope 1968; conventions §4):
/// ```
/// p = (1 + #{extreme simulated statistics}) / (M + 1)
/// ```
/// Randomness comes only from `SeededGenerator`; per-unit generators are derived from the run's seed
/// and the unit's index, so results repeat exactly for a given `--seed` whatever the number of cores.
public enum PermutationTest {
    /// Pseudo p-value of `observed` against `simulated` under `alternative`. Simulated values within
    /// `tolerance` of the observed one are ties and count as extreme in both directions: with count
    /// data, permuted sums often equal the observed sum exactly, and rounding in a different summation
    /// order must not decide the p-value.
    public static func pseudoP(observed: Double, simulated: UnsafeBufferPointer<Double>, alternative: Alternative,
                               tolerance: Double = 0) -> Double {
        let m = simulated.count
        precondition(m > 0, "PermutationTest.pseudoP: no simulated values")
        var ge = 0, le = 0
        for s in simulated {
            if s >= observed - tolerance { ge += 1 }
            if s <= observed + tolerance { le += 1 }
        }
        switch alternative {
        case .greater: return Double(ge + 1) / Double(m + 1)
        case .lesser: return Double(le + 1) / Double(m + 1)
        case .directional: return Double(min(ge, le) + 1) / Double(m + 1)
        case .twoSided: return min(1, 2 * Double(min(ge, le) + 1) / Double(m + 1))
        }
    }

    /// The generator for unit `i` of a run seeded with `seed` (SplitMix64-style index mixing).
    @inlinable
    public static func generator(seed: UInt64, unit i: Int) -> SeededGenerator {
        var g = SeededGenerator(seed: seed ^ (UInt64(truncatingIfNeeded: i) &* 0xD1B5_4A32_D192_ED03))
        _ = g.next()
        return g
    }

    /// Draws `k` distinct values from `pool[0..<count]` by a partial Fisher–Yates shuffle, leaving them in
    /// `pool[0..<k]` (the pool stays a permutation of itself, so it can be reused).
    @inlinable
    public static func sample(_ k: Int, from pool: UnsafeMutableBufferPointer<Int32>, count: Int, using rng: inout SeededGenerator) {
        precondition(k <= count, "PermutationTest.sample: cannot draw \(k) of \(count)")
        for j in 0 ..< k {
            // Lemire's multiply-shift maps 64 random bits to 0..<bound without a division
            // (bias below bound/2⁶⁴, i.e. < 1e-13 here).
            let bound = UInt64(count - j)
            let r = j + Int(rng.next().multipliedFullWidth(by: bound).high)
            pool.swapAt(j, r)
        }
    }
}
