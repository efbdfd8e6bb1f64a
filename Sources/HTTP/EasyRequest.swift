import CCurl
import CCurlShim
import Foundation

/// One request set up on a libcurl easy handle, and what libcurl writes back for it: the
/// one setup of both clients (`HTTPClient` performs it, `ConcurrentHTTPClient` adds it to
/// its multi handle).
///
/// Nothing else may use the handle until this value is gone. Everything libcurl was handed
/// (collector, error buffer, header list, mime) lives exactly as long as this value, and
/// deinit unhooks it from the handle first, so an idle handle never points at freed memory.
final class EasyRequest {
    let handle: EasyHandle
    private let limit: Int
    private let collector: ResponseCollector
    private let collectorPointer: Unmanaged<ResponseCollector>
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var mime: OpaquePointer?

    init(_ request: HTTPRequest, options: HTTPOptions, handle easyHandle: EasyHandle) {
        handle = easyHandle
        let handle = easyHandle.pointer
        limit = options.maxResponseBytes
        collector = ResponseCollector(limit: options.maxResponseBytes)
        collectorPointer = Unmanaged.passRetained(collector)
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        // Reset forgets the last request's options but keeps live connections and caches.
        curl_easy_reset(handle)
        bb_curl_setopt_string(handle, CURLOPT_URL, request.url)
        bb_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        bb_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        bb_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
        bb_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(options.connectTimeout))
        bb_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout ?? options.totalTimeout))
        bb_curl_setopt_string(handle, CURLOPT_USERAGENT, options.userAgent)
        bb_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
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
    }

    deinit {
        let handle = self.handle.pointer
        bb_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, nil)
        bb_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, nil)
        bb_curl_setopt_pointer(handle, CURLOPT_MIMEPOST, nil)
        bb_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, nil)
        bb_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, nil)
        curl_slist_free_all(headerList)
        curl_mime_free(mime)
        errorBuffer.deallocate()
        collectorPointer.release()
    }

    /// The response, whatever its status, once the transfer ended with `code`.
    func outcome(_ code: CURLcode) -> Result<HTTPResponse, HTTPError> {
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            return .failure(Self.error(for: code, message: message, limit: limit, overflowed: collector.overflowed))
        }
        var status = 0
        bb_curl_getinfo_long(handle.pointer, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: collector.headers, body: collector.body))
    }

    /// A timeout as libcurl's milliseconds. A NaN, negative or enormous one would trap in
    /// the conversion, and 0 means "no timeout" to libcurl: none of them may reach it.
    static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 1 }
        return max(1, Int(min(seconds, 86_400) * 1000))
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
