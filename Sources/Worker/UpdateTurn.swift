import Booking
import Conversation
import Delivery
import Foundation
import Logging
import Postgres
import Store

/// One update's turn inside its transaction: the person registered, their role, the rules
/// in force and the open flow's state read (locked) in one statement (`TurnContextStore`),
/// the router run (its change through `ChangeRunner`), the next state saved, and the
/// replies and effects written as outbox rows. No Telegram and no Redis here: the caller
/// owns the transaction, the ledger and the sending, so a test can run a turn against a
/// scratch database alone.
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
        let context = try TurnContextStore(connection: tx).read(person: person.id, firstName: person.firstName, username: person.username,
                                                                languageCode: person.languageCode, chat: chat, owners: owners,
                                                                defaults: defaults, now: now)
        let situation = Situation(now: now, person: person, chat: chat, role: ChangeRunner.role(named: context.staffRole),
                                  rules: context.rules, storedAddress: context.serviceLocation, storedContact: context.contact,
                                  isNewUser: context.isNewUser)
        let reads = FlowReads(db: tx, defaults: defaults, rules: context.rules, owners: owners, now: now,
                              configuredAddress: router.settings.serviceLocation,
                              adminAdditionsPerHour: router.settings.maxAdminAdditionsPerHour)
        let session = ChangeRunner(db: tx, reads: reads, person: person.id, owners: owners, now: now)
        let turn = try router.handle(incoming, stored: context.conversation, situation: situation, session: session)
        if let problem = turn.problem {
            // An error, so it reaches Sentry: a deploy changed a flow's draft, or a row was edited by hand.
            logger.error("conversation state reset", metadata: ["chat": "\(chat)", "reason": "\(problem)"])
        }
        try ConversationStore(connection: tx).save(chatID: chat, userID: person.id, state: turn.state.storedName, data: turn.state.encoded(),
                                                   now: now)
        let replies = try Self.write(turn.replies, chat: chat, updateID: updateID, now: now, in: tx)
        return replies + (try EffectWriter(db: tx, settings: router.settings, owners: owners, person: person.id, updateID: updateID, now: now)
            .write(turn.effects))
    }

    /// The replies, as outbox rows of this transaction (one statement).
    static func write(_ replies: [Outgoing], chat: Int64, updateID: Int64, now: Date, in tx: PostgresConnection) throws -> [OutboxMessage] {
        try OutboxStore(connection: tx).add(replies.map { try OutboxDraft($0, chatID: chat) }, updateID: updateID, now: now)
    }
}
