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
private let curlGlobalInit: Void = {
    curl_global_init(Int(CURL_GLOBAL_ALL))
}()

/// A blocking HTTP client owning one libcurl easy handle, whose connections are kept
/// alive and reused across requests.
///
/// Not thread-safe by design: a client belongs to the thread that runs its loop and each
/// request blocks that thread (never call it from Swift's cooperative pool).
public final class HTTPClient {
    public let options: HTTPOptions
    private let handle: UnsafeMutableRawPointer

    public init(options: HTTPOptions = HTTPOptions()) {
        _ = curlGlobalInit
        self.options = options
        guard let handle = curl_easy_init() else { fatalError("curl_easy_init failed: out of memory") }
        self.handle = handle
    }

    deinit { curl_easy_cleanup(handle) }

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
        // Reset forgets the last request's options but keeps live connections and caches.
        curl_easy_reset(handle)
        let collector = ResponseCollector(limit: options.maxResponseBytes)
        let collectorPointer = Unmanaged.passRetained(collector)
        defer { collectorPointer.release() }

        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        var mime: OpaquePointer?
        defer {
            curl_slist_free_all(headerList)
            curl_mime_free(mime)
        }

        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
            bb_curl_setopt_string(handle, CURLOPT_URL, request.url)
            bb_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
            bb_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            bb_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
            bb_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
            bb_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int((request.timeout ?? options.totalTimeout) * 1000))
            bb_curl_setopt_string(handle, CURLOPT_USERAGENT, options.userAgent)
            bb_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorPointer.baseAddress)
            bb_curl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, ResponseCollector.bodyCallback)
            bb_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, collectorPointer.toOpaque())
            bb_curl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, ResponseCollector.headerCallback)
            bb_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, collectorPointer.toOpaque())

            var headers = request.headers
            // curl would otherwise pause large uploads for a 100-continue round trip.
            headers.append((name: "Expect", value: ""))
            switch request.body {
            case .none:
                if request.method == "HEAD" { bb_curl_setopt_long(handle, CURLOPT_NOBODY, 1) }
            case .data(let data, let contentType):
                headers.append((name: "Content-Type", value: contentType))
                bb_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE_LARGE, data.count)
                // COPYPOSTFIELDS copies the bytes, so nothing Swift owns must outlive this call.
                Self.withBytes(of: data) { bytes, _ in
                    _ = bb_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes))
                }
            case .multipart(let parts):
                mime = Self.makeMime(parts, handle: handle)
                bb_curl_setopt_pointer(handle, CURLOPT_MIMEPOST, UnsafeMutableRawPointer(mime))
            }
            if request.method != "GET" && request.method != "POST" && request.method != "HEAD" {
                bb_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
            }
            for header in headers {
                headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
            }
            bb_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList))
            return curl_easy_perform(handle)
        }

        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw Self.error(for: code, message: message, limit: options.maxResponseBytes, overflowed: collector.overflowed)
        }
        var status = 0
        bb_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: collector.headers, body: collector.body)
    }

    private static func makeMime(_ parts: [MultipartPart], handle: UnsafeMutableRawPointer) -> OpaquePointer? {
        let mime = curl_mime_init(handle)
        for part in parts {
            let field = curl_mime_addpart(mime)
            curl_mime_name(field, part.name)
            // curl_mime_data copies the bytes.
            withBytes(of: part.data) { bytes, count in
                _ = curl_mime_data(field, bytes, count)
            }
            if let filename = part.filename { curl_mime_filename(field, filename) }
            if let type = part.contentType { curl_mime_type(field, type) }
        }
        return mime
    }

    /// Hands C a non-NULL pointer even for empty data (NULL means "no data" to curl).
    private static func withBytes(of data: Data, _ body: (UnsafePointer<CChar>, Int) -> Void) {
        if data.isEmpty {
            var zero: CChar = 0
            withUnsafePointer(to: &zero) { body($0, 0) }
        } else {
            data.withUnsafeBytes { body($0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) }
        }
    }

    private static func error(for code: CURLcode, message: String, limit: Int, overflowed: Bool) -> HTTPError {
        switch code {
        case CURLE_COULDNT_CONNECT: return .cannotConnect(message)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .cannotResolveHost(message)
        case CURLE_OPERATION_TIMEDOUT: return .timedOut(message)
        case CURLE_WRITE_ERROR where overflowed: return .responseTooLarge(limit: limit)
        default: return .transport(code: Int(code.rawValue), message: message)
        }
    }
}

/// Gathers one response's headers and body from libcurl's callbacks.
private final class ResponseCollector {
    let limit: Int
    var body = Data()
    var headers: [(name: String, value: String)] = []
    var overflowed = false

    init(limit: Int) { self.limit = limit }

    static let bodyCallback: bb_curl_data_callback = { data, size, count, userdata in
        let collector = Unmanaged<ResponseCollector>.fromOpaque(userdata!).takeUnretainedValue()
        let length = size * count
        guard collector.body.count + length <= collector.limit else {
            collector.overflowed = true
            return 0  // a short count makes curl stop with CURLE_WRITE_ERROR
        }
        if let data { collector.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length) }
        return length
    }

    static let headerCallback: bb_curl_data_callback = { data, size, count, userdata in
        let collector = Unmanaged<ResponseCollector>.fromOpaque(userdata!).takeUnretainedValue()
        let length = size * count
        guard let data else { return length }
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            // A new status line (after a 100 Continue or a redirect) starts a new header block.
            collector.headers.removeAll()
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            collector.headers.append((name: name, value: value))
        }
        return length
    }
}
