import PlaceRiskCore

/// Locale-free, fixed-precision number formatting for SVG coordinates.
///
/// `v` is rounded half away from zero to `decimals` fraction digits, trailing zeros are dropped and
/// `-0` prints as `0`: 12.345 → "12.3" (1 decimal), 12.96 → "13", −0.04 → "0". Never an exponent for
/// |v| < 10¹⁵; never a locale's decimal comma (no `String(format:)`).
public enum SVGNumber {
    static let powersOfTen: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// `v` with at most `decimals` (0…6) fraction digits. `v` must be finite.
    public static func format(_ v: Double, decimals: Int = 1) -> String {
        var out: [UInt8] = []
        append(v, decimals: decimals, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `format(v, decimals:)` as UTF-8 bytes.
    public static func append(_ v: Double, decimals: Int, to out: inout [UInt8]) {
        appendQuantized(quantize(v, decimals: decimals), decimals: decimals, to: &out)
    }

    /// `v · 10^decimals` rounded to an integer (the value the text will show).
    static func quantize(_ v: Double, decimals: Int) -> Int64 {
        precondition(v.isFinite, "SVGNumber: cannot format a non-finite coordinate (\(v))")
        precondition((0 ... 6).contains(decimals), "SVGNumber: decimals must be 0…6")
        let r = (v * powersOfTen[decimals]).rounded(.toNearestOrAwayFromZero)
        precondition(abs(r) < 9e15, "SVGNumber: \(v) is too large for a drawing coordinate")
        return Int64(r)
    }

    static func appendQuantized(_ q: Int64, decimals: Int, to out: inout [UInt8]) {
        if q < 0 { out.append(UInt8(ascii: "-")) }
        let mag = q.magnitude
        let scale = UInt64(powersOfTen[decimals])
        appendDigits(mag / scale, to: &out)
        var frac = mag % scale
        guard frac != 0 else { return }
        var width = decimals
        while frac % 10 == 0 { frac /= 10; width -= 1 }
        out.append(UInt8(ascii: "."))
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
        var i = width - 1
        while frac > 0 { digits[i] = UInt8(ascii: "0") + UInt8(frac % 10); frac /= 10; i -= 1 }
        out.append(contentsOf: digits)
    }

    private static func appendDigits(_ v: UInt64, to out: inout [UInt8]) {
        if v < 10 { out.append(UInt8(ascii: "0") + UInt8(v)); return }
        appendDigits(v / 10, to: &out)
        out.append(UInt8(ascii: "0") + UInt8(v % 10))
    }
}

/// A compact SVG path (`d` attribute) builder on a flat byte buffer.
///
/// Output form: `M x,y x,y … Z` (implicit line-to after a move), coordinates through `SVGNumber`
/// at `decimals` digits. Consecutive vertices that round to the same text are written once, and a
/// ring that collapses to fewer than three distinct rounded vertices is left out — both keep the
/// SVG of a county's LSOAs small at report scale. Holes go in the same path; draw it with
/// `fill-rule="evenodd"` so they are holes whatever their orientation.
public struct SVGPathBuilder: Sendable {
    /// The path text so far, UTF-8.
    public private(set) var bytes: [UInt8]
    /// Fraction digits of every coordinate.
    public let decimals: Int
    private var ringScratch: [(Int64, Int64)] = []

    /// An empty path; `reservingCapacity` bytes are reserved up front.
    public init(decimals: Int = 1, reservingCapacity: Int = 1024) {
        self.decimals = decimals
        bytes = []
        bytes.reserveCapacity(reservingCapacity)
    }

    /// True when nothing has been drawn.
    public var isEmpty: Bool { bytes.isEmpty }

    /// The `d` attribute value.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Adds a closed ring in pixel coordinates (open or closed input). Returns false, adding
    /// nothing, when fewer than three distinct vertices survive rounding.
    @discardableResult
    public mutating func addRing(_ points: [(x: Double, y: Double)]) -> Bool {
        ringScratch.removeAll(keepingCapacity: true)
        for p in points {
            let q = (SVGNumber.quantize(p.x, decimals: decimals), SVGNumber.quantize(p.y, decimals: decimals))
            if let last = ringScratch.last, last == q { continue }
            ringScratch.append(q)
        }
        if ringScratch.count > 1, ringScratch[0] == ringScratch[ringScratch.count - 1] { ringScratch.removeLast() }
        guard ringScratch.count >= 3 else { return false }
        emit(ringScratch, close: true)
        return true
    }

    /// Adds an open polyline in pixel coordinates (at least two distinct rounded vertices, else
    /// nothing is added and false is returned).
    @discardableResult
    public mutating func addPolyline(_ points: [(x: Double, y: Double)]) -> Bool {
        ringScratch.removeAll(keepingCapacity: true)
        for p in points {
            let q = (SVGNumber.quantize(p.x, decimals: decimals), SVGNumber.quantize(p.y, decimals: decimals))
            if let last = ringScratch.last, last == q { continue }
            ringScratch.append(q)
        }
        guard ringScratch.count >= 2 else { return false }
        emit(ringScratch, close: false)
        return true
    }

    private mutating func emit(_ q: [(Int64, Int64)], close: Bool) {
        bytes.append(UInt8(ascii: "M"))
        for (k, (x, y)) in q.enumerated() {
            if k > 0 { bytes.append(UInt8(ascii: " ")) }
            SVGNumber.appendQuantized(x, decimals: decimals, to: &bytes)
            bytes.append(UInt8(ascii: ","))
            SVGNumber.appendQuantized(y, decimals: decimals, to: &bytes)
        }
        if close { bytes.append(UInt8(ascii: "Z")) }
    }
}

/// A rectangle in SVG pixel space (y down).
public struct PixelRect: Sendable, Equatable {
    /// Left edge.
    public var x: Double
    /// Top edge.
    public var y: Double
    /// Width (px).
    public var width: Double
    /// Height (px).
    public var height: Double

    /// A rectangle from its top-left corner and size.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }

    /// Right edge.
    public var maxX: Double { x + width }
    /// Bottom edge.
    public var maxY: Double { y + height }
}

/// World (British National Grid metres, y up) → screen (pixels, y down) similarity transform that
/// fits a bounding box into a pixel rectangle, preserving aspect ratio and centring the slack:
/// ```
/// s  = min(W / (maxX − minX), H / (maxY − minY))          pixels per metre
/// px = x₀ + (W − s·(maxX − minX))/2 + s·(x − minX)
/// py = y₀ + (H − s·(maxY − minY))/2 + s·(maxY − y)
/// ```
/// A box with zero width or height is fitted on its other side (a single point: s = 1 px/m).
public struct MapProjection: Sendable, Equatable {
    /// Pixels per metre.
    public let scale: Double
    /// Screen x = offsetX + scale·x.
    public let offsetX: Double
    /// Screen y = offsetY − scale·y.
    public let offsetY: Double

    /// The projection fitting `box` into `rect`.
    public init(fitting box: BoundingBox, into rect: PixelRect) {
        precondition(box.minX <= box.maxX && box.minY <= box.maxY && box.minX.isFinite && box.maxY.isFinite,
                     "MapProjection: the bounding box must be finite and ordered")
        precondition(rect.width > 0 && rect.height > 0, "MapProjection: the pixel box must have a positive size")
        let bw = box.maxX - box.minX, bh = box.maxY - box.minY
        let s: Double
        switch (bw > 0, bh > 0) {
        case (true, true): s = min(rect.width / bw, rect.height / bh)
        case (true, false): s = rect.width / bw
        case (false, true): s = rect.height / bh
        case (false, false): s = 1
        }
        scale = s
        offsetX = rect.x + (rect.width - s * bw) / 2 - s * box.minX
        offsetY = rect.y + (rect.height - s * bh) / 2 + s * box.maxY
    }

    /// Screen position of a world point.
    @inlinable public func project(x: Double, y: Double) -> (x: Double, y: Double) {
        (offsetX + scale * x, offsetY - scale * y)
    }

    /// World position of a screen point.
    public func unproject(x: Double, y: Double) -> (x: Double, y: Double) {
        ((x - offsetX) / scale, (offsetY - y) / scale)
    }

    /// Metres per pixel (1 / scale).
    public var metresPerPixel: Double { 1 / scale }
}

/// Small SVG element writers shared by maps, charts and legends. Every string argument is escaped.
public enum SVG {
    /// A complete standalone `<svg>` element with the SVG namespace, `viewBox`, an accessible
    /// `<title>` and a white background, wrapping `body`.
    public static func document(width: Double, height: Double, title: String, body: String) -> String {
        let w = SVGNumber.format(width), h = SVGNumber.format(height)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" "
            + "font-family=\"Helvetica, Arial, sans-serif\" role=\"img\">"
            + "<title>\(HTMLEscape.text(title))</title>"
            + "<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>"
            + body + "</svg>"
    }

    /// `<text>`; `anchor` is start, middle or end; `rotate` (degrees) turns it about (x, y).
    public static func text(_ s: String, x: Double, y: Double, size: Double = 12, anchor: String = "start",
                            weight: String? = nil, fill: String = "#222222", rotate: Double? = nil) -> String {
        var a = "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(f(size))\""
        if anchor != "start" { a += " text-anchor=\"\(anchor)\"" }
        if let weight { a += " font-weight=\"\(weight)\"" }
        if fill != "#222222" { a += " fill=\"\(fill)\"" }
        if let rotate { a += " transform=\"rotate(\(f(rotate)) \(f(x)) \(f(y)))\"" }
        return a + ">" + HTMLEscape.text(s) + "</text>"
    }

    /// `<line>` with a stroke colour and width; `dash` is an optional `stroke-dasharray`.
    public static func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#222222",
                            width: Double = 1, dash: String? = nil) -> String {
        var s = "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(f(width))\""
        if let dash { s += " stroke-dasharray=\"\(dash)\"" }
        return s + "/>"
    }

    /// `<rect>`; `fill` "none" for an outline only, `stroke` nil for none.
    public static func rect(_ r: PixelRect, fill: String, stroke: String? = nil, strokeWidth: Double = 1) -> String {
        var s = "<rect x=\"\(f(r.x))\" y=\"\(f(r.y))\" width=\"\(f(r.width))\" height=\"\(f(r.height))\" fill=\"\(fill)\""
        if let stroke { s += " stroke=\"\(stroke)\" stroke-width=\"\(f(strokeWidth))\"" }
        return s + "/>"
    }

    static func f(_ v: Double) -> String { SVGNumber.format(v, decimals: 1) }
}
