// `--flow booking`: people booking and cancelling by button presses, as the old bot's
// harness drove it.
import DevSupport
import Foundation
import LoadSupport
import Sandbox
import Telegram

/// One simulated client going round: /book, the service, a day with free times (this
/// month or the next, at random), a free time at random, Confirm; then My bookings, the
/// booking's Cancel, Yes. Each step waits for the screen it expects (the pressed message
/// edited, or a new message for a typed command); anything else (a time taken meanwhile,
/// a refusal) is counted and the client starts again with /book.
private struct Client {
    enum Act {
        case type(String)
        case press(messageID: Int64, data: String)
    }

    let id: Int64
    let name: String
    /// The act to make when the pause ends, and the step it should lead to.
    var next: Act = .type("/book")
    var expect: Step = .services
    /// What the last act was waiting for: the pressed message (its edit count before the
    /// press) or, for a typed command, any new bot message after the user's own.
    var pressed: (messageID: Int64, edits: Int)?
    var lastMessageID: Int64 = 0
    var actionCount = 0
    var sentAt = 0.0
    /// The time of the booking being made or held (minute since 1970).
    var start: Int?
    /// Month views seen this round (▶ at most twice).
    var months = 0
    /// Unexpected screens since the last booking or cancellation (after two, back to /book
    /// whatever the screen offers).
    var detours = 0
}

final class BookingLoad {
    let driver: Driver
    var sandbox: SandboxServer { driver.sandbox }
    /// A day is chosen at least this many days ahead, so its booking may still be
    /// cancelled (the default cut-off is 24 hours).
    static let daysAhead = 2
    private var random = SplitMix64(seed: 0xB00C_F10)

    init(driver: Driver) { self.driver = driver }

    private func unit() -> Double { random.unit() }
    private func pick<T>(_ items: [T]) -> T { items[min(items.count - 1, Int(unit() * Double(items.count)))] }

    /// Runs `users` clients from id `firstUser` until `updates` acts or `maxSeconds`, then
    /// waits for the replies still due.
    func run(users: Int, firstUser: Int64, updates: Int, think: ClosedRange<Double>, maxSeconds: Double,
             replyTimeout: Double = 30) throws -> LoadOutcome {
        var clients = (0..<users).map { Client(id: firstUser + Int64($0), name: NoticeCoverage.name(of: $0)) }
        for client in clients {
            sandbox.register(User(id: client.id, firstName: client.name, languageCode: "en"))
        }
        func pause() -> Double { think.lowerBound + (think.upperBound - think.lowerBound) * unit() }
        var outcome = LoadOutcome()
        let start = now()
        var thinking = (0..<users).map { (at: start + think.upperBound * Double($0) / Double(users), user: $0) }
        var waiting: [Int] = []
        var lastReply = start
        while true {
            var current = now()
            if !outcome.capped && (current - start > maxSeconds || outcome.updates >= updates) {
                outcome.capped = current - start > maxSeconds
                thinking.removeAll()
            }
            if thinking.contains(where: { $0.at <= current }) {
                var later: [(at: Double, user: Int)] = []
                for entry in thinking {
                    guard entry.at <= current, outcome.updates < updates else {
                        later.append(entry)
                        continue
                    }
                    if act(&clients[entry.user], outcome: &outcome) {
                        waiting.append(entry.user)
                    } else {
                        later.append((now() + pause(), entry.user))
                    }
                }
                thinking = later
            }
            if waiting.isEmpty && (thinking.isEmpty || outcome.updates >= updates) { break }
            let version = sandbox.version
            let counts = sandbox.botActionCounts(chatIDs: waiting.map { clients[$0].id })
            current = now()
            var still: [Int] = []
            still.reserveCapacity(waiting.count)
            for (index, user) in waiting.enumerated() {
                if counts[index] != clients[user].actionCount, let screen = reply(to: &clients[user], count: counts[index]) {
                    let latency = current - clients[user].sentAt
                    outcome.latencies.append(latency)
                    outcome.byStep[clients[user].expect.rawValue, default: []].append(latency)
                    lastReply = current
                    decide(&clients[user], screen: screen, at: current, outcome: &outcome)
                    thinking.append((current + pause(), user))
                } else if current - clients[user].sentAt > replyTimeout {
                    outcome.neverAnswered += 1
                    restart(&clients[user])
                    thinking.append((current + pause(), user))
                } else {
                    still.append(user)
                }
            }
            waiting = still
            if outcome.capped || outcome.updates >= updates { thinking.removeAll() }
            let nextSend = thinking.map(\.at).min() ?? .infinity
            let left = nextSend - now()
            if left > 0 { try driver.wait(after: version, timeout: min(1, left)) }
        }
        outcome.seconds = lastReply - start
        return outcome
    }

    /// Makes the client's next act; false when the Sandbox refused it (the button is gone:
    /// the client starts again, as a person would).
    private func act(_ client: inout Client, outcome: inout LoadOutcome) -> Bool {
        let transcript = sandbox.transcript(chatID: client.id)
        client.actionCount = sandbox.botActionCounts(chatIDs: [client.id])[0]
        client.lastMessageID = transcript?.messages.last?.messageID ?? 0
        client.sentAt = now()
        do {
            switch client.next {
            case .type(let text):
                client.pressed = nil
                let update = try sandbox.sendText(text, from: client.id)
                client.lastMessageID = update.message?.messageID ?? client.lastMessageID
            case .press(let messageID, let data):
                let edits = transcript?.message(messageID)?.editCount ?? 0
                client.pressed = (messageID, edits)
                try sandbox.pressButton(from: client.id, messageID: messageID, callbackData: data)
            }
        } catch {
            outcome.unexpected += 1
            note("the Sandbox refused an act (\(error))", in: &outcome)
            restart(&client)
            return false
        }
        outcome.updates += 1
        return true
    }

    /// The screen answering the client's last act, once it is there: for a press, the
    /// pressed message edited or a new message; for a typed command, a new message.
    private func reply(to client: inout Client, count: Int) -> Screen? {
        client.actionCount = count
        return sandbox.transcript(chatID: client.id).flatMap { Screen.answer(in: $0, after: client.lastMessageID, pressed: client.pressed) }
    }

    /// What the client does next, from the screen before them.
    private func decide(_ client: inout Client, screen: Screen, at time: Double, outcome: inout LoadOutcome) {
        let step = Step.of(screen)
        guard step == client.expect else {
            // "That time was just taken", at the time's press or at the confirm: the day's
            // free times again.
            if (client.expect == .confirmation || client.expect == .booked) && step == .slots {
                outcome.taken += 1
            } else {
                outcome.unexpected += 1
                note("expected \(client.expect.rawValue), got \(step?.rawValue ?? "another screen"): \(screen.text.prefix(80))", in: &outcome)
            }
            client.detours += 1
            // Bookings left behind (a cancel that did not happen) are cleared through My
            // bookings, so a client never reaches the limit and stays there.
            if client.detours <= 2, screen.has({ $0 == .myBookings }) {
                press(&client, screen, screen.data { $0 == .myBookings }[0], expecting: .bookings)
            } else {
                restart(&client)
            }
            return
        }
        switch step {
        case .services:
            client.months = 0
            press(&client, screen, pick(screen.data { $0 == .service }), expecting: .calendar)
        case .calendar:
            let earliest = Int(Date().timeIntervalSince1970 / 86_400) + Self.daysAhead
            let open = screen.buttons.filter {
                if case .day(let number, true) = $0.button { return number >= earliest }
                return false
            }
            let months = screen.buttons.compactMap { entry -> (index: Int, data: String)? in
                if case .month(let index) = entry.button { return (index, entry.data) }
                return nil
            }
            client.months += 1
            let forward = months.max { $0.index < $1.index }
            // Half the clients look at next month too, so the bookings spread over two months.
            if let forward, client.months <= 2, open.isEmpty || (client.months == 1 && unit() < 0.5) {
                press(&client, screen, forward.data, expecting: .calendar)
            } else if open.isEmpty {
                outcome.unexpected += 1
                note("no open day in the months shown", in: &outcome)
                restart(&client)
            } else {
                press(&client, screen, pick(open).data, expecting: .slots)
            }
        case .slots:
            press(&client, screen, pick(screen.data { if case .slot = $0 { return true } else { return false } }), expecting: .confirmation)
        case .confirmation:
            let (data, start) = screen.buttons.compactMap { entry -> (String, Int)? in
                if case .confirm(let start) = entry.button { return (entry.data, start) }
                return nil
            }[0]
            client.start = start
            press(&client, screen, data, expecting: .booked)
        case .booked:
            client.detours = 0
            if let start = client.start {
                outcome.events.append(BookingEvent(kind: .booked, client: client.name, time: Self.time(of: start), at: time))
            }
            press(&client, screen, screen.data { $0 == .myBookings }[0], expecting: .bookings)
        case .bookings:
            // The first booking: a client holds one, or clears the ones left behind first to last.
            press(&client, screen, screen.data { if case .askCancel = $0 { return true } else { return false } }[0], expecting: .question)
        case .question:
            press(&client, screen, screen.data { if case .confirmCancel = $0 { return true } else { return false } }[0], expecting: .cancelled)
        case .cancelled:
            client.detours = 0
            if let start = client.start {
                outcome.events.append(BookingEvent(kind: .cancelled, client: client.name, time: Self.time(of: start), at: time))
            }
            client.start = nil
            restart(&client)
        case nil:
            restart(&client)
        }
    }

    private func press(_ client: inout Client, _ screen: Screen, _ data: String, expecting step: Step) {
        client.next = .press(messageID: screen.messageID, data: data)
        client.expect = step
    }

    private func restart(_ client: inout Client) {
        client.next = .type("/book")
        client.expect = .services
        client.months = 0
    }

    private func note(_ what: String, in outcome: inout LoadOutcome) {
        if outcome.unexpectedSamples.count < 5 { outcome.unexpectedSamples.append(what) }
    }

    /// HH:MM of a minute since 1970, in UTC (the bench runs the bot with TIMEZONE=UTC).
    static func time(of minute: Int) -> String {
        let ofDay = ((minute % 1440) + 1440) % 1440
        return String(format: "%02d:%02d", ofDay / 60, ofDay % 60)
    }
}
