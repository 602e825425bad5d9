import PlaceRiskCore
import PlaceRiskIO
import PlaceRiskReport
import Foundation

/// Section 6 (conventions §9): by IMD decile — population share, crime share, predicted-risk share,
/// flagged-area share, hit rate and PAI, the disparity ratio (flagged share ÷ crime share), calibration
/// within each decile, the concentration index of flagged area, and the proactive-types note.
enum ReportBiasAudit {
    static func section(_ ctx: ReportContext, _ h: ReportRisk.Holdout?) throws -> HTMLSection {
        var blocks: [HTMLBlock] = []
        let excluded = CrimeType.standard.filter(\.isProactivelyDetected)
        blocks.append(.paragraph("Proactively detected offences (\(excluded.map(\.label).joined(separator: ", "))) are \(ctx.types.contains(where: \.isProactivelyDetected) ? "INCLUDED at the user's request — their counts follow where police look, so a model trained on them sends patrols back where patrols already were" : "excluded from the analysed types: their counts reflect police activity as much as offending, and a model trained on them feeds back into where police look") (Lum & Isaac 2016, Significance 13(5); Ensign et al. 2018, PMLR 81)."))
        guard let h, let d = ctx.deprivation else {
            blocks.append(.warning("The bias audit could not be computed: \(h == nil ? "no backtest predictions (see the Risk section)" : (ctx.deprivationNote ?? "no IMD deciles")). Do not use risk scores without it."))
            return HTMLSection(id: "bias", heading: "6. Bias audit", blocks: blocks)
        }
        let imd = d.imd
        func decile(_ code: String?) -> Int? { code.flatMap { imd.row(of: $0) }.map { imd.imdDeciles[$0] }.flatMap { $0 >= 1 ? $0 : nil } }
        var pop = [Double](repeating: 0, count: 10)
        for (i, r) in d.rows.enumerated() where imd.imdDeciles[r] >= 1 { pop[imd.imdDeciles[r] - 1] += d.population[i] }
        var crime = [Double](repeating: 0, count: 10), risk = pop.map { _ in 0.0 }, area = risk, flaggedArea = risk, flaggedCrime = risk, units = [Int](repeating: 0, count: 10), yObs = risk
        var unknown = 0
        for i in h.units.indices {
            guard let dec = decile(h.lsoa[i]) else { unknown += 1; continue }
            let j = dec - 1
            units[j] += 1; crime[j] += h.observed[i]; risk[j] += h.probability[i]; area[j] += h.area[i]; yObs[j] += h.outcome[i]
            if h.flagged[i] { flaggedArea[j] += h.area[i]; flaggedCrime[j] += h.observed[i] }
        }
        func share(_ v: [Double], _ j: Int) -> Double { let s = v.reduce(0, +); return s > 0 ? v[j] / s : .nan }
        var rows: [[String]] = [], csv: [[String]] = [["imd_decile", "units", "population_share", "crime_share", "predicted_risk_share", "flagged_area_share", "hit_rate", "pai", "disparity_ratio", "mean_predicted", "observed_rate"]]
        var json: [JSONValue] = []
        for j in 0 ..< 10 {
            let hit = crime[j] > 0 ? flaggedCrime[j] / crime[j] : .nan
            let pai = area[j] > 0 && flaggedArea[j] > 0 ? hit / (flaggedArea[j] / area[j]) : .nan
            let disparity = share(crime, j) > 0 ? share(flaggedArea, j) / share(crime, j) : .nan
            let meanP = units[j] > 0 ? risk[j] / Double(units[j]) : .nan, obs = units[j] > 0 ? yObs[j] / Double(units[j]) : .nan
            rows.append(["D\(j + 1)\(j == 0 ? " (most deprived)" : j == 9 ? " (least)" : "")", String(units[j]), Fmt.pct(share(pop, j)), Fmt.pct(share(crime, j)), Fmt.pct(share(risk, j)),
                         Fmt.pct(share(flaggedArea, j)), Fmt.pct(hit), Fmt.num(pai), Fmt.num(disparity), Fmt.num(meanP, 3), Fmt.num(obs, 3)])
            csv.append([String(j + 1), String(units[j]), share(pop, j).shortDescription, share(crime, j).shortDescription, share(risk, j).shortDescription,
                        share(flaggedArea, j).shortDescription, hit.shortDescription, pai.shortDescription, disparity.shortDescription, meanP.shortDescription, obs.shortDescription])
            json.append(.object([("decile", .int(j + 1)), ("crime_share", .number(share(crime, j))), ("flagged_area_share", .number(share(flaggedArea, j)))]))
        }
        try ctx.writeCSV(csv, "bias_audit.csv")
        ctx.numbers.append(("bias_audit", .array(json)))
        blocks.append(.paragraph("Predictions for \(h.month) from a model fitted on earlier months only; the top 5 % of area flagged. Each \(h.unitIsCell ? "cell takes the IMD 2019 decile of the LSOA most of its incidents fall in" : "LSOA takes its IMD 2019 decile")\(unknown > 0 ? " (\(unknown) units without a decile are left out)" : ""). Disparity ratio = flagged-area share ÷ crime share: above 1, a decile gets more attention than its share of crime; below 1, less."))
        blocks.append(.table(HTMLTable(header: ["IMD decile", "units", "population share", "crime share", "predicted-risk share", "flagged-area share", "hit rate", "PAI", "disparity ratio", "mean predicted", "observed rate"],
                                       rows: rows, caption: "Bias audit by IMD 2019 decile (conventions §9). Calibration within each decile: compare the last two columns.")))
        // Concentration index of flagged area by deprivation (IMD rank, most deprived first).
        let N = Double(IMDComposite.englandLSOACount)
        let idx = h.units.indices.filter { h.lsoa[$0].flatMap { imd.row(of: $0) }.map { imd.imdRanks[$0] > 0 } ?? false }
        let dep = idx.map { N + 1 - Double(imd.imdRanks[imd.row(of: h.lsoa[$0]!)!]) }
        if let c = try? ConcentrationIndex(outcome: idx.map { h.flagged[$0] ? 1.0 : 0.0 }, population: idx.map { h.area[$0] }, deprivation: dep, order: .scoreDescending) {
            blocks.append(.paragraph("Concentration index of flagged area by IMD (area-weighted, most deprived first): \(Fmt.num(c.index, 3)) (SE \(Fmt.num(c.standardError, 3)); 95 % CI \(Fmt.num(c.ciLow, 3)) to \(Fmt.num(c.ciHigh, 3))). \(c.index < 0 ? "Negative: flagged area is concentrated in the more deprived places" : "Positive: flagged area is concentrated in the less deprived places") — read it beside the crime shares above: concentration that follows crime is expected, concentration beyond it is a disparity."))
            ctx.numbers.append(("flagged_area_concentration_index", .number(c.index)))
        }
        blocks.append(.note("Flagging follows recorded crime, which follows reporting and policing as well as harm. Use flagged places for problem-solving and prevention with partners, check the deciles' disparity ratios each run, and never attach scores to people."))
        return HTMLSection(id: "bias", heading: "6. Bias audit", blocks: blocks)
    }
}
