import Testing
@testable import PlaceRiskCore

/// The backtest's naive baselines on a 3-unit × 4-month panel checked by hand (conventions §6).
/// `naive-last` scores unit u in test month t by its count in t − 1; `mean-past` by its mean count
/// over months 0 … t − 1. AUC, hit rate, PAI and PEI use the scores' ranking only (the Platt
/// calibration changes Brier and log-loss, not the ranking), so they can be checked by hand.
@Suite("Backtest: naive baselines by hand")
struct BacktestNaiveLastTests {
    /// ```
    ///            2023-01  2023-02  2023-03  2023-04 (test month, t = 3)
    /// unit 0        0        0        2        1
    /// unit 1        1        1        0        3
    /// unit 2        2        2        0        0
    /// ```
    /// Outcome "≥ 1 crime" in 2023-04: y = (1, 1, 0); observed counts (1, 3, 0), N = 4.
    /// naive-last scores = counts of 2023-03 = (2, 0, 0).
    /// AUC = P(score of a positive > score of a negative), ties ½: pairs (u0, u2): 2 > 0 → 1;
    /// (u1, u2): 0 = 0 → ½; AUC = (1 + ½) / (2 positives × 1 negative) = 0.75.
    /// Top 5 % of area (equal areas; the limit 0.15 of 3 units' area is crossed by the first ranked
    /// unit, which is included): u0 → hit rate = 1 / 4; area share 1/3; PAI = (1/4) / (1/3) = 0.75.
    /// PEI: the best unit for the same area is u1 (3 crimes): PAI* = (3/4) / (1/3) = 2.25; PEI = 0.75 / 2.25 = 1/3.
    /// mean-past scores = (0+0+2, 1+1+0, 2+2+0) / 3 = (2/3, 2/3, 4/3): pairs (u0, u2): 2/3 < 4/3 → 0;
    /// (u1, u2): 0 → AUC 0; the top unit is u2 (0 crimes) → hit rate 0, PAI 0, PEI 0.
    /// The model (logistic on lag 1) is fitted on the target months 2023-02 and 2023-03, six rows
    /// (lag, y) = (0, 0), (0, 1), (1, 1), (1, 0), (2, 1), (2, 0): each lag has both outcomes, so the
    /// fit is not separated and the run succeeds.
    @Test func naiveLastScoresAndAUCOnTheLastMonth() throws {
        let months = MonthRange(YearMonth(year: 2023, month: 1), YearMonth(year: 2023, month: 4))
        let panel = Panel(units: ["u0", "u1", "u2"], months: months, counts: [0, 0, 2, 1,
                                                                             1, 1, 0, 3,
                                                                             2, 2, 0, 0])
        // naive-last reads the previous month's count: for t = 3, month 2's column.
        #expect((0 ..< 3).map { panel.count(unit: $0, month: 3 - 1) } == [2, 0, 0])
        let rows = try Backtest.run(panel: panel, features: [.lag(1)], outcome: .atLeast(1), weights: nil, testMonths: [3])
        let naive = try #require(rows.first { $0.model == "naive-last" && $0.month == "2023-04" })
        #expect(naive.auc == 0.75)
        #expect(naive.hitRate5 == 0.25 && abs(naive.pai5 - 0.75) < 1e-12 && abs(naive.pei5 - 1.0 / 3) < 1e-12)
        // The same numbers from ForecastMetrics on the hand-made scores.
        #expect(ForecastMetrics.auc(risk: [2, 0, 0], outcome: [1, 1, 0]) == 0.75)
        let mean = try #require(rows.first { $0.model == "mean-past" && $0.month == "2023-04" })
        #expect(mean.auc == 0 && mean.hitRate5 == 0 && mean.pai5 == 0 && mean.pei5 == 0)
        // One test month: the "mean" rows equal that month's.
        let naiveMean = try #require(rows.first { $0.model == "naive-last" && $0.month == "mean" })
        #expect(naiveMean.auc == 0.75 && naiveMean.pai5 == naive.pai5)
        // Brier of the calibrated baseline is a mean of squares of probabilities against 0/1 outcomes.
        #expect(naive.brier >= 0 && naive.brier <= 1)
    }
}
