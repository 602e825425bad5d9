import PlaceRiskCore
/// Round numbers of the 1–2–5 series (…, 0.5, 1, 2, 5, 10, 20, 50, …) for logarithmic class breaks.
public enum NiceLogSeries {
    /// The smallest number of the 1–2–5 series ≥ v (v > 0, finite).
    public static func ceiling(_ v: Double) -> Double {
        precondition(v > 0 && v.isFinite, "NiceLogSeries: needs a positive finite value")
        let p = pow(10, log10(v).rounded(.down))
        for m in [1.0, 2, 5, 10] where m * p >= v * (1 - 1e-12) { return m * p }
        return 10 * p
    }

    /// The number of the series just below `n` (n itself a member): 1 → 0.5, 2 → 1, 5 → 2.
    public static func previous(_ n: Double) -> Double {
        let p = pow(10, log10(n).rounded(.down))
        let m = (n / p).rounded()
        switch m {
        case 5: return 2 * p
        case 2: return p
        default: return m >= 10 ? 5 * p : 0.5 * p
        }
    }

    /// A legend number: no decimals from 1 up (thousands separated), else enough to show its first
    /// significant digit (0.5, 0.05).
    public static func label(_ v: Double) -> String {
        guard v > 0, v < 1 else { return Legend.number(v, decimals: 0) }
        return Legend.number(v, decimals: max(1, Int((-log10(v)).rounded(.up))))
    }
}

extension ClassifiedScale {
    /// A sequential scale with **logarithmic** class breaks on the 1–2–5 series (1, 2, 5, 10, 20, 50 …),
    /// for skewed positive quantities such as a kernel density (crimes per km²), where quantile
    /// classes saturate (one class spanning 3.7–237).
    ///
    /// The top bound is the smallest series number ≥ the maximum; bounds step down the series until
    /// `classes` classes exist or the next bound would fall below the smallest drawn value. Class 0
    /// holds everything from `floor` up to its bound, labelled "≤ b"; others read "a – b". Zero,
    /// negative, NaN values and values below `floor` get no class: transparent on a raster, the
    /// no-data fill on polygons. Colours run along `ramp` (viridis by default: perceptually uniform,
    /// colour-blind safe). Nil when no value is positive (and ≥ `floor`).
    ///
    /// - Parameters:
    ///   - values: the data (e.g. KDE cell densities).
    ///   - classes: most classes (≥ 2).
    ///   - ramp: colour ramp from low to high.
    ///   - floor: smallest value drawn (default: the smallest positive value); use it to hide a KDE's
    ///     near-zero fringe.
    public static func logarithmic(_ values: [Double], classes: Int = 8, ramp: ColorRamp = .viridis,
                                   floor: Double? = nil) -> ClassifiedScale? {
        precondition(classes >= 2, "ClassifiedScale: a logarithmic scale needs at least two classes")
        let lowest = max(floor ?? 0, 0)
        let v = values.filter { $0.isFinite && $0 > 0 && $0 >= lowest }
        guard let lo = v.min(), let hi = v.max() else { return nil }
        var bounds = [NiceLogSeries.ceiling(hi)]
        while bounds.count < classes {
            let next = NiceLogSeries.previous(bounds[0])
            guard next > lo else { break }
            bounds.insert(next, at: 0)
        }
        if bounds.count == 1 { bounds.insert(NiceLogSeries.previous(bounds[0]), at: 0) }
        let minimum = min(lo, bounds[0])
        let breaks = ClassBreaks(minimum: minimum, upperBounds: bounds)
        var labels = ["≤ " + NiceLogSeries.label(bounds[0])]
        for i in 1 ..< bounds.count { labels.append("\(NiceLogSeries.label(bounds[i - 1])) – \(NiceLogSeries.label(bounds[i]))") }
        return ClassifiedScale(breaks: breaks, colors: ramp.colors(count: bounds.count), labels: labels)
    }
}

/// Named palettes for categorical maps.
public enum ColorPalettes {
    /// The 17 Emerging Hot Spot Analysis patterns in Esri's order (the raw values of
    /// `EmergingHotSpotPattern` in PlaceRiskCore): no pattern, then the 8 hot and the 8 cold patterns.
    public static let emergingHotSpotOrder: [String] = [
        "No Pattern Detected",
        "New Hot Spot", "Consecutive Hot Spot", "Intensifying Hot Spot", "Persistent Hot Spot",
        "Diminishing Hot Spot", "Sporadic Hot Spot", "Oscillating Hot Spot", "Historical Hot Spot",
        "New Cold Spot", "Consecutive Cold Spot", "Intensifying Cold Spot", "Persistent Cold Spot",
        "Diminishing Cold Spot", "Sporadic Cold Spot", "Oscillating Cold Spot", "Historical Cold Spot",
    ]

    /// Fill for areas with no data (no series for the location): light grey, distinct from
    /// "No Pattern Detected" and drawn in legends as the "No data" swatch.
    public static let noData = RGB(hex: "#f2f2f2")

    /// Colours for Emerging Hot Spot patterns, keyed by the pattern's raw value ("New Hot Spot" …).
    ///
    /// Esri's own symbology is published only as images in its help pages. What could be recovered
    /// of its default (a published ArcGIS feature service of an Emerging Hot Spot Analysis output,
    /// services7.arcgis.com/mbC97TSabuNgCnce/…/Chicago/FeatureServer/6, unique values on PATTERN,
    /// the same four colours reproduced in an unrelated user's script) covers four patterns only:
    /// New #CB0800, Consecutive #BD6D5E, Intensifying #E01709, Persistent #851400 — and New and
    /// Intensifying there are ΔE*ab 6.6 apart, the "two reds that look alike" this map must avoid
    /// (Esri tells them apart by hatching in ArcGIS Pro). So this is a documented substitute in Esri's scheme: hot patterns in reds/oranges, cold patterns in blues/purples,
    /// "No Pattern Detected" mid grey; the strongest patterns (persistent, intensifying) darkest,
    /// the weak or past ones (sporadic, historical, diminishing) palest. Colours are taken from
    /// ColorBrewer 2.0 sequential schemes (Reds, YlOrRd, Oranges, Blues, YlGnBu, Purples, PuRd;
    /// Brewer, colorbrewer2.org). Hot vs cold differ on the blue–orange axis, which survives
    /// protanopia and deuteranopia; within a family the colours differ in lightness or hue by at least
    /// ΔE*ab 10 (checked by a test).
    public static let emergingHotSpot: [String: RGB] = [
        "No Pattern Detected": RGB(hex: "#cccccc"),
        "New Hot Spot": RGB(hex: "#e31a1c"),
        "Consecutive Hot Spot": RGB(hex: "#fc8d59"),
        "Intensifying Hot Spot": RGB(hex: "#b10026"),
        "Persistent Hot Spot": RGB(hex: "#67000d"),
        "Diminishing Hot Spot": RGB(hex: "#fdd0a2"),
        "Sporadic Hot Spot": RGB(hex: "#fed976"),
        "Oscillating Hot Spot": RGB(hex: "#d94801"),
        "Historical Hot Spot": RGB(hex: "#fcc5c0"),
        "New Cold Spot": RGB(hex: "#2171b5"),
        "Consecutive Cold Spot": RGB(hex: "#6baed6"),
        "Intensifying Cold Spot": RGB(hex: "#08519c"),
        "Persistent Cold Spot": RGB(hex: "#08306b"),
        "Diminishing Cold Spot": RGB(hex: "#c6dbef"),
        "Sporadic Cold Spot": RGB(hex: "#41b6c4"),
        "Oscillating Cold Spot": RGB(hex: "#7570b3"),
        "Historical Cold Spot": RGB(hex: "#d4b9da"),
    ]

    /// A categorical scale over the 17 patterns: code i is `emergingHotSpotOrder[i]` (0 = no pattern,
    /// 1…8 hot, 9…16 cold); NaN codes are no data. Use with `ClassifiedScale.classIndex`.
    public static let emergingHotSpotScale = ClassifiedScale.categorical(
        colors: emergingHotSpotOrder.map { emergingHotSpot[$0]! }, labels: emergingHotSpotOrder)

    /// The code of a pattern's raw value in `emergingHotSpotScale` (NaN when unknown: no data).
    public static func emergingHotSpotCode(_ pattern: String) -> Double {
        emergingHotSpotOrder.firstIndex(of: pattern).map(Double.init) ?? .nan
    }

    /// A legend for an emerging hot spot map: only the patterns present (in Esri's order), plus a
    /// "No data" row when `noData` is true.
    public static func emergingHotSpotLegend(title: String = "Emerging hot spot pattern", present: Set<String>? = nil,
                                             noData: Bool) -> Legend {
        var entries = emergingHotSpotOrder.filter { present?.contains($0) ?? true }
            .map { LegendEntry(color: emergingHotSpot[$0]!, label: $0) }
        if noData { entries.append(LegendEntry(color: nil, label: "No data")) }
        return Legend(title: title, entries: entries)
    }
}

/// WCAG 2.x contrast (Web Content Accessibility Guidelines, success criterion 1.4.3).
public enum Contrast {
    /// Relative luminance L = 0.2126 R + 0.7152 G + 0.0722 B of the linearised sRGB channels
    /// (c ≤ 0.04045 ? c/12.92 : ((c + 0.055)/1.055)^2.4).
    public static func relativeLuminance(_ c: RGB) -> Double {
        func lin(_ v: UInt8) -> Double {
            let s = Double(v) / 255
            return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b)
    }

    /// Contrast ratio (L_lighter + 0.05) / (L_darker + 0.05), 1…21.
    public static func ratio(_ a: RGB, _ b: RGB) -> Double {
        let la = relativeLuminance(a), lb = relativeLuminance(b)
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    /// WCAG AA minimum for normal-size text.
    public static let minimumForText = 4.5
}
