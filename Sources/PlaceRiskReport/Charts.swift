/// One line of a line or curve chart. NaN values leave gaps.
public struct ChartSeries: Sendable, Equatable {
    /// Name shown in the key.
    public var name: String
    /// x values (curve charts); ignored by `LineChart`, which uses the category positions.
    public var x: [Double]
    /// y values.
    public var y: [Double]
    /// Drawn thicker, on top, in the first palette colour; the others are thinner and muted.
    public var highlighted: Bool
    /// Colour (default: the next Okabe–Ito colour).
    public var color: RGB?

    /// A series of y values (for a `LineChart`, aligned to its x labels).
    public init(name: String, y: [Double], highlighted: Bool = false, color: RGB? = nil) {
        self.init(name: name, x: [], y: y, highlighted: highlighted, color: color)
    }

    /// A series of (x, y) points (for a `CurveChart`).
    public init(name: String, x: [Double], y: [Double], highlighted: Bool = false, color: RGB? = nil) {
        self.name = name; self.x = x; self.y = y; self.highlighted = highlighted; self.color = color
    }
}

/// Shared frame for charts: size, title, plot rectangle and a series key on the right.
struct ChartFrame {
    let width: Double, height: Double, title: String
    let plot: PixelRect
    /// Text alternative (`<desc>`).
    var desc: String?

    init(width: Double, height: Double, title: String, keyNames: [String], desc: String? = nil) {
        self.width = width; self.height = height; self.title = title; self.desc = desc
        let key = keyNames.count > 1 ? (keyNames.map { TextMetrics.width($0, size: 11) }.max() ?? 0) + 40 : 0
        plot = PixelRect(x: 68, y: 44, width: max(40, width - 68 - 20 - key), height: max(40, height - 44 - 56))
    }

    func document(_ body: String) -> String {
        SVG.document(width: width, height: height, title: title, desc: desc, body: SVG.text(title, x: 10, y: 24, size: 15, weight: "bold") + body)
    }

    /// Colours per series: highlighted first palette colour, others the following ones.
    static func colors(_ series: [ChartSeries]) -> [RGB] {
        var next = series.contains(where: \.highlighted) ? 1 : 0
        let pal = ClassifiedScale.seriesColors
        return series.map { s in
            if let c = s.color { return c }
            if s.highlighted { return pal[0] }
            defer { next += 1 }
            return pal[next % pal.count]
        }
    }

    func key(_ series: [ChartSeries], _ colors: [RGB]) -> String {
        guard series.count > 1 else { return "" }
        var s = "<g class=\"key\">"
        for (i, (ser, c)) in zip(series, colors).enumerated() {
            let y = plot.y + 8 + Double(i) * 18
            s += SVG.line(x1: plot.maxX + 12, y1: y, x2: plot.maxX + 32, y2: y, stroke: c.hex, width: ser.highlighted ? 3 : 1.5)
            s += SVG.text(ser.name, x: plot.maxX + 36, y: y + 4, size: 11, weight: ser.highlighted ? "bold" : nil)
        }
        return s + "</g>"
    }

    /// Polylines through the finite points, split at NaN, drawn highlighted-last.
    static func lines(_ pts: [[(x: Double, y: Double)?]], _ series: [ChartSeries], _ colors: [RGB],
                      highlightWidth: Double = 3) -> String {
        let order = series.indices.sorted { (series[$0].highlighted ? 1 : 0, $0) < (series[$1].highlighted ? 1 : 0, $1) }
        var s = ""
        for i in order {
            var b = SVGPathBuilder()
            var run: [(x: Double, y: Double)] = []
            var dots = ""
            for p in pts[i] + [nil] {
                if let p { run.append(p); continue }
                if run.count == 1 { dots += "<circle cx=\"\(SVG.f(run[0].x))\" cy=\"\(SVG.f(run[0].y))\" r=\"2\" fill=\"\(colors[i].hex)\"/>" }
                b.addPolyline(run); run.removeAll()
            }
            let hl = series[i].highlighted
            if !b.isEmpty {
                s += "<path fill=\"none\" stroke=\"\(colors[i].hex)\" stroke-width=\"\(SVG.f(hl ? highlightWidth : 1.5))\" stroke-linejoin=\"round\""
                    + (hl || !series.contains(where: \.highlighted) ? "" : " opacity=\"0.75\"") + " d=\"\(b.string)\"/>"
            }
            s += dots
        }
        return s
    }

    static func finiteRange(_ values: [Double], including extra: [Double] = []) -> (Double, Double) {
        let v = (values + extra).filter(\.isFinite)
        return (v.min() ?? 0, v.max() ?? 1)
    }
}

/// A line chart over categories (e.g. months): several series, one optionally highlighted.
public struct LineChart: Sendable {
    /// Text alternative for screen readers (`<desc>`): what the chart shows and its main finding;
    /// nil: generated from the title, axes and series.
    public var description: String?
    /// Chart title.
    public var title: String
    /// Category labels along x, in order (e.g. "2023-01").
    public var xLabels: [String]
    /// Series, each with one y per label.
    public var series: [ChartSeries]
    /// x-axis title.
    public var xTitle: String
    /// y-axis title with units.
    public var yTitle: String
    /// Start the y axis at 0 (counts and rates) rather than at the data minimum.
    public var yFromZero = true
    /// Size in pixels.
    public var width = 760.0, height = 380.0
    /// An optional dashed vertical line at one category with its label (e.g. an intervention's start).
    public var marker: (index: Int, label: String)?

    /// A chart of `series` (each with one y per label) against `xLabels`.
    public init(title: String, xLabels: [String], series: [ChartSeries], xTitle: String = "", yTitle: String) {
        precondition(series.allSatisfy { $0.y.count == xLabels.count }, "LineChart: one y per x label in every series")
        self.title = title; self.xLabels = xLabels; self.series = series; self.xTitle = xTitle; self.yTitle = yTitle
    }

    /// The chart as a standalone SVG document.
    public func svg() -> String {
        let f = ChartFrame(width: width, height: height, title: title, keyNames: series.map(\.name), desc: description ?? "Line chart: \(series.map(\.name).joined(separator: ", ")) by \(xTitle.isEmpty ? "category" : xTitle) (\(xLabels.first ?? "") to \(xLabels.last ?? "")); y axis: \(yTitle).")
        let (lo, hi) = ChartFrame.finiteRange(series.flatMap(\.y), including: yFromZero ? [0] : [])
        let ticks = NiceTicks(min: lo, max: hi)
        let ys = LinearScale(domain: (ticks.lower, ticks.upper), range: (f.plot.maxY, f.plot.y))
        let n = xLabels.count
        let xs = (0 ..< n).map { f.plot.x + (n == 1 ? f.plot.width / 2 : Double($0) / Double(n - 1) * f.plot.width) }
        let colors = ChartFrame.colors(series)
        let pts = series.map { s in s.y.indices.map { i in s.y[i].isFinite ? (x: xs[i], y: ys(s.y[i])) : nil } }
        return f.document(Axes.yAxis(ticks, scale: ys, plot: f.plot, title: yTitle)
            + Axes.categoryAxis(xLabels, positions: xs, plot: f.plot, title: xTitle)
            + ChartFrame.lines(pts, series, colors) + markerLine(xs, f.plot) + f.key(series, colors))
    }

    private func markerLine(_ xs: [Double], _ plot: PixelRect) -> String {
        guard let m = marker, xs.indices.contains(m.index) else { return "" }
        let x = xs[m.index]
        return "<line x1=\"\(x)\" y1=\"\(plot.y)\" x2=\"\(x)\" y2=\"\(plot.maxY)\" stroke=\"#222\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>"
            + "<text x=\"\(x + 4)\" y=\"\(plot.y + 12)\" font-size=\"12\" fill=\"#222\">\(HTMLEscape.text(m.label))</text>"
    }
}

/// A bar chart with error bars, e.g. a rate or rate ratio by deprivation decile with 95 % CIs, and
/// an optional horizontal reference line (1 for ratios).
public struct BarChart: Sendable {
    /// Text alternative for screen readers (`<desc>`): what the chart shows and its main finding;
    /// nil: generated from the title, axes and series.
    public var description: String?
    /// Chart title.
    public var title: String
    /// Bar labels, in order.
    public var categories: [String]
    /// Bar heights (NaN: no bar).
    public var values: [Double]
    /// Interval bounds per bar (NaN: no error bar).
    public var lower: [Double]
    /// Upper interval bounds.
    public var upper: [Double]
    /// x-axis title.
    public var xTitle: String
    /// y-axis title with units.
    public var yTitle: String
    /// Dashed horizontal reference line (e.g. 1 for rate ratios, the overall rate), nil for none.
    public var reference: Double?
    /// Bar colour.
    public var color = ClassifiedScale.seriesColors[0]
    /// Size in pixels.
    public var width = 760.0, height = 380.0

    /// Bars `values` over `categories` with intervals [lower, upper].
    public init(title: String, categories: [String], values: [Double], lower: [Double], upper: [Double],
                xTitle: String = "", yTitle: String, reference: Double? = nil) {
        precondition(values.count == categories.count && lower.count == values.count && upper.count == values.count,
                     "BarChart: one value, lower and upper per category")
        self.title = title; self.categories = categories; self.values = values; self.lower = lower; self.upper = upper
        self.xTitle = xTitle; self.yTitle = yTitle; self.reference = reference
    }

    /// The chart as a standalone SVG document.
    public func svg() -> String {
        let f = ChartFrame(width: width, height: height, title: title, keyNames: [], desc: description ?? "Bar chart: \(yTitle) for \(categories.count) categories of \(xTitle.isEmpty ? "the data" : xTitle), with interval bars.")
        let (lo, hi) = ChartFrame.finiteRange(values + lower + upper, including: [0] + (reference.map { [$0] } ?? []))
        let ticks = NiceTicks(min: lo, max: hi)
        let ys = LinearScale(domain: (ticks.lower, ticks.upper), range: (f.plot.maxY, f.plot.y))
        let n = max(1, categories.count)
        let pitch = f.plot.width / Double(n)
        let xs = (0 ..< categories.count).map { f.plot.x + (Double($0) + 0.5) * pitch }
        var body = Axes.yAxis(ticks, scale: ys, plot: f.plot, title: yTitle)
        let zero = ys(min(max(0, ticks.lower), ticks.upper))
        for i in values.indices where values[i].isFinite {
            let y = ys(values[i])
            body += SVG.rect(PixelRect(x: xs[i] - pitch * 0.35, y: min(y, zero), width: pitch * 0.7, height: abs(zero - y)), fill: color.hex)
            if lower[i].isFinite && upper[i].isFinite {
                let (a, b) = (ys(lower[i]), ys(upper[i]))
                body += SVG.line(x1: xs[i], y1: a, x2: xs[i], y2: b, stroke: "#222222", width: 1.2)
                body += SVG.line(x1: xs[i] - 5, y1: a, x2: xs[i] + 5, y2: a, stroke: "#222222", width: 1.2)
                body += SVG.line(x1: xs[i] - 5, y1: b, x2: xs[i] + 5, y2: b, stroke: "#222222", width: 1.2)
            }
        }
        if let r = reference {
            body += SVG.line(x1: f.plot.x, y1: ys(r), x2: f.plot.maxX, y2: ys(r), stroke: "#b2182b", width: 1, dash: "5 4")
        }
        body += Axes.categoryAxis(categories, positions: xs, plot: f.plot, title: xTitle)
        return f.document(body)
    }
}

/// Curves against a numeric x, e.g. hit rate or PAI against % of area flagged for several models
/// and baselines; `diagonal` adds the y = x line (a random ranking's hit-rate curve).
public struct CurveChart: Sendable {
    /// Text alternative for screen readers (`<desc>`): what the chart shows and its main finding;
    /// nil: generated from the title, axes and series.
    public var description: String?
    /// Chart title.
    public var title: String
    /// Curves, each with x and y values.
    public var series: [ChartSeries]
    /// x-axis title with units.
    public var xTitle: String
    /// y-axis title with units.
    public var yTitle: String
    /// Draw the dashed y = x line.
    public var diagonal = false
    /// Size in pixels.
    public var width = 760.0, height = 420.0

    /// A chart of (x, y) series.
    public init(title: String, series: [ChartSeries], xTitle: String, yTitle: String, diagonal: Bool = false) {
        precondition(series.allSatisfy { $0.x.count == $0.y.count }, "CurveChart: one x per y in every series")
        self.title = title; self.series = series; self.xTitle = xTitle; self.yTitle = yTitle; self.diagonal = diagonal
    }

    /// The chart as a standalone SVG document.
    public func svg() -> String {
        let f = ChartFrame(width: width, height: height, title: title, keyNames: series.map(\.name), desc: description ?? "Chart: \(series.map(\.name).joined(separator: ", ")); x axis: \(xTitle); y axis: \(yTitle).")
        let (x0, x1) = ChartFrame.finiteRange(series.flatMap(\.x), including: [0])
        let (y0, y1) = ChartFrame.finiteRange(series.flatMap(\.y), including: [0] + (diagonal ? [x1] : []))
        let xt = NiceTicks(min: x0, max: x1), yt = NiceTicks(min: y0, max: y1)
        let xs = LinearScale(domain: (xt.lower, xt.upper), range: (f.plot.x, f.plot.maxX))
        let ys = LinearScale(domain: (yt.lower, yt.upper), range: (f.plot.maxY, f.plot.y))
        var body = Axes.yAxis(yt, scale: ys, plot: f.plot, title: yTitle) + Axes.xAxis(xt, scale: xs, plot: f.plot, title: xTitle)
        if diagonal {
            let m = min(xt.upper, yt.upper)
            body += SVG.line(x1: xs(0), y1: ys(0), x2: xs(m), y2: ys(m), stroke: "#999999", width: 1, dash: "4 4")
        }
        let colors = ChartFrame.colors(series)
        let pts = series.map { s in s.x.indices.map { i in s.x[i].isFinite && s.y[i].isFinite ? (x: xs(s.x[i]), y: ys(s.y[i])) : nil } }
        return f.document(body + ChartFrame.lines(pts, series, colors) + f.key(series, colors))
    }
}

/// Calibration plot: mean predicted against observed per bin (e.g. risk deciles), points joined,
/// with the y = x diagonal of perfect calibration; both axes share one range from 0.
public struct CalibrationPlot: Sendable {
    /// Text alternative for screen readers (`<desc>`): what the chart shows and its main finding;
    /// nil: generated from the title, axes and series.
    public var description: String?
    /// Plot title.
    public var title: String
    /// Mean predicted value per bin.
    public var predicted: [Double]
    /// Observed mean per bin.
    public var observed: [Double]
    /// The quantity on both axes (prefixed "Predicted: " and "Observed: ").
    public var axisTitle: String
    /// Size in pixels.
    public var width = 460.0, height = 460.0

    /// Points (predicted[i], observed[i]); `axisTitle` names the quantity ("Probability of ≥ 1 incident").
    public init(title: String, predicted: [Double], observed: [Double], axisTitle: String) {
        precondition(predicted.count == observed.count, "CalibrationPlot: one observed value per predicted value")
        self.title = title; self.predicted = predicted; self.observed = observed; self.axisTitle = axisTitle
    }

    /// The plot as a standalone SVG document.
    public func svg() -> String {
        let f = ChartFrame(width: width, height: height, title: title, keyNames: [], desc: description ?? "Calibration plot of predicted against observed \(axisTitle) for \(predicted.count) bins; points on the diagonal are perfectly calibrated.")
        let (_, hi) = ChartFrame.finiteRange(predicted + observed, including: [0])
        let t = NiceTicks(min: 0, max: max(hi, 1e-9))
        let xs = LinearScale(domain: (t.lower, t.upper), range: (f.plot.x, f.plot.maxX))
        let ys = LinearScale(domain: (t.lower, t.upper), range: (f.plot.maxY, f.plot.y))
        var body = Axes.yAxis(t, scale: ys, plot: f.plot, title: "Observed: " + axisTitle)
            + Axes.xAxis(t, scale: xs, plot: f.plot, title: "Predicted: " + axisTitle)
        body += SVG.line(x1: xs(t.lower), y1: ys(t.lower), x2: xs(t.upper), y2: ys(t.upper), stroke: "#999999", width: 1, dash: "4 4")
        let s = [ChartSeries(name: "bins", y: observed, highlighted: true)]
        let pts = [predicted.indices.map { i in predicted[i].isFinite && observed[i].isFinite ? (x: xs(predicted[i]), y: ys(observed[i])) : nil }]
        body += ChartFrame.lines(pts, s, ChartFrame.colors(s), highlightWidth: 1.5)
        for case let p? in pts[0] { body += "<circle cx=\"\(SVG.f(p.x))\" cy=\"\(SVG.f(p.y))\" r=\"3.5\" fill=\"\(ClassifiedScale.seriesColors[0].hex)\"/>" }
        return f.document(body)
    }
}
