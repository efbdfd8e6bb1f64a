import ArgumentParser
import Config
import Foundation
import HTTP
import Ingress
import Queue
import Redis
import Telegram
import WireSupport

struct IngressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingress",
        abstract: "Receive Telegram updates (--polling or --webhook) and enqueue them in Redis; serve /healthz and /metrics.")

    @Flag(help: "Long-poll getUpdates (one leader across instances; the others wait).") var polling = false
    @Flag(help: "Serve Telegram's webhook calls (register the URL with `bookingbot webhook set`).") var webhook = false
    @Option(help: "Port of the webhook, /healthz and /metrics server (default: $PORT, else 8080).") var port: Int?
    @Option(help: "Address to listen on.") var host = "0.0.0.0"
    @Option(help: "Path of the webhook endpoint.") var path = "/telegram"
    @Option(help: "Seconds a dead polling leader keeps the lock before another instance takes over.") var leaderTTL: Double = 30

    func validate() throws {
        guard polling != webhook else { throw ValidationError("choose one of --polling or --webhook") }
        guard path.hasPrefix("/") else { throw ValidationError("--path must start with /") }
        guard leaderTTL >= 2 else { throw ValidationError("--leader-ttl must be at least 2 seconds") }
    }

    func run() async throws {
        let context = try ProcessContext.start(process: "ingress")
        let config = context.config
        let port = self.port ?? ProcessInfo.processInfo.environment["PORT"].flatMap(Int.init) ?? 8080
        let counters = IngressCounters()
        let endpoint = RedisEndpoint(config.redis)
        let prefix = config.redis.prefix
        // Short reconnect window: while Redis is down the webhook answers 503 at once and
        // Telegram re-sends later, rather than every request hanging.
        let options = RedisOptions(connectTimeout: 1, readTimeout: 3, reconnectWindow: 0.5)
        let queues = BlockingPool<ChatQueue>(threads: 4, name: "redis") {
            ChatQueue(redis: try RedisConnection(endpoint: endpoint, options: options), prefix: prefix)
        }

        var poller: PollingIngress?
        if polling {
            guard let token = config.telegram.botToken else {
                FileHandle.standardError.write(Data("bookingbot ingress: config error: BOT_TOKEN: is required for --polling\n".utf8))
                throw ExitCode(2)
            }
            let apiURL = config.telegram.apiURL
            let instance = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
            poller = PollingIngress(
                // A poll in flight is waited for at a stop: it never outlasts half the grace.
                settings: .init(pollTimeoutSeconds: max(1, min(10, Int(leaderTTL / 3), Int(config.shutdownGraceSeconds / 2))),
                                leaderTTL: leaderTTL, instance: instance),
                prefix: prefix, counters: counters, logger: context.logger,
                redis: { try RedisConnection(endpoint: endpoint, options: RedisOptions(reconnectWindow: 2)) },
                telegram: { TelegramClient(baseURL: apiURL, token: token, http: HTTPClient(options: HTTPOptions(totalTimeout: 40))) })
        }

        let server = IngressHTTPServer(
            settings: .init(host: host, port: port, webhookPath: webhook ? path : nil, secret: config.telegram.webhookSecret),
            queues: queues, counters: counters, logger: context.logger)
        let group = server.serviceGroup()
        // One listener for every signal, in place before any work starts: the first stops the
        // server gracefully (remembered by the group even before it runs) and sets a deadline
        // for requests that never end; a second exits at once.
        let grace = config.shutdownGraceSeconds
        let logger = context.logger
        await ShutdownSignal.install {
            Task { await group.triggerGracefulShutdown() }
            DispatchQueue.global().asyncAfter(deadline: .now() + grace) {
                logger.error("ingress did not stop within the grace time; exiting")
                Foundation.exit(1)
            }
        }
        poller?.start()
        try await group.run()
        if let poller {
            // Waiting for the poll in flight blocks: do it on a thread, not the cooperative pool.
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                Thread { poller.stop(timeout: grace); done.resume() }.start()
            }
        }
        queues.shutdown()
        context.logger.info("ingress stopped")
    }
}

extension RedisEndpoint {
    init(_ settings: RedisSettings) {
        self.init(host: settings.host, port: settings.port, password: settings.password, database: settings.database)
    }
}
