import PlaceRiskCore
import PlaceRiskIO
import Foundation

extension LSOABoundaries {
    /// The boundaries named by `--boundaries` (`given`; nil: the bundled default); nil when the default
    /// file does not exist (a given file that does not exist is an error).
    static func load(_ given: String?) throws -> LSOABoundaries? {
        let path = path(given)
        guard FileManager.default.fileExists(atPath: path) else {
            if given != nil { throw RuntimeError("\(path): no such file (--boundaries)") }
            return nil
        }
        do { return try read(path: path) } catch { throw RuntimeError(error.description) }
    }

    /// The path `load` would read, for messages when it is missing.
    static func path(_ given: String?) -> String { given ?? DensityCommand.defaultBoundaries }
}
