import Booking
import Foundation
import Postgres
import Store
import XCTest

/// A turn's context is one statement: it must read and write what the four reads it
/// replaces did — the person registered (new once), every setting, the role with the
/// owners' rule, the conversation — and hold the same locks until the commit.
final class TurnContextStoreTests: MigratedDatabaseTestCase {
    let clock = BusinessClock(zoneIdentifier: "Europe/Moscow")!
    lazy var defaults = BookingRules(
        clock: clock, schedule: .everyDay(DayHours(openHour: 9, closeHour: 18)!), slotStepMinutes: 60,
        horizonMonths: 3, minNoticeMinutes: 60, maxActiveBookingsPerClient: 3, cancellationCutoffHours: 24,
        rescheduleCutoffHours: 24, reminderOffsetsMinutes: [1440, 120], feedbackHoursAfter: 2)
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    private func read(_ person: Int64, _ firstName: String = "Anna", username: String? = nil, language: String? = "en",
                      chat: Int64? = nil, owners: [Int64] = [], at time: Date? = nil) throws -> TurnContext {
        try db.transaction { tx in
            try TurnContextStore(connection: tx).read(person: person, firstName: firstName, username: username, languageCode: language,
                                                      chat: chat ?? person, owners: owners, defaults: defaults, now: time ?? start)
        }
    }

    private func profile(_ person: Int64) throws -> (firstName: String, username: String?, language: String?, updated: Date) {
        let row = try db.query("SELECT first_name, username, language_code, updated_at FROM users WHERE id = $1", [.int(person)])[0]
        return (try row.get("first_name"), try row.get("username"), try row.get("language_code"), try row.get("updated_at"))
    }

    func testANewUserIsNewOnceAndAChangedProfileIsStoredWhileAnUnchangedOneIsNotRewritten() throws {
        XCTAssertTrue(try read(7, "Anna", username: "anna", language: "en").isNewUser)
        XCTAssertFalse(try read(7, "Anna", username: "anna", language: "en", at: start + 60).isNewUser)
        var stored = try profile(7)
        XCTAssertEqual(stored.updated, start, "the same profile again is not written: updated_at is when it last changed")

        XCTAssertFalse(try read(7, "Анна", username: "anna", language: "en", at: start + 120).isNewUser)
        stored = try profile(7)
        XCTAssertEqual(stored.firstName, "Анна")
        XCTAssertEqual(stored.updated, start + 120)
        XCTAssertFalse(try read(7, "Анна", username: "anna_k", language: "en", at: start + 180).isNewUser)
        XCTAssertEqual(try profile(7).username, "anna_k")
        XCTAssertFalse(try read(7, "Анна", username: nil, language: "ru", at: start + 240).isNewUser)
        stored = try profile(7)
        XCTAssertNil(stored.username)
        XCTAssertEqual(stored.language, "ru")
        XCTAssertEqual(stored.updated, start + 240)

        // The store's own registration agrees: the user is known now, and so is someone
        // registered by it first.
        XCTAssertFalse(try ClientStore(connection: db).register(id: 7, firstName: "Анна", languageCode: "ru", now: start))
        XCTAssertTrue(try ClientStore(connection: db).register(id: 8, firstName: "Bob", now: start))
        XCTAssertFalse(try ClientStore(connection: db).register(id: 8, firstName: "Bob", now: start))
        XCTAssertFalse(try read(8, "Bob", language: nil).isNewUser)
    }

    func testEveryStoredSettingIsInForceAsTheSettingsStoreReadsIt() throws {
        var context = try read(7)
        XCTAssertEqual(context.rules.slotStepMinutes, 60)
        XCTAssertNil(context.serviceLocation)
        XCTAssertNil(context.contact)

        let settings = SettingsStore(connection: db)
        let values: [(SettingsStore.Key, String)] = [
            (.workHours, #"{"1":[600,960],"2":null,"3":[540,1080],"4":[540,1080],"5":[540,1080],"6":[660,900],"7":null}"#),
            (.slotStepMinutes, "30"), (.bookingHorizonMonths, "2"), (.minNoticeMinutes, "120"), (.maxBookingsPerUser, "5"),
            (.cancellationHours, "12"), (.rescheduleHours, "6"), (.reminderOffsets, "[60,1440]"), (.feedbackHoursAfter, "4"),
            (.serviceLocation, #""Lenina \"5\", \\ back""#), (.businessContact, #""@salon""#),
        ]
        for (key, json) in values { try settings.set(key, json: json, by: 1) }
        // A row of a key this version does not know is passed over, as the store does.
        try db.query("INSERT INTO settings (key, value) VALUES ('from_the_future', '1')")

        context = try read(7)
        let expected = try settings.inForce(defaults: defaults)
        XCTAssertEqual(context.serviceLocation, #"Lenina "5", \ back"#)
        XCTAssertEqual(context.serviceLocation, expected.serviceLocation)
        XCTAssertEqual(context.contact, "@salon")
        XCTAssertEqual(context.contact, expected.contact)
        XCTAssertEqual(context.rules.slotStepMinutes, 30)
        XCTAssertEqual(context.rules.horizonMonths, 2)
        XCTAssertEqual(context.rules.minNoticeMinutes, 120)
        XCTAssertEqual(context.rules.maxActiveBookingsPerClient, 5)
        XCTAssertEqual(context.rules.cancellationCutoffHours, 12)
        XCTAssertEqual(context.rules.rescheduleCutoffHours, 6)
        XCTAssertEqual(context.rules.reminderOffsetsMinutes, [1440, 60])
        XCTAssertEqual(context.rules.feedbackHoursAfter, 4)
        XCTAssertEqual(context.rules.schedule, expected.rules.schedule)
        XCTAssertNil(context.rules.schedule.hours(on: .tuesday))
        XCTAssertEqual(context.rules.schedule.hours(on: .saturday), DayHours(open: 660, close: 900))
    }

    func testTheStoredRoleIsReadAndAnOwnerIsASuperAdminWhateverIsStored() throws {
        for person: Int64 in [1, 2, 3, 4] { try ClientStore(connection: db).register(id: person, firstName: "P\(person)", now: start) }
        try db.query("INSERT INTO admins (user_id, role) VALUES (2, 'moderator'), (3, 'super_admin'), (4, 'moderator')")
        let owners: [Int64] = [4, 5]
        XCTAssertNil(try read(1, "P1", owners: owners).staffRole)
        XCTAssertEqual(try read(2, "P2", owners: owners).staffRole, "moderator")
        XCTAssertEqual(try read(3, "P3", owners: owners).staffRole, "super_admin")
        XCTAssertEqual(try read(4, "P4", owners: owners).staffRole, "super_admin", "an owner stored as a moderator")
        XCTAssertEqual(try read(5, "P5", owners: owners).staffRole, "super_admin", "an owner with no row, on first contact")
        for person: Int64 in 1...5 {
            XCTAssertEqual(try read(person, "P\(person)", owners: owners).staffRole,
                           try AdminStore(connection: db).role(of: person, owners: owners), "person \(person)")
        }
    }

    func testTheConversationIsReadAndItAndTheUserAreLockedUntilTheTurnCommits() throws {
        try ClientStore(connection: db).register(id: 7, firstName: "Anna", languageCode: "en", now: start)
        try ConversationStore(connection: db).save(chatID: 70, userID: 7, state: "booking", data: #"{"flow": "booking", "step": 2}"#,
                                                   now: start)
        XCTAssertNil(try read(7, chat: 71).conversation, "another chat of the same person has no state")

        let other = try database.connect()
        defer { other.close() }
        func lockedElsewhere(_ sql: String) -> Bool {
            do {
                try other.transaction { tx in _ = try tx.query(sql + " FOR UPDATE NOWAIT") }
                return false
            } catch {
                return (error as? PostgresError)?.serverError?.sqlState == "55P03"
            }
        }
        let conversationRow = "SELECT 1 FROM conversations WHERE chat_id = 70 AND user_id = 7"
        let userRow = "SELECT 1 FROM users WHERE id = 7"
        try db.transaction { tx in
            // The profile as stored: the upsert writes nothing, and still locks the row.
            let context = try TurnContextStore(connection: tx).read(person: 7, firstName: "Anna", languageCode: "en", chat: 70, owners: [],
                                                                    defaults: defaults, now: start + 60)
            XCTAssertEqual(context.conversation, #"{"flow": "booking", "step": 2}"#)
            XCTAssertFalse(context.isNewUser)
            XCTAssertTrue(lockedElsewhere(conversationRow), "the conversation is locked while the turn is open")
            XCTAssertTrue(lockedElsewhere(userRow), "the user is locked while the turn is open")
        }
        XCTAssertFalse(lockedElsewhere(conversationRow), "the commit frees the conversation")
        XCTAssertFalse(lockedElsewhere(userRow), "the commit frees the user")
    }

    func testATurnWaitingForTheConversationReadsWhatTheTurnBeforeSaved() throws {
        try ClientStore(connection: db).register(id: 7, firstName: "Anna", now: start)
        try ConversationStore(connection: db).save(chatID: 7, userID: 7, state: "a", data: #"{"step": 1}"#, now: start)
        let observer = try database.connect()
        defer { observer.close() }
        nonisolated(unsafe) let second = try database.connect()
        defer { second.close() }
        let seen = Seen()
        let done = DispatchSemaphore(value: 0)
        let (defaults, start) = (defaults, start)
        try db.transaction { tx in
            _ = try TurnContextStore(connection: tx).read(person: 7, firstName: "Anna", chat: 7, owners: [], defaults: defaults, now: start)
            Thread {
                seen.set(Result {
                    try second.transaction { tx in
                        try TurnContextStore(connection: tx).read(person: 7, firstName: "Anna", chat: 7, owners: [], defaults: defaults,
                                                                  now: start).conversation
                    }
                })
                done.signal()
            }.start()
            // The second turn waits for this one's locks; then this one saves.
            XCTAssertTrue(try waitUntil { try observer.query("""
                SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                """)[0].get("n") as Int == 1 })
            try ConversationStore(connection: tx).save(chatID: 7, userID: 7, state: "b", data: #"{"step": 2}"#, now: start)
        }
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(try seen.value?.get(), #"{"step": 2}"#)
    }

    func testItIsReadOnlyInsideATransaction() {
        XCTAssertThrowsError(try TurnContextStore(connection: db).read(person: 7, firstName: "Anna", chat: 7, owners: [],
                                                                       defaults: defaults, now: start))
    }

    private func waitUntil(_ condition: () throws -> Bool) throws -> Bool {
        for _ in 0..<300 {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }
}

private final class Seen: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<String?, Error>?
    func set(_ value: Result<String?, Error>) { lock.withLock { result = value } }
    var value: Result<String?, Error>? { lock.withLock { result } }
}
