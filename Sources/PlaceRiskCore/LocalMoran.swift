/// Local Moran's I (LISA; Anselin 1995, Geographical Analysis 27(2), 93–115) with conditional
/// permutation inference, scaled exactly as esda 2.9 `Moran_Local` (pinned here so numbers compare):
/// ```
/// z = y − ȳ,   I_i = (n − 1) · z_i · Σ_j w_ij z_j / Σ_k z_k²
/// ```
/// (the textbook I_i = z_i Σ_j w_ij z_j / m₂ with m₂ = Σz²/n differs by the factor (n − 1)/n).
/// Conditional permutation: z_i stays fixed; its |N(i)| neighbours' values are drawn without
/// replacement from the other n − 1 units, M times; pseudo p = (1 + #extreme)/(M + 1) under the
/// stated alternative (default: directional, as esda). Exact ties (common with counts) count as
/// extreme, decided with a tolerance of 1e-10 of the statistic's scale rather than by rounding. Quadrants: HH = 1 (z_i > 0, lag > 0),
/// LH = 2, LL = 3, HL = 4 (esda's coding; a zero counts as low). Islands (no neighbours) get
/// I_i = 0, quadrant 0 and p = NaN — esda reports p = 1/(M+1) for them, which would call an island
/// significant; we do not copy that.
public struct LocalMoranResult: Sendable, Equatable {
    public let I: [Double]
    /// Spatial lag of the deviations, Σ_j w_ij z_j.
    public let lag: [Double]
    /// 1 HH, 2 LH, 3 LL, 4 HL, 0 island.
    public let quadrant: [Int8]
    /// Conditional-permutation pseudo p-values (NaN for islands, or all NaN without permutations).
    public let p: [Double]
    /// BH-adjusted pseudo p-values.
    public let q: [Double]
    public let permutations: Int
    public let alternative: Alternative
    public let seed: UInt64

    public static func label(_ q: Int8) -> String {
        switch q {
        case 1: return "HH"
        case 2: return "LH"
        case 3: return "LL"
        case 4: return "HL"
        default: return "island"
        }
    }
}

extension Moran {
    public static func local(_ y: [Double], weights w: SpatialWeights, permutations: Int = 999,
                             alternative: Alternative = .directional, seed: UInt64 = 0) throws(MoranError) -> LocalMoranResult {
        precondition(y.count == w.count, "Moran.local: \(y.count) values for \(w.count) units")
        let n = y.count
        let (z, m2) = try deviations(y)
        let scale = Double(n - 1) / m2
        let lag = w.lag(z)
        var I = [Double](repeating: 0, count: n), quad = [Int8](repeating: 0, count: n)
        for i in 0 ..< n {
            I[i] = scale * z[i] * lag[i]
            if w.cardinality(i) == 0 { continue }
            quad[i] = z[i] > 0 ? (lag[i] > 0 ? 1 : 4) : (lag[i] > 0 ? 2 : 3)
        }
        var p = [Double](repeating: .nan, count: n)
        let zmax = z.map(abs).max() ?? 0
        if permutations > 0 {
            let workers = Parallel.workerCount(items: n * permutations, grain: 200_000)
            z.withUnsafeBufferPointer { zp in
                p.withUnsafeMutableBufferPointer { pp in
                    let ctx = UncheckedSendable((zp, pp))
                    Parallel.forEachSlice(count: n, workers: workers) { _, range in
                        let (zp, pp) = ctx.value
                        var pool = [Int32](repeating: 0, count: n - 1)
                        var sims = [Double](repeating: 0, count: permutations)
                        pool.withUnsafeMutableBufferPointer { pool in
                            sims.withUnsafeMutableBufferPointer { sims in
                                for i in range {
                                    let k = w.cardinality(i)
                                    if k == 0 { continue }
                                    // The other n − 1 units.
                                    for j in 0 ..< n - 1 { pool[j] = Int32(j < i ? j : j + 1) }
                                    var rng = PermutationTest.generator(seed: seed, unit: i)
                                    let lo = w.offsets[i]
                                    let c = scale * zp[i]
                                    for s in 0 ..< permutations {
                                        PermutationTest.sample(k, from: pool, count: n - 1, using: &rng)
                                        var l = 0.0
                                        for t in 0 ..< k { l += w.weights[lo + t] * zp[Int(pool[t])] }
                                        sims[s] = c * l
                                    }
                                    // Ties: within 1e-10 of the statistic's scale |c|·Σ|w|·max|z|.
                                    var wabs = 0.0
                                    for t in 0 ..< k { wabs += abs(w.weights[lo + t]) }
                                    let tol = 1e-10 * abs(c) * wabs * zmax
                                    pp[i] = PermutationTest.pseudoP(observed: scale * zp[i] * lagOf(i, w, zp), simulated: UnsafeBufferPointer(sims),
                                                                    alternative: alternative, tolerance: tol)
                                }
                            }
                        }
                    }
                }
            }
        }
        return LocalMoranResult(I: I, lag: lag, quadrant: quad, p: p, q: MultipleTesting.benjaminiHochberg(p),
                                permutations: permutations, alternative: alternative, seed: seed)
    }

    @inline(__always)
    static func lagOf(_ i: Int, _ w: SpatialWeights, _ z: UnsafeBufferPointer<Double>) -> Double {
        var s = 0.0
        for k in w.offsets[i] ..< w.offsets[i + 1] { s += w.weights[k] * z[Int(w.neighbours[k])] }
        return s
    }
}
