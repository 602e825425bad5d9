import PlaceRiskCore
import PlaceRiskIO
import PlaceRiskReport
import Foundation

/// Section 4: the correlation table by domain (IMD excluding crime as the headline) and the decile gradient.
enum ReportDeprivation {
    static func section(_ ctx: ReportInputs) throws -> SectionOutput {
        var out = SectionOutput()
        guard let d = ctx.deprivation else {
            return out.finish(HTMLSection(id: "deprivation", heading: "4. Deprivation", blocks: [.note("The deprivation section is omitted: \(ctx.deprivationNote ?? "no IMD data").")]))
        }
        ctx.progress("deprivation: \(d.codes.count) LSOAs × 9 measures")
        let analysis = try DeprivationAnalysis(d, domains: DeprivationInputs.allDomains, ebRates: false, boundaries: ctx.boundaries)
        out.json(analysis.json(d, rate: "per-1000"), "correlations.json")
        out.csv([["lsoa_code", "lsoa_name", "count", "population", "rate_per_1000", "eb_rate_per_1000"] + analysis.measures.map(\.name)] + d.codes.indices.map { i in
            [d.codes[i], d.names[i], d.counts[i].shortDescription, d.population[i].shortDescription, analysis.rate[i].shortDescription, analysis.eb.rates[i].shortDescription]
                + analysis.measures.map { $0.values[i].shortDescription }
        }, "lsoa_rates.csv")
        var blocks: [HTMLBlock] = []
        blocks.append(.paragraph("Rate of \(d.crimeNote) per 1,000 residents (IMD 2019 mid-2015 population) in \(d.codes.count) LSOAs over \(d.periodNote), against each deprivation measure oriented so that higher = more deprived. The headline is IMD excluding crime: the IMD Crime domain is built from recorded crime, so correlating crime with the full IMD partly correlates crime with itself. " + d.joinLines.map { $0.hasSuffix(".") ? $0 : $0 + "." }.joined(separator: " ")))
        let rows = analysis.results.map { r in
            [r.measure == "imd_excluding_crime" ? "IMD excluding crime (headline)" : r.measure, String(r.n), Fmt.num(r.spearman?.rho, 3),
             "\(Fmt.num(r.spearman?.ciLow, 3)) to \(Fmt.num(r.spearman?.ciHigh, 3))", Fmt.num(r.pearson?.r, 3), Fmt.num(r.kendall?.tau, 3),
             r.pAdjusted < 1e-4 ? String(format: "%.1e", r.pAdjusted).replacingOccurrences(of: "e-", with: "e\u{2212}") : Fmt.num(r.pAdjusted, 4),
             r.gradient?.ratio.map { Fmt.num($0.ratio, 2) } ?? r.gradient?.presentRatio.map { "\(Fmt.num($0.ratio.ratio, 2)) (D\($0.mostDeprived)/D\($0.leastDeprived))" } ?? "–", Fmt.num(r.concentration?.index, 3), Fmt.num(r.rii?.rii, 2)]
        }
        blocks.append(.table(HTMLTable(header: ["Measure", "LSOAs", "Spearman ρ", "95 % CI", "Pearson r", "Kendall τ-b", "p (BH)", "D1/D10 rate ratio", "Concentration index", "RII"],
                                       rows: rows, caption: "Education, health, crime, barriers and living environment use the published rank (32,845 − rank); Spearman and Kendall are unchanged by that. Concentration index < 0: concentrated in deprived LSOAs.")))
        out.numbers.append(("correlations", .array(analysis.results.map { r in .object([("domain", .string(r.measure)), ("spearman_rho", r.spearman.map { .number($0.rho) } ?? .null)]) })))
        if let head = analysis.results.first, let g = head.gradient {
            let ok = g.rows.filter { $0.rate != nil }
            let chart = BarChart(title: "\(d.crimeNote) per 1,000 by decile of \(head.measure)", categories: ok.map { "D\($0.decile)" },
                                 values: ok.map { $0.rate!.rate }, lower: ok.map { $0.rate!.ciLow }, upper: ok.map { $0.rate!.ciHigh },
                                 xTitle: "decile (1 = most deprived)", yTitle: "rate per 1,000")
            // The gradient in report.json: D1/D10 where the area has both deciles, else the extreme deciles present.
            if let rr = g.ratio {
                out.numbers.append(("deprivation_gradient", .object([("most_deprived_decile", .int(1)), ("least_deprived_decile", .int(g.levels)), ("rate_ratio", .number(rr.ratio)), ("ci_low", .number(rr.ciLow)), ("ci_high", .number(rr.ciHigh))])))
            } else if let p = g.presentRatio {
                out.numbers.append(("deprivation_gradient", .object([("most_deprived_decile", .int(p.mostDeprived)), ("least_deprived_decile", .int(p.leastDeprived)), ("rate_ratio", .number(p.ratio.ratio)), ("ci_low", .number(p.ratio.ciLow)), ("ci_high", .number(p.ratio.ciHigh))])))
            }
            if let rr = g.ratio {
                out.findings.append(Finding(text: "Deprivation: the rate in the most deprived tenth of LSOAs (IMD excluding crime, national deciles) is \(Fmt.num(rr.ratio, 1)) times that in the least deprived tenth (95 % CI \(Fmt.num(rr.ciLow, 1)) to \(Fmt.num(rr.ciHigh, 1))); Spearman ρ \(Fmt.num(head.spearman?.rho, 2)) across \(head.n) LSOAs. An association between areas, not a fact about people.", section: "deprivation"))
            } else if let p = g.presentRatio {
                out.findings.append(Finding(text: "Deprivation: the area has no LSOA in national decile \([p.mostDeprived > 1 ? "1" : nil, p.leastDeprived < g.levels ? "\(g.levels)" : nil].compactMap { $0 }.joined(separator: " or ")) of IMD excluding crime; the rate in its most deprived decile present (D\(p.mostDeprived)) is \(Fmt.num(p.ratio.ratio, 1)) times that in its least deprived (D\(p.leastDeprived); 95 % CI \(Fmt.num(p.ratio.ciLow, 1)) to \(Fmt.num(p.ratio.ciHigh, 1))); Spearman ρ \(Fmt.num(head.spearman?.rho, 2)) across \(head.n) LSOAs. An association between areas, not a fact about people.", section: "deprivation"))
            }
            blocks.append(.figure(svg: chart.svg(), caption: "Decile gradient with exact Poisson 95 % intervals. " + (g.ratio.map { "Decile 1 / decile 10 rate ratio \(Fmt.num($0.ratio)) (\(Fmt.num($0.ciLow)) to \(Fmt.num($0.ciHigh)))." } ?? g.presentRatio.map { "No LSOA of national decile \($0.mostDeprived > 1 ? "1" : "10") here; decile \($0.mostDeprived) / decile \($0.leastDeprived) rate ratio \(Fmt.num($0.ratio.ratio)) (\(Fmt.num($0.ratio.ciLow)) to \(Fmt.num($0.ratio.ciHigh)))." } ?? "") + " \(head.meaning)."))
        }
        if let m = analysis.residualMoran { blocks.append(m.significant ? .warning(m.sentence) : .note(m.sentence)) }
        blocks.append(.note(DomainCorrelation.caveats))
        return out.finish(HTMLSection(id: "deprivation", heading: "4. Deprivation", blocks: blocks))
    }
}
