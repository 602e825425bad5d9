/// Inner loops of the kernel-density fast path over contiguous runs, four doubles at a time.
///
/// Written with `SIMD4<Double>` and unaligned loads/stores because the compiler cannot prove that the
/// output row and the per-column terms do not overlap, which stops it vectorising the scalar loops.
enum SIMDKernels {
    /// y[i] += a · x[i] for i in 0..<n.
    @inline(__always)
    static func axpy(_ y: UnsafeMutablePointer<Double>, _ a: Double, _ x: UnsafeMutablePointer<Double>, _ n: Int) {
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

    /// y[i] += s · max(0, a − x[i])² (quartic).
    @inline(__always)
    static func quartic(_ y: UnsafeMutablePointer<Double>, _ s: Double, _ a: Double, _ x: UnsafeMutablePointer<Double>, _ n: Int) {
        let yr = UnsafeMutableRawPointer(y), xr = UnsafeRawPointer(x)
        let sv = SIMD4<Double>(repeating: s), avec = SIMD4<Double>(repeating: a), zero = SIMD4<Double>.zero
        var i = 0
        while i + 4 <= n {
            let o = yr.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            let m = pointwiseMax(avec - xr.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self), zero)
            yr.storeBytes(of: o + sv * m * m, toByteOffset: i * 8, as: SIMD4<Double>.self)
            i += 4
        }
        while i < n { let m = a - x[i]; let mm = m > 0 ? m : 0; y[i] += s * mm * mm; i += 1 }
    }

    /// y[i] += s · max(0, a − x[i]) (Epanechnikov).
    @inline(__always)
    static func epanechnikov(_ y: UnsafeMutablePointer<Double>, _ s: Double, _ a: Double, _ x: UnsafeMutablePointer<Double>, _ n: Int) {
        let yr = UnsafeMutableRawPointer(y), xr = UnsafeRawPointer(x)
        let sv = SIMD4<Double>(repeating: s), avec = SIMD4<Double>(repeating: a), zero = SIMD4<Double>.zero
        var i = 0
        while i + 4 <= n {
            let o = yr.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            let m = pointwiseMax(avec - xr.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self), zero)
            yr.storeBytes(of: o + sv * m, toByteOffset: i * 8, as: SIMD4<Double>.self)
            i += 4
        }
        while i < n { let m = a - x[i]; y[i] += s * (m > 0 ? m : 0); i += 1 }
    }
}
