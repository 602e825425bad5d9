import PlaceRiskCore

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
