/// How units are ranked before the top share is taken.
public enum ConcentrationRanking: Sendable, Equatable {
    /// By incident count, largest first.
    case count
    /// By incidents per unit of `denominator` (population, area, …), largest first; every
    /// denominator must be positive.
    case rate(denominator: [Double])
}

/// Why a concentration share could not be computed from the data. Each case reads as a sentence.
public enum IncidentConcentrationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No units at all.
    case noUnits
    /// A count that is negative or not finite (0-based unit).
    case invalidCount(unit: Int, value: Double)
    /// A rate denominator that is zero, negative or not finite (0-based unit).
    case invalidDenominator(unit: Int, value: Double)
    /// All counts are zero: there is nothing to be concentrated.
    case noIncidents

    public var description: String {
        switch self {
        case .noUnits: return "there are no units to rank"
        case .invalidCount(let u, let v): return "unit \(u + 1): count \(v.shortDescription) is not a non-negative number"
        case .invalidDenominator(let u, let v): return "unit \(u + 1): denominator \(v.shortDescription) is not a positive number"
        case .noIncidents: return "every unit has zero incidents: the share of incidents is undefined"
        }
    }
}

/// The share of all incidents that falls in the top `fraction` of units.
public struct ConcentrationShare: Sendable, Equatable {
    /// The fraction of units asked for (0.01 = top 1 %).
    public let fraction: Double
    /// fraction × N: the number of units included (may be fractional, see `IncidentConcentration`).
    public let unitsIncluded: Double
    /// Number of units ranked.
    public let unitCount: Int
    /// Incidents in the included units (the boundary tie group counted fractionally).
    public let incidents: Double
    /// Incidents in all units.
    public let totalIncidents: Double
    /// incidents / totalIncidents.
    public let share: Double
    /// share / fraction: how many times its fair share the top takes (1 = no concentration).
    public var concentrationRatio: Double { share / fraction }
}

/// Grid concentration: the share of incidents in the top 1 % and 5 % of the study area's cells.
public struct AreaConcentration: Sendable, Equatable {
    /// Top 1 % of cells (= of area, the cells being equal).
    public let top1Percent: ConcentrationShare
    /// Top 5 % of cells.
    public let top5Percent: ConcentrationShare
}

/// How concentrated incidents are in place (the "law of crime concentration", Weisburd 2015,
/// Criminology 53(2), 133–157: about 50 % of crime in 2–6 % of street segments):
/// ```
/// rank units by key k_u descending (count, or count/denominator);  K = f·N units are included
/// group units with equal k into tie groups G_1, G_2, … in rank order
/// full groups while Σ|G| ≤ K are included whole; the boundary group G_b with r = K − (units before
/// it) remaining is included at r/|G_b| of each member
/// incidents(f) = Σ_{u in full groups} c_u + (r/|G_b|) Σ_{u ∈ G_b} c_u,     share = incidents / Σ_u c_u
/// ```
/// f·N within 1e-9 (relative) of a whole number is taken as that number (binary rounding of f).
/// Ties at the cut: exactly f·N units of area are included (the boundary is fractional), and tied
/// units share the boundary equally, so the result does not depend on how ties happen to be ordered.
/// Ranking by count, tied units have equal counts and this is the same as including the boundary
/// unit fractionally. Ranking by rate, tied units may have different counts; each gets the same
/// fraction.
///
/// Grid cells are equal in area, so the top 1 % of cells is the top 1 % of area; pass only the cells
/// inside the study area (zero-count cells included). LSOAs differ in area, so "top 10 % of LSOAs"
/// is by number of LSOAs, ranked by count or by rate.
///
/// Complexity: O(N log N) (a sort).
public enum IncidentConcentration {
    /// The share of incidents in the top `fraction` of units ranked by `ranking`.
    /// Precondition: 0 < fraction ≤ 1; a rate denominator has one entry per count.
    public static func topShare(counts: [Double], fraction: Double,
                                ranking: ConcentrationRanking = .count) throws(IncidentConcentrationError) -> ConcentrationShare {
        precondition(fraction > 0 && fraction <= 1, "IncidentConcentration: the fraction must be in (0, 1], got \(fraction)")
        let n = counts.count
        guard n > 0 else { throw .noUnits }
        var total = 0.0
        for (u, c) in counts.enumerated() {
            guard c.isFinite, c >= 0 else { throw .invalidCount(unit: u, value: c) }
            total += c
        }
        var key = counts
        if case .rate(let d) = ranking {
            precondition(d.count == n, "IncidentConcentration: \(d.count) denominators for \(n) counts")
            for (u, v) in d.enumerated() {
                guard v.isFinite, v > 0 else { throw .invalidDenominator(unit: u, value: v) }
                key[u] = counts[u] / v
            }
        }
        guard total > 0 else { throw .noIncidents }
        let order = (0 ..< n).sorted { key[$0] > key[$1] }
        // f·N within 1e-9 of a whole number is that number (0.07 × 100 = 7.000000000000001 in binary):
        // otherwise a sliver of the next tie group would be taken in.
        var k = fraction * Double(n)
        if abs(k - k.rounded()) <= 1e-9 * max(1, k) { k = k.rounded() }
        var taken = 0.0, incidents = 0.0
        var i = 0
        while i < n, taken < k {
            var j = i + 1
            var groupSum = counts[order[i]]
            while j < n, key[order[j]] == key[order[i]] { groupSum += counts[order[j]]; j += 1 }
            let size = Double(j - i)
            let use = min(size, k - taken)
            incidents += groupSum * (use / size)
            taken += use
            i = j
        }
        return ConcentrationShare(fraction: fraction, unitsIncluded: k, unitCount: n, incidents: incidents,
                                  totalIncidents: total, share: incidents / total)
    }

    /// The top 1 % and top 5 % of equal-area grid cells by count.
    public static func area(cellCounts: [Double]) throws(IncidentConcentrationError) -> AreaConcentration {
        AreaConcentration(top1Percent: try topShare(counts: cellCounts, fraction: 0.01),
                          top5Percent: try topShare(counts: cellCounts, fraction: 0.05))
    }

    /// The top `fraction` (default 10 %) of LSOAs, by number of LSOAs, ranked by count or rate.
    public static func lsoa(counts: [Double], ranking: ConcentrationRanking = .count,
                            fraction: Double = 0.10) throws(IncidentConcentrationError) -> ConcentrationShare {
        try topShare(counts: counts, fraction: fraction, ranking: ranking)
    }
}
