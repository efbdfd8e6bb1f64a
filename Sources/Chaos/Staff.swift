import Conversation
import DevSupport
import Foundation
import Sandbox
import Texts

/// The owner at work while the clients book, on a thread of its own: now a broadcast to
/// everyone (`/admin` → 📣 → New → the text → Send), now one slot blocked (`/admin` → ⛔
/// → New → One slot → a day → a time → the reason → Confirm), which cancels whatever
/// booking is there. Each screen is found by its buttons' callback data among the
/// notices that keep arriving in the owner's chat. A screen that does not come within
/// `patience` (a fault held it) ends that attempt; the next starts again from /admin.
final class Staff: @unchecked Sendable {
    struct Figures {
        /// Every broadcast text typed, whether or not its Send went through: each must
        /// reach a recipient at most once.
        var broadcastTexts: [String] = []
        /// Broadcasts whose Send was answered as started.
        var broadcasts = 0
        var blocks = 0
        /// Attempts ended by a screen that did not come, and the first few of those screens.
        var gaveUp = 0
        var gaveUpSamples: [String] = []
    }

    private let sandbox: SandboxServer
    private let ledger: Ledger
    private let owner: Int64
    private let seed: UInt64
    private var random: SplitMix64
    private let lock = NSLock()
    private var counts = Figures()
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)
    /// An attempt under way when the load ends waits no longer than this past it.
    private var lastWait = Date.distantFuture
    static let patience = 45.0
    /// How every broadcast of the run begins (the clients tell them from replies by it).
    static let broadcastPrefix = "Chaos broadcast"

    init(sandbox: SandboxServer, ledger: Ledger, owner: Int64, seed: UInt64) {
        self.sandbox = sandbox
        self.ledger = ledger
        self.owner = owner
        self.seed = seed
        random = SplitMix64(seed: seed)
    }

    var figures: Figures { lock.withLock { counts } }

    /// Alternates blocks and broadcasts until `deadline`, `every` seconds apart on average.
    /// The first broadcast and the first block come an eighth and a quarter of `every` in,
    /// inside the soak's warm-up: a path's first run maps its code in, and the memory
    /// measured after the warm-up should have seen each kind of work once.
    func start(until deadline: Date, every: Double) {
        lastWait = deadline.addingTimeInterval(15)
        let thread = Thread { [self] in
            defer { done.signal() }
            var next = Date().addingTimeInterval(every / 8)
            var round = 0
            while Date() < deadline {
                Thread.sleep(forTimeInterval: min(1, max(0, next.timeIntervalSinceNow)))
                guard Date() >= next, Date() < deadline else { continue }
                round += 1
                if round % 2 == 1 { broadcast(number: round) } else { blockOneSlot(number: round) }
                next = Date().addingTimeInterval(round == 1 ? every / 8 : every * (0.5 + random.unit()))
            }
        }
        thread.name = "staff"
        self.thread = thread
        thread.start()
    }

    /// Waits for the attempt under way to end (at most `patience` per screen).
    func wait() { done.wait() }

    // MARK: The two jobs

    private func broadcast(number: Int) {
        let text = "\(Self.broadcastPrefix) \(number) of run \(seed): we are open as usual."
        guard let menu = openStaffMenu(), let list = press(menu, BroadcastFlow.Action.list, expecting: { $0.has(BroadcastFlow.Action.new) }),
              let asking = press(list, BroadcastFlow.Action.new, expecting: { _ in true }) else { return gaveUp() }
        _ = asking
        lock.withLock { counts.broadcastTexts.append(text) }
        guard let preview = type(text, expecting: { $0.has(BroadcastFlow.Action.confirm) }),
              press(preview, BroadcastFlow.Action.confirm, expecting: { !$0.has(BroadcastFlow.Action.confirm) }) != nil
        else { return gaveUp() }
        lock.withLock { counts.broadcasts += 1 }
    }

    private func blockOneSlot(number: Int) {
        guard let menu = openStaffMenu(), let list = press(menu, BlockingFlow.Action.list(0), expecting: { $0.has(BlockingFlow.Action.new) }),
              let kinds = press(list, BlockingFlow.Action.new, expecting: { $0.has(BlockingFlow.Action.kind(.slot)) }),
              let days = press(kinds, BlockingFlow.Action.kind(.slot), expecting: { !$0.days.isEmpty })
        else { return gaveUp() }
        // A day of the next fortnight, where the clients book.
        let choices = Array(days.days.sorted().prefix(14))
        guard let day = pick(choices), let slots = press(days, BlockingFlow.Action.day(day), expecting: { _ in true }),
              let start = pick(slots.slots),
              let reason = press(slots, BlockingFlow.Action.slot(start: start), expecting: { _ in true }) else { return gaveUp() }
        _ = reason
        guard let preview = type("Chaos block \(number): the chair is being repaired", expecting: { $0.has(BlockingFlow.Action.confirm) }),
              press(preview, BlockingFlow.Action.confirm, expecting: { !$0.has(BlockingFlow.Action.confirm) }) != nil
        else { return gaveUp() }
        lock.withLock { counts.blocks += 1 }
    }

    /// What the last act waited for, said when an attempt is given up.
    private var awaiting = ""

    private func gaveUp() {
        lock.withLock {
            counts.gaveUp += 1
            if counts.gaveUpSamples.count < 3 {
                let tail = (sandbox.transcript(chatID: owner)?.messages.suffix(3) ?? []).map {
                    "#\($0.messageID) \($0.sender.rawValue) (\($0.editCount) edits, \($0.inlineButtons.count) buttons): \(($0.text ?? "").prefix(50))"
                }
                counts.gaveUpSamples.append("\(awaiting); the chat ends: \(tail.joined(separator: " | "))")
            }
        }
    }

    private func pick<T>(_ items: [T]) -> T? {
        items.isEmpty ? nil : items[min(items.count - 1, Int(random.unit() * Double(items.count)))]
    }

    // MARK: Acting and waiting

    /// A staff screen: a message of the owner's chat and what its buttons do.
    struct StaffScreen {
        let messageID: Int64
        let edits: Int
        let data: [String]

        func decoded<A: FlowAction>(_ type: A.Type) -> [(A, String)] {
            data.compactMap { item in CallbackEnvelope.decode(item, as: A.self, now: Date()).map { ($0, item) } }
        }
        func has<A: FlowAction>(_ action: A) -> Bool { decoded(A.self).contains { $0.0 == action } }
        func data<A: FlowAction>(of action: A) -> String? { decoded(A.self).first { $0.0 == action }?.1 }

        var days: [Int] { decoded(BlockingFlow.Action.self).compactMap { if case .day(let day) = $0.0 { return day } else { return nil } } }
        var slots: [Int] { decoded(BlockingFlow.Action.self).compactMap { if case .slot(let start) = $0.0 { return start } else { return nil } } }
    }

    private func screens() -> [StaffScreen] {
        (sandbox.transcript(chatID: owner)?.botMessages ?? []).filter { !$0.deleted }.map { message in
            StaffScreen(messageID: message.messageID, edits: message.editCount, data: message.inlineButtons.compactMap(\.callbackData))
        }
    }

    private func openStaffMenu() -> StaffScreen? {
        type("/admin") { $0.has(BroadcastFlow.Action.list) || $0.has(BlockingFlow.Action.list(0)) }
    }

    /// Types `text`, then waits for a new message of the bot that `matches`.
    private func type(_ text: String, expecting matches: (StaffScreen) -> Bool) -> StaffScreen? {
        pause()
        let newest = screens().last?.messageID ?? 0
        awaiting = "the answer to typing \"\(text.prefix(24))\""
        guard let update = try? sandbox.sendText(text, from: owner) else { return nil }
        ledger.madeUpdate(update.updateID, chat: owner)
        return waitFor { $0.filter { $0.messageID > newest }.last(where: matches) }
    }

    /// Presses `action`'s button of `screen`, then waits for that message edited into
    /// one that `matches`.
    private func press<A: FlowAction>(_ screen: StaffScreen, _ action: A, expecting matches: (StaffScreen) -> Bool) -> StaffScreen? {
        pause()
        awaiting = "the answer to pressing \(action) on message \(screen.messageID)"
        guard let data = screen.data(of: action),
              let update = try? sandbox.pressButton(from: owner, messageID: screen.messageID, callbackData: data) else { return nil }
        ledger.madeUpdate(update.updateID, chat: owner)
        return waitFor { $0.first { $0.messageID == screen.messageID && $0.edits > screen.edits && matches($0) } }
    }

    /// A person reads before acting (and the flood guard drops a press within 0.3 s of the last).
    private func pause() { Thread.sleep(forTimeInterval: 1 + 2 * random.unit()) }

    private func waitFor(_ find: ([StaffScreen]) -> StaffScreen?) -> StaffScreen? {
        let deadline = min(Date().addingTimeInterval(Self.patience), lastWait)
        while Date() < deadline {
            let version = sandbox.version
            if let found = find(screens()) { return found }
            _ = sandbox.waitForChange(after: version, timeout: 0.5)
        }
        return nil
    }
}
