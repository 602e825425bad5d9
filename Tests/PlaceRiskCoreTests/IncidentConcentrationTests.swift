import Testing
@testable import PlaceRiskCore

@Suite("Incident concentration")
struct IncidentConcentrationTests {
    /// 100 cells: one of 50, four of 10, five of 4, ninety of 1 → total 50 + 40 + 20 + 90 = 200.
    /// Top 1 % = 1 cell = 50/200 = 0.25; top 5 % = 5 cells = (50 + 40)/200 = 0.45;
    /// top 10 % = 10 cells = (90 + 20)/200 = 0.55.
    @Test func hundredCellsWithKnownCountsGiveHandComputedShares() throws {
        let cells: [Double] = [50] + [Double](repeating: 10, count: 4) + [Double](repeating: 4, count: 5)
            + [Double](repeating: 1, count: 90)
        let a = try IncidentConcentration.area(cellCounts: cells.reversed())
        #expect(a.top1Percent.share == 0.25)
        #expect(a.top1Percent.unitsIncluded == 1 && a.top1Percent.incidents == 50 && a.top1Percent.totalIncidents == 200)
        #expect(a.top5Percent.share == 0.45)
        #expect(abs(a.top5Percent.concentrationRatio - 9) < 1e-12)
        #expect(try IncidentConcentration.topShare(counts: cells, fraction: 0.10).share == 0.55)
        // 3 % = 3 cells cuts the tie group of four 10s: 50 + 10 + 10 = 70 → 0.35.
        #expect(try IncidentConcentration.topShare(counts: cells, fraction: 0.03).share == 0.35)
        // 0.07 × 100 is 7.000000000000001 in binary; it counts as 7 cells: 50 + 40 + 2·4 = 98 → 0.49.
        let seven = try IncidentConcentration.topShare(counts: cells, fraction: 0.07)
        #expect(seven.unitsIncluded == 7 && seven.share == 0.49)
    }

    /// 50 cells [20, 6, 6, 6, 46 × 1], total 84. Top 5 % = 2.5 cells = 20 + 1.5·6 = 29 → 29/84;
    /// top 1 % = 0.5 cell = 0.5·20 = 10 → 10/84: the boundary cell is included fractionally, so the
    /// area share is exact.
    @Test func fractionalBoundaryCellMakesTheAreaShareExact() throws {
        let cells: [Double] = [1, 6, 20, 6, 6] + [Double](repeating: 1, count: 45)
        let a = try IncidentConcentration.area(cellCounts: cells)
        #expect(a.top5Percent.unitsIncluded == 2.5)
        #expect(abs(a.top5Percent.share - 29.0 / 84) < 1e-15)
        #expect(abs(a.top1Percent.share - 10.0 / 84) < 1e-15)
    }

    /// 10 LSOAs: A (10 of 100 = 0.1), B (30 of 300 = 0.1), eight of 5 per 100 (0.05); total 80.
    /// By count the top 10 % (1 LSOA) is B: 30/80 = 0.375. By rate A and B tie at 0.1 for one place,
    /// so each counts half: (10 + 30)/2 = 20 → 0.25, whichever order they come in; top 20 % = 40/80.
    @Test func lsoaRankingByCountOrRateSharesRateTiesEqually() throws {
        let counts: [Double] = [10, 30] + [Double](repeating: 5, count: 8)
        let den: [Double] = [100, 300] + [Double](repeating: 100, count: 8)
        #expect(try IncidentConcentration.lsoa(counts: counts).share == 0.375)
        #expect(try IncidentConcentration.lsoa(counts: counts, ranking: .rate(denominator: den)).share == 0.25)
        let reversed = try IncidentConcentration.lsoa(counts: counts.reversed(), ranking: .rate(denominator: den.reversed()))
        #expect(reversed.share == 0.25)
        #expect(try IncidentConcentration.lsoa(counts: counts, ranking: .rate(denominator: den), fraction: 0.2).share == 0.5)
    }

    /// Data errors are thrown, naming the unit.
    @Test func emptyNegativeOrZeroDataThrow() {
        #expect(throws: IncidentConcentrationError.noIncidents) { try IncidentConcentration.area(cellCounts: [0, 0, 0]) }
        #expect(throws: IncidentConcentrationError.noUnits) { try IncidentConcentration.area(cellCounts: []) }
        #expect(throws: IncidentConcentrationError.invalidCount(unit: 1, value: -1)) {
            try IncidentConcentration.lsoa(counts: [1, -1])
        }
        #expect(throws: IncidentConcentrationError.invalidDenominator(unit: 0, value: 0)) {
            try IncidentConcentration.lsoa(counts: [1, 2], ranking: .rate(denominator: [0, 1]))
        }
    }
}
