import Queue

/// Renders the Prometheus text exposition of the queue figures and this process's counters.
public enum PrometheusText {
    public static func render(figures: Figures?, counters: [String: Int]) -> String {
        var lines: [String] = []
        func gauge(_ name: String, _ help: String, _ value: Double, type: String = "gauge") {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            lines.append("\(name) \(format(value))")
        }
        lines.append("# HELP bookingbot_redis_up Whether this process reached Redis for the figures below.")
        lines.append("# TYPE bookingbot_redis_up gauge")
        lines.append("bookingbot_redis_up \(figures == nil ? 0 : 1)")
        if let figures {
            gauge("bookingbot_queue_depth", "Updates enqueued and not yet handled.", Double(figures.depth))
            gauge("bookingbot_queue_oldest_age_seconds", "Age of the oldest chat waiting to be claimed.", figures.oldestWaitingSeconds ?? 0)
            gauge("bookingbot_queue_chats_in_progress", "Chats under a worker's lease.", Double(figures.chatsInProgress))
            gauge("bookingbot_dead_updates", "Updates parked after repeated failures.", Double(figures.deadUpdates))
            gauge("bookingbot_workers_alive", "Workers with a recent heartbeat.", Double(figures.liveWorkers))
            gauge("bookingbot_updates_enqueued_total", "Updates enqueued, deployment-wide.", Double(figures.enqueuedTotal), type: "counter")
            gauge("bookingbot_updates_processed_total", "Updates handled, deployment-wide.", Double(figures.processedTotal), type: "counter")
            gauge("bookingbot_updates_failed_total", "Failed handling attempts, deployment-wide.", Double(figures.failedTotal), type: "counter")
        }
        lines.append("# HELP bookingbot_ingress_events_total Updates this ingress process received, by outcome.")
        lines.append("# TYPE bookingbot_ingress_events_total counter")
        for (name, value) in counters.sorted(by: { $0.key < $1.key }) {
            lines.append("bookingbot_ingress_events_total{outcome=\"\(name)\"} \(value)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
