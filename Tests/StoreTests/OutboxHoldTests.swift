import Foundation
import Postgres
import Store
import TestSupport
import XCTest

/// The worker's sender holds a chat and lets it go in one round trip each
/// (`OutboxStore.holdChat`, `OutboxStore.settle`: statements pipelined), on real sessions of
/// PostgreSQL: one holder at a time, what a holder marked is never read unsent by the next,
/// and nothing committed while a chat was held is stranded.
final class OutboxHoldTests: MigratedDatabaseTestCase {
    private let chat: Int64 = 4401
    /// A group chat: its id is negative.
    private let group: Int64 = -100_4402

    @discardableResult
    private func add(_ chatID: Int64, _ text: String, method: String = "sendMessage", on connection: PostgresConnection? = nil) throws -> Int64 {
        try OutboxStore(connection: connection ?? db).add(chatID: chatID, method: method, payload: #"{"text":"\#(text)"}"#, updateID: nil, now: Date()).id
    }

    // MARK: Broadcast rows: at most once

    private func broadcastRow(_ text: String) throws -> Int64 {
        try OutboxStore(connection: db).add(chatID: chat, method: "sendMessage", payload: #"{"text":"\#(text)"}"#, updateID: nil,
                                            lane: .broadcast, now: Date().addingTimeInterval(-60)).id
    }

    func testABroadcastRowMarkedForSendingIsClaimedOnceAndNeverReadUnsentAgain() throws {
        let row = try broadcastRow("once")
        let store = OutboxStore(connection: db)
        XCTAssertTrue(try store.claimForSending(row))
        XCTAssertFalse(try OutboxStore(connection: try database.connect()).claimForSending(row), "a second sender may not")
        XCTAssertEqual(try store.holdChat(chat, known: [])?.map(\.id), [], "not read as unsent")
        XCTAssertEqual(try store.chatsWithStaleRows(olderThan: Date(), limit: 10), [], "not swept")
        XCTAssertEqual(try store.pending(chatID: chat).map(\.id), [])
        XCTAssertEqual(try store.settle(sent: [], now: Date(), release: [chat]), [], "nothing left to look at when letting go")
    }

    func testAMarkLeftByASenderThatDiedFailsTheRowAsUnknownOnceOld() throws {
        let row = try broadcastRow("in doubt")
        let settled = try broadcastRow("settled")
        let store = OutboxStore(connection: db)
        XCTAssertTrue(try store.claimForSending(row))
        XCTAssertTrue(try store.claimForSending(settled))
        try store.markSent([settled], now: Date())
        XCTAssertEqual(try store.failAbandonedSends(olderThan: 3600), 0, "a recent mark may be a call still out")
        Thread.sleep(forTimeInterval: 1.1)
        XCTAssertEqual(try store.failAbandonedSends(olderThan: 1), 1, "only the unsettled one")
        let stored = try db.query("SELECT failed_at IS NOT NULL AS failed, sent_at IS NULL AS unsent, last_error FROM outbox WHERE id = $1", [.int(row)])[0]
        XCTAssertTrue(try stored.get("failed") as Bool)
        XCTAssertTrue(try stored.get("unsent") as Bool)
        XCTAssertEqual(try stored.get("last_error") as String, OutboxStore.abandonedSend)
        XCTAssertFalse(try store.claimForSending(row), "never sent again")
        XCTAssertEqual(try store.failAbandonedSends(olderThan: 0), 0)
    }

    func testARetryTelegramAskedForClearsTheMark() throws {
        let row = try broadcastRow("again")
        let store = OutboxStore(connection: db)
        XCTAssertTrue(try store.claimForSending(row))
        try store.markAttempt(row, error: "telegram: 502")
        XCTAssertEqual(try store.pending(chatID: chat).map(\.id), [row], "unsent again: Telegram said it did not take it")
        XCTAssertTrue(try store.claimForSending(row))
    }

    func testAHeldChatIsRefusedToAnotherSessionWhichReadsNothing() throws {
        let first = try add(chat, "one")
        let other = try database.connect()
        XCTAssertEqual(try OutboxStore(connection: db).holdChat(chat, known: [])?.map(\.id), [first])
        XCTAssertNil(try OutboxStore(connection: other).holdChat(chat, known: []), "held by the first session")
        // The lock is the one the reminders' sender takes per transaction.
        XCTAssertFalse(try other.transaction { try OutboxStore(connection: $0).tryLockChat(chat) })

        XCTAssertEqual(try OutboxStore(connection: db).settle(sent: [first], now: Date(), release: [chat]), [])
        XCTAssertEqual(try OutboxStore(connection: other).holdChat(chat, known: [])?.map(\.id), [], "held now, with nothing left unsent")
        XCTAssertNil(try OutboxStore(connection: db).holdChat(chat, known: []))
        XCTAssertTrue(try db.transaction { try OutboxStore(connection: $0).tryLockChat(group) }, "another chat's lock is apart")
    }

    func testAChatATransactionHoldsIsRefused() throws {
        try add(chat, "one")
        let other = try database.connect()
        try other.transaction { transaction in
            try OutboxStore(connection: transaction).lockChat(chat)
            XCTAssertNil(try OutboxStore(connection: db).holdChat(chat, known: []))
        }
        XCTAssertEqual(try OutboxStore(connection: db).holdChat(chat, known: [])?.count, 1, "the transaction's end gave it back")
    }

    func testTheHoldReadsUnsentMessagesInOrderKnownOnesEmptyAnswersLeftOut() throws {
        let first = try add(chat, "one")
        let answer = try add(chat, "spinner", method: "answerCallbackQuery")
        let second = try add(chat, "two")
        let sent = try add(chat, "gone")
        try OutboxStore(connection: db).markSent([sent], now: Date())
        let failed = try add(chat, "refused")
        try OutboxStore(connection: db).markFailed(failed, error: "400", now: Date())
        try add(group, "elsewhere")

        let held = try XCTUnwrap(try OutboxStore(connection: db).holdChat(chat, known: [first, answer]))
        XCTAssertEqual(held.map(\.id), [first, second], "in id order, without the answer, the sent row or the failed one")
        XCTAssertEqual(held.map(\.payload), ["", #"{"text": "two"}"#], "a known row comes back without its payload")
        XCTAssertEqual(held.map(\.chatID), [chat, chat])
        XCTAssertEqual(held.map(\.method), ["sendMessage", "sendMessage"])
    }

    func testTheHoldReadsNoMoreThanItsLimit() throws {
        let ids = try (1...3).map { try add(chat, "m\($0)") }
        XCTAssertEqual(try OutboxStore(connection: db).holdChat(chat, known: [], limit: 2)?.map(\.id), Array(ids.prefix(2)))
        XCTAssertEqual(try OutboxStore(connection: db).settle(sent: [], now: Date(), release: [chat]), [chat])
        XCTAssertEqual(try OutboxStore(connection: db).holdChat(chat, known: [], limit: 0)?.map(\.id), [ids[0]], "at least one")
        XCTAssertEqual(try OutboxStore(connection: db).settle(sent: [], now: Date(), release: [chat]), [chat])
        XCTAssertEqual(try OutboxStore(connection: db).holdChat(chat, known: [], limit: .max)?.map(\.id), ids, "a huge limit is bounded, not an error")
    }

    func testSettleMarksOnlyUnsentRowsOnce() throws {
        let first = try add(chat, "one")
        let second = try add(chat, "two")
        let moment = Date(timeIntervalSince1970: 1_800_000_000)
        XCTAssertEqual(try OutboxStore(connection: db).settle(sent: [first], now: moment, release: []), [], "marks without letting a chat go")
        XCTAssertEqual(try OutboxStore(connection: db).settle(sent: [first, second], now: moment.addingTimeInterval(60), release: []), [])
        let rows = try db.query("SELECT id, sent_at, attempts FROM outbox ORDER BY id")
        XCTAssertEqual(try rows.map { try $0.get("attempts") as Int }, [1, 1], "a row already sent is not marked again")
        XCTAssertEqual(try rows[0].get("sent_at") as Date, moment, "its first mark stays")
        XCTAssertEqual(try rows[1].get("sent_at") as Date, moment.addingTimeInterval(60))
    }

    func testSettleFindsRowsCommittedByAnotherSessionWhileTheChatWasHeld() throws {
        let other = try database.connect()
        XCTAssertEqual(try OutboxStore(connection: db).holdChat(chat, known: []), [])
        XCTAssertEqual(try OutboxStore(connection: db).holdChat(group, known: []), [])
        let late = try add(chat, "while held", on: other)
        try add(group, "spinner", method: "answerCallbackQuery", on: other)
        XCTAssertNil(try OutboxStore(connection: other).holdChat(chat, known: []), "its committer finds the chat held and leaves the row")

        XCTAssertEqual(try OutboxStore(connection: db).settle(sent: [], now: Date(), release: [chat, group]), [chat],
                       "the holder looks again after letting go; a press answer is not a chat's message")
        XCTAssertEqual(try OutboxStore(connection: other).holdChat(chat, known: [])?.map(\.id), [late], "and the lock is free")
        XCTAssertEqual(try OutboxStore(connection: other).holdChat(group, known: []), [])
    }

    func testSettleAnswersForNegativeChatIdsAndManyChats() throws {
        let store = OutboxStore(connection: db)
        let chats: [Int64] = [group, chat, 7, -8]
        for id in chats { XCTAssertEqual(try store.holdChat(id, known: []), []) }
        for id in chats { try add(id, "left") }
        XCTAssertEqual(try store.settle(sent: [], now: Date(), release: chats), Set(chats))
    }

    func testSettleRefusesToRunInsideATransaction() throws {
        let id = try add(chat, "one")
        XCTAssertThrowsError(try db.transaction { try OutboxStore(connection: $0).settle(sent: [id], now: Date(), release: []) },
                             "its marks must commit before the unlock, which a transaction would defer")
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL")[0].get("n") as Int, 1)
    }

    /// The race the hold and the settle are built against: holder A marks its row and lets
    /// the chat go in one call while B tries the chat without pause. B takes the lock the
    /// moment A's unlock lands; were the marks committed after the unlock (one transaction),
    /// B would read A's row as unsent and send it again.
    func testTheNextHolderNeverReadsARowTheLastHolderMarked() throws {
        let rounds = 200
        let race = RaceRecord()
        let database = self.database!
        let chat = self.chat
        let trier = Thread {
            defer { race.finished.signal() }
            do {
                let connection = try database.connect()
                let store = OutboxStore(connection: connection)
                let deadline = Date().addingTimeInterval(120)
                while !race.stopped && Date() < deadline {
                    guard let rows = try store.holdChat(chat, known: []) else { continue }
                    race.held(rows.map(\.id))
                    _ = try store.settle(sent: [], now: Date(), release: [chat])
                }
            } catch {
                race.fail("\(error)")
            }
        }
        trier.start()
        defer { _ = race.stopAndJoin() }

        let store = OutboxStore(connection: db)
        for round in 1...rounds {
            let id = try add(chat, "round \(round)")
            var held: [OutboxMessage]?
            var tries = 0
            while held == nil && tries < 100_000 && race.failure == nil {
                held = try store.holdChat(chat, known: [])
                tries += 1
            }
            let rows = try XCTUnwrap(held, "the holder takes the chat back between the trier's holds")
            XCTAssertEqual(rows.map(\.id), [id], "every earlier row was marked, the trier marks nothing")
            race.marking(id)
            let holdsBefore = race.holds
            XCTAssertEqual(try store.settle(sent: [id], now: Date(), release: [chat]), [])
            // The trier's next hold follows this release: the one that could see the mark missing.
            var waits = 0
            while race.holds == holdsBefore && race.failure == nil && waits < 1_000_000 {
                usleep(20)
                waits += 1
            }
        }
        XCTAssertTrue(race.stopAndJoin(), "the trier ended")
        XCTAssertNil(race.failure)
        XCTAssertGreaterThanOrEqual(race.holds, rounds, "the trier held the chat after each release")
        XCTAssertEqual(race.seenMarked, [], "rows the last holder marked, read unsent by the next")
    }
}

/// What the trying thread saw, shared with the test's thread.
private final class RaceRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var marked: Set<Int64> = []
    private var heldCount = 0
    private var seen: [Int64] = []
    private var error: String?
    private var stopping = false
    private var joined = false
    let finished = DispatchSemaphore(value: 0)

    /// A row its holder is about to mark and let go.
    func marking(_ id: Int64) { lock.withLock { _ = marked.insert(id) } }

    func held(_ ids: [Int64]) {
        lock.withLock {
            heldCount += 1
            seen += ids.filter(marked.contains)
        }
    }

    func fail(_ reason: String) { lock.withLock { error = reason } }

    /// Stops the trier and waits for its end (once; later calls only say whether it ended).
    func stopAndJoin() -> Bool {
        lock.withLock { stopping = true }
        if lock.withLock({ joined }) { return true }
        let ended = finished.wait(timeout: .now() + 30) == .success
        lock.withLock { joined = ended }
        return ended
    }

    var holds: Int { lock.withLock { heldCount } }
    var seenMarked: [Int64] { lock.withLock { seen } }
    var failure: String? { lock.withLock { error } }
    var stopped: Bool { lock.withLock { stopping } }
}
