import Foundation
import Testing
@testable import PlaceRiskIO
@testable import PlaceRiskCore

private func temp(_ text: String, name: String) throws -> String {
    let p = try temporaryFolder() + "/" + name
    try text.write(toFile: p, atomically: true, encoding: .utf8)
    return p
}

private func loadError(_ text: String) throws -> String {
    do { _ = try Gazetteer.load(path: try temp(text, name: "g.csv")); return "" } catch { return "\(error)" }
}

/// Free-text places matched against a user's gazetteer (Fixtures/dated/README.md: the gazetteer is
/// eight House of Commons Library neighbourhood names of Devon & Cornwall with the point and LSOA of
/// each one's first LSOA; expected matches are by hand from the rules in Gazetteer.swift).
@Suite("Gazetteer")
struct GazetteerTests {
    /// The three steps by hand: exact; normalised (case, punctuation, `&` = `and`, apostrophes dropped);
    /// abbreviated (`Saint` = `St`). A text in no step is `.none`, as is an empty one.
    @Test func matchesExactlyThenNormalisedThenAbbreviated() throws {
        let g = try Gazetteer.load(path: fixturePath("dated/gazetteer_dc_neighbourhoods.csv"))
        #expect(g.count == 8 && g.givesPoints && g.givesLSOAs)
        #expect(g.match("St Budeaux") == .exact(0))
        #expect(g.match("  St Budeaux ") == .exact(0))
        #expect(g.match("st. budeaux") == .normalised(0))
        #expect(g.match("ST-BUDEAUX") == .normalised(0))
        #expect(g.match("Saint Budeaux") == .abbreviated(0))
        #expect(g.match("Kings Tamerton and West Park") == .normalised(1))
        #expect(g.match("King’s Tamerton & West Park") == .normalised(1))   // typographic apostrophe
        #expect(g.match("city centre barbican & sutton harbour") == .normalised(6))
        #expect(g.match("Plympton Saint Mary") == .abbreviated(7))
        #expect(g.match("Budeaux") == .none && g.match("") == .none)
        // The entry's place as written in the fixture (centroid of Plymouth 009A, E01015076).
        #expect(g.places[0] == Gazetteer.Place(x: 245493, y: 57769, lsoa: "E01015076"))
        #expect(Gazetteer.normalised("  St. Mary's  &  St-John ") == "st marys and st john")
        #expect(Gazetteer.abbreviated("Saint Mary's Road") == "st marys rd")
    }

    /// Names equal once normalised with different places: a whole-file error at the second one's line
    /// and column, naming the first's line. The same name twice with the same place is fine.
    @Test func duplicateNamesWithDifferentPlacesAreAWholeFileError() throws {
        let e = try loadError("name,easting,northing\nSt Budeaux,245493,57769\nOther,1000,2000\n\"x\",3,4\n")
        #expect(e.contains("BNG easting"))   // degrees-like numbers in BNG columns: row 4
        let dup = try loadError("name,easting,northing\nSt Budeaux,245493,57769\nOther,100000,200000\nst budeaux,245000,57000\n")
        #expect(dup.contains("g.csv:4:1:") && dup.contains("line 2") && dup.contains("names must be unique"))
        let exactDup = try loadError("id,name,lsoa_code\n1,Mutley Plain,E01015151\n2,Mutley Plain,E01015152\n")
        #expect(exactDup.contains("g.csv:3:3:") && exactDup.contains("already on line 2"))
        let same = try Gazetteer.load(path: try temp("name,lsoa_code\nMutley Plain,E01015151\nMUTLEY PLAIN,E01015151\n", name: "g.csv"))
        #expect(same.count == 1 && same.match("MUTLEY PLAIN") == .exact(0))
    }

    /// Names that meet only once abbreviations are read as one may differ in the file; a text that
    /// reaches them only at that step is ambiguous.
    @Test func abbreviationCollisionsAreAmbiguousNotErrors() throws {
        let g = try Gazetteer.load(path: try temp("name,easting,northing\nSt Johns Road,247000,55000\nSaint Johns Rd,290000,92000\n", name: "g.csv"))
        #expect(g.match("St Johns Rd") == .ambiguous([0, 1]))
        #expect(g.match("st johns road") == .normalised(0))
        #expect(g.match("Saint Johns Rd") == .exact(1))
    }

    /// A gazetteer's defects: no name column, no place column, a row without a place, an invalid
    /// LSOA code, lon/lat swapped, BNG and lon/lat both — each an error with file:line:column.
    @Test func gazetteerDefectsAreErrorsWithTheirPlace() throws {
        #expect(try loadError("place_id,easting,northing\n1,2,3\n").contains("no column 'name'"))
        #expect(try loadError("name,notes\nA,b\n").contains("needs a place for each name"))
        #expect(try loadError("name,easting,northing,lsoa_code\nA,,,\n").contains("g.csv:2:1:") )
        #expect(try loadError("name,lsoa_code\nA,E0101515\n").contains("g.csv:2:3:"))
        #expect(try loadError("name,longitude,latitude\nA,50.37,-4.14\n").contains("look swapped"))
        #expect(try loadError("name,longitude,latitude\nA,247390,54967\n").contains("looks like metres"))
        #expect(try loadError("name,easting,northing,lon,lat\nA,1,2,3,4\n").contains("not both"))
        // lon/lat projected to BNG: Plymouth 029A's centroid (-4.14757, 50.37473) → (247390, 54967) in the
        // centroids file; a 7-parameter Helmert is good to a few metres (conventions §1).
        let ll = try Gazetteer.load(path: try temp("name,lon,lat\nMutley,-4.14757,50.37473\n", name: "g.csv"))
        #expect(abs(ll.places[0].x - 247390) < 10 && abs(ll.places[0].y - 54967) < 10)
    }

    /// A dated source with a `place` column: matched rows get the entry's point and LSOA; unmatched
    /// places are skipped as place_not_in_gazetteer, listed with their rows (most first) in the report
    /// and the ledger's examples; an empty place is kept with no location.
    @Test func placesResolveThroughTheSchemasGazetteer() throws {
        let s = try IncidentSchema.named(fixturePath("dated/places.schema"))
        #expect(s.gazetteerPath == fixturePath("dated/gazetteer_dc_neighbourhoods.csv"))
        let d = try DatedIncidentLoader.read(path: fixturePath("dated/places_incidents.csv"), schema: s)
        #expect(d.accounting.rowsRead == 12 && d.accounting.rowsUsed == 8 && d.accounting.isBalanced)
        #expect(d.accounting.skipped[.placeNotInGazetteer] == 4)
        let r = d.placeResolution
        #expect(r.exactRows == 1 && r.normalisedRows == 4 && r.abbreviatedRows == 2 && r.emptyPlaceRows == 1)
        #expect(r.notInGazetteer == [LabelRows(label: "Nowhere", rows: 3, firstLine: 9), LabelRows(label: "Atlantis", rows: 1, firstLine: 12)])
        #expect(d.accounting.examples.contains { $0.contains("'Nowhere' is not in the gazetteer") && $0.contains("3 rows, first on line 9") })
        #expect(d.location == [.point, .point, .point, .point, .point, .point, .point, .noCoordinates])
        #expect(d.x[2] == 245493 && d.y[2] == 57769)   // "Saint Budeaux"
        #expect(d.lsoa == ["E01015076", "E01015076", "E01015076", "E01015085", "E01019008", "E01015120", "E01015053", ""])
        #expect(d.ageBand.label(7) == "11-15" && d.line.last == 13)
        // Strict mode stops at the first unmatched place.
        #expect { try DatedIncidentLoader.read(path: fixturePath("dated/places_incidents.csv"), schema: s, lenient: false) } throws: {
            ($0 as? CSVError)?.description.contains("'Nowhere' is not in the gazetteer") == true
        }
    }

    /// Ambiguous texts are skipped by their reason; a place column with no gazetteer, a gazetteer
    /// with no place column and a place with coordinates are schema errors.
    @Test func ambiguousPlacesAreSkippedAndSchemasAreChecked() throws {
        let dir = try temporaryFolder()
        try "name,easting,northing\nSt Johns Road,247000,55000\nSaint Johns Rd,290000,92000\n".write(toFile: dir + "/g.csv", atomically: true, encoding: .utf8)
        try "d,p\n2024-01-01,St Johns Rd\n2024-01-02,st johns road\n".write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
        try "date = d\nplace = p\ngazetteer = g.csv\n".write(toFile: dir + "/s.schema", atomically: true, encoding: .utf8)
        let d = try DatedIncidentLoader.read(path: dir + "/in.csv", schema: try IncidentSchema.named(dir + "/s.schema"))
        #expect(d.count == 1 && d.accounting.skipped[.placeAmbiguous] == 1 && d.x == [247000])
        #expect(d.accounting.examples[0].contains("in.csv:2:") && d.accounting.examples[0].contains("'St Johns Road' (line 2)"))
        #expect(throws: CSVError.self) { try IncidentSchema.parse("date = d\ngazetteer = g.csv", origin: "x.schema") }
        #expect(throws: CSVError.self) { try IncidentSchema.parse("date = d\nplace = p\neasting = e\nnorthing = n", origin: "x.schema") }
        let noGazetteer = try IncidentSchema.parse("date = d\nplace = p", origin: "x.schema")
        #expect { try DatedIncidentLoader.read(path: dir + "/in.csv", schema: noGazetteer) } throws: {
            ($0 as? CSVError)?.description.contains("no gazetteer") == true
        }
    }
}
