import PlaceRiskCore
import PlaceRiskIO

/// The options of `correlate` and of the report's deprivation join, parsed and checked once.
struct DeprivationOptions: Sendable {
    var input: InputOptions
    /// `--imd` files (empty: the bundled all-England table).
    var imd: [String]
    /// `--boundaries`: LSOA polygons; with no `--districts` their LSOAs are the study area.
    var boundaries: String?
    /// The analysed crime types (`--crime-type`, or `all`; default violence).
    var types: Set<CrimeType>

    init(_ a: ParsedArguments, paths: [String]? = nil) throws {
        input = try InputOptions(a, paths: paths)
        if let area = a.value("--area"), input.districts == nil {
            input.districts = area.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        imd = a.all("--imd")
        boundaries = a.value("--boundaries")
        types = try CommonOptions.analysedTypes(a.all("--crime-type"))
    }

    /// The IMD files read.
    var imdPaths: [String] { imd.isEmpty ? [DeprivationInputs.defaultIMD] : imd }
}
