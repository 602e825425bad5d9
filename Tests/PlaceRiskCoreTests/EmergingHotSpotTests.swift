import Testing
@testable import PlaceRiskCore

/// Hand-built 10-step series for each of Esri's Emerging Hot Spot patterns (ArcGIS Pro "How Emerging
/// Hot Spot Analysis works"). Trend reference (pymannkendall 1.4.3 `original_test`):
/// rising z [2, 2.2, 2.5, 2.4, 2.9, 3.1, 3.3, 3.2, 3.6, 4.0] → s 41, p 0.00034661935113455833, increasing;
/// flat z [3, 2.5, 3.1, 2.4, 3, 2.6, 2.9, 2.7, 3.2, 2.5] → s −1, p 1.0, no trend;
/// falling z [5, 4.6, 4.2, 3.9, 3.5, 3.1, 2.8, 1.5, 2.2, 2.0] → s −41, p 0.00034661935113455833, decreasing.
@Suite("Emerging Hot Spot Analysis patterns")
struct EmergingHotSpotTests {
    static let rising: [Double] = [2, 2.2, 2.5, 2.4, 2.9, 3.1, 3.3, 3.2, 3.6, 4.0]
    static let flat: [Double] = [3, 2.5, 3.1, 2.4, 3, 2.6, 2.9, 2.7, 3.2, 2.5]
    static let falling: [Double] = [5, 4.6, 4.2, 3.9, 3.5, 3.1, 2.8, 1.5, 2.2, 2.0]

    private func pattern(_ bins: [Int8], _ z: [Double] = flat) -> EmergingHotSpotPattern {
        EmergingHotSpot.classify(bins: bins, z: z).pattern
    }

    /// Each hot pattern from a series built to its definition; the cold ones are the mirror images
    /// (bins and z negated, so "intensifying cold" has a significantly decreasing z).
    @Test func everyEsriPatternFromHandBuiltSeries() {
        let cases: [([Int8], [Double], EmergingHotSpotPattern, EmergingHotSpotPattern)] = [
            ([0, 0, 0, 0, 0, 0, 0, 0, 0, 2], Self.flat, .newHotSpot, .newColdSpot),
            ([0, 0, 0, 0, 0, 0, 0, 1, 2, 3], Self.flat, .consecutiveHotSpot, .consecutiveColdSpot),
            ([3, 3, 3, 3, 3, 3, 3, 3, 3, 3], Self.rising, .intensifyingHotSpot, .intensifyingColdSpot),
            ([3, 3, 3, 0, 3, 3, 3, 3, 3, 3], Self.flat, .persistentHotSpot, .persistentColdSpot),
            ([3, 3, 3, 3, 3, 3, 3, 0, 2, 2], Self.falling, .diminishingHotSpot, .diminishingColdSpot),
            ([0, 2, 0, 0, 1, 0, 0, 2, 0, 1], Self.flat, .sporadicHotSpot, .sporadicColdSpot),
            ([0, -2, 0, 1, 0, 0, -1, 0, 0, 2], Self.flat, .oscillatingHotSpot, .oscillatingColdSpot),
            ([2, 2, 2, 2, 2, 2, 2, 2, 2, 0], Self.flat, .historicalHotSpot, .historicalColdSpot),
            ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], Self.flat, .noPattern, .noPattern),
        ]
        for (bins, z, hot, cold) in cases {
            #expect(pattern(bins, z) == hot, "hot case \(bins)")
            #expect(pattern(bins.map { -$0 }, z.map { -$0 }) == cold, "cold case \(bins)")
        }
    }

    /// The trend rests on the Mann–Kendall test of z: the same all-hot bins are intensifying,
    /// persistent or diminishing according to the z trend (pymannkendall numbers in the suite doc).
    @Test func trendDecidesAmongTheNinetyPercentPatterns() {
        let allHot = [Int8](repeating: 3, count: 10)
        let r = EmergingHotSpot.classify(bins: allHot, z: Self.rising)
        #expect(r.trend.s == 41 && abs(r.trend.p - 0.00034661935113455833) < 1e-12)
        #expect(r.pattern == .intensifyingHotSpot && r.hotSteps == 10 && r.coldSteps == 0)
        #expect(pattern(allHot, Self.flat) == .persistentHotSpot)
        #expect(pattern(allHot, Self.falling) == .diminishingHotSpot)
        // At a stricter trend level the rising series is no longer significant → persistent.
        #expect(EmergingHotSpot.classify(bins: allHot, z: Self.rising, trendAlpha: 0.0001).pattern == .persistentHotSpot)
    }

    /// Boundaries of the definitions: 9 of 10 hot ending in a run is ≥ 90 % so not consecutive; a run
    /// of one after earlier hot steps is sporadic, not new; 8 of 10 hot is below 90 %.
    @Test func ninetyPercentAndRunBoundaries() {
        #expect(pattern([0, 1, 1, 1, 1, 1, 1, 1, 1, 1]) == .persistentHotSpot)
        #expect(pattern([0, 0, 1, 1, 1, 1, 1, 1, 1, 1]) == .consecutiveHotSpot)
        #expect(pattern([1, 0, 0, 0, 0, 0, 0, 0, 0, 1]) == .sporadicHotSpot)
        #expect(pattern([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]) == .noPattern)
        // Fewer than 10 steps: 90 % means all of them.
        #expect(pattern([1, 1, 1, 1, 0], [3, 2.5, 3.1, 2.4, 3]) == .noPattern)
    }

    /// Pinned precedence (table order, hot before cold): a former cold spot that turns hot for the
    /// first time is a new hot spot (Esri's "never a significant hot spot before"); a location hot for
    /// 90 % of steps whose final step is a cold spot is a historical hot spot.
    @Test func pinnedPrecedenceForOverlappingDefinitions() {
        #expect(pattern([-1, -2, 0, 0, 0, 0, 0, 0, 0, 2]) == .newHotSpot)
        #expect(pattern([-1, 0, 0, 0, 0, 0, 0, 0, 2, 2]) == .consecutiveHotSpot)
        #expect(pattern([2, 2, 2, 2, 2, 2, 2, 2, 2, -1]) == .historicalHotSpot)
    }

    /// The z/p entry point: a step is significant when p < α (default 0.10), hot when z > 0.
    @Test func classifyFromZAndP() {
        let z: [Double] = [0.2, -0.5, 0.1, 0.3, 0.0, 0.4, 0.2, -0.1, 0.3, 2.1]
        let p = z.map { MultipleTesting.twoSidedP($0) }
        #expect(EmergingHotSpot.classify(z: z, p: p).pattern == .newHotSpot)
        #expect(EmergingHotSpot.classify(z: z, p: p, alpha: 0.01).pattern == .noPattern)
    }
}
