import Foundation

/// One reply of the Redis protocol, copied out of hiredis' memory.
public enum RedisValue: Sendable, Equatable {
    case null
    case integer(Int64)
    /// A bulk string: arbitrary bytes (NUL bytes included).
    case bulk(Data)
    /// A simple status reply such as `OK` or `QUEUED`.
    case status(String)
    /// An error reply (`ERR ...`, `NOSCRIPT ...`, `WRONGTYPE ...`).
    case error(String)
    case array([RedisValue])

    /// The reply as text: a bulk string decoded as UTF-8, or a status.
    public var string: String? {
        switch self {
        case .bulk(let data): return String(data: data, encoding: .utf8)
        case .status(let text): return text
        default: return nil
        }
    }

    /// The reply's raw bytes (bulk or status).
    public var data: Data? {
        switch self {
        case .bulk(let data): return data
        case .status(let text): return Data(text.utf8)
        default: return nil
        }
    }

    /// An integer reply, or a bulk string that spells an integer (as INCRBYFLOAT and
    /// Lua scripts often hand numbers back).
    public var int: Int64? {
        switch self {
        case .integer(let value): return value
        case .bulk, .status: return string.flatMap { Int64($0) }
        default: return nil
        }
    }

    public var array: [RedisValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var isNull: Bool { self == .null }
}
