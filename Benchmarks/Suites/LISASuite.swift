import Foundation
import PlaceRiskCore
import PlaceRiskIO

/// `lisa`: local Moran's I with conditional permutations over queen-contiguity LSOAs.
enum LISASuite {
    static let usage = "placerisk-bench lisa --values FILE.csv --column NAME --boundaries LSOA.geojson [--permutations 999] [--seed S] [--repeats N]"

    static func run(_ o: Options) {
        guard let path = o.value("--values"), let col = o.value("--column"), let geo = o.value("--boundaries") else {
            fail("lisa needs --values FILE.csv --column NAME --boundaries LSOA.geojson")
        }
        let perms = Int(o.value("--permutations") ?? "999") ?? 999
        let seed = UInt64(o.value("--seed") ?? "12345") ?? 12345
        let (codes, polygons): ([String], [MultiPolygon])
        do { (codes, polygons) = try GeoJSONReader.lsoaPolygonsBNG(path: geo) } catch { fail(error.description) }
        let w = Contiguity.queen(polygons).rowStandardised
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fail("cannot read \(path)") }
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let ci = lines.first?.firstIndex(of: col), let ki = lines.first?.firstIndex(where: { $0.lowercased().contains("lsoa") }) else {
            fail("\(path) has no column \(col) or LSOA code column")
        }
        var byCode: [String: Double] = [:]
        for l in lines.dropFirst() where l.count > max(ci, ki) { byCode[l[ki]] = Double(l[ci]) }
        let y = codes.map { byCode[$0] ?? 0 }
        do {
            let (r, t) = try time(o.repeats) { try Moran.local(y, weights: w, permutations: perms, seed: seed) }
            record(op: "lisa", size: y.count, grid: nil, method: "perms=\(perms), conditional, \(Parallel.processorCount) workers", times: t,
                   input: baseName(path),
                   extra: [("significant_0.05", .int(r.p.filter { $0 <= 0.05 }.count)), ("islands", .int(w.islands.count))])
        } catch { fail("\(error)") }
    }
}
