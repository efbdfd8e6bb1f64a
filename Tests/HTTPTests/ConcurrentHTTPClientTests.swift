import Foundation
import HTTP
import TestSupport
import XCTest

/// The libcurl multi client against real servers on loopback. Concurrency is observed by
/// the server (requests that meet there were in flight together), never by the clock.
final class ConcurrentHTTPClientTests: XCTestCase {
    private var base: String { "http://127.0.0.1:\(LoopbackServer.port)" }
    /// A bound on waiting for completions, so that a lost one fails the test rather than hangs it.
    private let patience: TimeInterval = 60
    private var clients: [ConcurrentHTTPClient] = []

    override func tearDown() {
        clients.forEach { $0.shutdown() }
        clients = []
    }

    private func client(_ options: HTTPOptions = HTTPOptions(), maxInFlight: Int = 64) -> ConcurrentHTTPClient {
        let client = ConcurrentHTTPClient(options: options, maxInFlight: maxInFlight, name: "http-test")
        clients.append(client)
        return client
    }

    /// Starts every request at once and returns their outcomes by index, once all ended;
    /// fails if any completion runs twice or not at all.
    private func run(_ requests: [HTTPRequest], on client: ConcurrentHTTPClient,
                     file: StaticString = #filePath, line: UInt = #line) -> [Result<HTTPResponse, HTTPError>] {
        let outcomes = Outcomes<HTTPResponse, HTTPError>()
        for (index, request) in requests.enumerated() {
            client.start(request) { outcomes.record(index, $0) }
        }
        XCTAssertTrue(outcomes.wait(for: requests.count, timeout: patience), "every completion ran", file: file, line: line)
        return outcomes.all(count: requests.count, file: file, line: line)
    }

    private func meetings(_ count: Int, parties: Int, on client: ConcurrentHTTPClient) -> (group: String, answers: [String]) {
        let group = UUID().uuidString
        let requests = (0..<count).map { _ in HTTPRequest(url: "\(base)/meet/\(group)/\(parties)") }
        let answers = run(requests, on: client).map { (try? $0.get().text) ?? "failed: \($0)" }
        return (group, answers)
    }

    private func most(_ group: String) throws -> Int {
        try XCTUnwrap(Int(HTTPClient().get("\(base)/most/\(group)").text))
    }

    // MARK: - Concurrency

    func testRequestsAreInFlightTogether() throws {
        // Each answer waits until all eight are in the server: they complete only if they
        // were sent together.
        let (group, answers) = meetings(8, parties: 8, on: client())
        XCTAssertEqual(answers, Array(repeating: "together 0", count: 8))
        XCTAssertEqual(try most(group), 8)
    }

    func testMaxInFlightBoundsWhatTheServerSees() throws {
        let client = client(maxInFlight: 2)
        let (group, answers) = meetings(4, parties: 2, on: client)
        // In pairs, in the order started: a third request in flight would have made a round
        // of its own with one of the first two.
        XCTAssertEqual(answers, ["together 0", "together 0", "together 1", "together 1"])
        XCTAssertEqual(try most(group), 2)
        XCTAssertEqual(client.inFlight, 0)
    }

    func testQueuedRequestsAllRunBeyondTheBound() throws {
        let client = client(maxInFlight: 3)
        let requests = (0..<40).map { HTTPRequest(url: "\(base)/status/\(200 + $0 % 5)") }
        let statuses = run(requests, on: client).map { try? $0.get().status }
        XCTAssertEqual(statuses, (0..<40).map { 200 + $0 % 5 })
    }

    // MARK: - Requests as HTTPClient sends them

    func testSendsWhatHTTPClientSends() throws {
        let payload = Data(#"{"chat_id":42,"text":"Привет ✂️"}"#.utf8)
        let large = Data((0..<(2 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let file = Data([0x00, 0xFF, 0x0D, 0x0A]) + Data("\u{FEFF}дата;время\r\n".utf8)
        let requests = [
            HTTPRequest(method: "POST", url: "\(base)/echo", headers: [(name: "X-Test", value: "on")],
                        body: .data(payload, contentType: "application/json")),
            HTTPRequest(method: "PUT", url: "\(base)/echo", body: .data(large, contentType: "application/octet-stream")),
            HTTPRequest(method: "POST", url: "\(base)/echo", body: .data(Data(), contentType: "application/json")),
            HTTPRequest(method: "DELETE", url: "\(base)/echo"),
            HTTPRequest(method: "POST", url: "\(base)/echo", body: .multipart([
                MultipartPart(name: "chat_id", value: "42"),
                MultipartPart(name: "document", data: file, filename: "bookings.csv", contentType: "text/csv"),
            ])),
            HTTPRequest(url: "\(base)/status/404"),
            HTTPRequest(url: "\(base)/header"),
        ]
        let concurrent = run(requests, on: client())
        let blocking = HTTPClient()
        for (request, outcome) in zip(requests, concurrent) {
            let response = try outcome.get()
            let expected = try blocking.send(request)
            XCTAssertEqual(response.status, expected.status, request.url)
            XCTAssertEqual(response.header("x-reply"), expected.header("x-reply"))
            guard request.url.hasSuffix("/echo") else {
                XCTAssertEqual(response.body, expected.body)
                continue
            }
            let echo = try JSONDecoder().decode(LoopbackServer.Echo.self, from: response.body)
            let expectedEcho = try JSONDecoder().decode(LoopbackServer.Echo.self, from: expected.body)
            XCTAssertEqual(echo.method, expectedEcho.method)
            XCTAssertEqual(echo.xTest, expectedEcho.xTest)
            if case .multipart = request.body {
                // The boundary is random: compare the bodies with it taken out.
                let boundary = { (echo: LoopbackServer.Echo) in String(echo.contentType!.split(separator: "=", maxSplits: 1)[1]) }
                let body = { (echo: LoopbackServer.Echo) in
                    String(decoding: Data(base64Encoded: echo.body)!, as: UTF8.self).replacingOccurrences(of: boundary(echo), with: "B")
                }
                XCTAssertEqual(body(echo), body(expectedEcho))
                XCTAssertTrue(body(echo).contains("filename=\"bookings.csv\""))
            } else {
                XCTAssertEqual(echo.contentType, expectedEcho.contentType)
                XCTAssertEqual(echo.body, expectedEcho.body)
            }
        }
        XCTAssertEqual(try concurrent[0].get().header("content-type"), "application/json")
        XCTAssertEqual(Data(base64Encoded: try JSONDecoder().decode(LoopbackServer.Echo.self, from: concurrent[1].get().body).body), large)
        XCTAssertEqual(try concurrent[5].get().text, "status 404")
    }

    func testConnectionsAreKeptAliveAndReused() throws {
        let client = client()
        let first = try XCTUnwrap(run([HTTPRequest(url: "\(base)/peer")], on: client).first).get().text
        let second = try XCTUnwrap(run([HTTPRequest(url: "\(base)/peer")], on: client).first).get().text
        XCTAssertEqual(first, second, "the second request reused the first one's connection")
    }

    // MARK: - Failures

    func testASilentServerTimesOutWhileOthersComplete() throws {
        let silent = try SilentServer()
        let client = client(HTTPOptions(totalTimeout: 30))
        var requests = [HTTPRequest(url: "http://127.0.0.1:\(silent.port)/never", timeout: 0.5),
                        HTTPRequest(url: "\(base)/slow", timeout: 0.3)]
        requests += (0..<6).map { _ in HTTPRequest(url: "\(base)/status/204") }
        let outcomes = run(requests, on: client)
        for outcome in outcomes.prefix(2) {
            guard case .failure(.timedOut) = outcome else { return XCTFail("\(outcome)") }
        }
        XCTAssertEqual(outcomes.dropFirst(2).map { try? $0.get().status }, Array(repeating: 204, count: 6))
        // The client goes on after its timeouts.
        XCTAssertEqual(try run([HTTPRequest(url: "\(base)/status/200")], on: client)[0].get().status, 200)
    }

    func testRefusedConnectionIsCannotConnect() throws {
        let port = unusedLoopbackPort()
        let outcomes = run([HTTPRequest(url: "http://127.0.0.1:\(port)/bot123:secret/getMe"), HTTPRequest(url: "\(base)/status/200")],
                           on: client())
        guard case .failure(.cannotConnect(let message)) = outcomes[0] else { return XCTFail("\(outcomes[0])") }
        XCTAssertFalse("\(outcomes[0])".contains("secret"), "the URL stays out of errors: \(message)")
        XCTAssertEqual(try outcomes[1].get().status, 200)
    }

    func testOversizedResponsesAreAbandoned() throws {
        let outcomes = run([HTTPRequest(url: "\(base)/bytes/100000"), HTTPRequest(url: "\(base)/bytes/1000")],
                           on: client(HTTPOptions(maxResponseBytes: 1000)))
        XCTAssertEqual(outcomes[0].failure, .responseTooLarge(limit: 1000))
        XCTAssertEqual(try outcomes[1].get().body.count, 1000)
    }

    func testOnlyHTTPSchemesAreFollowed() {
        let outcome = run([HTTPRequest(url: "file:///etc/passwd")], on: client())[0]
        guard case .failure(.transport) = outcome else { return XCTFail("\(outcome)") }
    }

    func testASlowCompletionDelaysOthersWithoutLosingThem() throws {
        let client = client()
        let base = base
        let outcomes = Outcomes<HTTPResponse, HTTPError>()
        let slowOnce = OneShot()
        for index in 0..<10 {
            client.start(HTTPRequest(url: "\(base)/status/200")) { outcome in
                // A completion that overstays: the others wait for it, none is lost.
                if slowOnce.claim() { Thread.sleep(forTimeInterval: 0.3) }
                // One that starts more work from the client's thread.
                if index == 0 {
                    for extra in 10..<12 {
                        client.start(HTTPRequest(url: "\(base)/status/201")) { outcomes.record(extra, $0) }
                    }
                }
                outcomes.record(index, outcome)
            }
        }
        XCTAssertTrue(outcomes.wait(for: 12, timeout: patience))
        XCTAssertEqual(outcomes.all(count: 12).map { try? $0.get().status }, Array(repeating: 200, count: 10) + [201, 201])
    }

    // MARK: - Shutdown

    func testShutdownFailsEveryRequestOnce() throws {
        let silent = try SilentServer()
        let client = client(HTTPOptions(totalTimeout: 60), maxInFlight: 2)
        let outcomes = Outcomes<HTTPResponse, HTTPError>()
        for index in 0..<5 {
            client.start(HTTPRequest(url: "http://127.0.0.1:\(silent.port)/never")) { outcomes.record(index, $0) }
        }
        XCTAssertEqual(client.inFlight, 5, "two running, three queued, none ended")
        client.shutdown()
        // shutdown returns once every completion has run.
        XCTAssertEqual(outcomes.count, 5)
        XCTAssertEqual(outcomes.all(count: 5).map(\.failure), Array(repeating: HTTPError.shutDown, count: 5))
        XCTAssertEqual(client.inFlight, 0)

        client.shutdown()
        let after = Outcomes<HTTPResponse, HTTPError>()
        client.start(HTTPRequest(url: "\(base)/status/200")) { after.record(0, $0) }
        XCTAssertEqual(after.all(count: 1).map(\.failure), [HTTPError.shutDown], "failed inline, before start returned")
        XCTAssertTrue(HTTPError.shutDown.isTransient)
    }

    func testShutdownFromACompletion() throws {
        let client = client()
        let outcomes = Outcomes<HTTPResponse, HTTPError>()
        let silent = try SilentServer()
        client.start(HTTPRequest(url: "http://127.0.0.1:\(silent.port)/never", timeout: 60)) { outcomes.record(1, $0) }
        client.start(HTTPRequest(url: "\(base)/status/200")) { outcome in
            // On the client's own thread: must not wait for itself.
            client.shutdown()
            outcomes.record(0, outcome)
        }
        XCTAssertTrue(outcomes.wait(for: 2, timeout: patience))
        let all = outcomes.all(count: 2)
        XCTAssertEqual(try all[0].get().status, 200)
        XCTAssertEqual(all[1].failure, .shutDown)
    }
}

/// True for the first caller only.
final class OneShot: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false
    func claim() -> Bool { lock.withLock { defer { claimed = true }; return !claimed } }
}

/// A loopback port that takes connections (the kernel's backlog) and never answers.
final class SilentServer {
    let port: Int
    private let socket: Int32

    init() throws {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        guard bound == 0, listen(socket, 64) == 0 else {
            Foundation.close(socket)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        self.socket = socket
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { Foundation.close(socket) }
}
