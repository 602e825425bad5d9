import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// LSOA mode of `hotspots`: Gi* and LISA on LSOA values with contiguity from polygons.
enum LSOAHotspots {
    static let codeAliases = ["lsoa_code", "LSOA code", "LSOA11CD", "lsoa11cd", "LSOA code (2011)"]

    /// The options of LSOA hot spots, checked before any file is read.
    struct Options: Sendable {
        var input: InputOptions
        var inference: InferenceOptions
        var out: String
        var boundaries: String
        var lsoaValues: String?
        var valueColumn: String?
        var missingAsZero: Bool
        var alternative: Alternative
        /// `--neighbours`: queen, rook or knn:K.
        var neighbours: String
        var knn: Int?

        init(_ a: ParsedArguments, input: InputOptions, inference: InferenceOptions) throws {
            self.input = input
            self.inference = inference
            out = a.value("--out")!
            if out.lowercased().hasSuffix(".asc") { throw UsageError("LSOA results are polygons: write .csv or .geojson, not .asc") }
            boundaries = a.value("--boundaries") ?? HotspotsCommand.defaultBoundaries
            lsoaValues = a.value("--lsoa-values")
            valueColumn = a.value("--value-column")
            missingAsZero = a.flag("--missing-as-zero")
            guard let alt = Alternative(rawValue: a.value("--alternative") ?? "directional") else {
                throw UsageError("invalid --alternative '\(a.value("--alternative")!)'; expected directional, two-sided, greater or lesser")
            }
            alternative = alt
            neighbours = a.value("--neighbours") ?? "queen"
            if neighbours.hasPrefix("knn:") {
                guard let k = Int(neighbours.dropFirst(4)), k >= 1, k <= 1000 else { throw UsageError("invalid --neighbours '\(neighbours)'; expected knn:K with K from 1 to 1000") }
                knn = k
            } else if neighbours != "queen" && neighbours != "rook" {
                throw UsageError("invalid --neighbours '\(neighbours)'; expected queen, rook or knn:K")
            }
        }
    }

    static func run(_ o: Options, io: CLIOutput) throws {
        let out = o.out, quiet = o.input.quiet, boundaries = o.boundaries
        let fdrLevel = o.inference.fdr, perms = o.inference.permutations, seed = o.inference.seed
        let alternative = o.alternative, nbText = o.neighbours, knn = o.knn
        guard FileManager.default.fileExists(atPath: boundaries) else {
            throw RuntimeError("LSOA polygons '\(boundaries)' not found (give --boundaries FILE.geojson)")
        }
        let (codes, polygons, lonLat) = try GeoJSONReader.lsoaPolygons(path: boundaries)
        let position = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })
        var accounting = RowAccounting()
        var files: [(path: String, rowsRead: Int, rowsLoaded: Int)] = []
        var diagnostics: [(String, JSONValue)] = []
        var values: [Double]
        var valueName = "value"
        if let path = o.lsoaValues {
            (values, valueName) = try readValues(path: path, column: o.valueColumn, codes: codes, position: position,
                                                 missingAsZero: o.missingAsZero, accounting: &accounting)
            files = [(path, accounting.rowsRead, accounting.rowsUsed)]
        } else {
            let inc = try IncidentInputs(o.input, core: false, io: io)
            // The LSOAs of the boundaries are the study area.
            let selection = inc.select(types: nil, units: .lsoaSet(Set(codes)))
            accounting = selection.accounting
            files = inc.files
            diagnostics = inc.diagnostics
            values = IncidentPanelCounts.perLSOA(inc.table, used: selection.used, units: codes)
            valueName = "count"
        }
        let w: SpatialWeights
        if let k = knn {
            let cs = polygons.map(\.centroid)
            guard k < cs.count else { throw UsageError("--neighbours knn:\(k) needs fewer neighbours than the \(cs.count) LSOAs") }
            w = Contiguity.kNearest(x: cs.map(\.x), y: cs.map(\.y), k: k)
        } else {
            w = nbText == "rook" ? Contiguity.rook(polygons) : Contiguity.queen(polygons)
        }
        let gi: GiStarResult, lisa: LocalMoranResult, global: GlobalMoranResult
        do {
            gi = try GetisOrd.units(values, weights: w, fdr: fdrLevel != nil)
            lisa = try Moran.local(values, weights: w.rowStandardised, permutations: perms, alternative: alternative, seed: seed)
            global = try Moran.global(values, weights: w.rowStandardised, permutations: perms, alternative: alternative, seed: seed)
        } catch let e as GiStarError { throw RuntimeError(e.description) } catch let e as MoranError { throw RuntimeError(e.description) }

        let islands = w.islands.map { codes[$0] }
        createParentFolder(of: out)
        func row(_ i: Int) -> [(String, JSONValue)] {
            var r: [(String, JSONValue)] = [("lsoa_code", .string(codes[i])), (valueName, .number(values[i])),
                                            ("z", .number(gi.z[i])), ("p", .number(gi.p[i])), ("q", .number(gi.q[i])), ("bin", .int(Int(gi.bin[i]))),
                                            ("lisa_i", .number(lisa.I[i])), ("lisa_p", .number(lisa.p[i])), ("lisa_q", .number(lisa.q[i])),
                                            ("quadrant", .string(LocalMoranResult.label(lisa.quadrant[i])))]
            if let level = fdrLevel { r.append(("significant", .int(gi.q[i] <= level ? 1 : 0))) }
            return r
        }
        if out.lowercased().hasSuffix(".geojson") || out.lowercased().hasSuffix(".json") {
            try GeoJSONWriter.write(path: out, features: codes.indices.map { GeoJSONOutputFeature(geometry: lonLat[$0], properties: row($0)) })
        } else {
            let writer = try CSVWriter(path: out)
            try writer.writeRow(row(0).map(\.0))
            for i in codes.indices {
                try writer.writeRow(row(i).map { _, v in
                    switch v {
                    case .string(let s): return s
                    case .int(let n): return String(n)
                    case .number(let d): return d.isFinite ? d.shortDescription : ""
                    default: return ""
                    }
                })
            }
            try writer.close()
        }
        let meta: JSONValue = .object([
            ("placerisk_version", .string(PlaceRiskVersion.string)),
            ("command", .string("hotspots")),
            ("mode", .string("lsoa")),
            ("output", .string(out)),
            ("boundaries", .string(boundaries)),
            ("value", .string(o.lsoaValues != nil ? "column '\(valueName)' of \(o.lsoaValues!)" : "count of incidents per LSOA (zeros included)")),
            ("neighbours", .string(nbText)),
            ("islands", .array(islands.map { .string($0) })),
            ("gi_star", .string("z with binary weights plus w_ii = 1 (esda G_Local star=True, transform='B'); p two-sided; q BH")),
            ("lisa", .string("I_i = (n-1) z_i sum_j w_ij z_j / sum z^2 with row-standardised weights (esda Moran_Local); conditional permutations; islands: no p")),
            ("permutations", .int(perms)), ("seed", .int(Int(seed))), ("alternative", .string(alternative.rawValue)),
            ("fdr_level", fdrLevel.map { .number($0) } ?? .null),
            ("global_moran", .object([
                ("I", .number(global.I)), ("expected", .number(global.expected)),
                ("z_normal", .number(global.zNormal)), ("p_normal", .number(global.pNormal)),
                ("z_randomisation", .number(global.zRandomisation)), ("p_randomisation", .number(global.pRandomisation)),
                ("p_permutation", global.pPermutation.map { .number($0) } ?? .null),
            ])),
            ("accounting", AccountingReport.json(accounting, files: files)),
        ])
        try Metadata.write(meta, beside: out)
        if !files.isEmpty { try IncidentInputs.emitAccounting(accounting, files, o.input, io, diagnostics: diagnostics) }
        if !quiet {
            io.err("Global Moran's I = \(global.I) (z randomisation \(global.zRandomisation), p \(global.pRandomisation)\(global.pPermutation.map { ", permutation p \($0)" } ?? ""))\n")
            if !islands.isEmpty { io.err("  \(islands.count) LSOA(s) without neighbours (no LISA p): \(islands.prefix(5).joined(separator: ", "))\n") }
            io.err("Gi*: \(gi.bin.filter { $0 > 0 }.count) hot, \(gi.bin.filter { $0 < 0 }.count) cold LSOAs; LISA p <= 0.05: \(lisa.p.filter { $0 <= 0.05 }.count); wrote \(out)\n")
        }
    }

    /// Values per boundary LSOA from a CSV (LSOA code column + value column).
    static func readValues(path: String, column: String?, codes: [String], position: [String: Int], missingAsZero: Bool,
                           accounting: inout RowAccounting) throws -> ([Double], String) {
        var r = try CSVReader(path: path)
        guard try r.next() else { throw CSVError(.empty, file: path, line: 1, column: 1) }
        let header = r.fields
        guard let ci = header.firstIndex(where: { codeAliases.contains($0) }) else {
            throw CSVError(.missingColumn("lsoa_code"), file: path, line: 1, column: 1)
        }
        let vi: Int
        if let c = column {
            guard let i = header.firstIndex(of: c) else { throw CSVError(.missingColumn(c), file: path, line: 1, column: 1) }
            vi = i
        } else if let i = header.firstIndex(of: "value") ?? header.firstIndex(of: "count") {
            vi = i
        } else if header.count == 2 {
            vi = 1 - ci
        } else {
            throw UsageError("\(path) has several columns: name the value column with --value-column")
        }
        var values = [Double](repeating: .nan, count: codes.count)
        while try r.next() {
            accounting.read()
            try r.requireFieldCount(header.count)
            guard let k = position[r.string(ci)] else { accounting.skip(.outsideStudyArea); continue }
            guard let v = r.withField(vi, { ASCIINumber.parseDouble($0) }) else {
                throw CSVError(.badValue(column: header[vi], value: r.string(vi), expected: "a number"), file: path, line: r.recordLine, column: r.column(ofField: vi))
            }
            values[k] = v
            accounting.use()
        }
        let missing = codes.indices.filter { values[$0].isNaN }
        if !missing.isEmpty {
            guard missingAsZero else {
                throw RuntimeError("\(path): \(missing.count) LSOAs of the boundaries have no value (e.g. \(missing.prefix(3).map { codes[$0] }.joined(separator: ", "))); add them, or give --missing-as-zero for counts")
            }
            for k in missing { values[k] = 0 }
        }
        return (values, header[vi])
    }
}
