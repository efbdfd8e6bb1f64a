import Foundation
import Postgres
import Store
import XCTest

/// A turn's rows go into the outbox in one statement: each must be stored as a row added
/// alone would be, and their ids must ascend in the order given (a chat's order is by id).
final class OutboxBatchTests: MigratedDatabaseTestCase {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func stored() throws -> [(id: Int64, chat: Int64, method: String, payload: String, priority: Int, update: Int64?)] {
        try db.query("SELECT id, chat_id, method, payload::text AS payload, priority, update_id FROM outbox ORDER BY id").map {
            (try $0.get("id"), try $0.get("chat_id"), try $0.get("method"), try $0.get("payload"), try $0.get("priority"),
             try $0.get("update_id"))
        }
    }

    /// `json` as PostgreSQL stores it (jsonb's own text).
    private func normalized(_ json: String) throws -> String {
        try db.query("SELECT $1::jsonb::text AS j", [.json(json)])[0].get("j")
    }

    func testRowsAddedTogetherAreStoredInTheOrderGivenWithAscendingIds() throws {
        let outbox = OutboxStore(connection: db)
        let before = try outbox.add(chatID: 9, method: "sendMessage", payload: #"{"text":"first"}"#, updateID: nil, now: now)
        let drafts = [
            OutboxDraft(chatID: 5, method: "answerCallbackQuery", payload: #"{"callback_query_id":"q1"}"#),
            OutboxDraft(chatID: 5, method: "sendMessage", payload: #"{"text":"quote \" backslash \\ brace } comma , ünï 🙂"}"#),
            OutboxDraft(chatID: 6, method: "sendMessage", payload: #"{"text":"[1, 2]","n":-12.5e3}"#, lane: .notice),
            OutboxDraft(chatID: 5, method: "editMessageText", payload: #"{"text":"{\"a\":1}"}"#, lane: .background),
            OutboxDraft(chatID: 7, method: "sendMessage", payload: #"{"text":"NULL"}"#, lane: .notice),
        ]
        let added = try db.transaction { tx in try OutboxStore(connection: tx).add(drafts, updateID: 42, now: now) }

        XCTAssertEqual(added.count, drafts.count)
        XCTAssertEqual(added.map(\.id), added.map(\.id).sorted(), "ids ascend in the order given")
        XCTAssertEqual(Set(added.map(\.id)).count, drafts.count)
        XCTAssertGreaterThan(added[0].id, before.id)
        for (message, draft) in zip(added, drafts) {
            // What a row added alone returns: the draft as given, unsent.
            XCTAssertEqual(message, OutboxMessage(id: message.id, chatID: draft.chatID, method: draft.method, payload: draft.payload,
                                                  priority: draft.lane.rawValue, attempts: 0))
        }
        let rows = try stored().dropFirst()
        XCTAssertEqual(rows.map(\.id), added.map(\.id))
        for (row, draft) in zip(rows, drafts) {
            XCTAssertEqual(row.chat, draft.chatID)
            XCTAssertEqual(row.method, draft.method)
            XCTAssertEqual(row.payload, try normalized(draft.payload))
            XCTAssertEqual(row.priority, draft.lane.rawValue)
            XCTAssertEqual(row.update, 42)
        }
        // A chat's unsent rows come back in the order they were given.
        XCTAssertEqual(try outbox.pending(chatID: 5).map(\.method), ["answerCallbackQuery", "sendMessage", "editMessageText"])
    }

    func testARowAddedAloneIsStoredAsBefore() throws {
        let outbox = OutboxStore(connection: db)
        let message = try outbox.add(chatID: 3, method: "sendMessage", payload: #"{"text":"hi"}"#, updateID: nil, lane: .background,
                                     now: now)
        XCTAssertEqual(message, OutboxMessage(id: message.id, chatID: 3, method: "sendMessage", payload: #"{"text":"hi"}"#, priority: 1,
                                              attempts: 0))
        let row = try XCTUnwrap(try stored().first)
        XCTAssertEqual(row.id, message.id)
        XCTAssertNil(row.update)
        XCTAssertEqual(try db.query("SELECT created_at FROM outbox")[0].get("created_at") as Date, now)
    }

    func testNothingToAddAddsNothing() throws {
        XCTAssertEqual(try OutboxStore(connection: db).add([], updateID: 1, now: now), [])
        XCTAssertEqual(try stored().count, 0)
    }

    func testManyRowsKeepTheirOrder() throws {
        let drafts = (0..<300).map { OutboxDraft(chatID: Int64($0 % 3), method: "sendMessage", payload: #"{"text":"\#($0)"}"#) }
        let added = try OutboxStore(connection: db).add(drafts, updateID: 1, now: now)
        let rows = try stored()
        XCTAssertEqual(rows.map(\.id), added.map(\.id))
        XCTAssertEqual(rows.map(\.payload), try drafts.map { try normalized($0.payload) })
    }
}
