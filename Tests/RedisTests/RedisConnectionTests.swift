import Foundation
import Redis
import TestSupport
import XCTest

/// Against the real Redis that scripts/test starts.
final class RedisConnectionTests: XCTestCase {
    private var redis: RedisConnection!
    private var prefix = ""

    override func setUpWithError() throws {
        redis = try connect()
        prefix = "test:\(UUID().uuidString):"
    }

    private func connect(options: RedisOptions = RedisOptions(), password: String?? = .none) throws -> RedisConnection {
        let server = try TestServices.redis()
        let endpoint = RedisEndpoint(host: server.host, port: server.port, password: password ?? server.password, database: 0)
        return try RedisConnection(endpoint: endpoint, options: options)
    }

    // MARK: Binary safety

    func testValuesWithNULBytesRoundTripExactly() throws {
        let value = Data([0, 1, 0, 255, 0, 13, 10, 0])
        try redis.command("SET", prefix + "nul", value)
        XCTAssertEqual(try redis.command("GET", prefix + "nul"), .bulk(value))
        XCTAssertEqual(try redis.command("STRLEN", prefix + "nul"), .integer(8))
    }

    func testKeysWithNULBytesAreDistinctKeys() throws {
        let first = Data((prefix + "k").utf8) + Data([0, 1])
        let second = Data((prefix + "k").utf8) + Data([0, 2])
        try redis.command("SET", first, "one")
        try redis.command("SET", second, "two")
        XCTAssertEqual(try redis.command("GET", first).string, "one")
        XCTAssertEqual(try redis.command("GET", second).string, "two")
    }

    func testUTF8TextRoundTrips() throws {
        let text = "Запись на стрижку ✂️ — 14:00 🇷🇺 日本語"
        try redis.command("SET", prefix + "utf8", text)
        XCTAssertEqual(try redis.command("GET", prefix + "utf8").string, text)
        XCTAssertEqual(try redis.command("STRLEN", prefix + "utf8").int, Int64(text.utf8.count))
    }

    func testOneMegabyteOfRandomBytesRoundTrips() throws {
        var generator = SystemRandomNumberGenerator()
        let value = Data((0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try redis.command("SET", prefix + "big", value)
        XCTAssertEqual(try redis.command("GET", prefix + "big").data, value)
    }

    func testEmptyArgumentsAreSentAsEmptyStrings() throws {
        try redis.command("SET", prefix + "empty", "")
        XCTAssertEqual(try redis.command("GET", prefix + "empty"), .bulk(Data()))
    }

    // MARK: Typed replies

    func testEachReplyTypeIsDecoded() throws {
        XCTAssertEqual(try redis.command("SET", prefix + "a", "1"), .status("OK"))
        XCTAssertEqual(try redis.command("INCRBY", prefix + "a", 41), .integer(42))
        XCTAssertEqual(try redis.command("GET", prefix + "missing"), .null)
        try redis.command("RPUSH", prefix + "list", "x", "y")
        XCTAssertEqual(try redis.command("LRANGE", prefix + "list", 0, -1), .array([.bulk(Data("x".utf8)), .bulk(Data("y".utf8))]))
        XCTAssertEqual(try redis.command("BLPOP", prefix + "nothing", "0.01"), .null)
    }

    func testErrorRepliesThrowTheServersMessage() throws {
        try redis.command("SET", prefix + "string", "x")
        XCTAssertThrowsError(try redis.command("LPUSH", prefix + "string", "y")) { error in
            guard case RedisError.server(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.hasPrefix("WRONGTYPE"), message)
        }
        // The connection is still good after an error reply.
        XCTAssertEqual(try redis.command("PING"), .status("PONG"))
    }

    // MARK: Pipelining

    func testPipelineReturnsEveryReplyInOrder() throws {
        let commands: [[any RedisArgument]] = (0..<1000).map { _ in ["INCR", prefix + "counter"] }
        let replies = try redis.pipeline(commands)
        XCTAssertEqual(replies, (1...1000).map { .integer(Int64($0)) })
    }

    func testPipelineKeepsAnErrorReplyInItsPlace() throws {
        try redis.command("SET", prefix + "s", "text")
        let replies = try redis.pipeline([
            ["INCR", prefix + "n"],
            ["INCR", prefix + "s"],
            ["GET", prefix + "s"],
        ])
        XCTAssertEqual(replies.count, 3)
        XCTAssertEqual(replies[0], .integer(1))
        guard case .error(let message) = replies[1] else { return XCTFail("\(replies[1])") }
        XCTAssertTrue(message.contains("not an integer"), message)
        XCTAssertEqual(replies[2].string, "text")
    }

    func testPipelineIsOneRoundTrip() throws {
        // Ten thousand commands through a pipeline land in one batch: the server counts
        // them all, and the replies match what each command did.
        let commands: [[any RedisArgument]] = (0..<10_000).map { ["RPUSH", prefix + "batch", $0] }
        let replies = try redis.pipeline(commands)
        XCTAssertEqual(replies.last, .integer(10_000))
        XCTAssertEqual(try redis.command("LLEN", prefix + "batch"), .integer(10_000))
        XCTAssertEqual(try redis.command("LINDEX", prefix + "batch", 9_999).string, "9999")
    }

    // MARK: Transactions

    func testATransactionReturnsEachCommandsReply() throws {
        let replies = try redis.transaction([["RPUSH", prefix + "t", "a", "b"], ["LREM", prefix + "t", 1, "a"], ["HINCRBY", prefix + "h", "n", 2]])
        XCTAssertEqual(replies, [.integer(2), .integer(1), .integer(2)])
        XCTAssertEqual(try redis.command("LRANGE", prefix + "t", 0, -1).array?.compactMap(\.string), ["b"])
    }

    func testATransactionWithACommandRefusedAsQueuedRunsNothingAndThrows() throws {
        XCTAssertThrowsError(try redis.transaction([["SET", prefix + "k", "v"], ["INCR"]])) { error in
            guard case RedisError.server(let message)? = error as? RedisError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("EXECABORT") || message.contains("wrong number"), message)
        }
        XCTAssertEqual(try redis.command("EXISTS", prefix + "k"), .integer(0))
        XCTAssertEqual(try redis.command("PING").string, "PONG", "the connection is fit for the next command")
    }

    func testATransactionWithACommandFailingAsItRunsThrowsAndTheOthersStand() throws {
        try redis.command("SET", prefix + "s", "text")
        XCTAssertThrowsError(try redis.transaction([["INCR", prefix + "s"], ["SET", prefix + "k", "v"]])) { error in
            XCTAssertTrue("\(error)".contains("not an integer"), "\(error)")
        }
        XCTAssertEqual(try redis.command("GET", prefix + "k").string, "v")
    }

    // MARK: Scripts

    func testScriptsRunBySHAAndRecoverFromScriptFlush() throws {
        let script = RedisScript(name: "push-and-count", source: """
            redis.call('RPUSH', KEYS[1], ARGV[1])
            return redis.call('LLEN', KEYS[1])
            """)
        XCTAssertEqual(try redis.evaluate(script, keys: [prefix + "l"], arguments: ["a"]), .integer(1))
        let sha = try redis.command("SCRIPT", "LOAD", script.source).string!
        XCTAssertEqual(try redis.command("SCRIPT", "EXISTS", sha), .array([.integer(1)]))

        try redis.command("SCRIPT", "FLUSH")
        XCTAssertEqual(try redis.command("SCRIPT", "EXISTS", sha), .array([.integer(0)]))

        // The connection still believes it knows the SHA; NOSCRIPT makes it load again.
        XCTAssertEqual(try redis.evaluate(script, keys: [prefix + "l"], arguments: ["b"]), .integer(2))
        XCTAssertEqual(try redis.command("SCRIPT", "EXISTS", sha), .array([.integer(1)]))
    }

    /// Commands sent ahead of a script in the same write run before it, and once: after a
    /// SCRIPT FLUSH only the script goes again.
    func testCommandsAheadOfAScriptRunBeforeItAndOnceAfterAScriptFlush() throws {
        let script = RedisScript(name: "read-counter", source: "return redis.call('GET', KEYS[1])")
        let counter = prefix + "counter"
        XCTAssertEqual(try redis.evaluate(script, keys: [counter], after: [["INCR", counter]]).string, "1")
        try redis.command("SCRIPT", "FLUSH")
        XCTAssertEqual(try redis.evaluate(script, keys: [counter], after: [["INCR", counter], ["INCRBY", counter, 10]]).string, "12")
        XCTAssertEqual(try redis.command("GET", counter).string, "12")
        // A failing command ahead is not the script's failure.
        try redis.command("SET", prefix + "text", "not a number")
        XCTAssertEqual(try redis.evaluate(script, keys: [counter], after: [["INCR", prefix + "text"]]).string, "12")
        XCTAssertThrowsError(try redis.evaluate(RedisScript(name: "fails", source: "return redis.error_reply('BOOM it failed')"),
                                                after: [["INCR", counter]])) { error in
            XCTAssertEqual(error as? RedisError, .server("BOOM it failed"))
        }
        XCTAssertEqual(try redis.command("GET", counter).string, "13")
    }

    func testScriptErrorsAreServerErrors() throws {
        let script = RedisScript(name: "fails", source: "return redis.error_reply('BOOM it failed')")
        XCTAssertThrowsError(try redis.evaluate(script)) { error in
            XCTAssertEqual(error as? RedisError, .server("BOOM it failed"))
        }
    }

    // MARK: Connection failures

    func testReconnectsAfterTheServerRestarts() throws {
        try redis.command("SET", prefix + "before", "1")
        try TestServices.restart("redis")
        // The first command after the restart may find the old socket dead; that one
        // reports the loss, and the connection object itself comes back without help.
        let replies = outcomesUntilSuccess(attempts: 2) { try redis.command("PING") }
        guard case .success(let pong) = replies.last! else { return XCTFail("no recovery: \(replies)") }
        XCTAssertEqual(pong, .status("PONG"))
        if case .failure(let error) = replies.first!, replies.count == 2 {
            guard case RedisError.connectionLost = error else { return XCTFail("unexpected \(error)") }
        }
        try redis.command("SET", prefix + "after", "2")
        XCTAssertEqual(try redis.command("GET", prefix + "after").string, "2")
    }

    func testWrongPasswordFailsAtOnceWithoutShowingIt() throws {
        let started = Date()
        XCTAssertThrowsError(try connect(options: RedisOptions(reconnectWindow: 10), password: "not-the-password-1234")) { error in
            guard case RedisError.authenticationFailed = error else { return XCTFail("\(error)") }
            XCTAssertFalse("\(error)".contains("not-the-password-1234"))
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "a wrong password is not retried for the whole window")
    }

    func testNobodyListeningFailsAfterTheReconnectWindow() throws {
        let endpoint = RedisEndpoint(host: "127.0.0.1", port: unusedLoopbackPort())
        XCTAssertThrowsError(try RedisConnection(endpoint: endpoint, options: RedisOptions(reconnectWindow: 0.3))) { error in
            guard case RedisError.connectionFailed(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("refused"), message)
        }
    }

    func testReadTimeoutEndsAWaitAndTheNextCommandReconnects() throws {
        let redis = try connect(options: RedisOptions(readTimeout: 0.3))
        XCTAssertThrowsError(try redis.command("BLPOP", prefix + "never", 5)) { error in
            guard case RedisError.connectionLost = error else { return XCTFail("\(error)") }
        }
        XCTAssertFalse(redis.isConnected)
        try redis.setReadTimeout(5) // so a busy machine cannot fail the PING itself
        XCTAssertEqual(try redis.command("PING"), .status("PONG"))
    }

    func testRaisingTheReadTimeoutAllowsALongerBlockingPop() throws {
        let redis = try connect(options: RedisOptions(readTimeout: 0.2))
        try redis.setReadTimeout(3)
        XCTAssertEqual(try redis.command("BLPOP", prefix + "never", "0.5"), .null)
    }

    func testSelectsTheConfiguredDatabase() throws {
        let server = try TestServices.redis()
        let other = try RedisConnection(endpoint: RedisEndpoint(host: server.host, port: server.port, password: server.password, database: 3))
        try other.command("SET", prefix + "db3", "here")
        XCTAssertEqual(try redis.command("GET", prefix + "db3"), .null)
        XCTAssertEqual(try other.command("GET", prefix + "db3").string, "here")
    }
}
