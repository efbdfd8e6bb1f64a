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

    /// Writes the effects; returns the chats they reach (sent after this chat's replies).
    func write(_ effects: [Effect]) throws -> [Int64] {
        var reached: [Int64] = []
        for effect in effects {
            switch effect {
            case .notifyStaff(let kind, let notice):
                for recipient in try AdminStore(connection: db).noticeRecipients(of: kind, owners: owners, except: person) {
                    // In the interactive lane: staff act on these, and there are few of them.
                    try send(notice, to: recipient.userID, languageCode: recipient.languageCode)
                    reached.append(recipient.userID)
                }
            case .notifyClient(let client, let message):
                try send(message, to: client, languageCode: try ClientStore(connection: db).languageCode(of: client))
                reached.append(client)
            case .startJob(let job):
                // The router keeps this effect only from a staff change the change runner
                // allowed and audited in this transaction; the reminders process runs it.
                try JobStore(connection: db).enqueue(kind: job.kind.rawValue, payload: try job.payload(), requestedBy: person, now: now)
            }
        }
        return reached
    }

    private func send(_ message: Texts.Message, to chat: Int64, languageCode: String?) throws {
        let text = Texts.text(message, in: settings.language(forCode: languageCode))
        try OutboxStore(connection: db).add(.message(text: text, menu: nil, buttons: nil), chatID: chat, updateID: updateID, now: now)
    }
}
