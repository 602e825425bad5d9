import Foundation
import Testing
import PlaceRiskCore
@testable import PlaceRiskIO

/// A disk that fills while writing: every file writer stops with ENOSPC, removes what it wrote and
/// leaves nothing that claims to be complete. Simulated with `SimulatedFullDisk` (a byte budget for
/// one test folder, the other tests unaffected) and, on Linux, with the real `/dev/full` device
/// (every write fails with ENOSPC).
@Suite("Disk full while writing")
struct DiskFullTests {
    private func rows(_ n: Int) -> [[String]] { (0 ..< n).map { ["E0100\($0 % 10_000)", "2020-01", "Burglary", String($0)] } }

    private func entries(_ folder: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() }

    /// A CSV of ~300 kB under a 100 kB disk: the write fails with ENOSPC naming the file, and neither
    /// the file nor its temporary copy is left; an earlier file of that name is untouched.
    @Test func csvWriterRemovesThePartialFile() throws {
        let d = try temporaryFolder()
        defer { SimulatedFullDisk.remove(under: d) }
        try "earlier\n".write(toFile: d + "/old.csv", atomically: true, encoding: .utf8)
        SimulatedFullDisk.install(under: d, bytes: 100_000)
        for path in [d + "/new.csv", d + "/old.csv"] {
            let w = try CSVWriter(path: path)
            do {
                for r in rows(12_000) { try w.writeRow(r) }
                try w.close()
                Issue.record("the write of \(path) did not fail")
            } catch {
                #expect(error.file == path)
                #expect(error.reason.contains("No space left on device") && error.reason.contains("the partial file was removed"), "\(error)")
            }
            SimulatedFullDisk.install(under: d, bytes: 100_000)
        }
        #expect(entries(d) == ["old.csv"])
        #expect(try String(contentsOfFile: d + "/old.csv", encoding: .utf8) == "earlier\n")
        // Within the budget the same writer succeeds (the simulation only refuses what does not fit).
        let w = try CSVWriter(path: d + "/small.csv")
        for r in rows(10) { try w.writeRow(r) }
        try w.close()
        #expect(try String(contentsOfFile: d + "/small.csv", encoding: .utf8).split(separator: "\n").count == 10)
    }

    /// A writer dropped before `close()` (a command that failed half-way) leaves no file.
    @Test func anUnclosedWriterLeavesNoFile() throws {
        let d = try temporaryFolder()
        do {
            let w = try CSVWriter(path: d + "/x.csv")
            for r in rows(20_000) { try w.writeRow(r) }
        }
        #expect(entries(d).isEmpty)
    }

    /// The real device: on Linux every write to /dev/full fails with ENOSPC; the CSV writer and the
    /// Parquet writer report it (a device is written in place, never renamed onto).
    @Test func devFullIsAnError() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let w = try CSVWriter(path: "/dev/full")
        #expect(throws: CSVError.self) {
            for r in rows(20_000) { try w.writeRow(r) }
            try w.close()
        }
        do {
            try ParquetWriter.write([ParquetColumn("n", .int64([1, 2, 3]))], to: "/dev/full")
            Issue.record("writing Parquet to /dev/full did not fail")
        } catch {
            #expect(error.reason.contains("No space left on device"), "\(error)")
        }
    }

    /// Partitions of 60 rows each under a disk that holds about two parts: the third part fails, the
    /// error names it and says the unfinished folder was removed, and nothing is left: no OUT, no
    /// OUT.partial-PID, no temporary part.
    @Test(arguments: [PartitionFolder.Format.parquet, .csv])
    func partitionWriterRemovesTheUnfinishedFolder(format: PartitionFolder.Format) throws {
        let d = try temporaryFolder()
        defer { SimulatedFullDisk.remove(under: d) }
        let identity = PartitionFolder.Identity(unit: "lsoa_code", grid: "", weights: "none")
        func part(_ month: String) -> StreamingAggregation.PartitionRows {
            let k = 60
            return StreamingAggregation.PartitionRows(
                values: [month], unitLabels: (0 ..< k).map { "E010\(String(format: "%05d", $0))" }, cellIDs: [],
                months: Array(repeating: month, count: k), crimeTypes: Array(repeating: "Burglary", count: k),
                n: (0 ..< k).map { Int64($0 + 1) }, sumW: (0 ..< k).map { Double($0 + 1) }, sumW2: (0 ..< k).map { Double($0 + 1) })
        }
        // The size of one part, measured on a disk with room.
        let probe = try PartitionFolder.Writer(root: d + "/probe", fields: ["month"], format: format, identity: identity)
        try probe.write([part("2020-01")])
        try probe.finish()
        let partBytes = try FileManager.default.attributesOfItem(atPath: d + "/probe/month=2020-01/part-0.\(format.rawValue)")[.size] as! Int

        SimulatedFullDisk.install(under: d + "/full", bytes: partBytes * 2 + partBytes / 2)
        let w = try PartitionFolder.Writer(root: d + "/full/out", fields: ["month"], format: format, identity: identity)
        do {
            try w.write([part("2020-01"), part("2020-02"), part("2020-03")])
            Issue.record("the third part did not fail")
        } catch {
            #expect(error.file == d + "/full/out/month=2020-03/part-0.\(format.rawValue)")
            #expect(error.reason.contains("No space left on device"), "\(error)")
            #expect(error.reason.contains("the unfinished partition folder was removed and nothing was written to \(d)/full/out"), "\(error)")
        }
        #expect(w.filesWritten == 2)
        #expect(entries(d + "/full").isEmpty)
        // The manifest is the last write: a disk that fills exactly there fails the same way.
        SimulatedFullDisk.install(under: d + "/full", bytes: partBytes + 10)
        let m = try PartitionFolder.Writer(root: d + "/full/out", fields: ["month"], format: format, identity: identity)
        try m.write([part("2020-01")])
        #expect(throws: CSVError.self) { try m.finish() }
        #expect(entries(d + "/full").isEmpty)
        // Written in the background (as `aggregate --partition-by` does): the same part fails, the
        // error comes at the next call (or when waiting), the same two parts were written, nothing is left.
        SimulatedFullDisk.install(under: d + "/full", bytes: partBytes * 2 + partBytes / 2)
        let b = try PartitionFolder.Writer(root: d + "/full/out", fields: ["month"], format: format, identity: identity)
        try b.writeInBackground([part("2020-01"), part("2020-02"), part("2020-03")])
        do {
            try b.waitForWrites()
            Issue.record("the third background part did not fail")
        } catch {
            #expect(error.file == d + "/full/out/month=2020-03/part-0.\(format.rawValue)")
            #expect(error.reason.contains("the unfinished partition folder was removed and nothing was written to \(d)/full/out"), "\(error)")
        }
        #expect(throws: CSVError.self) { try b.writeInBackground([part("2020-04")]) }
        #expect(throws: CSVError.self) { try b.finish() }
        #expect(b.filesWritten == 2)
        #expect(entries(d + "/full").isEmpty)
    }
}
