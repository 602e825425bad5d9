import Foundation
import Testing
@testable import PlaceRiskIO
@testable import PlaceRiskCore

/// The fields `DatedPlainLine.split` gives for one line (nil: not plain), as strings.
private func plainFields(_ line: String, fields n: Int) -> [String]? {
    var bytes = Array(line.utf8)
    let count = bytes.count
    bytes.append(contentsOf: [UInt8](repeating: 0, count: 16))
    let starts = UnsafeMutablePointer<Int>.allocate(capacity: 64), bounds = UnsafeMutablePointer<Int>.allocate(capacity: 2 * n)
    defer { starts.deallocate(); bounds.deallocate() }
    return bytes.withUnsafeBufferPointer { b -> [String]? in
        let lf = DatedPlainLine.split(b.baseAddress!, from: 0, count: count, fields: n, starts: starts, limit: 64, bounds: bounds)
        guard lf >= 0 else { return nil }
        return (0 ..< n).map { k in String(decoding: b[bounds[2 * k] ..< bounds[2 * k + 1]], as: UTF8.self) }
    }
}

/// The rows the plain-row shortcut took when `text` (after its header) is scanned as one padded chunk
/// under `schema`, and the rows used (nil: the scanner left the chunk to the general reader).
private func rowsTaken(_ text: String, _ schema: IncidentSchema) throws -> (taken: Int, used: Int)? {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let header = DatedRowParser.cleanHeader(lines[0].split(separator: ",").map(String.init))
    let col = try DatedRowParser.columns(header: header, schema: schema, path: "t.csv")
    var parser = DatedRowParser(path: "t.csv", header: header, col: col, schema: schema, lenient: true)
    var body = Array(lines.dropFirst().joined(separator: "\n").utf8)
    let count = body.count
    body.append(contentsOf: [UInt8](repeating: 0, count: 16))
    let outcome = try body.withUnsafeBufferPointer { b throws(CSVError) in
        try DatedChunkScanner.scan(UnsafeBufferPointer(rebasing: b[0 ..< count]), firstLine: 2, atEnd: true, name: "t.csv", padded: true, into: &parser)
    }
    guard outcome == .clean else { return nil }
    return (parser.plain?.rowsTaken ?? 0, parser.d.accounting.rowsUsed)
}

private func write(_ text: String) throws -> String {
    let p = try temporaryFolder() + "/plain.csv"
    try Data(text.utf8).write(to: URL(fileURLWithPath: p))
    return p
}

/// An ISTV-format file (the columns of the built-in schema) whose rows vary every field the plain-row
/// shortcut decides or gives back: date-times on every day of 2023-2025 (clock-change days and their
/// gap and overlap hours included), with and without seconds, date only, `T`, other layouts and bad
/// dates; coordinates as plain integers (leading zeros, 15 and 16 digits) and as what only the general
/// parser reads (`255588.5`, `-0.0`, `1e5`, `+12`, ` 12`, one of the pair empty); LSOA codes in either
/// case, with spaces, invalid; location types quoted with and without commas, doubled quotes, a quote
/// inside an unquoted field, `home` in any case; descriptions holding a comma, a line break or a CR;
/// LF and CRLF line ends.
private func istvLikeFile(rows: Int, seed: UInt64) -> String {
    var g = SplitMix64(seed: seed)
    func pick<T>(_ a: [T]) -> T { a[Int(g.next() % UInt64(a.count))] }
    let base = CivilDate(year: 2023, month: 1, day: 1)!.days
    let fixedDays = ["2024-03-31", "2024-10-27", "2023-03-26", "2023-10-29", "2025-03-30", "2025-10-26"]
    let methods = ["Body part (hands/feet)", "Knife or other sharp object", "\"Glass, bottle\"", "\"a \"\"quoted\"\" one\"", "Blunt object", "Other", ""]
    let places = ["\"Street\"", "\"Pub, bar or club\"", "Home", "\"HOME\"", " home ", "\"Other public place\"", "Public \"transport\"", "\"\""]
    let lsoas = ["E0101%04d", "e0101%04d", "W0100%04d", " E0101%04d ", "", "X99", "E0101%03d"]
    var s = "site_code,arrival_date_time,assault_date_time,assault_method,assault_method_other,assault_location_type,assault_location_description,lsoa_code,easting,northing\n"
    for _ in 0 ..< rows {
        let day: String
        if g.next() % 5 == 0 { day = pick(fixedDays) } else {
            let c = CivilDate(days: base + Int(g.next() % (3 * 365)))
            day = String(format: "%04d-%02d-%02d", c.year, c.month, c.day)
        }
        let h = Int(g.next() % 24), m = Int(g.next() % 60)
        let when: String
        switch g.next() % 12 {
        case 0: when = day
        case 1: when = day + String(format: " %02d:%02d:%02d", h, m, Int(g.next() % 60))
        case 2: when = day + String(format: "T%02d:%02d", h, m)
        case 3: when = pick(["", "2024-02-30 10:00", "yesterday", "2024-06-15 25:00", "15/06/2024 10:00", "2024-6-5 7:05", "2024-06-15 10:00Z"])
        default: when = day + String(format: " %02d:%02d", h, m)
        }
        let lsoa = String(format: pick(lsoas), Int(g.next() % 5000))
        var e = "\(240000 + Int(g.next() % 20000))", n = "\(50000 + Int(g.next() % 20000))"
        switch g.next() % 14 {
        case 0: (e, n) = ("", "")
        case 1: e = "255588.5"
        case 2: n = "-0.0"
        case 3: e = "1e5"
        case 4: e = "+12"
        case 5: n = " 60000"
        case 6: n = ""
        case 7: e = "0" + e
        case 8: (e, n) = ("123456789012345", "1234567890123456")
        default: break
        }
        let eol = g.next() % 3 == 0 ? "\r\n" : "\n"
        s += "SYN\(g.next() % 10),\(day) 23:00,\(when),\(pick(methods)),,\(pick(places)),\(pick(["synthetic", "\"a, b\"", "", "\"two\nlines\"", "\"a\rb\""])),\(lsoa),\(e),\(n)\(eol)"
    }
    return s
}

@Suite("Dated plain rows: the shortcut equals the row rules")
struct DatedPlainRowsTests {
    /// Hand-read RFC 4180 (as `CSVReader` reads it): plain lines give their fields with enclosing quotes
    /// removed and quoted commas kept; the lines the exact scanner must read are not plain.
    @Test func plainLinesSplitAsRFC4180ReadsThem() {
        #expect(plainFields("a,b,c\n", fields: 3) == ["a", "b", "c"])
        #expect(plainFields("a,\"b,c\",d\n", fields: 3) == ["a", "b,c", "d"])
        #expect(plainFields("\"x\",\"\",\"y, z ,w\"\r\n", fields: 3) == ["x", "", "y, z ,w"])
        #expect(plainFields("a,b\"c,d\n", fields: 3) == ["a", "b\"c", "d"])        // a quote inside an unquoted field is literal
        #expect(plainFields(" \"a\",b,c\n", fields: 3) == [" \"a\"", "b", "c"])   // not at the field's start: literal
        #expect(plainFields("a,,\n", fields: 3) == ["a", "", ""])
        #expect(plainFields("a,\"b\"\"c\",d\n", fields: 3) == nil)                 // doubled quote
        #expect(plainFields("a,\"b\"x,d\n", fields: 3) == nil)                     // text after the closing quote
        #expect(plainFields("a,\"b,d\n", fields: 2) == nil)                        // the quote runs past the line
        #expect(plainFields("a,\"\n", fields: 2) == nil)
        #expect(plainFields("a,b\rc,d\n", fields: 3) == nil)                       // a lone CR
        #expect(plainFields("a,b\r\r\n", fields: 2) == nil)
        #expect(plainFields("a,b,c,d\n", fields: 3) == nil)                        // another field count
        #expect(plainFields("a,b\n", fields: 3) == nil)
        #expect(plainFields("a,b,c", fields: 3) == nil)                            // no line end: the exact scanner's
        // A quote at every position of quoted fields of 1-40 bytes (the word-at-a-time check's tails).
        for len in 1 ... 40 {
            #expect(plainFields("x,\"" + String(repeating: "a", count: len) + "\",y\n", fields: 3)?[1].count == len)
            for at in 0 ..< len {
                var inner = Array(repeating: "a", count: len); inner[at] = "\""
                #expect(plainFields("x,\"" + inner.joined() + "\",y\n", fields: 3) == nil, "quote at \(at) of \(len)")
            }
        }
    }

    /// ISTV-format files with every variant the shortcut decides or gives back: the chunked read (which
    /// takes plain rows by the shortcut) equals the sequential general reader in every field, code
    /// table, ledger entry and line, lenient and strict, at chunk sizes from 97 bytes to 1 MB; and the
    /// shortcut did take most rows (the comparison is not vacuous) but not all (the rest went to `take`).
    @Test func istvLikeFilesReadIdenticallyThroughTheShortcut() throws {
        for seed: UInt64 in [11, 12] {
            let text = istvLikeFile(rows: 1500, seed: seed)
            let path = try write(text)
            let seq = try DatedIncidentLoader.readSequential(path: path, schema: .istv)
            #expect(seq.accounting.rowsUsed > 700 && seq.accounting.skipped.count >= 3)
            let m = chunkedMismatches(path, .istv, blockSizes: [97, 4096, 50_000, 1 << 20], workers: [1, 2, 3])
            #expect(m.isEmpty, "\(m.prefix(3))")
        }
        let (taken, used) = try #require(try rowsTaken(istvLikeFile(rows: 1500, seed: 11), .istv))
        #expect(taken > used / 4 && taken < used, "taken \(taken) of \(used)")
    }

    /// The UTC clock and date-only rows: a schema with `timezone = UTC`, dates with and without times on
    /// change days; chunked equals sequential and the shortcut took rows.
    @Test func utcSchemaAndDateOnlyRowsReadIdentically() throws {
        let schema = try IncidentSchema.parse("date = when\neasting = e\nnorthing = n\nlsoa = lsoa\ntimezone = UTC", origin: "t.schema")
        var s = "when,e,n,lsoa\n"
        for (k, d) in ["2024-03-31", "2024-10-27", "2024-06-01", "2024-12-31", "1899-12-31", "2230-01-01"].enumerated() {
            s += "\(d),400000,100000,E0100000\(k)\n\(d) 01:30,400000,100000,w0100000\(k)\n\(d) 02:30:15,,,\n"
        }
        let path = try write(s)
        #expect(chunkedMismatches(path, schema, blockSizes: [30, 4096], workers: [1, 2]).isEmpty)
        let (taken, used) = try #require(try rowsTaken(s, schema))
        #expect(taken == used && used == 18)
        let uk = try IncidentSchema.parse("date = when\neasting = e\nnorthing = n\nlsoa = lsoa", origin: "t.schema")
        #expect(chunkedMismatches(path, uk, blockSizes: [30, 4096], workers: [1, 2]).isEmpty)
        #expect(try rowsTaken(s, uk)?.taken == 18)
    }

    /// Chunks are scanned before the lines before them are counted: a chunk without skips has its lines
    /// shifted afterwards. The rows' lines count from the header (line 1) whatever the chunk size, and a
    /// mix of coordinate systems names the lines counted by hand: metres from line 2, degrees on line 202.
    @Test func cleanChunksKeepTheirFileLines() throws {
        let s = try IncidentSchema.parse("date = when\neasting = e\nnorthing = n", origin: "t.schema")
        var text = "when,e,n\n"
        for k in 0 ..< 200 { text += "2024-01-01 10:00,\(400000 + k),100000\n" }
        let degrees = "2024-01-02 10:00,3,50\n"
        var tail = ""
        for k in 0 ..< 50 { tail += "2024-01-03 10:00,400000,\(100000 + k)\n" }
        let clean = try write(text + tail)
        for bs in [100, 1000, 4096] {
            let d = try DatedChunkWaves.read(path: clean, schema: s, lenient: true, blockSize: bs, workers: 2)
            #expect(d.line == (2 ..< 252).map { Int32($0) })
        }
        let mixed = try write(text + degrees + tail)
        #expect(chunkedMismatches(mixed, s, blockSizes: [100, 1000, 4096], workers: [1, 2, 3]).isEmpty)
        #expect(throws: CSVError.self) { try DatedChunkWaves.read(path: mixed, schema: s, lenient: true, blockSize: 1000, workers: 2) }
        do { _ = try DatedChunkWaves.read(path: mixed, schema: s, lenient: true, blockSize: 1000, workers: 2) } catch {
            #expect(error.description.contains("line 202 has longitude/latitude degrees, line 2 has BNG metres"), "\(error)")
        }
    }
}
