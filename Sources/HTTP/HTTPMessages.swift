import Foundation

/// One outbound HTTP request.
public struct HTTPRequest: Sendable {
    public enum Body: Sendable {
        case none
        case data(Data, contentType: String)
        case multipart([MultipartPart])
    }

    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: Body
    /// Overrides the client's total timeout for this request (e.g. a long poll).
    public var timeout: Double?

    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: Body = .none, timeout: Double? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// One field of a `multipart/form-data` body; a `filename` makes it a file upload.
public struct MultipartPart: Sendable {
    public var name: String
    public var data: Data
    public var filename: String?
    public var contentType: String?

    public init(name: String, data: Data, filename: String? = nil, contentType: String? = nil) {
        self.name = name
        self.data = data
        self.filename = filename
        self.contentType = contentType
    }

    public init(name: String, value: String) {
        self.init(name: name, data: Data(value.utf8))
    }
}

/// A response, whatever its status: a 4xx or 5xx is an answer, not a transport error.
public struct HTTPResponse: Sendable {
    public let status: Int
    public let headers: [(name: String, value: String)]
    public let body: Data

    /// The first header of that name, compared case-insensitively. Header names are ASCII
    /// tokens; Foundation's `caseInsensitiveCompare` would collate them with ICU, whose
    /// tables a process then maps in (a step in the soak's memory, issue #19).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    public var isSuccess: Bool { (200..<300).contains(status) }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The response itself when 2xx, otherwise `HTTPError.status`.
    @discardableResult
    public func successful() throws -> HTTPResponse {
        guard isSuccess else { throw HTTPError.status(status, body: body) }
        return self
    }
}

/// Why a request got no usable answer. Messages never hold the URL (it may carry a token).
public enum HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nobody listens there (connection refused, host unreachable).
    case cannotConnect(String)
    case cannotResolveHost(String)
    /// Connect or total timeout passed.
    case timedOut(String)
    /// The body grew past the client's limit and was abandoned.
    case responseTooLarge(limit: Int)
    /// Any other transport failure (TLS, reset, malformed response), with curl's code.
    case transport(code: Int, message: String)
    /// The server answered with a non-2xx status (from `HTTPResponse.successful()`).
    case status(Int, body: Data)
    /// The client was shut down before an answer came (`ConcurrentHTTPClient.shutdown()`):
    /// the request may or may not have reached the server.
    case shutDown

    /// True for failures where the same request may succeed later.
    public var isTransient: Bool {
        switch self {
        case .cannotConnect, .cannotResolveHost, .timedOut, .transport, .shutDown: return true
        case .status(let code, _): return code == 429 || code >= 500
        case .responseTooLarge: return false
        }
    }

    public var description: String {
        switch self {
        case .cannotConnect(let message): return "http: cannot connect: \(message)"
        case .cannotResolveHost(let message): return "http: cannot resolve host: \(message)"
        case .timedOut(let message): return "http: timed out: \(message)"
        case .responseTooLarge(let limit): return "http: response larger than \(limit) bytes"
        case .transport(let code, let message): return "http: transport error \(code): \(message)"
        case .status(let code, _): return "http: status \(code)"
        case .shutDown: return "http: the client was shut down before an answer"
        }
    }
}
