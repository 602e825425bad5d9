/// The Gaussian per-point inner loop (adaptive bandwidths) over contiguous rows, four doubles at a time.
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
}
