import PlaceRiskCore
import PlaceRiskIO
import PlaceRiskReport
import Foundation

/// Section 3: LSOA choropleth of the rate per 1,000, KDE surface, Gi* hot/cold cells with FDR and LISA
/// clusters — each with legend, scale bar, north arrow, units and attribution; results beside.
enum ReportMaps {
    static func section(_ ctx: ReportInputs) throws -> SectionOutput {
        var out = SectionOutput()
        var blocks: [HTMLBlock] = []
        guard let inputs = ctx.inputs else { return out.finish(HTMLSection(id: "maps", heading: "3. Maps", blocks: [.note("No police data.")])) }
        let t = inputs.table
        let typeText = ctx.types.map(\.label).sorted().joined(separator: ", ") + (ctx.harm != nil ? " (harm-weighted)" : "")
        // Points of the analysed types in the study area.
        var px: [Double] = [], py: [Double] = [], pw: [Double] = [], pl: [Int32] = []
        let used = ctx.selection.used
        for i in 0 ..< t.count where used[i] && t.location[i] == .projected {
            px.append(t.x[i]); py.append(t.y[i]); pw.append(ctx.weight(t.crimeType(i))); pl.append(t.lsoaID[i])
        }
        guard px.count >= 2 else {
            blocks.append(.warning("No located \(typeText) incidents in the study area and period: the maps are omitted."))
            return out.finish(HTMLSection(id: "maps", heading: "3. Maps", blocks: blocks))
        }
        // 1. LSOA rate per 1,000 (choropleth).
        if let d = ctx.deprivation, let polys = ctx.polygons(of: d.codes) {
            let rate = zip(d.counts, d.population).map { 1000 * $0 / $1 }
            if let scale = ClassifiedScale.sequential(rate, classes: 6, method: .quantile, decimals: 1) {
                let map = MapFigure.choropleth(polygons: polys, values: rate, scale: scale, title: "\(typeText) per 1,000 residents",
                                               units: "per 1,000 (mid-2015 pop.)", subtitle: "LSOAs, \(d.periodNote); quantile classes", labels: zip(d.codes, d.names).map { "\($0) \($1)" }, attribution: ctx.attribution)
                blocks.append(.figure(svg: map.svg(), caption: "Recorded \(typeText) per 1,000 residents by LSOA over \(d.periodNote) (counts, not harm). Small LSOA counts make single rates noisy; empirical-Bayes rates are in lsoa_rates.csv."))
            }
        } else {
            blocks.append(.note("The LSOA rate map is omitted: \(ctx.deprivationNote ?? ctx.missingBoundariesNote ?? "LSOA boundaries or IMD population are missing")."))
        }
        // Grid for KDE and Gi*.
        var opts = ctx.options.input.common
        opts.cell = ctx.cell
        let grid = try inputs.grid(opts, quiet: true, io: ctx.io)
        let window = BoundingBox(minX: grid.xmin, minY: grid.ymin, maxX: grid.xmax, maxY: grid.ymax)
        let weights: [Double]? = ctx.harm == nil ? nil : pw
        let kernel: Kernel
        var ruleText = "fixed"
        do {
            switch ctx.kdeBandwidth {
            case .radius(let r): kernel = try Kernel(.quartic, bandwidth: r)
            case .rule(let rule):
                kernel = try Kernel.matching(.quartic, perAxisSD: try rule.perAxisSD(x: px, y: py, weights: weights, window: window))
                ruleText = rule.rawValue
            }
        } catch { throw RuntimeError(error.description) }
        ctx.progress("KDE: \(px.count) points on \(grid.label), quartic radius \(Int(kernel.bandwidth.rounded())) m")
        let density = KernelDensity.estimate(x: px, y: py, weights: weights, grid: grid, kernel: kernel).map { $0 * 1e6 }
        out.asciiGrid("kde_per_km2.asc", grid: grid, values: density)
        out.parameters.append(("kde", .object([("kernel", .string("quartic")), ("radius_m", .number(kernel.bandwidth)), ("rule", .string(ruleText)), ("units", .string("incidents per km² over the period"))])))
        let positive = density.filter { $0 > 1e-9 }
        let shown = density.map { $0 > 1e-9 ? $0 : .nan }
        _ = positive
        if let scale = ClassifiedScale.logarithmic(shown, ramp: .ylOrRd, floor: 1) {
            var map = MapFigure.raster(grid: grid, values: shown, scale: scale, title: "Kernel density of \(typeText)", units: "incidents per km² (whole period, log scale)",
                                       subtitle: "quartic, radius \(Int(kernel.bandwidth.rounded())) m (\(ruleText)), \(Int(grid.cell)) m cells, BNG", attribution: ctx.attribution)
            map.description = "Map of the kernel density of \(typeText) over \(ctx.areaName), \(inputs.months.first)…\(inputs.months.last), in incidents per km² on a logarithmic colour scale; peak \(Fmt.num(positive.max(), 0)) per km²."
            blocks.append(.figure(svg: map.svg(), caption: "Exact kernel density (incidents per km² over the whole period) on a logarithmic scale with round breaks, so towns of different intensity stay distinct; below 1 per km² left blank. Grid \(grid.spec), origin lower-left, EPSG:27700."))
        } else {
            blocks.append(.note("The kernel density map is omitted: no cell reaches 1 incident per km² (quartic radius \(Int(kernel.bandwidth.rounded())) m, \(Int(grid.cell)) m cells); kde_per_km2.asc holds the surface."))
        }
        // Gi* on cell counts.
        var counts = [Double](repeating: 0, count: grid.cellCount)
        let ids = GridBinning.cellIDs(x: px, y: py, grid: grid)
        for (k, id) in ids.enumerated() where id >= 0 { counts[Int(id)] += pw[k] }
        // Share of incidents in the top 1 % / 5 % of the study area's land: the cells whose centre lies in its LSOAs.
        let land: [Bool] = inputs.study.flatMap { ctx.polygons(of: $0.lsoaCodes) }.map { GridMask.cellsInside($0, grid: grid) } ?? counts.map { _ in true }
        let landCounts = counts.indices.filter { land[$0] }.map { counts[$0] }
        if let c = try? IncidentConcentration.area(cellCounts: landCounts) {
            out.findings.append(Finding(text: "Concentration in space: \(Fmt.pct(c.top1Percent.share, 0)) of incidents fall in the 1 % of the area's land (\(Int(grid.cell)) m cells in its LSOAs, \(Fmt.int(Double(landCounts.count))) cells) with most of them, \(Fmt.pct(c.top5Percent.share, 0)) in the top 5 %.", section: "maps"))
            out.numbers.append(("top_area_shares", .object([("top_1pct", .number(c.top1Percent.share)), ("top_5pct", .number(c.top5Percent.share))])))
        }
        // Each cell's LSOA: the commonest among its incidents (for names).
        let majority = CellMajorityLSOA.assign(cellIDs: ids, lsoaIDs: pl, codes: t.lsoaCodes, cellCount: grid.cellCount)
        func cellLSOA(_ i: Int) -> String? { majority[i] < 0 ? nil : t.lsoaCodes[Int(majority[i])] }
        ctx.progress("Gi*: \(grid.cellCount) cells, band \(Int(ctx.band)) m, FDR")
        if let gi = try? GetisOrd.grid(counts, grid: grid, band: ctx.band, fdr: true) {
            let bins = gi.bin.map { $0 == 0 ? Double.nan : Double($0) }
            let hot = gi.bin.filter { $0 > 0 }.count, cold = gi.bin.filter { $0 < 0 }.count
            out.csv([["cell_id", "x", "y", "lsoa_code", "lsoa_name", "msoa_name", "district_name", "count", "z", "p", "q_bh", "gi_bin"]] + (0 ..< grid.cellCount).filter { gi.bin[$0] != 0 }.map { i in
                [String(i), grid.centreX(col: i % grid.ncols).shortDescription, grid.centreY(row: i / grid.ncols).shortDescription, cellLSOA(i) ?? ""] + ctx.nameColumns(cellLSOA(i)) + [counts[i].shortDescription,
                 gi.z[i].shortDescription, gi.p[i].shortDescription, gi.q[i].shortDescription, String(gi.bin[i])]
            }, "gistar_significant_cells.csv")
            // Where the hot spots are: the MSOAs (towns, neighbourhoods) with most significant hot cells.
            var byMSOA: [String: (label: String, cells: Int, incidents: Double)] = [:]
            for i in 0 ..< grid.cellCount where gi.bin[i] > 0 {
                let p = cellLSOA(i).flatMap { ctx.names?[lsoa: $0] }
                let key = p?.msoaCode ?? "unnamed"
                byMSOA[key, default: (p.map { "\($0.msoaName) (\($0.districtName))" } ?? "unnamed", 0, 0)].cells += 1
                byMSOA[key]!.incidents += counts[i]
            }
            var hotAreas: [HotArea] = []
            for (key, v) in byMSOA where key != "unnamed" { hotAreas.append(HotArea(msoa: key, label: v.label, cells: v.cells, incidents: v.incidents)) }
            hotAreas.sort { $0.cells != $1.cells ? $0.cells > $1.cells : $0.msoa < $1.msoa }
            let top = hotAreas.prefix(10)
            if !top.isEmpty {
                blocks.append(.table(HTMLTable(header: ["Hot area (MSOA, district)", "hot cells (\(Int(grid.cell)) m)", "incidents in them"],
                                               rows: top.map { [$0.label, String($0.cells), Fmt.int($0.incidents)] },
                                               caption: "Where the Gi* hot spots are: MSOAs (House of Commons Library names) by their number of significant hot cells; a cell takes the LSOA most of its incidents fall in.")))
                out.findings.append(Finding(text: "Hot spots (Gi*, FDR \(Fmt.num(ctx.fdr))): \(hot) significant hot cells, most in " + top.prefix(5).map { "\($0.label) (\($0.cells))" }.joined(separator: ", ") + ".", section: "maps"))
            }
            let outlines = ctx.deprivation.flatMap { ctx.polygons(of: $0.codes) } ?? []
            var map = MapFigure.raster(grid: grid, values: bins, scale: .giStarBins, title: "Gi* hot and cold spots of \(typeText)", units: "Gi_Bin (FDR \(Fmt.num(ctx.fdr)))",
                                       subtitle: "\(Int(grid.cell)) m cells, binary band \(Int(ctx.band)) m; \(hot) hot, \(cold) cold cells", outlines: outlines, attribution: ctx.attribution)
            map.autoNoDataLegend = false   // blank = not significant, said in the caption
            map.description = "Map of Getis-Ord Gi* hot and cold spots of \(typeText) over \(ctx.areaName): \(hot) significant hot cells and \(cold) cold cells of \(Int(grid.cell)) m."
            // Zoomed insets of the five hot areas (MSOAs) with most hot cells, outlined on the overview.
            var insets: [MapFigure] = []
            if let names = ctx.names, let b = ctx.boundaries {
                let hotMSOAs = hotAreas.prefix(5)
                var boxes: [BoundingBox] = [], letters: [String] = []
                for (k, area) in hotMSOAs.enumerated() {
                    let codes = names.places.values.filter { $0.msoaCode == area.msoa }.map(\.lsoaCode).sorted()
                    guard let polys = b.polygons(of: codes.filter { b.index[$0] != nil }), !polys.isEmpty,
                          let box = BoundingBox.union(polys.map { $0.boundingBox }) else { continue }
                    let extent = box.expanded(by: 1000)
                    let letter = String(UnicodeScalar(UInt8(65 + k)))
                    boxes.append(extent); letters.append(letter)
                    let lsoaNames = codes.filter { b.index[$0] != nil }.map { names[lsoa: $0]?.lsoaName ?? $0 }
                    var inset = map.inset(extent: extent, title: "\(letter): \(area.label)", subtitle: "\(area.cells) hot cells; LSOAs outlined and named",
                                          outlines: polys, labels: MapLabel.atCentroids(of: polys, names: lsoaNames))
                    inset.description = "Zoomed map \(letter) of \(area.label): \(area.cells) significant hot cells of \(Int(grid.cell)) m, with its LSOAs outlined and named."
                    insets.append(inset)
                }
                map.addHighlightRectangles(boxes, labels: letters)
            }
            blocks.append(.figure(svg: map.svg(), caption: "Getis-Ord Gi* (analytic, ArcGIS-equivalent) with Benjamini–Hochberg FDR at \(Fmt.num(ctx.fdr)); non-significant cells left blank. A hot spot is a cluster of high counts, not a prediction.\(insets.isEmpty ? "" : " Boxes A–\(String(UnicodeScalar(UInt8(64 + insets.count)))) are zoomed below.")"))
            for m in insets { blocks.append(.figure(svg: m.svg(), caption: "Zoomed hot area: Gi* cells (same classes as the overview) with LSOA outlines and names.")) }
            out.numbers.append(("gistar", .object([("hot_cells", .int(hot)), ("cold_cells", .int(cold))])))
        }
        // LISA on the LSOA rate.
        if let d = ctx.deprivation, let polys = ctx.polygons(of: d.codes) {
            let rate = zip(d.counts, d.population).map { 1000 * $0 / $1 }
            let w = ctx.boundaries!.queenWeights(among: d.codes).rowStandardised
            ctx.progress("LISA: \(d.codes.count) LSOAs, \(ctx.permutations) permutations, seed \(ctx.seed)")
            if let l = try? Moran.local(rate, weights: w, permutations: ctx.permutations, seed: ctx.seed) {
                let q = l.q
                let code: [Double] = d.codes.indices.map { i in
                    guard q[i] <= ctx.fdr else { return 0 }
                    switch l.quadrant[i] { case 1: return 1; case 3: return 2; case 2: return 3; case 4: return 4; default: return 0 }
                }
                let names = ["Not significant", "High-High", "Low-Low", "Low-High", "High-Low"]
                out.csv([["lsoa_code", "lsoa_name", "msoa_name", "district_name", "rate_per_1000", "local_i", "pseudo_p", "q_bh", "cluster"]] + d.codes.indices.map { i in
                    [d.codes[i]] + ctx.nameColumns(d.codes[i]) + [rate[i].shortDescription, l.I[i].shortDescription, l.p[i].shortDescription, l.q[i].shortDescription, names[Int(code[i])]]
                }, "lisa_lsoa.csv")
                let map = MapFigure.choropleth(polygons: polys, values: code, scale: .lisaClusters, title: "LISA clusters of \(typeText) rate", units: "cluster (FDR \(Fmt.num(ctx.fdr)))",
                                               subtitle: "queen contiguity, \(ctx.permutations) permutations, seed \(ctx.seed)", labels: d.codes.map(ctx.placeLabel), attribution: ctx.attribution)
                let significant = code.filter { $0 > 0 }.count
                let uncorrected = l.p.filter { $0 <= ctx.fdr }.count
                let counted = significant == 0
                    ? " No LSOA is a significant cluster after the FDR correction (\(uncorrected) of \(d.codes.count) have pseudo-p ≤ \(Fmt.num(ctx.fdr)) before it; the smallest possible pseudo-p with \(ctx.permutations) permutations is \(Fmt.num(1 / Double(ctx.permutations + 1), 4))): the map is all grey on purpose; the unadjusted values are in lisa_lsoa.csv."
                    : " \(significant) of \(d.codes.count) LSOAs are significant clusters after the FDR correction."
                blocks.append(.figure(svg: map.svg(), caption: "Local Moran's I of the rate per 1,000 (row-standardised queen weights), conditional permutation pseudo-p with BH FDR. High-High: a high-rate LSOA among high-rate neighbours." + counted))
                out.numbers.append(("lisa", .object([("high_high", .int(code.filter { $0 == 1 }.count)), ("low_low", .int(code.filter { $0 == 2 }.count))])))
            }
        }
        return out.finish(HTMLSection(id: "maps", heading: "3. Maps", blocks: blocks))
    }
}

/// An MSOA with significant Gi* hot cells (cells assigned by their majority LSOA).
struct HotArea: Sendable {
    let msoa: String
    let label: String
    let cells: Int
    let incidents: Double
}
