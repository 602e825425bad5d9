import Testing
@testable import PlaceRiskCore

/// Emerging Hot Spot Analysis over a panel on a 5-unit line lattice 0 – 1 – 2 – 3 – 4 (binary
/// contiguity; Gi* adds the star). Gi* z from esda 2.9.0 / libpysal 4.14.1 (`/tmp/peers-venv`):
/// ```
/// w = libpysal.weights.W({0: [1], 1: [0, 2], 2: [1, 3], 3: [2, 4], 4: [3]})
/// esda.getisord.G_Local(np.array(x, float), w, transform="B", star=True, permutations=0).Zs
/// ```
/// x = [a, 10, 0, 0, 0] gives z₀ = −z₃ and z₁ = −z₄ (esda):
/// ```
/// a = 30: z = [1.6803361008336117, 1.120224067222408, -0.9801960588196068, -1.6803361008336117, -1.120224067222408]
/// a = 20: z = [1.8371173070873836, 1.2247448713915892, -0.8164965809277261, -1.8371173070873836, -1.2247448713915892]
/// a = 17: z = [1.8965862684529304, 1.264390845635287, -0.7258540039758129, -1.8965862684529304, -1.264390845635287]
/// a = 14: z = [1.955251607736846, 1.303501071824564, -0.5974379912529251, -1.955251607736846, -1.303501071824564]
/// a = 12: z = [1.986366575915192, 1.3242443839434614, -0.48154341234307685, -1.986366575915192, -1.3242443839434614]
/// a = 10: z = [2.0, 1.3333333333333335, -0.33333333333333326, -2.0, -1.3333333333333335]
/// ```
/// By hand for a = 10: x̄ = 4, S = √(200/5 − 16) = √24; for W = 2 (ends) and W = 3 (inner units) the
/// denominator S·√((5W − W²)/4) = √24·√(6/4) = 6, so z₀ = (20 − 4·2)/6 = 2, z₁ = (20 − 12)/6 = 4/3,
/// z₂ = (10 − 12)/6 = −1/3, z₃ = (0 − 12)/6 = −2, z₄ = (0 − 8)/6 = −4/3. For a = 20: x̄ = 6, S = √(500/5 − 36) = 8,
/// z₀ = (30 − 12)/(8·√1.5) = 1.8371.
@Suite("Emerging Hot Spot Analysis over a panel")
struct EmergingHotSpotAnalysisTests {
    static let line = SpatialWeights(neighbourLists: [[1], [0, 2], [1, 3], [2, 4], [3]])

    /// Unit-major counts from month-major rows.
    private func panel(_ months: [[Double]]) -> [Double] {
        (0 ..< months[0].count).flatMap { u in months.map { $0[u] } }
    }

    private func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(1, abs(b)) }

    /// a falls 30 → 10 over six months, with a month of equal counts (Gi* undefined, skipped) in the
    /// middle. Unit 0: z rises 1.680 → 2.0, every step hot (|z| > 1.645); Mann–Kendall on six strictly
    /// increasing values: S = 15, Var(S) = 6·5·17/18 = 28.333, z = (15 − 1)/√28.333 = 2.6301,
    /// p = 0.00853 < 0.05 → increasing → Intensifying Hot Spot (hot in ≥ 90 % of steps, including the
    /// last, intensity rising). Unit 3 mirrors it (z falls −1.680 → −2.0: colder) → Intensifying Cold
    /// Spot. Units 1, 2, 4 never pass |z| > 1.645 → No Pattern Detected.
    @Test func intensifyingHotAndColdWithASkippedMonth() {
        let months: [[Double]] = [[30, 10, 0, 0, 0], [20, 10, 0, 0, 0], [17, 10, 0, 0, 0], [3, 3, 3, 3, 3],
                                  [14, 10, 0, 0, 0], [12, 10, 0, 0, 0], [10, 10, 0, 0, 0]]
        let r = EmergingHotSpotAnalysis(counts: panel(months), periods: 7, weights: Self.line)
        #expect(r.usedPeriods == [0, 1, 2, 4, 5, 6] && r.stepCount == 6)
        #expect(r.skippedPeriods.count == 1 && r.skippedPeriods[0].period == 3)
        if case .zeroVariance = r.skippedPeriods[0].reason {} else { Issue.record("expected zero variance, got \(r.skippedPeriods[0].reason)") }
        let z0: [Double] = [1.6803361008336117, 1.8371173070873836, 1.8965862684529304, 1.955251607736846, 1.986366575915192, 2.0]
        #expect(zip(r.zSeries(unit: 0), z0).allSatisfy { close($0, $1) })
        #expect(zip(r.zSeries(unit: 3), z0).allSatisfy { close($0, -$1) })
        #expect(close(r.zSeries(unit: 1).last!, 4.0 / 3) && close(r.zSeries(unit: 2).last!, -1.0 / 3))
        // Bins: 1.645 < z < 1.96 → 1; z > 1.96 → 2 (a = 12: 1.986; a = 10: 2.0).
        #expect(Array(r.binSeries(unit: 0)) == [1, 1, 1, 1, 2, 2] && Array(r.binSeries(unit: 3)) == [-1, -1, -1, -1, -2, -2])
        #expect(r.binSeries(unit: 1).allSatisfy { $0 == 0 } && r.binSeries(unit: 2).allSatisfy { $0 == 0 } && r.binSeries(unit: 4).allSatisfy { $0 == 0 })
        #expect(r.patterns == [.intensifyingHotSpot, .noPattern, .noPattern, .intensifyingColdSpot, .noPattern])
        let mk = r.classifications[0].trend
        #expect(mk.s == 15 && close(mk.varianceS, 28.333333333333332) && close(mk.z, 2.630142022557628))
        #expect(abs(mk.p - 0.008534920414227074) < 1e-9)   // scipy: 2·norm.sf(2.630142022557628)
        #expect(r.hotSteps(unit: 0) == 6 && r.coldSteps(unit: 3) == 6 && r.hotSteps(unit: 3) == 0)
    }

    /// The same months in the other order (a rises 10 → 30): z of unit 0 falls 2.0 → 1.680, still hot
    /// every step, S = −15, p = 0.00853 → Diminishing Hot Spot; unit 3 → Diminishing Cold Spot.
    /// With a constant map [10, 10, 0, 0, 0] every month: z₀ = 2 every step, S = 0 (no trend) →
    /// Persistent Hot Spot, unit 3 (z = −2) Persistent Cold Spot.
    @Test func diminishingAndPersistent() {
        let rising: [[Double]] = [[10, 10, 0, 0, 0], [12, 10, 0, 0, 0], [14, 10, 0, 0, 0], [17, 10, 0, 0, 0], [20, 10, 0, 0, 0], [30, 10, 0, 0, 0]]
        let d = EmergingHotSpotAnalysis(counts: panel(rising), periods: 6, weights: Self.line)
        #expect(d.skippedPeriods.isEmpty && d.patterns == [.diminishingHotSpot, .noPattern, .noPattern, .diminishingColdSpot, .noPattern])
        let constant = [[Double]](repeating: [10, 10, 0, 0, 0], count: 6)
        let p = EmergingHotSpotAnalysis(counts: panel(constant), periods: 6, weights: Self.line)
        #expect(p.patterns == [.persistentHotSpot, .noPattern, .noPattern, .persistentColdSpot, .noPattern])
        #expect(p.zSeries(unit: 0).allSatisfy { close($0, 2) } && p.zSeries(unit: 3).allSatisfy { close($0, -2) })
    }

    /// Five months of [10, 10, 0, 0, 0], then the mirror [0, 0, 0, 10, 10]: unit 4 (z −4/3 five times,
    /// then 2) is hot at the last step only → New Hot Spot; unit 1 (4/3, then −2) → New Cold Spot;
    /// unit 0 (hot 5 of 6 steps, < 90 %, not hot at the end) and unit 3 (likewise cold) → no pattern.
    @Test func newHotAndColdSpots() {
        let months = [[Double]](repeating: [10, 10, 0, 0, 0], count: 5) + [[0, 0, 0, 10, 10]]
        let r = EmergingHotSpotAnalysis(counts: panel(months), periods: 6, weights: Self.line)
        #expect(r.patterns == [.noPattern, .newColdSpot, .noPattern, .noPattern, .newHotSpot])
        #expect(Array(r.binSeries(unit: 4)) == [0, 0, 0, 0, 0, 2] && Array(r.binSeries(unit: 1)) == [0, 0, 0, 0, 0, -2])
    }

    /// The analysis equals the per-month loop the report ran before (Gi* per month, skipping months
    /// without a map, then `EmergingHotSpot.classify` per unit), on a random 4 × 3 queen lattice with
    /// an empty month (every unit has fewer than n − 1 neighbours, so no z is NaN).
    @Test func equalsPerMonthLoop() {
        var rng = SeededGenerator(seed: 11)
        let U = 12, T = 8
        let w = Contiguity.gridQueen(cellIDs: Array(0 ..< U), grid: try! Grid(xmin: 0, ymin: 0, cell: 1, ncols: 4, nrows: 3))
        var counts = (0 ..< U * T).map { _ in Double(Int.random(in: 0 ... 6, using: &rng)) }
        for u in 0 ..< U { counts[u * T + 2] = 0 }   // an empty month: skipped
        let r = EmergingHotSpotAnalysis(counts: counts, periods: T, weights: w)
        var z = [[Double]](repeating: [], count: U), bins = [[Int8]](repeating: [], count: U)
        for m in 0 ..< T {
            guard let g = try? GetisOrd.units((0 ..< U).map { counts[$0 * T + m] }, weights: w) else { continue }
            for u in 0 ..< U { z[u].append(g.z[u]); bins[u].append(g.bin[u]) }
        }
        #expect(r.usedPeriods == [0, 1, 3, 4, 5, 6, 7])
        for u in 0 ..< U {
            #expect(Array(r.zSeries(unit: u)) == z[u] && Array(r.binSeries(unit: u)) == bins[u])
            #expect(r.classifications[u] == EmergingHotSpot.classify(bins: bins[u], z: z[u]))
        }
    }

    /// No usable month (every map constant): every unit is No Pattern Detected, no classifications.
    @Test func noUsableMonth() {
        let r = EmergingHotSpotAnalysis(counts: [Double](repeating: 2, count: 5 * 6), periods: 6, weights: Self.line)
        #expect(r.usedPeriods.isEmpty && r.skippedPeriods.count == 6 && r.classifications.isEmpty)
        #expect(r.patterns == [EmergingHotSpotPattern](repeating: .noPattern, count: 5) && r.hotSteps(unit: 0) == 0)
    }
}
