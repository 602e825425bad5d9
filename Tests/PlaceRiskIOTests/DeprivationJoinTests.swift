import Foundation
import Testing
import PlaceRiskCore
@testable import PlaceRiskIO

@Suite("Joins: incidents to study-area LSOAs, LSOAs to IMD, counts tables to the study area")
struct DeprivationJoinTests {
    /// The published IMD 2019 deciles follow ⌈10 · rank / 32,844⌉ (MHCLG's File 1 `imd_decile` against
    /// `imd_rank`, bundled in datasets/imd2019/): `Deciles.ofRank` reproduces all of them.
    @Test func decileRuleReproducesThePublishedIMDDeciles() throws {
        let t = try IMDTable.load(paths: [datasetsFolder + "/imd2019/imd2019_england_lsoa.csv"])
        #expect(t.count == 32_844)
        let mismatches = (0 ..< t.count).filter { Deciles.ofRank(t.imdRanks[$0], count: t.count) != t.imdDeciles[$0] }
        #expect(mismatches.isEmpty)
        // Deciles of the published ranks' orientation (higher value = more deprived) give the same.
        let fromRanks = Deciles.byRank(t.imdRanks.map { Double(32_845 - $0) })
        #expect(fromRanks == t.imdDeciles)
    }

    /// Seven hand-made violence rows and one burglary row: two join A (E01015023), one joins B (E01015058),
    /// and one each has no code, a Welsh code, an unknown code (not in the IMD files, unknown to the
    /// lookup) and a code in the IMD files outside the study area (E01018782, Cornwall).
    @Test func incidentRowsJoinOrAreCountedByReason() throws {
        let imd = try IMDTable.load(paths: [fixturePath("imd2019/compact_cut.csv")], lsoaSet: .subsets)
        var t = IncidentTable()
        t.crimeTypes = [.violenceAndSexualOffences, CrimeType(label: "Burglary")]
        t.lsoaCodes = ["E01015023", "E01015058", "W01000001", "E01099999", "E01018782", ""]
        let rows: [(type: UInt16, lsoa: Int32, month: String)] = [
            (0, 0, "2020-01"), (0, 0, "2020-02"), (0, 1, "2020-01"), (0, -1, "2020-01"), (0, 2, "2020-01"),
            (0, 3, "2020-01"), (0, 4, "2020-01"), (1, 0, "2020-01"), (0, 0, "2021-01"), (0, 5, "2020-01"),
        ]
        for r in rows {
            t.monthIndex.append(Int32(YearMonth(r.month)!.index)); t.crimeTypeID.append(r.type); t.lsoaID.append(r.lsoa)
            t.forceID.append(0); t.longitude.append(.nan); t.latitude.append(.nan); t.x.append(.nan); t.y.append(.nan)
            t.location.append(.noCoordinates)
        }
        let months = MonthRange(YearMonth("2020-01")!, YearMonth("2020-12")!)
        let j = IncidentLSOAJoin(t, types: [.violenceAndSexualOffences], months: months, units: ["E01015058", "E01015023"],
                                 imd: imd, unknownCodes: ["E01099999"])
        #expect(j.counts == [1, 2])
        #expect(j.selected == 8 && j.joined == 3)   // rows 0–6 and 9; the burglary and 2021-01 rows are not selected
        #expect(j.noLSOACode == 2 && j.outsideEngland == 1 && j.notInLSOA2011Set == 1 && j.outsideStudyArea == 1)
        #expect(j.joined + j.noLSOACode + j.outsideEngland + j.notInLSOA2011Set + j.outsideStudyArea == j.selected)
    }

    @Test func unitsWithoutAnIMDRowOrPopulationAreLeftOutAndNamed() throws {
        let imd = try IMDTable.load(paths: [fixturePath("imd2019/compact_cut.csv")], lsoaSet: .subsets)
        let j = IMDUnitJoin(units: ["E01015023", "E01099999", "E01018782"], imd: imd)
        #expect(j.kept == [0, 2] && j.noIMDRow == ["E01099999"] && j.noPopulation.isEmpty)
        #expect(imd.populations[j.rows[0]] == 1760 && imd.populations[j.rows[1]] == 1511)   // compact_cut.csv, total_population
    }

    /// Fixtures/lsoa_month_counts_cut.csv (7 codes × 20 months; totals 142, 69, 101, 161, 155, 463, 130 by awk
    /// for E01015023…28 and the 2021 code E01034157) against a hand-made lookup: district D1 holds
    /// E01015023…26 and E01099999 (absent from the table; 4 of 5 touched → in the study area), D2 holds
    /// E01015027 and two LSOAs absent from the table (1 of 3 touched → outside), E01015028 is in no district.
    @Test func countsTableJoinsTheStudyAreaAndCountsEveryCodeLeftOut() throws {
        let file = try LSOACountsFile.read(path: fixturePath("lsoa_month_counts_cut.csv"))
        var map: [String: String] = [:]
        for c in ["E01015023", "E01015024", "E01015025", "E01015026", "E01099999"] { map[c] = "D1" }
        for c in ["E01015027", "E01099997", "E01099998"] { map[c] = "D2" }
        let lookup = DistrictLookup(districtOfLSOA: map, districtNames: ["D1": "One", "D2": "Two"])
        let p = try LSOACountsPanel(file, lookup: lookup)
        #expect(p.study.districts == ["D1"])
        #expect(p.units == ["E01015023", "E01015024", "E01015025", "E01015026"])
        #expect(p.codes2021 == ["E01034157"] && p.notInLookup == ["E01015028"] && p.outsideStudyArea == ["E01015027"])
        #expect(p.absentFromTable == ["E01099999"])
        #expect(p.incidentsUsed == 142 + 69 + 101 + 161 && p.incidentsOutside == 155 && p.incidentsNotInLookup == 463 && p.incidents2021 == 130)
        // Two months only: E01015023 holds 13 and 10 (lines 2–3 of the fixture).
        let two = try LSOACountsPanel(file, lookup: lookup, from: YearMonth("2022-05"), to: YearMonth("2022-06"))
        #expect(two.months.count == 2 && Array(two.counts.prefix(2)) == [13, 10])
        #expect(throws: LSOACountsPanelError.self) { try LSOACountsPanel(file, lookup: lookup, from: YearMonth("2021-01"), to: nil) }
        let nobody = DistrictLookup(districtOfLSOA: ["E01099999": "D1"], districtNames: [:])
        #expect(throws: LSOACountsPanelError.self) { try LSOACountsPanel(file, lookup: nobody) }
    }
}

@Suite("District → partnership lookups")
struct PartnershipLookupTests {
    /// The bundled table (datasets/partnerships/README.md gives its sources): 12 districts, 7 partnerships;
    /// Safer Cornwall covers Cornwall (E06000052) and the Isles of Scilly (E06000053).
    @Test func bundledTableCoversTheForcesTwelveDistricts() throws {
        let p = try PartnershipLookup.load(path: datasetsFolder + "/partnerships/devon_cornwall_community_safety_partnerships.csv")
        #expect(p.partnershipOfDistrict.count == 12 && p.partnerships.count == 7)
        #expect(p.partnershipOfDistrict["E06000052"] == "Safer Cornwall" && p.partnershipOfDistrict["E06000053"] == "Safer Cornwall")
        #expect(p.partnershipOfDistrict["E07000047"] == "South Devon and Dartmoor Community Safety Partnership")
    }

    @Test func aDistrictInTwoPartnershipsOrAnEmptyCellNamesItsLine() throws {
        let d = try temporaryFolder()
        let twice = d + "/twice.csv"
        try "district_code,partnership\nE06000052,Safer Cornwall\nE06000053,Safer Cornwall\ne06000052,Safer Devon\n".write(toFile: twice, atomically: true, encoding: .utf8)
        #expect { try PartnershipLookup.load(path: twice) } throws: { e in
            let s = String(describing: e)
            return s.contains("twice.csv:4:2") && s.contains("line 2") && s.contains("Safer Cornwall")
        }
        let empty = d + "/empty.csv"
        try "district_code,partnership\nE06000052,\n".write(toFile: empty, atomically: true, encoding: .utf8)
        #expect { try PartnershipLookup.load(path: empty) } throws: { String(describing: $0).contains("empty.csv:2:2") }
        let wrong = d + "/wrong.csv"
        try "lad,csp\nE06000052,Safer Cornwall\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        #expect { try PartnershipLookup.load(path: wrong) } throws: { String(describing: $0).contains("district_code") }
    }
}
