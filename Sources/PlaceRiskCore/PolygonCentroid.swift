/// Area centroids of polygons (for k-nearest-neighbour weights and labels).
///
/// Each ring's centroid comes from the shoelace formula
/// `c = Σ_i (p_i + p_{i+1}) · (x_i y_{i+1} − x_{i+1} y_i) / (6 A)` (independent of orientation);
/// the polygon's centroid is the area-weighted mean with outer rings counted +|A| and holes −|A|.
extension MultiPolygon {
    public var centroid: (x: Double, y: Double) {
        var wsum = 0.0, sx = 0.0, sy = 0.0
        for p in polygons {
            for k in 0 ..< p.ringCount {
                let s = p.ringStarts[k], e = p.ringStarts[k + 1]
                var a2 = 0.0, cx = 0.0, cy = 0.0
                for i in s ..< e {
                    let j = i + 1 == e ? s : i + 1
                    let c = p.xs[i] * p.ys[j] - p.xs[j] * p.ys[i]
                    a2 += c
                    cx += (p.xs[i] + p.xs[j]) * c
                    cy += (p.ys[i] + p.ys[j]) * c
                }
                guard a2 != 0 else { continue }
                let area = abs(a2) / 2, w = k == 0 ? area : -area
                wsum += w
                sx += w * cx / (3 * a2)
                sy += w * cy / (3 * a2)
            }
        }
        guard wsum != 0 else {
            let b = boundingBox
            return ((b.minX + b.maxX) / 2, (b.minY + b.maxY) / 2)
        }
        return (sx / wsum, sy / wsum)
    }
}
