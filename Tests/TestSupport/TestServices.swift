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

    /// A new connection to the test Redis.
    public static func redisConnection(options: RedisOptions = RedisOptions()) throws -> RedisConnection {
        let server = try redis()
        return try RedisConnection(endpoint: RedisEndpoint(host: server.host, port: server.port, password: server.password),
                                   options: options)
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

/// Result of running a program to completion.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs a program and waits for it, collecting its output.
public func runProgram(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                       currentDirectory: URL? = nil) throws -> ProcessResult {
    let child = try ChildProcess(executable, arguments, environment: environment, currentDirectory: currentDirectory)
    return child.wait()
}

/// A program started by a test, which the test can signal and wait for.
///
/// posix_spawn and waitpid rather than Foundation's Process, whose waitUntilExit can
/// miss the exit of a child that leaves a daemon behind (`scripts/services restart`).
/// Output goes to files, so a chatty child never blocks on a full pipe; the working
/// folder is set through `env -C` (Swift does not see glibc's spawn-chdir).
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    private let scratch: URL
    private var exitCode: Int32?

    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                currentDirectory: URL? = nil) throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, scratch.appendingPathComponent("stdout").path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, scratch.appendingPathComponent("stderr").path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let environment = environment ?? ProcessInfo.processInfo.environment
        let command = currentDirectory.map { ["/usr/bin/env", "-C", $0.path, executable] } ?? [executable]
        let argv = (command + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
        guard spawned == 0 else { throw SpawnError(executable: executable, code: spawned) }
        self.pid = pid
    }

    deinit {
        if exitCode == nil { kill(pid, SIGKILL); _ = wait() }
        try? FileManager.default.removeItem(at: scratch)
    }

    public func signal(_ signal: Int32) { kill(pid, signal) }

    /// Waits for the exit; the exit code, or 128 + the signal that ended it.
    @discardableResult
    public func wait() -> ProcessResult {
        if exitCode == nil {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            exitCode = Self.code(status)
        }
        return ProcessResult(status: exitCode!, stdout: stdout, stderr: stderr)
    }

    /// False once it has exited (then `wait` returns at once).
    public var isRunning: Bool {
        guard exitCode == nil else { return false }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return true }
        exitCode = Self.code(status)
        return false
    }

    // WIFEXITED / WEXITSTATUS, spelled out: Swift does not import the macros.
    private static func code(_ status: Int32) -> Int32 {
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// What it printed so far.
    public var stdout: String { (try? String(contentsOf: scratch.appendingPathComponent("stdout"), encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOf: scratch.appendingPathComponent("stderr"), encoding: .utf8)) ?? "" }

    /// Polls until `condition` holds or `timeout` passes; false on timeout.
    public static func eventually(timeout: TimeInterval = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }
}

public struct SpawnError: Error, CustomStringConvertible {
    public let executable: String
    public let code: Int32
    public var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
}

/// The folder the build put its products in (where the `bookingbot` binary is).
public var productsDirectory: URL {
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
        return bundle.bundleURL.deletingLastPathComponent()
    }
    return Bundle.main.bundleURL
}

/// A loopback port that nothing listens on (bound, read, and released).
public func unusedLoopbackPort() -> Int {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { Foundation.close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
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
