import Foundation
import Store

/// One chat's messages on their way out of this process: oldest first, one call in
/// flight at a time, sent only while this process holds the chat's send lock.
struct ChatLine {
    /// Waiting, oldest first; while a call is in flight its rows are at the front.
    var rows: [OutboxMessage] = []
    /// This process holds the chat's send lock (it may send; nobody else may).
    var held = false
    /// The rows of the call in flight (one, or notices merged into one message).
    var inFlight: [OutboxMessage] = []
    /// That call's number: only its own outcome moves the line on (not one of a call made
    /// before the line was forgotten and taken up again).
    var call = 0
    /// Monotonic seconds before which nothing is tried (a budget wait, a backoff, a 429).
    var notBefore: TimeInterval = 0
    /// Tries to take the lock that found it held by another sender.
    var busyTries = 0
    /// Transient failures of the head in a row.
    var failures = 0
    /// When this line last started a call, or joined the lines (monotonic seconds): chats
    /// take turns by it, so one with a long backlog never keeps the others waiting behind
    /// it, and one sent back by a 429 or a busy budget is not overtaken for good by chats
    /// that join after it (a joining chat is not "never started": it goes behind).
    var lastStarted: TimeInterval

    init(joined: TimeInterval) {
        lastStarted = joined
    }

    var isSending: Bool { !inFlight.isEmpty }

    /// The turn of two lines with rows: replies before background sends, then the one
    /// that started or joined longest ago, then the older row.
    func goesBefore(_ other: ChatLine) -> Bool {
        (rows[0].priority, lastStarted, rows[0].id) < (other.rows[0].priority, other.lastStarted, other.rows[0].id)
    }

    /// Held, with nothing left to send and nothing in flight: the lock can go back.
    var isDrained: Bool { held && rows.isEmpty && inFlight.isEmpty }

    /// Adds rows, keeping id order and each row once (a hold's read and the committer's
    /// hand-over may both bring one).
    mutating func add(_ more: [OutboxMessage]) {
        guard !more.isEmpty else { return }
        let known = Set(rows.map(\.id))
        let fresh = more.filter { !known.contains($0.id) }.sorted { $0.id < $1.id }
        guard let first = fresh.first else { return }
        rows += fresh
        if let waiting = rows.dropFirst(inFlight.count).dropLast(fresh.count).last, waiting.id > first.id {
            // Another loop's rows came in between: only those not yet in flight may move.
            rows = Array(rows.prefix(inFlight.count)) + rows.dropFirst(inFlight.count).sorted { $0.id < $1.id }
        }
    }

    /// The highest row id the last read of the database covered. Rows handed over with
    /// higher ids may have others' rows between them (another process's reply to this
    /// chat's previous update): they are read again before they go (`needsRead`).
    var readThrough: Int64 = 0

    /// The next row to go is one the database has not confirmed in its place.
    var needsRead: Bool { held && !isSending && (rows.first?.id ?? 0) > readThrough }

    /// The lock was just taken: `stored` is what the chat has unsent, oldest first, with
    /// an empty payload for the rows this line already had. The database is the truth: a
    /// row handed over that another sender sent meanwhile is not sent again.
    mutating func hold(_ stored: [OutboxMessage]) {
        held = true
        busyTries = 0
        read(stored, after: 0)
    }

    /// What the database holds unsent after `after` (as `hold`), in place of the rows
    /// this line had there.
    mutating func read(_ stored: [OutboxMessage], after: Int64) {
        let mine = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        rows = rows.filter { $0.id <= after } + stored.map { $0.payload.isEmpty ? mine[$0.id] ?? $0 : $0 }
        readThrough = max(after, stored.last?.id ?? 0)
    }

    /// The call in flight ended with these rows done (sent or refused for good).
    mutating func finish() {
        rows.removeFirst(min(inFlight.count, rows.count))
        inFlight = []
        failures = 0
    }
}
