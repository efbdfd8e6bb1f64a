import Foundation
import HTTP
import Sandbox
import Telegram
import TestSupport
import XCTest

/// The concurrent client against a real Sandbox: many calls in flight, and every answer
/// mapped exactly as the blocking client maps it.
final class ConcurrentTelegramClientTests: XCTestCase {
    private let token = "987654:TOKEN-sekret_Value"
    private var sandbox: SandboxServer!
    private var http: ConcurrentHTTPClient!
    private var client: ConcurrentTelegramClient!
    private var blocking: TelegramClient!
    private let alice: Int64 = 5_501_234_567
    private let patience: TimeInterval = 60

    override func setUpWithError() throws {
        sandbox = SandboxServer(options: SandboxOptions(token: token, botUsername: "test_booking_bot"))
        try sandbox.start()
        http = ConcurrentHTTPClient(maxInFlight: 16, name: "telegram-test")
        client = ConcurrentTelegramClient(baseURL: sandbox.baseURL, token: token, http: http)
        blocking = TelegramClient(baseURL: sandbox.baseURL, token: token, http: HTTPClient())
        sandbox.register(User(id: alice, firstName: "Alice", username: "alice", languageCode: "en"))
        try sandbox.sendText("/start", from: alice)
    }

    override func tearDown() {
        client.shutdown()
        sandbox.stop()
    }

    /// Runs one call on the concurrent client and waits (bounded) for its one outcome.
    private func outcome(of client: ConcurrentTelegramClient? = nil, method: String, payload: Data,
                         file: StaticString = #filePath, line: UInt = #line) -> Result<Data, TelegramError> {
        let outcomes = Outcomes<Data, TelegramError>()
        (client ?? self.client).start(method: method, payload: payload, timeout: 10) { outcomes.record(0, $0) }
        XCTAssertTrue(outcomes.wait(for: 1, timeout: patience), file: file, line: line)
        return outcomes.all(count: 1, file: file, line: line).first ?? .failure(.invalidResponse("no outcome"))
    }

    /// The blocking client's outcome of the same call.
    private func blockingOutcome(of client: TelegramClient? = nil, method: String, payload: Data) -> Result<Data, TelegramError> {
        Result { () throws(TelegramError) in
            do {
                return try (client ?? blocking).call(method: method, payload: payload, timeout: 10)
            } catch let error as TelegramError {
                throw error
            } catch {
                throw .invalidResponse("not a TelegramError: \(error)")
            }
        }
    }

    private func assertNoToken(_ outcome: Result<Data, TelegramError>, file: StaticString = #filePath, line: UInt = #line) {
        guard case .failure(let error) = outcome else { return }
        for text in [error.description, "\(error)", String(reflecting: error), error.localizedDescription] {
            XCTAssertFalse(text.contains(token) || text.contains("sekret"), "token leaked: \(text)", file: file, line: line)
        }
    }

    private func sendMessage(_ chatID: Int64, _ text: String) throws -> Data {
        try JSONEncoder().encode(SendMessage(chatID: chatID, text: text))
    }

    func testManyCallsInFlightAllArrive() throws {
        let texts = (0..<30).map { "reminder \($0)" }
        let outcomes = Outcomes<Data, TelegramError>()
        for (index, text) in texts.enumerated() {
            client.start(method: SendMessage.name, payload: try sendMessage(alice, text), timeout: 10) { outcomes.record(index, $0) }
        }
        XCTAssertTrue(outcomes.wait(for: texts.count, timeout: patience))
        let messages = try outcomes.all(count: texts.count).map { try JSONDecoder().decode(Message.self, from: $0.get()) }
        XCTAssertEqual(messages.map(\.text), texts, "each result is its own call's message")
        XCTAssertEqual(Set(messages.map(\.messageID)).count, texts.count)
        let sent = try XCTUnwrap(sandbox.transcript(chatID: alice)).messages.filter { $0.sender == .bot }.map(\.text)
        XCTAssertEqual(Set(sent), Set(texts), "the order between calls is not promised, each arrives once")
        XCTAssertEqual(sent.count, texts.count)
    }

    func testTheRawResultIsTheBlockingClients() throws {
        let me = outcome(method: "getMe", payload: Data("{}".utf8))
        XCTAssertEqual(try me.get(), try blockingOutcome(method: "getMe", payload: Data("{}".utf8)).get())
        XCTAssertEqual(try JSONDecoder().decode(User.self, from: me.get()).username, "test_booking_bot")
        let sent = try JSONDecoder().decode(Message.self, from: outcome(method: SendMessage.name, payload: sendMessage(alice, "hi")).get())
        let deleted = outcome(method: "deleteMessage", payload: try JSONEncoder().encode(DeleteMessage(chatID: alice, messageID: sent.messageID)))
        XCTAssertEqual(String(decoding: try deleted.get(), as: UTF8.self), "true")
    }

    func testFloodCarriesRetryAfterLikeTheBlockingClient() throws {
        let payload = try sendMessage(alice, "one")
        sandbox.injectFlood(calls: 1, retryAfter: 7)
        let concurrent = outcome(method: SendMessage.name, payload: payload)
        sandbox.injectFlood(calls: 1, retryAfter: 7)
        XCTAssertEqual(concurrent.failure, .flood(retryAfter: 7))
        XCTAssertEqual(concurrent.failure, blockingOutcome(method: SendMessage.name, payload: payload).failure)
        XCTAssertNotNil(try outcome(method: SendMessage.name, payload: payload).get(), "only the injected calls were refused")
        assertNoToken(concurrent)
    }

    func testBadRequestAndForbiddenLikeTheBlockingClient() throws {
        let stranger = try sendMessage(42, "hello")
        let badRequest = outcome(method: SendMessage.name, payload: stranger)
        XCTAssertEqual(badRequest.failure, .badRequest("Bad Request: chat not found"))
        XCTAssertEqual(badRequest.failure, blockingOutcome(method: SendMessage.name, payload: stranger).failure)

        try sandbox.blockBot(by: alice)
        let reminder = try sendMessage(alice, "Reminder")
        let forbidden = outcome(method: SendMessage.name, payload: reminder)
        XCTAssertEqual(forbidden.failure, .forbidden("Forbidden: bot was blocked by the user"))
        XCTAssertEqual(forbidden.failure, blockingOutcome(method: SendMessage.name, payload: reminder).failure)

        let notFound = outcome(method: "sendTelepathy", payload: Data("{}".utf8))
        XCTAssertEqual(notFound.failure, .notFound)
        [badRequest, forbidden, notFound].forEach { assertNoToken($0) }
    }

    func testServerErrorsLikeTheBlockingClient() throws {
        let payload = try sendMessage(alice, "one")
        sandbox.injectServerErrors(calls: 1, status: 502)
        let concurrent = outcome(method: SendMessage.name, payload: payload)
        sandbox.injectServerErrors(calls: 1, status: 502)
        XCTAssertEqual(concurrent.failure, .server(status: 502, description: "Bad Gateway"))
        XCTAssertEqual(concurrent.failure, blockingOutcome(method: SendMessage.name, payload: payload).failure)
        XCTAssertEqual(concurrent.failure?.isRetryable, true)
    }

    func testUnauthorizedLikeTheBlockingClient() {
        let wrong = "987654:wrong-sekret"
        let stranger = ConcurrentTelegramClient(baseURL: sandbox.baseURL, token: wrong, http: http)
        let concurrent = outcome(of: stranger, method: "getMe", payload: Data("{}".utf8))
        XCTAssertEqual(concurrent.failure, .unauthorized)
        XCTAssertEqual(concurrent.failure,
                       blockingOutcome(of: TelegramClient(baseURL: sandbox.baseURL, token: wrong, http: HTTPClient()),
                                       method: "getMe", payload: Data("{}".utf8)).failure)
    }

    func testNetworkErrorCarriesNoToken() {
        let nowhere = "http://127.0.0.1:\(unusedLoopbackPort())"
        let concurrent = outcome(of: ConcurrentTelegramClient(baseURL: nowhere, token: token, http: http),
                                 method: "getMe", payload: Data("{}".utf8))
        guard case .network(.cannotConnect)? = concurrent.failure else { return XCTFail("\(concurrent)") }
        let blocking = blockingOutcome(of: TelegramClient(baseURL: nowhere, token: token, http: HTTPClient()),
                                       method: "getMe", payload: Data("{}".utf8))
        guard case .network(.cannotConnect)? = blocking.failure else { return XCTFail("\(blocking)") }
        XCTAssertEqual(concurrent.failure?.isRetryable, true)
        assertNoToken(concurrent)
    }

    func testSendDocumentArrivesAsADocument() throws {
        var bytes = Data([0xEF, 0xBB, 0xBF]) + Data("дата;время;услуга\r\n2025-01-02;10:00;Стрижка\r\n".utf8)
        bytes += Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let outcomes = Outcomes<Data, TelegramError>()
        client.startDocument(chatID: alice, fileName: "записи 2025.csv", data: bytes, caption: "Bookings export", timeout: 30) {
            outcomes.record(0, $0)
        }
        XCTAssertTrue(outcomes.wait(for: 1, timeout: patience))
        let message = try JSONDecoder().decode(Message.self, from: XCTUnwrap(outcomes.all(count: 1).first).get())
        XCTAssertEqual(message.document?.fileName, "записи 2025.csv")
        XCTAssertEqual(message.document?.fileSize, bytes.count)
        XCTAssertEqual(message.caption, "Bookings export")
        let document = try XCTUnwrap(sandbox.transcript(chatID: alice)?.messages.last?.document)
        XCTAssertEqual(document.fileName, "записи 2025.csv")
        XCTAssertEqual(document.mimeType, "application/octet-stream", "as TelegramClient.sendDocument sends it without a type")
        XCTAssertEqual(document.data, bytes)
        let call = try XCTUnwrap(sandbox.calls(method: "sendDocument").last)
        XCTAssertEqual(call.parameters["chat_id"], .string(String(alice)))
    }

    func testCallsAfterShutdownFailAtOnce() throws {
        client.shutdown()
        let outcomes = Outcomes<Data, TelegramError>()
        client.start(method: SendMessage.name, payload: try sendMessage(alice, "late"), timeout: 10) { outcomes.record(0, $0) }
        XCTAssertEqual(outcomes.all(count: 1).map(\.failure), [TelegramError.network(.shutDown)], "inline, before start returned")
        XCTAssertEqual(outcomes.all(count: 1).first?.failure?.isRetryable, true)
    }
}
