/// The regression features centred and scaled, column-major, with the weighted means and SDs that take the
/// estimates back to the original scale (`Regression.fit`).
///
/// ```
/// m_j = Σ w_i x_ij / Σ w_i,   s_j² = Σ w_i (x_ij − m_j)² / Σ w_i,   z_ij = (x_ij − m_j) / s_j  at  j·n + i
/// ```
/// Two passes over the rows (the centred sum of squares keeps a constant column's s_j at exactly 0, where the
/// one-pass Σx² − (Σx)²/n leaves rounding noise), then the scaling in place; every pass splits the rows over
/// the cores (per-worker partial sums, merged in worker order).
struct StandardisedDesign {
    /// z, column-major: feature j at `j·n ..< (j + 1)·n`.
    let columns: [Double]
    let mean: [Double]
    let scale: [Double]
    /// The first feature whose SD is below 1e-12 of its mean's size (its column is then left centred only, and
    /// the design is not usable); nil when every feature can be scaled.
    let constantFeature: Int?

    /// The first feature whose weighted sum is NaN (some value or weight is NaN, or +∞ and −∞ meet) or infinite
    /// (a value is infinite, or the finite values overflow); the design is then not built (`columns` empty) and
    /// the caller scans the rows to name the bad value, or reports the feature as too large.
    let nonFiniteFeature: Int?

    init(x: [Double], features k: Int, rows n: Int, weights: [Double]?) {
        precondition(x.count == n * k, "StandardisedDesign: \(x.count) values for \(n) rows × \(k) features")
        let workers = Parallel.workerCount(items: n, grain: 50_000)
        let stride = k + 1
        // Pass 1: Σw and Σw·x_j per worker.
        var sums = [Double](repeating: 0, count: stride * workers)
        x.withUnsafeBufferPointer { xp in
            sums.withUnsafeMutableBufferPointer { sp in
                let ctx = UncheckedSendable((xp, sp))
                Parallel.forEachSlice(count: n, workers: workers) { worker, rows in
                    let (xp, sp) = ctx.value
                    var acc = [Double](repeating: 0, count: stride)
                    acc.withUnsafeMutableBufferPointer { a in
                        for i in rows {
                            let w = weights?[i] ?? 1
                            a[k] += w
                            let row = xp.baseAddress! + i * k
                            for j in 0 ..< k { a[j] += w * row[j] }
                        }
                    }
                    for j in 0 ..< stride { sp[worker * stride + j] = acc[j] }
                }
            }
        }
        var mean = [Double](repeating: 0, count: k), wsum = 0.0
        for w in 0 ..< workers {
            wsum += sums[w * stride + k]
            for j in 0 ..< k { mean[j] += sums[w * stride + j] }
        }
        // A NaN or infinite value makes its column's sum non-finite.
        nonFiniteFeature = mean.firstIndex { !$0.isFinite }
        guard nonFiniteFeature == nil else {
            (self.columns, self.mean, self.scale, self.constantFeature) = ([], mean, [Double](repeating: 1, count: k), nil)
            return
        }
        for j in 0 ..< k { mean[j] /= wsum }
        // Pass 2: the centred values into their columns, and Σ w (x_j − m_j)² per worker.
        var squares = [Double](repeating: 0, count: k * workers)
        var columns = [Double](unsafeUninitializedCapacity: n * k) { out, count in
            x.withUnsafeBufferPointer { xp in
                squares.withUnsafeMutableBufferPointer { qp in
                    let ctx = UncheckedSendable((xp, qp, out))
                    let m = mean
                    Parallel.forEachSlice(count: n, workers: workers) { worker, rows in
                        let (xp, qp, out) = ctx.value
                        var acc = [Double](repeating: 0, count: k)
                        acc.withUnsafeMutableBufferPointer { a in
                            for i in rows {
                                let w = weights?[i] ?? 1
                                let row = xp.baseAddress! + i * k
                                for j in 0 ..< k {
                                    let d = row[j] - m[j]
                                    out[j * n + i] = d
                                    a[j] += w * d * d
                                }
                            }
                        }
                        for j in 0 ..< k { qp[worker * k + j] = acc[j] }
                    }
                }
            }
            count = n * k
        }
        var scale = [Double](repeating: 1, count: k)
        var constant: Int?
        for j in 0 ..< k {
            var s = 0.0
            for w in 0 ..< workers { s += squares[w * k + j] }
            let sd = (s / wsum).squareRoot()
            if sd > 1e-12 * max(1, abs(mean[j])) { scale[j] = sd } else if constant == nil { constant = j }
        }
        self.constantFeature = constant
        self.mean = mean
        self.scale = scale
        guard constant == nil else { self.columns = columns; return }
        // Pass 3: z = (x − m) / s in place.
        let inv = scale.map { 1 / $0 }
        columns.withUnsafeMutableBufferPointer { cp in
            let ctx = UncheckedSendable(cp)
            Parallel.forEachSlice(count: n, workers: workers) { _, rows in
                let cp = ctx.value
                for j in 0 ..< k {
                    let c = cp.baseAddress! + j * n
                    for i in rows { c[i] *= inv[j] }
                }
            }
        }
        self.columns = columns
    }
}
