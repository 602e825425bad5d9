import Foundation
import Testing
@testable import PlaceRiskIO
@testable import PlaceRiskCore

private func ok(_ s: String, _ f: DateFormat) -> ParsedDateTime? {
    if case .success(let v) = DateTimeText.parse(s, format: f) { return v }
    return nil
}

private func failure(_ s: String, _ f: DateFormat) -> DateTimeText.Failure? {
    if case .failure(let e) = DateTimeText.parse(s, format: f) { return e }
    return nil
}

/// Excel serial dates and the text dates Excel writes when it saves a CSV.
///
/// Oracle: Python 3.11 run as /tmp/peers-venv/bin/python, `datetime(1899, 12, 30) + timedelta(days=serial)`
/// (for serials ≥ 61; below 60 Excel is one day later than Python because it counts 1900-02-29), and
/// `datetime(1904, 1, 1) + timedelta(days=serial)` for the 1904 system:
/// 61 → 1900-03-01; 25569 → 1970-01-01; 43831 → 2020-01-01; 45292.75 → 2024-01-01 18:00;
/// 45382.0625 → 2024-03-31 01:30; 45657.999994 → 2024-12-31 23:59:59.4816; 2958465 → 9999-12-31;
/// 36526.5 → 2000-01-01 12:00; 1 → 1899-12-31 and 59 → 1900-02-27 (Excel: 1900-01-01 and 1900-02-28,
/// Microsoft KB 214326); 1904 system 0 → 1904-01-01, 42369 → 2020-01-01.
@Suite("Excel dates")
struct ExcelDateTests {
    @Test func serialsOfThe1900SystemEqualPython() {
        func date(_ s: String) -> CivilDate? { ok(s, .excel)?.date }
        #expect(date("61") == CivilDate(year: 1900, month: 3, day: 1))
        #expect(date("25569") == CivilDate(year: 1970, month: 1, day: 1))
        #expect(date("43831") == CivilDate(year: 2020, month: 1, day: 1))
        #expect(date("2958465") == CivilDate(year: 9999, month: 12, day: 31))
        #expect(date("1") == CivilDate(year: 1900, month: 1, day: 1))
        #expect(date("59") == CivilDate(year: 1900, month: 2, day: 28))
        let evening = ok("45292.75", .excel)
        #expect(evening?.date == CivilDate(year: 2024, month: 1, day: 1) && evening?.second == 18 * 3600)
        #expect(ok("36526.5", .excel)?.second == 12 * 3600)
        // 0.999994 of a day = 86399.48 s → 23:59:59 (nearest second).
        let late = ok("45657.999994", .excel)
        #expect(late?.date == CivilDate(year: 2024, month: 12, day: 31) && late?.second == 86399)
        // A serial without a fraction is a date (a whole day), not midnight.
        #expect(ok("43831", .excel)?.second == nil)
    }

    /// Serial 60 (Lotus's 1900-02-29), serial 0, negatives and text are refused with the reason.
    @Test func impossibleSerialsAreRefused() {
        #expect(failure("60", .excel)?.reason.contains("1900-02-29") == true)
        #expect(failure("60.5", .excel)?.reason.contains("1900-02-29") == true)
        #expect(failure("0", .excel)?.reason.contains("1900-01-00") == true)
        #expect(failure("-3", .excel)?.reason.contains("negative") == true)
        #expect(failure("2958466", .excel)?.reason.contains("9999-12-31") == true)
        #expect(failure("01/02/2024", .excel) == .unparseable)
        #expect(failure("", .excel) == .unparseable)
    }

    @Test func serialsOfThe1904SystemEqualPython() {
        #expect(ok("0", .excel1904)?.date == CivilDate(year: 1904, month: 1, day: 1))
        #expect(ok("42369", .excel1904)?.date == CivilDate(year: 2020, month: 1, day: 1))
        // The two systems differ by 1,462 days (43831 − 42369).
        #expect(ok("42369.25", .excel1904)?.second == 6 * 3600)
    }

    /// Through the loader: the UK local instant of 45382.0625 (2024-03-31 01:30, in the spring-forward
    /// gap, read as GMT = 01:30 UTC) equals Python zoneinfo's 1711848600; 45292.75 → 1704132000.
    @Test func excelSerialsLoadAsUKLocalTimes() throws {
        let p = try temporaryFolder() + "/x.csv"
        try "when,e,n\n45292.75,400000,100000\n45382.0625,400000,100000\n60,400000,100000\n".write(toFile: p, atomically: true, encoding: .utf8)
        let d = try DatedIncidentLoader.read(path: p, schema: try IncidentSchema.parse("date = when\ndate_format = excel\neasting = e\nnorthing = n", origin: "t.schema"))
        #expect(d.start == [1_704_132_000, 1_711_848_600] && d.accounting.skipped[.invalidDate] == 1)
        #expect(d.accounting.examples[0].contains("x.csv:4:1:") && d.accounting.examples[0].contains("1900-02-29"))
    }

    /// The text dates Excel writes in a CSV: `d/m/yyyy h:mm` (no seconds), `dd-mmm-yy`, `dd/mm/yy`; a
    /// two-digit year by Excel's 2029 rule (00–29 → 20xx, 30–99 → 19xx; Microsoft KB 214391) only when
    /// the schema says a `yy` format — `auto` and the four-digit formats refuse it, naming the formats.
    @Test func excelTextDatesAndTwoDigitYears() {
        let a = ok("5/1/2024 9:05", .auto)
        #expect(a?.date == CivilDate(year: 2024, month: 1, day: 5) && a?.second == 9 * 3600 + 300)
        #expect(ok("05/01/2024 21:05", .dmy)?.second == 21 * 3600 + 300)
        #expect(ok("07-Mar-24", .dMonYY)?.date == CivilDate(year: 2024, month: 3, day: 7))
        #expect(ok("07 Mar 29", .dMonYY)?.date == CivilDate(year: 2029, month: 3, day: 7))
        #expect(ok("07-Mar-30", .dMonYY)?.date == CivilDate(year: 1930, month: 3, day: 7))
        #expect(ok("31/12/99 23:59", .dmyy)?.date == CivilDate(year: 1999, month: 12, day: 31))
        #expect(ok("1/2/24", .dmyy)?.date == CivilDate(year: 2024, month: 2, day: 1))
        #expect(failure("29/02/23", .dmyy) == .impossible("day 29 of Feb 2023"))
        #expect(failure("07-Mar-24", .auto) == .twoDigitYear)
        #expect(failure("01/02/24 10:00", .auto) == .twoDigitYear)
        #expect(failure("01/02/24", .dmy) == .twoDigitYear)
        #expect(failure("01/02/2024", .dmyy) == .unparseable)
        #expect(DateTimeText.Failure.twoDigitYear.reason.contains("dd/mm/yy"))
    }
}
