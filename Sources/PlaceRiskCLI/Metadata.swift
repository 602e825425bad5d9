import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// The `FILE.meta.json` written beside every output: units, CRS, grid conventions, filters,
/// accounting, inputs and version, so a file is never separated from what its numbers mean.
enum Metadata {
    static func aggregate(key: AggregationKey, out: String, grid: Grid?, bbox: BoundingBox?, months: MonthRange,
                          options: CommonOptions, zeroFill: Bool, study: StudyArea?, accounting: RowAccounting,
                          files: [(path: String, rowsRead: Int, rowsLoaded: Int)], rowsWritten: Int, total: Int,
                          weights: [CrimeType: Double]?) -> JSONValue {
        var o: [(String, JSONValue)] = [
            ("placerisk_version", .string(PlaceRiskVersion.string)),
            ("command", .string("aggregate")),
            ("output", .string(out)),
            ("key", .string(key.rawValue)),
            ("value", .string("count of incidents (police.uk street-level records)"
                + (weights == nil ? "" : "; 'weighted' = sum of user-supplied crime-type weights (unlisted types weigh 0); an .asc output holds the weighted sums"))),
            ("zero_filled", .bool(zeroFill)),
            ("rows_written", .int(rowsWritten)),
            ("incidents_counted", .int(total)),
            ("months", .object([("from", .string(months.first.description)), ("to", .string(months.last.description))])),
        ]
        if let g = grid { o.append(("grid", gridJSON(g))) }
        if let b = bbox {
            o.append(("bbox", .array([.number(b.minX), .number(b.minY), .number(b.maxX), .number(b.maxY)])))
        }
        var f: [(String, JSONValue)] = []
        f.append(("crime_types", options.filter.crimeTypes.map { .array($0.sorted().map { .string($0.label) }) } ?? .string("all")))
        f.append(("from", options.filter.from.map { .string($0.description) } ?? .null))
        f.append(("to", options.filter.to.map { .string($0.description) } ?? .null))
        f.append(("forces", options.filter.forces.map { .array($0.sorted().map { .string($0) }) } ?? .string("all")))
        o.append(("filters", .object(f)))
        if let w = weights {
            o.append(("weights", .object(w.sorted { $0.key < $1.key }.map { ($0.key.label, .number($0.value)) })))
        }
        if let sa = study {
            o.append(("study_area", .object([
                ("rule", .string("districts in which the data touch >= \(sa.threshold) of the LSOAs; all LSOAs of those districts")),
                ("districts", .array(sa.coverage.filter(\.included).map { .string("\($0.code) \($0.name)") })),
                ("lsoas", .int(sa.lsoaCodes.count)),
                ("excluded_districts", .array(sa.coverage.filter { !$0.included }.map {
                    .object([("code", .string($0.code)), ("name", .string($0.name)),
                             ("lsoas_touched", .int($0.lsoasTouched)), ("lsoas_total", .int($0.lsoasTotal))])
                })),
                ("codes_not_in_lookup", .array(sa.unknownCodes.map { .string($0) })),
            ])))
        }
        o.append(("accounting", AccountingReport.json(accounting, files: files)))
        return .object(o)
    }

    /// The grid and its conventions, as written in every grid output's metadata.
    static func gridJSON(_ g: Grid) -> JSONValue {
        .object([
            ("crs", .string("EPSG:27700 British National Grid")),
            ("units", .string("metres")),
            ("xmin", .number(g.xmin)), ("ymin", .number(g.ymin)), ("cell", .number(g.cell)),
            ("ncols", .int(g.ncols)), ("nrows", .int(g.nrows)),
            ("spec", .string(g.spec)),
            ("origin", .string("lower-left corner (xmin, ymin)")),
            ("cell_id", .string("row * ncols + col; row 0 = south")),
            ("x_y", .string("cell centre: xmin + (col + 0.5) * cell, ymin + (row + 0.5) * cell")),
            ("asc_row_order", .string("ESRI ASCII grid files list the north row first")),
            ("geojson", .string("cell polygons in WGS84 lon/lat (corners unprojected from BNG)")),
        ])
    }

    static func write(_ meta: JSONValue, beside out: String) throws {
        let p = out + ".meta.json"
        do { try (meta.serialized() + "\n").write(toFile: p, atomically: true, encoding: .utf8) } catch {
            throw RuntimeError("cannot write \(p): \(error.localizedDescription)")
        }
    }
}
