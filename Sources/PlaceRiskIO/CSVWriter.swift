import PlaceRiskCore
/// A buffered RFC 4180 CSV writer: fields containing a comma, quote, CR or LF are quoted and
/// inner quotes doubled; lines end in LF. Writes to a file (or collects bytes in memory).
public final class CSVWriter {
    private var buffer: [UInt8] = []
    private var file: UnsafeMutablePointer<FILE>?
    public let path: String?
    private let delimiter: UInt8

    /// Writes to `path` (created or truncated).
    public init(path: String, delimiter: UInt8 = UInt8(ascii: ",")) throws(CSVError) {
        self.path = path
        self.delimiter = delimiter
        guard let f = fopen(path, "wb") else {
            throw CSVError(.io("cannot create: \(String(cString: strerror(errno)))"), file: path, line: 0, column: 0)
        }
        file = f
        buffer.reserveCapacity(1 << 16)
    }

    /// Collects output in memory (`bytes`).
    public init(delimiter: UInt8 = UInt8(ascii: ",")) {
        self.path = nil
        self.delimiter = delimiter
    }

    deinit { if let f = file { fclose(f) } }

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

    /// Writes buffered bytes to the file.
    public func flush() throws(CSVError) {
        guard let f = file, !buffer.isEmpty else { return }
        let n = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        if n != buffer.count {
            throw CSVError(.io("write failed: \(String(cString: strerror(errno)))"), file: path ?? "", line: 0, column: 0)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file.
    public func close() throws(CSVError) {
        try flush()
        if let f = file {
            file = nil
            if fclose(f) != 0 {
                throw CSVError(.io("close failed: \(String(cString: strerror(errno)))"), file: path ?? "", line: 0, column: 0)
            }
        }
    }
}
