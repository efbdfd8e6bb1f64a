import CHiredis
import Foundation
import WireSupport

/// One blocking connection to Redis, owning its hiredis context.
///
/// Not thread-safe by design: a connection belongs to the thread that runs its loop, and
/// every call blocks that thread (never call it from Swift's cooperative pool). A broken
/// connection is reopened, with backoff, by the next command.
public final class RedisConnection {
    public let endpoint: RedisEndpoint
    public let options: RedisOptions
    private var context: UnsafeMutablePointer<redisContext>?
    /// Script SHA1s as the server reported them on SCRIPT LOAD, by source text.
    private var scriptSHAs: [String: String] = [:]
    private var readTimeout: Double

    /// Connects at once (retrying within the reconnect window), so a wrong address or
    /// password shows at start rather than at the first command.
    public init(endpoint: RedisEndpoint, options: RedisOptions = RedisOptions()) throws {
        self.endpoint = endpoint
        self.options = options
        self.readTimeout = options.readTimeout
        try reconnect()
    }

    deinit { close() }

    public var isConnected: Bool { context != nil }

    /// Drops the connection; the next command opens a new one.
    public func close() {
        if let context { redisFree(context) }
        context = nil
    }

    /// Sends one command and waits for its reply. An error reply throws `.server`.
    @discardableResult
    public func command(_ name: String, _ arguments: any RedisArgument...) throws -> RedisValue {
        try command([name] + arguments)
    }

    /// Sends one command given as its words and waits for its reply.
    @discardableResult
    public func command(_ words: [any RedisArgument]) throws -> RedisValue {
        let reply = try roundTrip { context in
            Self.withArgv(words) { argc, argv, lengths in
                redisCommandArgv(context, argc, argv, lengths)
            }
        }
        if case .error(let message) = reply { throw RedisError.server(message) }
        return reply
    }

    /// Sends several commands in one write and reads their replies in order. Error
    /// replies come back as `.error` values so that one failing command does not hide
    /// the others' results.
    public func pipeline(_ commands: [[any RedisArgument]]) throws -> [RedisValue] {
        guard !commands.isEmpty else { return [] }
        let context = try connectedContext()
        for words in commands {
            let status = Self.withArgv(words) { argc, argv, lengths in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            if status != REDIS_OK { throw connectionLost() }
        }
        var replies: [RedisValue] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else { throw connectionLost() }
            replies.append(Self.take(raw))
        }
        return replies
    }

    /// Runs the commands as one MULTI/EXEC transaction, sent as one pipeline: no other
    /// client sees some of their effects without the rest. Returns each command's reply.
    /// Throws when one is refused: if refused as it was queued (unknown, wrong arity) none
    /// ran; if it failed as it ran (wrong type) the others stand, as Redis has it.
    public func transaction(_ commands: [[any RedisArgument]]) throws -> [RedisValue] {
        let replies = try pipeline([["MULTI"]] + commands + [["EXEC"]])
        guard let results = replies.last?.array, results.count == commands.count else {
            throw RedisError.server(Self.firstError(replies) ?? "unexpected EXEC reply")
        }
        if let message = Self.firstError(results) { throw RedisError.server(message) }
        return results
    }

    private static func firstError(_ replies: [RedisValue]) -> String? {
        for reply in replies {
            if case .error(let message) = reply { return message }
            if let nested = reply.array, let message = firstError(nested) { return message }
        }
        return nil
    }

    /// Runs a Lua script by its SHA1, loading it first when this connection has not yet,
    /// and loading it again when the server lost it (NOSCRIPT after a restart or a
    /// SCRIPT FLUSH).
    @discardableResult
    public func evaluate(_ script: RedisScript, keys: [any RedisArgument] = [], arguments: [any RedisArgument] = []) throws -> RedisValue {
        for attempt in 0..<2 {
            let sha = try scriptSHAs[script.source] ?? load(script)
            do {
                return try command(["EVALSHA", sha, keys.count] + keys + arguments)
            } catch RedisError.server(let message) where message.hasPrefix("NOSCRIPT") && attempt == 0 {
                scriptSHAs[script.source] = nil
            }
        }
        preconditionFailure("unreachable: the second attempt returns or throws")
    }

    /// Runs a script like `evaluate`, with `commands` sent ahead of it in the same write
    /// (one round trip in all): counters that ride along with a step. Their replies, errors
    /// included, are not read; after a NOSCRIPT only the script is sent again.
    @discardableResult
    public func evaluate(_ script: RedisScript, keys: [any RedisArgument] = [], arguments: [any RedisArgument] = [],
                         after commands: [[any RedisArgument]]) throws -> RedisValue {
        guard !commands.isEmpty else { return try evaluate(script, keys: keys, arguments: arguments) }
        let sha = try scriptSHAs[script.source] ?? load(script)
        let replies = try pipeline(commands + [["EVALSHA", sha, keys.count] + keys + arguments])
        switch replies.last {
        case .error(let message)? where message.hasPrefix("NOSCRIPT"):
            scriptSHAs[script.source] = nil
            return try evaluate(script, keys: keys, arguments: arguments)
        case .error(let message)?:
            throw RedisError.server(message)
        case let reply?:
            return reply
        case nil:
            throw RedisError.server("no reply to EVALSHA")
        }
    }

    /// Changes the reply timeout, for instance around a BLPOP that waits longer than usual.
    public func setReadTimeout(_ seconds: Double) throws {
        readTimeout = seconds
        if let context, redisSetTimeout(context, Self.timeval(seconds)) != REDIS_OK {
            throw connectionLost()
        }
    }

    // MARK: - Connecting

    private func load(_ script: RedisScript) throws -> String {
        guard let sha = try command("SCRIPT", "LOAD", script.source).string else {
            throw RedisError.server("SCRIPT LOAD returned no SHA1")
        }
        scriptSHAs[script.source] = sha
        return sha
    }

    private func connectedContext() throws -> UnsafeMutablePointer<redisContext> {
        if context == nil { try reconnect() }
        guard let context else { throw RedisError.connectionFailed("no connection") }
        return context
    }

    /// Opens a new connection, retrying with backoff within the reconnect window.
    /// Wrong credentials fail at once: waiting does not fix them.
    private func reconnect() throws {
        close()
        context = try retryingUntil(
            deadline: Date().addingTimeInterval(options.reconnectWindow),
            backoff: Backoff(initial: 0.05, maximum: 1),
            giveUpOn: { error in
                if case RedisError.authenticationFailed = error { return true }
                return false
            },
            openContext)
    }

    private func openContext() throws -> UnsafeMutablePointer<redisContext> {
        guard let fresh = redisConnectWithTimeout(endpoint.host, Int32(endpoint.port), Self.timeval(options.connectTimeout)) else {
            throw RedisError.connectionFailed("out of memory")
        }
        if fresh.pointee.err != 0 {
            let message = Self.errorText(fresh)
            redisFree(fresh)
            throw RedisError.connectionFailed("\(endpoint.host):\(endpoint.port): \(message)")
        }
        // Child processes (pg_dump, tools) must not inherit our socket.
        _ = fcntl(fresh.pointee.fd, F_SETFD, FD_CLOEXEC)
        guard redisSetTimeout(fresh, Self.timeval(readTimeout)) == REDIS_OK else {
            redisFree(fresh)
            throw RedisError.connectionFailed("cannot set timeout")
        }
        do {
            if let password = endpoint.password {
                try Self.handshake(fresh, ["AUTH", password])
            }
            if endpoint.database != 0 {
                try Self.handshake(fresh, ["SELECT", endpoint.database])
            }
        } catch {
            redisFree(fresh)
            throw error
        }
        return fresh
    }

    private static func handshake(_ context: UnsafeMutablePointer<redisContext>, _ words: [any RedisArgument]) throws {
        let raw = withArgv(words) { argc, argv, lengths in redisCommandArgv(context, argc, argv, lengths) }
        guard let raw else { throw RedisError.connectionFailed(errorText(context)) }
        if case .error(let message) = take(raw) {
            // The server's words only: they never echo the password back.
            throw RedisError.authenticationFailed(message)
        }
    }

    // MARK: - Plumbing

    /// Runs one send-and-receive; on an I/O failure the context is dropped and the
    /// failure reported, because hiredis cannot reuse a context once it errored.
    private func roundTrip(_ body: (UnsafeMutablePointer<redisContext>) throws -> UnsafeMutableRawPointer?) throws -> RedisValue {
        let context = try connectedContext()
        guard let raw = try body(context) else { throw connectionLost() }
        return Self.take(raw)
    }

    private func connectionLost() -> RedisError {
        let message = context.map(Self.errorText) ?? "no connection"
        close()
        return .connectionLost(message)
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { buffer in
            String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    private static func timeval(_ seconds: Double) -> Glibc.timeval {
        let whole = seconds.rounded(.down)
        return Glibc.timeval(tv_sec: Int(whole), tv_usec: Int((seconds - whole) * 1_000_000))
    }

    /// Lays every argument into one contiguous buffer and hands hiredis pointers into it,
    /// so that any number of binary arguments stays alive for the call without nesting.
    private static func withArgv<R>(
        _ words: [any RedisArgument],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) throws -> R
    ) rethrows -> R {
        let parts = words.map(\.redisBytes)
        var storage = Data()
        storage.reserveCapacity(parts.reduce(1) { $0 + $1.count })
        var offsets: [Int] = []
        for part in parts {
            offsets.append(storage.count)
            storage.append(part)
        }
        storage.append(0)  // keeps the base address valid when every word is empty
        let lengths = parts.map(\.count)
        return try storage.withUnsafeBytes { raw in
            let base = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            var argv: [UnsafePointer<CChar>?] = offsets.map { UnsafePointer(base + $0) }
            return try argv.withUnsafeMutableBufferPointer { argvBuffer in
                try lengths.withUnsafeBufferPointer { lengthBuffer in
                    try body(Int32(parts.count), argvBuffer.baseAddress!, lengthBuffer.baseAddress!)
                }
            }
        }
    }

    /// Copies a reply into Swift values and frees hiredis' memory.
    private static func take(_ raw: UnsafeMutableRawPointer) -> RedisValue {
        let reply = raw.assumingMemoryBound(to: redisReply.self)
        defer { freeReplyObject(raw) }
        return convert(reply)
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisValue {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(value.integer))
        case REDIS_REPLY_STRING:
            return .bulk(Data(bytes: value.str, count: Int(value.len)))
        case REDIS_REPLY_STATUS:
            return .status(String(decoding: Data(bytes: value.str, count: Int(value.len)), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: Data(bytes: value.str, count: Int(value.len)), as: UTF8.self))
        case REDIS_REPLY_ARRAY:
            let items = (0..<Int(value.elements)).map { convert(value.element[$0]!) }
            return .array(items)
        default:
            return .null
        }
    }
}
