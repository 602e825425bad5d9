// placerisk-bench: times PlaceRisk's hot paths on given input files and prints one JSON line per
// measurement in the peers' schema (../shared/peers/_common.py timing_record):
//   {"grid", "input", "library", "median_s", "method", "op", "repeats", "size", "times_s", ...}
// so a peer and PlaceRisk can be run side by side on the same file and compared as ratios.
// Timings exclude file I/O for `bin` (as the peers do) and include it for `ingest` (that is the op).

import Foundation
import PlaceRiskCore
import PlaceRiskIO

let usage = """
USAGE: placerisk-bench bin --points FILE.csv --grid xmin,ymin,cell,ncols,nrows [--repeats N] [--weighted]
       placerisk-bench ingest --files FILE_OR_FOLDER... [--repeats N] [--counting-only|--keep-text-only]
       placerisk-bench kde --points FILE.csv --grid SPEC --bandwidth M --kernel quartic|gaussian|... [--repeats N]
       placerisk-bench gistar --points FILE.csv --grid SPEC --band M [--repeats N]
       placerisk-bench lisa --values FILE.csv --column NAME --boundaries LSOA.geojson [--permutations 999] [--seed S] [--repeats N]
       placerisk-bench logit --table FILE.csv --outcome COL --features A,B,C [--repeats N]

Prints JSON lines in the schema of ../shared/peers/baselines.jsonl, plus peak_rss_mb (VmHWM).
"""

func fail(_ msg: String) -> Never {
    FileHandle.standardError.write(Data("Error: \(msg)\n\(usage)\n".utf8))
    exit(64)
}

/// Median of a non-empty list.
func median(_ v: [Double]) -> Double {
    let s = v.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Seconds of `body`, `repeats` times.
func time<T>(_ repeats: Int, _ body: () throws -> T) rethrows -> (T, [Double]) {
    var out: T?
    var times: [Double] = []
    for _ in 0 ..< repeats {
        let t0 = DispatchTime.now().uptimeNanoseconds
        out = try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    return (out!, times)
}

/// Peak resident set size of this process so far (MB), from /proc/self/status VmHWM.
func peakRSSMB() -> Double {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
    for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? .nan
        return kb / 1024
    }
    return .nan
}

func record(op: String, size: Int, grid: String?, method: String, times: [Double], input: String, extra: [(String, JSONValue)] = []) {
    var o: [(String, JSONValue)] = [
        ("grid", grid.map { .string($0) } ?? .null),
        ("input", .string(input)),
        ("library", .string("PlaceRisk")),
        ("median_s", .number((median(times) * 1e6).rounded() / 1e6)),
        ("method", .string(method)),
        ("op", .string(op)),
        ("repeats", .int(times.count)),
        ("size", .int(size)),
        ("times_s", .array(times.map { .number(($0 * 1e6).rounded() / 1e6) })),
    ]
    o.append(contentsOf: extra)
    o.sort { $0.0 < $1.0 }
    print(JSONValue.object(o).serialized(pretty: false))
}

var args = Array(CommandLine.arguments.dropFirst())
guard let op = args.first else { fail("missing operation (bin or ingest)") }
args.removeFirst()
var opts: [String: [String]] = [:]
var flags = Set<String>()
var current: String?
for a in args {
    if a.hasPrefix("--") {
        if ["--weighted", "--counting-only", "--keep-text-only"].contains(a) { flags.insert(a); current = nil } else { current = a; opts[a, default: []] = opts[a] ?? [] }
    } else if let c = current {
        opts[c, default: []].append(a)
        if c != "--files" { current = nil }
    } else { fail("unexpected argument '\(a)'") }
}
let repeats = Int(opts["--repeats"]?.first ?? "3") ?? 3

switch op {
case "bin":
    guard let path = opts["--points"]?.first else { fail("bin needs --points FILE.csv") }
    guard let spec = opts["--grid"]?.first, let grid = try? Grid(spec: spec) else { fail("bin needs --grid xmin,ymin,cell,ncols,nrows") }
    let weighted = flags.contains("--weighted")
    let pts: PointSet
    do { pts = try PointSet.read(path: path, weights: weighted) } catch { fail(error.description) }
    let name = (path as NSString).lastPathComponent
    let n = pts.count
    let (c1, t1) = time(repeats) { GridBinning.counts(x: pts.x, y: pts.y, grid: grid, workers: 1) }
    record(op: "bin", size: n, grid: grid.label, method: "counts, fused floor+count, 1 worker", times: t1, input: name,
           extra: [("inside", .int(c1.inside)), ("outside", .int(c1.outside))])
    let k = Parallel.processorCount
    let (ck, tk) = time(repeats) { GridBinning.counts(x: pts.x, y: pts.y, grid: grid, workers: k) }
    precondition(ck == c1, "parallel and serial binning disagree")
    record(op: "bin", size: n, grid: grid.label, method: "counts, fused floor+count, \(k) workers", times: tk, input: name,
           extra: [("peak_rss_mb", .number((peakRSSMB() * 10).rounded() / 10)), ("coordinate_mb", .number(Double(n * 16) / 1_048_576)),
                   ("weights_loaded", .bool(weighted))])
    if weighted {
        let (_, tw) = time(repeats) { GridBinning.weightedSums(x: pts.x, y: pts.y, weights: pts.weight, grid: grid) }
        record(op: "bin", size: n, grid: grid.label, method: "weighted, fused, \(k) workers", times: tw, input: name)
    }
case "ingest":
    guard let files = opts["--files"], !files.isEmpty else { fail("ingest needs --files FILE_OR_FOLDER...") }
    let input = files.map { ($0 as NSString).lastPathComponent }.joined(separator: " ")
    for keepText in (flags.contains("--keep-text-only") ? [true] : flags.contains("--counting-only") ? [false] : [false, true]) {
        var rows = 0
        let (res, t) = try time(repeats) { () throws -> IncidentAggregator.Result in
            let loaded = try PoliceStreetLoader.load(paths: files, keepText: keepText)
            rows = loaded.accounting.rowsRead
            let span = loaded.table.monthSpan!
            return IncidentAggregator.aggregate(loaded.table, .init(key: .lsoaMonth, months: span))
        }
        let what = keepText ? "all columns kept" : "columns for counting"
        record(op: "ingest", size: rows, grid: nil, method: "parse + project + aggregate lsoa,month (\(what))", times: t,
               input: input, extra: [("counted", .int(res.counts.total)), ("peak_rss_mb", .number((peakRSSMB() * 10).rounded() / 10))])
    }
case "kde":
    guard let path = opts["--points"]?.first else { fail("kde needs --points FILE.csv") }
    guard let spec = opts["--grid"]?.first, let grid = try? Grid(spec: spec) else { fail("kde needs --grid xmin,ymin,cell,ncols,nrows") }
    guard let h = opts["--bandwidth"]?.first.flatMap(Double.init), let shape = KernelShape(rawValue: opts["--kernel"]?.first ?? "quartic"),
          let kernel = try? Kernel(shape, bandwidth: h) else { fail("kde needs --bandwidth M and a --kernel") }
    let pts: PointSet
    do { pts = try PointSet.read(path: path, weights: true) } catch { fail(error.description) }
    let (v, t) = time(repeats) { KernelDensity.estimate(x: pts.x, y: pts.y, weights: pts.weight, grid: grid, kernel: kernel) }
    record(op: "kde", size: pts.count, grid: grid.label, method: "exact windowed \(shape.rawValue) h=\(h.shortDescription)", times: t,
           input: (path as NSString).lastPathComponent,
           extra: [("bandwidth", .number(h)), ("kernel", .string(shape.rawValue)),
                   ("sum_times_cell_area", .number(v.reduce(0, +) * grid.cellArea)), ("peak", .number(v.max() ?? 0))])
case "gistar":
    guard let path = opts["--points"]?.first else { fail("gistar needs --points FILE.csv") }
    guard let spec = opts["--grid"]?.first, let grid = try? Grid(spec: spec) else { fail("gistar needs --grid xmin,ymin,cell,ncols,nrows") }
    guard let band = opts["--band"]?.first.flatMap(Double.init) else { fail("gistar needs --band M") }
    let pts: PointSet
    do { pts = try PointSet.read(path: path) } catch { fail(error.description) }
    let counts = GridBinning.counts(x: pts.x, y: pts.y, grid: grid).counts.map(Double.init)
    let (r, t) = try time(repeats) { try GetisOrd.gridZ(counts, grid: grid, band: band) }
    record(op: "gistar", size: pts.count, grid: "\(grid.label) D=\(band.shortDescription)m", method: "stencil row prefix sums + formula", times: t,
           input: (path as NSString).lastPathComponent,
           extra: [("cells", .int(grid.cellCount)), ("z_max", .number(r.z.compactMap { $0.isNaN ? nil : $0 }.max() ?? .nan))])
    let (_, tf) = try time(repeats) { try GetisOrd.grid(counts, grid: grid, band: band, fdr: true) }
    record(op: "gistar", size: pts.count, grid: "\(grid.label) D=\(band.shortDescription)m", method: "z + two-sided p + BH q + FDR bins", times: tf,
           input: (path as NSString).lastPathComponent, extra: [("cells", .int(grid.cellCount))])
case "lisa":
    guard let path = opts["--values"]?.first, let col = opts["--column"]?.first, let geo = opts["--boundaries"]?.first else {
        fail("lisa needs --values FILE.csv --column NAME --boundaries LSOA.geojson")
    }
    let perms = Int(opts["--permutations"]?.first ?? "999") ?? 999
    let seed = UInt64(opts["--seed"]?.first ?? "12345") ?? 12345
    let (codes, polygons): ([String], [MultiPolygon])
    do { (codes, polygons) = try GeoJSONReader.lsoaPolygonsBNG(path: geo) } catch { fail(error.description) }
    let w = Contiguity.queen(polygons).rowStandardised
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fail("cannot read \(path)") }
    let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    guard let ci = lines.first?.firstIndex(of: col), let ki = lines.first?.firstIndex(where: { $0.lowercased().contains("lsoa") }) else {
        fail("\(path) has no column \(col) or LSOA code column")
    }
    var byCode: [String: Double] = [:]
    for l in lines.dropFirst() where l.count > max(ci, ki) { byCode[l[ki]] = Double(l[ci]) }
    let y = codes.map { byCode[$0] ?? 0 }
    let (r, t) = try time(repeats) { try Moran.local(y, weights: w, permutations: perms, seed: seed) }
    record(op: "lisa", size: y.count, grid: nil, method: "perms=\(perms), conditional, \(Parallel.processorCount) workers", times: t,
           input: (path as NSString).lastPathComponent,
           extra: [("significant_0.05", .int(r.p.filter { $0 <= 0.05 }.count)), ("islands", .int(w.islands.count))])
case "logit":
    guard let path = opts["--table"]?.first, let outcome = opts["--outcome"]?.first, let fs = opts["--features"]?.first else {
        fail("logit needs --table FILE.csv --outcome COL --features A,B,C")
    }
    let feats = fs.split(separator: ",").map(String.init)
    let t: NumericTable
    do { t = try NumericTable.read(path: path, columns: feats + [outcome]) } catch { fail(error.description) }
    let k = feats.count
    var x = [Double](repeating: 0, count: t.rows * k)
    for i in 0 ..< t.rows { for j in 0 ..< k { x[i * k + j] = t.values[i * (k + 1) + j] } }
    let y = t.column(outcome)
    let (r, tt) = try time(repeats) { try Regression.fit(family: .logistic, x: x, names: feats, y: y) }
    record(op: "logit", size: t.rows, grid: "", method: "newton (MLE), Cholesky, SEs", times: tt, input: (path as NSString).lastPathComponent,
           extra: [("features", .int(k)), ("iterations", .int(r.iterations)),
                   ("coef", .object(zip(r.names, r.estimates).map { ($0.0 == "const" ? "intercept" : $0.0, .number($0.1)) }))])
default:
    fail("unknown operation '\(op)'")
}
