import PlaceRiskCore

/// A `--from` / `--to` value: a month (`YYYY-MM`, police.uk's resolution) or a day (`YYYY-MM-DD`,
/// for dated sources). A month bound covers the whole month: `--from 2016-03` is 2016-03-01 and
/// `--to 2016-03` is 2016-03-31. Days are UK local calendar days, inclusive at both ends.
struct DateBound: Sendable, Equatable {
    /// The month the bound falls in.
    let month: YearMonth
    /// The bound as a UK local day number (days since 1970-01-01): the month's first day for `--from`
    /// given as a month, its last day for `--to`.
    let day: Int
    /// Whether the user wrote a day (`YYYY-MM-DD`), not a month.
    let givenAsDay: Bool
    /// Whether the bound falls on a month boundary (the first day for `--from`, the last for `--to`),
    /// so police.uk months can honour it exactly.
    let wholeMonth: Bool

    /// Parses `text` for option `name` (`--from` or `--to`); a usage error says what was expected.
    init(_ name: String, _ text: String) throws {
        let isTo = name == "--to"
        if let ym = YearMonth(text), text.count <= 7 {
            month = ym
            let first = CivilDate(year: ym.year, month: ym.month, day: 1)!
            day = isTo ? first.days + CivilDate.daysIn(month: ym.month, year: ym.year) - 1 : first.days
            givenAsDay = false
            wholeMonth = true
            return
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else {
            throw UsageError("invalid \(name) '\(text)'; expected a month YYYY-MM or a day YYYY-MM-DD")
        }
        guard (1 ... 12).contains(m) else { throw UsageError("invalid \(name) '\(text)': there is no month \(m)") }
        guard let c = CivilDate(year: y, month: m, day: d) else {
            throw UsageError("invalid \(name) '\(text)': \(CivilDate.daysIn(month: m, year: y)) days in \(YearMonth(year: y, month: m)), not \(d)")
        }
        month = YearMonth(year: y, month: m)
        day = c.days
        givenAsDay = true
        wholeMonth = isTo ? d == CivilDate.daysIn(month: m, year: y) : d == 1
    }
}
