/// The Redis keys of the chat queue. All share one hash tag (`{prefix}`), so the Lua
/// scripts that touch several of them stay on one slot even in a Redis Cluster.
public struct QueueKeys: Sendable {
    public let prefix: String

    public init(prefix: String) {
        self.prefix = prefix
    }

    /// `{bb}:ready`
    public func key(_ name: String) -> String { "{\(prefix)}:\(name)" }

    /// One chat's waiting updates, oldest first.
    public func inbox(_ chat: Int64) -> String { key("in:\(chat)") }
    /// The prefix of every inbox key, for scripts that pick a chat first.
    public var inboxPrefix: String { key("in:") }
    /// Set once per update id at ingress, so a re-sent update is enqueued once.
    public func seen(_ updateID: Int64) -> String { key("seen:\(updateID)") }

    /// Chats with waiting updates and no owner; score = when they may be claimed.
    public var ready: String { key("ready") }
    /// Chats being worked on; score = lease deadline.
    public var lease: String { key("lease") }
    /// chat → the worker holding its lease.
    public var owner: String { key("owner") }
    /// chat → failed attempts of its head update.
    public var attempts: String { key("attempts") }
    /// chat → times its head update was handed out and its handler never came back.
    public var handouts: String { key("handouts") }
    /// A hint for idle workers; never the truth.
    public var wake: String { key("wake") }
    /// Parked (poison) updates with their errors.
    public var dead: String { key("dead") }
    /// Counters: depth, dead (parked ever), and `received:<type>`; the worker adds
    /// `processed:<type>` and `failed:<type>` (the Stats module reads them all).
    public var stats: String { key("stats") }
    /// worker → last heartbeat (ms), for "live workers".
    public var workers: String { key("workers") }
}
