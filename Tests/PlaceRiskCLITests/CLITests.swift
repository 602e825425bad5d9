import Foundation
import Testing
import PlaceRiskCore
import PlaceRiskIO
@testable import PlaceRiskCLI

/// Runs the CLI in-process, capturing stdout, stderr and the exit status.
func run(_ args: [String]) -> (status: Int32, out: String, err: String) {
    final class Box: @unchecked Sendable {
        var out = "", err = ""
        let lock = NSLock()
    }
    let b = Box()
    let io = CLIOutput(out: { s in b.lock.lock(); b.out += s; b.lock.unlock() },
                       err: { s in b.lock.lock(); b.err += s; b.lock.unlock() })
    let status = PlaceRiskCLI.run(args, io: io)
    return (status, b.out, b.err)
}

let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0 ..< 3 { url.deleteLastPathComponent() }
    return url.path
}()

let bundledPolice = repoRoot + "/datasets/police_uk_devon_cornwall_street_2020-01_to_2020-03"

func tempDir() throws -> String {
    let p = NSTemporaryDirectory() + "placerisk-cli-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
    return p
}

@Suite("Command line: help, version and usage errors (exact texts)")
struct CLITextTests {
    @Test func rootHelpIsExact() {
        let r = run(["--help"])
        #expect(r.status == 0 && r.err.isEmpty)
        #expect(r.out == """
        OVERVIEW: PlaceRisk \(PlaceRiskVersion.string) - place-based violence-prevention analytics for England.
        Reads police.uk street-level crime files, projects them to British National Grid (EPSG:27700,
        metres), counts them by LSOA, month, crime type or grid cell, and finds where they concentrate
        (exact kernel density, Getis-Ord Gi*, Moran's I and LISA), forecasts next month's risk and
        backtests it against naive baselines, and tests how crime rates follow IMD 2019 deprivation.
        Place-based only: no person data.

        USAGE: placerisk <subcommand> [options]

        OPTIONS:
          --version                 Show the version.
          -h, --help                Show help information.

        SUBCOMMANDS:
          aggregate                 Count incidents by LSOA, month, crime type or grid cell.
          merge                     Sum partial aggregates written by 'aggregate --partition-by' into one
                                    table.
          density                   Exact kernel density of incidents on a British National Grid grid.
          hotspots                  Getis-Ord Gi* hot spots on a grid, or Gi* and LISA on LSOAs, with FDR.
          fit                       Fit a logistic, Poisson or negative binomial regression to a table.
          score                     Score every unit for the month after the data with a fitted risk model.
          backtest                  Rolling-origin backtest of the risk model against naive baselines (AUC,
                                    Brier, PAI, PEI).
          correlate                 Correlate LSOA crime rates with IMD 2019 deprivation, by domain.
          nearrepeat                Near-repeats (Knox test): pairs by distance and days bands, with p.
          timeofday                 Hour x weekday counts (aoristic), night-time and weekend shares.
          triangulate               Police-recorded violence beside other agencies' incidents (e.g. ED
                                    assaults), per LSOA x month.
          report                    Write one HTML report: summary, trends, maps, deprivation, risk, bias
                                    audit, manifest.
          evaluate                  Evaluate an intervention: WDD, WDQ, DiD, ITS and a placebo test.
          power                     What change can we detect? Minimum detectable change per area.

          See 'placerisk help <subcommand>' for detailed help.

        """)
        #expect(run(["-h"]).out == r.out && run(["help"]).out == r.out)
    }

    @Test func versionPrintsTheVersion() {
        let r = run(["--version"])
        #expect(r.status == 0 && r.out == "0.1.0\n")
    }

    @Test func subcommandHelpStartsWithOverviewAndListsEveryOption() {
        let r = run(["aggregate", "--help"])
        #expect(r.status == 0)
        #expect(r.out.hasPrefix("OVERVIEW: Count incidents by LSOA, month, crime type or grid cell.\n"))
        #expect(r.out.contains("\nUSAGE: placerisk aggregate <inputs>... --by <keys> --out <file> [options]\n"))
        #expect(r.out.contains("\n  --by <keys>               One of lsoa,month | lsoa,month,crime_type | lsoa | cell,month | cell.\n"))
        #expect(r.out.contains("\n  --grid <xmin,ymin,cell,ncols,nrows>\n                            Exact grid: lower-left corner, cell size (metres), columns, rows.\n"))
        #expect(r.out.hasSuffix("  -h, --help                Show help information.\n"))
        for o in AggregateCommand.spec.options { #expect(r.out.contains("  " + o.name)) }
        #expect(run(["help", "aggregate"]).out == r.out)
        #expect(run(["aggregate", "x", "--by", "lsoa", "-h"]).out == r.out)
    }

    @Test func missingSubcommandUnknownSubcommandAndUnknownOptionExit64() {
        let none = run([])
        #expect(none.status == 64 && none.out.isEmpty)
        #expect(none.err == "Error: missing subcommand\nUsage: placerisk <subcommand> [options]\n  See 'placerisk --help'.\n")
        let unknown = run(["frob"])
        #expect(unknown.status == 64)
        #expect(unknown.err == "Error: unknown subcommand 'frob'\nUsage: placerisk <subcommand> [options]\n  See 'placerisk --help'.\n")
        #expect(run(["--frob"]).err.hasPrefix("Error: unknown option '--frob'\n"))
    }

    static let aggregateUsage = "Usage: placerisk aggregate <inputs>... --by <keys> --out <file> [options]\n  See 'placerisk aggregate --help'.\n"

    @Test(arguments: [
        (["aggregate"], "missing argument '<inputs>'"),
        (["aggregate", "x"], "missing required option '--by <keys>'"),
        (["aggregate", "x", "--by", "lsoa"], "missing required option '--out <file>'"),
        (["aggregate", "x", "--by"], "missing value for '--by <keys>'"),
        (["aggregate", "x", "--by", "lsoa", "--out", "o.csv", "--bogus"], "unknown option '--bogus'"),
        (["aggregate", "x", "--by", "lsoa", "--by", "cell", "--out", "o"], "option '--by' given more than once"),
        (["aggregate", "x", "--by", "lsoa", "--out", "o", "--zero-fill=yes"], "option '--zero-fill' takes no value"),
        (["aggregate", "x", "--by", "week", "--out", "o.csv"], "invalid --by 'week'; expected one of: lsoa,month, lsoa,month,crime_type, lsoa, cell,month, cell"),
        (["aggregate", "x", "--by", "lsoa", "--out", "o.asc"], "an ESRI ASCII grid (.asc) holds one value per cell: use --by cell, or a .csv output"),
        (["aggregate", "x", "--by", "cell", "--out", "o.csv"], "cell keys need --cell <metres> or --grid <xmin,ymin,cell,ncols,nrows>"),
        (["aggregate", "x", "--by", "cell", "--out", "o.csv", "--cell", "-5"], "invalid --cell '-5'; expected a positive number of metres"),
        (["aggregate", "x", "--by", "lsoa", "--out", "o.csv", "--cell", "100"], "--cell and --grid apply to cell keys (--by cell or cell,month)"),
        (["aggregate", "x", "--by", "cell", "--out", "o.csv", "--grid", "1,2,3"],
         "invalid --grid: grid '1,2,3' is not 'xmin,ymin,cellsize,ncols,nrows' (five numbers, metres, lower-left corner)"),
        (["aggregate", "x", "--by", "cell", "--out", "o.csv", "--cell", "100", "--bbox", "-5.7,49.9,-2.9,51.2"],
         "--bbox '-5.7,49.9,-2.9,51.2' looks like longitude/latitude degrees; give British National Grid metres (EPSG:27700)"),
        (["aggregate", "x", "--by", "lsoa", "--out", "o.csv", "--from", "2020-1"], "invalid --from '2020-1'; expected a month YYYY-MM or a day YYYY-MM-DD"),
        (["aggregate", "x", "--by", "lsoa", "--out", "o.csv", "--from", "2020-03", "--to", "2020-01"], "--from 2020-03 is after --to 2020-01: the window ends before it starts"),
        (["aggregate", "x", "--by", "lsoa", "--out", "o.csv", "--study-area", "force"], "invalid --study-area 'force'; expected core or all"),
    ])
    func usageErrorsPrintErrorAndUsageAndExit64(args: [String], message: String) {
        let r = run(args)
        #expect(r.status == 64)
        #expect(r.out.isEmpty)
        #expect(r.err == "Error: \(message)\n" + Self.aggregateUsage)
    }

    @Test func unknownCrimeTypeListsTheFourteen() {
        let r = run(["aggregate", "x", "--by", "lsoa", "--out", "o.csv", "--crime-type", "violence"])
        #expect(r.status == 64)
        #expect(r.err.hasPrefix("Error: unknown --crime-type 'violence'; expected one of: Anti-social behaviour, Bicycle theft,"))
    }

    @Test func runtimeFailuresExit1WithOneLineCause() throws {
        let r = run(["aggregate", "/nonexistent/folder", "--by", "lsoa", "--out", "o.csv"])
        #expect(r.status == 1)
        #expect(r.err == "Error: /nonexistent/folder: no such file or folder\n")
        let empty = try tempDir()
        let e = run(["aggregate", empty, "--by", "lsoa", "--out", empty + "/o.csv"])
        #expect(e.status == 1)
        #expect(e.err == "Error: \(empty): no police.uk '*-street.csv' files found\n")
    }
}

@Suite("Command line: aggregate end to end on the bundled data")
struct AggregateEndToEndTests {
    /// The README's example. Expected rows and total from the pandas oracle
    /// (Tests/PlaceRiskIOTests/Fixtures/pandas_lsoa_month_violence_2020Q1.csv: 2,564 rows, 10,170 incidents).
    @Test func readmeExampleWritesLSOAMonthViolenceCounts() throws {
        let d = try tempDir()
        let r = run(["aggregate", bundledPolice, "--by", "lsoa,month", "--crime-type", "Violence and sexual offences",
                     "--out", d + "/v.csv", "--accounting", d + "/acc.json"])
        #expect(r.status == 0, "\(r.err)")
        let lines = try String(contentsOfFile: d + "/v.csv", encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "lsoa_code,month,count" && lines.count == 2_565)
        #expect(lines.dropFirst().map { Int($0.split(separator: ",")[2])! }.reduce(0, +) == 10_170)
        #expect(r.err.contains("  read                               30135\n"))
        let acc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/acc.json"))) as! [String: Any]
        #expect(acc["rows_read"] as? Int == 30_135 && acc["rows_used"] as? Int == 10_170 && acc["balanced"] as? Bool == true)
        let skipped = acc["skipped"] as! [String: Int]
        #expect(skipped["filtered_crime_type"]! + skipped["no_lsoa"]! == 30_135 - 10_170)
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/v.csv.meta.json"))) as! [String: Any]
        #expect(meta["key"] as? String == "lsoa,month" && meta["incidents_counted"] as? Int == 10_170)
    }

    /// Exact grid → ESRI ASCII grid; its cells sum to the rows used, and the ledger balances.
    @Test func cellTotalsOnAnExactGridBalanceTheLedger() throws {
        let d = try tempDir()
        let r = run(["aggregate", bundledPolice, "--by", "cell", "--grid", "130000,10000,1000,220,120",
                     "--out", d + "/c.asc", "--accounting", d + "/acc.json", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.isEmpty)
        let text = try String(contentsOfFile: d + "/c.asc", encoding: .utf8)
        #expect(text.hasPrefix("ncols 220\nnrows 120\nxllcorner 130000\nyllcorner 10000\ncellsize 1000\nNODATA_value -9999\n"))
        #expect(FileManager.default.fileExists(atPath: d + "/c.prj"))
        let acc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/acc.json"))) as! [String: Any]
        let used = acc["rows_used"] as! Int
        let skipped = acc["skipped"] as! [String: Int]
        // Everything west of 130 km E (Isles of Scilly) and the stray out-of-area points are outside.
        #expect(skipped["no_coordinates"] == 1_234 && skipped["outside_grid"]! > 0)
        #expect(used + skipped.values.reduce(0, +) == 30_135)
        let total = text.split(separator: "\n").dropFirst(6).flatMap { $0.split(separator: " ") }.map { Int($0)! }.reduce(0, +)
        #expect(total == used)
    }

    /// Zero-filled LSOA panel over the study area: every LSOA of the 12 core districts × 3 months.
    @Test func zeroFilledStudyAreaPanelCoversEveryLSOA() throws {
        let d = try tempDir()
        let lookup = repoRoot + "/datasets/imd2019/imd2019_england_lsoa.csv"
        let r = run(["aggregate", bundledPolice, "--by", "lsoa,month", "--zero-fill", "--study-area", "core",
                     "--lookup", lookup, "--out", d + "/p.csv", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let lines = try String(contentsOfFile: d + "/p.csv", encoding: .utf8).split(separator: "\n")
        // 1,034 LSOAs in the 12 Devon & Cornwall districts (datasets README) × 3 months.
        #expect(lines.count == 1 + 1_034 * 3)
    }
}

@Suite("Command line: weights")
struct WeightsTests {
    /// Weighted sums by hand: with violence = 2 and burglary = 0.5 (others 0), each LSOA's weighted
    /// value is 2·(its violence count) + 0.5·(its burglary count), taken from the unweighted
    /// lsoa,crime_type run of the same data.
    @Test func weightedColumnEqualsWeightsTimesTypeCounts() throws {
        let d = try tempDir()
        try "crime_type,weight\nViolence and sexual offences,2\nburglary,0.5\n".write(toFile: d + "/w.csv", atomically: true, encoding: .utf8)
        let r = run(["aggregate", bundledPolice, "--by", "lsoa", "--weights", d + "/w.csv", "--out", d + "/w_out.csv", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let t = run(["aggregate", bundledPolice, "--by", "lsoa,month,crime_type", "--out", d + "/t.csv", "--quiet",
                     "--crime-type", "Violence and sexual offences", "--crime-type", "Burglary"])
        #expect(t.status == 0)
        var expected: [String: Double] = [:]
        for line in try String(contentsOfFile: d + "/t.csv", encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            expected[String(f[0]), default: 0] += (f[2] == "Burglary" ? 0.5 : 2) * Double(f[3])!
        }
        var got: [String: Double] = [:]
        let lines = try String(contentsOfFile: d + "/w_out.csv", encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "lsoa_code,count,weighted")
        for line in lines.dropFirst() {
            let f = line.split(separator: ",")
            if Double(f[2])! > 0 { got[String(f[0])] = Double(f[2])! }
        }
        #expect(got == expected)
    }

    @Test func badWeightsFileNamesLineAndColumn() throws {
        let d = try tempDir()
        try "crime_type,weight\nBurglary,-1\n".write(toFile: d + "/w.csv", atomically: true, encoding: .utf8)
        let r = run(["aggregate", bundledPolice, "--by", "lsoa", "--weights", d + "/w.csv", "--out", d + "/o.csv"])
        #expect(r.status == 1)
        #expect(r.err == "Error: \(d)/w.csv:2:10: column 'weight': '-1' is not a non-negative number\n")
        try "crime_type,weight\nMurder,3\n".write(toFile: d + "/w2.csv", atomically: true, encoding: .utf8)
        let r2 = run(["aggregate", bundledPolice, "--by", "lsoa", "--weights", d + "/w2.csv", "--out", d + "/o.csv"])
        #expect(r2.err == "Error: \(d)/w2.csv:2:1: column 'crime_type': 'Murder' is not one of the 14 police.uk crime types\n")
    }
}

@Suite("Command line: density and hotspots")
struct DensityHotspotsCLITests {
    /// A points CSV in BNG metres (x, y, weight), written to a temporary folder.
    func pointsFile(_ rows: [(Double, Double, Double)]) throws -> String {
        let d = try tempDir()
        let text = "id,x,y,weight\n" + rows.enumerated().map { "\($0.offset),\($0.element.0),\($0.element.1),\($0.element.2)" }.joined(separator: "\n") + "\n"
        try text.write(toFile: d + "/pts.csv", atomically: true, encoding: .utf8)
        return d + "/pts.csv"
    }

    func csvColumn(_ path: String, _ name: String) throws -> [Double] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let c = lines[0].firstIndex(of: Substring(name))!
        return lines.dropFirst().map { Double($0[c]) ?? .nan }
    }

    /// The CLI writes every cell at full precision, equal to the library's estimate (weights used),
    /// and per-km² is exactly 1e6 × per-m².
    @Test func densityCSVEqualsTheLibraryAndStatesUnits() throws {
        var rng = SeededGenerator(seed: 8)
        let pts = (0 ..< 200).map { _ in (Double.random(in: 300_000 ... 305_000, using: &rng), Double.random(in: 100_000 ... 104_000, using: &rng), Double(Int.random(in: 1 ... 3, using: &rng))) }
        let file = try pointsFile(pts)
        let d = try tempDir()
        let grid = "299000,99000,250,28,24"
        let r = run(["density", file, "--grid", grid, "--bandwidth", "700", "--units", "per-m2", "--out", d + "/m2.csv", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let r2 = run(["density", file, "--grid", grid, "--bandwidth", "700", "--out", d + "/km2.csv", "--quiet"])
        #expect(r2.status == 0)
        let m2 = try csvColumn(d + "/m2.csv", "density"), km2 = try csvColumn(d + "/km2.csv", "density")
        #expect(m2.count == 28 * 24)
        let expected = KernelDensity.estimate(x: pts.map(\.0), y: pts.map(\.1), weights: pts.map(\.2), grid: try Grid(spec: grid), kernel: try Kernel(.quartic, bandwidth: 700))
        #expect(m2 == expected)
        for i in m2.indices { #expect(km2[i] == m2[i] * 1e6) }
        let meta = try String(contentsOfFile: d + "/km2.csv.meta.json", encoding: .utf8)
        #expect(meta.contains("\"units\": \"per-km2\"") && meta.contains("\"bandwidth_meaning\": \"support radius\"") && meta.contains("EPSG:27700"))
    }

    @Test func densityRefusesDegreesAndBadBandwidths() throws {
        let deg = try pointsFile([(-4.1, 50.4, 1), (-4.2, 50.5, 1), (-4.0, 50.3, 1)])
        let r = run(["density", deg, "--cell", "100", "--out", "/tmp/x.csv"])
        #expect(r.status == 1)
        #expect(r.err == "Error: \(deg): x and y look like longitude/latitude degrees; give British National Grid metres (EPSG:27700)\n")
        let b = run(["density", deg, "--bandwidth", "0", "--out", "/tmp/x.csv"])
        #expect(b.status == 64 && b.err.hasPrefix("Error: invalid --bandwidth '0'; expected a positive number of metres or auto\n"))
        let k = run(["density", deg, "--kernel", "box", "--out", "/tmp/x.csv"])
        #expect(k.status == 64 && k.err.hasPrefix("Error: invalid --kernel 'box'; expected one of: quartic, gaussian, epanechnikov, triangular, uniform\n"))
    }

    @Test func gridHotspotsExplainZeroVarianceAndEmptyGrids() throws {
        // One point in each of the 4 cells of a 2×2 grid: every count is 1, Gi* undefined.
        let same = try pointsFile([(50, 50, 1), (150, 50, 1), (50, 150, 1), (150, 150, 1)])
        let r = run(["hotspots", same, "--grid", "0,0,100,2,2", "--band", "150", "--out", "/tmp/h.csv"])
        #expect(r.status == 1)
        #expect(r.err == "Error: all 4 values equal 1: Gi* is undefined (zero variance); there are no hot or cold spots to find\n")
        let far = try pointsFile([(900_000, 50, 1), (900_100, 50, 1), (900_200, 50, 1)])
        let e = run(["hotspots", far, "--grid", "0,0,100,2,2", "--band", "150", "--out", "/tmp/h.csv"])
        #expect(e.status == 1 && e.err == "Error: all 3 located points fall outside the grid 0,0,100,2,2\n")
        let nb = run(["hotspots", same, "--grid", "0,0,100,2,2", "--out", "/tmp/h.csv"])
        #expect(nb.status == 64 && nb.err.hasPrefix("Error: grid hot spots need --band <metres>\n"))
    }

    /// LSOA mode on the bundled data: one row per LSOA of the boundaries (1,034), the Isles of Scilly
    /// LSOA (no neighbours) has no LISA p, and a seeded run repeats exactly.
    @Test func lsoaHotspotsCoverEveryLSOAAndRepeat() throws {
        let d = try tempDir()
        let args = ["hotspots", bundledPolice, "--unit", "lsoa", "--crime-type", "Violence and sexual offences",
                    "--boundaries", repoRoot + "/datasets/lsoa2011_boundaries_devon_cornwall/lsoa2011_bsc_devon_cornwall.geojson",
                    "--permutations", "99", "--seed", "7", "--quiet"]
        #expect(run(args + ["--out", d + "/a.csv"]).status == 0)
        #expect(run(args + ["--out", d + "/b.csv"]).status == 0)
        let a = try String(contentsOfFile: d + "/a.csv", encoding: .utf8), b = try String(contentsOfFile: d + "/b.csv", encoding: .utf8)
        #expect(a == b)
        let lines = a.split(separator: "\n")
        #expect(lines.first == "lsoa_code,count,z,p,q,bin,lisa_i,lisa_p,lisa_q,quadrant" && lines.count == 1_035)
        let scilly = lines.first { $0.hasPrefix("E01019077,") }!.split(separator: ",", omittingEmptySubsequences: false)
        #expect(scilly[7] == "" && scilly[9] == "island")
        // Counts per LSOA sum to the violence rows with an LSOA code in the boundaries (pandas: 10,170
        // with a code, of which 1 is outside the 1,034 polygons).
        #expect(lines.dropFirst().map { Double($0.split(separator: ",")[1])! }.reduce(0, +) == 10_169)
    }
}

@Suite("Command line: weights, edge correction and limits")
struct DensityOptionsTests {
    func column(_ path: String, _ name: String) throws -> [Double] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let c = lines[0].firstIndex(of: Substring(name))!
        return lines.dropFirst().map { Double($0[c]) ?? .nan }
    }

    /// KDE is linear in the weights: weighting violence 2 and every other type 0 gives exactly twice the
    /// violence-only surface (same grid, kernel and bandwidth).
    @Test func harmWeightsScaleTheSurfaceLinearly() throws {
        let d = try tempDir()
        try "crime_type,weight\nViolence and sexual offences,2\n".write(toFile: d + "/w.csv", atomically: true, encoding: .utf8)
        let common = ["--grid", "180000,30000,1000,120,70", "--bandwidth", "3000", "--units", "per-m2", "--quiet"]
        #expect(run(["density", bundledPolice, "--weights", d + "/w.csv", "--out", d + "/w.csv.out.csv"] + common).status == 0)
        #expect(run(["density", bundledPolice, "--crime-type", "Violence and sexual offences", "--out", d + "/v.csv"] + common).status == 0)
        let w = try column(d + "/w.csv.out.csv", "density"), v = try column(d + "/v.csv", "density")
        let peak = v.max()!
        #expect(peak > 0)
        for i in w.indices { #expect(abs(w[i] - 2 * v[i]) <= 1e-12 * peak) }
    }

    /// Edge correction against the grid's own rectangle raises the cells near the border (e < 1 there)
    /// and leaves cells far inside within 1e-9 of the uncorrected value (e = 1 up to the 1e-12 tail).
    @Test func gridRectangleEdgeCorrection() throws {
        let d = try tempDir()
        let common = ["--grid", "180000,30000,1000,120,70", "--bandwidth", "3000", "--kernel", "gaussian", "--units", "per-m2", "--quiet"]
        #expect(run(["density", bundledPolice, "--out", d + "/plain.csv"] + common).status == 0)
        let r = run(["density", bundledPolice, "--edge-correct", "--window", "grid", "--out", d + "/edge.csv"] + common)
        #expect(r.status == 0, "\(r.err)")
        let plain = try column(d + "/plain.csv", "density"), edge = try column(d + "/edge.csv", "density")
        let inner = 35 * 120 + 60, corner = 0
        #expect(abs(edge[inner] - plain[inner]) <= 1e-9 * max(plain[inner], 1e-30))
        #expect(plain[corner] == 0 || edge[corner] > plain[corner])
    }

    @Test func gridsAboveTheCellCapAreRefusedWithAHint() {
        let r = run(["hotspots", bundledPolice, "--grid", "0,0,1,100000,100000", "--band", "5", "--out", "/tmp/x.csv"])
        #expect(r.status == 64)
        #expect(r.err.hasPrefix("Error: invalid --grid: grid of 100000 × 100000 cells exceeds the limit of 50000000 cells; use a larger --cell or a --bbox\n"))
    }
}
