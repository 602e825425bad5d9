import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// A unit × month panel for the risk-model subcommands (fit, score, backtest), from police.uk street
/// files (grid cells with at least one incident of any type, or the study area's LSOAs zero-filled)
/// or from a ready LSOA × month counts table (`PanelCountsTable`); with static covariates joined by
/// LSOA and the KDE-of-the-past surface when the features or baselines need them.
struct PanelInputs {
    var panel: Panel
    var weights: SpatialWeights?
    var area: [Double]?
    let grid: Grid?
    let unit: SpatialUnit
    var unitNote: String
    /// The modelled crime types (nil: every type the input counts, e.g. a counts table).
    let crimeTypes: Set<CrimeType>?
    let options: CommonOptions
    /// The street-file inputs (nil for a counts table).
    let inputs: IncidentInputs?
    /// Input files for provenance.
    let inputPaths: [String]
    /// Row / code accounting as JSON (street ledger or counts-table join).
    let accounting: JSONValue
    /// The street rows' ledger after the panel's selection (nil for a counts table).
    let ledger: RowAccounting?
    /// Covariate file used (path), for provenance.
    let covariatesPath: String?
    /// KDE-of-the-past kernel radius (metres), when built.
    let kdeBandwidth: Double?
    /// The LSOA polygons read for LSOA units (nil for cells, or when the file is missing).
    let boundaries: LSOABoundaries?

    static let defaultLSOAKDEBandwidth = 1500.0

    /// Prints and (with `--accounting`) writes the ledger of the rows the panel counts.
    func emitAccounting(_ o: InputOptions, io: CLIOutput) throws {
        if let ledger, let inputs { try IncidentInputs.emitAccounting(ledger, inputs.files, o, io, diagnostics: inputs.diagnostics) }
        else { try IncidentInputs.writeAccounting(accounting, to: o.accounting) }
    }

    var kdePastScorer: Backtest.Scorer? {
        guard let k = panel.kdePast else { return nil }
        let width = panel.monthCount + 1
        return { u, t in k[u * width + t] }
    }

    /// The panel of `o`'s inputs for `features`. The `fixed…` values come from a model file (score, report)
    /// and replace the options; `preloaded` incidents and `boundaries` are reused when the caller has them.
    init(_ o: PanelOptions, features: [PanelFeature], io: CLIOutput, unit fixedUnit: SpatialUnit? = nil, fixedGrid: Grid? = nil,
         crimeTypes fixedTypes: Set<CrimeType>?? = nil, kdeBandwidth fixedKDE: Double? = nil, covariates fixedCovariates: String? = nil,
         preloaded: IncidentInputs? = nil, boundaries preloadedBoundaries: LSOABoundaries?? = nil) throws {
        let quiet = o.input.quiet
        let unitOption = fixedUnit ?? o.unit
        let kdeH = fixedKDE ?? o.kdeBandwidth
        let covPath = fixedCovariates ?? o.covariates
        let covNames = features.compactMap { f -> String? in
            if case .covariate(let c) = f { return c }
            if case .log1p(.covariate(let c)) = f { return c }
            return nil
        }
        let paths = o.input.paths
        let countsTable = paths.count == 1 && LSOACountsFile.looksLike(path: paths[0])
        if !covNames.isEmpty {
            guard covPath != nil else { throw UsageError("the cov: features need --covariates FILE.csv (e.g. \(Self.defaultCovariates))") }
            guard (unitOption ?? (countsTable ? .lsoa : .cell)) == .lsoa else { throw UsageError("covariates are joined by LSOA code; use --unit lsoa") }
        }
        let needsSpatialLag = features.contains(where: \.needsNeighbours)
        // LSOA polygons, read once: areas for PAI, centroids for kde_past, contiguity for spatial_lag_1.
        let lsoaUnits = countsTable || unitOption == .lsoa
        let boundaries: LSOABoundaries? = lsoaUnits ? try (preloadedBoundaries ?? LSOABoundaries.load(o.boundaries)) : nil
        let boundariesPath = LSOABoundaries.path(o.boundaries)
        func lsoaWeights(_ units: [String]) throws -> SpatialWeights {
            guard let boundaries else { throw RuntimeError("the neighbourhood features (spatial_lag_1, spatial_mean_past_K, eb_rate) need LSOA boundaries; '\(boundariesPath)' not found (give --boundaries)") }
            return boundaries.queenWeights(among: units)
        }
        self.boundaries = boundaries
        if countsTable {
            guard (unitOption ?? .lsoa) == .lsoa else { throw UsageError("'\(paths[0])' is an LSOA counts table; it supports --unit lsoa only") }
            if features.contains(where: { $0 == .kdePast || $0 == .log1p(.kdePast) }) {
                throw UsageError("kde_past needs incident points; '\(paths[0])' is a counts table")
            }
            if o.crimeTypesGiven, !quiet {
                io.err("Warning: --crime-type is ignored: the counts table '\(paths[0])' has one count per LSOA and month (its own selection of types)\n")
            }
            let t = try PanelCountsTable(o.input, io: io, boundaries: boundaries, boundariesPath: boundariesPath)
            panel = t.panel; area = t.area; weights = nil
            grid = nil; unit = .lsoa; unitNote = t.note; crimeTypes = nil
            options = o.input.allTypes.common; inputs = nil
            inputPaths = paths; accounting = t.accounting; kdeBandwidth = nil; ledger = nil
            if needsSpatialLag { weights = try lsoaWeights(panel.units) }
        } else {
            let types: Set<CrimeType>?
            if let f = fixedTypes { types = f } else { types = o.crimeTypes }
            var input = o.input.allTypes
            if let g = fixedGrid { input.common.grid = g; input.common.cell = nil }
            let unit = unitOption ?? .cell
            let inputs = try preloaded ?? IncidentInputs(input, core: unit == .lsoa || (input.common.grid == nil && input.common.bbox == nil), io: io)
            let s = try PanelFromIncidents(inputs, unit: unit, types: types, opts: &input.common, kdeBandwidth: kdeH, boundaries: boundaries,
                                           boundariesPath: boundariesPath, quiet: quiet, io: io)
            panel = s.panel; area = s.area; grid = s.grid; unitNote = s.note; kdeBandwidth = s.kdeBandwidth
            self.unit = unit; crimeTypes = types; options = input.common; self.inputs = inputs
            inputPaths = inputs.files.map(\.path)
            ledger = s.selection.accounting
            accounting = IncidentInputs.ledgerJSON(s.selection.accounting, files: inputs.files, diagnostics: inputs.diagnostics)
            weights = nil
            if features.contains(where: { $0.base == .contextPastMean || $0.base == .ebContextRate }) {
                panel.contextCounts = Self.contextCounts(inputs, unit: unit, grid: s.grid, units: panel.units)
                unitNote += "; context_mean_past: every type not proactively detected"
            }
            if needsSpatialLag, unit == .lsoa {
                weights = try lsoaWeights(panel.units)
            } else if let g = grid, needsSpatialLag {
                weights = Contiguity.gridQueen(cellIDs: panel.units.map { Int($0)! }, grid: g)
            }
        }
        covariatesPath = covPath
        if let covPath, !covNames.isEmpty {
            try joinCovariates(path: covPath, names: Array(Set(covNames)).sorted(), quiet: quiet, io: io)
        } else if covPath != nil, !quiet {
            io.err("Warning: --covariates is unused: no feature names a covariate (cov:COLUMN)\n")
        }
    }

    /// The types of `context_mean_past`: every standard type except the proactively detected ones.
    static let contextTypes = Set(CrimeType.standard.filter { !$0.isProactivelyDetected })

    /// Counts of `contextTypes` per unit × month (the panel's layout), selected by the one selection
    /// rule over the same units as the panel.
    static func contextCounts(_ inputs: IncidentInputs, unit: SpatialUnit, grid: Grid?, units: [String]) -> [Double] {
        let t = inputs.table, T = inputs.months.count
        if unit == .lsoa, let sa = inputs.study {
            return IncidentPanelCounts.lsoaMonth(t, used: inputs.select(types: contextTypes, units: .lsoa(sa)).used, units: units, months: inputs.months)
        }
        guard let g = grid else { return [Double](repeating: 0, count: units.count * T) }
        let area = inputs.explicitArea
        let sel = inputs.select(types: contextTypes, units: area.map { .cellsInArea(g, $0) } ?? .cells(g, bbox: nil))
        // The same cells as the panel's (cells with any incident), in the panel's order.
        let cells = IncidentPanelCounts.cellMonth(t, used: sel.used, grid: g, months: inputs.months, area: area)
        let row = Dictionary(uniqueKeysWithValues: cells.cells.enumerated().map { (String($1), $0) })
        var counts = [Double](repeating: 0, count: units.count * T)
        for (k, label) in units.enumerated() {
            guard let r = row[label] else { continue }
            for m in 0 ..< T { counts[k * T + m] = cells.counts[r * T + m] }
        }
        return counts
    }

    static var defaultCovariates: String { BundledData.path("datasets/imd2019/imd2019_england_lsoa.csv") }

    /// Joins the covariate columns by LSOA code; units without a complete row are dropped and reported.
    private mutating func joinCovariates(path: String, names: [String], quiet: Bool, io: CLIOutput) throws {
        let table = try CovariateTable.read(path: path, columns: names)
        var keep: [Int] = [], values: [Double] = [], missing: [String] = []
        for (u, code) in panel.units.enumerated() {
            if let row = table.rows[code], row.allSatisfy(\.isFinite) { keep.append(u); values += row } else { missing.append(code) }
        }
        guard !keep.isEmpty else { throw RuntimeError("\(path): none of the \(panel.unitCount) LSOAs has a complete row of covariates \(names.joined(separator: ", "))") }
        if !missing.isEmpty {
            let eg = missing.prefix(5).joined(separator: ", ")
            io.err("Warning: \(missing.count) of \(panel.unitCount) LSOAs have no complete covariate row in \(path) and are dropped (e.g. \(eg))\n")
            unitNote += "; \(missing.count) LSOAs dropped for missing covariates"
            area = area.map { a in keep.map { a[$0] } }
            if let w = weights {
                var pos = [Int](repeating: -1, count: panel.unitCount)
                for (k, u) in keep.enumerated() { pos[u] = k }
                weights = SpatialWeights(neighbourLists: keep.map { u in
                    (w.offsets[u] ..< w.offsets[u + 1]).compactMap { k in let p = pos[Int(w.neighbours[k])]; return p >= 0 ? p : nil }
                })
            }
            panel = panel.subset(units: keep)
        }
        panel = panel.withCovariates(names: names, values: values)
    }

}

extension PanelInputs {
    /// `lag_1,mean_3,…` → features (usage error naming an unknown one).
    static func features(_ text: String) throws -> [PanelFeature] {
        var out: [PanelFeature] = []
        for name in text.split(separator: ",") {
            guard let f = PanelFeature(name: String(name)) else {
                throw UsageError("unknown feature '\(name)'; expected lag_K, mean_W, mean_past, ewm_H, eb_rate, spatial_lag_1, spatial_mean_past_K, kde_past, month_sin, month_cos, cov:COLUMN or log1p_<feature>")
            }
            out.append(f)
        }
        return out
    }

    /// `atleast:K` or `top:Q` → outcome.
    static func outcome(_ text: String) throws -> PanelOutcome {
        if text.hasPrefix("atleast:"), let k = Double(text.dropFirst(8)) { return .atLeast(k) }
        if text.hasPrefix("top:"), let q = Double(text.dropFirst(4)) { return .topFraction(q) }
        throw UsageError("invalid --outcome '\(text)'; expected atleast:K or top:Q")
    }
}
