import Foundation

/// One query parameter, sent out of band through `PQexecParams` (never spliced into SQL).
public enum PostgresValue: Sendable, Equatable {
    case null
    /// Text, sent with an unspecified type so that the server infers the column's type
    /// (text, varchar, an enum, a date literal, ...).
    case text(String)
    case int(Int64)
    case bool(Bool)
    case double(Double)
    /// A point in time, sent as `timestamptz` in UTC with microseconds.
    case timestamp(Date)
    /// A JSON document, sent as `jsonb`.
    case json(String)
    /// Raw bytes, sent as `bytea` in binary format.
    case bytes(Data)

    /// The type OID the parameter is declared with (0 lets the server infer it).
    var typeOID: UInt32 {
        switch self {
        case .null, .text: return 0
        case .int: return 20        // int8
        case .bool: return 16       // bool
        case .double: return 701    // float8
        case .timestamp: return 1184 // timestamptz
        case .json: return 3802     // jsonb
        case .bytes: return 17      // bytea
        }
    }

    var holdsNUL: Bool {
        switch self {
        case .text(let text), .json(let text): return text.utf8.contains(0)
        default: return false
        }
    }

    /// The wire bytes: text format for everything but `bytea`, which goes as binary.
    var wire: (bytes: [UInt8]?, binary: Bool) {
        switch self {
        case .null: return (nil, false)
        case .text(let text): return (Array(text.utf8), false)
        case .int(let value): return (Array(String(value).utf8), false)
        case .bool(let value): return (Array((value ? "t" : "f").utf8), false)
        case .double(let value): return (Array(String(value).utf8), false)
        case .timestamp(let date): return (Array(PostgresTimestamp.format(date).utf8), false)
        case .json(let text): return (Array(text.utf8), false)
        case .bytes(let data): return ([UInt8](data), true)
        }
    }
}

extension PostgresValue {
    /// Integers as an array literal (`{1,2,3}`), for `$n::bigint[]` or `$n::int[]`.
    public static func intArray(_ values: some Sequence<Int64>) -> PostgresValue {
        .text("{" + values.map(String.init).joined(separator: ",") + "}")
    }

    /// Texts as an array literal, each element quoted (commas, braces and quotes in it stay
    /// text), for `$n::text[]`.
    public static func textArray(_ values: some Sequence<String>) -> PostgresValue {
        .text("{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}")
    }
}

extension PostgresValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByFloatLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension PostgresValue {
    public static func int(_ value: Int) -> PostgresValue { .int(Int64(value)) }

    /// A JSON parameter encoded from any `Encodable` value.
    public static func json<T: Encodable>(encoding value: T) throws -> PostgresValue {
        .json(String(decoding: try JSONEncoder().encode(value), as: UTF8.self))
    }

    /// `.null` for nil, otherwise the wrapped value.
    public static func optional<T>(_ value: T?, _ wrap: (T) -> PostgresValue) -> PostgresValue {
        value.map(wrap) ?? .null
    }
}
