#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import PlaceRiskCore

/// Reference values: scipy 1.17.1 / numpy 2.4.6 (the peers venv, /work/shared/peers/VERSIONS.txt),
/// printed with repr() by the one-liners quoted above each table.
@Suite("Distribution functions")
struct DistributionsTests {
    private func close(_ a: Double, _ b: Double, rel: Double) -> Bool {
        a == b || abs(a - b) <= rel * max(abs(a), abs(b))
    }

    /// `(a, b, x, sp.betainc(a, b, x), sp.betaincc(a, b, x))` from `scipy.special`.
    @Test func incompleteBetaMatchesScipyInBothTails() {
        let cases: [(Double, Double, Double, Double, Double)] = [
            (0.5, 0.5, 0.3, 0.36901011956554536, 0.6309898804344546),
            (2, 3, 0.4, 0.5247999999999999, 0.47519999999999996),
            (1249, 1249, 0.28, 3.4633427015137284e-119, 1.0),
            (10, 0.5, 0.99, 0.6579281751567845, 0.3420718248432157),
            (0.1, 10, 1e-05, 0.41655822619209415, 0.583441773807906),
            (100, 200, 0.5, 0.9999999973534454, 2.6465546025796367e-09),
            (5, 5, 0.5, 0.5, 0.5),
            (0.001, 1000.0, 0.01, 0.9999999960319814, 3.968018504902714e-09),
        ]
        for (a, b, x, lower, upper) in cases {
            let l = Distributions.regularizedIncompleteBeta(a, b, x)
            let u = Distributions.regularizedIncompleteBetaComplement(a, b, x)
            #expect(close(l, lower, rel: 1e-12), "I_\(x)(\(a), \(b)) = \(l), scipy \(lower)")
            #expect(close(u, upper, rel: 1e-12), "1 − I_\(x)(\(a), \(b)) = \(u), scipy \(upper)")
        }
        #expect(Distributions.regularizedIncompleteBeta(2, 3, 0) == 0)
        #expect(Distributions.regularizedIncompleteBeta(2, 3, 1) == 1)
    }

    /// `(t, ν, 2 * stats.t.sf(abs(t), ν))` from `scipy.stats.t`.
    @Test func studentTTwoSidedPMatchesScipy() {
        let cases: [(Double, Double, Double)] = [
            (2.0, 10, 0.07338803477074037),
            (0.5, 3.5, 0.6468504393225509),
            (30, 398, 3.279672942122096e-104),
            (-5, 1, 0.1256659163780024),
            (25.0, 2498, 2.656419192298009e-123),
            (-3.0, 398.5, 0.002869355083385973),
            (1e-08, 5, 0.9999999924078662),
            (12.0, 2, 0.00687293367715846),
        ]
        for (t, nu, p) in cases {
            let got = Distributions.studentTTwoSidedP(t, degreesOfFreedom: nu)
            #expect(close(got, p, rel: 1e-12), "t = \(t), ν = \(nu): \(got) vs scipy \(p)")
        }
        #expect(Distributions.studentTTwoSidedP(.infinity, degreesOfFreedom: 5) == 0)
        #expect(Distributions.studentTTwoSidedP(0, degreesOfFreedom: 5) == 1)
    }

    /// `(p, sp.ndtri(p))` from `scipy.special.ndtri` (Cephes), across all three AS 241 regions.
    @Test func normalQuantileMatchesScipyToFullPrecision() {
        let cases: [(Double, Double)] = [
            (1e-300, -37.0470962993612), (1e-20, -9.262340089798409), (1e-05, -4.264890793922825),
            (0.025, -1.9599639845400545), (0.3, -0.5244005127080409), (0.5, 0.0),
            (0.7, 0.5244005127080407), (0.975, 1.959963984540054), (0.9999999999, 6.361340889697422),
            (0.999, 3.090232306167813),
        ]
        for (p, z) in cases {
            let got = Distributions.normalQuantile(p)
            #expect(close(got, z, rel: 1e-14), "Φ⁻¹(\(p)) = \(got), scipy \(z)")
        }
        #expect(Distributions.normalQuantile(0) == -.infinity && Distributions.normalQuantile(1) == .infinity)
        #expect(Distributions.normalQuantile(1.5).isNaN)
    }

    /// Φ(Φ⁻¹(p)) = p: the quantile inverts glibc's erfc to near machine precision.
    @Test func normalQuantileInvertsTheNormalCDF() {
        var p = 1e-12
        while p < 1 {
            let z = Distributions.normalQuantile(p)
            let back = 0.5 * erfc(-z / 2.0.squareRoot())
            #expect(close(back, p, rel: 1e-13), "p = \(p)")
            p *= 1.7
        }
    }

    /// `(a, x, sp.gammainc(a, x), sp.gammaincc(a, x))` from `scipy.special`.
    @Test func incompleteGammaMatchesScipy() {
        let cases: [(Double, Double, Double, Double)] = [
            (0.5, 0.1, 0.34527915398142317, 0.6547208460185768),
            (3, 2.5, 0.45618688411667035, 0.5438131158833297),
            (10, 20, 0.9950045876916924, 0.0049954123083075785),
            (100, 80, 0.0171083130351331, 0.9828916869648668),
            (5000, 5100, 0.9206711189223811, 0.07932888107761896),
            (0.01, 0.001, 0.9385706525261288, 0.06142934747387101),
            (1, 50, 1.0, 1.9287498479639183e-22),
        ]
        for (a, x, lower, upper) in cases {
            let l = Distributions.regularizedGammaP(a, x), u = Distributions.regularizedGammaQ(a, x)
            #expect(close(l, lower, rel: 1e-12), "P(\(a), \(x)) = \(l), scipy \(lower)")
            #expect(close(u, upper, rel: 1e-12), "Q(\(a), \(x)) = \(u), scipy \(upper)")
        }
    }

    /// `(p, ν, stats.chi2.ppf(p, ν))` from `scipy.stats.chi2`; required to 1e-12 relative.
    @Test func chiSquareQuantileMatchesScipyTo1e12() {
        let cases: [(Double, Double, Double)] = [
            (0.025, 2, 0.05063561596857975), (0.975, 2, 7.377758908227871),
            (0.025, 20, 9.590777392264867), (0.975, 22, 36.78071208403556),
            (0.025, 10000, 9724.718377389798), (0.975, 10002, 10281.097897070009),
            (0.5, 1, 0.454936423119572), (1e-10, 3, 5.20939762143448e-07),
            (0.025, 0.5, 5.273202591259991e-07), (0.999999, 7, 40.52183123411472),
        ]
        for (p, nu, x) in cases {
            let got = Distributions.chiSquareQuantile(p, degreesOfFreedom: nu)
            #expect(close(got, x, rel: 1e-12), "χ²_\(nu)(\(p)) = \(got), scipy \(x)")
        }
    }

    /// The gamma quantile inverts P(a, ·) on a grid of shapes and probabilities (round trip).
    @Test func gammaQuantileRoundTrips() {
        for a in [0.05, 0.5, 1, 3.5, 40, 900] {
            for p in [1e-8, 0.01, 0.3, 0.5, 0.8, 0.99, 1 - 1e-9] {
                let x = Distributions.gammaQuantile(p, shape: a)
                let back = p > 0.5 ? 1 - Distributions.regularizedGammaQ(a, x) : Distributions.regularizedGammaP(a, x)
                #expect(close(back, p, rel: 1e-11), "a = \(a), p = \(p): x = \(x), P = \(back)")
            }
        }
    }
}
