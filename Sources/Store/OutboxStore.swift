import Foundation
import Postgres

/// Who a row is for, as `outbox.priority` stores it: when the send budget is short,
/// lower goes first.
public enum OutboxLane: Int, Sendable {
    /// A reply someone is waiting for.
    case interactive = 0
    /// Nobody waits for it right now: reminders, review requests, exports, a client's notice.
    case background = 1
    /// A staff notice: background, and several waiting for one chat may go as one message.
    case notice = 2
    /// A broadcast's message (and its report): background, last in line, and sent only by
    /// the workers' dispatchers, never by the reminders process's blocking sender (a
    /// process killed mid-call leaves its row in doubt; the reminders process is the one
    /// the broadcast's expansion runs in, so it keeps out of the sending).
    case broadcast = 3
}

/// One reply waiting in `outbox`: a Bot API method and its JSON payload.
public struct OutboxMessage: Sendable, Equatable {
    public let id: Int64
    public let chatID: Int64
    public let method: String
    public let payload: String
    /// An `OutboxLane`'s raw value.
    public let priority: Int
    public let attempts: Int

    public init(id: Int64, chatID: Int64, method: String, payload: String, priority: Int, attempts: Int) {
        self.id = id
        self.chatID = chatID
        self.method = method
        self.payload = payload
        self.priority = priority
        self.attempts = attempts
    }
}

/// A row to add to the outbox: a Bot API method and its JSON payload, for a chat.
public struct OutboxDraft: Sendable, Equatable {
    public let chatID: Int64
    public let method: String
    /// One JSON value.
    public let payload: String
    public let lane: OutboxLane

    public init(chatID: Int64, method: String, payload: String, lane: OutboxLane = .interactive) {
        self.chatID = chatID
        self.method = method
        self.payload = payload
        self.lane = lane
    }
}

/// The transactional outbox: replies decided inside an update's transaction are written
/// here in the same transaction, and sent after commit (at least once, in order per chat).
public struct OutboxStore {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    /// The chat's send lock: the whole chat id hashed with the outbox's own name into one
    /// bigint (chats never share a lock, and no other lock of the database meets these).
    static let chatLockKeySQL = "hashtextextended('bookingbot.outbox', $1::bigint)"

    /// Takes the chat's send lock for the open transaction, waiting for it (up to the
    /// session's `lock_timeout`): one sender per chat at a time. The lock is the
    /// transaction's, so a sender that dies or freezes loses it with its session.
    /// Call it inside `transaction {}`; outside one the lock would end with the statement.
    public func lockChat(_ chatID: Int64) throws {
        try db.query("SELECT pg_advisory_xact_lock(\(Self.chatLockKeySQL))", [.int(chatID)])
    }

    /// Like `lockChat`, without waiting: false when another transaction holds the chat.
    public func tryLockChat(_ chatID: Int64) throws -> Bool {
        try db.query("SELECT pg_try_advisory_xact_lock(\(Self.chatLockKeySQL)) AS locked", [.int(chatID)])[0].get("locked")
    }

    /// Adds a reply. Returns it as stored: its id orders it among the chat's replies.
    @discardableResult
    public func add(chatID: Int64, method: String, payload: String, updateID: Int64?, lane: OutboxLane = .interactive, now: Date) throws -> OutboxMessage {
        try add([OutboxDraft(chatID: chatID, method: method, payload: payload, lane: lane)], updateID: updateID, now: now)[0]
    }

    /// Adds the rows in one statement (one round trip however many); returns them as
    /// stored, in the order given, their ids ascending in that order (a chat's order).
    @discardableResult
    public func add(_ many: [OutboxDraft], updateID: Int64?, now: Date) throws -> [OutboxMessage] {
        guard !many.isEmpty else { return [] }
        // The payloads go as one JSON array, so no payload is quoted again into an array
        // literal; `n` pairs each with its row. The ids are drawn after the ORDER BY
        // (nextval is evaluated above the sort), so they ascend in the order given.
        let ids = try db.query("""
            INSERT INTO outbox (chat_id, method, payload, priority, update_id, created_at)
            SELECT r.chat_id, r.method, p.payload, r.priority, $5, $6
            FROM unnest($1::bigint[], $2::text[], $3::int[]) WITH ORDINALITY AS r (chat_id, method, priority, n)
            JOIN jsonb_array_elements($4::jsonb) WITH ORDINALITY AS p (payload, n) USING (n)
            ORDER BY n
            RETURNING id
            """, [.intArray(many.map(\.chatID)), .textArray(many.map(\.method)), .intArray(many.map { Int64($0.lane.rawValue) }),
                  .json("[" + many.map(\.payload).joined(separator: ",") + "]"), updateID.map { .int($0) } ?? .null,
                  .timestamp(now)]).map { try $0.get("id") as Int64 }
        guard ids.count == many.count, zip(ids, ids.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw PostgresError.decoding("outbox: \(many.count) rows given, \(ids.count) stored (ids \(ids))")
        }
        return zip(ids, many).map { id, draft in
            OutboxMessage(id: id, chatID: draft.chatID, method: draft.method, payload: draft.payload, priority: draft.lane.rawValue,
                          attempts: 0)
        }
    }

    /// Whether the chat has unsent replies (one index probe); `sparingBroadcasts` leaves
    /// out the broadcast lane's rows.
    public func hasPending(chatID: Int64, sparingBroadcasts: Bool = false) throws -> Bool {
        try db.query("SELECT 1 FROM outbox WHERE chat_id = $1 AND sent_at IS NULL AND failed_at IS NULL AND NOT ($2 AND priority = 3) LIMIT 1",
                     [.int(chatID), .bool(sparingBroadcasts)]).count == 1
    }

    /// Rows of every chat still to send (the partial index holds exactly these).
    public func backlog() throws -> Int {
        try db.query("SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")[0].get("n")
    }

    /// A chat's unsent replies, oldest first; `sparingBroadcasts` leaves out the broadcast
    /// lane's rows.
    public func pending(chatID: Int64, limit: Int = 100, sparingBroadcasts: Bool = false) throws -> [OutboxMessage] {
        try db.query("""
            SELECT id, chat_id, method, payload::text AS payload, priority, attempts FROM outbox
            WHERE chat_id = $1 AND sent_at IS NULL AND failed_at IS NULL AND sending_at IS NULL AND NOT ($3 AND priority = 3)
            ORDER BY id LIMIT $2
            """, [.int(chatID), .int(limit), .bool(sparingBroadcasts)]).map { row in
            OutboxMessage(id: try row.get("id"), chatID: try row.get("chat_id"), method: try row.get("method"),
                          payload: try row.get("payload"), priority: try row.get("priority"), attempts: try row.get("attempts"))
        }
    }

    // MARK: A sender's hold on chats (the worker's dispatcher)

    /// Takes the chat's send lock for this session — held across transactions until
    /// `settle` or the session's end — without waiting: nil when another sender holds it.
    /// Held, it also returns the chat's unsent messages, oldest first, press answers aside
    /// (whoever wrote an answer sends it at once, outside the chat's order; a stale one is
    /// left to the sweeper). Rows the caller has (`known`) come back with an empty payload:
    /// the caller learns they are still unsent without reading them again.
    /// The same lock as `lockChat`, so session holders and transaction holders exclude
    /// each other.
    public func holdChat(_ chatID: Int64, known: [Int64], limit: Int = 100) throws -> [OutboxMessage]? {
        // The lock, then the read, each a statement of its own in one round trip: a read in
        // the lock's statement would use a snapshot taken before the lock, and miss the marks
        // the last holder committed in between. Not held, the read is dropped unseen.
        let answers = try db.separately([
            (sql: "SELECT pg_try_advisory_lock(\(Self.chatLockKeySQL)) AS held", parameters: [.int(chatID)]),
            Self.unsentRead(chatID: chatID, after: 0, known: known, limit: limit),
        ])
        guard try answers[0][0].get("held") as Bool else { return nil }
        return try Self.messages(answers[1], chatID: chatID)
    }

    /// A held chat's unsent messages after `after`, as `holdChat` returns them: rows
    /// handed over to the holder may have another process's rows between them.
    public func unsentMessages(chatID: Int64, after: Int64, known: [Int64], limit: Int = 100) throws -> [OutboxMessage] {
        let read = Self.unsentRead(chatID: chatID, after: after, known: known, limit: limit)
        return try Self.messages(db.query(read.sql, read.parameters), chatID: chatID)
    }

    private static func unsentRead(chatID: Int64, after: Int64, known: [Int64], limit: Int) -> (sql: String, parameters: [PostgresValue]) {
        (sql: """
            SELECT id, method, CASE WHEN id = ANY ($3::bigint[]) THEN '' ELSE payload::text END AS payload, priority, attempts
            FROM outbox
            WHERE chat_id = $1 AND id > $2 AND sent_at IS NULL AND failed_at IS NULL AND sending_at IS NULL AND method <> 'answerCallbackQuery'
            ORDER BY id LIMIT $4
            """, parameters: [.int(chatID), .int(after), .intArray(known), .int(Int64(readLimit(limit)))])
    }

    private static func messages(_ rows: PostgresRows, chatID: Int64) throws -> [OutboxMessage] {
        try rows.map { row in
            OutboxMessage(id: try row.get("id"), chatID: chatID, method: try row.get("method"), payload: try row.get("payload"),
                          priority: try row.get("priority"), attempts: try row.get("attempts"))
        }
    }

    /// A statement that does nothing: a sender holding chats keeps its session from
    /// looking idle (the server ends a session idle past `idle_session_timeout`).
    public func touchSession() throws {
        try db.query("SELECT 1")
    }

    /// In one round trip: marks `sent` delivered (as `markSent`), gives back the send locks
    /// of `release`, and returns those of them that have unsent messages (press answers
    /// aside): rows committed while this session held the chat, which their committer,
    /// finding it held, left to the holder.
    /// Three statements, each its own transaction, in one round trip: the marks commit
    /// before the locks go back, so the next holder finds the rows sent; the look runs
    /// after the unlock, so it sees every row committed while the locks were held. Call
    /// it outside `transaction {}`.
    public func settle(sent: [Int64], now: Date, release: [Int64]) throws -> Set<Int64> {
        guard !sent.isEmpty || !release.isEmpty else { return [] }
        let answers = try db.separately([
            (sql: Self.markSentSQL, parameters: [.intArray(sent), .timestamp(now)]),
            (sql: "SELECT pg_advisory_unlock(hashtextextended('bookingbot.outbox', c)) FROM unnest($1::bigint[]) AS c",
             parameters: [.intArray(release)]),
            (sql: """
                SELECT DISTINCT chat_id FROM outbox
                WHERE chat_id = ANY ($1::bigint[]) AND sent_at IS NULL AND failed_at IS NULL AND sending_at IS NULL
                  AND method <> 'answerCallbackQuery'
                """, parameters: [.intArray(release)]),
        ])
        return Set(try answers[2].map { try $0.get("chat_id") as Int64 })
    }

    /// Marks many rows sent in one statement.
    public func markSent(_ ids: [Int64], now: Date) throws {
        guard !ids.isEmpty else { return }
        try db.query(Self.markSentSQL, [.intArray(ids), .timestamp(now)])
    }

    /// `$1` the rows, `$2` when: a mark never undoes a send (another sender's, or a repeat).
    private static let markSentSQL = "UPDATE outbox SET sent_at = $2, attempts = attempts + 1 WHERE id = ANY ($1::bigint[]) AND sent_at IS NULL"

    /// Chats with rows left unsent since before `moment` (their sender died between the
    /// commit and the send, or Telegram kept failing), the longest waiting first.
    /// `messagesOnly` leaves out press answers; `excluding` chats the caller will not take now;
    /// `sparingBroadcasts` the broadcast lane's rows.
    public func chatsWithStaleRows(olderThan moment: Date, messagesOnly: Bool = false, excluding: [Int64] = [], sparingBroadcasts: Bool = false,
                                   limit: Int) throws -> [Int64] {
        try db.query("""
            SELECT chat_id FROM outbox
            WHERE sent_at IS NULL AND failed_at IS NULL AND sending_at IS NULL AND created_at < $1
              AND NOT ($2 AND method = 'answerCallbackQuery') AND chat_id <> ALL ($3::bigint[]) AND NOT ($5 AND priority = 3)
            GROUP BY chat_id ORDER BY min(id) LIMIT $4
            """, [.timestamp(moment), .bool(messagesOnly), .intArray(excluding), .int(Int64(limit)), .bool(sparingBroadcasts)])
            .map { try $0.get("chat_id") }
    }

    /// Press answers left unsent since before `moment`: whoever sweeps sends them, outside
    /// any chat's order (an answer refused as too old counts as delivered).
    /// Only those written after `since`: an older one Telegram refuses as too old, and the
    /// reminders' sweep marks it so.
    public func staleAnswers(olderThan moment: Date, since: Date, limit: Int) throws -> [OutboxMessage] {
        try db.query("""
            SELECT id, chat_id, method, payload::text AS payload, priority, attempts FROM outbox
            WHERE sent_at IS NULL AND failed_at IS NULL AND method = 'answerCallbackQuery' AND created_at < $1 AND created_at >= $2
            ORDER BY id LIMIT $3
            """, [.timestamp(moment), .timestamp(since), .int(Int64(limit))]).map { row in
            OutboxMessage(id: try row.get("id"), chatID: try row.get("chat_id"), method: try row.get("method"),
                          payload: try row.get("payload"), priority: try row.get("priority"), attempts: try row.get("attempts"))
        }
    }

    /// `note` says why a row counts as sent without Telegram's taking it this time.
    public func markSent(_ id: Int64, now: Date, note: String? = nil) throws {
        try db.query("UPDATE outbox SET sent_at = $2, attempts = attempts + 1, last_error = coalesce($3, last_error) WHERE id = $1 AND sent_at IS NULL",
                     [.int(id), .timestamp(now), note.map { .text(Self.storable($0)) } ?? .null])
    }

    /// A reply Telegram refused for good (400, 403): kept with the reason, never resent.
    /// A row another sender got out meanwhile stays sent.
    public func markFailed(_ id: Int64, error: String, now: Date) throws {
        try db.query("UPDATE outbox SET failed_at = $2, attempts = attempts + 1, last_error = $3 WHERE id = $1 AND sent_at IS NULL",
                     [.int(id), .timestamp(now), .text(Self.storable(error))])
    }

    /// A transient failure: counted, the row stays to be sent later (a broadcast row's
    /// mark of `claimForSending` goes: Telegram said it did not take the message).
    public func markAttempt(_ id: Int64, error: String) throws {
        try db.query("UPDATE outbox SET attempts = attempts + 1, last_error = $2, sending_at = NULL WHERE id = $1 AND sent_at IS NULL AND failed_at IS NULL",
                     [.int(id), .text(Self.storable(error))])
    }

    // MARK: Broadcasts: at most once

    /// Marks a broadcast row as being sent, committed (durably, whatever the session's
    /// `synchronous_commit`) before the call: false when it is sent, failed or marked
    /// already, and must not go out. Such a row is never read as unsent again. The mark
    /// is the database's time, like the look for abandoned ones: no process's clock.
    public func claimForSending(_ id: Int64) throws -> Bool {
        try db.transaction { db in
            try db.query("SET LOCAL synchronous_commit = on")
            return try !db.query("""
                UPDATE outbox SET sending_at = clock_timestamp()
                WHERE id = $1 AND sending_at IS NULL AND sent_at IS NULL AND failed_at IS NULL
                RETURNING id
                """, [.int(id)]).isEmpty
        }
    }

    /// Rows marked as being sent over `seconds` ago and never settled: their sender died
    /// mid-call, and whether the message arrived cannot be known. Marked failed, never
    /// sent again (at most once). Returns how many.
    @discardableResult
    public func failAbandonedSends(olderThan seconds: Int) throws -> Int {
        try db.query("""
            UPDATE outbox SET failed_at = clock_timestamp(), last_error = $2
            WHERE sending_at < clock_timestamp() - make_interval(secs => $1) AND sent_at IS NULL AND failed_at IS NULL RETURNING id
            """, [.int(Int64(seconds)), .text(Self.abandonedSend)]).count
    }

    /// The reason `failAbandonedSends` writes.
    public static let abandonedSend = "unknown: the sender stopped mid-call; not sent again (at most once)"

    /// Why a send failed, as PostgreSQL text can hold it: Telegram's words come from
    /// outside and may carry a NUL, which would make the mark — and every mark after it
    /// in the same batch — fail for good.
    static func storable(_ reason: String) -> String {
        String(reason.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}").prefix(500))
    }

    /// A read's row count, bounded.
    static func readLimit(_ limit: Int) -> Int {
        min(max(1, limit), 10_000)
    }
}
