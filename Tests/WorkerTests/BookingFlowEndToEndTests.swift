import Booking
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

/// Issue 5's acceptance: the booking, My bookings, cancel and move flows as users go
/// through them, in Russian and English, against real processes and servers.
final class BookingFlowEndToEndTests: BotTestCase {
    private let admin: Int64 = 1000

    private func reminders(for start: Date) -> [Int] {
        defaults.reminderDueTimes(start: start, now: Date()).map(\.offsetMinutes)
    }

    /// A booking made straight in the store (the user's history before the test).
    @discardableResult
    private func existingBooking(of user: Int64, daysAhead: Int, hour: Int) throws -> (id: Int64, start: Date) {
        let db = try database.connect()
        let date = clock.localDate(of: Date()).adding(days: daysAhead)
        let start = try XCTUnwrap(clock.instant(of: date, minute: hour * 60))
        return try db.transaction { tx in
            try ClientStore(connection: tx).register(id: user, firstName: "U\(user)", now: Date())
            let booking = try XCTUnwrap(BookingStore(connection: tx, defaults: defaults)
                .create(client: user, service: haircut, start: start, by: .client(user), now: Date()).value)
            return (booking.id, start)
        }
    }

    // MARK: 1. The whole journey

    func testANewUserBooksMovesAndCancelsAndTheAdminIsToldOfEach() throws {
        // This journey taps faster than people do: its replies take most of the default
        // budget (30 a second), whose reserve for replies then holds the admin's notices
        // back until they are merged (SPEC admin 14, NoticeBatchTests). Here each notice is
        // checked on its own, so the budget is out of the way.
        try startBot(["ADMIN_IDS": "\(admin)", "TELEGRAM_SEND_RATE": "1000"])
        user(admin, "Boss", language: "en")
        try say("/start", from: admin, thenBotMessages: 2)
        var notices: [String] = []
        for (id, name, language) in [(Int64(1101), "Анна", Language.ru), (1102, "Ann", .en)] {
            user(id, name, language: language.rawValue)
            try say("/start", from: id, thenBotMessages: 2)
            try tap(label(.howItWorks, language), of: id)
            XCTAssertEqual(lastText(id), text(.howItWorks(rules: rules), language))
            try tap(label(.bookNow, language), of: id)
            XCTAssertEqual(lastText(id), text(.chooseService(activeBookings: 0, limit: 3), language))
            XCTAssertEqual(sandbox.transcript(chatID: id)?.botMessages.first?.text, text(.welcomeNew(name: name, rules: rules), language),
                           "the welcome stays; the flow opens below it")

            let (start, confirm) = try openConfirmation(id, language)
            try tap(confirm, of: id)
            XCTAssertEqual(lastText(id), text(.booked(booking: summary(start: start), address: "Main St 1",
                                                      reminderOffsetsMinutes: reminders(for: start)), language))
            XCTAssertEqual(sandbox.transcript(chatID: id)?.callbackAnswers.last?.text, Texts.alert(.booked, in: language))

            var shown = try say(label(.myBookings, language), from: id, thenBotMessages: 5)
            XCTAssertEqual(shown.botMessages.last?.text,
                           text(.myBookings(bookings: [summary(start: start)], today: clock.localDate(of: Date()), pastVisits: 0), language))

            // Move to another day.
            try tap(label(.moveBookingAt(LocalDateTime(start, clock: clock)), language), of: id)
            XCTAssertEqual(lastText(id), text(.moveCalendar(booking: summary(start: start), month: clock.localDate(of: Date())), language))
            let (day, _) = try bookableDay(of: id, language: language, skipping: [clock.localDate(of: start).dayNumber])
            try tap(day, of: id)
            let newStart = try self.start(of: timeButtons(of: id)[1])
            try tap(timeButtons(of: id)[1], of: id)
            XCTAssertEqual(lastText(id), text(.confirmMove(booking: summary(start: start), newStart: LocalDateTime(newStart, clock: clock)), language))
            try tap(label(.confirm, language), of: id)
            let (from, to) = (LocalDateTime(start, clock: clock), LocalDateTime(newStart, clock: clock))
            XCTAssertEqual(lastText(id), text(.moved(service: "Haircut", from: from, to: to, reminderOffsetsMinutes: reminders(for: newStart)), language))

            // Cancel it.
            shown = try say("/my", from: id, thenBotMessages: 6)
            XCTAssertEqual(shown.botMessages.last?.text,
                           text(.myBookings(bookings: [summary(start: newStart)], today: clock.localDate(of: Date()), pastVisits: 0), language))
            try tap(label(.cancelBookingAt(to), language), of: id)
            XCTAssertEqual(lastText(id), text(.cancelQuestion(booking: summary(start: newStart)), language))
            try tap(label(.yesCancel, language), of: id)
            XCTAssertEqual(lastText(id), text(.cancelled(booking: summary(start: newStart)), language))

            let client = ClientInfo(id: id, name: name)
            notices += [text(.adminNewBooking(client: client, booking: summary(start: start)), .en),
                        text(.adminMoved(client: client, service: "Haircut", from: from, to: to), .en),
                        text(.adminCancelled(client: client, booking: summary(start: newStart), reason: ""), .en)]
            let answered = try XCTUnwrap(sandbox.transcript(chatID: id)).callbackAnswers.map(\.callbackQueryID)
            XCTAssertEqual(Set(answered).count, answered.count, "no press answered twice")
        }
        let adminChat = try waitFor(admin) { $0.botMessages.count >= 2 + notices.count }
        XCTAssertEqual(adminChat.botMessages.dropFirst(2).map(\.text), notices)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM bookings WHERE status = 'cancelled'"), 2)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM booking_history"), 6, "created, moved, cancelled for each")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM reminders WHERE withdrawn_at IS NULL"), 0)
    }

    // MARK: 2. A race for one slot

    func testTwoUsersConfirmingTheSameSlotAtOnceGetOneBookingAndAFreshChoice() throws {
        try startBot(workers: 2, concurrency: 1)
        let (first, second): (Int64, Int64) = (1201, 1202)
        var confirms: [InlineKeyboardButton] = []
        var start = Date()
        for id in [first, second] {
            user(id, "User \(id)", language: "en")
            try say("/book", from: id, thenBotMessages: 1)
            // The second on the first one's day, even when midnight falls in between.
            let daysAhead = confirms.isEmpty ? 3 : clock.localDate(of: start).dayNumber - clock.localDate(of: Date()).dayNumber
            let opened = try openConfirmation(id, .en, daysAhead: daysAhead)
            confirms.append(opened.confirm)
            start = opened.start
        }
        XCTAssertEqual(try self.start(of: confirms[0]), try self.start(of: confirms[1]), "both chose the same time")
        let messages = try [first, second].map { id in
            try XCTUnwrap(sandbox.transcript(chatID: id)?.botMessages.last?.messageID)
        }
        let answered = [first, second].map { sandbox.transcript(chatID: $0)?.callbackAnswers.count ?? 0 }
        // Both press at the same moment.
        _ = try sandbox.pressButton(from: first, messageID: messages[0], callbackData: try XCTUnwrap(confirms[0].callbackData))
        _ = try sandbox.pressButton(from: second, messageID: messages[1], callbackData: try XCTUnwrap(confirms[1].callbackData))
        let screens = try zip([first, second], answered).map { id, before in
            try waitForAnswer(id, after: before).botMessages.last?.text ?? ""
        }
        let booked = text(.booked(booking: summary(start: start), address: "Main St 1", reminderOffsetsMinutes: reminders(for: start)), .en)
        XCTAssertEqual(screens.filter { $0 == booked }.count, 1, "\(screens)")
        let loser = screens[0] == booked ? second : first
        let date = clock.localDate(of: start)
        let fresh = timeButtons(of: loser)
        XCTAssertEqual(lastText(loser), text(.slotTaken(date: date, freeCount: fresh.count), .en))
        XCTAssertEqual(sandbox.transcript(chatID: loser)?.callbackAnswers.last?.text, Texts.alert(.slotTaken, in: .en))
        XCTAssertFalse(try fresh.map { try self.start(of: $0) }.contains(start), "the taken time is not offered again")
        // The loser books another time straight from the fresh list.
        let other = try self.start(of: fresh[0])
        try tap(fresh[0], of: loser)
        try tap(label(.confirm, .en), of: loser)
        XCTAssertEqual(lastText(loser), text(.booked(booking: summary(start: other), address: "Main St 1",
                                                     reminderOffsetsMinutes: reminders(for: other)), .en))
        XCTAssertEqual(try count("SELECT count(*) AS n FROM bookings WHERE status = 'confirmed'"), 2)
    }

    // MARK: 3. The limit

    func testTheFourthBookingIsRefusedWithTheLimitAndAWayToMyBookings() throws {
        try startBot()
        let id: Int64 = 1301
        try existingBooking(of: id, daysAhead: 5, hour: 10)
        try existingBooking(of: id, daysAhead: 5, hour: 11)
        user(id, "Lena", language: "ru")
        // Two flows opened while there is room for one more.
        try say("/book", from: id, thenBotMessages: 1)
        XCTAssertEqual(lastText(id), text(.chooseService(activeBookings: 2, limit: 3), .ru))
        let third = try openConfirmation(id, .ru, daysAhead: 6)
        try say("/book", from: id, thenBotMessages: 2)
        let fourth = try openConfirmation(id, .ru, daysAhead: 6, time: 2)
        try tap(third.confirm, of: id)
        XCTAssertEqual(sandbox.transcript(chatID: id)?.callbackAnswers.last?.text, Texts.alert(.booked, in: .ru))
        // The server checks again at confirm: the other screen's button is refused.
        try tap(fourth.confirm, of: id)
        XCTAssertEqual(lastText(id), text(.limitReached(activeBookings: 3, limit: 3), .ru))
        XCTAssertEqual(sandbox.transcript(chatID: id)?.callbackAnswers.last?.text, Texts.alert(.limitReached(limit: 3), in: .ru))
        try tap(label(.myBookings, .ru), of: id)
        let all = try database.connect().query("SELECT lower(during) AS s FROM bookings WHERE user_id = 1301 ORDER BY 1").map { try $0.get("s") as Date }
        XCTAssertEqual(all.count, 3)
        XCTAssertEqual(lastText(id), text(.myBookings(bookings: all.map { summary(start: $0) }, today: clock.localDate(of: Date()), pastVisits: 0), .ru))
        XCTAssertEqual(try count("SELECT count(*) AS n FROM bookings WHERE user_id = 1301 AND status = 'confirmed'"), 3)
        // A new flow says so at once.
        try say("/book", from: id, thenBotMessages: 3)
        XCTAssertEqual(lastText(id), text(.limitReached(activeBookings: 3, limit: 3), .ru))
    }

    // MARK: 4. Cut-offs at the final press

    func testCancelAndMoveInsideTheirCutOffsAreRefusedAtTheFinalPress() throws {
        try startBot()
        let id: Int64 = 1401
        let booking = try existingBooking(of: id, daysAhead: 4, hour: 12)
        user(id, "Kim", language: "en")
        try say("/my", from: id, thenBotMessages: 1)
        let when = LocalDateTime(booking.start, clock: clock)
        try tap(label(.cancelBookingAt(when), .en), of: id)
        XCTAssertEqual(lastText(id), text(.cancelQuestion(booking: summary(start: booking.start)), .en))
        // The business lengthens both cut-offs while the question is on screen.
        let db = try database.connect()
        try SettingsStore(connection: db).set(.cancellationHours, json: "240", by: nil)
        try tap(label(.yesCancel, .en), of: id)
        XCTAssertEqual(lastText(id), text(.cancelRefused(cutoffHours: 240, contact: BusinessContact(address: "Main St 1")), .en))
        XCTAssertEqual(try count("SELECT count(*) AS n FROM bookings WHERE status = 'confirmed'"), 1)

        try say("/my", from: id, thenBotMessages: 2)
        try tap(label(.moveBookingAt(when), .en), of: id)
        let (day, _) = try bookableDay(of: id, language: .en, skipping: [when.date.dayNumber])
        try tap(day, of: id)
        try tap(timeButtons(of: id)[0], of: id)
        try SettingsStore(connection: db).set(.rescheduleHours, json: "240", by: nil)
        try tap(label(.confirm, .en), of: id)
        XCTAssertEqual(lastText(id), text(.moveRefused(cutoffHours: 240, contact: BusinessContact(address: "Main St 1")), .en))
        let row = try db.query("SELECT lower(during) AS s, status FROM bookings WHERE id = $1", [.int(booking.id)])[0]
        XCTAssertEqual(try row.get("s") as Date, booking.start, "the booking did not move")
        XCTAssertEqual(try row.get("status") as String, "confirmed")
        // Opening a move now is refused at once.
        try say("/my", from: id, thenBotMessages: 3)
        try tap(label(.moveBookingAt(when), .en), of: id)
        XCTAssertEqual(lastText(id), text(.moveRefused(cutoffHours: 240, contact: BusinessContact(address: "Main St 1")), .en))
    }

    // MARK: 5. Forged buttons

    func testForgedButtonsGetClearAnswersAndChangeNothing() throws {
        try startBot()
        let (id, victim): (Int64, Int64) = (1501, 1502)
        let theirs = try existingBooking(of: victim, daysAhead: 5, hour: 10)
        // Sundays closed.
        let db = try database.connect()
        try SettingsStore(connection: db).set(.workHours, json: #"{"1":[540,1080],"2":[540,1080],"3":[540,1080],"4":[540,1080],"5":[540,1080],"6":[540,1080],"7":null}"#, by: nil)
        user(id, "Mallory", language: "en")
        try say("/start", from: id, thenBotMessages: 2)
        let today = clock.localDate(of: Date())
        let sunday = (2...8).map { today.adding(days: $0) }.first { $0.weekday == .sunday }!
        let yesterday = try XCTUnwrap(clock.instant(of: today.adding(days: -1), minute: 10 * 60))
        let now = Date()
        let forged: [(String, String)] = [
            (CallbackEnvelope.encode(CancelFlow.Action.ask(booking: theirs.id), issuedAt: now), text(.bookingNotFound, .en)),
            (CallbackEnvelope.encode(CancelFlow.Action.confirm(booking: theirs.id), issuedAt: now), text(.bookingNotFound, .en)),
            (CallbackEnvelope.encode(MoveFlow.Action.confirm(booking: theirs.id, start: minutes(yesterday + 3 * 86_400)), issuedAt: now),
             text(.bookingNotFound, .en)),
            (CallbackEnvelope.encode(BookingFlow.Action.confirm(service: haircut, start: minutes(yesterday)), issuedAt: now), text(.inPast, .en)),
            (CallbackEnvelope.encode(BookingFlow.Action.confirm(service: haircut, start: minutes(try XCTUnwrap(clock.instant(of: sunday, minute: 600)))),
                                     issuedAt: now), text(.outsideHours, .en)),
        ]
        for (data, expected) in forged {
            let (transcript, message) = try pressPlanted(data, for: id)
            XCTAssertEqual(transcript.message(message)?.text, expected, data)
        }
        // A closed day and a day past the horizon are not opened: an alert, no new screen.
        for (day, alert) in [(sunday, Texts.Alert.dayUnavailable), (defaults.horizonEnd(now: now).adding(days: 1), .monthBeyondHorizon)] {
            let action: BookingFlow.Action = alert == .dayUnavailable ? .day(service: haircut, day: day.dayNumber)
                                                                       : .month(service: haircut, month: day.year * 12 + day.month - 1)
            let (transcript, message) = try pressPlanted(CallbackEnvelope.encode(action, issuedAt: now), for: id)
            XCTAssertEqual(transcript.callbackAnswers.last?.text, Texts.alert(alert, in: .en))
            XCTAssertEqual(transcript.message(message)?.text, "planted", "no new screen")
        }
        // 65 bytes cannot come through Telegram's API; straight onto the queue it still
        // gets its answer and changes nothing.
        let long = "1." + String(repeating: "z", count: 63)
        let raw = #"{"update_id":777000,"callback_query":{"id":"q-long","from":{"id":1501,"is_bot":false,"first_name":"Mallory","language_code":"en"},"chat_instance":"1","data":""# + long + #""}}"#
        let queue = ChatQueue(redis: try TestServices.redisConnection(), prefix: prefix)
        try queue.enqueue(chat: id, updateID: nil, payload: Data(raw.utf8), now: Date())
        XCTAssertTrue(ChildProcess.eventually(timeout: 15) {
            self.sandbox.calls(method: "answerCallbackQuery").contains { $0.parameters["callback_query_id"] == .string("q-long") }
        })
        let answer = try XCTUnwrap(sandbox.calls(method: "answerCallbackQuery").last { $0.parameters["callback_query_id"] == .string("q-long") })
        XCTAssertEqual(answer.parameters["text"], .string(Texts.alert(.invalidButton, in: .en)))
        // A 49-hour-old confirm: out of date, nothing booked.
        let stale = CallbackEnvelope.encode(BookingFlow.Action.confirm(service: haircut, start: minutes(yesterday + 4 * 86_400)), issuedAt: now.addingTimeInterval(-49 * 3600))
        let (transcript, _) = try pressPlanted(stale, for: id)
        XCTAssertEqual(transcript.callbackAnswers.last?.text, Texts.alert(.staleButton, in: .en))
        XCTAssertEqual(transcript.botMessages.last?.text, text(.staleButton, .en))

        XCTAssertEqual(try count("SELECT count(*) AS n FROM bookings"), 1, "only the victim's booking exists")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM bookings WHERE id = $1 AND status = 'confirmed'", [.int(theirs.id)]), 1)
    }

    /// A message of the bot's with one button carrying `data` (made by hand, as a forger
    /// would), pressed; returns the chat once the press is answered, and the message.
    private func pressPlanted(_ data: String, for user: Int64) throws -> (ChatTranscript, Int64) {
        let bot = TelegramClient(baseURL: sandbox.baseURL, token: token)
        let message = try bot.sendMessage(chatID: user, text: "planted", replyMarkup: .inlineKeyboard(InlineKeyboardMarkup([[.callback("x", data)]])))
        let answered = sandbox.transcript(chatID: user)?.callbackAnswers.count ?? 0
        _ = try sandbox.pressButton(from: user, messageID: message.messageID, callbackData: data)
        return (try waitForAnswer(user, after: answered), message.messageID)
    }

    // MARK: 6. Ways out

    func testCancelAndStartEscapeEveryFlowAndStrayInputGetsTheHint() throws {
        try startBot()
        let id: Int64 = 1601
        let booking = try existingBooking(of: id, daysAhead: 4, hour: 15)
        user(id, "Olga", language: "en")
        try say("/book", from: id, thenBotMessages: 1)
        try tap(label(.service(name: "Haircut", durationMinutes: 60, price: "1500 ₽"), .en), of: id)
        let flow = try XCTUnwrap(sandbox.transcript(chatID: id)?.botMessages.last?.messageID)
        var transcript = try say("/cancel", from: id, thenBotMessages: 2)
        XCTAssertEqual(transcript.botMessages.last?.text, text(.flowCancelled, .en))
        transcript = try waitFor(id) { $0.message(flow)?.inlineButtons.isEmpty == true }

        try say("/my", from: id, thenBotMessages: 3)
        try tap(label(.cancelBookingAt(LocalDateTime(booking.start, clock: clock)), .en), of: id)
        let question = try XCTUnwrap(sandbox.transcript(chatID: id)?.botMessages.last?.messageID)
        transcript = try say("/start", from: id, thenBotMessages: 4)
        XCTAssertEqual(transcript.botMessages.last?.text, text(.welcomeBack(name: "Olga", bookingCount: 1), .en))
        _ = try waitFor(id) { $0.message(question)?.inlineButtons.isEmpty == true }
        transcript = try say("/cancel", from: id, thenBotMessages: 5)
        XCTAssertEqual(transcript.botMessages.last?.text, text(.nothingToCancel, .en), "the flow was closed by /start")

        try say("/my", from: id, thenBotMessages: 6)
        try tap(label(.moveBookingAt(LocalDateTime(booking.start, clock: clock)), .en), of: id)
        transcript = try say("what now?", from: id, thenBotMessages: 7)
        XCTAssertEqual(transcript.botMessages.last?.text, text(.unknownInput, .en))
        // A sticker (straight onto the queue: the Sandbox's users type text).
        let sticker = #"{"update_id":888000,"message":{"message_id":99,"date":1790000000,"chat":{"id":1601,"type":"private"},"from":{"id":1601,"is_bot":false,"first_name":"Olga","language_code":"en"},"sticker":{"file_id":"s","file_unique_id":"s","type":"regular","width":512,"height":512,"is_animated":false,"is_video":false}}}"#
        try ChatQueue(redis: try TestServices.redisConnection(), prefix: prefix).enqueue(chat: id, updateID: nil, payload: Data(sticker.utf8), now: Date())
        transcript = try waitForBot(id, messages: 8)
        XCTAssertEqual(transcript.botMessages.last?.text, text(.unknownInput, .en))
        transcript = try say("/cancel", from: id, thenBotMessages: 9)
        XCTAssertEqual(transcript.botMessages.last?.text, text(.flowCancelled, .en), "stray input left the move open until /cancel")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM bookings WHERE status = 'confirmed'"), 1)
    }

    // MARK: 7. Order

    func testABurstOfTwentyIsAnsweredInOrder() throws {
        try startBot(workers: 2)
        let id: Int64 = 1701
        user(id, "Pavel", language: "en")
        let inputs = ["/help", "/cancel", "gibberish", "/my"]
        let replies = [text(.help, .en), text(.nothingToCancel, .en), text(.unknownInput, .en), text(.myBookingsEmpty(pastVisits: 0), .en)]
        for index in 0..<20 { _ = try sandbox.sendText(inputs[index % 4], from: id) }
        let transcript = try waitForBot(id, messages: 20)
        XCTAssertEqual(transcript.botMessages.map { $0.text ?? "" }, (0..<20).map { replies[$0 % 4] })
    }

    // MARK: 8. A worker killed in the middle of 200 bookings

    func testAWorkerKilledInTheMiddleOf200BookingsLosesNothingAndDoublesNothing() throws {
        // Telegram's send budget is not what this test is about: a roomy one.
        try startBot(["TELEGRAM_SEND_RATE": "1000"], workers: 2, concurrency: 2)
        let environment = try environment.merging(["RATE_LIMIT_MESSAGE": "0", "RATE_LIMIT_CALLBACK": "0", "TELEGRAM_SEND_RATE": "1000"]) { $1 }
        // Short leases, so the killed worker's chats come back within seconds.
        workers.forEach { $0.signal(SIGKILL) }
        workers = []
        for _ in 0..<2 { workers.append(try ChildProcess(binary, ["worker", "--concurrency", "2", "--lease", "3"], environment: environment,
                                                         currentDirectory: FileManager.default.temporaryDirectory)) }
        let users = (0..<200).map { Int64(20_000 + $0) }
        for id in users { user(id, "U\(id)", language: "en") }
        for id in users { _ = try sandbox.sendText("/book", from: id) }
        for id in users { _ = try waitForBot(id, messages: 1, timeout: 60) }

        var presses = 0
        /// Presses, for every user, the button `choose` picks on their latest screen; kills
        /// a worker half-way when asked; waits until every press is answered.
        func step(kill: Bool = false, choose: (Int, [InlineKeyboardButton]) -> InlineKeyboardButton?) throws {
            var answered: [Int64: Int] = [:]
            for (index, id) in users.enumerated() {
                if kill && index == users.count / 2 {
                    workers[0].signal(SIGKILL)
                    workers.append(try ChildProcess(binary, ["worker", "--concurrency", "2", "--lease", "3"], environment: environment,
                                                    currentDirectory: FileManager.default.temporaryDirectory))
                }
                let transcript = try XCTUnwrap(sandbox.transcript(chatID: id))
                let message = try XCTUnwrap(transcript.botMessages.last)
                let button = try XCTUnwrap(choose(index, message.inlineButtons), "user \(id): \(message.text ?? "")")
                answered[id] = transcript.callbackAnswers.count
                _ = try sandbox.pressButton(from: id, messageID: message.messageID, callbackData: try XCTUnwrap(button.callbackData))
                presses += 1
            }
            for id in users { _ = try waitForAnswer(id, after: answered[id]!, timeout: 60) }
        }
        // Today's free times run out by the hour (the notice), so a step that takes a while
        // could find its time too soon: days from tomorrow on only.
        let today = clock.localDate(of: Date()).dayNumber
        func kind(_ button: InlineKeyboardButton) -> String {
            switch action(button) {
            case .pickService?: return "service"
            case .slot?: return "time"
            case .confirm?: return "confirm"
            case .day(_, let number)? where number > today: return button.text.hasPrefix("🟢") || button.text.hasPrefix("🟡") ? "day" : ""
            default: return ""
            }
        }
        try step { _, buttons in buttons.first { kind($0) == "service" } }
        // Late in a month the calendar may have no free day left: the next month then.
        for id in users where !(sandbox.transcript(chatID: id)?.botMessages.last?.inlineButtons.contains { kind($0) == "day" } ?? false) {
            try tap(label(.nextMonth, .en), of: id)
            presses += 1
        }
        try step(kill: true) { index, buttons in
            let days = buttons.filter { kind($0) == "day" }
            return days.isEmpty ? nil : days[index % days.count]
        }
        try step { index, buttons in
            let times = buttons.filter { kind($0) == "time" }
            return times.isEmpty ? nil : times[(index / 7) % times.count]
        }
        try step { _, buttons in buttons.first { kind($0) == "confirm" } }

        // Every user saw the outcome of their confirm: booked, or the time was taken.
        var booked = 0
        for id in users {
            let last = try XCTUnwrap(sandbox.transcript(chatID: id)?.callbackAnswers.last?.text)
            XCTAssertTrue([Texts.alert(.booked, in: .en), Texts.alert(.slotTaken, in: .en)].contains(last), "user \(id): \(last)")
            if last == Texts.alert(.booked, in: .en) { booked += 1 }
        }
        XCTAssertGreaterThan(booked, 0)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM bookings WHERE status = 'confirmed'"), booked, "no booking applied twice")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM (SELECT user_id FROM bookings GROUP BY user_id HAVING count(*) > 1) AS twice"), 0)
        XCTAssertEqual(try count("""
            SELECT count(*) AS n FROM bookings a JOIN bookings b ON a.id < b.id AND a.resource_id = b.resource_id AND a.during && b.during
            WHERE a.status = 'confirmed' AND b.status = 'confirmed'
            """), 0, "no overlapping bookings")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM processed_updates"), users.count + presses, "every update handled once")
    }
}

/// A start as buttons carry it (minutes since 1970).
private func minutes(_ date: Date) -> Int { Int(date.timeIntervalSince1970 / 60) }
