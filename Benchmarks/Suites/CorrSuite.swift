import Foundation
import PlaceRiskCore
import PlaceRiskIO

/// `corr`: Pearson, Spearman and Kendall τ-b (with p-values) of one column against each of several others,
/// as ../shared/peers/corr.py times scipy.stats.pearsonr / spearmanr / kendalltau(variant="b") on the same
/// file: one record per method over all the pairs (CSV reading excluded, as the peer does).
///
/// First record per method: the pair calls one after another (`Correlation.spearman(x, y)` per column, one
/// worker). Second: the product's one-against-many call (`Correlation.spearman(_:against:)`, what
/// `DomainCorrelation.run` does: x ranked / sorted once, the pairs over the cores), checked equal to the
/// first. A `corr-all` record times `DomainCorrelation.run` itself (all three methods and BH).
/// `--parallel-pairs` adds records with the pair calls spread over the cores by the driver. `--peer corr.json` (corr.py's `--out`) adds max |Δ| of the
/// statistic and of p versus scipy. `--profile` adds `corr-profile` records: where a pair's time goes.
enum CorrSuite {
    static let usage = "placerisk-bench corr --table FILE.csv --x COL --y A,B,... [--methods pearson,spearman,kendall] [--peer corr.json] [--repeats N] [--parallel-pairs] [--profile]"

    /// What each method keeps per pair: the statistic and its p-value.
    struct Stat: Sendable { let value: Double; let p: Double }

    static let methods: [(name: String, label: String, peerKey: String, peerStat: String, run: @Sendable ([Double], [Double]) throws -> Stat,
                          batch: @Sendable ([Double], [[Double]]) throws -> [Stat])] = [
        ("pearson", "pearson r, p (beta), Fisher CI", "pearson", "r", { let r = try Correlation.pearson($0, $1); return Stat(value: r.r, p: r.p) },
         { try Correlation.pearson($0, against: $1).map { let r = try $0.get(); return Stat(value: r.r, p: r.p) } }),
        ("spearman", "spearman rho, p (t), Bonett-Wright CI", "spearman", "rho", { let r = try Correlation.spearman($0, $1); return Stat(value: r.rho, p: r.p) },
         { try Correlation.spearman($0, against: $1).map { let r = try $0.get(); return Stat(value: r.rho, p: r.p) } }),
        ("kendall", "kendall tau-b, asymptotic p", "kendall_tau_b", "tau", { let r = try Correlation.kendallTauB($0, $1); return Stat(value: r.tau, p: r.p) },
         { try Correlation.kendallTauB($0, against: $1).map { let r = try $0.get(); return Stat(value: r.tau, p: r.p) } }),
    ]

    static func run(_ o: Options) {
        guard let path = o.value("--table"), let xName = o.value("--x"), let ysText = o.value("--y") else {
            fail("corr needs --table FILE.csv --x COL --y A,B,...")
        }
        let ys = ysText.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let wanted = Set((o.value("--methods") ?? "pearson,spearman,kendall").split(separator: ",").map(String.init))
        // Inputs, before any timing.
        let t0 = now()
        let table: NumericTable
        do { table = try NumericTable.read(path: path, columns: [xName] + ys) } catch { fail(error.description) }
        let x = table.column(xName)
        let columns = ys.map { table.column($0) }
        let n = table.rows
        note("corr: read \(n) rows x \(ys.count + 1) columns of \(baseName(path)) in \(String(format: "%.2f", now() - t0)) s")
        let peer = o.value("--peer").map(readPeer)

        var product: [String: [Double]] = [:]
        for m in methods where wanted.contains(m.name) {
            let stats: [Stat], t: [Double]
            do { (stats, t) = try time(o.repeats) { try columns.map { try m.run(x, $0) } } } catch { fail("\(m.name): \(error)") }
            product[m.name] = stats.map(\.value)
            var extra: [(String, JSONValue)] = [
                ("pairs", .int(ys.count)), ("x", .string(xName)),
                ("checksum", .number(stats.reduce(0) { $0 + $1.value + $1.p })),
                ("values", .array(stats.map { .number($0.value) })),
                ("workers", .int(1)),
            ]
            if let peer {
                var dv = 0.0, dp = 0.0
                for (k, name) in ys.enumerated() {
                    guard let ref = peer[name]?[m.peerKey], let rv = ref[m.peerStat], let rp = ref["p"] else { fail("\(o.value("--peer")!) has no \(m.peerKey) for \(name)") }
                    dv = max(dv, abs(stats[k].value - rv)); dp = max(dp, abs(stats[k].p - rp))
                }
                extra += [("max_abs_diff_stat_vs_scipy", .number(dv)), ("max_abs_diff_p_vs_scipy", .number(dp))]
                note("corr \(m.name): max |Δ \(m.peerStat)| = \(dv), max |Δ p| = \(dp) vs scipy over \(ys.count) pairs")
            }
            record(op: "corr", size: n, grid: "", method: "\(m.label), \(ys.count) pairs", times: t, input: baseName(path), extra: extra)
            // The product's one-against-many path (what DomainCorrelation.run does): x ranked / sorted once,
            // the columns over the cores; must give the pair calls' results exactly.
            do {
                let k = Parallel.processorCount
                let (bs, tb) = try time(o.repeats) { try m.batch(x, columns) }
                let dSelf = zip(bs, stats).map { max(abs($0.value - $1.value), abs($0.p - $1.p)) }.max() ?? .nan
                var bextra: [(String, JSONValue)] = [("pairs", .int(ys.count)), ("x", .string(xName)), ("workers", .int(k)),
                                                     ("max_abs_diff_vs_pair_calls", .number(dSelf))]
                if let peer {
                    var dv = 0.0, dp = 0.0
                    for (j, name) in ys.enumerated() {
                        if let ref = peer[name]?[m.peerKey], let rv = ref[m.peerStat], let rp = ref["p"] {
                            dv = max(dv, abs(bs[j].value - rv)); dp = max(dp, abs(bs[j].p - rp))
                        }
                    }
                    bextra += [("max_abs_diff_stat_vs_scipy", .number(dv)), ("max_abs_diff_p_vs_scipy", .number(dp))]
                }
                record(op: "corr", size: n, grid: "", method: "\(m.label), \(ys.count) pairs, one x against all (Correlation.\(m.name == "kendall" ? "kendallTauB" : m.name)(_:against:): x sorted once, pairs over \(k) workers, as DomainCorrelation.run)",
                       times: tb, input: baseName(path), extra: bextra)
            } catch { fail("\(m.name) against: \(error)") }
            if o.flag("--parallel-pairs") {
                let k = Parallel.processorCount
                let (_, tp) = time(o.repeats) { () -> [Double] in
                    let box = ResultBox(count: columns.count)
                    DispatchQueue.concurrentPerform(iterations: columns.count) { j in box.set(j, (try? m.run(x, columns[j]))?.value ?? .nan) }
                    return box.values
                }
                record(op: "corr", size: n, grid: "", method: "\(m.label), \(ys.count) pairs over \(k) workers (driver what-if)", times: tp,
                       input: baseName(path), extra: [("pairs", .int(ys.count)), ("workers", .int(k))])
            }
        }
        if wanted.count == 3 {
            // The whole product call: DomainCorrelation.run (values = x, measures = the columns): Pearson,
            // Spearman, Kendall and BH for every column, measures in parallel, x ranked once.
            let measures = zip(ys, columns).map { DomainCorrelation.Measure(name: $0, values: $1, deciles: nil, meaning: "column") }
            let (res, td) = time(o.repeats) { DomainCorrelation.run(values: x, measures: measures) }
            var d = 0.0
            for (j, r) in res.enumerated() {
                d = max(d, abs((r.pearson?.r ?? .nan) - product["pearson"]![j]), abs((r.spearman?.rho ?? .nan) - product["spearman"]![j]),
                        abs((r.kendall?.tau ?? .nan) - product["kendall"]![j]))
            }
            record(op: "corr-all", size: n, grid: "", method: "DomainCorrelation.run: pearson + spearman + kendall + BH, \(ys.count) measures", times: td,
                   input: baseName(path), extra: [("pairs", .int(ys.count)), ("workers", .int(Parallel.processorCount)), ("max_abs_diff_vs_pair_calls", .number(d))])
        }
        if o.flag("--profile"), let y = columns.first {
            CorrProfile.run(x: x, y: y, input: baseName(path), repeats: o.repeats)
        }
    }

    /// corr.py's results JSON → y column → method → {"r"|"rho"|"tau", "p"}.
    static func readPeer(_ path: String) -> [String: [String: [String: Double]]] {
        guard let data = FileManager.default.contents(atPath: path),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let results = root["results"] as? [[String: Any]] else { fail("cannot read corr.py results from \(path)") }
        var out: [String: [String: [String: Double]]] = [:]
        for r in results {
            guard let y = r["y"] as? String else { continue }
            for key in ["pearson", "spearman", "kendall_tau_b"] {
                guard let d = r[key] as? [String: Any] else { continue }
                var v: [String: Double] = [:]
                for (k, val) in d { if let num = val as? NSNumber { v[k] = num.doubleValue } }
                out[y, default: [:]][key] = v
            }
        }
        return out
    }
}

/// Per-pair results written from concurrent workers (each index written once).
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Double]
    init(count: Int) { values = [Double](repeating: .nan, count: count) }
    func set(_ i: Int, _ v: Double) { lock.lock(); values[i] = v; lock.unlock() }
}
