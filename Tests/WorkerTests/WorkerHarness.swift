import Booking
import Conversation
import Foundation
import Logging
import Postgres
import Store
import TestSupport
@testable import Worker
import XCTest

/// A worker's turn in-process: each update runs `UpdateTurn` in its own transaction
/// against a scratch database (real PostgreSQL, real stores, the real router), and what
/// it wrote — outbox rows, audit rows, the conversation state — is read back. No Redis,
/// no Telegram, no child processes: a staff feature × role × step is a few milliseconds.
final class WorkerHarness {
    /// One outbox row, as the sender would send it.
    struct Sent {
        let chat: Int64
        let method: String
        let payload: [String: Any]

        var text: String? { payload["text"] as? String }
        /// An answerCallbackQuery's text (nil: answered without one).
        var answerText: String? { payload["text"] as? String }
        var isAnswer: Bool { method == "answerCallbackQuery" }
        var buttons: [InlineButton] {
            let markup = payload["reply_markup"] as? [String: Any]
            let rows = markup?["inline_keyboard"] as? [[[String: Any]]] ?? []
            return rows.joined().compactMap { button in
                guard let text = button["text"] as? String, let data = button["callback_data"] as? String else { return nil }
                return InlineButton(text: text, data: data)
            }
        }
    }

    /// One `audit_log` row.
    struct AuditRow: Equatable {
        let actor: Int64
        let action: String
        let target: String?
        let details: String
        let allowed: Bool
    }

    let database: ScratchDatabase
    let db: PostgresConnection
    let clock: BusinessClock
    let rules: BookingRules
    let owners: [Int64]
    var now: Date
    private var nextUpdate: Int64 = 1
    private var nextQuery = 1
    private let settings: ConversationSettings

    init(owners: [Int64] = [], now: Date = Date()) throws {
        database = try TestServices.freshDatabase()
        db = try database.connect()
        try Migrator(connection: db).migrate(Migration.bundled())
        clock = BusinessClock(zoneIdentifier: "Europe/Moscow")!
        rules = BookingRules(clock: clock, schedule: .everyDay(DayHours(openHour: 9, closeHour: 18)!), slotStepMinutes: 60,
                             horizonMonths: 3, minNoticeMinutes: 60, maxActiveBookingsPerClient: 3, cancellationCutoffHours: 24,
                             rescheduleCutoffHours: 24, reminderOffsetsMinutes: [1440, 120], feedbackHoursAfter: 2)
        settings = ConversationSettings(languageSetting: "auto", serviceLocation: "Main St 1", callbackTTL: 48 * 3600, clock: clock)
        self.owners = owners
        self.now = now
    }

    deinit { database.drop() }

    var router: Router { Router(settings: settings) }

    static func person(_ id: Int64, _ name: String = "Anna", language: String = "en") -> Person {
        Person(id: id, firstName: name, username: nil, languageCode: language)
    }

    /// Runs one update of `person` in its private chat; returns what it wrote to any chat.
    @discardableResult
    func send(_ incoming: Incoming) throws -> [Sent] {
        let updateID = nextUpdate
        nextUpdate += 1
        let chat = incoming.person.id
        let turn = UpdateTurn(router: router, defaults: rules, owners: owners, logger: Logger(label: "harness"))
        try db.transaction { tx in
            _ = try turn.run(incoming, chat: chat, updateID: updateID, now: now, in: tx)
        }
        return try db.query("SELECT chat_id, method, payload::text AS payload FROM outbox WHERE update_id = $1 ORDER BY id",
                            [.int(updateID)]).map { row in
            let json = try JSONSerialization.jsonObject(with: Data((try row.get("payload") as String).utf8)) as? [String: Any] ?? [:]
            return Sent(chat: try row.get("chat_id"), method: try row.get("method"), payload: json)
        }
    }

    func command(_ name: String, from person: Person) throws -> [Sent] {
        try send(.command(name, argument: "", from: person))
    }

    /// Presses a button with this callback data.
    func press(_ data: String, from person: Person, messageID: Int64 = 900) throws -> [Sent] {
        nextQuery += 1
        return try send(.button(queryID: "q\(nextQuery)", data: data, messageID: messageID, from: person))
    }

    /// Makes the person staff with this role (`super_admin` or `moderator`), or takes the role away (nil).
    func setRole(_ person: Person, _ role: String?) throws {
        try ClientStore(connection: db).register(id: person.id, firstName: person.firstName, now: now)
        if let role {
            try db.query("INSERT INTO admins (user_id, role) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET role = $2",
                         [.int(person.id), .text(role)])
        } else {
            try db.query("DELETE FROM admins WHERE user_id = $1", [.int(person.id)])
        }
    }

    /// A confirmed booking of `person` a week ahead at 11:00 (a one-hour "Haircut"), made
    /// as the client would make it.
    func booking(of person: Person) throws -> BookingRecord {
        let service = try ServiceStore(connection: db).create(name: "Haircut \(nextUpdate)", durationMinutes: 60)
        try ClientStore(connection: db).register(id: person.id, firstName: person.firstName, now: now)
        nextUpdate += 1
        let start = clock.instant(of: clock.localDate(of: now).adding(days: 7), minute: 11 * 60)!
        let outcome = try db.transaction { tx in
            try BookingStore(connection: tx, defaults: rules).create(client: person.id, service: service.id, start: start,
                                                                   by: .client(person.id), now: now)
        }
        guard case .done(let record) = outcome else { throw BookingRefused(description: "\(outcome)") }
        return record
    }

    struct BookingRefused: Error, CustomStringConvertible {
        let description: String
    }

    func audit() throws -> [AuditRow] {
        try db.query("SELECT actor_id, action, target, details::text AS details, allowed FROM audit_log ORDER BY id").map {
            AuditRow(actor: try $0.get("actor_id"), action: try $0.get("action"), target: try $0.get("target"),
                     details: try $0.get("details"), allowed: try $0.get("allowed"))
        }
    }

    /// The stored conversation of a person's private chat.
    func state(of person: Person) throws -> ConversationState? {
        try ConversationStore(connection: db).load(chatID: person.id, userID: person.id)
            .flatMap { try? ConversationState.decode($0).get() }
    }

    func count(_ sql: String, _ values: [PostgresValue] = []) throws -> Int {
        try db.query(sql, values)[0].get("n")
    }
}

/// A test case with a fresh harness per test: the owner (in `ADMIN_IDS`) and a stranger.
class HarnessTestCase: XCTestCase {
    let owner = WorkerHarness.person(1, "Olga")
    let stranger = WorkerHarness.person(3, "Mallory")
    var harness: WorkerHarness!

    override func setUpWithError() throws {
        harness = try WorkerHarness(owners: [owner.id])
    }

    override func tearDown() {
        harness = nil
    }

    /// A button's data, issued now.
    func data<A: FlowAction>(_ action: A) -> String { CallbackEnvelope.encode(action, issuedAt: harness.now) }

    /// The person presses the button.
    func press<A: FlowAction>(_ action: A, by person: Person) throws -> [WorkerHarness.Sent] {
        try harness.press(data(action), from: person)
    }

    /// The person types the text.
    func type(_ text: String, by person: Person) throws -> [WorkerHarness.Sent] {
        try harness.send(.text(text, from: person))
    }
}
