import PlaceRiskCore
import PlaceRiskIO
import PlaceRiskReport
import Foundation

/// What every section of `placerisk report` shares: the loaded inputs, the parameters, the folder of
/// machine-readable results beside the HTML, progress on stderr, and the manifest being built.
final class ReportContext {
    let options: ReportOptions
    let io: CLIOutput
    let quiet: Bool
    let started = Date()
    let out: String
    /// The results folder beside the page (`FILE_files`), replaced as a whole when the run succeeds.
    let dataDir: String
    /// Where this run writes its results until it succeeds (a fresh folder beside `dataDir`).
    let stagingDir: String
    /// Police street incidents (all types loaded; the study area counts any type).
    let inputs: IncidentInputs?
    /// The analysed crime types (default violence).
    let types: Set<CrimeType>
    /// Harm weights per crime type (`--weights`), or nil.
    let harm: [CrimeType: Double]?
    /// LSOA polygons in BNG (nil when the boundaries are missing).
    let boundaries: LSOABoundaries?
    /// LSOA → deprivation inputs (nil when IMD is missing or does not join).
    var deprivation: DeprivationInputs?
    var deprivationNote: String?
    let countsPath: String?
    let modelPath: String?
    let seed: UInt64
    let permutations: Int
    let fdr: Double
    let cell: Double
    let band: Double
    /// KDE quartic radius in metres, or a rule (`--bandwidth`, default 1000 m).
    let kdeBandwidth: KDEBandwidthChoice
    var parameters: [(String, JSONValue)] = []
    var inputFiles: [String] = []
    /// Key numbers of every table, written to report.json beside the HTML (the test compares them).
    var numbers: [(String, JSONValue)] = []

    init(_ o: ReportOptions, io: CLIOutput) throws {
        options = o
        self.io = io
        quiet = o.quiet
        out = o.out
        dataDir = String(out.dropLast(5)) + "_files"
        stagingDir = dataDir + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        cell = o.cell
        band = o.band
        fdr = o.inference.fdr!
        permutations = o.inference.permutations
        seed = o.inference.seed
        kdeBandwidth = o.kdeBandwidth
        types = o.types
        harm = try o.weights.map { try CrimeTypeWeights.load(path: $0) }
        countsPath = o.counts
        modelPath = o.model
        boundaries = try LSOABoundaries.load(o.deprivation.boundaries)
        // Check the output can be written before the long steps.
        createParentFolder(of: out)
        try? FileManager.default.removeItem(atPath: stagingDir)
        do { try FileManager.default.createDirectory(atPath: stagingDir, withIntermediateDirectories: true) } catch {
            throw RuntimeError("cannot create \(stagingDir): \(plainDescription(error))")
        }
        guard FileManager.default.isWritableFile(atPath: stagingDir) else { throw RuntimeError("cannot write to \(stagingDir)") }
        var quietInput = o.input
        quietInput.quiet = true
        inputs = try IncidentInputs(quietInput, core: true, io: io)
        inputFiles = inputs!.files.map(\.path)
        if FileManager.default.fileExists(atPath: o.input.lookupPath) { inputFiles.append(o.input.lookupPath) }
        if let w = o.weights { inputFiles.append(w) }
        progress("ingest: \(inputs!.table.count) incidents from \(inputs!.files.count) files")
        parameters = [
            ("crime_types", .array(types.sorted().map { .string($0.label) })),
            ("cell_m", .number(cell)), ("gistar_band_m", .number(band)), ("gistar_weighting", .string("binary, cells whose centres are within the band")),
            ("fdr_alpha", .number(fdr)), ("permutations", .int(permutations)), ("seed", .int(Int(seed))),
            ("study_area", .string("districts touched at >= 50 % of their LSOAs (conventions 8)")),
        ]
    }

    /// Progress on stderr with the elapsed time (silenced by `--quiet`).
    func progress(_ text: String) {
        guard !quiet else { return }
        io.err(String(format: "[%6.1f s] ", Date().timeIntervalSince(started)) + text + "\n")
    }

    /// A file in the results folder (path relative to the HTML for links).
    func dataPath(_ name: String) -> String { stagingDir + "/" + name }

    /// Replaces the results folder of an earlier run by this run's (after every result is written).
    func commitResults() throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: dataDir) {
            do { try fm.removeItem(atPath: dataDir) } catch { throw RuntimeError("cannot replace \(dataDir): \(plainDescription(error))") }
        }
        do { try fm.moveItem(atPath: stagingDir, toPath: dataDir) } catch {
            throw RuntimeError("cannot move the results to \(dataDir): \(plainDescription(error))")
        }
    }

    /// Removes this run's partial results (the run failed; an earlier run's folder is left as it was).
    func discardResults() { try? FileManager.default.removeItem(atPath: stagingDir) }
    var dataLink: String { (dataDir as NSString).lastPathComponent }

    func writeJSON(_ j: JSONValue, _ name: String) throws {
        do { try (j.serialized() + "\n").write(toFile: dataPath(name), atomically: true, encoding: .utf8) } catch {
            throw RuntimeError("cannot write \(dataPath(name)): \(error.localizedDescription)")
        }
    }

    func writeCSV(_ rows: [[String]], _ name: String) throws {
        let w = try CSVWriter(path: dataPath(name))
        for r in rows { try w.writeRow(r) }
        try w.close()
    }

    /// The rows the report analyses (analysed types, the period, LSOAs of the study area) and their ledger.
    lazy var selection: IncidentSelection = inputs!.select(types: types, units: .lsoa(inputs!.study))
    /// An incident's weight: 1, or its harm weight.
    func weight(_ type: CrimeType) -> Double { harm?[type] ?? 1 }
    /// Monthly counts per crime type over the study area (summary and trends).
    lazy var typeSeries: [CrimeType: [Double]] = inputs?.typeSeries() ?? [:]

    /// Polygons (BNG) of LSOA codes, in order (nil when the boundaries are missing or lack a code).
    func polygons(of codes: [String]) -> [MultiPolygon]? { boundaries?.polygons(of: codes) }

    /// Attribution lines for maps (OGL, ONS, OS).
    var attribution: [String] {
        [MapDecorations.policeUKAttribution,
         "Boundaries: ONS LSOA (Dec 2011) BSC, Open Government Licence v3.0. Contains OS data © Crown copyright and database right.",
         "Deprivation and population: English Indices of Deprivation 2019 (MHCLG), Open Government Licence v3.0."]
    }
}

/// Number formatting for report tables.
enum Fmt {
    static func int(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        let n = Int(v.rounded())
        let s = String(abs(n))
        var out = ""
        for (i, ch) in s.enumerated() { if i > 0, (s.count - i) % 3 == 0 { out.append(",") }; out.append(ch) }
        return (n < 0 ? "−" : "") + out
    }
    static func num(_ v: Double?, _ d: Int = 2) -> String {
        guard let v, v.isFinite else { return "–" }
        return String(format: "%.\(d)f", v).replacingOccurrences(of: "-", with: "−")
    }
    static func pct(_ v: Double?, _ d: Int = 1) -> String {
        guard let v, v.isFinite else { return "–" }
        return String(format: "%.\(d)f\u{00A0}%%", 100 * v).replacingOccurrences(of: "-", with: "−")
    }
}
