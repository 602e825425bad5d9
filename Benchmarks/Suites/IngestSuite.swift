import Foundation
import PlaceRiskCore
import PlaceRiskIO

/// `ingest`: parse + project + aggregate police.uk street files by LSOA × month. File I/O included (that is the op).
enum IngestSuite {
    static let usage = "placerisk-bench ingest --files FILE_OR_FOLDER... [--repeats N] [--counting-only|--keep-text-only]"

    static func run(_ o: Options) {
        guard let files = o.all("--files"), !files.isEmpty else { fail("ingest needs --files FILE_OR_FOLDER...") }
        let input = files.map(baseName).joined(separator: " ")
        let repeats = o.repeats
        for keepText in (o.flag("--keep-text-only") ? [true] : o.flag("--counting-only") ? [false] : [false, true]) {
            var rows = 0
            let res: IncidentAggregator.Result, t: [Double]
            do {
                (res, t) = try time(repeats) { () throws -> IncidentAggregator.Result in
                    let loaded = try PoliceStreetLoader.load(paths: files, keepText: keepText)
                    rows = loaded.accounting.rowsRead
                    let span = loaded.table.monthSpan!
                    return IncidentAggregator.aggregate(loaded.table, .init(key: .lsoaMonth, months: span))
                }
            } catch { fail("\(error)") }
            let what = keepText ? "all columns kept" : "columns for counting"
            record(op: "ingest", size: rows, grid: nil, method: "parse + project + aggregate lsoa,month (\(what))", times: t,
                   input: input, extra: [("counted", .int(res.counts.total)), ("peak_rss_mb", mb(peakRSSMB()))])
        }
    }
}
