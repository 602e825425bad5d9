import PlaceRiskCore

/// A label with its number of rows (an unmatched place, a merged LSOA code, …) and its first file line.
public struct LabelRows: Sendable, Equatable {
    public var label: String
    public var rows: Int
    public var firstLine: Int
}

/// What the "where" steps after reading did to a dated source: free-text places through the gazetteer,
/// LSOA codes through the 2011 ↔ 2021 lookup. The skipped rows are in the ledger under their reasons;
/// the lists here are complete (the ledger's examples carry the largest few).
public struct PlaceResolutionReport: Sendable, Equatable {
    /// The gazetteer read (nil: the source has no `place` column).
    public var gazetteer: String?
    /// Rows whose place matched exactly, once normalised, once abbreviations were read as one.
    public var exactRows = 0, normalisedRows = 0, abbreviatedRows = 0
    /// Rows with an empty place (kept, with no location).
    public var emptyPlaceRows = 0
    /// Places not in the gazetteer / matching several of its places, most rows first.
    public var notInGazetteer: [LabelRows] = []
    public var ambiguous: [LabelRows] = []
    /// The lookup read and the vintage applied (nil: codes kept as given).
    public var lookup: String?
    public var vintage: LSOAVintage?
    /// Rows whose code was kept as a 2011 code; 2021 codes unchanged in 2011; 2021 parts of a split
    /// mapped to their 2011 parent.
    public var lsoaKept2011Rows = 0, lsoaUnchangedRows = 0, lsoaSplitPartRows = 0
    /// 2021 codes with no single 2011 code (merged, irregular) and codes the lookup lacks, most rows first.
    public var lsoaMerged: [LabelRows] = []
    public var lsoaIrregular: [LabelRows] = []
    public var lsoaNotInLookup: [LabelRows] = []
    public init() {}
}

/// The "where" steps after the rows are read (`DatedIncidentLoader.read` calls it last):
/// 1. a `place` column: each distinct text matched once against the gazetteer (`Gazetteer.match`); a
///    match gives the row the entry's point (unless the row is home-located) and/or LSOA code; an empty
///    place leaves the row without a location (kept, as a row with empty coordinates); a place not in
///    the gazetteer → `place_not_in_gazetteer`, an ambiguous one → `place_ambiguous_in_gazetteer`;
/// 2. an LSOA vintage (`lsoa_vintage`, or `mixed` when only a lookup is given): 2021 codes mapped to
///    2011 codes by `LSOAVintageLookup` (merged → `lsoa_2021_merged_no_single_2011`, irregular →
///    `lsoa_2021_irregular_no_single_2011`, unknown → `lsoa_not_in_lookup`).
/// Skipped rows leave the source (the ledger un-uses them with their reason); in strict mode the first
/// one is an error. The ledger's examples name the largest five labels of each reason with their rows.
enum DatedPlaceResolution {
    static let examplesPerReason = 5

    static func apply(to d: inout DatedIncidents, lenient: Bool) throws(CSVError) {
        let s = d.schema, path = d.path
        guard s.columns[.place] != nil || s.lsoaVintage != nil || s.lsoaLookupPath != nil else { return }
        var drop = [SkipReason?](repeating: nil, count: d.count)
        var report = PlaceResolutionReport()
        var pending: [(reason: SkipReason, groups: [LabelRows], text: (LabelRows) -> String)] = []
        if s.columns[.place] != nil {
            guard let gp = s.gazetteerPath else {
                throw CSVError(.io("schema '\(s.name)' has a place column but no gazetteer: give gazetteer = FILE in the schema or --gazetteer FILE"), file: d.path, line: 0, column: 0)
            }
            let g = try Gazetteer.load(path: gp)
            report.gazetteer = gp
            let labels = d.place.labels
            let matches = labels.map { g.match($0) }
            var lsoa = CodedColumn()
            var unmatched: [Int32: LabelRows] = [:], ambiguous: [Int32: LabelRows] = [:]
            for i in 0 ..< d.count {
                let c = d.place.codes[i]
                var entry: Int?
                switch matches[Int(c)] {
                case .exact(let e): entry = e; report.exactRows += 1
                case .normalised(let e): entry = e; report.normalisedRows += 1
                case .abbreviated(let e): entry = e; report.abbreviatedRows += 1
                case .ambiguous:
                    drop[i] = .placeAmbiguous
                    ambiguous[c, default: LabelRows(label: labels[Int(c)], rows: 0, firstLine: Int(d.line[i]))].rows += 1
                case .none:
                    if Substring(labels[Int(c)]).trimmingASCIISpaces().isEmpty { report.emptyPlaceRows += 1 } else {
                        drop[i] = .placeNotInGazetteer
                        unmatched[c, default: LabelRows(label: labels[Int(c)], rows: 0, firstLine: Int(d.line[i]))].rows += 1
                    }
                }
                if !lenient, drop[i] != nil {
                    throw CSVError(.io("\(d.path):\(d.line[i]): place '\(labels[Int(c)])' \(drop[i] == .placeAmbiguous ? "matches several places of" : "is not in") the gazetteer \(gp)"), file: d.path, line: 0, column: 0)
                }
                var code = ""
                if let e = entry {
                    let p = g.places[e]
                    if p.hasPoint, d.location[i] != .home { d.x[i] = p.x; d.y[i] = p.y; d.location[i] = .point }
                    code = p.lsoa
                }
                if g.givesLSOAs { lsoa.append(code) }
            }
            if g.givesLSOAs { d.lsoaCode = lsoa }
            report.notInGazetteer = ordered(unmatched)
            report.ambiguous = ordered(ambiguous)
            pending.append((.placeNotInGazetteer, report.notInGazetteer, { "\(path): place '\($0.label)' is not in the gazetteer \(gp) (\($0.rows) row\($0.rows == 1 ? "" : "s"), first on line \($0.firstLine))" }))
            pending.append((.placeAmbiguous, report.ambiguous, { l in
                guard case .ambiguous(let es) = g.match(l.label) else { return "" }
                let which = es.map { "'\(g.names[$0])' (line \(g.lines[$0]))" }.joined(separator: ", ")
                return "\(path):\(l.firstLine): place '\(l.label)' matches \(es.count) gazetteer places once abbreviations are read as one: \(which) (\(l.rows) row\(l.rows == 1 ? "" : "s"))"
            }))
        }
        let vintage = s.lsoaVintage ?? (s.lsoaLookupPath != nil ? .mixed : nil)
        if let vintage {
            report.vintage = vintage
            if let lp = s.lsoaLookupPath {
                let lookup = try LSOAVintageLookup.load(path: lp)
                report.lookup = lp
                try mapVintage(&d, vintage, lookup, &drop, &report, &pending, lenient)
            } else if vintage != .v2011 {
                throw CSVError(.io("schema '\(s.name)' says lsoa_vintage = \(vintage.rawValue) but gives no lookup: give lsoa_lookup = FILE in the schema or --lsoa-lookup FILE (the ONS 'LSOA (2011) to LSOA (2021) to Local Authority District (2022) Lookup')"), file: d.path, line: 0, column: 0)
            }
        }
        d.placeResolution = report
        guard drop.contains(where: { $0 != nil }) else { return }
        d.keepRows(drop.map { $0 == nil })
        for p in pending {
            for (k, l) in p.groups.enumerated() {
                d.accounting.unuse(l.rows, because: p.reason, example: k < examplesPerReason ? p.text(l) : nil)
            }
        }
    }

    static func ordered(_ m: [Int32: LabelRows]) -> [LabelRows] {
        m.values.sorted { $0.rows != $1.rows ? $0.rows > $1.rows : $0.firstLine < $1.firstLine }
    }

    static func mapVintage(_ d: inout DatedIncidents, _ vintage: LSOAVintage, _ lookup: LSOAVintageLookup, _ drop: inout [SkipReason?],
                           _ report: inout PlaceResolutionReport,
                           _ pending: inout [(reason: SkipReason, groups: [LabelRows], text: (LabelRows) -> String)], _ lenient: Bool) throws(CSVError) {
        guard !d.lsoaCode.isEmpty else { return }
        enum Outcome { case keep, unchanged, splitPart(String), skip(SkipReason) }
        let labels = d.lsoaCode.labels
        let outcomes: [Outcome] = labels.map { code in
            if code.isEmpty { return .keep }
            if vintage != .v2021, lookup.codes2011.contains(code) { return .keep }
            if vintage == .v2011 { return .skip(.lsoaNotInLookup) }
            switch lookup.mapping(of2021: code) {
            case nil: return .skip(.lsoaNotInLookup)
            case .one(let c, _)? where c == code: return .unchanged
            case .one(let c, _)?: return .splitPart(c)
            case .merged?: return .skip(.lsoaMerged)
            case .irregular?: return .skip(.lsoaIrregular)
            }
        }
        var groups: [SkipReason: [Int32: LabelRows]] = [:]
        var out = CodedColumn()
        for i in 0 ..< d.count {
            let c = d.lsoaCode.codes[i]
            var code = labels[Int(c)]
            switch outcomes[Int(c)] {
            case .keep: if !code.isEmpty { report.lsoaKept2011Rows += 1 }
            case .unchanged: report.lsoaUnchangedRows += 1
            case .splitPart(let parent): report.lsoaSplitPartRows += 1; code = parent
            case .skip(let reason):
                if drop[i] == nil {
                    drop[i] = reason
                    groups[reason, default: [:]][c, default: LabelRows(label: code, rows: 0, firstLine: Int(d.line[i]))].rows += 1
                    if !lenient { throw CSVError(.io(text(reason, LabelRows(label: code, rows: 1, firstLine: Int(d.line[i])), d.path, vintage, lookup)), file: d.path, line: 0, column: 0) }
                }
            }
            out.append(code)
        }
        d.lsoaCode = out
        report.lsoaMerged = ordered(groups[.lsoaMerged] ?? [:])
        report.lsoaIrregular = ordered(groups[.lsoaIrregular] ?? [:])
        report.lsoaNotInLookup = ordered(groups[.lsoaNotInLookup] ?? [:])
        let path = d.path
        for (reason, list) in [(SkipReason.lsoaMerged, report.lsoaMerged), (.lsoaIrregular, report.lsoaIrregular), (.lsoaNotInLookup, report.lsoaNotInLookup)] where !list.isEmpty {
            pending.append((reason, list, { text(reason, $0, path, vintage, lookup) }))
        }
    }

    static func text(_ reason: SkipReason, _ l: LabelRows, _ path: String, _ vintage: LSOAVintage, _ lookup: LSOAVintageLookup) -> String {
        let rows = "\(l.rows) row\(l.rows == 1 ? "" : "s")"
        switch (reason, lookup.mapping(of2021: l.label)) {
        case (.lsoaMerged, .merged(let parents)?):
            return "\(path):\(l.firstLine): LSOA 2021 code \(l.label) was formed by merging the 2011 LSOAs \(parents.joined(separator: ", ")): no single 2011 code (\(rows))"
        case (.lsoaIrregular, .irregular(let parents)?):
            return "\(path):\(l.firstLine): LSOA 2021 code \(l.label) has an irregular relation to the 2011 LSOAs \(parents.joined(separator: ", ")): no single 2011 code (\(rows))"
        default:
            let which = vintage == .v2011 ? "as a 2011 code" : (vintage == .v2021 ? "as a 2021 code" : "as a 2011 or 2021 code")
            return "\(path):\(l.firstLine): LSOA code \(l.label) is not in the lookup \(lookup.path) \(which) (\(rows))"
        }
    }
}

extension PlaceResolutionReport {
    /// The report for the ledger JSON (nil when neither a gazetteer nor a vintage was applied).
    public var json: JSONValue? {
        guard gazetteer != nil || vintage != nil else { return nil }
        func list(_ l: [LabelRows]) -> JSONValue { .array(l.map { .object([("label", .string($0.label)), ("rows", .int($0.rows)), ("first_line", .int($0.firstLine))]) }) }
        var f: [(String, JSONValue)] = []
        if let g = gazetteer {
            f.append(("gazetteer", .object([
                ("file", .string(g)),
                ("matching", .string("exact, then normalised (case, spaces, punctuation, & = and, apostrophes dropped), then abbreviated (street/st, saint/st, road/rd, …); names equal once normalised must give one place")),
                ("rows_exact", .int(exactRows)), ("rows_normalised", .int(normalisedRows)), ("rows_abbreviated", .int(abbreviatedRows)),
                ("rows_empty_place", .int(emptyPlaceRows)),
                ("place_not_in_gazetteer", list(notInGazetteer)), ("place_ambiguous_in_gazetteer", list(ambiguous)),
            ])))
        }
        if let v = vintage {
            f.append(("lsoa_vintage", .object([
                ("vintage", .string(v.rawValue)), ("lookup", lookup.map { .string($0) } ?? .null),
                ("rule", .string("2021 codes mapped to the 2011 codes of IMD 2019 and the 2011 boundaries: unchanged and split parts 1:1 (a split's parts to their 2011 parent); merged and irregular codes have no single 2011 code and are skipped")),
                ("rows_kept_2011", .int(lsoaKept2011Rows)), ("rows_2021_unchanged", .int(lsoaUnchangedRows)), ("rows_2021_split_part_to_parent", .int(lsoaSplitPartRows)),
                ("lsoa_2021_merged_no_single_2011", list(lsoaMerged)), ("lsoa_2021_irregular_no_single_2011", list(lsoaIrregular)),
                ("lsoa_not_in_lookup", list(lsoaNotInLookup)),
            ])))
        }
        return .object(f)
    }
}
