import Testing
@testable import PlaceRiskIO
@testable import PlaceRiskCore

/// The fast date layouts against their oracle, the general parser (`DateTimeText.parse`), and the per-day
/// UK clock against `UKLocalTime.utc` (itself tested against Python zoneinfo in UKLocalTimeTests).
@Suite("Date-time fast path")
struct DateTimeFastTests {
    private func fast(_ s: String, _ f: DateFormat) -> ParsedDateTime? {
        var t = s
        return t.withUTF8 { DateTimeFast.parse($0, format: f) }
    }

    /// Every day of 2023–2024 and of February 2100 (no leap day) at several times, in every layout, plus
    /// impossible and malformed variants: whenever the fast path answers, the general parser gives the
    /// same value; the fast path answers for every valid fixed-layout field of its formats (so it is used).
    @Test func fastLayoutsAgreeWithTheGeneralParser() {
        var texts: [String] = []
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var days: [CivilDate] = (CivilDate(year: 2023, month: 1, day: 1)!.days ... CivilDate(year: 2024, month: 12, day: 31)!.days).map { CivilDate(days: $0) }
        days += (1 ... 28).map { CivilDate(year: 2100, month: 2, day: $0)! }
        for (k, d) in days.enumerated() {
            let iso = "\(d.year)-\(two(d.month))-\(two(d.day))", dmy = "\(two(d.day))/\(two(d.month))/\(d.year)"
            let h = k % 24, m = (k * 7) % 60, s = (k * 13) % 60
            texts += [iso, dmy, "\(iso) \(two(h)):\(two(m))", "\(iso)T\(two(h)):\(two(m)):\(two(s))", "\(dmy) \(two(h)):\(two(m))",
                      "\(dmy) \(two(h)):\(two(m)):\(two(s))", "\(dmy)T\(two(h)):\(two(m))"]
        }
        texts += ["2024-02-30", "2023-02-29 10:00", "2100-02-29", "2024-13-01 10:00", "2024-00-10", "2024-01-00 10:00", "2024-01-32",
                  "2024-01-01 24:00", "2024-01-01 23:60", "2024-01-01 23:59:60", "2024-01-01 2x:00", "2024-01-01x10:00",
                  "2024-01-01 10-00", "2024/01/01 10:00", "31/04/2024", "29/02/2023 10:00", "00/01/2024", "01/13/2024 10:00",
                  "01-01-2024 10:00", "01/01/24 10:00", "2024-01-01 10:00Z", "2024-01-01 10:00:0Z", "2024-1-01 10:00", "a024-01-01",
                  "2024-01-01 10:0", "2024-01-01 10:00:5", "2024-01-01 10:00:00.5", " 2024-01-01", "2024-01-01 "]
        var answered = 0, expectedAnswers = 0
        for t in texts {
            for f in [DateFormat.iso, .auto, .dmy, .dmyy, .dMonY] {
                let general = DateTimeText.parse(t, format: f)
                if let v = fast(t, f) {
                    answered += 1
                    #expect(general == .success(v), "\(t) as \(f)")
                }
                if case .success(let g) = general, g.offset == nil, [10, 16, 19].contains(t.utf8.count), f == .iso || f == .auto || f == .dmy,
                   !t.hasPrefix(" "), !t.hasSuffix(" "), !t.contains("."), t.contains("-") ? f != .dmy : f != .iso {
                    expectedAnswers += 1
                    #expect(fast(t, f) != nil, "\(t) as \(f): the fast path should read it")
                }
            }
        }
        #expect(answered > 10_000 && answered == expectedAnswers)
    }

    /// Every quarter hour of 2023–2025 (the spring gap, the autumn overlap included) in shuffled day order
    /// (the cache changes day often): the day cache gives `UKLocalTime.utc` exactly.
    @Test func dayCacheEqualsUKLocalTime() {
        var g = SplitMix64(seed: 20240601)
        var days = Array(CivilDate(year: 2023, month: 1, day: 1)!.days ... CivilDate(year: 2025, month: 12, day: 31)!.days)
        days.shuffle(using: &g)
        var cache = DateTimeFast.DayCache()
        var checked = 0
        for dd in days {
            let d = CivilDate(days: dd)
            for s in stride(from: 0, to: 86400, by: 900) {
                #expect(cache.utc(date: d, secondOfDay: s) == UKLocalTime.utc(date: d, secondOfDay: s))
                checked += 1
            }
            // A second date seen within the same day, as rows of one day repeat.
            #expect(cache.utc(date: d, secondOfDay: 86399) == UKLocalTime.utc(date: d, secondOfDay: 86399))
        }
        #expect(checked == 1096 * 96)
        // 2024-03-31 02:30 BST = 01:30 UTC = 1711848600 (Python zoneinfo), on the spring change day.
        #expect(cache.utc(date: CivilDate(year: 2024, month: 3, day: 31)!, secondOfDay: 9000) == 1_711_848_600)
    }
}
