/// School days and hours on the UK local clock, for the school-hours / after-school split of incidents
/// involving under-18s (issue 13 §2).
///
/// A **school day** is a day whose weekday is in `weekdays` (default Monday–Friday), that is not a bank
/// holiday of England and Wales, and — when term dates are given — that lies in a term. Without term
/// dates every such weekday counts (school holidays are *not* approximated: the school-hours share is
/// then an upper bound for term time, diluted by the ~13 weeks of holidays). **School hours** are
/// [`start`, `end`) local time of a school day (default 08:30–15:30); **after school** is [`end`,
/// `afterSchoolEnd`) of a school day (default 15:30–19:00); everything else (evenings, nights,
/// weekends, bank holidays, school holidays) is **other times**.
public struct SchoolCalendar: Sendable, Equatable {
    /// ISO weekdays (0 = Monday … 6 = Sunday).
    public let weekdays: Set<Int>
    /// Seconds after local midnight.
    public let start: Int
    public let end: Int
    public let afterSchoolEnd: Int
    /// Bank holidays (local day numbers, days since 1970-01-01).
    public let holidays: Set<Int>
    /// Term days (local day numbers); nil = every non-holiday weekday of `weekdays`.
    public let termDays: Set<Int>?

    public init(weekdays: Set<Int> = [0, 1, 2, 3, 4], start: Int = 8 * 3600 + 1800, end: Int = 15 * 3600 + 1800,
                afterSchoolEnd: Int = 19 * 3600, holidays: Set<Int> = [], termDays: Set<Int>? = nil) {
        precondition(weekdays.allSatisfy { (0 ... 6).contains($0) }, "SchoolCalendar: weekdays are 0 (Monday) … 6 (Sunday)")
        precondition(0 <= start && start < end && end <= afterSchoolEnd && afterSchoolEnd <= 86400, "SchoolCalendar: need 0 <= start < end <= afterSchoolEnd <= 24:00")
        self.weekdays = weekdays
        self.start = start
        self.end = end
        self.afterSchoolEnd = afterSchoolEnd
        self.holidays = holidays
        self.termDays = termDays
    }

    public func isSchoolDay(_ day: Int) -> Bool {
        weekdays.contains(CivilDate.weekday(days: day)) && !holidays.contains(day) && (termDays?.contains(day) ?? true)
    }
}

/// Weights in school hours, after school and at other times (sums to the weight added).
public struct SchoolHoursSplit: Sendable, Equatable {
    public var schoolHours = 0.0
    public var afterSchool = 0.0
    public var otherTimes = 0.0
    /// Incidents (rows) added.
    public var incidents = 0
    public init() {}
    public var total: Double { schoolHours + afterSchool + otherTimes }

    /// Adds incidents `rows` of windows [start, end) in UTC seconds (`end` nil: point times)
    /// with weights `weight` (nil: each weighs 1), each split
    /// aoristically (Ratcliffe 2002): the share of its window in school hours, after school and at other
    /// times; a point time (end = start) goes wholly to the part it falls in.
    /// ```
    /// w_school = w · |[t₀, t₁) ∩ ⋃_school days [start, end)| / (t₁ − t₀)      (likewise after school)
    /// ```
    /// The day's boundaries are local clock times turned to UTC (`UKLocalTime.utc`), so a window across a
    /// clock change is shared by real elapsed time. Complexity: O(days covered) per incident.
    public mutating func add(start: [Int64], end: [Int64]?, weight: [Double]?, rows: [Int], calendar: SchoolCalendar) {
        precondition((end == nil || start.count == end!.count) && (weight == nil || start.count == weight!.count), "SchoolHoursSplit.add: arrays of different lengths")
        for i in rows {
            let t0 = start[i], t1 = end?[i] ?? t0, w = weight?[i] ?? 1
            precondition(t1 >= t0, "SchoolHoursSplit.add: a window ends before it starts (row \(i))")
            incidents += 1
            if t1 == t0 {
                let local = UKLocalTime.local(utc: t0)
                let day = Int(local >= 0 ? local / 86400 : (local - 86399) / 86400)
                let sec = Int(local - Int64(day) * 86400)
                if calendar.isSchoolDay(day), sec >= calendar.start, sec < calendar.afterSchoolEnd {
                    if sec < calendar.end { schoolHours += w } else { afterSchool += w }
                } else { otherTimes += w }
                continue
            }
            let l0 = UKLocalTime.local(utc: t0), l1 = UKLocalTime.local(utc: t1 - 1)
            let d0 = Int(l0 >= 0 ? l0 / 86400 : (l0 - 86399) / 86400), d1 = Int(l1 >= 0 ? l1 / 86400 : (l1 - 86399) / 86400)
            var inSchool: Int64 = 0, inAfter: Int64 = 0
            // A day before d0 can reach into the window only through a clock change; one day of margin covers it.
            for day in (d0 - 1) ... (d1 + 1) where calendar.isSchoolDay(day) {
                let date = CivilDate(days: day)
                let a = UKLocalTime.utc(date: date, secondOfDay: calendar.start)
                let b = UKLocalTime.utc(date: date, secondOfDay: calendar.end)
                let c = calendar.afterSchoolEnd == 86400 ? UKLocalTime.utc(date: CivilDate(days: day + 1), secondOfDay: 0)
                                                          : UKLocalTime.utc(date: date, secondOfDay: calendar.afterSchoolEnd)
                inSchool += max(0, min(t1, b) - max(t0, a))
                inAfter += max(0, min(t1, c) - max(t0, b))
            }
            let length = Double(t1 - t0)
            let ws = w * Double(inSchool) / length, wa = w * Double(inAfter) / length
            schoolHours += ws
            afterSchool += wa
            otherTimes += w - ws - wa
        }
    }
}

/// Whether an age band label (place-based counts only; never a person's score) lies wholly under 18.
///
/// Read from the label's numbers, case-insensitive: `a-b` / `a to b` (inclusive, whole years): under 18
/// when b ≤ 17, 18 and over when a ≥ 18, else it straddles 18; `under N` / `<N` / `0-N`-style `upto N`:
/// under 18 when N ≤ 18 (`under 18` is under 18); `N+` / `N and over` / `over N` / `>N`: 18 and over when
/// N ≥ 18; a single age `N`: by N. Anything else (`unknown`, `adult`, `child`) is unclassified — named
/// bands are not guessed.
public enum AgeBand: String, Sendable, CaseIterable {
    case under18 = "under_18"
    case eighteenAndOver = "18_and_over"
    case straddles18 = "straddles_18"
    case unclassified

    public static func classify(_ label: String) -> AgeBand {
        let t = label.lowercased()
        var numbers: [Int] = []
        var cur: Int?
        for ch in t {
            if let v = ch.wholeNumberValue, ch.isASCII { cur = (cur ?? 0) * 10 + v } else if let c = cur { numbers.append(c); cur = nil }
        }
        if let c = cur { numbers.append(c) }
        guard !numbers.isEmpty, numbers.count <= 2, numbers.allSatisfy({ $0 <= 130 }) else { return .unclassified }
        let trimmed = t.filter { !$0.isWhitespace }
        if numbers.count == 1 {
            let n = numbers[0]
            if trimmed.hasPrefix("under") || trimmed.hasPrefix("<") || trimmed.hasPrefix("upto") || trimmed.hasPrefix("below") {
                return n <= 18 ? .under18 : .straddles18
            }
            if trimmed.hasSuffix("+") || trimmed.hasSuffix("andover") || trimmed.hasSuffix("orover") || trimmed.hasPrefix("over") || trimmed.hasPrefix(">") {
                // "over N" and ">N" start at N + 1.
                let from = trimmed.hasPrefix("over") || trimmed.hasPrefix(">") ? n + 1 : n
                return from >= 18 ? .eighteenAndOver : .straddles18
            }
            guard trimmed.allSatisfy({ $0.isNumber }) else { return .unclassified }
            return n < 18 ? .under18 : .eighteenAndOver
        }
        let (a, b) = (numbers[0], numbers[1])
        guard a <= b, trimmed.contains("-") || trimmed.contains("to") || trimmed.contains("–") else { return .unclassified }
        if b <= 17 { return .under18 }
        if a >= 18 { return .eighteenAndOver }
        return .straddles18
    }
}
