/// Global Moran's I with analytic and permutation inference (Cliff & Ord 1981, *Spatial Processes*;
/// formulas as esda 2.9 `Moran`, checked against Columbus and St Louis):
/// ```
/// z = y − ȳ,   I = (n / S0) · Σ_i z_i (Wz)_i / Σ z_i²,   E[I] = −1/(n − 1)
/// S0 = Σ w_ij,  S1 = ½ Σ (w_ij + w_ji)²,  S2 = Σ_i (w_i· + w_·i)²
/// normality:      Var = (n² S1 − n S2 + 3 S0²) / ((n − 1)(n + 1) S0²) − E[I]²
/// randomisation:  b2 = (Σz⁴/n) / (Σz²/n)²
///                 Var = [n((n² − 3n + 3)S1 − n S2 + 3S0²) − b2((n² − n)S1 − 2n S2 + 6S0²)]
///                       / ((n − 1)(n − 2)(n − 3) S0²) − E[I]²
/// ```
/// p-values for z are two-sided (esda's default). Weights are used as given (transform first).
public struct GlobalMoranResult: Sendable, Equatable {
    public let n: Int
    public let I: Double
    public let expected: Double
    public let varianceNormal: Double
    public let zNormal: Double
    public let pNormal: Double
    public let varianceRandomisation: Double
    public let zRandomisation: Double
    public let pRandomisation: Double
    public let s0: Double, s1: Double, s2: Double
    /// Permutation pseudo p-value (nil when no permutations were run).
    public let pPermutation: Double?
    public let permutations: Int
    public let alternative: Alternative
    public let seed: UInt64
}

public enum MoranError: Error, Equatable, Sendable, CustomStringConvertible {
    case zeroVariance(n: Int)
    case tooFewUnits(Int)
    case noWeights
    case nonFiniteValue(index: Int)

    public var description: String {
        switch self {
        case .zeroVariance(let n): return "all \(n) values are equal: Moran's I is undefined (zero variance)"
        case .tooFewUnits(let n): return "Moran's I needs at least 4 units, got \(n)"
        case .noWeights: return "the weights have no links (every unit is an island)"
        case .nonFiniteValue(let i): return "value \(i) is not a finite number"
        }
    }
}

public enum Moran {
    public static func global(_ y: [Double], weights w: SpatialWeights, permutations: Int = 0,
                              alternative: Alternative = .directional, seed: UInt64 = 0) throws(MoranError) -> GlobalMoranResult {
        precondition(y.count == w.count, "Moran.global: \(y.count) values for \(w.count) units")
        let n = y.count
        let (z, m2) = try deviations(y)
        let s0 = w.weights.reduce(0, +)
        guard s0 > 0 else { throw .noWeights }
        // S1 = ½ Σ (w_ij + w_ji)², S2 = Σ_i (row_i + col_i)².
        var pair: [Int: Double] = [:]
        pair.reserveCapacity(w.neighbours.count)
        var colSums = [Double](repeating: 0, count: n)
        for i in 0 ..< n {
            for k in w.offsets[i] ..< w.offsets[i + 1] {
                let j = Int(w.neighbours[k])
                pair[i * n + j, default: 0] += w.weights[k]
                colSums[j] += w.weights[k]
            }
        }
        // Each stored (i, j) gives its ordered pair's term; when (j, i) is not stored, that ordered
        // pair's term (0 + w_ij)²/2 is added here too.
        // Summed in key order: a dictionary's own order changes from run to run (seeded hashing), and
        // with it the last bits of the sum.
        var s1 = 0.0
        for key in pair.keys.sorted() {
            let v = pair[key]!, i = key / n, j = key % n
            let back: Double = pair[j * n + i] ?? 0
            let t = v + back
            s1 += t * t / 2
            if back == 0 { s1 += v * v / 2 }
        }
        let rows = w.rowSums
        var s2 = 0.0
        for i in 0 ..< n {
            let t = rows[i] + colSums[i]
            s2 += t * t
        }
        let I = observedI(z: z, m2: m2, w: w, s0: s0)
        let nd = Double(n)
        let ei = -1 / (nd - 1)
        let s0sq: Double = s0 * s0
        let nNum: Double = nd * nd * s1 - nd * s2 + 3 * s0sq
        let vNorm: Double = nNum / ((nd - 1) * (nd + 1) * s0sq) - ei * ei
        var m4 = 0.0
        for v in z { m4 += v * v * v * v }
        m4 /= nd
        let m2n: Double = m2 / nd
        let b2: Double = m4 / (m2n * m2n)
        let a: Double = nd * ((nd * nd - 3 * nd + 3) * s1 - nd * s2 + 3 * s0sq)
        let b: Double = b2 * ((nd * nd - nd) * s1 - 2 * nd * s2 + 6 * s0sq)
        let vRand: Double = (a - b) / ((nd - 1) * (nd - 2) * (nd - 3) * s0sq) - ei * ei
        let zN = (I - ei) / vNorm.squareRoot(), zR = (I - ei) / vRand.squareRoot()
        var pPerm: Double?
        if permutations > 0 {
            var rng = PermutationTest.generator(seed: seed, unit: -1)
            var perm = z
            var sims = [Double](repeating: 0, count: permutations)
            for s in 0 ..< permutations {
                perm.shuffle(using: &rng)
                sims[s] = observedI(z: perm, m2: m2, w: w, s0: s0)
            }
            pPerm = sims.withUnsafeBufferPointer { PermutationTest.pseudoP(observed: I, simulated: $0, alternative: alternative) }
        }
        return GlobalMoranResult(n: n, I: I, expected: ei, varianceNormal: vNorm, zNormal: zN, pNormal: MultipleTesting.twoSidedP(zN),
                                 varianceRandomisation: vRand, zRandomisation: zR, pRandomisation: MultipleTesting.twoSidedP(zR),
                                 s0: s0, s1: s1, s2: s2, pPermutation: pPerm, permutations: permutations,
                                 alternative: alternative, seed: seed)
    }

    /// z = y − ȳ and Σz², after checking n ≥ 4, finite values and non-zero variance.
    static func deviations(_ y: [Double]) throws(MoranError) -> (z: [Double], m2: Double) {
        let n = y.count
        guard n >= 4 else { throw .tooFewUnits(n) }
        for (i, v) in y.enumerated() where !v.isFinite { throw .nonFiniteValue(index: i) }
        let mean = y.reduce(0, +) / Double(n)
        let z = y.map { $0 - mean }
        let m2 = z.reduce(0) { $0 + $1 * $1 }
        guard m2 > 1e-24 * max(1, mean * mean) * Double(n) else { throw .zeroVariance(n: n) }
        return (z, m2)
    }

    static func observedI(z: [Double], m2: Double, w: SpatialWeights, s0: Double) -> Double {
        var cross = 0.0
        for i in 0 ..< z.count {
            var lag = 0.0
            for k in w.offsets[i] ..< w.offsets[i + 1] { lag += w.weights[k] * z[Int(w.neighbours[k])] }
            cross += z[i] * lag
        }
        return Double(z.count) / s0 * cross / m2
    }
}
