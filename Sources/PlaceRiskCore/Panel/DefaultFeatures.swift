/// The risk model's default features for a panel of a given length.
///
/// The preferred set is `lag_1, mean_3` (last month and the mean of the last three). It reads three
/// months back, so with `T` months it leaves `T − 3` target months, of which the backtest needs one to
/// train on and `testMonths` to test. When the data are too short the choice falls back to sets that
/// read one month back: `lag_1, kde_past` (when the KDE-of-the-past surface exists), then `lag_1`.
/// A set fits when `lookback + 1 + testMonths ≤ T`; if none fits, the shortest-reaching set is chosen
/// and the caller reports why it cannot run.
public struct DefaultFeatures: Sendable, Equatable {
    public let features: [PanelFeature]
    /// Why these were chosen, in plain words.
    public let reason: String

    public static let preferred: [PanelFeature] = [.lag(1), .rollingMean(3)]

    public init(monthCount T: Int, testMonths: Int, kdePastAvailable: Bool) {
        precondition(T >= 0 && testMonths >= 0, "DefaultFeatures: negative month counts")
        var candidates: [[PanelFeature]] = [Self.preferred]
        if kdePastAvailable { candidates.append([.lag(1), .kdePast]) }
        candidates.append([.lag(1)])
        func lookback(_ f: [PanelFeature]) -> Int { f.map(\.lookback).max() ?? 0 }
        func names(_ f: [PanelFeature]) -> String { f.map(\.description).joined(separator: ",") }
        let need = { (f: [PanelFeature]) in lookback(f) + 1 + testMonths }
        let tests = testMonths == 0 ? "" : " and \(testMonths) test month\(testMonths == 1 ? "" : "s")"
        if let first = candidates.first(where: { need($0) <= T }) {
            features = first
            reason = first == Self.preferred
                ? "default features \(names(first))"
                : "default features \(names(first)): \(T) months cannot hold the \(lookback(Self.preferred)) months of history of \(names(Self.preferred)), a training month\(tests)"
        } else {
            let shortest = candidates.min { lookback($0) < lookback($1) }!
            features = shortest
            reason = "default features \(names(shortest)) (the shortest history; \(T) months are fewer than the \(need(shortest)) it needs with a training month\(tests))"
        }
    }
}
