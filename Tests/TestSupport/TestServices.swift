// Child processes, scratch databases and loopback ports live in DevSupport (shared with
// the bench); every test that imports TestSupport sees them as before.
@_exported import DevSupport
import Foundation
import Redis

/// The real servers that `scripts/test` starts (`scripts/services`), as the tests see them.
public enum TestServices {
    public struct Missing: Error, CustomStringConvertible {
        public let variable: String
        public var description: String {
            "\(variable) is not set: run the tests through scripts/test, which starts Redis and PostgreSQL"
        }
    }

    public static func variable(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { throw Missing(variable: name) }
        return value
    }

    public static func databaseURL() throws -> String { try variable("DATABASE_URL") }

    /// Host, port and password of the test Redis.
    public static func redis() throws -> (host: String, port: Int, password: String?) {
        let url = try variable("REDIS_URL")
        guard let components = URLComponents(string: url), let host = components.host, let port = components.port else {
            throw Missing(variable: "REDIS_URL (unparsable)")
        }
        return (host, port, components.password)
    }

    /// Timeouts for error reporters in tests. The production ones are short by design
    /// (a capture never slows the caller), but a test that needs each push to land must not
    /// lose one to a busy machine.
    public static let patientReporterOptions = RedisOptions(connectTimeout: 2, readTimeout: 5, reconnectWindow: 0)

    /// Where the test Redis is, for code that opens its own connections.
    public static func redisEndpoint() throws -> RedisEndpoint {
        let server = try redis()
        return RedisEndpoint(host: server.host, port: server.port, password: server.password)
    }

    /// A new connection to the test Redis.
    public static func redisConnection(options: RedisOptions = RedisOptions()) throws -> RedisConnection {
        try RedisConnection(endpoint: redisEndpoint(), options: options)
    }

    /// Restarts one server through `scripts/services restart`, keeping its port and password.
    public static func restart(_ server: String) throws {
        try services(["restart", server])
    }

    /// Stops (`down`) or starts again (`up`) the test Redis, for outage tests.
    public static func redis(_ action: String) throws {
        try services([action, "redis"])
    }

    /// Stops (`down`) or starts again (`up`) the test PostgreSQL, for outage tests.
    public static func postgres(_ action: String) throws {
        try services([action, "postgres"])
    }

    private static func services(_ arguments: [String]) throws {
        let script = try variable("BOOKINGBOT_SERVICES")
        let result = try runProgram(script, arguments)
        guard result.status == 0 else {
            throw Missing(variable: "scripts/services \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
    }

    /// A database of its own for one test, created empty and dropped by `drop`.
    public static func freshDatabase() throws -> ScratchDatabase {
        try ScratchDatabase(baseURL: databaseURL())
    }
}

/// The folder the build put its products in (where the `bookingbot` binary is).
public var productsDirectory: URL {
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
        return bundle.bundleURL.deletingLastPathComponent()
    }
    return Bundle.main.bundleURL
}

/// Calls `body` until it succeeds, at most `attempts` times, and returns every outcome:
/// the last is the success (or the last failure). For "the first call after a server
/// restart may fail, the next must not".
public func outcomesUntilSuccess<T>(attempts: Int, _ body: () throws -> T) -> [Result<T, Error>] {
    var outcomes: [Result<T, Error>] = []
    for _ in 0..<attempts {
        outcomes.append(Result { try body() })
        if case .success = outcomes.last! { break }
    }
    return outcomes
}
