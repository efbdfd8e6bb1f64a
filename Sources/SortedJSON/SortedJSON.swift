import Foundation

/// JSON text of a `JSONSerialization`-style value (dictionaries with string keys, arrays,
/// strings, numbers, booleans, `NSNull`), its keys sorted so that the same value always
/// reads the same: log lines, audit details, error events.
///
/// Why not `JSONSerialization`'s `.sortedKeys`: on Linux it sorts with a collating,
/// locale-aware compare, and its first use maps about 3.5 MB of ICU's tables into the
/// process for good (issue #19's soak saw each process's memory step up at it). Here the
/// keys go in code-point order through `JSONEncoder`, Foundation's own Swift.
public enum SortedJSON {
    /// A value that JSON cannot hold (a date, a custom type).
    public struct Unsupported: Error, CustomStringConvertible {
        public let type: String
        public var description: String { "JSON cannot hold a \(type)" }
    }

    /// UTF-8 JSON text; a bare string or number is written as it is.
    public static func data(_ value: Any, escapingSlashes: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = escapingSlashes ? [.sortedKeys] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(try Value(value))
    }

    public static func string(_ value: Any, escapingSlashes: Bool = true) throws -> String {
        String(decoding: try data(value, escapingSlashes: escapingSlashes), as: UTF8.self)
    }

    private indirect enum Value: Encodable {
        case null, bool(Bool), int(Int64), unsigned(UInt64), double(Double), string(String)
        case array([Value]), object([String: Value])

        init(_ any: Any) throws {
            // A number parsed by JSONSerialization is an NSNumber object; a Swift number
            // would also cast to NSNumber (and 1 to true), so those are told apart first.
            if type(of: any) is NSNumber.Type, let number = any as? NSNumber {
                switch String(cString: number.objCType) {
                case "c": self = .bool(number.boolValue)
                case "d", "f": self = .double(number.doubleValue)
                case "Q": self = .unsigned(number.uint64Value)
                default: self = .int(number.int64Value)
                }
                return
            }
            switch any {
            case let value as Bool: self = .bool(value)
            case let value as String: self = .string(value)
            case let value as Substring: self = .string(String(value))
            case let value as Int: self = .int(Int64(value))
            case let value as Int64: self = .int(value)
            case let value as Int32: self = .int(Int64(value))
            case let value as UInt64: self = .unsigned(value)
            case let value as UInt: self = .unsigned(UInt64(value))
            case let value as Double: self = .double(value)
            case let value as Float: self = .double(Double(value))
            case is NSNull: self = .null
            case let value as [Any]: self = .array(try value.map(Value.init))
            case let value as [String: Any]: self = .object(try value.mapValues(Value.init))
            default:
                // An optional inside an `Any`: nil is null, anything else its value.
                let mirror = Mirror(reflecting: any)
                guard mirror.displayStyle == .optional else { throw Unsupported(type: "\(type(of: any))") }
                self = try mirror.children.first.map { try Value($0.value) } ?? .null
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .null: try container.encodeNil()
            case .bool(let value): try container.encode(value)
            case .int(let value): try container.encode(value)
            case .unsigned(let value): try container.encode(value)
            case .double(let value): try container.encode(value)
            case .string(let value): try container.encode(value)
            case .array(let values): try container.encode(values)
            case .object(let values): try container.encode(values)
            }
        }
    }
}
