import Testing
@testable import PlaceRiskCore

@Suite("Panel counts from the selected incident rows")
struct IncidentPanelCountsTests {
    /// The six hand-made rows of `IncidentSelectionTests.table()`: violence in A at (500, 500) in 2020-01;
    /// violence with no LSOA or location; violence in B at (1500, 500) in 2020-02; burglary in A at
    /// (500, 500) in 2020-01; violence in A in 2020-05; violence in A at (5000, 5000) in 2020-02.
    static let months = MonthRange(YearMonth("2020-01")!, YearMonth("2020-03")!)
    static func base(_ n: Int) -> RowAccounting { var a = RowAccounting(); a.read(n); a.use(n); return a }

    @Test func lsoaMonthCountsTheUsedRowsByUnitAndMonth() {
        let t = IncidentSelectionTests.table()
        let s = IncidentSelection(t, base: Self.base(6), crimeTypes: [.violenceAndSexualOffences], months: Self.months, units: .lsoaSet(["E01000001", "E01000002"]))
        // Used: rows 0 (A, Jan), 2 (B, Feb), 5 (A, Feb). Units in the order given: B first.
        let c = IncidentPanelCounts.lsoaMonth(t, used: s.used, units: ["E01000002", "E01000001"], months: Self.months)
        #expect(c == [0, 1, 0,   1, 1, 0])
        #expect(IncidentPanelCounts.perLSOA(t, used: s.used, units: ["E01000002", "E01000001"]) == [1, 2])
        #expect(c.reduce(0, +) == Double(s.count))
    }

    @Test func cellPanelHoldsCellsWithAnyIncidentAndCountsOnlyUsedRows() throws {
        let t = IncidentSelectionTests.table()
        let g = try Grid(xmin: 0, ymin: 0, cell: 1000, ncols: 2, nrows: 1)
        let s = IncidentSelection(t, base: Self.base(6), crimeTypes: [.violenceAndSexualOffences], months: Self.months, units: .cells(g, bbox: nil))
        let p = IncidentPanelCounts.cellMonth(t, used: s.used, grid: g, months: Self.months, area: nil)
        // Cell 0 holds rows 0, 3 (burglary), 4 (May); cell 1 holds row 2; (5000, 5000) is off the grid.
        #expect(p.cells == [0, 1])
        #expect(p.counts == [1, 0, 0,   0, 1, 0])
        // Restricted to district D1 (LSOA A): cell 1 (only B's incident) is not part of the panel.
        let study = StudyArea(touched: ["E01000001"], lookup: DistrictLookup(districtOfLSOA: ["E01000001": "D1", "E01000002": "D2"], districtNames: [:]), districts: ["D1"])
        let inArea = IncidentSelection(t, base: Self.base(6), crimeTypes: [.violenceAndSexualOffences], months: Self.months, units: .cellsInArea(g, study))
        let q = IncidentPanelCounts.cellMonth(t, used: inArea.used, grid: g, months: Self.months, area: study)
        #expect(q.cells == [0] && q.counts == [1, 0, 0])
    }

    @Test func pastPointsAreTheLocatedRowsOfTheTypesInTheMonths() {
        let t = IncidentSelectionTests.table()
        let p = IncidentPanelCounts.pastPoints(t, types: [.violenceAndSexualOffences], months: Self.months)
        #expect(p.x == [500, 1500, 5000] && p.y == [500, 500, 5000] && p.month == [0, 1, 1])
        let all = IncidentPanelCounts.pastPoints(t, types: nil, months: Self.months)
        #expect(all.x.count == 4)
    }

    @Test func typeSeriesCountsEachTypeByMonth() {
        let t = IncidentSelectionTests.table()
        let s = IncidentSelection(t, base: Self.base(6), crimeTypes: nil, months: Self.months, units: .lsoa(nil))
        let series = IncidentPanelCounts.typeMonth(t, used: s.used, months: Self.months)
        #expect(series[.violenceAndSexualOffences] == [1, 2, 0])
        #expect(series[CrimeType(label: "Burglary")] == [1, 0, 0])
    }

    /// Deciles by rank: ⌈10 r / n⌉, r = 1 for the highest value (hand-computed for n = 20 and n = 7).
    @Test func decilesFollowTheCeilingRule() {
        let twenty = (1 ... 20).map { Double($0) }
        #expect(Deciles.byRank(twenty) == [10, 10, 9, 9, 8, 8, 7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1])
        // n = 7: ⌈10/7⌉ = 2, ⌈20/7⌉ = 3, 5, 6, 8, 9, 10; NaN → 0; ties by position.
        #expect(Deciles.byRank([7, 6, 5, 4, 3, 2, 1, .nan]) == [2, 3, 5, 6, 8, 9, 10, 0])
        #expect(Deciles.byRank([1, 1]) == [5, 10])
    }
}
