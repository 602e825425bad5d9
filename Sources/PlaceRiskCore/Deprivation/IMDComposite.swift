/// Rebuilds the English Index of Multiple Deprivation 2019 from its seven domain ranks
/// (conventions §7).
///
/// Source: Ministry of Housing, Communities and Local Government, *The English Indices of
/// Deprivation 2019: Technical report* (McLennan et al., September 2019), chapter 3 "Methods":
/// §3.6 (Stage 5, domain ranks transformed to an exponential distribution) and the next stage
/// (transformed domains combined with weights into the IMD). For each domain d, with N LSOAs and
/// the published rank (1 = most deprived):
/// ```
/// R_d = (N − rank_d + 1) / N                       ∈ (0, 1];  R = 1/N least deprived, R = 1 most deprived
/// X_d = −23 · ln(1 − R_d · (1 − e^(−100/23)))       ∈ (0, 100];  X = 100 for the most deprived
/// IMD = Σ_d w_d · X_d
/// ```
/// with the published weights Income 22.5 %, Employment 22.5 %, Education, Skills and Training
/// 13.5 %, Health Deprivation and Disability 13.5 %, Crime 9.3 %, Barriers to Housing and
/// Services 9.3 %, Living Environment 9.3 %. The transform stretches the deprived end so that a
/// high score on one domain is only partly cancelled by a low score on another.
///
/// The published weights sum to 0.999, not 1 (three domains at 9.3 %): the most deprived LSOA on
/// every domain scores 99.9. They are used as published.
///
/// **Circularity**: the Crime domain is built from recorded crime, so correlating crime with the
/// IMD partly correlates crime with itself. `Weights.excludingCrime` re-weights the other six
/// domains by w_d / 0.907 = w_d / (1 − w_crime) (conventions §7); `Weights.restricted(to:)` applies
/// the same rule to any subset (e.g. Income and Employment alone: 0.225 / 0.451 each). A common
/// factor on all weights changes no rank or correlation.
///
/// Validation: over all 32,844 LSOAs of IoD 2019 File 2, the score rebuilt from the seven domain
/// ranks has Spearman ρ = 0.99999999998 with the published IMD rank, and differs from the published
/// 3-dp IMD score by at most 0.0014 (domain ranks are integers, so tied domain scores lose a little).
public enum IMDComposite {
    /// Number of LSOAs (2011) ranked by IMD 2019 in England: the N of the transform.
    public static let englandLSOACount = 32_844

    /// The seven IMD 2019 domains. Raw values are the snake-case names used in PlaceRisk outputs.
    public enum Domain: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
        case income
        case employment
        case education
        case health
        case crime
        case barriers
        case livingEnvironment = "living_environment"

        /// Position in `allCases` (0 … 6): the index into per-domain flat arrays.
        public var index: Int {
            switch self {
            case .income: return 0
            case .employment: return 1
            case .education: return 2
            case .health: return 3
            case .crime: return 4
            case .barriers: return 5
            case .livingEnvironment: return 6
            }
        }

        /// The domain's name as printed in the official files' headers
        /// (e.g. `Education, Skills and Training`).
        public var officialName: String {
            switch self {
            case .income: return "Income"
            case .employment: return "Employment"
            case .education: return "Education, Skills and Training"
            case .health: return "Health Deprivation and Disability"
            case .crime: return "Crime"
            case .barriers: return "Barriers to Housing and Services"
            case .livingEnvironment: return "Living Environment"
            }
        }

        /// The published IMD 2019 weight of the domain (technical report, chapter 3).
        public var publishedWeight: Double {
            switch self {
            case .income, .employment: return 0.225
            case .education, .health: return 0.135
            case .crime, .barriers, .livingEnvironment: return 0.093
            }
        }

        /// The raw value (`living_environment`, …).
        public var description: String { rawValue }
    }

    /// Domain weights, one per domain in `Domain.allCases` order (a weight of 0 leaves a domain out).
    public struct Weights: Sendable, Equatable {
        /// Weight per domain, indexed by `Domain.index`.
        public let values: [Double]

        /// Weights from a value per domain (missing domains get 0).
        public init(_ byDomain: [Domain: Double]) {
            values = Domain.allCases.map { byDomain[$0] ?? 0 }
        }

        /// The weight of one domain.
        public subscript(domain: Domain) -> Double { values[domain.index] }

        /// The domains with a non-zero weight, in `Domain.allCases` order.
        public var domains: [Domain] { Domain.allCases.filter { values[$0.index] != 0 } }

        /// The published IMD 2019 weights (sum 0.999, as published).
        public static let published = Weights(Dictionary(uniqueKeysWithValues: Domain.allCases.map { ($0, $0.publishedWeight) }))

        /// IMD excluding the Crime domain: the other six published weights divided by 0.907 (= 1 − 0.093).
        public static let excludingCrime = restricted(to: Domain.allCases.filter { $0 != .crime })

        /// The published weights of `domains`, each divided by 1 − (the published weights left out):
        /// w_d / 0.907 without Crime (conventions §7), 0.225 / 0.451 for Income and Employment alone.
        /// Precondition: at least one domain.
        public static func restricted(to domains: some Sequence<Domain>) -> Weights {
            let set = Set(domains)
            precondition(!set.isEmpty, "IMDComposite.Weights.restricted: no domain given")
            let left = Domain.allCases.filter { !set.contains($0) }.reduce(0.0) { $0 + $1.publishedWeight }
            return Weights(Dictionary(uniqueKeysWithValues: set.map { ($0, $0.publishedWeight / (1 - left)) }))
        }
    }

    /// The scaled rank R = (N − rank + 1)/N ∈ (0, 1]: 1 for the most deprived LSOA (rank 1),
    /// 1/N for the least deprived (rank N). Precondition: 1 ≤ rank ≤ count.
    @inlinable
    public static func scaledRank(rank: Int, count: Int = englandLSOACount) -> Double {
        precondition(count >= 1 && rank >= 1 && rank <= count, "IMDComposite: rank \(rank) outside 1…\(count)")
        return Double(count - rank + 1) / Double(count)
    }

    /// The exponential transform of a domain rank: X = −23·ln(1 − R·(1 − e^(−100/23))) with
    /// R = `scaledRank(rank:count:)`. X = 100 for rank 1 (most deprived) and ≈ 23·(1 − e^(−100/23))/N
    /// (≈ 0.0007 for N = 32,844) for rank N. Precondition: 1 ≤ rank ≤ count.
    @inlinable
    public static func exponentialTransform(rank: Int, count: Int = englandLSOACount) -> Double {
        let r = scaledRank(rank: rank, count: count)
        return -23 * log(1 - r * (1 - exp(-100.0 / 23)))
    }

    /// The composite score Σ_d w_d·X_d of one LSOA from its domain ranks (1 = most deprived).
    /// Every domain with a non-zero weight must have a rank (precondition).
    public static func score(domainRanks: [Domain: Int], weights: Weights = .published, count: Int = englandLSOACount) -> Double {
        var s = 0.0
        for d in weights.domains {
            guard let rank = domainRanks[d] else { preconditionFailure("IMDComposite.score: no rank for domain \(d)") }
            s += weights[d] * exponentialTransform(rank: rank, count: count)
        }
        return s
    }

    /// Composite scores of many LSOAs from per-domain rank columns: `ranks[d.index][i]` is the rank
    /// of LSOA i on domain d. A rank of 0 (not available) on a weighted domain gives NaN for that
    /// LSOA. Columns of domains with zero weight may be empty.
    public static func scores(ranks: [[Int]], weights: Weights = .published, count: Int = englandLSOACount) -> [Double] {
        precondition(ranks.count == Domain.allCases.count, "IMDComposite.scores: need one rank column per domain (7)")
        let used = weights.domains
        let n = used.first.map { ranks[$0.index].count } ?? 0
        for d in used { precondition(ranks[d.index].count == n, "IMDComposite.scores: rank columns differ in length") }
        // The transform depends on the rank only: tabulate it once (N values) when that is cheaper.
        let table: [Double]? = n * used.count > count
            ? (0 ... count).map { $0 == 0 ? .nan : exponentialTransform(rank: $0, count: count) } : nil
        var out = [Double](repeating: 0, count: n)
        for d in used {
            let w = weights[d], column = ranks[d.index]
            for i in 0 ..< n {
                let rank = column[i]
                precondition(rank >= 0 && rank <= count, "IMDComposite.scores: rank \(rank) outside 1…\(count)")
                if rank == 0 { out[i] = .nan; continue }
                out[i] += w * (table?[rank] ?? exponentialTransform(rank: rank, count: count))
            }
        }
        return out
    }
}
