import PlaceRiskCore
import PlaceRiskIO

/// Options shared by every subcommand that reads police data or builds a grid, parsed and
/// validated once (usage errors name the option and what was expected).
struct CommonOptions {
    var filter = PoliceFilter()
    var cell: Double?
    var grid: Grid?
    var bbox: BoundingBox?

    init(_ a: ParsedArguments) throws {
        if let c = a.value("--cell") {
            cell = try OptionValue.cell("--cell", c)
        }
        if let g = a.value("--grid") {
            do { grid = try Grid(spec: g) } catch { throw UsageError("invalid --grid: \(error.description)") }
        }
        if let b = a.value("--bbox") {
            guard let v = BoundingBox(spec: b) else {
                throw UsageError("invalid --bbox '\(b)'; expected xmin,ymin,xmax,ymax in BNG metres with min < max")
            }
            if abs(v.minX) <= 180, abs(v.maxX) <= 180, abs(v.minY) <= 90, abs(v.maxY) <= 90 {
                throw UsageError("--bbox '\(b)' looks like longitude/latitude degrees; give British National Grid metres (EPSG:27700)")
            }
            bbox = v
        }
        if let g = grid, g.cell < 1, g.xmin > -180, g.xmin < 180 {
            throw UsageError("--grid looks like degrees; give British National Grid metres (EPSG:27700)")
        }
        let types = a.all("--crime-type")
        if !types.isEmpty {
            var set = Set<CrimeType>()
            for t in types {
                guard let ct = CrimeType.lenient(t) else {
                    throw UsageError("unknown --crime-type '\(t)'; expected one of: \(CrimeType.standard.map(\.label).joined(separator: ", "))")
                }
                set.insert(ct)
            }
            filter.crimeTypes = set
        }
        for (name, keyPath) in [("--from", \PoliceFilter.from), ("--to", \PoliceFilter.to)] {
            if let m = a.value(name) {
                guard let ym = YearMonth(m) else { throw UsageError("invalid \(name) '\(m)'; expected YYYY-MM") }
                filter[keyPath: keyPath] = ym
            }
        }
        if let f = filter.from, let t = filter.to, f > t { throw UsageError("--from \(f) is after --to \(t)") }
        let forces = a.all("--force")
        if !forces.isEmpty { filter.forces = Set(forces.map { $0.lowercased() }) }
    }
}

extension CommonOptions {
    /// The analysed crime types of `correlate` and `report`: `--crime-type` values (or `all`), default
    /// "Violence and sexual offences".
    static func analysedTypes(_ a: ParsedArguments) throws -> Set<CrimeType> {
        let given = a.all("--crime-type")
        guard !given.isEmpty else { return [.violenceAndSexualOffences] }
        var types = Set<CrimeType>()
        for t in given {
            if t.lowercased() == "all" { types.formUnion(CrimeType.standard); continue }
            guard let ct = CrimeType.lenient(t) else {
                throw UsageError("unknown --crime-type '\(t)'; expected all or one of: \(CrimeType.standard.map(\.label).joined(separator: ", "))")
            }
            types.insert(ct)
        }
        return types
    }
}

/// Options every police-data subcommand takes, with one help text each.
extension OptionSpec {
    /// `--crime-type`, `--from`, `--to`, `--force`.
    static let policeFilters: [OptionSpec] = [
        OptionSpec("--crime-type", value: "name", help: "Keep only this crime type, e.g. \"Violence and sexual offences\".", repeatable: true),
        OptionSpec("--from", value: "YYYY-MM", help: "First month to keep."),
        OptionSpec("--to", value: "YYYY-MM", help: "Last month to keep."),
        OptionSpec("--force", value: "name", help: "Keep only rows whose 'Falls within' is this force.", repeatable: true),
    ]

    /// `--grid`: the peers' grid spec, accepted by every grid-based subcommand.
    static let exactGrid = OptionSpec("--grid", value: "xmin,ymin,cell,ncols,nrows", help: "Exact grid: lower-left corner, cell size (metres), columns, rows.")

    /// Options of the risk-model subcommands (fit, backtest) that shape the panel's features.
    static let riskModelInputs: [OptionSpec] = [
        OptionSpec("--covariates", value: "file", help: "CSV of static LSOA covariates for cov:COLUMN features (header names or short names such as income_score, total_population), e.g. datasets/imd2019/imd2019_england_lsoa.csv."),
        OptionSpec("--kde-bandwidth", value: "metres", help: "Radius of the quartic kernel of kde_past (default: 3 cells, or 1500 m for LSOAs)."),
        OptionSpec("--include-proactive", help: "Allow proactively detected types (Drugs, Possession of weapons, Public order) in --crime-type (with a warning)."),
    ]

    /// `--lookup`, `--accounting`, `--strict`, `--quiet`.
    static let runControls: [OptionSpec] = [
        OptionSpec("--lookup", value: "file", help: "LSOA -> district CSV for the study-area rule (IMD 2019 File 1, the bundled IMD table or any file with LSOA and district code columns). Default: datasets/imd2019/imd2019_england_lsoa.csv when present."),
        OptionSpec("--districts", value: "codes", help: "Study area: these local authority district codes (comma-separated, e.g. E06000052,E06000026) instead of the >= 50 % rule."),
        OptionSpec("--accounting", value: "file", help: "Also write the row accounting as JSON."),
        OptionSpec("--strict", help: "Stop at the first malformed row (default: skip and count it)."),
        OptionSpec("--quiet", help: "Do not print progress and the accounting table."),
    ]
}
