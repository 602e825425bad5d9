extension Distributions {
    public static func chiSquareQuantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(nu > 0, "chiSquareQuantile: degrees of freedom must be positive (got \(nu))")
        return 2 * gammaQuantile(p, shape: nu / 2)
    }
}
