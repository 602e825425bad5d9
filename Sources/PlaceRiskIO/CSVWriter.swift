import PlaceRiskCore
/// A buffered RFC 4180 CSV writer: fields containing a comma, quote, CR or LF are quoted and
/// inner quotes doubled; lines end in LF. Writes to a file (or collects bytes in memory).
///
/// A file is written all or nothing (`OutputFile`): it appears at `path` only when `close()`
/// succeeds; a failed write (a full disk) or a writer dropped before `close()` leaves no partial file.
public final class CSVWriter {
    private var buffer: [UInt8] = []
    private var file: OutputFile?
    public let path: String?
    private let delimiter: UInt8

    /// Writes to `path` (replaced when `close()` succeeds).
    public init(path: String, delimiter: UInt8 = UInt8(ascii: ",")) throws(CSVError) {
        self.path = path
        self.delimiter = delimiter
        file = try OutputFile(path: path)
        buffer.reserveCapacity(1 << 16)
    }

    /// Collects output in memory (`bytes`).
    public init(delimiter: UInt8 = UInt8(ascii: ",")) {
        self.path = nil
        self.delimiter = delimiter
    }


    /// Bytes written so far (in-memory writer only; a file writer flushes them away).
    public var bytes: [UInt8] { buffer }

    /// Appends one record.
    public func writeRow(_ fields: [String]) throws(CSVError) {
        for (i, f) in fields.enumerated() {
            if i > 0 { buffer.append(delimiter) }
            appendField(f)
        }
        buffer.append(0x0A)
        if file != nil, buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends already-safe text (no quoting) followed by LF; for numeric hot loops.
    public func writeRaw(_ line: String) throws(CSVError) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if file != nil, buffer.count >= 1 << 16 { try flush() }
    }

    /// Whether a field needs quoting.
    public static func needsQuotes(_ f: String, delimiter: UInt8 = UInt8(ascii: ",")) -> Bool {
        f.utf8.contains { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
    }

    private func appendField(_ f: String) {
        if CSVWriter.needsQuotes(f, delimiter: delimiter) {
            buffer.append(0x22)
            for b in f.utf8 {
                if b == 0x22 { buffer.append(0x22) }
                buffer.append(b)
            }
            buffer.append(0x22)
        } else {
            buffer.append(contentsOf: f.utf8)
        }
    }

    /// Writes buffered bytes to the file; a failure removes the partial file.
    public func flush() throws(CSVError) {
        guard let f = file, !buffer.isEmpty else { return }
        do { try f.write(buffer) } catch {
            file = nil
            throw error
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and moves the finished file to `path`.
    public func close() throws(CSVError) {
        try flush()
        if let f = file {
            file = nil
            try f.commit()
        }
    }
}
