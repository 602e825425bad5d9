import Foundation
import Testing
import PlaceRiskCore
import PlaceRiskIO
@testable import PlaceRiskCLI

@Suite("Command line: report", .serialized)
struct ReportCLITests {
    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
    static func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    /// The bundled report: every section, every map with a legend, scale bar, north arrow, attribution and
    /// non-empty paths; no JavaScript and nothing fetched; table numbers equal the JSON beside the page.
    @Test func bundledReportHasEverySectionAndItsNumbersMatchTheFilesBesideIt() throws {
        let d = try tempDir()
        // The 2020-01…03 street files with the 20-month counts table for trends and the shipped cell model.
        let r = run(["report", bundledPolice, "--counts", repoRoot + "/datasets/police_uk_devon_cornwall_lsoa_counts_2022-05_to_2023-12/lsoa_month_counts.csv",
                     "--model", repoRoot + "/models/dc_violence_cell500.json", "--out", d + "/r.html", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.isEmpty)   // --quiet
        let html = try Self.read(d + "/r.html")
        for id in ["summary", "trends", "maps", "deprivation", "risk", "bias", "manifest"] { #expect(html.contains("<section id=\"\(id)\">"), "\(id)") }
        #expect(!html.lowercased().contains("<script"))
        let urls = html.components(separatedBy: "http").dropFirst().map { String($0.prefix(24)) }
        #expect(urls.allSatisfy { $0.hasPrefix("://www.w3.org/2000/svg") }, "\(urls.prefix(3))")
        // Maps: each SVG with a north arrow also has a legend, a scale bar, attribution and a non-empty path or raster.
        let svgs = html.components(separatedBy: "<svg ").dropFirst().map { $0.components(separatedBy: "</svg>")[0] }
        let maps = svgs.filter { $0.contains("class=\"north-arrow\"") }
        #expect(maps.count >= 5)
        for m in maps {
            #expect(m.contains("class=\"legend\"") && m.contains("class=\"scale-bar\"") && m.contains("class=\"attribution\"") && m.contains("Open Government Licence"))
            #expect(m.contains("<path d=\"M") || m.contains("<rect x="))
        }
        // Numbers in the tables equal report.json / correlations.json beside the page.
        let files = d + "/r_files/"
        let nums = try Self.json(files + "report.json")
        let summary = nums["summary"] as! [[String: Any]]
        let violence = summary.first { ($0["crime_type"] as! String) == "Violence and sexual offences" }!
        #expect(violence["total"] as? Double == 10169)   // = the correlate join (pandas: 10,169 violence rows in study-area LSOAs)
        #expect(html.contains("<td>Violence and sexual offences ●</td><td class=\"num\">10,169</td>"))
        let corr = try Self.json(files + "correlations.json")["correlations"] as! [[String: Any]]
        let rho = (corr[0]["spearman"] as! [String: Any])["rho"] as! Double
        #expect(corr[0]["domain"] as? String == "imd_excluding_crime")
        #expect(html.contains("<td>IMD excluding crime (headline)</td><td class=\"num\">1034</td><td class=\"num\">\(String(format: "%.3f", rho))</td>"))
        let audit = try String(contentsOfFile: files + "bias_audit.csv", encoding: .utf8).split(separator: "\n")
        #expect(audit.count == 11)
        let d1 = audit[1].split(separator: ",", omittingEmptySubsequences: false)
        let crimeShare = Double(d1[3])!
        #expect(html.contains(String(format: "%.1f\u{00A0}%%", 100 * crimeShare)))
        let manifest = try Self.json(files + "manifest.json")
        let inputs = manifest["inputs"] as! [[String: Any]]
        #expect(inputs.count >= 6 && inputs.allSatisfy { ($0["sha256"] as! String).count == 64 })
        let params = manifest["parameters"] as! [String: Any]
        #expect(params["seed"] as? Int == 42 && params["permutations"] as? Int == 999 && params["fdr_alpha"] as? Double == 0.05)
        for f in ["accounting.json", "lsoa_rates.csv", "kde_per_km2.asc", "gistar_significant_cells.csv", "lisa_lsoa.csv", "risk_scores.csv", "backtest.json", "emerging_hotspots.csv", "change_tests.csv"] {
            #expect(FileManager.default.fileExists(atPath: files + f), "\(f)")
        }
    }

    /// A file name with `<script>` and `&` is shown as text, never as markup.
    @Test func textFromDataIsEscaped() throws {
        let d = try tempDir()
        let folder = d + "/a<script>alert(1)</script> & co"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let src = bundledPolice + "/2020-03-devon-and-cornwall-street.csv"
        try FileManager.default.copyItem(atPath: src, toPath: folder + "/2020-03-street.csv")
        let r = run(["report", folder, "--out", d + "/r.html", "--quiet", "--permutations", "99"])
        #expect(r.status == 0, "\(r.err)")
        let html = try Self.read(d + "/r.html")
        #expect(!html.contains("<script>alert(1)</script>"))
        #expect(html.contains("a&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"))
        // One month: the trend chart and emerging hot spots are omitted with their reasons.
        #expect(html.contains("Trend charts are omitted: the data hold one month only (2020-03)"))
        #expect(html.contains("Emerging hot spots are omitted: they need at least 6 months"))
    }

    /// Harm weights: harm totals beside counts (10 × the violence count) and the heavy-tail warning.
    @Test func harmWeightsShowBesideCountsWithAWarning() throws {
        let d = try tempDir()
        try "crime_type,weight\nViolence and sexual offences,10\n".write(toFile: d + "/harm.csv", atomically: true, encoding: .utf8)
        let r = run(["report", bundledPolice, "--weights", d + "/harm.csv", "--out", d + "/r.html", "--quiet", "--permutations", "99"])
        #expect(r.status == 0, "\(r.err)")
        let html = try Self.read(d + "/r.html")
        #expect(html.contains(">harm (weighted)</th>") && html.contains("heavy-tailed"))
        #expect(html.contains("<td class=\"num\">101,690</td>"))   // 10 × 10,169 violence incidents in the study area
    }

    /// A named input file that does not exist is refused before any work (naming the file and the option);
    /// an IMD file that cannot be joined omits its sections with a note and the rest renders; an empty
    /// boundaries file is blamed on itself, not on IMD.
    @Test func missingInputsAreRefusedAndAnUnjoinableIMDOmitsItsSections() throws {
        let d = try tempDir()
        let missing = run(["report", bundledPolice, "--imd", "/nonexistent/imd.csv", "--out", d + "/m.html", "--quiet"])
        #expect(missing.status == 1 && missing.err == "Error: /nonexistent/imd.csv: no such file (--imd)\n", "\(missing.err)")
        let nob = run(["report", bundledPolice, "--boundaries", "/nonexistent/b.geojson", "--out", d + "/b.html", "--quiet"])
        #expect(nob.status == 1 && nob.err == "Error: /nonexistent/b.geojson: no such file (--boundaries)\n", "\(nob.err)")
        #expect(!FileManager.default.fileExists(atPath: d + "/b.html"))
        try "{\"type\": \"FeatureCollection\", \"features\": []}".write(toFile: d + "/empty.geojson", atomically: true, encoding: .utf8)
        let empty = run(["report", bundledPolice, "--boundaries", d + "/empty.geojson", "--out", d + "/e.html", "--quiet"])
        #expect(empty.status == 1 && empty.err.contains("empty.geojson: the boundaries file holds no LSOA polygons"), "\(empty.err)")
        #expect(!empty.err.contains("IMD"))
        try "LSOA code,something\nE01015023,1\n".write(toFile: d + "/imd.csv", atomically: true, encoding: .utf8)
        let r = run(["report", bundledPolice, "--imd", d + "/imd.csv", "--out", d + "/r.html", "--quiet", "--permutations", "99"])
        #expect(r.status == 0, "\(r.err)")
        let html = try Self.read(d + "/r.html")
        #expect(html.contains("The deprivation section is omitted: IMD could not be joined"))
        #expect(!html.contains("RuntimeError") && !html.contains("CSVError"))
        #expect(html.contains("The bias audit could not be computed"))
        #expect(html.contains("<section id=\"maps\">") && html.contains("class=\"north-arrow\""))
    }

    /// No rows of the analysed type in the period: the maps say so; an unwritable output is a one-line error.
    @Test func noViolenceAndUnwritableOutputAreClearMessages() throws {
        let d = try tempDir()
        let csv = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
            + ",2020-01,Devon & Cornwall Police,Devon & Cornwall Police,-4.14,50.37,On or near X,E01015023,Plymouth 003A,Anti-social behaviour,,\n"
            + ",2020-02,Devon & Cornwall Police,Devon & Cornwall Police,-4.14,50.37,On or near X,E01015023,Plymouth 003A,Anti-social behaviour,,\n"
        try csv.write(toFile: d + "/asb.csv", atomically: true, encoding: .utf8)
        let r = run(["report", d + "/asb.csv", "--out", d + "/r.html", "--quiet", "--permutations", "99"])
        #expect(r.status == 0, "\(r.err)")
        let html = try Self.read(d + "/r.html")
        #expect(html.contains("No located Violence and sexual offences incidents in the study area and period: the maps are omitted."))
        #expect(html.contains("<section id=\"manifest\">"))
        let w = run(["report", "--out", "/proc/placerisk/r.html", "--quiet"])
        #expect(w.status == 1 && w.err.hasPrefix("Error: cannot create /proc/placerisk/r_files"))
        let ext = run(["report", "--out", d + "/r.pdf"])
        #expect(ext.status == 64 && ext.err.hasPrefix("Error: --out must end in .html\n"))
    }
}

@Suite("Command line: the planner's report", .serialized)
struct PlannerReportCLITests {
    /// --area "Cornwall,Isles of Scilly" (names, case ignored): key findings first with links, the area
    /// beside the force's other districts, every place named (LSOA, MSOA, district) in tables and CSVs, and
    /// the risk list by the method the backtest found best.
    @Test func theAreaReportLeadsWithFindingsComparesDistrictsAndNamesPlaces() throws {
        let d = try tempDir()
        let r = run(["report", bundledPolice, "--area", "cornwall, Isles of Scilly", "--out", d + "/r.html", "--quiet", "--permutations", "99"])
        #expect(r.status == 0, "\(r.err)")
        let html = try String(contentsOfFile: d + "/r.html", encoding: .utf8)
        let findings = html.range(of: "<section id=\"key-findings\">"), summary = html.range(of: "<section id=\"summary\">")
        #expect(findings != nil && summary != nil && findings!.lowerBound < summary!.lowerBound)
        #expect(html.contains("<a href=\"#maps\">(details)</a>") && html.contains("Prediction: "))
        #expect(html.contains("Area: Cornwall and Isles of Scilly ("))
        #expect(html.contains("<td>Cornwall ●</td>") && html.contains("<td>Plymouth</td>"))
        #expect(html.contains("Newquay"))   // the visitors caveat
        let files = d + "/r_files/"
        let comparison = try String(contentsOfFile: files + "district_comparison.csv", encoding: .utf8).split(separator: "\n")
        #expect(comparison[0].hasPrefix("district_code,district_name,in_area,"))
        #expect(comparison.count == 13)   // header + the 12 districts of the force's study area
        // By partnership (datasets/partnerships/): 7 partnerships; Safer Cornwall first, in the area, and its
        // incidents the sum of its two districts' rows (grouping is additive).
        let partnerships = try String(contentsOfFile: files + "partnership_comparison.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(partnerships.count == 8 && partnerships[0].prefix(3) == ["partnership_districts", "partnership", "in_area"])
        #expect(partnerships[1].prefix(3) == ["E06000052;E06000053", "Safer Cornwall", "yes"])
        let byDistrict = comparison.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let cornwallAndScilly = byDistrict.filter { $0[0] == "E06000052" || $0[0] == "E06000053" }.map { Double($0[4])! }.reduce(0, +)
        #expect(Double(partnerships[1][4]) == cornwallAndScilly)
        #expect(html.contains("<td>Safer Cornwall ●</td>"))
        var reader = try CSVReader(path: files + "risk_scores.csv")
        #expect(try reader.next())
        #expect(reader.fields.prefix(7) == ["cell_id", "lsoa_name", "msoa_name", "district", "month", "ranked_by", "rank"])
        // Every scored cell lies in Cornwall or the Isles of Scilly (cells of the area's incidents only) and carries names.
        var districts = Set<String>()
        while try reader.next() { districts.insert(reader.fields[3]) }
        #expect(districts.isSubset(of: ["Cornwall", "Isles of Scilly"]), "\(districts)")
        let accounting = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: files + "accounting.json"))) as! [String: Any]
        #expect(accounting["balanced"] as? Bool == true)
    }

    /// An --area naming no district of the lookup is refused with the names it accepts.
    @Test func anUnknownAreaIsRefused() {
        let r = run(["report", bundledPolice, "--area", "Atlantis", "--out", "/tmp/placerisk-atlantis/r.html", "--quiet"])
        #expect(r.status == 64 && r.err.hasPrefix("Error: 'Atlantis' is not a district code or name in "), "\(r.err)")
        let both = run(["report", bundledPolice, "--area", "Cornwall", "--districts", "E06000052", "--out", "/tmp/placerisk-atlantis/r.html"])
        #expect(both.status == 64 && both.err.hasPrefix("Error: give either --area or --districts, not both"))
    }

    /// An area whose LSOAs have no boundaries: the report still renders and says which polygons are missing;
    /// a lookup without district names refuses a name with a sentence saying to give codes.
    @Test func anAreaWithoutBoundariesOrALookupWithoutNamesIsExplained() throws {
        let d = try tempDir()
        // Boundaries of three Plymouth LSOAs only (cut from the bundled file): none of Cornwall's.
        var geo = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: repoRoot + "/" + DensityCommand.defaultBoundaries))) as! [String: Any]
        geo["features"] = (geo["features"] as! [[String: Any]]).filter { (($0["properties"] as! [String: Any])["LSOA11CD"] as! String).hasPrefix("E0101502") }.prefix(3).map { $0 }
        try JSONSerialization.data(withJSONObject: geo).write(to: URL(fileURLWithPath: d + "/plymouth.geojson"))
        // A partnership table without Torbay: no comparison by partnership, and the page says which district is missing.
        try "district_code,partnership\nE06000052,Safer Cornwall\nE06000053,Safer Cornwall\n".write(toFile: d + "/csp.csv", atomically: true, encoding: .utf8)
        let r = run(["report", bundledPolice, "--area", "Cornwall", "--boundaries", d + "/plymouth.geojson", "--partnerships", d + "/csp.csv", "--out", d + "/r.html", "--quiet", "--permutations", "99"])
        #expect(r.status == 0, "\(r.err)")
        let html = try String(contentsOfFile: d + "/r.html", encoding: .utf8)
        #expect(html.contains("The LSOA rate map is omitted: the boundaries file \(d)/plymouth.geojson has no polygon for"), "\(html.prefix(0))")
        #expect(html.contains("<section id=\"key-findings\">") && html.contains("<section id=\"manifest\">"))
        #expect(html.contains("No comparison by partnership: ") && html.contains("Torbay") && !FileManager.default.fileExists(atPath: d + "/r_files/partnership_comparison.csv"))
        // A district in two partnerships: refused before any work, naming the file and line.
        try "district_code,partnership\nE06000052,Safer Cornwall\nE06000052,Safer Devon\n".write(toFile: d + "/twice.csv", atomically: true, encoding: .utf8)
        let twice = run(["report", bundledPolice, "--partnerships", d + "/twice.csv", "--out", d + "/t.html", "--quiet"])
        #expect(twice.status == 1 && twice.err.contains("twice.csv:3:2"), "\(twice.err)")
        // A lookup with LSOA and district codes but no names.
        var lookup = "lsoa_code,la_code\n"
        let imd = try String(contentsOfFile: repoRoot + "/datasets/imd2019/imd2019_england_lsoa.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        for line in imd { let f = line.split(separator: ",", maxSplits: 4, omittingEmptySubsequences: false); lookup += "\(f[0]),\(f[2])\n" }
        try lookup.write(toFile: d + "/lookup.csv", atomically: true, encoding: .utf8)
        let n = run(["report", bundledPolice, "--lookup", d + "/lookup.csv", "--area", "Cornwall", "--out", d + "/n.html", "--quiet"])
        #expect(n.status == 64 && n.err.hasPrefix("Error: 'Cornwall' is not a district code in \(d)/lookup.csv, which has no district names; give codes"), "\(n.err)")
    }

    /// `--each-district`: one page per district of the inputs' study area, each the report `--area
    /// <district>` writes (result files byte for byte), and an index whose rows are those pages' numbers.
    /// A lookup of three districts (rows of the bundled IMD table) keeps the force's area to three, and one
    /// month keeps the test short.
    @Test func eachDistrictWritesTheAreaReportOfEveryDistrictAndAnIndex() throws {
        let d = try tempDir()
        let imd = try String(contentsOfFile: repoRoot + "/datasets/imd2019/imd2019_england_lsoa.csv", encoding: .utf8).split(separator: "\n")
        let three: Set<Substring> = ["E06000052", "E06000053", "E06000026"]
        let kept = imd.dropFirst().filter { three.contains($0.split(separator: ",", maxSplits: 4, omittingEmptySubsequences: false)[2]) }
        try (([imd[0]] + kept).joined(separator: "\n") + "\n").write(toFile: d + "/lookup.csv", atomically: true, encoding: .utf8)
        let common = [bundledPolice + "/2020-03-devon-and-cornwall-street.csv", "--lookup", d + "/lookup.csv", "--quiet", "--permutations", "99"]
        let r = run(["report"] + common + ["--each-district", "--out", d + "/each/index.html"])
        #expect(r.status == 0, "\(r.err)")
        let pages = try FileManager.default.contentsOfDirectory(atPath: d + "/each").sorted()
        #expect(pages == ["cornwall.html", "cornwall_files", "index.html", "isles-of-scilly.html", "isles-of-scilly_files", "plymouth.html", "plymouth_files"], "\(pages)")
        let one = run(["report"] + common + ["--area", "Plymouth", "--out", d + "/one/plymouth.html"])
        #expect(one.status == 0, "\(one.err)")
        let files = try FileManager.default.contentsOfDirectory(atPath: d + "/one/plymouth_files").sorted()
        #expect(try FileManager.default.contentsOfDirectory(atPath: d + "/each/plymouth_files").sorted() == files)
        for f in files where f != "manifest.json" {   // the manifest holds the run's own time
            #expect(try Data(contentsOf: URL(fileURLWithPath: d + "/each/plymouth_files/" + f)) == Data(contentsOf: URL(fileURLWithPath: d + "/one/plymouth_files/" + f)), "\(f)")
        }
        // The index: one row per district, its rate the one in that district's comparison table.
        let index = try String(contentsOfFile: d + "/each/index.html", encoding: .utf8)
        #expect(index.contains("<a href=\"plymouth.html\">Plymouth</a>") && index.contains("<a href=\"isles-of-scilly.html\">Isles of Scilly</a>"))
        let rows = try String(contentsOfFile: d + "/one/plymouth_files/district_comparison.csv", encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let plymouth = try #require(rows.first { $0[0] == "E06000026" })
        #expect(index.contains("<td>Plymouth</td><td class=\"num\">\(Fmt.num(Double(plymouth[6])!, 1))</td>"), "\(plymouth)")
        // Refused before any work: with --area, with --pdf, and pages into the folder of the inputs.
        #expect(run(["report", bundledPolice, "--each-district", "--area", "Cornwall", "--out", d + "/x/i.html"]).status == 64)
        #expect(run(["report", bundledPolice, "--each-district", "--pdf", d + "/x.pdf", "--out", d + "/x/i.html"]).status == 64)
        let into = run(["report", bundledPolice, "--each-district", "--out", bundledPolice + "/index.html"])
        #expect(into.status == 64 && into.err.contains("holds the input"), "\(into.err)")
    }

    /// The bundled demonstration is one coherent period of street data: 23 months, so the trend per year,
    /// year-on-year columns and emerging hot spots all come from the same incidents as the maps.
    @Test func theBundledDemonstrationIsOneCoherentPeriod() throws {
        #expect(ReportCommand.bundledPolice.hasSuffix("datasets/police_uk_devon_cornwall_street_2016-01_to_2017-11"))
        let o = try ReportOptions(try ReportCommand.spec.parse(["--out", "/tmp/x.html"]))
        #expect(o.counts == nil && o.bundled)
    }
}
