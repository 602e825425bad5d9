import PlaceRiskCore
import PlaceRiskIO
import PlaceRiskReport
import Foundation

/// `placerisk report --each-district --out DIR/index.html`: one report per district of the inputs'
/// study area (`DIR/<district>.html` with its `DIR/<district>_files/`, each exactly the report
/// `--area <district>` writes) and an index page comparing them. The street files, the boundaries and
/// the IMD table are read once; each district's sections then run on the same rows.
enum EachDistrictReport {
    static func run(_ o: ReportOptions, io: CLIOutput) throws {
        let dir = (o.out as NSString).deletingLastPathComponent
        try refuseInputsIn(dir.isEmpty ? "." : dir, inputs: o.input.paths)
        let shared = try ReportSharedInputs(o, io: io)
        guard let force = shared.incidents.forceStudy, let lookup = shared.incidents.lookup else {
            throw RuntimeError("--each-district needs the study-area rule: an LSOA -> district lookup (give --lookup FILE)")
        }
        let names = lookup.districtNames
        let districts = force.districts.sorted { (names[$0] ?? $0) < (names[$1] ?? $1) }
        var pages: [(code: String, name: String, file: String, numbers: [(String, JSONValue)])] = []
        var used = Set<String>()
        for d in districts {
            let name = names[d] ?? d
            var file = slug(name)
            if used.contains(file) { file += "-" + d.lowercased() }
            used.insert(file)
            var od = o
            od.out = (dir as NSString).appendingPathComponent(file + ".html")
            od.input.districts = [d]
            od.deprivation.input.districts = [d]
            guard let incidents = shared.incidents.restricted(to: [d]) else { continue }
            if !o.quiet { io.err("== \(name) (\(d)): \(od.out)\n") }
            let folder = ResultsFolder(final: String(od.out.dropLast(5)) + "_files")
            try folder.prepare()
            let numbers: [(String, JSONValue)]
            do {
                let r = try ReportInputs(od, io: io, shared: ReportSharedInputs(incidents: incidents, boundaries: shared.boundaries, imd: shared.imd))
                numbers = try ReportCommand.write(r, folder, io: io)
            } catch { folder.discard(); throw error }
            pages.append((d, name, file + ".html", numbers))
        }
        let index = indexPage(pages, o: o, months: shared.incidents.months)
        createParentFolder(of: o.out)
        do { try index.render().write(toFile: o.out, atomically: true, encoding: .utf8) } catch {
            throw RuntimeError("cannot write \(o.out): \(plainDescription(error))")
        }
        if !o.quiet { io.err("wrote \(pages.count) district reports and the index \(o.out)\n") }
    }

    /// The page's file name for a district name: lower case, letters and digits, words joined by "-"
    /// ("Isles of Scilly" → "isles-of-scilly").
    static func slug(_ name: String) -> String {
        let words = name.lowercased().split { !($0.isLetter || $0.isNumber) || !$0.isASCII }
        return words.isEmpty ? "district" : words.joined(separator: "-")
    }

    /// The pages go into the folder of `--out`; a folder holding an input is refused (a page or a
    /// results folder could replace it).
    static func refuseInputsIn(_ dir: String, inputs: [String]) throws {
        let folder = FileIdentity(path: dir)
        for p in inputs {
            var isDir: ObjCBool = false
            let files = FileManager.default.fileExists(atPath: p, isDirectory: &isDir) && isDir.boolValue ? OutputGuard.filesInside(p) : [p]
            if let hit = files.first(where: { FileIdentity(path: $0).isInside(folder: folder) }) {
                throw UsageError("--each-district writes its pages into \(dir), which holds the input \(hit); choose another folder for --out")
            }
        }
    }

    /// The index: one row per district from its own report's numbers, linked to its page.
    static func indexPage(_ pages: [(code: String, name: String, file: String, numbers: [(String, JSONValue)])], o: ReportOptions, months: MonthRange) -> HTMLDocument {
        let types = o.types.map(\.label).sorted().joined(separator: ", ")
        // The comparison with the force's districts is the same table in every page (rate, change, share):
        // read from the first page that has it, so a district whose own deprivation join fails still gets its row.
        let comparison: [JSONValue] = pages.lazy.compactMap { p -> [JSONValue]? in
            guard case .array(let items)? = p.numbers.first(where: { $0.0 == "district_comparison" })?.1 else { return nil }
            return items
        }.first ?? []
        var rows: [[String]] = []
        for p in pages {
            let n = Dictionary(p.numbers, uniquingKeysWith: { a, _ in a })
            var own: [(String, JSONValue)]?
            for case .object(let fields) in comparison where fields.contains(where: { $0.0 == "district" && $0.1 == .string(p.code) }) { own = fields }
            func field(_ k: String) -> Double? {
                guard let v = own?.first(where: { $0.0 == k })?.1 else { return nil }
                return number(v)
            }
            var trend = "–"
            if case .object(let t)? = n["trend_percent_per_year"], let e = t.first(where: { $0.0 == "estimate" }).flatMap({ number($0.1) }),
               let lo = t.first(where: { $0.0 == "ci_low" }).flatMap({ number($0.1) }), let hi = t.first(where: { $0.0 == "ci_high" }).flatMap({ number($0.1) }) {
                trend = "\(Fmt.num(e, 1)) % (\(Fmt.num(lo, 1)) to \(Fmt.num(hi, 1)))"
            }
            var gradient = "–"
            if case .object(let g)? = n["deprivation_gradient"], let rr = g.first(where: { $0.0 == "rate_ratio" }).flatMap({ number($0.1) }),
               case .int(let hi)? = g.first(where: { $0.0 == "most_deprived_decile" })?.1, case .int(let lo)? = g.first(where: { $0.0 == "least_deprived_decile" })?.1,
               let cl = g.first(where: { $0.0 == "ci_low" }).flatMap({ number($0.1) }), let ch = g.first(where: { $0.0 == "ci_high" }).flatMap({ number($0.1) }) {
                gradient = "\(Fmt.num(rr, 1)) (\(Fmt.num(cl, 1))–\(Fmt.num(ch, 1)))" + (hi == 1 && lo == 10 ? "" : ", D\(hi)/D\(lo)")
            }
            let best: String
            if case .string(let b)? = n["best_method"] { best = b } else { best = "–" }
            rows.append([p.name, field("rate_per_1000_per_year").map { Fmt.num($0, 1) } ?? "–",
                         field("change").map { Fmt.pct($0, 0) } ?? "–",
                         field("share_of_force").map { Fmt.pct($0) } ?? "–",
                         n["top10pct_lsoas_share"].flatMap(number).map { Fmt.pct($0, 0) } ?? "–",
                         gradient, trend, best])
        }
        let links = "<ul class=\"district-links\">" + pages.map { "<li><a href=\"\(HTMLEscape.attribute($0.file))\">\(HTMLEscape.text($0.name))</a> (\(HTMLEscape.text($0.code)))</li>" }.joined() + "</ul>"
        let table = HTMLTable(header: ["District", "per 1,000 residents per year", "change, later vs earlier half", "share of the force", "share in the top 10 % of LSOAs", "D1/D10 (95 % CI)", "trend per year (95 % CI)", "risk list ranked by"],
                              rows: rows, caption: "\(types), \(months.first)…\(months.last): each district's own report, one row each (the numbers of its report.json). Rates per resident (IMD 2019 mid-2015 population) overstate places with many visitors or seasonal workers. D1/D10: rate in national IMD decile 1 ÷ decile 10 of IMD excluding crime, among the district's own LSOAs; where it has none of one, the most ÷ least deprived decile it has (named). Trend: seasonal Poisson model, 13 months or more.")
        let section = HTMLSection(id: "districts", heading: "Districts", blocks: [
            .note("Data: \(types) recorded by the police (police.uk street-level files), \(months.first)…\(months.last); the files were read once and every district's report uses the same rows, the study-area rule applied within the district."),
            .table(table), .trustedHTML(links),
        ])
        return HTMLDocument(title: "PlaceRisk: \(pages.count) district reports", subtitle: ["\(types), \(months.first)…\(months.last). PlaceRisk \(PlaceRiskVersion.string)."], sections: [section])
    }

    static func number(_ v: JSONValue) -> Double? {
        switch v {
        case .number(let d): return d.isFinite ? d : nil
        case .int(let i): return Double(i)
        default: return nil
        }
    }
}
