import Dispatch
import Foundation
import Hummingbird
import Logging
import NIOCore
import Telegram

/// A Telegram Bot API emulator on loopback, with a control side to act as users.
///
/// The bot talks to `baseURL` exactly as to `https://api.telegram.org` (`/bot<token>/<method>`);
/// tests and the local demo drive users through the methods below (thread-safe) or the
/// same operations over HTTP under `/control/` (see `ControlAPI`).
///
/// By default it answers at once and never refuses for speed; its options can make it
/// behave like Telegram far away and under load: a round trip per Bot API call
/// (`SandboxLatency`), flood limits (`SandboxFloodLimits`) and a deadline for answering
/// presses, with counters to read between the phases of a bench (`pressReport()`,
/// `floodRefusals`, `peakBotCallsInFlight`, `resetCounters()`).
///
/// `start()` and `stop()` block until the server listens or has stopped, so call them
/// from an ordinary thread (XCTest's, a command's main thread), never from a task.
public final class SandboxServer: Sendable {
    public let options: SandboxOptions
    let world: SandboxWorld
    private let runtime = RuntimeBox()

    public init(options: SandboxOptions = SandboxOptions()) {
        self.options = options
        self.world = SandboxWorld(options: options)
    }

    /// The bot's own user (what `getMe` answers).
    public var bot: User { world.bot }
    public var token: String { options.token }
    /// The bound port; 0 before `start()`.
    public var port: Int { runtime.port }
    /// `http://127.0.0.1:<port>`: the value for `TELEGRAM_API_URL`.
    public var baseURL: String { "http://\(options.host):\(port)" }

    // MARK: - Life cycle

    /// Binds and starts serving; returns once the server listens (and the web chat's own
    /// listener, when the options ask for one). Throws when binding fails or the server
    /// was stopped before (a stopped Sandbox stays stopped).
    public func start() throws {
        guard runtime.port == 0 else { throw SandboxError.cannotStart("it was started before (a stopped Sandbox stays stopped)") }
        let main = try Listener.start(host: options.host, port: options.port,
                                      router: SandboxRouter(world: world, localOnly: LocalOnlyGuard(listeningOn: options.host)))
        var listeners = [main]
        if let web = options.webListener {
            do {
                let router = SandboxRouter(world: world, servesBotAPI: false, localOnly: LocalOnlyGuard(listeningOn: web.host))
                listeners.append(try Listener.start(host: web.host, port: web.port, router: router))
            } catch {
                main.stop()
                throw error
            }
        }
        let dispatcher = WebhookDispatcher(world: world)
        dispatcher.start()
        runtime.set(port: main.port, webPort: listeners.count > 1 ? listeners[1].port : nil, listeners: listeners, dispatcher: dispatcher)
    }

    /// Stops serving: pending long polls answer, requests being answered finish, webhook
    /// delivery ends (a POST in flight completes or times out), the port closes. A
    /// stopped server does not start again; make a new one.
    public func stop() {
        guard let (listeners, dispatcher) = runtime.takeRunning() else { return }
        world.stop()
        // Closing the listening sockets ends the servers' accept loops quietly; requests
        // already inside get to finish, then cancelling ends the idle kept-alive connections.
        for listener in listeners { listener.closeSocket() }
        world.waitForIdleRequests(timeout: 3)
        usleep(20_000)  // the last response's bytes leave after its handler returned
        for listener in listeners { listener.stop() }
        dispatcher.join()
    }

    /// Where the web chat's page is: its own listener's address when the options ask for
    /// one, else the Sandbox's.
    public var webURL: String {
        guard let web = options.webListener, let port = runtime.webPort else { return baseURL + "/" }
        return "http://\(web.host.contains(":") ? "[\(web.host)]" : web.host):\(port)/"
    }

    // MARK: - Acting as users

    /// Sets a user's profile (name, username, language) before or after first contact;
    /// `note` says who they are in the web chat's list of people ("owner"; nil: unchanged).
    public func register(_ user: User, note: String? = nil) {
        world.register(user, note: note)
    }

    /// The user types `text` (a `/command` gets its bot_command entity); the first message
    /// opens the private chat. Returns the update the bot will get.
    @discardableResult
    public func sendText(_ text: String, from userID: Int64) throws -> Update {
        try world.userSends(text, from: userID, forwardedFrom: nil)
    }

    /// The user forwards a message whose original sender was `original`.
    @discardableResult
    public func forward(_ text: String, from userID: Int64, originalSender original: User) throws -> Update {
        try world.userSends(text, from: userID, forwardedFrom: original)
    }

    /// The user sends a photo (a new file id the bot may send on), with an optional caption.
    @discardableResult
    public func sendPhoto(caption: String?, from userID: Int64) throws -> Update {
        try world.userSendsPhoto(caption: caption, from: userID)
    }

    /// The user presses an inline button now under one of the bot's messages.
    @discardableResult
    public func pressButton(from userID: Int64, messageID: Int64, callbackData: String) throws -> Update {
        try world.press(userID: userID, messageID: messageID, callbackData: callbackData)
    }

    /// A press with callback data of the caller's choosing on one of the bot's messages, as
    /// a modified client can send: Telegram does not check it against the buttons.
    @discardableResult
    public func pressForged(from userID: Int64, messageID: Int64, callbackData: String) throws -> Update {
        try world.press(userID: userID, messageID: messageID, callbackData: callbackData, forged: true)
    }

    /// A group with the bot in it, opened by that user, so the bot can send there (no
    /// update tells the bot; users do not write in it). Its id must be negative; opening
    /// it again changes nothing.
    public func openGroup(chatID: Int64, title: String, by userID: Int64) throws {
        try world.openGroup(chatID: chatID, title: title, by: userID)
    }

    /// The user blocks the bot (a `my_chat_member` update); sends then fail with 403.
    /// Nil when already blocked.
    @discardableResult
    public func blockBot(by userID: Int64) throws -> Update? {
        try world.setBlocked(true, userID: userID)
    }

    @discardableResult
    public func unblockBot(by userID: Int64) throws -> Update? {
        try world.setBlocked(false, userID: userID)
    }

    // MARK: - Reading what happened

    /// The private chat with that user, or nil if they never wrote.
    public func transcript(chatID: Int64) -> ChatTranscript? {
        world.transcript(chatID: chatID)
    }

    /// Every opened chat's id.
    public var chatIDs: [Int64] { world.chatIDs() }

    /// For each chat, how many things the bot has done in it so far: messages sent, edits,
    /// deletions, button presses answered (0 for a chat never opened). It only grows, and
    /// costs no transcript copy: for load drivers that check many chats on every change.
    public func botActionCounts(chatIDs: [Int64]) -> [Int] {
        world.botActionCounts(chatIDs: chatIDs)
    }

    /// Bot API calls received, oldest first; only those of `method` when given
    /// (case-insensitive, like Telegram).
    public func calls(method: String? = nil) -> [RecordedCall] {
        world.recordedCalls(method: method)
    }

    /// Updates not yet confirmed (by a getUpdates offset or a 2xx webhook answer).
    public var pendingUpdateCount: Int { world.pendingCount }

    /// The command list set for a scope and language (nil: none was set).
    public func commands(scope: BotCommandScope = .default, languageCode: String? = nil) -> [BotCommand]? {
        world.commandList(scope: scope, languageCode: languageCode)
    }

    /// The next `calls` Bot API calls answer 429 "Too Many Requests: retry after K" with
    /// `parameters.retry_after` K (queued after any failures injected before).
    public func injectFlood(calls: Int, retryAfter: Int) {
        world.inject(.flood(retryAfter: max(1, retryAfter)), calls: calls)
    }

    /// The next `calls` Bot API calls (of `method`, when given) answer with a 5xx, as an
    /// overloaded Telegram does.
    public func injectServerErrors(calls: Int, status: Int = 502, method: String? = nil) {
        world.inject(.server(status: (500...599).contains(status) ? status : 500), calls: calls, method: method)
    }

    // MARK: - Load figures

    /// How quickly the bot answered its users' presses, since the start or `resetCounters()`.
    public func pressReport() -> PressReport {
        world.pressReport
    }

    /// 429s answered so far (for sending too fast, or injected), since the start or
    /// `resetCounters()`.
    public var floodRefusals: Int { world.floodRefusals }

    /// Bot API calls received and not answered yet (waiting out their latency, or a long poll).
    public var botCallsInFlight: Int { world.botCallsInFlight.now }

    /// The most Bot API calls in flight at once, since the start or `resetCounters()`.
    public var peakBotCallsInFlight: Int { world.botCallsInFlight.peak }

    /// Zeroes the press report and the 429 count, and restarts the peak of calls in flight
    /// (between the phases of a bench). The call log and the chats stay.
    public func resetCounters() {
        world.resetCounters()
    }

    /// A counter that moves on every change (a call, a message, a delivery…).
    public var version: Int { world.version }

    /// Blocks until something changes after `version` or `timeout` passes; returns the
    /// version then. Not for Swift tasks: it holds its thread.
    @discardableResult
    public func waitForChange(after version: Int, timeout: TimeInterval) -> Int {
        world.blockingWait(after: version, timeout: timeout)
    }

    /// Blocks until the chat's transcript satisfies `condition` (returning it) or
    /// `timeout` passes (nil). Not for Swift tasks: it holds its thread.
    public func waitForTranscript(chatID: Int64, timeout: TimeInterval,
                                  until condition: (ChatTranscript) -> Bool) -> ChatTranscript? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let seen = version
            if let transcript = transcript(chatID: chatID), condition(transcript) { return transcript }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return nil }
            waitForChange(after: seen, timeout: left)
        }
    }
}

/// One HTTP server of the Sandbox: its port, and the handles to stop it.
private struct Listener: Sendable {
    let port: Int
    let channel: (any Channel)?
    let task: Task<Void, Never>
    let finished: DispatchSemaphore

    /// Binds and serves `router`; returns once it listens.
    static func start(host: String, port: Int, router: SandboxRouter) throws -> Listener {
        let ready = DispatchSemaphore(value: 0)
        let startup = StartupBox()
        var logger = Logger(label: "sandbox")
        logger.logLevel = .warning
        let app = Application(
            responder: CallbackResponder { request, context in await router.respond(to: request, context: context) },
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                startup.listener = channel
                startup.port = channel.localAddress?.port ?? 0
                ready.signal()
            },
            logger: logger)
        let finished = DispatchSemaphore(value: 0)
        let task = Task {
            do {
                try await app.run()
            } catch {
                startup.error = error
            }
            ready.signal()
            finished.signal()
        }
        ready.wait()
        if startup.port == 0 {
            task.cancel()
            throw SandboxError.cannotStart("cannot listen on \(host):\(port): \(startup.error.map { "\($0)" } ?? "unknown error")")
        }
        return Listener(port: startup.port, channel: startup.listener, task: task, finished: finished)
    }

    func closeSocket() {
        try? channel?.close().wait()
    }

    /// Ends the server (after `closeSocket`, once requests inside have finished).
    func stop() {
        closeSocket()
        task.cancel()
        finished.wait()
    }
}

/// What `Listener.start` learns from the server task.
private final class StartupBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _port = 0
    private var _error: (any Error)?
    private var _listener: (any Channel)?
    var listener: (any Channel)? {
        get { lock.withLock { _listener } }
        set { lock.withLock { _listener = newValue } }
    }
    var port: Int {
        get { lock.withLock { _port } }
        set { lock.withLock { _port = newValue } }
    }
    var error: (any Error)? {
        get { lock.withLock { _error } }
        set { lock.withLock { _error = newValue } }
    }
}

/// The running servers' handles, set by `start()` and taken by `stop()`.
private final class RuntimeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _port = 0
    private var _webPort: Int?
    private var running: ([Listener], WebhookDispatcher)?

    var port: Int { lock.withLock { _port } }
    var webPort: Int? { lock.withLock { _webPort } }

    func set(port: Int, webPort: Int?, listeners: [Listener], dispatcher: WebhookDispatcher) {
        lock.withLock {
            _port = port
            _webPort = webPort
            running = (listeners, dispatcher)
        }
    }

    func takeRunning() -> ([Listener], WebhookDispatcher)? {
        lock.withLock {
            defer { running = nil }
            return running
        }
    }
}
