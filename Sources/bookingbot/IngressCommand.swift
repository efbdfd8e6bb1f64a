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
        abstract: "Receive Telegram updates (--polling or --webhook) and enqueue them in Redis; serve /healthz and /metrics on the admin port.",
        discussion: """
            Webhook mode has two listeners: the webhook on --host:--port (only --path, with \
            WEBHOOK_SECRET required), and the admin listener (/healthz, /metrics) on \
            METRICS_BIND:--admin-port. Polling mode has only the admin listener; there --port and \
            --host, when given, name it (as they did before the admin listener existed).
            """)

    @Flag(help: "Long-poll getUpdates (one leader across instances; the others wait).") var polling = false
    @Flag(help: "Serve Telegram's webhook calls (register the URL with `bookingbot webhook set`). Needs WEBHOOK_SECRET.") var webhook = false
    @Option(help: "Port of the webhook listener (default: $PORT, else 8080). With --polling: the admin port, unless --admin-port is given.")
    var port: Int?
    @Option(help: "Address of the webhook listener (default 0.0.0.0). With --polling: the admin listener's, instead of METRICS_BIND.")
    var host: String?
    @Option(help: "Port of the admin listener, /healthz and /metrics (default: $METRICS_PORT, else 8081).") var adminPort: Int?
    @Option(help: "Path of the webhook endpoint.") var path = "/telegram"
    @Option(help: "Seconds a dead polling leader keeps the lock before another instance takes over.") var leaderTTL: Double = 30

    func validate() throws {
        guard polling != webhook else { throw ValidationError("choose one of --polling or --webhook") }
        guard path.hasPrefix("/") else { throw ValidationError("--path must start with /") }
        guard leaderTTL >= 2 else { throw ValidationError("--leader-ttl must be at least 2 seconds") }
    }

    struct Address: Equatable {
        var host: String
        var port: Int
    }

    /// Where the listeners bind, from the flags and the configuration; no webhook address
    /// in polling mode.
    struct Listeners: Equatable {
        var webhook: Address?
        var admin: Address
    }

    func listeners(_ config: AppConfig, environment: [String: String]) throws -> Listeners {
        guard webhook else {
            return Listeners(webhook: nil, admin: Address(host: host ?? config.metrics.bind, port: adminPort ?? port ?? config.metrics.port))
        }
        let webhookPort = port ?? environment["PORT"].flatMap(Int.init) ?? 8080
        let admin = Address(host: config.metrics.bind, port: adminPort ?? config.metrics.port)
        guard admin.port != webhookPort || webhookPort == 0 else {
            throw ConfigError(variable: adminPort == nil ? "METRICS_PORT" : "--admin-port",
                              problem: "'\(admin.port)' must differ from the webhook port (the admin listener is a separate one)")
        }
        return Listeners(webhook: Address(host: host ?? "0.0.0.0", port: webhookPort), admin: admin)
    }

    func run() async throws {
        let context = try ProcessContext.start(process: "ingress")
        let config = context.config
        let listeners: Listeners
        do {
            // Without the secret anyone who guesses the path could post updates as any user.
            if webhook && config.telegram.webhookSecret == nil {
                throw ConfigError(variable: "WEBHOOK_SECRET", problem: "is required for --webhook (Telegram sends it back on every call)")
            }
            listeners = try self.listeners(config, environment: ProcessInfo.processInfo.environment)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("bookingbot ingress: \(error)\n".utf8))
            throw ExitCode(2)
        }
        RedisDurability.warnAtStart(config, logger: context.logger)
        let counters = IngressCounters()
        let endpoint = RedisEndpoint(config.redis)
        let prefix = config.redis.prefix
        // Short reconnect window: while Redis is down the webhook answers 503 at once and
        // Telegram re-sends later, rather than every request hanging.
        let options = RedisOptions(connectTimeout: 1, readTimeout: 3, reconnectWindow: 0.5)
        let openQueue = { ChatQueue(redis: try RedisConnection(endpoint: endpoint, options: options), prefix: prefix) }
        let queues = BlockingPool<ChatQueue>(threads: 4, name: "redis", open: openQueue)
        // Scrapes get a connection of their own: they never wait behind, or hold up, enqueues.
        let adminQueues = BlockingPool<ChatQueue>(threads: 1, name: "redis-admin", open: openQueue)

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

        let webhookServer = listeners.webhook.map { address in
            WebhookServer(settings: .init(host: address.host, port: address.port, path: path, secret: config.telegram.webhookSecret!),
                          queues: queues, counters: counters, logger: context.logger)
        }
        let admin = AdminServer(settings: .init(host: listeners.admin.host, port: listeners.admin.port),
                                queues: adminQueues, counters: counters, logger: context.logger)
        let group = IngressHTTPServer(webhook: webhookServer, admin: admin, logger: context.logger).serviceGroup()
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
        adminQueues.shutdown()
        context.logger.info("ingress stopped")
    }
}

extension RedisEndpoint {
    init(_ settings: RedisSettings) {
        self.init(host: settings.host, port: settings.port, password: settings.password, database: settings.database)
    }
}
