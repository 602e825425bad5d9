import PlaceRiskCore
/// Scale bar, north arrow and attribution for maps in British National Grid.
public enum MapDecorations {
    /// The largest 1, 2 or 5 × 10^k metres not longer than `maxMetres` (> 0).
    public static func roundLength(atMost maxMetres: Double) -> Double {
        precondition(maxMetres > 0 && maxMetres.isFinite, "MapDecorations: needs a positive length")
        let p = pow(10, log10(maxMetres).rounded(.down))
        let f = maxMetres / p
        return (f >= 5 ? 5 : f >= 2 ? 2 : 1) * p
    }

    /// "500 m" below 1 km, else "2 km", "2.5 km".
    public static func lengthLabel(_ metres: Double) -> String {
        metres < 1000 ? "\(SVGNumber.format(metres, decimals: 0)) m" : "\(SVGNumber.format(metres / 1000, decimals: 2)) km"
    }

    /// A two-segment (black/white) scale bar at most `maxWidth` px long with its lower-left corner
    /// at (x, y): its length is a round number of metres at the projection's scale.
    public static func scaleBar(projection: MapProjection, x: Double, y: Double, maxWidth: Double = 120) -> String {
        let metres = roundLength(atMost: maxWidth * projection.metresPerPixel)
        let w = metres * projection.scale
        let h = 5.0
        var s = "<g class=\"scale-bar\">"
        s += SVG.rect(PixelRect(x: x, y: y - h, width: w / 2, height: h), fill: "#222222", stroke: "#222222", strokeWidth: 0.5)
        s += SVG.rect(PixelRect(x: x + w / 2, y: y - h, width: w / 2, height: h), fill: "#ffffff", stroke: "#222222", strokeWidth: 0.5)
        s += SVG.text("0", x: x, y: y - h - 3, size: 10, anchor: "middle")
        s += SVG.text(lengthLabel(metres), x: x + w, y: y - h - 3, size: 10, anchor: "middle")
        return s + "</g>"
    }

    /// A north arrow (a split triangle with "N") centred at x with its tip at y. On British
    /// National Grid, grid north is within ~±3° of true north across Great Britain; the arrow shows
    /// grid north (up the page).
    public static func northArrow(x: Double, y: Double, size: Double = 24) -> String {
        let half = size * 0.35
        func p(_ a: Double, _ b: Double) -> String { "\(SVG.f(a)),\(SVG.f(b))" }
        var s = "<g class=\"north-arrow\">"
        s += "<polygon points=\"\(p(x, y + 12)) \(p(x - half, y + 12 + size)) \(p(x, y + 12 + size * 0.75))\" fill=\"#222222\"/>"
        s += "<polygon points=\"\(p(x, y + 12)) \(p(x + half, y + 12 + size)) \(p(x, y + 12 + size * 0.75))\" fill=\"#ffffff\" stroke=\"#222222\" stroke-width=\"0.8\"/>"
        s += SVG.text("N", x: x, y: y + 10, size: 12, anchor: "middle", weight: "bold")
        return s + "</g>"
    }

    /// Attribution lines, bottom-left, small grey text, the last line's baseline at `bottom`.
    public static func attribution(_ lines: [String], x: Double, bottom: Double, fontSize: Double = 9) -> String {
        var s = "<g class=\"attribution\">"
        for (i, line) in lines.enumerated() {
            let y = bottom - Double(lines.count - 1 - i) * (fontSize + 3)
            s += SVG.text(line, x: x, y: y, size: fontSize, fill: "#555555")
        }
        return s + "</g>"
    }

    /// Attribution for police.uk data (Open Government Licence v3.0).
    public static let policeUKAttribution = "Crime data: police.uk. Contains public sector information licensed under the Open Government Licence v3.0."

    /// Attribution for ONS/OS boundaries (LSOA polygons, centroids) for the given year of release.
    public static func boundaryAttribution(year: Int) -> String {
        "Boundaries: Office for National Statistics licensed under the Open Government Licence v3.0. Contains OS data © Crown copyright and database right \(year)."
    }
}
