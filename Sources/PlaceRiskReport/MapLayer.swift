import PlaceRiskCore

/// Filled polygons coloured by class (a choropleth layer).
///
/// Without labels, all polygons of one class go into **one** `<path>` (fill-rule evenodd, so holes
/// are holes): a county's 1,000+ LSOAs become about as many paths as classes. With labels, each
/// polygon gets its own `<path>` and an escaped `<title>` tooltip ("name: value").
public struct PolygonFillLayer: Sendable {
    /// Polygons in British National Grid metres.
    public var polygons: [MultiPolygon]
    /// One value per polygon; NaN or unclassified = no data.
    public var values: [Double]
    /// Classes and colours.
    public var scale: ClassifiedScale
    /// Optional tooltip per polygon (e.g. the LSOA name), escaped.
    public var labels: [String]?
    /// Fill for polygons with no class.
    public var noDataColor = RGB(hex: "#f2f2f2")
    /// Boundary stroke (nil: none).
    public var stroke: RGB? = RGB(hex: "#ffffff")
    /// Boundary stroke width (px).
    public var strokeWidth = 0.3
    /// Douglas–Peucker tolerance in pixels (0: no simplification).
    public var simplifyTolerance = 0.5

    /// A layer of `polygons` coloured by `values` through `scale`.
    public init(polygons: [MultiPolygon], values: [Double], scale: ClassifiedScale, labels: [String]? = nil) {
        precondition(polygons.count == values.count, "PolygonFillLayer: one value per polygon")
        precondition(labels.map { $0.count == polygons.count } ?? true, "PolygonFillLayer: one label per polygon")
        self.polygons = polygons; self.values = values; self.scale = scale; self.labels = labels
    }
}

/// Polygon boundaries only (e.g. LSOAs or districts over a density raster).
public struct OutlineLayer: Sendable {
    /// Polygons in British National Grid metres.
    public var polygons: [MultiPolygon]
    /// Line colour.
    public var stroke: RGB
    /// Line width (px).
    public var strokeWidth: Double
    /// Douglas–Peucker tolerance in pixels (0: no simplification).
    public var simplifyTolerance = 0.5

    /// Outlines of `polygons`.
    public init(polygons: [MultiPolygon], stroke: RGB = RGB(hex: "#555555"), strokeWidth: Double = 0.5) {
        self.polygons = polygons; self.stroke = stroke; self.strokeWidth = strokeWidth
    }
}

/// A regular grid drawn as rectangles, one per **run** of horizontally adjacent cells of the same
/// class in a row (NaN / unclassified cells are transparent), grouped by class in `<g fill=…>`.
/// Cell (r, c) covers x ∈ [xmin + c·cell, xmin + (c+1)·cell], y ∈ [ymin + r·cell, ymin + (r+1)·cell];
/// `values` are row-major with row 0 at the south (conventions §1). Run edges are rounded once in
/// pixel space, so neighbouring runs share their edge exactly (no hairline seams).
public struct GridRasterLayer: Sendable {
    /// The grid (lower-left origin, square cells).
    public var grid: Grid
    /// One value per cell, row-major, row 0 south; NaN = transparent.
    public var values: [Double]
    /// Classes and colours.
    public var scale: ClassifiedScale
    /// Layer opacity (0…1).
    public var opacity = 1.0

    /// A raster of `values` (one per cell of `grid`) classed by `scale`.
    public init(grid: Grid, values: [Double], scale: ClassifiedScale) {
        precondition(values.count == grid.cellCount, "GridRasterLayer: one value per grid cell")
        self.grid = grid; self.values = values; self.scale = scale
    }

    /// One run of equal-class cells in a row.
    public struct Run: Sendable, Equatable {
        /// Grid row (0 = south).
        public let row: Int
        /// First column of the run.
        public let column: Int
        /// Number of cells.
        public let length: Int
        /// Class of every cell in the run.
        public let classIndex: Int
    }

    /// The merged runs, row by row from the south, west to east.
    public func runs() -> [Run] {
        var out: [Run] = []
        for r in 0 ..< grid.nrows {
            var c = 0
            while c < grid.ncols {
                guard let k = scale.classIndex(of: values[r * grid.ncols + c]) else { c += 1; continue }
                var e = c + 1
                while e < grid.ncols, scale.classIndex(of: values[r * grid.ncols + e]) == k { e += 1 }
                out.append(Run(row: r, column: c, length: e - c, classIndex: k))
                c = e
            }
        }
        return out
    }
}

/// One drawable map layer.
public enum MapLayer: Sendable {
    /// Filled polygons (choropleth).
    case polygons(PolygonFillLayer)
    /// A classed grid.
    case raster(GridRasterLayer)
    /// Boundaries only.
    case outlines(OutlineLayer)

    /// The layer's extent in metres (nil when empty).
    public var extent: BoundingBox? {
        switch self {
        case .polygons(let l): return MapLayer.union(l.polygons.map(\.boundingBox))
        case .outlines(let l): return MapLayer.union(l.polygons.map(\.boundingBox))
        case .raster(let l): return BoundingBox(minX: l.grid.xmin, minY: l.grid.ymin, maxX: l.grid.xmax, maxY: l.grid.ymax)
        }
    }

    /// SVG for the layer under `projection`.
    public func svg(projection: MapProjection) -> String {
        switch self {
        case .polygons(let l): return MapLayer.fills(l, projection)
        case .outlines(let l):
            var b = SVGPathBuilder(reservingCapacity: 64 * 1024)
            for p in l.polygons { MapLayer.add(p, to: &b, projection, l.simplifyTolerance) }
            guard !b.isEmpty else { return "" }
            return "<path class=\"outlines\" fill=\"none\" stroke=\"\(l.stroke.hex)\" stroke-width=\"\(SVG.f(l.strokeWidth))\" stroke-linejoin=\"round\" d=\"\(b.string)\"/>"
        case .raster(let l): return MapLayer.raster(l, projection)
        }
    }

    static func union(_ boxes: [BoundingBox]) -> BoundingBox? {
        guard var u = boxes.first else { return nil }
        for b in boxes.dropFirst() {
            u.minX = min(u.minX, b.minX); u.minY = min(u.minY, b.minY)
            u.maxX = max(u.maxX, b.maxX); u.maxY = max(u.maxY, b.maxY)
        }
        return u
    }

    /// Projects, simplifies and appends every ring of `polygon`.
    static func add(_ polygon: MultiPolygon, to b: inout SVGPathBuilder, _ proj: MapProjection, _ tolerance: Double) {
        for p in polygon.polygons {
            for k in 0 ..< p.ringCount {
                var ring: [(x: Double, y: Double)] = []
                ring.reserveCapacity(p.ringStarts[k + 1] - p.ringStarts[k])
                for i in p.ringStarts[k] ..< p.ringStarts[k + 1] { ring.append(proj.project(x: p.xs[i], y: p.ys[i])) }
                b.addRing(tolerance > 0 ? Simplify.ring(ring, tolerance: tolerance) : ring)
            }
        }
    }

    private static func fills(_ l: PolygonFillLayer, _ proj: MapProjection) -> String {
        let strokeAttr = l.stroke.map { " stroke=\"\($0.hex)\" stroke-width=\"\(SVG.f(l.strokeWidth))\" stroke-linejoin=\"round\"" } ?? ""
        let classes = l.values.map { l.scale.classIndex(of: $0) }
        func fill(_ k: Int?) -> String { k.map { l.scale.colors[$0].hex } ?? l.noDataColor.hex }
        var s = "<g class=\"polygons\" fill-rule=\"evenodd\"\(strokeAttr)>"
        if let labels = l.labels {
            for i in l.polygons.indices {
                var b = SVGPathBuilder()
                add(l.polygons[i], to: &b, proj, l.simplifyTolerance)
                guard !b.isEmpty else { continue }
                let value = l.values[i].isNaN ? "no data" : Legend.number(l.values[i], decimals: 2)
                s += "<path fill=\"\(fill(classes[i]))\" d=\"\(b.string)\"><title>\(HTMLEscape.text(labels[i])): \(value)</title></path>"
            }
        } else {
            // nil (no data) first, then classes in order: one path each.
            let order: [Int?] = [nil] + l.scale.colors.indices.map { Optional($0) }
            for k in order {
                var b = SVGPathBuilder(reservingCapacity: 16 * 1024)
                for i in l.polygons.indices where classes[i] == k { add(l.polygons[i], to: &b, proj, l.simplifyTolerance) }
                if !b.isEmpty { s += "<path fill=\"\(fill(k))\" d=\"\(b.string)\"/>" }
            }
        }
        return s + "</g>"
    }

    private static func raster(_ l: GridRasterLayer, _ proj: MapProjection) -> String {
        let runs = l.runs()
        var byClass = [[UInt8]](repeating: [], count: l.scale.colors.count)
        let g = l.grid
        for run in runs {
            let (x0, yTop) = proj.project(x: g.xmin + Double(run.column) * g.cell, y: g.ymin + Double(run.row + 1) * g.cell)
            let (x1, yBottom) = proj.project(x: g.xmin + Double(run.column + run.length) * g.cell, y: g.ymin + Double(run.row) * g.cell)
            let qx0 = SVGNumber.quantize(x0, decimals: 1), qx1 = SVGNumber.quantize(x1, decimals: 1)
            let qy0 = SVGNumber.quantize(yTop, decimals: 1), qy1 = SVGNumber.quantize(yBottom, decimals: 1)
            var out = byClass[run.classIndex]
            byClass[run.classIndex] = []
            out.append(contentsOf: "<rect x=\"".utf8); SVGNumber.appendQuantized(qx0, decimals: 1, to: &out)
            out.append(contentsOf: "\" y=\"".utf8); SVGNumber.appendQuantized(qy0, decimals: 1, to: &out)
            out.append(contentsOf: "\" width=\"".utf8); SVGNumber.appendQuantized(qx1 - qx0, decimals: 1, to: &out)
            out.append(contentsOf: "\" height=\"".utf8); SVGNumber.appendQuantized(qy1 - qy0, decimals: 1, to: &out)
            out.append(contentsOf: "\"/>".utf8)
            byClass[run.classIndex] = out
        }
        let opacity = l.opacity < 1 ? " opacity=\"\(SVGNumber.format(l.opacity, decimals: 2))\"" : ""
        var s = "<g class=\"raster\" shape-rendering=\"crispEdges\"\(opacity)>"
        for (k, bytes) in byClass.enumerated() where !bytes.isEmpty {
            s += "<g fill=\"\(l.scale.colors[k].hex)\">" + String(decoding: bytes, as: UTF8.self) + "</g>"
        }
        return s + "</g>"
    }
}
