import Testing
@testable import PlaceRiskCore

@Suite("Stacked default risk model: features, choice from the past only, verdict by interval")
struct StackedDefaultTests {
    /// A: 0 1 2 3 4 5, B: 5 5 5 5 5 5, C: 0 0 0 0 0 9 over 2020-01…06; chain A–B–C (as PanelFeaturesTests).
    let panel = Panel(units: ["A", "B", "C"], months: MonthRange(YearMonth(year: 2020, month: 1), YearMonth(year: 2020, month: 6)),
                      counts: [0, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 0, 0, 0, 0, 0, 9])
    let chain = SpatialWeights(neighbourLists: [[1], [0, 2], [1]])

    /// Hand values for target month April (t = 3):
    /// mean_past A = (0+1+2)/3 = 1; ewm_1 A (weights 1, ½, ¼ on Mar, Feb, Jan) = (2 + 0.5)/1.75;
    /// spatial_mean_past_1 B = (1 + 0)/2 = 0.5; spatial_mean_past_2 A = mean over {B, C} = (5 + 0)/2 = 2.5;
    /// eb_rate A: N = {A, B}, y = (3, 15), n = 3 each: m = 3, s² = (3·4 + 3·4)/6 = 4, A = 4 − 3/3 = 3,
    /// C = 3/(3 + 1) = 0.75, θ = 3 + 0.75·(1 − 3) = 1.5.
    @Test func newFeaturesMatchHandValues() throws {
        let feats: [PanelFeature] = [.pastMean, .ewm(1), .spatialPastMean(1), .spatialPastMean(2), .ebRate]
        let m = try PanelFeatures.build(panel, features: feats, outcome: .atLeast(1), weights: chain)
        #expect(m.names == ["mean_past", "ewm_1", "spatial_mean_past_1", "spatial_mean_past_2", "eb_rate"])
        let k = feats.count
        let row = { (u: Int, t: Int) -> [Double] in
            let i = (0 ..< m.rows).first { Int(m.unit[$0]) == u && Int(m.month[$0]) == t }!
            return Array(m.values[(i * k) ..< (i * k + k)])
        }
        let a = row(0, 3), b = row(1, 3)
        #expect(a[0] == 1 && abs(a[1] - 2.5 / 1.75) < 1e-15 && a[3] == 2.5 && abs(a[4] - 1.5) < 1e-12)
        #expect(b[2] == 0.5)
        for f in feats { #expect(PanelFeature(name: f.description) == f) }
        #expect(PanelFeature(name: "log1p_eb_context_rate") == .log1p(.ebContextRate))
    }

    /// context_mean_past is the long-run mean of the context counts; eb_context_rate shrinks the own
    /// long-run rate toward ρ · context (ρ = Σ y / Σ context) with `PriorEmpiricalBayesRates`.
    @Test func contextFeaturesUseTheContextCounts() throws {
        var p = panel
        p.contextCounts = [1, 1, 1, 1, 1, 1, 10, 10, 10, 10, 10, 10, 2, 2, 2, 2, 2, 2]
        let m = try PanelFeatures.build(p, features: [.contextPastMean, .ebContextRate], outcome: .atLeast(1), lastTarget: 3)
        let april = (0 ..< m.rows).filter { m.month[$0] == 3 }
        #expect(april.map { m.values[$0 * 2] } == [1, 10, 2])
        // By hand at t = 3: y = (3, 15, 0), context sums (3, 30, 6), ρ = 18/39; priors ρ·(1, 10, 2).
        let rho = 18.0 / 39
        let want = try PriorEmpiricalBayesRates(counts: [3, 15, 0], population: [3, 3, 3], priorRates: [rho, 10 * rho, 2 * rho], per: 1).rates
        for (j, i) in april.enumerated() { #expect(abs(m.values[i * 2 + 1] - want[j]) < 1e-12) }
        #expect(throws: PanelError.contextUnavailable) { try PanelFeatures.build(panel, features: [.contextPastMean], outcome: .atLeast(1)) }
    }

    /// Two steps of a chain 0–1–2–3 reach (1, 2), (0, 2, 3), (0, 1, 3), (1, 2).
    @Test func withinTwoStepsOfAChain() {
        let w = SpatialWeights(neighbourLists: [[1], [0, 2], [1, 3], [2]]).withinSteps(2)
        let lists = (0 ..< 4).map { i in (w.offsets[i] ..< w.offsets[i + 1]).map { Int(w.neighbours[$0]) } }
        #expect(lists == [[1, 2], [0, 2, 3], [0, 1, 3], [1, 2]])
    }

    /// No test month chooses anything: changing every count from month `before` on leaves the choice
    /// at origin `before` unchanged, while changing an earlier month may change it.
    @Test func theChoiceAtAnOriginIgnoresLaterMonths() throws {
        var rng = SeededGenerator(seed: 5)
        let U = 40, T = 12
        let rate = (0 ..< U).map { _ in Double.random(in: 0.05 ... 3, using: &rng) }
        var counts = [Double](repeating: 0, count: U * T)
        for u in 0 ..< U { for t in 0 ..< T { counts[u * T + t] = Double(Int.random(in: 0 ... Int(2 * rate[u] + (t > 6 ? Double(u % 3) : 0)), using: &rng)) } }
        let months = MonthRange(YearMonth(year: 2020, month: 1), YearMonth(year: 2020, month: 12))
        let w = SpatialWeights(neighbourLists: (0 ..< U).map { u in [u - 1, u + 1].filter { $0 >= 0 && $0 < U } })
        let p = Panel(units: (0 ..< U).map(String.init), months: months, counts: counts)
        let c = try StackedDefault.choose(panel: p, weights: w, outcome: .atLeast(1), before: 8)
        var later = counts
        for u in 0 ..< U { for t in 8 ..< T { later[u * T + t] = Double(Int.random(in: 0 ... 20, using: &rng)) } }
        let c2 = try StackedDefault.choose(panel: Panel(units: p.units, months: months, counts: later), weights: w, outcome: .atLeast(1), before: 8)
        #expect(c == c2)
        #expect(c.innerMonths == [5, 6, 7])
        #expect(c.features.contains(.log1p(.ewm(c.halfLife))) && c.deviance.count == StackedDefault.halfLives.count)
        // The backtest chooses once, at its first test origin, from earlier months only.
        let r = try Backtest.compare(panel: p, model: .stacked, outcome: .atLeast(1), weights: w, testMonths: [10, 11], replicates: 50, seed: 2)
        #expect(r.choices.map(\.before) == [10])
        #expect(r.differences.map(\.baseline) == ["naive-last", "mean-past"])
    }

    /// A constant series is forecast best by any half-life equally; a series that jumps to a new level
    /// is forecast best by the shortest half-life (1 month): its deviance is the smallest.
    @Test func halfLifeFollowsRecency() {
        let months = MonthRange(YearMonth(year: 2020, month: 1), YearMonth(year: 2020, month: 12))
        let jump = Panel(units: ["a"], months: months, counts: [0, 0, 0, 0, 0, 0, 8, 8, 8, 8, 8, 8])
        let d = StackedDefault.halfLifeDeviance(jump, before: 12)
        #expect(d[0] == d.min()!)
        #expect(zip(d, d.dropFirst()).allSatisfy { $0 <= $1 })
    }

    /// The verdict uses the AUC interval: a positive AUC point whose interval reaches 0 does not beat;
    /// an interval above 0 with a higher PAI@5 % does; an interval below 0 reads "worse".
    @Test func verdictUsesTheIntervalNotThePoint() {
        func d(_ m: String, _ e: Double, _ lo: Double, _ hi: Double) -> PairedDifference {
            PairedDifference(metric: m, estimate: e, low: lo, high: hi, confidence: 0.95, replicates: 999)
        }
        let level = BacktestVerdict(baseline: "mean-past", auc: d("auc", 0.004, -0.001, 0.009), pai5: d("pai_5", 0.2, -0.1, 0.5))
        #expect(!level.beats && !level.worse)
        #expect(level.sentence == "does NOT beat (level with) mean-past (AUC +0.004 [95 % CI -0.001, +0.009], PAI@5% +0.20 [95 % CI -0.10, +0.50])")
        let beats = BacktestVerdict(baseline: "mean-past", auc: d("auc", 0.008, 0.005, 0.012), pai5: d("pai_5", 0.01, -0.1, 0.1))
        #expect(beats.beats)
        let worse = BacktestVerdict(baseline: "kde-past", auc: d("auc", -0.02, -0.03, -0.01), pai5: d("pai_5", 0.3, 0.1, 0.5))
        #expect(!worse.beats && worse.worse && worse.sentence.hasPrefix("is worse than kde-past"))
        #expect(BestMethod([beats, level]).method == "mean-past")
        #expect(BestMethod([beats]).method == "model")
    }
}
