/// A regular square grid in British National Grid metres (EPSG:27700).
///
/// Conventions (conventions §1, identical to the peers' `_common.Grid`):
/// ```
/// lower-left corner (xmin, ymin), square cells of `cell` metres, ncols × nrows
/// centre of cell (row r, col c) = (xmin + (c + ½)·cell, ymin + (r + ½)·cell)
/// row 0 is the southernmost row; flat id = r · ncols + c
/// ```
/// A point on the far (east/north) edge falls in the last column/row, as in
/// `numpy.histogram2d`; points outside `[xmin, xmax] × [ymin, ymax]` belong to no cell.
public struct Grid: Hashable, Sendable, CustomStringConvertible {
    public let xmin: Double
    public let ymin: Double
    public let cell: Double
    public let ncols: Int
    public let nrows: Int

    /// Largest grid PlaceRisk builds (cells). Beyond this a typo or stray point is likely;
    /// callers get `GridError.tooManyCells` with a sentence instead of a huge allocation.
    public static let maximumCellCount = 50_000_000

    public init(xmin: Double, ymin: Double, cell: Double, ncols: Int, nrows: Int) throws(GridError) {
        guard xmin.isFinite, ymin.isFinite else { throw .nonFiniteOrigin }
        guard cell.isFinite, cell > 0 else { throw .nonPositiveCell(cell) }
        guard ncols > 0, nrows > 0 else { throw .emptyShape(ncols: ncols, nrows: nrows) }
        guard ncols.multipliedReportingOverflow(by: nrows).overflow == false,
              ncols * nrows <= Grid.maximumCellCount
        else { throw .tooManyCells(ncols: ncols, nrows: nrows, limit: Grid.maximumCellCount) }
        self.xmin = xmin
        self.ymin = ymin
        self.cell = cell
        self.ncols = ncols
        self.nrows = nrows
    }

    /// Parses the peers' spec `"xmin,ymin,cellsize,ncols,nrows"`.
    public init(spec: String) throws(GridError) {
        let parts = spec.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingASCIISpaces() }
        guard parts.count == 5,
              let x = Double(parts[0]), let y = Double(parts[1]), let c = Double(parts[2]),
              let nc = Int(parts[3]), let nr = Int(parts[4])
        else { throw .badSpec(spec) }
        try self.init(xmin: x, ymin: y, cell: c, ncols: nc, nrows: nr)
    }

    /// The smallest grid of `cell`-metre cells, anchored on multiples of `cell`,
    /// that covers the box `[minX, maxX] × [minY, maxY]` (every point in the box
    /// falls in a cell).
    public init(covering box: BoundingBox, cell: Double) throws(GridError) {
        guard cell.isFinite, cell > 0 else { throw .nonPositiveCell(cell) }
        let x0 = (box.minX / cell).rounded(.down) * cell
        let y0 = (box.minY / cell).rounded(.down) * cell
        // Checked in floating point before any conversion to Int, so an absurd box or cell (a stray
        // point at 1e300, cell 1e-300) is a typed error, never a trap.
        guard x0.isFinite, y0.isFinite, box.maxX.isFinite, box.maxY.isFinite else { throw .nonFiniteOrigin }
        let ncD = ((box.maxX - x0) / cell).rounded(.up), nrD = ((box.maxY - y0) / cell).rounded(.up)
        guard ncD.isFinite, nrD.isFinite, max(1, ncD) * max(1, nrD) <= Double(Grid.maximumCellCount) else {
            throw .tooManyCells(ncols: Grid.saturatingInt(ncD), nrows: Grid.saturatingInt(nrD), limit: Grid.maximumCellCount)
        }
        let nc = max(1, Int(((box.maxX - x0) / cell).rounded(.up)))
        let nr = max(1, Int(((box.maxY - y0) / cell).rounded(.up)))
        // A point exactly on x0 + nc·cell is inside by the far-edge rule.
        try self.init(xmin: x0, ymin: y0, cell: cell, ncols: nc, nrows: nr)
    }

    /// `v` as an Int, saturated to 0 … Int.max (NaN → Int.max): for messages about absurd sizes.
    public static func saturatingInt(_ v: Double) -> Int {
        guard v < 9.0e18 else { return Int.max }
        return v > 0 ? Int(v) : 0
    }

    @inlinable public var xmax: Double { xmin + Double(ncols) * cell }
    @inlinable public var ymax: Double { ymin + Double(nrows) * cell }
    @inlinable public var cellCount: Int { ncols * nrows }

    /// Cell area in m².
    public var cellArea: Double { cell * cell }

    /// The peers' spec string `xmin,ymin,cell,ncols,nrows` (shortest exact decimals).
    public var spec: String { "\(xmin.shortDescription),\(ymin.shortDescription),\(cell.shortDescription),\(ncols),\(nrows)" }

    /// The peers' label `NCOLSxNROWS@CELLm`, e.g. `200x150@400m`.
    public var label: String { "\(ncols)x\(nrows)@\(cell.shortDescription)m" }

    public var description: String { "Grid(\(spec))" }

    @inlinable public func centreX(col: Int) -> Double { xmin + (Double(col) + 0.5) * cell }
    @inlinable public func centreY(row: Int) -> Double { ymin + (Double(row) + 0.5) * cell }

    /// Flat cell id (`row · ncols + col`) of the point, or nil when outside the grid.
    /// Far edges are inclusive (numpy.histogram2d); NaN is outside.
    @inlinable
    public func cellID(x: Double, y: Double) -> Int? {
        let fx = (x - xmin) / cell
        let fy = (y - ymin) / cell
        // Written so that NaN fails every comparison and is rejected.
        guard fx >= 0, fy >= 0, fx <= Double(ncols), fy <= Double(nrows) else { return nil }
        let c = Swift.min(Int(fx), ncols - 1)
        let r = Swift.min(Int(fy), nrows - 1)
        return r * ncols + c
    }
}

/// An axis-aligned box in projected metres.
public struct BoundingBox: Hashable, Sendable {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    /// Parses `xmin,ymin,xmax,ymax`; nil unless four finite numbers with min < max.
    public init?(spec: String) {
        let p = spec.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingASCIISpaces()) }
        guard p.count == 4, let a = p[0], let b = p[1], let c = p[2], let d = p[3],
              a.isFinite, b.isFinite, c.isFinite, d.isFinite, a < c, b < d else { return nil }
        self.init(minX: a, minY: b, maxX: c, maxY: d)
    }

    /// The smallest box containing all finite points; nil when there are none.
    public static func enclosing(x: [Double], y: [Double]) -> BoundingBox? {
        precondition(x.count == y.count, "BoundingBox.enclosing: x and y differ in length")
        var b = BoundingBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
        for i in x.indices where x[i].isFinite && y[i].isFinite {
            b.minX = Swift.min(b.minX, x[i]); b.maxX = Swift.max(b.maxX, x[i])
            b.minY = Swift.min(b.minY, y[i]); b.maxY = Swift.max(b.maxY, y[i])
        }
        return b.minX.isFinite ? b : nil
    }

    @inlinable public func contains(x: Double, y: Double) -> Bool {
        x >= minX && x <= maxX && y >= minY && y <= maxY
    }
}

/// Why a grid could not be made. Each case describes itself in a sentence.
public enum GridError: Error, Equatable, Sendable, CustomStringConvertible {
    case badSpec(String)
    case nonFiniteOrigin
    case nonPositiveCell(Double)
    case emptyShape(ncols: Int, nrows: Int)
    case tooManyCells(ncols: Int, nrows: Int, limit: Int)
    case noPoints

    public var description: String {
        switch self {
        case .badSpec(let s):
            return "grid '\(s)' is not 'xmin,ymin,cellsize,ncols,nrows' (five numbers, metres, lower-left corner)"
        case .nonFiniteOrigin: return "grid origin must be finite"
        case .nonPositiveCell(let c): return "cell size must be a positive number of metres, got \(c.shortDescription)"
        case .emptyShape(let c, let r): return "grid must have at least one column and row, got \(c) × \(r)"
        case .tooManyCells(let c, let r, let lim):
            return "grid of \(c) × \(r) cells exceeds the limit of \(lim) cells; use a larger --cell or a --bbox"
        case .noPoints: return "no located points to derive a grid extent from"
        }
    }
}

extension Substring {
    func trimmingASCIISpaces() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}

extension Double {
    /// Shortest round-tripping decimal without a trailing ".0" for integers (`400`, `0.5`).
    public var shortDescription: String {
        if self == rounded(), abs(self) < 1e15 { return String(Int64(self)) }
        return "\(self)"
    }
}
