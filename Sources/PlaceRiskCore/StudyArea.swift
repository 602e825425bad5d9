/// LSOA → local authority district membership (from the IMD 2019 files, which give each 2011
/// LSOA's 2019 district).
public struct DistrictLookup: Sendable {
    /// District code per LSOA code.
    public let districtOfLSOA: [String: String]
    /// District name per district code.
    public let districtNames: [String: String]

    public init(districtOfLSOA: [String: String], districtNames: [String: String]) {
        self.districtOfLSOA = districtOfLSOA
        self.districtNames = districtNames
    }

    /// Number of LSOAs per district.
    public var lsoaCountByDistrict: [String: Int] {
        var c: [String: Int] = [:]
        for d in districtOfLSOA.values { c[d, default: 0] += 1 }
        return c
    }
}

/// The study area of an LSOA-level analysis (conventions §8).
///
/// police.uk files carry a few incidents in LSOAs far outside the force. Rule: keep the local
/// authority districts in which the data touch at least `threshold` (default ½) of the LSOAs,
/// and **all** LSOAs of those districts (zero counts where no incident occurs). Core districts
/// are touched at ~100 %, stray ones at ≤ 13 % in Devon & Cornwall, so the rule is not sensitive
/// to the threshold. Codes absent from the lookup (LSOA 2021 codes, Wales) are reported, not guessed.
public struct StudyArea: Sendable {
    public struct DistrictCoverage: Sendable, Equatable {
        public let code: String
        public let name: String
        public let lsoasTouched: Int
        public let lsoasTotal: Int
        public var share: Double { Double(lsoasTouched) / Double(lsoasTotal) }
        public let included: Bool
    }

    /// Included district codes, sorted.
    public let districts: [String]
    /// Every LSOA of the included districts, sorted.
    public let lsoaCodes: [String]
    /// Every district the data touch, with its coverage and verdict (sorted by share, descending).
    public let coverage: [DistrictCoverage]
    /// Touched LSOA codes that are not in the lookup.
    public let unknownCodes: [String]
    public let threshold: Double

    private let member: Set<String>

    public func contains(lsoa code: String) -> Bool { member.contains(code) }

    /// Applies the rule to the LSOA codes that occur in the data; `districts` (codes) replaces the rule
    /// by an explicit choice (coverage is still reported, and untouched chosen districts are included).
    public init(touched: some Sequence<String>, lookup: DistrictLookup, threshold: Double = 0.5, districts explicit: Set<String>? = nil) {
        precondition(threshold > 0 && threshold <= 1, "StudyArea: threshold must be in (0, 1]")
        self.threshold = threshold
        let totals = lookup.lsoaCountByDistrict
        var touchedBy: [String: Int] = [:]
        var unknown = Set<String>()
        for code in Set(touched) {
            if let d = lookup.districtOfLSOA[code] { touchedBy[d, default: 0] += 1 } else { unknown.insert(code) }
        }
        var cov: [DistrictCoverage] = []
        for (d, t) in touchedBy {
            let total = totals[d] ?? t
            cov.append(DistrictCoverage(code: d, name: lookup.districtNames[d] ?? d, lsoasTouched: t, lsoasTotal: total,
                                        included: explicit?.contains(d) ?? (Double(t) >= threshold * Double(total))))
        }
        cov.sort { $0.share != $1.share ? $0.share > $1.share : $0.code < $1.code }
        coverage = cov
        let inc = explicit ?? Set(cov.filter(\.included).map(\.code))
        districts = inc.sorted()
        let codes = lookup.districtOfLSOA.compactMap { inc.contains($0.value) ? $0.key : nil }.sorted()
        lsoaCodes = codes
        member = Set(codes)
        unknownCodes = unknown.sorted()
    }
}
