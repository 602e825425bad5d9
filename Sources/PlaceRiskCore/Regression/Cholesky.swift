/// Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite p × p matrix (flat, row-major),
/// with solve and inverse. For the small normal-equation systems of regression (p ≲ 100).
/// Golub & Van Loan, *Matrix Computations* (4th ed.), algorithm 4.2.1.
public struct Cholesky: Sendable {
    public let p: Int
    /// Lower triangle, row-major (upper part zero).
    public let l: [Double]

    /// Factorises `a`. Returns nil when a pivot is ≤ `relativeTolerance` × the largest diagonal
    /// entry (the matrix is singular or not positive definite); `failedColumn` then says where.
    public init?(_ a: [Double], p: Int, relativeTolerance: Double = 1e-12, failedColumn: inout Int) {
        precondition(a.count == p * p, "Cholesky: \(a.count) entries for a \(p)×\(p) matrix")
        var l = [Double](repeating: 0, count: p * p)
        var maxDiag = 0.0
        for i in 0 ..< p { maxDiag = max(maxDiag, abs(a[i * p + i])) }
        let tol = relativeTolerance * max(maxDiag, .leastNormalMagnitude)
        for j in 0 ..< p {
            var s = a[j * p + j]
            for k in 0 ..< j { s -= l[j * p + k] * l[j * p + k] }
            guard s > tol, s.isFinite else { failedColumn = j; return nil }
            let d = s.squareRoot()
            l[j * p + j] = d
            for i in (j + 1) ..< max(j + 1, p) {
                var t = a[i * p + j]
                for k in 0 ..< j { t -= l[i * p + k] * l[j * p + k] }
                l[i * p + j] = t / d
            }
        }
        self.p = p
        self.l = l
    }

    /// Solves A x = b.
    public func solve(_ b: [Double]) -> [Double] {
        precondition(b.count == p, "Cholesky.solve: right-hand side has \(b.count) entries, expected \(p)")
        var y = b
        for i in 0 ..< p {
            var s = y[i]
            for k in 0 ..< i { s -= l[i * p + k] * y[k] }
            y[i] = s / l[i * p + i]
        }
        for i in stride(from: p - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1) ..< max(i + 1, p) { s -= l[k * p + i] * y[k] }
            y[i] = s / l[i * p + i]
        }
        return y
    }

    /// A⁻¹ (row-major), column by column.
    public func inverse() -> [Double] {
        var inv = [Double](repeating: 0, count: p * p)
        for j in 0 ..< p {
            var e = [Double](repeating: 0, count: p)
            e[j] = 1
            let col = solve(e)
            for i in 0 ..< p { inv[i * p + j] = col[i] }
        }
        return inv
    }
}
