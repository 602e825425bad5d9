import Foundation
import Testing
import PlaceRiskCore
import PlaceRiskIO
@testable import PlaceRiskCLI

/// A disk that fills while a command writes (issue 15, Bad input; issue 11 §2, a failed write is a
/// non-zero exit): the command exits 1 with the file and "No space left on device" in the message,
/// and removes what it had written, so nothing is left that looks like a finished result. The full
/// disk is `SimulatedFullDisk` on the test's own folder (no root, no mounts) and, on Linux, the
/// `/dev/full` device.
@Suite("Commands on a full disk")
struct DiskFullCLITests {
    private func entries(_ folder: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() }

    /// `aggregate --partition-by force,month` (Parquet and CSV parts) on a disk that fills after
    /// 3,000 bytes: exit 1, the message names the part that failed and says the unfinished folder
    /// was removed; the disk's folder is empty afterwards (no OUT, no OUT.partial-PID, no part).
    @Test(arguments: ["parquet", "csv"])
    func partitionedAggregateRemovesTheUnfinishedFolder(format: String) throws {
        let d = try tempDir()
        try FileManager.default.createDirectory(atPath: d + "/full", withIntermediateDirectories: true)
        SimulatedFullDisk.install(under: d + "/full", bytes: 3_000)
        defer { SimulatedFullDisk.remove(under: d + "/full") }
        let r = run(["aggregate", bundledPolice, "--by", "lsoa,month,crime_type", "--partition-by", "force,month",
                     "--format", format, "--out", d + "/full/fm", "--quiet"])
        #expect(r.status == 1)
        #expect(r.err.contains("No space left on device"), "\(r.err)")
        #expect(r.err.contains("\(d)/full/fm/force=devon-and-cornwall/month=2020-0"), "\(r.err)")
        #expect(r.err.contains("the unfinished partition folder was removed and nothing was written to \(d)/full/fm"), "\(r.err)")
        #expect(entries(d + "/full").isEmpty)
    }

    /// `merge` into a full disk, Parquet and CSV output: exit 1, nothing at --out, no temporary file.
    @Test(arguments: ["merged.parquet", "merged.csv"])
    func mergeLeavesNoPartialOutput(name: String) throws {
        let d = try tempDir()
        #expect(run(["aggregate", bundledPolice, "--by", "lsoa,month,crime_type", "--partition-by", "month", "--out", d + "/parts", "--quiet"]).status == 0)
        try FileManager.default.createDirectory(atPath: d + "/full", withIntermediateDirectories: true)
        SimulatedFullDisk.install(under: d + "/full", bytes: 2_000)
        defer { SimulatedFullDisk.remove(under: d + "/full") }
        let r = run(["merge", d + "/parts", "--out", d + "/full/" + name, "--quiet"])
        #expect(r.status == 1)
        #expect(r.err.contains("\(d)/full/\(name): write failed after 2000 bytes: No space left on device; the partial file was removed"), "\(r.err)")
        #expect(entries(d + "/full").isEmpty)
    }

    /// A plain `--out` (aggregate's counts CSV) on a full disk: exit 1, no counts file, no
    /// `.meta.json` beside it claiming the run succeeded; an earlier file of that name is untouched.
    @Test func plainOutputOnAFullDiskIsAFailureAndLeavesNoFile() throws {
        let d = try tempDir()
        try "earlier\n".write(toFile: d + "/counts.csv", atomically: true, encoding: .utf8)
        SimulatedFullDisk.install(under: d, bytes: 500)
        defer { SimulatedFullDisk.remove(under: d) }
        let r = run(["aggregate", bundledPolice, "--by", "lsoa,month", "--out", d + "/counts.csv", "--quiet"])
        #expect(r.status == 1)
        #expect(r.err.contains("\(d)/counts.csv: write failed after 500 bytes: No space left on device"), "\(r.err)")
        #expect(entries(d) == ["counts.csv"])
        #expect(try String(contentsOfFile: d + "/counts.csv", encoding: .utf8) == "earlier\n")
    }

    /// The real device: every write to /dev/full fails with ENOSPC; `aggregate --out /dev/full` exits 1
    /// and writes no `.meta.json` beside it.
    @Test func devFullOutputIsAFailure() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let r = run(["aggregate", bundledPolice, "--by", "lsoa,month", "--out", "/dev/full", "--quiet"])
        #expect(r.status == 1)
        #expect(r.err.contains("/dev/full: write failed after 0 bytes: No space left on device"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: "/dev/full.meta.json"))
    }
}
