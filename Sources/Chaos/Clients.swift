import DevSupport
import Foundation
import LoadSupport
import Sandbox
import Telegram

/// The simulated clients: each books (/book, a service, an open day, a free time,
/// Confirm), then through My bookings moves it (now and then) and cancels it, answers a
/// review request with stars when one came, a person's pause after each screen,
/// and rests before the next round, so that together they make `rate` updates a second
/// on average (Telegram lets a bot send about 30 messages a second: a load past that
/// measures the queue behind the budget, not recovery). Faults
/// make replies late or screens stale: a client that waits too long, or meets a screen it
/// did not expect, starts again with /book, as a person would. What they see is not what
/// the run checks (the invariants read the database, Redis and the Sandbox's log); they
/// are the traffic, and their waits are the recovery times.
final class Clients {
    private struct Client {
        let id: Int64
        var expect: Step = .services
        var next: Act = .type("/book")
        /// The pressed message and its edits before the press; nil after a typed command.
        var pressed: (messageID: Int64, edits: Int)?
        var lastMessageID: Int64 = 0
        var actionCount = 0
        var sentAt = 0.0
        var dueAt = 0.0
        /// The round is over: the next act is after a rest.
        var resting = false
        /// Months looked ahead this round: at most one, well inside the booking horizon
        /// (a ▶ past it is answered with a toast and no new screen, which a client would
        /// wait for in vain).
        var monthsAhead = 0
        /// The booking being moved: the calendar, times and confirmation are the move's.
        var moving = false
        /// The act under way is a star of a review request.
        var rating = false
        /// Review requests already answered (by message).
        var rated: Set<Int64> = []
        /// The booking of the last Cancel or Move pressed, and those the bot refused to
        /// cancel or move (a planted visit inside the cut-off): a person does not ask again.
        var touching: Int64?
        var untouchable: Set<Int64> = []
    }

    private enum Act {
        case type(String)
        case press(messageID: Int64, data: String)
    }

    struct Figures {
        var updates = 0
        var replies = 0
        /// Each act's time to its reply (seconds).
        var waits: [Double] = []
        /// When each wait ended, in seconds since the load began (the soak's latency over time).
        var waitEnds: [Double] = []
        /// Acts with no reply within `patience` (the client started again).
        var gaveUp = 0
        var bookings = 0
        var moves = 0
        var cancellations = 0
        var ratings = 0
        var doubleTaps = 0
        /// What the first few clients who gave up were waiting for, and what their chat showed.
        var gaveUpSamples: [String] = []
    }

    private let sandbox: SandboxServer
    private let ledger: Ledger
    private var random: SplitMix64
    private var clients: [Client]
    private(set) var figures = Figures()
    /// A person waits this long before trying again.
    static let patience = 45.0
    static let firstID: Int64 = 10_000_000
    /// The share of presses made twice.
    static let doubleTaps = 0.08

    /// A round's acts (booking and cancelling), and their pauses: the rest between rounds
    /// comes from them and the rate.
    private static let actsPerRound = 8.0
    private static let pausesPerRound = 16.0
    private let meanRest: Double
    private var started = 0.0

    init(sandbox: SandboxServer, ledger: Ledger, count: Int, rate: Double, seed: UInt64) {
        self.sandbox = sandbox
        self.ledger = ledger
        meanRest = max(1, Double(count) * Self.actsPerRound / rate - Self.pausesPerRound)
        random = SplitMix64(seed: seed)
        clients = (0..<count).map { Client(id: Self.firstID + Int64($0)) }
        for client in clients {
            sandbox.register(User(id: client.id, firstName: "Client \(client.id - Self.firstID + 1)", languageCode: client.id % 2 == 0 ? "en" : "ru"))
        }
    }

    private func clock() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    private func think() -> Double { 1 + 2 * random.unit() }
    private func rest() -> Double { meanRest * (0.5 + random.unit()) }

    /// When the client acts next: after a pause, or after a rest once the round is over.
    private func schedule(_ index: Int) {
        clients[index].dueAt = clock() + (clients[index].resting ? rest() : think())
        clients[index].resting = false
    }
    private func pick<T>(_ items: [T]) -> T { items[min(items.count - 1, Int(random.unit() * Double(items.count)))] }

    /// Drives the clients until `deadline` (their first acts spread over the first
    /// seconds), then waits up to `patience` for the replies still due.
    func run(until deadline: Date) {
        let start = clock()
        started = start
        let end = start + deadline.timeIntervalSinceNow
        // The first rounds spread over a rest, as if the day had been going on.
        for index in clients.indices { clients[index].dueAt = start + random.unit() * meanRest }
        var waiting = Set<Int>()
        while true {
            let now = clock()
            let acting = now < end
            if acting {
                for index in clients.indices where !waiting.contains(index) && clients[index].dueAt <= now {
                    if act(index) { waiting.insert(index) } else { schedule(index) }
                }
            } else if waiting.isEmpty || now > end + Self.patience {
                return
            }
            let version = sandbox.version
            let ids = waiting.map { $0 }
            let counts = sandbox.botActionCounts(chatIDs: ids.map { clients[$0].id })
            for (position, index) in ids.enumerated() where counts[position] != clients[index].actionCount {
                clients[index].actionCount = counts[position]
                if let screen = reply(to: clients[index]) {
                    record(wait: clock() - clients[index].sentAt)
                    decide(index, screen)
                    waiting.remove(index)
                    schedule(index)
                }
            }
            for index in ids where waiting.contains(index) && clock() - clients[index].sentAt > Self.patience {
                figures.gaveUp += 1
                if figures.gaveUpSamples.count < 3 { figures.gaveUpSamples.append(describe(clients[index])) }
                record(wait: clock() - clients[index].sentAt)
                restart(index)
                waiting.remove(index)
                schedule(index)
            }
            sandbox.waitForChange(after: version, timeout: 0.2)
        }
    }

    private func record(wait: Double) {
        figures.replies += 1
        figures.waits.append(wait)
        figures.waitEnds.append(clock() - started)
    }

    /// Makes the client's next act; false when the Sandbox refused it (the button is gone).
    private func act(_ index: Int) -> Bool {
        var client = clients[index]
        defer { clients[index] = client }
        let transcript = sandbox.transcript(chatID: client.id)
        client.actionCount = sandbox.botActionCounts(chatIDs: [client.id])[0]
        client.lastMessageID = transcript?.messages.last?.messageID ?? 0
        client.sentAt = clock()
        if case .type = client.next, let request = transcript?.botMessages.last(where: { message in
            !client.rated.contains(message.messageID) && Screen(message).has { if case .rate = $0 { return true } else { return false } }
        }) {
            // A review request came: its stars first, as a person would.
            let stars = Screen(request).data { if case .rate = $0 { return true } else { return false } }
            client.rated.insert(request.messageID)
            client.rating = true
            client.next = .press(messageID: request.messageID, data: stars[min(stars.count - 1, 2 + Int(random.unit() * 3))])
        }
        do {
            var update: Update
            switch client.next {
            case .type(let text):
                client.pressed = nil
                update = try sandbox.sendText(text, from: client.id)
                client.lastMessageID = update.message?.messageID ?? client.lastMessageID
            case .press(let messageID, let data):
                client.pressed = (messageID, transcript?.message(messageID)?.editCount ?? 0)
                update = try sandbox.pressButton(from: client.id, messageID: messageID, callbackData: data)
                if random.unit() < Self.doubleTaps {
                    // A double tap: the same button again at once, right behind the first in the
                    // chat's queue (the flood guard drops it; the order check watches it).
                    ledger.madeUpdate(update.updateID, chat: client.id)
                    figures.updates += 1
                    figures.doubleTaps += 1
                    update = try sandbox.pressButton(from: client.id, messageID: messageID, callbackData: data)
                }
            }
            ledger.madeUpdate(update.updateID, chat: client.id)
            figures.updates += 1
            return true
        } catch {
            client.next = .type("/book")
            client.expect = .services
            return false
        }
    }

    private func reply(to client: Client) -> Screen? {
        sandbox.transcript(chatID: client.id).flatMap {
            Screen.answer(in: $0, after: client.lastMessageID, pressed: client.pressed, skipping: Self.answersNobody)
        }
    }

    /// A message that came of its own accord, not in answer to the client: the owner's
    /// broadcast, a review request (answered at the next round's start).
    private static func answersNobody(_ message: TranscriptMessage) -> Bool {
        (message.text ?? "").hasPrefix(Staff.broadcastPrefix)
            || Screen(message).has { if case .rate = $0 { return true } else { return false } }
    }

    /// A client who gave up: what they did, what they waited for, and the chat's last messages.
    private func describe(_ client: Client) -> String {
        let act: String
        switch client.next {
        case .type(let text): act = "typed \(text)"
        case .press(let message, _): act = "pressed a button of message \(message)"
        }
        let last = (sandbox.transcript(chatID: client.id)?.messages.suffix(2) ?? []).map {
            "#\($0.messageID) \($0.sender.rawValue) (\($0.editCount) edits): \(($0.text ?? "").prefix(40))"
        }
        return "client \(client.id) \(act), expecting \(client.expect.rawValue); the chat ends: \(last.joined(separator: " | "))"
    }

    private func decide(_ index: Int, _ screen: Screen) {
        if clients[index].rating {
            // Whatever the answer to the stars, the round goes on from the start.
            clients[index].rating = false
            figures.ratings += 1
            restart(index)
            return
        }
        let step = Step.of(screen)
        guard step == clients[index].expect else {
            // Refused to cancel or move that booking: leave it be from now on.
            if let booking = clients[index].touching, clients[index].expect == .question || clients[index].moving {
                clients[index].untouchable.insert(booking)
            }
            clients[index].touching = nil
            // A stale or refused screen: clear a booking left behind, or start again.
            if screen.has({ $0 == .myBookings }), clients[index].expect != .bookings {
                press(index, screen, screen.data { $0 == .myBookings }[0], expecting: .bookings)
            } else {
                restart(index)
            }
            return
        }
        switch step {
        case .services:
            clients[index].monthsAhead = 0
            press(index, screen, pick(screen.data { $0 == .service }), expecting: .calendar)
        case .calendar:
            let earliest = Int(Date().timeIntervalSince1970 / 86_400) + 2
            let open = screen.buttons.filter {
                if case .day(let number, true) = $0.button { return number >= earliest }
                return false
            }
            let forward = screen.buttons.compactMap { entry -> (Int, String)? in
                if case .month(let month) = entry.button { return (month, entry.data) }
                return nil
            }.max { $0.0 < $1.0 }
            if clients[index].monthsAhead == 0, open.isEmpty || random.unit() < 0.3, let forward {
                clients[index].monthsAhead += 1
                press(index, screen, forward.1, expecting: .calendar)
            } else if open.isEmpty {
                restart(index)
            } else {
                press(index, screen, popular(open.map(\.data), first: 3), expecting: .slots)
            }
        case .slots:
            press(index, screen, popular(screen.data { if case .slot = $0 { return true } else { return false } }, first: 6), expecting: .confirmation)
        case .confirmation:
            press(index, screen, screen.data { if case .confirm = $0 { return true } else { return false } }[0], expecting: .booked)
        case .booked:
            if clients[index].moving { figures.moves += 1 } else { figures.bookings += 1 }
            clients[index].moving = false
            clients[index].touching = nil
            if isGreedy(clients[index].id), random.unit() < 0.6 {
                // Another one at once: past the limit the bot refuses, and My bookings is next.
                restart(index)
            } else {
                press(index, screen, screen.data { $0 == .myBookings }[0], expecting: .bookings)
            }
        case .bookings:
            let untouchable = clients[index].untouchable
            let moves = screen.buttons.compactMap { entry -> (Int64, String)? in
                if case .move(let booking) = entry.button, !untouchable.contains(booking) { return (booking, entry.data) } else { return nil }
            }
            let cancels = screen.buttons.compactMap { entry -> (Int64, String)? in
                if case .askCancel(let booking) = entry.button, !untouchable.contains(booking) { return (booking, entry.data) } else { return nil }
            }
            if !moves.isEmpty, random.unit() < 0.3 {
                let move = pick(moves)
                clients[index].moving = true
                clients[index].monthsAhead = 0
                clients[index].touching = move.0
                press(index, screen, move.1, expecting: .calendar)
            } else if let cancel = cancels.last {
                clients[index].touching = cancel.0
                press(index, screen, cancel.1, expecting: .question)
            } else {
                // Nothing left it may change: the round is over.
                restart(index)
                clients[index].resting = true
            }
        case .question:
            press(index, screen, screen.data { if case .confirmCancel = $0 { return true } else { return false } }[0], expecting: .cancelled)
        case .cancelled:
            clients[index].touching = nil
            figures.cancellations += 1
            restart(index)
            clients[index].resting = true
        case nil:
            restart(index)
        }
    }

    /// One client in five books again and again, up to the limit and past it.
    private func isGreedy(_ client: Int64) -> Bool { client % 5 == 0 }

    /// Most clients want the same few days and times: an early one of the first `first`
    /// most of the time, so that they race for them (the overlap and limit checks' test).
    private func popular(_ choices: [String], first: Int) -> String {
        random.unit() < 0.6 ? pick(Array(choices.prefix(first))) : pick(choices)
    }

    private func press(_ index: Int, _ screen: Screen, _ data: String, expecting step: Step) {
        clients[index].next = .press(messageID: screen.messageID, data: data)
        clients[index].expect = step
    }

    private func restart(_ index: Int) {
        clients[index].next = .type("/book")
        clients[index].expect = .services
        clients[index].moving = false
    }
}
