import Testing
@testable import PlaceRiskCore

@Suite("Incident selection and its ledger")
struct IncidentSelectionTests {
    /// Six hand-made rows: violence in A (inside), violence without LSOA or location, violence in B (outside
    /// the study area), burglary in A, violence in A in a month outside the range, violence outside the grid.
    static func table() -> IncidentTable {
        var t = IncidentTable()
        t.crimeTypes = [.violenceAndSexualOffences, CrimeType(label: "Burglary")]
        t.lsoaCodes = ["E01000001", "E01000002"]
        t.lsoaNames = ["A", "B"]
        t.forces = [""]
        let rows: [(type: UInt16, lsoa: Int32, month: String, x: Double?, y: Double?)] = [
            (0, 0, "2020-01", 500, 500), (0, -1, "2020-01", nil, nil), (0, 1, "2020-02", 1500, 500),
            (1, 0, "2020-01", 500, 500), (0, 0, "2020-05", 500, 500), (0, 0, "2020-02", 5000, 5000),
        ]
        for r in rows {
            t.monthIndex.append(Int32(YearMonth(r.month)!.index)); t.crimeTypeID.append(r.type); t.lsoaID.append(r.lsoa)
            t.forceID.append(0); t.longitude.append(.nan); t.latitude.append(.nan)
            t.x.append(r.x ?? .nan); t.y.append(r.y ?? .nan); t.location.append(r.x == nil ? .noCoordinates : .projected)
        }
        return t
    }

    static func base(_ n: Int) -> RowAccounting { var a = RowAccounting(); a.read(n); a.use(n); return a }

    @Test func lsoaUnitsSkipByTypeMonthCodeAndStudyAreaInThatOrder() throws {
        let t = Self.table()
        let study = StudyArea(touched: ["E01000001"], lookup: DistrictLookup(districtOfLSOA: ["E01000001": "D1", "E01000002": "D2"], districtNames: [:]))
        let s = IncidentSelection(t, base: Self.base(6), crimeTypes: [.violenceAndSexualOffences],
                                  months: MonthRange(YearMonth("2020-01")!, YearMonth("2020-03")!), units: .lsoa(study))
        #expect(s.used == [true, false, false, false, false, true])
        #expect(s.accounting.skipped == [.noLSOA: 1, .outsideStudyArea: 1, .filteredCrimeType: 1, .filteredMonth: 1])
        #expect(s.accounting.rowsUsed == 2 && s.accounting.isBalanced)
    }

    @Test func cellUnitsSkipByLocationAndGrid() throws {
        let t = Self.table()
        let g = try Grid(xmin: 0, ymin: 0, cell: 1000, ncols: 2, nrows: 1)
        let s = IncidentSelection(t, base: Self.base(6), crimeTypes: nil, months: nil, units: .cells(g, bbox: nil))
        #expect(s.used == [true, false, true, true, true, false])
        #expect(s.accounting.skipped == [.noCoordinates: 1, .outsideGrid: 1])
        // Points reaching the grid: the row at (5000, 5000) lies 3,000 m beyond its north-east corner in x.
        let near = IncidentSelection(t, base: Self.base(6), crimeTypes: nil, months: nil, units: .points(g, margin: 4500))
        #expect(near.used == [true, false, true, true, true, true])
        let far = IncidentSelection(t, base: Self.base(6), crimeTypes: nil, months: nil, units: .points(g, margin: 2000))
        #expect(far.used[5] == false && far.accounting.skipped[.outsideGrid] == 1)
    }
}
