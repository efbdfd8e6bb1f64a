import BotTestSupport
import Foundation
import HTTP
import Keys
import Postgres
import Sandbox
import TestSupport
import XCTest

/// `/metrics` on ingress shows the whole deployment's figures, which the worker, the
/// reminders process and the ingress keep in Redis.
final class MetricsEndToEndTests: BotTestCase {
    /// One scrape: "name{labels}" → value, and the families its TYPE lines declare.
    private func scrape() throws -> (samples: [String: Double], families: Set<String>) {
        let text = try HTTPClient().get("http://127.0.0.1:\(ingressPort)/metrics").text
        var samples: [String: Double] = [:]
        var families: Set<String> = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") { families.insert(String(line.split(separator: " ")[2])) }
            if line.hasPrefix("#") { continue }
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                XCTFail("not a sample: \(line)")
                continue
            }
            samples[String(line[..<space])] = value
        }
        return (samples, families)
    }

    private func eventuallyScrape(_ condition: ([String: Double]) -> Bool) throws -> [String: Double] {
        var last: [String: Double] = [:]
        _ = ChildProcess.eventually(timeout: 15) {
            last = (try? scrape().samples) ?? [:]
            return condition(last)
        }
        return last
    }

    func testMetricsCountUpdatesLatencyFailuresTelegramErrorsRemindersAndSentry() throws {
        // Chat 9002's conversation cannot be written: each attempt at its update fails.
        let db = try database.connect()
        try db.query("CREATE FUNCTION fail_for_test() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$")
        try db.query("CREATE TRIGGER fail_for_test BEFORE INSERT OR UPDATE ON conversations FOR EACH ROW WHEN (NEW.chat_id = 9002) EXECUTE FUNCTION fail_for_test()")
        try startBot(workers: 1, concurrency: 2)
        try startReminders()
        XCTAssertTrue(ChildProcess.eventually(timeout: 15) { (try? self.scrape().samples["bookingbot_workers_alive"]) == 2 }, logs)

        user(9001, "Anna", language: "en")
        user(9002, "Boris", language: "en")
        _ = try say("/start", from: 9001, thenBotMessages: 1)
        let shown = try tap(label(.bookNow, .en), of: 9001).botMessages.count
        // Telegram fails the next send once: counted, and the reply still arrives (retried; `say` waits for it).
        sandbox.injectServerErrors(calls: 1, method: "sendMessage")
        _ = try say("/help", from: 9001, thenBotMessages: shown + 1)
        _ = try sandbox.sendText("/start", from: 9002)
        // One reminder due for a visit in two days (sent), one for a visit already begun (missed).
        for (visitIn, dueIn) in [(172_800.0, -1.0), (-600.0, -3600.0)] {
            let booking: Int64 = try db.query("""
                INSERT INTO bookings (user_id, service_id, during, duration_minutes)
                VALUES (9001, $1, tstzrange($2, $2 + interval '1 hour', '[)'), 60) RETURNING id
                """, [.int(haircut), .timestamp(Date().addingTimeInterval(visitIn))])[0].get("id")
            try db.query("INSERT INTO reminders (booking_id, kind, offset_minutes, due_at) VALUES ($1, 'reminder', 120, $2)",
                         [.int(booking), .timestamp(Date().addingTimeInterval(dueIn))])
        }
        // The forwarder's outcomes, as it counts them (ErrorForwarderTests send for real).
        let redis = try TestServices.redisConnection()
        try redis.command("HINCRBY", RedisKeys(prefix: prefix).statsSentry, "sent", "4")
        try redis.command("HINCRBY", RedisKeys(prefix: prefix).statsSentry, "dropped:send_error", "1")

        let samples = try eventuallyScrape {
            $0[#"bookingbot_updates_processed_total{type="message"}"#] == 2
                && ($0[#"bookingbot_updates_failed_total{type="message"}"#] ?? 0) >= 2
                && $0["bookingbot_reminders_sent_total"] == 1
                && $0["bookingbot_reminders_missed_total"] == 1
                && $0["bookingbot_update_latency_seconds_count"] == 3
                && $0["bookingbot_outbox_backlog"] == 0
        }
        XCTAssertEqual(samples[#"bookingbot_updates_received_total{type="message"}"#], 3, "both users' texts")
        XCTAssertEqual(samples[#"bookingbot_updates_received_total{type="callback_query"}"#], 1)
        XCTAssertEqual(samples[#"bookingbot_updates_processed_total{type="message"}"#], 2, "9002's update never succeeds")
        XCTAssertEqual(samples[#"bookingbot_updates_processed_total{type="callback_query"}"#], 1)
        XCTAssertGreaterThanOrEqual(samples[#"bookingbot_updates_failed_total{type="message"}"#] ?? 0, 2, "retried, each attempt counted")
        XCTAssertEqual(samples["bookingbot_update_latency_seconds_count"], 3, "one observation per handled update")
        XCTAssertEqual(samples[#"bookingbot_update_latency_seconds_bucket{le="+Inf"}"#], 3)
        XCTAssertGreaterThan(samples["bookingbot_update_latency_seconds_sum"] ?? 0, 0)
        XCTAssertLessThanOrEqual(samples[#"bookingbot_update_latency_seconds_bucket{le="0.005"}"#] ?? 0,
                                 samples[#"bookingbot_update_latency_seconds_bucket{le="60"}"#] ?? 0, "cumulative buckets")
        XCTAssertEqual(samples[#"bookingbot_telegram_errors_total{kind="server"}"#], 1, logs)
        XCTAssertEqual(samples["bookingbot_reminders_alive"], 1)
        XCTAssertEqual(samples["bookingbot_reminders_sent_total"], 1)
        XCTAssertEqual(samples["bookingbot_reminders_missed_total"], 1)
        XCTAssertEqual(samples["bookingbot_sentry_events_sent_total"], 4)
        XCTAssertEqual(samples[#"bookingbot_sentry_events_dropped_total{reason="send_error"}"#], 1)
        XCTAssertLessThan(samples["bookingbot_reminder_lag_seconds"] ?? .infinity, 5, "rounds every 0.2 s")
        XCTAssertEqual(samples["bookingbot_redis_up"], 1)
        XCTAssertEqual(samples[#"bookingbot_ingress_events_total{outcome="enqueued"}"#], 4)

        // Reminders stopped: the lag grows, and their heartbeat goes quiet.
        reminders.forEach { $0.signal(SIGKILL) }
        let stale = try eventuallyScrape { ($0["bookingbot_reminder_lag_seconds"] ?? 0) >= 3 }
        XCTAssertGreaterThanOrEqual(stale["bookingbot_reminder_lag_seconds"] ?? 0, 3)
        try startReminders()
        let caughtUp = try eventuallyScrape { ($0["bookingbot_reminder_lag_seconds"] ?? .infinity) < 1 }
        XCTAssertLessThan(caughtUp["bookingbot_reminder_lag_seconds"] ?? .infinity, 1)
    }

    /// Every metric the Grafana dashboard and the alert rules use is one `/metrics` really
    /// exports; families are declared before anything happened, so a fresh deployment shows them all.
    func testTheDashboardAndAlertRulesUseOnlyExportedMetrics() throws {
        try startBot(workers: 1, concurrency: 1)
        XCTAssertTrue(ChildProcess.eventually(timeout: 15) { (try? self.scrape().samples["bookingbot_redis_up"]) == 1 }, logs)
        var exported: Set<String> = []
        for family in try scrape().families {
            // A histogram's samples are its _bucket, _sum and _count series.
            exported.formUnion([family, family + "_bucket", family + "_sum", family + "_count"])
        }
        let monitoring = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("monitoring")
        let dashboard = try String(contentsOf: monitoring.appendingPathComponent("grafana/bookingbot.json"), encoding: .utf8)
        let rules = try String(contentsOf: monitoring.appendingPathComponent("alerts.yml"), encoding: .utf8)
        let onDashboard = Self.metricNames(in: dashboard)
        let inRules = Self.metricNames(in: rules)
        XCTAssertGreaterThanOrEqual(onDashboard.count, 15, "the dashboard covers the figures")
        XCTAssertEqual(onDashboard.subtracting(exported), [], "dashboard names /metrics does not export")
        XCTAssertEqual(inRules.subtracting(exported), [], "alert rule names /metrics does not export")
        XCTAssertEqual(Set(["bookingbot_workers_alive", "bookingbot_queue_oldest_age_seconds", "bookingbot_reminder_lag_seconds",
                            "bookingbot_updates_parked_total", "bookingbot_updates_failed_total", "bookingbot_queue_depth"]).subtracting(inRules), [],
                       "the alerts the operators asked for")
    }

    /// `bookingbot_*` words in a text (PromQL inside JSON or YAML).
    private static func metricNames(in text: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: "bookingbot_[a-z0-9_]+")
        let range = NSRange(text.startIndex..., in: text)
        return Set(pattern.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }
}
