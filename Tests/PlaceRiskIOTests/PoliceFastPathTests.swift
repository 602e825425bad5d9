import Foundation
import Testing
import PlaceRiskCore
@testable import PlaceRiskIO

/// The naive oracle for `PoliceChunkScanner`: the general path (`CSVReader` + the loader's row
/// rules, one block per file, so its line numbers are the whole file's) on the same inputs. The fast
/// path must give the same partitions, counts, ledger (reasons, numbers and the example messages
/// with their file:line:column), diagnostics and — in strict mode — the same first error.
private struct Run {
    var rows: [[String]] = []
    var result: StreamingAggregation.Result
    var error: String?
}

private func streamed(_ sources: [ArchiveDiscovery.Source], fast: Bool, block: Int, unit: StreamingAggregation.Unit = .lsoa,
                      filter: PoliceFilter = PoliceFilter(), lenient: Bool = true, partitionBy: [StreamingAggregation.PartitionField] = [.month],
                      keyBudget: Int = 4_000_000) -> Run {
    var rows: [[String]] = []
    do {
        let r = try StreamingAggregation.run(sources, .init(unit: unit, partitionBy: partitionBy, filter: filter, lenient: lenient,
                                                            blockSize: block, keyBudget: keyBudget, fastPath: fast)) { parts in
            for p in parts {
                let (units, cells, months, types) = (p.unitLabels, p.cellIDs, p.months, p.crimeTypes)
                for i in 0 ..< p.count {
                    rows.append(p.values + [units[i], String(cells[i]), months[i], types[i], String(p.n[i])])
                }
            }
        }
        return Run(rows: rows, result: r)
    } catch {
        return Run(rows: rows, result: .init(), error: "\(error)")
    }
}

/// Expects the fast run to equal the general one in everything it reports.
private func expectSame(_ f: Run, _ g: Run, _ what: String) {
    #expect(f.error == g.error, "\(what): error")
    #expect(f.rows == g.rows, "\(what): rows (\(f.rows.count) vs \(g.rows.count))")
    #expect(f.result.accounting == g.result.accounting, "\(what): ledger \(f.result.accounting) vs \(g.result.accounting)")
    #expect(f.result.files.map { "\($0.path) \($0.rowsRead) \($0.rowsLoaded)" } == g.result.files.map { "\($0.path) \($0.rowsRead) \($0.rowsLoaded)" }, "\(what): files")
    #expect(f.result.unknownCrimeTypes.map { "\($0.label) \($0.rows)" } == g.result.unknownCrimeTypes.map { "\($0.label) \($0.rows)" }, "\(what): unknown types")
    #expect(f.result.warnings == g.result.warnings, "\(what): warnings")
    #expect(f.result.incidents == g.result.incidents, "\(what): incidents")
}

private let bundled2020 = datasetsFolder + "/police_uk_devon_cornwall_street_2020-01_to_2020-03"
private let bundled2016 = datasetsFolder + "/police_uk_devon_cornwall_street_2016-01_to_2017-11"
/// A 1 km grid over Devon and Cornwall (BNG metres), as in the CLI tests.
private let dcGrid = try! Grid(xmin: 130_000, ymin: 10_000, cell: 1000, ncols: 220, nrows: 120)

@Suite("police.uk fast path: the same counts and ledger as the general CSVReader path")
struct PoliceFastPathTests {
    /// The bundled files (LSOA and cell units, chunks of 8 MB, 64 KB and an odd 40,001 bytes, so
    /// lines are cut at many places) against one general block per file.
    @Test func bundledFilesGiveTheGeneralPathsCountsAndLedger() throws {
        let sel = try ArchiveDiscovery.select([bundled2020])
        let general = streamed(sel.sources, fast: false, block: 1 << 30)
        #expect(general.error == nil)
        for block in [8 << 20, 1 << 16, 40_001] {
            expectSame(streamed(sel.sources, fast: true, block: block), general, "2020 lsoa block \(block)")
        }
        let cells: StreamingAggregation.Unit = .cell(dcGrid, bbox: nil)
        expectSame(streamed(sel.sources, fast: true, block: 1 << 16, unit: cells), streamed(sel.sources, fast: false, block: 1 << 30, unit: cells), "2020 cells")
        let all = try ArchiveDiscovery.select([bundled2016])
        expectSame(streamed(all.sources, fast: true, block: 1 << 18, partitionBy: [.year]),
                   streamed(all.sources, fast: false, block: 1 << 30, partitionBy: [.year]), "2016-17 lsoa")
    }

    /// A key budget far below the keys held makes many flushes, each writing the partitions it holds
    /// (a partition flushed twice gets two parts): the rows summed by key equal the one-flush run's,
    /// and the ledger is the same. Both with LSOA and cell units, partitioned by month.
    @Test func smallKeyBudgetFlushesOftenWithTheSameTotals() throws {
        let sel = try ArchiveDiscovery.select([bundled2020])
        func summed(_ r: Run) -> [String: Int64] {
            var d: [String: Int64] = [:]
            for row in r.rows { d[row[0 ..< row.count - 1].joined(separator: "|"), default: 0] += Int64(row.last!)! }
            return d
        }
        for unit in [StreamingAggregation.Unit.lsoa, .cell(dcGrid, bbox: nil)] {
            let once = streamed(sel.sources, fast: true, block: 1 << 16, unit: unit)
            let often = streamed(sel.sources, fast: true, block: 1 << 16, unit: unit, keyBudget: 500)
            #expect(once.error == nil && often.error == nil)
            #expect(once.result.flushes == 1 && often.result.flushes > 10, "\(often.result.flushes) flushes")
            #expect(often.rows.count > once.rows.count) // partitions split over several parts
            #expect(summed(often) == summed(once))
            #expect(often.result.accounting == once.result.accounting)
            #expect(often.result.keysWritten == often.rows.count && once.result.keysWritten == once.rows.count)
        }
    }

    /// Independent check of the counts: pandas' LSOA × month counts of the bundled 2020-01…03 files
    /// (Fixtures/pandas_lsoa_month_counts_2020Q1.csv, `groupby(["LSOA code", "Month"]).size()`).
    @Test func bundledCountsEqualPandasGroupBy() throws {
        let sel = try ArchiveDiscovery.select([bundled2020])
        let run = streamed(sel.sources, fast: true, block: 1 << 16, partitionBy: [])
        var ours: [String: Int64] = [:]
        for r in run.rows { ours["\(r[0]),\(r[2])", default: 0] += Int64(r[4])! }
        var r = try CSVReader(path: fixturePath("pandas_lsoa_month_counts_2020Q1.csv"))
        _ = try r.next()
        var pandas: [String: Int64] = [:]
        while try r.next() { pandas["\(r.string(0)),\(r.string(1))"] = Int64(r.string(2))! }
        #expect(!pandas.isEmpty)
        #expect(ours == pandas)
    }

    /// Seeded mutations of the bundled 2020-01 file — stray and valid quotes, quoted commas,
    /// doubled quotes, text after a closing quote, lone CRs, CRLF and LF mixed, blank lines, missing
    /// and extra commas, bad months, coordinates and LSOA codes, padded and lower-case codes, unknown
    /// and padded crime types, a byte-order mark, no final newline — with and without filters, both
    /// units, strict and lenient, cut into small chunks: the fast path equals the general path.
    @Test func mutatedInputsGiveTheGeneralPathsCountsAndLedger() throws {
        let text = try String(contentsOfFile: bundled2020 + "/2020-01-devon-and-cornwall-street.csv", encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let d = NSTemporaryDirectory() + "placerisk-fastpath-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: d) }
        for seed in UInt64(1) ... 6 {
            var g = SeededGenerator(seed: seed)
            var out: [UInt8] = seed % 2 == 0 ? [0xEF, 0xBB, 0xBF] : []
            out += Array(lines[0].utf8) + [0x0A]
            for line in lines.dropFirst().prefix(3000) {
                var l = Array(line.utf8)
                if Int.random(in: 0 ..< 100, using: &g) < 12 { l = mutate(l, using: &g) }
                out += l
                switch Int.random(in: 0 ..< 20, using: &g) {
                case 0: out += [0x0D, 0x0A]
                case 1: out += [0x0A, 0x0A]
                case 2: out += [0x0A, 0x0D, 0x0A]
                case 3: out += [0x0D]
                default: out += [0x0A]
                }
            }
            if seed % 3 == 0 { while out.last == 0x0A || out.last == 0x0D { out.removeLast() } }
            let folder = d + "/s\(seed)/2020-01"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let path = folder + "/2020-01-devon-and-cornwall-street.csv"
            try Data(out).write(to: URL(fileURLWithPath: path))
            let sel = try ArchiveDiscovery.select([d + "/s\(seed)"])
            let filters = [PoliceFilter(),
                           PoliceFilter(crimeTypes: [CrimeType(label: "Violence and sexual offences"), CrimeType(label: "Burglary")]),
                           PoliceFilter(from: YearMonth(year: 2020, month: 1), to: YearMonth(year: 2020, month: 1), forces: ["devon & cornwall police"])]
            for (k, filter) in filters.enumerated() {
                let unit: StreamingAggregation.Unit = k == 1 ? .cell(dcGrid, bbox: BoundingBox(minX: 150_000, minY: 20_000, maxX: 300_000, maxY: 120_000)) : .lsoa
                let general = streamed(sel.sources, fast: false, block: 1 << 30, unit: unit, filter: filter)
                #expect(general.error == nil)
                #expect(general.result.accounting.rowsSkipped > 0)
                for block in [4096, 5003] {
                    expectSame(streamed(sel.sources, fast: true, block: block, unit: unit, filter: filter), general, "seed \(seed) filter \(k) block \(block)")
                }
            }
            // Strict: the first defect in file order stops both, with the same message.
            let strictGeneral = streamed(sel.sources, fast: false, block: 1 << 30, lenient: false)
            #expect(strictGeneral.error != nil)
            expectSame(streamed(sel.sources, fast: true, block: 4096, lenient: false), strictGeneral, "seed \(seed) strict")
        }
    }

    /// `LSOACode.number` (the fast path's unit) reads every text as `LSOACode.read` does: the same
    /// empty/invalid verdicts and, for codes, the number whose label is the normalised code.
    @Test func codeNumbersFollowLSOACodeRead() {
        var texts = ["", "  ", "\t", "E01018936", "e01018936", " W01000001\t", "w01999999", "E01O18936", "E0101893", "E010189361",
                     "X01012345", "E02012345", "E01-12345", "E01 12345", "Ｅ01012345", "E01000000"]
        var g = SeededGenerator(seed: 42)
        let alphabet = Array("EeWw01 9\t-x".utf8)
        for _ in 0 ..< 2000 {
            texts.append(String(decoding: (0 ..< Int.random(in: 0 ... 11, using: &g)).map { _ in alphabet.randomElement(using: &g)! }, as: UTF8.self))
        }
        for t in texts {
            var s = t
            let n = s.withUTF8 { LSOACode.number($0) }
            switch LSOACode.read(t) {
            case .empty: #expect(n == -1, "\(t)")
            case .invalid: #expect(n == -2, "\(t)")
            case .valid(let code): #expect(n >= 0 && LSOACode.label(ofNumber: n) == code, "\(t)")
            }
        }
    }

    /// The scanner's inlined number reading gives `ASCIINumber.parseDouble`'s value, bit for bit, or
    /// its nil, on coordinates as police.uk writes them and on odd texts.
    @Test func inlinedDegreesEqualParseDouble() {
        var g = SeededGenerator(seed: 7)
        var texts = ["-4.544117", "50.371", "0", "-0", "-0.000001", "12.", ".5", "-", ".", "1.2.3", "+1.5", " 1.5", "1e3", "00000000000001.5", "-123456789012345"]
        let alphabet = Array("0123456789.-".utf8)
        for _ in 0 ..< 5000 {
            texts.append(String(decoding: (0 ..< Int.random(in: 1 ... 17, using: &g)).map { _ in alphabet.randomElement(using: &g)! }, as: UTF8.self))
            texts.append(String(format: "%.6f", Double.random(in: -8 ... 60, using: &g)))
        }
        for t in texts {
            var s = t
            let (a, b) = s.withUTF8 { (PoliceChunkScanner.degrees($0), ASCIINumber.parseDouble($0)) }
            #expect(a?.bitPattern == b?.bitPattern, "\(t)")
        }
    }

    /// A header with only some of the required columns, a file of a header alone and an empty file:
    /// the same error or the same empty result on both paths.
    @Test func wholeFileCasesMatchTheGeneralPath() throws {
        let d = NSTemporaryDirectory() + "placerisk-fastpath-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: d) }
        try FileManager.default.createDirectory(atPath: d + "/2020-01", withIntermediateDirectories: true)
        let header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"
        let cases = [header + "\n", header, "Crime ID,Month,Longitude,Latitude\nx,2020-01,1,50\n", "", "\r" + header + "\nx,2020-01,,,,,,,,,,\n"]
        for (k, c) in cases.enumerated() {
            let p = d + "/2020-01/2020-01-case\(k)-street.csv"
            try c.write(toFile: p, atomically: true, encoding: .utf8)
            let src = [ArchiveDiscovery.Source(path: p, force: "case\(k)", month: YearMonth(year: 2020, month: 1), archive: d)]
            expectSame(streamed(src, fast: true, block: 4096), streamed(src, fast: false, block: 1 << 30), "case \(k)")
            try FileManager.default.removeItem(atPath: p)
        }
    }
}

/// One random defect (or valid but unusual quoting) in a police.uk line.
private func mutate(_ l: [UInt8], using g: inout SeededGenerator) -> [UInt8] {
    var f = l.split(separator: 0x2C, omittingEmptySubsequences: false).map(Array.init)
    guard f.count == 12 else { return l }
    func at(_ n: Int) -> Int { Int.random(in: 0 ..< max(1, n), using: &g) }
    switch at(22) {
    case 0: var x = l; x.insert(0x22, at: at(x.count)); return x                       // a stray quote
    case 1: f[6] = Array("\"\(String(decoding: f[6], as: UTF8.self)), somewhere\"".utf8)  // a quoted comma
    case 2: f[8] = Array("\"a \"\"quoted\"\" name\"".utf8)                                  // doubled quotes
    case 3: f[6] = Array("\"On or near\"x".utf8)                                            // text after a closing quote
    case 4: var x = l; x.insert(0x0D, at: at(x.count)); return x                         // a lone CR
    case 5: f.remove(at: at(12))                                                            // a comma missing
    case 6: f.insert([], at: at(12))                                                        // one too many
    case 7: f[1] = Array(["2020-13", "2020-1", "20x0-01", "", " 2020-01"][at(5)].utf8)      // a bad month
    case 8: f[1] = Array("2019-12".utf8)                                                    // another month
    case 9: f[4] = Array(["abc", "", "1e999", " -4.5", "-4.5x"][at(5)].utf8)                // a bad or odd longitude
    case 10: f[5] = []                                                                      // one coordinate missing
    case 11: f[4] = []; f[5] = []                                                           // no coordinates
    case 12: (f[4], f[5]) = (f[5], f[4])                                                    // swapped
    case 13: f[7] = Array(["E0101234", "X01012345", "e01018936", " E01018936 ", "   ", "E01O18936"][at(6)].utf8)
    case 14: f[7] = []                                                                      // no LSOA
    case 15: f[9] = Array(["Violence and sexual offencesÃ", "Burglary ", " Burglary", "Other crime"][at(4)].utf8)
    case 16: f[3] = Array(["Avon and Somerset Constabulary", "DEVON & CORNWALL POLICE"][at(2)].utf8)
    case 17: return []                                                                      // a blank line
    case 18: return Array("   ".utf8)
    case 19: return [0xEF, 0xBB, 0xBF] + l                                                  // a BOM mid-file
    case 20: f[4] = Array("\"-4.1\"".utf8)                                                  // a quoted number
    default: f[7] = Array("\"E01018936".utf8)                                               // a quote left open
    }
    return Array(f.joined(separator: [0x2C]))
}
