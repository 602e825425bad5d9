/// A CSV or data-format problem, with the file, 1-based line and 1-based column (bytes) where it is.
///
/// Line 0 means the problem concerns the whole file (it cannot be opened, has no header, lacks a
/// column, no files were found): `description` then names the file alone, never `file:0:0:`.
public struct CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// A quoted field still open at the end of the file.
        case unterminatedQuote
        /// A quoted field still open at the end of its line, in a reader whose records never span
        /// lines (`CSVReader.Options.recordsNeverSpanLines`; police.uk fields never hold line breaks).
        case quoteOpenAtLineEnd
        /// A character other than a delimiter or line end after a closing quote.
        case textAfterClosingQuote
        /// A data row with a different number of fields from the header.
        case fieldCount(expected: Int, found: Int)
        /// The header lacks a required column.
        case missingColumn(String)
        /// The header lacks a required column; `found` lists the columns it has.
        case missingColumnAmong(String, found: [String])
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

    /// `file:line:column: what` — one line; `file: what` when line is 0 (a whole-file problem:
    /// cannot open, empty, a missing column, no files found).
    public var description: String {
        if line <= 0 { return "\(file): \(reason)" }
        return "\(file):\(line):\(column): \(reason)"
    }

    /// The reason alone.
    public var reason: String {
        switch kind {
        case .unterminatedQuote: return "unterminated quoted field (opened here, never closed)"
        case .quoteOpenAtLineEnd: return "quoted field opened here is not closed on its line"
        case .textAfterClosingQuote: return "unexpected character after a closing quote"
        case .fieldCount(let e, let f): return "expected \(e) fields, found \(f)"
        case .missingColumn(let c): return "header has no column '\(c)'"
        case .missingColumnAmong(let c, let found):
            let list = found.isEmpty ? "none" : found.map { "'\($0)'" }.joined(separator: ", ")
            return "header has no column '\(c)'; columns found: \(list)"
        case .badValue(let c, let v, let e): return "column '\(c)': '\(v)' is not \(e)"
        case .io(let m): return m
        case .empty: return "file is empty (no header row)"
        }
    }
}
