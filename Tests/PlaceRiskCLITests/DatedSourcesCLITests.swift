import Foundation
import Testing
import PlaceRiskCore
import PlaceRiskIO
@testable import PlaceRiskCLI

/// Dated sources beside police.uk files on the incident commands, `triangulate`, date bounds, safe
/// publication and the bad inputs of issue 13. Fixtures are written here: two police.uk months and an
/// ISTV-format file over three Plymouth LSOAs, the 3-LSOA × 2-month case of `TriangulationTests`
/// (numbers by hand there), so the command's JSON can be checked against the same hand values.
@Suite("Command line: dated sources beside police.uk, triangulate, date bounds, publication")
struct DatedSourcesCLITests {
    static let a = "E01015151", b = "E01015152", c = "E01015054"
    static let header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"
    static let istvHeader = "site_code,arrival_date_time,assault_date_time,assault_method,assault_method_other,assault_location_type,assault_location_description,lsoa_code,easting,northing"

    /// police: A (2, 0), B (0, 0), C (3, 1) violence in 2016-01, 2016-02, plus one burglary in A (not violence).
    /// ED: A (1, 2), B (1, 0), C (2, 1); B's is home-located (no coordinates).
    static func fixtures(edYear: Int = 2016) throws -> (dir: String, police: String, istv: String) {
        let dir = try tempDir(), police = dir + "/police"
        try FileManager.default.createDirectory(atPath: police, withIntermediateDirectories: true)
        func row(_ m: String, _ l: String, _ type: String = "Violence and sexual offences") -> String {
            "id\(UUID().uuidString.prefix(8)),\(m),Devon & Cornwall Police,Devon & Cornwall Police,-4.14,50.37,On or near X,\(l),Plymouth 0,\(type),,"
        }
        let jan = [row("2016-01", a), row("2016-01", a), row("2016-01", c), row("2016-01", c), row("2016-01", c), row("2016-01", a, "Burglary")]
        let feb = [row("2016-02", c)]
        try ([header] + jan).joined(separator: "\n").appending("\n").write(toFile: police + "/2016-01-devon-and-cornwall-street.csv", atomically: true, encoding: .utf8)
        try ([header] + feb).joined(separator: "\n").appending("\n").write(toFile: police + "/2016-02-devon-and-cornwall-street.csv", atomically: true, encoding: .utf8)
        let y = edYear
        func ed(_ when: String, _ l: String, home: Bool = false) -> String {
            "SYN01,\(when),\(when),Body part (hands/feet),,\(home ? "Home" : "Street"),synthetic,\(l),\(home ? "" : "247300"),\(home ? "" : "55100")"
        }
        let rows = [ed("\(y)-01-08 23:10", a), ed("\(y)-02-13 01:30", a), ed("\(y)-02-20 22:00", a),
                    ed("\(y)-01-16 12:00", b, home: true), ed("\(y)-01-22 02:00", c), ed("\(y)-01-29 21:40", c), ed("\(y)-02-05 20:15", c)]
        let istv = dir + "/SYNTHETIC_istv_test.csv"
        try ([istvHeader] + rows).joined(separator: "\n").appending("\n").write(toFile: istv, atomically: true, encoding: .utf8)
        return (dir, police, istv)
    }

    static func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    @Test("triangulate --no-publish gives the hand-worked 3-LSOA x 2-month numbers")
    func triangulateEqualsHandCase() throws {
        let f = try Self.fixtures()
        let out = f.dir + "/tri.json", acc = f.dir + "/acc.json"
        let r = run(["triangulate", f.police, "--incidents", f.istv, "--schema", "istv", "--districts", "E06000026", "--no-publish",
                     "--out", out, "--accounting", acc, "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let j = try Self.json(out)
        #expect(j["period"] as? String == "2016-01..2016-02 (2 months)")
        let ind = (j["under_recording_indicator"] as! [[String: Any]])[0]
        // TriangulationTests.indicatorByHand: 3 of the 7 ED assaults in LSOA-months with no police violence.
        #expect(ind["incidents"] as? Int == 7 && ind["in_lsoa_months_without_police_violence"] as? Int == 3)
        #expect(abs((ind["share"] as! Double) - 3.0 / 7.0) < 1e-12)
        let dis = (j["disagreement"] as! [[String: Any]])[0]
        #expect(abs((dis["share_of_both"] as! Double) - 7.0 / 13.0) < 1e-12)
        let lsoas = dis["lsoas"] as! [[String: Any]]
        // Only A, B, C have incidents; z by hand (TriangulationTests): 4/√210, 6/√42, −10/√294 (LSOA order by code: C, A, B).
        let z = Dictionary(uniqueKeysWithValues: lsoas.map { ($0["lsoa_code"] as! String, $0["z"] as! Double) })
        #expect(z.count == 3)
        #expect(abs(z[Self.a]! - 4 / 210.0.squareRoot()) < 1e-12)
        #expect(abs(z[Self.b]! - 6 / 42.0.squareRoot()) < 1e-12)
        #expect(abs(z[Self.c]! + 10 / 294.0.squareRoot()) < 1e-12)
        #expect((j["publication"] as! String).contains("UNPUBLISHED"))
        // The per-source ledger: police rows 7 read, 6 violence used, 1 burglary filtered; ED 7 read, 7 used (home kept by LSOA).
        let srcs = (try Self.json(acc))["sources"] as! [[String: Any]]
        #expect(srcs[0]["rows_read"] as? Int == 7 && srcs[0]["rows_used"] as? Int == 6)
        #expect(srcs[1]["rows_read"] as? Int == 7 && srcs[1]["rows_used"] as? Int == 7)
    }

    @Test("triangulate publishes an istv source safely by default: counts 1-7 suppressed, no per-LSOA z or p")
    func triangulatePublishesSafely() throws {
        let f = try Self.fixtures()
        let out = f.dir + "/tri.json"
        let r = run(["triangulate", f.police, "--incidents", f.istv, "--schema", "istv", "--districts", "E06000026", "--out", out, "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let j = try Self.json(out)
        #expect((j["publication"] as! String).hasPrefix("safe publication"))
        let table = j["table"] as! [[String: Any]]
        #expect(!table.isEmpty)
        for row in table {
            let v = row["istv"]!
            #expect((v as? String) == "*" || ((v as? Int).map { $0 % 5 == 0 } ?? false), "istv cell \(v)")
        }
        let lsoas = ((j["disagreement"] as! [[String: Any]])[0]["lsoas"] as! [[String: Any]])
        #expect(lsoas.allSatisfy { $0["z"] == nil && $0["p"] == nil })
        // 7 incidents < 50: no share published.
        #expect((j["under_recording_indicator"] as! [[String: Any]])[0]["share"] is NSNull)
    }

    @Test("periods that do not overlap: triangulate refuses with both periods, aggregate warns")
    func disjointPeriods() throws {
        let f = try Self.fixtures(edYear: 2024)
        let r = run(["triangulate", f.police, "--incidents", f.istv, "--schema", "istv", "--districts", "E06000026", "--out", f.dir + "/t.json", "--quiet"])
        #expect(r.status == 1)
        #expect(r.err.contains("do not overlap") && r.err.contains("2016-01..2016-02") && r.err.contains("2024-01..2024-02"), "\(r.err)")
        let g = run(["aggregate", f.police, "--incidents", f.istv, "--schema", "istv", "--by", "lsoa", "--no-publish", "--out", f.dir + "/agg.csv"])
        #expect(g.status == 0, "\(g.err)")
        #expect(g.err.contains("do not overlap"))
    }

    @Test("aggregate counts dated rows beside police.uk: home-located rows count for LSOAs, never for cells")
    func aggregateBesidePolice() throws {
        let f = try Self.fixtures()
        let out = f.dir + "/agg.csv"
        let r = run(["aggregate", f.police, "--incidents", f.istv, "--schema", "istv", "--by", "lsoa", "--no-publish", "--crime-type", "Violence and sexual offences", "--out", out, "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        // Violence: police A 2 + ED 3 = 5, B 0 + 1 = 1 (the home-located one), C 4 + 3 = 7.
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text == "lsoa_code,count\n\(Self.c),7\n\(Self.a),5\n\(Self.b),1\n")
        // Cells: the home-located row has no point (no_coordinates), the other 6 ED rows and 7 police rows are located.
        let acc = f.dir + "/acc.json"
        let g = run(["aggregate", "--incidents", f.istv, "--schema", "istv", "--by", "cell", "--grid", "247000,55000,500,2,2", "--no-publish", "--out", f.dir + "/cells.csv", "--accounting", acc, "--quiet"])
        #expect(g.status == 0, "\(g.err)")
        let j = try Self.json(acc)
        #expect(j["rows_used"] as? Int == 6)
        #expect((j["skipped"] as! [String: Any])["no_coordinates"] as? Int == 1)
        let src = (j["sources"] as! [[String: Any]])[0]
        #expect(src["home_located_rows"] as? Int == 1 && src["synthetic"] as? Bool == true)
    }

    @Test("aggregate of a health source is published: no count 1-7, the exact ledger withheld from the meta")
    func aggregatePublishes() throws {
        let f = try Self.fixtures()
        let out = f.dir + "/agg.csv"
        let r = run(["aggregate", "--incidents", f.istv, "--schema", "istv", "--by", "lsoa,month", "--out", out, "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let values = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst().map { String($0.split(separator: ",").last!) }
        #expect(values.count == 5 && values.allSatisfy { $0 == "*" })
        let meta = try Self.json(out + ".meta.json")
        #expect((meta["publication"] as! String).hasPrefix("safe publication"))
        #expect(meta["accounting"] is String)
        // .asc grids and weights cannot carry suppression: refused before reading.
        let g = run(["aggregate", "--incidents", f.istv, "--schema", "istv", "--by", "cell", "--cell", "500", "--out", f.dir + "/g.asc"])
        #expect(g.status == 64 && g.err.contains("--no-publish"))
    }

    @Test("density and hotspots refuse a health source under safe publication, naming --no-publish")
    func surfacesRefusedWhenPublishing() throws {
        let f = try Self.fixtures()
        let d = run(["density", "--incidents", f.istv, "--schema", "istv", "--cell", "100", "--out", f.dir + "/d.asc"])
        #expect(d.status == 64 && d.err.contains("kernel surface") && d.err.contains("--no-publish"), "\(d.err)")
        let h = run(["hotspots", "--incidents", f.istv, "--schema", "istv", "--cell", "100", "--band", "200", "--out", f.dir + "/h.csv"])
        #expect(h.status == 64 && h.err.contains("--no-publish"), "\(h.err)")
        let fit = run(["fit", f.police, "--incidents", f.istv, "--schema", "istv", "--model-out", f.dir + "/m.json"])
        #expect(fit.status == 64 && fit.err.contains("risk model"), "\(fit.err)")
    }

    @Test("--from/--to days: a window in days filters dated rows; police.uk refuses a bound inside a month")
    func dateBounds() throws {
        let f = try Self.fixtures()
        let acc = f.dir + "/acc.json"
        // 2016-01-10 … 2016-01-25: ED rows of 01-16 (B) and 01-22 (C) only.
        let r = run(["aggregate", "--incidents", f.istv, "--schema", "istv", "--by", "lsoa", "--from", "2016-01-10", "--to", "2016-01-25", "--no-publish",
                     "--out", f.dir + "/agg.csv", "--accounting", acc, "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        #expect(try String(contentsOfFile: f.dir + "/agg.csv", encoding: .utf8) == "lsoa_code,count\n\(Self.c),1\n\(Self.b),1\n")
        let src = (try Self.json(acc)["sources"] as! [[String: Any]])[0]
        #expect((src["skipped"] as! [String: Any])["filtered_date"] as? Int == 5)
        // With police.uk files a bound inside a month is refused; a whole month given as days is accepted.
        let p = run(["aggregate", f.police, "--by", "lsoa", "--from", "2016-01-10", "--out", f.dir + "/p.csv"])
        #expect(p.status == 64 && p.err.contains("not the first day of a month") && p.err.contains("--from 2016-01"), "\(p.err)")
        let q = run(["aggregate", f.police, "--by", "lsoa", "--from", "2016-01-01", "--to", "2016-01-31", "--out", f.dir + "/q.csv", "--quiet"])
        #expect(q.status == 0, "\(q.err)")
        // A window that ends before it starts, and an impossible day, are usage errors.
        let w = run(["aggregate", "--incidents", f.istv, "--schema", "istv", "--by", "lsoa", "--from", "2016-02-10", "--to", "2016-02-01", "--out", f.dir + "/w.csv"])
        #expect(w.status == 64 && w.err.contains("ends before it starts"), "\(w.err)")
        let x = run(["aggregate", "--incidents", f.istv, "--schema", "istv", "--by", "lsoa", "--from", "2016-02-30", "--out", f.dir + "/x.csv"])
        #expect(x.status == 64 && x.err.contains("29 days in 2016-02"), "\(x.err)")
    }

    @Test("bad dated sources: a schema naming a missing column, a months-only file: clear errors")
    func badSources() throws {
        let f = try Self.fixtures()
        let schema = f.dir + "/mine.schema"
        try "name = mine\ndate = when\neasting = easting\nnorthing = northing\n".write(toFile: schema, atomically: true, encoding: .utf8)
        let r = run(["aggregate", f.police, "--incidents", f.istv, "--schema", schema, "--by", "lsoa", "--out", f.dir + "/a.csv"])
        #expect(r.status == 1 && r.err.contains("header has no column 'when'"), "\(r.err)")
        let months = f.dir + "/months.csv"
        try "x,y,date,lsoa_code\n247300,55100,2016-01,\(Self.a)\n247300,55100,2016-02,\(Self.b)\n".write(toFile: months, atomically: true, encoding: .utf8)
        let m = run(["aggregate", "--incidents", months, "--schema", "points", "--by", "lsoa", "--out", f.dir + "/m.csv"])
        #expect(m.status == 1 && m.err.contains("months only"), "\(m.err)")
        // A row whose window ends before it starts is skipped and counted, beside police.uk files too.
        let win = f.dir + "/win.schema", wf = f.dir + "/win.csv", acc = f.dir + "/win.json"
        try "name = windows\ndate = from\nto_date = to\neasting = x\nnorthing = y\nlsoa = lsoa_code\n".write(toFile: win, atomically: true, encoding: .utf8)
        try "x,y,from,to,lsoa_code\n247300,55100,2016-01-05,2016-01-06,\(Self.a)\n247300,55100,2016-01-09,2016-01-02,\(Self.a)\n".write(toFile: wf, atomically: true, encoding: .utf8)
        let w = run(["aggregate", f.police, "--incidents", wf, "--schema", win, "--by", "lsoa", "--out", f.dir + "/w.csv", "--accounting", acc, "--quiet"])
        #expect(w.status == 0, "\(w.err)")
        let src = ((try Self.json(acc))["sources"] as! [[String: Any]])[1]
        #expect(src["rows_read"] as? Int == 2 && src["rows_used"] as? Int == 1)
        #expect((src["skipped"] as! [String: Any])["window_ends_before_start"] as? Int == 1)
        // --schema without --incidents, --publish without a dated source: usage errors.
        #expect(run(["aggregate", f.police, "--schema", "istv", "--by", "lsoa", "--out", f.dir + "/s.csv"]).status == 64)
        #expect(run(["aggregate", f.police, "--publish", "--by", "lsoa", "--out", f.dir + "/s.csv"]).status == 64)
    }

    @Test("report with a dated source: Time and Sources sections, SYNTHETIC named, --no-publish says not for publication")
    func reportSections() throws {
        let f = try Self.fixtures()
        let out = f.dir + "/r.html"
        let r = run(["report", f.police, "--incidents", f.istv, "--schema", "istv", "--districts", "E06000026", "--no-publish", "--out", out, "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let page = try String(contentsOfFile: out, encoding: .utf8)
        #expect(page.contains("6c. Time (dated sources)") && page.contains("6d. Sources (triangulation)"))
        #expect(page.contains("SYNTHETIC data"))
        #expect(page.contains("NOT FOR PUBLICATION") && page.contains("UNPUBLISHED: this page holds exact counts"))
        // The heat map is an accessible SVG; the indicator's caveat is on the page.
        #expect(page.contains("assaults by hour and day (SYNTHETIC)</title>") && page.contains("An indicator, not a fact"))
        let tri = try Self.json(f.dir + "/r_files/triangulation.json")
        #expect(((tri["under_recording_indicator"] as! [[String: Any]])[0]["in_lsoa_months_without_police_violence"] as? Int) == 3)
        // Published (the default): no exact ED count 1-7 on the page's triangulation file.
        let p = run(["report", f.police, "--incidents", f.istv, "--schema", "istv", "--districts", "E06000026", "--out", f.dir + "/p.html", "--quiet"])
        #expect(p.status == 0, "\(p.err)")
        let pub = try Self.json(f.dir + "/p_files/triangulation.json")
        #expect(((pub["table"] as! [[String: Any]]).allSatisfy { ($0["istv"] as? String) == "*" || (($0["istv"] as? Int) ?? 1) % 5 == 0 }))
        #expect(try String(contentsOfFile: f.dir + "/p.html", encoding: .utf8).contains("Published safely"))
    }

    @Test("timeofday and nearrepeat take --from/--to days too: February 2016 keeps the 3 February assaults")
    func datedCommandsTakeDayBounds() throws {
        let f = try Self.fixtures()
        let out = f.dir + "/t.json", acc = f.dir + "/ta.json"
        let r = run(["timeofday", "--incidents", f.istv, "--schema", "istv", "--from", "2016-02-01", "--to", "2016-02-29", "--no-publish",
                     "--by", "none", "--out", out, "--accounting", acc, "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        // ED rows on 02-05, 02-13, 02-20 (the fixture); the 4 January ones are filtered_date.
        #expect(((try Self.json(out))["tables"] as! [[String: Any]])[0]["incidents"] as? Int == 3)
        let src = ((try Self.json(acc))["sources"] as! [[String: Any]])[0]
        #expect((src["skipped"] as! [String: Any])["filtered_date"] as? Int == 4)
        let w = run(["nearrepeat", "--incidents", f.istv, "--schema", "istv", "--from", "2016-03-01", "--to", "2016-02-01",
                     "--space-band", "100", "--time-band", "7", "--out", f.dir + "/n.json"])
        #expect(w.status == 64 && w.err.contains("ends before it starts"), "\(w.err)")
    }
}
