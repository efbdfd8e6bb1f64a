/// Every Redis key of the deployment, in one place: the queue's, the figures', the error
/// path's and the rate limits'. All share one hash tag (`{prefix}`), so the Lua scripts
/// that touch several of them stay on one slot even in a Redis Cluster.
///
/// `Name` lists them with their variable parts in angle brackets; docs/architecture.md
/// ("Redis keys") shows the same list, and a test keeps the two equal.
public struct RedisKeys: Sendable, Equatable {
    public let prefix: String

    public init(prefix: String) {
        self.prefix = prefix
    }

    /// Each key after `{prefix}:`; `<…>` is filled in by the accessor.
    public enum Name: String, CaseIterable, Sendable {
        // The chat queue (Sources/Queue/QueueScripts.swift).
        case inbox = "in:<chat>"
        case seen = "seen:<update_id>"
        case ready, lease, owner, attempts, handouts, wake, dead, stats, workers
        case ingressLeader = "ingress:leader"
        case ingressOffset = "ingress:offset"
        // The deployment's figures.
        case statsLatency = "stats:latency"
        case statsTelegram = "stats:telegram"
        case statsReminders = "stats:reminders"
        case statsSentry = "stats:sentry"
        case reminders
        // Errors on their way to Sentry.
        case errors
        case errorsSending = "errors:sending"
        case errorFate = "errors:fate:<event_id>"
        // Rate limits: the send budget and the flood guard.
        case sendWindow = "rl:sent"
        case chatSendBudget = "rl:chat:<chat>"
        case chatSendHold = "rl:hold:<chat>"
        case backgroundLastSend = "rl:background"
        case floodLast = "rl:<kind>:<user>"
        case floodWarned = "rl:warned:<kind>:<user>"
    }

    /// The key `name` with its `<…>` parts replaced by `values`, in order.
    public func key(_ name: Name, _ values: String...) -> String { key(name, values) }

    public func key(_ name: Name, _ values: [String]) -> String {
        var result = "{\(prefix)}:"
        var rest = Substring(name.rawValue)
        var values = values[...]
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            precondition(!values.isEmpty, "\(name.rawValue) needs a value for each <…>")
            result += rest[..<open]
            result += values.removeFirst()
            rest = rest[rest.index(after: close)...]
        }
        precondition(values.isEmpty, "\(name.rawValue) takes fewer values")
        return result + rest
    }

    // MARK: - The chat queue

    /// One chat's waiting updates, oldest first (a list).
    public func inbox(_ chat: Int64) -> String { key(.inbox, String(chat)) }
    /// The prefix of every inbox key, for scripts that pick a chat first.
    public var inboxPrefix: String { key(.inbox, "") }
    /// Set once per update id at ingress (24 h), so a re-sent update is enqueued once.
    public func seen(_ updateID: Int64) -> String { key(.seen, String(updateID)) }
    /// Chats with waiting updates and no owner; score = when they may be claimed.
    public var ready: String { key(.ready) }
    /// Chats being worked on; score = lease deadline.
    public var lease: String { key(.lease) }
    /// chat → the worker holding its lease.
    public var owner: String { key(.owner) }
    /// chat → failed attempts of its head update.
    public var attempts: String { key(.attempts) }
    /// chat → times its head update was handed out and its handler never came back.
    public var handouts: String { key(.handouts) }
    /// A hint for idle workers; never the truth.
    public var wake: String { key(.wake) }
    /// Parked (poison) updates with their errors.
    public var dead: String { key(.dead) }
    /// Counters: depth, dead (parked ever), and `received:<type>`; the worker adds
    /// `processed:<type>` and `failed:<type>` (the Stats module reads them all).
    public var stats: String { key(.stats) }
    /// worker → last heartbeat (ms), for "live workers".
    public var workers: String { key(.workers) }
    /// The polling leader's lock.
    public var ingressLeader: String { key(.ingressLeader) }
    /// The getUpdates offset, advanced only after a batch is enqueued.
    public var ingressOffset: String { key(.ingressOffset) }

    // MARK: - The deployment's figures

    /// Handling latency: `bucket:<le>` counts and `sum`.
    public var statsLatency: String { key(.statsLatency) }
    /// Telegram's refusals by kind.
    public var statsTelegram: String { key(.statsTelegram) }
    /// The reminders rounds: `round_began_ms`, `sent`, `missed`.
    public var statsReminders: String { key(.statsReminders) }
    /// The error forwarder's outcomes, `sent` and `dropped:<reason>`, and the capture
    /// side's `dropped:queue_overflow`.
    public var statsSentry: String { key(.statsSentry) }
    /// Live reminders processes: name → last heartbeat (ms).
    public var remindersAlive: String { key(.reminders) }

    // MARK: - Errors on their way to Sentry

    /// The capped list of events every process pushes and the forwarder drains.
    public var errors: String { key(.errors) }
    /// Events the forwarder has taken off `errors` and not yet settled.
    public var errorsSending: String { key(.errorsSending) }
    /// An event's fate, kept for an hour: `queued` (set with its push), then `sent` or
    /// `dropped:<reason>` (the forwarder's word, which `bookingbot errors test` waits for).
    public func errorFate(_ eventID: String) -> String { key(.errorFate, eventID) }

    // MARK: - Rate limits

    /// The deployment's Telegram send budget: the last second's grants (a sorted set by time).
    public var sendWindow: String { key(.sendWindow) }
    /// One chat's send budget (one a second, a burst of three).
    public func chatSendBudget(_ chat: Int64) -> String { key(.chatSendBudget, String(chat)) }
    /// Set when Telegram answered a send to the chat with 429: no process sends to it
    /// until the key expires (`retry_after`).
    public func chatSendHold(_ chat: Int64) -> String { key(.chatSendHold, String(chat)) }
    /// When the background lane last sent (ms): its floor of one send a second.
    public var backgroundLastSend: String { key(.backgroundLastSend) }
    /// A user's last passed update of a kind (`message`, `button`), for the flood guard.
    public func floodLast(kind: String, user: Int64) -> String { key(.floodLast, kind, String(user)) }
    /// The update a user was last warned about, per kind.
    public func floodWarned(kind: String, user: Int64) -> String { key(.floodWarned, kind, String(user)) }
}
