import Foundation
import Testing
import PlaceRiskCore
@testable import PlaceRiskIO

/// The bundled 23-month street series (`datasets/police_uk_devon_cornwall_street_2016-01_to_2017-11/`,
/// compact copies written by its `make_compact.py`): the report's demonstration relies on one
/// unbroken run of months, every published row and a balanced ledger.
@Suite("bundled 23-month Devon & Cornwall street series")
struct BundledStreetSeriesTests {
    static let folder = datasetsFolder + "/police_uk_devon_cornwall_street_2016-01_to_2017-11"

    /// Data rows per month: `wc -l` of the ORIGINAL published files (shared source datasets, SHA-256
    /// in its SHA256SUMS) minus the header line, 261,428 lines − 23 headers = 261,405 rows. The
    /// compact copies keep every row, so they must give the same numbers.
    static let rowsPerMonth: [String: Int] = [
        "2016-01": 8_938, "2016-02": 8_770, "2016-03": 10_285, "2016-04": 10_031, "2016-05": 11_321, "2016-06": 11_440,
        "2016-07": 12_118, "2016-08": 12_190, "2016-09": 11_274, "2016-10": 10_791, "2016-11": 9_980, "2016-12": 10_290,
        "2017-01": 9_753, "2017-02": 10_084, "2017-03": 11_660, "2017-04": 11_779, "2017-05": 12_841, "2017-06": 12_965,
        "2017-07": 13_896, "2017-08": 14_013, "2017-09": 12_567, "2017-10": 12_791, "2017-11": 11_628,
    ]
    static let totalRows = 261_405

    @Test func twentyThreeConsecutiveMonthsWithEveryPublishedRowAndABalancedLedger() throws {
        #expect(Self.rowsPerMonth.values.reduce(0, +) == Self.totalRows)
        let r = try PoliceStreetLoader.load(paths: [Self.folder], keepText: false)
        let t = r.table
        // One file per month, found by the loader's `*-street.csv` discovery.
        #expect(r.files.count == 23)
        // 23 distinct months, 2016-01 … 2017-11, none missing.
        let months = Set(t.monthIndex.map { YearMonth(index: Int($0)) })
        #expect(months.count == 23)
        #expect(t.monthSpan == MonthRange(YearMonth(year: 2016, month: 1), YearMonth(year: 2017, month: 11)))
        #expect(t.monthSpan.map { Set($0) == months } == true)
        // Every row of the original files, month by month.
        var perMonth: [String: Int] = [:]
        for m in t.monthIndex { perMonth[YearMonth(index: Int(m)).description, default: 0] += 1 }
        #expect(perMonth == Self.rowsPerMonth)
        // The ledger balances: every row read is loaded, none malformed or skipped.
        #expect(r.accounting.isBalanced)
        #expect(r.accounting.rowsRead == Self.totalRows && r.accounting.rowsUsed == Self.totalRows)
        #expect(r.accounting.skipped[.malformed, default: 0] == 0)
        #expect(r.accounting.rowsSkipped == 0)
        #expect(t.count == Self.totalRows)
    }

    @Test func compactCopiesKeepWhatTheAnalysesRead() throws {
        let r = try PoliceStreetLoader.load(paths: [Self.folder])
        let t = r.table
        // One force ("Falls within" kept), the 14 published crime types, nothing mis-decoded.
        #expect(t.forces == ["Devon & Cornwall Police"])
        #expect(t.crimeTypes.count == 14 && t.crimeTypes.allSatisfy { $0.standardIndex != nil })
        #expect(r.unknownCrimeTypes.isEmpty && r.swappedCoordinateFiles.isEmpty)
        // Rows without a location, as in the published files (source README: 11,312).
        #expect(t.location.filter { $0 == .noCoordinates }.count == 11_312)
        // The shortened Crime IDs (16 hex characters, empty for anti-social behaviour) keep the one
        // repeated ID of the published data (2016-05, lines 1595 and 1605) and add none.
        #expect(r.duplicateCrimeIDs == 1)
        #expect(r.duplicateCrimeIDExamples.count == 1 && r.duplicateCrimeIDExamples[0].hasSuffix("2016-05-devon-and-cornwall-street.csv:1595"))
        #expect((0 ..< t.count).allSatisfy { t.crimeID[$0].isEmpty || t.crimeID[$0].utf8.count == 16 })
        // Emptied columns: Location and Last outcome category.
        #expect((0 ..< t.count).allSatisfy { t.locationText[$0].isEmpty && t.outcome[$0].isEmpty })
    }
}
