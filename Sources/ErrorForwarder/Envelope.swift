import Foundation
import SortedJSON

/// What the forwarder gave up on, by Sentry's client-report reasons, told to Sentry in a
/// `client_report` item so the loss is visible there too.
public enum DropReason: String, Sendable, CaseIterable {
    /// Sentry answered 429 for it.
    case rateLimited = "ratelimit_backoff"
    /// Sentry refused it for good (a 4xx: wrong key, too large, malformed).
    case sendError = "send_error"
    /// Not an event the forwarder can read.
    case invalid = "internal_sdk_error"
}

/// A count of dropped items in a client report: why, and of which data category
/// (`error` for events, `transaction` for traces).
struct Discard: Hashable {
    let reason: DropReason
    let category: String
}

/// Sentry's envelope format: a JSON header line, then items, each a JSON item header line
/// and its payload (https://develop.sentry.dev/sdk/envelopes/). One event per envelope.
enum Envelope {
    /// `itemType` is `event` or `transaction`.
    static func make(event: Data?, eventID: String?, itemType: String = "event", discarded: [Discard: Int], now: Date) -> Data {
        var header: [String: Any] = ["sent_at": timestamp(now)]
        if let eventID { header["event_id"] = eventID }
        var body = json(header)
        body.append(0x0A)
        if let event {
            body.append(json(["type": itemType, "length": event.count, "content_type": "application/json"]))
            body.append(0x0A)
            body.append(event)
            body.append(0x0A)
        }
        if !discarded.isEmpty {
            let report = json([
                "timestamp": now.timeIntervalSince1970,
                "discarded_events": discarded.sorted { ($0.key.reason.rawValue, $0.key.category) < ($1.key.reason.rawValue, $1.key.category) }.map {
                    ["reason": $0.key.reason.rawValue, "category": $0.key.category, "quantity": $0.value] as [String: Any]
                },
            ])
            body.append(json(["type": "client_report", "length": report.count]))
            body.append(0x0A)
            body.append(report)
            body.append(0x0A)
        }
        return body
    }

    private static func json(_ object: [String: Any]) -> Data {
        (try? SortedJSON.data(object)) ?? Data("{}".utf8)
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// Sentry's instructions to slow down, per data category: from `X-Sentry-Rate-Limits`
/// (on any answer) and from a 429's `Retry-After` (all categories; 60 s when absent).
struct RateLimits {
    /// Category ("" for all) → until when nothing of it may be sent.
    private(set) var until: [String: Date] = [:]

    /// Whether an event (category `error`) must wait, and until when.
    func blockedUntil(category: String = "error", now: Date) -> Date? {
        [until[category], until[""]].compactMap { $0 }.filter { $0 > now }.max()
    }

    mutating func update(status: Int, rateLimitsHeader: String?, retryAfter: String?, now: Date) {
        if let header = rateLimitsHeader, !header.trimmingCharacters(in: .whitespaces).isEmpty {
            // "60:error;transaction:key, 2700:default:organization"
            for limit in header.split(separator: ",") {
                let fields = limit.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
                guard let seconds = fields.first.flatMap({ Double($0) }), seconds >= 0 else { continue }
                let categories = fields.count > 1 ? fields[1].split(separator: ";").map(String.init) : []
                for category in categories.isEmpty ? [""] : categories {
                    block(category, until: now.addingTimeInterval(seconds))
                }
            }
        } else if status == 429 {
            block("", until: now.addingTimeInterval(retryAfter.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } ?? 60))
        }
    }

    private mutating func block(_ category: String, until moment: Date) {
        until[category] = max(until[category] ?? .distantPast, moment)
    }
}
