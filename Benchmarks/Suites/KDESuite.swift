import Foundation
import PlaceRiskCore
import PlaceRiskIO

/// `kde`: exact windowed kernel density of weighted points on a grid.
enum KDESuite {
    static let usage = "placerisk-bench kde --points FILE.csv --grid SPEC --bandwidth M --kernel quartic|gaussian|... [--repeats N]"

    static func run(_ o: Options) {
        guard let path = o.value("--points") else { fail("kde needs --points FILE.csv") }
        guard let spec = o.value("--grid"), let grid = try? Grid(spec: spec) else { fail("kde needs --grid xmin,ymin,cell,ncols,nrows") }
        guard let h = o.value("--bandwidth").flatMap(Double.init), let shape = KernelShape(rawValue: o.value("--kernel") ?? "quartic"),
              let kernel = try? Kernel(shape, bandwidth: h) else { fail("kde needs --bandwidth M and a --kernel") }
        let pts: PointSet
        do { pts = try PointSet.read(path: path, weights: true) } catch { fail(error.description) }
        let (v, t) = time(o.repeats) { KernelDensity.estimate(x: pts.x, y: pts.y, weights: pts.weight, grid: grid, kernel: kernel) }
        record(op: "kde", size: pts.count, grid: grid.label, method: "exact windowed \(shape.rawValue) h=\(h.shortDescription)", times: t,
               input: baseName(path),
               extra: [("bandwidth", .number(h)), ("kernel", .string(shape.rawValue)),
                       ("sum_times_cell_area", .number(v.reduce(0, +) * grid.cellArea)), ("peak", .number(v.max() ?? 0))])
    }
}
