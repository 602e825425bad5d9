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
        let counts = IncidentPanelCounts.lsoaMonth(inc.table, used: sel.used, units: units, months: inc.months)
        let rows = units.map { imd.row(of: $0)! }
        let districtOfUnit = units.map { imd.districtCode(of: $0) ?? "?" }
        let names = imd.districtLookup.districtNames
        let inArea = Set(area.districts)
        let explicit = Set(force.districts) != inArea
        let first = inc.months.first
        let typesText = ctx.types.map(\.label).sorted().joined(separator: ", ")
        let caveats = "Rates per resident (IMD 2019 mid-2015 population) overstate places with many visitors or seasonal workers (Newquay, the Isles of Scilly). D1/D10: rate in the LSOAs of national IMD decile 1 ÷ decile 10 (– where there are none of one; most of Cornwall has no decile-10 LSOA). The halves compared are not whole years, so part of the change can be seasonal."

        /// One comparison table: units grouped by `group` (a district code, or a partnership name).
        func comparison(group: [String], label: (String) -> String, code: (String) -> String, isArea: (String) -> Bool, kind: String, file: String, key: String) throws -> (HTMLTable, Int) {
            let cmp = try DistrictComparison(counts: counts, months: T, population: rows.map { imd.populations[$0] },
                                             district: group, decile: rows.map { imd.imdDeciles[$0] })
            let ordered = cmp.rows.sorted { a, b in
                let ia = isArea(a.district), ib = isArea(b.district)
                return ia != ib ? ia : a.ratePer1000PerYear > b.ratePer1000PerYear
            }
            let early = "\(first.advanced(by: cmp.earlierMonths.lowerBound))…\(first.advanced(by: cmp.earlierMonths.upperBound - 1))"
            let late = "\(first.advanced(by: cmp.laterMonths.lowerBound))…\(first.advanced(by: cmp.laterMonths.upperBound - 1))"
            func interval(_ v: Double, _ lo: Double, _ hi: Double) -> String {
                v.isFinite ? "\(Fmt.pct(v, 0)) (\(Fmt.pct(lo, 0)) to \(Fmt.pct(hi, 0)))" : "–"
            }
            var html: [[String]] = [], csv: [[String]] = [(kind == "district" ? ["district_code", "district_name"] : ["partnership_districts", "partnership"]) + ["in_area", "lsoas", "incidents", "population", "rate_per_1000_per_year",
                                                            "earlier", "later", "change", "change_ci_low", "change_ci_high", "share_of_force", "d1_d10", "d1_d10_ci_low", "d1_d10_ci_high"]]
            var json: [JSONValue] = []
            for r in ordered {
                let name = label(r.district)
                let mark = isArea(r.district) && explicit ? " ●" : ""
                html.append([name + mark, Fmt.int(r.incidents), Fmt.num(r.ratePer1000PerYear, 1), interval(r.change, r.changeLow, r.changeHigh), Fmt.pct(r.shareOfForce),
                             r.d1d10.map { "\(Fmt.num($0.ratio, 1)) (\(Fmt.num($0.ciLow, 1))–\(Fmt.num($0.ciHigh, 1)))" } ?? "–"])
                csv.append([code(r.district), name, isArea(r.district) ? "yes" : "no", String(r.units), r.incidents.shortDescription, r.population.shortDescription,
                            r.ratePer1000PerYear.shortDescription, r.earlier.shortDescription, r.later.shortDescription, r.change.shortDescription,
                            r.changeLow.shortDescription, r.changeHigh.shortDescription, r.shareOfForce.shortDescription,
                            r.d1d10.map { $0.ratio.shortDescription } ?? "", r.d1d10.map { $0.ciLow.shortDescription } ?? "", r.d1d10.map { $0.ciHigh.shortDescription } ?? ""])
                json.append(.object([(kind, .string(r.district)), ("rate_per_1000_per_year", .number(r.ratePer1000PerYear)), ("share_of_force", .number(r.shareOfForce)),
                                     ("change", r.change.isFinite ? .number(r.change) : .null), ("d1_d10", r.d1d10.map { .number($0.ratio) } ?? .null)]))
            }
            out.csv(csv, file)
            out.numbers.append((key, .array(json)))
            let header = [kind == "district" ? "District" : "Partnership", "incidents", "per 1,000 residents per year", "change \(late) vs \(early) (95 % CI)", "share of the force", "D1/D10 (95 % CI)"]
            let areaNote = explicit ? "The area (●) beside the force's other \(kind == "district" ? "districts" : "partnerships")" : "The force's \(kind == "district" ? "districts" : "partnerships")"
            let note = kind == "district" ? caveats : "Grouped from the districts above; the same caveats apply."
            return (HTMLTable(header: header, rows: html, caption: "\(areaNote): \(typesText), \(inc.months.first)…\(inc.months.last). \(note)"), ordered.count)
        }

        var blocks: [HTMLBlock] = []
        let byDistrict = try comparison(group: districtOfUnit, label: { names[$0] ?? $0 }, code: { $0 }, isArea: { inArea.contains($0) },
                                        kind: "district", file: "district_comparison.csv", key: "district_comparison")
        // By partnership (the Peninsula's community safety partnerships compare themselves each year).
        if let lookup = ctx.partnerships {
            let missing = Set(districtOfUnit).filter { lookup.partnershipOfDistrict[$0] == nil }.sorted()
            if missing.isEmpty {
                let group = districtOfUnit.map { lookup.partnershipOfDistrict[$0]! }
                var members: [String: Set<String>] = [:]
                for (d, p) in zip(districtOfUnit, group) { members[p, default: []].insert(d) }
                let byPartnership = try comparison(group: group, label: { $0 }, code: { members[$0, default: []].sorted().joined(separator: ";") }, isArea: { p in members[p].map { !$0.isEmpty && $0.isSubset(of: inArea) } ?? false },
                                                   kind: "partnership", file: "partnership_comparison.csv", key: "partnership_comparison")
                if byPartnership.1 > 1 {
                    blocks.append(.table(byPartnership.0))
                    blocks.append(.note("Partnerships from \(ctx.options.partnerships ?? "--partnerships") (district → partnership; check it against current partnership boundaries)."))
                }
            } else {
                blocks.append(.note("No comparison by partnership: \(missing.map { names[$0] ?? $0 }.joined(separator: ", ")) \(missing.count == 1 ? "is" : "are") not in \(ctx.options.partnerships ?? "the partnership table") (give --partnerships FILE with district_code, partnership)."))
            }
        }
        return [.table(byDistrict.0)] + blocks
    }
}
