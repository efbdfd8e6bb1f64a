import Foundation

/// Everything a BookingBot process is configured with, read once at start.
/// Booking rules here are defaults: settings edited in the bot win over them.
public struct AppConfig: Sendable {
    public var telegram: TelegramSettings
    public var databaseURL: String
    public var redis: RedisSettings
    /// Owners: always super admins, never removable from inside the bot.
    public var adminIDs: [Int64]
    public var sentry: SentrySettings
    public var rules: RuleDefaults
    public var logging: LogSettings
    /// The ingress's admin listener (`/healthz`, `/metrics`).
    public var metrics: MetricsSettings
    /// How long a process may take to finish its current work after SIGTERM.
    public var shutdownGraceSeconds: Double
    /// The bounds of the long-running processes' database sessions, and retention.
    public var database = DatabaseSettings()

    public init(telegram: TelegramSettings, databaseURL: String, redis: RedisSettings, adminIDs: [Int64],
                sentry: SentrySettings, rules: RuleDefaults, logging: LogSettings, metrics: MetricsSettings = MetricsSettings(),
                shutdownGraceSeconds: Double) {
        self.telegram = telegram
        self.databaseURL = databaseURL
        self.redis = redis
        self.adminIDs = adminIDs
        self.sentry = sentry
        self.rules = rules
        self.logging = logging
        self.metrics = metrics
        self.shutdownGraceSeconds = shutdownGraceSeconds
    }
}

/// `PG_STATEMENT_TIMEOUT`, `PG_LOCK_TIMEOUT`, `PG_IDLE_IN_TRANSACTION_TIMEOUT` (seconds,
/// 0 = none) and `OUTBOX_RETENTION_DAYS`.
public struct DatabaseSettings: Sendable, Equatable {
    public var statementTimeout: Double = 15
    public var lockTimeout: Double = 5
    public var idleInTransactionTimeout: Double = 20
    public var outboxRetentionDays: Int = 14

    public init() {}
}

public struct TelegramSettings: Sendable, Equatable {
    /// Nil runs the offline Sandbox instead of Telegram.
    public var botToken: String?
    public var apiURL: String
    /// Telegram sends it back in `X-Telegram-Bot-Api-Secret-Token` on every webhook call.
    public var webhookSecret: String?
    public var webhookURL: String?
    /// `TELEGRAM_SEND_RATE`: messages a second the whole deployment sends (Telegram
    /// allows about 30); interactive replies first, background traffic within what is left.
    public var sendRatePerSecond: Double = 30
    /// `TELEGRAM_CHAT_SEND_RATE`: messages a second to one chat (Telegram allows about
    /// one, with short bursts); the burst is three seconds' worth.
    public var chatSendRatePerSecond: Double = 1
}

public struct RedisSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var password: String?
    public var database: Int
    /// Every key lives under this prefix (one hash tag), so deployments can share a server.
    public var prefix: String
    /// `REDIS_ALLOW_VOLATILE`: accept a Redis that may lose keys (no append-only file, or a
    /// maxmemory-policy that evicts), as for a throwaway local one.
    public var allowVolatile = false
}

public struct MetricsSettings: Sendable, Equatable {
    /// `METRICS_BIND`: the admin listener's address; loopback unless the scraper is elsewhere.
    public var bind: String
    /// `METRICS_PORT`.
    public var port: Int

    public init(bind: String = "127.0.0.1", port: Int = 8081) {
        self.bind = bind
        self.port = port
    }
}

public struct SentrySettings: Sendable, Equatable {
    public var dsn: String?
    public var enabled: Bool
    public var environment: String
    public var tracesSampleRate: Double
    /// The lowest log level that becomes a Sentry event.
    public var level: String
    /// The Redis error list is trimmed to this many events.
    public var queueMax: Int
}

/// Defaults of the business rules (SPEC's table).
public struct RuleDefaults: Sendable, Equatable {
    public var timeZone: String
    public var workHoursStart: Int
    public var workHoursEnd: Int
    public var slotStepMinutes: Int
    public var bookingHorizonMonths: Int
    public var minNoticeMinutes: Int
    public var maxBookingsPerUser: Int
    public var cancellationHours: Int
    public var rescheduleHours: Int
    /// Lead times in minutes, longest first.
    public var reminderOffsetsMinutes: [Int]
    public var feedbackHoursAfter: Int
    public var callbackTTLHours: Int
    public var rateLimitMessageSeconds: Double
    public var rateLimitCallbackSeconds: Double
    public var maxAdminAdditionsPerHour: Int
    public var serviceLocation: String
    /// `ru`, `en` or `auto` (from the user's Telegram language, falling back to Russian).
    public var language: String
}

public struct LogSettings: Sendable, Equatable {
    /// `text` or `json`.
    public var format: String
    public var level: String
}
