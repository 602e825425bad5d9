import PlaceRiskCore

/// Grid surfaces as CSV: **every cell**, zeros included, `cell_id,row,col,x,y,<value columns…>`,
/// numbers in Swift's shortest round-trip form (re-read exactly), NaN (no data) as an empty field.
/// x, y = cell centre in BNG metres; cell_id = row · ncols + col; row 0 = south.
public enum GridValuesWriter {
    public static func write(grid: Grid, columns: [(name: String, values: [Double])], to w: CSVWriter) throws(CSVError) {
        for c in columns {
            precondition(c.values.count == grid.cellCount, "GridValuesWriter: '\(c.name)' has \(c.values.count) values for \(grid.cellCount) cells")
        }
        try w.writeRow(["cell_id", "row", "col", "x", "y"] + columns.map(\.name))
        for r in 0 ..< grid.nrows {
            let y = grid.centreY(row: r).shortDescription
            for c in 0 ..< grid.ncols {
                let id = r * grid.ncols + c
                var line = "\(id),\(r),\(c),\(grid.centreX(col: c).shortDescription),\(y)"
                for col in columns {
                    let v = col.values[id]
                    line += v.isFinite ? "," + v.shortDescription : ","
                }
                try w.writeRaw(line)
            }
        }
    }

    /// Writes `path` as CSV, ESRI ASCII grid (first column only) or GeoJSON by its extension.
    public static func write(path: String, grid: Grid, columns: [(name: String, values: [Double])]) throws(CSVError) {
        let lower = path.lowercased()
        if lower.hasSuffix(".asc") {
            try ASCIIGrid.write(path: path, grid: grid, values: columns[0].values)
        } else if lower.hasSuffix(".geojson") || lower.hasSuffix(".json") {
            var dict: [String: [Double]] = [:]
            for c in columns { dict[c.name] = c.values }
            try GeoJSONWriter.gridCells(grid: grid, values: dict, path: path)
        } else {
            let w = try CSVWriter(path: path)
            try write(grid: grid, columns: columns, to: w)
            try w.close()
        }
    }
}
