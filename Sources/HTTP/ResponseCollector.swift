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
        // Read as bytes: Foundation's trimming costs more than the rest of a call on the
        // hot path, and header lines are ASCII (an odd byte ends up in a value as before).
        let line = ResponseCollector.trimmed(UnsafeRawBufferPointer(start: data, count: length)[...])
        if line.starts(with: Array("HTTP/".utf8)) {
            // A new status line (after a 100 Continue or a redirect) starts a new header block.
            collector.headers.removeAll()
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            let name = String(decoding: ResponseCollector.trimmed(line[..<colon]), as: UTF8.self)
            let value = String(decoding: ResponseCollector.trimmed(line[line.index(after: colon)...]), as: UTF8.self)
            collector.headers.append((name: name, value: value))
        }
        return length
    }

    /// Without the spaces, tabs and line ends around it.
    static func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
        let space: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0B || $0 == 0x0C }
        guard let first = bytes.firstIndex(where: { !space($0) }), let last = bytes.lastIndex(where: { !space($0) }) else {
            return bytes[bytes.startIndex..<bytes.startIndex]
        }
        return bytes[first...last]
    }
}
