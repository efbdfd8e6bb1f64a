import ArgumentParser
import Booking
import Conversation
import Config
import Foundation
import Logging
import ErrorCapture
import Observability
import Redis

/// What every subcommand starts with: the configuration, checked, and a logger.
struct ProcessContext {
    let process: String
    let config: AppConfig
    let logger: Logger
    /// Where this process's error events wait for Redis (nil when Sentry is off).
    var sink: EventSink?

    /// Ends a long-running process after its stop: its last error events handed to Redis
    /// (within a second), its output flushed, then the process ends at once, without the C
    /// libraries' exit handlers. OpenSSL's clean-up at exit can race a thread still inside
    /// libcrypto (a worker once died with SIGSEGV after "worker stopped"); everything it
    /// would free, the kernel frees, and every transaction is over by then.
    func exit(_ status: Int32 = 0) -> Never {
        sink?.flush(timeout: 1)
        fflush(nil)
        _exit(status)
    }

    /// Loads the configuration; a bad value prints one line naming the variable and
    /// exits with code 2 before anything else happens.
    /// `captureErrors` false for the forwarder itself: its own failures to reach Sentry
    /// would otherwise become events for Sentry, without end.
    static func start(process: String, captureErrors: Bool = true) throws -> ProcessContext {
        let config: AppConfig
        do {
            config = try AppConfig.loadFromProcess()
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("bookingbot \(process): \(error)\n".utf8))
            throw ExitCode(2)
        }
        SecretScrubber.shared.register(config.secrets)
        let sink = config.sentry.enabled && captureErrors ? EventSink(reporter: ErrorReporter(config: config, process: process, version: BuildInfo.version,
                                                                            gitSHA: BuildInfo.gitSHA)) : nil
        let threshold = Logger.Level(rawValue: config.sentry.level) ?? .error
        LogSetup.bootstrap(format: LogFormat(rawValue: config.logging.format) ?? .text,
                           level: Logger.Level(rawValue: config.logging.level) ?? .info) { label, handler in
            // Every process's errors become Sentry events, through Redis, never waited on.
            sink.map { CapturingLogHandler(wrapping: handler, label: label, threshold: threshold, sink: $0) } ?? handler
        }
        var logger = Logger(label: process)
        logger[metadataKey: "pid"] = "\(ProcessInfo.processInfo.processIdentifier)"
        return ProcessContext(process: process, config: config, logger: logger, sink: sink)
    }
}

extension AppConfig {
    /// Every secret value, for the log scrubber.
    var secrets: [String?] {
        [telegram.botToken, telegram.webhookSecret, redis.password, sentry.dsn, databaseURL,
         sentry.dsn.flatMap { URLComponents(string: $0)?.user }] + Redact.passwords(inURL: databaseURL)
    }
}

extension ErrorReporter {
    /// A reporter for a process as configured: its Redis and prefix, `SENTRY_ENVIRONMENT`
    /// and `SENTRY_QUEUE_MAX`.
    convenience init(config: AppConfig, process: String, version: String, gitSHA: String,
                     tags: [String: String] = [:], logger: Logger? = nil) {
        self.init(endpoint: RedisEndpoint(config.redis), prefix: config.redis.prefix,
                  context: EventContext(process: process, version: version, gitSHA: gitSHA,
                                        environment: config.sentry.environment, tags: tags),
                  maxQueue: config.sentry.queueMax, logger: logger)
    }
}

extension ProcessContext {
    /// The bot token, which processes that talk to Telegram cannot run without.
    func botToken() throws -> String {
        guard let token = config.telegram.botToken else {
            FileHandle.standardError.write(Data("bookingbot \(process): config error: BOT_TOKEN: is required (scripts/run sets the Sandbox's)\n".utf8))
            throw ExitCode(2)
        }
        return token
    }

    /// How the conversation speaks in this deployment.
    func dialogueSettings(_ defaults: BookingRules) -> ConversationSettings {
        ConversationSettings(languageSetting: config.rules.language, serviceLocation: config.rules.serviceLocation,
                         callbackTTL: Double(config.rules.callbackTTLHours) * 3600, clock: defaults.clock,
                         maxAdminAdditionsPerHour: config.rules.maxAdminAdditionsPerHour)
    }

    /// This process among others: host and PID.
    /// This process's name in the queue's owner checks and heartbeats. Host and pid say
    /// where it runs; the random part keeps apart two containers that share a hostname
    /// (each its pid 1), whose workers the owner checks could not otherwise tell apart.
    var instanceName: String { Self.instance }
    private static let instance = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-"
        + String(UInt16.random(in: .min ... .max), radix: 16)
}
