import Foundation
import Observability
import SortedJSON

/// One timed step of a traced piece of work (a span).
public struct TraceSpan: Sendable {
    /// What kind of step: `queue.wait`, `db.transaction`, `telegram.send`.
    public var op: String
    public var start: Date
    public var end: Date

    public init(op: String, start: Date, end: Date) {
        self.op = op
        self.start = start
        self.end = end
    }
}

/// A Sentry performance transaction (https://develop.sentry.dev/sdk/data-model/event-payloads/transaction/):
/// one handled update with its steps as spans. Like error events, it carries ids and
/// kinds only, never user text, and every string is scrubbed.
public struct TransactionEvent: Sendable {
    public let eventID: String
    public let name: String
    public let start: Date
    public let end: Date
    public let spans: [TraceSpan]
    public let context: EventContext
    public let tags: [String: String]

    public init(name: String, start: Date, end: Date, spans: [TraceSpan], context: EventContext, tags: [String: String] = [:]) {
        self.eventID = Self.hex(32)
        self.name = name
        self.start = start
        self.end = end
        self.spans = spans
        self.context = context
        self.tags = context.tags.merging(["process": context.process]) { own, _ in own }.merging(tags) { $1 }
    }

    /// Whether to trace one more piece of work, at `rate` (`SENTRY_TRACES_SAMPLE_RATE`).
    public static func sampled(rate: Double) -> Bool {
        rate > 0 && Double.random(in: 0..<1) < rate
    }

    public func jsonData(scrubber: SecretScrubber = .shared) -> Data {
        let traceID = Self.hex(32), rootSpan = Self.hex(16)
        let object: [String: Any] = [
            "type": "transaction",
            "event_id": eventID,
            "transaction": scrubber.scrub(name),
            "start_timestamp": start.timeIntervalSince1970,
            "timestamp": end.timeIntervalSince1970,
            "platform": "other",
            "release": scrubber.scrub(context.release),
            "environment": scrubber.scrub(context.environment),
            "server_name": scrubber.scrub(context.serverName),
            "tags": Dictionary(uniqueKeysWithValues: tags.map { (scrubber.scrub($0.key), scrubber.scrub(String($0.value.prefix(200)))) }),
            "contexts": ["trace": ["trace_id": traceID, "span_id": rootSpan, "op": "update", "status": "ok"]],
            "spans": spans.map { span -> [String: Any] in
                ["trace_id": traceID, "span_id": Self.hex(16), "parent_span_id": rootSpan, "op": span.op,
                 "start_timestamp": span.start.timeIntervalSince1970, "timestamp": span.end.timeIntervalSince1970, "status": "ok"]
            },
        ]
        return (try? SortedJSON.data(object)) ?? Data("{}".utf8)
    }

    private static func hex(_ digits: Int) -> String {
        String((0..<digits).map { _ in "0123456789abcdef".randomElement()! })
    }
}
