import Foundation
import PlaceRiskCore
import PlaceRiskIO

/// `timeofday`: read a dated source through its schema and build the aoristic 24 × 7 table (the op
/// includes file I/O, every row's validation and the BST conversion, as `placerisk timeofday` does).
enum TimeOfDaySuite {
    static let usage = "placerisk-bench timeofday --file FILE.csv [--schema istv|points|FILE] [--repeats N] [--sequential]"

    static func run(_ o: Options) {
        guard let path = o.value("--file") else { fail("timeofday needs --file FILE.csv") }
        let schema: IncidentSchema
        do { schema = try IncidentSchema.named(o.value("--schema") ?? "istv") } catch { fail(error.description) }
        // --sequential: the general path (one CSVReader over the file, one thread), the chunked path's oracle.
        let sequential = o.flag("--sequential")
        do {
            let (r, t) = try time(o.repeats) { () throws(CSVError) -> HourWeekTable in
                // The columns `placerisk timeofday` keeps (`DatedColumns.timeOfDay`; every row checked as always).
                let d = sequential ? try DatedIncidentLoader.readSequential(path: path, schema: schema, keep: .timeOfDay)
                                   : try DatedIncidentLoader.read(path: path, schema: schema, keep: .timeOfDay)
                var table = HourWeekTable()
                Aoristic.add(start: d.start, end: d.ends, weight: d.weights, into: &table)
                return table
            }
            record(op: "timeofday", size: r.incidents, grid: "24x7", method: "DatedIncidentLoader\(sequential ? ".readSequential" : "") (\(schema.name), keep: timeOfDay) + Aoristic.add", times: t,
                   input: baseName(path), extra: [("total", .number(r.total))])
        } catch { fail("\(error)") }
    }
}
