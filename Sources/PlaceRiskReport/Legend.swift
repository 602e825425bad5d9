/// One legend row: a swatch colour (nil = no data: `ColorPalettes.noData` with a grey outline) and its label.
public struct LegendEntry: Sendable, Equatable {
    /// Swatch colour; nil draws the light grey "no data" swatch.
    public let color: RGB?
    /// Label text.
    public let label: String

    /// A row of the legend.
    public init(color: RGB?, label: String) { self.color = color; self.label = label }
}

/// A legend box: a title (the units), then one swatch and label per class, top to bottom.
///
/// Layout in pixels: title at 13 px bold, rows `rowHeight` apart with `swatch`-sized squares; the
/// size is estimated (no font metrics in SVG) at ~0.6 em per character — generous for Helvetica.
public struct Legend: Sendable, Equatable {
    /// Heading, usually the quantity and its units ("Violence per 1,000 residents").
    public var title: String
    /// Rows, drawn in order.
    public var entries: [LegendEntry]
    /// Swatch side (px).
    public var swatch: Double = 14
    /// Row pitch (px).
    public var rowHeight: Double = 20
    /// Label font size (px).
    public var fontSize: Double = 11

    /// A legend with a title and rows.
    public init(title: String, entries: [LegendEntry]) { self.title = title; self.entries = entries }

    /// The legend of a classified scale; a "No data" row is appended when `noData` is non-nil.
    public init(title: String, scale: ClassifiedScale, noData: String? = nil) {
        var e = zip(scale.colors, scale.labels).map { LegendEntry(color: $0, label: $1) }
        if let noData { e.append(LegendEntry(color: nil, label: noData)) }
        self.init(title: title, entries: e)
    }

    /// Estimated width and height (px).
    public var size: (width: Double, height: Double) {
        let labelWidth = entries.map { TextMetrics.width($0.label, size: fontSize) }.max() ?? 0
        let titleWidth = TextMetrics.width(title, size: 13)
        return (max(titleWidth, swatch + 6 + labelWidth), 20 + Double(entries.count) * rowHeight)
    }

    /// The legend as an SVG `<g>` with its top-left corner at (x, y).
    public func svg(x: Double, y: Double) -> String {
        var s = "<g class=\"legend\">"
        s += SVG.text(title, x: x, y: y + 12, size: 13, weight: "bold")
        for (i, e) in entries.enumerated() {
            let top = y + 20 + Double(i) * rowHeight
            let r = PixelRect(x: x, y: top, width: swatch, height: swatch)
            s += SVG.rect(r, fill: e.color?.hex ?? ColorPalettes.noData.hex, stroke: e.color == nil ? "#999999" : "#666666", strokeWidth: 0.5)
            s += SVG.text(e.label, x: x + swatch + 6, y: top + swatch - 3, size: fontSize)
        }
        return s + "</g>"
    }

    /// A number with `decimals` fraction digits, thousands separated by commas, minus as "−"
    /// (U+2212), no locale: 12345.678 → "12,345.7".
    public static func number(_ v: Double, decimals: Int = 1) -> String {
        guard v.isFinite else { return v.isNaN ? "n/a" : (v > 0 ? "∞" : "−∞") }
        let text = SVGNumber.format(abs(v), decimals: decimals)
        let parts = text.split(separator: ".", maxSplits: 1)
        var intPart = String(parts[0])
        var grouped = ""
        while intPart.count > 3 {
            grouped = "," + intPart.suffix(3) + grouped
            intPart = String(intPart.dropLast(3))
        }
        grouped = intPart + grouped
        var frac = parts.count > 1 ? String(parts[1]) : ""
        if decimals > 0 { frac += String(repeating: "0", count: decimals - frac.count) }
        let body = frac.isEmpty ? grouped : grouped + "." + frac
        return (v < 0 && text != "0" ? "−" : "") + body
    }
}

/// Rough text extents for layout (no font metrics are available to a static SVG).
public enum TextMetrics {
    /// Estimated width of `s` at font size `size`: 0.6 em per character.
    public static func width(_ s: String, size: Double) -> Double { Double(s.count) * 0.6 * size }
}
