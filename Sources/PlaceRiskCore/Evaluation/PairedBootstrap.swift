/// One forecast of one test month: a ranking score and a probability per unit (same unit order as the
/// month's `PairedBootstrap.Month`).
public struct MonthForecast: Sendable, Equatable {
    /// What units are ranked by (highest first; ties by unit position).
    public let score: [Double]
    /// The probability of the binary outcome (for log-loss and Brier).
    public let probability: [Double]

    public init(score: [Double], probability: [Double]) {
        precondition(score.count == probability.count, "MonthForecast: score and probability differ in length")
        self.score = score
        self.probability = probability
    }
}

/// A metric difference, model − baseline, with its paired-bootstrap percentile interval.
public struct PairedDifference: Sendable, Equatable {
    /// `auc`, `log_loss`, `brier`, `pai_1`, `pai_5`, `pai_10`, `pei_1`, `pei_5`, `pei_10`.
    public let metric: String
    /// Mean over test months of (model − baseline) on the months' own data (the backtest's mean rows).
    public let estimate: Double
    /// Percentile interval of the bootstrap replicates (NaN when no replicate was defined).
    public let low: Double
    public let high: Double
    public let confidence: Double
    /// Replicates with the metric defined for both forecasts in every drawn month.
    public let replicates: Int

    /// Whether larger is better for this metric (AUC, PAI, PEI) or smaller (log-loss, Brier).
    public var higherIsBetter: Bool { metric != "log_loss" && metric != "brier" }
    /// The model is better, and the whole interval says so.
    public var clearlyBetter: Bool { higherIsBetter ? low > 0 : high < 0 }
    /// The model is worse, and the whole interval says so.
    public var clearlyWorse: Bool { higherIsBetter ? high < 0 : low > 0 }
}

/// Paired bootstrap over test months and units of the differences model − baseline in AUC, log-loss,
/// Brier, PAI and PEI at 1 / 5 / 10 % of area (issue 16; conventions §6).
///
/// ```
/// estimate  D = (1/M) Σ_m [ f(model, m) − f(baseline, m) ]                    over the M test months
/// replicate b: draw M months with replacement; in each drawn month draw its n units with replacement
///              (multiplicities c_i); D*_b = mean over the drawn months of f(model; c) − f(baseline; c)
/// interval  = [ q_{α/2}(D*), q_{1−α/2}(D*) ]   (percentile; q = linear interpolation, numpy's default)
/// ```
/// The same draws serve the model and every baseline (paired), so unit- and month-level noise common to
/// both cancels. A drawn unit counts c_i times: AUC counts c_i c_j per positive–negative pair (ties ½);
/// PAI / PEI flag copies in rank order until the flagged area reaches the fraction of Σ c_i a_i (exactly
/// as if the copies were rows of their own, next to each other in the ranking). Efron & Tibshirani (1993),
/// *An Introduction to the Bootstrap*, ch. 13 (percentile interval); the two-stage (cluster, then unit)
/// resampling follows Davison & Hinkley (1997), *Bootstrap Methods and their Application*, §3.8.
///
/// Complexity: O(B · M · n) after one O(n log n) sort per forecast and month.
public enum PairedBootstrap {
    /// One test month: the units' binary outcome, observed count and area.
    public struct Month: Sendable, Equatable {
        public let outcome: [Double]
        public let observed: [Double]
        public let area: [Double]

        public init(outcome: [Double], observed: [Double], area: [Double]? = nil) {
            precondition(outcome.count == observed.count, "PairedBootstrap.Month: outcome and observed differ in length")
            precondition(area == nil || area!.count == outcome.count, "PairedBootstrap.Month: area length differs")
            self.outcome = outcome
            self.observed = observed
            self.area = area ?? [Double](repeating: 1, count: outcome.count)
        }
    }

    public static let metrics = ["auc", "log_loss", "brier", "pai_1", "pai_5", "pai_10", "pei_1", "pei_5", "pei_10"]
    static let fractions = [0.01, 0.05, 0.10]

    /// Differences of `model` − each of `baselines` (forecasts per month, aligned with `months`), one list
    /// of `metrics` per baseline in the order given.
    public static func differences(months: [Month], model: [MonthForecast], baselines: [[MonthForecast]],
                                   replicates: Int = 999, confidence: Double = 0.95, seed: UInt64 = 1) -> [[PairedDifference]] {
        let M = months.count
        precondition(model.count == M && baselines.allSatisfy { $0.count == M }, "PairedBootstrap: one forecast per month is needed")
        precondition(replicates >= 1 && confidence > 0 && confidence < 1, "PairedBootstrap: replicates ≥ 1 and confidence in (0, 1)")
        for m in 0 ..< M {
            precondition(model[m].score.count == months[m].outcome.count && baselines.allSatisfy { $0[m].score.count == months[m].outcome.count },
                         "PairedBootstrap: month \(m): forecasts and outcomes differ in length")
        }
        let K = metrics.count
        // Prepared per month: the orders each forecast needs, computed once.
        let prepared = (0 ..< M).map { m in
            (model: Prepared(model[m], months[m]), baselines: baselines.map { Prepared($0[m], months[m]) },
             best: Best(months[m]))
        }
        let ones = (0 ..< M).map { [Int32](repeating: 1, count: months[$0].outcome.count) }
        // Point estimates: every unit once.
        var point = [[Double]](repeating: [Double](repeating: 0, count: K), count: baselines.count)
        var pointN = [[Int]](repeating: [Int](repeating: 0, count: K), count: baselines.count)
        for m in 0 ..< M {
            let fm = prepared[m].model.metrics(ones[m], months[m], best: prepared[m].best)
            for (b, pb) in prepared[m].baselines.enumerated() {
                let fb = pb.metrics(ones[m], months[m], best: prepared[m].best)
                for j in 0 ..< K where fm[j].isFinite && fb[j].isFinite { point[b][j] += fm[j] - fb[j]; pointN[b][j] += 1 }
            }
        }
        var draws = [[[Double]]](repeating: [[Double]](repeating: [], count: K), count: baselines.count)
        var rng = SeededGenerator(seed: seed)
        // Replicates in chunks: each chunk's resamples are drawn in order from the one stream (so the draws
        // do not depend on the number of cores), then the chunk's metrics run over the cores, each
        // replicate's sums in the same order as one after another.
        let B = baselines.count, chunk = 64
        var done = 0
        while done < replicates {
            let r = min(chunk, replicates - done)
            var picks: [[(month: Int, counts: [Int32])]] = []
            picks.reserveCapacity(r)
            for _ in 0 ..< r {
                var one: [(month: Int, counts: [Int32])] = []
                for _ in 0 ..< M {
                    let m = Int.random(in: 0 ..< M, using: &rng)
                    let n = months[m].outcome.count
                    var c = [Int32](repeating: 0, count: n)
                    for _ in 0 ..< n { c[Int.random(in: 0 ..< n, using: &rng)] += 1 }
                    one.append((m, c))
                }
                picks.append(one)
            }
            var results = [(sum: [[Double]], defined: [[Bool]])](repeating: ([], []), count: r)
            let picked = picks
            results.withUnsafeMutableBufferPointer { buf in
                let out = UncheckedSendable(buf)
                Parallel.forEachSlice(count: r, workers: Parallel.workerCount(items: r, grain: 4)) { _, range in
                    for q in range {
                        var sum = [[Double]](repeating: [Double](repeating: 0, count: K), count: B)
                        var defined = [[Bool]](repeating: [Bool](repeating: true, count: K), count: B)
                        for (m, c) in picked[q] {
                            c.withUnsafeBufferPointer { cp in
                                let totals = Totals(cp, months[m])
                                let fm = prepared[m].model.metrics(cp, months[m], best: prepared[m].best, totals: totals)
                                for (b, pb) in prepared[m].baselines.enumerated() {
                                    let fb = pb.metrics(cp, months[m], best: prepared[m].best, totals: totals)
                                    for j in 0 ..< K {
                                        let d = fm[j] - fb[j]
                                        if d.isFinite { sum[b][j] += d } else { defined[b][j] = false }
                                    }
                                }
                            }
                        }
                        out.value[q] = (sum, defined)
                    }
                }
            }
            for (sum, defined) in results {
                for b in 0 ..< B { for j in 0 ..< K where defined[b][j] { draws[b][j].append(sum[b][j] / Double(M)) } }
            }
            done += r
        }
        let alpha = 1 - confidence
        return (0 ..< baselines.count).map { b in
            (0 ..< K).map { j in
                let d = draws[b][j].sorted()
                return PairedDifference(metric: metrics[j], estimate: pointN[b][j] > 0 ? point[b][j] / Double(pointN[b][j]) : .nan,
                                        low: quantile(d, alpha / 2), high: quantile(d, 1 - alpha / 2), confidence: confidence, replicates: d.count)
            }
        }
    }

    /// Quantile of sorted values by linear interpolation between order statistics (Hyndman & Fan 1996
    /// type 7, numpy's default); NaN for no values.
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * q, lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// A forecast's orders for one month: descending by score (ties by index) for PAI, and ascending
    /// tie groups for AUC.
    struct Prepared {
        let forecast: MonthForecast
        let descending: [Int]
        /// Units by ascending score, and where each tie group starts (plus the end).
        let ascending: [Int]
        let groupStarts: [Int]
        /// Whether each unit in `ascending` order has the outcome (read in that order by the AUC pass).
        let ascendingPositive: [Bool]
        /// Each unit's log-loss term −(y log q + (1 − y) log(1 − q)), q clipped to [1e-15, 1 − 1e-15],
        /// and its error p − y, computed once (the bootstrap reweights them).
        let logLoss: [Double]
        let error: [Double]
        /// Observed count and area of each unit in `descending` order (read in that order by the PAI pass).
        let descendingObserved: [Double]
        let descendingArea: [Double]

        init(_ f: MonthForecast, _ month: Month) {
            forecast = f
            descending = ForecastMetrics.ranking(f.score)
            // Ascending by score (within a tie group the order does not matter: the group's weights are summed).
            let asc = f.score.contains(where: \.isNaN) ? f.score.indices.sorted { f.score[$0] < f.score[$1] } : RadixSort.argsort(f.score).order.map(Int.init)
            var starts: [Int] = [], i = 0
            while i < asc.count {
                starts.append(i)
                var j = i
                while j + 1 < asc.count, f.score[asc[j + 1]] == f.score[asc[i]] { j += 1 }
                i = j + 1
            }
            starts.append(asc.count)
            ascending = asc; groupStarts = starts
            let y = month.outcome, p = f.probability
            ascendingPositive = asc.map { y[$0] == 1 }
            logLoss = y.indices.map { i in let q = min(max(p[i], 1e-15), 1 - 1e-15); return -(y[i] * log(q) + (1 - y[i]) * log(1 - q)) }
            error = y.indices.map { p[$0] - y[$0] }
            descendingObserved = descending.map { month.observed[$0] }
            descendingArea = descending.map { month.area[$0] }
        }

        /// The metrics in `PairedBootstrap.metrics` order with unit multiplicities `c` (NaN when undefined).
        func metrics(_ c: [Int32], _ month: Month, best: Best) -> [Double] {
            c.withUnsafeBufferPointer { cp in metrics(cp, month, best: best, totals: Totals(cp, month)) }
        }

        /// The same with the month's weighted totals computed once for every forecast of the draw.
        func metrics(_ cp: UnsafeBufferPointer<Int32>, _ month: Month, best: Best, totals: Totals) -> [Double] {
            // AUC: Σ over positive–negative pairs, weights c_i c_j, ties ½.
            var negBelow = 0.0, pairs = 0.0, nPos = 0.0, nNeg = 0.0
            ascending.withUnsafeBufferPointer { order in
                ascendingPositive.withUnsafeBufferPointer { positive in
                    groupStarts.withUnsafeBufferPointer { starts in
                        for g in 0 ..< starts.count - 1 {
                            var pos = 0.0, neg = 0.0
                            for k in starts[g] ..< starts[g + 1] {
                                let w = Double(cp[order[k]])
                                if positive[k] { pos += w } else { neg += w }
                            }
                            pairs += pos * (negBelow + neg / 2)
                            negBelow += neg; nPos += pos; nNeg += neg
                        }
                    }
                }
            }
            let auc = nPos > 0 && nNeg > 0 ? pairs / (nPos * nNeg) : .nan
            var ll = 0.0, brier = 0.0
            logLoss.withUnsafeBufferPointer { lp in
                error.withUnsafeBufferPointer { ep in
                    for i in 0 ..< cp.count where cp[i] > 0 {
                        let w = Double(cp[i])
                        ll += w * lp[i]
                        brier += w * ep[i] * ep[i]
                    }
                }
            }
            let n = totals.n, totalN = totals.observed, totalA = totals.area
            var out = [auc, n > 0 ? ll / n : .nan, n > 0 ? brier / n : .nan]
            out.reserveCapacity(3 + 2 * PairedBootstrap.fractions.count)
            var pei: [Double] = []
            pei.reserveCapacity(PairedBootstrap.fractions.count)
            for f in PairedBootstrap.fractions {
                guard totalN > 0, totalA > 0 else { out.append(.nan); pei.append(.nan); continue }
                let model = Self.flag(descending, descendingObserved, descendingArea, cp, limit: f * totalA)
                let pai = (model.n / totalN) / (model.area / totalA)
                let top = Self.flag(best.order, best.observed, best.area, cp, limit: model.area)
                let paiStar = (top.n / totalN) / (top.area / totalA)
                out.append(pai); pei.append(paiStar > 0 ? pai / paiStar : .nan)
            }
            return out + pei
        }

        /// Copies flagged in `order` while the flagged area is below `limit` (ForecastMetrics' rule);
        /// `observed` and `area` are in `order`'s order.
        static func flag(_ order: [Int], _ observed: [Double], _ area: [Double], _ c: UnsafeBufferPointer<Int32>, limit: Double) -> (n: Double, area: Double) {
            var n = 0.0, ar = 0.0
            order.withUnsafeBufferPointer { o in
                observed.withUnsafeBufferPointer { ob in
                    area.withUnsafeBufferPointer { a in
                        outer: for k in 0 ..< o.count {
                            let copies = c[o[k]]
                            var j: Int32 = 0
                            while j < copies {
                                if ar >= limit { break outer }
                                n += ob[k]; ar += a[k]
                                j += 1
                            }
                        }
                    }
                }
            }
            return (n, ar)
        }
    }

    /// The month's ranking by observed rate (the best possible flags, for PEI) with its units' counts
    /// and areas in that order.
    struct Best {
        let order: [Int]
        let observed: [Double]
        let area: [Double]

        init(_ month: Month) {
            order = ForecastMetrics.ranking(zip(month.observed, month.area).map { $0 / $1 })
            observed = order.map { month.observed[$0] }
            area = order.map { month.area[$0] }
        }
    }

    /// Σ c_i, Σ c_i · observed_i and Σ c_i · area_i of one drawn month (the same for every forecast).
    struct Totals {
        let n: Double
        let observed: Double
        let area: Double

        init(_ cp: UnsafeBufferPointer<Int32>, _ month: Month) {
            var n = 0.0, totalN = 0.0, totalA = 0.0
            month.observed.withUnsafeBufferPointer { ob in
                month.area.withUnsafeBufferPointer { a in
                    for i in 0 ..< cp.count where cp[i] > 0 {
                        let w = Double(cp[i])
                        n += w; totalN += w * ob[i]; totalA += w * a[i]
                    }
                }
            }
            self.n = n; observed = totalN; area = totalA
        }
    }
}
