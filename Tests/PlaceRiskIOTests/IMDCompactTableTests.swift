import Foundation
import Testing
import PlaceRiskCore
@testable import PlaceRiskIO

// Fixtures (Tests/PlaceRiskIOTests/Fixtures/imd2019/README.md): `compact_cut.csv` is the header and the
// rows of the 34 fixture LSOAs cut from datasets/imd2019/imd2019_england_lsoa.csv, the same LSOAs as
// the official-file cuts; `lsoa_msoa_hclname_dc_cut.csv` holds the 30 Devon & Cornwall ones from the
// ONS lookup with House of Commons Library names (shared datasets, ons_lsoa11_msoa11_lad11_lookup/).

private func imd(_ name: String) -> String { fixturePath("imd2019/" + name) }

/// The bundled all-England table.
private let bundledTable = datasetsFolder + "/imd2019/imd2019_england_lsoa.csv"

/// Every value of `fields` on row `r`, as exact text (`String(describing:)` of the stored number).
private func values(_ t: IMDTable, _ r: Int, _ fields: [IMDField]) -> [String] {
    fields.map { f in
        switch f {
        case .lsoaName: return t.lsoaNames[r]
        case .districtCode: return t.districtCodes[r]
        case .districtName: return t.districtNames[r]
        case .msoaCode: return t.msoaCodes[r]
        case .msoaName: return t.msoaNames[r]
        case .imdScore: return String(describing: t.imdScores[r])
        case .imdRank: return String(t.imdRanks[r])
        case .imdDecile: return String(t.imdDeciles[r])
        case .domainScore(let d): return String(describing: t.scores(d)[r])
        case .domainRank(let d): return String(t.ranks(d)[r])
        case .domainDecile(let d): return String(t.deciles(d)[r])
        case .population: return String(describing: t.populations[r])
        }
    }
}

/// Every field but the MSOA ones (which no official IMD file has).
private let imdFields = IMDField.all.filter { $0 != .msoaCode && $0 != .msoaName }

/// The IMDError thrown by `body` (nil when none or another error).
private func imdError(_ body: () throws -> Void) -> IMDError? {
    do { try body() } catch let e as IMDError { return e } catch { return nil }
    return nil
}

@Suite("IMD 2019 compact all-England table: the official values, district lookup, covariates, place names")
struct IMDCompactTableTests {
    /// Files 1, 2, 6, the NHSRpopulation IMD scores and the mySociety income/employment scores.
    static let officialFiles = ["file1_cut.csv", "file2_cut.csv", "file6_cut.csv", "score_cut.csv", "income_employment_cut.csv"].map(imd)

    @Test func compactTableGivesEveryFieldTheOfficialFilesGive() throws {
        let compact = try IMDTable.load(paths: [imd("compact_cut.csv")])
        let official = try IMDTable.load(paths: Self.officialFiles)
        #expect(compact.count == 34 && compact.codes == official.codes)
        #expect(compact.presentFields == official.presentFields.union([.msoaCode, .msoaName]) && compact.partialFields.isEmpty)
        // Exact for text, ranks, deciles (derived from ranks in the compact table), IMD score and population.
        let exact = imdFields.filter { $0 != .domainScore(.income) && $0 != .domainScore(.employment) }
        for r in 0 ..< compact.count {
            #expect(values(compact, r, exact) == values(official, r, exact), "row \(compact.codes[r])")
            // Income/employment: the compact rate (3 dp) against mySociety's percent ÷ 100 (float unit change only).
            for d in [IMDComposite.Domain.income, .employment] {
                #expect(abs(compact.scores(d)[r] - official.scores(d)[r]) < 1e-12, "\(d) score of \(compact.codes[r])")
            }
        }
        // Merging the compact table with all five official files finds no conflict in any field.
        let all = try IMDTable.load(paths: [imd("compact_cut.csv")] + Self.officialFiles)
        #expect(all.count == 34 && all.sources.count == 6)
    }

    @Test func devonCornwallRowsEqualTheMergedTableExactly() throws {
        // The former default, imd2019_devon_cornwall_merged.csv (its 30 fixture rows): every field bit for bit.
        let compact = try IMDTable.load(paths: [imd("compact_cut.csv")])
        let merged = try IMDTable.load(paths: [imd("merged_cut.csv")])
        #expect(merged.count == 30)
        for (m, code) in merged.codes.enumerated() {
            let c = try #require(compact.row(of: code))
            #expect(values(compact, c, imdFields) == values(merged, m, imdFields), "row \(code)")
        }
        // compact_cut line 19: E01018997,Cornwall 067E,E06000052,Cornwall,E02003948,Penzance North,60.367,884,1,0.435,185,0.312,346,…
        let r = try #require(compact.row(of: "E01018997"))
        #expect(compact.imdScores[r] == 60.367 && compact.scores(.income)[r] == 0.435 && compact.scores(.employment)[r] == 0.312)
        #expect(compact.deciles(.crime)[r] == 6 && compact.ranks(.crime)[r] == 17134 && compact.populations[r] == 1446)
    }

    @Test func compactLayoutIsRecognisedByItsHeaderAndReadsIncomeScoresAsRates() throws {
        let rec = try IMDColumns.recognise(header: IMDCompactTable.header, file: "compact.csv")
        #expect(rec.derivesDeciles && rec.ignored.isEmpty)
        #expect(rec.columns.first { $0.field == .domainScore(.income) }?.unit == .rate)
        #expect(try CSVReader.header(path: imd("compact_cut.csv")) == IMDCompactTable.header)
        #expect(!IMDCompactTable.isCompact(header: ["lsoa", "overall_local_score", "income_score", "employment_score"]))
        // The same columns without the compact id columns are the generic short names: income_score is
        // then mySociety's percent (0.435 % = rate 0.00435) and no decile is derived.
        let text = try String(contentsOfFile: imd("compact_cut.csv"), encoding: .utf8)
        let renamed = text.replacingOccurrences(of: "msoa_code,msoa_name,", with: "msoa,msoa_label,")
        let path = try temporaryFolder() + "/renamed.csv"
        try renamed.write(toFile: path, atomically: true, encoding: .utf8)
        let generic = try IMDTable.load(paths: [path])
        let r = try #require(generic.row(of: "E01018997"))
        #expect(abs(generic.scores(.income)[r] - 0.00435) < 1e-15 && !generic.has(.domainDecile(.crime)))
        #expect(generic.sources[0].ignoredHeaders == ["msoa", "msoa_label"])
    }

    @Test func derivedDecileIsTheCeilingOfTenRanksOverTheLSOACount() {
        // 32,844 / 10 = 3,284.4: decile 1 = ranks 1 … 3,284, decile 10 = 29,560 … 32,844.
        let cases: [(Int, Int)] = [(1, 1), (3284, 1), (3285, 2), (6568, 2), (6569, 3), (29559, 9), (29560, 10), (32844, 10), (29199, 9)]
        for (rank, decile) in cases { #expect(IMDCompactTable.decile(ofRank: rank) == decile, "rank \(rank)") }
    }

    @Test func districtLookupReadsTheCompactTableAsFile1() throws {
        let compact = try DistrictLookupLoader.load(path: imd("compact_cut.csv"))
        let file1 = try DistrictLookupLoader.load(path: imd("file1_cut.csv"))
        #expect(compact.districtOfLSOA.count == 34)
        #expect(compact.districtOfLSOA == file1.districtOfLSOA && compact.districtNames == file1.districtNames)
        #expect(compact.districtNames["E06000010"] == "Kingston upon Hull, City of")
    }

    @Test func covariatesReadTheCompactShortNamesWithTheMergedTablesValues() throws {
        // Long and short domain names both work, on both files; crime_decile is derived from the compact rank.
        let names = ["income_score", "total_population", "imd_score", "education_skills_and_training_rank", "education_rank", "crime_decile", "employment_score"]
        let compact = try CovariateTable.read(path: imd("compact_cut.csv"), columns: names)
        let merged = try CovariateTable.read(path: imd("merged_cut.csv"), columns: names)
        #expect(compact.rows.count == 34 && merged.rows.count == 30)
        for (code, row) in merged.rows { #expect(compact.rows[code] == row, "row \(code)") }
        // merged_cut line 2: E01015023 income 0.216, population 1760, IMD score 45.177, education rank 3710, crime decile 1.
        #expect(compact.rows["E01015023"] == [0.216, 1760, 45.177, 3710, 3710, 1, 0.211])
        #expect(CovariateTable.compactName("health_deprivation_and_disability_score") == "health_score")
        #expect(CovariateTable.compactName("barriers_to_housing_and_services_decile") == "barriers_decile")
        #expect(CovariateTable.compactName("income_score") == "income_score")
        do {
            _ = try CovariateTable.read(path: imd("compact_cut.csv"), columns: ["no_such"])
            Issue.record("expected a missing-column error")
        } catch { #expect(error.kind == .missingColumn("no_such' (columns by short name: \(IMDCompactTable.header.joined(separator: ", ")))")) }
    }

    @Test func placeNamesGiveLSOADistrictAndHouseOfCommonsLibraryMSOAName() throws {
        let names = try PlaceNames.load(path: imd("compact_cut.csv"))
        #expect(names.count == 34)
        let p = try #require(names[lsoa: "E01018997"])
        #expect(p == PlaceNames.Place(lsoaCode: "E01018997", lsoaName: "Cornwall 067E", districtCode: "E06000052", districtName: "Cornwall",
                                      msoaCode: "E02003948", msoaName: "Penzance North"))
        #expect(p.label == "Cornwall 067E, Cornwall, Penzance North")
        // Quoted names with commas (compact_cut line 26) and the last real row.
        #expect(names[lsoa: "E01020056"]?.msoaName == "Bradninch, Silverton & Thorverton")
        #expect(names[lsoa: "E01033768"]?.label == "Liverpool 037F, Liverpool, Chinatown, St James & Georgian Quarter")
        #expect(names[lsoa: "W01000001"] == nil)
        // Independent check: the ONS lookup with HCL names for the 30 Devon & Cornwall LSOAs (2011 districts = 2019 there).
        var r = try CSVReader(path: imd("lsoa_msoa_hclname_dc_cut.csv"))
        #expect(try r.next() && r.fields == ["LSOA11CD", "LSOA11NM", "MSOA11CD", "MSOA11NM", "MSOA11HCLNM", "LAD11CD", "LAD11NM"])
        var checked = 0
        while try r.next() {
            let place = try #require(names[lsoa: r.string(0)])
            #expect([place.lsoaName, place.msoaCode, place.msoaName, place.districtCode, place.districtName]
                == [r.string(1), r.string(2), r.string(4), r.string(5), r.string(6)], "LSOA \(r.string(0))")
            checked += 1
        }
        #expect(checked == 30)
        // A file without MSOA names cannot name places.
        let e = imdError { _ = try PlaceNames.load(path: imd("file1_cut.csv")) }
        guard case .unrecognisedFile(_, let missing, let headers)? = e else { Issue.record("expected unrecognisedFile, got \(String(describing: e))"); return }
        #expect(missing == "MSOA code column (msoa_code) on every row" && headers.first == "LSOA code (2011)")
    }

    @Test func bundledTableCoversAllEnglandAndContainsItsFixtureRows() throws {
        #expect(try CSVReader.header(path: bundledTable) == IMDCompactTable.header)
        let t = try IMDTable.load(paths: [bundledTable])
        #expect(t.count == IMDComposite.englandLSOACount && t.partialFields.isEmpty)
        let unpublished: Set<IMDField> = [.domainScore(.education), .domainScore(.health), .domainScore(.crime), .domainScore(.barriers),
                                          .domainScore(.livingEnvironment)]
        #expect(t.presentFields == Set(IMDField.all).subtracting(unpublished))
        let cut = try IMDTable.load(paths: [imd("compact_cut.csv")])
        for (k, code) in cut.codes.enumerated() {
            let r = try #require(t.row(of: code))
            #expect(values(t, r, IMDField.all) == values(cut, k, IMDField.all), "row \(code)")
        }
        // The 12 Devon & Cornwall districts hold the 1,034 LSOAs of the former regional table.
        let dc = ["E06000052", "E06000053", "E06000026", "E06000027", "E07000040", "E07000041", "E07000042", "E07000043", "E07000044",
                  "E07000045", "E07000046", "E07000047"]
        #expect(t.lsoas(inDistricts: dc).count == 1034)
        #expect(PlaceNames(t)[lsoa: "E01014399"]?.label == "Bath and North East Somerset 001A, Bath and North East Somerset, Keynsham North")
    }

    @Test func avonAndSomersetPoliceRowsJoinTheBundledTable() throws {
        // 199 rows of data.police.uk 2022-01 Avon and Somerset (every 64th data row; 12 without a location).
        let police = try PoliceStreetLoader.load(paths: [fixturePath("police_avon_somerset_2022-01_cut.csv")]).table
        let codes = Set(police.lsoaCodes.filter { !$0.isEmpty })
        #expect(police.count == 199 && codes.count == 176)
        let imd = try IMDTable.load(paths: [bundledTable])
        let joined = codes.filter { imd.row(of: $0) != nil && imd.population(of: $0) != nil }
        #expect(joined.count == codes.count)
        // The study-area lookup knows every one of them; Bristol (E06000023) is fully in the table.
        let lookup = try DistrictLookupLoader.load(path: bundledTable)
        #expect(codes.allSatisfy { lookup.districtOfLSOA[$0] != nil })
        #expect(lookup.districtNames["E06000023"] == "Bristol, City of" && lookup.lsoaCountByDistrict["E06000023"] == imd.lsoas(inDistricts: ["E06000023"]).count)
        // The former default (Devon & Cornwall only) joins almost none of them: the bug this table fixes.
        let regional = try IMDTable.load(paths: [datasetsFolder + "/imd2019/imd2019_devon_cornwall_merged.csv"])
        #expect(codes.filter { regional.row(of: $0) != nil }.count <= 1)
    }
}
