import Foundation
import Testing
import PlaceRiskCore
@testable import PlaceRiskIO

@Suite("LSOA counts tables and covariate tables")
struct PanelInputFilesTests {
    static let counts = fixturePath("lsoa_month_counts_cut.csv")

    /// Fixtures/lsoa_month_counts_cut.csv: 7 codes × 20 months cut from the shared 20-month series
    /// (E01015023…28 and the first 2021 code, E01034157); per-code totals by awk (142, 69, 101, 161, 155, 463, 130).
    @Test func countsTableReadsEveryCodeAndMonth() throws {
        #expect(LSOACountsFile.looksLike(path: Self.counts))
        let f = try LSOACountsFile.read(path: Self.counts)
        #expect(f.codes.count == 7 && f.months.count == 20 && f.rowsRead == 140 && f.absentPairs == 0)
        #expect(f.months.first.description == "2022-05" && f.months.last.description == "2023-12")
        let totals = (0 ..< 7).map { u in (0 ..< 20).reduce(0.0) { $0 + f.counts[u * 20 + $1] } }
        #expect(totals == [142, 69, 101, 161, 155, 463, 130])
        #expect(f.counts[0] == 13 && f.counts[1] == 10)   // E01015023 2022-05, 2022-06 (lines 2–3)
        #expect(f.not2011 == ["E01034157"] && f.names["E01015023"] == "Plymouth 003A")
    }

    @Test func countsTableErrorsNameLineAndColumn() throws {
        let d = NSTemporaryDirectory() + "placerisk-counts-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        try "LSOA code,Month,Crime Count\nE01000001,2020-01,3\nE01000001,2020-01,4\n".write(toFile: d + "/dup.csv", atomically: true, encoding: .utf8)
        #expect(throws: CSVError.self) { try LSOACountsFile.read(path: d + "/dup.csv") }
        do { _ = try LSOACountsFile.read(path: d + "/dup.csv") } catch { #expect(error.line == 3) }
        try "LSOA code,Month,Crime Count\nE01000001,2020-01,2.5\n".write(toFile: d + "/frac.csv", atomically: true, encoding: .utf8)
        do { _ = try LSOACountsFile.read(path: d + "/frac.csv"); Issue.record("expected an error") } catch {
            #expect(error.description == "\(d)/frac.csv:2:19: column 'Crime Count': '2.5' is not a whole number >= 0")
        }
        try "LSOA code,Month,Crime Count\nE01000001,2020-01,1\nE01000002,2020-02,1\n".write(toFile: d + "/gap.csv", atomically: true, encoding: .utf8)
        let g = try LSOACountsFile.read(path: d + "/gap.csv")
        #expect(g.absentPairs == 2 && g.counts == [1, 0, 0, 1])
    }

    /// Short names of the IMD 2019 headers, and thousands separators as in File 6 ("1,296").
    @Test func covariateShortNamesAndThousandsSeparators() throws {
        #expect(CovariateTable.shortName("Index of Multiple Deprivation (IMD) Score") == "imd_score")
        #expect(CovariateTable.shortName("Income Score (rate)") == "income_score")
        #expect(CovariateTable.shortName("Education\n Skills and Training Rank (where 1 is most deprived)") == "education_skills_and_training_rank")
        #expect(CovariateTable.shortName("Total population: mid 2015 (excluding prisoners)") == "total_population")
        #expect(CovariateTable.parseNumber("29,199") == 29199 && CovariateTable.parseNumber("1,234,567.5") == 1234567.5)
        #expect(CovariateTable.parseNumber("1,2") == nil && CovariateTable.parseNumber("abc") == nil)
        let d = NSTemporaryDirectory() + "placerisk-cov-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        try "\u{FEFF}LSOA code (2011),Total population: mid 2015 (excluding prisoners),Income Score (rate)\r\nE01000001,\"1,296\",0.1\r\nE01000002,,0.2\r\nE01000003,12,high".write(toFile: d + "/c.csv", atomically: true, encoding: .utf8)
        do { _ = try CovariateTable.read(path: d + "/c.csv", columns: ["total_population", "income_score"]); Issue.record("expected an error") } catch {
            #expect(error.description == "\(d)/c.csv:4:14: column 'Income Score (rate)': 'high' is not a number")
        }
        let t = try CovariateTable.read(path: d + "/c.csv", columns: ["total_population"])
        #expect(t.rows["E01000001"] == [1296] && t.rows["E01000002"]![0].isNaN && t.rows["E01000003"] == [12])
    }
}
