import Foundation
import Testing
@testable import PlaceRiskIO
@testable import PlaceRiskCore

/// The row-by-row rules `DatedIncidentTable` replaced with per-code decisions (kept here as the oracle).
private func naiveTable(_ d: DatedIncidents, crimeTypes: Set<CrimeType>?, forces: Set<String>?, fromDay: Int?, toDay: Int?)
    -> (table: IncidentTable, accounting: RowAccounting, home: Int, weighted: Int) {
        precondition(d.accounting.rowsUsed == d.count, "DatedIncidentTable: the loader's ledger must count every stored row as used")
        var t = IncidentTable()
        var acc = d.accounting
        let n = d.count
        t.forces = [d.source]
        let health = d.schema.isHealthSource
        var typeOfLabel: [String: UInt16] = [:]
        var lsoaOfLabel: [String: Int32] = [:]
        var skipped: [SkipReason: Int] = [:]
        var home = 0, weighted = 0
        let lowerForces = forces.map { Set($0.map { $0.lowercased() }) }
        let sourceMatches = lowerForces?.contains(d.source.lowercased()) ?? true
        t.monthIndex.reserveCapacity(n)
        for i in 0 ..< n {
            let local = UKLocalTime.components(utc: d.start[i]).days
            if let f = fromDay, local < f { skipped[.filteredDate, default: 0] += 1; continue }
            if let e = toDay, local > e { skipped[.filteredDate, default: 0] += 1; continue }
            let label = d.category.isEmpty ? "" : d.category.label(i)
            let type: CrimeType = label.isEmpty ? (health ? .violenceAndSexualOffences : .unknown(DatedIncidentTable.uncategorised))
                                                : (CrimeType.lenient(label) ?? .unknown(label))
            if let keep = crimeTypes, !keep.contains(type) { skipped[.filteredCrimeType, default: 0] += 1; continue }
            if !sourceMatches {
                let agency = d.agency.isEmpty ? "" : d.agency.label(i).lowercased()
                if agency.isEmpty || !(lowerForces?.contains(agency) ?? true) { skipped[.filteredForce, default: 0] += 1; continue }
            }
            let typeKey = type.label
            let tid: UInt16
            if let e = typeOfLabel[typeKey] { tid = e } else { tid = UInt16(t.crimeTypes.count); t.crimeTypes.append(type); typeOfLabel[typeKey] = tid }
            let civil = CivilDate(days: local)
            t.monthIndex.append(Int32(YearMonth(year: civil.year, month: civil.month).index))
            t.crimeTypeID.append(tid)
            let code = d.lsoa(i)
            if code.isEmpty { t.lsoaID.append(-1) } else if let e = lsoaOfLabel[code] { t.lsoaID.append(e) } else {
                let id = Int32(t.lsoaCodes.count)
                t.lsoaCodes.append(code); t.lsoaNames.append(""); lsoaOfLabel[code] = id
                t.lsoaID.append(id)
            }
            t.forceID.append(0)
            t.longitude.append(.nan); t.latitude.append(.nan)
            switch d.location[i] {
            case .point:
                t.x.append(d.x[i]); t.y.append(d.y[i]); t.location.append(.projected)
            case .home:
                home += 1
                t.x.append(.nan); t.y.append(.nan); t.location.append(.noCoordinates)
            case .noCoordinates:
                t.x.append(.nan); t.y.append(.nan); t.location.append(.noCoordinates)
            case .outsideBNG:
                t.x.append(.nan); t.y.append(.nan); t.location.append(.outsideBNG)
            }
            if d.weight(at: i) != 1 { weighted += 1 }
        }
        for r in SkipReason.allCases { if let k = skipped[r] { acc.unuse(k, because: r) } }
        precondition(acc.isBalanced && acc.rowsUsed == t.count, "DatedIncidentTable: the ledger does not balance")
        t.assertConsistent()
        return (t, acc, home, weighted)
}

@Suite("Dated incident table: per-code decisions equal the row-by-row rules")
struct DatedIncidentTableTests {
    /// 8,000 generated rows of a source with category (police.uk names in other cases and spellings, own
    /// types, empty), agency (matching --force or not, empty) and LSOA (empty, repeated) columns, dates over
    /// 2023–2024 and home/no-coordinate rows; under every combination of --crime-type, --force and a day
    /// window, the table (types in first-seen order, type ids, LSOA codes and ids, months, points, location
    /// status) and the ledger equal the row-by-row rules', and the filters did drop rows (not vacuous).
    @Test func perCodeDecisionsEqualTheRowByRowRules() throws {
        var g = SeededGenerator(seed: 4242)
        func pick<T>(_ a: [T]) -> T { a[Int(g.next() % UInt64(a.count))] }
        let dir = FileManager.default.temporaryDirectory.path + "/placerisk-dit-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var text = "x,y,date,category,agency,lsoa_code,place_type\n"
        let base = CivilDate(year: 2023, month: 1, day: 1)!.days
        for _ in 0 ..< 8_000 {
            let day = CivilDate(days: base + Int(g.next() % 731))
            let xy = g.next() % 8 == 0 ? "," : "\(200000 + g.next() % 50000),\(50000 + g.next() % 50000)"
            let category = pick(["Burglary", "burglary", "VIOLENCE AND SEXUAL OFFENCES", "Violence and sexual offences", "Knife crime", "", "shoplifting", "Anti-social behaviour"])
            let agency = pick(["Ambulance", "ambulance", "Youth justice", ""])
            let lsoa = g.next() % 6 == 0 ? "" : "E0101\(3000 + g.next() % 40)"
            let place = g.next() % 10 == 0 ? "home" : "street"
            text += "\(xy),\(day) \(String(format: "%02d", Int(g.next() % 24))):00,\(category),\(agency),\(lsoa),\(place)\n"
        }
        let path = dir + "/multi.csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let schema = try IncidentSchema.parse("name = multi\ndate = date\neasting = x\nnorthing = y\ncategory = category\nagency_column = agency\nlsoa = lsoa_code\nlocation_type = place_type\n", origin: dir + "/multi.schema")
        let d = try DatedIncidentLoader.read(path: path, schema: schema)
        #expect(d.count == 8_000)
        let from = CivilDate(year: 2023, month: 6, day: 1)!.days, to = CivilDate(year: 2024, month: 2, day: 29)!.days
        var dropped = 0
        for types: Set<CrimeType>? in [nil, [.burglary, .violenceAndSexualOffences], [.unknown("Knife crime")]] {
            for forces: Set<String>? in [nil, ["ambulance"], ["MULTI"], ["Youth Justice", "nobody"]] {
                for (lo, hi) in [(nil, nil), (from, to), (Optional(from), Int?.none)] as [(Int?, Int?)] {
                    let fast = DatedIncidentTable(d, crimeTypes: types, forces: forces, fromDay: lo, toDay: hi)
                    let slow = naiveTable(d, crimeTypes: types, forces: forces, fromDay: lo, toDay: hi)
                    let a = fast.table, b = slow.table
                    #expect(a.crimeTypes == b.crimeTypes && a.crimeTypeID == b.crimeTypeID)
                    #expect(a.lsoaCodes == b.lsoaCodes && a.lsoaID == b.lsoaID && a.monthIndex == b.monthIndex)
                    #expect(a.x.map(\.bitPattern) == b.x.map(\.bitPattern) && a.y.map(\.bitPattern) == b.y.map(\.bitPattern) && a.location == b.location)
                    #expect(fast.accounting == slow.accounting && fast.homeRows == slow.home && fast.weightedRows == slow.weighted)
                    dropped += d.count - a.count
                }
            }
        }
        #expect(dropped > 40_000, "\(dropped) rows dropped")
    }
}
