import PlaceRiskCore
/// Axis ticks at "nice" numbers: 1, 2 or 5 × 10^k (Heckbert 1990, "Nice numbers for graph labels",
/// *Graphics Gems*, 61–63, loose labelling):
/// ```
/// range = nice(max − min, round: false)
/// d     = nice(range / (ticks − 1), round: true)      tick spacing
/// lo    = floor(min / d)·d,  hi = ceil(max / d)·d       the axis covers the data
/// digits = max(−floor(log10 d), 0)                      fraction digits of the labels
/// nice(x, round): x = f·10^e, 1 ≤ f < 10; rounded: f < 1.5 → 1, < 3 → 2, < 7 → 5, else 10;
///                 not rounded (ceiling): f ≤ 1 → 1, ≤ 2 → 2, ≤ 5 → 5, else 10
/// ```
public struct NiceTicks: Sendable, Equatable {
    /// Axis minimum (a multiple of `step`, ≤ the data minimum).
    public let lower: Double
    /// Axis maximum (a multiple of `step`, ≥ the data maximum).
    public let upper: Double
    /// Tick spacing.
    public let step: Double
    /// Fraction digits that show the ticks exactly.
    public let fractionDigits: Int

    /// Heckbert's loose labelling of [min, max] with about `count` ticks (≥ 2). A zero-width range
    /// is widened to ±1 (or ±10 % of the value) first.
    public init(min a: Double, max b: Double, count: Int = 5) {
        precondition(a.isFinite && b.isFinite && count >= 2, "NiceTicks: needs a finite range and at least 2 ticks")
        var lo = Swift.min(a, b), hi = Swift.max(a, b)
        if hi == lo { let pad = lo == 0 ? 1 : abs(lo) * 0.1; lo -= pad; hi += pad }
        let range = NiceTicks.nice(hi - lo, round: false)
        let d = NiceTicks.nice(range / Double(count - 1), round: true)
        step = d
        lower = (lo / d).rounded(.down) * d
        upper = (hi / d).rounded(.up) * d
        fractionDigits = Swift.max(-Int(log10(d).rounded(.down)), 0)
    }

    /// Heckbert's `nicenum`.
    public static func nice(_ x: Double, round: Bool) -> Double {
        precondition(x > 0 && x.isFinite, "NiceTicks.nice: needs a positive finite number")
        let e = log10(x).rounded(.down)
        let p = pow(10, e)
        let f = x / p
        let nf: Double
        if round { nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10 }
        else { nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10 }
        return nf * p
    }

    /// Tick values lower, lower + step, …, upper (each rounded to `fractionDigits`, so 0.3 not
    /// 0.30000000000000004).
    public var values: [Double] {
        let n = Int(((upper - lower) / step).rounded()) + 1
        let scale = pow(10, Double(Swift.min(fractionDigits, 15)))
        return (0 ..< n).map { ((lower + Double($0) * step) * scale).rounded() / scale }
    }

    /// Tick labels with `fractionDigits` digits and thousands separators.
    public var labels: [String] { values.map { Legend.number($0, decimals: fractionDigits) } }
}

/// A linear map from a data interval to a pixel interval (the pixel interval may run backwards,
/// as a y axis does).
public struct LinearScale: Sendable, Equatable {
    /// Data interval.
    public let domain: (lower: Double, upper: Double)
    /// Pixel interval (start ↔ domain.lower).
    public let range: (start: Double, end: Double)

    /// A scale mapping domain.lower → range.start and domain.upper → range.end.
    public init(domain: (Double, Double), range: (Double, Double)) {
        precondition(domain.1 != domain.0, "LinearScale: the domain must have a positive width")
        self.domain = (domain.0, domain.1); self.range = (range.0, range.1)
    }

    /// Pixel position of v.
    public func callAsFunction(_ v: Double) -> Double {
        range.start + (v - domain.lower) / (domain.upper - domain.lower) * (range.end - range.start)
    }

    /// Equal domains and ranges.
    public static func == (a: LinearScale, b: LinearScale) -> Bool {
        a.domain == b.domain && a.range == b.range
    }
}

/// Axis drawing for charts: a plot rectangle with a numeric y axis (ticks, grid lines, title) and
/// an x axis that is numeric or categorical (string labels such as months).
public enum Axes {
    /// The numeric y axis on the left of `plot`: horizontal grid lines at each tick, labels right-
    /// aligned, and the title rotated along the axis.
    public static func yAxis(_ ticks: NiceTicks, scale: LinearScale, plot: PixelRect, title: String) -> String {
        var s = "<g class=\"y-axis\">"
        for (v, label) in zip(ticks.values, ticks.labels) {
            let y = scale(v)
            s += SVG.line(x1: plot.x, y1: y, x2: plot.maxX, y2: y, stroke: "#e3e3e3", width: 1)
            s += SVG.text(label, x: plot.x - 6, y: y + 4, size: 11, anchor: "end")
        }
        s += SVG.line(x1: plot.x, y1: plot.y, x2: plot.x, y2: plot.maxY, stroke: "#444444")
        s += SVG.text(title, x: plot.x - 46, y: plot.y + plot.height / 2, size: 12, anchor: "middle", rotate: -90)
        return s + "</g>"
    }

    /// A numeric x axis under `plot` with tick marks and labels and the title below.
    public static func xAxis(_ ticks: NiceTicks, scale: LinearScale, plot: PixelRect, title: String) -> String {
        var s = "<g class=\"x-axis\">" + SVG.line(x1: plot.x, y1: plot.maxY, x2: plot.maxX, y2: plot.maxY, stroke: "#444444")
        for (v, label) in zip(ticks.values, ticks.labels) {
            let x = scale(v)
            s += SVG.line(x1: x, y1: plot.maxY, x2: x, y2: plot.maxY + 5, stroke: "#444444")
            s += SVG.text(label, x: x, y: plot.maxY + 18, size: 11, anchor: "middle")
        }
        s += SVG.text(title, x: plot.x + plot.width / 2, y: plot.maxY + 38, size: 12, anchor: "middle")
        return s + "</g>"
    }

    /// A categorical x axis: `labels[i]` centred at `positions[i]`; when they would overlap only
    /// every k-th label is written (ticks are kept for all).
    public static func categoryAxis(_ labels: [String], positions: [Double], plot: PixelRect, title: String) -> String {
        precondition(labels.count == positions.count, "Axes: one position per label")
        var s = "<g class=\"x-axis\">" + SVG.line(x1: plot.x, y1: plot.maxY, x2: plot.maxX, y2: plot.maxY, stroke: "#444444")
        let widest = labels.map { TextMetrics.width($0, size: 11) }.max() ?? 0
        let pitch = positions.count > 1 ? abs(positions[1] - positions[0]) : plot.width
        let every = pitch > 0 ? Swift.max(1, Int(((widest + 6) / pitch).rounded(.up))) : 1
        for (i, (label, x)) in zip(labels, positions).enumerated() {
            s += SVG.line(x1: x, y1: plot.maxY, x2: x, y2: plot.maxY + 4, stroke: "#444444")
            if i % every == 0 { s += SVG.text(label, x: x, y: plot.maxY + 18, size: 11, anchor: "middle") }
        }
        s += SVG.text(title, x: plot.x + plot.width / 2, y: plot.maxY + 38, size: 12, anchor: "middle")
        return s + "</g>"
    }
}
