import Foundation
import Testing
import PlaceRiskCore
@testable import PlaceRiskIO

/// Seeded byte-mutation fuzzing of the police.uk loader on a real file.
///
/// Fixture: Fixtures/police_fuzz — 300 verbatim data rows of the bundled 2020-01 Devon & Cornwall
/// file (CRLF; provenance in Fixtures/ROBUSTNESS_FIXTURES.md). Each variant applies 1–8 random
/// insertions, deletions or replacements with bytes drawn from `"`, `,`, LF, CR, 0x00, 0xFF and any
/// byte, using SplitMix64 with a fixed seed, so every run tests the same variants.
@Suite("police.uk loader: seeded fuzz")
struct LoaderFuzzTests {
    static let fixture: [UInt8] = {
        let p = fixturePath("police_fuzz/2020-01-devon-and-cornwall-street.csv")
        return [UInt8](FileManager.default.contents(atPath: p)!)
    }()

    /// Offset just past the header's line end: mutations after it leave the header intact.
    static let dataStart: Int = fixture.firstIndex(of: 0x0A)! + 1

    static let specials: [UInt8] = [0x22, 0x2C, 0x0A, 0x0D, 0x00, 0xFF]

    static func mutate(_ src: [UInt8], from lo: Int, using rng: inout SeededGenerator) -> [UInt8] {
        var b = src
        for _ in 0 ..< Int.random(in: 1 ... 8, using: &rng) {
            let byte: UInt8 = Bool.random(using: &rng) ? specials.randomElement(using: &rng)! : UInt8.random(in: 0 ... 255, using: &rng)
            let at = Int.random(in: lo ... b.count, using: &rng)
            switch Int.random(in: 0 ..< 3, using: &rng) {
            case 0: b.insert(byte, at: at)
            case 1: if at < b.count { b.remove(at: at) }
            default: if at < b.count { b[at] = byte }
            }
        }
        return b
    }

    /// Loads one variant; lenient must succeed with a balanced ledger, strict must succeed or throw.
    /// Returns the rows skipped as malformed and whether strict mode threw (to show the fuzz bites).
    static func check(_ bytes: [UInt8], variant: Int) throws -> (malformed: Int, strictThrew: Bool) {
        let name = "fuzz-\(variant)-street.csv"
        var lenient = [CSVReader(bytes: bytes, name: name)]
        let clock = ContinuousClock()
        let t0 = clock.now
        let r = try PoliceStreetLoader.load(readers: &lenient, keepText: variant % 2 == 0, dropDuplicateIDs: variant % 3 == 0)
        #expect(clock.now - t0 < .seconds(2), "variant \(variant) took too long")
        #expect(r.accounting.isBalanced, "variant \(variant): read \(r.accounting.rowsRead) used \(r.accounting.rowsUsed) skipped \(r.accounting.rowsSkipped)")
        #expect(r.table.count == r.accounting.rowsUsed, "variant \(variant)")
        // A mutation adds at most one line per inserted LF/CR, and each line is at most one row.
        #expect(r.accounting.rowsRead <= 300 + 8, "variant \(variant)")
        var strict = CSVReader(bytes: bytes, name: name)
        do { _ = try PoliceStreetLoader.load(reader: &strict, filter: PoliceFilter(), lenient: false) } catch {
            #expect(error.file == name && error.line >= 2, "\(error)")
            return (r.accounting.skipped[.malformed] ?? 0, true)
        }
        return (r.accounting.skipped[.malformed] ?? 0, false)
    }

    @Test func theUnmutatedFixtureLoadsEveryRow() throws {
        var r = [CSVReader(bytes: Self.fixture, name: "fixture-street.csv")]
        let res = try PoliceStreetLoader.load(readers: &r)
        // 300 data rows by construction (ROBUSTNESS_FIXTURES.md); 50 of them have no coordinates.
        #expect(res.accounting.rowsRead == 300 && res.accounting.rowsUsed == 300)
        #expect(res.table.location.filter { $0 == .noCoordinates }.count == 50)
        #expect(res.duplicateCrimeIDs == 0 && res.unknownCrimeTypes.isEmpty && res.swappedCoordinateFiles.isEmpty)
    }

    /// 200 variants of the 300-row fixture, lenient and strict.
    @Test func mutatedDataRowsNeverTrapAndTheLedgerAlwaysBalances() throws {
        var rng = SeededGenerator(seed: 20_260_101)
        let clock = ContinuousClock()
        let t0 = clock.now
        var malformed = 0, threw = 0
        for v in 0 ..< 200 {
            let (m, t) = try Self.check(Self.mutate(Self.fixture, from: Self.dataStart, using: &rng), variant: v)
            malformed += m
            threw += t ? 1 : 0
        }
        // The mutations do break rows (and some variants survive strict mode intact).
        #expect(malformed > 0 && threw > 0 && threw < 200)
        #expect(clock.now - t0 < .seconds(30))
    }

    /// Mutations anywhere, the header included: a broken header may make the load throw (a missing
    /// column), but only as a `CSVError`, and a load that succeeds still balances.
    @Test func mutatedHeadersThrowOnlyCSVErrors() {
        var rng = SeededGenerator(seed: 7)
        for v in 0 ..< 60 {
            let bytes = Self.mutate(Array(Self.fixture.prefix(4_000)), from: 0, using: &rng)
            var r = [CSVReader(bytes: bytes, name: "h\(v)-street.csv")]
            do {
                let res = try PoliceStreetLoader.load(readers: &r)
                #expect(res.accounting.isBalanced)
            } catch {
                #expect(error.line == 0 || error.line == 1, "\(error)")
            }
        }
    }

    /// The file path reads in chunks; tiny chunks put quotes, CR and LF on chunk boundaries.
    /// Each variant must give the same ledger and table read from a file in chunks as from memory.
    @Test func chunkedFileReadsAgreeWithInMemoryReads() throws {
        var rng = SeededGenerator(seed: 99)
        let dir = try temporaryFolder()
        for v in 0 ..< 12 {
            let bytes = Self.mutate(Array(Self.fixture.prefix(6_000)), from: Self.dataStart, using: &rng)
            let path = dir + "/c\(v)-street.csv"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            var mem = [CSVReader(bytes: bytes, name: path)]
            var file = [try CSVReader(path: path, chunkSize: Int.random(in: 1 ... 64, using: &rng))]
            let a = try PoliceStreetLoader.load(readers: &mem)
            let b = try PoliceStreetLoader.load(readers: &file)
            #expect(a.accounting == b.accounting, "variant \(v)")
            #expect(a.table.monthIndex == b.table.monthIndex && a.table.lsoaID == b.table.lsoaID, "variant \(v)")
            #expect(a.table.locationText == b.table.locationText, "variant \(v)")
        }
    }
}
