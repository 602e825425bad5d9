import Foundation
import PlaceRiskCore
import PlaceRiskIO

/// `logit`: logistic regression by Newton's method (MLE) with standard errors.
enum LogitSuite {
    static let usage = "placerisk-bench logit --table FILE.csv --outcome COL --features A,B,C [--repeats N]"

    static func run(_ o: Options) {
        guard let path = o.value("--table"), let outcome = o.value("--outcome"), let fs = o.value("--features") else {
            fail("logit needs --table FILE.csv --outcome COL --features A,B,C")
        }
        let feats = fs.split(separator: ",").map(String.init)
        let t: NumericTable
        do { t = try NumericTable.read(path: path, columns: feats + [outcome]) } catch { fail(error.description) }
        let k = feats.count
        var x = [Double](repeating: 0, count: t.rows * k)
        for i in 0 ..< t.rows { for j in 0 ..< k { x[i * k + j] = t.values[i * (k + 1) + j] } }
        let y = t.column(outcome)
        do {
            let (r, tt) = try time(o.repeats) { try Regression.fit(family: .logistic, x: x, names: feats, y: y) }
            record(op: "logit", size: t.rows, grid: "", method: "newton (MLE), Cholesky, SEs", times: tt, input: baseName(path),
                   extra: [("features", .int(k)), ("iterations", .int(r.iterations)),
                           ("coef", .object(zip(r.names, r.estimates).map { ($0.0 == "const" ? "intercept" : $0.0, .number($0.1)) }))])
        } catch { fail("\(error)") }
    }
}
