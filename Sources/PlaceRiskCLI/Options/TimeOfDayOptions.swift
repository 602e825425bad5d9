import PlaceRiskCore
import PlaceRiskIO

/// The options of `timeofday`, parsed and range-checked before any file is read.
struct TimeOfDayOptions: Sendable {
    enum Grouping: String, Sendable { case sourceType = "source,type", source, type, none }
    var sources: DatedSourceOptions
    var out: String
    var by: Grouping
    var nte: NightTimeEconomy
    /// School days' weekdays and hours (`--school-hours`, `--after-school-until`), without holidays yet.
    var school: SchoolCalendar
    var schoolTerms: String?

    static let specs: [OptionSpec] = [
        OptionSpec("--out", value: "file", help: "Output .csv (long: source,type,day,hour,weight) or .json (24 x 7 tables with shares).", required: true),
        OptionSpec("--by", value: "source,type|source|type|none", help: "One table per source and type (default), per source, per type, or one in all."),
        OptionSpec("--nte", value: "DAYS HH-HH", help: "Night-time economy: the nights' start days and hours (default \"fri,sat 20-04\" = Fri 20:00-Sat 04:00 and Sat 20:00-Sun 04:00)."),
        OptionSpec("--school-hours", value: "DAYS HH:MM-HH:MM", help: "For sources with an age_band: school hours of under-18 rows (default \"mon-fri 08:30-15:30\"; bank holidays excluded)."),
        OptionSpec("--after-school-until", value: "HH:MM", help: "End of 'after school' on school days (default 19:00; after school runs from the end of school hours)."),
        OptionSpec("--school-terms", value: "file", help: "Term dates (CSV start,end; inclusive dates): school days only in terms (default: every weekday but bank holidays)."),
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
        school = try Self.parseSchoolHours(a.value("--school-hours") ?? "mon-fri 08:30-15:30", until: a.value("--after-school-until") ?? "19:00")
        schoolTerms = a.value("--school-terms")
        sources = try DatedSourceOptions(a, command: "timeofday", needsDaysBecause: "time-of-day patterns need dates and times.")
    }

    /// `"mon-fri 08:30-15:30"` (days: a range `mon-fri` or a list `mon,tue,thu`) and the after-school end.
    static func parseSchoolHours(_ text: String, until: String) throws -> SchoolCalendar {
        let bad = UsageError("invalid --school-hours '\(text)'; expected days and hours, e.g. \"mon-fri 08:30-15:30\"")
        let parts = text.split(separator: " ").map(String.init)
        guard parts.count == 2 else { throw bad }
        var days = Set<Int>()
        for item in parts[0].lowercased().split(separator: ",") {
            let ends = item.split(separator: "-").map { dayNames.firstIndex(of: String($0.prefix(3))) }
            guard !ends.isEmpty, ends.count <= 2, ends.allSatisfy({ $0 != nil }) else { throw bad }
            let a = ends[0]!, b = ends.last!!
            guard a <= b else { throw bad }
            for d in a ... b { days.insert(d) }
        }
        func clock(_ t: Substring) -> Int? {
            let hm = t.split(separator: ":")
            guard hm.count == 2, hm[1].count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0 ... 24).contains(h), (0 ... 59).contains(m), h * 60 + m <= 1440 else { return nil }
            return h * 3600 + m * 60
        }
        let hrs = parts[1].split(separator: "-")
        guard hrs.count == 2, let start = clock(hrs[0]), let end = clock(hrs[1]), start < end else { throw bad }
        guard let after = clock(Substring(until)), after >= end else {
            throw UsageError("invalid --after-school-until '\(until)'; expected a time HH:MM not before the end of school hours")
        }
        return SchoolCalendar(weekdays: days, start: start, end: end, afterSchoolEnd: after)
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
