import Foundation
import PlaceRiskCore
import PlaceRiskIO

/// `gistar`: Getis-Ord Gi* z on grid counts (binary distance band), then z + p + BH q + FDR bins.
enum GiStarSuite {
    static let usage = "placerisk-bench gistar --points FILE.csv --grid SPEC --band M [--repeats N]"

    static func run(_ o: Options) {
        guard let path = o.value("--points") else { fail("gistar needs --points FILE.csv") }
        guard let spec = o.value("--grid"), let grid = try? Grid(spec: spec) else { fail("gistar needs --grid xmin,ymin,cell,ncols,nrows") }
        guard let band = o.value("--band").flatMap(Double.init) else { fail("gistar needs --band M") }
        let pts: PointSet
        do { pts = try PointSet.read(path: path) } catch { fail(error.description) }
        let counts = GridBinning.counts(x: pts.x, y: pts.y, grid: grid).counts.map(Double.init)
        do {
            let (r, t) = try time(o.repeats) { try GetisOrd.gridZ(counts, grid: grid, band: band) }
            record(op: "gistar", size: pts.count, grid: "\(grid.label) D=\(band.shortDescription)m", method: "stencil row prefix sums + formula", times: t,
                   input: baseName(path),
                   extra: [("cells", .int(grid.cellCount)), ("z_max", .number(r.z.compactMap { $0.isNaN ? nil : $0 }.max() ?? .nan))])
            let (_, tf) = try time(o.repeats) { try GetisOrd.grid(counts, grid: grid, band: band, fdr: true) }
            record(op: "gistar", size: pts.count, grid: "\(grid.label) D=\(band.shortDescription)m", method: "z + two-sided p + BH q + FDR bins", times: tf,
                   input: baseName(path), extra: [("cells", .int(grid.cellCount))])
        } catch { fail("\(error)") }
    }
}
