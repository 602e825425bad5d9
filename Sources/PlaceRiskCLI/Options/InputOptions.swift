import PlaceRiskCore
import PlaceRiskIO

/// What every command that reads incidents is told about its inputs, parsed and checked once:
/// the input paths, the filters and grid (`CommonOptions`), and the run controls
/// (`--strict`, `--quiet`, `--lookup`, `--districts`, `--accounting`, `--drop-duplicate-ids`).
/// Loaders and sections take this value, never the argument list.
struct InputOptions: Sendable {
    /// police.uk street files or folders (or one points / counts CSV where the command accepts it).
    var paths: [String]
    var common: CommonOptions
    var strict: Bool
    var quiet: Bool
    /// `--lookup` (nil: the bundled all-England IMD table).
    var lookup: String?
    /// `--districts`: an explicit study area (district codes) instead of the ≥ 50 % rule.
    var districts: [String]?
    /// `--accounting`: where to write the ledger as JSON.
    var accounting: String?
    /// `--drop-duplicate-ids`: skip the second and later rows of a repeated non-empty Crime ID.
    var dropDuplicateIDs: Bool

    init(_ a: ParsedArguments, paths: [String]? = nil) throws {
        self.paths = paths ?? a.positionals
        common = try CommonOptions(a)
        strict = a.flag("--strict")
        quiet = a.flag("--quiet")
        lookup = a.value("--lookup")
        districts = try a.value("--districts").map { list in
            let codes = list.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !codes.isEmpty else { throw UsageError("--districts needs district codes, e.g. E06000052,E06000053") }
            return codes
        }
        accounting = a.value("--accounting")
        dropDuplicateIDs = a.flag("--drop-duplicate-ids")
    }

    /// The lookup the study-area rule reads.
    var lookupPath: String { lookup ?? IncidentInputs.defaultLookup }

    /// A copy that loads every crime type (the study area counts LSOAs touched by any incident).
    var allTypes: InputOptions {
        var o = self
        o.common.filter.crimeTypes = nil
        return o
    }

    /// A copy reading `paths` instead.
    func reading(_ paths: [String]) -> InputOptions {
        var o = self
        o.paths = paths
        return o
    }
}
