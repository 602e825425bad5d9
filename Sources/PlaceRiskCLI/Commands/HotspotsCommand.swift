import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// `placerisk hotspots`: Getis-Ord Gi* on grid cells, or Gi* + local Moran (LISA) on LSOAs.
public enum HotspotsCommand: Subcommand {
    public static let spec = CommandSpec(
        name: "hotspots",
        abstract: "Getis-Ord Gi* hot spots on a grid, or Gi* and LISA on LSOAs, with FDR.",
        discussion: """
        Grid mode (inputs + --band): Gi* z of cell counts with binary distance-band weights including
        the cell itself (= ArcGIS Hot Spot Analysis = esda G_Local star, transform B), two-sided p,
        Benjamini-Hochberg q and ArcGIS Gi_Bin (-3..3; FDR-adjusted with --fdr).
        LSOA mode (--lsoa-values FILE.csv, or inputs with --unit lsoa): Gi* and local Moran's I
        (conditional permutations, seeded) on queen contiguity from --boundaries; global Moran's I to stderr.
        """,
        positional: "inputs",
        positionalHelp: "police.uk street CSV files or folders, or one points CSV (x,y[,weight], BNG metres).",
        positionalRequired: false,
        options: [
            OptionSpec("--out", value: "file", help: "Output .csv, .geojson (WGS84 polygons) or, in grid mode, .asc (z).", required: true),
            OptionSpec("--band", value: "metres", help: "Grid mode: distance band D; cells whose centres are within D are neighbours."),
            OptionSpec("--weighting", value: "binary|inverse-distance", help: "Grid mode: neighbour weights within the band (default binary)."),
            OptionSpec.cell("grid mode: the extent's shorter side / 250"),
            OptionSpec.exactGrid,
            OptionSpec.bbox,
            OptionSpec.harmWeights("grid mode: cells hold weight sums"),
            OptionSpec("--unit", value: "cell|lsoa", help: "cell (default with inputs) or lsoa (counts per LSOA of --boundaries, zeros included)."),
            OptionSpec("--lsoa-values", value: "file", help: "LSOA mode: CSV with an LSOA code column (lsoa_code, LSOA code or LSOA11CD) and a value column."),
            OptionSpec("--value-column", value: "name", help: "LSOA mode: the value column (default: value, count, or the only other column)."),
            OptionSpec.boundaries("LSOA mode: the units and their contiguity"),
            OptionSpec("--neighbours", value: "queen|rook|knn:K", help: "LSOA mode: contiguity from the polygons (default queen) or K nearest centroids."),
            OptionSpec("--alternative", value: "name", help: "LISA pseudo p: directional (default, as esda) | two-sided | greater | lesser."),
            OptionSpec("--missing-as-zero", help: "LSOA mode: LSOAs of the boundaries absent from --lsoa-values get 0 (counts)."),
        ] + OptionSpec.inference(zeroPermutations: "no LISA pseudo p; Gi* z and p are analytic") + OptionSpec.policeFilters + OptionSpec.runControls
    )

    static let defaultBoundaries = DensityCommand.defaultBoundaries

    public static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        let inference = try InferenceOptions(a, allowZeroPermutations: true)
        let input = try InputOptions(a)
        try input.refuseWhenPublishing("hotspots", because: "Gi* z-scores and hot-spot bins are computed from exact cell or LSOA counts and, with the neighbours known, lead back to them.")
        let noInputs = a.positionals.isEmpty && input.dated == nil
        let unitText = a.value("--unit") ?? (a.value("--lsoa-values") != nil ? "lsoa" : "cell")
        guard let unit = SpatialUnit(rawValue: unitText) else { throw UsageError("invalid --unit '\(unitText)'; expected cell or lsoa") }
        let weights = try a.value("--weights").map { p throws(CSVError) in try CrimeTypeWeights.load(path: p) }
        switch unit {
        case .cell:
            guard !noInputs else { throw UsageError("missing argument '<inputs>' (or give --lsoa-values FILE.csv)") }
            guard let b = a.value("--band") else { throw UsageError("grid hot spots need --band <metres>") }
            let band = try OptionValue.metres("--band", b)
            if let c = input.common.grid?.cell ?? input.common.cell { _ = try OptionValue.reach("--band", band, cell: c) }
            guard let weighting = BandWeighting(rawValue: a.value("--weighting") ?? "binary") else {
                throw UsageError("invalid --weighting '\(a.value("--weighting")!)'; expected binary or inverse-distance")
            }
            try GridHotspots.run(GridHotspots.Options(input: input, out: a.value("--out")!, band: band, weighting: weighting, fdr: inference.fdr,
                                                      weightsPath: a.value("--weights"), typeWeights: weights), io: io)
        case .lsoa:
            if a.value("--lsoa-values") == nil, noInputs { throw UsageError("LSOA hot spots need --lsoa-values FILE.csv or police inputs") }
            if a.value("--lsoa-values") != nil, !noInputs { throw UsageError("give either --lsoa-values or police inputs, not both") }
            try LSOAHotspots.run(LSOAHotspots.Options(a, input: input, inference: inference), io: io)
        }
    }
}

/// Grid mode of `hotspots`.
enum GridHotspots {
    /// The options of grid hot spots, checked before any file is read.
    struct Options: Sendable {
        var input: InputOptions
        var out: String
        var band: Double
        var weighting: BandWeighting
        var fdr: Double?
        var weightsPath: String?
        var typeWeights: [CrimeType: Double]?
    }

    static func run(_ o: Options, io: CLIOutput) throws {
        let out = o.out, opts = o.input.common, band = o.band, weighting = o.weighting, fdrLevel = o.fdr
        let quiet = o.input.quiet
        var pts = try PointInputs(o.input, typeWeights: o.typeWeights, io: io)
        let grid = try pts.grid(opts, quiet: quiet, io: io)
        _ = try OptionValue.reach("--band", band, cell: grid.cell)
        try pts.clip(to: grid, bbox: opts.bbox)
        let weighted = !pts.weight.isEmpty
        let values = weighted ? GridBinning.weightedSums(x: pts.x, y: pts.y, weights: pts.weight, grid: grid).sums
                              : GridBinning.counts(x: pts.x, y: pts.y, grid: grid).counts.map(Double.init)
        let r: GiStarResult
        do { r = try GetisOrd.grid(values, grid: grid, band: band, weighting: weighting, fdr: fdrLevel != nil) } catch {
            throw RuntimeError(error.description)
        }
        createParentFolder(of: out)
        var cols: [(name: String, values: [Double])] = [(weighted ? "weighted" : "count", values), ("z", r.z), ("p", r.p), ("q", r.q), ("bin", r.bin.map(Double.init))]
        if let level = fdrLevel { cols.append(("significant", r.q.map { $0 <= level ? 1 : 0 })) }
        if out.lowercased().hasSuffix(".asc") { cols = [("z", r.z)] }
        try GridValuesWriter.write(path: out, grid: grid, columns: cols)
        let hot = r.bin.filter { $0 > 0 }.count, cold = r.bin.filter { $0 < 0 }.count
        let meta: JSONValue = .object([
            ("placerisk_version", .string(PlaceRiskVersion.string)),
            ("command", .string("hotspots")),
            ("mode", .string("grid")),
            ("output", .string(out)),
            ("statistic", .string("Getis-Ord Gi* z (star: w_ii = 1), = ArcGIS Hot Spot Analysis = esda G_Local(star=True, transform='B')")),
            ("value", .string(weighted ? "sum of point weights per cell" : "count of incidents per cell")),
            ("band_m", .number(band)),
            ("weighting", .string(weighting.rawValue)),
            ("p", .string("two-sided normal")),
            ("q", .string("Benjamini-Hochberg adjusted p over all cells")),
            ("bin", .string(fdrLevel == nil ? "ArcGIS Gi_Bin from |z| > 1.645 / 1.960 / 2.576" : "ArcGIS Gi_Bin from BH q <= 0.10 / 0.05 / 0.01")),
            ("fdr_level", fdrLevel.map { .number($0) } ?? .null),
            ("hot_cells", .int(hot)), ("cold_cells", .int(cold)),
            ("grid", Metadata.gridJSON(grid)),
            ("accounting", AccountingReport.json(pts.accounting, files: pts.files)),
        ])
        try Metadata.write(meta, beside: out)
        try IncidentInputs.emitAccounting(pts.accounting, pts.files, o.input, io, diagnostics: pts.incidents?.diagnostics ?? [])
        if !quiet { io.err("Gi*: \(hot) hot and \(cold) cold cells (|bin| ≥ 1) of \(grid.cellCount); wrote \(out)\n") }
    }
}
