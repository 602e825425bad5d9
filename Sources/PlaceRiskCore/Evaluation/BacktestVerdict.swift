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

/// Which method a risk list should use, from the backtest's verdicts: the model when it beats every
/// baseline (on AUC and PAI@5 %); otherwise the simplest history it fails to beat — mean-past first,
/// then kde-past, then naive-last — because a model that does not beat simple history adds complexity
/// without benefit. With no backtest the model is used and the sentence says it is untested.
public struct BestMethod: Sendable, Equatable {
    public let method: String
    public let sentence: String

    public init(_ verdicts: [BacktestVerdict]) {
        guard !verdicts.isEmpty else {
            method = "model"
            sentence = "The list uses the model; it could not be backtested on these data, so how well it ranks places is unknown."
            return
        }
        if verdicts.allSatisfy(\.beats) {
            method = "model"
            sentence = "The list uses the model: in the backtest it beat every simple baseline on both ranking (AUC) and targeting (PAI at 5 % of area)."
            return
        }
        let lost = Set(verdicts.filter { !$0.beats }.map(\.baseline))
        let pick = ["mean-past", "kde-past", "naive-last"].first { lost.contains($0) } ?? verdicts.first { !$0.beats }!.baseline
        method = pick
        let v = verdicts.first { $0.baseline == pick }!
        sentence = "The list ranks places by \(pick) (\(BestMethod.meaning(pick))): the model does not beat it in the backtest \(v.differences), so the simpler method is used; the model's probability is shown beside it."
    }

    public static func meaning(_ m: String) -> String {
        switch m {
        case "mean-past": return "each place's mean monthly count over all past months"
        case "naive-last": return "each place's count last month"
        case "kde-past": return "the kernel density of all past incidents at the place"
        default: return m
        }
    }
}
