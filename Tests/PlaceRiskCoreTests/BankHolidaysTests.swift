import Testing
@testable import PlaceRiskCore

@Suite("Bank holidays of England and Wales")
struct BankHolidaysTests {
    /// Every date of GOV.UK's published list 2011–2028 (149 days, Fixtures/england_and_wales_bank_holidays.csv,
    /// copied from the shared datasets: GOV.UK bank-holidays.json via ministryofjustice/govuk-bank-holidays,
    /// and alphagov/calendars for 2011; OGL v3.0) and no other, from the rule.
    @Test func ruleReproducesTheGovUKList2011To2028() throws {
        let rows = simpleCSV(try fixture("england_and_wales_bank_holidays.csv")).dropFirst()
        let published = Set(rows.map { $0[0] })
        #expect(published.count == 149)
        var ours = Set<String>()
        for y in 2011 ... 2028 { for h in BankHolidays.englandAndWales(year: y) { ours.insert(h.date.description) } }
        #expect(ours == published, "missing: \(published.subtracting(ours).sorted()), extra: \(ours.subtracting(published).sorted())")
    }

    /// Easter Sundays from the published tables (Church of England / US Naval Observatory list):
    /// 1961-04-02, 2000-04-23, 2019-04-21, 2024-03-31, 2038-04-25, 2285-03-22 (the earliest possible).
    @Test func easterByTheAnonymousAlgorithm() {
        #expect(BankHolidays.easterSunday(year: 1961).description == "1961-04-02")
        #expect(BankHolidays.easterSunday(year: 2000).description == "2000-04-23")
        #expect(BankHolidays.easterSunday(year: 2019).description == "2019-04-21")
        #expect(BankHolidays.easterSunday(year: 2024).description == "2024-03-31")
        #expect(BankHolidays.easterSunday(year: 2038).description == "2038-04-25")
        #expect(BankHolidays.easterSunday(year: 2285).description == "2285-03-22")
    }
}
