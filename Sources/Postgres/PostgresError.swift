/// An error reported by the PostgreSQL server, with its SQLSTATE.
public struct PostgresServerError: Sendable, Equatable, CustomStringConvertible {
    /// Five-character SQLSTATE, e.g. `23505`.
    public let sqlState: String
    /// The server's primary message.
    public let message: String
    /// The server's detail line. It can quote row values, so it is kept out of
    /// `description` (which reaches logs).
    public let detail: String?
    /// The violated constraint's name, for constraint errors.
    public let constraint: String?

    public init(sqlState: String, message: String, detail: String? = nil, constraint: String? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.constraint = constraint
    }

    public var description: String {
        let suffix = constraint.map { " (constraint \($0))" } ?? ""
        return "\(sqlState): \(message)\(suffix)"
    }
}

/// What went wrong talking to PostgreSQL. The SQLSTATEs that callers act on are cases of
/// their own; everything else from the server is `.server`.
public enum PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 23505: a unique index refused a duplicate.
    case uniqueViolation(PostgresServerError)
    /// 23P01: an exclusion constraint refused an overlap.
    case exclusionViolation(PostgresServerError)
    /// 23503
    case foreignKeyViolation(PostgresServerError)
    /// 23514
    case checkViolation(PostgresServerError)
    /// 23502
    case notNullViolation(PostgresServerError)
    /// 40001: the transaction must be retried from the start.
    case serializationFailure(PostgresServerError)
    /// 40P01: the transaction must be retried from the start.
    case deadlockDetected(PostgresServerError)
    /// Any other error the server reported.
    case server(PostgresServerError)
    /// No connection could be made within the reconnect window.
    case connectionFailed(String)
    /// The connection broke during a statement; the next statement reconnects. Inside a
    /// transaction, the whole transaction is lost.
    case connectionLost(String)
    /// A column did not hold what the caller asked for.
    case decoding(String)
    /// The caller used the API wrongly (for instance a nested transaction).
    case misuse(String)

    /// Maps a server error to its typed case by SQLSTATE.
    public init(server error: PostgresServerError) {
        switch error.sqlState {
        case "23505": self = .uniqueViolation(error)
        case "23P01": self = .exclusionViolation(error)
        case "23503": self = .foreignKeyViolation(error)
        case "23514": self = .checkViolation(error)
        case "23502": self = .notNullViolation(error)
        case "40001": self = .serializationFailure(error)
        case "40P01": self = .deadlockDetected(error)
        default: self = .server(error)
        }
    }

    /// The server's error, for every case that came from the server.
    public var serverError: PostgresServerError? {
        switch self {
        case .uniqueViolation(let e), .exclusionViolation(let e), .foreignKeyViolation(let e),
             .checkViolation(let e), .notNullViolation(let e), .serializationFailure(let e),
             .deadlockDetected(let e), .server(let e):
            return e
        case .connectionFailed, .connectionLost, .decoding, .misuse:
            return nil
        }
    }

    /// True for errors where running the whole transaction again may succeed.
    public var isRetryable: Bool {
        switch self {
        case .serializationFailure, .deadlockDetected, .connectionLost, .connectionFailed: return true
        default: return false
        }
    }

    /// True when the fault is the server's or the network's, not the statement's: the
    /// connection broke, the server is starting, stopping, read-only or out of resources,
    /// a lock wait ran into its timeout, or the transaction lost a race (deadlock,
    /// serialization). The same work later may well succeed.
    ///
    /// A statement cancelled by its timeout (57014) is not among them: an update whose own
    /// query runs that long would be retried for ever; it is counted as its failure.
    public var isInfrastructureFault: Bool {
        if isStalePlan { return true }  // the next try prepares the statement again
        switch self {
        case .connectionLost, .connectionFailed, .serializationFailure, .deadlockDetected:
            return true
        case .server(let error):
            // 08 connection, 53 resources, 57 operator intervention (shutdown, restart),
            // 58 system; 25006 read-only transaction, 25P03 idle-in-transaction timeout,
            // 55P03 lock not available.
            if error.sqlState == "57014" { return false }
            return ["08", "53", "57", "58"].contains(String(error.sqlState.prefix(2)))
                || ["25006", "25P03", "55P03"].contains(error.sqlState)
        default:
            return false
        }
    }

    /// A statement this session prepared no longer fits the schema (a migration ran
    /// meanwhile and changed what it returns): prepared again, it works.
    public var isStalePlan: Bool {
        guard case .server(let error) = self else { return false }
        return error.sqlState == "0A000" && error.message.contains("cached plan must not change result type")
    }

    public var description: String {
        switch self {
        case .connectionFailed(let message): return "postgres: cannot connect: \(message)"
        case .connectionLost(let message): return "postgres: connection lost: \(message)"
        case .decoding(let message): return "postgres: \(message)"
        case .misuse(let message): return "postgres: \(message)"
        default: return "postgres: \(serverError!)"
        }
    }
}
