import Foundation
import Postgres
import Queue
import Redis
import Sandbox
import Store

/// What must hold after any run, however it failed on the way (issue #19), each checked
/// from what the bot stored and what Telegram (the Sandbox) received, never from what
/// the bot says of itself.
struct Invariants {
    struct Outcome {
        let name: String
        /// Nil: it holds. Else what breaks it.
        let broken: String?
        /// Figures that go with it, said either way.
        let figures: String
    }

    let database: PostgresConnection
    let queue: ChatQueue
    let sandbox: SandboxServer
    let ledger: Ledger
    /// The clients' limit of bookings still to come (the configuration's).
    let bookingLimit: Int
    /// Chats whose notices may arrive merged (the owner's).
    let staffChats: Set<Int64>
    /// Every broadcast text the owner typed, and how many of them were sent.
    let broadcastTexts: [String]
    let broadcastsSent: Int
    /// False for the soak: nothing may be in doubt then.
    let faultsRan: Bool

    func check() throws -> [Outcome] {
        let reads = IntegrityReads(connection: database)
        let made = ledger.allUpdates
        let chats = Array(Set(made.map(\.chat)))
        let parked = try parkedUpdates()
        return [try updatesOnceInOrder(made: made, chats: chats, parked: parked, reads: reads), try repliesDelivered(chats: chats, reads: reads),
                try bookingsHold(reads: reads), try broadcastsAtMostOnce(reads: reads), try remindersHold(reads: reads), deadList(parked)]
    }

    /// An update on the dead list, and why it is there.
    struct Parked {
        let updateID: Int64?
        let error: String
        /// Parked because the workers handling it died (the faults' doing) rather than
        /// because handling it failed: the queue's rule for an update that keeps killing
        /// its workers, applied to an innocent one.
        var explained: Bool
    }

    private func parkedUpdates() throws -> [Parked] {
        let killedWorkers = ledger.allFaults.contains { [.killWorker, .freezeWorker].contains($0) }
        return try queue.dead(limit: 1000).map { entry in
            let object = (try? JSONSerialization.jsonObject(with: entry) as? [String: Any]) ?? [:]
            let error = object["error"] as? String ?? "unreadable entry"
            let update = (object["update"] as? String).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            let id = (update?["update_id"] as? NSNumber)?.int64Value
            return Parked(updateID: id, error: error, explained: killedWorkers && error == "worker died while handling it")
        }
    }

    /// Every update made was handled exactly once (its effects committed with its id, none
    /// twice), and each chat's in the order they were made.
    private func updatesOnceInOrder(made: [(id: Int64, chat: Int64)], chats: [Int64], parked: [Parked], reads: IntegrityReads) throws -> Outcome {
        let processed = try reads.processedUpdates(chats: chats)
        let handled = Set(processed.map(\.updateID))
        // Parked for a reason the dead list's check accepts: not handled, and not lost.
        let parkedForAReason = Set(parked.filter(\.explained).compactMap(\.updateID))
        let missing = made.filter { !handled.contains($0.id) && !parkedForAReason.contains($0.id) }
        let madeIn = Dictionary(made.map { ($0.id, $0.chat) }) { first, _ in first }
        let unknown = processed.filter { madeIn[$0.updateID] == nil }
        // A chat's own updates, as its replies were written: never a later one before an earlier.
        var outOfOrder: Set<Int64> = []
        var latest: [Int64: Int64] = [:]
        for (chat, update) in try reads.updatesInReplyOrder(chats: chats) where madeIn[update] == chat {
            if let last = latest[chat], update < last { outOfOrder.insert(chat) }
            latest[chat] = max(update, latest[chat] ?? update)
        }
        let doubled = try reads.doubledBookingChanges()
        let doubledReplies = try reads.doubledReplies()
        var problems: [String] = []
        if !missing.isEmpty { problems.append("\(missing.count) never handled (first: \(missing.prefix(5).map(\.id)))") }
        if !unknown.isEmpty { problems.append("\(unknown.count) handled that nobody made") }
        if !outOfOrder.isEmpty { problems.append("\(outOfOrder.count) chats answered out of order (first: \(Array(outOfOrder.prefix(5))))") }
        if doubled > 0 { problems.append("\(doubled) bookings created or cancelled twice") }
        if doubledReplies > 0 { problems.append("\(doubledReplies) replies written twice for one update") }
        return Outcome(name: "every update handled exactly once, in order per chat", broken: problems.isEmpty ? nil : problems.joined(separator: "; "),
                       figures: "\(made.count) updates made, \(handled.count) handled, \(parkedForAReason.count) parked, in \(chats.count) chats")
    }

    /// Every reply decided was delivered at least once (each row by a call of its own: a
    /// chat sent the same words three times must have received three); how many twice.
    private func repliesDelivered(chats: [Int64], reads: IntegrityReads) throws -> Outcome {
        let replies = try reads.replies(chats: chats)
        var delivered: [CallKey: Int] = [:]
        var received: [CallKey: Int] = [:]
        var staffMessages: [Int64: [String]] = [:]
        for call in sandbox.calls() {
            let key = CallKey(call.method, call.parameters)
            // Received: taken, or refused for what it says (an edit to the same text): the
            // chat shows it either way. A press's answer refused as too late (a fault held
            // the chat past Telegram's 15 s) counts too, and is reported as late below.
            if call.errorCode == nil { delivered[key, default: 0] += 1 }
            if call.errorCode == nil || call.errorCode == 400 { received[key, default: 0] += 1 }
            if call.errorCode == nil, key.method == "sendmessage", staffChats.contains(key.chat) {
                staffMessages[key.chat, default: []].append(key.text)
            }
        }
        var expected: [CallKey: Int] = [:]
        var unsent = 0
        var failed: [String] = []
        for reply in replies {
            // A broadcast row in doubt is not sent again by design (at most once): counted
            // with the broadcasts.
            if reply.priority == OutboxLane.broadcast.rawValue, reply.failed, reply.lastError?.hasPrefix("unknown") == true { continue }
            if !reply.sent {
                if reply.failed { failed.append(reply.lastError ?? "failed") } else { unsent += 1 }
                continue
            }
            let parameters = (try? JSONDecoder().decode([String: JSONValue].self, from: Data(reply.payload.utf8))) ?? [:]
            expected[CallKey(reply.method, parameters), default: 0] += 1
        }
        // Notices to staff may go out merged, several rows in one message: such a row must
        // be inside a message its chat received.
        var lost = 0
        for (key, rows) in expected where (received[key] ?? 0) < rows {
            let merged = key.method == "sendmessage" && staffChats.contains(key.chat) && !key.text.isEmpty
                && (staffMessages[key.chat] ?? []).contains { $0 != key.text && $0.contains(key.text) }
            if !merged { lost += rows - (received[key] ?? 0) }
        }
        let twice = expected.reduce(0) { $0 + max(0, (delivered[$1.key] ?? 0) - $1.value) }
        let presses = sandbox.pressReport()
        var problems: [String] = []
        if unsent > 0 { problems.append("\(unsent) replies never sent") }
        if lost > 0 { problems.append("\(lost) replies marked sent that Telegram never received") }
        // Nobody blocks the bot in this run: every reply given up on was lost.
        if !failed.isEmpty {
            let reasons = Dictionary(grouping: failed, by: { $0 }).map { "\($0.value.count)× \($0.key.prefix(80))" }
            problems.append("\(failed.count) replies given up on: \(reasons.joined(separator: ", "))")
        }
        if presses.unanswered > 0 { problems.append("\(presses.unanswered) presses never answered") }
        return Outcome(name: "every reply delivered at least once", broken: problems.isEmpty ? nil : problems.joined(separator: "; "),
                       figures: "\(replies.count) replies, \(twice) delivered twice (a sender killed between Telegram's answer and its mark); "
                           + "\(presses.pressed) presses, \(presses.late) answered after Telegram's 15 s")
    }

    /// No overlapping confirmed bookings, and no client over the limit.
    private func bookingsHold(reads: IntegrityReads) throws -> Outcome {
        let overlaps = try reads.overlappingConfirmedBookings()
        let over = try reads.clientsOverLimit(bookingLimit, now: Date())
        let blocked = try reads.confirmedBookingsInBlocks()
        var problems: [String] = []
        if overlaps > 0 { problems.append("\(overlaps) overlapping pairs of confirmed bookings") }
        if blocked > 0 { problems.append("\(blocked) confirmed bookings inside blocked time") }
        if !over.isEmpty { problems.append("\(over.count) clients over the limit of \(bookingLimit) (first: \(over.prefix(3)))") }
        return Outcome(name: "no overlapping bookings, none in blocked time, every client's limit held",
                       broken: problems.isEmpty ? nil : problems.joined(separator: "; "), figures: "limit \(bookingLimit)")
    }

    /// Each recipient got each broadcast at most once (never twice, whatever was killed);
    /// every one marked sent got it, and the rest are in doubt for a reason (their sender
    /// was killed mid-call) or skipped (they had blocked the bot).
    private func broadcastsAtMostOnce(reads: IntegrityReads) throws -> Outcome {
        let texts = Set(broadcastTexts)
        var received: [String: [Int64: Int]] = [:]
        for call in sandbox.calls() where call.errorCode == nil {
            let key = CallKey(call.method, call.parameters)
            if key.method == "sendmessage", texts.contains(key.text) { received[key.text, default: [:]][key.chat, default: 0] += 1 }
        }
        let deliveries = try reads.broadcastDeliveries()
        let recipients = Dictionary(grouping: deliveries, by: \.text).mapValues { Set($0.map(\.userID)) }
        // Recipients only: the owner's preview is an ordinary reply (at least once).
        let twice = received.reduce(0) { sum, entry in
            sum + entry.value.filter { $0.value > 1 && (recipients[entry.key]?.contains($0.key) ?? false) }.count
        }
        // The owner sees the text once, in the preview; nobody else who is not a recipient may.
        let strangers = received.reduce(0) { sum, entry in
            sum + entry.value.keys.filter { !staffChats.contains($0) && !(recipients[entry.key]?.contains($0) ?? false) }.count
        }
        let lost = deliveries.filter { $0.sent && received[$0.text]?[$0.userID] != 1 }.count
        let inDoubt = deliveries.filter { $0.failed && $0.lastError?.hasPrefix("unknown") == true }
        let inDoubtReceived = inDoubt.filter { received[$0.text]?[$0.userID] == 1 }.count
        let refused = deliveries.filter { $0.failed && $0.lastError?.hasPrefix("unknown") != true }.count
        let unsettled = deliveries.filter { $0.queued && !$0.sent && !$0.failed }.count
        var problems: [String] = []
        if twice > 0 { problems.append("\(twice) recipients got a broadcast twice") }
        if strangers > 0 { problems.append("\(strangers) chats got a broadcast they were not sent") }
        if lost > 0 { problems.append("\(lost) marked sent that Telegram never delivered") }
        if refused > 0 { problems.append("\(refused) refused by Telegram") }
        if unsettled > 0 { problems.append("\(unsettled) never settled") }
        if broadcastsSent > 0 && deliveries.isEmpty { problems.append("\(broadcastsSent) broadcasts sent and none reached anyone") }
        if !faultsRan && !inDoubt.isEmpty { problems.append("\(inDoubt.count) in doubt with no fault to explain it") }
        let broadcasts = Set(deliveries.map(\.broadcastID)).count
        return Outcome(name: "every broadcast recipient got it at most once", broken: problems.isEmpty ? nil : problems.joined(separator: "; "),
                       figures: "\(broadcasts) broadcasts to \(deliveries.count) recipients: \(deliveries.filter(\.sent).count) sent once, "
                           + "\(inDoubt.count) in doubt after a sender was killed mid-call (not sent again; \(inDoubtReceived) of them had arrived), "
                           + "\(deliveries.filter { !$0.queued }.count) skipped")
    }

    /// Every due reminder sent (once: a row per reminder), none for a cancelled booking.
    private func remindersHold(reads: IntegrityReads) throws -> Outcome {
        let afterCancel = try reads.remindersSentAfterCancellation()
        let unsent = try reads.remindersLeftUnsent(dueBefore: Date().addingTimeInterval(-10))
        var problems: [String] = []
        if afterCancel > 0 { problems.append("\(afterCancel) sent for cancelled bookings") }
        if unsent > 0 { problems.append("\(unsent) due and never sent") }
        let figures = try reads.reminderFigures().sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return Outcome(name: "every due reminder sent, none for a cancelled booking", broken: problems.isEmpty ? nil : problems.joined(separator: "; "),
                       figures: figures)
    }

    /// The dead list: empty, or each entry explained by the faults (its workers were
    /// killed or frozen each time it was handed out). Any other reason is a failure of
    /// the handling itself, which no fault excuses.
    private func deadList(_ parked: [Parked]) -> Outcome {
        let unexplained = parked.filter { !$0.explained }
        let reasons = Dictionary(grouping: parked, by: \.error).map { "\($0.value.count)× \($0.key.prefix(80))" }.sorted()
        return Outcome(name: "the dead list empty or explained",
                       broken: unexplained.isEmpty ? nil : "\(unexplained.count) parked unexplained: \(unexplained.prefix(3).map(\.error))",
                       figures: parked.isEmpty ? "0 parked" : "\(parked.count) parked (\(parked.count - unexplained.count) explained by the faults): \(reasons.joined(separator: ", "))")
    }

    /// What identifies one Bot API call's content: its method, chat, message, press and words.
    struct CallKey: Hashable {
        let method: String
        let chat: Int64
        let messageID: Int64
        let callbackID: String
        let text: String

        init(_ method: String, _ parameters: [String: JSONValue]) {
            func value(_ name: String) -> String {
                switch parameters[name] {
                case .string(let text)?: return text
                case .int(let number)?: return String(number)
                default: return ""
                }
            }
            self.method = method.lowercased()
            chat = Int64(value("chat_id")) ?? 0
            messageID = Int64(value("message_id")) ?? 0
            callbackID = value("callback_query_id")
            text = value("text") + value("caption")
        }
    }
}
