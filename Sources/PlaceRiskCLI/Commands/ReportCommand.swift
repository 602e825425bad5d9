import PlaceRiskCore
import PlaceRiskIO
import PlaceRiskReport
import Foundation

/// `placerisk report`: one self-contained HTML page (inline SVG and CSS, no JavaScript, no network)
/// with summary, trends, maps, deprivation, risk, bias audit and manifest; the results beside it.
public enum ReportCommand: Subcommand {
    static var bundledPolice: String { BundledData.path("datasets/police_uk_devon_cornwall_street_2020-01_to_2020-03") }
    static var bundledCounts: String { BundledData.path("datasets/police_uk_devon_cornwall_lsoa_counts_2022-05_to_2023-12/lsoa_month_counts.csv") }
    static var bundledModel: String { BundledData.path("models/dc_violence_cell500.json") }

    public static let spec = CommandSpec(
        name: "report",
        abstract: "Write one HTML report: summary, trends, maps, deprivation, risk, bias audit, manifest.",
        discussion: """
        With no inputs it runs on the bundled datasets/ (street files 2020-01..03, the 20-month LSOA counts
        for trends, IMD 2019, LSOA boundaries, models/dc_violence_cell500.json). Writes FILE.html (inline
        SVG and CSS: no JavaScript, nothing fetched) and FILE_files/ beside it with every result the page
        was drawn from (CSV, JSON, ESRI ASCII grid) and manifest.json. Sections that lack their inputs
        (one month only, no IMD, no boundaries, no violence in the period) are omitted with a note.
        """,
        positional: "inputs",
        positionalHelp: "police.uk street CSV files or folders (default: the bundled data).",
        positionalRequired: false,
        options: [
            OptionSpec("--out", value: "file", help: "The report .html (default out/report.html)."),
            OptionSpec.imd,
            OptionSpec.boundaries("maps, LSOA areas and contiguity"),
            OptionSpec("--counts", value: "file", help: "LSOA x month counts CSV for change tests and emerging hot spots (default with no inputs: the bundled 20 months)."),
            OptionSpec("--model", value: "file", help: "Risk model file (default with no inputs: models/dc_violence_cell500.json; otherwise a lag_1,kde_past logistic model is fitted)."),
            OptionSpec.harmWeights("weights KDE, Gi* and the harm totals"),
            OptionSpec.cell("500; the grid of KDE and Gi*"),
            OptionSpec("--band", value: "metres", help: "Gi* distance band (default 2 cells)."),
            OptionSpec("--bandwidth", value: "metres|rule", help: "KDE quartic radius in metres, or silverman (ArcGIS), scott, spatstat (default 1000 m: force-wide rules smooth towns away)."),
        ] + OptionSpec.inference + OptionSpec.policeFilters + OptionSpec.runControls
    )

    public static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        let ctx = try ReportContext(ReportOptions(a), io: io)
        do { try write(ctx, io: io) } catch { ctx.discardResults(); throw error }
    }

    static func write(_ ctx: ReportContext, io: CLIOutput) throws {
        // Deprivation inputs (IMD + population), shared by maps, deprivation and the bias audit.
        let imdPaths = ctx.options.deprivation.imdPaths
        if imdPaths.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) {
            do { ctx.deprivation = try DeprivationInputs(ctx.options.deprivation, io: io, preloaded: ctx.inputs, boundaries: ctx.boundaries); ctx.inputFiles += imdPaths } catch {
                ctx.deprivationNote = "IMD could not be joined (\(plainDescription(error)))"
            }
        } else {
            ctx.deprivationNote = "IMD file '\(imdPaths.first { !FileManager.default.fileExists(atPath: $0) }!)' not found (give --imd)"
        }
        if ctx.boundaries == nil { ctx.deprivationNote = (ctx.deprivationNote.map { $0 + "; " } ?? "") + "LSOA boundaries not found (give --boundaries)" }
        if let b = ctx.boundaries { ctx.inputFiles.append(b.path) }
        var doc = HTMLDocument(title: "PlaceRisk report: \(ctx.types.map(\.label).sorted().joined(separator: ", "))",
                               subtitle: ["Place-based analysis of recorded crime, \(ctx.inputs!.months.first)…\(ctx.inputs!.months.last). PlaceRisk \(PlaceRiskVersion.string)."])
        let t0 = Date()
        // A section that fails on these data is replaced by a note saying why; the rest still renders.
        func guarded(_ id: String, _ heading: String, _ body: () throws -> HTMLSection) throws -> HTMLSection {
            do { return try body() } catch let e as UsageError { throw e } catch {
                ctx.progress("\(heading): omitted (\(plainDescription(error)))")
                return HTMLSection(id: id, heading: heading, blocks: [.warning("This section could not be computed on these data: \(plainDescription(error)).")])
            }
        }
        doc.append(try guarded("summary", "1. Summary") { try ReportSummary.section(ctx) })
        doc.append(try guarded("trends", "2. Trends") { try ReportTrends.section(ctx).0 })
        doc.append(try guarded("maps", "3. Maps") { try ReportMaps.section(ctx) })
        doc.append(try guarded("deprivation", "4. Deprivation") { try ReportDeprivation.section(ctx) })
        var holdout: ReportRisk.Holdout?
        doc.append(try guarded("risk", "5. Risk") { let (s, h) = try ReportRisk.section(ctx); holdout = h; return s })
        doc.append(try guarded("bias", "6. Bias audit") { try ReportBiasAudit.section(ctx, holdout) })
        ctx.progress("sections done in \(String(format: "%.1f", Date().timeIntervalSince(t0))) s")
        var hashes: [(String, String)] = []
        for p in Array(Set(ctx.inputFiles)).sorted() { hashes.append((p, try SHA256.hexDigest(path: p))) }
        let manifest = Self.manifest(ctx, files: hashes)
        try ctx.writeJSON(manifest, "manifest.json")
        try ctx.writeJSON(.object(ctx.numbers), "report.json")
        doc.append(Self.manifestSection(ctx, manifest, files: hashes))
        try IncidentInputs.writeAccounting(IncidentInputs.ledgerJSON(ctx.selection.accounting, files: ctx.inputs!.files, diagnostics: ctx.inputs!.diagnostics), to: ctx.options.input.accounting)
        let page = doc.render()
        try ctx.commitResults()
        do { try page.write(toFile: ctx.out, atomically: true, encoding: .utf8) } catch {
            throw RuntimeError("cannot write \(ctx.out): \(plainDescription(error))")
        }
        if !ctx.quiet { io.err(AccountingReport.table(ctx.selection.accounting, title: "Rows (\(ctx.inputs!.files.count) file(s))")) }
        ctx.progress("wrote \(ctx.out) and \(ctx.dataDir)/")
    }

    static func manifest(_ ctx: ReportContext, files hashes: [(String, String)]) -> JSONValue {
        let files: [JSONValue] = hashes.map { .object([("path", .string($0.0)), ("sha256", .string($0.1))]) }
        let iso = ISO8601DateFormatter()
        return .object([
            ("placerisk_version", .string(PlaceRiskVersion.string)), ("run_started", .string(iso.string(from: ctx.started))),
            ("run_seconds", .number((Date().timeIntervalSince(ctx.started) * 10).rounded() / 10)),
            ("command", .string((["placerisk", "report"] + CommandLine.arguments.dropFirst(2)).joined(separator: " "))),
            ("inputs", .array(files)), ("parameters", .object(ctx.parameters)),
            ("crs", .string("EPSG:27700 British National Grid, metres; grid origin lower-left, ESRI ASCII rows north first")),
        ])
    }

    static func manifestSection(_ ctx: ReportContext, _ m: JSONValue, files hashes: [(String, String)]) -> HTMLSection {
        let rows = hashes.map { [$0.0, $0.1] }
        let params = ctx.parameters.map { [$0.0, $0.1.serialized(pretty: false)] }
        return HTMLSection(id: "manifest", heading: "7. Manifest", blocks: [
            .table(HTMLTable(header: ["Input", "SHA-256"], rows: rows)),
            .table(HTMLTable(header: ["Parameter", "Value"], rows: params + [["PlaceRisk version", PlaceRiskVersion.string],
                                                                             ["run time", String(format: "%.1f s", Date().timeIntervalSince(ctx.started))]])),
            .paragraph("The same manifest is in \(ctx.dataLink)/manifest.json, beside every result this page was drawn from."),
        ])
    }
}
