import PlaceRiskCore
import PlaceRiskIO

/// The options of `nearrepeat`, parsed and range-checked before any file is read.
struct NearRepeatOptions: Sendable {
    var sources: DatedSourceOptions
    var bands: KnoxBands
    /// `--permutations` (0 allowed: the exact expectation only) and `--seed`: the shared group.
    var inference: InferenceOptions
    var permutations: Int { inference.permutations }
    var seed: UInt64 { inference.seed }
    var out: String

    static let specs: [OptionSpec] = [
        OptionSpec("--out", value: "file", help: "Output JSON with the observed, expected, ratio and p tables.", required: true),
        OptionSpec("--distance", value: "manhattan|euclidean", help: "Distance between incidents (default manhattan, as the Near Repeat Calculator)."),
        OptionSpec("--space-band", value: "metres", help: "Width of a spatial band (required)."),
        OptionSpec("--space-bands", value: "K", help: "Number of spatial bands before 'more than' (1 to 100; default 3)."),
        OptionSpec("--time-band", value: "days", help: "Width of a temporal band in whole days (required)."),
        OptionSpec("--time-bands", value: "L", help: "Number of temporal bands before 'more than' (1 to 100; default 3)."),
        OptionSpec("--band-edges", value: "left-closed|right-closed", help: "Which end of a band holds a pair on its edge: left-closed [lo, hi) as the Near Repeat Calculator (default), right-closed (lo, hi] as pointpats Knox."),
    ] + OptionSpec.inference(fdr: false, zeroPermutations: "exact expectations only, no p")

    init(_ a: ParsedArguments) throws {
        let dist = a.value("--distance") ?? "manhattan"
        guard let d = KnoxDistance(rawValue: dist) else { throw UsageError("invalid --distance '\(dist)'; expected manhattan or euclidean") }
        guard let sb = a.value("--space-band") else { throw UsageError("nearrepeat needs --space-band <metres>") }
        guard let tb = a.value("--time-band") else { throw UsageError("nearrepeat needs --time-band <days>") }
        let spaceBand = try OptionValue.metres("--space-band", sb)
        guard let timeBand = Int(tb), (1 ... 3650).contains(timeBand) else {
            throw UsageError("invalid --time-band '\(tb)'; expected a whole number of days from 1 to 3650 (near-repeats count whole days)")
        }
        let k = try a.value("--space-bands").map { try OptionValue.whole("--space-bands", $0, in: 1 ... 100) } ?? 3
        let l = try a.value("--time-bands").map { try OptionValue.whole("--time-bands", $0, in: 1 ... 100) } ?? 3
        guard spaceBand * Double(k) <= OptionValue.maximumDistance else {
            throw UsageError("--space-band × --space-bands = \((spaceBand * Double(k)).shortDescription) m is more than 100 km; near-repeats are local — give a reach of at most 100000 metres")
        }
        let edgesText = a.value("--band-edges") ?? "left-closed"
        guard let edges = KnoxBandEdges(rawValue: edgesText) else { throw UsageError("invalid --band-edges '\(edgesText)'; expected left-closed or right-closed") }
        inference = try InferenceOptions(a, allowZeroPermutations: true)
        out = a.value("--out")!
        guard out.lowercased().hasSuffix(".json") else { throw UsageError("--out must be a .json file (the near-repeat tables)") }
        bands = KnoxBands(spaceBand: spaceBand, spaceBands: k, timeBand: Double(timeBand), timeBands: l, distance: d, edges: edges)
        sources = try DatedSourceOptions(a, command: "nearrepeat", needsDaysBecause: "near-repeats need days.")
    }
}
