import PlaceRiskCore

/// Wall-clock seconds since creation (monotonic).
struct Stopwatch: Sendable {
    private let start: UInt64
    init() { start = Stopwatch.now() }
    var seconds: Double { Double(Stopwatch.now() - start) / 1e9 }
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
