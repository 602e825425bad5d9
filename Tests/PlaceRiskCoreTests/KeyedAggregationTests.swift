import Testing
@testable import PlaceRiskCore

@Suite("Keyed aggregation")
struct KeyedAggregationTests {
    let jan = YearMonth(year: 2020, month: 1)

    /// A hand-made table: 6 rows over 2 LSOAs, 2 months, 2 types (one row without LSOA, one without coordinates).
    func table() -> IncidentTable {
        var t = IncidentTable()
        t.crimeTypes = [.violenceAndSexualOffences, .burglary]
        t.lsoaCodes = ["E01000002", "E01000001"]
        t.lsoaNames = ["B", "A"]
        t.forces = ["F"]
        let rows: [(Int, UInt16, Int32, Double, Double, LocationStatus)] = [
            (0, 0, 0, 1050, 2050, .projected),
            (0, 0, 0, 1060, 2060, .projected),
            (1, 1, 0, 1150, 2150, .projected),
            (1, 0, 1, .nan, .nan, .noCoordinates),
            (0, 1, -1, 1250, 2050, .projected),
            (1, 0, 1, 9999, 9999, .projected),
        ]
        for (m, ty, l, x, y, s) in rows {
            t.monthIndex.append(Int32(jan.index + m)); t.crimeTypeID.append(ty); t.lsoaID.append(l); t.forceID.append(0)
            t.longitude.append(.nan); t.latitude.append(.nan); t.x.append(x); t.y.append(y); t.location.append(s)
        }
        t.assertConsistent()
        return t
    }

    @Test func lsoaByMonthCountsEachRowWithACodeOnce() {
        let r = IncidentAggregator.aggregate(table(), .init(key: .lsoaMonth, months: MonthRange(jan, jan.advanced(by: 1))))
        // Units sorted by code: E01000001 (id 1), E01000002 (id 0). Hand count:
        // E01000001: Feb 2 (rows 3, 5); E01000002: Jan 2 (rows 0, 1), Feb 1 (row 2).
        #expect(r.unitLabels == ["E01000001", "E01000002"])
        #expect(r.counts.counts == [0, 2, 2, 1])
        #expect(r.rowsUsed == 5 && r.skipped == [.noLSOA: 1])
    }

    @Test func lsoaMonthTypeAndTotalsAndWeights() {
        let months = MonthRange(jan, jan.advanced(by: 1))
        let r = IncidentAggregator.aggregate(table(), .init(key: .lsoaMonthCrimeType, months: months,
                                                            crimeTypes: [.burglary, .violenceAndSexualOffences]))
        // Layout (unit, month, type[burglary, violence]):
        // E01000001: Jan (0,0), Feb (0,2);  E01000002: Jan (0,2), Feb (1,0).
        #expect(r.counts.counts == [0, 0, 0, 2, 0, 2, 1, 0])
        let tot = IncidentAggregator.aggregate(table(), .init(key: .lsoa, months: months, weights: [.violenceAndSexualOffences: 3, .burglary: 2]))
        #expect(tot.counts.counts == [2, 3])
        #expect(tot.counts.sums == [6, 8]) // E01000001: 3+3; E01000002: 3+3+2
    }

    @Test func cellKeysSkipMissingCoordinatesAndPointsOutsideTheGrid() throws {
        let g = try Grid(xmin: 1000, ymin: 2000, cell: 100, ncols: 3, nrows: 2)
        let months = MonthRange(jan, jan.advanced(by: 1))
        let r = IncidentAggregator.aggregate(table(), .init(key: .cellMonth, grid: g, months: months))
        // Row 0,1 → cell 0 Jan; row 2 → cell 4 Feb; row 4 → cell 2 Jan; row 3 no coords; row 5 outside.
        var expected = [Int32](repeating: 0, count: 12)
        expected[0 * 2 + 0] = 2; expected[4 * 2 + 1] = 1; expected[2 * 2 + 0] = 1
        #expect(r.counts.counts == expected)
        #expect(r.skipped == [.noCoordinates: 1, .outsideGrid: 1])
        let withBox = IncidentAggregator.aggregate(table(), .init(key: .cell, grid: g, bbox: BoundingBox(minX: 1000, minY: 2000, maxX: 1200, maxY: 2200), months: months))
        #expect(withBox.counts.total == 3 && withBox.skipped[.outsideGrid] == 2)
    }

    @Test func zeroFilledUnitsIncludeLSOAsWithoutIncidentsAndCountOthersAsOutside() {
        let months = MonthRange(jan, jan)
        let r = IncidentAggregator.aggregate(table(), .init(key: .lsoaMonth, months: months, lsoaUnits: ["E01000000", "E01000002"]))
        // Only January counts; E01000001 is not a unit → outside_study_area; Feb rows → filtered_month.
        #expect(r.counts.counts == [0, 2])
        #expect(r.skipped[.outsideStudyArea] == 2 && r.skipped[.noLSOA] == 1 && r.skipped[.filteredMonth] == 1)
        #expect(r.rowsUsed + r.skipped.values.reduce(0, +) == 6)
    }

    /// Large random input (parallel path, ≥ 2^16 rows) against a dictionary count.
    @Test func parallelPathEqualsDictionaryCount() {
        var rng = SplitMix64(seed: 99)
        let n = 200_000, units = 300, nm = 7, nt = 5
        let u = (0 ..< n).map { _ in Int32(Int.random(in: -1 ..< units, using: &rng)) }
        let m = (0 ..< n).map { _ in Int32(Int.random(in: 0 ..< nm, using: &rng)) }
        let t = (0 ..< n).map { _ in Int32(Int.random(in: 0 ..< nt, using: &rng)) }
        let w = (0 ..< n).map { _ in Double(Int.random(in: 0 ... 8, using: &rng)) * 0.25 }
        var ref: [Int: Int32] = [:], refW: [Int: Double] = [:]
        for i in 0 ..< n where u[i] >= 0 {
            let k = (Int(u[i]) * nm + Int(m[i])) * nt + Int(t[i])
            ref[k, default: 0] += 1; refW[k, default: 0] += w[i]
        }
        let months = MonthRange(jan, jan.advanced(by: nm - 1))
        let (kc, left) = KeyedAggregation.aggregate(key: .lsoaMonthCrimeType, unitCount: units, months: months,
                                                     crimeTypes: Array(CrimeType.standard.prefix(nt)), unit: u, month: m, type: t, weights: w)
        #expect(left == u.filter { $0 < 0 }.count)
        for k in 0 ..< kc.counts.count {
            #expect(kc.counts[k] == ref[k] ?? 0)
            #expect(kc.sums![k] == refW[k] ?? 0)
        }
    }
}

@Suite("Row accounting, interning, study area")
struct LedgerTests {
    @Test func accountingBalancesThroughStagesAndMerges() {
        var a = RowAccounting()
        a.read(10); a.use(7); a.skip(.malformed, 2, example: "f:3:1: bad"); a.skip(.filteredMonth)
        #expect(a.isBalanced && a.rowsSkipped == 3)
        a.unuse(2, because: .noCoordinates)
        #expect(a.isBalanced && a.rowsUsed == 5 && a.skipped[.noCoordinates] == 2)
        var b = RowAccounting(); b.read(4); b.use(4)
        a.merge(b)
        #expect(a.rowsRead == 14 && a.rowsUsed == 9 && a.isBalanced && a.examples == ["f:3:1: bad"])
    }

    @Test func internerGivesDenseStableIdsThroughGrowth() {
        var i = ByteInterner()
        let words = (0 ..< 5000).map { "E0\(100_000 + $0 * 7)" }
        let ids = words.map { i.intern($0) }
        #expect(ids == (0 ..< 5000).map { Int32($0) })
        #expect(words.map { i.intern($0) } == ids)
        #expect(i.string(1234) == words[1234] && i.id(of: "nope") == nil && i.count == 5000)
        #expect(i.intern("") == 5000 && i.string(5000) == "")
        // The bytes of an id are the UTF-8 of the string interned.
        #expect(i.withBytes(1234) { Array($0) } == Array(words[1234].utf8) && i.withBytes(5000) { $0.count } == 0)
    }

    @Test func studyAreaKeepsDistrictsTouchedAtHalfTheirLSOAs() {
        // District A has 4 LSOAs (3 touched = 75 %), B has 4 (2 touched = 50 %), C has 10 (1 touched).
        var map: [String: String] = [:]
        for k in 0 ..< 4 { map["A\(k)"] = "A"; map["B\(k)"] = "B" }
        for k in 0 ..< 10 { map["C\(k)"] = "C" }
        let lookup = DistrictLookup(districtOfLSOA: map, districtNames: ["A": "Alpha", "B": "Beta", "C": "Gamma"])
        let sa = StudyArea(touched: ["A0", "A1", "A2", "B0", "B3", "C5", "W99"], lookup: lookup)
        #expect(sa.districts == ["A", "B"])
        #expect(sa.lsoaCodes == ["A0", "A1", "A2", "A3", "B0", "B1", "B2", "B3"])
        #expect(sa.unknownCodes == ["W99"])
        #expect(sa.coverage.map(\.code) == ["A", "B", "C"] && sa.coverage[2].included == false)
        #expect(sa.contains(lsoa: "A3") && !sa.contains(lsoa: "C5"))
    }
}
