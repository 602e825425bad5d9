import Dispatch

/// Splitting work over the machine's cores (Dispatch only; no Foundation).
///
/// PlaceRisk's hot paths are mergeable sums: each worker writes into its own
/// partial buffer and the partials are merged at the end, which is also how the
/// work would scale out across machines.
public enum Parallel {
    /// Number of online processors (at least 1).
    public static let processorCount: Int = {
        let n = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return max(1, n)
    }()

    /// Workers to use for `n` items when each worker should get at least `grain` items.
    public static func workerCount(items n: Int, grain: Int, maxWorkers: Int = processorCount) -> Int {
        precondition(grain > 0, "Parallel.workerCount: grain must be positive")
        return max(1, min(maxWorkers, n / grain))
    }

    /// Runs `body(worker, range)` for `workers` contiguous, near-equal slices of `0..<n`,
    /// concurrently, and returns when all are done. With one worker it runs inline.
    public static func forEachSlice(
        count n: Int, workers: Int, _ body: @Sendable (_ worker: Int, _ range: Range<Int>) -> Void
    ) {
        precondition(workers >= 1, "Parallel.forEachSlice: need at least one worker")
        if workers == 1 { body(0, 0 ..< n); return }
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            body(w, slice(w, of: workers, count: n))
        }
    }

    /// body(0)…body(count − 1), concurrently over the cores (one item per task), results in index order —
    /// the same values as a serial map whenever each item is computed on its own.
    public static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        if count <= 1 || processorCount == 1 { return (0 ..< count).map(body) }
        var out = [T?](repeating: nil, count: count)
        out.withUnsafeMutableBufferPointer { buf in
            let box = UncheckedSendable(buf)
            DispatchQueue.concurrentPerform(iterations: count) { j in box.value[j] = body(j) }
        }
        return out.map { $0! }
    }

    /// Sums `workers` consecutive partial buffers of `count` values each into one (the merge step of the
    /// per-worker partial grids).
    public static func sumPartials(_ partial: [Double], count: Int, workers: Int) -> [Double] {
        precondition(partial.count == count * workers, "Parallel.sumPartials: \(partial.count) values for \(workers) × \(count)")
        if workers == 1 { return partial }
        var out = Array(partial[0 ..< count])
        out.withUnsafeMutableBufferPointer { o in
            partial.withUnsafeBufferPointer { p in
                for w in 1 ..< workers {
                    let base = w * count
                    for c in 0 ..< count { o[c] += p[base + c] }
                }
            }
        }
        return out
    }

    /// The `w`-th of `k` contiguous slices of `0..<n` (sizes differ by at most one).
    @inlinable
    public static func slice(_ w: Int, of k: Int, count n: Int) -> Range<Int> {
        let base = n / k, extra = n % k
        let lo = w * base + min(w, extra)
        return lo ..< lo + base + (w < extra ? 1 : 0)
    }
}

/// A value moved across a concurrency boundary under the caller's guarantee that the
/// concurrent accesses are disjoint (each worker touches only its own slice or buffer).
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}
