/// Whether a model beats a baseline in a backtest, decided one way everywhere (`backtest`, `fit
/// --evaluate`, the report): better on ranking **and** on targeting — a higher AUC and a higher
/// PAI at 5 % of area, both from the same test months (the rows' means). A model that wins on one and
/// loses on the other does not beat the baseline: a planner needs both a good order and a small area.
public struct BacktestVerdict: Sendable, Equatable {
    public let baseline: String
    public let beats: Bool
    /// model − baseline (NaN when either AUC is undefined, e.g. a test month of one class).
    public let aucDifference: Double
    public let pai5Difference: Double

    public init(model: Backtest.Row, baseline: Backtest.Row) {
        self.baseline = baseline.model
        let a = model.auc ?? .nan, b = baseline.auc ?? .nan
        aucDifference = a - b
        pai5Difference = model.pai5 - baseline.pai5
        beats = aucDifference > 0 && pai5Difference > 0
    }

    /// The verdicts of the mean row of "model" against each baseline's mean row.
    public static func all(_ rows: [Backtest.Row]) -> [BacktestVerdict] {
        let means = rows.filter { $0.month == "mean" }
        guard let m = means.first(where: { $0.model == "model" }) else { return [] }
        return means.filter { $0.model != "model" }.map { BacktestVerdict(model: m, baseline: $0) }
    }

    /// "(AUC +0.065, PAI@5% +0.25)".
    public var differences: String {
        "(AUC " + Self.signed(aucDifference, 3) + ", PAI@5% " + Self.signed(pai5Difference, 2) + ")"
    }

    /// "beats naive-last (AUC +0.065, PAI@5% +0.25)" / "does NOT beat mean-past (…)".
    public var sentence: String { (beats ? "beats " : "does NOT beat ") + baseline + " " + differences }

    static func signed(_ v: Double, _ digits: Int) -> String {
        guard v.isFinite else { return "n/a" }
        var p = 1.0
        for _ in 0 ..< digits { p *= 10 }
        let r = (abs(v) * p).rounded() / p
        var text = "\(r)"
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
        } else { text += "." + String(repeating: "0", count: digits) }
        return (v < 0 && r > 0 ? "-" : "+") + text
    }
}
