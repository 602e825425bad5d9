import Foundation
import Testing
import PlaceRiskCore
@testable import PlaceRiskIO

/// The police.uk header (conventions §8), used by the hand-made files below.
let policeHeader = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"

/// A hand-made police.uk row. With an empty ID its fields start at these 1-based columns (counted by
/// hand): Crime ID 1, Month 2, Reported by 10, Falls within 12, Longitude 14, Latitude 19,
/// Location 24, LSOA code 37 (the Location "On or near X" is 12 bytes, columns 24–35).
func policeRow(id: String = "", lon: String = "-4.1", lat: String = "50.4", location: String = "On or near X",
               lsoa: String = "E01015023", name: String = "Plymouth 003A", type: String = "Burglary") -> String {
    "\(id),2020-01,F,F,\(lon),\(lat),\(location),\(lsoa),\(name),\(type),,"
}

/// An in-memory police.uk file: the header, then `rows`, CRLF as published.
func policeFile(_ name: String, _ rows: [String]) -> CSVReader {
    CSVReader(bytes: Array(([policeHeader] + rows).joined(separator: "\r\n").utf8 + [0x0D, 0x0A]), name: name)
}

/// The ledger must balance after every load: rows read = rows used + Σ skipped.
func expectBalanced(_ a: RowAccounting, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.isBalanced, "ledger: read \(a.rowsRead), used \(a.rowsUsed), skipped \(a.rowsSkipped)", sourceLocation: sourceLocation)
}

@Suite("police.uk loader: broken quoting costs one row")
struct PoliceQuotingRecoveryTests {
    /// Line 3 opens a quote at the Location field (column 24) and never closes it; line 4 has an `x`
    /// right after the closing quote (open 24, 12 bytes of text at 25–36, close 37, `x` at 38).
    static let rows = [
        policeRow(type: "Burglary"),
        policeRow(location: "\"On or near X"),
        policeRow(location: "\"On or near X\"x"),
        policeRow(type: "Drugs"),
    ]

    @Test func quoteOpenAtLineEndAndTextAfterClosingQuoteAreOneMalformedRowEach() throws {
        var r = [policeFile("q-street.csv", Self.rows)]
        let res = try PoliceStreetLoader.load(readers: &r)
        let a = res.accounting
        // 4 data rows by construction; the 2 broken ones skipped, the rows around them loaded.
        #expect(a.rowsRead == 4 && a.rowsUsed == 2 && a.skipped == [.malformed: 2])
        expectBalanced(a)
        #expect(a.examples == [
            "q-street.csv:3:24: quoted field opened here is not closed on its line",
            "q-street.csv:4:38: unexpected character after a closing quote",
        ])
        #expect(res.table.crimeTypes.map(\.label) == ["Burglary", "Drugs"])
        #expect((0 ..< res.table.count).map { res.table.crimeType($0) } == [.burglary, .drugs])
    }

    @Test func strictModeStillThrowsWithFileLineAndColumn() {
        var open = policeFile("q-street.csv", Self.rows)
        #expect(throws: CSVError(.quoteOpenAtLineEnd, file: "q-street.csv", line: 3, column: 24)) {
            _ = try PoliceStreetLoader.load(reader: &open, filter: PoliceFilter(), lenient: false)
        }
        var after = policeFile("q-street.csv", [Self.rows[2]])
        #expect(throws: CSVError(.textAfterClosingQuote, file: "q-street.csv", line: 2, column: 38)) {
            _ = try PoliceStreetLoader.load(reader: &after, filter: PoliceFilter(), lenient: false)
        }
    }

    @Test func aQuoteOpenOnTheLastLineWithoutNewlineIsOneMalformedRow() throws {
        let text = policeHeader + "\n" + policeRow() + "\n" + policeRow(location: "\"On or near X")
        var r = CSVReader(bytes: Array(text.utf8), name: "eof-street.csv")
        let (t, a) = try PoliceStreetLoader.load(reader: &r, filter: PoliceFilter(), lenient: true)
        // 2 data rows: the second opens a quote at column 24 of line 3 and the file ends.
        #expect(t.count == 1 && a.rowsRead == 2 && a.skipped == [.malformed: 1])
        #expect(a.examples == ["eof-street.csv:3:24: quoted field opened here is not closed on its line"])
    }

    /// The bug this fixes: one stray opening quote at the start of data row 100 of the bundled
    /// 2020-01 file used to swallow the rest of the file (10,358 of 10,458 rows, exit 0).
    /// 10,458 data rows: pandas (Fixtures/pandas_summary_2020Q1.json, count_by_month 2020-01).
    @Test func oneStrayQuoteInTheBundledFileLosesOneRowNotTenThousand() throws {
        let src = datasetsFolder + "/police_uk_devon_cornwall_street_2020-01_to_2020-03/2020-01-devon-and-cornwall-street.csv"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: src)))
        // Start of line 101 (data row 100): after the 100th LF.
        var lfs = 0, at = 0
        while lfs < 100 { if bytes[at] == 0x0A { lfs += 1 }; at += 1 }
        bytes.insert(0x22, at: at)
        let dir = try temporaryFolder()
        let path = dir + "/2020-01-stray-quote-street.csv"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let r = try PoliceStreetLoader.load(paths: [path], keepText: false)
        #expect(r.accounting.rowsRead == 10_458 && r.accounting.rowsUsed == 10_457 && r.accounting.skipped == [.malformed: 1])
        // The quote is the first byte of line 101, so column 1.
        #expect(r.accounting.examples == ["\(path):101:1: quoted field opened here is not closed on its line"])
        // The general RFC 4180 reader, by contrast, lets the quote run to the end of the file.
        var rfc = try CSVReader(path: path)
        var records = 0
        #expect(throws: CSVError(.unterminatedQuote, file: path, line: 101, column: 1)) {
            while try rfc.next() { records += 1 }
        }
        #expect(records == 100) // the header and data rows 1–99
    }
}

@Suite("police.uk loader: LSOA codes")
struct PoliceLSOACodeTests {
    @Test func codesAreTrimmedUpperCasedAndChecked() {
        // Pattern [EW]01 + six digits (ONS GSS codes for LSOAs).
        #expect(LSOACode.read(" E01018936 ") == .valid("E01018936"))
        #expect(LSOACode.read("e01018936") == .valid("E01018936"))
        #expect(LSOACode.read("W01000001") == .valid("W01000001"))
        #expect(LSOACode.read("  ") == .empty && LSOACode.read("") == .empty)
        for bad in ["NOTANLSOA", "E0101893", "E010189360", "E02000001", "S01006506", "E01O18936", "E01 18936"] {
            #expect(LSOACode.read(bad) == .invalid, "\(bad)")
        }
    }

    static let rows = [
        policeRow(lsoa: " E01018936 ", name: "Cornwall 001A"),  // line 2
        policeRow(lsoa: "e01018936", name: "Cornwall 001A"),    // line 3
        policeRow(lsoa: "NOTANLSOA", name: "Nowhere"),          // line 4: LSOA field at column 37
        policeRow(lsoa: "", name: ""),                          // line 5
        policeRow(lsoa: "W01000001", name: "Isle of Anglesey 001A"), // line 6
    ]

    @Test func invalidCodeSkipsTheRowWithItsOwnReasonAndEmptyCodeKeepsIt() throws {
        var r = policeFile("l-street.csv", Self.rows)
        let (t, a) = try PoliceStreetLoader.load(reader: &r, filter: PoliceFilter(), lenient: true)
        // 5 rows: 1 invalid, the other 4 kept; two spellings of E01018936 are one code.
        #expect(a.rowsRead == 5 && a.rowsUsed == 4 && a.skipped == [.invalidLSOA: 1])
        expectBalanced(a)
        #expect(t.lsoaCodes == ["E01018936", "W01000001"] && t.lsoaID == [0, 0, -1, 1])
        #expect(a.examples == ["l-street.csv:4:37: column 'LSOA code': 'NOTANLSOA' is not an LSOA code (E01 or W01 and six digits)"])
        #expect(SkipReason.invalidLSOA.rawValue == "invalid_lsoa_code" && SkipReason.invalidLSOA.label == "invalid LSOA code")
    }

    @Test func invalidCodeThrowsInStrictMode() {
        var r = policeFile("l-street.csv", Self.rows)
        #expect(throws: CSVError(.badValue(column: "LSOA code", value: "NOTANLSOA", expected: "an LSOA code (E01 or W01 and six digits)"),
                                 file: "l-street.csv", line: 4, column: 37)) {
            _ = try PoliceStreetLoader.load(reader: &r, filter: PoliceFilter(), lenient: false)
        }
    }
}

@Suite("police.uk loader: unknown crime types")
struct PoliceUnknownCrimeTypeTests {
    /// Two mis-decoded violence rows, one renamed category, one standard row (counted by hand).
    static let rows = [
        policeRow(type: "Violence and sexual offences\u{00C3}"),
        policeRow(type: "Burglary"),
        policeRow(type: "Violent crime"),
        policeRow(type: "Violence and sexual offences\u{00C3}"),
    ]

    @Test func unknownTypesAreListedWithRowCountsMostFirstAndStillLoaded() throws {
        var r = [policeFile("u-street.csv", Self.rows)]
        let res = try PoliceStreetLoader.load(readers: &r)
        #expect(res.unknownCrimeTypes.map(\.label) == ["Violence and sexual offences\u{00C3}", "Violent crime"])
        #expect(res.unknownCrimeTypes.map(\.rows) == [2, 1])
        #expect(res.table.count == 4 && res.table.crimeType(0) == .unknown("Violence and sexual offences\u{00C3}"))
        #expect(res.warnings.first?.contains("'Violence and sexual offences\u{00C3}' (2 rows), 'Violent crime' (1 row)") == true)
    }

    /// A violence-only run is exactly where mis-decoded violence rows vanish: they are still listed.
    @Test func unknownTypesAreListedEvenWhenTheCrimeTypeFilterDropsThem() throws {
        var r = [policeFile("u-street.csv", Self.rows)]
        let res = try PoliceStreetLoader.load(readers: &r, filter: PoliceFilter(crimeTypes: [.violenceAndSexualOffences]))
        #expect(res.table.count == 0 && res.accounting.skipped == [.filteredCrimeType: 4])
        #expect(res.unknownCrimeTypes.map(\.rows) == [2, 1])
    }
}

@Suite("police.uk loader: duplicate Crime IDs")
struct PoliceDuplicateCrimeIDTests {
    /// File a: id1 (line 2), id2 (3), id1 again (4), no ID (5). File b: id2 again (2), id3 (3),
    /// no ID (4). By hand: 2 duplicates, a:4 (of a:2) and b:2 (of a:3); empty IDs never count.
    static func readers() -> [CSVReader] {
        [policeFile("a-street.csv", [policeRow(id: "id1"), policeRow(id: "id2"), policeRow(id: "id1"), policeRow(type: "Anti-social behaviour")]),
         policeFile("b-street.csv", [policeRow(id: "id2"), policeRow(id: "id3"), policeRow(type: "Anti-social behaviour")])]
    }

    @Test func duplicatesAreCountedAndKeptByDefault() throws {
        for keepText in [true, false] {
            var r = Self.readers()
            let res = try PoliceStreetLoader.load(readers: &r, keepText: keepText)
            #expect(res.duplicateCrimeIDs == 2 && res.accounting.rowsUsed == 7 && res.table.count == 7)
            #expect(res.duplicateCrimeIDExamples == ["a-street.csv:4: Crime ID already seen at a-street.csv:2",
                                                     "b-street.csv:2: Crime ID already seen at a-street.csv:3"])
            expectBalanced(res.accounting)
        }
    }

    @Test func dropDuplicateIDsSkipsSecondAndLaterOccurrences() throws {
        var r = Self.readers()
        let res = try PoliceStreetLoader.load(readers: &r, dropDuplicateIDs: true)
        #expect(res.duplicateCrimeIDs == 2 && res.accounting.rowsRead == 7 && res.accounting.rowsUsed == 5)
        #expect(res.accounting.skipped == [.duplicateCrimeID: 2])
        expectBalanced(res.accounting)
        #expect((0 ..< res.table.count).map { res.table.crimeID[$0] } == ["id1", "id2", "", "id3", ""])
        #expect(res.files.map(\.rowsLoaded) == [3, 2])
        #expect(SkipReason.duplicateCrimeID.rawValue == "duplicate_crime_id")
    }

    /// Files are parsed in parallel but resolved in path order: the 2020-01 row is the one kept.
    @Test func duplicatesAcrossFilesAreResolvedInPathOrder() throws {
        let dir = try temporaryFolder()
        let jan = [policeHeader, policeRow(id: "shared"), policeRow(id: "only-jan")].joined(separator: "\r\n") + "\r\n"
        let feb = [policeHeader, policeRow(id: "shared").replacingOccurrences(of: "2020-01", with: "2020-02")].joined(separator: "\r\n") + "\r\n"
        try jan.write(toFile: dir + "/2020-01-x-street.csv", atomically: true, encoding: .utf8)
        try feb.write(toFile: dir + "/2020-02-x-street.csv", atomically: true, encoding: .utf8)
        for _ in 0 ..< 3 {
            let res = try PoliceStreetLoader.load(paths: [dir], keepText: false, dropDuplicateIDs: true)
            #expect(res.duplicateCrimeIDs == 1 && res.table.count == 2)
            #expect(res.table.monthIndex.map { YearMonth(index: Int($0)) } == [YearMonth(year: 2020, month: 1), YearMonth(year: 2020, month: 1)])
            #expect(res.duplicateCrimeIDExamples == ["\(dir)/2020-02-x-street.csv:2: Crime ID already seen at \(dir)/2020-01-x-street.csv:2"])
        }
    }

    /// The bundled 2020-01 file given twice under two names: every non-empty Crime ID repeats.
    /// 8,045 rows of 10,458 have a Crime ID (`awk -F, 'NR>1 && $1!=""' | wc -l`); the file alone
    /// has no repeated ID (`cut -d, -f1 | sort | uniq -d` is empty).
    @Test func theSameFileLoadedTwiceHasEveryCrimeIDDuplicated() throws {
        let src = datasetsFolder + "/police_uk_devon_cornwall_street_2020-01_to_2020-03/2020-01-devon-and-cornwall-street.csv"
        let dir = try temporaryFolder()
        try FileManager.default.copyItem(atPath: src, toPath: dir + "/2020-01-copy-street.csv")
        let once = try PoliceStreetLoader.load(paths: [src], keepText: false)
        #expect(once.duplicateCrimeIDs == 0)
        let twice = try PoliceStreetLoader.load(paths: [src, dir + "/2020-01-copy-street.csv"], keepText: false, dropDuplicateIDs: true)
        #expect(twice.duplicateCrimeIDs == 8_045)
        #expect(twice.accounting.rowsRead == 2 * 10_458 && twice.accounting.rowsUsed == 10_458 + (10_458 - 8_045))
        #expect(twice.accounting.skipped[.duplicateCrimeID] == 8_045)
    }
}

@Suite("police.uk loader: swapped longitude and latitude")
struct PoliceSwappedCoordinateTests {
    /// Fixtures/police_swapped: data rows 5,001–5,010 of the bundled 2020-01 file with the Longitude
    /// and Latitude values exchanged (Fixtures/ROBUSTNESS_FIXTURES.md). Latitudes near −4° lie outside
    /// BNG's area of use (49.75°–61.01° N); swapped back, all 10 lie inside.
    @Test func aFileWithSwappedColumnsIsNamedWithAPlainSentence() throws {
        let path = fixturePath("police_swapped/2020-01-swapped-street.csv")
        let r = try PoliceStreetLoader.load(paths: [path])
        #expect(r.table.count == 10 && r.table.location.allSatisfy { $0 == .outsideBNG })
        #expect(r.swappedCoordinateFiles == [path])
        #expect(r.swappedCoordinateMessages == ["\(path): every point lies outside Great Britain, but would lie inside with Longitude and Latitude swapped; check the column order"])
        #expect(r.warnings == r.swappedCoordinateMessages)
    }

    @Test func correctFilesAndAFewForeignPointsAreNotFlagged() throws {
        let fine = try PoliceStreetLoader.load(paths: [fixturePath("police_sample")])
        #expect(fine.swappedCoordinateFiles.isEmpty && fine.warnings.isEmpty)
        // 9 swapped Plymouth points + Paris (outside either way): 10 of 10 outside, 9 of 10 = 90 %
        // inside once swapped → flagged. 8 swapped + 2 correct: 8 of 10 outside < 90 % → not.
        let swapped = policeRow(lon: "50.4", lat: "-4.1"), paris = policeRow(lon: "2.35", lat: "48.85"), right = policeRow()
        var mixed = [policeFile("m-street.csv", Array(repeating: swapped, count: 9) + [paris])]
        let m = try PoliceStreetLoader.load(readers: &mixed)
        #expect(m.swappedCoordinateMessages == ["m-street.csv: 10 of 10 points lie outside Great Britain, and 9 of them would lie inside with Longitude and Latitude swapped; check the column order"])
        var mostlyRight = [policeFile("r-street.csv", Array(repeating: swapped, count: 8) + [right, right])]
        #expect(try PoliceStreetLoader.load(readers: &mostlyRight).swappedCoordinateFiles.isEmpty)
    }
}

@Suite("police.uk loader: whole-file errors")
struct PoliceWholeFileErrorTests {
    /// No message shows `:0:0:` or a Swift type name.
    func expectPlain(_ e: CSVError, sourceLocation: SourceLocation = #_sourceLocation) {
        for bad in [":0:0", "CSVError", "Kind", "Optional(", "Swift."] {
            #expect(!e.description.contains(bad), "\(e.description)", sourceLocation: sourceLocation)
        }
    }

    @Test func emptyFileNamesOnlyTheFile() throws {
        let dir = try temporaryFolder()
        let path = dir + "/2020-01-empty-street.csv"
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        do { _ = try PoliceStreetLoader.load(paths: [path]); Issue.record("no error") } catch {
            #expect(error.description == "\(path): file is empty (no header row)")
            expectPlain(error)
        }
    }

    @Test func missingColumnNamesTheColumnTheFileAndTheColumnsFound() {
        var r = CSVReader(bytes: Array("Month,Longitude,Latitude,Crime type\n2020-01,1,2,Drugs\n".utf8), name: "x.csv")
        do { _ = try PoliceStreetLoader.load(reader: &r, filter: PoliceFilter(), lenient: true); Issue.record("no error") } catch {
            #expect(error == CSVError(.missingColumnAmong("LSOA code", found: ["Month", "Longitude", "Latitude", "Crime type"]), file: "x.csv", line: 0, column: 0))
            #expect(error.description == "x.csv: header has no column 'LSOA code'; columns found: 'Month', 'Longitude', 'Latitude', 'Crime type'")
            expectPlain(error)
        }
    }

    @Test func noFilesFoundAndUnopenableFilesNameOnlyThePath() throws {
        let dir = try temporaryFolder()
        do { _ = try PoliceStreetLoader.load(paths: [dir]); Issue.record("no error") } catch {
            #expect(error.description == "\(dir): no police.uk '*-street.csv' files found")
            expectPlain(error)
        }
        do { _ = try PoliceStreetLoader.load(paths: ["/nonexistent/folder"]); Issue.record("no error") } catch {
            #expect(error.description == "/nonexistent/folder: no such file or folder")
            expectPlain(error)
        }
        #expect(CSVError(.io("cannot open: No such file or directory"), file: "f.csv", line: 0, column: 0).description
                == "f.csv: cannot open: No such file or directory")
    }
}

@Suite("Row accounting report: new reasons")
struct AccountingReportReasonTests {
    @Test func jsonListsEveryReasonIncludingTheNewOnesAndBalances() throws {
        var r = policeFile("l-street.csv", PoliceLSOACodeTests.rows)
        let (_, a) = try PoliceStreetLoader.load(reader: &r, filter: PoliceFilter(), lenient: true)
        let json = AccountingReport.json(a).serialized(pretty: false)
        // From the LSOA test file: 5 read, 4 used, 1 invalid code.
        #expect(json.contains(#""invalid_lsoa_code":1"#) && json.contains(#""duplicate_crime_id":0"#))
        #expect(json.contains(#""rows_read":5"#) && json.contains(#""rows_used":4"#) && json.contains(#""balanced":true"#))
        #expect(AccountingReport.table(a).contains("skipped: invalid LSOA code"))
    }

    @Test func loadJSONCarriesTheDiagnostics() throws {
        var r = PoliceDuplicateCrimeIDTests.readers() + [policeFile("u-street.csv", PoliceUnknownCrimeTypeTests.rows)]
        let res = try PoliceStreetLoader.load(readers: &r)
        let json = AccountingReport.json(res).serialized(pretty: false)
        // 2 duplicates (see PoliceDuplicateCrimeIDTests) and the 2 + 1 unknown-type rows.
        #expect(json.contains(#""duplicate_crime_ids":2"#) && json.contains(#""balanced":true"#))
        #expect(json.contains(#""unknown_crime_types":[{"label":"Violence and sexual offences\#u{00C3}","rows":2},{"label":"Violent crime","rows":1}]"#))
        #expect(json.contains(#""swapped_coordinate_files":[]"#) && res.warnings.count == 2)
    }
}
