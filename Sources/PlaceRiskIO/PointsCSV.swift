import PlaceRiskCore

/// Points already in British National Grid metres: a CSV with `x` and `y` columns (aliases
/// `easting`/`northing`, `BNG_E`/`BNG_N`) and an optional `weight` column, as the peers'
/// `points_n10k.csv` (`id,x,y,weight,date,category`).
///
/// Storage is exactly `x`, `y` (and `weight` if asked) as flat `[Double]`: the file is counted first
/// so the arrays are allocated once at their final size (no growth doubling at 10M points).
public struct PointSet: Sendable {
    public var x: [Double]
    public var y: [Double]
    /// Empty unless weights were requested.
    public var weight: [Double]
    public var count: Int { x.count }
    public var accounting: RowAccounting

    public static let xAliases = ["x", "easting", "BNG_E", "X"]
    public static let yAliases = ["y", "northing", "BNG_N", "Y"]
    public static let weightAliases = ["weight", "w"]

    /// Reads a points CSV. Malformed rows are counted (lenient) or thrown (`lenient == false`).
    public static func read(path: String, weights: Bool = false, lenient: Bool = true) throws(CSVError) -> PointSet {
        let expected = try countLines(path: path)
        var r = try CSVReader(path: path)
        guard try r.next() else { throw CSVError(.empty, file: path, line: 1, column: 1) }
        let header = r.fields
        func find(_ names: [String]) -> Int? { names.lazy.compactMap { header.firstIndex(of: $0) }.first }
        guard let cx = find(xAliases) else { throw CSVError(.missingColumn("x"), file: path, line: 1, column: 1) }
        guard let cy = find(yAliases) else { throw CSVError(.missingColumn("y"), file: path, line: 1, column: 1) }
        let cw = weights ? find(weightAliases) : nil
        if weights, cw == nil { throw CSVError(.missingColumn("weight"), file: path, line: 1, column: 1) }
        var ps = PointSet(x: [], y: [], weight: [], accounting: RowAccounting())
        ps.x.reserveCapacity(expected)
        ps.y.reserveCapacity(expected)
        if weights { ps.weight.reserveCapacity(expected) }
        let n = header.count
        while try r.next() {
            ps.accounting.read()
            if r.fieldCount != n {
                do throws(CSVError) { try r.requireFieldCount(n) } catch {
                    if !lenient { throw error }
                    ps.accounting.skip(.malformed, example: error.description); continue
                }
            }
            let xv = r.withField(cx) { ASCIINumber.parseDouble($0) }
            let yv = r.withField(cy) { ASCIINumber.parseDouble($0) }
            let wv: Double? = cw.map { c in r.withField(c) { ASCIINumber.parseDouble($0) } } ?? 1
            guard let xv, let yv, let wv else {
                let bad = xv == nil ? cx : (yv == nil ? cy : cw!)
                let e = CSVError(.badValue(column: header[bad], value: r.string(bad), expected: "a number"),
                                 file: path, line: r.recordLine, column: r.column(ofField: bad))
                if !lenient { throw e }
                ps.accounting.skip(.malformed, example: e.description); continue
            }
            ps.x.append(xv)
            ps.y.append(yv)
            if weights { ps.weight.append(wv) }
            ps.accounting.use()
        }
        return ps
    }

    /// Number of LF bytes in a file (an upper bound on its records), read in 1 MiB chunks.
    public static func countLines(path: String) throws(CSVError) -> Int {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CSVError(.io("cannot open: \(String(cString: strerror(errno)))"), file: path, line: 0, column: 0) }
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: 1 << 20)
        var lines = 0
        while true {
            let got = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if got <= 0 { break }
            buf.withUnsafeBufferPointer { p in
                for i in 0 ..< got where p[i] == 0x0A { lines += 1 }
            }
        }
        return lines + 1
    }
}
