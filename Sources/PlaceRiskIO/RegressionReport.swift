import PlaceRiskCore

/// A fitted regression as a text table (stdout) and as JSON.
public enum RegressionReport {
    /// Coefficient table (estimate, SE, z, p, 95 % CI, exp(estimate)) and fit statistics.
    public static func table(_ r: RegressionResult, title: String) -> String {
        let ratio = r.family == .logistic ? "odds_ratio" : "rate_ratio"
        let head = ["term", "estimate", "std_err", "z", "p", "ci95_low", "ci95_high", ratio]
        var rows: [[String]] = []
        for i in r.names.indices {
            rows.append([r.names[i], f(r.estimates[i]), f(r.standardErrors[i]), f(r.z[i]), p(r.p[i]), f(r.ciLow[i]), f(r.ciHigh[i]), f(r.ratios[i])])
        }
        if let al = r.alpha { rows.append(["alpha", f(al), f(r.alphaStandardError ?? .nan), "", "", "", "", ""]) }
        let widths = head.indices.map { c in max(head[c].count, rows.map { $0[c].count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, s in i == 0 ? s + String(repeating: " ", count: widths[i] - s.count)
                : String(repeating: " ", count: widths[i] - s.count) + s }.joined(separator: "  ") + "\n"
        }
        var s = "\(title)\n\n" + line(head)
        for row in rows { s += line(row) }
        s += "\nn = \(r.n)   log-likelihood = \(f(r.logLikelihood))   null = \(f(r.nullLogLikelihood))   McFadden R2 = \(f(r.mcFaddenR2))\n"
        s += "AIC = \(f(r.aic))   BIC = \(f(r.bic))   iterations = \(r.iterations)   converged = \(r.converged)"
        s += r.l2 > 0 ? "   L2 lambda = \(f(r.l2)) (intercept unpenalised)\n" : "   (unpenalised maximum likelihood)\n"
        return s
    }

    /// `{"family", "n", "coefficients": [{"name", "estimate", "se", "z", "p", "ci_low", "ci_high"}],
    /// "loglik", "loglik_null", "aic", "bic", "converged", …}`.
    public static func json(_ r: RegressionResult) -> JSONValue {
        var coefs: [JSONValue] = r.names.indices.map { i in
            .object([("name", .string(r.names[i])), ("estimate", .number(r.estimates[i])), ("se", .number(r.standardErrors[i])),
                     ("z", .number(r.z[i])), ("p", .number(r.p[i])), ("ci_low", .number(r.ciLow[i])), ("ci_high", .number(r.ciHigh[i]))])
        }
        if let al = r.alpha {
            coefs.append(.object([("name", .string("alpha")), ("estimate", .number(al)), ("se", .number(r.alphaStandardError ?? .nan))]))
        }
        return .object([
            ("family", .string(r.family.rawValue)), ("n", .int(r.n)), ("coefficients", .array(coefs)),
            ("loglik", .number(r.logLikelihood)), ("loglik_null", .number(r.nullLogLikelihood)),
            ("mcfadden_r2", .number(r.mcFaddenR2)), ("aic", .number(r.aic)), ("bic", .number(r.bic)),
            ("converged", .bool(r.converged)), ("iterations", .int(r.iterations)), ("l2", .number(r.l2)),
            ("placerisk_version", .string(PlaceRiskVersion.string)),
        ])
    }

    static func f(_ v: Double) -> String {
        guard v.isFinite else { return "nan" }
        let a = abs(v)
        if a != 0 && (a < 1e-4 || a >= 1e7) { return formatE(v) }
        return fixed(v, 6)
    }

    static func p(_ v: Double) -> String { v < 1e-4 ? formatE(v) : fixed(v, 4) }

    /// Fixed-point with `d` decimals (no Foundation).
    static func fixed(_ v: Double, _ d: Int) -> String {
        var m = 1.0
        for _ in 0 ..< d { m *= 10 }
        let r = (abs(v) * m).rounded()
        let ip = Int64(r / m), fp = Int64(r - Double(ip) * m)
        let fs = String(fp)
        return (v < 0 && r != 0 ? "-" : "") + String(ip) + "." + String(repeating: "0", count: d - fs.count) + fs
    }

    static func formatE(_ v: Double) -> String {
        var e = 0
        var m = abs(v)
        while m >= 10 { m /= 10; e += 1 }
        while m < 1, m > 0 { m *= 10; e -= 1 }
        return (v < 0 ? "-" : "") + fixed(m, 3) + "e" + (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
    }
}
