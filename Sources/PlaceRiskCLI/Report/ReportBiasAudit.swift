import PlaceRiskCore
import PlaceRiskIO
import PlaceRiskReport
import Foundation

/// Section 6 (conventions §9): by IMD decile — population share, crime share, predicted-risk share,
/// flagged-area share, hit rate and PAI, the disparity ratio (flagged share ÷ crime share), calibration
/// within each decile, the concentration index of flagged area, and the proactive-types note.
enum ReportBiasAudit {
    static func section(_ ctx: ReportInputs, _ h: ReportRisk.Holdout?) throws -> SectionOutput {
        var out = SectionOutput()
        var blocks: [HTMLBlock] = []
        let excluded = CrimeType.standard.filter(\.isProactivelyDetected)
        blocks.append(.paragraph("Proactively detected offences (\(excluded.map(\.label).joined(separator: ", "))) are \(ctx.types.contains(where: \.isProactivelyDetected) ? "INCLUDED at the user's request — their counts follow where police look, so a model trained on them sends patrols back where patrols already were" : "excluded from the analysed types: their counts reflect police activity as much as offending, and a model trained on them feeds back into where police look") (Lum & Isaac 2016, Significance 13(5); Ensign et al. 2018, PMLR 81)."))
        guard let h, let d = ctx.deprivation else {
            blocks.append(.warning("The bias audit could not be computed: \(h == nil ? "no backtest predictions (see the Risk section)" : (ctx.deprivationNote ?? "no IMD deciles")). Do not use risk scores without it."))
            return out.finish(HTMLSection(id: "bias", heading: "6. Bias audit", blocks: blocks))
        }
        let imd = d.imd
        // Inputs of the audit: each unit's decile (0 = none) and the population of each decile.
        let deciles = h.lsoa.map { code -> Int in code.flatMap { imd.row(of: $0) }.map { imd.imdDeciles[$0] }.flatMap { $0 >= 1 ? $0 : nil } ?? 0 }
        var pop = [Double](repeating: 0, count: BiasAudit.decileCount)
        for (i, r) in d.rows.enumerated() where imd.imdDeciles[r] >= 1 { pop[imd.imdDeciles[r] - 1] += d.population[i] }
        let audit = BiasAudit.audit(decile: deciles, observed: h.observed, probability: h.probability, area: h.area,
                                    flagged: h.flagged, outcome: h.outcome, populationByDecile: pop)
        let unknown = audit.unitsWithoutDecile
        var rows: [[String]] = [], csv: [[String]] = [["imd_decile", "units", "population_share", "crime_share", "predicted_risk_share", "flagged_area_share", "hit_rate", "pai", "disparity_ratio", "mean_predicted", "observed_rate"]]
        var json: [JSONValue] = []
        for r in audit.deciles {
            let j = r.decile - 1
            rows.append(["D\(r.decile)\(j == 0 ? " (most deprived)" : j == 9 ? " (least)" : "")", String(r.units), Fmt.pct(r.populationShare), Fmt.pct(r.crimeShare), Fmt.pct(r.predictedRiskShare),
                         Fmt.pct(r.flaggedAreaShare), Fmt.pct(r.hitRate), Fmt.num(r.pai), Fmt.num(r.disparityRatio), Fmt.num(r.meanPredicted, 3), Fmt.num(r.observedRate, 3)])
            csv.append([String(r.decile), String(r.units), r.populationShare.shortDescription, r.crimeShare.shortDescription, r.predictedRiskShare.shortDescription,
                        r.flaggedAreaShare.shortDescription, r.hitRate.shortDescription, r.pai.shortDescription, r.disparityRatio.shortDescription, r.meanPredicted.shortDescription, r.observedRate.shortDescription])
            json.append(.object([("decile", .int(r.decile)), ("crime_share", .number(r.crimeShare)), ("flagged_area_share", .number(r.flaggedAreaShare))]))
        }
        out.csv(csv, "bias_audit.csv")
        if let d1 = audit.deciles.first, d1.disparityRatio.isFinite {
            let judged = d1.disparityRatio > 1.25 ? "more attention than its share of crime" : d1.disparityRatio < 0.8 ? "less attention than its share of crime" : "about its share of crime"
            out.findings.append(Finding(text: "Bias audit: the \(h.method == "model" ? "model" : h.method)'s flagged 5 % of area puts \(Fmt.pct(d1.flaggedAreaShare, 0)) of its area in the most deprived IMD decile, which has \(Fmt.pct(d1.crimeShare, 0)) of the crime (disparity ratio \(Fmt.num(d1.disparityRatio, 1)): \(judged)).", section: "bias"))
        }
        out.numbers.append(("bias_audit", .array(json)))
        blocks.append(.paragraph("Predictions for \(h.month) by \(h.method == "model" ? "the model" : h.method + " (the method the risk list uses)"), fitted or calibrated on earlier months only; the top 5 % of area flagged. Each \(h.unitIsCell ? "cell takes the IMD 2019 decile of the LSOA most of its incidents fall in" : "LSOA takes its IMD 2019 decile")\(unknown > 0 ? " (\(unknown) units without a decile are left out)" : ""). Disparity ratio = flagged-area share ÷ crime share: above 1, a decile gets more attention than its share of crime; below 1, less."))
        blocks.append(.table(HTMLTable(header: ["IMD decile", "units", "population share", "crime share", "predicted-risk share", "flagged-area share", "hit rate", "PAI", "disparity ratio", "mean predicted", "observed rate"],
                                       rows: rows, caption: "Bias audit by IMD 2019 decile (conventions §9). Calibration within each decile: compare the last two columns.")))
        // Calibration within IMD deciles for every method (the same units and month; baselines Platt-calibrated).
        if !h.baselines.isEmpty {
            let methods = [(h.method, h.probability)] + h.baselines.map { ($0.name, $0.probability) }
            let audits = methods.map { m in BiasAudit.audit(decile: deciles, observed: h.observed, probability: m.1, area: h.area, flagged: h.flagged, outcome: h.outcome, populationByDecile: pop) }
            let calRows = (0 ..< BiasAudit.decileCount).map { j -> [String] in
                ["D\(j + 1)", String(audits[0].deciles[j].units), Fmt.num(audits[0].deciles[j].observedRate, 3)] + audits.map { Fmt.num($0.deciles[j].meanPredicted, 3) }
            }
            blocks.append(.table(HTMLTable(header: ["IMD decile", "units", "observed rate"] + methods.map { "mean predicted: \($0.0)" }, rows: calRows,
                                           caption: "Calibration within IMD deciles of every method for \(h.month) (each fitted or calibrated on earlier months only): a method is calibrated in a decile when its mean predicted probability is close to the observed rate.")))
            out.csv([["imd_decile", "units", "observed_rate"] + methods.map { "mean_predicted_\($0.0)" }]
                    + (0 ..< BiasAudit.decileCount).map { j in [String(j + 1), String(audits[0].deciles[j].units), audits[0].deciles[j].observedRate.shortDescription] + audits.map { $0.deciles[j].meanPredicted.shortDescription } },
                    "calibration_by_imd_decile.csv")
        }
        // Concentration index of flagged area by deprivation (IMD rank, most deprived first).
        let N = Double(IMDComposite.englandLSOACount)
        let idx = h.units.indices.filter { h.lsoa[$0].flatMap { imd.row(of: $0) }.map { imd.imdRanks[$0] > 0 } ?? false }
        let dep = idx.map { N + 1 - Double(imd.imdRanks[imd.row(of: h.lsoa[$0]!)!]) }
        if let c = try? ConcentrationIndex(outcome: idx.map { h.flagged[$0] ? 1.0 : 0.0 }, population: idx.map { h.area[$0] }, deprivation: dep, order: .scoreDescending) {
            blocks.append(.paragraph("Concentration index of flagged area by IMD (area-weighted, most deprived first): \(Fmt.num(c.index, 3)) (SE \(Fmt.num(c.standardError, 3)); 95 % CI \(Fmt.num(c.ciLow, 3)) to \(Fmt.num(c.ciHigh, 3))). \(c.index < 0 ? "Negative: flagged area is concentrated in the more deprived places" : "Positive: flagged area is concentrated in the less deprived places") — read it beside the crime shares above: concentration that follows crime is expected, concentration beyond it is a disparity."))
            out.numbers.append(("flagged_area_concentration_index", .number(c.index)))
        }
        blocks.append(.note("Flagging follows recorded crime, which follows reporting and policing as well as harm. Use flagged places for problem-solving and prevention with partners, check the deciles' disparity ratios each run, and never attach scores to people."))
        return out.finish(HTMLSection(id: "bias", heading: "6. Bias audit", blocks: blocks))
    }
}
