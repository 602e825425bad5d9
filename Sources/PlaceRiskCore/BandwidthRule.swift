/// Automatic bandwidth rules (conventions §2). Each yields a per-axis standard deviation σ̂;
/// `kernel(_:)` turns it into the chosen kernel's own bandwidth by matching per-axis standard
/// deviations (quartic r = √8·σ, epanechnikov r = √6·σ, triangular r = √(20/3)·σ, uniform r = 2σ,
/// gaussian h = σ), so the rules mean the same smoothing whatever the kernel.
public enum BandwidthRule: String, CaseIterable, Sendable {
    /// ArcGIS Kernel Density default ("spatial variant of Silverman's rule of thumb"):
    /// ```
    /// r = 0.9 · min(SD, √(1/ln 2) · Dm) · n^(−0.2)
    /// ```
    /// SD = standard distance from the weighted mean centre, Dm = weighted median distance from it,
    /// n = sum of weights. r is ArcGIS's **quartic search radius**, so σ̂ = r/√8.
    /// (Esri, "How Kernel Density works"; Silverman 1986.)
    case spatialSilverman = "silverman"
    /// Scott's rule per axis, σ̂_a = s_a · n^(−1/6) (d = 2), made isotropic with the geometric mean
    /// of the two axes (Scott 1992, *Multivariate Density Estimation*, eq. 6.42).
    case scott
    /// spatstat's default `sigma` for `density.ppp`: one eighth of the shorter side of the window's
    /// bounding box (Baddeley, Rubak & Turner 2015, *Spatial Point Patterns*, §6.5).
    case spatstatShortSide = "spatstat"

    /// The per-axis standard deviation this rule chooses, in metres.
    /// - Parameter window: the study window (for `spatstatShortSide`).
    public func perAxisSD(x: [Double], y: [Double], weights: [Double]?, window: BoundingBox) throws(KernelDensityError) -> Double {
        switch self {
        case .spatstatShortSide:
            let s = min(window.maxX - window.minX, window.maxY - window.minY) / 8
            guard s > 0 else { throw .degenerateSpread }
            return s
        case .spatialSilverman:
            let m = try Moments(x: x, y: y, weights: weights)
            let dm = m.weightedMedianDistance(x: x, y: y, weights: weights)
            let r = 0.9 * min(m.standardDistance, (1 / log(2.0)).squareRoot() * dm) * pow(m.n, -0.2)
            guard r > 0, r.isFinite else { throw .degenerateSpread }
            return r / 8.0.squareRoot()
        case .scott:
            let m = try Moments(x: x, y: y, weights: weights)
            let s = (m.sdX * m.sdY).squareRoot() * pow(m.n, -1.0 / 6)
            guard s > 0, s.isFinite else { throw .degenerateSpread }
            return s
        }
    }

    /// Weighted centre and spread of a point set (weights must be ≥ 0; NaN points are ignored).
    struct Moments {
        var n = 0.0, mx = 0.0, my = 0.0, sdX = 0.0, sdY = 0.0

        init(x: [Double], y: [Double], weights: [Double]?) throws(KernelDensityError) {
            var sw = 0.0, sx = 0.0, sy = 0.0
            for i in x.indices where x[i].isFinite && y[i].isFinite {
                let w = weights?[i] ?? 1
                guard w > 0 else { continue }
                sw += w; sx += w * x[i]; sy += w * y[i]
            }
            guard sw > 0 else { throw .noPoints }
            n = sw; mx = sx / sw; my = sy / sw
            var vx = 0.0, vy = 0.0
            for i in x.indices where x[i].isFinite && y[i].isFinite {
                let w = weights?[i] ?? 1
                guard w > 0 else { continue }
                vx += w * (x[i] - mx) * (x[i] - mx)
                vy += w * (y[i] - my) * (y[i] - my)
            }
            sdX = (vx / sw).squareRoot()
            sdY = (vy / sw).squareRoot()
        }

        /// Standard distance √(Σw·((x−x̄)² + (y−ȳ)²) / Σw).
        var standardDistance: Double { (sdX * sdX + sdY * sdY).squareRoot() }

        /// The weighted median of the distances from the mean centre: the smallest distance at which
        /// the cumulative weight reaches half the total.
        func weightedMedianDistance(x: [Double], y: [Double], weights: [Double]?) -> Double {
            var pairs: [(Double, Double)] = []
            pairs.reserveCapacity(x.count)
            for i in x.indices where x[i].isFinite && y[i].isFinite {
                let w = weights?[i] ?? 1
                guard w > 0 else { continue }
                let dx = x[i] - mx, dy = y[i] - my
                pairs.append(((dx * dx + dy * dy).squareRoot(), w))
            }
            pairs.sort { $0.0 < $1.0 }
            var acc = 0.0
            for (d, w) in pairs {
                acc += w
                if acc >= n / 2 { return d }
            }
            return pairs.last?.0 ?? 0
        }
    }
}
