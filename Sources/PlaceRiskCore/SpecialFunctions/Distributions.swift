/// Special functions and distribution functions behind the deprivation, trend and change statistics:
/// regularised incomplete beta and gamma functions, Student-t tail areas, normal and chi-square quantiles.
///
/// All work in double precision without Foundation. The prefactors xᵃ(1−x)ᵇ/B(a,b) and xᵃe⁻ˣ/Γ(a)
/// are formed on the log scale (glibc `lgamma`; Stirling's series for large gamma shapes), so relative
/// accuracy in the far tails (p-values of 1e-300) is kept; the continued fractions are evaluated by the
/// modified Lentz method (Lentz 1976; Thompson & Barnett 1986, J Comput Phys 64:490–509; Press et al., Numerical
/// Recipes, 3rd ed., §6.2 and §6.4).
///
/// Comparison with other tools: scipy's `special.betainc`/`betaincc` (Boost), `stdtr`, `ndtri`,
/// `gammainc`/`gammaincc` and `chdtri`; the tests check these files against them (DistributionsTests).
///
/// One concept per file in SpecialFunctions/: IncompleteBeta, StudentT, NormalQuantile, IncompleteGamma,
/// ChiSquare.
public enum Distributions {
    static let fpMin = 1e-300
    static let epsilon = 4 * Double.ulpOfOne
    static let maxIterations = 100_000
}
