/// WGS84 longitude/latitude ⇄ British National Grid (EPSG:27700) easting/northing.
///
/// Method (Ordnance Survey, *A guide to coordinate systems in Great Britain*, v3.6, 2020,
/// sections 6.6 and annexes B–C):
/// ```
/// 1. WGS84 (GRS80) geodetic → geocentric Cartesian (h = 0)
/// 2. 7-parameter Helmert to OSGB36:
///      tx = −446.448 m, ty = +125.157 m, tz = −542.060 m, s = +20.4894 ppm,
///      rx = −0.1502″, ry = −0.2470″, rz = −0.8421″
///      X' = T + (1 + s)·X + R × X   (small-angle rotation matrix)
/// 3. Cartesian → geodetic on Airy 1830 (a = 6377563.396, b = 6356256.909), iterated
/// 4. Transverse Mercator: F0 = 0.9996012717, φ0 = 49° N, λ0 = 2° W,
///      E0 = 400 000 m, N0 = −100 000 m (OS series formulae, annex C)
/// ```
/// Accuracy: the single Helmert transformation is good to about 2–5 m across GB (OS guide §6.6);
/// OSTN15 would be needed for centimetres. Tests measure the error against 1,034 ONS LSOA
/// centroids that carry both coordinate pairs.
///
/// Points outside the EPSG:27700 area of use (49.75° N – 61.01° N, 9.01° W – 2.01° E)
/// are rejected (`nil`), never projected to a garbage coordinate.
public enum BritishNationalGrid {
    /// EPSG:27700 area of use (degrees).
    public static let validLongitude: ClosedRange<Double> = -9.01 ... 2.01
    public static let validLatitude: ClosedRange<Double> = 49.75 ... 61.01

    /// Whether a WGS84 position lies in British National Grid's area of use.
    @inlinable
    public static func isValid(longitude: Double, latitude: Double) -> Bool {
        validLongitude.contains(longitude) && validLatitude.contains(latitude)
    }

    /// Projects WGS84 lon/lat (degrees) to BNG (metres); nil outside the area of use or for NaN.
    public static func project(longitude: Double, latitude: Double) -> (easting: Double, northing: Double)? {
        guard isValid(longitude: longitude, latitude: latitude) else { return nil }
        let φ = latitude * deg, λ = longitude * deg
        // 1. WGS84 geodetic → Cartesian.
        let (x, y, z) = toCartesian(φ: φ, λ: λ, a: grs80A, e2: grs80E2)
        // 2. Helmert to OSGB36.
        let x2 = tx + (1 + s) * x - rz * y + ry * z
        let y2 = ty + rz * x + (1 + s) * y - rx * z
        let z2 = tz - ry * x + rx * y + (1 + s) * z
        // 3. Cartesian → OSGB36 geodetic.
        let (φ2, λ2) = toGeodetic(x: x2, y: y2, z: z2, a: airyA, e2: airyE2)
        // 4. Transverse Mercator.
        return transverseMercator(φ: φ2, λ: λ2)
    }

    /// Inverse: BNG (metres) to WGS84 lon/lat (degrees): inverse transverse Mercator, the exact
    /// inverse of the forward Helmert matrix, then fixed-point correction so that
    /// `unproject(project(p)) == p` to ~1e-9 degrees (sub-millimetre).
    public static func unproject(easting: Double, northing: Double) -> (longitude: Double, latitude: Double) {
        // The direct inverse drops the ellipsoidal height the forward Helmert introduces (≈ 1 mm);
        // two fixed-point corrections through the forward projection remove it.
        let first = directUnproject(easting: easting, northing: northing)
        var lon = first.longitude, lat = first.latitude
        for _ in 0 ..< 2 {
            guard let p = project(longitude: lon, latitude: lat) else { break }
            let again = directUnproject(easting: p.easting, northing: p.northing)
            lon += first.longitude - again.longitude
            lat += first.latitude - again.latitude
        }
        return (lon, lat)
    }

    static func directUnproject(easting: Double, northing: Double) -> (longitude: Double, latitude: Double) {
        let (φ, λ) = inverseTransverseMercator(e: easting, n: northing)
        let (x, y, z) = toCartesian(φ: φ, λ: λ, a: airyA, e2: airyE2)
        // Exact inverse of the forward Helmert: X = M⁻¹ (X' − T).
        let dx = x - tx, dy = y - ty, dz = z - tz
        let m = inverseHelmert
        let x2 = m[0] * dx + m[1] * dy + m[2] * dz
        let y2 = m[3] * dx + m[4] * dy + m[5] * dz
        let z2 = m[6] * dx + m[7] * dy + m[8] * dz
        let (φ2, λ2) = toGeodetic(x: x2, y: y2, z: z2, a: grs80A, e2: grs80E2)
        return (λ2 / deg, φ2 / deg)
    }

    // MARK: constants (hoisted)

    static let deg = Double.pi / 180
    static let arcsec = Double.pi / (180 * 3600)
    static let grs80A = 6378137.0, grs80B = 6356752.314140
    static let grs80E2 = 1 - (grs80B * grs80B) / (grs80A * grs80A)
    static let airyA = 6377563.396, airyB = 6356256.909
    static let airyE2 = 1 - (airyB * airyB) / (airyA * airyA)
    static let tx = -446.448, ty = 125.157, tz = -542.060
    static let s = 20.4894e-6
    static let rx = -0.1502 * arcsec, ry = -0.2470 * arcsec, rz = -0.8421 * arcsec
    /// Inverse of the forward Helmert matrix M = [[1+s, −rz, ry], [rz, 1+s, −rx], [−ry, rx, 1+s]] (row-major).
    static let inverseHelmert: [Double] = {
        let a = 1 + s
        let m = [a, -rz, ry, rz, a, -rx, -ry, rx, a]
        let det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6])
        let cof = [
            m[4] * m[8] - m[5] * m[7], -(m[1] * m[8] - m[2] * m[7]), m[1] * m[5] - m[2] * m[4],
            -(m[3] * m[8] - m[5] * m[6]), m[0] * m[8] - m[2] * m[6], -(m[0] * m[5] - m[2] * m[3]),
            m[3] * m[7] - m[4] * m[6], -(m[0] * m[7] - m[1] * m[6]), m[0] * m[4] - m[1] * m[3],
        ]
        return cof.map { $0 / det }
    }()
    static let f0 = 0.9996012717
    static let φ0 = 49.0 * deg, λ0 = -2.0 * deg
    static let e0 = 400_000.0, n0 = -100_000.0
    static let nn = (airyA - airyB) / (airyA + airyB)
    static let m1 = 1 + nn + 1.25 * nn * nn + 1.25 * nn * nn * nn
    static let m2 = 3 * nn + 3 * nn * nn + 21.0 / 8 * nn * nn * nn
    static let m3 = 15.0 / 8 * nn * nn + 15.0 / 8 * nn * nn * nn
    static let m4 = 35.0 / 24 * nn * nn * nn

    @inline(__always)
    static func toCartesian(φ: Double, λ: Double, a: Double, e2: Double) -> (Double, Double, Double) {
        let sφ = sin(φ), cφ = cos(φ)
        let ν = a / (1 - e2 * sφ * sφ).squareRoot()
        return (ν * cφ * cos(λ), ν * cφ * sin(λ), (1 - e2) * ν * sφ)
    }

    @inline(__always)
    static func toGeodetic(x: Double, y: Double, z: Double, a: Double, e2: Double) -> (Double, Double) {
        let p = (x * x + y * y).squareRoot()
        var φ = atan2(z, p * (1 - e2))
        for _ in 0 ..< 10 {
            let sφ = sin(φ)
            let ν = a / (1 - e2 * sφ * sφ).squareRoot()
            let next = atan2(z + e2 * ν * sφ, p)
            if abs(next - φ) < 1e-13 { φ = next; break }
            φ = next
        }
        return (φ, atan2(y, x))
    }

    /// Meridional arc M (OS guide annex C, C3).
    @inline(__always)
    static func meridionalArc(_ φ: Double) -> Double {
        let d = φ - φ0, t = φ + φ0
        return airyB * f0 * (m1 * d - m2 * sin(d) * cos(t) + m3 * sin(2 * d) * cos(2 * t) - m4 * sin(3 * d) * cos(3 * t))
    }

    @inline(__always)
    static func transverseMercator(φ: Double, λ: Double) -> (easting: Double, northing: Double) {
        let sφ = sin(φ), cφ = cos(φ), tφ = sφ / cφ
        let t2 = tφ * tφ, t4 = t2 * t2
        let w = 1 - airyE2 * sφ * sφ
        let ν = airyA * f0 / w.squareRoot()
        let ρ = airyA * f0 * (1 - airyE2) / (w * w.squareRoot())
        let η2 = ν / ρ - 1
        let c3 = cφ * cφ * cφ, c5 = c3 * cφ * cφ
        let i = meridionalArc(φ) + n0
        let ii = ν / 2 * sφ * cφ
        let iii = ν / 24 * sφ * c3 * (5 - t2 + 9 * η2)
        let iiia = ν / 720 * sφ * c5 * (61 - 58 * t2 + t4)
        let iv = ν * cφ
        let v = ν / 6 * c3 * (ν / ρ - t2)
        let vi = ν / 120 * c5 * (5 - 18 * t2 + t4 + 14 * η2 - 58 * t2 * η2)
        let dl = λ - λ0, dl2 = dl * dl
        let n = i + dl2 * (ii + dl2 * (iii + dl2 * iiia))
        let e = e0 + dl * (iv + dl2 * (v + dl2 * vi))
        return (e, n)
    }

    static func inverseTransverseMercator(e: Double, n: Double) -> (Double, Double) {
        var φ = (n - n0) / (airyA * f0) + φ0
        var m = meridionalArc(φ)
        var guardCount = 0
        while abs(n - n0 - m) >= 1e-5, guardCount < 50 {
            φ += (n - n0 - m) / (airyA * f0)
            m = meridionalArc(φ)
            guardCount += 1
        }
        let sφ = sin(φ), cφ = cos(φ), tφ = sφ / cφ, secφ = 1 / cφ
        let t2 = tφ * tφ, t4 = t2 * t2, t6 = t4 * t2
        let w = 1 - airyE2 * sφ * sφ
        let ν = airyA * f0 / w.squareRoot()
        let ρ = airyA * f0 * (1 - airyE2) / (w * w.squareRoot())
        let η2 = ν / ρ - 1
        let ν3 = ν * ν * ν, ν5 = ν3 * ν * ν, ν7 = ν5 * ν * ν
        let vii = tφ / (2 * ρ * ν)
        let viii = tφ / (24 * ρ * ν3) * (5 + 3 * t2 + η2 - 9 * t2 * η2)
        let ix = tφ / (720 * ρ * ν5) * (61 + 90 * t2 + 45 * t4)
        let x = secφ / ν
        let xi = secφ / (6 * ν3) * (ν / ρ + 2 * t2)
        let xii = secφ / (120 * ν5) * (5 + 28 * t2 + 24 * t4)
        let xiia = secφ / (5040 * ν7) * (61 + 662 * t2 + 1320 * t4 + 720 * t6)
        let de = e - e0, de2 = de * de
        let lat = φ - de2 * (vii - de2 * (viii - de2 * ix))
        let lon = λ0 + de * (x - de2 * (xi - de2 * (xii - de2 * xiia)))
        return (lat, lon)
    }
}
