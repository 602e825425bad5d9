/// libm entry points used by the regression code (kept in one place; no Foundation).
enum RegressionMath {
    @inline(__always) static func ln(_ x: Double) -> Double { log(x) }
    @inline(__always) static func expo(_ x: Double) -> Double { exp(x) }
    @inline(__always) static func ln1p(_ x: Double) -> Double { log1p(x) }
    @inline(__always) static func lnGamma(_ x: Double) -> Double { lgamma(x) }
}
