extension Distributions {
    // MARK: Student t

    /// Two-sided p-value of Student's t with ν degrees of freedom (ν > 0 need not be an integer):
    /// ```
    /// p = 2 · P(T_ν ≥ |t|) = I_{ν/(ν+t²)}(ν/2, 1/2)
    /// ```
    /// (Abramowitz & Stegun 26.7.1 with 26.5.27), the same quantity as scipy's `2 * stdtr(ν, −|t|)`.
    /// |t| = ∞ gives 0; NaN gives NaN.
    public static func studentTTwoSidedP(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(nu > 0, "studentTTwoSidedP: degrees of freedom must be positive (got \(nu))")
        if t.isNaN { return .nan }
        if t.isInfinite { return 0 }
        let t2 = t * t
        return incompleteBeta(nu / 2, 0.5, x: nu / (nu + t2), y: t2 / (nu + t2)).lower
    }
}
