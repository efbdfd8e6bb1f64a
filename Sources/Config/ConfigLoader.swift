import Foundation

extension AppConfig {
    /// Reads and checks every variable; the first bad one throws a `ConfigError`.
    public static func load(from env: EnvironmentReader) throws -> AppConfig {
        var config = AppConfig(
            telegram: try loadTelegram(env),
            databaseURL: try loadDatabaseURL(env),
            redis: try loadRedis(env),
            adminIDs: try loadAdminIDs(env),
            sentry: try loadSentry(env),
            rules: try loadRules(env),
            logging: LogSettings(
                format: try env.choice("LOG_FORMAT", default: "text", among: ["text", "json"]),
                level: try env.choice("LOG_LEVEL", default: "info", among: LogSettings.levels)),
            metrics: try loadMetrics(env),
            shutdownGraceSeconds: try env.double("SHUTDOWN_GRACE_SECONDS", default: 25, in: 1...600))
        config.database = try loadDatabase(env)
        return config
    }

    /// Reads the database bounds and retention.
    static func loadDatabase(_ env: EnvironmentReader) throws -> DatabaseSettings {
        var settings = DatabaseSettings()
        settings.statementTimeout = try env.double("PG_STATEMENT_TIMEOUT", default: settings.statementTimeout, in: 0...3600)
        settings.lockTimeout = try env.double("PG_LOCK_TIMEOUT", default: settings.lockTimeout, in: 0...3600)
        settings.idleInTransactionTimeout = try env.double("PG_IDLE_IN_TRANSACTION_TIMEOUT", default: settings.idleInTransactionTimeout, in: 0...3600)
        // A reply goes out inside its row's transaction: one call to Telegram (up to 10 s).
        if settings.idleInTransactionTimeout > 0 && settings.idleInTransactionTimeout < 15 {
            throw env.invalid("PG_IDLE_IN_TRANSACTION_TIMEOUT", String(settings.idleInTransactionTimeout),
                              "must be 0 (none) or at least 15 seconds: a reply is sent inside its transaction")
        }
        settings.outboxRetentionDays = try env.int("OUTBOX_RETENTION_DAYS", default: settings.outboxRetentionDays, in: 1...3650)
        return settings
    }

    /// The environment of this process with `.env` under it.
    public static func loadFromProcess() throws -> AppConfig {
        try load(from: .merged(environment: ProcessInfo.processInfo.environment,
                               currentDirectory: FileManager.default.currentDirectoryPath))
    }

    private static func loadTelegram(_ env: EnvironmentReader) throws -> TelegramSettings {
        let token = env.string("BOT_TOKEN")
        if let token, token.wholeMatch(of: /[0-9]{1,20}:[A-Za-z0-9_-]{20,}/) == nil {
            throw env.invalidSecret("BOT_TOKEN", "is not a bot token of the form 123456:ABC… from @BotFather")
        }
        let apiURL = env.string("TELEGRAM_API_URL", default: "https://api.telegram.org")
        guard isHTTPURL(apiURL) else { throw env.invalid("TELEGRAM_API_URL", apiURL, "is not an http(s) URL") }
        let secret = env.string("WEBHOOK_SECRET")
        // Telegram's own rule for secret_token: 1–256 of A–Z, a–z, 0–9, _ and -.
        if let secret, secret.wholeMatch(of: /[A-Za-z0-9_-]{1,256}/) == nil {
            throw env.invalidSecret("WEBHOOK_SECRET", "must be 1–256 characters of A-Z, a-z, 0-9, _ and -")
        }
        let webhookURL = env.string("WEBHOOK_URL")
        if let webhookURL, !webhookURL.hasPrefix("https://") || URL(string: webhookURL)?.host == nil {
            throw env.invalid("WEBHOOK_URL", webhookURL, "must be an https URL (Telegram requires TLS)")
        }
        let rate = try env.double("TELEGRAM_SEND_RATE", default: 30, in: 1...1000)
        let chatRate = try env.double("TELEGRAM_CHAT_SEND_RATE", default: 1, in: 0.1...1000)
        return TelegramSettings(botToken: token, apiURL: apiURL.trimmingSuffix("/"), webhookSecret: secret, webhookURL: webhookURL,
                                sendRatePerSecond: rate, chatSendRatePerSecond: chatRate)
    }

    private static func loadDatabaseURL(_ env: EnvironmentReader) throws -> String {
        let url = try env.required("DATABASE_URL")
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"), URL(string: url) != nil else {
            throw env.invalidSecret("DATABASE_URL", "must be a postgresql://user:password@host:port/database URL")
        }
        return url
    }

    private static func loadRedis(_ env: EnvironmentReader) throws -> RedisSettings {
        var settings = try loadRedisServer(env)
        settings.allowVolatile = try env.bool("REDIS_ALLOW_VOLATILE", default: false)
        return settings
    }

    private static func loadMetrics(_ env: EnvironmentReader) throws -> MetricsSettings {
        let defaults = MetricsSettings()
        let bind = env.string("METRICS_BIND", default: defaults.bind)
        guard bind.wholeMatch(of: /[A-Za-z0-9.:_-]{1,253}/) != nil else {
            throw env.invalid("METRICS_BIND", bind, "is not an address to listen on, such as 127.0.0.1 or 0.0.0.0")
        }
        return MetricsSettings(bind: bind, port: try env.int("METRICS_PORT", default: defaults.port, in: 1...65535))
    }

    private static func loadRedisServer(_ env: EnvironmentReader) throws -> RedisSettings {
        let prefix = env.string("REDIS_PREFIX", default: "bb")
        guard prefix.wholeMatch(of: /[A-Za-z0-9_.:-]{1,64}/) != nil else {
            throw env.invalid("REDIS_PREFIX", prefix, "must be 1–64 of A-Z, a-z, 0-9, _ . : -")
        }
        if let url = env.string("REDIS_URL") {
            guard var settings = RedisSettings(url: url) else {
                throw env.invalidSecret("REDIS_URL", "must be a redis://[:password@]host:port/db URL")
            }
            settings.prefix = prefix
            return settings
        }
        return RedisSettings(
            host: env.string("REDIS_HOST", default: "127.0.0.1"),
            port: try env.int("REDIS_PORT", default: 6379, in: 1...65535),
            password: env.string("REDIS_PASSWORD"),
            database: try env.int("REDIS_DB", default: 0, in: 0...15),
            prefix: prefix)
    }

    private static func loadAdminIDs(_ env: EnvironmentReader) throws -> [Int64] {
        guard let text = env.string("ADMIN_IDS") else { return [] }
        return try text.split(separator: ",").map { part in
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let id = Int64(trimmed), id > 0 else {
                throw env.invalid("ADMIN_IDS", text, "must be Telegram user ids separated by commas")
            }
            return id
        }
    }

    private static func loadSentry(_ env: EnvironmentReader) throws -> SentrySettings {
        let dsn = env.string("SENTRY_DSN")
        if let dsn, SentryDSNShape.isValid(dsn) == false {
            throw env.invalidSecret("SENTRY_DSN", "must look like https://<key>@<host>/<project>")
        }
        let enabled = try env.bool("SENTRY_ENABLED", default: dsn != nil)
        if enabled && dsn == nil {
            throw ConfigError(variable: "SENTRY_DSN", problem: "is required when SENTRY_ENABLED is true")
        }
        return SentrySettings(
            dsn: dsn,
            enabled: enabled,
            environment: env.string("SENTRY_ENVIRONMENT", default: "production"),
            tracesSampleRate: try env.double("SENTRY_TRACES_SAMPLE_RATE", default: 0, in: 0...1),
            level: try env.choice("SENTRY_LEVEL", default: "error", among: LogSettings.levels),
            queueMax: try env.int("SENTRY_QUEUE_MAX", default: 10_000, in: 1...1_000_000))
    }

    private static func loadRules(_ env: EnvironmentReader) throws -> RuleDefaults {
        let zone = env.string("TIMEZONE", default: "Europe/Moscow")
        guard TimeZone(identifier: zone) != nil, zone.contains("/") || zone == "UTC" else {
            throw env.invalid("TIMEZONE", zone, "is not an IANA time zone such as Europe/Moscow")
        }
        let start = try env.int("WORK_HOURS_START", default: 9, in: 0...23)
        let end = try env.int("WORK_HOURS_END", default: 18, in: 1...24)
        guard end > start else {
            throw env.invalid("WORK_HOURS_END", String(end), "must be later than WORK_HOURS_START (\(start))")
        }
        let offsetsText = env.string("REMINDER_OFFSETS", default: "24h,2h")
        guard let offsets = ReminderOffsets.parse(offsetsText) else {
            throw env.invalid("REMINDER_OFFSETS", offsetsText, "must be lead times like 24h,2h or 30m (each 1m–30d, no repeats), or none")
        }
        return RuleDefaults(
            timeZone: zone,
            workHoursStart: start,
            workHoursEnd: end,
            slotStepMinutes: try env.int("SLOT_STEP_MINUTES", default: 60, in: 5...720),
            bookingHorizonMonths: try env.int("BOOKING_HORIZON_MONTHS", default: 3, in: 0...24),
            minNoticeMinutes: try env.int("MIN_NOTICE_MINUTES", default: 60, in: 0...43_200),
            maxBookingsPerUser: try env.int("MAX_BOOKINGS_PER_USER", default: 3, in: 1...100),
            cancellationHours: try env.int("CANCELLATION_HOURS", default: 24, in: 0...720),
            rescheduleHours: try env.int("RESCHEDULE_HOURS", default: 24, in: 0...720),
            reminderOffsetsMinutes: offsets,
            feedbackHoursAfter: try env.int("FEEDBACK_HOURS_AFTER", default: 2, in: 0...720),
            callbackTTLHours: try env.int("CALLBACK_TTL_HOURS", default: 48, in: 1...720),
            rateLimitMessageSeconds: try env.double("RATE_LIMIT_MESSAGE", default: 0.5, in: 0...60),
            rateLimitCallbackSeconds: try env.double("RATE_LIMIT_CALLBACK", default: 0.3, in: 0...60),
            maxAdminAdditionsPerHour: try env.int("MAX_ADMIN_ADDITIONS_PER_HOUR", default: 3, in: 0...100),
            serviceLocation: env.string("SERVICE_LOCATION", default: ""),
            language: try env.choice("BOT_LANGUAGE", default: "auto", among: ["ru", "en", "auto"]))
    }

    private static func isHTTPURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), url.host != nil else { return false }
        return scheme == "http" || scheme == "https"
    }
}

extension LogSettings {
    /// swift-log's level names, lowest first.
    public static let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
}

extension RedisSettings {
    /// Parses `redis://[[user]:password@]host[:port][/db]`; nil when it is not one.
    public init?(url text: String) {
        guard let components = URLComponents(string: text), components.scheme == "redis",
              let host = components.host, !host.isEmpty else { return nil }
        let path = components.path.trimmingSuffix("/").dropFirst()
        let database: Int
        if path.isEmpty { database = 0 } else if let number = Int(path), (0...15).contains(number) { database = number } else { return nil }
        let password = components.percentEncodedPassword.map { $0.removingPercentEncoding ?? $0 }
        self.init(host: host, port: components.port ?? 6379, password: password?.isEmpty == true ? nil : password,
                  database: database, prefix: "bb")
    }
}

/// Lead times such as `24h,2h,30m,1d`, in minutes, longest first.
public enum ReminderOffsets {
    /// `none` turns reminders off.
    public static func parse(_ text: String) -> [Int]? {
        if text.trimmingCharacters(in: .whitespaces).lowercased() == "none" { return [] }
        var minutes: [Int] = []
        for part in text.split(separator: ",") {
            let item = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard let unit = item.last, let amount = Int(item.dropLast()), amount > 0 else { return nil }
            let value: Int
            switch unit {
            case "m": value = amount
            case "h": value = amount * 60
            case "d": value = amount * 1440
            default: return nil
            }
            guard value <= 30 * 1440, !minutes.contains(value) else { return nil }
            minutes.append(value)
        }
        return minutes.isEmpty ? nil : minutes.sorted(by: >)
    }
}

/// Only the shape of a DSN; the error forwarder parses it for real.
enum SentryDSNShape {
    static func isValid(_ text: String) -> Bool {
        guard let url = URLComponents(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
              url.user?.isEmpty == false, url.host != nil else { return false }
        return url.path.split(separator: "/").last.map { !$0.isEmpty } ?? false
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while text.hasSuffix(suffix) && !text.isEmpty { text.removeLast(suffix.count) }
        return text
    }
}
