import Booking
import Config
import Conversation
import Foundation
import Postgres
import Queue
import Sandbox
import Store
import Telegram
import TestSupport
import Texts
import XCTest
import BotTestSupport

/// The first client flows end to end: the Sandbox as Telegram, real ingress and worker
/// processes, real Redis and PostgreSQL; the tests read what the user actually sees.
final class WorkerEndToEndTests: BotTestCase {
    // MARK: Tests

    func testANewUserGetsOnboardingWithWorkingButtonsAndTheMenuInRussianAndEnglish() throws {
        try startBot()
        for (id, name, language) in [(Int64(501), "Анна", Language.ru), (502, "Ann", .en)] {
            user(id, name, language: language.rawValue)
            let transcript = try say("/start", from: id, thenBotMessages: 2)
            let welcome = transcript.botMessages[0]
            XCTAssertEqual(welcome.text, text(.welcomeNew(name: name, rules: rules), language))
            XCTAssertEqual(welcome.inlineButtons.map(\.text), [Texts.label(.howItWorks, in: language), Texts.label(.bookNow, in: language)])
            XCTAssertEqual(transcript.botMessages[1].text, text(.mainMenu, language))
            XCTAssertEqual(transcript.replyKeyboard?.keyboard.flatMap { $0 }.map(\.text),
                           [Texts.label(.book, in: language), Texts.label(.myBookings, in: language), Texts.label(.about, in: language)])

            let howItWorks = try XCTUnwrap(welcome.inlineButtons.first?.callbackData)
            _ = try sandbox.pressButton(from: id, messageID: welcome.messageID, callbackData: howItWorks)
            let after = try waitForBot(id, messages: 3, answers: 1)
            XCTAssertEqual(after.botMessages[2].text, text(.howItWorks(rules: rules), language))
            XCTAssertEqual(after.callbackAnswers.count, 1, "every press is answered exactly once")
        }
        XCTAssertTrue(ChildProcess.eventually { Language.allCases.allSatisfy { self.sandbox.commands(languageCode: $0.rawValue) != nil }
            && self.sandbox.commands() != nil }, "the worker registers its command menu at start")
        for language in Language.allCases {
            XCTAssertEqual(sandbox.commands(languageCode: language.rawValue)?.map(\.command), Texts.commands(in: language).map(\.command))
            XCTAssertEqual(sandbox.commands(languageCode: language.rawValue)?.map(\.description), Texts.commands(in: language).map(\.description))
        }
        XCTAssertEqual(sandbox.commands()?.map(\.description), Texts.commands(in: .ru).map(\.description), "the default list is Russian")
    }

    func testAReturningUserHelpAboutCancelAndUnknownInput() throws {
        try startBot()
        user(601, "Boris", language: "en")
        try say("/start", from: 601, thenBotMessages: 2)
        var transcript = try say("/start", from: 601, thenBotMessages: 3)
        XCTAssertEqual(transcript.botMessages[2].text, text(.welcomeBack(name: "Boris", bookingCount: 0), .en))
        transcript = try say("/help", from: 601, thenBotMessages: 4)
        XCTAssertEqual(transcript.botMessages[3].text, text(.help, .en))
        transcript = try say(Texts.label(.about, in: .en), from: 601, thenBotMessages: 5)
        let about = try XCTUnwrap(transcript.botMessages[4].text)
        XCTAssertTrue(about.contains("Haircut") && about.contains("Main St 1") && about.contains("1500 ₽"), about)
        transcript = try say("/cancel", from: 601, thenBotMessages: 6)
        XCTAssertEqual(transcript.botMessages[5].text, text(.nothingToCancel, .en))
        transcript = try say("what is this", from: 601, thenBotMessages: 7)
        XCTAssertEqual(transcript.botMessages[6].text, text(.unknownInput, .en))
        XCTAssertEqual(try database.connect().query("SELECT count(*) AS n FROM users WHERE id = 601")[0].get("n") as Int, 1)
    }

    func testForgedAndOutOfDateButtonsAreAnsweredAndChangeNothing() throws {
        try startBot()
        user(701, "Vera", language: "en")
        try say("/start", from: 701, thenBotMessages: 2)
        // An old message of the bot's, with a 49-hour-old button and a forged one.
        let bot = TelegramClient(baseURL: sandbox.baseURL, token: token)
        let stale = CallbackEnvelope.encode(StartFlow.Action.howItWorks, issuedAt: Date().addingTimeInterval(-49 * 3600))
        let old = try bot.sendMessage(chatID: 701, text: "old", replyMarkup: .inlineKeyboard(InlineKeyboardMarkup([
            [.callback("stale", stale)], [.callback("forged", "1.zzzz.cc.1")], [.callback("garbage", "DROP TABLE users")],
        ])))
        _ = try sandbox.pressButton(from: 701, messageID: old.messageID, callbackData: stale)
        var transcript = try waitForBot(701, messages: 4, answers: 1)
        XCTAssertEqual(transcript.callbackAnswers.last?.text, Texts.alert(.staleButton, in: .en))
        XCTAssertEqual(transcript.botMessages[3].text, text(.staleButton, .en))
        for data in ["1.zzzz.cc.1", "DROP TABLE users"] {
            _ = try sandbox.pressButton(from: 701, messageID: old.messageID, callbackData: data)
        }
        transcript = try waitForBot(701, messages: 4, answers: 3)
        XCTAssertEqual(transcript.callbackAnswers.suffix(2).map(\.text), Array(repeating: Texts.alert(.invalidButton, in: .en), count: 2))
        XCTAssertEqual(transcript.botMessages.count, 4, "no new message for a forged button")
        XCTAssertEqual(try database.connect().query("SELECT count(*) AS n FROM bookings")[0].get("n") as Int, 0)
    }

    func testAReplayedUpdateChangesNothingAndIsNotAnsweredTwice() throws {
        try startBot()
        user(801, "Gleb", language: "en")
        let update = try sandbox.sendText("/help", from: 801)
        _ = try waitForBot(801, messages: 1)
        // The same update handed out again (as after a worker died between commit and ack).
        let queue = ChatQueue(redis: try TestServices.redisConnection(), prefix: prefix)
        try queue.enqueue(chat: 801, updateID: nil, payload: try JSONEncoder().encode(update), now: Date())
        _ = try sandbox.sendText("/cancel", from: 801)
        let transcript = try waitForBot(801, messages: 2)
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertEqual(sandbox.transcript(chatID: 801)?.botMessages.map(\.text), [text(.help, .en), text(.nothingToCancel, .en)],
                       "\(transcript.botMessages.map(\.text))")
        XCTAssertEqual(try database.connect().query("SELECT count(*) AS n FROM processed_updates")[0].get("n") as Int, 2)
    }

    func testSIGTERMStopsTheWorkerCleanlyAndASecondWorkerCarriesOn() throws {
        try startBot()
        user(901, "Dana", language: "en")
        try say("/help", from: 901, thenBotMessages: 1)
        let worker = workers[0]
        worker.signal(SIGTERM)
        let result = worker.wait()
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("worker stopped"), result.stdout)
        // Scaling is adding processes: a new worker picks the chat up.
        try startWorker(try environment.merging(["RATE_LIMIT_MESSAGE": "0", "LOG_LEVEL": "info"]) { $1 }, concurrency: 1)
        let transcript = try say("/cancel", from: 901, thenBotMessages: 2)
        XCTAssertEqual(transcript.botMessages[1].text, text(.nothingToCancel, .en))
    }

    /// The flood guard measures when ingress received each message, not when a worker got
    /// to it: after a backlog, messages a person sent seconds apart are all answered.
    func testMessagesSentApartAreAnsweredAfterABacklogThoughHandledBackToBack() throws {
        try startBot(["RATE_LIMIT_MESSAGE": "1", "RATE_LIMIT_CALLBACK": "1"], workers: 0)
        user(961, "Gleb", language: "en")
        _ = try sandbox.sendText("/help", from: 961)
        let queued = { (try? TestServices.redisConnection().command("HGET", "{\(self.prefix)}:stats", "depth").int) ?? 0 }
        XCTAssertTrue(ChildProcess.eventually { queued() == 1 }, "ingress queued the first")
        Thread.sleep(forTimeInterval: 1.3)
        _ = try sandbox.sendText("/cancel", from: 961)
        XCTAssertTrue(ChildProcess.eventually { queued() == 2 }, "ingress queued the second")
        try startWorker(try environment.merging(["RATE_LIMIT_MESSAGE": "1", "RATE_LIMIT_CALLBACK": "1"]) { $1 }, concurrency: 1)
        let transcript = try waitForBot(961, messages: 2)
        XCTAssertEqual(transcript.botMessages.map(\.text), [text(.help, .en), text(.nothingToCancel, .en)])
    }

    func testABurstFromOneUserIsAnsweredOnceAndTheExcessGetsOnePleaseWait() throws {
        // Windows long enough that the whole burst falls inside the first one on any machine.
        try startBot(["RATE_LIMIT_MESSAGE": "60", "RATE_LIMIT_CALLBACK": "60"])
        user(951, "Eva", language: "en")
        for _ in 0..<20 { _ = try sandbox.sendText("/help", from: 951) }
        _ = try waitForBot(951, messages: 2)
        // The dropped ones send nothing, so wait on their records.
        let processed = { (try? self.count("SELECT count(*) AS n FROM processed_updates")) ?? 0 }
        XCTAssertTrue(ChildProcess.eventually(timeout: 20) { processed() == 20 }, "the excess is dropped deliberately, not lost: \(processed()) of 20")
        XCTAssertEqual(sandbox.transcript(chatID: 951)?.botMessages.map(\.text), [text(.help, .en), text(.pleaseWait, .en)])
    }
}

/// A handler that fails: its transaction rolls back, the error reaches the errors list
/// for Sentry, and the update is tried again.
final class WorkerErrorEndToEndTests: BotTestCase {
    func testAFailingUpdateIsReportedRolledBackAndRetried() throws {
        let db = try database.connect()
        // Saving this chat's conversation fails until the trigger is dropped.
        for statement in [
            "CREATE FUNCTION fail_for_test() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$",
            "CREATE TRIGGER fail_for_test BEFORE INSERT OR UPDATE ON conversations FOR EACH ROW WHEN (NEW.chat_id = 1901) EXECUTE FUNCTION fail_for_test()",
        ] { try db.query(statement) }
        try startBot(["SENTRY_ENVIRONMENT": "staging"])
        user(1901, "Rita", language: "en")
        // The user's text carries the bot's token, a DSN and words of their own: none of it
        // may reach Sentry.
        let note = "my private note \(token) https://pub:secret@sentry.example/1"
        _ = try sandbox.sendText(note, from: 1901)
        let redis = try TestServices.redisConnection()
        let key = "{\(prefix)}:errors"
        XCTAssertTrue(ChildProcess.eventually(timeout: 15) { ((try? redis.command("LLEN", key).int) ?? 0) >= 1 }, logs)
        let raw = try XCTUnwrap(redis.command("LINDEX", key, "-1").string)
        let event = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any])
        let tags = try XCTUnwrap(event["tags"] as? [String: String])
        XCTAssertEqual(tags["process"], "worker")
        XCTAssertEqual(tags["update_type"], "message")
        XCTAssertNotNil(tags["worker"])
        XCTAssertEqual(event["environment"] as? String, "staging")
        let crumbs = (event["breadcrumbs"] as? [String: Any])?["values"] as? [[String: Any]] ?? event["breadcrumbs"] as? [[String: Any]] ?? []
        XCTAssertTrue(crumbs.contains { ($0["message"] as? String ?? "").hasPrefix("update message") }, "the update's trail: \(crumbs)")
        let exception = try XCTUnwrap(((event["exception"] as? [String: Any])?["values"] as? [[String: Any]])?.first)
        XCTAssertTrue((exception["type"] as? String ?? "").contains("PostgresError"), "\(exception)")
        let functions = ((exception["stacktrace"] as? [String: Any])?["frames"] as? [[String: Any]] ?? []).compactMap { $0["function"] as? String }
        // Exported (public) Swift functions are named; closures and internal ones stay offsets.
        XCTAssertTrue(functions.contains { $0.contains("QueueConsumer.run") }, "frames name the worker's functions: \(functions)")
        for secret in [token, "pub:secret", "private note"] {
            XCTAssertFalse(raw.contains(secret), "\(secret) in the event: \(raw)")
        }
        XCTAssertEqual(try count("SELECT count(*) AS n FROM processed_updates"), 0, "the failed attempt rolled back")
        XCTAssertNil(sandbox.transcript(chatID: 1901)?.botMessages.first, "nothing sent for a rolled-back attempt")
        // Mended: the retry goes through, once.
        try db.query("DROP TRIGGER fail_for_test ON conversations")
        let transcript = try waitForBot(1901, messages: 1, timeout: 20)
        XCTAssertEqual(transcript.botMessages.map(\.text), [text(.unknownInput, .en)])
        XCTAssertEqual(try count("SELECT count(*) AS n FROM processed_updates"), 1)
    }

    func testSampledUpdatesLeaveATraceWithTheirSteps() throws {
        try startBot(["SENTRY_DSN": "http://0123456789abcdef0123456789abcdef@127.0.0.1:9/1", "SENTRY_TRACES_SAMPLE_RATE": "1"])
        user(1951, "Tara", language: "en")
        try say("/help", from: 1951, thenBotMessages: 1)
        let redis = try TestServices.redisConnection()
        var trace: [String: Any]?
        var asked = Date()
        XCTAssertTrue(ChildProcess.eventually(timeout: 20) {
            // Another update now and then: a push that met a busy Redis is dropped, by design.
            if Date().timeIntervalSince(asked) > 3 {
                _ = try? self.sandbox.sendText("/help", from: 1951)
                asked = Date()
            }
            let items = (try? redis.command("LRANGE", "{\(self.prefix)}:errors", "0", "-1").array?.compactMap(\.data)) ?? []
            trace = items.compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }.first { $0["type"] as? String == "transaction" }
            return trace != nil
        }, logs)
        let spans = (trace?["spans"] as? [[String: Any]] ?? []).compactMap { $0["op"] as? String }
        // Sending is not the update's: the process's sender does it after the hand-over.
        XCTAssertEqual(spans, ["queue.wait", "db.transaction"])
        XCTAssertEqual(trace?["transaction"] as? String, "update message")
        XCTAssertEqual((trace?["tags"] as? [String: String])?["process"], "worker")
    }
}
