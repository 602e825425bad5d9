import Foundation
import Testing
import PlaceRiskCore
import PlaceRiskIO
@testable import PlaceRiskCLI

/// The bundled month files as lines (header first; the files end lines in CR LF).
private func bundledLines(_ month: String) throws -> [String] {
    try String(contentsOfFile: bundledPolice + "/\(month)-devon-and-cornwall-street.csv", encoding: .utf8)
        .split(whereSeparator: \.isNewline).map(String.init)
}

private func write(_ lines: [String], _ path: String) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
}

/// Sum of column `col` of a CSV written by PlaceRisk (no quoted commas in these columns).
private func csvRows(_ path: String) throws -> [[String]] {
    var r = try CSVReader(path: path)
    var out: [[String]] = []
    while try r.next() { out.append(r.fields) }
    return out
}

@Suite("Partitioned aggregates: aggregate --partition-by, merge, archive trees")
struct PartitionCLITests {
    /// Counts from force × month partitions, merged, equal one streamed run with no partitions byte for
    /// byte, and their n equal the in-memory `aggregate --by lsoa,month,crime_type` counts (the older,
    /// separately written path); sum_w = n × weight for the weights file (7, 3.5, 12.25, others 0).
    @Test func mergeOfPartitionsEqualsOneRunOverAllInputs() throws {
        let d = try tempDir()
        try "crime_type,weight\nViolence and sexual offences,7\nBurglary,3.5\nRobbery,12.25\n".write(toFile: d + "/w.csv", atomically: true, encoding: .utf8)
        let common = [bundledPolice, "--by", "lsoa,month,crime_type", "--weights", d + "/w.csv", "--format", "csv", "--quiet"]
        #expect(run(["aggregate"] + common + ["--partition-by", "force,month", "--out", d + "/fm"]).status == 0)
        #expect(run(["aggregate"] + common + ["--partition-by", "none", "--out", d + "/one"]).status == 0)
        #expect(run(["merge", d + "/fm", "--out", d + "/merged.csv", "--quiet"]).status == 0)
        #expect(run(["merge", d + "/one", "--out", d + "/one-merged.csv", "--quiet"]).status == 0)
        let merged = try String(contentsOfFile: d + "/merged.csv", encoding: .utf8)
        #expect(merged == (try String(contentsOfFile: d + "/one/part-0.csv", encoding: .utf8)))
        #expect(merged == (try String(contentsOfFile: d + "/one-merged.csv", encoding: .utf8)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: d + "/fm/force=devon-and-cornwall").sorted() == ["month=2020-01", "month=2020-02", "month=2020-03"])

        #expect(run(["aggregate", bundledPolice, "--by", "lsoa,month,crime_type", "--study-area", "all", "--out", d + "/mem.csv", "--quiet"]).status == 0)
        let mem = try csvRows(d + "/mem.csv").dropFirst().map { "\($0[0]),\($0[1]),\($0[2]),\($0[3])" }
        let rows = try csvRows(d + "/merged.csv").dropFirst()
        #expect(rows.map { "\($0[0]),\($0[1]),\($0[2]),\($0[3])" } == Array(mem))
        let w = ["Violence and sexual offences": 7.0, "Burglary": 3.5, "Robbery": 12.25]
        for r in rows {
            let n = Double(r[3])!, wt = w[r[2]] ?? 0
            #expect(Double(r[4])! == n * wt && Double(r[5])! == n * wt * wt)
        }
    }

    /// Parquet parts merge to the same table as CSV parts.
    @Test func parquetAndCSVPartsMergeAlike() throws {
        let d = try tempDir()
        for f in ["parquet", "csv"] {
            #expect(run(["aggregate", bundledPolice, "--by", "lsoa,month,crime_type", "--partition-by", "month", "--format", f, "--out", d + "/" + f, "--quiet"]).status == 0)
            #expect(run(["merge", d + "/" + f, "--out", d + "/\(f).csv", "--quiet"]).status == 0)
        }
        #expect(try String(contentsOfFile: d + "/parquet.csv", encoding: .utf8) == String(contentsOfFile: d + "/csv.csv", encoding: .utf8))
        let part = try ParquetFile(path: d + "/parquet/month=2020-02/part-0.parquet")
        #expect(part.fields.map(\.name) == ["lsoa_code", "month", "crime_type", "n", "sum_w", "sum_w2"])
        #expect(part.keyValues["placerisk.schema"] == PartitionFolder.schemaName)
    }

    /// A foreign file in a partition folder, parts of two grids, and LSOA with cell parts are refused
    /// with the file named; nothing is written.
    @Test func mergeRefusesForeignFilesOtherGridsAndSchemas() throws {
        let d = try tempDir()
        let cells = [bundledPolice, "--by", "cell,month", "--partition-by", "month", "--quiet"]
        #expect(run(["aggregate"] + cells + ["--grid", "80000,0,1000,300,200", "--out", d + "/g1"]).status == 0)
        #expect(run(["aggregate"] + cells + ["--grid", "80000,0,500,600,400", "--out", d + "/g2"]).status == 0)
        #expect(run(["aggregate", bundledPolice, "--by", "lsoa,month,crime_type", "--partition-by", "month", "--out", d + "/l", "--quiet"]).status == 0)
        let grids = run(["merge", d + "/g1", d + "/g2", "--out", d + "/x.parquet"])
        #expect(grids.status == 1 && grids.err.contains("grid 80000,0,500,600,400 differs from grid 80000,0,1000,300,200"))
        let schemas = run(["merge", d + "/g1", d + "/l", "--out", d + "/x.parquet"])
        #expect(schemas.status == 1 && schemas.err.contains("parts of different schemas do not merge"))
        try "notes".write(toFile: d + "/l/month=2020-01/notes.txt", atomically: true, encoding: .utf8)
        let foreign = run(["merge", d + "/l", "--out", d + "/x.parquet"])
        #expect(foreign.status == 1 && foreign.err.contains("month=2020-01/notes.txt: a foreign file in the partition folder"))
        #expect(!FileManager.default.fileExists(atPath: d + "/x.parquet"))
    }

    /// An existing non-empty --out is refused; a failing run (a file with no Month column) leaves
    /// neither the folder nor its staging copy.
    @Test func failedRunLeavesNoPartialFolder() throws {
        let d = try tempDir()
        try write(["Crime ID,Longitude,Latitude,LSOA code,Crime type", ",1,50,E01018936,Burglary"], d + "/in/2020-05/2020-05-x-street.csv")
        try FileManager.default.createDirectory(atPath: d + "/in/2020-01", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: bundledPolice + "/2020-01-devon-and-cornwall-street.csv", toPath: d + "/in/2020-01/2020-01-devon-and-cornwall-street.csv")
        let r = run(["aggregate", d + "/in", "--by", "lsoa,month,crime_type", "--partition-by", "force,month", "--out", d + "/out", "--quiet"])
        #expect(r.status == 1 && r.err.contains("2020-05-x-street.csv: header has no column 'Month'"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: d) == ["in"])
        try FileManager.default.createDirectory(atPath: d + "/busy", withIntermediateDirectories: true)
        try "x".write(toFile: d + "/busy/a", atomically: true, encoding: .utf8)
        let busy = run(["aggregate", bundledPolice, "--by", "lsoa,month,crime_type", "--partition-by", "month", "--out", d + "/busy", "--quiet"])
        #expect(busy.status == 1 && busy.err.contains("already exists and is not an empty folder"))
    }

    /// Two overlapping archive trees: archive A (2020-01, 2020-02) and the newer B (2020-02 with its
    /// last 100 rows removed, 2020-03), plus a byte-identical copy of A's 2020-01 in B. Each
    /// force-month is read once: A's January, B's February (newer archive), B's March; the ledger lists
    /// the identical and the replaced copies. Expected rows = line counts of the files read.
    @Test func overlappingArchivesReadEachForceMonthOnce() throws {
        let d = try tempDir()
        let jan = try bundledLines("2020-01"), feb = try bundledLines("2020-02"), mar = try bundledLines("2020-03")
        try write(jan, d + "/A/2020-01/2020-01-devon-and-cornwall-street.csv")
        try write(feb, d + "/A/2020-02/2020-02-devon-and-cornwall-street.csv")
        try write(jan, d + "/B/2020-01/2020-01-devon-and-cornwall-street.csv")
        try write(Array(feb.dropLast(100)), d + "/B/2020-02/2020-02-devon-and-cornwall-street.csv")
        try write(mar, d + "/B/2020-03/2020-03-devon-and-cornwall-street.csv")
        let r = run(["aggregate", d + "/A", d + "/B", "--by", "lsoa,month,crime_type", "--partition-by", "month", "--out", d + "/out",
                     "--accounting", d + "/acc.json"])
        #expect(r.status == 0)
        #expect(r.err.contains("B/2020-01/2020-01-devon-and-cornwall-street.csv: the same bytes as") || r.err.contains("A/2020-01/2020-01-devon-and-cornwall-street.csv: the same bytes as"))
        #expect(r.err.contains("A/2020-02/2020-02-devon-and-cornwall-street.csv: differs from \(d)/B/2020-02/2020-02-devon-and-cornwall-street.csv, the newer archive's copy"))
        let acc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/acc.json"))) as! [String: Any]
        #expect(acc["rows_read"] as? Int == (jan.count - 1) + (feb.count - 101) + (mar.count - 1))
        let copies = acc["archive_copies_not_read"] as! [[String: Any]]
        #expect(copies.map { $0["reason"] as! String }.sorted() == ["identical", "replaced"])
    }

    /// Two forces' files for one month with different headers (columns reordered, 'Context' and
    /// 'Reported by' missing) are read by column name with a warning naming the difference; a
    /// truncated file's cut last row is a counted malformed skip with its line; an empty file is an error.
    @Test func differingHeadersAndTruncatedFiles() throws {
        let d = try tempDir()
        let jan = try bundledLines("2020-01")
        try write(Array(jan.prefix(201)), d + "/in/2020-01/2020-01-devon-and-cornwall-street.csv")
        // Columns: Month, Longitude, Latitude, LSOA code, Crime type, Falls within (by name from the original).
        let h = jan[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let keep = ["Month", "Longitude", "Latitude", "LSOA code", "Crime type", "Falls within"].map { h.firstIndex(of: $0)! }
        let plain = jan.dropFirst().filter { !$0.contains("\"") } // no quoted commas: split by comma
        let other = [keep.map { h[$0] }.joined(separator: ",")] + plain.prefix(50).map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return keep.map { f[$0] }.joined(separator: ",")
        }
        // Truncated: the last row cut in the middle (fewer fields), no final line feed.
        let cut = other + [String(plain[plain.startIndex + 50].prefix(20))]
        try (cut.joined(separator: "\n")).write(toFile: d + "/in/2020-01/2020-01-other-street.csv", atomically: true, encoding: .utf8)
        let r = run(["aggregate", d + "/in", "--by", "lsoa,month,crime_type", "--partition-by", "force", "--out", d + "/out", "--accounting", d + "/acc.json"])
        #expect(r.status == 0)
        #expect(r.err.contains("2020-01-other-street.csv: its header lacks 'Crime ID', 'Reported by', 'Location', 'LSOA name', 'Last outcome category', 'Context'"))
        #expect(r.err.contains("columns were read by name"))
        let acc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/acc.json"))) as! [String: Any]
        #expect(acc["rows_read"] as? Int == 200 + 51)
        let skipped = acc["skipped"] as? [String: Any]
        #expect(skipped?["malformed"] as? Int == 1)
        #expect((acc["examples"] as? [String] ?? []).contains { $0.contains("2020-01-other-street.csv:52:") })
        try "".write(toFile: d + "/in/2020-01/2020-01-empty-street.csv", atomically: true, encoding: .utf8)
        let e = run(["aggregate", d + "/in", "--by", "lsoa,month,crime_type", "--partition-by", "force", "--out", d + "/out2", "--quiet"])
        #expect(e.status == 1 && e.err.contains("2020-01-empty-street.csv: file is empty"))
    }

    /// Small blocks (a large file split across workers at line ends) give the same partitions and
    /// ledger as one block per file, and messages keep the file's own line numbers.
    @Test func blockSplittingDoesNotChangeTheResult() throws {
        let d = try tempDir()
        var jan = try bundledLines("2020-01")
        jan[777] = jan[777].replacingOccurrences(of: "2020-01", with: "2020-13")
        try write(jan, d + "/2020-01/2020-01-devon-and-cornwall-street.csv")
        let sel = try ArchiveDiscovery.select([d])
        func once(_ block: Int) throws -> ([StreamingAggregation.PartitionRows], StreamingAggregation.Result) {
            var got: [StreamingAggregation.PartitionRows] = []
            let r = try StreamingAggregation.run(sel.sources, .init(unit: .lsoa, partitionBy: [.force], blockSize: block)) { got += $0 }
            return (got, r)
        }
        let (a, ra) = try once(8 << 20), (b, rb) = try once(4096)
        #expect(a.count == 1 && b.count == 1)
        #expect(a[0].n == b[0].n && a[0].unitLabels == b[0].unitLabels && a[0].crimeTypes == b[0].crimeTypes && a[0].months == b[0].months)
        #expect(ra.accounting == rb.accounting)
        #expect(rb.accounting.examples.contains { $0.contains("2020-01-devon-and-cornwall-street.csv:778:") })
        #expect(ra.accounting.rowsRead == jan.count - 1)
    }

    /// District partitions (the bundled IMD lookup): one folder per district code, and their counts add
    /// up to the force total of the in-memory aggregate (28,901 rows with an LSOA in 2020-01…03).
    @Test func districtPartitionsAddUpToTheForce() throws {
        let d = try tempDir()
        #expect(run(["aggregate", bundledPolice, "--by", "lsoa,month,crime_type", "--partition-by", "district", "--format", "csv", "--out", d + "/dist", "--quiet"]).status == 0)
        let folders = try FileManager.default.contentsOfDirectory(atPath: d + "/dist").filter { $0.hasPrefix("district=") }
        #expect(folders.contains("district=E06000052") && folders.contains("district=E06000053")) // Cornwall, Isles of Scilly
        var total = 0
        for f in folders { total += try csvRows(d + "/dist/" + f + "/part-0.csv").dropFirst().reduce(0) { $0 + Int($1[3])! } }
        #expect(run(["aggregate", bundledPolice, "--by", "lsoa,month,crime_type", "--study-area", "all", "--out", d + "/mem.csv", "--quiet"]).status == 0)
        #expect(total == (try csvRows(d + "/mem.csv").dropFirst().reduce(0) { $0 + Int($1[3])! }))
    }
}
