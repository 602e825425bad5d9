import Testing
@testable import PlaceRiskCore

/// UTC seconds of a UK local reading.
private func local(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ mi: Int = 0) -> Int64 {
    UKLocalTime.utc(date: CivilDate(year: y, month: m, day: d)!, secondOfDay: h * 3600 + mi * 60)
}

private func day(_ y: Int, _ m: Int, _ d: Int) -> Int { CivilDate(year: y, month: m, day: d)!.days }

/// School hours (default Mon–Fri 08:30–15:30), after school (15:30–19:00) and other times, with
/// aoristic shares; every expected value is a hand calculation in hours.
@Suite("School hours split")
struct SchoolHoursTests {
    /// Point times: 09:15 on a Tuesday is school hours; 15:30 exactly starts after school; 19:00 and
    /// 08:29 are other times; a Saturday, a bank holiday (Monday 6 May 2024, Early May) and a day out of
    /// term are other times.
    @Test func pointTimesFallInTheirPart() {
        let holidays: Set<Int> = [day(2024, 5, 6)]
        let cal = SchoolCalendar(holidays: holidays)
        let times = [local(2024, 1, 9, 9, 15), local(2024, 1, 9, 15, 30), local(2024, 1, 9, 19, 0), local(2024, 1, 9, 8, 29),
                     local(2024, 1, 13, 10, 0), local(2024, 5, 6, 10, 0), local(2024, 5, 7, 10, 0)]
        var s = SchoolHoursSplit()
        s.add(start: times, end: times, weight: [1, 1, 1, 1, 1, 1, 1], rows: Array(0 ..< 7), calendar: cal)
        #expect(s.schoolHours == 2 && s.afterSchool == 1 && s.otherTimes == 4 && s.incidents == 7)
        // With term dates that leave out 7 May 2024 (half term, say), its 10:00 is other times too.
        let term = Set(day(2024, 1, 1) ... day(2024, 5, 6))
        var t = SchoolHoursSplit()
        t.add(start: times, end: times, weight: [1, 1, 1, 1, 1, 1, 1], rows: Array(0 ..< 7), calendar: SchoolCalendar(holidays: holidays, termDays: term))
        #expect(t.schoolHours == 1 && t.afterSchool == 1 && t.otherTimes == 5)
    }

    /// Windows share by overlap: Tue 9 Jan 2024 14:30–17:30 (3 h) = 1 h school, 2 h after school; a
    /// whole week Mon 00:00 – Mon 00:00 (168 h) = 5 × 7 h school, 5 × 3.5 h after school; a window across
    /// the autumn clock change, Sun 27 Oct 2024 00:00 BST – Mon 28 Oct 12:00 GMT, lasts 37 real hours of
    /// which Monday 08:30–12:00 (3.5 h) is school hours.
    @Test func windowsShareByTheirOverlap() {
        let cal = SchoolCalendar()
        let s0 = [local(2024, 1, 9, 14, 30), local(2024, 1, 8, 0), local(2024, 10, 27, 0)]
        let s1 = [local(2024, 1, 9, 17, 30), local(2024, 1, 15, 0), local(2024, 10, 28, 12)]
        #expect(s1[2] - s0[2] == 37 * 3600)
        var a = SchoolHoursSplit(); a.add(start: s0, end: s1, weight: [1, 1, 1], rows: [0], calendar: cal)
        #expect(abs(a.schoolHours - 1.0 / 3) < 1e-12 && abs(a.afterSchool - 2.0 / 3) < 1e-12 && abs(a.otherTimes) < 1e-12)
        var w = SchoolHoursSplit(); w.add(start: s0, end: s1, weight: [1, 2, 1], rows: [1], calendar: cal)
        #expect(abs(w.schoolHours - 2 * 35.0 / 168) < 1e-12 && abs(w.afterSchool - 2 * 17.5 / 168) < 1e-12)
        #expect(abs(w.total - 2) < 1e-12)
        var c = SchoolHoursSplit(); c.add(start: s0, end: s1, weight: [1, 1, 1], rows: [2], calendar: cal)
        #expect(abs(c.schoolHours - 3.5 / 37) < 1e-12 && c.afterSchool == 0 && abs(c.otherTimes - 33.5 / 37) < 1e-12)
    }

    /// Age band labels: wholly under 18, 18 and over, straddling 18, or not read (named bands are not guessed).
    @Test func ageBandsAreClassifiedFromTheirNumbers() {
        let cases: [(String, AgeBand)] = [
            ("0-17", .under18), ("11-15", .under18), ("16 to 17", .under18), ("under 18", .under18), ("<16", .under18),
            ("17", .under18), ("18-24", .eighteenAndOver), ("65+", .eighteenAndOver), ("18 and over", .eighteenAndOver),
            ("over 17", .eighteenAndOver), ("16-24", .straddles18), ("under 21", .straddles18), ("10+", .straddles18),
            ("unknown", .unclassified), ("child", .unclassified), ("", .unclassified), ("24-18", .unclassified),
        ]
        for (label, expected) in cases { #expect(AgeBand.classify(label) == expected, "\(label)") }
    }
}
