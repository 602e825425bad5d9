import Foundation
import Testing
import PlaceRiskCore
import PlaceRiskIO
@testable import PlaceRiskCLI

/// The promises every command keeps: an honest ledger, no input overwritten, absurd values refused
/// with a sentence (never a trap), results replaced only by a successful run, plain-words errors.
@Suite("Command line: trustworthy commands", .serialized)
struct TrustworthyCommandsTests {
    static func ledger(_ path: String) throws -> (read: Int, used: Int, skipped: [String: Int]) {
        let j = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        let s = (j["skipped"] as! [String: Int]).filter { $0.value > 0 }
        #expect(j["balanced"] as? Bool == true)
        return (j["rows_read"] as! Int, j["rows_used"] as! Int, s)
    }

    static let violence = "Violence and sexual offences"

    /// The bundled 30,135 rows hold 10,601 violence rows, 431 of them without location or LSOA (Python
    /// csv over the three files); one violence row lies in an LSOA outside the 12 study-area districts
    /// (Somerset West and Taunton, touched at 2 of 88 LSOAs). So every LSOA command uses 10,169 rows, and
    /// every 500 m cell command uses 10,169 too (the one stray point lies outside the study area's grid).
    @Test func theLedgerIsTheSameInEveryCommandThatReadsIncidents() throws {
        let d = try tempDir()
        let lsoa: [String: Int] = ["filtered_crime_type": 30135 - 10601, "no_lsoa": 431, "outside_study_area": 1]
        let commands: [[String]] = [
            ["aggregate", bundledPolice, "--by", "lsoa,month", "--crime-type", Self.violence, "--study-area", "core", "--out", d + "/agg.csv"],
            ["correlate", bundledPolice],
            ["backtest", bundledPolice, "--unit", "lsoa", "--features", "lag_1", "--test-months", "1", "--out", d + "/bt.json"],
            ["fit", bundledPolice, "--unit", "lsoa", "--features", "lag_1", "--model-out", d + "/m.json"],
            ["report", bundledPolice, "--out", d + "/r.html", "--permutations", "99"],
        ]
        for (k, c) in commands.enumerated() {
            let r = run(c + ["--quiet", "--accounting", d + "/acc\(k).json"])
            #expect(r.status == 0, "\(c[0]): \(r.err)")
            let l = try Self.ledger(d + "/acc\(k).json")
            #expect(l.read == 30135 && l.used == 10169 && l.skipped == lsoa, "\(c[0]): \(l)")
        }
        // score with the LSOA model just fitted: the same rows, the same ledger.
        let s = run(["score", "--model", d + "/m.json", bundledPolice, "--out", d + "/s.csv", "--quiet", "--accounting", d + "/accs.json"])
        #expect(s.status == 0, "\(s.err)")
        let sl = try Self.ledger(d + "/accs.json")
        #expect(sl.read == 30135 && sl.used == 10169 && sl.skipped == lsoa, "score: \(sl)")
        // The page and the model file carry the same ledger.
        let html = try String(contentsOfFile: d + "/r.html", encoding: .utf8)
        #expect(html.contains("<tr><td>rows used</td><td class=\"num\">10,169</td></tr>"))
        let model = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/m.json"))) as! [String: Any]
        let acc = (model["training"] as! [String: Any])["accounting"] as! [String: Any]
        #expect(acc["rows_used"] as? Int == 10169)
        // Cells: the same rows by location instead of LSOA.
        let cells: [String: Int] = ["filtered_crime_type": 30135 - 10601, "no_coordinates": 431, "outside_grid": 1]
        for (k, c) in [["aggregate", bundledPolice, "--by", "cell", "--cell", "500", "--crime-type", Self.violence, "--out", d + "/c.csv"],
                       ["backtest", bundledPolice, "--features", "lag_1", "--test-months", "1", "--out", d + "/bc.json"]].enumerated() {
            let r = run(c + ["--quiet", "--accounting", d + "/cell\(k).json"])
            #expect(r.status == 0, "\(r.err)")
            let l = try Self.ledger(d + "/cell\(k).json")
            #expect(l.read == 30135 && l.used == 10169 && l.skipped == cells, "\(c[0]): \(l)")
        }
    }

    /// An output equal to an input (the same path, a symbolic link to it, or the accounting on an input) is
    /// refused with exit 64 before anything is written; the input is unchanged.
    /// `--districts` / `--area` naming a district with no incident in the inputs is refused in every command
    /// that reads incidents (it used to give an empty study area, or be ignored by `aggregate --by lsoa`);
    /// a district that is there restricts every key. The Isles of Scilly's one LSOA (E01019077) holds 3 of
    /// the bundled rows (`grep -c E01019077` over the three files).
    @Test func anAreaWithNoIncidentIsRefusedAndAGivenAreaAppliesToEveryKey() throws {
        let d = try tempDir()
        let commands: [[String]] = [
            ["aggregate", bundledPolice, "--by", "lsoa", "--out", d + "/a.csv"],
            ["aggregate", bundledPolice, "--by", "cell", "--cell", "500", "--out", d + "/c.csv"],
            ["correlate", bundledPolice, "--out", d + "/c.json"],
            ["backtest", bundledPolice, "--unit", "lsoa", "--features", "lag_1", "--test-months", "1", "--out", d + "/b.json"],
            ["report", bundledPolice, "--out", d + "/r.html"],
        ]
        for c in commands {
            let r = run(c + ["--districts", "Birmingham", "--quiet"])
            #expect(r.status == 1 && r.err.contains("no incident of the inputs lies in Birmingham") && r.err.contains("Cornwall"), "\(c[0]): \(r.err)")
        }
        let both = run(["aggregate", bundledPolice, "--by", "lsoa", "--districts", "Isles of Scilly", "--study-area", "all", "--out", d + "/x.csv"])
        #expect(both.status == 64, "\(both.err)")
        let scilly = run(["aggregate", bundledPolice, "--by", "lsoa", "--districts", "Isles of Scilly", "--out", d + "/s.csv", "--accounting", d + "/s.json", "--quiet"])
        #expect(scilly.status == 0, "\(scilly.err)")
        #expect(try String(contentsOfFile: d + "/s.csv", encoding: .utf8).split(separator: "\n").dropFirst().map(String.init) == ["E01019077,3"])
        let l = try Self.ledger(d + "/s.json")
        #expect(l.read == 30_135 && l.used == 3)
    }

    /// Every command's help states the --permutations range its parser accepts: 0 is listed (with what
    /// it gives) exactly where 0 is accepted — `hotspots` (no LISA pseudo p: the lisa_p column empty)
    /// and `nearrepeat` — and refused with the range elsewhere.
    @Test func theHelpOfPermutationsStatesTheRangeThatIsAccepted() throws {
        let d = try tempDir()
        for command in PlaceRiskCLI.subcommands.map({ $0.spec.name }) {
            let shown = run(["help", command]), help = shown.out + shown.err
            guard help.contains("--permutations") else { continue }
            let listsZero = help.contains("0 (none:")
            // The first output kind the command takes (its --out check names the kinds it wants).
            var r = run([command, bundledPolice, "--permutations", "0", "--out", d + "/\(command).csv", "--quiet"])
            for ext in ["json", "html"] where r.err.contains("--out must") {
                r = run([command, bundledPolice, "--permutations", "0", "--out", d + "/\(command).\(ext)", "--quiet"])
            }
            #expect(!r.err.contains("--out must"), "\(command): \(r.err)")
            let refused = r.err.contains("invalid --permutations '0'; expected a whole number from 1 to")
            #expect(listsZero != refused, "\(command): help lists 0: \(listsZero), refused: \(refused): \(r.err)")
        }
        let h = run(["hotspots", bundledPolice, "--unit", "lsoa", "--permutations", "0", "--out", d + "/h.csv", "--quiet"])
        #expect(h.status == 0, "\(h.err)")
        let rows = try String(contentsOfFile: d + "/h.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let lisaP = try #require(rows.first?.firstIndex(of: "lisa_p"))
        #expect(rows.count > 1000 && rows.dropFirst().allSatisfy { $0[lisaP].isEmpty })
    }

    @Test func anOutputThatWouldOverwriteAnInputIsRefused() throws {
        let d = try tempDir()
        let input = d + "/2020-01-in-street.csv"
        try FileManager.default.copyItem(atPath: bundledPolice + "/2020-01-devon-and-cornwall-street.csv", toPath: input)
        try FileManager.default.createSymbolicLink(atPath: d + "/link.csv", withDestinationPath: input)
        let before = try SHA256.hexDigest(path: input)
        let runs: [[String]] = [
            ["aggregate", input, "--by", "lsoa", "--out", input],
            ["aggregate", input, "--by", "lsoa", "--out", d + "/a.csv", "--accounting", input],
            ["aggregate", d + "/link.csv", "--by", "lsoa", "--out", input],
            ["density", input, "--cell", "1000", "--out", input],
            ["hotspots", input, "--cell", "1000", "--band", "2000", "--out", input],
            ["backtest", d, "--out", input],
            ["fit", d, "--model-out", input],
            ["correlate", input, "--out", input],
            ["score", "--model", repoRoot + "/models/dc_violence_cell500.json", input, "--out", input],
            ["aggregate", input, "--by", "lsoa", "--out", d + "/x.csv", "--accounting", d + "/x.csv"],
        ]
        for c in runs {
            let r = run(c + ["--quiet"])
            #expect(r.status == 64, "\(c): \(r.err)")
            #expect(r.err.contains("would be overwritten") || r.err.contains("both write"), "\(r.err)")
        }
        #expect(try SHA256.hexDigest(path: input) == before)
        // A report whose results folder holds an input is refused too (the folder is replaced as a whole).
        try FileManager.default.createDirectory(atPath: d + "/r_files", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: input, toPath: d + "/r_files/2020-01-kept-street.csv")
        let r = run(["report", d + "/r_files", "--out", d + "/r.html", "--quiet"])
        #expect(r.status == 64 && r.err.contains("would replace the folder"), "\(r.err)")
        // merge reads partition folders: an output on one of their parts is refused (it used to overwrite it).
        let parts = d + "/parts"
        #expect(run(["aggregate", input, "--by", "lsoa,month", "--partition-by", "month", "--format", "csv", "--out", parts, "--quiet"]).status == 0)
        let part = try #require(OutputGuard.filesInside(parts).first { $0.hasSuffix(".csv") })
        let partBefore = try SHA256.hexDigest(path: part)
        let m = run(["merge", parts, "--out", part, "--quiet"])
        #expect(m.status == 64 && m.err.contains("would be overwritten"), "\(m.err)")
        #expect(try SHA256.hexDigest(path: part) == partBefore)
    }

    /// Huge, negative and absurd values are usage errors with a sentence, never a trap or a two-minute run.
    @Test func hugeNegativeAndAbsurdValuesAreRefusedWithASentence() {
        let cases: [([String], String)] = [
            (["hotspots", bundledPolice, "--cell", "5000", "--band", "1e30", "--out", "/tmp/h.csv"], "--band 1e30 m is more than 100 km"),
            (["hotspots", bundledPolice, "--cell", "5000", "--band", "1e9", "--out", "/tmp/h.csv"], "--band 1e9 m is more than 100 km"),
            (["hotspots", bundledPolice, "--cell", "10", "--band", "90000", "--out", "/tmp/h.csv"], "--band 90000 m is 9000 cells of 10 m; at most 2000 cells"),
            (["density", bundledPolice, "--cell", "5000", "--bandwidth", "1e30", "--out", "/tmp/d.asc"], "--bandwidth 1e30 m is more than 100 km"),
            (["density", bundledPolice, "--cell", "1e-30", "--out", "/tmp/d.asc"], "invalid --cell '1e-30'; cells are at least 1 metre"),
            (["density", bundledPolice, "--cell", "nan", "--out", "/tmp/d.asc"], "invalid --cell 'nan'; expected a positive number of metres"),
            (["report", "--seed", "-1", "--out", "/tmp/r.html"], "invalid --seed '-1'; expected a whole number from 0 to 18446744073709551615"),
            (["report", "--permutations", "1e30", "--out", "/tmp/r.html"], "invalid --permutations '1e30'; expected a whole number from 1 to 1000000"),
            (["report", "--fdr", "1.5", "--out", "/tmp/r.html"], "invalid --fdr '1.5'; expected a level between 0 and 1"),
            (["report", "--band", "-3", "--out", "/tmp/r.html"], "invalid --band '-3'; expected a positive number of metres"),
            // Half the diagonal of the default 500 m cell: 500 · √2 / 2 = 353.6, so 354 m (below it the map would be empty).
            (["report", "--bandwidth", "1e-300", "--out", "/tmp/r.html"], "--bandwidth 1e-300 m is shorter than half the diagonal of a 500 m cell (354 m)"),
            (["report", "--bandwidth", "350", "--out", "/tmp/r.html"], "--bandwidth 350 m is shorter than half the diagonal of a 500 m cell (354 m)"),
            (["report", "--bandwidth", "60", "--cell", "100", "--out", "/tmp/r.html"], "--bandwidth 60 m is shorter than half the diagonal of a 100 m cell (71 m)"),
            (["hotspots", "--unit", "lsoa", bundledPolice, "--seed", "-5", "--out", "/tmp/x.csv"], "invalid --seed '-5'"),
            (["backtest", bundledPolice, "--test-months", "99999999999999999999", "--out", "/tmp/b.json"], "invalid --test-months"),
        ]
        for (args, message) in cases {
            let r = run(args + ["--quiet"])
            #expect(r.status == 64, "\(args): \(r.err)")
            #expect(r.err.hasPrefix("Error: " + message), "\(r.err)")
        }
    }

    /// A second report into the same --out replaces the results folder: nothing of the first run is left.
    @Test func aRerunReportLeavesNoResultsOfThePreviousRun() throws {
        let d = try tempDir()
        let first = run(["report", bundledPolice, "--out", d + "/r.html", "--quiet", "--permutations", "99"])
        #expect(first.status == 0, "\(first.err)")
        try "stale".write(toFile: d + "/r_files/from_an_earlier_run.csv", atomically: true, encoding: .utf8)
        let second = run(["report", bundledPolice + "/2020-01-devon-and-cornwall-street.csv", "--out", d + "/r.html", "--quiet", "--permutations", "99"])
        #expect(second.status == 0, "\(second.err)")
        let files = try FileManager.default.contentsOfDirectory(atPath: d + "/r_files")
        #expect(!files.contains("from_an_earlier_run.csv") && files.contains("manifest.json"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: d).filter { $0.contains(".partial-") }.isEmpty)
    }

    /// `--zero-fill` over months without any input file warns and names them (and records them in the metadata).
    @Test func zeroFillNamesTheMonthsThatHaveNoInput() throws {
        let d = try tempDir()
        let r = run(["aggregate", bundledPolice, "--by", "lsoa,month", "--zero-fill", "--from", "2019-11", "--to", "2020-03", "--out", d + "/z.csv"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("Warning: --zero-fill writes zeros for 2 month(s) with no input rows at all (2019-11, 2019-12)"), "\(r.err)")
        let meta = try String(contentsOfFile: d + "/z.csv.meta.json", encoding: .utf8)
        #expect(meta.contains("\"months_without_input\": [\n    \"2019-11\",\n    \"2019-12\"\n  ]"))
        let ok = run(["aggregate", bundledPolice, "--by", "lsoa,month", "--zero-fill", "--out", d + "/y.csv"])
        #expect(ok.status == 0 && !ok.err.contains("Warning"), "\(ok.err)")
    }

    /// KDE counts every point within the kernel's support, beyond the grid's edge too: each cell of a grid
    /// cut through Plymouth equals the brute-force quartic sum over ALL located points (3/(πr²)(1−d²/r²)²,
    /// conventions §2), and the points beyond the edge are reported.
    @Test func densityNearTheGridsEdgeCountsThePointsJustBeyondIt() throws {
        let d = try tempDir()
        let r = run(["density", bundledPolice, "--grid", "246000,52000,500,8,8", "--bandwidth", "1000", "--units", "per-m2", "--out", d + "/k.csv", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let loaded = try PoliceStreetLoader.load(paths: [bundledPolice], keepText: false)
        let t = loaded.table
        let lines = try String(contentsOfFile: d + "/k.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        var worst = 0.0, edgeCells = 0
        for line in lines {
            let f = line.split(separator: ",").map(String.init)
            let x = Double(f[3])!, y = Double(f[4])!, value = Double(f[5])!
            var brute = 0.0
            for i in 0 ..< t.count where t.location[i] == .projected {
                let d2 = (t.x[i] - x) * (t.x[i] - x) + (t.y[i] - y) * (t.y[i] - y)
                if d2 < 1e6 { brute += 3 / (Double.pi * 1e6) * (1 - d2 / 1e6) * (1 - d2 / 1e6) }
            }
            worst = max(worst, abs(value - brute) / max(brute, 1e-300))
            if x < 246_500 || y < 52_500 || x > 249_500 || y > 55_500 { edgeCells += 1 }
        }
        #expect(lines.count == 64 && edgeCells == 28)
        #expect(worst < 1e-9, "largest relative difference from the brute-force sum: \(worst)")
        let meta = try String(contentsOfFile: d + "/k.csv.meta.json", encoding: .utf8)
        #expect(meta.contains("\"points_beyond_grid\": ") && !meta.contains("\"points_beyond_grid\": 0,"))
    }

    /// A point whose kernel reaches no cell centre adds nothing, inside the grid as beyond it: with a 100 m
    /// quartic on 500 m cells (half the diagonal is 354 m) only the points within 100 m of a centre add
    /// density. They are the rows used — counted here by brute force over the 64 centres and every located
    /// point — the others are `outside_grid`, the console says how many inside the grid add nothing, and a
    /// bandwidth that reaches no centre from any point is an error, not a file of zeros.
    @Test func densityCountsThePointsWhoseKernelReachesNoCellCentreAsOutsideTheGrid() throws {
        let d = try tempDir()
        let r = run(["density", bundledPolice, "--grid", "246000,52000,500,8,8", "--bandwidth", "100", "--out", d + "/k.csv", "--accounting", d + "/k.json"])
        #expect(r.status == 0, "\(r.err)")
        let t = try PoliceStreetLoader.load(paths: [bundledPolice], keepText: false).table
        var reaching = 0, insideNotReaching = 0
        for i in 0 ..< t.count where t.location[i] == .projected {
            var best = Double.infinity
            for row in 0 ..< 8 { for col in 0 ..< 8 {
                let cx = 246_000 + (Double(col) + 0.5) * 500, cy = 52_000 + (Double(row) + 0.5) * 500
                best = min(best, (t.x[i] - cx) * (t.x[i] - cx) + (t.y[i] - cy) * (t.y[i] - cy))
            } }
            if best < 100 * 100 { reaching += 1 } else if t.x[i] >= 246_000, t.x[i] <= 250_000, t.y[i] >= 52_000, t.y[i] <= 56_000 { insideNotReaching += 1 }
        }
        #expect(reaching > 100 && insideNotReaching > 100, "a test that cannot fail: \(reaching) reaching, \(insideNotReaching) not")
        let j = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/k.json"))) as! [String: Any]
        #expect(j["rows_used"] as? Int == reaching, "\(j["rows_used"] ?? "nil") used, \(reaching) reach a centre")
        #expect(j["balanced"] as? Bool == true)
        #expect(r.err.contains("Warning: \(insideNotReaching) point(s) inside the grid add no density"), "\(r.err)")
        let meta = try String(contentsOfFile: d + "/k.csv.meta.json", encoding: .utf8)
        #expect(meta.contains("\"points\": \(reaching),"))
        let none = run(["density", bundledPolice, "--grid", "246000,52000,500,8,8", "--bandwidth", "0.001", "--out", d + "/z.csv", "--quiet"])
        #expect(none.status == 1 && none.err.contains("no located point's kernel reaches a cell centre") && none.err.contains("give at least 354 m"), "\(none.err)")
        #expect(!FileManager.default.fileExists(atPath: d + "/z.csv"))
    }

    /// Rows without LSOA codes (as police.uk publishes Northern Ireland's) leave the study-area rule no
    /// district: a derived grid says why instead of "no located points", `--bbox` still works, and the
    /// report refuses rather than write a report of 0 rows.
    @Test func rowsWithoutLSOACodesGiveAnEmptyStudyAreaThatIsExplained() throws {
        let d = try tempDir()
        let text = try String(contentsOfFile: bundledPolice + "/2020-01-devon-and-cornwall-street.csv", encoding: .utf8)
        // (Swift keeps a CR LF pair as one Character: split on newlines, not on "\n".)
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        var blanked = 0
        for i in 1 ..< min(lines.count, 301) where !lines[i].isEmpty && !lines[i].contains("\"") {
            var f = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            f[7] = ""; f[8] = ""   // LSOA code, LSOA name
            lines[i] = f.joined(separator: ","); blanked += 1
        }
        let kept = [lines[0]] + lines[1 ..< min(lines.count, 301)].filter { !$0.contains("\"") }
        try (kept.joined(separator: "\n") + "\n").write(toFile: d + "/2020-01-ni-like-street.csv", atomically: true, encoding: .utf8)
        #expect(blanked == kept.count - 1 && blanked > 250)
        let file = d + "/2020-01-ni-like-street.csv"
        let density = run(["density", file, "--out", d + "/k.asc"])
        #expect(density.status == 1 && density.err.contains("Error: the study area is empty: none of the \(blanked) rows read has an LSOA code (police.uk publishes Northern Ireland's rows without one), so the study-area rule has no district to choose"), "\(density.err)")
        #expect(density.err.contains("with --grid or --bbox a grid analysis does without it"))
        let boxed = run(["density", file, "--bbox", "150000,0,300000,150000", "--out", d + "/k.asc", "--quiet"])
        #expect(boxed.status == 0, "\(boxed.err)")
        let report = run(["report", file, "--out", d + "/r.html", "--quiet"])
        #expect(report.status == 1 && report.err.hasPrefix("Error: the study area is empty: none of the \(blanked) rows read has an LSOA code"), "\(report.err)")
        #expect(!FileManager.default.fileExists(atPath: d + "/r.html"))
        // Every command that applies the study-area rule stops the same way (the check is where the rule is).
        for args in [["power", file, "--out", d + "/p.csv"], ["backtest", file, "--out", d + "/b.json"],
                     ["correlate", file, "--out", d + "/c.json"], ["aggregate", file, "--by", "cell", "--cell", "500", "--out", d + "/a.csv"]] {
            let r = run(args + ["--quiet"])
            #expect(r.status == 1 && r.err.hasPrefix("Error: the study area is empty: none of the \(blanked) rows read has an LSOA code"), "\(args[0]): \(r.err)")
            #expect(!FileManager.default.fileExists(atPath: args[args.count - 1]), "\(args[0]) wrote its output")
        }
    }

    /// An unwritable --accounting is a failure (exit 1), not a printed error with exit 0.
    @Test func anUnwritableAccountingFileIsAFailure() throws {
        let d = try tempDir()
        let r = run(["aggregate", bundledPolice, "--by", "lsoa", "--out", d + "/a.csv", "--quiet", "--accounting", "/proc/placerisk/a.json"])
        #expect(r.status == 1 && r.err.hasPrefix("Error: cannot write the accounting to /proc/placerisk/a.json"), "\(r.err)")
    }

    /// With four months and two test months the stacked default is chosen from the months before the
    /// first test month (2020-03) only, and says so (stderr, and the JSON's comparison.choices).
    @Test func theDefaultModelIsChosenBeforeTheFirstTestMonth() throws {
        let d = try tempDir()
        for m in ["01", "02", "03"] {
            try FileManager.default.copyItem(atPath: bundledPolice + "/2020-\(m)-devon-and-cornwall-street.csv", toPath: d + "/2020-\(m)-devon-and-cornwall-street.csv")
        }
        // A fourth month: January's rows relabelled 2020-04.
        let jan = try String(contentsOfFile: bundledPolice + "/2020-01-devon-and-cornwall-street.csv", encoding: .utf8)
        try jan.replacingOccurrences(of: ",2020-01,", with: ",2020-04,").write(toFile: d + "/2020-04-devon-and-cornwall-street.csv", atomically: true, encoding: .utf8)
        let r = run(["backtest", d, "--out", d + "/b.json"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("Model: the stacked default (half-life and penalty chosen at the first test origin from the months before it"), "\(r.err)")
        let j = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/b.json"))) as! [String: Any]
        #expect((j["months"] as? [String]) == ["2020-03", "2020-04"])
        let choices = (j["comparison"] as! [String: Any])["choices"] as! [[String: Any]]
        #expect(choices.count == 1 && choices[0]["origin"] as? String == "2020-03")
        // Origin 2020-03 leaves one training month (2020-02): no inner fold for the penalty (λ = 0) and no ewm_H.
        #expect((choices[0]["inner_months"] as? [String]) == [] && choices[0]["l2"] as? Double == 0)
        #expect(!(choices[0]["features"] as! [String]).contains { $0.hasPrefix("log1p_ewm_") })
        #expect((choices[0]["features"] as! [String]).contains("log1p_mean_past"))
    }

    /// The bundled data are found from wherever the command runs: the test binary lives under the package's
    /// .build folder, so one of the executable's parent folders holds datasets/ and models/.
    @Test func theBundledDataAreFoundBesideTheExecutablesPackage() {
        let fm = FileManager.default
        #expect(BundledData.roots.contains { fm.fileExists(atPath: $0 + "/datasets") && fm.fileExists(atPath: $0 + "/models") })
        #expect(fm.fileExists(atPath: ReportCommand.bundledModel))
        #expect(BundledData.path("datasets/no-such-file.csv") == "datasets/no-such-file.csv")
    }

    /// A model file with one coefficient too few says so in a sentence (not "'missing or invalid' is not a field").
    @Test func aModelFileWithTheWrongCoefficientsIsExplained() throws {
        let d = try tempDir()
        var model = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: repoRoot + "/models/dc_violence_cell500.json"))) as! [String: Any]
        model["coefficients"] = Array((model["coefficients"] as! [Any]).dropLast())
        try JSONSerialization.data(withJSONObject: model).write(to: URL(fileURLWithPath: d + "/m.json"))
        let r = run(["score", "--model", d + "/m.json", bundledPolice, "--out", d + "/s.csv"])
        #expect(r.status == 1)
        #expect(r.err == "Error: \(d)/m.json: the model file has 8 coefficients for 8 features; expected 9 (const, then one per feature)\n", "\(r.err)")
    }

    /// Errors in plain words: no Swift type names anywhere in what a user sees.
    @Test func errorsNeverShowSwiftTypeNames() throws {
        let d = try tempDir()
        try "{\"format\": 2}".write(toFile: d + "/bad-model.json", atomically: true, encoding: .utf8)
        let outputs = [
            run(["score", "--model", d + "/bad-model.json", bundledPolice, "--out", d + "/s.csv"]),
            run(["report", "--boundaries", d + "/bad-model.json", "--out", d + "/r.html"]),
            run(["aggregate", d + "/bad-model.json", "--by", "lsoa", "--out", d + "/a.csv"]),
        ]
        for r in outputs {
            #expect(r.status != 0)
            for name in ["RuntimeError", "CSVError", "UsageError", "GridError", "message:", "Optional("] {
                #expect(!r.err.contains(name), "\(r.err)")
            }
        }
    }
}
