/// An sRGB colour with 8-bit channels.
public struct RGB: Sendable, Hashable, CustomStringConvertible {
    /// Red, green and blue channels, 0…255.
    public var r: UInt8
    /// Green channel.
    public var g: UInt8
    /// Blue channel.
    public var b: UInt8

    /// A colour from its channels.
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }

    /// A colour from `#rrggbb` (programmer error otherwise).
    public init(hex: String) {
        let digits = Array(hex.utf8.dropFirst(hex.hasPrefix("#") ? 1 : 0))
        precondition(digits.count == 6, "RGB: expected #rrggbb, got \(hex)")
        func nibble(_ c: UInt8) -> UInt8 {
            switch c {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: preconditionFailure("RGB: \(hex) is not hexadecimal")
            }
        }
        self.init(nibble(digits[0]) << 4 | nibble(digits[1]), nibble(digits[2]) << 4 | nibble(digits[3]),
                  nibble(digits[4]) << 4 | nibble(digits[5]))
    }

    /// `#rrggbb`, lower case.
    public var hex: String {
        let d = Array("0123456789abcdef".utf8)
        let bytes = [UInt8(ascii: "#"), d[Int(r >> 4)], d[Int(r & 15)], d[Int(g >> 4)], d[Int(g & 15)], d[Int(b >> 4)], d[Int(b & 15)]]
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The `#rrggbb` form.
    public var description: String { hex }

    /// Linear interpolation in sRGB, rounded to the nearest channel value.
    public static func mix(_ a: RGB, _ b: RGB, _ t: Double) -> RGB {
        func m(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) + (Double(y) - Double(x)) * t).rounded()) }
        return RGB(m(a.r, b.r), m(a.g, b.g), m(a.b, b.b))
    }
}

/// A continuous colour ramp through published anchor colours (linear in sRGB between them).
public struct ColorRamp: Sendable, Equatable {
    /// Short name, e.g. "YlOrRd".
    public let name: String
    /// Anchors from the low end (t = 0) to the high end (t = 1), equally spaced.
    public let anchors: [RGB]
    /// Where the anchors come from.
    public let source: String

    /// A ramp from at least two anchors.
    public init(name: String, anchors: [RGB], source: String) {
        precondition(anchors.count >= 2, "ColorRamp: needs at least two anchors")
        self.name = name; self.anchors = anchors; self.source = source
    }

    /// The colour at t ∈ [0, 1] (clamped); t = 0 and t = 1 give the end anchors exactly.
    public func color(at t: Double) -> RGB {
        let u = max(0, min(1, t.isNaN ? 0 : t)) * Double(anchors.count - 1)
        let i = min(Int(u), anchors.count - 2)
        return RGB.mix(anchors[i], anchors[i + 1], u - Double(i))
    }

    /// `count` colours evenly spaced from the low to the high end (one: the middle).
    public func colors(count: Int) -> [RGB] {
        precondition(count >= 1, "ColorRamp: needs at least one colour")
        if count == 1 { return [color(at: 0.5)] }
        return (0 ..< count).map { color(at: Double($0) / Double(count - 1)) }
    }

    /// The same ramp run the other way.
    public var reversed: ColorRamp { ColorRamp(name: name + " (reversed)", anchors: anchors.reversed(), source: source) }

    /// ColorBrewer YlOrRd, 9-class sequential (Brewer, colorbrewer2.org; Harrower & Brewer 2003,
    /// *The Cartographic Journal* 40(1), 27–37), marked colour-blind safe there: #ffffcc … #800026.
    public static let ylOrRd = ColorRamp(
        name: "YlOrRd",
        anchors: ["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"].map(RGB.init(hex:)),
        source: "ColorBrewer 2.0 YlOrRd 9-class (Cynthia A. Brewer, colorbrewer2.org)")

    /// matplotlib viridis (van der Walt & Smith 2015, matplotlib ≥ 1.5, CC0), the 9 colours at
    /// t = 0, 1/8, …, 1 of its 256-entry table: #440154 … #fde725. Perceptually uniform, colour-blind
    /// friendly, prints in greyscale.
    public static let viridis = ColorRamp(
        name: "viridis",
        anchors: ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"].map(RGB.init(hex:)),
        source: "matplotlib viridis (van der Walt & Smith 2015), 9 samples of the 256-colour table")

    /// ColorBrewer RdBu, 11-class diverging, **reversed** so low = blue (#053061), high = red
    /// (#67001f), centre #f7f7f7 — cold spots blue, hot spots red. Colour-blind safe (colorbrewer2.org).
    public static let rdBuDiverging = ColorRamp(
        name: "RdBu (reversed: blue low, red high)",
        anchors: ["#053061", "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7", "#fddbc7", "#f4a582", "#d6604d", "#b2182b", "#67001f"].map(RGB.init(hex:)),
        source: "ColorBrewer 2.0 RdBu 11-class, reversed (Cynthia A. Brewer, colorbrewer2.org)")
}

/// Class breaks as upper bounds (mapclassify's convention): class i holds values in
/// (upper[i−1], upper[i]], class 0 holds [minimum, upper[0]].
public struct ClassBreaks: Sendable, Equatable {
    /// Lower bound of class 0.
    public let minimum: Double
    /// Upper bound of each class, increasing; the last is the maximum.
    public let upperBounds: [Double]

    /// Breaks from explicit bounds (programmer error unless strictly increasing and ≥ minimum).
    public init(minimum: Double, upperBounds: [Double]) {
        precondition(!upperBounds.isEmpty, "ClassBreaks: needs at least one class")
        precondition(zip(upperBounds, upperBounds.dropFirst()).allSatisfy { $0 < $1 } && minimum <= upperBounds[0],
                     "ClassBreaks: bounds must increase")
        self.minimum = minimum; self.upperBounds = upperBounds
    }

    /// Number of classes.
    public var count: Int { upperBounds.count }

    /// The class of v; nil for NaN or outside [minimum, last bound].
    public func classIndex(of v: Double) -> Int? {
        guard !v.isNaN, v >= minimum, v <= upperBounds[upperBounds.count - 1] else { return nil }
        var lo = 0, hi = upperBounds.count - 1
        while lo < hi { let mid = (lo + hi) / 2; if v <= upperBounds[mid] { hi = mid } else { lo = mid + 1 } }
        return lo
    }

    /// Quantile breaks of the finite values (numpy's default linear-interpolation percentile, as
    /// mapclassify `Quantiles`): upper[i] = Q((i+1)/k). Repeated bounds (many equal values, e.g.
    /// zeros) are merged, so fewer than k classes can result. Nil when there is no finite value.
    public static func quantiles(_ values: [Double], classes k: Int) -> ClassBreaks? {
        precondition(k >= 1, "ClassBreaks: needs at least one class")
        let v = values.filter(\.isFinite).sorted()
        guard let first = v.first else { return nil }
        var bounds: [Double] = []
        for i in 1 ... k {
            let h = Double(v.count - 1) * Double(i) / Double(k)
            let lo = Int(h.rounded(.down)), hi = min(lo + 1, v.count - 1)
            let q = i == k ? v[v.count - 1] : v[lo] + (h - Double(lo)) * (v[hi] - v[lo])
            if bounds.last.map({ q > $0 }) ?? true { bounds.append(q) }
        }
        return ClassBreaks(minimum: first, upperBounds: bounds)
    }

    /// Equal-interval breaks (mapclassify `EqualInterval`): upper[i] = min + (i+1)·(max − min)/k.
    /// One class when all finite values are equal; nil when there is none.
    public static func equalInterval(_ values: [Double], classes k: Int) -> ClassBreaks? {
        precondition(k >= 1, "ClassBreaks: needs at least one class")
        let v = values.filter(\.isFinite)
        guard let lo = v.min(), let hi = v.max() else { return nil }
        guard hi > lo else { return ClassBreaks(minimum: lo, upperBounds: [hi]) }
        let bounds = (1 ... k).map { $0 == k ? hi : lo + Double($0) * (hi - lo) / Double(k) }
        return ClassBreaks(minimum: lo, upperBounds: bounds)
    }

    /// Labels "a – b" for each class, numbers with `decimals` fraction digits; a class holding one
    /// value only (lower = upper, e.g. the zeros of a quantile scale) reads as that value ("0").
    public func labels(decimals: Int = 1) -> [String] {
        var lower = minimum
        return upperBounds.map { u in
            defer { lower = u }
            if lower == u { return u == 0 ? "0" : Legend.number(u, decimals: decimals) }
            return "\(Legend.number(lower, decimals: decimals)) – \(Legend.number(u, decimals: decimals))"
        }
    }
}

/// Classed colours: breaks, one colour and one legend label per class.
public struct ClassifiedScale: Sendable, Equatable {
    /// Class bounds.
    public let breaks: ClassBreaks
    /// One colour per class.
    public let colors: [RGB]
    /// One legend label per class.
    public let labels: [String]

    /// A scale from breaks, colours and labels (one each per class).
    public init(breaks: ClassBreaks, colors: [RGB], labels: [String]) {
        precondition(colors.count == breaks.count && labels.count == breaks.count,
                     "ClassifiedScale: one colour and one label per class")
        self.breaks = breaks; self.colors = colors; self.labels = labels
    }

    /// The class of v (nil: NaN or out of range — drawn as no data).
    public func classIndex(of v: Double) -> Int? { breaks.classIndex(of: v) }

    /// The colour of v, nil when v has no class.
    public func color(of v: Double) -> RGB? { classIndex(of: v).map { colors[$0] } }

    /// Classification method for data-driven scales.
    public enum Method: String, Sendable { case quantile, equalInterval = "equal-interval" }

    /// A sequential scale from data: `classes` quantile or equal-interval classes coloured along
    /// `ramp` (default YlOrRd). Nil when no value is finite.
    public static func sequential(_ values: [Double], classes: Int = 5, method: Method = .quantile,
                                  ramp: ColorRamp = .ylOrRd, decimals: Int = 1) -> ClassifiedScale? {
        let b = method == .quantile ? ClassBreaks.quantiles(values, classes: classes) : ClassBreaks.equalInterval(values, classes: classes)
        guard let b else { return nil }
        return ClassifiedScale(breaks: b, colors: ramp.colors(count: b.count), labels: b.labels(decimals: decimals))
    }

    /// A diverging scale centred on `center` (0 for z-scores, 1 for ratios): `classes` (odd, ≥ 3)
    /// equal-width classes spanning center ± max|v − center|, the middle class straddling the centre,
    /// coloured with reversed RdBu (blue below, red above). Nil when no value is finite.
    public static func diverging(_ values: [Double], center: Double = 0, classes: Int = 7,
                                 ramp: ColorRamp = .rdBuDiverging, decimals: Int = 1) -> ClassifiedScale? {
        precondition(classes >= 3 && classes % 2 == 1, "ClassifiedScale: a diverging scale needs an odd number of classes ≥ 3")
        let v = values.filter(\.isFinite)
        guard !v.isEmpty else { return nil }
        var r = v.map { abs($0 - center) }.max() ?? 0
        if r == 0 { r = 1 }
        let w = 2 * r / Double(classes)
        let bounds = (1 ... classes).map { $0 == classes ? center + r : center - r + Double($0) * w }
        let b = ClassBreaks(minimum: center - r, upperBounds: bounds)
        return ClassifiedScale(breaks: b, colors: ramp.colors(count: classes), labels: b.labels(decimals: decimals))
    }

    /// Integer category codes 0..<k with explicit colours and labels.
    public static func categorical(colors: [RGB], labels: [String]) -> ClassifiedScale {
        let b = ClassBreaks(minimum: -0.5, upperBounds: colors.indices.map { Double($0) + 0.5 })
        return ClassifiedScale(breaks: b, colors: colors, labels: labels)
    }

    /// ArcGIS `Gi_Bin` values −3…+3: ColorBrewer RdBu 7-class reversed for ±1…±3 (cold blue, hot
    /// red) and ColorBrewer Greys #d9d9d9 for 0 (not significant).
    public static let giStarBins: ClassifiedScale = {
        let b = ClassBreaks(minimum: -3.5, upperBounds: [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5])
        let colors = ["#2166ac", "#67a9cf", "#d1e5f0", "#d9d9d9", "#fddbc7", "#ef8a62", "#b2182b"].map(RGB.init(hex:))
        let labels = ["Cold spot, 99 % confidence", "Cold spot, 95 %", "Cold spot, 90 %", "Not significant",
                      "Hot spot, 90 %", "Hot spot, 95 %", "Hot spot, 99 % confidence"]
        return ClassifiedScale(breaks: b, colors: colors, labels: labels)
    }()

    /// LISA cluster codes in GeoDa's order and colours (GeoDa `LisaMapNewView`): 0 not significant
    /// (240,240,240), 1 High-High (255,0,0), 2 Low-Low (0,0,255), 3 Low-High (150,150,255),
    /// 4 High-Low (255,150,150).
    public static let lisaClusters = categorical(
        colors: [RGB(240, 240, 240), RGB(255, 0, 0), RGB(0, 0, 255), RGB(150, 150, 255), RGB(255, 150, 150)],
        labels: ["Not significant", "High-High", "Low-Low", "Low-High", "High-Low"])

    /// Okabe–Ito colour-blind-safe categorical palette (Okabe & Ito 2008, "Color Universal Design"),
    /// without its yellow (too pale for lines on white): used for chart series.
    public static let seriesColors: [RGB] = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"].map(RGB.init(hex:))
}
