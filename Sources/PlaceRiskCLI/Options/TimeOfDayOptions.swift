import PlaceRiskCore
import PlaceRiskIO

/// The options of `timeofday`, parsed and range-checked before any file is read.
struct TimeOfDayOptions: Sendable {
    enum Grouping: String, Sendable { case sourceType = "source,type", source, type, none }
    var sources: DatedSourceOptions
    var out: String
    var by: Grouping
    var nte: NightTimeEconomy

    static let specs: [OptionSpec] = [
        OptionSpec("--out", value: "file", help: "Output .csv (long: source,type,day,hour,weight) or .json (24 x 7 tables with shares).", required: true),
        OptionSpec("--by", value: "source,type|source|type|none", help: "One table per source and type (default), per source, per type, or one in all."),
        OptionSpec("--nte", value: "DAYS HH-HH", help: "Night-time economy: the nights' start days and hours (default \"fri,sat 20-04\" = Fri 20:00-Sat 04:00 and Sat 20:00-Sun 04:00)."),
    ]

    static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    init(_ a: ParsedArguments) throws {
        out = a.value("--out")!
        let lower = out.lowercased()
        guard lower.hasSuffix(".csv") || lower.hasSuffix(".json") else { throw UsageError("--out must be a .csv or .json file") }
        let b = a.value("--by") ?? "source,type"
        guard let g = Grouping(rawValue: b) else { throw UsageError("invalid --by '\(b)'; expected source,type, source, type or none") }
        by = g
        nte = try a.value("--nte").map(Self.parseNTE) ?? NightTimeEconomy()
        sources = try DatedSourceOptions(a, command: "timeofday", needsDaysBecause: "time-of-day patterns need dates and times.")
    }

    /// `"fri,sat 20-04"`.
    static func parseNTE(_ text: String) throws -> NightTimeEconomy {
        let parts = text.split(separator: " ").map(String.init)
        let bad = UsageError("invalid --nte '\(text)'; expected start days and hours, e.g. \"fri,sat 20-04\"")
        guard parts.count == 2 else { throw bad }
        var days = Set<Int>()
        for d in parts[0].lowercased().split(separator: ",") {
            guard let k = dayNames.firstIndex(of: String(d.prefix(3))) else { throw bad }
            days.insert(k)
        }
        let hrs = parts[1].split(separator: "-").compactMap { Int($0) }
        guard hrs.count == 2, (0 ... 23).contains(hrs[0]), (0 ... 24).contains(hrs[1]), hrs[0] != hrs[1], !days.isEmpty else { throw bad }
        return NightTimeEconomy(days: days, fromHour: hrs[0], toHour: hrs[1])
    }
}
