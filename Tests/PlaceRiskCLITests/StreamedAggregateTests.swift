import Foundation
import Testing
import PlaceRiskCore
import PlaceRiskIO
@testable import PlaceRiskCLI

/// Runs `aggregate` in-process with every row in memory (`streamed: false`: `IncidentInputs` +
/// `IncidentAggregator`, the path plain `aggregate` took before it streamed).
private func runInMemory(_ args: [String]) -> (status: Int32, err: String) {
    final class Box: @unchecked Sendable { var err = ""; let lock = NSLock() }
    let b = Box()
    let io = CLIOutput(out: { _ in }, err: { s in b.lock.lock(); b.err += s; b.lock.unlock() })
    do {
        let a = try AggregateCommand.spec.parse(args)
        try AggregateCommand.run(a, io: io, streamed: false)
        return (0, b.err)
    } catch {
        return (1, b.err + "\(error)")
    }
}

@Suite("Plain aggregate streams: the same files as the in-memory path")
struct StreamedAggregateTests {
    /// For each option set, the streamed run writes the same output, FILE.meta.json and accounting
    /// JSON, byte for byte, and the same messages, as the in-memory run over the same inputs: the
    /// bundled 2020-01…03 files, and a folder with one of them given twice under another name
    /// (every Crime ID repeated) beside a copy with broken rows. (Weights are binary fractions: sums of
    /// others, e.g. 0.1, depend on the order of addition in the last digit on either path.)
    @Test func streamedOutputsEqualTheInMemoryOnes() throws {
        let d = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: d) }
        try "crime_type,weight\nViolence and sexual offences,7\nBurglary,3.5\nRobbery,12.25\nOther theft,0.375\n".write(toFile: d + "/w.csv", atomically: true, encoding: .utf8)
        // A folder with duplicates and defects.
        let mixed = d + "/mixed"
        try FileManager.default.createDirectory(atPath: mixed, withIntermediateDirectories: true)
        let jan = bundledPolice + "/2020-01-devon-and-cornwall-street.csv"
        try FileManager.default.copyItem(atPath: jan, toPath: mixed + "/a-2020-01-street.csv")
        try FileManager.default.copyItem(atPath: jan, toPath: mixed + "/b-2020-01-street.csv")
        // Split at LF bytes (the files end lines in CR LF; each line keeps its CR).
        var lines = try Data(contentsOf: URL(fileURLWithPath: bundledPolice + "/2020-02-devon-and-cornwall-street.csv"))
            .split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        lines[10] = lines[10].replacingOccurrences(of: ",E01", with: ",\"E01")      // a quote left open
        lines[20] = lines[20].replacingOccurrences(of: "2020-02", with: "2020-1")   // a bad month
        lines[30] = lines[30].replacingOccurrences(of: ",E01", with: ",X01")        // an invalid LSOA code
        lines[40] = "\r"                                                            // a blank line
        try lines.joined(separator: "\n").write(toFile: mixed + "/c-2020-02-street.csv", atomically: true, encoding: .utf8)

        let cases: [[String]] = [
            [bundledPolice, "--by", "lsoa,month", "--zero-fill", "--study-area", "core"],
            [bundledPolice, "--by", "lsoa,month,crime_type", "--weights", d + "/w.csv"],
            [bundledPolice, "--by", "lsoa", "--crime-type", "violence-and-sexual-offences", "--from", "2020-02"],
            [bundledPolice, "--by", "lsoa,month", "--districts", "E06000052", "--zero-fill"],
            [bundledPolice, "--by", "cell,month", "--grid", "130000,10000,1000,220,120", "--weights", d + "/w.csv"],
            [bundledPolice, "--by", "cell", "--bbox", "170000,30000,260000,90000", "--cell", "500"],
            [mixed, "--by", "lsoa,month,crime_type", "--zero-fill"],
            [mixed, "--by", "cell,month", "--grid", "130000,10000,1000,220,120", "--force", "Devon & Cornwall Police"],
        ]
        for (k, c) in cases.enumerated() {
            for ext in (c.contains("cell") && !c.contains("cell,month") ? ["csv", "asc"] : ["csv"]) {
                let out = d + "/out\(k).\(ext)", acc = d + "/acc\(k).json"
                let args = c + ["--out", out, "--accounting", acc]
                let mem = runInMemory(args)
                #expect(mem.status == 0, "case \(k): \(mem.err)")
                let memOut = try Data(contentsOf: URL(fileURLWithPath: out)), memMeta = try Data(contentsOf: URL(fileURLWithPath: out + ".meta.json"))
                let memAcc = try Data(contentsOf: URL(fileURLWithPath: acc))
                for p in [out, out + ".meta.json", acc] { try FileManager.default.removeItem(atPath: p) }
                let s = run(["aggregate"] + args)
                #expect(s.status == 0, "case \(k): \(s.err)")
                let sOut = try Data(contentsOf: URL(fileURLWithPath: out))
                #expect(sOut == memOut, "case \(k) \(ext): output \(firstDifference(sOut, memOut))")
                #expect(try Data(contentsOf: URL(fileURLWithPath: out + ".meta.json")) == memMeta, "case \(k) \(ext): meta")
                #expect(try Data(contentsOf: URL(fileURLWithPath: acc)) == memAcc, "case \(k) \(ext): accounting")
                #expect(s.err == mem.err, "case \(k) \(ext): messages \(firstDifference(Data(s.err.utf8), Data(mem.err.utf8)))")
            }
        }
        // The mixed folder has every Crime ID of 2020-01 twice: the duplicates are counted on both paths.
        let acc = try String(contentsOfFile: d + "/acc6.json", encoding: .utf8)
        #expect(acc.contains("\"duplicate_crime_ids\": ") && !acc.contains("\"duplicate_crime_ids\": 0"))
    }
}

/// The first line where two texts differ, both versions (for a readable failure).
private func firstDifference(_ a: Data, _ b: Data) -> String {
    let la = String(decoding: a, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    let lb = String(decoding: b, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    for i in 0 ..< max(la.count, lb.count) where i >= la.count || i >= lb.count || la[i] != lb[i] {
        return "line \(i + 1): streamed '\(i < la.count ? String(la[i].prefix(300)) : "<none>")' vs in memory '\(i < lb.count ? String(lb[i].prefix(300)) : "<none>")'"
    }
    return "none"
}
