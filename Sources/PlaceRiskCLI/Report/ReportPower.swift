import PlaceRiskCore
import PlaceRiskIO
import PlaceRiskReport
import Foundation

/// "What change can we detect?": per district of the study area (and the median LSOA), the minimum
/// detectable fall at 80 % power and α = 0.05 with every month of the data as baseline and 12 months
/// after, and the months after needed to detect a 10/20/30 % fall (`DetectableChange`; the same rows as
/// `placerisk power --levels district`).
enum ReportPower {
    static let after = PowerOptions.defaultAfter

    static func section(_ ctx: ReportInputs) throws -> SectionOutput {
        var out = SectionOutput()
        guard let inc = ctx.inputs, let sa = inc.study else { throw RuntimeError("no study area") }
        let T = inc.months.count
        guard T >= 2 else { throw RuntimeError("one month of data gives no baseline variation") }
        let units = sa.lsoaCodes
        let counts = IncidentPanelCounts.lsoaMonth(inc.table, used: ctx.selection.used, units: units, months: inc.months)
        let names = Dictionary(sa.coverage.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let lookup = ctx.names
        var byDistrict: [String: [Int]] = [:]
        for (u, c) in units.enumerated() { if let d = lookup?[lsoa: c]?.districtCode { byDistrict[d, default: []].append(u) } }
        func series(_ m: [Int]) -> [Double] { (0 ..< T).map { t in m.reduce(0.0) { $0 + counts[$1 * T + t] } } }
        func months(_ d: DetectableChange, _ f: Int) -> String { (d.monthsFor[f] ?? nil).map(String.init) ?? "not within 20 years" }
        var html: [[String]] = [], csv: [[String]] = [["district_code", "district_name", "lsoas", "mean_per_month", "alpha", "mdc_percent_fall", "months_after_10pc", "months_after_20pc", "months_after_30pc"]]
        var json: [JSONValue] = []
        for code in sa.districts where byDistrict[code] != nil {
            let d = DetectableChange(baseline: series(byDistrict[code]!), after: after)
            let name = names[code] ?? code
            html.append([name, Fmt.num(d.meanPerMonth, 1), Fmt.sig(d.alpha, 2), d.percentFall.map { Fmt.num($0, 0) + " %" } ?? "–", months(d, 10), months(d, 20), months(d, 30)])
            csv.append([code, name, String(byDistrict[code]!.count), d.meanPerMonth.shortDescription, d.alpha.shortDescription, d.percentFall?.shortDescription ?? "",
                        (d.monthsFor[10] ?? nil).map(String.init) ?? "", (d.monthsFor[20] ?? nil).map(String.init) ?? "", (d.monthsFor[30] ?? nil).map(String.init) ?? ""])
            json.append(.object([("district", .string(code)), ("mdc_percent_fall", d.percentFall.map { .number($0) } ?? .null)]))
        }
        // The median LSOA: "the numbers at local level are too low", as a number.
        let lsoaFalls = (0 ..< units.count).map { DetectableChange(baseline: series([$0]), after: after).percentFall ?? 100 }.sorted()
        let median = lsoaFalls.isEmpty ? Double.nan : lsoaFalls[lsoaFalls.count / 2]
        out.csv(csv, "detectable_change.csv")
        out.numbers.append(("detectable_change", .object([("after_months", .int(after)), ("before_months", .int(T)), ("districts", .array(json)), ("median_lsoa_mdc_percent_fall", .number(median))])))
        if let best = csv.dropFirst().compactMap({ r in Double(r[5]).map { (r[1], $0) } }).min(by: { $0.1 < $1.1 }) {
            out.findings.append(Finding(text: "With \(T) months of baseline and \(after) months after, the smallest fall in \(ctx.types.map(\.label).sorted().joined(separator: ", ")) a district could detect is \(Fmt.num(best.1, 0)) % (\(best.0)); for a single LSOA (median) it is \(Fmt.num(median, 0)) %.", section: "power"))
        }
        return out.finish(HTMLSection(id: "power", heading: "6b. What change can we detect?", blocks: [
            .paragraph("The smallest fall a before/after comparison could tell from chance (80 % power, two-sided α = 0.05), with the \(T) months of these data as the baseline and \(after) months after, given each district's monthly level and the over-dispersion of its monthly counts (NB2 α by moments, which also counts trend and season as noise, so errs on the cautious side). The median LSOA could detect only a fall of \(Fmt.num(median, 0)) %: \"too low to measure\" at local level, as a number. With a comparison area the detectable change is larger still."),
            .table(HTMLTable(header: ["District", "incidents per month", "α", "detectable fall (12 months after)", "months for a 10 % fall", "20 %", "30 %"], rows: html,
                             caption: "What change can we detect? \(ctx.types.map(\.label).sorted().joined(separator: ", ")), \(inc.months.first)…\(inc.months.last) as baseline (the same rows as placerisk power --levels district). \"Not within 20 years\": the baseline's length and over-dispersion set a floor that more months after cannot pass.")),
        ]))
    }
}
