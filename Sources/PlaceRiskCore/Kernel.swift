/// The shape of a 2-D, radially symmetric kernel (conventions §2). Each integrates to 1 over the plane.
///
/// ```
/// quartic (ArcGIS, CrimeStat; Silverman 1986 eq. 4.5):  K_r(d) = 3/(π r²) · (1 − d²/r²)²,  d < r
/// epanechnikov:                                          K_r(d) = 2/(π r²) · (1 − d²/r²),   d < r
/// uniform (disc):                                        K_r(d) = 1/(π r²),                  d < r
/// triangular (cone):                                     K_r(d) = 3/(π r²) · (1 − d/r),     d < r
/// gaussian:                                              K_h(d) = 1/(2π h²) · exp(−d²/(2h²))
/// ```
/// Bandwidth meaning differs by kernel, as in the tools users know: for the compact kernels it is the
/// **support radius r** (ArcGIS, CrimeStat); for the Gaussian it is the **standard deviation h**
/// (spatstat `sigma`, KDEpy `bw`). `perAxisStandardDeviation` converts between them.
public enum KernelShape: String, CaseIterable, Sendable {
    case quartic, gaussian, epanechnikov, triangular, uniform

    /// The per-axis standard deviation of the kernel with bandwidth 1 (radius 1 or SD 1):
    /// E[d²] = ∫ d² K(d) 2πd dd gives r²/4 (quartic), r²/3 (epanechnikov), 3r²/10 (triangular),
    /// r²/2 (uniform), 2h² (gaussian); per axis it is half of that.
    public var unitPerAxisSD: Double {
        switch self {
        case .quartic: return 1 / 8.0.squareRoot()
        case .epanechnikov: return 1 / 6.0.squareRoot()
        case .triangular: return (3.0 / 20).squareRoot()
        case .uniform: return 0.5
        case .gaussian: return 1
        }
    }

    public var isCompact: Bool { self != .gaussian }

    /// What the bandwidth number means for this kernel.
    public var bandwidthMeaning: String { isCompact ? "support radius" : "standard deviation" }
}

/// A kernel with its bandwidth, evaluated per m² per unit weight.
public struct Kernel: Sendable, Equatable {
    public let shape: KernelShape
    /// Support radius r (compact kernels) or standard deviation h (Gaussian), metres.
    public let bandwidth: Double

    /// The Gaussian is truncated to the square window |dx|, |dy| ≤ R with R = h·√(2·ln 10¹²) ≈ 7.434 h:
    /// the mass beyond the inscribed disc, exp(−R²/(2h²)), is 1e-12 of each point's weight, and the
    /// square keeps more than the disc.
    public static let gaussianTailMass = 1e-12
    public static let gaussianTruncation = (2 * log(1e12)).squareRoot()

    public init(_ shape: KernelShape, bandwidth: Double) throws(KernelDensityError) {
        guard bandwidth.isFinite, bandwidth > 0 else { throw .nonPositiveBandwidth(bandwidth) }
        self.shape = shape
        self.bandwidth = bandwidth
    }

    /// Radius beyond which the kernel is zero (Gaussian: the truncation radius).
    public var supportRadius: Double { shape.isCompact ? bandwidth : bandwidth * Kernel.gaussianTruncation }

    /// The kernel's per-axis standard deviation (metres).
    public var perAxisStandardDeviation: Double { bandwidth * shape.unitPerAxisSD }

    /// The kernel of shape `shape` whose per-axis standard deviation equals `sd`.
    public static func matching(_ shape: KernelShape, perAxisSD sd: Double) throws(KernelDensityError) -> Kernel {
        try Kernel(shape, bandwidth: sd / shape.unitPerAxisSD)
    }

    /// K(d) per m² for squared distance `d2` (m²). The Gaussian is not truncated here.
    @inlinable
    public func value(squaredDistance d2: Double) -> Double {
        let b = bandwidth, b2 = b * b
        switch shape {
        case .quartic:
            let u = 1 - d2 / b2
            return u > 0 ? 3 / (Double.pi * b2) * u * u : 0
        case .epanechnikov:
            let u = 1 - d2 / b2
            return u > 0 ? 2 / (Double.pi * b2) * u : 0
        case .uniform:
            return d2 < b2 ? 1 / (Double.pi * b2) : 0
        case .triangular:
            let u = 1 - d2.squareRoot() / b
            return u > 0 ? 3 / (Double.pi * b2) * u : 0
        case .gaussian:
            return exp(-d2 / (2 * b2)) / (2 * Double.pi * b2)
        }
    }
}

/// Why a density could not be computed. Each case describes itself in a sentence.
public enum KernelDensityError: Error, Equatable, Sendable, CustomStringConvertible {
    case nonPositiveBandwidth(Double)
    case noPoints
    case degenerateSpread
    case emptyStudyArea
    /// The support radius (Gaussian: 7.434 h) exceeds `KernelDensity.maximumRadius` metres or
    /// `KernelDensity.maximumRadiusCells` cells.
    case bandwidthTooLarge(supportRadius: Double, cell: Double, maximumRadius: Double, maximumCells: Double)
    /// The binned Gaussian's lattice (`BinnedGaussian`, spacing ≤ h/10) would exceed its node limit.
    case binnedLatticeTooLarge(nodes: Double, maximum: Int)

    public var description: String {
        switch self {
        case .nonPositiveBandwidth(let b): return "bandwidth must be a positive number of metres, got \(b.shortDescription)"
        case .noPoints: return "no points with positive weight to estimate a density from"
        case .degenerateSpread: return "all points are at one location: an automatic bandwidth is undefined; give --bandwidth in metres"
        case .emptyStudyArea: return "the study-area mask covers no grid cell centre"
        case .bandwidthTooLarge(let r, let c, let maxR, let maxCells):
            return "the kernel's support radius of \(r.shortDescription) m is too large: at most \(maxR.shortDescription) m and \(maxCells.shortDescription) cells of \(c.shortDescription) m (\((maxCells * c).shortDescription) m) are allowed; give a smaller --bandwidth or a larger --cell"
        case .binnedLatticeTooLarge(let nodes, let maxNodes):
            return "the binned method would need a lattice of \(nodes.shortDescription) nodes (spacing at most a tenth of the bandwidth), more than \(maxNodes); the bandwidth is small against the cell: use the exact method"
        }
    }
}
