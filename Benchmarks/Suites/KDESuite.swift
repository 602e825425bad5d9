import Foundation
import PlaceRiskCore
import PlaceRiskIO

/// `kde`: exact windowed kernel density of weighted points on a grid.
enum KDESuite {
    static let usage = "placerisk-bench kde --points FILE.csv --grid SPEC --bandwidth M --kernel quartic|gaussian|... [--method exact|binned] [--repeats N]"

    static func run(_ o: Options) {
        guard let path = o.value("--points") else { fail("kde needs --points FILE.csv") }
        guard let spec = o.value("--grid"), let grid = try? Grid(spec: spec) else { fail("kde needs --grid xmin,ymin,cell,ncols,nrows") }
        guard let h = o.value("--bandwidth").flatMap(Double.init), let shape = KernelShape(rawValue: o.value("--kernel") ?? "quartic"),
              let kernel = try? Kernel(shape, bandwidth: h) else { fail("kde needs --bandwidth M and a --kernel") }
        let pts: PointSet
        do { pts = try PointSet.read(path: path, weights: true) } catch { fail(error.description) }
        if o.value("--method") == "binned" {
            guard shape == .gaussian else { fail("--method binned is for --kernel gaussian") }
            let (b, tb) = time(o.repeats) { try! BinnedGaussian.estimate(x: pts.x, y: pts.y, weights: pts.weight, grid: grid, bandwidth: h) }
            // The exact sum once, outside the timing: the measured error beside the stated bound.
            let exact = KernelDensity.estimate(x: pts.x, y: pts.y, weights: pts.weight, grid: grid, kernel: kernel)
            let peak = exact.max() ?? 0
            let worst = zip(b.values, exact).map { abs($0 - $1) }.max() ?? 0
            record(op: "kde", size: pts.count, grid: grid.label,
                   method: "binned gaussian h=\(h.shortDescription) (linear binning at \(b.spacing.shortDescription) m, stated max error \(b.maximumError.shortDescription) per m2)",
                   times: tb, input: baseName(path),
                   extra: [("bandwidth", .number(h)), ("kernel", .string("gaussian")), ("spacing_m", .number(b.spacing)),
                           ("maximum_error_per_m2", .number(b.maximumError)), ("maximum_error_relative_to_peak", .number(b.maximumError / peak)),
                           ("measured_max_abs_error_vs_exact_relative_to_peak", .number(worst / peak)),
                           ("sum_times_cell_area", .number(b.values.reduce(0, +) * grid.cellArea)), ("peak", .number(b.values.max() ?? 0))])
            return
        }
        let (v, t) = time(o.repeats) { KernelDensity.estimate(x: pts.x, y: pts.y, weights: pts.weight, grid: grid, kernel: kernel) }
        record(op: "kde", size: pts.count, grid: grid.label, method: "exact windowed \(shape.rawValue) h=\(h.shortDescription)", times: t,
               input: baseName(path),
               extra: [("bandwidth", .number(h)), ("kernel", .string(shape.rawValue)),
                       ("sum_times_cell_area", .number(v.reduce(0, +) * grid.cellArea)), ("peak", .number(v.max() ?? 0))])
    }
}
