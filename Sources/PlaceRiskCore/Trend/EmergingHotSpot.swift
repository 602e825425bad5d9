/// Esri's Emerging Hot Spot Analysis patterns (ArcGIS Pro, "How Emerging Hot Spot Analysis works",
/// https://pro.arcgis.com/en/pro-app/latest/tool-reference/space-time-pattern-mining/learnmoreemerging.htm).
///
/// "Hot" at a time step means a statistically significant hot spot bin (Gi* bin > 0), "cold" a
/// significant cold spot bin (< 0); n is the number of time steps and "90 %" means at least 90 %
/// (10·count ≥ 9·n, exact in integers). The trend is the Mann–Kendall test of the location's Gi*
/// z-score series. Esri's definitions, in its table's order:
///
/// | pattern | definition |
/// |---|---|
/// | new | hot at the final step, never a significant hot spot before |
/// | consecutive | a single uninterrupted run of ≥ 2 hot bins at the final steps, never hot before the run, and < 90 % of all bins hot |
/// | intensifying | hot for ≥ 90 % of the steps including the final one, and the clustering intensity (z) increases with a significant trend |
/// | persistent | hot for ≥ 90 % of the steps with no significant trend in intensity |
/// | diminishing | hot for ≥ 90 % of the steps including the final one, and the intensity decreases with a significant trend |
/// | sporadic | hot at the final step, on-and-off-again hot before; < 90 % of the steps hot and no step a significant cold spot |
/// | oscillating | hot at the final step, a significant cold spot at some prior step; < 90 % of the steps hot |
/// | historical | not hot at the most recent step, but hot for ≥ 90 % of the steps |
///
/// Cold-spot patterns mirror these with hot ↔ cold; for cold spots "intensifying" means the z
/// trend is significantly *decreasing* (colder) and "diminishing" significantly increasing.
///
/// Pinned choices where the text leaves room (documented, tested):
/// - Precedence is the table's order, hot patterns before cold ones; the first match wins. So a
///   location hot for ≥ 90 % of steps whose final step is a cold spot is a *historical hot spot*.
/// - New and consecutive exclude earlier *hot* spots only, as the text says: a former cold spot that
///   turns hot for the first time at the last step is a *new hot spot*. (R sfdep requires no earlier
///   significant bin of either sign, and drops the final-step condition of sporadic; Esri ArcMap
///   10.x worded sporadic without it too — the current Pro text has it.)
/// - Persistent needs the final step hot: if it is not, "historical" applies (it is the pattern
///   defined by a non-hot most recent step), so the order persistent → historical is immaterial.
/// - With fewer than 10 steps "90 %" means every step, so historical patterns cannot occur; Esri
///   requires at least 10 time steps for the tool — this type only requires 1.
public enum EmergingHotSpotPattern: String, Sendable, CaseIterable {
    /// Esri "No Pattern Detected".
    case noPattern = "No Pattern Detected"
    /// Esri "New Hot Spot".
    case newHotSpot = "New Hot Spot"
    /// Esri "Consecutive Hot Spot".
    case consecutiveHotSpot = "Consecutive Hot Spot"
    /// Esri "Intensifying Hot Spot".
    case intensifyingHotSpot = "Intensifying Hot Spot"
    /// Esri "Persistent Hot Spot".
    case persistentHotSpot = "Persistent Hot Spot"
    /// Esri "Diminishing Hot Spot".
    case diminishingHotSpot = "Diminishing Hot Spot"
    /// Esri "Sporadic Hot Spot".
    case sporadicHotSpot = "Sporadic Hot Spot"
    /// Esri "Oscillating Hot Spot".
    case oscillatingHotSpot = "Oscillating Hot Spot"
    /// Esri "Historical Hot Spot".
    case historicalHotSpot = "Historical Hot Spot"
    /// Esri "New Cold Spot".
    case newColdSpot = "New Cold Spot"
    /// Esri "Consecutive Cold Spot".
    case consecutiveColdSpot = "Consecutive Cold Spot"
    /// Esri "Intensifying Cold Spot".
    case intensifyingColdSpot = "Intensifying Cold Spot"
    /// Esri "Persistent Cold Spot".
    case persistentColdSpot = "Persistent Cold Spot"
    /// Esri "Diminishing Cold Spot".
    case diminishingColdSpot = "Diminishing Cold Spot"
    /// Esri "Sporadic Cold Spot".
    case sporadicColdSpot = "Sporadic Cold Spot"
    /// Esri "Oscillating Cold Spot".
    case oscillatingColdSpot = "Oscillating Cold Spot"
    /// Esri "Historical Cold Spot".
    case historicalColdSpot = "Historical Cold Spot"

    /// +1 for the hot-spot patterns, −1 for the cold-spot patterns, 0 for no pattern.
    public var sign: Int {
        switch self {
        case .noPattern: return 0
        case .newHotSpot, .consecutiveHotSpot, .intensifyingHotSpot, .persistentHotSpot,
             .diminishingHotSpot, .sporadicHotSpot, .oscillatingHotSpot, .historicalHotSpot: return 1
        default: return -1
        }
    }
}

/// One location's Emerging Hot Spot classification with the counts and trend it rests on.
public struct EmergingHotSpotResult: Sendable, Equatable {
    /// The Esri pattern.
    public let pattern: EmergingHotSpotPattern
    /// Mann–Kendall test of the Gi* z series (Esri's TREND_Z / TREND_P).
    public let trend: MannKendallResult
    /// Number of time steps.
    public let timeSteps: Int
    /// Number of significant hot-spot steps.
    public let hotSteps: Int
    /// Number of significant cold-spot steps.
    public let coldSteps: Int
}

/// Emerging Hot Spot Analysis classification of per-location Gi* series (see
/// `EmergingHotSpotPattern` for Esri's definitions and the pinned choices).
///
/// Complexity: O(n²) per location in the number of time steps n (the Mann–Kendall test).
public enum EmergingHotSpot {
    /// Default two-sided level for the Mann–Kendall trend of the z series.
    public static let defaultTrendAlpha = 0.05

    /// Classifies one location from its Gi* bins per time step (ArcGIS `Gi_Bin`, e.g. from
    /// `ConfidenceBin.bins`, with or without FDR: any non-zero bin is significant) and its Gi*
    /// z-scores per time step (for the trend; NaN steps are skipped by the trend test).
    public static func classify(bins: [Int8], z: [Double], trendAlpha: Double = defaultTrendAlpha) -> EmergingHotSpotResult {
        precondition(bins.count == z.count, "EmergingHotSpot: bins and z differ in length")
        precondition(!bins.isEmpty, "EmergingHotSpot: needs at least one time step")
        let trend = MannKendall.test(z)
        let hot = bins.map { $0 > 0 }, cold = bins.map { $0 < 0 }
        let pattern = classify(hot: hot, cold: cold, trend: trend.direction(alpha: trendAlpha))
        return EmergingHotSpotResult(pattern: pattern, trend: trend, timeSteps: bins.count,
                                     hotSteps: hot.filter { $0 }.count, coldSteps: cold.filter { $0 }.count)
    }

    /// Classifies one location from Gi* z-scores and p-values per time step: a step is significant
    /// when p < `alpha` (default 0.10, the 90 % level of the lowest non-zero `Gi_Bin`), hot when z > 0.
    public static func classify(z: [Double], p: [Double], alpha: Double = 0.10,
                                trendAlpha: Double = defaultTrendAlpha) -> EmergingHotSpotResult {
        precondition(z.count == p.count, "EmergingHotSpot: z and p differ in length")
        let bins: [Int8] = z.indices.map { t in
            guard !z[t].isNaN, !p[t].isNaN, p[t] < alpha else { return 0 }
            return z[t] > 0 ? 1 : (z[t] < 0 ? -1 : 0)
        }
        return classify(bins: bins, z: z, trendAlpha: trendAlpha)
    }

    /// The pattern from significant hot and cold steps and the trend direction of z (the rules in
    /// `EmergingHotSpotPattern`'s table, hot patterns first).
    public static func classify(hot: [Bool], cold: [Bool], trend: TrendDirection) -> EmergingHotSpotPattern {
        precondition(hot.count == cold.count && !hot.isEmpty, "EmergingHotSpot: hot and cold must be equally long and non-empty")
        if let p = side(hot, opposite: cold, trend: trend, increasing: .increasing,
                        patterns: [.newHotSpot, .consecutiveHotSpot, .intensifyingHotSpot, .persistentHotSpot,
                                   .diminishingHotSpot, .sporadicHotSpot, .oscillatingHotSpot, .historicalHotSpot]) {
            return p
        }
        if let p = side(cold, opposite: hot, trend: trend, increasing: .decreasing,
                        patterns: [.newColdSpot, .consecutiveColdSpot, .intensifyingColdSpot, .persistentColdSpot,
                                   .diminishingColdSpot, .sporadicColdSpot, .oscillatingColdSpot, .historicalColdSpot]) {
            return p
        }
        return .noPattern
    }

    /// One side's eight rules. `sig` = this side's significant steps, `opposite` the other side's;
    /// `increasing` = the z trend that means "intensifying" for this side.
    private static func side(_ sig: [Bool], opposite: [Bool], trend: TrendDirection, increasing: TrendDirection,
                             patterns p: [EmergingHotSpotPattern]) -> EmergingHotSpotPattern? {
        let n = sig.count
        let count = sig.filter { $0 }.count
        let atLeast90 = 10 * count >= 9 * n
        let final = sig[n - 1]
        // Length of the uninterrupted run of significant steps ending at the final step.
        var run = 0
        while run < n && sig[n - 1 - run] { run += 1 }
        let beforeRun = count - run  // significant steps before the final run
        if final {
            if count == 1 { return p[0] }                                    // new
            if run >= 2 && beforeRun == 0 && !atLeast90 { return p[1] }      // consecutive
            if atLeast90 {
                if trend == increasing { return p[2] }                       // intensifying
                if trend == .noTrend { return p[3] }                         // persistent
                return p[4]                                                  // diminishing
            }
            if !opposite.contains(true) { return p[5] }                     // sporadic
            return p[6]                                                      // oscillating
        }
        if atLeast90 { return p[7] }                                         // historical
        return nil
    }
}
