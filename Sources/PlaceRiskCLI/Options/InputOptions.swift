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
    /// `--incidents FILE --schema SCHEMA` beside the police.uk files (nil: none).
    var dated: DatedSourceOptions?

    init(_ a: ParsedArguments, paths: [String]? = nil) throws {
        self.paths = paths ?? a.positionals
        common = try CommonOptions(a)
        dated = try DatedSourceOptions(beside: a)
        if dated == nil, a.flag("--publish") || a.flag("--no-publish") {
            throw UsageError("--publish and --no-publish apply to dated sources (--incidents FILE --schema SCHEMA); police.uk data are already public")
        }
        try Self.checkBounds(common, policePaths: self.paths)
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

    /// police.uk files have months only: a `--from`/`--to` day that is not a month boundary is refused
    /// (the whole month would silently count days outside the window, or drop days inside it).
    static func checkBounds(_ c: CommonOptions, policePaths: [String]) throws {
        guard !policePaths.isEmpty else { return }
        for (name, b) in [("--from", c.fromBound), ("--to", c.toBound)] {
            guard let b, !b.wholeMonth else { continue }
            let edge = name == "--from" ? "first" : "last"
            throw UsageError("\(name) \(CivilDate(days: b.day)) is not the \(edge) day of a month, and police.uk files give months only: give \(name) \(b.month) (the whole month) or read only dated sources (--incidents) for a window in days")
        }
    }

    /// Whether outputs are published safely (`--publish`, or by default when a health source is read).
    var publish: Bool { dated?.publish ?? false }

    /// Whether a health source (e.g. ISTV emergency-department data) is among the inputs.
    var hasHealthSource: Bool { dated?.sources.contains { $0.schema.isHealthSource } ?? false }

    /// Refuses a command whose outputs cannot be published safely when `--publish` is on (the default
    /// for health sources): `why` says what its outputs are; `--no-publish` runs it for internal use.
    func refuseWhenPublishing(_ command: String, because why: String) throws {
        guard publish else { return }
        throw UsageError("\(command) with a health source under safe publication (the default for istv): \(why) Give --no-publish to run it for use inside the partnership only (the outputs then say 'not for publication'), or use aggregate / triangulate / report, which publish counts safely")
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
