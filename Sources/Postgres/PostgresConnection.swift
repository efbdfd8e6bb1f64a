import CLibPQ
import Foundation
import WireSupport

/// Timeouts and reconnect policy of one connection.
public struct PostgresOptions: Sendable {
    /// Seconds to establish a connection (libpq's `connect_timeout`, whole seconds, ≥ 2).
    public var connectTimeout: Int
    /// How long a statement keeps trying to reconnect a lost connection before it throws.
    public var reconnectWindow: Double
    /// The longest pause between reconnect tries (short for loops that must notice at
    /// once that the server is back).
    public var reconnectBackoffMaximum: Double = 2
    /// Shown in `pg_stat_activity`, so an operator can tell the processes apart.
    public var applicationName: String
    /// The server-side bounds of this session: nothing waits forever.
    public var limits: PostgresSessionLimits

    public init(connectTimeout: Int = 5, reconnectWindow: Double = 10, applicationName: String = "bookingbot",
                limits: PostgresSessionLimits = .none) {
        self.connectTimeout = connectTimeout
        self.reconnectWindow = reconnectWindow
        self.applicationName = applicationName
        self.limits = limits
    }
}

/// How long the server lets this session's statements run, wait for locks and sit idle
/// inside a transaction, and how soon TCP notices a peer that went away (a paused VM, a
/// partition): a frozen process's locks are freed by the server, not held for hours.
public struct PostgresSessionLimits: Sendable, Equatable {
    /// Seconds; 0 means no limit.
    public var statementTimeout: Double
    public var lockTimeout: Double
    public var idleInTransactionTimeout: Double
    /// Seconds of silence before TCP keepalive probes start, and the longest time sent
    /// data may stay unacknowledged before the connection is dropped (`tcp_user_timeout`).
    public var keepaliveIdle: Int = 30
    public var tcpUserTimeout: Int = 30
    /// Seconds a session may sit idle outside a transaction before the server ends it
    /// (0: never). For a session that holds session-level locks: if its process freezes,
    /// the server ends the session and the locks go with it.
    public var idleSessionTimeout: Double = 0
    /// False: a commit returns before its WAL reaches the disk. Only for sessions whose
    /// writes may be lost in a server crash without harm (marks that a message went out:
    /// at worst it goes out once more).
    public var synchronousCommit = true

    public init(statementTimeout: Double, lockTimeout: Double, idleInTransactionTimeout: Double) {
        self.statementTimeout = statementTimeout
        self.lockTimeout = lockTimeout
        self.idleInTransactionTimeout = idleInTransactionTimeout
    }

    /// Keepalives only: for migrations and tools, whose statements may rightly run long.
    public static let none = PostgresSessionLimits(statementTimeout: 0, lockTimeout: 0, idleInTransactionTimeout: 0)
    /// The long-running processes' defaults: an update's statements take milliseconds; a
    /// lock held longer than this belongs to a process that froze.
    public static let service = PostgresSessionLimits(statementTimeout: 15, lockTimeout: 5, idleInTransactionTimeout: 20)

    /// The `-c name=value` settings for libpq's `options`.
    var serverOptions: String {
        // Settings left at their defaults are not sent: a server older than the setting
        // (idle_session_timeout is PostgreSQL 14's) would refuse the connection.
        ([("statement_timeout", statementTimeout), ("lock_timeout", lockTimeout),
          ("idle_in_transaction_session_timeout", idleInTransactionTimeout)]
            .map { "-c \($0.0)=\(Int(($0.1 * 1000).rounded()))" }
            + (idleSessionTimeout > 0 ? ["-c idle_session_timeout=\(Int((idleSessionTimeout * 1000).rounded()))"] : [])
            + (synchronousCommit ? [] : ["-c synchronous_commit=off"]))
            .joined(separator: " ")
    }
}

/// Transaction isolation levels, for `transaction(isolation:_:)`.
public enum IsolationLevel: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

/// One blocking connection to PostgreSQL, owning its libpq `PGconn`.
///
/// Every statement goes through `PQexecParams` with out-of-band parameters. Not
/// thread-safe by design: a connection belongs to the thread that runs its loop and each
/// call blocks that thread (never call it from Swift's cooperative pool). A broken
/// connection is reopened, with backoff, by the next statement outside a transaction.
public final class PostgresConnection {
    private let url: String
    public let options: PostgresOptions
    private var connection: OpaquePointer?
    public private(set) var inTransaction = false
    private var savepointDepth = 0
    /// Statements this session has prepared, by text and parameter types, and their names:
    /// the server parses and plans each once per session instead of at every call (about
    /// a tenth of a millisecond a statement). Lost with the session, so a reconnect forgets
    /// them. Statements without parameters (BEGIN, COMMIT…) are not prepared.
    private var prepared: [PreparedKey: String] = [:]
    /// Names are never reused within a session: one forgotten inside a failed transaction
    /// stays taken on the server.
    private var preparedNames = 0
    /// A bound on them, for a program that builds unbounded statement texts.
    public static let maxPreparedStatements = 512

    /// Connects at once (retrying within the reconnect window), so a wrong URL or
    /// password shows at start rather than at the first statement.
    public init(url: String, options: PostgresOptions = PostgresOptions()) throws {
        self.url = url
        self.options = options
        try reconnect()
    }

    deinit { close() }

    public func close() {
        if let connection { PQfinish(connection) }
        connection = nil
        prepared = [:]
        preparedNames = 0
    }

    /// Runs one statement with `$1, $2, ...` parameters and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) throws -> PostgresRows {
        try Self.refuseNUL(in: parameters)
        let connection = try liveConnection()
        guard let name = try preparedName(sql, parameters, on: connection) else {
            let result = Self.execute(connection, sql, parameters)
            defer { PQclear(result) }
            return try rows(of: result, on: connection)
        }
        let result = Self.execute(connection, prepared: name, parameters)
        defer { PQclear(result) }
        do {
            return try rows(of: result, on: connection)
        } catch let error as PostgresError where error.isStalePlan {
            // A migration changed what the statement returns while this session ran: the
            // next call prepares it again (a transaction it was in has failed anyway).
            forget(sql, parameters)
            if inTransaction { throw error }
            return try query(sql, parameters)
        }
    }

    /// libpq reads text parameters up to the first NUL: refuse rather than store a cut value.
    private static func refuseNUL(in parameters: [PostgresValue]) throws {
        if let position = parameters.firstIndex(where: \.holdsNUL) {
            throw PostgresError.misuse("parameter $\(position + 1) holds a NUL byte, which PostgreSQL text cannot store")
        }
    }

    private struct PreparedKey: Hashable {
        let sql: String
        let types: [Oid]
    }

    /// The statement's prepared name, preparing it first; nil for a statement not worth it.
    private func preparedName(_ sql: String, _ parameters: [PostgresValue], on connection: OpaquePointer) throws -> String? {
        guard !parameters.isEmpty else { return nil }
        let key = PreparedKey(sql: sql, types: parameters.map(\.typeOID))
        if let name = prepared[key] { return name }
        guard prepared.count < Self.maxPreparedStatements else { return nil }
        preparedNames += 1
        let name = "bb_\(preparedNames)"
        let result = PQprepare(connection, name, sql, Int32(key.types.count), key.types)
        defer { PQclear(result) }
        _ = try rows(of: result, on: connection)  // a statement the server refuses throws as it would have run
        prepared[key] = name
        return name
    }

    private func forget(_ sql: String, _ parameters: [PostgresValue]) {
        let key = PreparedKey(sql: sql, types: parameters.map(\.typeOID))
        guard let name = prepared.removeValue(forKey: key), let connection, PQstatus(connection) == CONNECTION_OK, !inTransaction else { return }
        PQclear(PQexec(connection, "DEALLOCATE \(name)"))
    }

    /// Runs one statement and returns how many rows it touched.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [PostgresValue] = []) throws -> Int {
        try query(sql, parameters).affectedRows
    }

    /// Runs statements one after another, each in a transaction of its own (as if run
    /// alone), in one round trip: libpq's pipeline mode, a sync after each. A statement
    /// starts after the one before it has committed, so it sees what that one did and
    /// what others committed meanwhile. Every statement runs even when one before it
    /// failed; the first failure is thrown after all have answered. Outside a transaction only.
    public func separately(_ statements: [(sql: String, parameters: [PostgresValue])]) throws -> [PostgresRows] {
        guard !inTransaction else { throw PostgresError.misuse("separate statements inside a transaction") }
        for statement in statements { try Self.refuseNUL(in: statement.parameters) }
        let connection = try liveConnection()
        let names = try statements.map { try preparedName($0.sql, $0.parameters, on: connection) }
        guard PQenterPipelineMode(connection) == 1 else { throw PostgresError.misuse("cannot enter pipeline mode") }
        var sent = 0
        for (statement, name) in zip(statements, names) {
            let queued = Self.withWireParameters(statement.parameters) { count, types, values, lengths, formats -> Int32 in
                if let name { return PQsendQueryPrepared(connection, name, count, values, lengths, formats, 0) }
                return PQsendQueryParams(connection, statement.sql, count, types, values, lengths, formats, 0)
            }
            // PQpipelineSync also flushes what is queued.
            guard queued == 1, PQpipelineSync(connection) == 1 else { break }
            sent += 1
        }
        var answers: [Result<PostgresRows, Error>] = []
        var stale: [(sql: String, parameters: [PostgresValue])] = []
        for index in 0..<sent {
            // A statement's result, the NULL after it, then its sync's own result.
            let result = PQgetResult(connection)
            answers.append(Result { try rows(of: result, on: connection) })
            PQclear(result)
            guard self.connection != nil, Self.readThroughSync(connection) else { break }  // lost (`rows` may have closed it)
            if case .failure(let error as PostgresError) = answers[index], error.isStalePlan {
                stale.append(statements[index])
            }
        }
        if let connection = self.connection, sent < statements.count || PQexitPipelineMode(connection) != 1 {
            // A statement refused to queue, or answers left unread: the session's state is unknown.
            let message = Self.errorMessage(connection)
            close()
            throw PostgresError.connectionLost(message)
        }
        for statement in stale { forget(statement.sql, statement.parameters) }
        guard answers.count == statements.count else { throw PostgresError.connectionLost("connection lost in a pipeline") }
        return try answers.map { try $0.get() }
    }

    /// Reads up to the sync that ends a pipelined statement: the NULL after its result,
    /// then the sync's own result. False when the connection answers otherwise.
    private static func readThroughSync(_ connection: OpaquePointer) -> Bool {
        var nulls = 0
        while nulls < 2 {
            guard let result = PQgetResult(connection) else {
                nulls += 1
                continue
            }
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_PIPELINE_SYNC { return true }
        }
        return false
    }

    /// Runs `body` inside BEGIN … COMMIT. A throw from `body` (or a failed COMMIT) rolls
    /// back and rethrows; nothing of a failed transaction stays behind.
    @discardableResult
    public func transaction<T>(isolation: IsolationLevel = .readCommitted, _ body: (PostgresConnection) throws -> T) throws -> T {
        guard !inTransaction else { throw PostgresError.misuse("nested transaction") }
        try query("BEGIN ISOLATION LEVEL \(isolation.rawValue)")
        inTransaction = true
        defer { inTransaction = false }
        let value: T
        do {
            value = try body(self)
        } catch {
            rollbackQuietly()
            throw error
        }
        do {
            try query("COMMIT")
        } catch {
            rollbackQuietly()
            throw error
        }
        return value
    }

    /// Runs `body` inside a SAVEPOINT of the open transaction: a throw undoes only what
    /// `body` did, and the transaction goes on (for instance after an expected 23P01).
    @discardableResult
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        guard inTransaction else { throw PostgresError.misuse("savepoint outside a transaction") }
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "bb_savepoint_\(savepointDepth)"
        try query("SAVEPOINT \(name)")
        do {
            let value = try body()
            try query("RELEASE SAVEPOINT \(name)")
            return value
        } catch {
            if let connection, PQstatus(connection) == CONNECTION_OK {
                _ = try? query("ROLLBACK TO SAVEPOINT \(name)")
            }
            throw error
        }
    }

    // MARK: - Connecting

    private func rollbackQuietly() {
        guard let connection, PQstatus(connection) == CONNECTION_OK else { return }
        PQclear(Self.execute(connection, "ROLLBACK", []))
    }

    /// The open connection, reopened first when it broke. Inside a transaction a broken
    /// connection is an error: the transaction died with it.
    private func liveConnection() throws -> OpaquePointer {
        if let connection, PQstatus(connection) == CONNECTION_OK { return connection }
        if inTransaction { throw PostgresError.connectionLost("connection closed inside a transaction") }
        try reconnect()
        return connection!
    }

    private func reconnect() throws {
        close()
        connection = try retryingUntil(
            deadline: Date().addingTimeInterval(options.reconnectWindow),
            backoff: Backoff(initial: 0.1, maximum: max(0.1, options.reconnectBackoffMaximum)),
            giveUpOn: Self.isPermanent,
            openConnection)
    }

    private func openConnection() throws -> OpaquePointer {
        let fresh = open()
        guard let fresh, PQstatus(fresh) == CONNECTION_OK else {
            let message = Self.errorMessage(fresh)
            PQfinish(fresh)
            throw PostgresError.connectionFailed(message)
        }
        // Notices (e.g. "relation already exists, skipping") are chatter, not events.
        PQsetNoticeProcessor(fresh, { _, _ in }, nil)
        // Child processes (pg_dump, tools) must not inherit our socket.
        _ = fcntl(PQsocket(fresh), F_SETFD, FD_CLOEXEC)
        return fresh
    }

    /// Wrong credentials, an unknown database or a malformed URL do not fix themselves
    /// by waiting.
    private static func isPermanent(_ error: Error) -> Bool {
        guard case PostgresError.connectionFailed(let message) = error else { return false }
        return message.contains("password authentication failed")
            || (message.contains("database \"") && message.contains("does not exist"))
            || message.contains("invalid connection option") || message.contains("invalid URI")
            || message.contains("missing \"=\"")
    }

    private func open() -> OpaquePointer? {
        // `dbname` first with expand_dbname=1: the URL is taken apart into its settings, and
        // the settings after it override the URL's own.
        let settings: [(String, String)] = [
            ("dbname", url),
            ("connect_timeout", String(max(2, options.connectTimeout))),
            ("application_name", options.applicationName),
            ("options", "-c TimeZone=UTC -c DateStyle=ISO " + options.limits.serverOptions),
            ("keepalives", "1"),
            ("keepalives_idle", String(options.limits.keepaliveIdle)),
            ("keepalives_interval", "10"),
            ("keepalives_count", "3"),
            ("tcp_user_timeout", String(options.limits.tcpUserTimeout * 1000)),
        ]
        return Self.withCStrings(settings.map(\.0)) { keywords in
            Self.withCStrings(settings.map(\.1)) { values in
                PQconnectdbParams(keywords, values, 1)
            }
        }
    }

    // MARK: - Statements

    private static func execute(_ connection: OpaquePointer, _ sql: String, _ parameters: [PostgresValue]) -> OpaquePointer? {
        withWireParameters(parameters) { count, types, values, lengths, formats in
            PQexecParams(connection, sql, count, types, values, lengths, formats, 0)
        }
    }

    private static func execute(_ connection: OpaquePointer, prepared name: String, _ parameters: [PostgresValue]) -> OpaquePointer? {
        withWireParameters(parameters) { count, _, values, lengths, formats in
            PQexecPrepared(connection, name, count, values, lengths, formats, 0)
        }
    }

    /// The parameters as libpq takes them: types, values (text ones NUL-terminated),
    /// lengths and formats, alive for `body`.
    private static func withWireParameters<Answer>(
        _ parameters: [PostgresValue],
        _ body: (Int32, [Oid], [UnsafePointer<CChar>?], [Int32], [Int32]) -> Answer
    ) -> Answer {
        let wires = parameters.map(\.wire)
        let types = parameters.map(\.typeOID)
        let lengths = wires.map { Int32($0.bytes?.count ?? 0) }
        let formats = wires.map { Int32($0.binary ? 1 : 0) }
        // Text parameters need a terminating NUL; binary ones are read by length.
        let buffers: [UnsafeMutablePointer<CChar>?] = wires.map { wire in
            guard let bytes = wire.bytes else { return nil }
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            bytes.withUnsafeBufferPointer { source in
                source.withMemoryRebound(to: CChar.self) { buffer.update(from: $0.baseAddress!, count: bytes.count) }
            }
            buffer[bytes.count] = 0
            return buffer
        }
        defer { buffers.forEach { $0?.deallocate() } }
        return body(Int32(parameters.count), types, buffers.map { UnsafePointer($0) }, lengths, formats)
    }

    private func rows(of result: OpaquePointer?, on connection: OpaquePointer) throws -> PostgresRows {
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            break
        default:
            if PQstatus(connection) != CONNECTION_OK {
                let message = Self.errorMessage(connection)
                close()
                throw PostgresError.connectionLost(message)
            }
            guard let result else { throw PostgresError.connectionLost(Self.errorMessage(connection)) }
            throw PostgresError(server: Self.serverError(result))
        }
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        var cells: [[String?]] = []
        cells.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            cells.append((0..<columnCount).map { column in
                if PQgetisnull(result, Int32(row), Int32(column)) == 1 { return nil }
                let length = Int(PQgetlength(result, Int32(row), Int32(column)))
                let value = PQgetvalue(result, Int32(row), Int32(column))!
                return value.withMemoryRebound(to: UInt8.self, capacity: length) {
                    String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
                }
            })
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? rowCount
        return PostgresRows(columns: columns, cells: cells, affectedRows: affected)
    }

    private static func serverError(_ result: OpaquePointer) -> PostgresServerError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        return PostgresServerError(
            sqlState: field("C") ?? "XX000",
            message: field("M") ?? String(cString: PQresultErrorMessage(result)),
            detail: field("D"),
            constraint: field("n"))
    }

    private static func errorMessage(_ connection: OpaquePointer?) -> String {
        guard let connection, let message = PQerrorMessage(connection) else { return "unknown error" }
        return String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
