import Testing
@testable import PlaceRiskCore

/// The bias audit table by IMD decile (conventions §9), on cases small enough to compute by hand.
/// Every expected number has its hand calculation beside it.
@Suite("Bias audit by IMD decile")
struct BiasAuditTests {
    private func close(_ a: Double, _ b: Double, tol: Double = 1e-12) -> Bool { abs(a - b) <= tol * max(1, abs(b)) }

    /// Five units: two in decile 1, two in decile 2, one without a decile (left out of every share).
    /// ```
    /// unit  decile  observed  p      area  flagged  outcome
    /// u0    1       6         0.75   1     yes      1
    /// u1    1       2         0.25   1     no       1
    /// u2    2       2         0.375  2     yes      1
    /// u3    2       0         0.125  2     no       0
    /// u4    0       5         0.9    1     yes      1      ← no decile
    /// population by decile: D1 300, D2 100, D3…D10 0
    /// ```
    @Test func twoDecilesByHand() {
        let r = BiasAudit.audit(decile: [1, 1, 2, 2, 0], observed: [6, 2, 2, 0, 5], probability: [0.75, 0.25, 0.375, 0.125, 0.9],
                                area: [1, 1, 2, 2, 1], flagged: [true, false, true, false, true], outcome: [1, 1, 1, 0, 1],
                                populationByDecile: [300, 100, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(r.unitsWithoutDecile == 1)                 // u4
        #expect(r.deciles.count == 10 && r.deciles.map(\.decile) == Array(1 ... 10))
        let d1 = r.deciles[0], d2 = r.deciles[1]
        #expect(d1.units == 2 && d2.units == 2)
        #expect(close(d1.populationShare, 0.75))            // 300 / (300 + 100)
        #expect(close(d2.populationShare, 0.25))            // 100 / 400
        #expect(close(d1.crimeShare, 0.8))                  // (6 + 2) / (6 + 2 + 2 + 0); u4's 5 left out
        #expect(close(d2.crimeShare, 0.2))                  // 2 / 10
        #expect(close(d1.predictedRiskShare, 2.0 / 3))      // (0.75 + 0.25) / (0.75 + 0.25 + 0.375 + 0.125) = 1 / 1.5
        #expect(close(d2.predictedRiskShare, 1.0 / 3))      // 0.5 / 1.5
        #expect(close(d1.flaggedAreaShare, 1.0 / 3))        // flagged area 1 (u0) / (1 + 2)
        #expect(close(d2.flaggedAreaShare, 2.0 / 3))        // flagged area 2 (u2) / 3
        #expect(close(d1.hitRate, 0.75))                    // flagged crime 6 / decile crime 8
        #expect(close(d2.hitRate, 1))                       // 2 / 2
        #expect(close(d1.pai, 1.5))                         // 0.75 / (flagged area 1 / decile area 2)
        #expect(close(d2.pai, 2))                           // 1 / (2 / 4)
        #expect(close(d1.disparityRatio, 5.0 / 12))         // (1/3) / 0.8 = 0.41666…: less attention than crime
        #expect(close(d2.disparityRatio, 10.0 / 3))         // (2/3) / 0.2 = 3.333…: more attention than crime
        #expect(close(d1.meanPredicted, 0.5))               // (0.75 + 0.25) / 2
        #expect(close(d2.meanPredicted, 0.25))              // (0.375 + 0.125) / 2
        #expect(close(d1.observedRate, 1))                  // (1 + 1) / 2
        #expect(close(d2.observedRate, 0.5))                // (1 + 0) / 2
        // Deciles 3…10 hold no units: their shares are 0 of non-zero totals; the per-decile ratios
        // have a zero denominator and are NaN (hit rate: no crime; PAI: no area; disparity: crime
        // share 0; mean predicted / observed rate: no units).
        for d in r.deciles[2...] {
            #expect(d.units == 0 && d.populationShare == 0 && d.crimeShare == 0 && d.predictedRiskShare == 0 && d.flaggedAreaShare == 0)
            #expect(d.hitRate.isNaN && d.pai.isNaN && d.disparityRatio.isNaN && d.meanPredicted.isNaN && d.observedRate.isNaN)
        }
    }

    /// A decile with units and flagged area but no crime: its crime share is 0 (of a non-zero total),
    /// so its hit rate (0 / 0), PAI (NaN hit rate) and disparity ratio (flagged share ÷ 0) are NaN
    /// — reported as undefined rather than infinite.
    /// ```
    /// u0 decile 1: observed 4, p 0.5, area 1, not flagged, outcome 1
    /// u1 decile 2: observed 0, p 0.5, area 1, flagged,     outcome 0
    /// ```
    @Test func decileWithoutCrime() {
        let r = BiasAudit.audit(decile: [1, 2], observed: [4, 0], probability: [0.5, 0.5], area: [1, 1], flagged: [false, true],
                                outcome: [1, 0], populationByDecile: [1, 1, 0, 0, 0, 0, 0, 0, 0, 0])
        let d1 = r.deciles[0], d2 = r.deciles[1]
        #expect(d1.crimeShare == 1 && d2.crimeShare == 0)           // 4 / 4, 0 / 4
        #expect(d1.flaggedAreaShare == 0 && d2.flaggedAreaShare == 1) // 0 / 1, 1 / 1
        #expect(d1.hitRate == 0)                                     // 0 flagged crime / 4
        #expect(d1.pai.isNaN)                                        // nothing flagged in D1: 0 / (0 / 1) undefined
        #expect(d1.disparityRatio == 0)                              // 0 / 1
        #expect(d2.hitRate.isNaN && d2.pai.isNaN && d2.disparityRatio.isNaN) // no crime in D2
        #expect(d2.meanPredicted == 0.5 && d2.observedRate == 0)
    }

    /// Nothing observed and nothing flagged: every crime and flagged-area share has a zero total and
    /// is NaN; the risk share and population share still exist.
    @Test func noCrimeAnywhere() {
        let r = BiasAudit.audit(decile: [3, 3, 7], observed: [0, 0, 0], probability: [0.25, 0.25, 0.5], area: [1, 1, 1],
                                flagged: [false, false, false], outcome: [0, 0, 0], populationByDecile: [Double](repeating: 10, count: 10))
        for d in r.deciles {
            #expect(d.crimeShare.isNaN && d.flaggedAreaShare.isNaN && d.hitRate.isNaN && d.pai.isNaN && d.disparityRatio.isNaN)
            #expect(close(d.populationShare, 0.1))                   // 10 / 100
        }
        #expect(r.deciles[2].predictedRiskShare == 0.5 && r.deciles[6].predictedRiskShare == 0.5) // 0.5 / 1 each
        #expect(r.deciles[2].units == 2 && r.deciles[6].units == 1 && r.unitsWithoutDecile == 0)
    }

    /// No units at all (and units that all lack a decile): ten empty rows, shares NaN except the
    /// population share, and the left-out units counted.
    @Test func noUnits() {
        let empty = BiasAudit.audit(decile: [], observed: [], probability: [], area: [], flagged: [], outcome: [],
                                    populationByDecile: [1, 0, 0, 0, 0, 0, 0, 0, 0, 3])
        #expect(empty.deciles.count == 10 && empty.unitsWithoutDecile == 0)
        #expect(empty.deciles.allSatisfy { $0.units == 0 && $0.crimeShare.isNaN && $0.predictedRiskShare.isNaN && $0.meanPredicted.isNaN })
        #expect(empty.deciles[0].populationShare == 0.25 && empty.deciles[9].populationShare == 0.75) // 1 / 4, 3 / 4
        let none = BiasAudit.audit(decile: [0, 0], observed: [1, 2], probability: [0.1, 0.2], area: [1, 1], flagged: [true, false],
                                   outcome: [1, 1], populationByDecile: [Double](repeating: 0, count: 10))
        #expect(none.unitsWithoutDecile == 2 && none.deciles.allSatisfy { $0.units == 0 && $0.crimeShare.isNaN })
        #expect(none.deciles.allSatisfy { $0.populationShare.isNaN })  // total population 0
    }
}
