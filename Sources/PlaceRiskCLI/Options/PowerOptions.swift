import PlaceRiskCore
import PlaceRiskIO

/// The options of `placerisk power`, parsed and checked before any file is read.
struct PowerOptions: Sendable {
    static let defaultAfter = 12

    var input: InputOptions
    var types: [CrimeType]
    /// `--intervention`: LSOA codes of an intervention area to add as its own row.
    var intervention: [String]?
    /// `--before` (nil: every month of the data) and `--after` months.
    var before: Int?
    var after: Int
    var levels: Set<String>
    var out: String

    init(_ a: ParsedArguments) throws {
        input = try InputOptions(a, paths: a.positionals.isEmpty && a.all("--incidents").isEmpty ? [EvaluateCommand.bundledPolice] : a.positionals)
        try input.refuseWhenPublishing("power", because: "its baseline counts per area are exact.")
        let given = a.all("--crime-type")
        types = given.isEmpty ? [.violenceAndSexualOffences] : try CommonOptions.analysedTypes(given).sorted()
        input.common.filter.crimeTypes = nil
        intervention = try a.value("--intervention").map { v in
            let c = v.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !c.isEmpty else { throw UsageError("--intervention names no LSOA; give codes, e.g. E01018881,E01018882") }
            return c
        }
        before = try a.value("--before").map { try OptionValue.whole("--before", $0, in: 1 ... 600) }
        after = try a.value("--after").map { try OptionValue.whole("--after", $0, in: 1 ... 600) } ?? Self.defaultAfter
        let lv = (a.value("--levels") ?? "intervention,lsoa,msoa,district").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for l in lv where !["intervention", "lsoa", "msoa", "district"].contains(l) {
            throw UsageError("invalid --levels '\(l)'; expected some of intervention, lsoa, msoa, district")
        }
        levels = Set(lv)
        out = a.value("--out")!
    }
}
