/// A broadcast's figures as the staff screens and the report show them (SPEC admin 8).
public struct BroadcastFigures: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case sending, done, other
    }

    public var id: Int64
    public var status: Status
    /// Its text's opening, for the list's buttons.
    public var text: String
    public var total: Int
    public var recorded: Int
    public var sent: Int
    public var failed: Int
    public var blocked: Int

    public init(id: Int64, status: Status, text: String, total: Int, recorded: Int, sent: Int, failed: Int, blocked: Int) {
        self.id = id
        self.status = status
        self.text = text
        self.total = total
        self.recorded = recorded
        self.sent = sent
        self.failed = failed
        self.blocked = blocked
    }
}

/// What was wrong with the text typed for a broadcast.
public enum BroadcastProblem: Error, Sendable, Hashable {
    case empty
    /// `length` UTF-16 units, over `limit`.
    case tooLong(length: Int, limit: Int)
}

/// The broadcast screens (SPEC admin 8), super admins only.
public enum BroadcastText: StaffScreenText, Hashable {
    /// The recent broadcasts (buttons below), or none yet.
    case list(count: Int)
    /// Asks for the text.
    case ask(limit: Int)
    /// Asks again, after what was wrong.
    case askAgain(BroadcastProblem, limit: Int)
    /// Under the preview (the message above, exactly as recipients will get it).
    case preview(recipients: Int)
    /// Confirmed: it goes out in the background; the report comes here.
    case started(id: Int64, recipients: Int)
    /// Confirm pressed with no text waiting (pressed twice, or forged).
    case nothingToSend
    /// One broadcast's figures so far.
    case progress(BroadcastFigures)
    /// A broadcast id that does not exist.
    case notFound
    /// The sender's report when every message is settled.
    case report(BroadcastFigures)

    public func text(in language: Language) -> String {
        switch self {
        case .list(let count): return BroadcastKey.list.screen(["count": .number(count)], in: language)
        case .ask(let limit): return BroadcastKey.ask.screen(["limit": .number(limit)], in: language)
        case .askAgain(let problem, let limit):
            let what: String
            switch problem {
            case .empty: what = BroadcastKey.problemEmpty.render(in: language)
            case .tooLong(let length, let limit):
                what = BroadcastKey.problemTooLong.render(["length": .number(length), "limit": .number(limit)], in: language)
            }
            return BroadcastKey.askAgain.screen(["problem": .text(what), "limit": .number(limit)], in: language)
        case .preview(let recipients): return BroadcastKey.preview.screen(["count": .number(recipients)], in: language)
        case .started(let id, let recipients):
            return BroadcastKey.started.screen(["id": .text(String(id)), "count": .number(recipients)], in: language)
        case .nothingToSend: return BroadcastKey.nothingToSend.screen(in: language)
        case .progress(let figures): return BroadcastKey.progress.screen(Self.values(figures), in: language)
        case .notFound: return BroadcastKey.notFound.screen(in: language)
        case .report(let figures): return BroadcastKey.report.screen(Self.values(figures), in: language)
        }
    }

    private static func values(_ figures: BroadcastFigures) -> [String: TemplateValue] {
        ["id": .text(String(figures.id)), "status": .text(figures.status.rawValue), "total": .number(figures.total),
         "recorded": .number(figures.recorded), "sent": .number(figures.sent), "failed": .number(figures.failed),
         "blocked": .number(figures.blocked)]
    }
}

public enum BroadcastButton: StaffLabel, Hashable {
    /// The staff menu's entry.
    case menuEntry
    case new
    case send
    case edit
    /// Shows (again) a broadcast's figures.
    case progress
    /// One of the recent broadcasts on the list.
    case item(BroadcastFigures)
    /// Back to the list.
    case list

    public func label(in language: Language) -> String {
        switch self {
        case .menuEntry: return BroadcastKey.buttonEntry.buttonLabel(in: language)
        case .new: return BroadcastKey.buttonNew.buttonLabel(in: language)
        case .send: return BroadcastKey.buttonSend.buttonLabel(in: language)
        case .edit: return BroadcastKey.buttonEdit.buttonLabel(in: language)
        case .progress: return BroadcastKey.buttonProgress.buttonLabel(in: language)
        case .list: return BroadcastKey.buttonList.buttonLabel(in: language)
        case .item(let figures):
            let opening = String(figures.text.split(whereSeparator: \.isNewline).first ?? "").prefix(30)
            return BroadcastKey.buttonItem.buttonLabel(["id": .text(String(figures.id)), "status": .text(figures.status.rawValue),
                                                        "sent": .number(figures.sent), "text": .text(String(opening))], in: language)
        }
    }
}

extension Texts {
    /// An audit line's words for a broadcast started.
    static func broadcastAuditWords(recipients: Int, in language: Language) -> String {
        BroadcastKey.audit.render(["count": .number(recipients)], in: language)
    }
}

enum BroadcastKey: String, StaffTemplateSet {
    case list, ask, askAgain, problemEmpty, problemTooLong, preview, started, nothingToSend, progress, notFound, report, audit
    case buttonEntry, buttonNew, buttonSend, buttonEdit, buttonProgress, buttonList, buttonItem

    /// Formats with no words.
    static let neutral: Set<BroadcastKey> = [.buttonItem]

    var pair: (ru: String, en: String) {
        switch self {
        case .list:
            return (ru: "📣 Рассылки\n\n{count, plural, =0 {Рассылок ещё не было.} one {Последняя # рассылка — нажмите, чтобы увидеть ход и итог.} few {Последние # рассылки — нажмите, чтобы увидеть ход и итог.} many {Последние # рассылок — нажмите, чтобы увидеть ход и итог.} other {Последние # рассылки — нажмите, чтобы увидеть ход и итог.}}",
                    en: "📣 Broadcasts\n\n{count, plural, =0 {No broadcasts yet.} one {The latest broadcast — tap it for its progress and report.} other {The latest # broadcasts — tap one for its progress and report.}}")
        case .ask:
            return (ru: "📣 Новая рассылка\n\nПришлите текст сообщения для всех, кто пользуется ботом (до {limit} символов), или одно фото с подписью (до 1024 символов). Текст уйдёт как есть, без оформления. Перед отправкой я покажу, как его увидят получатели.",
                    en: "📣 New broadcast\n\nSend the text of the message for everyone who uses the bot (up to {limit} characters), or one photo with a caption (up to 1024 characters). The text goes out as it is, without formatting. Before it is sent you will see it as its recipients will.")
        case .askAgain:
            return (ru: "⚠️ {problem}\n\nПришлите текст рассылки или фото с подписью (до {limit} символов).",
                    en: "⚠️ {problem}\n\nSend the broadcast's text, or a photo with a caption (up to {limit} characters).")
        case .problemEmpty:
            return (ru: "В сообщении нет текста.", en: "The message has no text.")
        case .problemTooLong:
            return (ru: "Слишком длинно: {length, plural, one {# символ} few {# символа} many {# символов} other {# символа}}, можно до {limit}.",
                    en: "Too long: {length, plural, one {# character} other {# characters}}, at most {limit}.")
        case .preview:
            return (ru: "👆 Так сообщение увидят получатели.\n\n{count, plural, one {Его получит # человек} few {Его получат # человека} many {Его получат # человек} other {Его получат # человека}} (все, кто не заблокировал бота, кроме вас). Отправить?",
                    en: "👆 This is the message as its recipients will see it.\n\n{count, plural, one {# person gets it} other {# people get it}} (everyone who has not blocked the bot, except you). Send it?")
        case .started:
            return (ru: "📣 Рассылка №{id} началась: {count, plural, one {# получатель} few {# получателя} many {# получателей} other {# получателя}}. Сообщения уходят в фоне, не мешая ответам клиентам; когда всё будет отправлено, сюда придёт отчёт.",
                    en: "📣 Broadcast {id} has started: {count, plural, one {# recipient} other {# recipients}}. The messages go out in the background without slowing replies to clients; a report comes here when all are sent.")
        case .nothingToSend:
            return (ru: "Нечего отправлять: текст рассылки не найден (она уже отправлена или начата заново). Откройте «Рассылки», чтобы начать новую.",
                    en: "Nothing to send: no broadcast text is waiting (it was already sent, or started afresh). Open Broadcasts to start a new one.")
        case .progress:
            return (ru: "📣 Рассылка №{id}: {status, select, sending {отправляется} done {завершена} other {остановлена}}\n\nПолучатели учтены: {recorded} из {total}\nДоставлено: {sent}\nНе доставлено: {failed}\nЗаблокировали бота: {blocked}",
                    en: "📣 Broadcast {id}: {status, select, sending {sending} done {done} other {stopped}}\n\nRecipients recorded: {recorded} of {total}\nDelivered: {sent}\nFailed: {failed}\nBlocked the bot: {blocked}")
        case .notFound:
            return (ru: "Такой рассылки нет.", en: "There is no such broadcast.")
        case .report:
            return (ru: "📣 Рассылка №{id} завершена.\n\nДоставлено: {sent}\nНе доставлено: {failed}\nЗаблокировали бота: {blocked}",
                    en: "📣 Broadcast {id} is done.\n\nDelivered: {sent}\nFailed: {failed}\nBlocked the bot: {blocked}")
        case .audit:
            return (ru: "рассылка ({count, plural, one {# получатель} few {# получателя} many {# получателей} other {# получателя}})",
                    en: "broadcast ({count, plural, one {# recipient} other {# recipients}})")
        case .buttonEntry:
            return (ru: "📣 Рассылка", en: "📣 Broadcast")
        case .buttonNew:
            return (ru: "✏️ Новая рассылка", en: "✏️ New broadcast")
        case .buttonSend:
            return (ru: "✅ Отправить", en: "✅ Send")
        case .buttonEdit:
            return (ru: "✏️ Другой текст", en: "✏️ Another text")
        case .buttonProgress:
            return (ru: "🔄 Ход рассылки", en: "🔄 Progress")
        case .buttonList:
            return (ru: "📋 Рассылки", en: "📋 Broadcasts")
        case .buttonItem:
            return (ru: "№{id} · {sent} ✓ · {text}", en: "№{id} · {sent} ✓ · {text}")
        }
    }
}
