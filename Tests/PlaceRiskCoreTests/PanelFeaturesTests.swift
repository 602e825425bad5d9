import Foundation
import Testing
@testable import PlaceRiskCore

@Suite("Panel features for the risk model")
struct PanelFeaturesTests {
    /// Three units over 2020-01…2020-06, a chain of neighbours A–B–C:
    ///   A: 0 1 2 3 4 5     B: 5 5 5 5 5 5     C: 0 0 0 0 0 9
    let panel = Panel(units: ["A", "B", "C"], months: MonthRange(YearMonth(year: 2020, month: 1), YearMonth(year: 2020, month: 6)),
                      counts: [0, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 0, 0, 0, 0, 0, 9])
    let chain = SpatialWeights(neighbourLists: [[1], [0, 2], [1]])

    @Test func featuresUseOnlyEarlierMonthsAndMatchHandValues() throws {
        let feats: [PanelFeature] = [.lag(1), .lag(2), .rollingMean(3), .spatialLag, .monthOfYearSin, .log1p(.lag(1))]
        let m = try PanelFeatures.build(panel, features: feats, outcome: .atLeast(3), weights: chain)
        #expect(m.names == ["lag_1", "lag_2", "mean_3", "spatial_lag_1", "month_sin", "log1p_lag_1"])
        // Lookback 3 → targets 2020-04 … 2020-06 (t = 3, 4, 5) × 3 units.
        #expect(m.rows == 9 && m.month.first == 3 && m.month.last == 5)
        let k = feats.count
        let rowA = Array(m.values[0 ..< k]), rowB = Array(m.values[k ..< 2 * k])
        // A in April: lag1 = 2, lag2 = 1, mean3 = (2+1+0)/3 = 1, neighbour B in March = 5,
        // sin(2π·4/12) = 0.8660254037844387, ln(1 + 2) = 1.0986122886681098.
        #expect(rowA[0] == 2 && rowA[1] == 1 && rowA[2] == 1 && rowA[3] == 5)
        #expect(abs(rowA[4] - 0.8660254037844387) < 1e-15 && abs(rowA[5] - 1.0986122886681098) < 1e-15)
        // B in April: neighbours A (2) and C (0), row-standardised: 0.5·2 + 0.5·0 = 1.
        #expect(rowB[3] == 1)
        // Outcome count ≥ 3 in April: A 3 → 1, B 5 → 1, C 0 → 0.
        #expect(Array(m.outcome[0 ..< 3]) == [1, 1, 0])
    }

    @Test func topFractionAndCountOutcomes() throws {
        let top = try PanelFeatures.build(panel, features: [.lag(1)], outcome: .topFraction(1.0 / 3))
        // April (t = 3): counts 3, 5, 0 → only B; June (t = 5): 5, 5, 9 → only C.
        let april = (0 ..< top.rows).filter { top.month[$0] == 3 }.map { top.outcome[$0] }
        let june = (0 ..< top.rows).filter { top.month[$0] == 5 }.map { top.outcome[$0] }
        #expect(april == [0, 1, 0] && june == [0, 0, 1])
        let counts = try PanelFeatures.build(panel, features: [.lag(1)], outcome: .count)
        #expect((0 ..< counts.rows).filter { counts.month[$0] == 5 }.map { counts.outcome[$0] } == [5, 5, 9])
    }

    /// Scoring the month after the data: target t = T has features from the last month and no outcome.
    @Test func nextMonthRowsHaveFeaturesButNoOutcome() throws {
        let m = try PanelFeatures.build(panel, features: [.lag(1), .rollingMean(2)], outcome: .atLeast(1), lastTarget: 6)
        let next = (0 ..< m.rows).filter { m.month[$0] == 6 }
        #expect(next.count == 3)
        #expect(next.map { m.values[$0 * 2] } == [5, 5, 9] && next.map { m.values[$0 * 2 + 1] } == [4.5, 5, 4.5])
        #expect(next.allSatisfy { m.outcome[$0].isNaN })
    }

    @Test func badRequestsAreTypedErrors() {
        #expect(throws: PanelError.tooFewMonths(have: 6, need: 6)) { try PanelFeatures.build(panel, features: [.lag(6)], outcome: .count) }
        #expect(throws: PanelError.spatialLagNeedsWeights) { try PanelFeatures.build(panel, features: [.spatialLag], outcome: .count) }
        #expect(throws: PanelError.self) { try PanelFeatures.build(panel, features: [.lag(1)], outcome: .topFraction(1.5)) }
        #expect(PanelFeature(name: "log1p_mean_12") == .log1p(.rollingMean(12)) && PanelFeature(name: "lag_0") == nil)
    }
}
