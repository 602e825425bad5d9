import PlaceRiskCore
import PlaceRiskIO
import PlaceRiskReport
import Foundation

/// Everything the sections of `placerisk report` read, loaded once before any section runs and never
/// changed after: the options, the incidents and the rows analysed, the boundaries, the deprivation
/// join, the LSOA × month series for trends and the risk model. Sections compute from it and return a
/// `SectionOutput`; they write nothing into it.
final class ReportInputs: @unchecked Sendable {
    let options: ReportOptions
    let io: CLIOutput
    var quiet: Bool { options.quiet }
    let started = Date()
    /// Sections run concurrently; their progress lines are written one at a time.
    private let progressLock = NSLock()
    var out: String { options.out }
    /// The results folder beside the page (`FILE_files`), replaced as a whole when the run succeeds.
    let dataDir: String
    /// Police street incidents (all types loaded; the study area counts any type).
    let inputs: IncidentInputs?
    /// The analysed crime types (default violence).
    var types: Set<CrimeType> { options.types }
    /// Harm weights per crime type (`--weights`), or nil.
    let harm: [CrimeType: Double]?
    /// District → partnership (`--partnerships`), or nil.
    let partnerships: PartnershipLookup?
    /// LSOA polygons in BNG (nil when the boundaries are missing).
    let boundaries: LSOABoundaries?
    /// LSOA → deprivation inputs (nil when IMD is missing or does not join, with the reason).
    let deprivation: DeprivationInputs?
    let deprivationNote: String?
    /// LSOA, MSOA (House of Commons Library) and district names of every LSOA in the IMD table.
    let names: PlaceNames?
    var countsPath: String? { options.counts }
    /// The LSOA × month series for change tests and emerging hot spots (the counts table when given).
    let lsoaSeries: LSOASeries?
    var modelPath: String? { options.model }
    /// The risk model file (nil: the report fits a default model).
    let model: RiskModelFile?
    /// The rows the report analyses (analysed types, the period, LSOAs of the study area) and their ledger.
    let selection: IncidentSelection
    /// Monthly counts per crime type over the study area (summary and trends).
    let typeSeries: [CrimeType: [Double]]
    /// Input files read, for the manifest (police files, lookup, weights, IMD, boundaries, counts, model).
    let inputFiles: [String]
    /// The run's own parameters for the manifest (each section adds its own through its output).
    let parameters: [(String, JSONValue)]
    var seed: UInt64 { options.inference.seed }
    var permutations: Int { options.inference.permutations }
    var fdr: Double { options.inference.fdr ?? InferenceOptions.defaultFDR }
    var cell: Double { options.cell }
    var band: Double { options.band }
    /// KDE quartic radius in metres, or a rule (`--bandwidth`, default 1000 m).
    var kdeBandwidth: KDEBandwidthChoice { options.kdeBandwidth }

    /// - Parameter shared: the files already read (`report --each-district` reads them once for every
    ///   district's report); nil reads them here.
    init(_ o: ReportOptions, io: CLIOutput, shared: ReportSharedInputs? = nil) throws {
        options = o
        self.io = io
        dataDir = String(o.out.dropLast(5)) + "_files"
        harm = try o.weights.map { try CrimeTypeWeights.load(path: $0) }
        partnerships = try o.partnerships.map { try PartnershipLookup.load(path: $0) }
        let base = try shared ?? ReportSharedInputs(o, io: io)
        let incidents = base.incidents
        let imdPaths = o.deprivation.imdPaths
        let boundaries = base.boundaries
        self.boundaries = boundaries
        inputs = incidents
        var files = incidents.files.map(\.path)
        if FileManager.default.fileExists(atPath: o.input.lookupPath) { files.append(o.input.lookupPath) }
        if let w = o.weights { files.append(w) }
        if let p = o.partnerships { files.append(p) }
        selection = incidents.select(types: o.types, units: .lsoa(incidents.study))
        typeSeries = incidents.typeSeries()
        // Deprivation inputs (IMD + population), shared by maps, deprivation and the bias audit.
        var depNote: String?
        var dep: DeprivationInputs?
        if let table = base.imd {
            do { dep = try DeprivationInputs(o.deprivation, io: io, preloaded: incidents, boundaries: boundaries, imd: try table.get()); files += imdPaths } catch {
                depNote = "IMD could not be joined (\(plainDescription(error)))"
            }
        } else {
            depNote = "IMD file '\(imdPaths.first { !FileManager.default.fileExists(atPath: $0) }!)' not found (give --imd)"
        }
        if boundaries == nil { depNote = (depNote.map { $0 + "; " } ?? "") + "LSOA boundaries not found (give --boundaries)" }
        if let b = boundaries { files.append(b.path) }
        deprivation = dep
        deprivationNote = depNote
        names = dep.map { PlaceNames($0.imd) }
        areaName = Self.areaName(incidents.study, dep)
        // The LSOA × month series: the counts table when given (it is longer), else the analysed types.
        if let path = o.counts {
            var b = o.input.reading([path])
            b.quiet = true
            b.common.filter.from = nil; b.common.filter.to = nil
            let t = try PanelCountsTable(b, io: io, boundariesPath: LSOABoundaries.path(o.deprivation.boundaries))
            files.append(path)
            lsoaSeries = LSOASeries(codes: t.panel.units, months: t.panel.months, counts: t.panel.counts,
                                    source: "all crime, LSOA counts table \((path as NSString).lastPathComponent)")
        } else if let sa = incidents.study {
            lsoaSeries = LSOASeries(codes: sa.lsoaCodes, months: incidents.months, counts: IncidentPanelCounts.lsoaMonth(incidents.table, used: selection.used, units: sa.lsoaCodes, months: incidents.months),
                                    source: o.types.map(\.label).sorted().joined(separator: ", "))
        } else { lsoaSeries = nil }
        if let p = o.model { model = try RiskModelFile.read(path: p); files.append(p) } else { model = nil }
        inputFiles = files
        parameters = [
            ("crime_types", .array(o.types.sorted().map { .string($0.label) })),
            ("cell_m", .number(o.cell)), ("gistar_band_m", .number(o.band)), ("gistar_weighting", .string("binary, cells whose centres are within the band")),
            ("fdr_alpha", .number((o.inference.fdr ?? InferenceOptions.defaultFDR))), ("permutations", .int(o.inference.permutations)), ("seed", .int(Int(o.inference.seed))),
            ("study_area", .string("districts touched at >= 50 % of their LSOAs (conventions 8)")),
        ]
        progress("ingest: \(incidents.table.count) incidents from \(incidents.files.count) files")
    }

    /// Progress on stderr with the elapsed time (silenced by `--quiet`).
    func progress(_ text: String) {
        guard !quiet else { return }
        progressLock.lock(); defer { progressLock.unlock() }
        io.err(String(format: "[%6.1f s] ", Date().timeIntervalSince(started)) + text + "\n")
    }

    var dataLink: String { (dataDir as NSString).lastPathComponent }

    /// "Cornwall 052C, Penzance North (Cornwall)" — the LSOA's name, its MSOA's House of Commons Library
    /// name and its district; the bare code when the names are missing.
    func placeLabel(_ lsoa: String) -> String {
        guard let p = names?[lsoa: lsoa] else { return lsoa }
        return "\(p.lsoaName), \(p.msoaName) (\(p.districtName))"
    }

    /// lsoa_name, msoa_name, district_name for result CSVs ("" when unknown).
    func nameColumns(_ lsoa: String?) -> [String] {
        guard let c = lsoa, let p = names?[lsoa: c] else { return ["", "", ""] }
        return [p.lsoaName, p.msoaName, p.districtName]
    }

    /// The study area's district names, e.g. "Cornwall and Isles of Scilly".
    let areaName: String

    private static func areaName(_ study: StudyArea?, _ deprivation: DeprivationInputs?) -> String {
        guard let sa = study else { return "the study area" }
        let names = deprivation?.imd.districtLookup.districtNames ?? [:]
        let list = sa.districts.map { names[$0] ?? $0 }
        return list.count <= 1 ? (list.first ?? "the study area") : list.dropLast().joined(separator: ", ") + " and " + list.last!
    }

    /// An incident's weight: 1, or its harm weight.
    func weight(_ type: CrimeType) -> Double { harm?[type] ?? 1 }

    /// Polygons (BNG) of LSOA codes, in order (nil when the boundaries are missing or lack a code).
    func polygons(of codes: [String]) -> [MultiPolygon]? { boundaries?.polygons(of: codes) }

    /// Why the area's LSOAs cannot be drawn: "the boundaries file X has no polygon for N of the area's
    /// M LSOAs (e.g. …)"; nil when every LSOA has one.
    var missingBoundariesNote: String? {
        guard let sa = inputs?.study else { return nil }
        guard let b = boundaries else { return "no LSOA boundaries (give --boundaries)" }
        let missing = sa.lsoaCodes.filter { b.index[$0] == nil }
        guard !missing.isEmpty else { return nil }
        return "the boundaries file \(b.path) has no polygon for \(missing.count) of the area's \(sa.lsoaCodes.count) LSOAs (e.g. \(missing.prefix(3).joined(separator: ", ")))"
    }

    /// Attribution lines for maps (OGL, ONS, OS).
    var attribution: [String] {
        [MapDecorations.policeUKAttribution,
         "Boundaries: ONS LSOA (Dec 2011) BSC, Open Government Licence v3.0. Contains OS data © Crown copyright and database right.",
         "Deprivation and population: English Indices of Deprivation 2019 (MHCLG), Open Government Licence v3.0."]
    }
}

/// An LSOA × month series (`counts[u · T + t]`) and where it came from.
struct LSOASeries: Sendable {
    let codes: [String]
    let months: MonthRange
    let counts: [Double]
    let source: String
}

/// The files every report reads before its sections: the street incidents (with the study area of
/// the options), the LSOA boundaries and the IMD table (nil when its files are missing; a failure is
/// kept and becomes the deprivation note).
struct ReportSharedInputs: @unchecked Sendable {
    let incidents: IncidentInputs
    let boundaries: LSOABoundaries?
    let imd: Result<IMDTable, any Error>?

    /// Reads them: the boundaries and the IMD table on one core while the street files are read on the
    /// others (independent inputs).
    init(_ o: ReportOptions, io: CLIOutput) throws {
        var quietInput = o.input
        quietInput.quiet = true
        let imdPaths = o.deprivation.imdPaths
        let imdPresent = imdPaths.allSatisfy { FileManager.default.fileExists(atPath: $0) }
        let (side, incidents) = try concurrently({ () throws -> (LSOABoundaries?, Result<IMDTable, any Error>?) in
            let b = try LSOABoundaries.load(o.deprivation.boundaries)
            return (b, imdPresent ? Result { try DeprivationInputs.loadIMD(imdPaths) } : nil)
        }, { [quietInput] in try IncidentInputs(quietInput, core: true, io: io) })
        self.init(incidents: incidents, boundaries: side.0, imd: side.1)
    }

    init(incidents: IncidentInputs, boundaries: LSOABoundaries?, imd: Result<IMDTable, any Error>?) {
        self.incidents = incidents
        self.boundaries = boundaries
        self.imd = imd
    }
}
