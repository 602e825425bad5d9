import Foundation
import PlaceRiskCLI

/// `report`: the whole `placerisk report` on ≥ 1M police.uk street rows, wall time and peak RSS.
///
/// Input, built before timing (and reused while `<work>/police_<rows>/.complete` says so): the street files
/// of `--source` (default the bundled 2020-01..03, 30,135 rows) concatenated and written once per month from
/// `--start` (default 2017-01), with the Month column rewritten, as `<YYYY-MM>/<YYYY-MM>-devon-and-cornwall-street.csv`
/// — whole months, as many as reach `--rows` (default 1,000,000) — each row kept with probability `--keep`
/// (default 0.34, seeded per month and row: ~10,200 rows a month, like a real Devon & Cornwall month, 98
/// months). Exact copies (`--keep 1`: 34 months of 30,135 rows) make every month identical, so lag_1
/// predicts the next month perfectly, the default risk model cannot be fitted (separation) and the Risk
/// and Bias sections are replaced by notes (`sections_omitted` in the record); so does `--keep 0.95`.
/// The thinning gives the months the month-to-month variation real months have.
/// Warm-up: one report on `--source` itself. Timed: `PlaceRiskCLI.run(["report", folder, "--out", …, "--quiet"])`
/// in this process (the public entry point), or with `--binary PATH` the release `placerisk` as a child
/// process (peak RSS then from getrusage RUSAGE_CHILDREN). Defaults of the report (IMD, LSOA boundaries,
/// lookup) are the repository's datasets/, so run from the repository root or give `--root`.
enum ReportSuite {
    static let usage = "placerisk-bench report [--rows 1000000] [--source FOLDER] [--start 2017-01] [--keep 0.34] [--work DIR] [--root REPO] [--binary .build/release/placerisk] [--repeats N] [--rebuild]"
    static let defaultSource = "datasets/police_uk_devon_cornwall_street_2020-01_to_2020-03"

    static func run(_ o: Options) {
        if let root = o.value("--root"), !FileManager.default.changeCurrentDirectoryPath(root) { fail("cannot change to --root \(root)") }
        let cwd = FileManager.default.currentDirectoryPath
        let source = o.value("--source") ?? defaultSource
        let target = Int(o.value("--rows") ?? "1000000") ?? 1_000_000
        let work = o.value("--work") ?? "/tmp/placerisk-bench/report"
        let startText = o.value("--start") ?? "2017-01"
        let parts = startText.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, (1 ... 12).contains(parts[1]) else { fail("--start must be YYYY-MM") }
        let repeats = Int(o.value("--repeats") ?? "1") ?? 1
        guard let keep = Double(o.value("--keep") ?? "0.34"), keep > 0, keep <= 1 else { fail("--keep must be a fraction in (0, 1]") }
        for p in ["datasets/imd2019/imd2019_devon_cornwall_merged.csv", "datasets/lsoa2011_boundaries_devon_cornwall"] where !FileManager.default.fileExists(atPath: p) {
            note("report: \(cwd)/\(p) not found: the report will omit the sections that need it (run from the repository root or give --root)")
        }

        // 1. Input, before timing.
        let t0 = now()
        let (folder, rows, months) = build(source: source, target: target, start: (parts[0], parts[1]), keep: keep, work: work, rebuild: o.flag("--rebuild"))
        note("report: input \(folder): \(rows) rows in \(months) months (\(String(format: "%.1f", now() - t0)) s to build or check)")

        // 2. Warm-up: a small report (the source months).
        let binary = o.value("--binary")
        let warmOut = work + "/warm/report.html"
        let (ws, wt) = runReport(source, out: warmOut, binary: binary)
        guard ws.status == 0 else { fail("warm-up report failed (status \(ws.status)):\n\(ws.stderr)") }
        note("report: warm-up on \(source) took \(String(format: "%.2f", wt)) s")

        // 3. Timed runs.
        let rssBefore = maxRSSMB(children: binary != nil)
        var times: [Double] = []
        let out = work + "/out/report.html"
        for _ in 0 ..< max(1, repeats) {
            let (s, t) = runReport(folder, out: out, binary: binary)
            guard s.status == 0 else { fail("report failed (status \(s.status)):\n\(s.stderr)") }
            times.append(t)
            blackHole(s)
        }
        let rss = maxRSSMB(children: binary != nil)
        let html = ((try? FileManager.default.attributesOfItem(atPath: out))?[.size] as? NSNumber)?.intValue ?? 0
        let results = (try? FileManager.default.contentsOfDirectory(atPath: work + "/out/report_files"))?.count ?? 0
        // Sections replaced by a note (the page still renders): a benchmark of less work than it claims.
        let page = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        let omitted = page.components(separatedBy: "could not be computed").count - 1 + page.components(separatedBy: "section is omitted").count - 1
        if omitted > 0 { note("report: \(omitted) section(s) omitted on these data (see \(out))") }
        let how = binary.map { "child process \(baseName($0))" } ?? "in-process PlaceRiskCLI.run"
        record(op: "report", size: rows, grid: nil,
               method: "placerisk report --quiet, defaults (IMD, boundaries, fitted lag_1,kde_past model), \(how)",
               times: times, input: baseName(folder),
               extra: [("months", .int(months)), ("keep", .number(keep)), ("sections_omitted", .int(omitted)), ("peak_rss_mb", mb(rss)), ("peak_rss_mb_before_timed", mb(rssBefore)),
                       ("rss_source", .string(binary == nil ? "getrusage RUSAGE_SELF ru_maxrss (bench process)" : "getrusage RUSAGE_CHILDREN ru_maxrss")),
                       ("html_bytes", .int(html)), ("result_files", .int(results)), ("warm_up_s", .number((wt * 1000).rounded() / 1000)),
                       ("warm_up_input", .string(baseName(source)))])
    }

    /// What one report run left: exit status and stderr.
    struct RunStatus: Sendable { let status: Int32; let stderr: String }

    final class TextBox: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func append(_ s: String) { lock.lock(); text += s; lock.unlock() }
        var value: String { lock.lock(); defer { lock.unlock() }; return text }
    }

    /// One `placerisk report` of `input` into `out`: in-process, or the given binary as a child; wall seconds.
    static func runReport(_ input: String, out: String, binary: String?) -> (RunStatus, Double) {
        let argv = ["report", input, "--out", out, "--quiet"]
        if let binary {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = argv
            let errPipe = Pipe()
            p.standardError = errPipe
            p.standardOutput = FileHandle.nullDevice
            let t0 = now()
            do { try p.run() } catch { fail("cannot run \(binary): \(error)") }
            let errData = errPipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            let t = now() - t0
            return (RunStatus(status: p.terminationStatus, stderr: String(decoding: errData, as: UTF8.self)), t)
        }
        let err = TextBox()
        let io = CLIOutput(out: { _ in }, err: { err.append($0) })
        let t0 = now()
        let status = PlaceRiskCLI.run(argv, io: io)
        let t = now() - t0
        return (RunStatus(status: status, stderr: err.value), t)
    }

    /// Writes (or finds) the replicated police.uk folder; returns its path, rows and months.
    static func build(source: String, target: Int, start: (Int, Int), keep: Double, work: String, rebuild: Bool) -> (String, Int, Int) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: source) else { fail("cannot list --source \(source)") }
        let files = names.filter { $0.hasSuffix("-street.csv") }.sorted()
        guard !files.isEmpty else { fail("no *-street.csv files in \(source)") }
        // The source rows (without their header lines) and the byte offset of each row's Month field.
        var header: [UInt8] = []
        var body: [UInt8] = []
        var monthAt: [Int] = [], starts: [Int] = []
        for f in files {
            guard let d = fm.contents(atPath: source + "/" + f) else { fail("cannot read \(source)/\(f)") }
            var bytes = [UInt8](d)
            if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
            guard let nl = bytes.firstIndex(of: UInt8(ascii: "\n")) else { continue }
            if header.isEmpty { header = Array(bytes[...nl]) }
            var i = nl + 1
            while i < bytes.count {
                let lineEnd = bytes[i...].firstIndex(of: UInt8(ascii: "\n"))!
                if lineEnd > i + 1 {
                    // Crime ID (hex or empty, never quoted) then the Month field, YYYY-MM.
                    guard let comma = bytes[i ..< lineEnd].firstIndex(of: UInt8(ascii: ",")), comma + 8 <= lineEnd,
                          bytes[comma + 5] == UInt8(ascii: "-"), comma + 8 == lineEnd || bytes[comma + 8] == UInt8(ascii: ",") else {
                        fail("\(f): a row whose second field is not YYYY-MM")
                    }
                    starts.append(body.count)
                    monthAt.append(body.count + (comma + 1 - i))
                    body.append(contentsOf: bytes[i ... lineEnd])
                }
                i = lineEnd + 1
            }
        }
        let perMonth = monthAt.count
        // Whole months, as many as reach `target` rows at the expected kept fraction.
        let months = max(1, Int((Double(target) / (Double(perMonth) * keep)).rounded(.up)))
        let folder = work + "/police_\(target)_keep\(keep)"
        let marker = folder + "/.complete"
        let stamp = "\(months) months from \(start.0)-\(start.1), keep \(keep), source \(files.joined(separator: " "))"
        if !rebuild, let have = fm.contents(atPath: marker), let text = String(data: have, encoding: .utf8), text.hasPrefix(stamp + "\n"),
           let rows = Int(text.dropFirst(stamp.count + 1).prefix { $0.isNumber }) { return (folder, rows, months) }
        try? fm.removeItem(atPath: folder)
        var rows = 0
        for m in 0 ..< months {
            let k = start.0 * 12 + (start.1 - 1) + m
            let ym = String(format: "%04d-%02d", k / 12, k % 12 + 1)
            let dir = folder + "/" + ym
            do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch { fail("cannot create \(dir): \(error)") }
            let stampBytes = Array(ym.utf8)
            var data = header
            data.reserveCapacity(header.count + body.count)
            let threshold = UInt64((keep * 1_000_000).rounded())
            for j in 0 ..< perMonth {
                // Seeded per (month, row): the same folder every time.
                if keep < 1, splitMix(UInt64(m) << 32 | UInt64(j)) % 1_000_000 >= threshold { continue }
                let from = starts[j], to = j + 1 < perMonth ? starts[j + 1] : body.count
                let at = data.count + (monthAt[j] - from)
                data.append(contentsOf: body[from ..< to])
                for b in 0 ..< 7 { data[at + b] = stampBytes[b] }
                rows += 1
            }
            guard fm.createFile(atPath: "\(dir)/\(ym)-devon-and-cornwall-street.csv", contents: Data(data)) else { fail("cannot write in \(dir)") }
        }
        _ = fm.createFile(atPath: marker, contents: Data((stamp + "\n\(rows) rows\n").utf8))
        return (folder, rows, months)
    }

    /// SplitMix64 finaliser (Steele, Lea & Flood 2014): a seeded, well-mixed hash of `x`.
    static func splitMix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
