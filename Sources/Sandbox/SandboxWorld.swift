import Dispatch
import Foundation
import Telegram

/// The emulated Bot API's whole state: users, chats, pending updates, the webhook, the
/// call log, and the rules Telegram enforces on each method.
///
/// One condition lock guards everything. Its waiters are the webhook dispatcher thread
/// and blocking control calls; long polls (async HTTP handlers) wait on continuations
/// instead, so no thread of Swift's cooperative pool ever sleeps on the lock. Every
/// change bumps `version` and wakes both kinds of waiter.
final class SandboxWorld: @unchecked Sendable {
    let options: SandboxOptions
    let bot: User
    let condition = NSCondition()

    // Everything below is guarded by `condition`.
    private(set) var version = 0
    private(set) var stopped = false
    private var users: [Int64: User] = [:]
    private var chats: [Int64: ChatRecord] = [:]
    private var nextUpdateID: Int64
    private var pending: [PendingUpdate] = []
    private var allowedUpdates: [String]?
    private var activePoll: Int?
    private var terminatedPolls: Set<Int> = []
    private var nextPollID = 1
    private var waiters: [Int: WaiterSlot] = [:]
    private var nextWaiterID = 1
    private(set) var webhook: WebhookConfig?
    private var inFlight: Set<Int64> = []
    private var backoff: [Int64: Backoff] = [:]
    private var lastError: (date: Int, message: String)?
    private var queries: [String: QueryRecord] = [:]
    private var nextQueryNumber: Int64 = 1
    private var nextFileNumber = 1
    private var files: [String: SandboxFile] = [:]
    private var calls: [RecordedCall] = []
    /// Failures the next calls answer with, first in first out.
    /// Failures to answer with, each for the next call of its method (nil: of any method).
    private var injected: [(failure: BotAPIFailure, method: String?)] = []
    private var commands: [String: [BotCommand]] = [:]
    private var requestsInFlight = 0

    init(options: SandboxOptions) {
        self.options = options
        self.bot = User(id: options.botID, isBot: true, firstName: options.botFirstName, username: options.botUsername)
        self.nextUpdateID = options.firstUpdateID
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }

    /// Records that something changed and wakes every waiter. Called with the lock held.
    private func changed() {
        version += 1
        for (id, slot) in waiters {
            if case .registered(let continuation) = slot {
                waiters[id] = nil
                continuation.resume()
            } else {
                waiters[id] = .fired
            }
        }
        condition.broadcast()
    }

    private var now: Int { Int(options.now().timeIntervalSince1970) }

    func stop() {
        locked {
            stopped = true
            changed()
        }
    }

    /// Counts requests being answered, so `stop()` can let them finish: cancelling a
    /// connection in the middle of writing its response is not safe in NIO.
    func beginRequest() {
        locked { requestsInFlight += 1 }
    }

    func endRequest() {
        locked {
            requestsInFlight -= 1
            condition.broadcast()
        }
    }

    /// Blocks until no request is being answered, or `timeout` passes.
    func waitForIdleRequests(timeout: TimeInterval) {
        let deadline = Date().addingTimeInterval(timeout)
        locked {
            while requestsInFlight > 0 && condition.wait(until: deadline) {}
        }
    }

    // MARK: - Waiting

    private enum WaiterSlot {
        case pending
        case registered(CheckedContinuation<Void, Never>)
        case fired
    }

    /// Suspends until the state changes after `generation` or the deadline passes,
    /// without holding a thread.
    func waitForChange(after generation: Int, until deadline: DispatchTime) async {
        let id: Int = locked {
            defer { nextWaiterID += 1 }
            waiters[nextWaiterID] = .pending
            return nextWaiterID
        }
        let timer = Task {
            let now = DispatchTime.now().uptimeNanoseconds
            if deadline.uptimeNanoseconds > now {
                try? await Task.sleep(nanoseconds: deadline.uptimeNanoseconds - now)
            }
            self.fire(id)
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            locked {
                if case .fired? = waiters[id] {
                    waiters[id] = nil
                    continuation.resume()
                } else if version != generation || stopped {
                    waiters[id] = nil
                    continuation.resume()
                } else {
                    waiters[id] = .registered(continuation)
                }
            }
        }
        timer.cancel()
        locked { waiters[id] = nil }
    }

    private func fire(_ id: Int) {
        locked {
            switch waiters[id] {
            case .registered(let continuation)?:
                waiters[id] = nil
                continuation.resume()
            case .pending?:
                waiters[id] = .fired
            case .fired?, nil:
                break
            }
        }
    }

    /// Blocks the calling thread (never one of the cooperative pool) until the state
    /// changes after `generation` or `timeout` passes; returns the version then.
    func blockingWait(after generation: Int, timeout: TimeInterval) -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        return locked {
            while version == generation && !stopped && condition.wait(until: deadline) {}
            return version
        }
    }

    // MARK: - Call log and flood injection

    /// Logs a call; returns the injected failure it must answer with instead, if any.
    func record(method: String, parameters: [String: JSONValue]) -> (index: Int, injected: BotAPIFailure?) {
        locked {
            calls.append(RecordedCall(sequence: calls.count + 1, method: method, parameters: parameters, errorCode: nil,
                                      receivedAt: Date().timeIntervalSince1970))
            var failure: BotAPIFailure?
            if let next = injected.firstIndex(where: { $0.method == nil || $0.method!.lowercased() == method.lowercased() }) {
                failure = injected.remove(at: next).failure
                calls[calls.count - 1].errorCode = failure?.code
            }
            changed()
            return (calls.count - 1, failure)
        }
    }

    func recordOutcome(index: Int, errorCode: Int?) {
        locked {
            guard calls.indices.contains(index), calls[index].errorCode == nil else { return }
            calls[index].errorCode = errorCode
        }
    }

    func recordedCalls(method: String?) -> [RecordedCall] {
        locked { calls.filter { method == nil || $0.method.lowercased() == method!.lowercased() } }
    }

    func inject(_ failure: BotAPIFailure, calls count: Int, method: String? = nil) {
        locked { injected += Array(repeating: (failure, method), count: max(0, count)) }
    }

    // MARK: - Bot API methods (except getUpdates)

    /// Methods this emulator answers, by lowercased name (Telegram ignores the case).
    static let methods: Set<String> = [
        "getme", "getupdates", "setwebhook", "deletewebhook", "getwebhookinfo", "sendmessage", "editmessagetext",
        "editmessagereplymarkup", "deletemessage", "answercallbackquery", "senddocument", "sendphoto",
        "setmycommands", "getmycommands",
    ]

    func perform(_ method: String, _ parameters: Parameters) throws -> BotAPIResult {
        try locked {
            switch method.lowercased() {
            case "getme": return try .value(bot)
            case "setwebhook": return try setWebhook(parameters)
            case "deletewebhook": return try deleteWebhook(parameters)
            case "getwebhookinfo": return try .value(webhookInfo)
            case "sendmessage": return try .value(sendMessage(parameters))
            case "editmessagetext": return try .value(editMessageText(parameters))
            case "editmessagereplymarkup": return try .value(editMessageReplyMarkup(parameters))
            case "deletemessage": return try .value(deleteMessage(parameters))
            case "answercallbackquery": return try .value(answerCallbackQuery(parameters))
            case "senddocument": return try .value(sendFile(parameters, field: "document"))
            case "sendphoto": return try .value(sendFile(parameters, field: "photo"))
            case "setmycommands": return try .value(setMyCommands(parameters))
            case "getmycommands": return try .value(myCommands(parameters))
            default: throw BotAPIFailure.notFound
            }
        }
    }

    /// The private chat `chat_id` names, if its user opened it and has not blocked the bot.
    private func writableChat(_ parameters: Parameters) throws -> Int64 {
        let chatID = try parameters.requiredInt("chat_id")
        guard let chat = chats[chatID] else { throw BotAPIFailure.chatNotFound }
        if chat.blockedBot { throw BotAPIFailure.blocked }
        return chatID
    }

    private func validateText(_ text: String?) throws -> String {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw BotAPIFailure.textEmpty }
        guard text.utf16.count <= 4096 else { throw BotAPIFailure.textTooLong }
        return text
    }

    private func parseMode(_ parameters: Parameters) throws -> String? {
        guard let mode = try parameters.string("parse_mode"), !mode.isEmpty else { return nil }
        guard ["HTML", "MarkdownV2", "Markdown"].contains(mode) else { throw BotAPIFailure.badRequest("unsupported parse_mode") }
        return mode
    }

    private func replyMarkup(_ parameters: Parameters) throws -> ReplyMarkup? {
        let markup = try parameters.decode("reply_markup", as: ReplyMarkup.self,
                                           failure: .badRequest("can't parse reply keyboard markup JSON object"))
        switch markup {
        case .inlineKeyboard(let keyboard)?: try validate(keyboard)
        case .replyKeyboard(let keyboard)?:
            if keyboard.keyboard.flatMap({ $0 }).contains(where: { $0.text.isEmpty }) {
                throw BotAPIFailure.badRequest("keyboard button text is empty")
            }
        default: break
        }
        return markup
    }

    /// Edits take only inline keyboards.
    private func inlineMarkup(_ parameters: Parameters) throws -> InlineKeyboardMarkup? {
        guard let markup = try replyMarkup(parameters) else { return nil }
        guard let inline = markup.inlineKeyboard else { throw BotAPIFailure.badRequest("inline keyboard expected") }
        return inline
    }

    private func validate(_ keyboard: InlineKeyboardMarkup) throws {
        for button in keyboard.buttons {
            if let data = button.callbackData {
                guard (1...64).contains(data.utf8.count) else { throw BotAPIFailure.buttonDataInvalid }
            } else if let url = button.url {
                guard ["http://", "https://", "tg://"].contains(where: url.lowercased().hasPrefix) else {
                    throw BotAPIFailure.badRequest("BUTTON_URL_INVALID")
                }
            } else {
                throw BotAPIFailure.badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
            }
            if button.text.isEmpty { throw BotAPIFailure.badRequest("BUTTON_TEXT_INVALID") }
        }
    }

    private func sendMessage(_ parameters: Parameters) throws -> Message {
        let chatID = try writableChat(parameters)
        let text = try validateText(parameters.string("text"))
        let mode = try parseMode(parameters)
        let markup = try replyMarkup(parameters)
        return appendBotMessage(chatID: chatID, text: text, caption: nil, parseMode: mode, markup: markup)
    }

    private func appendBotMessage(chatID: Int64, text: String?, caption: String?, parseMode: String?, markup: ReplyMarkup?,
                                  document: SandboxFile? = nil, photo: SandboxFile? = nil) -> Message {
        var chat = chats[chatID]!
        var message = Message(messageID: chat.takeMessageID(), from: bot, chat: chat.chat, date: now, text: text, caption: caption,
                              replyMarkup: markup?.inlineKeyboard)
        if let document {
            message.document = Document(fileID: document.fileID, fileUniqueID: "U" + document.fileID, fileName: document.fileName,
                                        mimeType: document.mimeType, fileSize: document.size)
        }
        if let photo {
            message.photo = [PhotoSize(fileID: photo.fileID, fileUniqueID: "U" + photo.fileID, width: 320, height: 320, fileSize: photo.size)]
        }
        switch markup {
        case .replyKeyboard(let keyboard)?: chat.replyKeyboard = keyboard
        case .removeKeyboard?: chat.replyKeyboard = nil
        default: break
        }
        chat.messages.append(MessageRecord(message: message, sender: .bot, parseMode: parseMode, sentMarkup: markup,
                                           document: document, photo: photo))
        chat.botActionCount += 1
        chats[chatID] = chat
        changed()
        return message
    }

    /// The bot's own live message `message_id` in the chat, for an edit.
    private func editableMessage(_ parameters: Parameters) throws -> (chatID: Int64, index: Int) {
        let chatID = try writableChat(parameters)
        let messageID = try parameters.requiredInt("message_id")
        guard let index = chats[chatID]!.index(of: messageID) else { throw BotAPIFailure.editNotFound }
        guard chats[chatID]!.messages[index].sender == .bot else { throw BotAPIFailure.badRequest("message can't be edited") }
        return (chatID, index)
    }

    private func editMessageText(_ parameters: Parameters) throws -> Message {
        let (chatID, index) = try editableMessage(parameters)
        let text = try validateText(parameters.string("text"))
        let mode = try parseMode(parameters)
        let markup = try inlineMarkup(parameters)
        var record = chats[chatID]!.messages[index]
        guard record.message.text != nil else { throw BotAPIFailure.badRequest("there is no text in the message to edit") }
        if record.message.text == text && record.message.replyMarkup == markup { throw BotAPIFailure.notModified }
        record.message.text = text
        record.parseMode = mode
        return store(edited: record, markup: markup, chatID: chatID, index: index)
    }

    private func editMessageReplyMarkup(_ parameters: Parameters) throws -> Message {
        let (chatID, index) = try editableMessage(parameters)
        let markup = try inlineMarkup(parameters)
        let record = chats[chatID]!.messages[index]
        if record.message.replyMarkup == markup { throw BotAPIFailure.notModified }
        return store(edited: record, markup: markup, chatID: chatID, index: index)
    }

    private func store(edited: MessageRecord, markup: InlineKeyboardMarkup?, chatID: Int64, index: Int) -> Message {
        var record = edited
        record.message.replyMarkup = markup
        record.sentMarkup = markup.map(ReplyMarkup.inlineKeyboard)
        record.message.editDate = now
        record.editCount += 1
        chats[chatID]!.messages[index] = record
        chats[chatID]!.botActionCount += 1
        changed()
        return record.message
    }

    private func deleteMessage(_ parameters: Parameters) throws -> Bool {
        let chatID = try parameters.requiredInt("chat_id")
        guard chats[chatID] != nil else { throw BotAPIFailure.chatNotFound }
        let messageID = try parameters.requiredInt("message_id")
        guard let index = chats[chatID]!.index(of: messageID) else { throw BotAPIFailure.deleteNotFound }
        chats[chatID]!.messages[index].deleted = true
        chats[chatID]!.botActionCount += 1
        changed()
        return true
    }

    private func answerCallbackQuery(_ parameters: Parameters) throws -> Bool {
        guard let id = try parameters.string("callback_query_id"), var query = queries[id], !query.answered else {
            throw BotAPIFailure.queryInvalid
        }
        let text = try parameters.string("text")
        if let text, text.utf16.count > 200 { throw BotAPIFailure.badRequest("MESSAGE_TOO_LONG") }
        query.answered = true
        queries[id] = query
        chats[query.chatID]?.callbackAnswers.append(CallbackAnswer(
            callbackQueryID: id, messageID: query.messageID, callbackData: query.data, text: text,
            showAlert: try parameters.bool("show_alert") ?? false))
        chats[query.chatID]?.botActionCount += 1
        changed()
        return true
    }

    private func sendFile(_ parameters: Parameters, field: String) throws -> Message {
        let chatID = try writableChat(parameters)
        let caption = try parameters.string("caption")
        if let caption, caption.utf16.count > UploadLimits.captionLength { throw BotAPIFailure.captionTooLong }
        let markup = try replyMarkup(parameters)
        let file: SandboxFile
        if let upload = parameters.files[field] {
            guard upload.data.count <= UploadLimits.fileBytes else { throw BotAPIFailure.fileTooLarge }
            file = SandboxFile(fileID: newFileID(field), fileName: upload.fileName, mimeType: upload.contentType,
                               size: upload.data.count, data: upload.data, reference: nil)
            files[file.fileID] = file
        } else if let reference = try parameters.string(field), !reference.isEmpty {
            if var known = files[reference] {
                known.reference = reference
                file = known
            } else if reference.hasPrefix("http://") || reference.hasPrefix("https://") {
                file = SandboxFile(fileID: newFileID(field), fileName: nil, mimeType: nil, size: nil, data: nil, reference: reference)
            } else {
                throw BotAPIFailure.badRequest("wrong file identifier/HTTP URL specified")
            }
        } else {
            throw BotAPIFailure.badRequest("there is no \(field) in the request")
        }
        return appendBotMessage(chatID: chatID, text: nil, caption: caption, parseMode: try parseMode(parameters), markup: markup,
                                document: field == "document" ? file : nil, photo: field == "photo" ? file : nil)
    }

    private func newFileID(_ field: String) -> String {
        defer { nextFileNumber += 1 }
        return "\(field == "photo" ? "AgAC" : "BQAC")sandbox\(nextFileNumber)"
    }

    private func commandsKey(_ parameters: Parameters) throws -> String {
        let scope = try parameters.decode("scope", as: BotCommandScope.self, failure: .badRequest("can't parse BotCommandScope JSON object"))
        let language = try parameters.string("language_code") ?? ""
        guard language.isEmpty || (language.count == 2 && language.allSatisfy({ $0.isLetter && $0.isLowercase })) else {
            throw BotAPIFailure.badRequest("invalid language code specified")
        }
        return "\((scope ?? .default).type)|\(language)"
    }

    private func setMyCommands(_ parameters: Parameters) throws -> Bool {
        guard let list = try parameters.decode("commands", as: [BotCommand].self, failure: .badRequest("can't parse commands JSON object")) else {
            throw BotAPIFailure.badRequest("parameter \"commands\" is required")
        }
        guard list.count <= 100 else { throw BotAPIFailure.badRequest("too many commands specified") }
        for command in list {
            let allowed = command.command.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
            guard (1...32).contains(command.command.count), allowed else { throw BotAPIFailure.badRequest("BOT_COMMAND_INVALID") }
            guard (1...256).contains(command.description.count) else { throw BotAPIFailure.badRequest("BOT_COMMAND_DESCRIPTION_INVALID") }
        }
        commands[try commandsKey(parameters)] = list
        changed()
        return true
    }

    private func myCommands(_ parameters: Parameters) throws -> [BotCommand] {
        commands[try commandsKey(parameters)] ?? []
    }

    func commandList(scope: BotCommandScope, languageCode: String?) -> [BotCommand]? {
        locked { commands["\(scope.type)|\(languageCode ?? "")"] }
    }

    // MARK: - Webhook

    struct WebhookConfig {
        var url: String
        var secretToken: String?
        var maxConnections: Int
    }

    private struct Backoff {
        var retryAt: DispatchTime
        var delay: Double
    }

    private func setWebhook(_ parameters: Parameters) throws -> BotAPIResult {
        let url = try parameters.string("url") ?? ""
        if url.isEmpty { return try deleteWebhook(parameters) }
        guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
              let host = components.host, !host.isEmpty else {
            throw BotAPIFailure.badRequest("bad webhook: An HTTPS URL must be provided for webhook")
        }
        let secret = try parameters.string("secret_token")
        if let secret {
            let allowed = secret.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "_" || $0 == "-" }
            guard (1...256).contains(secret.count), allowed else {
                throw BotAPIFailure.badRequest("secret token contains unallowed characters")
            }
        }
        let connections = try parameters.int("max_connections").map { Int(min(max($0, 1), 100)) } ?? 40
        let allowed = try parameters.decode("allowed_updates", as: [String].self, failure: .badRequest("can't parse allowed updates"))
        if try parameters.bool("drop_pending_updates") == true { pending.removeAll() }
        if let allowed { allowedUpdates = allowed }
        let same = webhook?.url == url
        if !same {
            backoff.removeAll()
            lastError = nil
        }
        webhook = WebhookConfig(url: url, secretToken: secret, maxConnections: connections)
        changed()
        return try .value(true, description: same ? "Webhook is already set" : "Webhook was set")
    }

    private func deleteWebhook(_ parameters: Parameters) throws -> BotAPIResult {
        if try parameters.bool("drop_pending_updates") == true { pending.removeAll() }
        let had = webhook != nil
        webhook = nil
        backoff.removeAll()
        lastError = nil
        changed()
        return try .value(true, description: had ? "Webhook was deleted" : "Webhook is already deleted")
    }

    private var webhookInfo: WebhookInfo {
        WebhookInfo(url: webhook?.url ?? "", pendingUpdateCount: pending.count, lastErrorDate: lastError?.date,
                    lastErrorMessage: lastError?.message, maxConnections: webhook?.maxConnections,
                    allowedUpdates: allowedUpdates)
    }

    /// The updates to POST now: the oldest pending update of each chat that has nothing in
    /// flight and is not waiting out a failure, up to the connection limit. Each is
    /// marked in flight. Called with the lock held.
    func takeDeliveries() -> [WebhookDelivery] {
        guard let webhook, !stopped else { return [] }
        let now = DispatchTime.now()
        var seen: Set<Int64> = []
        var result: [WebhookDelivery] = []
        for update in pending {
            guard inFlight.count < webhook.maxConnections else { break }
            guard seen.insert(update.group).inserted else { continue }
            if inFlight.contains(update.group) { continue }
            if let wait = backoff[update.group], wait.retryAt > now { continue }
            inFlight.insert(update.group)
            result.append(WebhookDelivery(updateID: update.id, group: update.group, url: webhook.url,
                                          secretToken: webhook.secretToken, body: update.raw))
        }
        return result
    }

    /// When the dispatcher should look again even if nothing changes: the next backoff end.
    func nextRetry() -> DispatchTime? {
        backoff.values.map(\.retryAt).min()
    }

    /// Settles one delivery: a 2xx confirms the update; anything else leaves it first in
    /// its chat's line and waits before the next try.
    func finish(_ delivery: WebhookDelivery, failure: String?) {
        locked {
            inFlight.remove(delivery.group)
            if let failure {
                let delay = backoff[delivery.group].map { min($0.delay * 2, options.webhookMaxBackoff) } ?? options.webhookInitialBackoff
                backoff[delivery.group] = Backoff(retryAt: .now() + delay, delay: delay)
                lastError = (now, failure)
            } else {
                backoff[delivery.group] = nil
                pending.removeAll { $0.id == delivery.updateID }
            }
            changed()
        }
    }

    // MARK: - getUpdates

    struct PollTicket {
        let id: Int
        let limit: Int
        let deadline: DispatchTime
    }

    enum PollStep {
        case answer(BotAPIResult)
        case wait(PollTicket, generation: Int)
    }

    /// Confirms what `offset` confirms and answers at once when there is something to
    /// answer; otherwise registers the long poll (ending any other one: Telegram tells
    /// the older request it was terminated).
    func startPoll(_ parameters: Parameters) throws -> PollStep {
        let offset = try parameters.int("offset")
        let limit = Int(min(max(try parameters.int("limit") ?? 100, 1), 100))
        let timeout = Int(max(try parameters.int("timeout") ?? 0, 0))
        let allowed = try parameters.decode("allowed_updates", as: [String].self, failure: .badRequest("can't parse allowed updates"))
        return try locked {
            if webhook != nil { throw BotAPIFailure.webhookActive }
            if let active = activePoll {
                terminatedPolls.insert(active)
                activePoll = nil
                changed()
            }
            if let offset { confirm(offset) }
            if let allowed { allowedUpdates = allowed }
            let batch = Array(pending.prefix(limit))
            if !batch.isEmpty || timeout == 0 || stopped { return .answer(.updates(batch)) }
            let ticket = PollTicket(id: nextPollID, limit: limit, deadline: .now() + .seconds(timeout))
            nextPollID += 1
            activePoll = ticket.id
            return .wait(ticket, generation: version)
        }
    }

    func continuePoll(_ ticket: PollTicket) throws -> PollStep {
        try locked {
            if terminatedPolls.remove(ticket.id) != nil { throw BotAPIFailure.pollConflict }
            let batch = Array(pending.prefix(ticket.limit))
            let done = !batch.isEmpty || stopped || webhook != nil || DispatchTime.now() >= ticket.deadline
            guard done else { return .wait(ticket, generation: version) }
            if activePoll == ticket.id { activePoll = nil }
            if webhook != nil { throw BotAPIFailure.webhookActive }
            return .answer(.updates(batch))
        }
    }

    private func confirm(_ offset: Int64) {
        let before = pending.count
        if offset < 0 {
            pending = Array(pending.suffix(Int(min(-offset, Int64(pending.count)))))
        } else {
            pending.removeAll { $0.id < offset }
        }
        if pending.count != before { changed() }
    }

    var pendingCount: Int { locked { pending.count } }

    // MARK: - Simulated users

    func register(_ user: User) {
        locked {
            users[user.id] = user
            chats[user.id]?.user = user
            changed()
        }
    }

    private func user(_ id: Int64) -> User {
        users[id] ?? User(id: id, firstName: "User \(id)")
    }

    func userSends(_ text: String, from userID: Int64, forwardedFrom original: User?) throws -> Update {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw SandboxError.emptyText }
        return try locked {
            let sender = user(userID)
            users[userID] = sender
            var chat = chats[userID] ?? ChatRecord(user: sender)
            if chat.blockedBot { throw SandboxError.userBlockedBot(userID: userID) }
            var message = Message(messageID: chat.takeMessageID(), from: sender, chat: chat.chat, date: now, text: text)
            if text.hasPrefix("/") {
                let word = text.prefix { !$0.isWhitespace }
                message.entities = [MessageEntity(type: "bot_command", offset: 0, length: word.utf16.count)]
            }
            if let original {
                message.forwardOrigin = MessageOrigin(type: "user", date: now, senderUser: original)
            }
            chat.messages.append(MessageRecord(message: message, sender: .user, forwardedFrom: original))
            chats[userID] = chat
            return enqueue(Update(updateID: 0, message: message), group: userID)
        }
    }

    /// `forged`: the data need not be on any button of the message (a modified client can
    /// send any bytes as callback data, and Telegram passes them on).
    func press(userID: Int64, messageID: Int64, callbackData: String, forged: Bool = false) throws -> Update {
        try locked {
            guard let chat = chats[userID] else { throw SandboxError.chatNotOpened(chatID: userID) }
            if chat.blockedBot { throw SandboxError.userBlockedBot(userID: userID) }
            guard let index = chat.index(of: messageID) else { throw SandboxError.messageNotFound(chatID: userID, messageID: messageID) }
            let message = chat.messages[index].message
            guard forged || message.replyMarkup?.buttons.contains(where: { $0.callbackData == callbackData }) == true else {
                throw SandboxError.buttonNotFound(messageID: messageID, callbackData: callbackData)
            }
            let id = String(4_000_000_000_000_000 + nextQueryNumber)
            nextQueryNumber += 1
            queries[id] = QueryRecord(chatID: userID, messageID: messageID, data: callbackData)
            let query = CallbackQuery(id: id, from: chat.user, message: message, chatInstance: String(-userID), data: callbackData)
            return enqueue(Update(updateID: 0, callbackQuery: query), group: userID)
        }
    }

    /// Blocks or unblocks; nil when the chat already was that way.
    func setBlocked(_ blocked: Bool, userID: Int64) throws -> Update? {
        try locked {
            guard var chat = chats[userID] else { throw SandboxError.chatNotOpened(chatID: userID) }
            guard chat.blockedBot != blocked else { return nil }
            chat.blockedBot = blocked
            chats[userID] = chat
            let member = ChatMember(status: "member", user: bot)
            let kicked = ChatMember(status: "kicked", user: bot, untilDate: 0)
            let change = ChatMemberUpdated(chat: chat.chat, from: chat.user, date: now,
                                           oldChatMember: blocked ? member : kicked, newChatMember: blocked ? kicked : member)
            return enqueue(Update(updateID: 0, myChatMember: change), group: userID)
        }
    }

    /// Numbers the update and queues it (unless allowed_updates leaves its kind out).
    /// Called with the lock held.
    private func enqueue(_ draft: Update, group: Int64) -> Update {
        var update = draft
        update.updateID = nextUpdateID
        nextUpdateID += 1
        let raw = (try? JSONEncoder.sorted.encode(update)) ?? Data()
        defer { changed() }
        if let allowed = allowedUpdates, !allowed.isEmpty, !allowed.contains(update.kind.description) { return update }
        pending.append(PendingUpdate(id: update.updateID, group: group, raw: raw))
        // Decoded back from its bytes, so the caller's copy carries `raw` like a received one.
        return (try? Update.decode(raw)) ?? update
    }

    func transcript(chatID: Int64) -> ChatTranscript? {
        locked { chats[chatID].map { $0.transcript } }
    }

    func chatIDs() -> [Int64] {
        locked { chats.keys.sorted() }
    }

    func botActionCounts(chatIDs: [Int64]) -> [Int] {
        locked { chatIDs.map { chats[$0]?.botActionCount ?? 0 } }
    }
}

/// What a Bot API method answers on success: the `result` JSON and, for a few methods,
/// Telegram's human-readable `description`.
enum BotAPIResult {
    case json(Data, description: String?)

    static func value(_ value: some Encodable, description: String? = nil) throws -> BotAPIResult {
        .json(try JSONEncoder.sorted.encode(value), description: description)
    }

    static func updates(_ updates: [PendingUpdate]) -> BotAPIResult {
        .json(Data("[".utf8) + Data(updates.map(\.raw).joined(separator: Data(",".utf8))) + Data("]".utf8), description: nil)
    }
}

/// An update waiting to be fetched or delivered, with the bytes every reader gets.
struct PendingUpdate {
    let id: Int64
    /// Updates of one group (chat) are delivered one at a time, in order.
    let group: Int64
    let raw: Data
}

/// One webhook POST to make.
struct WebhookDelivery: Sendable {
    let updateID: Int64
    let group: Int64
    let url: String
    let secretToken: String?
    let body: Data
}

private struct QueryRecord {
    let chatID: Int64
    let messageID: Int64
    let data: String
    var answered = false
}

/// A message as stored: its current Bot API form plus what the transcript shows.
struct MessageRecord {
    var message: Message
    let sender: TranscriptMessage.Sender
    var parseMode: String?
    var sentMarkup: ReplyMarkup?
    var document: SandboxFile?
    var photo: SandboxFile?
    var forwardedFrom: User?
    var editCount = 0
    var deleted = false

    init(message: Message, sender: TranscriptMessage.Sender, parseMode: String? = nil, sentMarkup: ReplyMarkup? = nil,
         document: SandboxFile? = nil, photo: SandboxFile? = nil, forwardedFrom: User? = nil) {
        self.message = message
        self.sender = sender
        self.parseMode = parseMode
        self.sentMarkup = sentMarkup
        self.document = document
        self.photo = photo
        self.forwardedFrom = forwardedFrom
    }
}

/// One user's private chat with the bot.
struct ChatRecord {
    var user: User
    var blockedBot = false
    var nextMessageID: Int64 = 1
    var messages: [MessageRecord] = []
    var callbackAnswers: [CallbackAnswer] = []
    var replyKeyboard: ReplyKeyboardMarkup?
    /// Messages the bot sent, edits, deletions and answered presses: `botActionCounts`.
    var botActionCount = 0

    init(user: User) { self.user = user }

    var chat: Chat {
        Chat(id: user.id, type: "private", username: user.username, firstName: user.firstName, lastName: user.lastName)
    }

    /// Message ids of a private chat count up across both sides.
    mutating func takeMessageID() -> Int64 {
        defer { nextMessageID += 1 }
        return nextMessageID
    }

    /// The position of a message that exists and was not deleted.
    func index(of messageID: Int64) -> Int? {
        messages.firstIndex { $0.message.messageID == messageID && !$0.deleted }
    }

    var transcript: ChatTranscript {
        ChatTranscript(chatID: user.id, user: user, blockedBot: blockedBot, messages: messages.map { record in
            TranscriptMessage(messageID: record.message.messageID, sender: record.sender, date: record.message.date,
                              text: record.message.text, caption: record.message.caption, parseMode: record.parseMode,
                              replyMarkup: record.sentMarkup, document: record.document, photo: record.photo,
                              forwardedFrom: record.forwardedFrom, editCount: record.editCount, deleted: record.deleted)
        }, callbackAnswers: callbackAnswers, replyKeyboard: replyKeyboard)
    }
}
