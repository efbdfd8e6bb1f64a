import CCurl
import CCurlShim
import Foundation

/// Timeouts and limits of one client.
public struct HTTPOptions: Sendable {
    public var connectTimeout: Double
    /// The whole request, connect to last byte.
    public var totalTimeout: Double
    /// Bodies past this size are abandoned rather than buffered without bound.
    public var maxResponseBytes: Int
    public var userAgent: String

    public init(connectTimeout: Double = 5, totalTimeout: Double = 30, maxResponseBytes: Int = 64 << 20, userAgent: String = "bookingbot") {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxResponseBytes = maxResponseBytes
        self.userAgent = userAgent
    }
}

/// libcurl must be initialised once per process before any handle exists.
let curlGlobalInit: Void = {
    curl_global_init(Int(CURL_GLOBAL_ALL))
}()

/// A blocking HTTP client owning one libcurl easy handle, whose connections are kept
/// alive and reused across requests.
///
/// Not thread-safe by design: a client belongs to the thread that runs its loop and each
/// request blocks that thread (never call it from Swift's cooperative pool).
public final class HTTPClient {
    public let options: HTTPOptions
    private let handle: EasyHandle

    public init(options: HTTPOptions = HTTPOptions()) {
        self.options = options
        guard let handle = EasyHandle() else { fatalError("curl_easy_init failed: out of memory") }
        self.handle = handle
    }

    public func get(_ url: String, headers: [(name: String, value: String)] = []) throws -> HTTPResponse {
        try send(HTTPRequest(method: "GET", url: url, headers: headers))
    }

    public func postJSON(_ url: String, body: Data, headers: [(name: String, value: String)] = [], timeout: Double? = nil) throws -> HTTPResponse {
        try send(HTTPRequest(method: "POST", url: url, headers: headers, body: .data(body, contentType: "application/json"), timeout: timeout))
    }

    public func postMultipart(_ url: String, parts: [MultipartPart], headers: [(name: String, value: String)] = [], timeout: Double? = nil) throws -> HTTPResponse {
        try send(HTTPRequest(method: "POST", url: url, headers: headers, body: .multipart(parts), timeout: timeout))
    }

    /// Performs one request and returns the response, whatever its status.
    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        try perform(request).get()
    }

    /// `send` with its `HTTPError` as a value.
    public func perform(_ request: HTTPRequest) -> Result<HTTPResponse, HTTPError> {
        let easy = EasyRequest(request, options: options, handle: handle)
        return easy.outcome(curl_easy_perform(handle.pointer))
    }
}
