// Shared timing helpers of every suite: the timed loop (inputs built before, one warm-up run, results kept
// alive), the median, peak RSS, and the JSON line in the peers' schema (../shared/peers/_common.py
// timing_record): {"grid", "input", "library", "median_s", "method", "op", "repeats", "size", "times_s", ...}.

import Foundation
import PlaceRiskIO

/// Keeps `value` alive so the optimiser cannot drop the computation that produced it (dead-code elimination).
@inline(never) @_optimize(none)
func blackHole<T>(_ value: T) {}

/// Median of a non-empty list.
func median(_ v: [Double]) -> Double {
    let s = v.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Monotonic seconds.
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Runs `body` once untimed (warm-up: page faults, caches, lazy statics), then `repeats` timed times.
/// Every result goes through `blackHole`; the last one is returned with the seconds of each timed run.
func time<T>(_ repeats: Int, warmUp: Bool = true, _ body: () throws -> T) rethrows -> (T, [Double]) {
    if warmUp { blackHole(try body()) }
    var out: T?
    var times: [Double] = []
    for _ in 0 ..< max(1, repeats) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let r = try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        blackHole(r)
        out = r
    }
    return (out!, times)
}

/// Peak resident set size of this process so far (MB), from /proc/self/status VmHWM.
func peakRSSMB() -> Double {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
    for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? .nan
        return kb / 1024
    }
    return .nan
}

/// getrusage ru_maxrss (MB) of this process (`RUSAGE_SELF`) or of its waited-for children (`RUSAGE_CHILDREN`).
func maxRSSMB(children: Bool = false) -> Double {
    var u = rusage()
    // RUSAGE_SELF = 0 and RUSAGE_CHILDREN = −1 on Linux and Darwin (Glibc imports them as an enum).
    guard getrusage(children ? -1 : 0, &u) == 0 else { return .nan }
    return Double(u.ru_maxrss) / 1024   // kilobytes on Linux
}

/// Rounded to one decimal (MB figures).
func mb(_ v: Double) -> JSONValue { .number((v * 10).rounded() / 10) }

/// Prints one JSON line (keys sorted, as the peers write them).
func record(op: String, size: Int, grid: String?, method: String, times: [Double], input: String, extra: [(String, JSONValue)] = []) {
    var o: [(String, JSONValue)] = [
        ("grid", grid.map { .string($0) } ?? .null),
        ("input", .string(input)),
        ("library", .string("PlaceRisk")),
        ("median_s", .number((median(times) * 1e6).rounded() / 1e6)),
        ("method", .string(method)),
        ("op", .string(op)),
        ("repeats", .int(times.count)),
        ("size", .int(size)),
        ("times_s", .array(times.map { .number(($0 * 1e6).rounded() / 1e6) })),
    ]
    o.append(contentsOf: extra)
    o.sort { $0.0 < $1.0 }
    print(JSONValue.object(o).serialized(pretty: false))
}

/// A progress line on stderr (stdout carries only the JSON lines).
func note(_ s: String) {
    FileHandle.standardError.write(Data("[bench] \(s)\n".utf8))
}
