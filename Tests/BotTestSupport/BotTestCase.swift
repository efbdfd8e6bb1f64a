import Booking
import Composition
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

/// The bot as it runs: the Sandbox as Telegram, real ingress and worker processes, real
/// Redis and PostgreSQL. Tests talk to it as users and read what the users see.
open class BotTestCase: XCTestCase {
    public var sandbox: SandboxServer!
    public var database: ScratchDatabase!
    /// The Sandbox, the database and how the processes start (DevSupport, shared with the bench).
    public var bot: SandboxedBot!
    public var prefix = ""
    public var processes: [ChildProcess] = []
    public var workers: [ChildProcess] = []
    public var reminders: [ChildProcess] = []
    /// The moved clock every process of the test reads (`BOOKINGBOT_TEST_CLOCK_FILE`).
    public var clockFile = ""
    /// Where the last ingress `startBot` started serves `/metrics` and `/healthz`.
    public var ingressPort = 0
    public let token = "123456:sandbox-token-for-worker-tests"
    /// The service every test can book.
    public var haircut: Int64 = 0
    /// The rules the worker runs with (the configuration's defaults), to render expected texts.
    public let defaults = BookingRules(defaults: try! AppConfig.load(from: EnvironmentReader(["DATABASE_URL": "postgresql://x:y@h/d"])).rules)
    public var rules: ClientRules { ClientRules(defaults) }
    public var clock: BusinessClock { defaults.clock }

    /// The Sandbox a test class runs against (a round trip, Telegram's limits…).
    open var sandboxOptions: SandboxOptions { SandboxOptions() }

    open override func setUpWithError() throws {
        prefix = "e2e-\(UUID().uuidString.prefix(8))"
        clockFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-clock").path
        bot = try SandboxedBot(binary: binary, database: TestServices.freshDatabase(), redisURL: TestServices.variable("REDIS_URL"),
                               redisPrefix: prefix, token: token, sandboxOptions: sandboxOptions) { db in
            try Migrator(connection: db).migrate(Migration.bundled())
            haircut = try ServiceStore(connection: db).create(name: "Haircut", durationMinutes: 60, description: "Wash and cut",
                                                              priceText: "1500 ₽").id
        }
        database = bot.database
        sandbox = bot.sandbox
    }

    open override func tearDown() {
        (processes + workers + reminders).forEach { $0.signal(SIGKILL) }
        processes = []
        workers = []
        reminders = []
        try? FileManager.default.removeItem(atPath: clockFile)
        sandbox?.stop()
        database?.drop()
    }

    public var environment: [String: String] {
        get throws {
            // `database`: a test may move the bot to another one.
            // Tests type faster than people: one chat's budget is lifted unless a test sets it.
            bot.environment.merging(["DATABASE_URL": database.url, "SERVICE_LOCATION": "Main St 1",
                                     "BOOKINGBOT_TEST_CLOCK_FILE": clockFile, "TELEGRAM_CHAT_SEND_RATE": "100"]) { $1 }
        }
    }

    /// Starts ingress and `workers` worker processes. The flood guard is off unless a
    /// test sets its windows: the tests type faster than any person.
    public func startBot(_ extra: [String: String] = [:], workers count: Int = 1, concurrency: Int = 2) throws {
        let environment = try environment.merging(["RATE_LIMIT_MESSAGE": "0", "RATE_LIMIT_CALLBACK": "0"]) { $1 }
            .merging(extra) { $1 }
        ingressPort = unusedLoopbackPort()
        processes.append(try bot.startIngress(port: ingressPort, arguments: ["--leader-ttl", "3"], environment: environment,
                                              currentDirectory: FileManager.default.temporaryDirectory))
        for _ in 0..<count { try startWorker(environment, concurrency: concurrency) }
    }

    public func startWorker(_ environment: [String: String], concurrency: Int = 2, lease: Double = 30) throws {
        workers.append(try bot.startWorker(concurrency: concurrency, arguments: ["--lease", "\(lease)"], environment: environment,
                                           currentDirectory: FileManager.default.temporaryDirectory))
    }

    /// Starts a reminders process (quick rounds, so tests need not wait).
    @discardableResult
    public func startReminders(_ extra: [String: String] = [:]) throws -> ChildProcess {
        let process = try ChildProcess(binary, ["reminders", "--tick", "0.2"], environment: try environment.merging(extra) { $1 },
                                       currentDirectory: FileManager.default.temporaryDirectory)
        reminders.append(process)
        return process
    }

    /// Moves every process's clock so that it reads `moment` now.
    public func setClock(to moment: Date) throws {
        try String(moment.timeIntervalSinceNow).write(toFile: clockFile, atomically: true, encoding: .utf8)
    }

    /// The moved clock's now.
    public var now: Date {
        let offset = (try? String(contentsOfFile: clockFile, encoding: .utf8)).flatMap { Double($0) } ?? 0
        return Date().addingTimeInterval(offset)
    }

    public var binary: String { productsDirectory.appendingPathComponent("bookingbot").path }

    public var logs: String { (processes + workers + reminders).map { $0.stdout + $0.stderr }.joined() }

    // MARK: Talking

    public func user(_ id: Int64, _ name: String, language: String) {
        sandbox.register(User(id: id, firstName: name, languageCode: language))
    }

    /// Sends and waits until the bot has said `count` messages in all to this user.
    @discardableResult
    public func say(_ text: String, from user: Int64, thenBotMessages count: Int) throws -> ChatTranscript {
        _ = try sandbox.sendText(text, from: user)
        return try waitForBot(user, messages: count)
    }

    public func waitForBot(_ user: Int64, messages count: Int, answers: Int = 0, timeout: TimeInterval = 15) throws -> ChatTranscript {
        try waitFor(user, timeout: timeout) { $0.botMessages.count >= count && $0.callbackAnswers.count >= answers }
    }

    public func waitFor(_ user: Int64, timeout: TimeInterval = 15, file: StaticString = #filePath, line: UInt = #line,
                 until condition: (ChatTranscript) -> Bool) throws -> ChatTranscript {
        let transcript = sandbox.waitForTranscript(chatID: user, timeout: timeout, until: condition)
        return try XCTUnwrap(transcript, "the bot did not answer as expected: \(sandbox.transcript(chatID: user)?.botMessages.suffix(3).map { $0.text ?? "" } ?? [])\n\(logs)",
                             file: file, line: line)
    }

    /// Presses a button now under one of the bot's messages (the latest that has it) and
    /// waits for the press's whole reply (`waitForAnswer`).
    @discardableResult
    public func tap(_ button: InlineKeyboardButton, of user: Int64, file: StaticString = #filePath, line: UInt = #line) throws -> ChatTranscript {
        let transcript = try XCTUnwrap(sandbox.transcript(chatID: user), file: file, line: line)
        let message = try XCTUnwrap(transcript.botMessages.last { $0.inlineButtons.contains(button) },
                                    "no message shows \(button.text)", file: file, line: line)
        let answered = transcript.callbackAnswers.count
        _ = try sandbox.pressButton(from: user, messageID: message.messageID, callbackData: try XCTUnwrap(button.callbackData))
        return try waitForAnswer(user, after: answered, file: file, line: line)
    }

    /// Waits for a press to be answered (the user had `answered` answers before it) and
    /// for the rest of its reply: the answer goes out first, at once, and the new screen
    /// follows, so the reply is whole when nothing the chat was sent waits unsent.
    public func waitForAnswer(_ user: Int64, after answered: Int, timeout: TimeInterval = 15, file: StaticString = #filePath,
                              line: UInt = #line) throws -> ChatTranscript {
        _ = try waitFor(user, timeout: timeout, file: file, line: line) { $0.callbackAnswers.count > answered }
        try waitUntilSent(user, timeout: timeout, file: file, line: line)
        return try XCTUnwrap(sandbox.transcript(chatID: user), file: file, line: line)
    }

    /// Waits until nothing committed for the chat waits unsent in the outbox.
    public func waitUntilSent(_ chat: Int64, timeout: TimeInterval = 15, file: StaticString = #filePath, line: UInt = #line) throws {
        let db = try database.connect()
        let deadline = Date().addingTimeInterval(timeout)
        while try db.query("SELECT count(*) AS n FROM outbox WHERE chat_id = $1 AND sent_at IS NULL AND failed_at IS NULL",
                           [.int(chat)])[0].get("n") as Int > 0 {
            guard Date() < deadline else { return XCTFail("chat \(chat) still has unsent replies after \(Int(timeout)) s", file: file, line: line) }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    /// Presses the button with this label.
    @discardableResult
    public func tap(_ label: String, of user: Int64, file: StaticString = #filePath, line: UInt = #line) throws -> ChatTranscript {
        try tap(button(label, of: user, file: file, line: line), of: user, file: file, line: line)
    }

    public func button(_ label: String, of user: Int64, file: StaticString = #filePath, line: UInt = #line) throws -> InlineKeyboardButton {
        let messages = sandbox.transcript(chatID: user)?.botMessages ?? []
        return try XCTUnwrap(messages.reversed().lazy.flatMap(\.inlineButtons).first { $0.text == label },
                             "no button \(label) in \(messages.last?.inlineButtons.map(\.text) ?? [])", file: file, line: line)
    }

    /// The booking flow's action a button carries.
    public func action(_ button: InlineKeyboardButton) -> BookingFlow.Action? {
        button.callbackData.flatMap { CallbackEnvelope.decode($0, as: BookingFlow.Action.self, now: now) }
    }

    /// The move flow's action a button carries.
    public func moveAction(_ button: InlineKeyboardButton) -> MoveFlow.Action? {
        button.callbackData.flatMap { CallbackEnvelope.decode($0, as: MoveFlow.Action.self, now: now) }
    }

    /// The latest bot message's text.
    public func lastText(_ user: Int64) -> String? { sandbox.transcript(chatID: user)?.botMessages.last?.text }

    public func text(_ message: Texts.Message, _ language: Language) -> String { Texts.text(message, in: language) }

    public func label(_ button: Texts.Button, _ language: Language) -> String { Texts.label(button, in: language) }

    // MARK: The calendar

    /// A 🟢/🟡 day on the calendar now shown, at least `daysAhead` days from today (past
    /// the cut-offs), going to the next month when this one has none; its date too.
    public func bookableDay(of user: Int64, language: Language, daysAhead: Int = 3, skipping: Set<Int> = []) throws -> (InlineKeyboardButton, LocalDate) {
        let earliest = clock.localDate(of: now).dayNumber + daysAhead
        for _ in 0..<3 {
            let buttons = try XCTUnwrap(sandbox.transcript(chatID: user)?.botMessages.last?.inlineButtons)
            for button in buttons where button.text.hasPrefix("🟢") || button.text.hasPrefix("🟡") {
                let day: Int
                if case .day(_, let number)? = action(button) {
                    day = number
                } else if case .day(_, let number)? = moveAction(button) {
                    day = number
                } else {
                    continue
                }
                if day >= earliest && !skipping.contains(day) { return (button, LocalDate(dayNumber: day)) }
            }
            try tap(label(.nextMonth, language), of: user)
        }
        throw HarnessError("no bookable day in three months")
    }

    /// The start a time button stands for.
    public func start(of button: InlineKeyboardButton) throws -> Date {
        switch (action(button), moveAction(button)) {
        case (.slot(_, let minutes)?, _), (.confirm(_, let minutes)?, _), (_, .slot(_, let minutes)?), (_, .confirm(_, let minutes)?):
            return Date(timeIntervalSince1970: Double(minutes) * 60)
        default:
            throw HarnessError("not a time button: \(button.text)")
        }
    }

    /// Walks a user from the service list to the confirmation screen of the first free
    /// time of a bookable day; returns the start and the Confirm button.
    public func openConfirmation(_ user: Int64, _ language: Language, daysAhead: Int = 3, skipping: Set<Int> = [],
                                  time index: Int = 0) throws -> (start: Date, confirm: InlineKeyboardButton) {
        try tap(label(.service(name: "Haircut", durationMinutes: 60, price: "1500 ₽"), language), of: user)
        let (day, date) = try bookableDay(of: user, language: language, daysAhead: daysAhead, skipping: skipping)
        try tap(day, of: user)
        let times = timeButtons(of: user)
        XCTAssertEqual(lastText(user), text(.daySlots(service: "Haircut", durationMinutes: 60, date: date, freeCount: times.count), language))
        let slot = times[min(index, times.count - 1)]
        let start = try start(of: slot)
        try tap(slot, of: user)
        XCTAssertEqual(lastText(user), text(.confirmBooking(service: "Haircut", start: LocalDateTime(start, clock: clock),
                                                            durationMinutes: 60, price: "1500 ₽"), language))
        return (start, try button(label(.confirm, language), of: user))
    }

    /// The time buttons of the latest screen.
    public func timeButtons(of user: Int64) -> [InlineKeyboardButton] {
        (sandbox.transcript(chatID: user)?.botMessages.last?.inlineButtons ?? []).filter {
            if case .slot? = action($0) { return true }
            if case .slot? = moveAction($0) { return true }
            return false
        }
    }

    public func summary(start: Date, price: String = "1500 ₽") -> BookingSummary {
        BookingSummary(service: "Haircut", start: LocalDateTime(start, clock: clock), durationMinutes: 60, price: price)
    }

    // MARK: The database

    public func count(_ sql: String, _ parameters: [PostgresValue] = []) throws -> Int {
        try database.connect().query(sql, parameters)[0].get("n")
    }
}

public struct HarnessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
