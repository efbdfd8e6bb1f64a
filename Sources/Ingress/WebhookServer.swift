import Foundation
import Hummingbird
import Logging
import NIOCore
import Queue
import ServiceLifecycle
import Stats
import WireSupport

/// The HTTP side of ingress: Telegram's webhook calls (in webhook mode), `/healthz` and
/// `/metrics` (in both modes).
///
/// An update is answered 200 only after Redis has it, so Telegram re-sends anything we
/// did not take: 503 while Redis is unreachable, 401 for a wrong secret, 413 or 400 for
/// a body that is too large or not an update (those are logged and dropped: re-sending
/// cannot fix them). Redis calls run on a `BlockingPool`, never on the cooperative pool.
public struct IngressHTTPServer: Sendable {
    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        /// The webhook path; nil serves only `/healthz` and `/metrics` (polling mode).
        public var webhookPath: String?
        public var secret: String?
        public var maxBodyBytes: Int

        public init(host: String = "0.0.0.0", port: Int, webhookPath: String?, secret: String?, maxBodyBytes: Int = 1 << 20) {
            self.host = host
            self.port = port
            self.webhookPath = webhookPath
            self.secret = secret
            self.maxBodyBytes = maxBodyBytes
        }
    }

    public let settings: Settings
    public let queues: BlockingPool<ChatQueue>
    public let counters: IngressCounters
    public let logger: Logger

    public init(settings: Settings, queues: BlockingPool<ChatQueue>, counters: IngressCounters, logger: Logger) {
        self.settings = settings
        self.queues = queues
        self.counters = counters
        self.logger = logger
    }

    /// The server as a service group that listens for no signals itself: the caller starts
    /// its graceful stop (`triggerGracefulShutdown()`, remembered even before `run()`), and
    /// the requests in flight then finish. `onListening` gets the bound port (useful with port 0).
    public func serviceGroup(onListening: @escaping @Sendable (Int) -> Void = { _ in }) -> ServiceGroup {
        let router = Router()
        if let path = settings.webhookPath {
            router.post(RouterPath(path)) { request, _ -> Response in
                await self.receive(request)
            }
        }
        router.get("/healthz") { _, _ -> Response in
            do {
                try await self.queues.run { try $0.ping() }
                return Self.text(.ok, "ok\n")
            } catch {
                return Self.text(.serviceUnavailable, "redis unreachable\n")
            }
        }
        router.get("/metrics") { _, _ -> Response in
            let snapshot = try? await self.queues.run {
                try DeploymentStats(redis: $0.redis, prefix: $0.keys.prefix).snapshot(now: Date(), heartbeatTTL: 30)
            }
            var response = Self.text(.ok, PrometheusText.render(snapshot: snapshot, ingressCounters: self.counters.snapshot))
            response.headers[.contentType] = "text/plain; version=0.0.4"
            return response
        }
        let logger = self.logger
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? -1
                logger.info("ingress listening", metadata: ["port": "\(port)"])
                onListening(port)
            },
            logger: logger)
        return ServiceGroup(services: [app], logger: logger)
    }

    private func receive(_ request: Request) async -> Response {
        if let secret = settings.secret {
            let given = request.headers[.init("X-Telegram-Bot-Api-Secret-Token")!] ?? ""
            guard ConstantTime.equals(given, secret) else {
                counters.add("unauthorized")
                logger.warning("webhook call with a wrong secret token")
                return Self.text(.unauthorized, "unauthorized\n")
            }
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: settings.maxBodyBytes)
        } catch {
            counters.add("too_large")
            logger.warning("webhook body over the limit dropped", metadata: ["limit": "\(settings.maxBodyBytes)"])
            return Self.text(.contentTooLarge, "too large\n")
        }
        switch UpdateIntake.read(Data(body.readableBytesView)) {
        case .failure(let rejection):
            counters.add(rejection.rawValue)
            logger.warning("webhook body is not an update; dropped", metadata: ["reason": "\(rejection.rawValue)", "bytes": "\(body.readableBytes)"])
            return Self.text(.badRequest, "not an update\n")
        case .success(let update):
            do {
                let fresh = try await queues.run { queue in
                    try queue.enqueue(chat: update.chat, updateID: update.updateID, payload: update.payload, kind: update.kind)
                }
                counters.add(fresh ? "enqueued" : "duplicate")
                return Self.text(.ok, "ok\n")
            } catch {
                counters.add("unavailable")
                logger.error("cannot enqueue; Telegram will re-send", error: error,
                             metadata: ["error": "\(error)", "update_id": "\(update.updateID)"])
                return Self.text(.serviceUnavailable, "queue unavailable\n")
            }
        }
    }

    private static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
