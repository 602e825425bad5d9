import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// `placerisk timeofday`: aoristic hour-of-day × day-of-week tables of dated sources.
public enum TimeOfDayCommand: Subcommand {
    public static let spec = CommandSpec(
        name: "timeofday",
        abstract: "Hour x weekday counts (aoristic), night-time and weekend shares.",
        discussion: """
        Each incident's weight goes to the UK local clock hours its time covers: a time puts it on its
        hour; a date without a time, or a from-to window, spreads it over the hours of the window in
        proportion to the overlap (aoristic, Ratcliffe 2002). Shares: night-time economy (--nte, default
        Fri and Sat 20:00-04:00), weekend (Sat and Sun), bank holidays of England and Wales and their eves
        (by rule). Health sources (istv) are published safely by default (--publish): counts 1-7 as '*',
        others rounded to 5, secondary suppression.
        """,
        positional: "police-files",
        positionalHelp: "Not accepted: police.uk files have months only (time-of-day patterns need dates and times).",
        positionalRequired: false,
        options: DatedSourceOptions.specs + TimeOfDayOptions.specs + DatedSourceOptions.publishSpecs + DatedSourceOptions.runControls
    )

    struct Group {
        var source: String
        var type: String
        var table = HourWeekTable()
    }

    public static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        let o = try TimeOfDayOptions(a)
        let inputs = try DatedInputs(o.sources, io: io)
        try inputs.requireDates("time-of-day patterns need dates.")
        var years: ClosedRange<Int>?
        for s in inputs.sources {
            for t in [s.start.min(), s.end.max()].compactMap({ $0 }) {
                let y = CivilDate(days: UKLocalTime.components(utc: t).days).year
                years = years.map { min($0.lowerBound, y) ... max($0.upperBound, y + 1) } ?? (y ... y + 1)
            }
        }
        let holidays = years.map { BankHolidays.days(years: $0) } ?? []
        var groups: [Group] = []
        var index: [String: Int] = [:]
        for s in inputs.sources {
            var rowsOf: [Int: [Int]] = [:]   // group index → rows
            for i in 0 ..< s.count {
                let type = s.category.isEmpty ? "all" : (s.category.label(i).isEmpty ? "(none)" : s.category.label(i))
                let src = s.source
                let key: (String, String)
                switch o.by {
                case .sourceType: key = (src, type)
                case .source: key = (src, "all")
                case .type: key = ("all", type)
                case .none: key = ("all", "all")
                }
                let k = key.0 + "\u{1F}" + key.1
                let g: Int
                if let e = index[k] { g = e } else { g = groups.count; index[k] = g; groups.append(Group(source: key.0, type: key.1)) }
                rowsOf[g, default: []].append(i)
            }
            for (g, rows) in rowsOf.sorted(by: { $0.key < $1.key }) {
                Aoristic.add(start: s.start, end: s.end, weight: s.weight, rows: rows, holidays: holidays, into: &groups[g].table)
            }
        }
        let publish = o.sources.publish
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        func cellText(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
        createParentFolder(of: o.out)
        if o.out.lowercased().hasSuffix(".csv") {
            var text = "source,type,day,hour,weight\n"
            for g in groups {
                let pub = publish ? SafePublication.publish(g.table.cells) : nil
                for d in 0 ..< 7 { for h in 0 ..< 24 {
                    let v = pub.map { $0.cells[h][d].map(String.init) ?? SafePublication.suppressedMark } ?? cellText(g.table.cells[h][d])
                    text += "\(csvField(g.source)),\(csvField(g.type)),\(days[d]),\(h),\(v)\n"
                } }
            }
            try write(text, o.out)
            let meta = manifest(o, groups: groups, publish: publish, inputs: inputs, includeTables: false)
            try Metadata.write(meta, beside: o.out)
        } else {
            try write(manifest(o, groups: groups, publish: publish, inputs: inputs, includeTables: true).serialized() + "\n", o.out)
        }
        try inputs.emitAccounting(inputs.sources.map(\.accounting), o.sources, io)
        if !o.sources.quiet { io.err("Time of day: \(groups.count) table(s) of 24 x 7; wrote \(o.out)\n") }
    }

    static func write(_ text: String, _ path: String) throws {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw RuntimeError("cannot write \(path): \(plainDescription(error))")
        }
    }

    static func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func manifest(_ o: TimeOfDayOptions, groups: [Group], publish: Bool, inputs: DatedInputs, includeTables: Bool) -> JSONValue {
        func share(_ v: Double, _ total: Double) -> JSONValue {
            guard v.isFinite else { return .null }
            if publish { return total >= 50 ? .number((v * 20).rounded() / 20) : .null }
            return .number(v)
        }
        let nte = o.nte
        let tables: [JSONValue] = groups.map { g in
            let t = g.table, total = t.total
            var f: [(String, JSONValue)] = [("source", .string(g.source)), ("type", .string(g.type))]
            if publish {
                let p = SafePublication.publish(t.cells)
                f.append(("incidents", p.total.map { .int($0) } ?? .string(SafePublication.suppressedMark)))
                if includeTables { f.append(("table", .array(p.cells.map { .array($0.map { $0.map { .int($0) } ?? .string(SafePublication.suppressedMark) }) }))) }
            } else {
                f.append(("incidents", .int(t.incidents)))
                f.append(("weight", .number(total)))
                if includeTables { f.append(("table", .array(t.cells.map { .array($0.map { .number($0) }) }))) }
            }
            f.append(("night_time_economy_share", share(t.share(nte), total)))
            f.append(("weekend_share", share(t.weekendShare, total)))
            f.append(("bank_holiday_share", share(total > 0 ? t.bankHoliday / total : .nan, total)))
            f.append(("bank_holiday_eve_share", share(total > 0 ? t.bankHolidayEve / total : .nan, total)))
            return .object(f)
        }
        let dayNames = TimeOfDayOptions.dayNames
        return .object([
            ("placerisk_version", .string(PlaceRiskVersion.string)),
            ("command", .string("timeofday")),
            ("output", .string(o.out)),
            ("method", .string("aoristic hour-of-week weights (Ratcliffe 2002): each incident's weight spread over the UK local clock hours its time or window covers, in proportion to the overlap; a time puts it on its hour; a date alone covers its whole local day")),
            ("layout", .string("table[hour 0-23][day Mon..Sun]; UK local time (GMT/BST)")),
            ("night_time_economy", .string("\(nte.days.sorted().map { dayNames[$0] }.joined(separator: ",")) \(nte.fromHour):00 to \(nte.toHour):00 the next morning")),
            ("weekend", .string("Saturday and Sunday, 00:00-24:00 local")),
            ("bank_holidays", .string("England and Wales by rule (Easter by the anonymous Gregorian algorithm, substitute days, proclaimed one-offs); eve = the day before")),
            ("grouping", .string(o.by.rawValue)),
            ("publication", publish ? .string(SafePublication.rule + "; shares rounded to 0.05 and given only for tables of at least 50") : .string("exact counts (not for publication outside the partnership when a health source is included)")),
            ("tables", .array(tables)),
            ("sources", .array(inputs.sources.map { .object([("path", .string($0.path)), ("source", .string($0.source)), ("schema", .string($0.schema.origin))]) })),
            ("accounting", inputs.ledgerJSON(inputs.sources.map(\.accounting))),
        ])
    }
}
