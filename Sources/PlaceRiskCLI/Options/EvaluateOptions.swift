import PlaceRiskCore
import PlaceRiskIO

/// How an area of `evaluate` is named: area codes of the data (LSOA codes, or a table's areas), or a
/// GeoJSON polygon file (WGS84) whose LSOAs are those with their centroid inside it.
enum AreaSpec: Sendable, Equatable {
    case codes([String])
    case polygon(path: String)

    static func parse(_ name: String, _ text: String) throws -> AreaSpec {
        let t = text.trimmingCharacters(in: .whitespaces)
        let lower = t.lowercased()
        if lower.hasSuffix(".geojson") || lower.hasSuffix(".json") { return .polygon(path: t) }
        let codes = t.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !codes.isEmpty else { throw UsageError("\(name) names no area; give area codes (e.g. E01018881,E01018882) or a .geojson polygon") }
        guard Set(codes).count == codes.count else { throw UsageError("\(name) names an area twice") }
        return .codes(codes)
    }
}

/// The options of `placerisk evaluate`, parsed and checked before any file is read.
struct EvaluateOptions: Sendable {
    static let defaultPlacebos = 999
    static let minimumMonths = 3

    var input: InputOptions
    /// `--table FILE`: an area × month counts table instead of police files.
    var table: String?
    var intervention: AreaSpec
    var displacement: AreaSpec?
    /// `--ring METRES`: the displacement area as the LSOAs whose centroid lies within this distance of the intervention area.
    var ring: Double?
    var comparison: AreaSpec?
    var comparisonDisplacement: AreaSpec?
    var start: YearMonth
    var end: YearMonth?
    var family: CountFamily
    var placebos: Int
    var seed: UInt64
    var types: Set<CrimeType>
    var imd: String?
    var boundaries: String?
    /// `--json`: every estimate by name; `--out`: the page.
    var json: String
    var out: String?

    init(_ a: ParsedArguments) throws {
        table = a.value("--table")
        let paths = a.positionals.isEmpty && table == nil && a.all("--incidents").isEmpty ? [EvaluateCommand.bundledPolice] : a.positionals
        if table != nil, !a.positionals.isEmpty || !a.all("--incidents").isEmpty { throw UsageError("give police files (or --incidents) or --table, not both") }
        input = try InputOptions(a, paths: paths)
        try input.refuseWhenPublishing("evaluate", because: "its before/after counts per area are exact.")
        intervention = try AreaSpec.parse("--intervention", a.value("--intervention")!)
        displacement = try a.value("--displacement").map { try AreaSpec.parse("--displacement", $0) }
        ring = try a.value("--ring").map { try OptionValue.metres("--ring", $0) }
        if ring != nil, displacement != nil { throw UsageError("give --displacement or --ring, not both") }
        if ring != nil, table != nil { throw UsageError("--ring needs LSOA boundaries: with --table name the displacement areas with --displacement") }
        comparison = try a.value("--comparison").map { try AreaSpec.parse("--comparison", $0) }
        comparisonDisplacement = try a.value("--comparison-displacement").map { try AreaSpec.parse("--comparison-displacement", $0) }
        for (n, s) in [("--intervention", intervention), ("--displacement", displacement), ("--comparison", comparison), ("--comparison-displacement", comparisonDisplacement)] {
            if case .polygon = s, table != nil { throw UsageError("\(n): a polygon needs LSOA boundaries; with --table name the table's areas") }
        }
        let st = a.value("--start")!
        guard let s = YearMonth(st) else { throw UsageError("invalid --start '\(st)'; expected YYYY-MM (the first month of the intervention)") }
        start = s
        end = try a.value("--end").map { e in
            guard let m = YearMonth(e) else { throw UsageError("invalid --end '\(e)'; expected YYYY-MM") }
            return m
        }
        if let e = end, e < start { throw UsageError("--end \(e) is before --start \(start)") }
        let f = a.value("--family") ?? "auto"
        guard let fam = CountFamily(rawValue: f) else { throw UsageError("invalid --family '\(f)'; expected auto, poisson or negbin") }
        family = fam
        placebos = try a.value("--placebos").map { try OptionValue.whole("--placebos", $0, in: 19 ... 100_000) } ?? Self.defaultPlacebos
        seed = try a.value("--seed").map { try OptionValue.seed("--seed", $0) } ?? InferenceOptions.defaultSeed
        types = try CommonOptions.analysedTypes(a.all("--crime-type"))
        input.common.filter.crimeTypes = nil   // every type is read: the study area counts LSOAs touched by any incident
        imd = a.value("--imd")
        boundaries = a.value("--boundaries")
        json = a.value("--json")!
        out = a.value("--out")
        if let o = out, !o.lowercased().hasSuffix(".html") { throw UsageError("--out names the page: a .html file") }
    }
}

extension OptionSpec {
    static let evaluate: [OptionSpec] = [
        OptionSpec("--intervention", value: "areas", help: "The intervention area: LSOA codes (comma-separated), a table's area names with --table, or a .geojson polygon (WGS84; the LSOAs with their centroid inside).", required: true),
        OptionSpec("--start", value: "YYYY-MM", help: "The first month of the intervention (at least 3 months of data before it and 3 from it on).", required: true),
        OptionSpec("--end", value: "YYYY-MM", help: "The last month to evaluate (default: the last month of the data)."),
        OptionSpec("--displacement", value: "areas", help: "The displacement/diffusion area (default: the intervention area's queen neighbours among the study area's LSOAs; none with --table)."),
        OptionSpec("--ring", value: "metres", help: "Displacement area: the LSOAs whose centroid lies within this distance of the intervention area's boundary (instead of the neighbours)."),
        OptionSpec("--comparison", value: "areas", help: "Comparison (control) areas (default: matched automatically, one per intervention LSOA, exact on IMD decile and nearest on pre-period level and trend)."),
        OptionSpec("--comparison-displacement", value: "areas", help: "The comparison areas' own displacement ring (default: their queen neighbours that play no other role)."),
        OptionSpec("--table", value: "file", help: "An area,month,count CSV (month YYYY-MM) instead of police files: name its areas with --intervention, --displacement, --comparison, --comparison-displacement."),
        OptionSpec("--family", value: "auto|poisson|negbin", help: "Count model of DiD and ITS: NB2 (alpha by maximum likelihood), Poisson, or auto (NB2 unless the Poisson fit is not over-dispersed; default)."),
        OptionSpec("--placebos", value: "N", help: "Placebo areas x start months for the empirical p (19 to 100000; default 999)."),
        OptionSpec("--seed", value: "N", help: "Seed of the placebo draws (a whole number >= 0; default 42)."),
        OptionSpec("--imd", value: "file", help: "IMD 2019 table for the deciles of automatic matching (default: the bundled all-England table)."),
        OptionSpec.boundaries("neighbours, rings and polygons"),
        OptionSpec("--json", value: "file", help: "Write every estimate by name (wdd.total.estimate, did.rate_ratio, ...).", required: true),
        OptionSpec("--out", value: "file", help: "Also write the page (.html): counts before/after, the monthly series with the start marked, the estimates in words."),
    ]
}
