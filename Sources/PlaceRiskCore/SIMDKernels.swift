/// Vector loops over contiguous doubles, four at a time: the Gaussian per-point inner loop (adaptive
/// bandwidths) and the regression likelihood's column passes (`Likelihood.evaluate`).
///
/// Written with `SIMD4<Double>` and unaligned loads/stores because the compiler cannot prove that the
/// output row and the per-column terms do not overlap, which stops it vectorising the scalar loops.
enum SIMDKernels {
    /// y[i] += a · x[i] for i in 0..<n.
    @inline(__always)
    static func axpy(_ y: UnsafeMutablePointer<Double>, _ a: Double, _ x: UnsafePointer<Double>, _ n: Int) {
        let yr = UnsafeMutableRawPointer(y), xr = UnsafeRawPointer(x)
        let av = SIMD4<Double>(repeating: a)
        var i = 0
        while i + 4 <= n {
            let o = yr.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            let v = xr.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            yr.storeBytes(of: o + av * v, toByteOffset: i * 8, as: SIMD4<Double>.self)
            i += 4
        }
        while i < n { y[i] += a * x[i]; i += 1 }
    }

    /// Σ a[i] · b[i] for i in 0..<n (eight lanes in two accumulators, then the tail).
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        let ar = UnsafeRawPointer(a), br = UnsafeRawPointer(b)
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>()
        var i = 0
        while i + 8 <= n {
            s0 += ar.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
                * br.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            s1 += ar.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self)
                * br.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self)
            i += 8
        }
        var s = (s0 + s1).sum()
        while i < n { s += a[i] * b[i]; i += 1 }
        return s
    }

    /// Σ a[i] for i in 0..<n.
    @inline(__always)
    static func sum(_ a: UnsafePointer<Double>, _ n: Int) -> Double {
        let ar = UnsafeRawPointer(a)
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>()
        var i = 0
        while i + 8 <= n {
            s0 += ar.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            s1 += ar.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self)
            i += 8
        }
        var s = (s0 + s1).sum()
        while i < n { s += a[i]; i += 1 }
        return s
    }

    /// out[i] = a[i] · b[i] for i in 0..<n.
    @inline(__always)
    static func product(_ out: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) {
        let o = UnsafeMutableRawPointer(out), ar = UnsafeRawPointer(a), br = UnsafeRawPointer(b)
        var i = 0
        while i + 4 <= n {
            o.storeBytes(of: ar.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
                * br.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self), toByteOffset: i * 8, as: SIMD4<Double>.self)
            i += 4
        }
        while i < n { out[i] = a[i] * b[i]; i += 1 }
    }
}
