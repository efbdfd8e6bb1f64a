import CZlib
import Foundation
import Hummingbird
import NIOCore

/// A loopback server that speaks the envelope endpoint's side of Sentry's protocol the
/// way a test scripts it: each request is recorded (body un-gzipped) and answered with the
/// next scripted reply, or 200 when none is left. Bugsink only sends some of Sentry's
/// answers (429, rate-limit headers), so these are tested here.
final class FakeSentry: @unchecked Sendable {
    struct Reply: Sendable {
        var status: Int
        var headers: [String: String] = [:]
    }

    struct Received: Sendable {
        let at: Date
        let auth: String?
        let encoding: String?
        let body: Data

        /// The envelope's lines: header, then item header / payload pairs.
        var lines: [String] { String(decoding: body, as: UTF8.self).split(separator: "\n").map(String.init) }
        var eventID: String? {
            guard let first = lines.first, let header = try? JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any] else { return nil }
            return header["event_id"] as? String
        }
        /// The client report's discarded counts by reason, if the envelope has one.
        var discarded: [String: Int] {
            for (index, line) in lines.enumerated() where line.contains("\"client_report\"") && index + 1 < lines.count {
                let report = (try? JSONSerialization.jsonObject(with: Data(lines[index + 1].utf8)) as? [String: Any]) ?? [:]
                var counts: [String: Int] = [:]
                for item in report["discarded_events"] as? [[String: Any]] ?? [] {
                    counts[item["reason"] as? String ?? "", default: 0] += item["quantity"] as? Int ?? 0
                }
                return counts
            }
            return [:]
        }
    }

    private let lock = NSLock()
    private var script: [Reply] = []
    private var log: [Received] = []
    private(set) var port = 0

    init() {
        let router = Router()
        router.post("/api/:project/envelope/") { [self] request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let raw = Data(buffer: body)
            let encoding = request.headers[.contentEncoding]
            let data = encoding == "gzip" ? Self.gunzip(raw) : raw
            let reply = lock.withLock { () -> Reply in
                log.append(Received(at: Date(), auth: request.headers[.init("X-Sentry-Auth")!], encoding: encoding, body: data))
                return script.isEmpty ? Reply(status: 200) : script.removeFirst()
            }
            var headers = HTTPFields()
            for (name, value) in reply.headers { headers[.init(name)!] = value }
            return Response(status: .init(code: reply.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
        let ready = DispatchSemaphore(value: 0)
        let bound = BoundPort()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  bound.set(channel.localAddress?.port ?? -1)
                                  ready.signal()
                              })
        Task { try await app.run() }
        ready.wait()
        port = bound.value
    }

    var dsn: String { "http://publickey@127.0.0.1:\(port)/42" }

    func answer(_ replies: Reply...) { lock.withLock { script += replies } }

    var received: [Received] { lock.withLock { log } }

    private static func gunzip(_ data: Data) -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return Data() }
        defer { inflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var input = [UInt8](data)
        return input.withUnsafeMutableBufferPointer { inputPointer in
            stream.next_in = inputPointer.baseAddress
            stream.avail_in = uInt(inputPointer.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                if status != Z_OK { return output }
            }
        }
    }
}

private final class BoundPort: @unchecked Sendable {
    private let lock = NSLock()
    private var port = 0
    func set(_ value: Int) { lock.withLock { port = value } }
    var value: Int { lock.withLock { port } }
}
