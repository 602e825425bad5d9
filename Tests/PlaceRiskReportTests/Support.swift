import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// True when `s` parses as well-formed XML with Foundation's XMLParser.
func isWellFormedXML(_ s: String) -> Bool {
    let parser = XMLParser(data: Data(s.utf8))
    return parser.parse()
}

/// Number of non-overlapping occurrences of `needle` in `s`.
func occurrences(of needle: String, in s: String) -> Int {
    s.components(separatedBy: needle).count - 1
}

/// The `d` attribute values of every `<path` element.
func pathData(_ svg: String) -> [String] {
    svg.components(separatedBy: "<path ").dropFirst().compactMap { chunk in
        guard let r = chunk.range(of: " d=\"") else { return nil }
        let rest = chunk[r.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
