import PlaceRiskCore
import Foundation

/// Deprivation correlations (`DomainCorrelation.Result`) as a readable table, JSON and CSV.
///
/// JSON per measure: `{"domain", "meaning", "n", "pearson": {"r", "p", "ci_low", "ci_high"},
/// "spearman": {"rho", "p", "ci_low", "ci_high"}, "kendall": {"tau_b", "p", "p_method"} (exact permutation p for n < 50 without ties, as R and scipy; else the tie-corrected normal approximation), "p_adjusted",
/// "decile_rate_ratio": {"estimate", "ci_low", "ci_high"}, "concentration_index": {"estimate", "se"},
/// "rii": {"estimate", "ci_low", "ci_high", "family"}, "deciles": [{"decile", "units", "count", "population",
/// "rate_per_1000", "ci_low", "ci_high"}], "notes": [...]}`; a statistic that cannot be computed is null.
public enum CorrelationReport {
    static func num(_ v: Double?) -> JSONValue { v.flatMap { $0.isFinite ? JSONValue.number($0) : nil } ?? .null }

    public static func json(_ r: DomainCorrelation.Result) -> JSONValue {
        var pearson: JSONValue = .null, spearman: JSONValue = .null, kendall: JSONValue = .null
        if let p = r.pearson { pearson = .object([("r", num(p.r)), ("p", num(p.p)), ("ci_low", num(p.ciLow)), ("ci_high", num(p.ciHigh))]) }
        if let s = r.spearman { spearman = .object([("rho", num(s.rho)), ("p", num(s.p)), ("ci_low", num(s.ciLow)), ("ci_high", num(s.ciHigh))]) }
        if let k = r.kendall { kendall = .object([("tau_b", num(k.tau)), ("p", num(k.p)), ("p_method", .string(k.pMethod.rawValue))]) }
        var ratio: JSONValue = .null, conc: JSONValue = .null, rii: JSONValue = .null
        if let q = r.gradient?.ratio { ratio = .object([("estimate", num(q.ratio)), ("ci_low", num(q.ciLow)), ("ci_high", num(q.ciHigh))]) }
        var present: JSONValue = .null
        if let q = r.gradient?.presentRatio {
            present = .object([("most_deprived_decile", .int(q.mostDeprived)), ("least_deprived_decile", .int(q.leastDeprived)),
                               ("estimate", num(q.ratio.ratio)), ("ci_low", num(q.ratio.ciLow)), ("ci_high", num(q.ratio.ciHigh))])
        }
        if let c = r.concentration { conc = .object([("estimate", num(c.index)), ("se", num(c.standardError))]) }
        if let q = r.rii {
            rii = .object([("estimate", num(q.rii)), ("ci_low", num(q.ciLow)), ("ci_high", num(q.ciHigh)), ("family", .string(q.regression.family.rawValue))])
        }
        var deciles: [JSONValue] = []
        for row in r.gradient?.rows ?? [] {
            let fields: [(String, JSONValue)] = [
                ("decile", .int(row.decile)), ("units", .int(row.units)), ("count", .number(row.count)), ("population", .number(row.population)),
                ("rate_per_1000", num(row.rate?.rate)), ("ci_low", num(row.rate?.ciLow)), ("ci_high", num(row.rate?.ciHigh)),
            ]
            deciles.append(.object(fields))
        }
        let fields: [(String, JSONValue)] = [
            ("domain", .string(r.measure)), ("meaning", .string(r.meaning)), ("n", .int(r.n)),
            ("pearson", pearson), ("spearman", spearman), ("kendall", kendall), ("p_adjusted", num(r.pAdjusted)),
            ("decile_rate_ratio", ratio), ("extreme_deciles_present_rate_ratio", present), ("concentration_index", conc), ("rii", rii),
            ("deciles", .array(deciles)), ("notes", .array(r.notes.map { .string($0) })),
        ]
        return .object(fields)
    }

    static func f(_ v: Double?, _ d: Int = 3) -> String {
        guard let v, v.isFinite else { return "–" }
        return String(format: "%.\(d)f", v)
    }

    static func pText(_ p: Double?) -> String {
        guard let p, p.isFinite else { return "–" }
        return p < 1e-4 ? String(format: "%.1e", p) : String(format: "%.4f", p)
    }

    /// One row per measure: n, r, ρ [CI], τ-b, BH p, D1/D10 [CI], C (SE), RII [CI].
    public static func table(_ results: [DomainCorrelation.Result]) -> String {
        let head = ["domain", "n", "pearson_r", "spearman_rho", "rho_95ci", "kendall_tau_b", "p_adj(BH)", "D1/D10", "D1/D10_95ci", "conc_index", "(se)", "RII", "RII_95ci"]
        let rows = results.map { r in
            [r.measure, String(r.n), f(r.pearson?.r), f(r.spearman?.rho), "[\(f(r.spearman?.ciLow)), \(f(r.spearman?.ciHigh))]", f(r.kendall?.tau),
             pText(r.pAdjusted),
             r.gradient?.ratio != nil ? f(r.gradient?.ratio?.ratio, 2) : r.gradient?.presentRatio.map { "\(f($0.ratio.ratio, 2)) D\($0.mostDeprived)/D\($0.leastDeprived)" } ?? "–",
             r.gradient?.ratio != nil ? "[\(f(r.gradient?.ratio?.ciLow, 2)), \(f(r.gradient?.ratio?.ciHigh, 2))]" : r.gradient?.presentRatio.map { "[\(f($0.ratio.ciLow, 2)), \(f($0.ratio.ciHigh, 2))]" } ?? "[–, –]",
             f(r.concentration?.index), "(\(f(r.concentration?.standardError)))", f(r.rii?.rii, 2), "[\(f(r.rii?.ciLow, 2)), \(f(r.rii?.ciHigh, 2))]"]
        }
        return TextTable.render(head, rows)
    }

    /// CSV rows (header first) of the same table, full precision.
    public static func csvRows(_ results: [DomainCorrelation.Result]) -> [[String]] {
        func g(_ v: Double?) -> String { v.flatMap { $0.isFinite ? $0.shortDescription : nil } ?? "" }
        let head = ["domain", "n", "pearson_r", "pearson_p", "pearson_ci_low", "pearson_ci_high", "spearman_rho", "spearman_p",
                    "spearman_ci_low", "spearman_ci_high", "kendall_tau_b", "kendall_p", "p_adjusted", "decile_rate_ratio",
                    "decile_rate_ratio_ci_low", "decile_rate_ratio_ci_high", "concentration_index", "concentration_index_se", "rii", "rii_ci_low", "rii_ci_high", "meaning"]
        return [head] + results.map { r in
            [r.measure, String(r.n), g(r.pearson?.r), g(r.pearson?.p), g(r.pearson?.ciLow), g(r.pearson?.ciHigh), g(r.spearman?.rho),
             g(r.spearman?.p), g(r.spearman?.ciLow), g(r.spearman?.ciHigh), g(r.kendall?.tau), g(r.kendall?.p), g(r.pAdjusted),
             g(r.gradient?.ratio?.ratio), g(r.gradient?.ratio?.ciLow), g(r.gradient?.ratio?.ciHigh), g(r.concentration?.index),
             g(r.concentration?.standardError), g(r.rii?.rii), g(r.rii?.ciLow), g(r.rii?.ciHigh), r.meaning]
        }
    }
}

/// A left-aligned first column, right-aligned other columns, two spaces apart.
public enum TextTable {
    public static func render(_ head: [String], _ rows: [[String]]) -> String {
        let widths = head.indices.map { c in max(head[c].count, rows.map { $0[c].count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, s in i == 0 ? s + String(repeating: " ", count: widths[i] - s.count)
                : String(repeating: " ", count: widths[i] - s.count) + s }.joined(separator: "  ") + "\n"
        }
        return line(head) + rows.map(line).joined()
    }
}
