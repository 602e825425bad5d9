import PlaceRiskCore

/// Small SVG element writers shared by maps, charts and legends. Every string argument is escaped.
public enum SVG {
    /// A complete standalone `<svg>` element with the SVG namespace, `viewBox`, an accessible
    /// `<title>` and a white background, wrapping `body`. The text alternative is the title.
    public static func document(width: Double, height: Double, title: String, body: String) -> String {
        document(width: width, height: height, title: title, desc: nil, body: body)
    }

    /// A complete standalone `<svg>` with a text alternative for screen readers: `role="img"`,
    /// `aria-labelledby` naming a `<title>` (the short name) and a `<desc>` (the long description,
    /// e.g. "Map of Leeds: 35 hot cells …"; the title again when nil). The ids are derived from a
    /// hash of the content, so several figures on one page do not collide (`idPrefix` overrides).
    public static func document(width: Double, height: Double, title: String, desc: String?, idPrefix: String? = nil,
                                body: String) -> String {
        let w = SVGNumber.format(width), h = SVGNumber.format(height)
        let d = desc ?? title
        let id = idPrefix.map(HTMLDocument.sanitizedID) ?? "svg-" + stableHash(title, d, body)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" "
            + "font-family=\"Helvetica, Arial, sans-serif\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\">"
            + "<title id=\"\(id)-title\">\(HTMLEscape.text(title))</title>"
            + "<desc id=\"\(id)-desc\">\(HTMLEscape.text(d))</desc>"
            + "<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>"
            + body + "</svg>"
    }

    /// FNV-1a 64-bit of the parts, as 16 hex digits (stable across runs, unlike `Hasher`).
    static func stableHash(_ parts: String...) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for p in parts {
            for b in p.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
            h = (h ^ 0xff) &* 0x100000001b3
        }
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
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
