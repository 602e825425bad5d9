import PlaceRiskCore
import PlaceRiskIO
import PlaceRiskReport
import Foundation

/// The area beside the force's other districts (the Peninsula partnerships' joint strategic assessment
/// compares them each year): incidents, rate per 1,000 per year, change between the halves of the
/// period, share of the force's incidents and the D1/D10 gradient, per district (`DistrictComparison`).
enum ReportComparison {
    static func blocks(_ ctx: ReportInputs, _ out: inout SectionOutput) throws -> [HTMLBlock] {
        guard let inc = ctx.inputs, let force = inc.forceStudy, let area = inc.study, let imd = ctx.deprivation?.imd else {
            return [.note("The comparison with the force's other districts needs the IMD table (population and deciles).")]
        }
        let units = Array(Set(force.lsoaCodes).union(area.lsoaCodes)).sorted().filter { imd.row(of: $0) != nil }
        guard !units.isEmpty else { return [] }
        let sel = inc.select(types: ctx.types, units: .lsoaSet(Set(units)))
        let T = inc.months.count
        let counts = inc.lsoaMonthCounts(units: units, used: sel.used)
        let rows = units.map { imd.row(of: $0)! }
        let cmp = try DistrictComparison(counts: counts, months: T, population: rows.map { imd.populations[$0] },
                                         district: units.map { imd.districtCode(of: $0) ?? "?" }, decile: rows.map { imd.imdDeciles[$0] })
        let names = imd.districtLookup.districtNames
        let inArea = Set(area.districts)
        let explicit = Set(force.districts) != inArea
        let ordered = cmp.rows.sorted { a, b in
            let ia = inArea.contains(a.district), ib = inArea.contains(b.district)
            return ia != ib ? ia : a.ratePer1000PerYear > b.ratePer1000PerYear
        }
        let first = inc.months.first
        let early = "\(first.advanced(by: cmp.earlierMonths.lowerBound))…\(first.advanced(by: cmp.earlierMonths.upperBound - 1))"
        let late = "\(first.advanced(by: cmp.laterMonths.lowerBound))…\(first.advanced(by: cmp.laterMonths.upperBound - 1))"
        func interval(_ v: Double, _ lo: Double, _ hi: Double) -> String {
            v.isFinite ? "\(Fmt.pct(v, 0)) (\(Fmt.pct(lo, 0)) to \(Fmt.pct(hi, 0)))" : "–"
        }
        var html: [[String]] = [], csv: [[String]] = [["district_code", "district_name", "in_area", "lsoas", "incidents", "population", "rate_per_1000_per_year",
                                                        "earlier", "later", "change", "change_ci_low", "change_ci_high", "share_of_force", "d1_d10", "d1_d10_ci_low", "d1_d10_ci_high"]]
        var json: [JSONValue] = []
        for r in ordered {
            let name = names[r.district] ?? r.district
            let mark = inArea.contains(r.district) && explicit ? " ●" : ""
            html.append([name + mark, Fmt.int(r.incidents), Fmt.num(r.ratePer1000PerYear, 1), interval(r.change, r.changeLow, r.changeHigh), Fmt.pct(r.shareOfForce),
                         r.d1d10.map { "\(Fmt.num($0.ratio, 1)) (\(Fmt.num($0.ciLow, 1))–\(Fmt.num($0.ciHigh, 1)))" } ?? "–"])
            csv.append([r.district, name, inArea.contains(r.district) ? "yes" : "no", String(r.units), r.incidents.shortDescription, r.population.shortDescription,
                        r.ratePer1000PerYear.shortDescription, r.earlier.shortDescription, r.later.shortDescription, r.change.shortDescription,
                        r.changeLow.shortDescription, r.changeHigh.shortDescription, r.shareOfForce.shortDescription,
                        r.d1d10.map { $0.ratio.shortDescription } ?? "", r.d1d10.map { $0.ciLow.shortDescription } ?? "", r.d1d10.map { $0.ciHigh.shortDescription } ?? ""])
            json.append(.object([("district", .string(r.district)), ("rate_per_1000_per_year", .number(r.ratePer1000PerYear)), ("share_of_force", .number(r.shareOfForce))]))
        }
        out.csv(csv, "district_comparison.csv")
        out.numbers.append(("district_comparison", .array(json)))
        let areaNote = explicit ? "The area (●) beside the force's other districts" : "The force's districts"
        return [.table(HTMLTable(header: ["District", "incidents", "per 1,000 residents per year", "change \(late) vs \(early) (95 % CI)", "share of the force", "D1/D10 (95 % CI)"],
                                 rows: html, caption: "\(areaNote): \(ctx.types.map(\.label).sorted().joined(separator: ", ")), \(inc.months.first)…\(inc.months.last). Rates per resident (IMD 2019 mid-2015 population) overstate places with many visitors or seasonal workers (Newquay, the Isles of Scilly). D1/D10: rate in the district's LSOAs of national IMD decile 1 ÷ decile 10 (– where it has none of one). The halves compared are not whole years, so part of the change can be seasonal.")),
        ]
    }
}
