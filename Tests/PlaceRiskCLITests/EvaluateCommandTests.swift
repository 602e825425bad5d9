import Foundation
import Testing
import PlaceRiskCore
import PlaceRiskIO
@testable import PlaceRiskCLI

let bundledPolice2016 = repoRoot + "/datasets/police_uk_devon_cornwall_street_2016-01_to_2017-11"

func jsonObject(_ path: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
}

func number(_ j: [String: Any], _ path: String) -> Double? {
    var cur: Any = j
    for k in path.split(separator: ".") { guard let o = cur as? [String: Any], let v = o[String(k)] else { return nil }; cur = v }
    return (cur as? NSNumber)?.doubleValue
}

/// `placerisk evaluate` and `placerisk power` from the command line.
@Suite("Command line: evaluate and power", .serialized)
struct EvaluateCommandTests {
    /// Writes an area,month,count table: each area's `before` and `after` totals spread over `months`
    /// months each (2020-01 on), the remainder on the first month.
    static func table(_ d: String, _ areas: [(String, Double, Double)], months: Int = 3) throws -> String {
        var s = "area,month,count\n"
        for (a, b, c) in areas {
            for (k, total) in [(0, b), (1, c)] {
                let base = (total / Double(months)).rounded(.down)
                for m in 0 ..< months {
                    let v = base + (m == 0 ? total - base * Double(months) : 0)
                    s += "\(a),\(YearMonth(year: 2020, month: 1).advanced(by: k * months + m)),\(Int(v))\n"
                }
            }
        }
        let p = d + "/t.csv"
        try s.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    static let paper: [(String, Double, Double)] = [("T", 207, 110), ("C", 308, 318), ("D", 178, 157), ("E", 150, 140)]

    /// Wheeler & Ratcliffe (2018)'s worked example as a table (3 months before, 3 after): the command
    /// gives total −118, SE √1568, z −2.98, CI −196 to −40, under the JSON names of the issue.
    @Test func tableModeReproducesTheWorkedExample() throws {
        let d = try tempDir()
        let t = try Self.table(d, Self.paper)
        let r = run(["evaluate", "--table", t, "--intervention", "T", "--comparison", "C", "--displacement", "D", "--comparison-displacement", "E",
                     "--start", "2020-04", "--json", d + "/e.json", "--out", d + "/e.html", "--placebos", "19", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let j = try jsonObject(d + "/e.json")
        #expect(number(j, "wdd.total.estimate") == -118)
        #expect(abs(number(j, "wdd.total.se")! - 1568.0.squareRoot()) < 1e-12)
        #expect((number(j, "wdd.total.z")! * 100).rounded() == -298)
        #expect(number(j, "wdd.total.ci_low")!.rounded() == -196 && number(j, "wdd.total.ci_high")!.rounded() == -40)
        #expect(number(j, "wdd.local.estimate") == -107 && number(j, "wdd.displacement.estimate") == -11)
        // WDQ by hand (Bowers & Johnson 2003): (157/318 − 178/308) / (110/318 − 207/308).
        let wdq: Double = (157.0 / 318 - 178.0 / 308) / (110.0 / 318 - 207.0 / 308)
        #expect(abs(number(j, "wdq.quotient")! - wdq) < 1e-12)
        // DiD on two areas × 6 months: the log rate ratio's point estimate is the 2×2 log ratio of totals,
        // ln((110/207)/(318/308)) (area and month effects saturate the 2 × 2 sums; hand calculation).
        let lr: Double = log((110.0 / 207) / (318.0 / 308))
        #expect(abs(number(j, "did.estimate")! - lr) < 1e-6, "did \(String(describing: number(j, "did.estimate")))")
        let html = try String(contentsOfFile: d + "/e.html", encoding: .utf8)
        #expect(html.contains("start 2020-04") && html.contains("<svg") && html.contains("Weighted displacement difference"))
    }

    /// The bundled street data, Newquay town centre (Cornwall 020B) from 2017-01 — a demonstration,
    /// not a claim about an intervention: every estimate is present, the counts equal `aggregate`'s,
    /// the WDD follows from them, and the ledger equals `aggregate`'s on the same rows.
    @Test func bundledDemonstrationAgreesWithAggregate() throws {
        let d = try tempDir()
        let r = run(["evaluate", "--intervention", "E01019029", "--start", "2017-01", "--json", d + "/e.json", "--out", d + "/e.html",
                     "--placebos", "99", "--quiet", "--accounting", d + "/acc.json"])
        #expect(r.status == 0, "\(r.err)")
        let a = run(["aggregate", bundledPolice2016, "--by", "lsoa,month", "--crime-type", "Violence and sexual offences", "--study-area", "core",
                     "--out", d + "/agg.csv", "--quiet", "--accounting", d + "/acc2.json"])
        #expect(a.status == 0, "\(a.err)")
        let l1 = try TrustworthyCommandsTests.ledger(d + "/acc.json"), l2 = try TrustworthyCommandsTests.ledger(d + "/acc2.json")
        #expect(l1.read == l2.read && l1.used == l2.used && l1.skipped == l2.skipped, "\(l1) vs \(l2)")
        let j = try jsonObject(d + "/e.json")
        for k in ["wdd.local.estimate", "wdd.local.se", "wdd.local.ci_low", "wdd.local.ci_high", "wdd.local.z", "wdd.local.p",
                  "wdd.displacement.estimate", "wdd.total.estimate", "wdd.total.se", "wdd.total.p", "wdq.success_measure", "wdq.quotient",
                  "did.rate_ratio", "did.ci_low", "did.ci_high", "did.se", "did.p", "its.level_change.rate_ratio", "its.slope_change.rate_ratio",
                  "its.level_change.se", "its.ljung_box.p", "placebo.p", "placebo.observed"] {
            #expect(number(j, k)?.isFinite == true, "\(k) missing")
        }
        // The intervention area's counts, 2016-02…2016-12 and 2017-01…2017-11, from aggregate's rows.
        var before = 0.0, after = 0.0
        for line in try String(contentsOfFile: d + "/agg.csv", encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            guard f[0] == "E01019029", let m = YearMonth(f[1]) else { continue }
            if m >= YearMonth(year: 2016, month: 2), m <= YearMonth(year: 2016, month: 12) { before += Double(f[2])! }
            if m >= YearMonth(year: 2017, month: 1) { after += Double(f[2])! }
        }
        #expect(number(j, "counts.intervention.before") == before && number(j, "counts.intervention.after") == after)
        let c0 = number(j, "counts.comparison.before")!, c1 = number(j, "counts.comparison.after")!
        #expect(number(j, "wdd.local.estimate") == (after - before) - (c1 - c0))
        let areas = j["areas"] as! [String: Any]
        #expect((areas["displacement"] as! [String]).count >= 1 && (areas["comparison"] as! [String]).count == 1)
        #expect((areas["comparison_rule"] as! String).contains("IMD 2019 decile"))
        let html = try String(contentsOfFile: d + "/e.html", encoding: .utf8)
        #expect(html.contains("start 2017-01") && html.contains("Placebo test"))
    }

    @Test func badInputIsRefusedWithAClearSentence() throws {
        let d = try tempDir()
        let t = try Self.table(d, Self.paper + [("Z", 0, 0)])
        func evaluate(_ extra: [String]) -> (Int32, String) {
            let r = run(["evaluate", "--table", t, "--json", d + "/e.json", "--quiet", "--placebos", "19"] + extra)
            return (r.status, r.err)
        }
        let cases: [([String], String)] = [
            (["--intervention", "T", "--comparison", "T,C", "--start", "2020-04"], "the intervention area and the comparison area overlap in 1 area(s) (T)"),
            (["--intervention", "T", "--comparison", "C", "--displacement", "C", "--start", "2020-04"], "the displacement area and the comparison area overlap"),
            (["--intervention", "T", "--comparison", "C", "--start", "2021-01"], "the start month 2021-01 is outside the data (2020-01…2020-06)"),
            (["--intervention", "T", "--comparison", "C", "--start", "2020-03"], "only 2 month(s) before the start; at least 3 are needed"),
            (["--intervention", "T", "--comparison", "C", "--start", "2020-05"], "only 2 month(s) after the start; at least 3 are needed"),
            (["--intervention", "Z", "--comparison", "C", "--start", "2020-04"], "the intervention area has zero incidents in every month"),
            (["--intervention", "T", "--comparison", "Q", "--start", "2020-04"], "names 1 area(s) that are not areas of the table: Q"),
        ]
        for (args, message) in cases {
            let (status, err) = evaluate(args)
            #expect(status == 1 && err.contains(message), "\(args): \(err)")
            #expect(!err.contains("InterventionError"), "a Swift type name leaked: \(err)")
        }
        // Automatic matching with no candidate left: every other area already plays a role.
        let t2 = try Self.table(d, [("T", 20, 10), ("D", 5, 5)])
        let m = run(["evaluate", "--table", t2, "--intervention", "T", "--displacement", "D", "--start", "2020-04", "--json", d + "/m.json", "--quiet"])
        #expect(m.status == 1 && m.err.contains("no comparison area could be matched to T"), "\(m.err)")
        // An empty intervention area: a polygon in the sea holds no LSOA centroid.
        let sea = d + "/sea.geojson"
        try #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[-4.6,51.3],[-4.5,51.3],[-4.5,51.35],[-4.6,51.35],[-4.6,51.3]]]}}]}"#
            .write(toFile: sea, atomically: true, encoding: .utf8)
        let e = run(["evaluate", bundledPolice, "--intervention", sea, "--start", "2020-02", "--json", d + "/s.json", "--quiet"])
        #expect(e.status == 1 && e.err.contains("the intervention area is empty"), "\(e.err)")
        // Usage errors before any file is read.
        let u = run(["evaluate", "--table", t, "--intervention", "T", "--start", "2020-13", "--json", d + "/u.json"])
        #expect(u.status == 64 && u.err.contains("invalid --start '2020-13'"))
    }

    /// No input is overwritten: --json or --out naming the table, power's --out naming a street file.
    @Test func outputsEqualToAnInputAreRefused() throws {
        let d = try tempDir()
        let t = try Self.table(d, Self.paper)
        let before = try String(contentsOfFile: t, encoding: .utf8)
        let r = run(["evaluate", "--table", t, "--intervention", "T", "--comparison", "C", "--start", "2020-04", "--json", t])
        #expect(r.status == 64)
        #expect(try String(contentsOfFile: t, encoding: .utf8) == before)
        let copy = d + "/2020-01-devon-and-cornwall-street.csv"
        try FileManager.default.copyItem(atPath: bundledPolice + "/2020-01-devon-and-cornwall-street.csv", toPath: copy)
        let p = run(["power", copy, "--out", copy])
        #expect(p.status == 64)
        let acc = run(["power", copy, "--out", d + "/p.csv", "--accounting", copy])
        #expect(acc.status == 64)
        // A table has no incident rows: --accounting says so.
        let ok = run(["evaluate", "--table", t, "--intervention", "T", "--comparison", "C", "--start", "2020-04", "--json", d + "/e.json",
                      "--accounting", d + "/a.json", "--quiet", "--placebos", "19"])
        #expect(ok.status == 0, "\(ok.err)")
        #expect((try jsonObject(d + "/a.json"))["note"] as? String == "a counts table has no incident rows: every count of the named areas is used")
    }

    /// power on the bundled 2020 files: the ledger is every LSOA command's (30,135 read, 10,169 used);
    /// an LSOA's row equals `DetectableChange` of its monthly counts from `aggregate`.
    @Test func powerRowsFollowFromTheCountsAndTheLedgerIsShared() throws {
        let d = try tempDir()
        let r = run(["power", bundledPolice, "--out", d + "/p.csv", "--intervention", "E01015256", "--quiet", "--accounting", d + "/acc.json"])
        #expect(r.status == 0, "\(r.err)")
        let l = try TrustworthyCommandsTests.ledger(d + "/acc.json")
        #expect(l.read == 30135 && l.used == 10169, "\(l)")
        let a = run(["aggregate", bundledPolice, "--by", "lsoa,month", "--crime-type", "Violence and sexual offences", "--out", d + "/a.csv", "--quiet"])
        #expect(a.status == 0)
        let series = try String(contentsOfFile: d + "/a.csv", encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("E01015256,") }
            .map { Double($0.split(separator: ",")[2])! }
        #expect(series.count == 3)
        let expected = DetectableChange(baseline: series, after: 12)
        let rows = try String(contentsOfFile: d + "/p.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows[0].prefix(4) == ["level", "area_code", "area_name", "indicator"])
        let iv = rows.first { $0[0] == "intervention" }!, lsoa = rows.first { $0[0] == "lsoa" && $0[1] == "E01015256" }!
        #expect(Double(iv[9]) == expected.ratio && Double(lsoa[9]) == expected.ratio)
        #expect(rows.filter { $0[0] == "district" }.count == 12)
        #expect(rows.contains { $0[0] == "msoa" })
    }
}

@Suite("Command line: the report's detectable-change table", .serialized)
struct ReportPowerTests {
    /// The report's "What change can we detect?" rows are `power --levels district`'s on the same data.
    @Test func reportTableEqualsPowerRows() throws {
        let d = try tempDir()
        let r = run(["report", bundledPolice, "--out", d + "/r.html", "--permutations", "19", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let html = try String(contentsOfFile: d + "/r.html", encoding: .utf8)
        #expect(html.contains("6b. What change can we detect?"))
        let p = run(["power", bundledPolice, "--out", d + "/p.csv", "--levels", "district", "--quiet"])
        #expect(p.status == 0, "\(p.err)")
        func rows(_ path: String) throws -> [[String]] {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        }
        let power = Dictionary(try rows(d + "/p.csv").map { ($0[1], Double($0[10])) }, uniquingKeysWith: { a, _ in a })
        let report = try rows(d + "/r_files/detectable_change.csv")
        #expect(report.count == 12)
        for row in report { #expect(Double(row[5]) == power[row[0]]!, "\(row[0])") }
    }
}

@Suite("Command line: evaluate's ring distance")
struct EvaluationRingTests {
    /// `--ring`: the distance from a point to a 100 m square's boundary (0 inside), by hand.
    @Test func distanceToAPolygonByHand() {
        let sq = MultiPolygon(Polygon(outer: [(0, 0), (100, 0), (100, 100), (0, 100)]))
        #expect(EvaluationInputs.distance(x: 50, y: 50, to: sq) == 0)
        #expect(EvaluationInputs.distance(x: 150, y: 50, to: sq) == 50)
        #expect(abs(EvaluationInputs.distance(x: 103, y: 104, to: sq) - 5) < 1e-12)
    }
}
