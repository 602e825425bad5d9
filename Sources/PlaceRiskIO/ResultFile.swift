import PlaceRiskCore
import Foundation

/// A machine-readable result a report section produced, written beside the page when the run ends:
/// a CSV table, a JSON document or an ESRI ASCII grid (+ `.prj`).
public enum ResultFile: Sendable {
    case csv(name: String, rows: [[String]])
    case json(name: String, value: JSONValue)
    case asciiGrid(name: String, grid: Grid, values: [Double])

    public var name: String {
        switch self {
        case .csv(let n, _), .json(let n, _), .asciiGrid(let n, _, _): return n
        }
    }

    /// Writes the file into `folder`; an error names the file.
    public func write(into folder: String) throws(CSVError) {
        let path = (folder as NSString).appendingPathComponent(name)
        switch self {
        case .csv(_, let rows):
            let w = try CSVWriter(path: path)
            for r in rows { try w.writeRow(r) }
            try w.close()
        case .json(_, let value):
            do { try (value.serialized() + "\n").write(toFile: path, atomically: true, encoding: .utf8) } catch {
                throw CSVError(.io("cannot write: \(error.localizedDescription)"), file: path, line: 0, column: 0)
            }
        case .asciiGrid(_, let grid, let values):
            try ASCIIGrid.write(path: path, grid: grid, values: values)
        }
    }
}
