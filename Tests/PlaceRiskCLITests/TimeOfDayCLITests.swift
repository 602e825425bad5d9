import Foundation
import Testing
import PlaceRiskCore
import PlaceRiskIO
@testable import PlaceRiskCLI

@Suite("Command line: timeofday")
struct TimeOfDayCLITests {
    static let edinburgh = repoRoot + "/Tests/PlaceRiskIOTests/Fixtures/dated/edinburgh_2012_accident_first200.csv"
    static let edinburghSchema = repoRoot + "/Tests/PlaceRiskIOTests/Fixtures/dated/edinburgh_collisions.schema"

    /// The 24 × 7 table of 200 Edinburgh collisions (times to the minute: no spreading) equals pandas'
    /// `groupby([date.dt.dayofweek, a_time_hr]).size()` (pandas 3.1.1, printed as "weekday,hour": n);
    /// night-time economy share 15/200 and weekend share 35/200 by the same groupby.
    @Test func tableEqualsPandasGroupby() throws {
        let pandas = "0,7:1 0,8:5 0,9:3 0,11:4 0,13:3 0,14:2 0,15:3 0,16:3 0,17:5 0,18:3 0,19:3 0,20:2 0,22:1 1,4:1 1,7:3 1,8:1 1,9:6 1,10:1 1,11:3 1,13:2 1,14:2 1,15:1 1,17:6 1,18:2 1,19:2 1,21:3 1,22:1 2,3:1 2,6:1 2,8:5 2,9:3 2,10:1 2,11:2 2,12:1 2,13:1 2,14:3 2,15:3 2,16:4 2,17:5 2,18:2 2,19:1 2,20:1 3,2:3 3,3:1 3,7:2 3,8:1 3,9:2 3,11:3 3,12:3 3,13:1 3,14:1 3,15:2 3,16:3 3,17:3 3,18:7 4,2:1 4,7:1 4,8:2 4,9:1 4,10:3 4,11:1 4,12:4 4,14:1 4,16:3 4,17:5 4,18:1 4,19:1 4,20:1 4,21:2 5,0:1 5,1:1 5,4:1 5,12:1 5,14:3 5,15:1 5,16:1 5,17:1 5,18:1 5,19:2 5,22:1 5,23:1 6,1:1 6,2:3 6,3:4 6,8:1 6,12:2 6,15:2 6,17:1 6,18:3 6,20:1 6,21:1 6,22:1"
        var expected = [[Double]](repeating: [Double](repeating: 0, count: 7), count: 24)
        for item in pandas.split(separator: " ") {
            let kv = item.split(separator: ":"), wh = kv[0].split(separator: ",")
            expected[Int(wh[1])!][Int(wh[0])!] = Double(kv[1])!
        }
        let dir = try tempDir(), out = dir + "/tod.json"
        let r = run(["timeofday", "--incidents", Self.edinburgh, "--schema", Self.edinburghSchema, "--by", "source", "--out", out, "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let j = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        let t = (j["tables"] as! [[String: Any]])[0]
        #expect(t["table"] as! [[Double]] == expected)
        #expect(t["night_time_economy_share"] as! Double == 15.0 / 200)
        #expect(t["weekend_share"] as! Double == 35.0 / 200)
    }

    /// An ISTV source is published safely by default: the CSV holds no count 1–7, only '*', 0 or multiples of 5.
    @Test func istvTablesArePublishedSafely() throws {
        let dir = try tempDir()
        var rows = ["site_code,arrival_date_time,assault_date_time,assault_method,assault_method_other,assault_location_type,assault_location_description"]
        for k in 0 ..< 40 { rows.append("RXX01,2024-05-03 23:50,2024-05-03 \(k % 3 == 0 ? "23" : "22"):1\(k % 10),Knife,,Street,") }
        let p = dir + "/istv.csv"
        try (rows.joined(separator: "\n") + "\n").write(toFile: p, atomically: true, encoding: .utf8)
        let out = dir + "/tod.csv"
        let r = run(["timeofday", "--incidents", p, "--schema", "istv", "--by", "none", "--out", out, "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let values = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",").last.map(String.init)! }
        #expect(values.allSatisfy { $0 == "*" || (Int($0).map { $0 == 0 || $0 % 5 == 0 } ?? false) })
        #expect(values.contains("25") && values.contains("15"))   // 26 rows at 22h → 25; 14 at 23h → 15 (rounded)
    }

    /// Tables by source and type, and by type across sources, counted by hand: source A's rows (the
    /// `points` schema) are of types b, a, b, (empty), a, c and source B's (its own schema, "ambulance") of
    /// a, d, each a point time on Wednesday 3 January 2024 at 10:00 + its row number hours; groups come in
    /// the order of their first rows, each holding its rows' hours and nothing else.
    @Test func tablesByTypeHoldTheirOwnRowsInFirstSeenOrder() throws {
        let dir = try tempDir()
        func write(_ name: String, _ types: [String]) throws -> String {
            var text = "x,y,date,category\n"
            for (k, t) in types.enumerated() { text += "200000,50000,2024-01-03 \(10 + k):00,\(t)\n" }
            let p = dir + "/" + name + ".csv"
            try text.write(toFile: p, atomically: true, encoding: .utf8)
            return p
        }
        let a = try write("A", ["b", "a", "b", "", "a", "c"]), b = try write("B", ["a", "d"])
        let schema = dir + "/ambulance.schema"
        try "name = ambulance\nagency = ambulance service\ndate = date\neasting = x\nnorthing = y\ncategory = category\n".write(toFile: schema, atomically: true, encoding: .utf8)
        func tables(_ by: String) throws -> [(String, String, Int, [Int])] {
            let out = dir + "/t-\(by).json"
            let r = run(["timeofday", "--incidents", a, "--schema", "points", "--incidents", b, "--schema", schema, "--by", by, "--no-publish", "--out", out, "--quiet"])
            #expect(r.status == 0, "\(r.err)")
            let j = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
            return (j["tables"] as! [[String: Any]]).map { t in
                let cells = t["table"] as! [[Double]]
                // Wednesday is ISO weekday 2: the hours holding an incident.
                let hours = (0 ..< 24).flatMap { h in [Int](repeating: h, count: Int(cells[h][2])) }
                return (t["source"] as! String, t["type"] as! String, t["incidents"] as! Int, hours)
            }
        }
        let st = try tables("source,type")
        #expect(st.map { "\($0.1):\($0.2):\($0.3)" } == ["b:2:[10, 12]", "a:2:[11, 14]", "(none):1:[13]", "c:1:[15]", "a:1:[10]", "d:1:[11]"])
        #expect(st.map(\.0) == ["points", "points", "points", "points", "ambulance", "ambulance"])
        let ty = try tables("type")
        #expect(ty.map { "\($0.1):\($0.2):\($0.3)" } == ["b:2:[10, 12]", "a:3:[10, 11, 14]", "(none):1:[13]", "c:1:[15]", "d:1:[11]"])
        let none = try tables("none")
        #expect(none.count == 1 && none[0].2 == 8 && none[0].3 == [10, 10, 11, 11, 12, 13, 14, 15])
    }

    /// Bad --nte and --out values are usage errors before any file is read.
    @Test func badOptionsAreUsageErrors() {
        let a = run(["timeofday", "--incidents", Self.edinburgh, "--schema", Self.edinburghSchema, "--out", "/tmp/x.txt"])
        #expect(a.status == 64)
        let b = run(["timeofday", "--incidents", Self.edinburgh, "--schema", Self.edinburghSchema, "--nte", "funday 20-04", "--out", "/tmp/x.csv"])
        #expect(b.status == 64 && b.err.contains("--nte"))
    }
}
