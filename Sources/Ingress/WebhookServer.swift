import Foundation
import Hummingbird
import Logging
import NIOCore
import Queue
import ServiceLifecycle
import WireSupport

/// The public listener of webhook mode: Telegram's calls to the webhook path, and
/// nothing else (every other path is 404; `/healthz` and `/metrics` are `AdminServer`'s).
///
/// An update is answered 200 only after Redis has it, so Telegram re-sends anything we
/// did not take: 503 while Redis is unreachable, 401 for a missing or wrong secret (and
/// nothing queued), 413 or 400 for a body that is too large or not an update (those are
/// logged and dropped: re-sending cannot fix them). Redis calls run on a `BlockingPool`,
/// never on the cooperative pool.
public struct WebhookServer: Sendable {
    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        public var path: String
        /// Telegram sends it back in `X-Telegram-Bot-Api-Secret-Token`; not optional: the
        /// path is easy to guess, and a forged update acts as any user.
        public var secret: String
        public var maxBodyBytes: Int

        public init(host: String = "0.0.0.0", port: Int, path: String, secret: String, maxBodyBytes: Int = 1 << 20) {
            self.host = host
            self.port = port
            self.path = path
            self.secret = secret
            self.maxBodyBytes = maxBodyBytes
        }
    }

    public let settings: Settings
    private let queues: BlockingPool<ChatQueue>
    private let counters: IngressCounters
    private let logger: Logger

    public init(settings: Settings, queues: BlockingPool<ChatQueue>, counters: IngressCounters, logger: Logger) {
        self.settings = settings
        self.queues = queues
        self.counters = counters
        self.logger = logger
    }

    public func application(onListening: @escaping @Sendable (Int) -> Void) -> some Service {
        let router = Router()
        router.post(RouterPath(settings.path)) { request, _ -> Response in
            await self.receive(request)
        }
        return Listener.application(router, host: settings.host, port: settings.port, says: "webhook listening",
                                    logger: logger, onListening: onListening)
    }

    private func receive(_ request: Request) async -> Response {
        let given = request.headers[.init("X-Telegram-Bot-Api-Secret-Token")!] ?? ""
        guard ConstantTime.equals(given, settings.secret) else {
            counters.add("unauthorized")
            logger.warning("webhook call without the right secret token; refused")
            return HTTPText.response(.unauthorized, "unauthorized\n")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: settings.maxBodyBytes)
        } catch {
            counters.add("too_large")
            logger.warning("webhook body over the limit dropped", metadata: ["limit": "\(settings.maxBodyBytes)"])
            return HTTPText.response(.contentTooLarge, "too large\n")
        }
        switch UpdateIntake.read(Data(body.readableBytesView)) {
        case .failure(let rejection):
            counters.add(rejection.rawValue)
            logger.warning("webhook body is not an update; dropped", metadata: ["reason": "\(rejection.rawValue)", "bytes": "\(body.readableBytes)"])
            return HTTPText.response(.badRequest, "not an update\n")
        case .success(let update):
            do {
                let fresh = try await queues.run { queue in
                    try queue.enqueue(chat: update.chat, updateID: update.updateID, payload: update.payload, kind: update.kind)
                }
                counters.add(fresh ? "enqueued" : "duplicate")
                return HTTPText.response(.ok, "ok\n")
            } catch {
                counters.add("unavailable")
                logger.error("cannot enqueue; Telegram will re-send", error: error,
                             metadata: ["error": "\(error)", "update_id": "\(update.updateID)"])
                return HTTPText.response(.serviceUnavailable, "queue unavailable\n")
            }
        }
    }
}

/// The ingress's listeners as one service group: the admin listener always, the webhook
/// listener in webhook mode. The group listens for no signals itself: the caller starts its
/// graceful stop (`triggerGracefulShutdown()`, remembered even before `run()`), and the
/// requests in flight then finish.
public struct IngressHTTPServer: Sendable {
    public let webhook: WebhookServer?
    public let admin: AdminServer
    private let logger: Logger

    public init(webhook: WebhookServer?, admin: AdminServer, logger: Logger) {
        self.webhook = webhook
        self.admin = admin
        self.logger = logger
    }

    /// `onListening` gets each listener's bound port (useful with port 0).
    public func serviceGroup(onWebhookListening: @escaping @Sendable (Int) -> Void = { _ in },
                             onAdminListening: @escaping @Sendable (Int) -> Void = { _ in }) -> ServiceGroup {
        var services: [any Service] = [admin.application(onListening: onAdminListening)]
        if let webhook { services.append(webhook.application(onListening: onWebhookListening)) }
        return ServiceGroup(services: services, logger: logger)
    }
}
