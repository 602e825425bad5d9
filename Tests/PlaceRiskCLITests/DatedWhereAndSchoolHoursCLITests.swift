import Foundation
import Testing
import PlaceRiskCore
import PlaceRiskIO
@testable import PlaceRiskCLI

private let fixtures = repoRoot + "/Tests/PlaceRiskIOTests/Fixtures/dated/"

private func json(_ path: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
}

/// `timeofday` on a source located by place names (Fixtures/dated/places_incidents.csv through its
/// schema's gazetteer) with an age band: the under-18 school-hours split, the ledger's "where" block,
/// and the --gazetteer / --lsoa-lookup / --school-hours options. Expected values by hand: of the 8 rows
/// kept (4 have places in no gazetteer), 3 are aged 11-15 or 16-17 — Tue 2 May 2023 09:15 and Wed 10 May
/// 10:00 (school hours), Wed 3 May 16:05 (after school) —, 4 are 18 and over, 1 is "unknown".
@Suite("Command line: dated sources by place, school hours")
struct DatedWhereAndSchoolHoursCLITests {
    static let places = fixtures + "places_incidents.csv"
    static let schema = fixtures + "places.schema"

    static func under18(_ args: [String] = []) throws -> (status: Int32, err: String, table: [String: Any]?, top: [String: Any]?) {
        let dir = try tempDir(), out = dir + "/tod.json"
        let r = run(["timeofday", "--incidents", places, "--schema", schema, "--by", "none", "--out", out, "--quiet", "--accounting", dir + "/acc.json"] + args)
        guard r.status == 0 else { return (r.status, r.err, nil, nil) }
        let j = try json(out)
        return (r.status, r.err, (j["tables"] as! [[String: Any]])[0]["under_18"] as? [String: Any], j)
    }

    @Test func under18RowsAreSplitIntoSchoolHoursAndAfterSchool() throws {
        let r = try Self.under18()
        #expect(r.status == 0, "\(r.err)")
        let u = try #require(r.table)
        #expect(u["rows_by_age_class"] as! [String: Int] == ["under_18": 3, "18_and_over": 4, "straddles_18": 0, "unclassified": 1])
        #expect(u["weight"] as! [String: Double] == ["school_hours": 2, "after_school": 1, "other_times": 0])
        #expect(abs((u["school_hours_share"] as! Double) - 2.0 / 3) < 1e-12)
        let top = try #require(r.top)
        #expect((top["school_hours"] as! String).contains("mon,tue,wed,thu,fri 08:30-15:30"))
        #expect((top["age_band_use"] as! String).contains("never a person's score"))
        // The ledger's "where" block lists the unmatched places with their rows.
        let acc = try json((top["output"] as! String).replacingOccurrences(of: "tod.json", with: "acc.json"))
        let src = (acc["sources"] as! [[String: Any]])[0]
        let g = (src["where"] as! [String: Any])["gazetteer"] as! [String: Any]
        #expect(g["rows_exact"] as! Int == 1 && g["rows_normalised"] as! Int == 4 && g["rows_abbreviated"] as! Int == 2)
        let unmatched = g["place_not_in_gazetteer"] as! [[String: Any]]
        #expect(unmatched.map { $0["label"] as! String } == ["Nowhere", "Atlantis"] && unmatched.map { $0["rows"] as! Int } == [3, 1])
        #expect((src["skipped"] as! [String: Int])["place_not_in_gazetteer"] == 4)
    }

    /// Other school hours move 09:15 out; term dates ending on 5 May move 10 May out (other times).
    @Test func schoolHoursAndTermsAreConfigurable() throws {
        let h = try Self.under18(["--school-hours", "mon-fri 09:30-15:00"])
        #expect(h.table?["weight"] as? [String: Double] == ["school_hours": 1, "after_school": 1, "other_times": 1], "\(h.err)")
        let dir = try tempDir(), terms = dir + "/terms.csv"
        try "start,end\n2023-04-17,2023-05-05\n".write(toFile: terms, atomically: true, encoding: .utf8)
        let t = try Self.under18(["--school-terms", terms])
        #expect(t.table?["weight"] as? [String: Double] == ["school_hours": 1, "after_school": 1, "other_times": 1], "\(t.err)")
        #expect((t.top?["school_hours"] as? String)?.contains("term days of --school-terms") == true)
        try "start,end\n2023-05-05,2023-04-17\n".write(toFile: terms, atomically: true, encoding: .utf8)
        let bad = try Self.under18(["--school-terms", terms])
        #expect(bad.status == 1 && bad.err.contains("terms.csv:2:") && bad.err.contains("before it starts"))
    }

    /// --lsoa-lookup on a built-in schema (istv, whose lsoa_code is read as mixed 2011/2021): split parts
    /// are kept under their 2011 parent, the merged code is skipped by reason — in the ledger of `nearrepeat`
    /// as of `timeofday` (one option group). Rows: E01015151 (U), E01034157 (S of E01015135), E01034858 (M).
    @Test func theLookupOptionMapsBuiltInSchemas() throws {
        let dir = try tempDir(), p = dir + "/istv.csv"
        try """
        site_code,arrival_date_time,assault_date_time,assault_method,assault_method_other,assault_location_type,assault_location_description,lsoa_code,easting,northing
        RXX01,2024-05-04 23:40,2024-05-04 23:10,Knife,,Street,,E01015151,247390,54967
        RXX01,2024-05-05 02:10,2024-05-05 01:30,Body part,,Street,,E01034157,247400,55000
        RXX01,2024-05-06 02:10,2024-05-06 01:30,Body part,,Street,,E01034858,247500,55100

        """.write(toFile: p, atomically: true, encoding: .utf8)
        let lookup = fixtures + "lsoa11_lsoa21_lookup_sample.csv"
        let t = run(["timeofday", "--incidents", p, "--schema", "istv", "--lsoa-lookup", lookup, "--out", dir + "/t.json", "--accounting", dir + "/a.json", "--quiet"])
        #expect(t.status == 0, "\(t.err)")
        let src = (try json(dir + "/a.json")["sources"] as! [[String: Any]])[0]
        #expect(src["rows_used"] as? Int == 2 && (src["skipped"] as! [String: Int])["lsoa_2021_merged_no_single_2011"] == 1)
        let w = (src["where"] as! [String: Any])["lsoa_vintage"] as! [String: Any]
        #expect(w["vintage"] as? String == "mixed" && w["rows_kept_2011"] as? Int == 1 && w["rows_2021_split_part_to_parent"] as? Int == 1)
        let n = run(["nearrepeat", "--incidents", p, "--schema", "istv", "--lsoa-lookup", lookup, "--space-band", "100", "--time-band", "1",
                     "--permutations", "9", "--out", dir + "/n.json", "--accounting", dir + "/b.json", "--quiet"])
        #expect(n.status == 0, "\(n.err)")
        let nsrc = (try json(dir + "/b.json")["sources"] as! [[String: Any]])[0]
        #expect((nsrc["skipped"] as! [String: Int])["lsoa_2021_merged_no_single_2011"] == 1)
    }

    /// The options' mistakes are usage errors (exit 64) before any file is read.
    @Test func placeAndLookupOptionsAreChecked() throws {
        let edinburgh = fixtures + "edinburgh_2012_accident_first200.csv", eSchema = fixtures + "edinburgh_collisions.schema"
        let g = run(["timeofday", "--incidents", edinburgh, "--schema", eSchema, "--gazetteer", fixtures + "gazetteer_dc_neighbourhoods.csv", "--out", "/tmp/x.json"])
        #expect(g.status == 64 && g.err.contains("no --schema has one"))
        let l = run(["timeofday", "--incidents", edinburgh, "--schema", eSchema, "--lsoa-lookup", fixtures + "lsoa11_lsoa21_lookup_sample.csv", "--out", "/tmp/x.json"])
        #expect(l.status == 64 && l.err.contains("--lsoa-lookup"))
        for bad in ["mon-fri 15:30-08:30", "funday 08:30-15:30", "mon-fri 8-15"] {
            let r = run(["timeofday", "--incidents", Self.places, "--schema", Self.schema, "--school-hours", bad, "--out", "/tmp/x.json"])
            #expect(r.status == 64 && r.err.contains("--school-hours"), "\(bad)")
        }
        // --gazetteer overrides the schema's: a gazetteer that knows "Nowhere" keeps its three rows.
        let dir = try tempDir(), gz = dir + "/g.csv"
        try (String(contentsOfFile: fixtures + "gazetteer_dc_neighbourhoods.csv", encoding: .utf8) + "Nowhere,250000,60000,\n").write(toFile: gz, atomically: true, encoding: .utf8)
        let o = run(["timeofday", "--incidents", Self.places, "--schema", Self.schema, "--gazetteer", gz, "--by", "none", "--out", dir + "/t.json", "--accounting", dir + "/a.json", "--quiet"])
        #expect(o.status == 0, "\(o.err)")
        let acc = try json(dir + "/a.json")
        #expect(((acc["sources"] as! [[String: Any]])[0]["skipped"] as! [String: Int])["place_not_in_gazetteer"] == 1)
    }
}
