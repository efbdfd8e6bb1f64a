import Booking
import Conversation
import Delivery
import Foundation
import Logging
import Postgres
import Store

/// One update's turn inside its transaction: the person registered and their role and the
/// rules in force read, the open flow's state loaded, the router run (its change through
/// `ChangeRunner`), the next state saved, and the replies and effects written as outbox
/// rows. No Telegram and no Redis here: the caller owns the transaction, the ledger and
/// the sending, so a test can run a turn against a scratch database alone.
struct UpdateTurn {
    let router: Router
    let defaults: BookingRules
    /// `ADMIN_IDS`: super admins, told of every booking change.
    let owners: [Int64]
    let logger: Logger

    /// Routes the update to its flow in the transaction; returns the outbox rows it wrote
    /// (its replies, then its effects' messages to other chats).
    func run(_ incoming: Incoming, chat: Int64, updateID: Int64, now: Date, in tx: PostgresConnection) throws -> [OutboxMessage] {
        let person = incoming.person
        let isNew = try ClientStore(connection: tx).register(id: person.id, firstName: person.firstName, username: person.username,
                                                             languageCode: person.languageCode, now: now)
        let (rules, address, contact) = try SettingsStore(connection: tx).inForce(defaults: defaults)
        let role = try ChangeRunner.role(of: person.id, owners: owners, in: tx)
        let situation = Situation(now: now, person: person, chat: chat, role: role, rules: rules, storedAddress: address,
                                  storedContact: contact, isNewUser: isNew)
        let conversations = ConversationStore(connection: tx)
        let stored = try conversations.load(chatID: chat, userID: person.id)
        let reads = FlowReads(db: tx, defaults: defaults, rules: rules, owners: owners, now: now,
                              configuredAddress: router.settings.serviceLocation)
        let session = ChangeRunner(db: tx, reads: reads, person: person.id, owners: owners, now: now)
        let turn = try router.handle(incoming, stored: stored, situation: situation, session: session)
        if let problem = turn.problem {
            // An error, so it reaches Sentry: a deploy changed a flow's draft, or a row was edited by hand.
            logger.error("conversation state reset", metadata: ["chat": "\(chat)", "reason": "\(problem)"])
        }
        try conversations.save(chatID: chat, userID: person.id, state: turn.state.storedName, data: turn.state.encoded(), now: now)
        let replies = try Self.write(turn.replies, chat: chat, updateID: updateID, now: now, in: tx)
        return replies + (try EffectWriter(db: tx, settings: router.settings, owners: owners, person: person.id, updateID: updateID, now: now)
            .write(turn.effects))
    }

    /// The replies, as outbox rows of this transaction.
    static func write(_ replies: [Outgoing], chat: Int64, updateID: Int64, now: Date, in tx: PostgresConnection) throws -> [OutboxMessage] {
        let outbox = OutboxStore(connection: tx)
        return try replies.map { try outbox.add($0, chatID: chat, updateID: updateID, now: now) }
    }
}
