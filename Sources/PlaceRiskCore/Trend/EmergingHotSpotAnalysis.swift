/// Emerging Hot Spot Analysis over a unit × period panel (Esri, ArcGIS Pro "How Emerging Hot Spot
/// Analysis works"; the patterns and pinned choices are documented on `EmergingHotSpotPattern`):
/// ```
/// for each period t:  (z_·t, bin_·t) = Gi*(x_·t; W)      (GetisOrd.units: binary W plus the star w_ii = 1,
///                                                          two-sided p, ArcGIS Gi_Bin, optionally BH FDR)
/// for each unit u:    pattern_u = EmergingHotSpot.classify(bins: bin_u·, z: z_u·)
///                                 (Mann–Kendall trend of z_u· at `trendAlpha`)
/// ```
/// A period whose Gi* is undefined (fewer than 3 units, a non-finite count, or every unit equal, e.g.
/// a month without incidents) is skipped for every unit and listed in `skippedPeriods`; the series
/// then have `usedPeriods.count` steps. When no period is usable every unit is "No Pattern Detected"
/// and `classifications` is empty.
///
/// Complexity: O(T·(U + nnz(W))) for the Gi* maps plus O(U·T²) for the Mann–Kendall tests.
public struct EmergingHotSpotAnalysis: Sendable {
    /// Number of units.
    public let unitCount: Int
    /// Number of periods in the panel.
    public let periodCount: Int
    /// The periods with a Gi* map, in order (the time steps of every series).
    public let usedPeriods: [Int]
    /// Periods without a Gi* map and why.
    public let skippedPeriods: [(period: Int, reason: GiStarError)]
    /// Gi* z-scores, unit-major: `z[u · usedPeriods.count + s]` for step s (period `usedPeriods[s]`).
    public let z: [Double]
    /// ArcGIS Gi_Bin (−3 … 3), laid out as `z`.
    public let bins: [Int8]
    /// One classification per unit (pattern, Mann–Kendall trend, hot and cold steps); empty when no
    /// period is usable.
    public let classifications: [EmergingHotSpotResult]
    /// One pattern per unit.
    public let patterns: [EmergingHotSpotPattern]

    /// Number of time steps of each unit's series.
    public var stepCount: Int { usedPeriods.count }

    /// Unit u's z series (one value per used period).
    public func zSeries(unit u: Int) -> ArraySlice<Double> { z[(u * stepCount) ..< ((u + 1) * stepCount)] }

    /// Unit u's Gi_Bin series (one value per used period).
    public func binSeries(unit u: Int) -> ArraySlice<Int8> { bins[(u * stepCount) ..< ((u + 1) * stepCount)] }

    /// Unit u's number of significant hot-spot steps (bin > 0); 0 when no period is usable.
    public func hotSteps(unit u: Int) -> Int { binSeries(unit: u).filter { $0 > 0 }.count }

    /// Unit u's number of significant cold-spot steps (bin < 0); 0 when no period is usable.
    public func coldSteps(unit u: Int) -> Int { binSeries(unit: u).filter { $0 < 0 }.count }

    /// Runs the analysis. `counts` is unit-major, `counts[u · periods + t]`; `weights` are the units'
    /// neighbours (made binary, the star added); `fdr` chooses BH-adjusted bins per map.
    /// Preconditions: periods ≥ 1; counts.count = weights.count × periods.
    public init(counts: [Double], periods T: Int, weights: SpatialWeights, fdr: Bool = false,
                trendAlpha: Double = EmergingHotSpot.defaultTrendAlpha) {
        let U = weights.count
        precondition(T >= 1, "EmergingHotSpotAnalysis: needs at least one period")
        precondition(counts.count == U * T, "EmergingHotSpotAnalysis: \(counts.count) counts for \(U) units × \(T) periods")
        var used: [Int] = [], skipped: [(period: Int, reason: GiStarError)] = []
        var maps: [GiStarResult] = []
        for t in 0 ..< T {
            let v = (0 ..< U).map { counts[$0 * T + t] }
            do {
                maps.append(try GetisOrd.units(v, weights: weights, fdr: fdr))
                used.append(t)
            } catch {
                skipped.append((t, error))
            }
        }
        let S = used.count
        var z = [Double](repeating: 0, count: U * S), bins = [Int8](repeating: 0, count: U * S)
        for (s, g) in maps.enumerated() {
            for u in 0 ..< U { z[u * S + s] = g.z[u]; bins[u * S + s] = g.bin[u] }
        }
        let classifications: [EmergingHotSpotResult] = S == 0 ? [] : (0 ..< U).map { u in
            EmergingHotSpot.classify(bins: Array(bins[(u * S) ..< ((u + 1) * S)]), z: Array(z[(u * S) ..< ((u + 1) * S)]), trendAlpha: trendAlpha)
        }
        self.unitCount = U
        self.periodCount = T
        self.usedPeriods = used
        self.skippedPeriods = skipped
        self.z = z
        self.bins = bins
        self.classifications = classifications
        self.patterns = S == 0 ? [EmergingHotSpotPattern](repeating: .noPattern, count: U) : classifications.map(\.pattern)
    }
}
