import PlaceRiskCore
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

typealias SplitMix64 = SeededGenerator
