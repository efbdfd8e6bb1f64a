import Foundation
import Postgres
import Sandbox
import Telegram

/// The bot as it runs, set up one way for the end-to-end tests and the bench: a scratch
/// database (its schema and rows are the caller's), the Sandbox as Telegram in this
/// process, and real `bookingbot ingress` (polling or webhook) and `worker` processes on a Redis
/// prefix of their own.
public final class SandboxedBot: Sendable {
    /// The `bookingbot` executable the processes run.
    public let binary: String
    public let database: ScratchDatabase
    public let sandbox: SandboxServer
    public let redisPrefix: String
    /// What every process of this bot is given: the database, Redis and its prefix, the
    /// token, the Sandbox as the Bot API, and a PATH of the system's tools only.
    public let environment: [String: String]

    /// Takes `database` (a fresh one: `stop()` drops it), lets `prepare` migrate and fill
    /// it, and starts the Sandbox with `sandboxOptions` (a round trip, flood limits…; its
    /// token is `token`); on failure the database is dropped.
    public init(binary: String, database: ScratchDatabase, redisURL: String, redisPrefix: String, token: String,
                sandboxOptions: SandboxOptions = SandboxOptions(), prepare: (PostgresConnection) throws -> Void) throws {
        self.binary = binary
        self.database = database
        self.redisPrefix = redisPrefix
        var options = sandboxOptions
        options.token = token
        sandbox = SandboxServer(options: options)
        do {
            let connection = try database.connect()
            defer { connection.close() }
            try prepare(connection)
            try sandbox.start()
        } catch {
            database.drop()
            throw error
        }
        environment = [
            "DATABASE_URL": database.url, "REDIS_URL": redisURL, "REDIS_PREFIX": redisPrefix,
            "BOT_TOKEN": token, "TELEGRAM_API_URL": sandbox.baseURL, "PATH": "/usr/bin:/bin",
        ]
    }

    /// How the ingress takes its updates from the Sandbox.
    public enum UpdateSource: Sendable {
        case polling
        /// `--webhook` on `port`, /healthz on `adminPort`; the caller registers the webhook
        /// (`registerWebhook`) and gives the ingress `webhookSecret`.
        case webhook(adminPort: Int)
    }

    /// The webhook's secret token, for `WEBHOOK_SECRET` and `setWebhook`.
    public static let webhookSecret = "sandboxed-bot-webhook-secret"

    /// Starts `bookingbot ingress --polling|--webhook --port <port> <arguments>`;
    /// `environment` defaults to the bot's.
    public func startIngress(port: Int, source: UpdateSource = .polling, arguments: [String] = [], environment: [String: String]? = nil,
                             currentDirectory: URL? = nil, output: ChildProcess.Output = .captured,
                             name: String = "ingress") throws -> ChildProcess {
        let mode: [String]
        var environment = environment ?? self.environment
        switch source {
        case .polling:
            mode = ["--polling"]
        case .webhook(let adminPort):
            mode = ["--webhook", "--admin-port", "\(adminPort)"]
            environment["WEBHOOK_SECRET"] = Self.webhookSecret
        }
        return try ChildProcess(binary, ["ingress"] + mode + ["--port", "\(port)"] + arguments, environment: environment,
                                currentDirectory: currentDirectory, output: output, name: name)
    }

    /// Points the Sandbox's webhook at an ingress started with `.webhook` on `port`.
    public func registerWebhook(port: Int) throws {
        try TelegramClient(baseURL: sandbox.baseURL, token: sandbox.options.token)
            .setWebhook(url: "http://127.0.0.1:\(port)/telegram", secretToken: Self.webhookSecret)
    }

    /// Starts `bookingbot worker --concurrency <concurrency> <arguments>`; `environment`
    /// defaults to the bot's.
    public func startWorker(concurrency: Int, arguments: [String] = [], environment: [String: String]? = nil,
                            currentDirectory: URL? = nil, output: ChildProcess.Output = .captured,
                            name: String = "worker") throws -> ChildProcess {
        try ChildProcess(binary, ["worker", "--concurrency", "\(concurrency)"] + arguments, environment: environment ?? self.environment,
                         currentDirectory: currentDirectory, output: output, name: name)
    }

    /// Stops the Sandbox and drops the database (the processes are the caller's to stop first).
    public func stop() {
        sandbox.stop()
        database.drop()
    }
}
