import Foundation

/// The rows a statement returned, copied out of libpq's memory (text format).
public struct PostgresRows: Sendable, RandomAccessCollection {
    public let columns: [String]
    /// Rows touched by INSERT/UPDATE/DELETE (or returned by SELECT).
    public let affectedRows: Int
    private let cells: [[String?]]
    private let columnIndex: [String: Int]

    init(columns: [String], cells: [[String?]], affectedRows: Int) {
        self.columns = columns
        self.cells = cells
        self.affectedRows = affectedRows
        var index: [String: Int] = [:]
        for (position, name) in columns.enumerated() where index[name] == nil { index[name] = position }
        self.columnIndex = index
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { cells.count }
    public subscript(position: Int) -> PostgresRow {
        PostgresRow(cells: cells[position], columnIndex: columnIndex)
    }
}

/// One row; read a column with `get`, asking for the Swift type you expect:
/// `let name: String = try row.get("name")`, `let phone: String? = try row.get("phone")`.
public struct PostgresRow: Sendable {
    let cells: [String?]
    let columnIndex: [String: Int]

    public func get<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let position = columnIndex[column] else {
            throw PostgresError.decoding("no column \(column)")
        }
        return try T.decode(postgresText: cells[position], column: column)
    }

    public func get<T: PostgresDecodable>(_ position: Int, as type: T.Type = T.self) throws -> T {
        guard cells.indices.contains(position) else {
            throw PostgresError.decoding("no column at position \(position)")
        }
        return try T.decode(postgresText: cells[position], column: "#\(position)")
    }

    /// A `json`/`jsonb` column decoded into `T`.
    public func json<T: Decodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        let text: String = try get(column)
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw PostgresError.decoding("column \(column): invalid JSON for \(T.self)")
        }
    }

    public func isNull(_ column: String) throws -> Bool {
        guard let position = columnIndex[column] else { throw PostgresError.decoding("no column \(column)") }
        return cells[position] == nil
    }
}

/// A Swift type that a column in text format can be read as.
public protocol PostgresDecodable {
    /// `text` is nil for SQL NULL.
    static func decode(postgresText text: String?, column: String) throws -> Self
}

extension PostgresDecodable {
    static func required(_ text: String?, _ column: String) throws -> String {
        guard let text else { throw PostgresError.decoding("column \(column) is NULL, expected \(Self.self)") }
        return text
    }

    static func mismatch(_ column: String) -> PostgresError {
        .decoding("column \(column) does not hold a \(Self.self)")
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(postgresText text: String?, column: String) throws -> Self {
        guard let text else { return nil }
        return try Wrapped.decode(postgresText: text, column: column)
    }
}

/// Numbers and text read the same way: the column's text, parsed.
extension PostgresDecodable where Self: LosslessStringConvertible {
    public static func decode(postgresText text: String?, column: String) throws -> Self {
        guard let value = Self(try required(text, column)) else { throw mismatch(column) }
        return value
    }
}

extension String: PostgresDecodable {}
extension Int: PostgresDecodable {}
extension Int64: PostgresDecodable {}
extension Double: PostgresDecodable {}

extension Bool: PostgresDecodable {
    public static func decode(postgresText text: String?, column: String) throws -> Bool {
        switch try required(text, column) {
        case "t": return true
        case "f": return false
        default: throw mismatch(column)
        }
    }
}

extension Date: PostgresDecodable {
    public static func decode(postgresText text: String?, column: String) throws -> Date {
        guard let date = PostgresTimestamp.parse(try required(text, column)) else { throw mismatch(column) }
        return date
    }
}

extension Data: PostgresDecodable {
    /// Reads `bytea` in the server's default hex output (`\x0a1b...`).
    public static func decode(postgresText text: String?, column: String) throws -> Data {
        let text = try required(text, column)
        guard text.hasPrefix("\\x"), text.utf8.count % 2 == 0 else { throw mismatch(column) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(text.utf8.count / 2 - 1)
        var high: UInt8?
        for character in text.utf8.dropFirst(2) {
            guard let nibble = hexValue(character) else { throw mismatch(column) }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return Data(bytes)
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case 48...57: return character - 48
        case 97...102: return character - 87
        case 65...70: return character - 55
        default: return nil
        }
    }
}
