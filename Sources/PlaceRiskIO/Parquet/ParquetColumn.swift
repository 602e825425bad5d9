/// One column of a Parquet file PlaceRisk writes: a name and its values, all present (REQUIRED).
///
/// Physical and logical types (Apache Parquet format, `LogicalTypes.md`):
/// ```
/// int32   INT32       INTEGER(32, signed)  converted INT_32
/// int64   INT64       INTEGER(64, signed)  converted INT_64
/// double  DOUBLE      (none)
/// string  BYTE_ARRAY  STRING               converted UTF8     (dictionary-encoded)
/// ```
/// A string column can also be given already coded (`dictionary`: row i holds `labels[codes[i]]`),
/// so a writer with its labels in a table need not build a String per row; the file is the same
/// bytes as for the `string` column of the same text (readers give it back as `string`).
public struct ParquetColumn: Sendable, Equatable {
    public enum Values: Sendable, Equatable {
        case int32([Int32])
        case int64([Int64])
        case double([Double])
        case string([String])
        /// Text given as codes into a label table: row i is `labels[codes[i]]`.
        case dictionary(codes: [Int32], labels: [String])

        public var count: Int {
            switch self {
            case .int32(let v): return v.count
            case .int64(let v): return v.count
            case .double(let v): return v.count
            case .string(let v): return v.count
            case .dictionary(let c, _): return c.count
            }
        }

        /// The column's type in words, as error messages and schemas name it.
        public var typeName: String {
            switch self {
            case .int32: return "int32"
            case .int64: return "int64"
            case .double: return "double"
            case .string, .dictionary: return "string"
            }
        }

        /// The same values with coded text spelled out (`dictionary` → `string`); others unchanged.
        public var materialized: Values {
            if case .dictionary(let c, let l) = self { return .string(c.map { l[Int($0)] }) }
            return self
        }
    }

    public var name: String
    public var values: Values

    public init(_ name: String, _ values: Values) {
        self.name = name
        self.values = values
    }

    public var count: Int { values.count }
}

/// Parquet's enum numbers (parquet.thrift) that PlaceRisk writes and reads.
enum ParquetCode {
    // Type
    static let int32: Int32 = 1, int64: Int32 = 2, double: Int32 = 5, byteArray: Int32 = 6
    // FieldRepetitionType
    static let required: Int32 = 0, optional: Int32 = 1
    // ConvertedType
    static let utf8: Int32 = 0, int32Converted: Int32 = 17, int64Converted: Int32 = 18
    // Encoding
    static let plain: Int32 = 0, plainDictionary: Int32 = 2, rle: Int32 = 3, bitPacked: Int32 = 4, rleDictionary: Int32 = 8
    // PageType
    static let dataPage: Int32 = 0, dictionaryPage: Int32 = 2, dataPageV2: Int32 = 3
    // CompressionCodec
    static let uncompressed: Int32 = 0
}
