import PlaceRiskCore

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
