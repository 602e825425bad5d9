import PlaceRiskCore
import Foundation

/// ESRI ASCII raster (`.asc`) output, with a `.prj` beside it declaring EPSG:27700.
///
/// ```
/// ncols 200
/// nrows 150
/// xllcorner 350000        (lower-left corner of the grid, BNG metres)
/// yllcorner 370000
/// cellsize 400
/// NODATA_value -9999
/// <nrows lines of ncols values, NORTH row first>
/// ```
/// In memory row 0 is south (conventions §1); the file starts with the north row as the format requires.
public enum ASCIIGrid {
    /// ESRI WKT for British National Grid (OSGB36 / EPSG:27700).
    public static let bngWKT = """
    PROJCS["British_National_Grid",GEOGCS["GCS_OSGB_1936",DATUM["D_OSGB_1936",SPHEROID["Airy_1830",6377563.396,299.3249646]],\
    PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],\
    PARAMETER["False_Easting",400000.0],PARAMETER["False_Northing",-100000.0],PARAMETER["Central_Meridian",-2.0],\
    PARAMETER["Scale_Factor",0.9996012717],PARAMETER["Latitude_Of_Origin",49.0],UNIT["Meter",1.0]]
    """

    /// The text of an ASCII grid for row-major values (row 0 south).
    public static func text(grid: Grid, values: [Double], nodata: Double = -9999) -> String {
        precondition(values.count == grid.cellCount, "ASCIIGrid: \(values.count) values for \(grid.cellCount) cells")
        var s = "ncols \(grid.ncols)\nnrows \(grid.nrows)\nxllcorner \(grid.xmin.shortDescription)\n"
        s += "yllcorner \(grid.ymin.shortDescription)\ncellsize \(grid.cell.shortDescription)\nNODATA_value \(nodata.shortDescription)\n"
        s.reserveCapacity(s.utf8.count + grid.cellCount * 4)
        for r in stride(from: grid.nrows - 1, through: 0, by: -1) {
            let base = r * grid.ncols
            for c in 0 ..< grid.ncols {
                if c > 0 { s += " " }
                let v = values[base + c]
                s += v.isFinite ? v.shortDescription : nodata.shortDescription
            }
            s += "\n"
        }
        return s
    }

    /// Writes `path` and `path` with extension `.prj`.
    public static func write(path: String, grid: Grid, values: [Double]) throws(CSVError) {
        do {
            try text(grid: grid, values: values).write(toFile: path, atomically: true, encoding: .utf8)
            let prj = (path as NSString).deletingPathExtension + ".prj"
            try bngWKT.write(toFile: prj, atomically: true, encoding: .utf8)
        } catch {
            throw CSVError(.io("cannot write: \(error.localizedDescription)"), file: path, line: 0, column: 0)
        }
    }

    /// Reads an ASCII grid back (for tests and later subcommands): grid and row-major values (row 0 south).
    public static func read(text: String) -> (grid: Grid, values: [Double])? {
        var lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        guard lines.count >= 6 else { return nil }
        var h: [String: String] = [:]
        for _ in 0 ..< 6 {
            let p = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: true)
            guard p.count == 2 else { return nil }
            h[p[0].lowercased()] = String(p[1])
        }
        guard let nc = h["ncols"].flatMap({ Int($0) }), let nr = h["nrows"].flatMap({ Int($0) }),
              let x = h["xllcorner"].flatMap({ Double($0) }), let y = h["yllcorner"].flatMap({ Double($0) }),
              let c = h["cellsize"].flatMap({ Double($0) }), let g = try? Grid(xmin: x, ymin: y, cell: c, ncols: nc, nrows: nr),
              lines.count == nr else { return nil }
        var v = [Double](repeating: 0, count: nc * nr)
        for (i, line) in lines.enumerated() {
            let r = nr - 1 - i
            let vals = line.split(separator: " ").compactMap { Double($0) }
            guard vals.count == nc else { return nil }
            for cidx in 0 ..< nc { v[r * nc + cidx] = vals[cidx] }
        }
        return (g, v)
    }
}
