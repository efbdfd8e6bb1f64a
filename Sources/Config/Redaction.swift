import Foundation

/// Hides secrets in values that get printed or logged.
public enum Redact {
    public static let mask = "***"

    /// A URL with its passwords (and, for DSNs, its public key) replaced by the mask: the
    /// user info's, and libpq's `?password=` form.
    public static func url(_ text: String) -> String {
        guard var components = URLComponents(string: text) else { return mask }
        if components.password != nil { components.percentEncodedPassword = mask }
        else if components.user != nil, components.scheme?.hasPrefix("http") == true { components.percentEncodedUser = mask }
        if let items = components.percentEncodedQueryItems {
            components.percentEncodedQueryItems = items.map { item in
                isPasswordParameter(item.name) && item.value != nil ? URLQueryItem(name: item.name, value: mask) : item
            }
        }
        return components.string ?? mask
    }

    /// Every password a URL carries, as written and percent-decoded: the user info's and
    /// the `?password=` parameters' (for the log scrubber).
    public static func passwords(inURL text: String) -> [String] {
        guard let components = URLComponents(string: text) else { return [] }
        var found = [components.percentEncodedPassword, components.password]
        for item in components.percentEncodedQueryItems ?? [] where isPasswordParameter(item.name) {
            found += [item.value, item.value?.removingPercentEncoding]
        }
        return Array(Set(found.compactMap { $0 }.filter { !$0.isEmpty })).sorted()
    }

    /// libpq's `password`, and `sslpassword` (the client key's), in any case.
    static func isPasswordParameter(_ name: String) -> Bool {
        ["password", "sslpassword"].contains(name.lowercased())
    }

    /// A bot token keeps its public bot id: `123456:***`.
    public static func botToken(_ token: String) -> String {
        guard let colon = token.firstIndex(of: ":") else { return mask }
        return String(token[...colon]) + mask
    }
}

extension AppConfig {
    /// Every setting as `NAME=value` lines, secrets masked: safe to print or log.
    public func redactedLines() -> [String] {
        func show(_ value: String?) -> String { value ?? "" }
        var lines = [
            "BOT_TOKEN=\(telegram.botToken.map(Redact.botToken) ?? "(unset: Sandbox)")",
            "TELEGRAM_API_URL=\(telegram.apiURL)",
            "WEBHOOK_URL=\(show(telegram.webhookURL))",
            "WEBHOOK_SECRET=\(telegram.webhookSecret == nil ? "" : Redact.mask)",
            "DATABASE_URL=\(Redact.url(databaseURL))",
            "REDIS_HOST=\(redis.host)",
            "REDIS_PORT=\(redis.port)",
            "REDIS_DB=\(redis.database)",
            "REDIS_PASSWORD=\(redis.password == nil ? "" : Redact.mask)",
            "REDIS_PREFIX=\(redis.prefix)",
            "REDIS_ALLOW_VOLATILE=\(redis.allowVolatile)",
            "METRICS_BIND=\(metrics.bind)",
            "METRICS_PORT=\(metrics.port)",
            "ADMIN_IDS=\(adminIDs.map(String.init).joined(separator: ","))",
            "SENTRY_DSN=\(sentry.dsn.map(Redact.url) ?? "")",
            "SENTRY_ENABLED=\(sentry.enabled)",
            "SENTRY_ENVIRONMENT=\(sentry.environment)",
            "SENTRY_TRACES_SAMPLE_RATE=\(sentry.tracesSampleRate)",
            "SENTRY_LEVEL=\(sentry.level)",
            "SENTRY_QUEUE_MAX=\(sentry.queueMax)",
        ]
        lines += [
            "TIMEZONE=\(rules.timeZone)",
            "WORK_HOURS_START=\(rules.workHoursStart)",
            "WORK_HOURS_END=\(rules.workHoursEnd)",
            "SLOT_STEP_MINUTES=\(rules.slotStepMinutes)",
            "BOOKING_HORIZON_MONTHS=\(rules.bookingHorizonMonths)",
            "MIN_NOTICE_MINUTES=\(rules.minNoticeMinutes)",
            "MAX_BOOKINGS_PER_USER=\(rules.maxBookingsPerUser)",
            "CANCELLATION_HOURS=\(rules.cancellationHours)",
            "RESCHEDULE_HOURS=\(rules.rescheduleHours)",
            "REMINDER_OFFSETS=\(rules.reminderOffsetsMinutes.map(ReminderOffsets.format).joined(separator: ","))",
            "FEEDBACK_HOURS_AFTER=\(rules.feedbackHoursAfter)",
            "CALLBACK_TTL_HOURS=\(rules.callbackTTLHours)",
            "RATE_LIMIT_MESSAGE=\(rules.rateLimitMessageSeconds)",
            "RATE_LIMIT_CALLBACK=\(rules.rateLimitCallbackSeconds)",
            "MAX_ADMIN_ADDITIONS_PER_HOUR=\(rules.maxAdminAdditionsPerHour)",
            "SERVICE_LOCATION=\(rules.serviceLocation)",
            "BOT_LANGUAGE=\(rules.language)",
            "LOG_FORMAT=\(logging.format)",
            "LOG_LEVEL=\(logging.level)",
            "SHUTDOWN_GRACE_SECONDS=\(shutdownGraceSeconds)",
        ]
        return lines
    }
}

extension ReminderOffsets {
    /// A lead time as people write it: `24h`, `2h`, `90m`.
    public static func format(_ minutes: Int) -> String {
        if minutes % 60 == 0 { return "\(minutes / 60)h" }
        return "\(minutes)m"
    }
}
