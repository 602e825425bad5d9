import PlaceRiskCore
import PlaceRiskIO

/// The options of the risk-model commands (`fit` in risk-model mode, `backtest`, `score`) that shape the
/// unit × month panel, parsed and checked once.
struct PanelOptions: Sendable {
    var input: InputOptions
    /// `--unit` (nil: cells for street files, LSOAs for a counts table).
    var unit: SpatialUnit?
    /// `--kde-bandwidth`: radius of the quartic kernel of kde_past, metres.
    var kdeBandwidth: Double?
    /// `--covariates`: CSV of static LSOA covariates for cov: features.
    var covariates: String?
    /// `--boundaries`: LSOA polygons (nil: the bundled ones).
    var boundaries: String?
    /// The modelled crime types: `--crime-type` (or `all`), default violence; proactively detected types
    /// only with `--include-proactive`.
    var crimeTypes: Set<CrimeType>
    /// Whether `--crime-type` was given (a counts table ignores it, with a warning).
    var crimeTypesGiven: Bool

    init(_ a: ParsedArguments, io: CLIOutput) throws {
        input = try InputOptions(a)
        try input.refuseWhenPublishing("a risk model (fit, backtest, score)", because: "its coefficients, scores and panels come from exact LSOA or cell counts, and score and backtest outputs hold a count per unit.")
        unit = try a.value("--unit").map { text in
            guard let u = SpatialUnit(rawValue: text) else { throw UsageError("invalid --unit '\(text)'; expected cell or lsoa") }
            return u
        }
        kdeBandwidth = try a.value("--kde-bandwidth").map { try OptionValue.metres("--kde-bandwidth", $0) }
        covariates = a.value("--covariates")
        boundaries = a.value("--boundaries")
        crimeTypesGiven = !a.all("--crime-type").isEmpty
        crimeTypes = try Self.modelCrimeTypes(a.all("--crime-type"), includeProactive: a.flag("--include-proactive"))
        let proactive = crimeTypes.filter(\.isProactivelyDetected)
        if !proactive.isEmpty, !input.quiet {
            io.err("Warning: modelling proactively detected types (\(proactive.map(\.label).sorted().joined(separator: ", "))): their counts follow police activity, and a model trained on them sends patrols back where patrols already were (Lum & Isaac 2016; Ensign et al. 2018)\n")
        }
    }

    /// Options for a panel of `input` built from a model file's settings (the report's risk section):
    /// the model's unit, grid, types, kde_past radius and covariates are passed to `PanelInputs` directly.
    init(input: InputOptions, boundaries: String?) {
        self.input = input
        self.boundaries = boundaries
        unit = nil
        kdeBandwidth = nil
        covariates = nil
        crimeTypes = [.violenceAndSexualOffences]
        crimeTypesGiven = false
    }

    /// `--crime-type` values (or `all`) → the modelled types; proactively detected types are refused
    /// unless `includeProactive` (conventions §8).
    static func modelCrimeTypes(_ given: [String], includeProactive include: Bool) throws -> Set<CrimeType> {
        var set = Set<CrimeType>()
        if given.isEmpty { set = [.violenceAndSexualOffences] }
        for t in given {
            if t.lowercased() == "all" { set.formUnion(CrimeType.standard.filter { include || !$0.isProactivelyDetected }); continue }
            guard let ct = CrimeType.lenient(t) else {
                throw UsageError("unknown --crime-type '\(t)'; expected all or one of: \(CrimeType.standard.map(\.label).joined(separator: ", "))")
            }
            if ct.isProactivelyDetected, !include {
                throw UsageError("'\(ct.label)' is proactively detected: its counts reflect where police look as much as where offences happen (conventions 8), so risk models leave it out; add --include-proactive to model it anyway")
            }
            set.insert(ct)
        }
        return set
    }
}
