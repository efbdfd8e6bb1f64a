import Config
import Foundation
import XCTest

final class AppConfigTests: XCTestCase {
    private let minimal = ["DATABASE_URL": "postgresql://bb:pw-secret-1@db:5432/bookingbot"]

    private func load(_ extra: [String: String]) throws -> AppConfig {
        try AppConfig.load(from: EnvironmentReader(minimal.merging(extra) { _, new in new }))
    }

    private func error(_ extra: [String: String], base: [String: String]? = nil) -> ConfigError? {
        do {
            _ = try AppConfig.load(from: EnvironmentReader((base ?? minimal).merging(extra) { _, new in new }))
            return nil
        } catch {
            return error as? ConfigError
        }
    }

    func testDefaultsMatchTheSpec() throws {
        let config = try load([:])
        XCTAssertNil(config.telegram.botToken)
        XCTAssertEqual(config.telegram.apiURL, "https://api.telegram.org")
        XCTAssertEqual(config.redis, RedisSettings(url: "redis://127.0.0.1:6379/0").map { var r = $0; r.prefix = "bb"; return r })
        XCTAssertEqual(config.rules.timeZone, "Europe/Moscow")
        XCTAssertEqual([config.rules.workHoursStart, config.rules.workHoursEnd], [9, 18])
        XCTAssertEqual(config.rules.slotStepMinutes, 60)
        XCTAssertEqual(config.rules.bookingHorizonMonths, 3)
        XCTAssertEqual(config.rules.minNoticeMinutes, 60)
        XCTAssertEqual(config.rules.maxBookingsPerUser, 3)
        XCTAssertEqual([config.rules.cancellationHours, config.rules.rescheduleHours], [24, 24])
        XCTAssertEqual(config.rules.reminderOffsetsMinutes, [1440, 120])
        XCTAssertEqual(config.rules.feedbackHoursAfter, 2)
        XCTAssertEqual(config.rules.callbackTTLHours, 48)
        XCTAssertEqual(config.rules.rateLimitMessageSeconds, 0.5)
        XCTAssertEqual(config.rules.rateLimitCallbackSeconds, 0.3)
        XCTAssertEqual(config.rules.maxAdminAdditionsPerHour, 3)
        XCTAssertEqual(config.rules.language, "auto")
        XCTAssertFalse(config.sentry.enabled)
        XCTAssertEqual(config.sentry.queueMax, 10_000)
        XCTAssertEqual([config.logging.format, config.logging.level], ["text", "info"])
    }

    func testEveryVariableIsRead() throws {
        let config = try load([
            "BOT_TOKEN": "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
            "TELEGRAM_API_URL": "http://127.0.0.1:8081/",
            "WEBHOOK_SECRET": "s3cret_token-ABC",
            "WEBHOOK_URL": "https://bot.example.org/telegram",
            "ADMIN_IDS": "1001, 1002",
            "SENTRY_DSN": "https://publickey@sentry.example.org/7",
            "SENTRY_ENVIRONMENT": "staging",
            "SENTRY_TRACES_SAMPLE_RATE": "0.25",
            "TIMEZONE": "America/New_York",
            "WORK_HOURS_START": "8", "WORK_HOURS_END": "20",
            "SLOT_STEP_MINUTES": "30", "BOOKING_HORIZON_MONTHS": "1", "MIN_NOTICE_MINUTES": "0",
            "MAX_BOOKINGS_PER_USER": "5", "CANCELLATION_HOURS": "12", "RESCHEDULE_HOURS": "6",
            "REMINDER_OFFSETS": "2h, 1d ,30m", "FEEDBACK_HOURS_AFTER": "3", "CALLBACK_TTL_HOURS": "24",
            "RATE_LIMIT_MESSAGE": "1", "RATE_LIMIT_CALLBACK": "0.1", "MAX_ADMIN_ADDITIONS_PER_HOUR": "0",
            "SERVICE_LOCATION": "Main St 1", "BOT_LANGUAGE": "EN", "LOG_FORMAT": "json", "LOG_LEVEL": "debug",
            "REDIS_PREFIX": "salon",
        ])
        XCTAssertEqual(config.telegram.apiURL, "http://127.0.0.1:8081")
        XCTAssertEqual(config.adminIDs, [1001, 1002])
        XCTAssertTrue(config.sentry.enabled)
        XCTAssertEqual(config.sentry.tracesSampleRate, 0.25)
        XCTAssertEqual(config.rules.reminderOffsetsMinutes, [1440, 120, 30])
        XCTAssertEqual(config.rules.language, "en")
        XCTAssertEqual(config.rules.serviceLocation, "Main St 1")
        XCTAssertEqual(config.redis.prefix, "salon")
        XCTAssertEqual(config.logging.format, "json")
    }

    func testEachBadValueNamesItsVariable() {
        let cases: [(String, String)] = [
            ("TIMEZONE", "Mars/Olympus"), ("TIMEZONE", "MSK+3"),
            ("WORK_HOURS_START", "nine"), ("WORK_HOURS_END", "25"), ("SLOT_STEP_MINUTES", "0"),
            ("BOOKING_HORIZON_MONTHS", "-1"), ("MIN_NOTICE_MINUTES", "1.5"), ("MAX_BOOKINGS_PER_USER", "0"),
            ("CANCELLATION_HOURS", "x"), ("RESCHEDULE_HOURS", "9999"), ("REMINDER_OFFSETS", "24x"),
            ("REMINDER_OFFSETS", "2h,2h"), ("REMINDER_OFFSETS", "0h"), ("FEEDBACK_HOURS_AFTER", "-2"),
            ("CALLBACK_TTL_HOURS", "0"), ("RATE_LIMIT_MESSAGE", "fast"), ("RATE_LIMIT_CALLBACK", "nan"),
            ("MAX_ADMIN_ADDITIONS_PER_HOUR", "101"), ("BOT_LANGUAGE", "de"), ("LOG_FORMAT", "xml"),
            ("LOG_LEVEL", "loud"), ("ADMIN_IDS", "1,two"), ("ADMIN_IDS", "-5"), ("REDIS_PORT", "70000"),
            ("REDIS_DB", "16"), ("REDIS_PREFIX", "has space"), ("TELEGRAM_API_URL", "ftp://x"),
            ("SENTRY_TRACES_SAMPLE_RATE", "1.5"), ("SENTRY_ENABLED", "maybe"), ("SENTRY_LEVEL", "x"),
            ("SENTRY_QUEUE_MAX", "0"), ("WEBHOOK_URL", "http://plain.example.org/hook"),
            ("SHUTDOWN_GRACE_SECONDS", "0"), ("PG_STATEMENT_TIMEOUT", "-1"), ("PG_LOCK_TIMEOUT", "soon"),
            ("PG_IDLE_IN_TRANSACTION_TIMEOUT", "9999"), ("PG_IDLE_IN_TRANSACTION_TIMEOUT", "10"), ("OUTBOX_RETENTION_DAYS", "0"),
        ]
        for (variable, value) in cases {
            guard let failure = error([variable: value]) else {
                XCTFail("\(variable)=\(value) was accepted")
                continue
            }
            XCTAssertEqual(failure.variable, variable, "\(variable)=\(value): \(failure)")
            XCTAssertFalse(failure.description.contains("\n"), "one line")
            XCTAssertTrue(failure.description.contains(variable))
        }
    }

    func testDatabaseBoundsAndRetention() throws {
        XCTAssertEqual(try load([:]).database, DatabaseSettings())
        XCTAssertEqual([DatabaseSettings().statementTimeout, DatabaseSettings().lockTimeout, DatabaseSettings().idleInTransactionTimeout], [15, 5, 20])
        let set = try load(["PG_STATEMENT_TIMEOUT": "30", "PG_LOCK_TIMEOUT": "0", "PG_IDLE_IN_TRANSACTION_TIMEOUT": "60.5",
                            "OUTBOX_RETENTION_DAYS": "30"]).database
        XCTAssertEqual([set.statementTimeout, set.lockTimeout, set.idleInTransactionTimeout], [30, 0, 60.5])
        XCTAssertEqual(set.outboxRetentionDays, 30)
    }

    func testWorkHoursMustEndAfterTheyStart() {
        XCTAssertEqual(error(["WORK_HOURS_START": "18", "WORK_HOURS_END": "9"])?.variable, "WORK_HOURS_END")
    }

    func testMissingDatabaseURLIsNamed() {
        XCTAssertEqual(error([:], base: [:]), ConfigError(variable: "DATABASE_URL", problem: "is required but not set"))
    }

    func testSentryEnabledWithoutDSNIsNamed() {
        XCTAssertEqual(error(["SENTRY_ENABLED": "true"])?.variable, "SENTRY_DSN")
    }

    func testBadSecretsAreNamedButNeverShown() {
        let cases: [(String, String)] = [
            ("BOT_TOKEN", "not-a-token-but-still-a-secret-value"),
            ("DATABASE_URL", "mysql://user:hunter2secret@db/x"),
            ("REDIS_URL", "http://:hunter2secret@cache"),
            ("SENTRY_DSN", "hunter2secret"),
            ("WEBHOOK_SECRET", "has spaces hunter2secret"),
        ]
        for (variable, value) in cases {
            guard let failure = error([variable: value]) else { XCTFail("\(variable) accepted"); continue }
            XCTAssertEqual(failure.variable, variable)
            XCTAssertFalse(failure.description.contains("hunter2secret") || failure.description.contains(value), failure.description)
        }
    }

    func testRedisURLWithPasswordAndDatabase() throws {
        let config = try load(["REDIS_URL": "redis://:p%40ss@cache.internal:6380/2", "REDIS_PREFIX": "x"])
        XCTAssertEqual(config.redis, RedisSettings(url: "redis://:p%40ss@cache.internal:6380/2").map { var r = $0; r.prefix = "x"; return r })
        XCTAssertEqual(config.redis.password, "p@ss")
        XCTAssertEqual(config.redis.port, 6380)
        XCTAssertEqual(config.redis.database, 2)
    }

    func testSplitRedisVariablesAndURLPrecedence() throws {
        let split = try load(["REDIS_HOST": "cache", "REDIS_PORT": "6390", "REDIS_DB": "4", "REDIS_PASSWORD": "pw"])
        XCTAssertEqual([split.redis.host, "\(split.redis.port)", "\(split.redis.database)", split.redis.password], ["cache", "6390", "4", "pw"])
        let both = try load(["REDIS_HOST": "cache", "REDIS_URL": "redis://other:1/0"])
        XCTAssertEqual(both.redis.host, "other")
    }

    func testReminderOffsetsCanBeTurnedOff() throws {
        XCTAssertEqual(try load(["REMINDER_OFFSETS": "none"]).rules.reminderOffsetsMinutes, [])
    }

    func testRedactedLinesHideEverySecret() throws {
        let config = try load([
            "BOT_TOKEN": "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
            "REDIS_URL": "redis://:redis-secret-9@cache:6379/0",
            "SENTRY_DSN": "https://dsnpublickey42@sentry.example.org/7",
            "WEBHOOK_SECRET": "webhook-secret-7",
        ])
        let text = config.redactedLines().joined(separator: "\n")
        for secret in ["AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "redis-secret-9", "dsnpublickey42", "webhook-secret-7", "pw-secret-1"] {
            XCTAssertFalse(text.contains(secret), "\(secret) leaked")
        }
        XCTAssertTrue(text.contains("BOT_TOKEN=123456789:***"))
        XCTAssertTrue(text.contains("DATABASE_URL=postgresql://bb:***@db:5432/bookingbot"))
        XCTAssertTrue(text.contains("REMINDER_OFFSETS=24h,2h"))
    }
}

extension AppConfigTests {
    func testAdminListenerAndRedisDurabilitySettings() throws {
        let defaults = try load([:])
        XCTAssertEqual(defaults.metrics, MetricsSettings(bind: "127.0.0.1", port: 8081))
        XCTAssertFalse(defaults.redis.allowVolatile)
        let set = try load(["METRICS_BIND": "10.0.0.5", "METRICS_PORT": "9464", "REDIS_ALLOW_VOLATILE": "1"])
        XCTAssertEqual(set.metrics, MetricsSettings(bind: "10.0.0.5", port: 9464))
        XCTAssertTrue(set.redis.allowVolatile)
        XCTAssertTrue(try load(["REDIS_URL": "redis://127.0.0.1:6379/0", "REDIS_ALLOW_VOLATILE": "true"]).redis.allowVolatile,
                      "with REDIS_URL too")
        XCTAssertEqual(error(["METRICS_PORT": "0"])?.variable, "METRICS_PORT")
        XCTAssertEqual(error(["METRICS_BIND": "127.0.0.1 evil"])?.variable, "METRICS_BIND")
        XCTAssertEqual(error(["REDIS_ALLOW_VOLATILE": "maybe"])?.variable, "REDIS_ALLOW_VOLATILE")
        let lines = set.redactedLines()
        XCTAssertTrue(lines.contains("METRICS_BIND=10.0.0.5") && lines.contains("METRICS_PORT=9464") && lines.contains("REDIS_ALLOW_VOLATILE=true"), "\(lines)")
    }

    /// F16: libpq's `?password=` form is as secret as the user info's.
    func testAPasswordInTheQueryIsMaskedToo() throws {
        let config = try load(["DATABASE_URL": "postgresql://bb@db:5432/bookingbot?sslmode=require&password=q%26uery-secret-3&application_name=x"])
        let text = config.redactedLines().joined(separator: "\n")
        XCTAssertFalse(text.contains("query-secret-3") || text.contains("q%26uery"), text)
        XCTAssertTrue(text.contains("DATABASE_URL=postgresql://bb@db:5432/bookingbot?sslmode=require&password=***&application_name=x"), text)
        XCTAssertEqual(Redact.url("postgresql://u:user-pw@h/d?PassWord=other-pw&sslpassword=key-pw"),
                       "postgresql://u:***@h/d?PassWord=***&sslpassword=***")
    }

    func testEveryPasswordOfAURLIsFoundWrittenAndDecoded() {
        XCTAssertEqual(Redact.passwords(inURL: "postgresql://u:p%40ss-word@h/d?password=q%25uery&x=1"),
                       ["p%40ss-word", "p@ss-word", "q%25uery", "q%uery"].sorted())
        XCTAssertEqual(Redact.passwords(inURL: "postgresql://u@h/d"), [])
    }
}

final class DotEnvTests: XCTestCase {
    func testParsesTheUsualShapes() throws {
        let text = """
            # comment
            export BOT_LANGUAGE=en
            PLAIN = value with spaces   # trailing comment
            DOUBLE="line1\\nline2 \\"q\\" # not a comment"
            SINGLE='raw \\n $HOME # kept'
            EMPTY=
            URL=postgresql://a:b@c/d?x=1#frag

            """
        let values = try DotEnv.parse(text)
        XCTAssertEqual(values["BOT_LANGUAGE"], "en")
        XCTAssertEqual(values["PLAIN"], "value with spaces")
        XCTAssertEqual(values["DOUBLE"], "line1\nline2 \"q\" # not a comment")
        XCTAssertEqual(values["SINGLE"], "raw \\n $HOME # kept")
        XCTAssertEqual(values["EMPTY"], "")
        XCTAssertEqual(values["URL"], "postgresql://a:b@c/d?x=1#frag")
    }

    func testMalformedLinesAreReportedByNumber() {
        XCTAssertThrowsError(try DotEnv.parse("A=1\njust words\n")) { error in
            XCTAssertEqual((error as? ConfigError)?.problem, "line 2 is not KEY=VALUE")
        }
        XCTAssertThrowsError(try DotEnv.parse("A=\"open\n")) { error in
            XCTAssertEqual((error as? ConfigError)?.variable, ".env")
        }
        XCTAssertThrowsError(try DotEnv.parse("1A=x"))
    }

    func testEnvironmentWinsOverTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "TIMEZONE=Europe/Berlin\nSLOT_STEP_MINUTES=30\n".write(to: folder.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        let reader = try EnvironmentReader.merged(environment: ["SLOT_STEP_MINUTES": "15"], currentDirectory: folder.path)
        XCTAssertEqual(reader.string("TIMEZONE"), "Europe/Berlin")
        XCTAssertEqual(reader.string("SLOT_STEP_MINUTES"), "15")
    }

    func testANamedEnvFileMustExist() {
        XCTAssertThrowsError(try EnvironmentReader.merged(environment: ["ENV_FILE": "/nonexistent/bookingbot.env"], currentDirectory: "/")) { error in
            XCTAssertEqual((error as? ConfigError)?.variable, "ENV_FILE")
        }
        XCTAssertNoThrow(try EnvironmentReader.merged(environment: [:], currentDirectory: "/nonexistent"))
    }
}
