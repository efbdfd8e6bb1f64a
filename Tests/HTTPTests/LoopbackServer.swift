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
/// - `GET /header`: a response header `X-Reply: yes`;
/// - `GET /meet/:group/:parties`: waits until `parties` requests of that group are in
///   the server together (or 20 s passed), then answers `together <round>` (the group's
///   round of meetings, from 0) or `alone`;
/// - `GET /most/:group`: the most requests of that group the server held at once.
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

        let meetings = Meetings()
        router.get("/meet/:group/:parties") { _, context -> String in
            let group = context.parameters.get("group") ?? ""
            let parties = min(max(1, Int(context.parameters.get("parties") ?? "") ?? 1), 1000)
            let round = await meetings.meet(group: group, parties: parties)
            await meetings.leave(group: group)
            return round.map { "together \($0)" } ?? "alone"
        }
        router.get("/most/:group") { _, context -> String in
            "\(await meetings.most(group: context.parameters.get("group") ?? ""))"
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

/// The server side of `/meet`: a barrier per group, reused round after round, that also
/// counts how many of the group's requests the server holds at once.
private actor Meetings {
    private struct Group {
        var round = 0
        var waiting: [Int: CheckedContinuation<Int?, Never>] = [:]
        var present = 0
        var most = 0
    }

    /// Bounds a wait for parties that never come, so a failing test fails rather than hangs.
    private static let patience: Duration = .seconds(20)
    private var groups: [String: Group] = [:]
    private var nextWaiter = 0

    /// The round this request met its parties in, or nil when they did not come in time.
    func meet(group name: String, parties: Int) async -> Int? {
        var group = groups[name, default: Group()]
        group.present += 1
        group.most = max(group.most, group.present)
        if group.waiting.count + 1 >= parties {
            let round = group.round
            for waiter in group.waiting.values { waiter.resume(returning: round) }
            group.waiting = [:]
            group.round += 1
            groups[name] = group
            return round
        }
        groups[name] = group
        nextWaiter += 1
        let id = nextWaiter
        return await withCheckedContinuation { continuation in
            groups[name]?.waiting[id] = continuation
            Task {
                try? await Task.sleep(for: Self.patience)
                self.giveUp(group: name, waiter: id)
            }
        }
    }

    func leave(group name: String) {
        groups[name]?.present -= 1
    }

    func most(group name: String) -> Int {
        groups[name]?.most ?? 0
    }

    private func giveUp(group name: String, waiter id: Int) {
        groups[name]?.waiting.removeValue(forKey: id)?.resume(returning: nil)
    }
}
