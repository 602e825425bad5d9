import PlaceRiskCore

/// Which LSOA codes a dated source's `lsoa` column (or its gazetteer) holds (`lsoa_vintage = …`).
public enum LSOAVintage: String, Sendable, CaseIterable {
    /// 2011 codes: kept (with a lookup, codes it does not list as 2011 codes are counted and skipped).
    case v2011 = "2011"
    /// 2021 codes: each mapped to the 2011 code the analyses use (IMD 2019, the 2011 boundaries).
    case v2021 = "2021"
    /// Either (police.uk moved from 2011 to 2021 codes during 2022): a code the lookup lists as a 2011
    /// code is kept, any other is read as a 2021 code and mapped. The default when a lookup is given
    /// without a vintage.
    case mixed
}

/// The ONS LSOA 2011 ↔ 2021 lookup, read to map 2021 codes back to 2011 codes.
///
/// File: ONS "LSOA (2011) to LSOA (2021) to Local Authority District (2022) Lookup for England and
/// Wales" (the exact-fit lookup, Open Geography Portal; header `LSOA11CD,LSOA11NM,LSOA21CD,LSOA21NM,
/// CHGIND,LAD22CD,LAD22NM,LAD22NMW,ObjectId`; version 2 puts `CHGIND` after `LSOA11NM`),
/// or any CSV with `LSOA11CD` and `LSOA21CD` columns (found by name, ignoring case) and optionally
/// `CHGIND` (also `CHNGIND`). ONS change indicators: U unchanged; S a 2011 LSOA split into two or
/// more 2021 LSOAs (one row per 2021 part); M two or more 2011 LSOAs merged into one 2021 LSOA (one row
/// per 2011 part); X an irregular, fragmented relation.
///
/// A 2021 code maps back to 2011 as follows:
/// - one 2011 partner, indicator U or S (or none given): that 2011 code — a split's every part maps
///   1:1 to its parent, so counts on the parts add up to the parent's;
/// - several 2011 partners (indicator M, or no indicator and every partner belongs to this code
///   alone): **no single 2011 code**: the row is skipped as `lsoa_2021_merged_no_single_2011`. Counts
///   are not split by weight (no population weights here to do it honestly);
/// - indicator X, or no indicator and a partner that also belongs to other 2021 codes: skipped as
///   `lsoa_2021_irregular_no_single_2011`;
/// - not in the file: `lsoa_not_in_lookup`.
/// The file's own contradictions (an M code with one partner, a U or S code with several, an unknown
/// indicator, a code that is not an LSOA code) are whole-file errors with file:line:column.
public struct LSOAVintageLookup: Sendable {
    /// How a 2021 code maps back.
    public enum Mapping: Sendable, Equatable {
        /// One 2011 code; `split` when the 2011 LSOA was split (the code differs), else unchanged.
        case one(String, split: Bool)
        /// Formed from several 2011 LSOAs (sorted).
        case merged([String])
        /// An irregular relation with these 2011 LSOAs (sorted).
        case irregular([String])
    }

    public let path: String
    /// Every 2011 code the file lists.
    public private(set) var codes2011: Set<String> = []
    var of2021: [String: Mapping] = [:]
    /// Whether the file had a change-indicator column.
    public private(set) var hasChangeIndicator = false

    /// The 2011 mapping of a 2021 code (nil: not in the file).
    public func mapping(of2021 code: String) -> Mapping? { of2021[code] }
    public var count2021: Int { of2021.count }

    public static func load(path: String) throws(CSVError) -> LSOAVintageLookup {
        var r = try CSVReader(path: path)
        guard try r.next() else { throw CSVError(.empty, file: path, line: 1, column: 1) }
        var header = r.fields
        if let f = header.first, f.hasPrefix("\u{FEFF}") { header[0] = String(f.dropFirst()) }
        let lower = header.map { Substring($0).trimmingASCIISpaces().lowercased() }
        guard let c11 = lower.firstIndex(of: "lsoa11cd") else { throw CSVError(.missingColumnAmong("LSOA11CD", found: header), file: path, line: 1, column: 1) }
        guard let c21 = lower.firstIndex(of: "lsoa21cd") else { throw CSVError(.missingColumnAmong("LSOA21CD", found: header), file: path, line: 1, column: 1) }
        let cChange = lower.firstIndex(of: "chgind") ?? lower.firstIndex(of: "chngind")
        var out = LSOAVintageLookup(path: path)
        out.hasChangeIndicator = cChange != nil
        struct Group { var parents: [String] = []; var change: Character?; var line = 0 }
        var groups: [String: Group] = [:]
        var childrenOf: [String: Set<String>] = [:]
        while try r.next() {
            try r.requireFieldCount(header.count)
            func code(_ c: Int) throws(CSVError) -> String {
                guard case .valid(let v) = r.withField(c, { LSOACode.read($0) }) else {
                    throw CSVError(.badValue(column: header[c], value: r.string(c), expected: "an LSOA code (E01/W01 and six digits)"), file: path, line: r.recordLine, column: r.column(ofField: c))
                }
                return v
            }
            let a = try code(c11), b = try code(c21)
            var g = groups[b] ?? Group()
            if g.line == 0 { g.line = r.recordLine }
            if !g.parents.contains(a) { g.parents.append(a) }
            if let cc = cChange {
                let v = Substring(r.string(cc)).trimmingASCIISpaces().uppercased()
                guard v.count == 1, let ch = v.first, "USMX".contains(ch) else {
                    throw CSVError(.badValue(column: header[cc], value: r.string(cc), expected: "an ONS change indicator (U, S, M or X)"), file: path, line: r.recordLine, column: r.column(ofField: cc))
                }
                // X wins over any other indicator of the same 2021 code.
                if g.change == nil || ch == "X" { g.change = ch }
            }
            groups[b] = g
            out.codes2011.insert(a)
            childrenOf[a, default: []].insert(b)
        }
        for (c21code, g) in groups {
            let parents = g.parents.sorted()
            func contradiction(_ why: String) -> CSVError { CSVError(.io("LSOA 2021 code \(c21code) \(why)"), file: path, line: g.line, column: 1) }
            switch g.change {
            case "X"?: out.of2021[c21code] = .irregular(parents)
            case "M"?:
                guard parents.count > 1 else { throw contradiction("is marked M (merged) but has one 2011 code (\(parents[0])); is the lookup complete?") }
                out.of2021[c21code] = .merged(parents)
            case "U"?, "S"?:
                guard parents.count == 1 else { throw contradiction("is marked \(g.change!) but has \(parents.count) 2011 codes (\(parents.joined(separator: ", ")))") }
                out.of2021[c21code] = .one(parents[0], split: g.change == "S")
            default:
                if parents.count == 1 { out.of2021[c21code] = .one(parents[0], split: parents[0] != c21code) }
                else if parents.allSatisfy({ childrenOf[$0] == [c21code] }) { out.of2021[c21code] = .merged(parents) }
                else { out.of2021[c21code] = .irregular(parents) }
            }
        }
        guard !out.of2021.isEmpty else { throw CSVError(.io("the LSOA lookup has no rows"), file: path, line: 0, column: 0) }
        return out
    }

    init(path: String) { self.path = path }
}
