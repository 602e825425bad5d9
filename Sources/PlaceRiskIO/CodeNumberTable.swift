import Foundation

/// A table from LSOA code numbers (`LSOACode.number`: 0 ..< 2,000,000) to small non-negative
/// integers, in memory the kernel zero-fills on first touch (`calloc`), so only the pages of the
/// codes used are ever touched: England's and Wales's LSOAs fill about 40 of its 1,954 pages, where
/// an array filled with a sentinel would write all 8 MB. Entries hold value + 1 (0 = absent).
final class CodeNumberTable: @unchecked Sendable {
    static let capacity = 2_000_000
    private let base: UnsafeMutablePointer<Int32>

    init() {
        guard let p = calloc(Self.capacity, MemoryLayout<Int32>.size) else { fatalError("CodeNumberTable: out of memory") }
        base = p.assumingMemoryBound(to: Int32.self)
    }

    deinit { free(base) }

    /// The value of code number `n`, nil when none was set. Reads may run on several threads while
    /// no thread writes.
    subscript(n: Int) -> Int32? {
        get {
            precondition(n >= 0 && n < Self.capacity, "CodeNumberTable: not an LSOA code number")
            let v = base[n]
            return v == 0 ? nil : v - 1
        }
        set {
            precondition(n >= 0 && n < Self.capacity, "CodeNumberTable: not an LSOA code number")
            precondition(newValue.map { $0 >= 0 && $0 < Int32.max } ?? true, "CodeNumberTable: values are 0 ..< Int32.max")
            base[n] = newValue.map { $0 + 1 } ?? 0
        }
    }
}
