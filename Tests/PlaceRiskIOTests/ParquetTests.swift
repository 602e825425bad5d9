import Foundation
import Testing
import PlaceRiskCore
@testable import PlaceRiskIO

@Suite("Parquet")
struct ParquetTests {
    /// Zigzag examples from the Thrift compact protocol spec (thrift-compact-protocol.md, "Integer encoding").
    @Test func zigzagMatchesTheThriftSpecTable() {
        let spec: [(Int64, UInt64)] = [(0, 0), (-1, 1), (1, 2), (-2, 3), (2_147_483_647, 4_294_967_294), (-2_147_483_648, 4_294_967_295)]
        for (n, z) in spec { #expect(ThriftCompact.Writer.zigzag(n) == z) }
    }

    /// The bit-packing example of Parquet's Encodings.md ("Bit-packed (Deprecated)" / hybrid section):
    /// 0…7 at bit width 3 pack to 10001000 11000110 11111010, behind the header (1 group << 1) | 1.
    @Test func bitPackingMatchesTheSpecExample() {
        var out: [UInt8] = []
        RLEHybrid.encode([0, 1, 2, 3, 4, 5, 6, 7], bitWidth: 3, into: &out)
        #expect(out == [0x03, 0b1000_1000, 0b1100_0110, 0b1111_1010])
    }

    /// A run of 20 equal values is one RLE run: header varint(20 << 1) = 40, then the value in one byte.
    @Test func longRunsAreRunLengthEncoded() {
        var out: [UInt8] = []
        RLEHybrid.encode(ArraySlice(repeatElement(5, count: 20)), bitWidth: 3, into: &out)
        #expect(out == [40, 5])
        let back = out.withUnsafeBytes { RLEHybrid.decode($0, from: 0, to: out.count, bitWidth: 3, count: 20) }
        #expect(back == [UInt32](repeating: 5, count: 20))
    }

    /// Mixed runs decode to what was encoded (runs shorter and longer than 8, padding at the end).
    @Test func hybridRoundTripsMixedRuns() {
        var values: [UInt32] = []
        for k in 0 ..< 50 { values += repeatElement(UInt32(k % 7), count: k % 11 + 1) }
        var out: [UInt8] = []
        RLEHybrid.encode(values[...], bitWidth: 3, into: &out)
        let back = out.withUnsafeBytes { RLEHybrid.decode($0, from: 0, to: out.count, bitWidth: 3, count: values.count) }
        #expect(back == values)
    }

    /// The encoder without copies writes the bytes of the straightforward one it replaced (kept here
    /// as the oracle: the values waiting to be bit-packed gathered in an array), on random sequences of
    /// short and long runs at several bit widths, for whole arrays and for slices that start past 0.
    @Test func encoderWritesTheBytesOfTheCopyingOracle() {
        func oracle(_ values: ArraySlice<UInt32>, _ bitWidth: Int) -> [UInt8] {
            var out: [UInt8] = [], pending: [UInt32] = []
            func varint(_ v: UInt64) { var v = v; while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }; out.append(UInt8(v)) }
            func flush() {
                guard !pending.isEmpty else { return }
                let groups = (pending.count + 7) / 8
                varint(UInt64(groups) << 1 | 1)
                var acc: UInt64 = 0, bits = 0
                for g in 0 ..< groups * 8 {
                    acc |= (g < pending.count ? UInt64(pending[g]) : 0) << UInt64(bits)
                    bits += bitWidth
                    while bits >= 8 { out.append(UInt8(acc & 0xFF)); acc >>= 8; bits -= 8 }
                }
                if bits > 0 { out.append(UInt8(acc & 0xFF)) }
                pending.removeAll()
            }
            var i = values.startIndex
            while i < values.endIndex {
                var j = i + 1
                while j < values.endIndex && values[j] == values[i] { j += 1 }
                var run = j - i
                if run >= 8 {
                    let fill = (8 - pending.count % 8) % 8
                    if fill > 0 { pending += repeatElement(values[i], count: fill); run -= fill }
                    flush()
                    if run >= 8 {
                        varint(UInt64(run) << 1)
                        for k in 0 ..< (bitWidth + 7) / 8 { out.append(UInt8((values[i] >> (8 * UInt32(k))) & 0xFF)) }
                    } else { pending += repeatElement(values[i], count: run) }
                } else { pending += values[i ..< j] }
                i = j
            }
            flush()
            return out
        }
        var rng = SeededGenerator(seed: 2026)
        for trial in 0 ..< 400 {
            let width = [1, 2, 3, 5, 8, 12, 17, 32][trial % 8]
            let top = width == 32 ? UInt64(UInt32.max) : (UInt64(1) << UInt64(width)) - 1
            var values: [UInt32] = []
            while values.count < Int(rng.next() % 300) + 1 {
                let run = rng.next() % 4 == 0 ? Int(rng.next() % 40) + 1 : Int(rng.next() % 9) + 1
                values += repeatElement(UInt32(rng.next() % (top + 1)), count: run)
            }
            for slice in [values[...], values.dropFirst(Int(rng.next() % UInt64(values.count)))] {
                var out: [UInt8] = []
                RLEHybrid.encode(slice, bitWidth: width, into: &out)
                #expect(out == oracle(slice, width), "trial \(trial), width \(width)")
                let back = out.withUnsafeBytes { RLEHybrid.decode($0, from: 0, to: out.count, bitWidth: width, count: slice.count) }
                #expect(back.map { $0[...] } == slice)
            }
        }
    }

    /// A one-column INT32 file [7, −1], its first bytes derived by hand from parquet.thrift:
    /// "PAR1", then the PageHeader struct in compact protocol —
    /// 0x15 0x00 type DATA_PAGE (field 1, i32, zigzag 0); 0x15 0x10 uncompressed size 8; 0x15 0x10
    /// compressed size 8; 0x2C data_page_header (field 5 = delta 2, struct): 0x15 0x04 num_values 2,
    /// 0x15 0x00 encoding PLAIN, 0x15 0x06 / 0x15 0x06 level encodings RLE (3), 0x00 stop; 0x00 stop —
    /// then the PLAIN body 07 00 00 00 FF FF FF FF, and at the end a u32 footer length and "PAR1".
    @Test func int32PageBytesMatchTheHandDerivedLayout() throws {
        let b = ParquetWriter.encode([ParquetColumn("n", .int32([7, -1]))])
        let expected: [UInt8] = Array("PAR1".utf8) + [0x15, 0x00, 0x15, 0x10, 0x15, 0x10, 0x2C, 0x15, 0x04, 0x15, 0x00, 0x15, 0x06, 0x15, 0x06, 0x00, 0x00,
                                                      0x07, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF]
        #expect(Array(b.prefix(expected.count)) == expected)
        #expect(Array(b.suffix(4)) == Array("PAR1".utf8))
        let n = b.count
        let footer = Int(UInt32(b[n - 8]) | UInt32(b[n - 7]) << 8 | UInt32(b[n - 6]) << 16 | UInt32(b[n - 5]) << 24)
        #expect(footer == n - 8 - expected.count)
        // The footer's FileMetaData begins: 0x15 0x04 version 2; 0x19 list (field 2) of 2 structs = 0x2C.
        #expect(Array(b[expected.count ..< expected.count + 3]) == [0x15, 0x04, 0x19])
        #expect(b[expected.count + 3] == 0x2C)
        // Statistics: min_value FF FF FF FF (−1), max_value 07 00 00 00, null_count 0.
        let f = try ParquetFile(bytes: b, name: "hand.parquet")
        let s = f.statistics(column: 0)
        #expect(s.min == [0xFF, 0xFF, 0xFF, 0xFF] && s.max == [0x07, 0, 0, 0] && s.nullCount == 0)
        #expect(f.fields == [ParquetFile.Field(name: "n", type: "int32", required: true, logicalType: 10, convertedType: 17)])
    }

    /// PlaceRisk's own writer and reader agree, across several data pages and a dictionary.
    @Test func writerAndReaderRoundTripEveryType() throws {
        let rows = ParquetWriter.pageValues + 1_000 // two data pages per column
        let codes = ["E01000001", "E01000002", "W01000003", "E01999999"]
        let cols = [
            ParquetColumn("lsoa_code", .string((0 ..< rows).map { codes[($0 / 3) % 4] })),
            ParquetColumn("month", .int32((0 ..< rows).map { Int32($0 % 120) - 5 })),
            ParquetColumn("n", .int64((0 ..< rows).map { Int64($0) * 1_000_003 - 7 })),
            ParquetColumn("sum_w", .double((0 ..< rows).map { Double($0) * 0.25 - 3 })),
        ]
        let bytes = ParquetWriter.encode(cols, keyValues: [("placerisk.schema", "1")])
        // Columns encoded on several cores are laid out exactly as one after another.
        #expect(bytes == ParquetWriter.encode(cols, keyValues: [("placerisk.schema", "1")], parallel: false))
        let f = try ParquetFile(bytes: bytes, name: "rt.parquet")
        #expect(f.rowCount == rows)
        #expect(try f.columns() == cols)
        #expect(f.keyValues["placerisk.schema"] == "1")
        #expect(f.fields.map(\.type) == ["string", "int32", "int64", "double"])
        let s = f.statistics(column: 0)
        #expect(s.min == Array("E01000001".utf8) && s.max == Array("W01000003".utf8) && s.distinct == 4)
    }

    /// The encodings the footer lists for column `i` of the first row group (parquet.thrift
    /// ColumnMetaData field 2: 0 PLAIN, 8 RLE_DICTIONARY).
    private func encodings(_ f: ParquetFile, column i: Int) -> [Int64] {
        (f.metadata[4]?.list?[0][1]?.list?[i][3]?[2]?.list ?? []).compactMap(\.int)
    }

    /// Numbers with few distinct values are dictionary-encoded (as pyarrow's default does) and read
    /// back bit for bit — −0.0 apart from 0.0, a NaN's payload kept, Int64's and Int32's extremes —
    /// across two data pages, in fewer bytes than PLAIN's 4 or 8 a row (a hand bound: the rows'
    /// indices take ≤ 3 bits each); the statistics are those of the values, unchanged.
    @Test func numbersWithFewValuesAreDictionaryEncodedBitForBit() throws {
        let rows = ParquetWriter.pageValues + 77
        let nan = Double(bitPattern: 0x7FF8_0000_0000_0ABC)
        let doubles: [Double] = [0.0, -0.0, 1.5, nan, -7.25]
        let longs: [Int64] = [.min, .max, 0, -1, 3]
        let ints: [Int32] = [.min, .max, 7]
        let cols = [
            ParquetColumn("d", .double((0 ..< rows).map { doubles[($0 * 7 / 3) % doubles.count] })),
            ParquetColumn("n", .int64((0 ..< rows).map { longs[($0 / 5) % longs.count] })),
            ParquetColumn("i", .int32((0 ..< rows).map { ints[$0 % ints.count] })),
        ]
        let bytes = ParquetWriter.encode(cols)
        #expect(bytes == ParquetWriter.encode(cols, parallel: false))
        #expect(bytes.count < rows * (8 + 8 + 4) / 5, "\(bytes.count) bytes for \(rows) rows")
        let f = try ParquetFile(bytes: bytes, name: "dict.parquet")
        for i in 0 ..< 3 { #expect(encodings(f, column: i).contains(8), "column \(i) is dictionary-encoded") }
        let back = try f.columns()
        guard case .double(let d) = back[0].values, case .double(let d0) = cols[0].values else { Issue.record("not doubles"); return }
        #expect(d.map(\.bitPattern) == d0.map(\.bitPattern))
        #expect(Array(back[1...]) == Array(cols[1...]))
        // Statistics: −7.25 and 1.5 (NaN left out), Int64.min and .max.
        #expect(f.statistics(column: 0).min == Array(withUnsafeBytes(of: (-7.25).bitPattern.littleEndian, Array.init)))
        #expect(f.statistics(column: 0).max == Array(withUnsafeBytes(of: (1.5).bitPattern.littleEndian, Array.init)))
        #expect(f.statistics(column: 1).min == [0, 0, 0, 0, 0, 0, 0, 0x80] && f.statistics(column: 1).max == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
    }

    /// Numbers that are mostly distinct stay PLAIN (a dictionary would be larger), and so does a
    /// column with more distinct values than `maxNumericDictionary`; both read back unchanged.
    @Test func numbersWithManyValuesStayPlain() throws {
        let rows = 3 * ParquetWriter.maxNumericDictionary
        let cols = [
            ParquetColumn("distinct", .int64((0 ..< rows).map { Int64($0) * 1_000_003 })),
            // Every value twice: a dictionary of rows / 2 values would win on bytes but passes the limit.
            ParquetColumn("pairs", .double((0 ..< rows).map { Double($0 / 2) + 0.5 })),
            ParquetColumn("two", .int32([Int32](repeating: 4, count: rows - 1) + [9])),
        ]
        let f = try ParquetFile(bytes: ParquetWriter.encode(cols), name: "plain.parquet")
        #expect(encodings(f, column: 0) == [0])
        #expect(encodings(f, column: 1) == [0])
        #expect(encodings(f, column: 2).contains(8))
        #expect(try f.columns() == cols)
        // Two rows with two values: PLAIN's 8 bytes beat a dictionary's.
        let small = try ParquetFile(bytes: ParquetWriter.encode([ParquetColumn("n", .int32([7, -1]))]), name: "small.parquet")
        #expect(encodings(small, column: 0) == [0])
    }

    /// A text column given as codes into a label table writes the same bytes as the same text given
    /// row by row (the dictionary renumbered by first appearance, statistics over the used labels only),
    /// for codes in any order, unused labels, a single label, and across two data pages; the reader
    /// gives it back as text.
    @Test func codedTextColumnWritesTheSameBytesAsItsText() throws {
        let labels = ["Z", "E01000007", "W01000003", "unused", "E01000001", ""]
        var rng = SeededGenerator(seed: 7)
        for rows in [1, 17, 5_000, ParquetWriter.pageValues + 3] {
            for distinct in [1, 3, labels.count] {
                let codes = (0 ..< rows).map { i in Int32(i % 11 < 4 ? 4 : Int(rng.next() % UInt64(distinct))) }
                let text = codes.map { labels[Int($0)] }
                let coded = [ParquetColumn("t", .dictionary(codes: codes, labels: labels)), ParquetColumn("n", .int64(codes.map(Int64.init)))]
                let plain = [ParquetColumn("t", .string(text)), ParquetColumn("n", .int64(codes.map(Int64.init)))]
                #expect(ParquetWriter.encode(coded) == ParquetWriter.encode(plain), "\(rows) rows, \(distinct) labels")
                if rows == 5_000 {
                    let f = try ParquetFile(bytes: ParquetWriter.encode(coded), name: "coded.parquet")
                    #expect(try f.columns() == plain)
                }
            }
        }
    }

    /// A file written by pyarrow 26.0.1 (Fixtures/parquet/make_pyarrow_fixture.py: non-nullable columns,
    /// no compression, data pages v1, RLE_DICTIONARY strings with bit-packed indices) decodes to the
    /// values that script wrote: codes[i % 3], 202001 + i % 12, i² − 50, 0.5·i − 1.25 for i in 0 ..< 20.
    @Test func readsAFileWrittenByPyarrow() throws {
        let f = try ParquetFile(path: fixturePath("parquet/pyarrow_fixture.parquet"))
        let codes = ["E01000001", "E01000002", "W01000003"]
        let r = 0 ..< 20
        #expect(f.rowCount == 20)
        #expect(try f.columns() == [
            ParquetColumn("lsoa_code", .string(r.map { codes[$0 % 3] })),
            ParquetColumn("month", .int32(r.map { 202001 + Int32($0 % 12) })),
            ParquetColumn("n", .int64(r.map { Int64($0 * $0 - 50) })),
            ParquetColumn("sum_w", .double(r.map { Double($0) * 0.5 - 1.25 })),
        ])
        #expect(f.fields.map(\.type) == ["string", "int32", "int64", "double"])
        let s = f.statistics(column: 2)
        #expect(s.min == [0xCE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] && s.nullCount == 0) // −50
    }

    /// A truncated file is refused in words, never read as fewer rows.
    @Test func truncatedFileIsRefused() {
        let b = ParquetWriter.encode([ParquetColumn("n", .int32([1, 2, 3]))])
        #expect(throws: ParquetError.self) { try ParquetFile(bytes: Array(b.dropLast(10)), name: "cut.parquet") }
        var cut = b
        cut.removeSubrange(4 ..< 10) // a page header damaged: the footer's offsets point into garbage
        #expect(throws: ParquetError.self) { try ParquetFile(bytes: cut, name: "cut.parquet").columns() }
    }

    /// A failed write leaves neither the file nor its temporary name behind.
    @Test func failedWriteLeavesNothing() throws {
        let dir = try temporaryFolder()
        let path = dir + "/missing-folder/x.parquet"
        #expect(throws: CSVError.self) { try ParquetWriter.write([ParquetColumn("n", .int32([1]))], to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
        let ok = dir + "/x.parquet"
        try ParquetWriter.write([ParquetColumn("n", .int32([1]))], to: ok)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["x.parquet"])
    }
}
