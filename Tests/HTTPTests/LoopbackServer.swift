import Foundation
import Hummingbird
import NIOCore

/// A real HTTP server on 127.0.0.1 (Hummingbird), started once for the HTTP client tests.
///
/// Routes:
/// - `POST|PUT|DELETE /echo`: a JSON report of the method, content type, an `X-Test`
///   header and the body (base64);
/// - `GET /status/:code`: that status, body `status <code>`;
/// - `GET /slow`: answers after 3 s;
/// - `GET /bytes/:count`: that many bytes;
/// - `GET /peer`: the client's source port (a kept-alive connection keeps its port);
/// - `GET /header`: a response header `X-Reply: yes`.
enum LoopbackServer {
    struct Echo: Codable {
        let method: String
        let contentType: String?
        let xTest: String?
        let body: String
    }

    struct PeerContext: RequestContext {
        var coreContext: CoreRequestContextStorage
        let remotePort: Int?
        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            remotePort = source.channel.remoteAddress?.port
        }
        var maxUploadSize: Int { 64 << 20 }
    }

    /// Port of the running server; starts it on first use.
    static let port: Int = start()

    private static func start() -> Int {
        let router = Router(context: PeerContext.self)
        for method in [HTTPRequest.Method.post, .put, .delete] {
            router.on("/echo", method: method) { request, context -> Response in
                let body = try await request.body.collect(upTo: context.maxUploadSize)
                let echo = Echo(method: request.method.rawValue,
                                contentType: request.headers[.contentType],
                                xTest: request.headers[.init("X-Test")!],
                                body: Data(buffer: body).base64EncodedString())
                let data = try JSONEncoder().encode(echo)
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
        }
        router.get("/status/:code") { _, context -> Response in
            let code = Int(context.parameters.get("code") ?? "") ?? 500
            return Response(status: .init(code: code), body: .init(byteBuffer: ByteBuffer(string: "status \(code)")))
        }
        router.get("/slow") { _, _ -> String in
            try await Task.sleep(for: .seconds(3))
            return "late"
        }
        router.get("/bytes/:count") { _, context -> Response in
            let count = Int(context.parameters.get("count") ?? "") ?? 0
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: count)))
        }
        router.get("/peer") { _, context -> String in
            "\(context.remotePort ?? -1)"
        }
        router.get("/header") { _, _ -> Response in
            Response(status: .ok, headers: [.init("X-Reply")!: "yes"], body: .init(byteBuffer: ByteBuffer(string: "ok")))
        }

        let ready = DispatchSemaphore(value: 0)
        let boundPort = LockedPort()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                boundPort.set(channel.localAddress?.port ?? -1)
                ready.signal()
            })
        Task { try await app.run() }
        ready.wait()
        return boundPort.value
    }
}

private final class LockedPort: @unchecked Sendable {
    private let lock = NSLock()
    private var port = 0
    func set(_ value: Int) { lock.withLock { port = value } }
    var value: Int { lock.withLock { port } }
}
