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

/// The first client flows end to end: the Sandbox as Telegram, real ingress and worker
/// processes, real Redis and PostgreSQL; the tests read what the user actually sees.
final class WorkerEndToEndTests: XCTestCase {
    private var sandbox: SandboxServer!
    private var database: ScratchDatabase!
    private var prefix = ""
    private var processes: [ChildProcess] = []
    private let token = "123456:sandbox-token-for-worker-tests"
    /// The rules the worker runs with (the configuration's defaults), to render expected texts.
    private let rules = ClientRules(BookingRules(defaults: try! AppConfig.load(from: EnvironmentReader(["DATABASE_URL": "postgresql://x:y@h/d"])).rules))

    override func setUpWithError() throws {
        prefix = "e2e-\(UUID().uuidString.prefix(8))"
        database = try TestServices.freshDatabase()
        let db = try database.connect()
        try Migrator(connection: db).migrate(Migration.bundled())
        _ = try ServiceStore(connection: db).create(name: "Haircut", durationMinutes: 60, description: "Wash and cut", priceText: "1500 ₽")
        sandbox = SandboxServer(options: SandboxOptions(token: token))
        try sandbox.start()
    }

    /// Starts ingress and a worker. The flood guard is off unless a test sets its windows:
    /// the tests type faster than any person.
    private func startBot(_ extra: [String: String] = ["RATE_LIMIT_MESSAGE": "0", "RATE_LIMIT_CALLBACK": "0"]) throws {
        let environment = [
            "DATABASE_URL": database.url, "REDIS_URL": try TestServices.variable("REDIS_URL"), "REDIS_PREFIX": prefix,
            "BOT_TOKEN": token, "TELEGRAM_API_URL": sandbox.baseURL, "SERVICE_LOCATION": "Main St 1", "PATH": "/usr/bin:/bin",
        ].merging(extra) { _, new in new }
        let binary = productsDirectory.appendingPathComponent("bookingbot").path
        processes.append(try ChildProcess(binary, ["ingress", "--polling", "--port", "\(unusedLoopbackPort())", "--leader-ttl", "3"],
                                          environment: environment, currentDirectory: FileManager.default.temporaryDirectory))
        processes.append(try ChildProcess(binary, ["worker", "--concurrency", "2"],
                                          environment: environment, currentDirectory: FileManager.default.temporaryDirectory))
    }

    override func tearDown() {
        processes.forEach { $0.signal(SIGKILL) }
        processes = []
        sandbox?.stop()
        database?.drop()
    }

    // MARK: Helpers

    private func user(_ id: Int64, _ name: String, language: String) {
        sandbox.register(User(id: id, firstName: name, languageCode: language))
    }

    /// Sends and waits until the bot has said `count` messages in all to this user.
    @discardableResult
    private func say(_ text: String, from user: Int64, thenBotMessages count: Int) throws -> ChatTranscript {
        _ = try sandbox.sendText(text, from: user)
        return try waitForBot(user, messages: count)
    }

    private func waitForBot(_ user: Int64, messages count: Int, answers: Int = 0) throws -> ChatTranscript {
        let transcript = sandbox.waitForTranscript(chatID: user, timeout: 15) {
            $0.botMessages.count >= count && $0.callbackAnswers.count >= answers
        }
        return try XCTUnwrap(transcript, "the bot did not answer: \(processes.map { $0.stdout + $0.stderr }.joined())")
    }

    private func text(_ message: Texts.Message, _ language: Language) -> String { Texts.text(message, in: language) }

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
        let stale = CallbackData.encode(.howItWorks, issuedAt: Date().addingTimeInterval(-49 * 3600))
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
        let worker = processes[1]
        worker.signal(SIGTERM)
        let result = worker.wait()
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("worker stopped"), result.stdout)
        // Scaling is adding processes: a new worker picks the chat up.
        let environment = [
            "DATABASE_URL": database.url, "REDIS_URL": try TestServices.variable("REDIS_URL"), "REDIS_PREFIX": prefix,
            "BOT_TOKEN": token, "TELEGRAM_API_URL": sandbox.baseURL, "PATH": "/usr/bin:/bin", "RATE_LIMIT_MESSAGE": "0",
        ]
        processes.append(try ChildProcess(productsDirectory.appendingPathComponent("bookingbot").path, ["worker"],
                                          environment: environment, currentDirectory: FileManager.default.temporaryDirectory))
        let transcript = try say("/cancel", from: 901, thenBotMessages: 2)
        XCTAssertEqual(transcript.botMessages[1].text, text(.nothingToCancel, .en))
    }

    func testABurstFromOneUserIsAnsweredOnceAndTheExcessGetsOnePleaseWait() throws {
        // Windows long enough that the whole burst falls inside the first one on any machine.
        try startBot(["RATE_LIMIT_MESSAGE": "5", "RATE_LIMIT_CALLBACK": "5"])
        user(951, "Eva", language: "en")
        for _ in 0..<20 { _ = try sandbox.sendText("/help", from: 951) }
        _ = try waitForBot(951, messages: 2)
        Thread.sleep(forTimeInterval: 1)
        XCTAssertEqual(sandbox.transcript(chatID: 951)?.botMessages.map(\.text), [text(.help, .en), text(.pleaseWait, .en)])
        XCTAssertEqual(try database.connect().query("SELECT count(*) AS n FROM processed_updates")[0].get("n") as Int, 20,
                       "the excess is dropped deliberately, not lost")
    }
}
