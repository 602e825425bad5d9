/// p-values from z and the Benjamini–Hochberg false discovery rate (conventions §4).
public enum MultipleTesting {
    /// Two-sided normal p-value, 2·(1 − Φ(|z|)) = erfc(|z|/√2). NaN stays NaN.
    @inlinable
    public static func twoSidedP(_ z: Double) -> Double {
        z.isNaN ? .nan : erfc(abs(z) / 2.0.squareRoot())
    }

    /// Benjamini–Hochberg adjusted p-values (q-values):
    /// ```
    /// q_(k) = min_{j ≥ k} ( m / j · p_(j) ),  capped at 1,
    /// ```
    /// over the m non-NaN p-values (NaN in, NaN out). A test is significant at FDR α iff q ≤ α, which
    /// is the BH step-up rule (Benjamini & Hochberg 1995, JRSS B 57(1), 289–300). When nothing
    /// passes, nothing is significant — unlike esda's `fdr()`, which then returns α/m.
    public static func benjaminiHochberg(_ p: [Double]) -> [Double] {
        let idx = p.indices.filter { !p[$0].isNaN }.sorted { p[$0] < p[$1] || (p[$0] == p[$1] && $0 < $1) }
        let m = Double(idx.count)
        var q = [Double](repeating: .nan, count: p.count)
        var running = 1.0
        for rank in stride(from: idx.count, through: 1, by: -1) {
            let i = idx[rank - 1]
            running = min(running, m / Double(rank) * p[i])
            q[i] = min(1, running)
        }
        return q
    }
}

/// ArcGIS-style hot/cold-spot confidence bins (`Gi_Bin`): ±3, ±2, ±1 for 99, 95, 90 % confidence,
/// 0 otherwise, the sign from z. Without FDR: |z| > 2.576 / 1.960 / 1.645 (two-sided p < 0.01 /
/// 0.05 / 0.10). With FDR: a level is reached when the BH q-value is at most its α.
public enum ConfidenceBin {
    /// (bin, α, ArcGIS |z| cut-off) from the highest confidence down.
    public static let levels: [(bin: Int8, alpha: Double, z: Double)] = [(3, 0.01, 2.576), (2, 0.05, 1.960), (1, 0.10, 1.645)]

    /// Bins from z and (without FDR) the ArcGIS z cut-offs, or (with FDR) the BH q-values `q`.
    public static func bins(z: [Double], p: [Double], fdr: Bool, q: [Double]? = nil) -> [Int8] {
        precondition(z.count == p.count, "ConfidenceBin: z and p differ in length")
        let qv = fdr ? (q ?? MultipleTesting.benjaminiHochberg(p)) : []
        return z.indices.map { i in
            let zi = z[i]
            guard !zi.isNaN else { return 0 }
            for (b, a, cut) in levels {
                let passes = fdr ? (!qv[i].isNaN && qv[i] <= a) : abs(zi) > cut
                if passes { return zi > 0 ? b : -b }
            }
            return 0
        }
    }
}
