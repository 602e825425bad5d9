/// The Thrift compact protocol, as Parquet uses it for its footer (`FileMetaData`) and page headers.
///
/// Encoding (Apache Thrift, "Thrift Compact protocol encoding", thrift/doc/specs/thrift-compact-protocol.md):
/// ```
/// field header   delta 1…15: one byte (delta << 4) | type;  else: type byte, then zigzag-varint field id
/// i16/i32/i64    zigzag (n << 1) ^ (n >> 63), then ULEB128 varint (7 bits a byte, low first)
/// double         8 bytes little-endian IEEE 754
/// binary/string  varint length, bytes
/// list           size < 15: (size << 4) | element type;  else 0xF0 | element type, varint size
/// bool field     the value is the type nibble (1 true, 2 false)
/// struct end     a 0 byte (STOP); a nested struct restarts the field-id deltas at 0
/// ```
/// Type nibbles: TRUE 1, FALSE 2, BYTE 3, I16 4, I32 5, I64 6, DOUBLE 7, BINARY 8, LIST 9, SET 10,
/// MAP 11, STRUCT 12.
public enum ThriftCompact {
    public enum FieldType: UInt8, Sendable {
        case boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7, binary = 8
        case list = 9, set = 10, map = 11, structure = 12
    }

    /// A decoded value: enough of Thrift's types for Parquet's metadata (maps are not used there).
    public indirect enum Value: Sendable, Equatable {
        case bool(Bool)
        case int(Int64)
        case double(Double)
        case binary([UInt8])
        case list([Value])
        case structure([Int16: Value])

        public var int: Int64? { if case .int(let v) = self { return v }; return nil }
        public var binary: [UInt8]? { if case .binary(let v) = self { return v }; return nil }
        public var list: [Value]? { if case .list(let v) = self { return v }; return nil }
        public var fields: [Int16: Value]? { if case .structure(let v) = self { return v }; return nil }
        public var string: String? { binary.map { String(decoding: $0, as: UTF8.self) } }
        public subscript(_ id: Int16) -> Value? { fields?[id] }
    }

    /// Writes compact-protocol structs into a byte buffer.
    public struct Writer: Sendable {
        public private(set) var bytes: [UInt8] = []
        private var lastField: [Int16] = [0]

        public init() {}

        public mutating func varint(_ v: UInt64) {
            var v = v
            while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            bytes.append(UInt8(v))
        }

        public static func zigzag(_ n: Int64) -> UInt64 { UInt64(bitPattern: (n << 1) ^ (n >> 63)) }

        private mutating func fieldHeader(_ id: Int16, _ type: FieldType) {
            let delta = Int(id) - Int(lastField[lastField.count - 1])
            if delta > 0 && delta <= 15 {
                bytes.append(UInt8(delta << 4) | type.rawValue)
            } else {
                bytes.append(type.rawValue)
                varint(Self.zigzag(Int64(id)))
            }
            lastField[lastField.count - 1] = id
        }

        public mutating func i32(_ id: Int16, _ v: Int32) { fieldHeader(id, .i32); varint(Self.zigzag(Int64(v))) }
        public mutating func i64(_ id: Int16, _ v: Int64) { fieldHeader(id, .i64); varint(Self.zigzag(v)) }
        public mutating func i16(_ id: Int16, _ v: Int16) { fieldHeader(id, .i16); varint(Self.zigzag(Int64(v))) }
        public mutating func byte(_ id: Int16, _ v: Int8) { fieldHeader(id, .byte); bytes.append(UInt8(bitPattern: v)) }
        public mutating func bool(_ id: Int16, _ v: Bool) { fieldHeader(id, v ? .boolTrue : .boolFalse) }
        public mutating func binary(_ id: Int16, _ v: [UInt8]) { fieldHeader(id, .binary); varint(UInt64(v.count)); bytes += v }
        public mutating func string(_ id: Int16, _ v: String) { binary(id, Array(v.utf8)) }

        /// A struct field: `body` writes its fields; the STOP byte is added.
        public mutating func structure(_ id: Int16, _ body: (inout Writer) -> Void) {
            fieldHeader(id, .structure)
            nested(body)
        }

        /// A list field of `count` elements of `type`; `body` writes the elements (`element…` calls).
        public mutating func list(_ id: Int16, _ type: FieldType, count: Int, _ body: (inout Writer) -> Void) {
            fieldHeader(id, .list)
            if count < 15 { bytes.append(UInt8(count << 4) | type.rawValue) } else {
                bytes.append(0xF0 | type.rawValue)
                varint(UInt64(count))
            }
            body(&self)
        }

        public mutating func elementI32(_ v: Int32) { varint(Self.zigzag(Int64(v))) }
        public mutating func elementBinary(_ v: [UInt8]) { varint(UInt64(v.count)); bytes += v }
        public mutating func elementStruct(_ body: (inout Writer) -> Void) { nested(body) }

        private mutating func nested(_ body: (inout Writer) -> Void) {
            lastField.append(0)
            body(&self)
            bytes.append(0) // STOP
            lastField.removeLast()
        }

        /// Ends the top-level struct.
        public mutating func stop() { bytes.append(0) }
    }

    /// A malformed compact-protocol buffer (truncated, or a type this reader does not know).
    public struct DecodeError: Error, Sendable, Equatable {
        public let offset: Int
        public let reason: String
    }

    /// Reads one top-level struct starting at `offset`; returns it and the offset after its STOP byte.
    public static func readStruct(_ b: UnsafeRawBufferPointer, at offset: Int) throws(DecodeError) -> (Value, Int) {
        var p = offset
        let v = try readStructBody(b, &p, depth: 0)
        return (v, p)
    }

    public static func readStruct(_ b: [UInt8], at offset: Int = 0) throws(DecodeError) -> (Value, Int) {
        do {
            return try b.withUnsafeBytes { raw in try readStruct(raw, at: offset) }
        } catch let e as DecodeError { throw e } catch { throw DecodeError(offset: offset, reason: "\(error)") }
    }

    private static func byte(_ b: UnsafeRawBufferPointer, _ p: inout Int) throws(DecodeError) -> UInt8 {
        guard p < b.count else { throw DecodeError(offset: p, reason: "metadata ends in the middle of a value") }
        defer { p += 1 }
        return b[p]
    }

    private static func varint(_ b: UnsafeRawBufferPointer, _ p: inout Int) throws(DecodeError) -> UInt64 {
        var v: UInt64 = 0, shift: UInt64 = 0
        while true {
            let x = try byte(b, &p)
            guard shift < 64 else { throw DecodeError(offset: p, reason: "varint longer than 64 bits") }
            v |= UInt64(x & 0x7F) << shift
            if x & 0x80 == 0 { return v }
            shift += 7
        }
    }

    private static func zigzagInt(_ b: UnsafeRawBufferPointer, _ p: inout Int) throws(DecodeError) -> Int64 {
        let u = try varint(b, &p)
        return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }

    private static func readStructBody(_ b: UnsafeRawBufferPointer, _ p: inout Int, depth: Int) throws(DecodeError) -> Value {
        guard depth < 64 else { throw DecodeError(offset: p, reason: "structs nested too deeply") }
        var fields: [Int16: Value] = [:]
        var last: Int16 = 0
        while true {
            let h = try byte(b, &p)
            if h == 0 { return .structure(fields) }
            let delta = h >> 4, typeNibble = h & 0x0F
            let id: Int16
            if delta == 0 {
                let z = try zigzagInt(b, &p)
                guard let i = Int16(exactly: z) else { throw DecodeError(offset: p, reason: "field id \(z) out of range") }
                id = i
            } else { id = last &+ Int16(delta) }
            last = id
            guard let t = FieldType(rawValue: typeNibble) else { throw DecodeError(offset: p - 1, reason: "unknown field type \(typeNibble)") }
            fields[id] = try readValue(b, &p, t, depth: depth, inField: true)
        }
    }

    private static func readValue(_ b: UnsafeRawBufferPointer, _ p: inout Int, _ t: FieldType, depth: Int, inField: Bool) throws(DecodeError) -> Value {
        switch t {
        case .boolTrue, .boolFalse:
            if inField { return .bool(t == .boolTrue) }
            return .bool(try byte(b, &p) == 1) // list elements carry the bool in a byte
        case .byte: return .int(Int64(Int8(bitPattern: try byte(b, &p))))
        case .i16, .i32, .i64: return .int(try zigzagInt(b, &p))
        case .double:
            guard p + 8 <= b.count else { throw DecodeError(offset: p, reason: "metadata ends in the middle of a double") }
            var bits: UInt64 = 0
            for k in 0 ..< 8 { bits |= UInt64(b[p + k]) << (8 * UInt64(k)) }
            p += 8
            return .double(Double(bitPattern: bits))
        case .binary:
            let n = try varint(b, &p)
            guard n <= UInt64(b.count - p) else { throw DecodeError(offset: p, reason: "a \(n)-byte string runs past the end of the metadata") }
            let v = Array(b[p ..< p + Int(n)])
            p += Int(n)
            return .binary(v)
        case .list, .set:
            let h = try byte(b, &p)
            var n = Int(h >> 4)
            if n == 15 {
                let big = try varint(b, &p)
                guard big <= UInt64(b.count) else { throw DecodeError(offset: p, reason: "list of \(big) elements is longer than the metadata") }
                n = Int(big)
            }
            guard let et = FieldType(rawValue: h & 0x0F) else { throw DecodeError(offset: p - 1, reason: "unknown list element type \(h & 0x0F)") }
            var out: [Value] = []
            out.reserveCapacity(min(n, 1 << 16))
            for _ in 0 ..< n { out.append(try readValue(b, &p, et, depth: depth + 1, inField: false)) }
            return .list(out)
        case .map:
            throw DecodeError(offset: p, reason: "maps do not occur in Parquet metadata")
        case .structure:
            return try readStructBody(b, &p, depth: depth + 1)
        }
    }
}
