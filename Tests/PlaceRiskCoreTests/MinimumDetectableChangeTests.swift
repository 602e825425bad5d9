import Testing
@testable import PlaceRiskCore

/// The minimum detectable change against seeded simulation of the same design and test.
@Suite("Minimum detectable change")
struct MinimumDetectableChangeTests {
    /// At the analytic MDC the simulated power (4,000 NB2 replicates, seed 7) is 0.80 within 3 Monte
    /// Carlo SEs (√(0.8·0.2/4000) = 0.0063), for a Poisson, an over-dispersed and a comparison design.
    @Test func mdcAgreesWithSeededSimulation() {
        let designs = [DetectionDesign(mean: 20, alpha: 0, before: 12, after: 12),
                       DetectionDesign(mean: 40, alpha: 0.05, before: 23, after: 12),
                       DetectionDesign(mean: 30, alpha: 0.03, before: 12, after: 12, comparison: (mean: 60, alpha: 0.03))]
        var rng = SeededGenerator(seed: 7)
        for d in designs {
            let r = MinimumDetectableChange.ratio(d)!
            #expect(abs(MinimumDetectableChange.power(d, ratio: r) - 0.8) < 1e-9)
            let sim = MinimumDetectableChange.simulatedPower(d, ratio: r, draws: 4000, using: &rng)
            #expect(abs(sim.power - 0.8) < 3 * (0.8 * 0.2 / 4000).squareRoot(), "\(d): MDC ratio \(r), simulated power \(sim.power)")
        }
        // Under no change the simulated rejection rate is the level (0.05 ± 3 MC SE).
        let null = MinimumDetectableChange.simulatedPower(designs[1], ratio: 1, draws: 4000, using: &rng)
        #expect(abs(null.power - 0.05) < 3 * (0.05 * 0.95 / 4000).squareRoot(), "size \(null.power)")
    }

    /// Hand check of the Poisson case: μ = 20, B = A = 12, r = 0.8: V = 1/240 + 1/192 = 0.009375,
    /// |ln 0.8|/√V = 2.30458…, power = Φ(0.34462) + Φ(−4.2645) = 0.63481 (normal table).
    @Test func powerByHand() {
        let p = MinimumDetectableChange.power(DetectionDesign(mean: 20, alpha: 0, before: 12, after: 12), ratio: 0.8)
        #expect(abs(p - 0.63481) < 1e-4)
    }

    /// More months, more power; the floor 1/(Bμ) + α/B makes a 10 % fall undetectable with 6 months
    /// before and α = 0.2, however long one waits.
    @Test func monthsNeededAndTheFloor() {
        let d = DetectionDesign(mean: 20, alpha: 0, before: 12, after: 12)
        let m30 = MinimumDetectableChange.monthsNeeded(d, ratio: 0.7)!, m10 = MinimumDetectableChange.monthsNeeded(d, ratio: 0.9)
        #expect(m30 < 12 && (m10 == nil || m10! > m30))
        #expect(MinimumDetectableChange.power(DetectionDesign(mean: 20, alpha: 0, before: 12, after: m30), ratio: 0.7) >= 0.8)
        #expect(MinimumDetectableChange.power(DetectionDesign(mean: 20, alpha: 0, before: 12, after: m30 - 1), ratio: 0.7) < 0.8)
        #expect(MinimumDetectableChange.monthsNeeded(DetectionDesign(mean: 20, alpha: 0.2, before: 6, after: 1), ratio: 0.9) == nil)
        // α̂ by moments: counts 2, 4, 6, 8 → m = 5, s² = 20/3, α̂ = (20/3 − 5)/25 = 1/15.
        #expect(abs(MinimumDetectableChange.dispersion([2, 4, 6, 8]) - 1.0 / 15) < 1e-15)
    }

    /// The NB2 sampler's mean and variance (200,000 draws, μ = 12, α = 0.25: Var = 12 + 36 = 48).
    @Test func negativeBinomialSamplerHasTheRightMoments() {
        var rng = SeededGenerator(seed: 3)
        let n = 200_000
        var s = 0.0, s2 = 0.0
        for _ in 0 ..< n { let x = Double(CountSampler.negativeBinomial(mean: 12, alpha: 0.25, using: &rng)); s += x; s2 += x * x }
        let m = s / Double(n), v = s2 / Double(n) - m * m
        #expect(abs(m - 12) < 4 * (48.0 / Double(n)).squareRoot())
        #expect(abs(v - 48) < 1.5, "variance \(v)")
        var big = 0.0
        for _ in 0 ..< 20000 { big += Double(CountSampler.poisson(250, using: &rng)) }
        #expect(abs(big / 20000 - 250) < 4 * (250.0 / 20000).squareRoot())
    }

    /// Placebo p by hand: observed 2.5 among placebos with |x| ≥ 2.5 twice of 9 → (1 + 2)/10.
    @Test func placeboPByHand() {
        let r = PlaceboResult(observed: 2.5, placebos: [0.1, -3, 2.5, 1, -1, 0.3, 0.2, 2.4, -2.4])
        #expect(r.p == 0.3)
        var rng = SeededGenerator(seed: 1), rng2 = SeededGenerator(seed: 1)
        let a = PlaceboTest.run(observed: 1, draws: 50, using: &rng) { g in CountSampler.normal(&g) }!
        let b = PlaceboTest.run(observed: 1, draws: 50, using: &rng2) { g in CountSampler.normal(&g) }!
        #expect(a == b && a.placebos.count == 50)
    }
}
