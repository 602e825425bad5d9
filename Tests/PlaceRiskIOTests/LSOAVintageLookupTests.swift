import Foundation
import Testing
@testable import PlaceRiskIO
@testable import PlaceRiskCore

private func temp(_ text: String, name: String, in dir: String) throws -> String {
    let p = dir + "/" + name
    try text.write(toFile: p, atomically: true, encoding: .utf8)
    return p
}

/// LSOA 2021 codes mapped back to 2011 codes through the ONS 2011 ↔ 2021 lookup. The fixture's rows
/// and where each comes from are in Fixtures/dated/README.md (U: E01015151 "Plymouth 029A"/"033A";
/// S: Plymouth 031A and Exeter 001F split; M: Cornwall 037C + 037D merged; X: invented codes).
@Suite("LSOA 2011/2021 lookup")
struct LSOAVintageLookupTests {
    static let lookupPath = fixturePath("dated/lsoa11_lsoa21_lookup_sample.csv")

    /// U and S map 1:1 (a split's parts to their parent), M and X have no single 2011 code.
    @Test func changeIndicatorsMapOrRefuse() throws {
        let l = try LSOAVintageLookup.load(path: Self.lookupPath)
        #expect(l.hasChangeIndicator && l.count2021 == 8)
        #expect(l.mapping(of2021: "E01015151") == .one("E01015151", split: false))
        #expect(l.mapping(of2021: "E01034157") == .one("E01015135", split: true))
        #expect(l.mapping(of2021: "E01034158") == .one("E01015135", split: true))
        #expect(l.mapping(of2021: "E01034629") == .one("E01033233", split: true))
        #expect(l.mapping(of2021: "E01034858") == .merged(["E01018775", "E01018776"]))
        #expect(l.mapping(of2021: "E01099911") == .irregular(["E01099901", "E01099902"]))
        #expect(l.mapping(of2021: "E01099912") == .irregular(["E01099902"]))   // X wins even with one partner
        #expect(l.mapping(of2021: "E01015023") == nil)
        #expect(l.codes2011.count == 7)
    }

    /// Without CHGIND (the best-fit layout) the relation is read from the rows: one partner → 1:1; several
    /// partners that belong to this code alone → merged; a partner shared with another 2021 code → irregular.
    @Test func withoutAChangeIndicatorTheShapeDecides() throws {
        let dir = try temporaryFolder()
        let rows = try String(contentsOfFile: Self.lookupPath, encoding: .utf8).split(separator: "\n").map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).enumerated().filter { $0.offset != 4 }.map(\.element).joined(separator: ",")
        }
        let l = try LSOAVintageLookup.load(path: try temp(rows.joined(separator: "\n") + "\n", name: "bestfit.csv", in: dir))
        #expect(!l.hasChangeIndicator)
        #expect(l.mapping(of2021: "E01015151") == .one("E01015151", split: false))
        #expect(l.mapping(of2021: "E01034157") == .one("E01015135", split: true))
        #expect(l.mapping(of2021: "E01034858") == .merged(["E01018775", "E01018776"]))
        #expect(l.mapping(of2021: "E01099911") == .irregular(["E01099901", "E01099902"]))
        #expect(l.mapping(of2021: "E01099912") == .one("E01099902", split: true))
    }

    /// The lookup's own contradictions and defects are whole-file errors with their line.
    @Test func lookupContradictionsAreErrors() throws {
        let dir = try temporaryFolder()
        func error(_ text: String) throws -> String {
            do { _ = try LSOAVintageLookup.load(path: try temp(text, name: "l.csv", in: dir)); return "" } catch { return "\(error)" }
        }
        #expect(try error("LSOA11CD,LSOA21CD,CHGIND\nE01018775,E01034858,M\n").contains("marked M"))
        #expect(try error("LSOA11CD,LSOA21CD,CHGIND\nE01018775,E01034858,S\nE01018776,E01034858,S\n").contains("has 2 2011 codes"))
        #expect(try error("LSOA11CD,LSOA21CD,CHGIND\nE01018775,E01034858,Q\n").contains("l.csv:2:21:"))
        #expect(try error("LSOA11CD,LSOA21CD\nE0101877,E01034858\n").contains("l.csv:2:1:"))
        #expect(try error("LSOA11CD,code\nE01018775,E01034858\n").contains("LSOA21CD"))
    }

    /// A 2021-vintage source through a schema: unchanged and split codes become 2011 codes; merged,
    /// irregular and unknown codes are skipped by reason, each listed with its rows.
    @Test func a2021SourceMapsToTheCodesOf2011() throws {
        let dir = try temporaryFolder()
        let csv = """
        d,lsoa
        2023-01-01,E01015151
        2023-01-02,E01034157
        2023-01-03,E01034158
        2023-01-04,E01034858
        2023-01-05,E01034858
        2023-01-06,E01099911
        2023-01-07,E01015023
        2023-01-08,
        2023-01-09,e01034628

        """
        let p = try temp(csv, name: "in.csv", in: dir)
        var s = try IncidentSchema.parse("date = d\nlsoa = lsoa\nlsoa_vintage = 2021", origin: dir + "/s.schema")
        #expect { try DatedIncidentLoader.read(path: p, schema: s) } throws: { ($0 as? CSVError)?.description.contains("gives no lookup") == true }
        s.lsoaLookupPath = Self.lookupPath
        let d = try DatedIncidentLoader.read(path: p, schema: s)
        #expect(d.accounting.rowsRead == 9 && d.accounting.rowsUsed == 5 && d.accounting.isBalanced)
        #expect(d.lsoa == ["E01015151", "E01015135", "E01015135", "", "E01033233"])
        #expect(d.accounting.skipped[.lsoaMerged] == 2 && d.accounting.skipped[.lsoaIrregular] == 1 && d.accounting.skipped[.lsoaNotInLookup] == 1)
        let r = d.placeResolution
        #expect(r.lsoaUnchangedRows == 1 && r.lsoaSplitPartRows == 3 && r.lsoaKept2011Rows == 0)
        #expect(r.lsoaMerged == [LabelRows(label: "E01034858", rows: 2, firstLine: 5)])
        #expect(d.accounting.examples.contains { $0.contains("E01034858 was formed by merging the 2011 LSOAs E01018775, E01018776") })
        #expect(d.accounting.examples.contains { $0.contains("E01015023 is not in the lookup") && $0.contains("as a 2021 code") })
        // Mixed (police.uk 2022): a code the lookup lists as 2011 stays; E01015023 (a real 2011 code not in
        // this small lookup) is unknown either way; 2021 parts map to their parent.
        s.lsoaVintage = .mixed
        let m = try DatedIncidentLoader.read(path: p, schema: s)
        #expect(m.lsoa == ["E01015151", "E01015135", "E01015135", "", "E01033233"] && m.placeResolution.lsoaKept2011Rows == 1)
        // 2011 vintage with the lookup: only codes it lists as 2011 codes are kept.
        s.lsoaVintage = .v2011
        let o = try DatedIncidentLoader.read(path: p, schema: s)
        #expect(o.lsoa == ["E01015151", ""] && o.accounting.skipped[.lsoaNotInLookup] == 7)
        // Schema mistakes: a vintage nobody defined, a vintage with no LSOA column.
        #expect { try IncidentSchema.parse("date = d\nlsoa = l\nlsoa_vintage = 2001", origin: "s.schema") } throws: { ($0 as? CSVError)?.description.contains("s.schema:3:1:") == true }
        #expect { try IncidentSchema.parse("date = d\nlsoa_vintage = 2021", origin: "s.schema") } throws: { ($0 as? CSVError)?.description.contains("need an 'lsoa' column") == true }
    }
}
