import Foundation
import Testing
import PlaceRiskCore
@testable import PlaceRiskIO

/// Reads `lsoa_code,month,count` oracle rows into a dictionary keyed "code|month".
func oracleCounts(_ text: String) -> [String: Int32] {
    var d: [String: Int32] = [:]
    for line in text.split(separator: "\n").dropFirst() {
        let f = line.split(separator: ",")
        d["\(f[0])|\(f[1])"] = Int32(f[2])!
    }
    return d
}

/// Our lsoa × month counts as the same dictionary.
func ourCounts(_ t: IncidentTable) -> [String: Int32] {
    let span = t.monthSpan!
    let r = IncidentAggregator.aggregate(t, .init(key: .lsoaMonth, months: span))
    var d: [String: Int32] = [:]
    let months = Array(span)
    for u in 0 ..< r.counts.unitCount {
        for m in 0 ..< months.count {
            let c = r.counts.counts[r.counts.index(unit: u, month: m)]
            if c > 0 { d["\(r.unitLabels[u])|\(months[m])"] = c }
        }
    }
    return d
}

@Suite("police.uk street-level loader")
struct PoliceStreetLoaderTests {
    /// Expected numbers: police_sample_expected.json, computed with pandas 3.1.1 from the same fixture files.
    struct Expected: Decodable {
        let rows: Int, no_coordinates: Int, with_lsoa: Int, violence: Int
        let by_type: [String: Int], lsoa_month: [String: Int]
    }

    func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(fixtureText("police_sample_expected.json").utf8))
    }

    @Test func loadsFoldersRecursivelyPickingStreetFilesOnly() throws {
        let files = try FileDiscovery.files(from: [fixturePath("police_sample")], suffix: PoliceStreetLoader.fileSuffix)
        #expect(files.map { ($0 as NSString).lastPathComponent } == ["2018-10-devon-and-cornwall-street.csv", "2020-01-devon-and-cornwall-street.csv"])
    }

    @Test func everyRowIsLoadedWithTypesCoordinatesAndLSOAsAsPandasSees() throws {
        let e = try expected()
        let r = try PoliceStreetLoader.load(paths: [fixturePath("police_sample")])
        let t = r.table
        #expect(r.accounting.rowsRead == e.rows && r.accounting.rowsUsed == e.rows && r.accounting.isBalanced)
        #expect(t.count == e.rows)
        #expect(t.location.filter { $0 == .noCoordinates }.count == e.no_coordinates)
        #expect(t.lsoaID.filter { $0 >= 0 }.count == e.with_lsoa)
        var byType: [String: Int] = [:]
        for i in 0 ..< t.count { byType[t.crimeType(i).label, default: 0] += 1 }
        #expect(byType == e.by_type)
        #expect(t.crimeTypes.allSatisfy { $0.standardIndex != nil })
        let expectedLM = e.lsoa_month.mapValues { Int32($0) }
        #expect(ourCounts(t) == expectedLM)
        // Text columns: the first CRLF row (verbatim from the 2020-01 file, ASB, so no crime ID).
        let first = (0 ..< t.count).first { t.month($0) == YearMonth(year: 2020, month: 1) }!
        #expect(t.locationText[first] == "On or near The Strand" && t.crimeID[first] == "" && t.outcome[first] == "")
        #expect(t.lsoaCode(first) == "E01018936" && t.lsoaNames[Int(t.lsoaID[first])] == "Cornwall 001A")
        #expect(abs(t.longitude[first] - -4.544117) < 1e-12 && t.location[first] == .projected)
        #expect(t.forces == ["Devon & Cornwall Police"])
    }

    @Test func filtersAreCountedAsSkipsByReason() throws {
        let e = try expected()
        let f = PoliceFilter(crimeTypes: [.violenceAndSexualOffences], from: YearMonth(year: 2020, month: 1))
        let r = try PoliceStreetLoader.load(paths: [fixturePath("police_sample")], filter: f)
        let rows2018 = 115
        #expect(r.accounting.skipped[.filteredMonth] == rows2018)
        #expect(r.accounting.isBalanced && r.accounting.rowsRead == e.rows)
        #expect(r.table.count + (r.accounting.skipped[.filteredCrimeType] ?? 0) == e.rows - rows2018)
        #expect((0 ..< r.table.count).allSatisfy { r.table.crimeType($0) == .violenceAndSexualOffences })
        let none = try PoliceStreetLoader.load(paths: [fixturePath("police_sample")], filter: PoliceFilter(forces: ["Avon and Somerset Constabulary"]))
        #expect(none.table.count == 0 && none.accounting.skipped[.filteredForce] == e.rows)
    }

    /// A hand-made file with one problem per row; expected skips by hand.
    static let broken = """
    Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\r
    abc,2020-01,F,F,-4.1,50.4,"On or near Road, Plymouth",E01015023,Plymouth 003A,Burglary,Under investigation,\r
    short,2020-01,F,F,-4.1,50.4\r
    ,2020-13,F,F,-4.1,50.4,On or near X,E01015023,Plymouth 003A,Burglary,,\r
    ,2020-01,F,F,west,50.4,On or near X,E01015023,Plymouth 003A,Burglary,,\r
    ,2020-01,F,F,2.35,48.85,On or near Paris,,,Other crime,,\r
    ,2020-01,F,F,,,No location,,,Violent crime,,
    """

    @Test func malformedRowsAreCountedWithFileLineAndColumnOrThrownInStrictMode() throws {
        var lenient = CSVReader(bytes: Array(Self.broken.utf8), name: "broken-street.csv")
        let (t, a) = try PoliceStreetLoader.load(reader: &lenient, filter: PoliceFilter(), lenient: true)
        #expect(a.rowsRead == 6 && a.rowsUsed == 3 && a.skipped[.malformed] == 3 && a.isBalanced)
        #expect(a.examples == [
            "broken-street.csv:3:28: expected 12 fields, found 6",
            "broken-street.csv:4:2: column 'Month': '2020-13' is not a YYYY-MM month",
            "broken-street.csv:5:14: column 'Longitude': 'west' is not a number of degrees",
        ])
        #expect(t.locationText[0] == "On or near Road, Plymouth")
        #expect(t.location == [.projected, .outsideBNG, .noCoordinates])
        #expect(t.crimeType(2) == .unknown("Violent crime"))
        var strict = CSVReader(bytes: Array(Self.broken.utf8), name: "broken-street.csv")
        #expect(throws: CSVError(.fieldCount(expected: 12, found: 6), file: "broken-street.csv", line: 3, column: 28)) {
            _ = try PoliceStreetLoader.load(reader: &strict, filter: PoliceFilter(), lenient: false)
        }
    }

    @Test func missingRequiredColumnIsNamed() {
        var r = CSVReader(bytes: Array("Month,Longitude,Latitude,Crime type\n2020-01,1,2,Drugs\n".utf8), name: "x.csv")
        // A whole-file error (line 0): the message names the file, the column and the columns found.
        #expect(throws: CSVError(.missingColumnAmong("LSOA code", found: ["Month", "Longitude", "Latitude", "Crime type"]), file: "x.csv", line: 0, column: 0)) {
            _ = try PoliceStreetLoader.load(reader: &r, filter: PoliceFilter(), lenient: true)
        }
    }

    /// Done-when: LSOA × month counts from the raw bundled files (datasets/, 2020-01..03, 30,135 rows,
    /// CRLF) equal an independent pandas groupby of the same files
    /// (Fixtures/pandas_lsoa_month_counts_2020Q1.csv; provenance in Fixtures/PANDAS_ORACLE.md).
    @Test func lsoaMonthCountsOfBundledDataEqualPandasGroupby() throws {
        let folder = datasetsFolder + "/police_uk_devon_cornwall_street_2020-01_to_2020-03"
        let r = try PoliceStreetLoader.load(paths: [folder], keepText: false)
        #expect(r.accounting.rowsRead == 30_135) // pandas_summary_2020Q1.json: total rows
        #expect(r.table.location.filter { $0 == .noCoordinates }.count == 1_234)
        let ours = ourCounts(r.table)
        let pandas = oracleCounts(try fixtureText("pandas_lsoa_month_counts_2020Q1.csv"))
        #expect(pandas.count == 3_010 && pandas.values.reduce(0, +) == 28_901)
        #expect(ours == pandas)
        // The real files are clean: all 14 types are standard (pandas_summary_2020Q1.json lists
        // exactly the 14 police.uk categories), no Crime ID repeats across the three files
        // (`cut -d, -f1 *.csv | grep -v '^$' | sort | uniq -d` is empty), no swapped columns, no
        // invalid LSOA codes, no malformed rows.
        #expect(r.unknownCrimeTypes.isEmpty && r.duplicateCrimeIDs == 0 && r.swappedCoordinateFiles.isEmpty)
        #expect(r.accounting.rowsUsed == 30_135 && r.warnings.isEmpty)
        let v = try PoliceStreetLoader.load(paths: [folder], filter: PoliceFilter(crimeTypes: [.violenceAndSexualOffences]), keepText: false)
        #expect(ourCounts(v.table) == oracleCounts(try fixtureText("pandas_lsoa_month_violence_2020Q1.csv")))
    }
}

@Suite("Lookups and writers")
struct LookupAndWriterTests {
    /// First 40 data rows of the official IMD 2019 File 1 with its traps kept: BOM, CRLF,
    /// quoted thousands ("29,199"), no final newline.
    @Test func readsOfficialIMDFile1WithItsTraps() throws {
        let l = try DistrictLookupLoader.load(path: fixturePath("imd2019_file1_head.csv"))
        #expect(l.districtOfLSOA.count == 40)
        #expect(l.districtOfLSOA["E01000001"] == "E09000001" && l.districtNames["E09000001"] == "City of London")
        #expect(l.districtOfLSOA.values.contains("E09000002")) // Barking and Dagenham, the last rows
    }

    @Test func asciiGridWritesNorthRowFirstAndReadsBack() throws {
        let g = try Grid(xmin: 100, ymin: 200, cell: 10, ncols: 3, nrows: 2)
        let values: [Double] = [1, 2, 3, 4, 5, 6] // row 0 (south) = 1 2 3
        let text = ASCIIGrid.text(grid: g, values: values)
        #expect(text == "ncols 3\nnrows 2\nxllcorner 100\nyllcorner 200\ncellsize 10\nNODATA_value -9999\n4 5 6\n1 2 3\n")
        let back = try #require(ASCIIGrid.read(text: text))
        #expect(back.grid == g && back.values == values)
    }

    @Test func keyedCountsCSVIsSortedAndZeroFilledOnRequest() throws {
        let months = MonthRange(YearMonth(year: 2020, month: 1), YearMonth(year: 2020, month: 2))
        let kc = KeyedCounts(key: .lsoaMonth, unitCount: 2, months: months, crimeTypes: [], counts: [0, 3, 1, 0], sums: nil)
        let w = CSVWriter()
        try KeyedCountsWriter.writeCSV(kc, unitLabels: ["E01", "E02"], grid: nil, zeroFill: false, to: w)
        #expect(String(decoding: w.bytes, as: UTF8.self) == "lsoa_code,month,count\nE01,2020-02,3\nE02,2020-01,1\n")
        let z = CSVWriter()
        try KeyedCountsWriter.writeCSV(kc, unitLabels: ["E01", "E02"], grid: nil, zeroFill: true, to: z)
        #expect(String(decoding: z.bytes, as: UTF8.self).split(separator: "\n").count == 5)
        let g = try Grid(xmin: 0, ymin: 0, cell: 100, ncols: 2, nrows: 1)
        let cells = KeyedCounts(key: .cell, unitCount: 2, months: nil, crimeTypes: [], counts: [0, 7], sums: [0, 10.5])
        let c = CSVWriter()
        try KeyedCountsWriter.writeCSV(cells, unitLabels: [], grid: g, zeroFill: false, to: c)
        #expect(String(decoding: c.bytes, as: UTF8.self) == "cell_id,row,col,x,y,count,weighted\n1,0,1,150,50,7,10.5\n")
    }

    @Test func jsonEscapesAndOrdersKeys() {
        let v = JSONValue.object([("b", .string("a\"b\\c\n<")), ("a", .array([.int(1), .number(0.5), .number(.nan), .bool(true), .null]))])
        #expect(v.serialized(pretty: false) == #"{"b":"a\"b\\c\n<","a":[1,0.5,null,true,null]}"#)
    }
}

@Suite("SHA-256")
struct SHA256Tests {
    /// FIPS 180-4 / NIST example vectors: "abc", the empty string, the 448-bit two-block message, and
    /// one million 'a's; plus a file digest equal to `sha256sum` of the fixture (recorded here).
    @Test func matchesTheNISTVectors() throws {
        func hex(_ s: String) -> String { var h = SHA256(); h.update(Array(s.utf8)); return h.finalizeHex() }
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var m = SHA256()
        let chunk = [UInt8](repeating: 0x61, count: 1000)
        for _ in 0 ..< 1000 { m.update(chunk) }
        #expect(m.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // GNU coreutils sha256sum of the fixture.
        #expect(try SHA256.hexDigest(path: fixturePath("imd2019_file1_head.csv")) == "511ed0ce828c9eb9a31e98a90e19879d66db67ed4f04ca4101577b1cc9cd9358")
    }
}
