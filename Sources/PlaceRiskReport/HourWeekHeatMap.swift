/// A 24 × 7 heat map of counts by hour of day (columns 0–23) and day of week (rows Mon–Sun), each
/// cell coloured through a classified scale, with its value as a tooltip; a cell whose value is
/// suppressed for publication (nil) is drawn hatched grey and labelled "suppressed" in the legend.
/// A standalone SVG with `<title>` and `<desc>` (the accessible text alternative).
public struct HourWeekHeatMap: Sendable {
    public var title: String
    public var description: String
    /// `cells[hour][day]` (day 0 = Monday); nil = suppressed.
    public var cells: [[Double?]]
    public var scale: ClassifiedScale
    public var units: String
    /// Shaded band behind the columns of a night-time window: (days, fromHour, toHour) drawn as a frame.
    public var highlight: (days: Set<Int>, fromHour: Int, toHour: Int)?

    public static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    public init(title: String, description: String, cells: [[Double?]], scale: ClassifiedScale, units: String,
                highlight: (days: Set<Int>, fromHour: Int, toHour: Int)? = nil) {
        precondition(cells.count == 24 && cells.allSatisfy { $0.count == 7 }, "HourWeekHeatMap: cells[hour 0-23][day 0-6]")
        self.title = title
        self.description = description
        self.cells = cells
        self.scale = scale
        self.units = units
        self.highlight = highlight
    }

    public func svg() -> String {
        let cw = 26.0, ch = 24.0, left = 46.0, top = 44.0
        let width = left + 24 * cw + 250, height = top + 7 * ch + 40
        var b = SVG.text(title, x: left, y: 20, size: 14, weight: "bold")
        b += "<defs><pattern id=\"hw-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            + "<rect width=\"6\" height=\"6\" fill=\"#eeeeee\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#aaaaaa\" stroke-width=\"2\"/></pattern></defs>"
        for h in 0 ..< 24 where h % 3 == 0 {
            b += SVG.text(String(format: "%02d", h), x: left + Double(h) * cw + cw / 2, y: top - 6, size: 11, anchor: "middle")
        }
        for d in 0 ..< 7 {
            let y = top + Double(d) * ch
            b += SVG.text(Self.dayNames[d], x: left - 6, y: y + ch / 2 + 4, size: 11, anchor: "end")
            for h in 0 ..< 24 {
                let x = left + Double(h) * cw
                let r = PixelRect(x: x, y: y, width: cw - 1, height: ch - 1)
                if let v = cells[h][d] {
                    let fill = scale.color(of: v)?.hex ?? "#f7f7f7"
                    b += "<g>" + SVG.rect(r, fill: fill) + "<title>\(HTMLEscape.text("\(Self.dayNames[d]) \(String(format: "%02d", h)):00: \(Legend.number(v, decimals: v == v.rounded() ? 0 : 1))"))</title></g>"
                } else {
                    b += "<g>" + SVG.rect(r, fill: "url(#hw-hatch)") + "<title>\(HTMLEscape.text("\(Self.dayNames[d]) \(String(format: "%02d", h)):00: suppressed"))</title></g>"
                }
            }
        }
        if let hl = highlight {
            // The window from `fromHour` on each listed day to `toHour` the next morning.
            for d in hl.days.sorted() {
                let y = top + Double(d) * ch
                let x0 = left + Double(hl.fromHour) * cw
                b += "<rect x=\"\(SVG.f(x0))\" y=\"\(SVG.f(y))\" width=\"\(SVG.f(Double(24 - hl.fromHour) * cw - 1))\" height=\"\(SVG.f(ch - 1))\" fill=\"none\" stroke=\"#222222\" stroke-width=\"2\"/>"
                let next = (d + 1) % 7
                let yn = top + Double(next) * ch
                if hl.toHour > 0 {
                    b += "<rect x=\"\(SVG.f(left))\" y=\"\(SVG.f(yn))\" width=\"\(SVG.f(Double(hl.toHour) * cw - 1))\" height=\"\(SVG.f(ch - 1))\" fill=\"none\" stroke=\"#222222\" stroke-width=\"2\"/>"
                }
            }
        }
        b += SVG.text("hour of day (UK local time)", x: left + 12 * cw, y: top + 7 * ch + 22, size: 11, anchor: "middle")
        var entries = zip(scale.colors, scale.labels).map { LegendEntry(color: $0, label: $1) }
        if cells.joined().contains(where: { $0 == nil }) { entries.append(LegendEntry(color: nil, label: "suppressed (1-7, or to protect one)")) }
        b += Legend(title: units, entries: entries).svg(x: left + 24 * cw + 14, y: top - 10)
        return SVG.document(width: width, height: height, title: title, desc: description, body: b)
    }
}
