import PlaceRiskCore
import Foundation

/// Sums partial aggregates (`PartitionFolder` parts) into one table, exactly:
/// ```
/// n(key) = Σ_parts n_part(key)          (integers)
/// sum_w  = n · w_type,  sum_w2 = n · w_type²   (the weights of the parts' identity)
/// ```
/// so the result equals one run over all the inputs bit for bit. Refused, with the file named:
/// a file in a partition folder that is not a part or the manifest (`foreign`), parts of different
/// schemas, units, grids or weights, a part whose sums disagree with its counts and weights, a
/// part that cannot be read.
public enum PartitionMerge {
    public struct Part: Sendable {
        public var path: String
        public var identity: PartitionFolder.Identity
        public var columns: [ParquetColumn]
    }

    public struct Merged: Sendable {
        public var identity: PartitionFolder.Identity
        public var columns: [ParquetColumn]
        public var partsRead: Int
        public var rowsRead: Int
        public var incidents: Int64
    }

    /// A merge that cannot be done, in plain words.
    public struct MergeError: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ s: String) { description = s }
    }

    static func isPartName(_ name: String) -> Bool {
        guard name.hasPrefix("part-") else { return false }
        let rest = name.dropFirst(5)
        guard let dot = rest.firstIndex(of: ".") else { return false }
        let num = rest[..<dot], ext = rest[rest.index(after: dot)...]
        return !num.isEmpty && num.allSatisfy(\.isNumber) && (ext == "parquet" || ext == "csv")
    }

    /// The part files under `inputs` (folders searched; files taken as parts).
    public static func partFiles(_ inputs: [String]) throws(MergeError) -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        for p in inputs {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else { throw MergeError("\(p): no such file or folder") }
            if !isDir.boolValue {
                guard isPartName((p as NSString).lastPathComponent) else {
                    throw MergeError("\(p): not a part of a partial aggregate (expected part-N.parquet or part-N.csv)")
                }
                out.append(p); continue
            }
            guard let e = fm.enumerator(atPath: p) else { throw MergeError("\(p): cannot list the folder") }
            var found: [String] = []
            while let rel = e.nextObject() as? String {
                let full = (p as NSString).appendingPathComponent(rel)
                var d: ObjCBool = false
                _ = fm.fileExists(atPath: full, isDirectory: &d)
                let name = (rel as NSString).lastPathComponent
                if d.boolValue {
                    guard name.contains("=") else {
                        throw MergeError("\(full): a folder that is not a partition (expected name=value) inside the partition folder \(p); move it out")
                    }
                    continue
                }
                if name == PartitionFolder.manifestName { continue }
                guard isPartName(name) else {
                    throw MergeError("\(full): a foreign file in the partition folder \(p) (only part-N.parquet, part-N.csv and \(PartitionFolder.manifestName) belong there); move it out")
                }
                found.append(full)
            }
            guard !found.isEmpty else { throw MergeError("\(p): no part-N.parquet or part-N.csv files in the folder") }
            out += found.sorted()
        }
        var seen = Set<String>()
        return out.filter { seen.insert(($0 as NSString).standardizingPath).inserted }
    }

    /// The nearest manifest at or above the part's folder.
    static func manifest(for part: String) -> String? {
        var dir = (part as NSString).deletingLastPathComponent
        for _ in 0 ..< 32 {
            let m = (dir as NSString).appendingPathComponent(PartitionFolder.manifestName)
            if FileManager.default.fileExists(atPath: m) { return m }
            let up = (dir as NSString).deletingLastPathComponent
            if up == dir || up.isEmpty { break }
            dir = up
        }
        return nil
    }

    static func identity(fromManifest path: String) throws(MergeError) -> PartitionFolder.Identity {
        guard let d = FileManager.default.contents(atPath: path),
              let o = try? JSONSerialization.jsonObject(with: d) as? [String: Any] else { throw MergeError("\(path): unreadable manifest") }
        guard o["schema"] as? String == PartitionFolder.schemaName else {
            throw MergeError("\(path): schema '\(o["schema"] ?? "none")' is not \(PartitionFolder.schemaName)")
        }
        guard let u = o["unit"] as? String, let g = o["grid"] as? String, let w = o["weights"] as? String else {
            throw MergeError("\(path): the manifest lacks unit, grid or weights")
        }
        return PartitionFolder.Identity(unit: u, grid: g, weights: w)
    }

    /// Reads one part with its identity.
    public static func readPart(_ path: String) throws(MergeError) -> Part {
        if path.hasSuffix(".parquet") {
            let f: ParquetFile, cols: [ParquetColumn]
            do { f = try ParquetFile(path: path); cols = try f.columns() } catch { throw MergeError(error.description) }
            guard f.keyValues["placerisk.schema"] == PartitionFolder.schemaName else {
                throw MergeError("\(path): not a PlaceRisk partial aggregate (its metadata has no placerisk.schema \(PartitionFolder.schemaName))")
            }
            let id = PartitionFolder.Identity(unit: f.keyValues["placerisk.unit"] ?? "", grid: f.keyValues["placerisk.grid"] ?? "",
                                              weights: f.keyValues["placerisk.weights"] ?? "")
            try checkSchema(path, cols.map(\.name), f.fields.map(\.type), id)
            return Part(path: path, identity: id, columns: cols)
        }
        guard let m = manifest(for: path) else {
            throw MergeError("\(path): a CSV part needs the folder's \(PartitionFolder.manifestName) (grid, weights); none found above it")
        }
        let id = try identity(fromManifest: m)
        var r: CSVReader
        do { r = try CSVReader(path: path) } catch { throw MergeError(error.description) }
        var header: [String] = []
        var unit: [String] = [], cells: [Int64] = [], months: [String] = [], types: [String] = [], n: [Int64] = [], sw: [Double] = [], sw2: [Double] = []
        do {
            guard try r.next() else { throw MergeError("\(path): empty (no header)") }
            header = r.fields
            try checkSchema(path, header, id.columnTypes, id)
            while try r.next() {
                try r.requireFieldCount(6)
                func num<T>(_ i: Int, _ p: (String) -> T?) throws(CSVError) -> T {
                    guard let v = p(r.string(i)) else {
                        throw CSVError(.badValue(column: header[i], value: r.string(i), expected: "a number"), file: path, line: r.recordLine, column: r.column(ofField: i))
                    }
                    return v
                }
                if id.unit == "cell_id" { cells.append(try num(0) { Int64($0) }) } else { unit.append(r.string(0)) }
                months.append(r.string(1)); types.append(r.string(2))
                n.append(try num(3) { Int64($0) }); sw.append(try num(4) { Double($0) }); sw2.append(try num(5) { Double($0) })
            }
        } catch let e as CSVError { throw MergeError(e.description) } catch let e as MergeError { throw e } catch { throw MergeError("\(path): \(error)") }
        let u = id.unit == "cell_id" ? ParquetColumn("cell_id", .int64(cells)) : ParquetColumn("lsoa_code", .string(unit))
        return Part(path: path, identity: id, columns: [u, ParquetColumn("month", .string(months)), ParquetColumn("crime_type", .string(types)),
                                                      ParquetColumn("n", .int64(n)), ParquetColumn("sum_w", .double(sw)), ParquetColumn("sum_w2", .double(sw2))])
    }

    static func checkSchema(_ path: String, _ names: [String], _ types: [String], _ id: PartitionFolder.Identity) throws(MergeError) {
        guard id.unit == "lsoa_code" || id.unit == "cell_id" else { throw MergeError("\(path): unit '\(id.unit)' is neither lsoa_code nor cell_id") }
        guard names == id.columnNames else {
            throw MergeError("\(path): columns \(names.joined(separator: ",")) differ from the schema \(id.columnNames.joined(separator: ","))")
        }
        guard types == id.columnTypes else {
            throw MergeError("\(path): column types \(types.joined(separator: ",")) differ from the schema \(id.columnTypes.joined(separator: ","))")
        }
    }

    /// Sums the parts under `inputs`.
    public static func merge(_ inputs: [String]) throws(MergeError) -> Merged {
        let files = try partFiles(inputs)
        var first: Part? = nil
        struct Key: Hashable { var unit: String; var cell: Int64; var month: String; var type: String }
        var sums: [Key: Int64] = [:]
        var rows = 0
        for path in files {
            let p = try readPart(path)
            if let f = first {
                let a = f.identity, b = p.identity
                if a.unit != b.unit { throw MergeError("\(p.path): unit \(b.unit) differs from \(a.unit) in \(f.path); parts of different schemas do not merge") }
                if a.grid != b.grid { throw MergeError("\(p.path): grid \(b.grid) differs from grid \(a.grid) of \(f.path); counts on different grids do not add up") }
                if a.weights != b.weights { throw MergeError("\(p.path): weights '\(b.weights)' differ from '\(a.weights)' of \(f.path)") }
            } else { first = p }
            let w = p.identity.weightOfType
            guard case .string(let months) = p.columns[1].values, case .string(let types) = p.columns[2].values,
                  case .int64(let n) = p.columns[3].values, case .double(let sw) = p.columns[4].values, case .double(let sw2) = p.columns[5].values
            else { throw MergeError("\(p.path): column types differ from the schema") }
            var labels: [String] = [], cells: [Int64] = []
            switch p.columns[0].values {
            case .string(let v): labels = v
            case .int64(let v): cells = v
            default: throw MergeError("\(p.path): the unit column has the wrong type")
            }
            for i in 0 ..< n.count {
                let wt = w.map { $0[types[i]] ?? 0 } ?? 1
                let ew = Double(n[i]) * wt, ew2 = Double(n[i]) * wt * wt
                guard n[i] >= 0, abs(sw[i] - ew) <= 1e-9 * max(1, abs(ew)), abs(sw2[i] - ew2) <= 1e-9 * max(1, abs(ew2)) else {
                    throw MergeError("\(p.path): row \(i + 1): n = \(n[i]), sum_w = \(sw[i]), sum_w2 = \(sw2[i]) do not agree with the weight \(wt) of '\(types[i])'; the part was altered or is not PlaceRisk's")
                }
                let k = Key(unit: labels.isEmpty ? "" : labels[i], cell: cells.isEmpty ? 0 : cells[i], month: months[i], type: types[i])
                sums[k, default: 0] += n[i]
            }
            rows += n.count
        }
        guard let f = first else { throw MergeError("no parts to merge") }
        let w = f.identity.weightOfType
        let sorted = sums.sorted { ($0.key.unit, $0.key.cell, $0.key.month, $0.key.type) < ($1.key.unit, $1.key.cell, $1.key.month, $1.key.type) }
        let wts = sorted.map { e in w.map { $0[e.key.type] ?? 0 } ?? 1 }
        let unitCol = f.identity.unit == "cell_id" ? ParquetColumn("cell_id", .int64(sorted.map(\.key.cell))) : ParquetColumn("lsoa_code", .string(sorted.map(\.key.unit)))
        let cols = [unitCol, ParquetColumn("month", .string(sorted.map(\.key.month))), ParquetColumn("crime_type", .string(sorted.map(\.key.type))),
                    ParquetColumn("n", .int64(sorted.map(\.value))),
                    ParquetColumn("sum_w", .double(zip(sorted, wts).map { Double($0.value) * $1 })),
                    ParquetColumn("sum_w2", .double(zip(sorted, wts).map { Double($0.value) * $1 * $1 }))]
        return Merged(identity: f.identity, columns: cols, partsRead: files.count, rowsRead: rows, incidents: sorted.reduce(0) { $0 + $1.value })
    }
}
