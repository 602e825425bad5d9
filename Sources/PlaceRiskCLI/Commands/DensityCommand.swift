import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// `placerisk density`: exact kernel density surfaces of incidents on a BNG grid.
public enum DensityCommand: Subcommand {
    public static let spec = CommandSpec(
        name: "density",
        abstract: "Exact kernel density of incidents on a British National Grid grid.",
        discussion: """
        Every cell centre gets the exact sum over the points within the kernel's support (no binning,
        no FFT). Bandwidth: support radius for quartic/epanechnikov/triangular/uniform, standard
        deviation for gaussian; 'auto' uses --bandwidth-rule (default: ArcGIS spatial Silverman).
        Output units are stated in FILE.meta.json: expected incidents per km2 (default), per m2, or per cell.
        --kernel gaussian --method binned (opt-in, approximate, faster): linear binning on a lattice of at
        most a tenth of the bandwidth, then a separable convolution (as KDEpy FFTKDE); its maximum error
        against the exact sum is stated in the meta file and on the console.
        Inputs: police.uk street files/folders, or one points CSV with x,y[,weight] in BNG metres.
        """,
        positional: "inputs",
        positionalHelp: "police.uk street CSV files or folders, or one points CSV (x,y[,weight], BNG metres).",
        options: [
            OptionSpec("--out", value: "file", help: "Output .asc (ESRI ASCII grid + .prj), .csv (every cell) or .geojson (cell polygons, WGS84).", required: true),
            OptionSpec("--kernel", value: "name", help: "quartic (default, as ArcGIS/CrimeStat) | gaussian | epanechnikov | triangular | uniform."),
            OptionSpec("--bandwidth", value: "metres|auto", help: "Support radius (compact kernels) or standard deviation (gaussian); default auto."),
            OptionSpec("--method", value: "exact|binned", help: "exact (default): the exact sum; binned: gaussian only, linear binning + separable convolution, with a stated maximum error."),
            OptionSpec("--bandwidth-rule", value: "rule", help: "For auto: silverman (ArcGIS spatial Silverman, default) | scott | spatstat (shorter side / 8)."),
            OptionSpec("--units", value: "units", help: "per-km2 (default) | per-m2 | count (expected incidents per cell)."),
            OptionSpec.cell("the extent's shorter side / 250, as ArcGIS"),
            OptionSpec.exactGrid,
            OptionSpec.bbox,
            OptionSpec("--edge-correct", help: "Diggle edge correction against the study-area polygons (cells outside them: no data)."),
            OptionSpec("--window", value: "file|grid", help: "The edge-correction window for --edge-correct: polygons (GeoJSON, WGS84), e.g. the LSOA boundaries, or 'grid' for the grid's rectangle (default: the bundled LSOA boundaries)."),
            OptionSpec.harmWeights("each police incident weighs its type's weight"),
            OptionSpec("--adaptive", value: "abramson|knn", help: "Adaptive bandwidths: Abramson's square-root law on a pilot, or distance to the k-th nearest point."),
            OptionSpec("--knn", value: "k", help: "k for --adaptive knn (default 10)."),
            OptionSpec("--divide-by", value: "path", help: "Dual KDE: divide by the density of these inputs (same kernel, bandwidth, grid, months and force; every crime type), e.g. violence / all crime, or this period / last period.", repeatable: true),
        ] + OptionSpec.policeFilters + OptionSpec.runControls
    )

    static var defaultBoundaries: String { BundledData.path("datasets/lsoa2011_boundaries_devon_cornwall/lsoa2011_bsc_devon_cornwall.geojson") }

    /// The options of `density`, parsed and checked before any file is read.
    struct Options: Sendable {
        var input: InputOptions
        var out: String
        var shape: KernelShape
        var units: DensityUnits
        /// `--bandwidth` in metres (nil: `rule`).
        var bandwidth: Double?
        var rule: BandwidthRule
        var adaptive: String?
        var knn: Int
        /// `--edge-correct`, with its window: `--window FILE.geojson | grid` (default: the bundled LSOA boundaries).
        var edgeCorrect: Bool
        var window: String
        /// `--weights`: crime-type weights file.
        var weights: String?
        /// `--divide-by`: the denominator's inputs (dual KDE).
        var divideBy: [String]
        /// `--method binned`: the binned Gaussian (`BinnedGaussian`) instead of the exact sum.
        var binned: Bool

        init(_ a: ParsedArguments) throws {
            input = try InputOptions(a)
            try input.refuseWhenPublishing("density", because: "a kernel surface is not a table of counts that suppression can make safe, and a narrow kernel draws each person's assault as its own peak.")
            out = a.value("--out")!
            guard let shape = KernelShape(rawValue: a.value("--kernel") ?? "quartic") else {
                throw UsageError("invalid --kernel '\(a.value("--kernel")!)'; expected one of: \(KernelShape.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.shape = shape
            guard let units = DensityUnits(rawValue: a.value("--units") ?? "per-km2") else {
                throw UsageError("invalid --units '\(a.value("--units")!)'; expected per-km2, per-m2 or count")
            }
            self.units = units
            let bwText = a.value("--bandwidth") ?? "auto"
            if bwText != "auto" {
                guard let v = Double(bwText), v > 0 else { throw UsageError("invalid --bandwidth '\(bwText)'; expected a positive number of metres or auto") }
                let b = try OptionValue.metres("--bandwidth", bwText)
                if let c = input.common.grid?.cell ?? input.common.cell { _ = try OptionValue.reach("--bandwidth", b, cell: c) }
                bandwidth = b
            }
            guard let rule = BandwidthRule(rawValue: a.value("--bandwidth-rule") ?? "silverman") else {
                throw UsageError("invalid --bandwidth-rule '\(a.value("--bandwidth-rule")!)'; expected silverman, scott or spatstat")
            }
            self.rule = rule
            adaptive = a.value("--adaptive")
            if let ad = adaptive, ad != "abramson", ad != "knn" { throw UsageError("invalid --adaptive '\(ad)'; expected abramson or knn") }
            knn = try OptionValue.whole("--knn", a.value("--knn") ?? "10", in: 1 ... 10_000)
            edgeCorrect = a.flag("--edge-correct")
            window = a.value("--window") ?? DensityCommand.defaultBoundaries
            if a.value("--window") != nil, !edgeCorrect { throw UsageError("--window is the edge-correction window; it needs --edge-correct") }
            weights = a.value("--weights")
            divideBy = a.all("--divide-by")
            switch a.value("--method") ?? "exact" {
            case "exact": binned = false
            case "binned": binned = true
            case let m: throw UsageError("invalid --method '\(m)'; expected exact or binned")
            }
            if binned, shape != .gaussian { throw UsageError("--method binned is for --kernel gaussian; the compact kernels are exact and fast") }
            if binned, adaptive != nil { throw UsageError("--method binned takes one bandwidth; it cannot be combined with --adaptive") }
        }
    }

    public static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        let o = try Options(a)
        let out = o.out, opts = o.input.common, shape = o.shape, units = o.units, rule = o.rule, adaptive = o.adaptive, knn = o.knn
        let explicit = o.bandwidth, quiet = o.input.quiet
        let typeWeights = try o.weights.map { p throws(CSVError) in try CrimeTypeWeights.load(path: p) }

        var pts = try PointInputs(o.input, typeWeights: typeWeights, io: io)
        let grid = try pts.grid(opts, quiet: quiet, io: io)
        if let box = opts.bbox { pts.keep(pts.x.indices.map { box.contains(x: pts.x[$0], y: pts.y[$0]) }, droppedAs: .outsideGrid) }
        // The bandwidth rule reads the points inside the grid (as ArcGIS reads the points of the extent).
        var inGrid = pts
        try inGrid.clip(to: grid, bbox: nil)
        let window = BoundingBox(minX: grid.xmin, minY: grid.ymin, maxX: grid.xmax, maxY: grid.ymax)
        let kernel: Kernel
        let ruleUsed: String
        do {
            if let e = explicit {
                kernel = try Kernel(shape, bandwidth: e); ruleUsed = "explicit"
            } else {
                kernel = try Kernel.matching(shape, perAxisSD: try rule.perAxisSD(x: inGrid.x, y: inGrid.y, weights: inGrid.weight.isEmpty ? nil : inGrid.weight, window: window))
                ruleUsed = rule.rawValue
            }
            try KernelDensity.validate(kernel: kernel, grid: grid)
        } catch {
            if explicit != nil, case .bandwidthTooLarge = error { throw UsageError(error.description) }
            throw RuntimeError(error.description)
        }
        if !quiet {
            io.err("Kernel: \(shape.rawValue), bandwidth \(kernel.bandwidth.rounded()) m (\(shape.bandwidthMeaning); rule: \(ruleUsed); per-axis SD \(kernel.perAxisStandardDeviation.rounded()) m)\n")
        }
        // Every located point within the kernel's reach of the grid adds density, beyond the grid's edge too.
        var bandwidths: [Double]?
        let allW: [Double]? = pts.weight.isEmpty ? nil : pts.weight
        if adaptive == "abramson" {
            bandwidths = AdaptiveBandwidth.abramson(x: pts.x, y: pts.y, weights: allW, pilot: kernel)
        } else if adaptive == "knn" {
            guard pts.x.count > knn else { throw RuntimeError("--adaptive knn needs more than \(knn) points, got \(pts.x.count)") }
            bandwidths = AdaptiveBandwidth.kNearest(x: pts.x, y: pts.y, k: knn, minimum: grid.cell / 2)
        }
        let reach = KernelDensity.reachBox(grid: grid, kernel: kernel, bandwidths: bandwidths)
        let kept = pts.keep(pts.x.indices.map { reach.contains(x: pts.x[$0], y: pts.y[$0]) }, droppedAs: .outsideGrid)
        if let b = bandwidths { bandwidths = kept.map { b[$0] } }
        guard !pts.x.isEmpty else { throw RuntimeError("no located point lies within the kernel's reach of the grid \(grid.spec)") }
        let w: [Double]? = pts.weight.isEmpty ? nil : pts.weight
        // The exact sum, or (opt-in) the binned Gaussian with its stated maximum error per m².
        func density(_ x: [Double], _ y: [Double], _ w: [Double]?) throws -> (values: [Double], bound: Double?, spacing: Double?) {
            guard o.binned else { return (KernelDensity.estimate(x: x, y: y, weights: w, grid: grid, kernel: kernel, bandwidths: bandwidths), nil, nil) }
            do {
                let b = try BinnedGaussian.estimate(x: x, y: y, weights: w, grid: grid, bandwidth: kernel.bandwidth)
                return (b.values, b.maximumError, b.spacing)
            } catch { throw RuntimeError(error.description) }
        }
        let account = KernelDensity.pointAccount(x: pts.x, y: pts.y, weights: w, grid: grid, kernel: kernel, bandwidths: bandwidths)
        // A point whose kernel reaches no cell centre adds nothing — beyond the edge, or inside the grid with a
        // support shorter than the way to its nearest centre: it is outside the grid after all, not used.
        let shortest = KernelDensity.shortestBandwidthReachingEveryPoint(shape: shape, cell: grid.cell).rounded(.up).shortDescription
        guard account.used > 0 else {
            throw RuntimeError("no located point's kernel reaches a cell centre of the grid \(grid.spec): the bandwidth (\(kernel.bandwidth.shortDescription) m) is too short for \(grid.cell.shortDescription) m cells — give at least \(shortest) m, or smaller cells")
        }
        pts.accounting.unuse(account.outOfReach, because: .outsideGrid)
        if account.outOfReachInsideGrid > 0 {
            io.err("Warning: \(account.outOfReachInsideGrid) point(s) inside the grid add no density: the bandwidth (\(kernel.bandwidth.shortDescription) m) is shorter than the way to their nearest cell centre (every point reaches one from \(shortest) m on \(grid.cell.shortDescription) m cells); they are counted outside_grid\n")
        }
        let estimated = try density(pts.x, pts.y, w)
        let surface = (values: estimated.values, pointsBeyondGrid: account.beyondGrid)
        var lambda = surface.values
        var edgeFactors: [Double]?
        var studyPath: String?
        if o.edgeCorrect {
            let path = o.window
            let polygons: [MultiPolygon]
            if path == "grid" {
                polygons = [MultiPolygon([Polygon(outer: [(grid.xmin, grid.ymin), (grid.xmax, grid.ymin), (grid.xmax, grid.ymax), (grid.xmin, grid.ymax)])])]
            } else {
                guard FileManager.default.fileExists(atPath: path) else { throw RuntimeError("--edge-correct needs study-area polygons; '\(path)' not found (give --window FILE.geojson or grid)") }
                polygons = try GeoJSONReader.lsoaPolygonsBNG(path: path).polygons
            }
            // Cell-wise Diggle correction (spatstat's default, diggle=FALSE): e(u) integrated against the polygons.
            do { edgeFactors = try EdgeCorrection.factors(polygons: polygons, grid: grid, kernel: kernel) } catch {
                throw RuntimeError("\(path): \(plainDescription(error))")
            }
            lambda = EdgeCorrection.apply(lambda, factors: edgeFactors!)
            studyPath = path
        }
        let factor = units.factor(cellArea: grid.cellArea)
        // The binned bound in the output's units; an edge-corrected cell is divided by its kernel mass
        // inside the window, so the bound grows by 1 / (the smallest such mass).
        let minimumMass = edgeFactors.map { f in f.filter { $0.isFinite && $0 > 0 }.min() ?? 1 } ?? 1
        let bound = estimated.bound.map { $0 * factor / minimumMass }
        var column = (name: "density", values: lambda.map { $0 * factor })
        var divisor: String?
        if !o.divideBy.isEmpty {
            var den = try PointInputs(o.input.allTypes.reading(o.divideBy), typeWeights: typeWeights, io: CLIOutput(out: { _ in }, err: { _ in }))
            den.keep(den.x.indices.map { reach.contains(x: den.x[$0], y: den.y[$0]) && (opts.bbox?.contains(x: den.x[$0], y: den.y[$0]) ?? true) }, droppedAs: .outsideGrid)
            var d = try density(den.x, den.y, den.weight.isEmpty ? nil : den.weight).values
            // Same kernel, grid and study area: the edge-correction factors are reused, not recomputed.
            if let e = edgeFactors { d = EdgeCorrection.apply(d, factors: e) }
            let peak = d.filter { $0.isFinite }.max() ?? 0
            column = (name: "ratio", values: KernelDensity.ratio(lambda, d, minimumDenominator: 1e-9 * peak))
            divisor = o.divideBy.joined(separator: " ")
        }
        createParentFolder(of: out)
        try GridValuesWriter.write(path: out, grid: grid, columns: [column])
        let valueMeaning = divisor != nil
            ? "ratio of two densities (numerator: inputs; denominator: --divide-by), NaN/no data where the denominator is below 1e-9 of its peak"
            : units.description
        let meta: JSONValue = .object([
            ("placerisk_version", .string(PlaceRiskVersion.string)),
            ("command", .string("density")),
            ("output", .string(out)),
            ("value", .string(valueMeaning)),
            ("units", .string(divisor != nil ? "dimensionless" : units.rawValue)),
            ("kernel", .string(shape.rawValue)),
            ("bandwidth_m", .number(kernel.bandwidth)),
            ("bandwidth_meaning", .string(shape.bandwidthMeaning)),
            ("bandwidth_rule", .string(ruleUsed)),
            ("per_axis_sd_m", .number(kernel.perAxisStandardDeviation)),
            ("gaussian_truncation", .string(shape == .gaussian ? "square window |dx|, |dy| <= 7.434 h (mass beyond < 1e-12 per point)" : "n/a")),
            ("method", .string(o.binned ? "binned: linear binning on a lattice of \(estimated.spacing!.shortDescription) m, separable direct convolution (approximate)" : "exact sum over the points within the kernel's support")),
            ("maximum_error", divisor == nil ? (bound.map { .number($0) } ?? .null) : .null),
            ("maximum_error_meaning", .string(o.binned ? "at every cell |value - exact sum| <= maximum_error (in the output's units; W * (spacing^2/(8 pi h^4) + tail), W the total weight; edge-corrected: divided by the smallest kernel mass inside the window; a ratio (--divide-by) has no stated bound, each of its densities has)" : "none: exact")),
            ("adaptive", .string(adaptive ?? "none")),
            ("edge_correction", .string(studyPath.map { "cell-wise Diggle (spatstat diggle=FALSE): density / kernel mass inside the window, integrated against the polygons; window \($0 == "grid" ? "the grid's rectangle" : $0)" } ?? "none")),
            ("weights", .string(o.weights.map { "crime-type weights from \($0)" } ?? (pts.weight.isEmpty ? "none (each incident counts 1)" : "points CSV weight column"))),
            ("divided_by", divisor.map { .string($0) } ?? .null),
            ("points", .int(pts.accounting.rowsUsed)),
            ("points_beyond_grid", .int(surface.pointsBeyondGrid)),
            ("points_rule", .string("every located point within the kernel's reach of the grid adds density; points beyond the grid's edge are included (points_beyond_grid)")),
            ("source", .string(pts.source)),
            ("grid", Metadata.gridJSON(grid)),
            ("accounting", AccountingReport.json(pts.accounting, files: pts.files)),
        ])
        try Metadata.write(meta, beside: out)
        try IncidentInputs.emitAccounting(pts.accounting, pts.files, o.input, io, diagnostics: pts.incidents?.diagnostics ?? [])
        if !quiet, let bound {
            io.err("Method: binned Gaussian (lattice \(estimated.spacing!.shortDescription) m); maximum error \(bound.shortDescription) \(units.rawValue) at any cell against the exact sum\n")
        }
        if !quiet { io.err("Wrote \(out) (\(grid.cellCount) cells, \(pts.accounting.rowsUsed) points, \(surface.pointsBeyondGrid) of them beyond the grid's edge)\n") }
    }
}
