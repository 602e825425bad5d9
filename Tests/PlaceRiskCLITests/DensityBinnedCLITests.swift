import Foundation
import Testing
import PlaceRiskCore
import PlaceRiskIO
@testable import PlaceRiskCLI

/// `density --kernel gaussian --method binned`: the opt-in approximation states its maximum error, and
/// the exact run on the same inputs lies within it at every cell.
@Suite("density --method binned")
struct DensityBinnedCLITests {
    private func column(_ path: String) throws -> [Double] {
        var r = try CSVReader(path: path)
        var out: [Double] = []
        _ = try r.next()
        while try r.next() { out.append(Double(r.fields[5])!) }
        return out
    }

    /// On the bundled police data (h = 1500 m, 1 km cells): the meta file names the method and a
    /// positive maximum error in the output's units; |binned − exact| ≤ it at every one of the cells.
    @Test func binnedRunStatesItsErrorAndMeetsIt() throws {
        let d = try tempDir()
        let common = [bundledPolice, "--kernel", "gaussian", "--bandwidth", "1500", "--cell", "1000", "--quiet"]
        #expect(run(["density"] + common + ["--out", d + "/exact.csv"]).status == 0)
        let r = run(["density"] + common.dropLast() + ["--method", "binned", "--out", d + "/binned.csv"])
        #expect(r.status == 0, "\(r.err)")
        // s = ⌈10 · 1000 / 1500⌉ = 7 subdivisions: a lattice of 1000 / 7 m.
        #expect(r.err.contains("Method: binned Gaussian (lattice 142.85714285714286 m); maximum error "), "\(r.err)")
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/binned.csv.meta.json"))) as! [String: Any]
        #expect((meta["method"] as? String)?.hasPrefix("binned: linear binning on a lattice of 142.85714285714286 m") == true)
        let bound = try #require(meta["maximum_error"] as? Double)
        #expect(bound > 0)
        let exactMeta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/exact.csv.meta.json"))) as! [String: Any]
        #expect(exactMeta["maximum_error"] is NSNull)
        let a = try column(d + "/exact.csv"), b = try column(d + "/binned.csv")
        #expect(a.count == b.count && a.count > 1000)
        let worst = zip(a, b).map { abs($0 - $1) }.max()!
        #expect(worst <= bound, "measured \(worst), stated \(bound)")
        #expect(worst > 0) // it is an approximation, and says so
    }

    /// The option is checked before any file is read: binned is Gaussian-only and takes one bandwidth.
    @Test func binnedNeedsTheGaussianAndOneBandwidth() {
        let q = run(["density", bundledPolice, "--kernel", "quartic", "--method", "binned", "--out", "/tmp/x.csv"])
        #expect(q.status == 64 && q.err.contains("--method binned is for --kernel gaussian"), "\(q.err)")
        let a = run(["density", bundledPolice, "--kernel", "gaussian", "--method", "binned", "--adaptive", "abramson", "--out", "/tmp/x.csv"])
        #expect(a.status == 64 && a.err.contains("cannot be combined with --adaptive"), "\(a.err)")
        let m = run(["density", bundledPolice, "--method", "fft", "--out", "/tmp/x.csv"])
        #expect(m.status == 64 && m.err.contains("invalid --method 'fft'; expected exact or binned"), "\(m.err)")
    }
}
