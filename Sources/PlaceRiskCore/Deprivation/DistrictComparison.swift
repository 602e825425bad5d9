/// An area beside the other districts of its force, as a partnership's joint strategic assessment
/// compares them: per district, incidents over the period, the rate per 1,000 residents per year, the
/// change between the two halves of the period, the district's share of the force's incidents and its
/// deprivation gradient (D1/D10: the rate in its most deprived national IMD decile ÷ the rate in its
/// least deprived one, `DecileGradient`).
///
/// Rate per 1,000 per year = 1000 · count / population · 12 / T (T months). Change = (later / earlier)
/// − 1 over the last ⌊T/2⌋ months against the ⌊T/2⌋ before them (equal windows, so seasonality cancels
/// only when the windows are whole years — say so beside it), with the rate ratio's log-scale Wald 95 %
/// interval (`RateRatio`). Districts lacking decile 1 or 10 LSOAs have no D1/D10.
public struct DistrictComparison: Sendable {
    public struct Row: Sendable {
        public let district: String
        public let units: Int
        public let incidents: Double
        public let population: Double
        public let ratePer1000PerYear: Double
        /// Incidents in the earlier and later windows.
        public let earlier: Double, later: Double
        /// later / earlier − 1 with its interval (NaN when a window has no incident).
        public let change: Double, changeLow: Double, changeHigh: Double
        public let shareOfForce: Double
        public let d1d10: RateRatio?
    }

    public let rows: [Row]
    /// Month offsets of the two windows compared.
    public let earlierMonths: Range<Int>, laterMonths: Range<Int>

    /// - Parameters: `counts` units × T (row-major), with each unit's `population`, `district` code and
    ///   national IMD `decile` (1…10; 0 = none). Rows follow the order of first appearance of districts.
    public init(counts: [Double], months T: Int, population: [Double], district: [String], decile: [Int]) throws(RateError) {
        let n = population.count
        precondition(counts.count == n * T && district.count == n && decile.count == n, "DistrictComparison: inputs differ in length")
        precondition(T >= 1, "DistrictComparison: no months")
        let half = T / 2
        earlierMonths = (T - 2 * half) ..< (T - half)
        laterMonths = (T - half) ..< T
        var order: [String] = []
        var members: [String: [Int]] = [:]
        for u in 0 ..< n {
            if members[district[u]] == nil { order.append(district[u]) }
            members[district[u], default: []].append(u)
        }
        var total = 0.0
        var unitTotal = [Double](repeating: 0, count: n)
        for u in 0 ..< n {
            for t in 0 ..< T { unitTotal[u] += counts[u * T + t] }
            total += unitTotal[u]
        }
        var rows: [Row] = []
        for d in order {
            let us = members[d]!
            var k = 0.0, pop = 0.0, early = 0.0, late = 0.0
            for u in us {
                k += unitTotal[u]; pop += population[u]
                for t in earlierMonths { early += counts[u * T + t] }
                for t in laterMonths { late += counts[u * T + t] }
            }
            var change = Double.nan, lo = Double.nan, hi = Double.nan
            if half > 0, early > 0, late > 0 {
                let rr = try RateRatio(countA: late, populationA: Double(half), countB: early, populationB: Double(half))
                change = rr.ratio - 1; lo = rr.ciLow - 1; hi = rr.ciHigh - 1
            }
            var gradient: RateRatio?
            let dec = us.filter { decile[$0] >= 1 && decile[$0] <= 10 }
            if dec.contains(where: { decile[$0] == 1 }), dec.contains(where: { decile[$0] == 10 }) {
                gradient = try DecileGradient(counts: dec.map { unitTotal[$0] }, population: dec.map { population[$0] }, decile: dec.map { decile[$0] }).ratio
            }
            rows.append(Row(district: d, units: us.count, incidents: k, population: pop,
                            ratePer1000PerYear: pop > 0 ? 1000 * k / pop * 12 / Double(T) : .nan,
                            earlier: early, later: late, change: change, changeLow: lo, changeHigh: hi,
                            shareOfForce: total > 0 ? k / total : .nan, d1d10: gradient))
        }
        self.rows = rows
    }
}
