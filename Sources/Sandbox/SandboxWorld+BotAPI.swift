import Foundation
import Telegram

// The Bot API methods (getUpdates and the webhook's own are in +Polling and +Webhook),
// their validation as Telegram does it, and the call log with its injected failures.
extension SandboxWorld {
    /// Methods this emulator answers, by lowercased name (Telegram ignores the case).
    static let methods: Set<String> = [
        "getme", "getupdates", "setwebhook", "deletewebhook", "getwebhookinfo", "sendmessage", "editmessagetext",
        "editmessagereplymarkup", "deletemessage", "answercallbackquery", "senddocument", "sendphoto",
        "setmycommands", "getmycommands",
    ]

    /// Runs a method as Telegram does when the call arrives: flood control first (a call
    /// over a limit changes nothing), then the method; only a call that took effect spends.
    func perform(_ method: String, _ parameters: Parameters) throws -> BotAPIResult {
        let chatID = try? parameters.int("chat_id")
        return try locked { state in
            let now = TelegramClock.now
            let charge = state.flood == nil ? nil : FloodBudgets.charge(method: method.lowercased(), chatID: chatID)
            if let charge { try state.flood?.admit(charge, at: now) }
            let result = try state.perform(method, parameters)
            if let charge { state.flood?.spend(charge, at: now) }
            return result
        }
    }

    func commandList(scope: BotCommandScope, languageCode: String?) -> [BotCommand]? {
        locked { $0.commands["\(scope.type)|\(languageCode ?? "")"] }
    }

    // MARK: - Call log and failure injection

    /// Logs a call; returns the injected failure it must answer with instead, if any.
    func record(method: String, parameters: [String: JSONValue]) -> (index: Int, injected: BotAPIFailure?) {
        locked { state in
            defer { state.changed() }
            return state.calls.record(method: method, parameters: parameters)
        }
    }

    func recordOutcome(index: Int, errorCode: Int?) {
        locked { $0.calls.recordOutcome(index: index, errorCode: errorCode) }
    }

    /// The call's answer has reached the bot (its way back travelled).
    func recordAnswered(index: Int) {
        let now = Date().timeIntervalSince1970
        locked { $0.calls.recordAnswered(index: index, at: now) }
    }

    func recordedCalls(method: String?) -> [RecordedCall] {
        locked { $0.calls.recorded(method: method) }
    }

    func inject(_ failure: BotAPIFailure, calls count: Int, method: String? = nil) {
        locked { $0.calls.inject(failure, calls: count, method: method) }
    }

    var floodRefusals: Int { locked { $0.calls.floodRefusals } }

    var pressReport: SandboxServer.PressReport { locked { $0.queries.report } }

    /// Zeroes the press report and the 429 count, and starts the peak of calls in flight
    /// again from those in flight now (the call log stays).
    func resetCounters() {
        locked { state in
            state.queries.resetReport()
            state.calls.resetFloodRefusals()
            state.botCalls.resetPeak()
            state.changed()
        }
    }
}

/// Every Bot API call received, and the failures the next calls answer with.
struct CallLog {
    private var calls: [RecordedCall] = []
    /// Failures to answer with, first in first out, each for the next call of its method
    /// (nil: of any method).
    private var injected: [(failure: BotAPIFailure, method: String?)] = []
    /// 429s answered (injected or for sending too fast) since the start or the last reset.
    private(set) var floodRefusals = 0

    mutating func record(method: String, parameters: [String: JSONValue]) -> (index: Int, injected: BotAPIFailure?) {
        calls.append(RecordedCall(sequence: calls.count + 1, method: method, parameters: parameters, errorCode: nil,
                                  receivedAt: Date().timeIntervalSince1970))
        var failure: BotAPIFailure?
        if let next = injected.firstIndex(where: { $0.method == nil || $0.method!.lowercased() == method.lowercased() }) {
            failure = injected.remove(at: next).failure
            calls[calls.count - 1].errorCode = failure?.code
            if failure?.code == 429 { floodRefusals += 1 }
        }
        return (calls.count - 1, failure)
    }

    mutating func recordOutcome(index: Int, errorCode: Int?) {
        guard calls.indices.contains(index), calls[index].errorCode == nil else { return }
        calls[index].errorCode = errorCode
        if errorCode == 429 { floodRefusals += 1 }
    }

    mutating func recordAnswered(index: Int, at time: Double) {
        guard calls.indices.contains(index) else { return }
        calls[index].answeredAt = time
    }

    mutating func resetFloodRefusals() { floodRefusals = 0 }

    func recorded(method: String?) -> [RecordedCall] {
        calls.filter { method == nil || $0.method.lowercased() == method!.lowercased() }
    }

    mutating func inject(_ failure: BotAPIFailure, calls count: Int, method: String?) {
        injected += Array(repeating: (failure, method), count: max(0, count))
    }
}

/// The files the bot sent (uploads and references), by file id.
struct BotFiles {
    private var files: [String: SandboxFile] = [:]
    private var nextNumber = 1

    /// An uploaded file, kept under a new id.
    mutating func upload(_ upload: UploadedFile, field: String) -> SandboxFile {
        let file = SandboxFile(fileID: newID(field), fileName: upload.fileName, mimeType: upload.contentType,
                               size: upload.data.count, data: upload.data, reference: nil)
        files[file.fileID] = file
        return file
    }

    /// A photo a user sent: kept under a new id, so the bot may send it on by that id.
    /// Without `data` (the control API's photos) it stands for a 1 KB JPEG never seen.
    /// Pictures are kept for the Sandbox's life, so there is a bound on their bytes.
    mutating func userPhoto(data: Data? = nil, mimeType: String = "image/jpeg") throws -> SandboxFile {
        let bytes = data?.count ?? 0
        guard keptPhotoBytes + bytes <= Self.maxKeptPhotoBytes else {
            throw SandboxError.photosFull(limitMegabytes: Self.maxKeptPhotoBytes >> 20)
        }
        keptPhotoBytes += bytes
        let file = SandboxFile(fileID: newID("photo"), fileName: nil, mimeType: mimeType, size: data?.count ?? 1024, data: data, reference: nil)
        files[file.fileID] = file
        return file
    }

    static let maxKeptPhotoBytes = 100 << 20
    private var keptPhotoBytes = 0

    /// A file kept under this id (an upload or a user's photo).
    func file(_ id: String) -> SandboxFile? { files[id] }

    /// A file sent by reference: an id sent before, or an HTTP URL (given a new id).
    mutating func reference(_ reference: String, field: String) throws -> SandboxFile {
        if var known = files[reference] {
            known.reference = reference
            return known
        } else if reference.hasPrefix("http://") || reference.hasPrefix("https://") {
            // Kept, as Telegram keeps what it fetched: the bot may send it again by its new id.
            let file = SandboxFile(fileID: newID(field), fileName: nil, mimeType: nil, size: nil, data: nil, reference: reference)
            files[file.fileID] = file
            return file
        } else {
            throw BotAPIFailure.badRequest("wrong file identifier/HTTP URL specified")
        }
    }

    private mutating func newID(_ field: String) -> String {
        defer { nextNumber += 1 }
        return "\(field == "photo" ? "AgAC" : "BQAC")sandbox\(nextNumber)"
    }
}

extension SandboxWorld.State {
    mutating func perform(_ method: String, _ parameters: Parameters) throws -> BotAPIResult {
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

    private mutating func sendMessage(_ parameters: Parameters) throws -> Message {
        let chatID = try writableChat(parameters)
        let text = try validateText(parameters.string("text"))
        let mode = try parseMode(parameters)
        let markup = try replyMarkup(parameters)
        return appendBotMessage(chatID: chatID, text: text, caption: nil, parseMode: mode, markup: markup)
    }

    private mutating func appendBotMessage(chatID: Int64, text: String?, caption: String?, parseMode: String?, markup: ReplyMarkup?,
                                           document: SandboxFile? = nil, photo: SandboxFile? = nil) -> Message {
        // Taken out while it changes, so its history is not copied on every message.
        var chat = chats.removeValue(forKey: chatID)!
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

    private mutating func editMessageText(_ parameters: Parameters) throws -> Message {
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

    private mutating func editMessageReplyMarkup(_ parameters: Parameters) throws -> Message {
        let (chatID, index) = try editableMessage(parameters)
        let markup = try inlineMarkup(parameters)
        let record = chats[chatID]!.messages[index]
        if record.message.replyMarkup == markup { throw BotAPIFailure.notModified }
        return store(edited: record, markup: markup, chatID: chatID, index: index)
    }

    private mutating func store(edited: MessageRecord, markup: InlineKeyboardMarkup?, chatID: Int64, index: Int) -> Message {
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

    private mutating func deleteMessage(_ parameters: Parameters) throws -> Bool {
        let chatID = try parameters.requiredInt("chat_id")
        guard chats[chatID] != nil else { throw BotAPIFailure.chatNotFound }
        let messageID = try parameters.requiredInt("message_id")
        guard let index = chats[chatID]!.index(of: messageID) else { throw BotAPIFailure.deleteNotFound }
        chats[chatID]!.messages[index].deleted = true
        chats[chatID]!.botActionCount += 1
        changed()
        return true
    }

    private mutating func answerCallbackQuery(_ parameters: Parameters) throws -> Bool {
        guard let id = try parameters.string("callback_query_id") else { throw BotAPIFailure.queryInvalid }
        let now = TelegramClock.now
        let query: QueryRecord
        do {
            query = try queries.answerable(id, at: now, deadline: pressAnswerDeadline)
        } catch {
            changed()  // a refusal may have marked the press late (PressReport)
            throw error
        }
        let text = try parameters.string("text")
        if let text, text.utf16.count > 200 { throw BotAPIFailure.badRequest("MESSAGE_TOO_LONG") }
        queries.markAnswered(id, at: now)
        chats[query.chatID]?.callbackAnswers.append(CallbackAnswer(
            callbackQueryID: id, messageID: query.messageID, callbackData: query.data, text: text,
            showAlert: try parameters.bool("show_alert") ?? false))
        chats[query.chatID]?.botActionCount += 1
        changed()
        return true
    }

    private mutating func sendFile(_ parameters: Parameters, field: String) throws -> Message {
        let chatID = try writableChat(parameters)
        let caption = try parameters.string("caption")
        if let caption, caption.utf16.count > UploadLimits.captionLength { throw BotAPIFailure.captionTooLong }
        let markup = try replyMarkup(parameters)
        let file: SandboxFile
        if let upload = parameters.files[field] {
            guard upload.data.count <= UploadLimits.fileBytes else { throw BotAPIFailure.fileTooLarge }
            file = files.upload(upload, field: field)
        } else if let reference = try parameters.string(field), !reference.isEmpty {
            file = try files.reference(reference, field: field)
        } else {
            throw BotAPIFailure.badRequest("there is no \(field) in the request")
        }
        return appendBotMessage(chatID: chatID, text: nil, caption: caption, parseMode: try parseMode(parameters), markup: markup,
                                document: field == "document" ? file : nil, photo: field == "photo" ? file : nil)
    }

    private func commandsKey(_ parameters: Parameters) throws -> String {
        let scope = try parameters.decode("scope", as: BotCommandScope.self, failure: .badRequest("can't parse BotCommandScope JSON object"))
        let language = try parameters.string("language_code") ?? ""
        guard language.isEmpty || (language.count == 2 && language.allSatisfy({ $0.isLetter && $0.isLowercase })) else {
            throw BotAPIFailure.badRequest("invalid language code specified")
        }
        return "\((scope ?? .default).type)|\(language)"
    }

    private mutating func setMyCommands(_ parameters: Parameters) throws -> Bool {
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
}
