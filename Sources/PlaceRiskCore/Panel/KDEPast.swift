/// The "KDE of the past" at each unit of a panel, as a feature and a baseline (conventions §2, §6).
///
/// ```
/// kdePast[u, t] = 10⁶ · (1/t) · Σ_{m < t} Σ_{i ∈ month m} K(‖s_u − p_i‖)      (per km² per month)
/// kdePast[u, 0] = NaN,     t = 0 … T (t = T is the month after the data, for scoring)
/// ```
/// Layout: `kdePast[u · (T + 1) + t]`.
/// with `s_u` the unit's location (cell centre, or LSOA centroid) and `K` a per-m² kernel (quartic by
/// default in the callers). Dividing by t keeps the value a monthly rate, comparable across target
/// months, so one coefficient fits every training month. Month m contributes to every t > m only, so
/// a feature for target month t never sees month t (no leakage).
///
/// Complexity: O(U · k + U · T) with k the points within the kernel radius of a unit (bucket index).
public enum KDEPast {
    public static func build(unitX: [Double], unitY: [Double], pointX: [Double], pointY: [Double],
                             pointMonth: [Int], months T: Int, kernel: Kernel) -> [Double] {
        precondition(unitX.count == unitY.count, "KDEPast.build: unit coordinate lengths differ")
        precondition(pointX.count == pointY.count && pointX.count == pointMonth.count, "KDEPast.build: point array lengths differ")
        let U = unitX.count
        var monthly = [Double](repeating: 0, count: U * T)
        let R = kernel.supportRadius
        if !pointX.isEmpty {
            let index = BucketIndex(x: pointX, y: pointY, cell: R)
            for u in 0 ..< U where unitX[u].isFinite && unitY[u].isFinite {
                let ux = unitX[u], uy = unitY[u]
                index.forEachNear(x: ux, y: uy, radius: R) { j in
                    let m = pointMonth[j]
                    guard m >= 0, m < T else { return }
                    let dx = pointX[j] - ux, dy = pointY[j] - uy
                    monthly[u * T + m] += kernel.value(squaredDistance: dx * dx + dy * dy)
                }
            }
        }
        let W = T + 1
        var out = [Double](repeating: .nan, count: U * W)
        for u in 0 ..< U where unitX[u].isFinite && unitY[u].isFinite {
            var cum = 0.0
            for t in stride(from: 1, through: T, by: 1) {
                cum += monthly[u * T + t - 1]
                out[u * W + t] = 1e6 * cum / Double(t)
            }
        }
        return out
    }
}
