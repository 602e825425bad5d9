import Foundation
import Testing
import PlaceRiskCore
import PlaceRiskIO
@testable import PlaceRiskCLI

private func write(_ text: String, _ name: String, in dir: String) throws -> String {
    let p = dir + "/" + name
    try text.write(toFile: p, atomically: true, encoding: .utf8)
    return p
}

private func json(_ path: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
}

@Suite("Command line: nearrepeat")
struct NearRepeatCLITests {
    /// Four incidents counted by hand (Manhattan, 200 m × 3, 1 day × 3, [lo, hi)): A and B at (0,0) on
    /// 1 Jan (same location, 0 days); C at (150, 0) on 3 Jan (150 m and 2 days from both: row 1,
    /// column 2); D at (1000, 0) on 10 Jan (≥ 600 m and ≥ 3 days from all three).
    @Test func observedTableIsTheHandCount() throws {
        let dir = try tempDir()
        let csv = try write("x,y,date\n400000,100000,2024-01-01\n400000,100000,2024-01-01\n400150,100000,2024-01-03\n401000,100000,2024-01-10\n", "p.csv", in: dir)
        let out = dir + "/nr.json", acc = dir + "/acc.json"
        let r = run(["nearrepeat", "--incidents", csv, "--schema", "points", "--space-band", "200", "--time-band", "1",
                     "--permutations", "19", "--seed", "5", "--out", out, "--accounting", acc, "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let j = try json(out)
        let obs = j["observed"] as! [[Int]]
        #expect(obs == [[1, 0, 0, 0], [0, 0, 2, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 3]])
        #expect((j["rows"] as! [String]).count == 5 && (j["columns"] as! [String]).count == 4)
        for k in ["expected", "ratio", "p"] { #expect((j[k] as! [[Any]]).count == 5) }
        let a = try json(acc)
        let sources = a["sources"] as! [[String: Any]]
        #expect(sources.count == 1 && sources[0]["rows_used"] as! Int == 4 && sources[0]["balanced"] as! Bool)
    }

    /// --permutations 0 (the help: "exact expectations only, no p"): `expected` is the exact permutation
    /// mean, by hand from the table above — row totals 1, 2, 0, 0, 3 and column totals 1, 0, 2, 3 of 6
    /// pairs, E = N_row · N_col / 6 — the ratio is observed / E (row 1, column 2: 2 / (4/6) = 3), p null.
    @Test func zeroPermutationsGiveTheExactExpectation() throws {
        let dir = try tempDir()
        let csv = try write("x,y,date\n400000,100000,2024-01-01\n400000,100000,2024-01-01\n400150,100000,2024-01-03\n401000,100000,2024-01-10\n", "p.csv", in: dir)
        let out = dir + "/nr.json"
        let r = run(["nearrepeat", "--incidents", csv, "--schema", "points", "--space-band", "200", "--time-band", "1",
                     "--permutations", "0", "--out", out, "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let j = try json(out)
        let rows = [1.0, 2, 0, 0, 3], cols = [1.0, 0, 2, 3]
        let e = j["expected"] as! [[Double]]
        for a in 0 ..< 5 { for b in 0 ..< 4 { #expect(abs(e[a][b] - rows[a] * cols[b] / 6) < 1e-12) } }
        #expect(e == j["expected_exact"] as! [[Double]])
        let ratio = j["ratio"] as! [[Any]]
        #expect(abs((ratio[1][2] as! Double) - 3) < 1e-12 && abs((ratio[4][3] as! Double) - 2) < 1e-12)
        #expect(ratio[2][0] is NSNull)
        #expect((j["p"] as! [[Any]]).joined().allSatisfy { $0 is NSNull })
    }

    /// police.uk files and month-only dates are refused with the sentence; a missing band is a usage error.
    @Test func monthResolutionDataIsRefused() throws {
        let dir = try tempDir()
        let r = run(["nearrepeat", bundledPolice, "--space-band", "200", "--time-band", "1", "--out", dir + "/a.json"])
        #expect(r.status == 64 && r.err.contains("near-repeats need days"))
        let months = try write("x,y,date\n400000,100000,2020-01\n400100,100000,2020-02\n", "m.csv", in: dir)
        let m = run(["nearrepeat", "--incidents", months, "--schema", "points", "--space-band", "200", "--time-band", "1", "--out", dir + "/b.json"])
        #expect(m.status == 1 && m.err.contains("need days"))
        let undated = try write("x,y\n400000,100000\n400100,100000\n", "u.csv", in: dir)
        let u = run(["nearrepeat", "--incidents", undated, "--schema", "points", "--space-band", "200", "--time-band", "1", "--out", dir + "/c.json"])
        #expect(u.status == 1 && u.err.contains("no date column"))
        let nb = run(["nearrepeat", "--incidents", undated, "--schema", "points", "--time-band", "1", "--out", dir + "/d.json"])
        #expect(nb.status == 64 && nb.err.contains("--space-band"))
        let bad = run(["nearrepeat", "--incidents", undated, "--schema", "points", "--space-band", "200", "--time-band", "0.5", "--out", dir + "/d.json"])
        #expect(bad.status == 64 && bad.err.contains("whole number of days"))
    }

    /// An ISTV source publishes safely by default: the observed counts 1–7 are '*'; the home row is
    /// skipped as home_location_not_drawn in the ledger.
    @Test func healthSourcesArePublishedSafelyByDefault() throws {
        let dir = try tempDir()
        var rows = ["site_code,arrival_date_time,assault_date_time,assault_method,assault_method_other,assault_location_type,assault_location_description,lsoa_code,easting,northing"]
        for k in 0 ..< 6 { rows.append("RXX01,2024-05-0\(k + 1) 23:50,2024-05-0\(k + 1) 23:10,Knife,,Street,,E01000001,\(530000 + 50 * k),180000") }
        rows.append("RXX01,2024-05-02 02:10,2024-05-02 01:30,Body part,,Home,,E01000002,,")
        let p = try write(rows.joined(separator: "\n") + "\n", "istv.csv", in: dir)
        let out = dir + "/nr.json", acc = dir + "/acc.json"
        let r = run(["nearrepeat", "--incidents", p, "--schema", "istv", "--space-band", "100", "--time-band", "1", "--permutations", "9",
                     "--out", out, "--accounting", acc, "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let j = try json(out)
        let obs = j["observed"] as! [[Any]]
        #expect(obs.joined().contains { ($0 as? String) == "*" })
        #expect((j["publication"] as! String).contains("suppressed"))
        let a = try json(acc)
        let s = (a["sources"] as! [[String: Any]])[0]
        #expect((s["skipped"] as! [String: Int])["home_location_not_drawn"] == 1 && s["rows_used"] as! Int == 6)
        let exact = run(["nearrepeat", "--incidents", p, "--schema", "istv", "--space-band", "100", "--time-band", "1", "--permutations", "9",
                         "--out", out, "--quiet", "--no-publish"])
        #expect(exact.status == 0)
        #expect(try json(out)["observed"] as? [[Int]] != nil)
    }
}

@Suite("Command line: nearrepeat inputs and outputs")
struct NearRepeatGuardCLITests {
    /// An output equal to the input is refused (OutputGuard); an unknown schema name and unequal
    /// --incidents/--schema counts are usage errors; a schema naming a missing column is a run-time error
    /// naming the column.
    @Test func badInputsAndOutputsAreRefusedBeforeAnyWork() throws {
        let dir = try tempDir()
        let csv = dir + "/p.csv"
        try "x,y,date\n400000,100000,2024-01-01\n400100,100000,2024-01-02\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let same = run(["nearrepeat", "--incidents", csv, "--schema", "points", "--space-band", "100", "--time-band", "1", "--out", csv])
        #expect(same.status != 0 && same.err.contains(csv))
        #expect(try String(contentsOfFile: csv, encoding: .utf8).hasPrefix("x,y,date"))
        let unknown = run(["nearrepeat", "--incidents", csv, "--schema", "ambulance", "--space-band", "100", "--time-band", "1", "--out", dir + "/o.json"])
        #expect(unknown.status == 64 && unknown.err.contains("unknown --schema 'ambulance'"))
        let counts = run(["nearrepeat", "--incidents", csv, "--incidents", csv, "--schema", "points", "--schema", "points", "--schema", "istv",
                          "--space-band", "100", "--time-band", "1", "--out", dir + "/o.json"])
        #expect(counts.status == 64)
        let schema = dir + "/s.schema"
        try "date = date\neasting = east\nnorthing = y\n".write(toFile: schema, atomically: true, encoding: .utf8)
        let missing = run(["nearrepeat", "--incidents", csv, "--schema", schema, "--space-band", "100", "--time-band", "1", "--out", dir + "/o.json"])
        #expect(missing.status == 1 && missing.err.contains("'east'"))
    }
}

@Suite("Command line: the bundled synthetic ISTV file")
struct SyntheticISTVCLITests {
    static let file = repoRoot + "/datasets/synthetic_istv/SYNTHETIC_istv_plymouth_2024.csv"

    /// The istv schema runs out of the box on the bundled synthetic file: all 600 rows read, the home
    /// rows (no coordinates) skipped from the points as home_location_not_drawn, and in the published
    /// tables every suppressed observed cell is null in expected, ratio and p (ratio × expected would
    /// otherwise give the count back).
    @Test func nearRepeatsRunOnTheSyntheticFileAndPublishSafely() throws {
        let dir = try tempDir(), out = dir + "/nr.json", acc = dir + "/acc.json"
        let r = run(["nearrepeat", "--incidents", Self.file, "--schema", "istv", "--space-band", "100", "--time-band", "7",
                     "--time-bands", "2", "--permutations", "49", "--out", out, "--accounting", acc, "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let j = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        let obs = j["observed"] as! [[Any]], ratio = j["ratio"] as! [[Any]], exp = j["expected"] as! [[Any]]
        for (i, row) in obs.enumerated() { for (k, v) in row.enumerated() where (v as? String) == "*" {
            #expect(ratio[i][k] is NSNull && exp[i][k] is NSNull)
        } }
        #expect(j["expected_exact"] == nil && j["simulated_min"] == nil)
        let a = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: acc))) as! [String: Any]
        let s = (a["sources"] as! [[String: Any]])[0]
        let home = (s["skipped"] as! [String: Int])["home_location_not_drawn"]!
        #expect(s["rows_read"] as! Int == 600 && home > 0 && s["rows_used"] as! Int == 600 - home)
    }
}
