import PlaceRiskCore

/// A text label at a map position (British National Grid metres), e.g. an LSOA name at its centroid.
public struct MapLabel: Sendable, Equatable {
    /// Text (escaped on output).
    public var text: String
    /// Easting (m).
    public var x: Double
    /// Northing (m).
    public var y: Double
    /// Font size (px).
    public var fontSize: Double

    /// A label centred on (x, y).
    public init(text: String, x: Double, y: Double, fontSize: Double = 10) {
        self.text = text; self.x = x; self.y = y; self.fontSize = fontSize
    }

    /// One label per polygon at its area centroid (`MultiPolygon.centroid`), e.g. LSOA names.
    public static func atCentroids(of polygons: [MultiPolygon], names: [String], fontSize: Double = 10) -> [MapLabel] {
        precondition(polygons.count == names.count, "MapLabel: one name per polygon")
        return zip(polygons, names).map { p, n in
            let c = p.centroid
            return MapLabel(text: n, x: c.x, y: c.y, fontSize: fontSize)
        }
    }

    /// The estimated pixel box of the label centred at screen point (px, py).
    func box(px: Double, py: Double) -> PixelRect {
        let w = TextMetrics.width(text, size: fontSize)
        return PixelRect(x: px - w / 2 - 1, y: py - fontSize * 0.8, width: w + 2, height: fontSize * 1.1)
    }

    /// Labels in order, each centred on its point with a white halo; a label whose estimated box
    /// leaves `rect` or overlaps an earlier drawn label is skipped (earlier labels win — pass them
    /// in priority order).
    static func svg(_ labels: [MapLabel], projection: MapProjection, within rect: PixelRect) -> String {
        guard !labels.isEmpty else { return "" }
        var placed: [PixelRect] = []
        var s = "<g class=\"labels\" text-anchor=\"middle\" fill=\"#1f1f1f\" stroke=\"#ffffff\" stroke-width=\"2.5\" stroke-linejoin=\"round\" paint-order=\"stroke\">"
        for l in labels {
            guard l.x.isFinite, l.y.isFinite else { continue }
            let (px, py) = projection.project(x: l.x, y: l.y)
            let b = l.box(px: px, py: py)
            guard b.x >= rect.x, b.maxX <= rect.maxX, b.y >= rect.y, b.maxY <= rect.maxY else { continue }
            guard !placed.contains(where: { $0.intersects(b) }) else { continue }
            placed.append(b)
            s += "<text x=\"\(SVG.f(px))\" y=\"\(SVG.f(py + l.fontSize * 0.35))\" font-size=\"\(SVG.f(l.fontSize))\">\(HTMLEscape.text(l.text))</text>"
        }
        return s + "</g>"
    }
}

/// A rectangle on a map (e.g. where an inset map zooms in), with an optional label at its top-left.
public struct MapHighlight: Sendable, Equatable {
    /// The rectangle in metres.
    public var box: BoundingBox
    /// Label drawn above the rectangle's top-left corner (e.g. "A", "Leeds city centre").
    public var label: String?
    /// Line colour.
    public var stroke: RGB
    /// Line width (px).
    public var strokeWidth: Double

    /// A highlight rectangle.
    public init(box: BoundingBox, label: String? = nil, stroke: RGB = RGB(hex: "#000000"), strokeWidth: Double = 1.5) {
        self.box = box; self.label = label; self.stroke = stroke; self.strokeWidth = strokeWidth
    }

    static func svg(_ hs: [MapHighlight], projection: MapProjection) -> String {
        guard !hs.isEmpty else { return "" }
        var s = "<g class=\"highlights\">"
        for h in hs {
            let (x0, y0) = projection.project(x: h.box.minX, y: h.box.maxY)
            let (x1, y1) = projection.project(x: h.box.maxX, y: h.box.minY)
            s += SVG.rect(PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0), fill: "none", stroke: h.stroke.hex, strokeWidth: h.strokeWidth)
            if let label = h.label {
                s += "<text x=\"\(SVG.f(x0))\" y=\"\(SVG.f(y0 - 3))\" font-size=\"11\" font-weight=\"bold\" fill=\"#000000\" stroke=\"#ffffff\" stroke-width=\"2.5\" paint-order=\"stroke\">\(HTMLEscape.text(label))</text>"
            }
        }
        return s + "</g>"
    }
}

extension MapLayer {
    /// The layer restricted to what can show inside `box`: a raster cropped to the cells meeting
    /// it, polygons whose bounding boxes meet it (nil when nothing is left). Used for zoomed maps
    /// so an inset's SVG does not carry the whole county.
    public func cropped(to box: BoundingBox) -> MapLayer? {
        func meets(_ b: BoundingBox) -> Bool { b.minX <= box.maxX && box.minX <= b.maxX && b.minY <= box.maxY && box.minY <= b.maxY }
        switch self {
        case .polygons(let l):
            let keep = l.polygons.indices.filter { meets(l.polygons[$0].boundingBox) }
            if keep.count == l.polygons.count { return self }
            guard !keep.isEmpty else { return nil }
            var c = l
            c.polygons = keep.map { l.polygons[$0] }; c.values = keep.map { l.values[$0] }
            c.labels = l.labels.map { names in keep.map { names[$0] } }
            return .polygons(c)
        case .outlines(let l):
            var c = l
            c.polygons = l.polygons.filter { meets($0.boundingBox) }
            return c.polygons.isEmpty ? nil : .outlines(c)
        case .raster(let l):
            let g = l.grid
            let c0 = max(0, Int(((box.minX - g.xmin) / g.cell).rounded(.down))), c1 = min(g.ncols, Int(((box.maxX - g.xmin) / g.cell).rounded(.up)))
            let r0 = max(0, Int(((box.minY - g.ymin) / g.cell).rounded(.down))), r1 = min(g.nrows, Int(((box.maxY - g.ymin) / g.cell).rounded(.up)))
            guard c1 > c0, r1 > r0 else { return nil }
            if c0 == 0 && r0 == 0 && c1 == g.ncols && r1 == g.nrows { return self }
            guard let sub = try? Grid(xmin: g.xmin + Double(c0) * g.cell, ymin: g.ymin + Double(r0) * g.cell, cell: g.cell,
                                      ncols: c1 - c0, nrows: r1 - r0) else { return self }
            var values: [Double] = []
            values.reserveCapacity(sub.cellCount)
            for r in r0 ..< r1 { values.append(contentsOf: l.values[(r * g.ncols + c0) ..< (r * g.ncols + c1)]) }
            var c = GridRasterLayer(grid: sub, values: values, scale: l.scale)
            c.opacity = l.opacity
            return .raster(c)
        }
    }
}

extension PixelRect {
    /// Whether the two rectangles overlap (touching edges do not count).
    public func intersects(_ o: PixelRect) -> Bool {
        x < o.maxX && o.x < maxX && y < o.maxY && o.y < maxY
    }
}

extension BoundingBox {
    /// The box grown by `margin` metres on every side.
    public func expanded(by margin: Double) -> BoundingBox {
        BoundingBox(minX: minX - margin, minY: minY - margin, maxX: maxX + margin, maxY: maxY + margin)
    }

    /// The union of boxes (nil when empty), e.g. the extent of an MSOA's LSOAs.
    public static func union(_ boxes: [BoundingBox]) -> BoundingBox? { MapLayer.union(boxes) }
}

extension MapFigure {
    /// Adds highlight rectangles (e.g. the insets' extents) to this (overview) map; `labels[i]`, when
    /// given, is drawn at the top-left of `boxes[i]`.
    public mutating func addHighlightRectangles(_ boxes: [BoundingBox], labels: [String]? = nil,
                                                stroke: RGB = RGB(hex: "#000000"), strokeWidth: Double = 1.5) {
        precondition(labels.map { $0.count == boxes.count } ?? true, "MapFigure: one label per rectangle")
        for (i, b) in boxes.enumerated() {
            highlights.append(MapHighlight(box: b, label: labels?[i], stroke: stroke, strokeWidth: strokeWidth))
        }
    }

    /// The finest raster cell among the layers (m), nil without a raster.
    public var finestCellSize: Double? {
        layers.compactMap { if case .raster(let r) = $0 { return r.grid.cell } else { return nil } }.min()
    }

    /// A zoomed copy of this map showing `extent` (metres; grow it first with
    /// `BoundingBox.expanded(by:)` for a margin): same layers, legend and attribution, plus optional
    /// `outlines` (e.g. LSOA boundaries, drawn on top) and `labels` (e.g. `MapLabel.atCentroids`).
    /// Layers are clipped to the map frame. The figure is `width` px wide (widened when needed so
    /// that the finest raster cell is at least `minCellPixels` px) and as tall as the extent's
    /// aspect ratio needs. Highlights of the overview are not copied.
    public func inset(extent: BoundingBox, title: String, subtitle: String? = nil, outlines: [MultiPolygon] = [],
                      outlineStroke: RGB = RGB(hex: "#333333"), labels: [MapLabel] = [], description: String? = nil,
                      width: Double = 640, minCellPixels: Double = 4) -> MapFigure {
        var m = self
        m.title = title; m.subtitle = subtitle; m.extent = extent; m.description = description
        m.highlights = []
        m.labels = labels
        if !outlines.isEmpty { m.layers.append(.outlines(OutlineLayer(polygons: outlines, stroke: outlineStroke, strokeWidth: 0.8))) }
        let bw = max(extent.maxX - extent.minX, 1), bh = max(extent.maxY - extent.minY, 1)
        m.width = width
        // Fix the height from the aspect ratio, then widen if the cells would be too small.
        func fit() {
            let r = m.mapRect
            let chrome = m.height - r.height
            m.height = max(200, r.width * bh / bw + chrome, (m.effectiveLegend?.size.height ?? 0) + chrome + 10)
        }
        m.height = 400
        fit(); fit()
        if let cell = finestCellSize {
            let px = m.projection.scale * cell
            if px < minCellPixels {
                let legendColumn = m.effectiveLegend.map { $0.size.width + 30 } ?? 0
                m.width = (minCellPixels / cell * bw).rounded(.up) + 20 + legendColumn
                fit(); fit()
            }
        }
        return m
    }
}
