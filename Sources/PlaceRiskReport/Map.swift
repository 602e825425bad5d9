import PlaceRiskCore

/// A complete map as one standalone SVG: title (and subtitle), layers fitted to the extent with the
/// aspect ratio kept, a legend in a right-hand column, a scale bar, a north arrow and attribution
/// lines along the bottom.
public struct MapFigure: Sendable {
    /// Title, drawn bold at the top.
    public var title: String
    /// Optional second line (period, crime type, method).
    public var subtitle: String?
    /// Layers, drawn in order (the first at the bottom).
    public var layers: [MapLayer]
    /// Legend (nil: none).
    public var legend: Legend?
    /// Area shown in metres (default: the union of the layers' extents).
    public var extent: BoundingBox?
    /// Attribution lines (data sources and licences).
    public var attribution: [String]
    /// Width in pixels.
    public var width: Double
    /// Height in pixels.
    public var height: Double
    /// Whether to draw the scale bar.
    public var showScaleBar = true
    /// Whether to draw the north arrow.
    public var showNorthArrow = true
    /// Text alternative for screen readers (`<desc>`), e.g. "Map of Leeds: 35 hot cells, mostly in
    /// the city centre". Nil: generated from the title, subtitle and legend.
    public var description: String?
    /// Text labels at map positions (e.g. LSOA names at centroids), drawn over the layers; a label
    /// overlapping an earlier one (or outside the map) is skipped.
    public var labels: [MapLabel] = []
    /// Rectangles drawn over the layers, e.g. the outlines of inset maps on the overview.
    public var highlights: [MapHighlight] = []
    /// Append a "No data" legend row automatically when a layer has unfilled areas (NaN or
    /// unclassified values) and the legend has none.
    public var autoNoDataLegend = true
    /// Label of the automatic no-data legend row.
    public var noDataLabel = "No data"

    /// A map from layers.
    public init(title: String, subtitle: String? = nil, layers: [MapLayer], legend: Legend?,
                attribution: [String] = [MapDecorations.policeUKAttribution], width: Double = 820, height: Double = 720) {
        self.title = title; self.subtitle = subtitle; self.layers = layers; self.legend = legend
        self.attribution = attribution; self.width = width; self.height = height
    }

    /// A choropleth: `values[i]` colours `polygons[i]` through `scale`; the legend is titled with
    /// `units` and gains a "No data" row when some value has no class. `labels` (e.g. LSOA names)
    /// become tooltips.
    public static func choropleth(polygons: [MultiPolygon], values: [Double], scale: ClassifiedScale, title: String,
                                  units: String, subtitle: String? = nil, labels: [String]? = nil,
                                  attribution: [String] = [MapDecorations.policeUKAttribution]) -> MapFigure {
        let layer = PolygonFillLayer(polygons: polygons, values: values, scale: scale, labels: labels)
        let missing = values.contains { scale.classIndex(of: $0) == nil }
        return MapFigure(title: title, subtitle: subtitle, layers: [.polygons(layer)],
                         legend: Legend(title: units, scale: scale, noData: missing ? "No data" : nil), attribution: attribution)
    }

    /// A grid raster (NaN cells transparent) with an optional outline overlay (e.g. LSOA or
    /// district boundaries).
    public static func raster(grid: Grid, values: [Double], scale: ClassifiedScale, title: String, units: String,
                              subtitle: String? = nil, outlines: [MultiPolygon] = [],
                              attribution: [String] = [MapDecorations.policeUKAttribution]) -> MapFigure {
        var layers: [MapLayer] = [.raster(GridRasterLayer(grid: grid, values: values, scale: scale))]
        if !outlines.isEmpty { layers.append(.outlines(OutlineLayer(polygons: outlines))) }
        return MapFigure(title: title, subtitle: subtitle, layers: layers, legend: Legend(title: units, scale: scale),
                         attribution: attribution)
    }

    /// The pixel rectangle the layers are fitted into.
    public var mapRect: PixelRect {
        let top = subtitle == nil ? 40.0 : 58.0
        let bottom = 12.0 + Double(attribution.count) * 12
        let legendColumn = legend.map { $0.size.width + 30 } ?? 0
        return PixelRect(x: 10, y: top, width: max(50, width - 20 - legendColumn), height: max(50, height - top - bottom))
    }

    /// The world → screen projection used.
    public var projection: MapProjection {
        let box = extent ?? MapLayer.union(layers.compactMap(\.extent)) ?? BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1)
        return MapProjection(fitting: box, into: mapRect)
    }

    /// Whether some layer leaves areas unfilled (NaN or unclassified values).
    public var hasUnfilledAreas: Bool {
        layers.contains { layer in
            switch layer {
            case .polygons(let l): return l.values.contains { l.scale.classIndex(of: $0) == nil }
            case .raster(let l): return l.values.contains { l.scale.classIndex(of: $0) == nil }
            case .outlines: return false
            }
        }
    }

    /// The legend as drawn: `legend` plus a "No data" row when `autoNoDataLegend` and some layer has
    /// unfilled areas.
    public var effectiveLegend: Legend? {
        guard var l = legend else { return nil }
        if autoNoDataLegend && !l.entries.contains(where: { $0.color == nil }) && hasUnfilledAreas {
            l.entries.append(LegendEntry(color: nil, label: noDataLabel))
        }
        return l
    }

    /// The text alternative used: `description`, else title, subtitle and the legend's classes.
    public var effectiveDescription: String {
        if let description { return description }
        var d = "Map: " + title
        if let subtitle { d += ". " + subtitle }
        if let l = effectiveLegend { d += ". Legend, \(l.title): " + l.entries.map(\.label).joined(separator: "; ") }
        return d + "."
    }

    /// The map as a standalone SVG document.
    public func svg() -> String {
        let rect = mapRect, proj = projection
        let id = "map-" + SVG.stableHash(title, subtitle ?? "", extent.map { "\($0)" } ?? "", "\(layers.count)", "\(width)x\(height)")
        var body = SVG.text(title, x: 10, y: 24, size: 17, weight: "bold")
        if let subtitle { body += SVG.text(subtitle, x: 10, y: 44, size: 12, fill: "#555555") }
        // An explicit extent (a zoomed inset) clips the layers to the map rectangle.
        let clip = extent != nil
        if clip {
            body += "<clipPath id=\"\(id)-clip\"><rect x=\"\(SVG.f(rect.x))\" y=\"\(SVG.f(rect.y))\" width=\"\(SVG.f(rect.width))\" height=\"\(SVG.f(rect.height))\"/></clipPath>"
            body += "<g clip-path=\"url(#\(id)-clip)\">"
        }
        if clip {
            // Only what shows: the world box of the map rectangle.
            let a = proj.unproject(x: rect.x, y: rect.maxY), b = proj.unproject(x: rect.maxX, y: rect.y)
            let visible = BoundingBox(minX: a.x, minY: a.y, maxX: b.x, maxY: b.y)
            for layer in layers { body += layer.cropped(to: visible)?.svg(projection: proj) ?? "" }
        } else {
            for layer in layers { body += layer.svg(projection: proj) }
        }
        body += MapHighlight.svg(highlights, projection: proj)
        body += MapLabel.svg(labels, projection: proj, within: rect)
        if clip { body += "</g>" + SVG.rect(rect, fill: "none", stroke: "#999999", strokeWidth: 0.5) }
        if let legend = effectiveLegend { body += legend.svg(x: rect.maxX + 20, y: rect.y + 4) }
        if showScaleBar { body += MapDecorations.scaleBar(projection: proj, x: rect.x + 10, y: rect.maxY - 6, maxWidth: min(150, rect.width / 3)) }
        if showNorthArrow { body += MapDecorations.northArrow(x: rect.maxX - 18, y: rect.y + 2) }
        body += MapDecorations.attribution(attribution, x: 10, bottom: height - 6)
        return SVG.document(width: width, height: height, title: title, desc: effectiveDescription, idPrefix: id, body: body)
    }
}
