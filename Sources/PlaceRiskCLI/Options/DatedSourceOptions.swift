import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// `--incidents FILE --schema SCHEMA` pairs (repeatable: the k-th `--schema` goes with the k-th
/// `--incidents`; one `--schema` serves every file), with the run controls of commands that read
/// dated sources. Parsed and checked once, before any incident file is read (schema files are read
/// here: they are the options' own text).
struct DatedSourceOptions: Sendable {
    var sources: [(path: String, schema: IncidentSchema)]
    var strict: Bool
    var quiet: Bool
    var accounting: String?
    /// `--publish` / `--no-publish`; nil = the default (on when any source is a health source).
    var publishChoice: Bool?
    /// `--from` / `--to` of `nearrepeat` and `timeofday` (months or days; beside police.uk files the
    /// commands' own `CommonOptions` hold them and these stay nil).
    var fromBound: DateBound?
    var toBound: DateBound?

    static let specs: [OptionSpec] = [
        OptionSpec("--incidents", value: "file", help: "A dated source (any agency's incidents, CSV); give --schema for each.", repeatable: true),
        OptionSpec("--schema", value: "name|file", help: "How to read the --incidents file: points (x,y[,weight][,date], BNG metres), istv (NHS ISTV minimum data set) or a schema file (see README, 'Schema files').", repeatable: true),
        OptionSpec("--gazetteer", value: "file", help: "Place names -> points or LSOA codes (CSV name,easting,northing | name,longitude,latitude | name,lsoa_code) for schemas with a 'place' column (overrides the schema's gazetteer)."),
        OptionSpec("--lsoa-lookup", value: "file", help: "The ONS LSOA (2011) to LSOA (2021) lookup (LSOA11CD,LSOA21CD[,CHGIND]): 2021 codes mapped to 2011 codes (merged/irregular ones skipped by reason); lsoa_vintage from the schema, else mixed."),
    ]

    static let publishSpecs: [OptionSpec] = [
        OptionSpec("--publish", help: "Safe publication: counts 1-7 suppressed, others rounded to the nearest 5, secondary suppression (default on for health sources such as istv)."),
        OptionSpec("--no-publish", help: "Exact counts even for health sources (for use inside the partnership only)."),
    ]

    static let runControls: [OptionSpec] = [
        OptionSpec("--from", value: "YYYY-MM[-DD]", help: "First day (or month) to keep, by the UK local date of each incident's start."),
        OptionSpec("--to", value: "YYYY-MM[-DD]", help: "Last day (or month) to keep, inclusive."),
        OptionSpec("--accounting", value: "file", help: "Also write the row accounting (one ledger per source) as JSON."),
        OptionSpec("--strict", help: "Stop at the first bad row (default: skip and count it)."),
        OptionSpec("--quiet", help: "Do not print progress and the accounting tables."),
    ]

    /// Refuses police.uk inputs with the command's sentence (they have months, not days).
    init(_ a: ParsedArguments, command: String, needsDaysBecause sentence: String) throws {
        if !a.positionals.isEmpty || a.all("--schema").contains("police-uk") || a.all("--incidents").contains(where: { $0.hasSuffix(PoliceStreetLoader.fileSuffix) }) {
            throw UsageError("police.uk street files give months only, not dates: \(sentence) Give a dated source with --incidents FILE --schema SCHEMA")
        }
        guard !a.all("--incidents").isEmpty else { throw UsageError("\(command) needs --incidents FILE --schema SCHEMA") }
        sources = try Self.pairs(a)
        strict = a.flag("--strict")
        quiet = a.flag("--quiet")
        accounting = a.value("--accounting")
        publishChoice = try Self.publishChoice(a)
        fromBound = try a.value("--from").map { try DateBound("--from", $0) }
        toBound = try a.value("--to").map { try DateBound("--to", $0) }
        if let f = fromBound, let t = toBound, f.day > t.day {
            throw UsageError("--from \(a.value("--from")!) is after --to \(a.value("--to")!): the window ends before it starts")
        }
    }

    /// The dated sources given beside police.uk files (any command that reads incidents); nil when
    /// no `--incidents` is given (then `--schema` and `--publish` are refused as meaningless).
    init?(beside a: ParsedArguments) throws {
        guard !a.all("--incidents").isEmpty else {
            if !a.all("--schema").isEmpty { throw UsageError("--schema goes with --incidents FILE; give the dated file too") }
            return nil
        }
        if a.all("--schema").contains("police-uk") || a.all("--incidents").contains(where: { $0.hasSuffix(PoliceStreetLoader.fileSuffix) }) {
            throw UsageError("police.uk street files are inputs, not --incidents: give them as arguments (or folders) and dated sources as --incidents FILE --schema SCHEMA")
        }
        sources = try Self.pairs(a)
        strict = a.flag("--strict")
        quiet = a.flag("--quiet")
        accounting = a.value("--accounting")
        publishChoice = try Self.publishChoice(a)
    }

    static func publishChoice(_ a: ParsedArguments) throws -> Bool? {
        if a.flag("--publish"), a.flag("--no-publish") { throw UsageError("give --publish or --no-publish, not both") }
        return a.flag("--publish") ? true : (a.flag("--no-publish") ? false : nil)
    }

    /// The `--incidents` files with their schemas (schema files read and checked here).
    static func pairs(_ a: ParsedArguments) throws -> [(path: String, schema: IncidentSchema)] {
        let files = a.all("--incidents"), schemas = a.all("--schema")
        guard !schemas.isEmpty else { throw UsageError("give --schema for --incidents (points, istv or a schema file)") }
        guard schemas.count == 1 || schemas.count == files.count else {
            throw UsageError("\(files.count) --incidents but \(schemas.count) --schema; give one --schema for all files or one per file, in the same order")
        }
        var out: [(path: String, schema: IncidentSchema)] = []
        for (k, f) in files.enumerated() {
            let s = schemas.count == 1 ? schemas[0] : schemas[k]
            if !IncidentSchema.builtInNames.contains(s) {
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: s, isDirectory: &isDir), !isDir.boolValue else {
                    throw UsageError("unknown --schema '\(s)'; expected \(IncidentSchema.builtInNames.joined(separator: ", ")) or a schema file")
                }
            }
            out.append((f, try IncidentSchema.named(s)))
        }
        return try Self.applyPlaceFiles(out, gazetteer: a.value("--gazetteer"), lookup: a.value("--lsoa-lookup"))
    }

    /// `--gazetteer` / `--lsoa-lookup` set on the schemas that can use them; a schema that needs one
    /// and has none, or a flag no schema can use, is a usage error (before any file is read).
    static func applyPlaceFiles(_ sources: [(String, IncidentSchema)], gazetteer: String?, lookup: String?) throws -> [(path: String, schema: IncidentSchema)] {
        var out: [(path: String, schema: IncidentSchema)] = []
        for (path, var s) in sources {
            let hasPlace = s.columns[.place] != nil
            if hasPlace, let g = gazetteer { s.gazetteerPath = g }
            if let l = lookup, s.columns[.lsoa] != nil || hasPlace { s.lsoaLookupPath = l }
            if hasPlace, s.gazetteerPath == nil {
                throw UsageError("schema '\(s.name)' matches a place column against a gazetteer: give --gazetteer FILE (or gazetteer = FILE in the schema)")
            }
            if let v = s.lsoaVintage, v != .v2011, s.lsoaLookupPath == nil {
                throw UsageError("schema '\(s.name)' says lsoa_vintage = \(v.rawValue): give --lsoa-lookup FILE, the ONS 'LSOA (2011) to LSOA (2021) to Local Authority District (2022) Lookup' (or lsoa_lookup = FILE in the schema)")
            }
            out.append((path, s))
        }
        if gazetteer != nil, !out.contains(where: { $0.schema.columns[.place] != nil }) {
            throw UsageError("--gazetteer is for schemas with a 'place' column; no --schema has one")
        }
        if lookup != nil, !out.contains(where: { $0.schema.columns[.lsoa] != nil || $0.schema.columns[.place] != nil }) {
            throw UsageError("--lsoa-lookup is for sources with LSOA codes; no --schema has an 'lsoa' column")
        }
        return out
    }

    /// Whether outputs are published safely: `--publish`, or by default when any source is a health source.
    var publish: Bool { publishChoice ?? sources.contains { $0.schema.isHealthSource } }
}

extension OptionSpec {
    /// `--incidents FILE --schema SCHEMA` (repeatable) and `--publish` / `--no-publish`: dated sources
    /// beside police.uk files, declared once for every command that reads incidents (in `runControls`).
    static let datedSources: [OptionSpec] = DatedSourceOptions.specs + DatedSourceOptions.publishSpecs
}
