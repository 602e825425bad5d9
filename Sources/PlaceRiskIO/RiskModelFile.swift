import PlaceRiskCore
import Foundation

/// The fitted risk model as a versioned JSON file (`models/*.json`): enough to rebuild the features
/// from raw police data and score a new month, plus where it came from.
///
/// ```
/// {"format": "placerisk-risk-model", "format_version": 2, "placerisk_version",
///  "model_type": "logistic"|"poisson"|"negbin", "alpha": NB2 α|null,
///  "unit": "cell"|"lsoa", "grid": "xmin,ymin,cell,ncols,nrows"|null, "crime_types": [...]|"all",
///  "features": ["lag_1", …], "outcome": "atleast:1"|"top:0.05"|"count",
///  "feature_settings": {"kde_bandwidth_m": metres|null, "covariates": path|null},
///  "coefficients": [{"name", "estimate", "se"}], "covariance": [[…]],
///  "training": {"inputs": [{"path", "sha256"}], "months": {"from", "to"}, "rows", "units", "accounting"},
///  "evaluation": {…} | null}
/// ```
/// Version 3 adds `"l2"` (the penalty the model was fitted with, 0 = none), `"ranked_by"` (the method
/// the backtest found best for ranking places: `model`, `mean-past`, `kde-past` or `naive-last`, with
/// `"ranking_sentence"`) and `"selection"` (what the stacked default chose, or null).
/// Version 1 files (logistic only, no `alpha` / `feature_settings`) and version 2 files (no l2, ranked
/// by the model) are still read.
public struct RiskModelFile: Sendable {
    public static let format = "placerisk-risk-model"
    public static let formatVersion = 3

    public var family: RegressionResult.Family = .logistic
    public var alpha: Double?
    /// Radius (metres) of the kde_past kernel the model was trained with.
    public var kdeBandwidth: Double?
    /// Covariates file the cov: features were joined from in training.
    public var covariates: String?
    /// L2 penalty of the fit (0: none).
    public var l2 = 0.0
    /// The method score ranks places by (`BestMethod.method`); "model" for older files.
    public var rankedBy = "model"
    /// Why (`BestMethod.sentence`); nil for older files and models fitted without the comparison.
    public var rankingSentence: String?
    /// The stacked default's choice (half-life, penalty, validation losses), or null.
    public var selection: JSONValue = .null
    /// Whether the file holds the stacked default (its `selection` is an object): a backtest then
    /// re-chooses the default from the months before its first test month instead of fixing the features.
    public var isStackedDefault = false

    public var unit: String
    public var grid: Grid?
    public var crimeTypes: [CrimeType]?
    public var features: [PanelFeature]
    public var outcome: String
    public var names: [String]
    public var estimates: [Double]
    public var standardErrors: [Double]
    public var covariance: [Double]
    public var training: JSONValue
    public var evaluation: JSONValue

    public init(unit: String, grid: Grid?, crimeTypes: [CrimeType]?, features: [PanelFeature], outcome: String,
                fit: RegressionResult, training: JSONValue, evaluation: JSONValue = .null) {
        self.unit = unit
        self.grid = grid
        self.crimeTypes = crimeTypes
        self.features = features
        self.outcome = outcome
        family = fit.family
        alpha = fit.alpha
        names = fit.names
        estimates = fit.estimates
        standardErrors = fit.standardErrors
        covariance = fit.covariance
        self.training = training
        self.evaluation = evaluation
    }

    public var json: JSONValue {
        let p = names.count
        let sentence: JSONValue = rankingSentence.map { .string($0) } ?? .null
        let fields: [(String, JSONValue)] = [
            ("format", .string(Self.format)), ("format_version", .int(Self.formatVersion)),
            ("placerisk_version", .string(PlaceRiskVersion.string)), ("model_type", .string(family.rawValue)),
            ("alpha", alpha.map { .number($0) } ?? .null),
            ("unit", .string(unit)), ("grid", grid.map { .string($0.spec) } ?? .null),
            ("crime_types", crimeTypes.map { .array($0.map { .string($0.label) }) } ?? .string("all")),
            ("features", .array(features.map { .string($0.description) })), ("outcome", .string(outcome)),
            ("feature_settings", .object([("kde_bandwidth_m", kdeBandwidth.map { .number($0) } ?? .null), ("covariates", covariates.map { .string($0) } ?? .null)])),
            ("l2", .number(l2)), ("ranked_by", .string(rankedBy)), ("ranking_sentence", sentence),
            ("selection", selection),
            ("coefficients", .array(names.indices.map { .object([("name", .string(names[$0])), ("estimate", .number(estimates[$0])), ("se", .number(standardErrors[$0]))]) })),
            ("covariance", .array((0 ..< p).map { r in .array((0 ..< p).map { .number(covariance[r * p + $0]) }) })),
            ("training", training), ("evaluation", evaluation),
        ]
        return .object(fields)
    }

    public func write(path: String) throws(CSVError) {
        do { try (json.serialized() + "\n").write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw CSVError(.io("cannot write: \(error.localizedDescription)"), file: path, line: 0, column: 0)
        }
    }

    /// Reads a model file; an unknown format or newer version, or a missing field, is an error naming it.
    public static func read(path: String) throws(CSVError) -> RiskModelFile {
        /// A whole-file error in plain words (`file: sentence`, no line or column).
        func problem(_ sentence: String) -> CSVError { CSVError(.io(sentence), file: path, line: 0, column: 0) }
        func bad(_ field: String, _ expected: String = "") -> CSVError {
            problem("the model file's '\(field)' is missing or not valid" + (expected.isEmpty ? "" : " (expected \(expected))"))
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CSVError(.io("cannot read: \(error.localizedDescription)"), file: path, line: 0, column: 0)
        }
        guard let o = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw CSVError(.io("not a JSON object"), file: path, line: 0, column: 0)
        }
        guard o["format"] as? String == format else { throw problem("not a PlaceRisk model file (its 'format' is not \"\(format)\")") }
        guard let v = o["format_version"] as? Int else { throw bad("format_version", "a whole number") }
        guard v <= formatVersion else {
            throw CSVError(.io("model file format version \(v) is newer than this PlaceRisk (\(PlaceRiskVersion.string)) reads (\(formatVersion)); update PlaceRisk"), file: path, line: 0, column: 0)
        }
        let family: RegressionResult.Family
        if v < 2 { family = .logistic } else {
            guard let m = o["model_type"] as? String, let f = RegressionResult.Family(rawValue: m) else { throw bad("model_type", "logistic, poisson or negbin") }
            family = f
        }
        let alpha = o["alpha"] as? Double
        if family == .negativeBinomial, alpha == nil { throw bad("alpha", "the NB2 dispersion, a number") }
        let settings = o["feature_settings"] as? [String: Any]
        guard let unit = o["unit"] as? String, unit == "cell" || unit == "lsoa" else { throw bad("unit", "cell or lsoa") }
        var grid: Grid?
        if let g = o["grid"] as? String { grid = try? Grid(spec: g); if grid == nil { throw bad("grid", "xmin,ymin,cell,ncols,nrows") } }
        if unit == "cell", grid == nil { throw bad("grid", "xmin,ymin,cell,ncols,nrows for a cell model") }
        let types = (o["crime_types"] as? [String]).map { $0.map { CrimeType(label: $0) } }
        guard let fnames = o["features"] as? [String] else { throw bad("features", "a list of feature names") }
        var features: [PanelFeature] = []
        for f in fnames { guard let pf = PanelFeature(name: f) else { throw problem("the model file names an unknown feature '\(f)'") }; features.append(pf) }
        guard let outcome = o["outcome"] as? String else { throw bad("outcome", "e.g. atleast:1") }
        guard let coefs = o["coefficients"] as? [[String: Any]] else { throw bad("coefficients", "a list of {name, estimate, se}") }
        guard coefs.count == features.count + 1 else {
            throw problem("the model file has \(coefs.count) coefficients for \(features.count) features; expected \(features.count + 1) (const, then one per feature)")
        }
        var names: [String] = [], est: [Double] = [], se: [Double] = []
        for c in coefs {
            guard let n = c["name"] as? String, let e = c["estimate"] as? Double, let s = c["se"] as? Double else { throw bad("coefficients", "each with a name, an estimate and an se") }
            names.append(n); est.append(e); se.append(s)
        }
        guard names == ["const"] + fnames else { throw problem("the model file's coefficients are named \(names.joined(separator: ", ")); expected const, \(fnames.joined(separator: ", "))") }
        guard let cov = o["covariance"] as? [[Double]], cov.count == names.count, cov.allSatisfy({ $0.count == names.count }) else {
            throw bad("covariance", "a \(names.count) × \(names.count) matrix")
        }
        // `training` and `evaluation` are provenance for readers of the file; scoring does not need them.
        var file = RiskModelFile(unit: unit, grid: grid, crimeTypes: types, features: features, outcome: outcome,
                                 names: names, estimates: est, standardErrors: se, covariance: cov.flatMap { $0 })
        file.family = family
        file.alpha = alpha
        file.kdeBandwidth = settings?["kde_bandwidth_m"] as? Double
        file.covariates = settings?["covariates"] as? String
        if v >= 3 {
            guard let l2 = o["l2"] as? Double, l2 >= 0 else { throw bad("l2", "a number >= 0") }
            guard let r = o["ranked_by"] as? String, ["model", "mean-past", "kde-past", "naive-last"].contains(r) else {
                throw bad("ranked_by", "model, mean-past, kde-past or naive-last")
            }
            file.l2 = l2; file.rankedBy = r
            file.rankingSentence = o["ranking_sentence"] as? String
            file.isStackedDefault = o["selection"] is [String: Any]
        }
        return file
    }

    init(unit: String, grid: Grid?, crimeTypes: [CrimeType]?, features: [PanelFeature], outcome: String,
         names: [String], estimates: [Double], standardErrors: [Double], covariance: [Double]) {
        self.unit = unit; self.grid = grid; self.crimeTypes = crimeTypes; self.features = features; self.outcome = outcome
        self.names = names; self.estimates = estimates; self.standardErrors = standardErrors; self.covariance = covariance
        training = .null; evaluation = .null
    }

    /// Linear predictor η = β₀ + Σ βⱼ xⱼ → risk: the probability 1/(1 + e^{−η}) (logistic) or the expected
    /// count e^{η} (Poisson, NB2); with each feature's contribution βⱼ xⱼ to η.
    public func score(_ x: ArraySlice<Double>) -> (risk: Double, contributions: [Double]) {
        var contrib: [Double] = []
        for (j, v) in x.enumerated() { contrib.append(estimates[j + 1] * v) }
        return (Self.predict(family: family, coefficients: estimates, x), contrib)
    }

    /// The one prediction rule of every risk model: η = β₀ + Σ βⱼ xⱼ, then 1/(1 + e^{−η}) (logistic) or
    /// e^{η} (Poisson, NB2). `coefficients` are const first, then one per feature of `x`.
    public static func predict(family: RegressionResult.Family, coefficients b: [Double], _ x: ArraySlice<Double>) -> Double {
        precondition(b.count == x.count + 1, "RiskModelFile.predict: \(b.count) coefficients for \(x.count) features")
        var eta = b[0]
        for (j, v) in x.enumerated() { eta += b[j + 1] * v }
        return family == .logistic ? 1 / (1 + exp(-eta)) : exp(eta)
    }

    /// What `score(_:).risk` means, for output headers.
    public var riskMeaning: String {
        family == .logistic ? "probability of '\(outcome)' next month" : "expected count next month (\(family.rawValue))"
    }
}
