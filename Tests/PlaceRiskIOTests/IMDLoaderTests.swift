import Foundation
import Testing
import PlaceRiskCore
@testable import PlaceRiskIO

// Fixtures: Tests/PlaceRiskIOTests/Fixtures/imd2019/ (README there), byte-identical lines of the real
// files in datasets/imd2019_england_lsoa/. Line numbers cited below are those of the REAL files
// (`grep -n E01018997 File_2_-_IoD2019_Domains_of_Deprivation.csv` → 18457:…); Files 1, 2, 6, the
// NHSRpopulation score file and the mySociety file share line numbers (same order).

private func imd(_ name: String) -> String { fixturePath("imd2019/" + name) }

/// Writes `bytes` to a fresh temporary file and returns its path.
private func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> String {
    let path = try temporaryFolder() + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

/// A fixture's bytes with one text replaced (must occur).
private func tampered(_ fixture: String, replacing old: String, with new: String) throws -> [UInt8] {
    let data = try Data(contentsOf: URL(fileURLWithPath: imd(fixture)))
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains(old))
    return Array(text.replacingOccurrences(of: old, with: new).utf8)
}

/// The IMDError thrown by `body` (nil when none or another error).
private func imdError(_ body: () throws -> Void) -> IMDError? {
    do { try body() } catch let e as IMDError { return e } catch { return nil }
    return nil
}

@Suite("IMD 2019 loaders: each official file, merges, traps, errors")
struct IMDLoaderTests {
    // MARK: each file type

    @Test func file1GivesRankDecileAndDistrictAsTheRealFileDoes() throws {
        let t = try IMDTable.load(paths: [imd("file1_cut.csv")])
        #expect(t.count == 34)
        // File 1 line 2: E01000001,City of London 001A,E09000001,City of London,"29,199",9
        let r = try #require(t.row(of: "E01000001"))
        #expect(t.imdRanks[r] == 29199 && t.imdDeciles[r] == 9)
        #expect(t.lsoaNames[r] == "City of London 001A" && t.districtCodes[r] == "E09000001" && t.districtNames[r] == "City of London")
        // Line 12365: E01012756,Kingston upon Hull 025A,E06000010,"Kingston upon Hull, City of","11,457",4
        let hull = try #require(t.row(of: "E01012756"))
        #expect(t.districtNames[hull] == "Kingston upon Hull, City of" && t.imdRanks[hull] == 11457)
        // Line 18457: E01018997,Cornwall 067E,E06000052,Cornwall,884,1 (no quotes below 1,000)
        let corn = try #require(t.row(of: "E01018997"))
        #expect(t.imdRanks[corn] == 884 && t.imdDeciles[corn] == 1)
        let expected: Set<IMDField> = [.lsoaName, .districtCode, .districtName, .imdRank, .imdDecile]
        #expect(t.presentFields == expected)
        #expect(t.imdScores.allSatisfy { $0.isNaN })
    }

    @Test func file2GivesAllSevenDomainRanksAndDeciles() throws {
        let t = try IMDTable.load(paths: [imd("file2_cut.csv")])
        // File 2 line 18457: E01018997,Cornwall 067E,E06000052,Cornwall,884,1,185,1,346,1,2282,1,2444,1,17134,6,10617,4,19102,6
        let r = try #require(t.row(of: "E01018997"))
        #expect(t.imdRanks[r] == 884 && t.imdDeciles[r] == 1)
        let ranks = IMDComposite.Domain.allCases.map { t.ranks($0)[r] }
        let deciles = IMDComposite.Domain.allCases.map { t.deciles($0)[r] }
        #expect(ranks == [185, 346, 2282, 2444, 17134, 10617, 19102])
        #expect(deciles == [1, 1, 1, 1, 6, 4, 6])
        for d in IMDComposite.Domain.allCases {
            #expect(t.has(.domainRank(d)) && t.has(.domainDecile(d)) && !t.has(.domainScore(d)))
        }
    }

    @Test func file6GivesTotalPopulationWithThousandsSeparators() throws {
        let t = try IMDTable.load(paths: [imd("file6_cut.csv")])
        // File 6 line 2: E01000001,…,"1,296",175,656,465,715
        #expect(t.population(of: "E01000001") == 1296)
        // Line 18457: E01018997,…,"1,446",372,835,239,813
        #expect(t.population(of: "E01018997") == 1446)
        // Line 32845 (last, no final newline): E01033768,…,"1,281",91,"1,066",124,"1,077"
        #expect(t.population(of: "E01033768") == 1281)
        #expect(t.has(.population))
        let ignored = t.sources[0].ignoredHeaders
        #expect(ignored.count == 4 && ignored[0] == "Dependent Children aged 0-15: mid 2015 (excluding prisoners)")
    }

    @Test func nhsrScoreFileGivesImdScoreAndDecile() throws {
        let t = try IMDTable.load(paths: [imd("score_cut.csv")])
        // imd2019_score_lsoa.csv line 18457: 2011,E01018997,Cornwall 067E,2019,E06000052,Cornwall,2019,60.367,1
        let r = try #require(t.row(of: "E01018997"))
        #expect(t.imdScores[r] == 60.367 && t.imdDeciles[r] == 1 && t.districtCodes[r] == "E06000052")
        // Line 2: …,6.208,9
        #expect(t.imdScores[try #require(t.row(of: "E01000001"))] == 6.208)
    }

    @Test func mySocietyIncomeEmploymentScoresArePercentagesStoredAsRates() throws {
        let t = try IMDTable.load(paths: [imd("income_employment_cut.csv")])
        // imd2019_income_employment_scores_lsoa.csv line 2: E01000001,6.208,0.7,1.0 (percent: 0.7 % = rate 0.007)
        let a = try #require(t.row(of: "E01000001"))
        #expect(abs(t.scores(.income)[a] - 0.007) < 1e-15 && abs(t.scores(.employment)[a] - 0.010) < 1e-15)
        // Line 18457: E01018997,60.367,43.5,31.2; merged table line 492 has Income Score (rate) 0.435, Employment 0.312.
        let b = try #require(t.row(of: "E01018997"))
        #expect(abs(t.scores(.income)[b] - 0.435) < 1e-15 && abs(t.scores(.employment)[b] - 0.312) < 1e-15)
        #expect(t.imdScores[b] == 60.367) // overall_local_score = imd_score
        #expect(t.scores(.crime).allSatisfy { $0.isNaN })
    }

    @Test func mergedDevonCornwallTableGivesScoresRanksDecilesAndPopulation() throws {
        let t = try IMDTable.load(paths: [imd("merged_cut.csv")])
        #expect(t.count == 30)
        // imd2019_devon_cornwall_merged.csv line 2:
        // E01015023,Plymouth 003A,E06000026,Plymouth,45.177,3025,1,0.216,5763,2,0.211,2660,1,3710,2,1858,1,1982,1,11527,4,15411,5,1760,…
        #expect(t.codes[0] == "E01015023")
        #expect(t.imdScores[0] == 45.177 && t.imdRanks[0] == 3025 && t.imdDeciles[0] == 1)
        #expect(t.scores(.income)[0] == 0.216 && t.scores(.employment)[0] == 0.211)
        let ranks = IMDComposite.Domain.allCases.map { t.ranks($0)[0] }
        let deciles = IMDComposite.Domain.allCases.map { t.deciles($0)[0] }
        #expect(ranks == [5763, 2660, 3710, 1858, 1982, 11527, 15411])
        #expect(deciles == [2, 1, 2, 1, 1, 4, 5])
        #expect(t.populations[0] == 1760)
        #expect(t.partialFields.isEmpty && t.has(.population) && t.has(.domainScore(.income)) && !t.has(.domainScore(.crime)))
    }

    // MARK: merging

    @Test func files1Plus2Plus6EqualTheMergedTableForTheSameLSOAs() throws {
        let official = try IMDTable.load(paths: [imd("file1_cut.csv"), imd("file2_cut.csv"), imd("file6_cut.csv")])
        let merged = try IMDTable.load(paths: [imd("merged_cut.csv")])
        #expect(official.count == 34 && merged.count == 30)
        for (m, code) in merged.codes.enumerated() {
            let o = try #require(official.row(of: code))
            #expect(official.lsoaNames[o] == merged.lsoaNames[m] && official.districtCodes[o] == merged.districtCodes[m])
            #expect(official.districtNames[o] == merged.districtNames[m])
            #expect(official.imdRanks[o] == merged.imdRanks[m] && official.imdDeciles[o] == merged.imdDeciles[m])
            #expect(official.populations[o] == merged.populations[m])
            for d in IMDComposite.Domain.allCases {
                #expect(official.ranks(d)[o] == merged.ranks(d)[m] && official.deciles(d)[o] == merged.deciles(d)[m])
            }
        }
        #expect(official.sources.map(\.rows) == [34, 34, 34])
    }

    @Test func allSixFilesMergeConsistentlyWhenRegionalSubsetsAreAllowed() throws {
        let paths = ["file1_cut.csv", "file2_cut.csv", "file6_cut.csv", "score_cut.csv", "income_employment_cut.csv", "merged_cut.csv"].map(imd)
        // The merged table's 3-dp IMD and income/employment scores agree with the other sources
        // (within IMDTable.scoreTolerance), or this would throw a conflict.
        let t = try IMDTable.load(paths: paths, lsoaSet: .subsets)
        #expect(t.count == 34 && t.partialFields.isEmpty)
        for f in [IMDField.imdScore, .imdRank, .imdDecile, .population, .domainScore(.income), .domainScore(.employment)] {
            #expect(t.has(f))
        }
        // With the default rule, the 30-row regional table next to 34-row files is refused.
        let e = imdError { _ = try IMDTable.load(paths: paths) }
        guard case .lsoaSetMismatch(let file, _, let code, let other, 34, 30)? = e else {
            Issue.record("expected lsoaSetMismatch, got \(String(describing: e))"); return
        }
        #expect(file == imd("file1_cut.csv") && other == imd("merged_cut.csv") && code == "E01000001")
    }

    @Test func queriesForTheLeadDistrictsPopulationAndLookup() throws {
        let t = try IMDTable.load(paths: [imd("file1_cut.csv"), imd("file6_cut.csv")])
        // Plymouth (E06000026): File 1 lines 14569, 14604, 14639, 14674, 14709 (the next three cut rows are Torbay).
        let plymouth = t.lsoas(inDistricts: ["E06000026"])
        #expect(plymouth == ["E01015023", "E01015058", "E01015093", "E01015128", "E01015164"])
        #expect(t.lsoas(inDistricts: ["E06000026", "E09000001"]).count == 7)
        #expect(t.districtCode(of: "E01018997") == "E06000052" && t.districtCode(of: "W01000001") == nil)
        let lookup = t.districtLookup
        #expect(lookup.districtOfLSOA.count == 34 && lookup.districtNames["E06000010"] == "Kingston upon Hull, City of")
        #expect(lookup.lsoaCountByDistrict["E06000052"] == 9 && lookup.lsoaCountByDistrict["E06000027"] == 3)
    }

    @Test func rebuiltImdReproducesThePublishedScoreAndRankOrder() throws {
        let t = try IMDTable.load(paths: [imd("file2_cut.csv"), imd("score_cut.csv")])
        let rebuilt = t.rebuiltScores()
        // Python on the same 34 rows: max |rebuilt − imd_score| = 0.00046 (full England: 0.0014).
        for r in 0 ..< t.count { #expect(abs(rebuilt[r] - t.imdScores[r]) < 0.0005, "row \(t.codes[r])") }
        // Rank order: sorting by rebuilt score (descending) gives the published IMD rank order.
        let byRebuilt = t.codes.indices.sorted { rebuilt[$0] > rebuilt[$1] }
        let byRank = t.codes.indices.sorted { t.imdRanks[$0] < t.imdRanks[$1] }
        #expect(byRebuilt == byRank)
        let noCrime = t.rebuiltScores(weights: .excludingCrime)
        #expect(noCrime.allSatisfy { $0.isFinite } && noCrime != rebuilt)
    }

    // MARK: traps

    @Test func fixturesKeepTheRealFilesTraps() throws {
        for name in ["file1_cut.csv", "file2_cut.csv", "file6_cut.csv"] {
            let b = Array(try Data(contentsOf: URL(fileURLWithPath: imd(name))))
            #expect(Array(b.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(name): BOM")
            #expect(b.count > 2 && b[b.count - 1] != 0x0A, "\(name): no final newline")
            let lf = b.indices.filter { b[$0] == 0x0A }
            #expect(lf.count == 34 && lf.allSatisfy { b[$0 - 1] == 0x0D }, "\(name): CRLF")
        }
        let f1 = try String(contentsOfFile: imd("file1_cut.csv"), encoding: .utf8)
        #expect(f1.contains("\"29,199\"") && f1.hasSuffix("\"1,833\",1"))
        let f6 = try String(contentsOfFile: imd("file6_cut.csv"), encoding: .utf8)
        #expect(f6.contains("\"1,296\"") && f6.hasSuffix("\"1,077\""))
        let f2 = try String(contentsOfFile: imd("file2_cut.csv"), encoding: .utf8)
        #expect(f2.contains(",\"Education, Skills and Training Rank (where 1 is most deprived)\","))
    }

    @Test func bomCrlfAndMissingFinalNewlineDoNotAlterValues() throws {
        // The last row of File 1 (line 32845, no newline) and its first header (after the BOM).
        let t = try IMDTable.load(paths: [imd("file1_cut.csv")])
        #expect(t.codes.first == "E01000001" && t.codes.last == "E01033768")
        #expect(t.imdRanks.last == 1833 && t.imdDeciles.last == 1)
        #expect(t.sources[0].ignoredHeaders.isEmpty) // the BOM did not hide 'LSOA code (2011)'
        // The same rows re-saved without BOM, with LF and a final newline, load identically.
        let text = try String(contentsOfFile: imd("file1_cut.csv"), encoding: .utf8)
        let plain = text.replacingOccurrences(of: "\u{FEFF}", with: "").replacingOccurrences(of: "\r\n", with: "\n") + "\n"
        let u = try IMDTable.load(paths: [try temporaryFile("plain.csv", Array(plain.utf8))])
        #expect(u.codes == t.codes && u.imdRanks == t.imdRanks && u.districtNames == t.districtNames)
    }

    @Test func thousandsSeparatorsAreAcceptedOnlyBetweenGroupsOfThree() {
        func p(_ s: String) -> Double? { var s = s; return s.withUTF8 { IMDColumns.parseNumber($0) } }
        #expect(p("29,199") == 29199 && p("1,296") == 1296 && p("1,234,567") == 1_234_567 && p("1,234.5") == 1234.5)
        #expect(p("884") == 884 && p("-1,000") == -1000 && p("0.435") == 0.435)
        #expect(p("1,2") == nil && p("12,34") == nil && p(",123") == nil && p("1234,567") == nil && p("1,234,5") == nil)
        #expect(p("1,234.5,6") == nil && p("") == nil && p("n/a") == nil)
    }

    // MARK: errors

    @Test func unknownHeadersAreRefusedWithTheHeadersListed() throws {
        let noCode = try temporaryFile("nocode.csv", Array("code,value\nE01000001,3\n".utf8))
        let e1 = imdError { _ = try IMDTable.load(paths: [noCode]) }
        #expect(e1?.description == "\(noCode): not a recognised IMD 2019 file: it has no LSOA code column (accepted names: LSOA code (2011), lsoa_code, lsoa, LSOA11CD, lsoa11cd). Headers found: 'code', 'value'.")
        let noData = try temporaryFile("nodata.csv", Array("\u{FEFF}LSOA code (2011),LSOA name (2011),Rank\r\nE01000001,City of London 001A,1\r\n".utf8))
        let e2 = imdError { _ = try IMDTable.load(paths: [noData]) }
        #expect(e2?.description == "\(noData): not a recognised IMD 2019 file: it has no IMD score, rank, decile or population column. Headers found: 'LSOA code (2011)', 'LSOA name (2011)', 'Rank'.")
    }

    @Test func badNumberNamesFileLineAndColumn() throws {
        // File 1 line 2 with "29,199" broken into "29,19": field 5 starts at byte column 56 of line 2.
        let path = try temporaryFile("bad.csv", try tampered("file1_cut.csv", replacing: "\"29,199\"", with: "\"29,19\""))
        let e = imdError { _ = try IMDTable.load(paths: [path]) }
        #expect(e?.description == "\(path):2:56: column 'Index of Multiple Deprivation (IMD) Rank': '29,19' is not a rank from 1 to 32844.")
        // A rate above 1 (a percentage in a rate column): merged table line 2, Income Score (rate) 0.216 → 21.6.
        let ratePath = try temporaryFile("rate.csv", try tampered("merged_cut.csv", replacing: "45.177,3025,1,0.216,", with: "45.177,3025,1,21.6,"))
        let r = imdError { _ = try IMDTable.load(paths: [ratePath]) }
        #expect(r?.description == "\(ratePath):2:58: column 'Income Score (rate)': '21.6' is not a rate between 0 and 1 (is it a percentage?).")
    }

    @Test func conflictingValuesNameBothFilesAndLines() throws {
        // File 1 line 2 says "29,199"; a copy claiming "29,198" must not be merged silently.
        let path = try temporaryFile("other.csv", try tampered("file1_cut.csv", replacing: "\"29,199\"", with: "\"29,198\""))
        let e = imdError { _ = try IMDTable.load(paths: [imd("file1_cut.csv"), path]) }
        #expect(e?.description == "\(path):2:1: imd_rank of LSOA E01000001 is 29198, but \(imd("file1_cut.csv")):2 gives 29199.")
        // Scores: NHSR says 60.367 for E01018997 (real line 18457, fixture line 19); a second source saying 60.4 conflicts.
        let sc = try temporaryFile("score2.csv", try tampered("score_cut.csv", replacing: ",60.367,1", with: ",60.4,1"))
        let s = imdError { _ = try IMDTable.load(paths: [imd("score_cut.csv"), sc]) }
        #expect(s?.description == "\(sc):19:1: imd_score of LSOA E01018997 is 60.4, but \(imd("score_cut.csv")):19 gives 60.367.")
    }

    @Test func duplicateCodesAndWrongVintagesAreRefused() throws {
        let dup = try temporaryFile("dup.csv", Array("lsoa_code,imd_score\nE01000001,6.208\nE01000002,5.143\nE01000001,6.208\n".utf8))
        #expect(imdError { _ = try IMDTable.load(paths: [dup]) }?.description == "\(dup):4:1: LSOA E01000001 appears a second time (first on line 2).")
        let old = try temporaryFile("old.csv", try tampered("score_cut.csv", replacing: "Cornwall,2019,60.367", with: "Cornwall,2015,60.367"))
        let e = imdError { _ = try IMDTable.load(paths: [old]) }
        guard case .badValue(_, 19, 54, "imd_year", "2015", _)? = e else { Issue.record("expected a vintage error, got \(String(describing: e))"); return }
        #expect(imdError { _ = try IMDTable.load(paths: []) } == .noFiles)
    }
}
