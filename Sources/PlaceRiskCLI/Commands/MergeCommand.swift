import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// `placerisk merge`: partial aggregates (partition folders or parts) → one summed table.
public enum MergeCommand: Subcommand {
    public static let spec = CommandSpec(
        name: "merge",
        abstract: "Sum partial aggregates written by 'aggregate --partition-by' into one table.",
        discussion: """
        Reads partition folders (searched for part-N.parquet / part-N.csv) or part files and sums n by
        unit, month and crime type; sum_w = n x weight and sum_w2 = n x weight^2 follow from the parts'
        weights, so the result equals one run over all the inputs exactly. Parts of different units,
        grids, weights or columns are refused, and so is a folder holding a file that is not a part.
        Output: .parquet or .csv by the --out extension; columns lsoa_code | cell_id, month, crime_type,
        n, sum_w, sum_w2, sorted.
        """,
        positional: "partitions",
        positionalHelp: "Partition folders or part files written by 'aggregate --partition-by'.",
        options: [
            OptionSpec("--out", value: "file", help: "Output .parquet or .csv.", required: true),
            OptionSpec("--quiet", help: "Do not print the summary."),
        ]
    )

    public static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        let out = a.value("--out")!
        let lower = out.lowercased()
        guard lower.hasSuffix(".parquet") || lower.hasSuffix(".csv") else { throw UsageError("--out must end in .parquet or .csv") }
        guard !a.positionals.isEmpty else { throw UsageError("merge needs partition folders or part files") }
        let merged: PartitionMerge.Merged
        do { merged = try PartitionMerge.merge(a.positionals) } catch { throw RuntimeError(error.description) }
        createParentFolder(of: out)
        if lower.hasSuffix(".parquet") {
            try ParquetWriter.write(merged.columns, keyValues: merged.identity.keyValues, createdBy: "placerisk \(PlaceRiskVersion.string)", to: out)
        } else {
            try ParquetWriter.writeAtomically(PartitionFolder.csvBytes(merged.columns), to: out)
        }
        if !a.flag("--quiet") {
            io.err("Merged \(merged.partsRead) part(s), \(merged.rowsRead) rows -> \(out) (\(merged.columns[0].count) rows, \(merged.incidents) incidents)\n")
        }
    }
}
