import PlaceRiskCore

/// Incident rows joined to the study area's LSOAs for the deprivation analysis: the rows of the analysed
/// crime types in the analysed months, counted per LSOA, and every selected row that does not join
/// counted by its reason (conventions §7–§8), in this order: no LSOA code; a code outside England (W01…
/// Welsh LSOAs, which IMD 2019 does not rank); a code not in the LSOA 2011 set (e.g. a 2021 code: not in
/// the IMD files and not in the study-area lookup); any other LSOA outside the study area.
public struct IncidentLSOAJoin: Sendable {
    /// The count of joined rows per unit, in the order of `units`.
    public let counts: [Double]
    /// Rows of the analysed types in the analysed months.
    public let selected: Int
    public let joined: Int
    public let noLSOACode: Int
    public let outsideEngland: Int
    public let notInLSOA2011Set: Int
    public let outsideStudyArea: Int

    /// Joins the rows of `types` in `months` of `t` to `units`; `unknownCodes` are the codes the
    /// study-area lookup did not know (`StudyArea.unknownCodes`), `imd` tells which codes are 2011 LSOAs.
    public init(_ t: IncidentTable, types: Set<CrimeType>, months: MonthRange, units: [String], imd: IMDTable, unknownCodes: [String]) {
        let pos = Dictionary(units.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let unknown = Set(unknownCodes)
        // Per distinct LSOA code of the table: the unit it joins (≥ 0) or its reason (−1 … −3).
        let outcome: [Int] = t.lsoaCodes.map { c in
            if let u = pos[c] { return u }
            if !c.hasPrefix("E") { return -1 }
            if imd.row(of: c) == nil && unknown.contains(c) { return -2 }
            return -3
        }
        var counts = [Double](repeating: 0, count: units.count)
        var selected = 0, noCode = 0, outsideEngland = 0, notIn2011 = 0, outsideArea = 0
        let wanted = t.crimeTypes.map { types.contains($0) }
        for i in 0 ..< t.count where wanted[Int(t.crimeTypeID[i])] {
            guard months.offset(ofIndex: Int(t.monthIndex[i])) != nil else { continue }
            selected += 1
            let l = t.lsoaID[i]
            guard l >= 0, !t.lsoaCodes[Int(l)].isEmpty else { noCode += 1; continue }
            switch outcome[Int(l)] {
            case -1: outsideEngland += 1
            case -2: notIn2011 += 1
            case -3: outsideArea += 1
            case let u: counts[u] += 1
            }
        }
        self.counts = counts
        self.selected = selected
        joined = selected - noCode - outsideEngland - notIn2011 - outsideArea
        noLSOACode = noCode
        self.outsideEngland = outsideEngland
        notInLSOA2011Set = notIn2011
        outsideStudyArea = outsideArea
    }

    /// `{"selected", "joined", "no_lsoa_code", "outside_england", "not_in_lsoa_2011_set", "outside_study_area"}`.
    public var json: JSONValue {
        .object([
            ("selected", .int(selected)), ("joined", .int(joined)), ("no_lsoa_code", .int(noLSOACode)),
            ("outside_england", .int(outsideEngland)), ("not_in_lsoa_2011_set", .int(notInLSOA2011Set)),
            ("outside_study_area", .int(outsideStudyArea)),
        ])
    }

    /// The join in one plain sentence.
    public var sentence: String {
        "\(grouped(selected)) selected rows: \(grouped(joined)) joined to the study area's LSOAs; not joined: \(grouped(noLSOACode)) without an LSOA code, \(grouped(outsideEngland)) outside England, \(grouped(notInLSOA2011Set)) with a code not in the LSOA 2011 set (e.g. 2021 codes), \(grouped(outsideStudyArea)) in LSOAs outside the study area"
    }
}

/// Study-area LSOAs joined to IMD 2019 rows with a population (rates need one): which units are kept,
/// their IMD rows, and the units left out by reason.
public struct IMDUnitJoin: Sendable {
    /// Indices into the units given, of the units kept (ascending).
    public let kept: [Int]
    /// The IMD row of each kept unit.
    public let rows: [Int]
    public let unitCount: Int
    public let noIMDRow: [String]
    public let noPopulation: [String]

    public init(units: [String], imd: IMDTable) {
        var kept: [Int] = [], rows: [Int] = [], noIMD: [String] = [], noPop: [String] = []
        for (u, c) in units.enumerated() {
            guard let r = imd.row(of: c) else { noIMD.append(c); continue }
            guard imd.populations[r].isFinite, imd.populations[r] > 0 else { noPop.append(c); continue }
            kept.append(u); rows.append(r)
        }
        self.kept = kept
        self.rows = rows
        unitCount = units.count
        noIMDRow = noIMD
        noPopulation = noPop
    }

    /// `{"study_area_lsoas", "matched_imd", "no_imd_row": {count, examples}, "no_population": {…}}`.
    public var json: JSONValue {
        func list(_ c: [String]) -> JSONValue { .object([("count", .int(c.count)), ("examples", .array(c.prefix(10).map { .string($0) }))]) }
        return .object([
            ("study_area_lsoas", .int(unitCount)), ("matched_imd", .int(kept.count)),
            ("no_imd_row", list(noIMDRow)), ("no_population", list(noPopulation)),
        ])
    }

    public var sentence: String {
        "\(grouped(unitCount)) study-area LSOAs: \(grouped(kept.count)) matched IMD 2019 with a population; \(noIMDRow.count) without an IMD row, \(noPopulation.count) without a population"
    }
}

extension IMDTable {
    /// Every deprivation measure `deprivationMeasures` knows, in the documented order (IMD excluding
    /// crime first: the headline that avoids correlating crime with itself).
    public static let deprivationMeasureNames = ["imd_excluding_crime", "imd", "income", "employment", "education", "health", "crime", "barriers", "living_environment"]

    /// The deprivation measures `names` (higher = more deprived) of the IMD rows `rows`, each with its
    /// deciles and a sentence saying what it is. A published score is used when every row has one; else
    /// the rank oriented as 32,845 − rank. `imd_excluding_crime` is rebuilt from the six non-crime domain
    /// ranks (`IMDComposite`, weights w / 0.907), its deciles national over the table's LSOAs
    /// (`Deciles.byRank`). Unknown names are skipped.
    public func deprivationMeasures(rows: [Int], names: [String]) -> [DomainCorrelation.Measure] {
        let N = Double(IMDComposite.englandLSOACount)
        func oriented(_ ranks: [Int]) -> [Double] { rows.map { ranks[$0] > 0 ? N + 1 - Double(ranks[$0]) : .nan } }
        let rankMeaning = "rank oriented as 32,845 − rank (higher = more deprived; no score published in these files)"
        var out: [DomainCorrelation.Measure] = []
        for d in names {
            switch d {
            case "imd_excluding_crime":
                let all = rebuiltScores(weights: .excludingCrime)
                let dec = Deciles.byRank(all)
                out.append(.init(name: d, values: rows.map { all[$0] }, deciles: rows.map { dec[$0] },
                                 meaning: "IMD rebuilt from the six non-crime domain ranks (exponential transform, weights w/0.907); deciles \(count == IMDComposite.englandLSOACount ? "national" : "within the \(count) LSOAs of the IMD files")"))
            case "imd":
                let scores = rows.map { imdScores[$0] }
                let useScore = scores.allSatisfy(\.isFinite)
                out.append(.init(name: d, values: useScore ? scores : oriented(imdRanks), deciles: rows.map { imdDeciles[$0] },
                                 meaning: useScore ? "IMD score (published)" : rankMeaning))
            default:
                guard let dom = IMDComposite.Domain(rawValue: d) else { continue }
                let s = rows.map { self.scores(dom)[$0] }
                let useScore = s.allSatisfy(\.isFinite)
                let dec = deciles(dom)
                out.append(.init(name: d, values: useScore ? s : oriented(ranks(dom)), deciles: rows.map { dec[$0] },
                                 meaning: useScore ? "\(dom.officialName) score (published)" : rankMeaning))
            }
        }
        return out
    }
}

/// n with thousands separators (64,715), for sentences.
func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return n < 0 ? "-" + out : out
}
