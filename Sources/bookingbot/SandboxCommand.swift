import ArgumentParser
import Foundation
import Sandbox
import Telegram

/// `bookingbot sandbox`: the offline Bot API emulator with its web chat (a page that looks
/// like Telegram, to act as several people side by side), and a terminal chat on request.
struct SandboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the offline Bot API emulator, with a Telegram-like web chat (and a terminal chat on request).",
        discussion: """
            Point the other processes at it with TELEGRAM_API_URL=http://127.0.0.1:<port> and the
            printed BOT_TOKEN (scripts/run does this when no BOT_TOKEN is set), then open the printed
            address in a browser: pick a person on the left, press START.
            With --terminal, this terminal chats too: type to send a message; /as <user id> switches
            user; /press <n> presses button n of the bot's last message (/buttons lists them); /quit leaves.
            """)

    static let defaultToken = "123456:sandbox-token-for-local-runs"

    @Option(help: "Port of the Bot API emulator (and of the web chat unless --web-port).") var port = 8081
    @Option(help: "The bot token the emulator accepts.") var token = defaultToken
    @Option(name: .customLong("web-port"), help: "Serve the web chat on this port too (its page and the control API, not the Bot API).")
    var webPort: Int?
    @Option(name: .customLong("web-host"), help: "Address of the --web-port listener; anything but loopback lets others act as your users.")
    var webHost = "127.0.0.1"
    @Flag(help: "Chat in this terminal as well (the web chat stays).") var terminal = false
    @Option(name: .customLong("as"), help: "The Telegram user id the terminal chat starts as.") var userID: Int64 = 1001
    @Option(name: .customLong("owner"), help: "A user id of ADMIN_IDS, shown as the owner in the web chat (repeatable).")
    var owners: [Int64] = []
    @Option(name: .customLong("moderator"), help: "A user id the web chat lists as a moderator-to-be, for the owner to add in the bot (repeatable).")
    var moderators: [Int64] = []
    @Option(name: .customLong("latency-ms"), help: "Round trip of each Bot API call, in ms (0–10000), as seen far from Telegram.")
    var latencyMilliseconds = 0
    @Option(name: .customLong("jitter-ms"), help: "Uniform ± jitter of that round trip, in ms (0–10000).")
    var jitterMilliseconds = 0
    @Flag(help: "Telegram's flood limits (429s) and its 15 s deadline for answering a button press.")
    var telegramLimits = false

    /// Telegram refuses a press's answer after about this long.
    static let pressAnswerDeadline: TimeInterval = 15

    func validate() throws {
        guard (0...10_000).contains(latencyMilliseconds) else { throw ValidationError("--latency-ms must be 0–10000 (ms)") }
        guard (0...10_000).contains(jitterMilliseconds) else { throw ValidationError("--jitter-ms must be 0–10000 (ms)") }
        if let webPort, !(0...65_535).contains(webPort) { throw ValidationError("--web-port must be 0–65535") }
        guard (owners + moderators + [userID]).allSatisfy({ $0 > 0 }) else {
            throw ValidationError("user ids (--as, --owner, --moderator) are positive")
        }
    }

    func run() throws {
        // Update ids start from the clock, so a new run never repeats an id that the
        // queue's dedup (or a stored polling offset) remembers from the previous one.
        let firstUpdateID = Int64(Date().timeIntervalSince1970 * 1000)
        var options = SandboxOptions(
            token: token, host: "127.0.0.1", port: port, firstUpdateID: firstUpdateID,
            latency: SandboxLatency(milliseconds: latencyMilliseconds, jitterMilliseconds: jitterMilliseconds),
            floodLimits: telegramLimits ? .telegram : nil, pressAnswerDeadline: telegramLimits ? Self.pressAnswerDeadline : nil)
        if let webPort { options.webListener = (host: webHost, port: webPort) }
        let sandbox = SandboxServer(options: options)
        try sandbox.start()
        for person in DemoPeople(owners: owners, moderators: moderators).people {
            sandbox.register(person.user, note: person.note)
        }
        Console.line("Sandbox Bot API on \(sandbox.baseURL) (BOT_TOKEN=\(token))")
        if latencyMilliseconds > 0 || telegramLimits {
            Console.line("Round trip \(latencyMilliseconds) ± \(jitterMilliseconds) ms; Telegram's limits \(telegramLimits ? "on" : "off")")
        }
        if webPort != nil, !["127.0.0.1", "localhost", "::1"].contains(webHost) {
            Console.line("Web chat: open \(sandbox.webURL) in a browser")
            Console.line("warning: the web chat listens on \(webHost): anyone who reaches it can act as any of your users")
        } else {
            Console.line("Web chat: open \(sandbox.webURL) in a browser (this machine only: it listens on 127.0.0.1)")
        }
        if terminal {
            TerminalChat(sandbox: sandbox, userID: userID).run()
            sandbox.stop()
        } else {
            while true { sleep(3600) }
        }
    }
}

/// Who the web chat lists before anyone writes: the owners and moderators named on the
/// command line, and two clients, one in each language the bot speaks.
struct DemoPeople {
    let owners: [Int64]
    let moderators: [Int64]

    static let clients = [User(id: 2001, firstName: "Anna", languageCode: "ru"), User(id: 2002, firstName: "Ben", languageCode: "en")]

    var people: [(user: User, note: String)] {
        owners.enumerated().map { index, id in
            (User(id: id, firstName: index == 0 ? "Olga" : "Owner \(index + 1)", languageCode: "ru"), "owner")
        } + moderators.enumerated().map { index, id in
            // Staff are added in the bot, audited (🛠 Staff menu → Admins), never by this list.
            (User(id: id, firstName: index == 0 ? "Maria" : "Moderator \(index + 1)", languageCode: "ru"), "moderator once added by the owner")
        } + Self.clients.filter { client in !(owners + moderators).contains(client.id) }.map { ($0, "client") }
    }
}

/// The terminal side of the Sandbox: prints what the bot says to the current user and
/// turns typed lines into messages and button presses.
final class TerminalChat: @unchecked Sendable {
    private let sandbox: SandboxServer
    private let lock = NSLock()
    private var userID: Int64
    /// "chat:message id" → edit count already printed (message ids are per chat).
    private var shown: [String: Int] = [:]
    private var shownKeyboard: [String] = []
    private var finished = false

    init(sandbox: SandboxServer, userID: Int64) {
        self.sandbox = sandbox
        self.userID = userID
    }

    func run() {
        Console.line("You are user \(userID). Type a message, /as <id>, /press <n>, /buttons or /quit.")
        let printer = Thread { [self] in
            var version = sandbox.version
            while !lock.withLock({ finished }) {
                version = sandbox.waitForChange(after: version, timeout: 1)
                printNewBotMessages()
            }
        }
        printer.start()
        defer { lock.withLock { finished = true } }
        while let line = readLine(strippingNewline: true) {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if text == "/quit" { return }
            do {
                try handle(text)
            } catch {
                Console.line("! \(error)")
            }
        }
    }

    private func handle(_ text: String) throws {
        let words = text.split(separator: " ")
        switch words.first {
        case "/as":
            guard words.count == 2, let id = Int64(words[1]), id > 0 else { return Console.line("! usage: /as <user id>") }
            lock.withLock { userID = id }
            Console.line("You are now user \(id).")
            printNewBotMessages()
        case "/buttons":
            for (index, button) in lastButtons().enumerated() { Console.line("  [\(index + 1)] \(button.button.text)") }
        case "/press":
            let buttons = lastButtons()
            guard words.count == 2, let number = Int(words[1]), (1...max(1, buttons.count)).contains(number), !buttons.isEmpty else {
                return Console.line("! usage: /press <n> (see /buttons)")
            }
            let (messageID, button) = buttons[number - 1]
            guard let data = button.callbackData else { return Console.line("! that button opens \(button.url ?? "a link")") }
            _ = try sandbox.pressButton(from: currentUser, messageID: messageID, callbackData: data)
        default:
            _ = try sandbox.sendText(text, from: currentUser)
        }
    }

    private var currentUser: Int64 { lock.withLock { userID } }

    /// The inline buttons under the bot's latest message that has any.
    private func lastButtons() -> [(messageID: Int64, button: InlineKeyboardButton)] {
        guard let transcript = sandbox.transcript(chatID: currentUser),
              let message = transcript.botMessages.last(where: { !$0.inlineButtons.isEmpty }) else { return [] }
        return message.inlineButtons.map { (message.messageID, $0) }
    }

    private func printNewBotMessages() {
        let user = currentUser
        guard let transcript = sandbox.transcript(chatID: user) else { return }
        lock.withLock {
            for message in transcript.botMessages {
                let key = "\(user):\(message.messageID)"
                let seen = shown[key]
                guard seen == nil || seen! < message.editCount else { continue }
                shown[key] = message.editCount
                let mark = seen == nil ? "bot" : "bot (edited)"
                Console.line("\(mark): \(message.text ?? message.caption ?? message.document?.fileName ?? "(no text)")")
                for (index, button) in message.inlineButtons.enumerated() { Console.line("  [\(index + 1)] \(button.text)") }
            }
            let labels = transcript.replyKeyboard?.keyboard.flatMap { $0 }.map(\.text) ?? []
            if labels != shownKeyboard {
                shownKeyboard = labels
                if !labels.isEmpty { Console.line("  keyboard: \(labels.joined(separator: " · "))") }
            }
        }
    }
}

/// Writes whole lines to stdout at once, unbuffered, so the chat shows up at once even
/// when stdout is a pipe (`scripts/run | tee`), where print() would hold it back.
enum Console {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
