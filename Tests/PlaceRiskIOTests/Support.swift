import PlaceRiskCore
import Foundation

/// Path of a fixture bundled with this test target.
func fixturePath(_ name: String) -> String {
    Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil)!.path
}

func fixtureText(_ name: String) throws -> String {
    try String(contentsOfFile: fixturePath(name), encoding: .utf8)
}

/// The repository's bundled `datasets/` folder (tests may read it: it ships with every clone).
let datasetsFolder: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0 ..< 3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("datasets").path
}()

/// A fresh temporary folder.
func temporaryFolder() throws -> String {
    let p = NSTemporaryDirectory() + "placerisk-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
    return p
}

typealias SplitMix64 = SeededGenerator
