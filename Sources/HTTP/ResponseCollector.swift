import CCurlShim
import Foundation

/// Gathers one response's headers and body from libcurl's callbacks.
final class ResponseCollector {
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
