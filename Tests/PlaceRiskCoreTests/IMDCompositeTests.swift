import Testing
@testable import PlaceRiskCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The 34 LSOAs of the IO fixture `imd2019/file2_cut.csv`: (line in the real
/// `File_2_-_IoD2019_Domains_of_Deprivation.csv`, LSOA, the seven domain ranks in `Domain.allCases`
/// order, published IMD rank). Copied from those lines (`grep -n E01018997 File_2_…csv`).
private let file2Rows: [(line: Int, code: String, ranks: [Int], imdRank: Int)] = [
    (2, "E01000001", [32831, 32742, 32842, 32113, 32662, 7319, 7789], 29199),
    (3, "E01000002", [29901, 31190, 32832, 29705, 32789, 11707, 13070], 30379),
    (12365, "E01012756", [13255, 13095, 23463, 12873, 7117, 30288, 622], 11457),
    (14569, "E01015023", [5763, 2660, 3710, 1858, 1982, 11527, 15411], 3025),
    (14604, "E01015058", [2893, 3048, 3117, 2033, 6734, 20755, 14950], 3145),
    (14639, "E01015093", [8397, 7403, 5159, 5123, 19274, 19412, 20860], 8688),
    (14674, "E01015128", [21419, 21899, 21928, 17198, 30079, 14524, 16870], 23612),
    (14709, "E01015164", [15770, 11269, 9662, 6020, 32389, 6162, 29377], 13032),
    (14744, "E01015199", [25532, 21431, 25411, 17983, 22869, 17105, 30324], 26577),
    (14779, "E01015234", [6007, 6177, 5622, 7712, 22882, 21921, 2000], 6356),
    (14814, "E01015269", [11064, 8403, 24843, 5795, 20918, 19626, 10172], 12122),
    (18247, "E01018782", [14143, 14127, 12533, 12840, 25603, 9291, 1785], 11858),
    (18282, "E01018819", [18065, 15733, 15408, 19882, 30311, 25441, 13845], 20905),
    (18317, "E01018854", [4709, 5146, 8932, 6521, 13636, 2976, 23028], 5833),
    (18352, "E01018889", [18489, 19246, 16738, 17093, 27124, 25938, 17649], 22281),
    (18387, "E01018924", [20733, 21749, 15275, 21596, 29834, 1097, 210], 11848),
    (18422, "E01018960", [11335, 12058, 11888, 19604, 26177, 23807, 13589], 16037),
    (18457, "E01018997", [185, 346, 2282, 2444, 17134, 10617, 19102], 884),
    (18492, "E01019032", [14415, 6426, 25488, 10370, 28204, 7566, 11822], 12674),
    (18527, "E01019067", [19553, 23145, 24123, 20079, 28765, 2251, 840], 14793),
    (19361, "E01019910", [23182, 21059, 22928, 24102, 21554, 29912, 15390], 26107),
    (19396, "E01019947", [12568, 12918, 14891, 16557, 21100, 31128, 6048], 15548),
    (19431, "E01019984", [29724, 26715, 17983, 24349, 29517, 14466, 25359], 28554),
    (19466, "E01020019", [31072, 32691, 28409, 26357, 27095, 23890, 3154], 27981),
    (19501, "E01020056", [23090, 22925, 26082, 30364, 26900, 3764, 1056], 17869),
    (19536, "E01020091", [24489, 29811, 18788, 22892, 31469, 14162, 27547], 28295),
    (19571, "E01020126", [15431, 15220, 7775, 17665, 20610, 4622, 826], 10194),
    (19606, "E01020161", [11677, 11281, 20839, 19335, 22413, 30988, 21036], 18434),
    (19641, "E01020196", [10276, 12443, 18000, 14634, 13459, 31120, 10347], 14847),
    (19676, "E01020231", [17483, 15104, 10636, 16218, 25394, 19639, 22452], 18779),
    (19711, "E01020266", [23336, 19643, 25687, 24919, 24544, 22744, 16624], 26087),
    (19746, "E01020301", [18797, 21444, 12371, 18284, 32310, 1972, 339], 11712),
    (19781, "E01020336", [29400, 27564, 30918, 22677, 30387, 21308, 26801], 31237),
    (32845, "E01033768", [3107, 1981, 14675, 719, 1214, 15889, 1372], 1833),
]

/// Spearman's ρ: Pearson correlation of mid-ranks (ties share their mean rank).
private func spearman(_ x: [Double], _ y: [Double]) -> Double {
    func ranks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var r = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, v[order[j + 1]] == v[order[i]] { j += 1 }
            for k in i ... j { r[order[k]] = Double(i + j) / 2 + 1 }
            i = j + 1
        }
        return r
    }
    let a = ranks(x), b = ranks(y), n = Double(x.count)
    let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
    var sab = 0.0, saa = 0.0, sbb = 0.0
    for i in a.indices {
        sab += (a[i] - ma) * (b[i] - mb)
        saa += (a[i] - ma) * (a[i] - ma)
        sbb += (b[i] - mb) * (b[i] - mb)
    }
    return sab / (saa * sbb).squareRoot()
}

private func domainRanks(_ ranks: [Int]) -> [IMDComposite.Domain: Int] {
    Dictionary(uniqueKeysWithValues: zip(IMDComposite.Domain.allCases, ranks))
}

@Suite("IMD composite: exponential transform, weights, reconstruction")
struct IMDCompositeTests {
    typealias Domain = IMDComposite.Domain

    @Test func mostDeprivedRankTransformsTo100() {
        // R = 1 → X = −23·ln(1 − (1 − e^(−100/23))) = −23·ln(e^(−100/23)) = 100.
        #expect(IMDComposite.scaledRank(rank: 1) == 1)
        #expect(abs(IMDComposite.exponentialTransform(rank: 1) - 100) < 1e-12)
        #expect(abs(IMDComposite.exponentialTransform(rank: 1, count: 7) - 100) < 1e-12)
    }

    @Test func leastDeprivedRankTransformsToNearlyZero() {
        // R = 1/N → X = −23·ln(1 − (1 − e^(−100/23))/N) ≈ 23·(1 − e^(−100/23))/N ≈ 0.000691 for N = 32,844.
        let n = IMDComposite.englandLSOACount
        #expect(n == 32_844)
        #expect(IMDComposite.scaledRank(rank: n) == 1.0 / 32_844)
        let x = IMDComposite.exponentialTransform(rank: n)
        let c = 1 - exp(-100.0 / 23)
        let byHand = -23 * log(1 - c / 32_844)
        #expect(abs(x - byHand) < 1e-18)
        #expect(abs(x - 23 * c / 32_844) < 1e-7) // first-order approximation (next term ≈ 1e-8)
        #expect(abs(x - 0.00069123244475263474) < 1e-15)
    }

    @Test func intermediateRanksMatchTheFormulaComputedIndependently() {
        // numpy: −23·log(1 − R·(1 − exp(−100/23))), R = (32844 − rank + 1)/32844.
        let expected: [(Int, Double)] = [(2, 99.946623458411622), (100, 95.238337500483468), (16422, 15.648154903779767), (32843, 0.0013824856641423485)]
        for (rank, x) in expected {
            #expect(abs(IMDComposite.exponentialTransform(rank: rank) - x) < 1e-9 * max(1, x), "rank \(rank)")
        }
        // Monotone: a more deprived rank never transforms lower.
        var previous = Double.infinity
        for rank in stride(from: 1, through: 32_844, by: 97) {
            let x = IMDComposite.exponentialTransform(rank: rank)
            #expect(x < previous)
            previous = x
        }
    }

    @Test func publishedWeightsAndTheCrimeFreeReweighting() {
        let w = IMDComposite.Weights.published
        #expect(w.values == [0.225, 0.225, 0.135, 0.135, 0.093, 0.093, 0.093])
        // As published: 2 × 22.5 + 2 × 13.5 + 3 × 9.3 = 99.9 %.
        #expect(abs(w.values.reduce(0, +) - 0.999) < 1e-12)
        let x = IMDComposite.Weights.excludingCrime
        #expect(x[.crime] == 0 && x.domains.count == 6)
        // Conventions §7: the other six re-weighted by w_d / 0.907 (they sum to 0.906 / 0.907).
        for d in Domain.allCases where d != .crime { #expect(abs(x[d] - w[d] / 0.907) < 1e-12, "\(d)") }
        #expect(abs(x.values.reduce(0, +) - 0.906 / 0.907) < 1e-12)
        let ie = IMDComposite.Weights.restricted(to: [.income, .employment])
        #expect(abs(ie[.income] - 0.225 / 0.451) < 1e-12 && ie[.employment] == ie[.income] && ie.domains == [.income, .employment])
    }

    @Test func domainRawValuesAndOfficialNames() {
        #expect(Domain.allCases.map(\.rawValue) == ["income", "employment", "education", "health", "crime", "barriers", "living_environment"])
        #expect(Domain.allCases.map(\.index) == Array(0 ..< 7))
        #expect(Domain.education.officialName == "Education, Skills and Training")
        #expect(Domain(rawValue: "living_environment") == .livingEnvironment)
    }

    @Test func cityOfLondon001AScoreIsRebuiltFromItsDomainRanks() {
        // File 2 line 2 ranks; published score 6.208 (imd2019_score_lsoa.csv line 2).
        let ranks = domainRanks(file2Rows[0].ranks)
        let s = IMDComposite.score(domainRanks: ranks)
        #expect(abs(s - 6.2077405663901448) < 1e-9) // numpy, same formula
        #expect(abs(s - 6.208) < 0.0005)
        let noCrime = IMDComposite.score(domainRanks: ranks, weights: .excludingCrime)
        #expect(abs(noCrime - 6.8312504850810543) < 1e-9)
        // By hand: Σ w_d X_d over the seven transforms.
        var byHand = 0.0
        for d in Domain.allCases { byHand += d.publishedWeight * IMDComposite.exponentialTransform(rank: ranks[d]!) }
        #expect(abs(s - byHand) < 1e-12)
    }

    @Test func rebuiltImdOrdersTheFixtureLSOAsAsThePublishedRank() {
        let scores = file2Rows.map { IMDComposite.score(domainRanks: domainRanks($0.ranks)) }
        let published = file2Rows.map { -Double($0.imdRank) } // rank 1 = most deprived = highest score
        // scipy.stats.spearmanr on the same 34 rows: 1 (the order is identical).
        #expect(abs(spearman(scores, published) - 1) < 1e-9)
        // Without the Crime domain the order moves a little: scipy gives 0.99205500381970957.
        let noCrime = file2Rows.map { IMDComposite.score(domainRanks: domainRanks($0.ranks), weights: .excludingCrime) }
        #expect(abs(spearman(noCrime, published) - 0.99205500381970957) < 1e-9)
    }

    @Test func columnarScoresEqualPerLSOAScoresAndMarkMissingRanks() {
        var columns = Domain.allCases.map { d in file2Rows.map { $0.ranks[d.index] } }
        let per = file2Rows.map { IMDComposite.score(domainRanks: domainRanks($0.ranks)) }
        let all = IMDComposite.scores(ranks: columns)
        #expect(zip(all, per).allSatisfy { abs($0 - $1) < 1e-12 })
        // Over N = 32,844 ranks the table path is taken; it must agree with the direct formula
        // (equal ranks on all seven domains: Σ w_d = 0.999 times one transform).
        let big = Domain.allCases.map { _ in Array(1 ... 32_844) }
        let tabled = IMDComposite.scores(ranks: big)
        #expect(abs(tabled[0] - 99.9) < 1e-9 && abs(tabled[16_421] - 0.999 * IMDComposite.exponentialTransform(rank: 16_422)) < 1e-12)
        columns[Domain.crime.index][0] = 0 // rank not available
        let missing = IMDComposite.scores(ranks: columns)
        #expect(missing[0].isNaN && !missing[1].isNaN)
        #expect(!IMDComposite.scores(ranks: columns, weights: .excludingCrime)[0].isNaN)
    }
}
