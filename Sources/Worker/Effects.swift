import Conversation
import Delivery
import Foundation
import Postgres
import Store
import Texts

/// Carries out a turn's effects beyond its own chat, as outbox rows of the update's
/// transaction (sent after the commit, once, in order per chat), and a job started as a
/// `jobs` row of the same transaction.
struct EffectWriter {
    let db: PostgresConnection
    let settings: ConversationSettings
    /// `ADMIN_IDS`.
    let owners: [Int64]
    let person: Int64
    let updateID: Int64
    let now: Date

    /// Writes the effects; returns the outbox rows they wrote (sent after this chat's replies),
    /// all added in one statement.
    func write(_ effects: [Effect]) throws -> [OutboxMessage] {
        var reached: [OutboxDraft] = []
        for effect in effects {
            switch effect {
            case .notifyStaff(let kind, let notice):
                for recipient in try AdminStore(connection: db).noticeRecipients(of: kind, owners: owners, except: person) {
                    // Nobody waits for these: behind replies, and merged when several wait.
                    reached.append(try draft(notice, to: recipient.userID, languageCode: recipient.languageCode, lane: .notice))
                }
            case .notifyClient(let client, let message):
                reached.append(try draft(message, to: client, languageCode: try ClientStore(connection: db).languageCode(of: client),
                                         lane: .background))
            case .startJob(let job):
                // The router keeps this effect only from a staff change the change runner
                // allowed and audited in this transaction; the reminders process runs it.
                try JobStore(connection: db).enqueue(kind: job.kind.rawValue, payload: try job.payload(), requestedBy: person, now: now)
            }
        }
        return try OutboxStore(connection: db).add(reached, updateID: updateID, now: now)
    }

    private func draft(_ message: Texts.Message, to chat: Int64, languageCode: String?, lane: OutboxLane) throws -> OutboxDraft {
        let text = Texts.text(message, in: settings.language(forCode: languageCode))
        return try OutboxDraft(.message(text: text, menu: nil, buttons: nil), chatID: chat, lane: lane)
    }
}
