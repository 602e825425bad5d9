import Foundation

/// Reads a fixture bundled with this test target.
func fixture(_ name: String) throws -> String {
    let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil)!
    return try String(contentsOf: url, encoding: .utf8)
}

/// Parses a simple numeric CSV (no quotes) into rows of fields.
func simpleCSV(_ text: String) -> [[String]] {
    text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
}

/// A small, seeded, reproducible generator (SplitMix64) for randomised tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
