import PlaceRiskCore
import Foundation

/// Reads PySAL / GeoDa `.gal` contiguity files into binary `SpatialWeights`.
///
/// Format (libpysal `io.iohandlers.gal`, GeoDa):
/// ```
/// n                              or   0 n shapefile idvar      (header; n = number of units)
/// id_1 k_1                       a unit's id and its number of neighbours
/// nb_1 nb_2 … nb_k               the ids of its k neighbours (an empty line when k = 0)
/// id_2 k_2
/// …
/// ```
/// Ids are text (usually 1-based integers); unit i of the result is the i-th record in file order
/// and `ids[i]` its id. Neighbour lists keep the file's order. Tokens are separated by spaces or
/// tabs; CRLF line ends and blank lines after the last record are accepted. As in libpysal, a
/// unit with k = 0 may be followed by an empty line, which is then consumed.
///
/// Malformed input is a `CSVError` naming the 1-based line: a bad header or record line, a
/// neighbour count that differs from k, an unknown, repeated or self neighbour id, a repeated
/// unit id, or a record count that differs from n. The weights are not required to be symmetric.
public enum GALReader {
    /// Reads a `.gal` file.
    public static func read(path: String) throws(CSVError) -> (ids: [String], weights: SpatialWeights) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CSVError(.io("cannot read: \(error.localizedDescription)"), file: path, line: 0, column: 0)
        }
        return try parse(text: text, file: path)
    }

    /// Parses `.gal` text (`file` names it in errors).
    public static func parse(text: String, file: String) throws(CSVError) -> (ids: [String], weights: SpatialWeights) {
        // Lines without their terminators; keep empty lines (they are significant after k = 0).
        // ("\r\n" is one Character in Swift, hence both separators.)
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        func bad(_ line: Int, _ what: String, _ value: String, _ expected: String) -> CSVError {
            CSVError(.badValue(column: what, value: value, expected: expected), file: file, line: line, column: 1)
        }
        guard let header = lines.first, !header.isEmpty else {
            throw CSVError(.empty, file: file, line: 1, column: 1)
        }
        // libpysal: n = header[0], or header[1] when the header has more than one token.
        let nToken = header.count > 1 ? header[1] : header[0]
        guard let n = Int(nToken), n >= 0 else {
            throw bad(1, "header", header.joined(separator: " "), "'n' or '0 n shapefile idvar'")
        }
        var ids: [String] = [], neighbourIDs: [[Substring]] = [], recordLines: [Int] = []
        ids.reserveCapacity(n)
        var index: [Substring: Int] = [:]
        var li = 1
        while li < lines.count {
            let line = li + 1
            let rec = lines[li]
            guard rec.count == 2, let k = Int(rec[1]), k >= 0 else {
                throw bad(line, "record", rec.joined(separator: " "), "'id k' (a unit id and its neighbour count)")
            }
            if index[rec[0]] != nil { throw bad(line, "id", String(rec[0]), "an id not already listed") }
            index[rec[0]] = ids.count
            ids.append(String(rec[0]))
            li += 1
            if k == 0 {
                if li < lines.count, lines[li].isEmpty { li += 1 }
                neighbourIDs.append([])
                recordLines.append(line + 1)
                continue
            }
            guard li < lines.count else {
                throw bad(line + 1, "neighbours", "(end of file)", "\(k) neighbour ids of unit \(rec[0])")
            }
            guard lines[li].count == k else {
                throw bad(li + 1, "neighbours", lines[li].joined(separator: " "), "\(k) neighbour ids of unit \(rec[0]) (found \(lines[li].count))")
            }
            neighbourIDs.append(lines[li])
            recordLines.append(li + 1)
            li += 1
        }
        guard ids.count == n else {
            throw bad(1, "header", String(n), "the number of records (\(ids.count))")
        }
        var lists: [[Int]] = []
        lists.reserveCapacity(n)
        for (i, nbs) in neighbourIDs.enumerated() {
            var list: [Int] = [], seen = Set<Int>()
            list.reserveCapacity(nbs.count)
            for t in nbs {
                guard let j = index[t] else { throw bad(recordLines[i], "neighbour", String(t), "the id of a unit in the file") }
                guard j != i else { throw bad(recordLines[i], "neighbour", String(t), "a unit other than \(ids[i]) itself") }
                guard seen.insert(j).inserted else { throw bad(recordLines[i], "neighbour", String(t), "listed once only") }
                list.append(j)
            }
            lists.append(list)
        }
        return (ids, SpatialWeights(neighbourLists: lists))
    }
}
