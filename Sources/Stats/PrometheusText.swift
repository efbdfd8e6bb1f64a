/// Renders the Prometheus text exposition (format 0.0.4) of the deployment's figures and
/// one ingress process's own counters.
///
/// Every family is written with its HELP and TYPE even when it has no sample yet, so
/// dashboards and alert rules can be checked against the names before anything happened.
public enum PrometheusText {
    /// `snapshot` nil: Redis could not be read; only `bookingbot_redis_up 0` and this
    /// process's counters are shown then.
    public static func render(snapshot: DeploymentSnapshot?, ingressCounters: [String: Int]) -> String {
        var text = Exposition()
        text.family("bookingbot_redis_up", "gauge", "Whether this ingress reached Redis for the figures below.")
        text.sample("bookingbot_redis_up", snapshot == nil ? 0 : 1)
        if let snapshot { deployment(snapshot, into: &text) }
        text.family("bookingbot_ingress_events_total", "counter", "Updates this ingress process received, by outcome.")
        text.samples("bookingbot_ingress_events_total", label: "outcome", ingressCounters)
        return text.lines.joined(separator: "\n") + "\n"
    }

    private static func deployment(_ s: DeploymentSnapshot, into text: inout Exposition) {
        let gauges: [(String, String, Double)] = [
            ("bookingbot_queue_depth", "Updates enqueued and not yet handled.", Double(s.figures.depth)),
            ("bookingbot_queue_oldest_age_seconds", "Age of the oldest chat waiting to be claimed.", s.figures.oldestWaitingSeconds ?? 0),
            ("bookingbot_queue_chats_in_progress", "Chats under a worker's lease.", Double(s.figures.chatsInProgress)),
            ("bookingbot_workers_alive", "Worker loops with a recent heartbeat.", Double(s.figures.liveWorkers)),
            ("bookingbot_dead_updates", "Updates parked after their last attempt (bookingbot dead list).", Double(s.figures.deadUpdates)),
            ("bookingbot_reminders_alive", "Reminders processes with a recent heartbeat.", Double(s.remindersAlive)),
            ("bookingbot_outbox_backlog", "Replies and notices committed and not yet sent to Telegram.", Double(s.outboxBacklog)),
            ("bookingbot_sentry_queue", "Error events waiting in Redis for the forwarder.", Double(s.sentryQueue)),
        ]
        for (name, help, value) in gauges {
            text.family(name, "gauge", help)
            text.sample(name, value)
        }
        // Left without a sample until a round completes, so "never ran" is not "on time".
        text.family("bookingbot_reminder_lag_seconds", "gauge", "Seconds since the last completed reminders round began (nothing due before then waits).")
        if let lag = s.reminderLagSeconds { text.sample("bookingbot_reminder_lag_seconds", lag) }
        let byType: [(String, String, [String: Int])] = [
            ("bookingbot_updates_received_total", "Updates enqueued (first time seen), by type.", s.received),
            ("bookingbot_updates_processed_total", "Updates handled, by type.", s.processed),
            ("bookingbot_updates_failed_total", "Failed attempts at handling an update, by type.", s.failed),
        ]
        for (name, help, values) in byType {
            text.family(name, "counter", help)
            text.samples(name, label: "type", values)
        }
        text.family("bookingbot_update_latency_seconds", "histogram", "Time a worker took to handle an update, from claim to its replies sent.")
        var cumulative = 0
        for (index, count) in s.latencyBuckets.enumerated() {
            cumulative += count
            let bound = index < DeploymentStats.latencyBuckets.count ? number(DeploymentStats.latencyBuckets[index]) : "+Inf"
            text.sample("bookingbot_update_latency_seconds_bucket", Double(cumulative), labels: "le=\"\(bound)\"")
        }
        text.sample("bookingbot_update_latency_seconds_sum", s.latencySum)
        text.sample("bookingbot_update_latency_seconds_count", Double(cumulative))

        text.family("bookingbot_updates_parked_total", "counter", "Updates parked after their last attempt, ever (the dead list is capped).")
        text.sample("bookingbot_updates_parked_total", Double(s.figures.parkedTotal))
        text.family("bookingbot_reminders_sent_total", "counter", "Reminders and review requests handed to the outbox.")
        text.sample("bookingbot_reminders_sent_total", Double(s.remindersSent))
        text.family("bookingbot_reminders_missed_total", "counter", "Reminders recorded missed (too late to be useful).")
        text.sample("bookingbot_reminders_missed_total", Double(s.remindersMissed))
        text.family("bookingbot_telegram_errors_total", "counter", "Bot API calls refused or failed, by kind.")
        text.samples("bookingbot_telegram_errors_total", label: "kind", s.telegramErrors)
        text.family("bookingbot_sentry_events_sent_total", "counter", "Events the forwarder delivered to Sentry.")
        text.sample("bookingbot_sentry_events_sent_total", Double(s.sentrySent))
        text.family("bookingbot_sentry_events_dropped_total", "counter", "Events the forwarder dropped, by reason.")
        text.samples("bookingbot_sentry_events_dropped_total", label: "reason", s.sentryDropped)
    }

    /// Lines under construction.
    private struct Exposition {
        var lines: [String] = []

        mutating func family(_ name: String, _ type: String, _ help: String) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
        }

        mutating func sample(_ name: String, _ value: Double, labels: String? = nil) {
            lines.append("\(name)\(labels.map { "{\($0)}" } ?? "") \(PrometheusText.number(value))")
        }

        mutating func samples(_ name: String, label: String, _ values: [String: Int]) {
            for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                sample(name, Double(value), labels: "\(label)=\"\(PrometheusText.escaped(key))\"")
            }
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// A label value as the format wants it (backslash, quote and newline escaped).
    static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
