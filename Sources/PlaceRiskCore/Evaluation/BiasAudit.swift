/// One IMD decile's row of the bias audit (`BiasAudit.audit`). Shares are fractions in [0, 1];
/// NaN marks a quantity with a zero denominator (see `BiasAudit` for each case).
public struct BiasAuditDecile: Sendable, Equatable {
    /// IMD decile, 1 (most deprived) … 10 (least deprived).
    public let decile: Int
    /// Units (cells or LSOAs) in the decile.
    public let units: Int
    /// The decile's population ÷ the population of all ten deciles.
    public let populationShare: Double
    /// The decile's observed count ÷ the observed count of all units with a decile.
    public let crimeShare: Double
    /// The decile's summed predicted probability ÷ the sum over all units with a decile.
    public let predictedRiskShare: Double
    /// The decile's flagged area ÷ all flagged area (of units with a decile).
    public let flaggedAreaShare: Double
    /// Observed count in the decile's flagged units ÷ the decile's observed count.
    public let hitRate: Double
    /// Hit rate ÷ (flagged area ÷ area) within the decile (PAI, Chainey, Tompson & Uhlig 2008).
    public let pai: Double
    /// Flagged-area share ÷ crime share: above 1 the decile gets more attention than its share of crime.
    public let disparityRatio: Double
    /// Mean predicted probability over the decile's units (calibration within the decile) …
    public let meanPredicted: Double
    /// … against the mean binary outcome (the observed rate) over the same units.
    public let observedRate: Double
}

/// The bias audit table: one row per IMD decile and the units left out for want of a decile.
public struct BiasAuditResult: Sendable, Equatable {
    /// Deciles 1 … 10 in order (always ten rows, empty deciles included).
    public let deciles: [BiasAuditDecile]
    /// Units whose decile is 0 (none): left out of every share.
    public let unitsWithoutDecile: Int
}

/// Bias audit of a place-based forecast by IMD 2019 decile (conventions §9; decile 1 = most deprived).
///
/// Per decile d, over the units i with decile(i) = d (units with decile 0 are counted and left out):
/// ```
/// population share  = P_d / Σ_e P_e                       (P from the caller, e.g. LSOA mid-year populations)
/// crime share       = Σ_d n_i / Σ_all n_i                  (n = observed count in the test month)
/// risk share        = Σ_d p_i / Σ_all p_i                  (p = predicted probability)
/// flagged share     = Σ_d a_i·f_i / Σ_all a_i·f_i          (a = area, f = 1 when flagged)
/// hit rate          = Σ_d n_i·f_i / Σ_d n_i                (NaN when the decile has no crime)
/// PAI               = hit rate / (Σ_d a_i·f_i / Σ_d a_i)   (NaN when the decile has no area or nothing flagged)
/// disparity ratio   = flagged share / crime share          (NaN when the crime share is 0 or NaN)
/// mean predicted    = Σ_d p_i / N_d,  observed rate = Σ_d y_i / N_d   (NaN when N_d = 0; y = binary outcome)
/// ```
/// Shares whose total is 0 are NaN (e.g. every crime share when nothing was observed, every flagged
/// share when nothing was flagged). PAI per decile follows Chainey, Tompson & Uhlig (2008, Security
/// Journal 21) within the decile; the disparity ratio is the ratio of attention to crime used by the
/// responsible-use checks (Lum & Isaac 2016). Sums run in unit order (the results are reproducible
/// bit for bit).
///
/// Complexity: O(n) in the number of units.
public enum BiasAudit {
    /// Number of IMD deciles.
    public static let decileCount = 10

    /// The audit table. All per-unit arrays have one entry per unit; `decile` is 1 … 10, or 0 for a
    /// unit without a decile; `populationByDecile` has ten entries (decile 1 first).
    public static func audit(decile: [Int], observed: [Double], probability: [Double], area: [Double],
                             flagged: [Bool], outcome: [Double], populationByDecile: [Double]) -> BiasAuditResult {
        let n = decile.count
        precondition(observed.count == n && probability.count == n && area.count == n && flagged.count == n && outcome.count == n,
                     "BiasAudit: every per-unit array needs one entry per unit (\(n) deciles)")
        precondition(populationByDecile.count == decileCount, "BiasAudit: the population needs one entry per decile (10), got \(populationByDecile.count)")
        let zero = [Double](repeating: 0, count: decileCount)
        var crime = zero, risk = zero, unitArea = zero, flaggedArea = zero, flaggedCrime = zero, positives = zero
        var units = [Int](repeating: 0, count: decileCount)
        var unknown = 0
        for i in 0 ..< n {
            precondition(decile[i] >= 0 && decile[i] <= decileCount, "BiasAudit: a decile must be 1 … 10 or 0 (none), got \(decile[i]) at unit \(i)")
            guard decile[i] > 0 else { unknown += 1; continue }
            let j = decile[i] - 1
            units[j] += 1; crime[j] += observed[i]; risk[j] += probability[i]; unitArea[j] += area[i]; positives[j] += outcome[i]
            if flagged[i] { flaggedArea[j] += area[i]; flaggedCrime[j] += observed[i] }
        }
        func share(_ v: [Double], _ j: Int) -> Double { let s = v.reduce(0, +); return s > 0 ? v[j] / s : .nan }
        let rows = (0 ..< decileCount).map { j -> BiasAuditDecile in
            let hit = crime[j] > 0 ? flaggedCrime[j] / crime[j] : .nan
            let pai = unitArea[j] > 0 && flaggedArea[j] > 0 ? hit / (flaggedArea[j] / unitArea[j]) : .nan
            let crimeShare = share(crime, j), flaggedShare = share(flaggedArea, j)
            let disparity = crimeShare > 0 ? flaggedShare / crimeShare : .nan
            let meanP = units[j] > 0 ? risk[j] / Double(units[j]) : .nan
            let rate = units[j] > 0 ? positives[j] / Double(units[j]) : .nan
            return BiasAuditDecile(decile: j + 1, units: units[j], populationShare: share(populationByDecile, j), crimeShare: crimeShare,
                                   predictedRiskShare: share(risk, j), flaggedAreaShare: flaggedShare, hitRate: hit, pai: pai,
                                   disparityRatio: disparity, meanPredicted: meanP, observedRate: rate)
        }
        return BiasAuditResult(deciles: rows, unitsWithoutDecile: unknown)
    }
}
