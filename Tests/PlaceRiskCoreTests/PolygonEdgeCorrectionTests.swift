import Foundation
import Testing
@testable import PlaceRiskCore

/// The cell-wise Diggle correction integrated against the polygons themselves.
@Suite("Edge correction against polygons")
struct PolygonEdgeCorrectionTests {
    static let grid = try! Grid(xmin: 0, ymin: 0, cell: 100, ncols: 40, nrows: 40)

    static func kernel(_ shape: KernelShape) -> Kernel { try! Kernel(shape, bandwidth: shape.isCompact ? 500 : 120) }

    static func rectangle(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, clockwise: Bool = false) -> MultiPolygon {
        let ring = [(x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1)]
        return MultiPolygon(Polygon(outer: clockwise ? ring.reversed() : ring))
    }

    /// A straight edge through the cell centre: exactly half the mass (every kernel, either ring
    /// orientation); a square corner at the centre: a quarter; a cell far inside: 1; outside: NaN.
    @Test(arguments: KernelShape.allCases)
    func halfPlaneAndCornerGiveOneHalfAndOneQuarter(shape: KernelShape) throws {
        let g = Self.grid, k = Self.kernel(shape)
        let cx = g.centreX(col: 20), cy = g.centreY(row: 20)
        for clockwise in [false, true] {
            let half = try EdgeCorrection.factors(polygons: [Self.rectangle(cx, -50_000, 60_000, 60_000, clockwise: clockwise)], grid: g, kernel: k)
            for r in [12, 20, 27] { #expect(abs(half[r * 40 + 20] - 0.5) < 1e-12, "\(shape) row \(r): \(half[r * 40 + 20])") }
            #expect(abs(half[20 * 40 + 39] - 1) < 1e-12 || half[20 * 40 + 39] == 1)
            #expect(half[20 * 40 + 19].isNaN)
            let corner = try EdgeCorrection.factors(polygons: [Self.rectangle(cx, cy, 60_000, 60_000, clockwise: clockwise)], grid: g, kernel: k)
            #expect(abs(corner[20 * 40 + 20] - 0.25) < 1e-12, "\(shape) corner: \(corner[20 * 40 + 20])")
        }
    }

    /// A slanted straight edge (normal at 0.4 rad through (2000, 1500)): e(d) = 1 − ∫_d^R m(x) dx with
    /// m the kernel's 1-D marginal, by mpmath 1.4.1 `quad` at 30 digits (Gaussian: Φ(d/h) by
    /// `mpmath.ncdf`); quartic/epanechnikov/uniform/triangular r = 500 m, Gaussian h = 120 m.
    /// Values (row, col, d, e) pasted from that computation.
    static let slanted: [KernelShape: [(Int, Int, Double, Double)]] = [
        .quartic: [(15, 20, 65.52396681557678, 0.6315887277301276), (14, 21, 118.68823198500023, 0.7307220703118436), (16, 22, 288.67799984701884, 0.9482262630274821), (13, 22, 171.8524971544237, 0.8174362596495877), (15, 24, 433.94836441673084, 0.9987906083110312), (12, 25, 409.22896112442413, 0.9965031312781532), (18, 19, 90.24337010788342, 0.6789245336850496)],
        .epanechnikov: [(15, 20, 65.52396681557678, 0.6102842393125497), (14, 21, 118.68823198500023, 0.6958629318088613), (16, 22, 288.67799984701884, 0.912658740585095), (13, 22, 171.8524971544237, 0.7748232434802729), (15, 24, 433.94836441673084, 0.9943342203720813), (12, 25, 409.22896112442413, 0.9878025832885374), (18, 19, 90.24337010788342, 0.6507188324280432)],
        .uniform: [(15, 20, 65.52396681557678, 0.5831882949395001), (14, 21, 118.68823198500023, 0.6496871127615493), (16, 22, 288.67799984701884, 0.8459689740714029), (13, 22, 171.8524971544237, 0.7144215302424826), (15, 24, 433.94836441673084, 0.971759282187267), (12, 25, 409.22896112442413, 0.9548586035701341), (18, 19, 90.24337010788342, 0.6142745153395605)],
        .triangular: [(15, 20, 65.52396681557678, 0.6225931385627833), (14, 21, 118.68823198500023, 0.714074022337938), (16, 22, 288.67799984701884, 0.9258053241951194), (13, 22, 171.8524971544237, 0.7947995899018998), (15, 24, 433.94836441673084, 0.9955853531184058), (12, 25, 409.22896112442413, 0.9903573543126276), (18, 19, 90.24337010788342, 0.6662957938398333)],
        .gaussian: [(15, 20, 65.52396681557678, 0.7074783927953613), (14, 21, 118.68823198500023, 0.8386852103414355), (16, 22, 288.67799984701884, 0.9919281384742089), (13, 22, 171.8524971544237, 0.92394299050654), (15, 24, 433.94836441673084, 0.9998505412768262), (12, 25, 409.22896112442413, 0.9996754729158658), (18, 19, 90.24337010788342, 0.7739829150372425)],
    ]

    @Test(arguments: KernelShape.allCases)
    func slantedEdgeMatchesTheMarginalIntegral(shape: KernelShape) throws {
        let g = Self.grid, k = Self.kernel(shape)
        let phi = 0.4, nx = cos(phi), ny = sin(phi), tx = -ny, ty = nx
        let (px, py) = (2000.0, 1500.0), far = 100_000.0
        // W = {v : n·(v − p0) ≥ 0}, as a huge quadrilateral.
        let quad = MultiPolygon(Polygon(outer: [(px - far * tx, py - far * ty), (px + far * tx, py + far * ty),
                                                (px + far * tx + far * nx, py + far * ty + far * ny), (px - far * tx + far * nx, py - far * ty + far * ny)]))
        let e = try EdgeCorrection.factors(polygons: [quad], grid: g, kernel: k)
        for (row, col, d, expected) in Self.slanted[shape]! {
            #expect(abs((g.centreX(col: col) - px) * nx + (g.centreY(row: row) - py) * ny - d) < 1e-9)
            #expect(abs(e[row * 40 + col] - expected) < 1e-12, "\(shape) (\(row), \(col)): \(e[row * 40 + col]) vs \(expected)")
        }
        // The mask-of-cell-centres method is visibly off on the same edge (the reason for this one).
        if shape == .quartic {
            let mask = GridMask.cellsInside([quad], grid: g)
            let old = try EdgeCorrection.factors(mask: mask, grid: g, kernel: k)
            let worst = Self.slanted[shape]!.map { abs(old[$0.0 * 40 + $0.1] - $0.3) / $0.3 }.max()!
            #expect(worst > 1e-3)
            print("EdgeCorrection (slanted edge, quartic r = 500 m, 100 m cells): mask-of-centres factors off by up to \(worst) relative; polygon factors exact")
        }
    }

    /// A triangle (1000, 800), (3400, 1300), (1700, 3100) against `scipy.integrate.dblquad` of K over the
    /// triangle in Cartesian coordinates (scipy 1.17.1, epsabs 1e-13; it returns 1.0000000058 for a disc
    /// wholly inside, so agreement is to ~1e-8), and a fine-mask midpoint rule on 0.5 m pixels agreed
    /// with dblquad to 1.6e-5 (quartic) and 1.8e-5 (Gaussian). Quartic r = 500 m, Gaussian h = 150 m.
    static let triangle: [(KernelShape, Double, [(Int, Int, Double)])] = [
        (.quartic, 500, [(8, 10, 0.2515915813183453), (9, 15, 0.5703384718252122), (12, 20, 0.8894930608714562), (20, 19, 1.0000000058083027),
                         (27, 17, 0.647518517154209), (10, 12, 0.6600708813950512), (15, 18, 1.000000005865612), (18, 22, 0.9997485370742688)]),
        (.gaussian, 150, [(8, 10, 0.2801658293526505), (9, 15, 0.5907617983376465), (12, 20, 0.9343840099649356), (20, 19, 0.9996973057854309),
                          (27, 17, 0.7553789179235356), (10, 12, 0.7695190785337163), (15, 18, 0.9998710371973109), (18, 22, 0.9988788672783792)]),
    ]

    @Test func triangleMatchesCartesianQuadrature() throws {
        let tri = MultiPolygon(Polygon(outer: [(1000, 800), (3400, 1300), (1700, 3100)]))
        for (shape, bw, cells) in Self.triangle {
            let e = try EdgeCorrection.factors(polygons: [tri], grid: Self.grid, kernel: try Kernel(shape, bandwidth: bw))
            for (row, col, expected) in cells {
                #expect(abs(e[row * 40 + col] - expected) < 1e-7, "\(shape) (\(row), \(col)): \(e[row * 40 + col]) vs \(expected)")
            }
        }
    }

    /// Adjacent polygons sharing edges (a 2 × 2 block of squares, one of them given clockwise) and a
    /// polygon with a hole give the same factors as the single outline they make.
    @Test func sharedEdgesAndHolesAreTheirUnion() throws {
        let g = Self.grid
        for shape in KernelShape.allCases {
            let k = Self.kernel(shape)
            let block = [Self.rectangle(500, 500, 2000, 2000), Self.rectangle(2000, 500, 3500, 2000, clockwise: true),
                         Self.rectangle(500, 2000, 2000, 3500), Self.rectangle(2000, 2000, 3500, 3500)]
            let union = try EdgeCorrection.factors(polygons: [Self.rectangle(500, 500, 3500, 3500)], grid: g, kernel: k)
            let parts = try EdgeCorrection.factors(polygons: block, grid: g, kernel: k)
            #expect(zip(union, parts).allSatisfy { $0.isNaN ? $1.isNaN : abs($0 - $1) < 1e-12 }, "\(shape)")
            #expect(PolygonOutline(block).count == 8)  // 16 edges, the 4 shared pairs cancel
            // A ring with a hole; the same hole given as a separate part of the MultiPolygon (even-odd).
            let outer = [(x: 300.0, y: 300.0), (x: 3700.0, y: 300.0), (x: 3700.0, y: 3700.0), (x: 300.0, y: 3700.0)]
            let hole = [(x: 1500.0, y: 1600.0), (x: 2600.0, y: 1450.0), (x: 2300.0, y: 2500.0)]
            let a = try EdgeCorrection.factors(polygons: [MultiPolygon(Polygon(outer: outer, holes: [hole]))], grid: g, kernel: k)
            let b = try EdgeCorrection.factors(polygons: [MultiPolygon([Polygon(outer: outer), Polygon(outer: hole)])], grid: g, kernel: k)
            #expect(zip(a, b).allSatisfy { $0.isNaN ? $1.isNaN : abs($0 - $1) < 1e-12 }, "\(shape) hole")
        }
    }
}
