/// The places an analysis counts incidents in: square grid cells (BNG metres) or 2011 LSOAs.
public enum SpatialUnit: String, Sendable, CaseIterable, CustomStringConvertible {
    case cell
    case lsoa

    public var description: String { rawValue }
}
