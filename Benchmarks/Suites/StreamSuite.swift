import Foundation
import PlaceRiskCore
import PlaceRiskIO

/// `stream`: police.uk street files → LSOA × month × crime type counts by `StreamingAggregation` (what
/// `aggregate --partition-by` and plain `aggregate --by lsoa…` run), the fast path (`PoliceChunkScanner`)
/// and the general one (`CSVReader` + the loader's rules) in the same run. File I/O included.
enum StreamSuite {
    static let usage = "placerisk-bench stream --files FILE_OR_FOLDER... [--repeats N] [--block BYTES] [--fast-only]"

    static func run(_ o: Options) {
        guard let files = o.all("--files"), !files.isEmpty else { fail("stream needs --files FILE_OR_FOLDER...") }
        let input = files.map(baseName).joined(separator: " ")
        let block = Int(o.value("--block") ?? "") ?? 8 << 20
        let sources: [ArchiveDiscovery.Source]
        do { sources = try ArchiveDiscovery.select(files).sources } catch { fail("\(error)") }
        for fast in o.flag("--fast-only") ? [true] : [true, false] {
            var rows = 0, keys = 0
            let t: [Double]
            var timing: StreamingAggregation.Timing? = nil
            do {
                (_, t) = try time(o.repeats) { () throws -> Int in
                    var n = 0
                    let r = try StreamingAggregation.run(sources, .init(unit: .lsoa, partitionBy: [], blockSize: block, fastPath: fast)) { parts in
                        n += parts.reduce(0) { $0 + $1.count }
                    }
                    rows = r.accounting.rowsRead
                    keys = n
                    timing = r.timing
                    return n
                }
            } catch { fail("\(error)") }
            let what = fast ? "fast path (PoliceChunkScanner, deferred lines to CSVReader)" : "general path (CSVReader + loader rules per block)"
            record(op: "stream", size: rows, grid: nil, method: "stream lsoa,month,crime_type: \(what), \(Parallel.processorCount) workers", times: t,
                   input: input, extra: [("keys", .int(keys)), ("block_bytes", .int(block)),
                                         ("worker_read_s", .number(timing?.read ?? 0)), ("worker_parse_s", .number(timing?.parse ?? 0)),
                                         ("merge_s", .number(timing?.merge ?? 0)), ("flush_s", .number(timing?.flush ?? 0)),
                                         ("peak_rss_mb", mb(peakRSSMB()))])
        }
    }
}
