import Foundation
import Hummingbird
import Logging
import NIOCore
import Queue
import ServiceLifecycle
import Stats
import WireSupport

/// The admin listener: `/healthz` and `/metrics`, for the host's monitoring, apart from
/// the public webhook port (by default on 127.0.0.1 only).
///
/// Its Redis work runs on a pool of its own, so scrapes never queue ahead of webhook
/// enqueues, and reads are shared: a flood of requests still means one Redis read at a
/// time, and at most one figures read a second.
public struct AdminServer: Sendable {
    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        /// How long a figures read serves `/metrics` (Prometheus scrapes every 15 s).
        public var metricsFreshFor: TimeInterval

        public init(host: String = "127.0.0.1", port: Int, metricsFreshFor: TimeInterval = 1) {
            self.host = host
            self.port = port
            self.metricsFreshFor = metricsFreshFor
        }
    }

    public let settings: Settings
    private let counters: IngressCounters
    private let logger: Logger
    private let health: SharedRead<Bool>
    private let figures: SharedRead<DeploymentSnapshot?>

    public init(settings: Settings, queues: BlockingPool<ChatQueue>, counters: IngressCounters, logger: Logger) {
        self.settings = settings
        self.counters = counters
        self.logger = logger
        // Health is never cached: a check right after Redis went down must say so.
        health = SharedRead(freshFor: 0) {
            (try? await queues.run { try $0.ping() }) != nil
        }
        figures = SharedRead(freshFor: settings.metricsFreshFor) {
            try? await queues.run {
                try DeploymentStats(redis: $0.redis, prefix: $0.keys.prefix).snapshot(now: Date(), heartbeatTTL: 30)
            }
        }
    }

    public func application(onListening: @escaping @Sendable (Int) -> Void) -> some Service {
        let router = Router()
        router.get("/healthz") { _, _ -> Response in
            await health.value() ? HTTPText.response(.ok, "ok\n") : HTTPText.response(.serviceUnavailable, "redis unreachable\n")
        }
        router.get("/metrics") { _, _ -> Response in
            let snapshot = await figures.value()
            var response = HTTPText.response(.ok, PrometheusText.render(snapshot: snapshot, ingressCounters: counters.snapshot))
            response.headers[.contentType] = "text/plain; version=0.0.4"
            return response
        }
        return Listener.application(router, host: settings.host, port: settings.port, says: "admin listening (/healthz, /metrics)",
                                    logger: logger, onListening: onListening)
    }
}

/// The ingress's HTTP listeners: a Hummingbird application that logs its port and tells
/// the caller once it listens (port 0 picks a free one).
enum Listener {
    static func application(_ router: Router<BasicRequestContext>, host: String, port: Int, says line: Logger.Message,
                            logger: Logger, onListening: @escaping @Sendable (Int) -> Void) -> some Service {
        Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? -1
                logger.info(line, metadata: ["port": "\(port)"])
                onListening(port)
            },
            logger: logger)
    }
}

enum HTTPText {
    static func response(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
