import Foundation
import Testing
@testable import PlaceRiskCore

/// The opt-in binned Gaussian against the exact sum: its stated maximum error holds at every cell.
@Suite("Binned Gaussian density: stated maximum error against the exact sum")
struct BinnedGaussianTests {
    /// 400 weighted points inside, on the edge of and beyond a 37 × 29 grid of 100 m cells: at every cell
    /// |binned − brute-force exact sum| ≤ the stated bound W·[Δ'²/(8πh⁴) + tail], for bandwidths from 1.5
    /// to 8 cells, with one and three workers; the bound is at most 0.25 % of W/(2πh²) as documented,
    /// and the measured error is far inside it.
    @Test func errorStaysWithinTheStatedBound() throws {
        var rng = SeededGenerator(seed: 2024)
        let g = try Grid(xmin: 1000, ymin: 5000, cell: 100, ncols: 37, nrows: 29)
        let n = 400
        let x = (0 ..< n).map { _ in Double.random(in: 500 ... 5200, using: &rng) }
        let y = (0 ..< n).map { _ in Double.random(in: 4600 ... 8300, using: &rng) }
        let w = (0 ..< n).map { _ in Double.random(in: 0.5 ... 3, using: &rng) }
        for h in [150.0, 333, 800] {
            let exact = bruteForceKDE(x: x, y: y, w: w, grid: g, kernel: try Kernel(.gaussian, bandwidth: h))
            for workers in [1, 3] {
                let b = try BinnedGaussian.estimate(x: x, y: y, weights: w, grid: g, bandwidth: h, workers: workers)
                #expect(b.pointsBinned == n)
                #expect(abs(b.totalWeight - w.reduce(0, +)) < 1e-9)
                #expect(b.spacing <= h / 10 && abs(b.spacing * Double(b.subdivisions) - 100) < 1e-9)
                let worst = zip(b.values, exact).map { abs($0 - $1) }.max()!
                #expect(worst <= b.maximumError, "h \(h): error \(worst) above the bound \(b.maximumError)")
                #expect(b.maximumError <= 0.0025 * b.totalWeight / (2 * Double.pi * h * h) * (1 + 1e-9))
                #expect(worst < 0.5 * b.maximumError)
            }
        }
    }

    /// The peers' 10k weighted points on their 200 × 150 grid of 400 m (fixtures from
    /// ../shared/peers/kde.py, exact direct sum): within the stated bound at h = 500 and 1500 m.
    @Test(arguments: [500.0, 1500.0])
    func peersDirectSumWithinTheBound(bandwidth: Double) throws {
        let pts = simpleCSV(try fixture("points_n10k.csv")).dropFirst()
        let x = pts.map { Double($0[1])! }, y = pts.map { Double($0[2])! }, w = pts.map { Double($0[3])! }
        let g = try Grid(spec: "350000,370000,400,200,150")
        let oracle = simpleCSV(try fixture("kde_n10k_gaussian_h\(Int(bandwidth)).csv")).flatMap { $0.map { Double($0)! } }
        let b = try BinnedGaussian.estimate(x: x, y: y, weights: w, grid: g, bandwidth: bandwidth)
        let worst = zip(b.values, oracle).map { abs($0 - $1) }.max()!
        #expect(worst <= b.maximumError, "error \(worst), bound \(b.maximumError)")
    }

    /// A bandwidth tiny against the cell would need a huge lattice: a typed error, not an allocation.
    @Test func tinyBandwidthIsRefused() throws {
        let g = try Grid(xmin: 0, ymin: 0, cell: 1000, ncols: 2000, nrows: 2000)
        #expect(throws: KernelDensityError.self) { try BinnedGaussian.estimate(x: [10], y: [10], grid: g, bandwidth: 5) }
        #expect(throws: KernelDensityError.nonPositiveBandwidth(0)) { try BinnedGaussian.estimate(x: [10], y: [10], grid: g, bandwidth: 0) }
    }
}
