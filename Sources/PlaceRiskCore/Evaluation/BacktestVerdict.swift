/// Whether a model beats a baseline in a backtest, decided one way everywhere (`backtest`, `fit`, `score`,
/// the report): better on ranking **and** on targeting. With paired-bootstrap intervals
/// (`BacktestResult`), the rule uses the interval, not the point:
/// ```
/// beats  ⇔  AUC difference interval entirely above 0  ∧  PAI@5 % difference > 0 (point; its interval is stated)
/// worse  ⇔  the AUC or PAI@5 % interval entirely below 0
/// level  ⇔  neither
/// ```
/// PAI@5 % over a few months of a few hundred flagged units is noisy, so its interval is reported but
/// only its sign is required (issue 16's target); AUC, which uses every unit, must be clearly better.
/// Without intervals (rows only) the points decide and the sentence says no interval was computed.
public struct BacktestVerdict: Sendable, Equatable {
    public let baseline: String
    public let beats: Bool
    /// An interval says the model is worse on AUC or PAI@5 %.
    public let worse: Bool
    /// model − baseline (NaN when either AUC is undefined, e.g. a test month of one class).
    public let aucDifference: Double
    public let pai5Difference: Double
    /// The paired-bootstrap differences, when computed.
    public let auc: PairedDifference?
    public let pai5: PairedDifference?

    /// Point rule from two mean rows (no interval).
    public init(model: Backtest.Row, baseline: Backtest.Row) {
        self.baseline = baseline.model
        let a = model.auc ?? .nan, b = baseline.auc ?? .nan
        aucDifference = a - b
        pai5Difference = model.pai5 - baseline.pai5
        beats = aucDifference > 0 && pai5Difference > 0
        worse = false
        auc = nil; pai5 = nil
    }

    /// Interval rule from the paired differences of AUC and PAI@5 %.
    public init(baseline: String, auc: PairedDifference, pai5: PairedDifference) {
        self.baseline = baseline
        aucDifference = auc.estimate
        pai5Difference = pai5.estimate
        beats = auc.low > 0 && pai5.estimate > 0
        worse = auc.high < 0 || pai5.high < 0
        self.auc = auc; self.pai5 = pai5
    }

    /// The verdicts of the mean row of "model" against each baseline's mean row (point rule).
    public static func all(_ rows: [Backtest.Row]) -> [BacktestVerdict] {
        let means = rows.filter { $0.month == "mean" }
        guard let m = means.first(where: { $0.model == "model" }) else { return [] }
        return means.filter { $0.model != "model" }.map { BacktestVerdict(model: m, baseline: $0) }
    }

    /// The verdicts against each baseline, by the interval rule when the result has differences.
    public static func all(_ result: BacktestResult) -> [BacktestVerdict] {
        guard !result.differences.isEmpty else { return all(result.rows) }
        return result.differences.compactMap { d in
            guard let a = d.differences.first(where: { $0.metric == "auc" }), let p = d.differences.first(where: { $0.metric == "pai_5" }) else { return nil }
            return BacktestVerdict(baseline: d.baseline, auc: a, pai5: p)
        }
    }

    /// "(AUC +0.065, PAI@5% +0.25)".
    /// With intervals: "(AUC +0.065 [95 % CI +0.041, +0.090], PAI@5% +0.25 [-0.10, +0.61])".
    public var differences: String {
        func ci(_ d: PairedDifference?, _ digits: Int) -> String {
            guard let d else { return "" }
            return " [\(Int((d.confidence * 100).rounded())) % CI " + Self.signed(d.low, digits) + ", " + Self.signed(d.high, digits) + "]"
        }
        return "(AUC " + Self.signed(aucDifference, 3) + ci(auc, 3) + ", PAI@5% " + Self.signed(pai5Difference, 2) + ci(pai5, 2) + ")"
    }

    /// "beats naive-last (AUC +0.065, PAI@5% +0.25)" / "does NOT beat mean-past (…)"; with intervals,
    /// "is level with" or "is worse than" instead of "does NOT beat".
    public var sentence: String {
        if beats { return "beats " + baseline + " " + differences }
        if auc == nil { return "does NOT beat " + baseline + " " + differences }
        return (worse ? "is worse than " : "does NOT beat (level with) ") + baseline + " " + differences
    }

    /// "+0.065" / "-0.004" / "n/a": a signed difference to `digits` decimals.
    public static func signed(_ v: Double, _ digits: Int) -> String {
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

    /// The method's name for the list: "model" (the default stacked model when no model file is given).
    public init(_ verdicts: [BacktestVerdict]) {
        guard !verdicts.isEmpty else {
            method = "model"
            sentence = "The list uses the model; it could not be backtested on these data, so how well it ranks places is unknown."
            return
        }
        if verdicts.allSatisfy(\.beats) {
            method = "model"
            let v = verdicts.first { $0.baseline == "mean-past" } ?? verdicts[0]
            sentence = "The list uses the model: in the backtest it beat every simple baseline on both ranking (AUC) and targeting (PAI at 5 % of area); against \(v.baseline) \(v.differences)."
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
