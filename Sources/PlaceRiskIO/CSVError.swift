/// A CSV or data-format problem, with the file, 1-based line and 1-based column (bytes) where it is.
public struct CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// A quoted field still open at the end of the file.
        case unterminatedQuote
        /// A character other than a delimiter or line end after a closing quote.
        case textAfterClosingQuote
        /// A data row with a different number of fields from the header.
        case fieldCount(expected: Int, found: Int)
        /// The header lacks a required column.
        case missingColumn(String)
        /// A value could not be read (bad month, number, …).
        case badValue(column: String, value: String, expected: String)
        /// The file could not be opened or read.
        case io(String)
        /// No header row.
        case empty
    }

    public let kind: Kind
    public let file: String
    public let line: Int
    public let column: Int

    public init(_ kind: Kind, file: String, line: Int, column: Int) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column: what` — one line.
    public var description: String { "\(file):\(line):\(column): \(reason)" }

    /// The reason alone.
    public var reason: String {
        switch kind {
        case .unterminatedQuote: return "unterminated quoted field (opened here, never closed)"
        case .textAfterClosingQuote: return "unexpected character after a closing quote"
        case .fieldCount(let e, let f): return "expected \(e) fields, found \(f)"
        case .missingColumn(let c): return "header has no column '\(c)'"
        case .badValue(let c, let v, let e): return "column '\(c)': '\(v)' is not \(e)"
        case .io(let m): return m
        case .empty: return "file is empty (no header row)"
        }
    }
}
