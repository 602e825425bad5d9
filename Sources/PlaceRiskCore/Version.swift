/// PlaceRisk's version, written into every output's metadata and manifest.
public enum PlaceRiskVersion {
    public static let string = "0.1.0"
}
