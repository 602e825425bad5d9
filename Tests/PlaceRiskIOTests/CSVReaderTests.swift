import Foundation
import Testing
import PlaceRiskCore
@testable import PlaceRiskIO

/// Reads every record of `text` (all fields as Strings).
func records(_ text: String, chunk: Int? = nil) throws -> [[String]] {
    var r: CSVReader
    if let chunk {
        let dir = try temporaryFolder()
        let p = dir + "/t.csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        r = try CSVReader(path: p, chunkSize: chunk)
    } else {
        r = CSVReader(bytes: Array(text.utf8))
    }
    var out: [[String]] = []
    while try r.next() { out.append(r.fields) }
    return out
}

@Suite("CSV reader: RFC 4180 and real-file traps")
struct CSVReaderTests {
    @Test(arguments: [nil, 1, 2, 3, 7, 64] as [Int?])
    func everyTrapParsesTheSameAtAnyChunkSize(chunk: Int?) throws {
        // BOM, CRLF, quoted comma, doubled quote, newline in quotes, empty fields, no final newline.
        let text = "\u{FEFF}a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n,,\r\n\"multi\nline\",2,\"\"\r\nlast,row,end"
        let r = try records(text, chunk: chunk)
        #expect(r == [["a", "b", "c"], ["1", "x, y", "say \"hi\""], ["", "", ""], ["multi\nline", "2", ""], ["last", "row", "end"]])
    }

    @Test func lfCrlfAndBlankLinesAreEquivalent() throws {
        let lf = try records("h1,h2\n1,2\n\n3,4\n")
        let crlf = try records("h1,h2\r\n1,2\r\n\r\n3,4\r\n")
        let cr = try records("h1,h2\r1,2\r3,4")
        #expect(lf == [["h1", "h2"], ["1", "2"], ["3", "4"]])
        #expect(crlf == lf && cr == lf)
    }

    @Test func byteOrderMarkIsRemovedFromTheFirstHeader() throws {
        let r = try records("\u{FEFF}\"LSOA code (2011)\",x\n")
        #expect(r == [["LSOA code (2011)", "x"]])
    }

    @Test func unterminatedQuoteNamesLineAndColumnWhereItOpened() throws {
        var r = CSVReader(bytes: Array("a,b\n1,2\n3,\"open\n4,5\n".utf8), name: "f.csv")
        #expect(try r.next() && r.next())
        #expect(throws: CSVError(.unterminatedQuote, file: "f.csv", line: 3, column: 3)) { _ = try r.next() }
    }

    @Test func textAfterAClosingQuoteIsAnError() throws {
        var r = CSVReader(bytes: Array("a,b\n\"x\"y,2\n".utf8), name: "g.csv")
        _ = try r.next()
        #expect(throws: CSVError(.textAfterClosingQuote, file: "g.csv", line: 2, column: 4)) { _ = try r.next() }
    }

    @Test func wrongFieldCountNamesLineAndColumn() throws {
        var r = CSVReader(bytes: Array("a,b,c\n1,2\n1,2,3,4\n".utf8), name: "h.csv")
        _ = try r.next()
        _ = try r.next()
        // Too few: the column just past the last field.
        #expect(throws: CSVError(.fieldCount(expected: 3, found: 2), file: "h.csv", line: 2, column: 4)) { try r.requireFieldCount(3) }
        _ = try r.next()
        // Too many: the column where the first extra field starts.
        #expect(throws: CSVError(.fieldCount(expected: 3, found: 4), file: "h.csv", line: 3, column: 7)) { try r.requireFieldCount(3) }
        #expect(CSVError(.fieldCount(expected: 3, found: 4), file: "h.csv", line: 3, column: 7).description
                == "h.csv:3:7: expected 3 fields, found 4")
    }

    @Test func lineNumbersCountNewlinesInsideQuotes() throws {
        var r = CSVReader(bytes: Array("h\n\"a\nb\nc\"\nnext\n".utf8))
        _ = try r.next()
        _ = try r.next()
        #expect(r.recordLine == 2 && r.recordEndLine == 4)
        _ = try r.next()
        #expect(r.recordLine == 5 && r.string(0) == "next")
    }

    @Test func missingFileIsAnIOErrorNamingThePath() {
        #expect(throws: CSVError.self) { _ = try CSVReader(path: "/nonexistent/x.csv") }
        do { _ = try CSVReader(path: "/nonexistent/x.csv") } catch {
            // A whole-file error (line 0) names the file alone, never `path:0:0:`.
            #expect(error.description.hasPrefix("/nonexistent/x.csv: cannot open"))
        }
    }

    @Test func rfc4180IsTheDefaultAndKeepsLineBreaksInsideQuotes() throws {
        var r = CSVReader(bytes: Array("a,b\n1,\"x\r\ny\"\n".utf8))
        #expect(r.options == .rfc4180 && !r.options.recordsNeverSpanLines)
        _ = try r.next()
        #expect(try r.next() && r.fields == ["1", "x\r\ny"])
    }

    /// Line-bounded records: a quote still open at the line end (LF, CRLF or CR) makes that record
    /// malformed, and the next `next()` reads the following line. Columns and lines by hand.
    @Test(arguments: [nil, 1, 2, 3, 5] as [Int?])
    func lineBoundedReaderEndsAnOpenQuoteAtTheLineEndAndResumes(chunk: Int?) throws {
        let text = "a,b\n1,\"x\n2,3\r\n\"p\r\n4,5\r\"q\r6,\"7\""
        var r: CSVReader
        if let chunk {
            let p = try temporaryFolder() + "/lb.csv"
            try Data(text.utf8).write(to: URL(fileURLWithPath: p))
            r = try CSVReader(path: p, chunkSize: chunk, options: .lineBounded)
        } else {
            r = CSVReader(bytes: Array(text.utf8), name: "lb.csv", options: .lineBounded)
        }
        let name = r.name
        #expect(try r.next() && r.fields == ["a", "b"])
        #expect(throws: CSVError(.quoteOpenAtLineEnd, file: name, line: 2, column: 3)) { _ = try r.next() }
        #expect(try r.next() && r.fields == ["2", "3"] && r.recordLine == 3)
        #expect(throws: CSVError(.quoteOpenAtLineEnd, file: name, line: 4, column: 1)) { _ = try r.next() }
        #expect(try r.next() && r.fields == ["4", "5"] && r.recordLine == 5)
        #expect(throws: CSVError(.quoteOpenAtLineEnd, file: name, line: 6, column: 1)) { _ = try r.next() }
        #expect(try r.next() && r.fields == ["6", "7"] && r.recordLine == 7)
        #expect(try !r.next())
    }

    @Test func textAfterAClosingQuoteSkipsToTheNextLine() throws {
        var r = CSVReader(bytes: Array("a,b\n\"x\"y,\"2\nz\n3,4\n".utf8), name: "g.csv")
        _ = try r.next()
        #expect(throws: CSVError(.textAfterClosingQuote, file: "g.csv", line: 2, column: 4)) { _ = try r.next() }
        // The rest of line 2 (with its open quote) is skipped without reading quotes.
        #expect(try r.next() && r.fields == ["z"] && r.recordLine == 3)
        #expect(try r.next() && r.fields == ["3", "4"] && r.recordLine == 4)
    }

    /// Randomised round trip: random tables with quotes, commas, CR, LF, empty fields and
    /// non-ASCII text, written by `CSVWriter` and read back equal, in memory and from files
    /// read in tiny chunks (so quotes and CRLF straddle chunk boundaries).
    @Test(arguments: [1, 2, 3])
    func randomTablesRoundTrip(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed))
        let alphabet: [String] = ["a", "b", "Z", "0", "9", ",", "\"", "\n", "\r\n", " ", "é", "€", "-", "."]
        for _ in 0 ..< 40 {
            let cols = Int.random(in: 1 ... 6, using: &rng)
            let rows = Int.random(in: 1 ... 30, using: &rng)
            var table: [[String]] = []
            for _ in 0 ..< rows {
                table.append((0 ..< cols).map { _ in
                    let len = Int.random(in: 0 ... 8, using: &rng)
                    return (0 ..< len).map { _ in alphabet.randomElement(using: &rng)! }.joined()
                })
            }
            // A lone empty field on a one-column row would be a blank line, which readers skip: quote it.
            let w = CSVWriter()
            for row in table {
                if row.count == 1 && row[0].isEmpty { try w.writeRaw("\"\"") } else { try w.writeRow(row) }
            }
            let text = String(decoding: w.bytes, as: UTF8.self)
            #expect(try records(text) == table)
            #expect(try records(text, chunk: Int.random(in: 1 ... 17, using: &rng)) == table)
        }
    }
}

@Suite("Numbers from bytes")
struct ASCIINumberTests {
    @Test func parsesDecimalsExactlyAsStrtodDoes() {
        var rng = SplitMix64(seed: 5)
        for _ in 0 ..< 20000 {
            let v = Double.random(in: -1e6 ... 1e6, using: &rng)
            for text in [String(format: "%.6f", v), String(format: "%.2f", v), "\(v)", String(format: "%.17g", v), String(format: "%e", v)] {
                #expect(ASCIINumber.parseDouble(text) == strtod(text, nil), "\(text)")
            }
        }
        #expect(ASCIINumber.parseDouble("-4.544117") == -4.544117)
        #expect(ASCIINumber.parseDouble(" 50.827973 ") == 50.827973)
        #expect(ASCIINumber.parseDouble("12345678901234567890123") == 12345678901234567890123.0)
        for bad in ["", " ", "-", ".", "1.2.3", "abc", "1e", "nan", "inf", "1,5", "--1", "0x10"] {
            #expect(ASCIINumber.parseDouble(bad) == nil, "\(bad)")
        }
    }
}

@Suite("CSV reader: skipped fields and wide scans")
struct CSVReaderSkipTests {
    @Test func skippedFieldsReadEmptyButStillCount() throws {
        var r = CSVReader(bytes: Array("a,b,c\n\"x,\"\"y\nz\",keep,\"q\"\n".utf8))
        r.skippedFields = [true, false, true]
        #expect(try r.next() && r.fields == ["", "b", ""])
        #expect(try r.next() && r.fields == ["", "keep", ""] && r.fieldCount == 3 && r.recordLine == 2)
    }

    /// The 8-byte scanner must find the first delimiter at every alignment: fields of every length
    /// 0…40 read back equal (reference: the same text split by hand).
    @Test func everyFieldLengthAndAlignmentReadsBack() throws {
        for len in 0 ... 40 {
            let f = String(repeating: "x", count: len)
            let text = "\(f),\(f)y,\"\(f)\"\n\(f)\r\n"
            #expect(try records(text) == [[f, f + "y", f], [f.isEmpty ? "" : f]].filter { $0 != [""] })
        }
    }
}

@Suite("CSV reader: the one-pass split of plain lines equals the field loop")
struct CSVReaderPlainLineTests {
    /// Everything a reader reports, record by record (fields, their columns, the record's lines and
    /// end column), and the error that ends or interrupts the reading (recovery continues after it).
    static func transcript(_ r: inout CSVReader) -> [String] {
        var out: [String] = []
        var errors = 0
        while true {
            do {
                guard try r.next() else { break }
                let columns = (0 ..< r.fieldCount).map { r.column(ofField: $0) }
                out.append("\(r.recordLine)-\(r.recordEndLine):\(r.recordEndColumn) \(r.fields) \(columns)")
            } catch {
                out.append("error \(error)")
                errors += 1
                if errors > 50 || error.kind == .unterminatedQuote { break }
            }
        }
        return out
    }

    /// Seeded random texts of many short lines (commas, spaces, letters, bytes ≥ 0x80, and now and then
    /// a quote, a CR, a CRLF, a blank line), read with and without the split: in memory (one chunk) and
    /// from a file in chunks of 17–4,096 bytes (lines cut by chunk ends), some fields skipped.
    @Test func sameRecordsColumnsLinesAndErrorsOnRandomText() throws {
        var rng = SeededGenerator(seed: 20_261_202)
        let common: [UInt8] = Array("abc,,, ,x9.-".utf8) + [0xC3, 0xA9]
        let rare: [UInt8] = [0x22, 0x0D, 0x0A]
        let dir = try temporaryFolder()
        var plainRecords = 0
        for round in 0 ..< 120 {
            var bytes: [UInt8] = []
            let lines = 20 + Int(rng.next() % 200)
            for _ in 0 ..< lines {
                let len = Int(rng.next() % 90)
                for _ in 0 ..< len {
                    let r = rng.next() % 1000
                    if r < (round % 3 == 0 ? 2 : 8) { bytes.append(rare[Int(rng.next() % 3)]) }
                    else { bytes.append(common[Int(rng.next() % UInt64(common.count))]) }
                }
                bytes += rng.next() % 5 == 0 ? [0x0D, 0x0A] : [0x0A]
            }
            if rng.next() % 2 == 0 { bytes.removeLast() } // no final newline
            let path = dir + "/plain-\(round).csv"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let skipped = (0 ..< 8).map { _ in rng.next() % 4 == 0 }
            for chunk in [nil, 17, 100, 333, 4096] as [Int?] {
                func reader(_ split: Bool) throws -> CSVReader {
                    var r = try chunk.map { try CSVReader(path: path, chunkSize: $0) } ?? CSVReader(bytes: bytes, name: path)
                    r.splitsPlainLines = split
                    if round % 2 == 1 { r.skippedFields = skipped }
                    return r
                }
                var fast = try reader(true), slow = try reader(false)
                let a = Self.transcript(&fast), b = Self.transcript(&slow)
                #expect(a == b, "round \(round), chunk \(chunk.map(String.init) ?? "whole")")
                plainRecords += a.count
            }
        }
        #expect(plainRecords > 40_000)
    }

    /// Quoted lines in a row make the split rest for a while (the field loop reads them and the plain
    /// lines after them), then it resumes: the same records as the field loop throughout.
    @Test func restingAfterQuotedLinesKeepsTheRecords() throws {
        var text = "a,b,c\n"
        for k in 0 ..< 10 { text += "\"q\(k)\",\"x, y\",\(k)\n" }
        for k in 0 ..< 1000 { text += "p\(k),\(k * 7),\(k % 3 == 0 ? "" : "z")\(k % 5 == 0 ? "\r" : "")\n" }
        for k in 0 ..< 5 { text += "\"tail\(k)\",1,2\n" }
        let bytes = Array(text.utf8)
        var fast = CSVReader(bytes: bytes, name: "rest.csv"), slow = CSVReader(bytes: bytes, name: "rest.csv")
        slow.splitsPlainLines = false
        let a = Self.transcript(&fast), b = Self.transcript(&slow)
        #expect(a.count == 1016)
        #expect(a == b)
    }

    /// A police.uk line read whole: hand-checked fields and columns (column = 1 + the bytes before the
    /// field in its line), with and without the split.
    @Test func aPoliceLineReadsItsFieldsAndColumns() throws {
        let line = "abc,2020-01,Devon & Cornwall Police,,-4.1,50.3,On or near X,E01018936,Cornwall 001A,Burglary,,\r\n"
        let text = String(repeating: line, count: 3)
        for split in [true, false] {
            var r = CSVReader(bytes: Array(text.utf8))
            r.splitsPlainLines = split
            #expect(try r.next())
            #expect(r.fields == ["abc", "2020-01", "Devon & Cornwall Police", "", "-4.1", "50.3", "On or near X", "E01018936", "Cornwall 001A", "Burglary", "", ""])
            #expect((0 ..< 4).map { r.column(ofField: $0) } == [1, 5, 13, 37])
            #expect(r.recordEndColumn == line.utf8.count - 1 && r.recordLine == 1)
            #expect(try r.next() && r.recordLine == 2)
        }
    }
}
