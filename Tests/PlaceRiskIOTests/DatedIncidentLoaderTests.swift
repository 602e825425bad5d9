import Foundation
import Testing
@testable import PlaceRiskIO
@testable import PlaceRiskCore

/// Writes `text` to a temporary file and returns its path.
private func temp(_ text: String, name: String = "in.csv") throws -> String {
    let p = try temporaryFolder() + "/" + name
    try text.write(toFile: p, atomically: true, encoding: .utf8)
    return p
}

private func schema(_ text: String) throws -> IncidentSchema { try IncidentSchema.parse(text, origin: "test.schema") }

private let simpleSchema = """
date = when
easting = e
northing = n
"""

@Suite("Dated incident loader")
struct DatedIncidentLoaderTests {
    /// Edinburgh collisions through a schema file (dd/mm/yyyy + hour + minute columns, BNG): every row
    /// used; instants equal pandas' tz_localize('Europe/London') (values in Fixtures/dated/README.md).
    @Test func edinburghCollisionsLoadThroughASchemaFile() throws {
        let s = try IncidentSchema.named(fixturePath("dated/edinburgh_collisions.schema"))
        #expect(s.name == "edinburgh_collisions")
        let d = try DatedIncidentLoader.read(path: fixturePath("dated/edinburgh_2012_accident_first200.csv"), schema: s)
        #expect(d.accounting.rowsRead == 200 && d.accounting.rowsUsed == 200 && d.accounting.isBalanced)
        #expect(Array(d.start.prefix(3)) == [1_325_383_200, 1_325_442_600, 1_325_439_000])
        #expect(d.timed.allSatisfy { $0 })
        #expect(d.location.allSatisfy { $0 == .point })
        #expect(d.x[0] == 326_450 || d.x[0] > 300_000)
        let sev = Dictionary(grouping: d.category.codes, by: { d.category.labels[Int($0)] }).mapValues(\.count)
        #expect(sev == ["Slight": 163, "Serious": 33, "Fatal": 4])
    }

    /// LFB: "01 Jan 2009" dates with a separate time column; the 6 dwellings (coordinates blanked) are
    /// home-located (kept, never points); the other 14 are points.
    @Test func lfbDwellingsAreHomeLocatedNotPoints() throws {
        let s = try IncidentSchema.named(fixturePath("dated/lfb.schema"))
        let d = try DatedIncidentLoader.read(path: fixturePath("dated/lfb_incident_data_sample.csv"), schema: s)
        #expect(d.accounting.rowsUsed == 20)
        #expect(d.location.filter { $0 == .home }.count == 6)
        #expect(d.location.filter { $0 == .point }.count == 14)
        #expect(d.x.indices.filter { d.location[$0] == .home }.allSatisfy { d.x[$0].isNaN })
        // 01 Jan 2009 00:00:37 GMT (winter: local = UTC) = 1230768037 (Python datetime).
        #expect(d.start[0] == 1_230_768_037 && d.end(at: 0) == d.start[0] && d.ends == nil)
    }

    /// BST by the last-Sunday rule, against Python zoneinfo Europe/London: the spring gap reads as GMT
    /// (pandas' shift_forward agrees: 01:30 → 02:30 BST = 01:30 UTC), the autumn overlap as BST (fold 0).
    @Test func ukLocalTimeFollowsTheLastSundayRule() throws {
        let cases: [(String, Int64)] = [("2024-03-31 00:30", 1_711_845_000), ("2024-03-31 02:30", 1_711_848_600),
                                        ("2024-10-27 01:30", 1_729_989_000), ("2024-10-27 02:30", 1_729_996_200),
                                        ("2024-07-01 12:00", 1_719_831_600), ("2023-03-26 03:00", 1_679_796_000)]
        let csv = "when,e,n\n" + cases.map { "\($0.0),400000,100000" }.joined(separator: "\n") + "\n"
        let d = try DatedIncidentLoader.read(path: try temp(csv), schema: try schema(simpleSchema))
        #expect(d.start == cases.map(\.1))
        // 2024-03-31 01:30 local does not exist: read as GMT = 01:30 UTC.
        #expect(UKLocalTime.utc(date: CivilDate(year: 2024, month: 3, day: 31)!, secondOfDay: 5400) == 1_711_848_600)
        #expect(UKLocalTime.components(utc: 1_719_831_600).hour == 12)
    }

    /// Impossible dates and times are counted skips with the reason and place, never crashes.
    @Test func impossibleDatesAndTimesAreCountedSkips() throws {
        let csv = """
        when,e,n
        2024-02-30,400000,100000
        2024-02-29 25:00,400000,100000
        2023-13-01,400000,100000
        31/04/2024,400000,100000
        2024-02-29 23:59,400000,100000
        ,400000,100000
        yesterday,400000,100000

        """
        let d = try DatedIncidentLoader.read(path: try temp(csv), schema: try schema(simpleSchema))
        #expect(d.accounting.rowsRead == 7 && d.accounting.rowsUsed == 1)
        #expect(d.accounting.skipped[.invalidDate] == 5 && d.accounting.skipped[.noDate] == 1)
        #expect(d.accounting.examples[0].contains(":2:") && d.accounting.examples[0].contains("'2024-02-30' is not a possible date or time (day 30 of Feb 2024)"))
        #expect(d.accounting.examples[1].contains("hour 25"))
        #expect(d.accounting.examples[2].contains("month 13"))
    }

    /// A window that ends before it starts is skipped with its reason; a to-date without a time runs to
    /// the end of that day.
    @Test func windowsEndingBeforeTheyStartAreSkipped() throws {
        let s = try schema("date = from\ntime = from_t\nto_date = to\nto_time = to_t\neasting = e\nnorthing = n\ndate_format = dd/mm/yyyy")
        let csv = "from,from_t,to,to_t,e,n\n05/01/2024,22:00,06/01/2024,06:00,400000,100000\n06/01/2024,22:00,05/01/2024,06:00,400000,100000\n05/01/2024,,07/01/2024,,400000,100000\n"
        let d = try DatedIncidentLoader.read(path: try temp(csv), schema: s)
        #expect(d.accounting.rowsUsed == 2 && d.accounting.skipped[.reversedWindow] == 1)
        #expect(d.end[0] - d.start[0] == 8 * 3600)
        #expect(d.end[1] - d.start[1] == 3 * 86400)
    }

    /// A schema naming a column the file lacks is an error naming it and the header.
    @Test func aSchemaNamingAMissingColumnIsAnError() throws {
        let p = try temp("when,e,n\n2024-01-01,400000,100000\n")
        #expect(throws: CSVError.self) { try DatedIncidentLoader.read(path: p, schema: try schema("date = when\neasting = east\nnorthing = n")) }
        do { _ = try DatedIncidentLoader.read(path: p, schema: try schema("date = when\neasting = east\nnorthing = n")) } catch {
            #expect((error as? CSVError)?.description.contains("'east'") == true)
        }
        #expect(throws: CSVError.self) { try schema("date = when\nwhere = e") }   // unknown key
        #expect(throws: CSVError.self) { try schema("easting = e\nnorthing = n") }  // no date
    }

    /// Longitude and latitude swapped, metres in degree columns, degrees in BNG columns and a mix of the
    /// two in one file: clear errors with the line.
    @Test func coordinatesInTheWrongColumnsAreErrors() throws {
        let ll = try schema("date = d\nlongitude = lon\nlatitude = lat")
        let swapped = try temp("d,lon,lat\n2024-01-01,51.5074,-0.1278\n")
        #expect { try DatedIncidentLoader.read(path: swapped, schema: ll) } throws: { ($0 as? CSVError)?.description.contains("look swapped") == true }
        let metres = try temp("d,lon,lat\n2024-01-01,530000,180000\n")
        #expect { try DatedIncidentLoader.read(path: metres, schema: ll) } throws: { ($0 as? CSVError)?.description.contains("hold metres") == true }
        let degreesInBNG = try temp("when,e,n\n2024-01-01,-0.1278,51.5074\n")
        #expect { try DatedIncidentLoader.read(path: degreesInBNG, schema: try schema(simpleSchema)) } throws: { ($0 as? CSVError)?.description.contains("hold degrees") == true }
        let mixed = try temp("d,lon,lat\n2024-01-01,-0.1278,51.5074\n2024-01-02,530000,180000\n")
        #expect { try DatedIncidentLoader.read(path: mixed, schema: ll) } throws: { ($0 as? CSVError)?.description.contains("mix of coordinate systems") == true }
        // A correct lon/lat file projects to BNG (London ≈ 530 km E, 180 km N).
        let ok = try DatedIncidentLoader.read(path: try temp("d,lon,lat\n2024-01-01,-0.1278,51.5074\n"), schema: ll)
        #expect(abs(ok.x[0] - 530_000) < 2_000 && abs(ok.y[0] - 180_500) < 2_000)
    }

    /// Month-only dates (police.uk's YYYY-MM) are refused with the sentence that day-level analyses need days.
    @Test func monthOnlyDatesAreRefused() throws {
        let p = try temp("x,y,date\n400000,100000,2020-01\n400100,100100,2020-02\n")
        #expect { try DatedIncidentLoader.read(path: p, schema: .points) } throws: { ($0 as? CSVError)?.description.contains("need days") == true }
    }

    /// The built-in points schema reads x,y[,weight][,date]; ISTV's home rows keep their LSOA.
    @Test func builtInSchemasReadPointsAndISTV() throws {
        let p = try DatedIncidentLoader.read(path: try temp("id,x,y,weight,date\n1,400000,100000,2,2024-05-01\n2,400100,100100,1,2024-05-03\n"), schema: .points)
        #expect(p.count == 2 && p.weight == [2, 1] && p.dated && p.timed == [false, false])
        #expect(p.end[0] - p.start[0] == 86400)
        let istv = """
        site_code,arrival_date_time,assault_date_time,assault_method,assault_method_other,assault_location_type,assault_location_description,lsoa_code,easting,northing
        RXX01,2024-05-04 23:40,2024-05-04 23:10,Knife,,Street,High St,E01000001,530000,180000
        RXX01,2024-05-05 02:10,2024-05-05 01:30,Body part,,Home,not published,E01000002,,

        """
        let i = try DatedIncidentLoader.read(path: try temp(istv), schema: .istv)
        #expect(i.count == 2 && i.location == [.point, .home] && i.lsoa == ["E01000001", "E01000002"])
        #expect(i.weapon.labels == ["Knife", "Body part"])
        #expect(IncidentSchema.istv.isHealthSource)
    }

    /// A file of date-times stores no window ends (every end = its start); one window anywhere — in the
    /// plain-line shortcut or in a row the row rules read, in the first chunk or the last — fills `end`
    /// for every row, the point times' ends equal to their starts. By both reads, at chunk sizes from
    /// 64 bytes (one line or two per chunk) up, on 1–3 workers. (Ends by hand: a date alone is its
    /// whole local day, 86,400 s in May; a date-time is [t, t].)
    @Test func windowEndsAreStoredOnlyWhenSomeRowIsAWindow() throws {
        let header = "x,y,date\n"
        let points = (0 ..< 40).map { "4000\($0 % 10)0,100000,2024-05-\(10 + $0 % 9) 1\($0 % 10):30\n" }.joined()
        for d in [try DatedIncidentLoader.read(path: try temp(header + points), schema: .points),
                  try DatedIncidentLoader.readSequential(path: try temp(header + points), schema: .points)] {
            #expect(d.count == 40 && d.end.isEmpty && d.ends == nil && d.end(at: 39) == d.start[39])
        }
        // A whole day at row 35 (the shortcut takes it), or one at row 2 that only the row rules read
        // (an easting with a decimal point is not the shortcut's).
        let late = header + points.split(separator: "\n").enumerated().map { $0.offset == 35 ? "400000,100000,2024-05-20" : String($0.element) }.joined(separator: "\n") + "\n"
        let early = header + points.split(separator: "\n").enumerated().map { $0.offset == 2 ? "400000.5,100000,2024-05-03" : String($0.element) }.joined(separator: "\n") + "\n"
        for (text, row) in [(late, 35), (early, 2)] {
            let path = try temp(text)
            var loads = [try DatedIncidentLoader.readSequential(path: path, schema: .points)]
            for bs in [64, 200, 1 << 20] { for w in [1, 2, 3] { loads.append(try DatedChunkWaves.read(path: path, schema: .points, lenient: true, blockSize: bs, workers: w)) } }
            for d in loads {
                #expect(d.count == 40 && d.end.count == 40)
                #expect(d.end[row] - d.start[row] == 86400)
                #expect((0 ..< d.count).filter { $0 != row }.allSatisfy { d.end[$0] == d.start[$0] })
                #expect(d.start == loads[0].start && d.end == loads[0].end)
            }
        }
    }

    /// A file with no weight column stores no weights (every row weighs 1), by either read; a weight
    /// column is stored, an empty field read as 1. (Weights by hand from the rows written.)
    @Test func aFileWithoutAWeightColumnStoresNoWeights() throws {
        let none = try temp("x,y,date\n400000,100000,2024-05-01\n400100,100100,2024-05-03\n")
        for d in [try DatedIncidentLoader.read(path: none, schema: .points), try DatedIncidentLoader.readSequential(path: none, schema: .points)] {
            #expect(d.count == 2 && d.weight.isEmpty && d.weights == nil && d.weight(at: 0) == 1 && d.weight(at: 1) == 1)
        }
        let some = try temp("x,y,weight,date\n400000,100000,,2024-05-01\n400100,100100,2.5,2024-05-03\n")
        for d in [try DatedIncidentLoader.read(path: some, schema: .points), try DatedIncidentLoader.readSequential(path: some, schema: .points)] {
            #expect(d.weights == [1, 2.5] && d.weight(at: 1) == 2.5)
        }
    }

    /// Date parsing by hand: leap years, the three formats, zones.
    @Test func datesParseInEveryDocumentedFormat() {
        func ok(_ s: String, _ f: DateFormat) -> ParsedDateTime? { if case .success(let v) = DateTimeText.parse(s, format: f) { return v }; return nil }
        #expect(ok("2024-02-29", .auto)?.date == CivilDate(year: 2024, month: 2, day: 29))
        #expect(ok("2023-02-29", .auto) == nil && ok("1900-02-29", .iso) == nil && ok("2000-02-29", .iso) != nil)
        #expect(ok("01/02/2024 13:05", .auto)?.date == CivilDate(year: 2024, month: 2, day: 1))
        #expect(ok("01/02/2024 13:05", .auto)?.second == 13 * 3600 + 300)
        #expect(ok("01 Jan 2009", .auto)?.date == CivilDate(year: 2009, month: 1, day: 1))
        #expect(ok("01-Mar-2009", .dMonY)?.date.month == 3)
        #expect(ok("2024-06-01T12:00:00Z", .iso)?.offset == 0)
        #expect(ok("2024-06-01T12:00:00+01:00", .iso)?.offset == 3600)
        #expect(ok("2024-06-01 24:00", .iso) == nil)
    }
}
