import PlaceRiskCore
import Foundation
import PlaceRiskIO

/// The options of `report`, parsed and checked before any file is read. With no inputs the report runs
/// on the bundled data (street files, the 20-month LSOA counts for trends, the shipped cell model).
struct ReportOptions: Sendable {
    /// The street inputs: every crime type is loaded (the study area and the summary count all of them).
    var input: InputOptions
    /// `--imd`, `--boundaries`, the analysed types: shared with `correlate`.
    var deprivation: DeprivationOptions
    var out: String
    /// `--counts`: the LSOA × month table for change tests and emerging hot spots.
    var counts: String?
    /// `--model`: the risk model file.
    var model: String?
    /// `--weights`: harm weights per crime type.
    var weights: String?
    var cell: Double
    var band: Double
    var kdeBandwidth: KDEBandwidthChoice
    var inference: InferenceOptions
    /// Whether the bundled data stand in for missing inputs.
    var bundled: Bool
    /// `--pdf`: also print the page to this PDF (A4, headless Chromium).
    var pdf: String?
    /// `--partnerships`: district → partnership CSV (default: the bundled one when it exists).
    var partnerships: String?
    /// `--each-district`: one report per district of the inputs' study area and an index page (`--out`).
    var eachDistrict: Bool
    /// `--incidents FILE --schema S`: the dated sources of the Time and Sources sections.
    var dated: DatedSourceOptions?

    init(_ a: ParsedArguments) throws {
        out = a.value("--out") ?? "out/report.html"
        guard out.lowercased().hasSuffix(".html") else { throw UsageError("--out must end in .html") }
        bundled = a.positionals.isEmpty
        let paths = bundled ? [ReportCommand.bundledPolice] : a.positionals
        var input = try InputOptions(a, paths: paths).allTypes
        // --area: the partnership's districts (names or codes); the report is restricted to them.
        if let area = a.value("--area") {
            guard input.districts == nil else { throw UsageError("give either --area or --districts, not both") }
            let list = area.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !list.isEmpty else { throw UsageError("--area needs district names or codes, e.g. \"Cornwall,Isles of Scilly\"") }
            input.districts = list
        }
        // A lookup from the IMD files when the bundled one is missing (a user's own tables).
        if input.lookup == nil, !FileManager.default.fileExists(atPath: IncidentInputs.defaultLookup), let imd = a.all("--imd").first { input.lookup = imd }
        // Dated sources (--incidents) feed the Time and Sources sections only: the police sections
        // (risk, maps, deprivation, trends) stay police.uk, so ED assaults are never added to police counts.
        dated = input.dated
        input.dated = nil
        self.input = input
        deprivation = try DeprivationOptions(a, paths: paths)
        deprivation.input.quiet = true
        deprivation.input.dated = nil
        cell = try a.value("--cell").map { try OptionValue.cell("--cell", $0) } ?? 500
        band = try OptionValue.reach("--band", a.value("--band").map { try OptionValue.metres("--band", $0) } ?? 2 * cell, cell: cell)
        kdeBandwidth = try Self.bandwidth(a.value("--bandwidth"), cell: cell)
        inference = try InferenceOptions(a, fdrDefault: InferenceOptions.defaultFDR)
        weights = a.value("--weights")
        pdf = a.value("--pdf")
        if let p = pdf, !p.lowercased().hasSuffix(".pdf") { throw UsageError("--pdf must end in .pdf") }
        eachDistrict = a.flag("--each-district")
        if eachDistrict, input.districts != nil {
            throw UsageError("--each-district writes one report for every district of the inputs; give it without --area / --districts")
        }
        if eachDistrict, pdf != nil { throw UsageError("--pdf prints one page; with --each-district print the pages one by one (report --area NAME --pdf FILE)") }
        let fm = FileManager.default
        // The LSOA counts table is an optional input (a longer series from another period); by default the
        // trends come from the street files themselves, so every section describes the same period.
        counts = a.value("--counts")
        partnerships = a.value("--partnerships") ?? (fm.fileExists(atPath: ReportCommand.bundledPartnerships) ? ReportCommand.bundledPartnerships : nil)
        model = a.value("--model") ?? (bundled && fm.fileExists(atPath: ReportCommand.bundledModel) ? ReportCommand.bundledModel : nil)
    }

    /// The analysed crime types.
    var types: Set<CrimeType> { deprivation.types }
    var quiet: Bool { input.quiet }

    /// `--bandwidth`: metres (at most 100 km and 2,000 cells) or a rule; default 1000 m (force-wide rules smooth towns away).
    static func bandwidth(_ text: String?, cell: Double) throws -> KDEBandwidthChoice {
        guard let text else { return .radius(1000) }
        if let rule = BandwidthRule(rawValue: text) { return .rule(rule) }
        guard Double(text) != nil else { throw UsageError("invalid --bandwidth '\(text)'; expected metres or silverman, scott, spatstat") }
        return .radius(try OptionValue.kernelRadius("--bandwidth", OptionValue.metres("--bandwidth", text), cell: cell))
    }
}
