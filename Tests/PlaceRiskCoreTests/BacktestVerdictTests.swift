import Testing
@testable import PlaceRiskCore

@Suite("Backtest verdict")
struct BacktestVerdictTests {
    static func row(_ model: String, auc: Double?, pai5: Double) -> Backtest.Row {
        Backtest.Row(model: model, month: "mean", auc: auc, brier: 0.2, logLoss: 0.6, hitRate5: 0.3, pai1: 1, pai5: pai5, pai10: 1, pei5: 0.5)
    }

    /// Beats = higher AUC and higher PAI@5 %; the differences are model − baseline (hand arithmetic:
    /// 0.737 − 0.672 = +0.065, 6.72 − 6.47 = +0.25; 0.737 − 0.741 = −0.004, 6.72 − 6.02 = +0.70).
    @Test func aModelBeatsABaselineOnlyOnBothRankingAndTargeting() {
        let rows = [Self.row("model", auc: 0.737, pai5: 6.72), Self.row("naive-last", auc: 0.672, pai5: 6.47),
                    Self.row("kde-past", auc: 0.741, pai5: 6.02), Self.row("mean-past", auc: nil, pai5: 1)]
        let v = BacktestVerdict.all(rows)
        #expect(v.map(\.baseline) == ["naive-last", "kde-past", "mean-past"])
        #expect(v[0].beats && v[0].sentence == "beats naive-last (AUC +0.065, PAI@5% +0.25)")
        #expect(!v[1].beats && v[1].sentence == "does NOT beat kde-past (AUC -0.004, PAI@5% +0.70)")
        #expect(!v[2].beats && v[2].differences == "(AUC n/a, PAI@5% +5.72)")
    }
}
