import Foundation
import PlaceRiskCore
import PlaceRiskIO

/// `bin`: points → grid counts (1 worker and all cores) and weighted sums. File I/O excluded, as the peers do.
enum BinSuite {
    static let usage = "placerisk-bench bin --points FILE.csv --grid xmin,ymin,cell,ncols,nrows [--repeats N] [--weighted]"

    static func run(_ o: Options) {
        guard let path = o.value("--points") else { fail("bin needs --points FILE.csv") }
        guard let spec = o.value("--grid"), let grid = try? Grid(spec: spec) else { fail("bin needs --grid xmin,ymin,cell,ncols,nrows") }
        let repeats = o.repeats
        let weighted = o.flag("--weighted")
        let pts: PointSet
        do { pts = try PointSet.read(path: path, weights: weighted) } catch { fail(error.description) }
        let name = baseName(path)
        let n = pts.count
        let (c1, t1) = time(repeats) { GridBinning.counts(x: pts.x, y: pts.y, grid: grid, workers: 1) }
        record(op: "bin", size: n, grid: grid.label, method: "counts, fused floor+count, 1 worker", times: t1, input: name,
               extra: [("inside", .int(c1.inside)), ("outside", .int(c1.outside))])
        let k = Parallel.processorCount
        let (ck, tk) = time(repeats) { GridBinning.counts(x: pts.x, y: pts.y, grid: grid, workers: k) }
        precondition(ck == c1, "parallel and serial binning disagree")
        record(op: "bin", size: n, grid: grid.label, method: "counts, fused floor+count, \(k) workers", times: tk, input: name,
               extra: [("peak_rss_mb", mb(peakRSSMB())), ("coordinate_mb", .number(Double(n * 16) / 1_048_576)),
                       ("weights_loaded", .bool(weighted))])
        if weighted {
            let (_, tw) = time(repeats) { GridBinning.weightedSums(x: pts.x, y: pts.y, weights: pts.weight, grid: grid) }
            record(op: "bin", size: n, grid: grid.label, method: "weighted, fused, \(k) workers", times: tw, input: name)
        }
    }
}
