import Foundation
import Testing
@testable import PlaceRiskIO
@testable import PlaceRiskCore

/// The differences between two loads of a dated source, field by field (empty: identical). Doubles are
/// compared by bit pattern (NaN = NaN), coded columns by their labels row by row and their label
/// tables (first-seen order), the ledger whole (counts, skip reasons, examples with their lines).
private func differences(_ a: DatedIncidents, _ b: DatedIncidents) -> [String] {
    var out: [String] = []
    func check<T: Equatable>(_ name: String, _ x: T, _ y: T) { if x != y { out.append(name) } }
    check("count", a.count, b.count)
    check("start", a.start, b.start); check("end", a.end, b.end); check("timed", a.timed, b.timed)
    check("x", a.x.map(\.bitPattern), b.x.map(\.bitPattern)); check("y", a.y.map(\.bitPattern), b.y.map(\.bitPattern))
    check("location", a.location, b.location); check("weight", a.weight.map(\.bitPattern), b.weight.map(\.bitPattern))
    check("line", a.line, b.line)
    let coded: [(String, KeyPath<DatedIncidents, CodedColumn>)] = [("lsoa", \.lsoaCode), ("category", \.category), ("weapon", \.weapon),
                                                                    ("locationType", \.locationType), ("ageBand", \.ageBand), ("agency", \.agency), ("place", \.place)]
    for (name, k) in coded {
        check(name + ".codes", a[keyPath: k].codes, b[keyPath: k].codes)
        check(name + ".labels", a[keyPath: k].labels, b[keyPath: k].labels)
    }
    check("accounting", a.accounting, b.accounting)
    check("placeResolution", a.placeResolution, b.placeResolution)
    check("dated", a.dated, b.dated); check("source", a.source, b.source)
    return out
}

/// Either the source or the error's text, so that two loads can be compared whatever they do.
private enum Load {
    case rows(DatedIncidents)
    case error(String)
}

private func load(_ body: () throws(CSVError) -> DatedIncidents) -> Load {
    do throws(CSVError) { return .rows(try body()) } catch { return .error(error.description) }
}

/// The mismatch between an expected and a got load (nil: none): the same error text, or rows whose
/// `differences` are empty.
private func mismatch(_ tag: String, _ want: Load, _ got: Load, _ differences: (DatedIncidents, DatedIncidents) -> [String]) -> String? {
    switch (want, got) {
    case (.rows(let a), .rows(let b)):
        let d = differences(a, b)
        return d.isEmpty ? nil : "\(tag): \(d.joined(separator: ", "))"
    case (.error(let a), .error(let b)): return a == b ? nil : "\(tag): error '\(b)' instead of '\(a)'"
    case (.rows, .error(let b)): return "\(tag): error '\(b)' instead of rows"
    case (.error(let a), .rows): return "\(tag): rows instead of error '\(a)'"
    }
}

/// Compares the chunked read (chunk sizes from a few bytes up, 1–3 workers) with the sequential general
/// reader on one file and schema, lenient and strict; returns a description of each mismatch.
func chunkedMismatches(_ path: String, _ schema: IncidentSchema, blockSizes: [Int], workers: [Int] = [1, 2, 3]) -> [String] {
    var out: [String] = []
    for lenient in [true, false] {
        let oracle = load { () throws(CSVError) in try DatedIncidentLoader.readSequential(path: path, schema: schema, lenient: lenient) }
        for bs in blockSizes {
            for w in workers {
                let got = load { () throws(CSVError) in try DatedChunkWaves.read(path: path, schema: schema, lenient: lenient, blockSize: bs, workers: w) }
                if let m = mismatch("\(path) block \(bs) workers \(w) lenient \(lenient)", oracle, got, differences) { out.append(m) }
            }
        }
    }
    return out
}

/// Compares reads that keep only some columns (`DatedColumns`) with the full sequential read of the same
/// file: the same rows, times, weights, ledger (reasons, examples, lines), place report and first error;
/// each kept column equal to the full read's, each other one empty (all kept when the schema has "where"
/// steps after the read). Chunked (several chunk sizes, 2 workers) and sequential, lenient and strict.
func projectionMismatches(_ path: String, _ schema: IncidentSchema, keeps: [DatedColumns], blockSizes: [Int]) -> [String] {
    var out: [String] = []
    for lenient in [true, false] {
        let full = load { () throws(CSVError) in try DatedIncidentLoader.readSequential(path: path, schema: schema, lenient: lenient) }
        for keep in keeps {
            var reads: [(String, Load)] = [("sequential", load { () throws(CSVError) in try DatedIncidentLoader.readSequential(path: path, schema: schema, lenient: lenient, keep: keep) })]
            for bs in blockSizes {
                reads.append(("block \(bs)", load { () throws(CSVError) in try DatedChunkWaves.read(path: path, schema: schema, lenient: lenient, keep: keep, blockSize: bs, workers: 2) }))
            }
            let effective = keep.effective(for: schema)
            for (name, got) in reads {
                let tag = "\(path) keep \(keep.rawValue) \(name) lenient \(lenient)"
                if let m = mismatch(tag, full, got, { a, b in
                    var d: [String] = []
                    func check<T: Equatable>(_ n: String, _ x: T, _ y: T) { if x != y { d.append(n) } }
                    func column<T: Equatable>(_ n: String, _ flag: DatedColumns, _ x: [T], _ y: [T]) {
                        if effective.contains(flag) { check(n, x, y) } else if !y.isEmpty { d.append(n + " not empty") }
                    }
                    check("count", a.count, b.count); check("start", a.start, b.start); check("end", a.end, b.end)
                    check("timed", a.timed, b.timed); check("weight", a.weight.map(\.bitPattern), b.weight.map(\.bitPattern))
                    check("accounting", a.accounting, b.accounting); check("placeResolution", a.placeResolution, b.placeResolution)
                    check("dated", a.dated, b.dated); check("columns", b.columns, effective)
                    column("x", .points, a.x.map(\.bitPattern), b.x.map(\.bitPattern)); column("y", .points, a.y.map(\.bitPattern), b.y.map(\.bitPattern))
                    column("location", .points, a.location, b.location); column("line", .lines, a.line, b.line)
                    let coded: [(String, DatedColumns, KeyPath<DatedIncidents, CodedColumn>)] = [
                        ("lsoa", .lsoa, \.lsoaCode), ("category", .category, \.category), ("weapon", .weapon, \.weapon),
                        ("locationType", .locationType, \.locationType), ("ageBand", .ageBand, \.ageBand), ("agency", .agency, \.agency), ("place", .place, \.place)]
                    for (n, flag, k) in coded {
                        column(n + ".codes", flag, a[keyPath: k].codes, b[keyPath: k].codes)
                        if effective.contains(flag) { check(n + ".labels", a[keyPath: k].labels, b[keyPath: k].labels) }
                    }
                    return d
                }) { out.append(m) }
            }
        }
    }
    return out
}

private func write(_ text: String, _ name: String = "in.csv") throws -> String {
    let p = try temporaryFolder() + "/" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: p))
    return p
}

/// A generated dated file that has every kind of record the readers must agree on: quoted fields holding
/// commas, doubled quotes and line breaks (LF and CRLF inside), CRLF line ends, blank lines, bad and
/// empty dates, impossible dates, bad coordinates, invalid and lower-case LSOA codes, short and long
/// rows, literal quotes inside unquoted fields; `finalNewline` false drops the last line end.
private func messyFile(rows: Int, seed: UInt64, crlf: Bool, finalNewline: Bool) -> String {
    var g = SplitMix64(seed: seed)
    func pick<T>(_ a: [T]) -> T { a[Int(g.next() % UInt64(a.count))] }
    let dates = ["2024-03-31 00:30", "2024-03-31 01:30", "2024-10-27 01:30", "2024-07-01 12:00", "2023-12-31 23:59:59",
                 "2024-02-30 10:00", "2024-13-01", "2024-06-15", " 2024-06-15 10:00 ", "2024-06-15T08:05", "2024-06-15 25:00",
                 "", "yesterday", "2024-06", "15/06/2024 10:00", "2024-06-15 10:00Z", "2024-06-15 10:00+01:00", "2024-6-5 7:05"]
    let cats = ["Street", "\"Pub, bar or club\"", "\"a \"\"quoted\"\" word\"", "\"two\nlines\"", "\"three\r\nlines\nhere\"", "Home",
                "\"\"", "lit\"eral", "  spaced  ", "\"home\""]
    let lsoas = ["E01015151", "e01015151", "W01000001", "", "X99", "E0101515"]
    var s = "id,when,category,lsoa_code,e,n,weight\n"
    for k in 0 ..< rows {
        let eol = crlf && g.next() % 2 == 0 ? "\r\n" : "\n"
        if g.next() % 23 == 0 { s += eol; continue }
        let e = pick(["400000", "", "12x", "400100.5"]), n = e.isEmpty ? pick(["", "100000"]) : "100000"
        var fields = ["\(k)", pick(dates), pick(cats), pick(lsoas), e, n, pick(["", "1", "2.5", "-1"])]
        if g.next() % 29 == 0 { fields.removeLast() }
        if g.next() % 31 == 0 { fields.append("extra") }
        if g.next() % 7 == 0 { fields[1] = "\"" + fields[1] + "\"" }
        s += fields.joined(separator: ",") + eol
    }
    if !finalNewline { while s.hasSuffix("\n") || s.hasSuffix("\r") { s.removeLast() } }
    return s
}

private let messySchema = """
date = when
category = category
location_type = category
lsoa = lsoa_code
easting = e
northing = n
weight = weight
"""

@Suite("Dated loader: chunked read equals the sequential reader")
struct DatedChunkedReadTests {
    /// The bundled synthetic ISTV files (every row quoted location types with commas) through the
    /// built-in istv schema: the default chunked read and small chunks equal the sequential reader.
    @Test func bundledSyntheticISTVFilesReadIdentically() throws {
        for f in ["SYNTHETIC_istv_devon_cornwall_2016-2017.csv", "SYNTHETIC_istv_plymouth_2024.csv"] {
            let path = datasetsFolder + "/synthetic_istv/" + f
            let seq = try DatedIncidentLoader.readSequential(path: path, schema: .istv)
            #expect(seq.count > 500)
            #expect(differences(seq, try DatedIncidentLoader.read(path: path, schema: .istv)).isEmpty)
            #expect(chunkedMismatches(path, .istv, blockSizes: [4096, 20_000], workers: [2]).isEmpty)
        }
    }

    /// The Edinburgh (dd/mm/yyyy, hour and minute columns), LFB (dd mon yyyy, a time column, home values)
    /// and gazetteer-located fixtures: identical for chunks of 7 bytes to 4 KB.
    @Test func fixtureSourcesReadIdentically() throws {
        let cases = [("dated/edinburgh_2012_accident_first200.csv", "dated/edinburgh_collisions.schema"),
                     ("dated/lfb_incident_data_sample.csv", "dated/lfb.schema"),
                     ("dated/places_incidents.csv", "dated/places.schema")]
        for (file, schemaFile) in cases {
            let s = try IncidentSchema.named(fixturePath(schemaFile))
            let m = chunkedMismatches(fixturePath(file), s, blockSizes: [7, 500, 4096], workers: [2, 3])
            #expect(m.isEmpty, "\(m.prefix(3))")
        }
    }

    /// Generated files with quotes holding commas and line breaks, bad dates, CRLF, blank lines, a
    /// missing final newline: chunks small enough to cut inside quoted fields give the same rows,
    /// ledger (reasons, examples with lines and columns) and, strict, the same first error.
    @Test func messyFilesReadIdenticallyAtAnyChunkSize() throws {
        let s = try IncidentSchema.parse(messySchema, origin: "messy.schema")
        var seed: UInt64 = 1
        for crlf in [false, true] {
            for finalNewline in [true, false] {
                let text = messyFile(rows: 300, seed: seed, crlf: crlf, finalNewline: finalNewline)
                seed += 1
                let path = try write(text)
                let seq = try DatedIncidentLoader.readSequential(path: path, schema: s)
                // The file exercises the rules: rows used and skipped for several reasons.
                #expect(seq.accounting.rowsUsed > 20 && seq.accounting.skipped.count >= 3)
                let m = chunkedMismatches(path, s, blockSizes: [5, 64, 333, 2048, 1 << 20], workers: [1, 2, 3])
                #expect(m.isEmpty, "\(m.prefix(3))")
            }
        }
    }

    /// Reads that keep only some columns (`timeofday`'s, none, points only, LSOAs and lines, all but
    /// one) give the full read's rows, times, weights and ledger, the kept columns equal and the others
    /// empty: the bundled ISTV file (rows through the plain-row shortcut), the messy generated files (rows
    /// through the row rules, every skip reason), the Edinburgh and LFB fixtures, and the gazetteer-located
    /// one (its "where" steps keep every column).
    @Test func keepingFewerColumnsKeepsTheSameRows() throws {
        let keeps: [DatedColumns] = [.timeOfDay, [], [.points], [.lsoa, .lines], DatedColumns.all.subtracting(.locationType), [.locationType]]
        let istv = datasetsFolder + "/synthetic_istv/SYNTHETIC_istv_plymouth_2024.csv"
        var m = projectionMismatches(istv, .istv, keeps: keeps, blockSizes: [4096, 1 << 20])
        let messy = try IncidentSchema.parse(messySchema, origin: "messy.schema")
        for (k, crlf) in [false, true].enumerated() {
            let path = try write(messyFile(rows: 300, seed: 40 + UInt64(k), crlf: crlf, finalNewline: k == 0), "messy\(k).csv")
            m += projectionMismatches(path, messy, keeps: keeps, blockSizes: [64, 2048])
        }
        for (file, schemaFile) in [("dated/edinburgh_2012_accident_first200.csv", "dated/edinburgh_collisions.schema"),
                                   ("dated/lfb_incident_data_sample.csv", "dated/lfb.schema"), ("dated/places_incidents.csv", "dated/places.schema")] {
            m += projectionMismatches(fixturePath(file), try IncidentSchema.named(fixturePath(schemaFile)), keeps: keeps, blockSizes: [500])
        }
        #expect(m.isEmpty, "\(m.prefix(3))")
        // Not vacuous: the ISTV read kept nothing it was not asked for, and had rows.
        let few = try DatedIncidentLoader.read(path: istv, schema: .istv, keep: .timeOfDay)
        #expect(few.count > 500 && few.x.isEmpty && few.lsoaCode.codes.isEmpty && few.locationType.codes.isEmpty && few.line.isEmpty)
    }

    /// A --from/--to window drops rows from every column, the free-text places included (they were kept
    /// whole, longer than the other columns): the gazetteer-located fixture from 3 May 2023 on keeps the
    /// rows of those days, each with the place, time and age band it had in the full read.
    @Test func aDayWindowDropsRowsFromEveryColumn() throws {
        let full = try DatedIncidentLoader.read(path: fixturePath("dated/places_incidents.csv"), schema: try IncidentSchema.named(fixturePath("dated/places.schema")))
        let from = CivilDate(year: 2023, month: 5, day: 3)!.days
        let days = full.startDays()
        let kept = days.indices.filter { days[$0] >= from }
        let w = full.within(fromDay: from, toDay: nil)
        #expect(!full.place.codes.isEmpty && kept.count < full.count && w.count == kept.count)
        #expect(w.place.codes.count == w.count && w.ageBand.codes.count == w.count && w.lsoaCode.codes.count == w.count && w.line.count == w.count)
        #expect(w.place.codes.indices.map { w.place.label($0) } == kept.map { full.place.label($0) })
        #expect(w.start == kept.map { full.start[$0] } && w.line == kept.map { full.line[$0] })
        #expect(w.accounting.skipped[.filteredDate] == full.count - kept.count)
    }

    /// What the chunk scanner leaves to the general reader gives the general reader's result or error:
    /// a lone CR line end, text after a closing quote, a quote open at the end of the file, a quoted
    /// header, a byte-order mark and blank lines before the header, an empty file, a header only.
    @Test func unusualFilesFallBackToTheGeneralReader() throws {
        let s = try IncidentSchema.parse("date = when\neasting = e\nnorthing = n", origin: "t.schema")
        let texts = ["when,e,n\r2024-01-01,400000,100000\r2024-01-02,400000,100000\n",
                     "when,e,n\n2024-01-01,400000,100000\n\"2024-01-02\"x,400000,100000\n2024-01-03,1,2\n",
                     "when,e,n\n2024-01-01,400000,100000\n\"2024-01-02,400000,100000\n",
                     "\"when\",e,\"n\"\n2024-01-01,400000,100000\n",
                     "\u{FEFF}\n\r\nwhen,e,n\n2024-01-01,400000,100000\n",
                     "", "when,e,n", "when,e,n\n", "\n\n", "when,x,n\n2024-01-01,1,2\n"]
        for t in texts {
            let m = chunkedMismatches(try write(t), s, blockSizes: [1, 8, 4096], workers: [2])
            #expect(m.isEmpty, "\(t.debugDescription): \(m.prefix(2))")
        }
    }

    /// A quoted field longer than several chunks (a record spanning three chunk ends) is read whole.
    @Test func aRecordSpanningSeveralChunksIsReadWhole() throws {
        let long = String(repeating: "word, and\nline ", count: 400)
        let text = "when,category,e,n\n2024-01-01 10:00,Street,400000,100000\n2024-01-02 11:00,\"\(long)\",400000,100000\n2024-01-03 12:00,Home,,\n"
        let path = try write(text)
        let s = try IncidentSchema.parse("date = when\ncategory = category\neasting = e\nnorthing = n", origin: "t.schema")
        let d = try DatedChunkWaves.read(path: path, schema: s, lenient: true, blockSize: 1000, workers: 2)
        #expect(d.count == 3 && d.category.label(1) == long.trimmingCharacters(in: .whitespaces))
        // Line numbers count the field's 400 line breaks: the third row starts on line 3 + 400 + 1.
        #expect(d.line == [2, 3, 404])
        #expect(chunkedMismatches(path, s, blockSizes: [100, 1000, 3000]).isEmpty)
    }
}
