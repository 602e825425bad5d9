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
        /// Under-18 rows' school-hours split and the rows per age class (sources with an age band).
        var school = SchoolHoursSplit()
        var ages: [AgeBand: Int] = [:]
    }

    public static func run(_ a: ParsedArguments, io: CLIOutput) throws {
        let o = try TimeOfDayOptions(a)
        // The types and age bands are all this command reads (points, LSOAs and the other text columns are
        // checked row by row as always, not stored).
        let inputs = try DatedInputs(o.sources, io: io, keep: .timeOfDay)
        try inputs.requireDates("time-of-day patterns need dates.")
        var years: ClosedRange<Int>?
        for s in inputs.sources {
            for t in [s.start.min(), (s.ends ?? s.start).max()].compactMap({ $0 }) {
                let y = CivilDate(days: UKLocalTime.components(utc: t).days).year
                years = years.map { min($0.lowerBound, y) ... max($0.upperBound, y + 1) } ?? (y ... y + 1)
            }
        }
        let holidays = years.map { BankHolidays.days(years: $0) } ?? []
        let terms = try o.schoolTerms.map { p throws(CSVError) in try SchoolTerms.load(path: p) }
        let calendar = SchoolCalendar(weekdays: o.school.weekdays, start: o.school.start, end: o.school.end,
                                      afterSchoolEnd: o.school.afterSchoolEnd, holidays: holidays, termDays: terms)
        var ageLabels: [String: AgeBand] = [:]
        var groups: [Group] = []
        var index: [String: Int] = [:]
        for s in inputs.sources {
            // Each row's group, through its type's code (groups numbered in the order their first rows come).
            let labels = s.category.isEmpty ? [] : s.category.labels
            var groupOfCode = [Int](repeating: -1, count: max(labels.count, 1))
            var rowGroup = [Int32](repeating: 0, count: s.count)
            var sizeOf: [Int] = []   // rows of this source by group
            for i in 0 ..< s.count {
                let code = s.category.isEmpty ? 0 : Int(s.category.codes[i])
                var g = groupOfCode[code]
                if g < 0 {
                    let type = s.category.isEmpty ? "all" : (labels[code].isEmpty ? "(none)" : labels[code])
                    let key: (String, String)
                    switch o.by {
                    case .sourceType: key = (s.source, type)
                    case .source: key = (s.source, "all")
                    case .type: key = ("all", type)
                    case .none: key = ("all", "all")
                    }
                    let k = key.0 + "\u{1F}" + key.1
                    if let e = index[k] { g = e } else { g = groups.count; index[k] = g; groups.append(Group(source: key.0, type: key.1)) }
                    groupOfCode[code] = g
                    if g >= sizeOf.count { sizeOf += [Int](repeating: 0, count: g + 1 - sizeOf.count) }
                }
                rowGroup[i] = Int32(truncatingIfNeeded: g)
                sizeOf[g] += 1
            }
            // Rows by group, in row order, the groups in index order (one group with every row: no list).
            let used = sizeOf.indices.filter { sizeOf[$0] > 0 }
            var rowsOf = [[Int]](repeating: [], count: sizeOf.count)
            if used.count > 1 {
                for g in used { rowsOf[g].reserveCapacity(sizeOf[g]) }
                for i in 0 ..< s.count { rowsOf[Int(rowGroup[i])].append(i) }
            }
            for g in used {
                let list: [Int]? = used.count == 1 ? nil : rowsOf[g]
                Aoristic.add(start: s.start, end: s.ends, weight: s.weights, rows: list, holidays: holidays, into: &groups[g].table)
                if !s.ageBand.isEmpty {
                    let rows = list ?? Array(0 ..< s.count)
                    let classes = s.ageBand.labels.map { l in AgeBand.classify(l) }
                    for (l, c) in zip(s.ageBand.labels, classes) { ageLabels[l] = c }
                    let under = rows.filter { classes[Int(s.ageBand.codes[$0])] == .under18 }
                    for i in rows { groups[g].ages[classes[Int(s.ageBand.codes[i])], default: 0] += 1 }
                    groups[g].school.add(start: s.start, end: s.ends, weight: s.weights, rows: under, calendar: calendar)
                }
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
            let meta = manifest(o, groups: groups, publish: publish, inputs: inputs, includeTables: false, ageLabels: ageLabels, terms: terms)
            try Metadata.write(meta, beside: o.out)
        } else {
            try write(manifest(o, groups: groups, publish: publish, inputs: inputs, includeTables: true, ageLabels: ageLabels, terms: terms).serialized() + "\n", o.out)
        }
        try inputs.emitAccounting(inputs.sources.map(\.accounting), o.sources, io)
        if !o.sources.quiet { io.err("Time of day: \(groups.count) table(s) of 24 x 7; wrote \(o.out)\n") }
    }

    /// The school calendar in words (manifest).
    static func schoolHoursText(_ o: TimeOfDayOptions, terms: Set<Int>?) -> String {
        func hm(_ s: Int) -> String { String(format: "%02d:%02d", s / 3600, (s % 3600) / 60) }
        let days = o.school.weekdays.sorted().map { TimeOfDayOptions.dayNames[$0] }.joined(separator: ",")
        let term = terms.map { "in the \($0.count) term days of --school-terms \(o.schoolTerms ?? "")" } ?? "every such weekday (no term dates given: school holidays are not left out, so the school-hours share is diluted by them)"
        return "rows whose age band is wholly under 18, split aoristically: school hours = \(days) \(hm(o.school.start))-\(hm(o.school.end)), after school = \(hm(o.school.end))-\(hm(o.school.afterSchoolEnd)), other times = the rest; school days exclude bank holidays of England and Wales, \(term)"
    }

    /// One table's under-18 block: rows per age class, the school-hours split and its shares.
    static func under18JSON(_ g: Group, publish: Bool, share: (Double, Double) -> JSONValue) -> JSONValue {
        let classes = AgeBand.allCases
        let sp = g.school, total = sp.total
        var f: [(String, JSONValue)] = []
        if publish {
            let rows = SafePublication.publish([classes.map { g.ages[$0] ?? 0 }])
            f.append(("rows_by_age_class", .object(zip(classes, rows.cells[0]).map { ($0.rawValue, $1.map { .int($0) } ?? .string(SafePublication.suppressedMark)) })))
            let parts = SafePublication.publish([[sp.schoolHours, sp.afterSchool, sp.otherTimes]])
            f.append(("weight", .object(zip(["school_hours", "after_school", "other_times"], parts.cells[0]).map { ($0, $1.map { .int($0) } ?? .string(SafePublication.suppressedMark)) })))
        } else {
            f.append(("rows_by_age_class", .object(classes.map { ($0.rawValue, .int(g.ages[$0] ?? 0)) })))
            f.append(("weight", .object([("school_hours", .number(sp.schoolHours)), ("after_school", .number(sp.afterSchool)), ("other_times", .number(sp.otherTimes))])))
        }
        f.append(("school_hours_share", share(total > 0 ? sp.schoolHours / total : .nan, total)))
        f.append(("after_school_share", share(total > 0 ? sp.afterSchool / total : .nan, total)))
        f.append(("other_times_share", share(total > 0 ? sp.otherTimes / total : .nan, total)))
        return .object(f)
    }

    static func write(_ text: String, _ path: String) throws {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw RuntimeError("cannot write \(path): \(plainDescription(error))")
        }
    }

    static func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func manifest(_ o: TimeOfDayOptions, groups: [Group], publish: Bool, inputs: DatedInputs, includeTables: Bool,
                         ageLabels: [String: AgeBand] = [:], terms: Set<Int>? = nil) -> JSONValue {
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
            if !ageLabels.isEmpty { f.append(("under_18", under18JSON(g, publish: publish, share: share))) }
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
        ] + (ageLabels.isEmpty ? [] : [
            ("school_hours", .string(schoolHoursText(o, terms: terms))),
            ("age_bands", .array(ageLabels.sorted { $0.key < $1.key }.map { .object([("label", .string($0.key)), ("class", .string($0.value.rawValue))]) })),
            ("age_band_use", .string("age bands give place-based counts only (incidents involving under-18s by time), never a person's score")),
        ]) + [
            ("publication", publish ? .string(SafePublication.rule + "; shares rounded to 0.05 and given only for tables of at least 50") : .string("exact counts (not for publication outside the partnership when a health source is included)")),
            ("tables", .array(tables)),
            ("sources", .array(inputs.sources.map { .object([("path", .string($0.path)), ("source", .string($0.source)), ("schema", .string($0.schema.origin))]) })),
            ("accounting", inputs.ledgerJSON(inputs.sources.map(\.accounting))),
        ])
    }
}
