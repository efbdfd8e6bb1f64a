import Foundation
import HTTP
import TestSupport
import XCTest

/// The libcurl client against a real HTTP server on loopback.
final class HTTPClientTests: XCTestCase {
    private var base: String { "http://127.0.0.1:\(LoopbackServer.port)" }

    private func echo(of response: HTTPResponse) throws -> LoopbackServer.Echo {
        try JSONDecoder().decode(LoopbackServer.Echo.self, from: response.body)
    }

    func testPostsJSONWithHeaders() throws {
        let client = HTTPClient()
        let payload = Data(#"{"chat_id":42,"text":"Привет ✂️"}"#.utf8)
        let response = try client.postJSON("\(base)/echo", body: payload, headers: [(name: "X-Test", value: "on")])
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("content-type"), "application/json")
        let echo = try echo(of: response)
        XCTAssertEqual(echo.method, "POST")
        XCTAssertEqual(echo.contentType, "application/json")
        XCTAssertEqual(echo.xTest, "on")
        XCTAssertEqual(Data(base64Encoded: echo.body), payload)
    }

    func testPostsEmptyAndLargeBodies() throws {
        let client = HTTPClient()
        XCTAssertEqual(Data(base64Encoded: try echo(of: client.postJSON("\(base)/echo", body: Data())).body), Data())
        let large = Data((0..<(5 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let response = try client.send(HTTPRequest(method: "PUT", url: "\(base)/echo", body: .data(large, contentType: "application/octet-stream")))
        let echo = try echo(of: response)
        XCTAssertEqual(echo.method, "PUT")
        XCTAssertEqual(Data(base64Encoded: echo.body), large)
    }

    func testPostsMultipartWithAFile() throws {
        let client = HTTPClient()
        let file = Data([0x00, 0xFF, 0x0D, 0x0A]) + Data("\u{FEFF}дата;время\r\n".utf8)
        let response = try client.postMultipart("\(base)/echo", parts: [
            MultipartPart(name: "chat_id", value: "42"),
            MultipartPart(name: "document", data: file, filename: "bookings.csv", contentType: "text/csv"),
        ])
        let echo = try echo(of: response)
        let contentType = try XCTUnwrap(echo.contentType)
        XCTAssertTrue(contentType.hasPrefix("multipart/form-data; boundary="), contentType)
        let boundary = String(contentType.split(separator: "=", maxSplits: 1)[1])
        let parts = try multipartParts(Data(base64Encoded: echo.body)!, boundary: boundary)
        XCTAssertEqual(parts.count, 2)
        XCTAssertTrue(parts[0].headers.contains("name=\"chat_id\""), parts[0].headers)
        XCTAssertEqual(parts[0].body, Data("42".utf8))
        XCTAssertTrue(parts[1].headers.contains("filename=\"bookings.csv\""), parts[1].headers)
        XCTAssertTrue(parts[1].headers.contains("Content-Type: text/csv"), parts[1].headers)
        XCTAssertEqual(parts[1].body, file)
    }

    func testErrorStatusesAreAnswersNotTransportErrors() throws {
        let client = HTTPClient()
        let response = try client.get("\(base)/status/404")
        XCTAssertEqual(response.status, 404)
        XCTAssertEqual(response.text, "status 404")
        XCTAssertThrowsError(try response.successful()) { error in
            XCTAssertEqual(error as? HTTPError, .status(404, body: Data("status 404".utf8)))
            XCTAssertFalse((error as! HTTPError).isTransient)
        }
        XCTAssertTrue((HTTPError.status(503, body: Data())).isTransient)
        XCTAssertEqual(try client.get("\(base)/status/500").status, 500)
    }

    func testResponseHeadersAreReadCaseInsensitively() throws {
        let response = try HTTPClient().get("\(base)/header")
        XCTAssertEqual(response.header("x-reply"), "yes")
        XCTAssertEqual(response.header("X-REPLY"), "yes")
        XCTAssertNil(response.header("x-missing"))
    }

    func testTotalTimeoutEndsASlowRequest() throws {
        let client = HTTPClient(options: HTTPOptions(totalTimeout: 0.3))
        XCTAssertThrowsError(try client.get("\(base)/slow")) { error in
            guard case HTTPError.timedOut = error else { return XCTFail("\(error)") }
            XCTAssertTrue((error as! HTTPError).isTransient)
        }
        // The same client works afterwards (given time enough for a busy machine).
        XCTAssertEqual(try client.send(HTTPRequest(url: "\(base)/status/204", timeout: 5)).status, 204)
    }

    func testPerRequestTimeoutOverridesTheClients() throws {
        let client = HTTPClient(options: HTTPOptions(totalTimeout: 10))
        XCTAssertThrowsError(try client.send(HTTPRequest(url: "\(base)/slow", timeout: 0.3))) { error in
            guard case HTTPError.timedOut = error else { return XCTFail("\(error)") }
        }
    }

    func testRefusedConnectionIsCannotConnect() throws {
        let port = unusedLoopbackPort()
        XCTAssertThrowsError(try HTTPClient().get("http://127.0.0.1:\(port)/bot123:secret/getMe")) { error in
            guard case HTTPError.cannotConnect(let message) = error else { return XCTFail("\(error)") }
            XCTAssertFalse("\(error)".contains("secret"), "the URL (it may hold a token) stays out of errors: \(message)")
        }
    }

    func testOversizedResponsesAreAbandoned() throws {
        let client = HTTPClient(options: HTTPOptions(maxResponseBytes: 1000))
        XCTAssertEqual(try client.get("\(base)/bytes/1000").body.count, 1000)
        XCTAssertThrowsError(try client.get("\(base)/bytes/100000")) { error in
            XCTAssertEqual(error as? HTTPError, .responseTooLarge(limit: 1000))
        }
    }

    func testOneClientKeepsItsConnectionAlive() throws {
        let client = HTTPClient()
        let first = try client.get("\(base)/peer").text
        let second = try client.get("\(base)/peer").text
        XCTAssertEqual(first, second, "the second request reused the first one's connection")
        let other = try HTTPClient().get("\(base)/peer").text
        XCTAssertNotEqual(first, other, "another client opens a connection of its own")
    }

    func testOnlyHTTPSchemesAreFollowed() throws {
        XCTAssertThrowsError(try HTTPClient().get("file:///etc/passwd")) { error in
            guard case HTTPError.transport = error else { return XCTFail("\(error)") }
        }
    }

    // A strict reader of multipart/form-data, enough to check what the client sent.
    private func multipartParts(_ body: Data, boundary: String) throws -> [(headers: String, body: Data)] {
        let delimiter = Data("--\(boundary)".utf8)
        var parts: [(String, Data)] = []
        var chunks: [Data] = []
        var rest = body[...]
        while let range = rest.range(of: delimiter) {
            chunks.append(Data(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        XCTAssertTrue(rest.starts(with: Data("--".utf8)), "the body ends with the closing delimiter")
        for chunk in chunks.dropFirst() {
            // Each part: CRLF, headers, CRLF CRLF, body, CRLF.
            let separator = Data("\r\n\r\n".utf8)
            let split = try XCTUnwrap(chunk.range(of: separator))
            let headers = String(decoding: chunk[..<split.lowerBound], as: UTF8.self)
            let content = chunk[split.upperBound...].dropLast(2)
            parts.append((headers, Data(content)))
        }
        return parts
    }
}
