import PlaceRiskCore
import PlaceRiskIO

/// Options shared by every subcommand that reads police data or builds a grid, parsed and
/// validated once (usage errors name the option and what was expected).
struct CommonOptions: Sendable {
    var filter = PoliceFilter()
    var cell: Double?
    var grid: Grid?
    var bbox: BoundingBox?
    /// `--from` / `--to` as given (a month or a day); `filter.from/to` hold their months.
    var fromBound: DateBound?
    var toBound: DateBound?

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
        // `all`: every type (risk models and correlate then apply their own rules to the analysed types).
        if !types.isEmpty, !types.contains(where: { $0.lowercased() == "all" }) {
            var set = Set<CrimeType>()
            for t in types {
                guard let ct = CrimeType.lenient(t) else {
                    throw UsageError("unknown --crime-type '\(t)'; expected one of: \(CrimeType.standard.map(\.label).joined(separator: ", "))")
                }
                set.insert(ct)
            }
            filter.crimeTypes = set
        }
        // Months (police.uk) or days (dated sources); police.uk files get the months the bounds fall in,
        // after `InputOptions` has refused a bound that is not a whole month when police files are read.
        fromBound = try a.value("--from").map { try DateBound("--from", $0) }
        toBound = try a.value("--to").map { try DateBound("--to", $0) }
        filter.from = fromBound?.month
        filter.to = toBound?.month
        if let f = fromBound, let t = toBound, f.day > t.day {
            throw UsageError("--from \(a.value("--from")!) is after --to \(a.value("--to")!): the window ends before it starts")
        }
        let forces = a.all("--force")
        if !forces.isEmpty { filter.forces = Set(forces.map { $0.lowercased() }) }
    }
}

extension CommonOptions {
    /// The analysed crime types of `correlate` and `report`: `--crime-type` values (or `all`), default
    /// "Violence and sexual offences".
    static func analysedTypes(_ given: [String]) throws -> Set<CrimeType> {
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
        OptionSpec("--from", value: "YYYY-MM[-DD]", help: "First month (or, for --incidents sources, day) to keep; police.uk files accept only a month's first day."),
        OptionSpec("--to", value: "YYYY-MM[-DD]", help: "Last month (or day, inclusive) to keep; police.uk files accept only a month's last day."),
        OptionSpec("--force", value: "name", help: "Keep only rows whose 'Falls within' is this force (or, for --incidents sources, whose source label or agency is this name).", repeatable: true),
    ]

    /// `--cell`: one meaning (metres, 1 m … 100 km) everywhere; `defaultText` says the command's default.
    static func cell(_ defaultText: String) -> OptionSpec {
        OptionSpec("--cell", value: "metres", help: "Cell size in metres, 1 to 100000 (default: \(defaultText)).")
    }

    /// `--bbox`: only points inside this box are used (BNG metres; degrees are refused).
    static let bbox = OptionSpec("--bbox", value: "xmin,ymin,xmax,ymax", help: "Use only points inside this box (BNG metres, EPSG:27700); with --cell the grid covers it.")

    /// `--boundaries`: the LSOA polygons; `use` says what the command does with them.
    static func boundaries(_ use: String) -> OptionSpec {
        OptionSpec("--boundaries", value: "file", help: "LSOA 2011 polygons, GeoJSON in WGS84 (default: the bundled ONS boundaries of Devon & Cornwall): \(use).")
    }

    /// `--weights`: the crime-type weights file (e.g. a harm index the user supplies; none is shipped).
    static func harmWeights(_ effect: String) -> OptionSpec {
        OptionSpec("--weights", value: "file", help: "CSV crime_type,weight (e.g. a harm index you supply; unlisted types weigh 0): \(effect).")
    }

    /// `--imd`: IMD 2019 files.
    static let imd = OptionSpec("--imd", value: "file", help: "IMD 2019 file(s): Files 1, 2, 6, score files or a merged table (default: datasets/imd2019/imd2019_england_lsoa.csv, all England).", repeatable: true)

    /// `--unit`: the spatial unit of a risk model.
    static let spatialUnit = OptionSpec("--unit", value: "cell|lsoa", help: "Spatial unit: grid cells (default; 500 m unless --cell/--grid) or the study area's LSOAs.")

    /// `--family`: the risk model's family.
    static let family = OptionSpec("--family", value: "name", help: "logistic (default) on the binary outcome, or poisson / negbin (NB2, alpha by maximum likelihood) on the count.")

    /// `--grid`: the peers' grid spec, accepted by every grid-based subcommand.
    static let exactGrid = OptionSpec("--grid", value: "xmin,ymin,cell,ncols,nrows", help: "Exact grid: lower-left corner, cell size (metres), columns, rows.")

    /// The risk model's unit and grid (fit, backtest): `--unit`, `--cell`, `--grid`, `--family`.
    static let riskModelUnit: [OptionSpec] = [spatialUnit, cell("500 for --unit cell"), exactGrid, family]

    /// Options of the risk-model subcommands (fit, backtest) that shape the panel's features.
    static let riskModelInputs: [OptionSpec] = [
        OptionSpec("--covariates", value: "file", help: "CSV of static LSOA covariates for cov:COLUMN features (header names or short names such as income_score, total_population), e.g. datasets/imd2019/imd2019_england_lsoa.csv."),
        OptionSpec("--kde-bandwidth", value: "metres", help: "Radius of the quartic kernel of kde_past (default: 3 cells, or 1500 m for LSOAs)."),
        OptionSpec("--include-proactive", help: "Allow proactively detected types (Drugs, Possession of weapons, Public order) in --crime-type (with a warning)."),
    ]

    /// `--lookup`, `--accounting`, `--strict`, `--quiet`.
    static let runControls: [OptionSpec] = [
        OptionSpec("--lookup", value: "file", help: "LSOA -> district CSV for the study-area rule (IMD 2019 File 1, the bundled IMD table or any file with LSOA and district code columns). Default: datasets/imd2019/imd2019_england_lsoa.csv when present."),
        OptionSpec("--districts", value: "list", help: "Study area: these local authority districts, by code or name (comma-separated, e.g. E06000052,E06000053 or \"Cornwall,Isles of Scilly\"), instead of the >= 50 % rule."),
        OptionSpec("--accounting", value: "file", help: "Also write the row accounting as JSON (with --incidents: one ledger per source, police.uk first)."),
        OptionSpec("--drop-duplicate-ids", help: "Skip the second and later rows of a repeated non-empty Crime ID (counted as duplicate_crime_id); without it duplicates are reported but kept."),
        OptionSpec("--strict", help: "Stop at the first malformed row (default: skip and count it)."),
        OptionSpec("--quiet", help: "Do not print progress and the accounting table."),
    ] + datedSources
}
