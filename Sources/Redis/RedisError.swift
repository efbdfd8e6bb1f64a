/// What went wrong talking to Redis. Messages never hold the password.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server could not be reached (refused, unknown host, connect timeout) within
    /// the reconnect window.
    case connectionFailed(String)
    /// The server refused our credentials or database; retrying will not help.
    case authenticationFailed(String)
    /// The connection broke or timed out during a command. The command may or may not
    /// have run; the next command reconnects.
    case connectionLost(String)
    /// The server answered with an error reply.
    case server(String)

    /// True when the server, not the command, is at fault for now: unreachable, out of
    /// memory, read-only (a replica), refusing writes after a failed save, loading its
    /// data, busy with a script. A wrong command or type (a bug) is not.
    public var isTransient: Bool {
        switch self {
        case .connectionFailed, .connectionLost, .authenticationFailed:
            return true
        case .server(let message):
            let code = message.prefix { $0 != " " }
            return ["OOM", "READONLY", "MISCONF", "LOADING", "BUSY", "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN", "NOREPLICAS"].contains(code)
        }
    }

    public var description: String {
        switch self {
        case .connectionFailed(let message): return "redis: cannot connect: \(message)"
        case .authenticationFailed(let message): return "redis: authentication failed: \(message)"
        case .connectionLost(let message): return "redis: connection lost: \(message)"
        case .server(let message): return "redis: \(message)"
        }
    }
}
