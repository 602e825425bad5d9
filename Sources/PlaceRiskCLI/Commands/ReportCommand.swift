import PlaceRiskCore
import PlaceRiskIO
import PlaceRiskReport
import Foundation

/// `placerisk report`: one self-contained HTML page (inline SVG and CSS, no JavaScript, no network)
/// with summary, trends, maps, deprivation, risk, bias audit and manifest; the results beside it.
public enum ReportCommand: Subcommand {
    static var bundledPolice: String { BundledData.path("datasets/police_uk_devon_cornwall_street_2016-01_to_2017-11") }
    static var bundledCounts: String { BundledData.path("datasets/police_uk_devon_cornwall_lsoa_counts_2022-05_to_2023-12/lsoa_month_counts.csv") }
    static var bundledModel: String { BundledData.path("models/dc_violence_cell500.json") }
    static var bundledPartnerships: String { BundledData.path("datasets/partnerships/devon_cornwall_community_safety_partnerships.csv") }

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
            OptionSpec("--pdf", value: "file", help: "Also print the page to this PDF (A4, page breaks between sections; needs headless Chromium)."),
            OptionSpec("--area", value: "districts", help: "The partnership's area: district names or codes, comma-separated (e.g. \"Cornwall,Isles of Scilly\" for Safer Cornwall); every section is restricted to it and a table compares it with the force's other districts."),
            OptionSpec("--each-district", help: "One report per district of the inputs' study area (DIR/<district>.html, each with its results folder) and an index page at --out comparing them (rate per 1,000, change, concentration, D1/D10, trend); the files are read once."),
            OptionSpec("--partnerships", value: "file", help: "District -> partnership CSV (district_code, partnership) for the comparison by partnership (default: the bundled Devon & Cornwall community safety partnerships)."),
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
        let o = try ReportOptions(a)
        if o.eachDistrict { return try EachDistrictReport.run(o, io: io) }
        let folder = ResultsFolder(final: String(o.out.dropLast(5)) + "_files")
        try folder.prepare()
        do { try write(ReportInputs(o, io: io), folder, io: io) } catch { folder.discard(); throw error }
    }

    /// The pipeline: inputs loaded once → one output per section → files, report.json and the manifest
    /// derived from the outputs → the page; the results folder replaces the earlier one last.
    /// Returns the key numbers (`report.json`).
    @discardableResult
    static func write(_ r: ReportInputs, _ folder: ResultsFolder, io: CLIOutput) throws -> [(String, JSONValue)] {
        let t0 = Date()
        // The risk section (the backtest, the longest) runs beside the others and the hashing of the
        // inputs; the bias audit needs its hold-out month. Each section computes from `r` alone, so the
        // outputs are those of running them one after another.
        let (risk, (early, late, inputHashes)) = try concurrently({
            try guarded(r, "risk", "5. Risk") { try ReportRisk.section(r) }
        }, {
            let early = [try guarded(r, "summary", "1. Summary") { try ReportSummary.section(r) },
                         try guarded(r, "trends", "2. Trends") { try ReportTrends.section(r).0 },
                         try guarded(r, "maps", "3. Maps") { try ReportMaps.section(r) },
                         try guarded(r, "deprivation", "4. Deprivation") { try ReportDeprivation.section(r) }]
            let late = [try guarded(r, "power", "6b. What change can we detect?") { try ReportPower.section(r) }] + (try ReportDatedSources.sections(r))
            return (early, late, try Self.hashes(Array(Set(r.inputFiles)).sorted()))
        })
        let bias = try guarded(r, "bias", "6. Bias audit") { try ReportBiasAudit.section(r, risk.1) }
        let outputs = early + [risk.0, bias] + late
        r.progress("sections done in \(String(format: "%.1f", Date().timeIntervalSince(t0))) s")
        let known = Set(inputHashes.map(\.0))
        let more = try Self.hashes(Array(Set(outputs.flatMap(\.inputsRead)).subtracting(known)))
        let hashes = (inputHashes + more).sorted { $0.0 < $1.0 }
        let parameters = r.parameters + outputs.flatMap(\.parameters)
        let manifest = Self.manifest(r, parameters: parameters, files: hashes)
        let files = outputs.flatMap(\.files) + [.json(name: "manifest.json", value: manifest), .json(name: "report.json", value: .object(outputs.flatMap(\.numbers)))]
        for f in files { try f.write(into: folder.staging) }
        var doc = HTMLDocument(title: "PlaceRisk report: \(r.types.map(\.label).sorted().joined(separator: ", "))",
                               subtitle: ["Place-based analysis of recorded crime, \(r.inputs!.months.first)…\(r.inputs!.months.last). PlaceRisk \(PlaceRiskVersion.string)."])
        doc.append(Self.keyFindings(r, outputs.flatMap(\.findings)))
        // Every section names its data and period at its top.
        let dataLine = "Data: \(r.types.map(\.label).sorted().joined(separator: ", ")) recorded by the police (police.uk street-level files), \(r.areaName), \(r.inputs!.months.first)…\(r.inputs!.months.last)."
        for var s in outputs.compactMap(\.section) {
            var line = dataLine
            if s.id == "trends", let series = r.lsoaSeries, r.options.counts != nil {
                line += " Change tests and emerging hot spots: \(series.source), \(series.months.first)…\(series.months.last) (an optional input, given with --counts)."
            }
            if !ReportDatedSources.ids.contains(s.id) { s.blocks.insert(.note(line), at: 0) }
            doc.append(s)
        }
        doc.append(Self.manifestSection(r, parameters: parameters, files: hashes))
        try IncidentInputs.writeAccounting(IncidentInputs.ledgerJSON(r.selection.accounting, files: r.inputs!.files, diagnostics: r.inputs!.diagnostics), to: r.options.input.accounting)
        let page = doc.render()
        try folder.commit()
        do { try page.write(toFile: r.out, atomically: true, encoding: .utf8) } catch {
            throw RuntimeError("cannot write \(r.out): \(plainDescription(error))")
        }
        if let pdf = r.options.pdf {
            createParentFolder(of: pdf)
            try PDFExport.render(html: r.out, to: pdf)
            r.progress("wrote \(pdf)")
        }
        if !r.quiet { io.err(AccountingReport.table(r.selection.accounting, title: "Rows (\(r.inputs!.files.count) file(s))")) }
        r.progress("wrote \(r.out) and \(r.dataDir)/")
        return outputs.flatMap(\.numbers)
    }

    /// A section that fails on these data becomes a note saying why; the rest still renders.
    static func guarded(_ r: ReportInputs, _ id: String, _ heading: String, _ body: () throws -> SectionOutput) throws -> SectionOutput {
        try guarded(r, id, heading) { (try body(), ()) }.0
    }

    static func guarded<Extra>(_ r: ReportInputs, _ id: String, _ heading: String, _ body: () throws -> (SectionOutput, Extra?)) throws -> (SectionOutput, Extra?) {
        do { return try body() } catch let e as UsageError { throw e } catch {
            r.progress("\(heading): omitted (\(plainDescription(error)))")
            return (.omitted(id: id, heading: heading, because: plainDescription(error)), nil)
        }
    }

    /// SHA-256 of every input file for the manifest, the files hashed in parallel (order kept).
    static func hashes(_ paths: [String]) throws -> [(String, String)] {
        final class Box: @unchecked Sendable {
            var digests: [Result<String, CSVError>?]
            init(_ n: Int) { digests = [Result<String, CSVError>?](repeating: nil, count: n) }
        }
        let box = Box(paths.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            let r: Result<String, CSVError>
            do throws(CSVError) { r = .success(try SHA256.hexDigest(path: paths[i])) } catch { r = .failure(error) }
            lock.lock(); box.digests[i] = r; lock.unlock()
        }
        var out: [(String, String)] = []
        for i in paths.indices {
            switch box.digests[i]! {
            case .success(let d): out.append((paths[i], d))
            case .failure(let e): throw e
            }
        }
        return out
    }

    /// The opening list a board paper can quote: each finding with its number and a link to its section.
    static func keyFindings(_ r: ReportInputs, _ findings: [Finding]) -> HTMLSection {
        let period = r.inputs.map { "\($0.months.first)…\($0.months.last)" } ?? ""
        var html = "<p>\(HTMLEscape.text("\(r.areaName), \(period): \(r.types.map(\.label).sorted().joined(separator: ", ")) recorded by the police (police.uk). Each point links to the section that shows it."))</p><ul class=\"findings\">"
        for f in findings { html += "<li>\(HTMLEscape.text(f.text)) <a href=\"#\(f.section)\">(details)</a></li>" }
        html += "</ul>"
        return HTMLSection(id: "key-findings", heading: "Key findings", blocks: findings.isEmpty ? [.note("No finding could be computed on these data; see the sections below.")] : [.trustedHTML(html)])
    }

    static func manifest(_ ctx: ReportInputs, parameters: [(String, JSONValue)], files hashes: [(String, String)]) -> JSONValue {
        let files: [JSONValue] = hashes.map { .object([("path", .string($0.0)), ("sha256", .string($0.1))]) }
        let iso = ISO8601DateFormatter()
        return .object([
            ("placerisk_version", .string(PlaceRiskVersion.string)), ("run_started", .string(iso.string(from: ctx.started))),
            ("run_seconds", .number((Date().timeIntervalSince(ctx.started) * 10).rounded() / 10)),
            ("command", .string((["placerisk", "report"] + CommandLine.arguments.dropFirst(2)).joined(separator: " "))),
            ("inputs", .array(files)), ("parameters", .object(parameters)),
            ("crs", .string("EPSG:27700 British National Grid, metres; grid origin lower-left, ESRI ASCII rows north first")),
        ])
    }

    static func manifestSection(_ ctx: ReportInputs, parameters: [(String, JSONValue)], files hashes: [(String, String)]) -> HTMLSection {
        let rows = hashes.map { [$0.0, $0.1] }
        let params = parameters.map { [$0.0, $0.1.serialized(pretty: false)] }
        return HTMLSection(id: "manifest", heading: "7. Manifest", blocks: [
            .table(HTMLTable(header: ["Input", "SHA-256"], rows: rows)),
            .table(HTMLTable(header: ["Parameter", "Value"], rows: params + [["PlaceRisk version", PlaceRiskVersion.string],
                                                                             ["run time", String(format: "%.1f s", Date().timeIntervalSince(ctx.started))]])),
            .paragraph("The same manifest is in \(ctx.dataLink)/manifest.json, beside every result this page was drawn from."),
        ])
    }
}
