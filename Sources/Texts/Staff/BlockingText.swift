import Booking

/// What a new block covers (SPEC admin 7).
public enum BlockKind: Int, Codable, Sendable, CaseIterable {
    case slot = 0, hours = 1, day = 2, days = 3
}

/// A block's time as the screens show it, in the business's zone.
public struct BlockSpan: Sendable, Hashable {
    public var from: LocalDateTime
    public var to: LocalDateTime

    public init(from: LocalDateTime, to: LocalDateTime) {
        self.from = from
        self.to = to
    }
}

/// A confirmed booking a block would cancel, as its preview names it.
public struct BlockBookingLine: Sendable, Hashable {
    public var client: ClientInfo
    public var service: String
    public var start: LocalDateTime

    public init(client: ClientInfo, service: String, start: LocalDateTime) {
        self.client = client
        self.service = service
        self.start = start
    }
}

/// What is wrong with a typed time range.
public enum BlockTimesProblem: String, Sendable, Hashable, Error {
    /// Not "HH:MM-HH:MM" with real hours and minutes.
    case format
    /// The end is not after the start.
    case reversed
    /// A time the clock skips that day (a DST change).
    case skipped
    /// Over already.
    case past
}

/// The blocking screens (SPEC admin 7).
public enum BlockingText: StaffScreenText, Hashable {
    case list(total: Int, page: Int, pages: Int)
    case card(BlockSpan, reason: String, over: Bool)
    case confirmUnblock(BlockSpan, reason: String)
    case unblocked(BlockSpan)
    case notFound
    /// The new block under way was not kept (an old screen).
    case lost
    case chooseKind
    case pickDay(BlockKind)
    case pickLastDay(first: LocalDate)
    case pickSlot(LocalDate, count: Int)
    case askTimes(LocalDate)
    case timesAgain(BlockTimesProblem, LocalDate)
    case askReason(BlockSpan)
    /// The bookings it would cancel: `count` in all, `lines` named, `more` not; `changed`:
    /// they changed since the last preview, so nothing was blocked yet.
    case preview(BlockSpan, reason: String, count: Int, lines: [BlockBookingLine], more: Int, changed: Bool, tooMany: Bool)
    case blocked(BlockSpan, cancelled: Int)
    /// The store would not take it (its `BlockRequest.Problem`'s raw value).
    case refused(String)

    public func text(in language: Language) -> String {
        let dates = DateFormat(language: language)
        switch self {
        case .list(let total, let page, let pages):
            return (total == 0 ? BlockingKey.listEmpty : .list).screen(["total": .number(total), "page": .number(page), "pages": .number(pages)],
                                                                       in: language)
        case .card(let span, let reason, let over):
            return BlockingKey.card.screen(["span": .text(Self.span(span, in: language)), "reason": .text(reason), "over": .flag(over)],
                                           in: language)
        case .confirmUnblock(let span, let reason):
            return BlockingKey.confirmUnblock.screen(["span": .text(Self.span(span, in: language)), "reason": .text(reason)], in: language)
        case .unblocked(let span):
            return BlockingKey.unblocked.screen(["span": .text(Self.span(span, in: language))], in: language)
        case .notFound:
            return BlockingKey.notFound.screen(in: language)
        case .lost:
            return BlockingKey.lost.screen(in: language)
        case .chooseKind:
            return BlockingKey.chooseKind.screen(in: language)
        case .pickDay(let kind):
            return BlockingKey.pickDay.screen(["kind": .text(Self.kindName(kind))], in: language)
        case .pickLastDay(let first):
            return BlockingKey.pickLastDay.screen(["first": .text(dates.dateWithWeekday(first))], in: language)
        case .pickSlot(let date, let count):
            return BlockingKey.pickSlot.screen(["date": .text(dates.dateWithWeekday(date)), "count": .number(count)], in: language)
        case .askTimes(let date):
            return BlockingKey.askTimes.screen(["date": .text(dates.dateWithWeekday(date))], in: language)
        case .timesAgain(let problem, let date):
            return BlockingKey.timesAgain.screen(["why": .text(problem.rawValue), "date": .text(dates.dateWithWeekday(date))], in: language)
        case .askReason(let span):
            return BlockingKey.askReason.screen(["span": .text(Self.span(span, in: language))], in: language)
        case .preview(let span, let reason, let count, let lines, let more, let changed, let tooMany):
            let named = lines.map { line in
                BlockingKey.bookingLine.render(["date": .text(dates.shortDate(line.start.date)), "time": .text(dates.time(line.start)),
                                                "service": .text(line.service), "client": .text(ScheduleText.person(line.client, in: language))],
                                               in: language)
            }
            return BlockingKey.preview.screen([
                "span": .text(Self.span(span, in: language)), "reason": .text(reason), "count": .number(count),
                "lines": .text(named.joined(separator: "\n")), "more": .number(more), "hasMore": .flag(more > 0),
                "changed": .flag(changed), "tooMany": .flag(tooMany),
            ], in: language)
        case .blocked(let span, let cancelled):
            return BlockingKey.blocked.screen(["span": .text(Self.span(span, in: language)), "cancelled": .number(cancelled)], in: language)
        case .refused(let why):
            return BlockingKey.refused.screen(["why": .text(why)], in: language)
        }
    }

    static func span(_ span: BlockSpan, in language: Language) -> String {
        let dates = DateFormat(language: language)
        return BlockingKey.span.render(["sameDay": .flag(span.from.date == span.to.date),
                                        "fromDate": .text(dates.dateWithWeekday(span.from.date)), "fromTime": .text(dates.time(span.from)),
                                        "toDate": .text(dates.dateWithWeekday(span.to.date)), "toTime": .text(dates.time(span.to))],
                                       in: language)
    }

    static func kindName(_ kind: BlockKind) -> String {
        switch kind {
        case .slot: return "slot"
        case .hours: return "hours"
        case .day: return "day"
        case .days: return "days"
        }
    }

    /// The audit screen's words for a block's entry.
    static func audit(_ action: StaffAuditAction, in language: Language) -> String? {
        switch action {
        case .blockCreated(let reason, let cancelled):
            return BlockingKey.auditCreated.render(["reason": .text(reason), "cancelled": .number(cancelled)], in: language)
        case .blockRemoved(let reason):
            return BlockingKey.auditRemoved.render(["hasReason": .flag(!reason.isEmpty), "reason": .text(reason)], in: language)
        default:
            return nil
        }
    }
}

public enum BlockingButton: StaffLabel, Hashable {
    /// The staff menu's entry.
    case menuEntry
    case block(BlockSpan, reason: String)
    case new, unblock, confirmUnblock, backToList, backToBlock, backToKinds, otherDay
    case kind(BlockKind)
    case day(Int, picked: Bool)
    case slot(LocalDateTime)
    case confirm(cancelling: Int)

    public func label(in language: Language) -> String {
        switch self {
        case .menuEntry: return BlockingKey.buttonEntry.buttonLabel(in: language)
        case .block(let span, let reason):
            return BlockingKey.buttonBlock.buttonLabel(["span": .text(BlockingText.span(span, in: language)), "reason": .text(reason)],
                                                       in: language)
        case .new: return BlockingKey.buttonNew.buttonLabel(in: language)
        case .unblock: return BlockingKey.buttonUnblock.buttonLabel(in: language)
        case .confirmUnblock: return BlockingKey.buttonConfirmUnblock.buttonLabel(in: language)
        case .backToList: return BlockingKey.buttonBackToList.buttonLabel(in: language)
        case .backToBlock: return BlockingKey.buttonBackToBlock.buttonLabel(in: language)
        case .backToKinds: return BlockingKey.buttonBackToKinds.buttonLabel(in: language)
        case .otherDay: return BlockingKey.buttonOtherDay.buttonLabel(in: language)
        case .kind(let kind): return BlockingKey.buttonKind.buttonLabel(["kind": .text(BlockingText.kindName(kind))], in: language)
        case .day(let day, let picked): return BlockingKey.buttonDay.buttonLabel(["day": .number(day), "picked": .flag(picked)], in: language)
        case .slot(let time): return BlockingKey.buttonSlot.buttonLabel(["time": .text(DateFormat(language: language).time(time))], in: language)
        case .confirm(let cancelling): return BlockingKey.buttonConfirm.buttonLabel(["count": .number(cancelling)], in: language)
        }
    }
}

enum BlockingKey: String, StaffTemplateSet {
    /// Formats with no words, the same in both languages on purpose.
    static let neutral: Set<BlockingKey> = [.span, .bookingLine, .buttonDay, .buttonSlot, .buttonBlock]

    case list, listEmpty, card, confirmUnblock, unblocked, notFound, lost, chooseKind, pickDay, pickLastDay, pickSlot
    case askTimes, timesAgain, askReason, preview, bookingLine, blocked, refused, span, auditCreated, auditRemoved
    case buttonEntry, buttonBlock, buttonNew, buttonUnblock, buttonConfirmUnblock, buttonBackToList, buttonBackToBlock
    case buttonBackToKinds, buttonOtherDay, buttonKind, buttonDay, buttonSlot, buttonConfirm

    var pair: (ru: String, en: String) {
        switch self {
        case .list:
            return (ru: "⛔ Закрытое время: {total, plural, one {# блокировка} few {# блокировки} many {# блокировок} other {# блокировки}} "
                        + "(текущие и будущие, ближайшие первыми), страница {page} из {pages}. Нажмите, чтобы открыть.",
                    en: "⛔ Blocked time: {total, plural, one {# block} other {# blocks}} (ongoing and future, soonest first), "
                        + "page {page} of {pages}. Press one to open it.")
        case .listEmpty:
            return (ru: "⛔ Закрытое время\n\nТекущих и будущих блокировок нет.", en: "⛔ Blocked time\n\nNo ongoing or future blocks.")
        case .card:
            return (ru: "⛔ Блокировка\n\n🕒 {span}\nПричина: {reason}{over, select, yes {\n\nУже прошла.} other {}}",
                    en: "⛔ Block\n\n🕒 {span}\nReason: {reason}{over, select, yes {\n\nIt is over.} other {}}")
        case .confirmUnblock:
            return (ru: "Снять блокировку?\n\n🕒 {span}\nПричина: {reason}\n\nЭто время снова станет доступно для записи. "
                        + "Отменённые записи не восстанавливаются.",
                    en: "Remove this block?\n\n🕒 {span}\nReason: {reason}\n\nThe time becomes bookable again. "
                        + "Bookings it cancelled stay cancelled.")
        case .unblocked:
            return (ru: "✅ Блокировка снята: {span}.", en: "✅ Block removed: {span}.")
        case .notFound:
            return (ru: "⚠️ Такой блокировки нет (она уже снята или прошла).", en: "⚠️ There is no such block (removed already, or over).")
        case .lost:
            return (ru: "⚠️ Новая блокировка не сохранилась (экран устарел). Начните заново.",
                    en: "⚠️ The new block was not kept (the screen is out of date). Start again.")
        case .chooseKind:
            return (ru: "⛔ Новая блокировка: что закрыть?", en: "⛔ New block: what do you want to close?")
        case .pickDay:
            return (ru: "⛔ {kind, select, slot {Выберите день слота.} hours {Выберите день, затем введёте часы.} "
                        + "day {Выберите день, который закрыть целиком.} other {Выберите первый день.}}",
                    en: "⛔ {kind, select, slot {Choose the slot’s day.} hours {Choose the day; you will type the hours next.} "
                        + "day {Choose the day to close whole.} other {Choose the first day.}}")
        case .pickLastDay:
            return (ru: "⛔ Первый день: {first}. Выберите последний день (он тоже будет закрыт).",
                    en: "⛔ First day: {first}. Choose the last day (it is closed too).")
        case .pickSlot:
            return (ru: "⛔ {date}: {count, plural, =0 {слотов нет (выходной или уже прошли)} one {# слот} few {# слота} many {# слотов} "
                        + "other {# слота}}. Выберите слот, который закрыть.",
                    en: "⛔ {date}: {count, plural, =0 {no slots (a day off, or all over)} one {# slot} other {# slots}}. "
                        + "Choose the slot to close.")
        case .askTimes:
            return (ru: "⛔ {date}\n\n✏️ Напишите часы, которые закрыть, например 10:00-14:30 (до 24:00).",
                    en: "⛔ {date}\n\n✏️ Type the hours to close, for example 10:00-14:30 (up to 24:00).")
        case .timesAgain:
            return (ru: "⚠️ {why, select, reversed {Конец должен быть позже начала.} skipped {Такого времени в этот день нет "
                        + "(перевод часов).} past {Это время уже прошло.} other {Не понимаю: нужно так — 10:00-14:30.}}\n\n"
                        + "⛔ {date}\n✏️ Напишите часы ещё раз, например 10:00-14:30.",
                    en: "⚠️ {why, select, reversed {The end must be after the start.} skipped {That time does not exist that day "
                        + "(a clock change).} past {That time is over.} other {I don’t understand: it should look like 10:00-14:30.}}\n\n"
                        + "⛔ {date}\n✏️ Type the hours again, for example 10:00-14:30.")
        case .askReason:
            return (ru: "⛔ {span}\n\n✏️ Напишите причину (от 3 до 500 символов). Клиенты, чьи записи отменятся, её увидят.",
                    en: "⛔ {span}\n\n✏️ Type the reason (3 to 500 characters). Clients whose bookings are cancelled will see it.")
        case .preview:
            return (ru: "{changed, select, yes {⚠️ Записи в это время изменились, пока вы смотрели: ничего не закрыто. Проверьте ещё раз.\n\n} other {}}"
                        + "⛔ Закрыть {span}?\nПричина: {reason}\n\n"
                        + "{count, plural, =0 {Подтверждённых записей в это время нет.} one {Будет отменена # подтверждённая запись:} "
                        + "few {Будут отменены # подтверждённые записи:} many {Будут отменены # подтверждённых записей:} "
                        + "other {Будут отменены # подтверждённой записи:}}\n{lines}"
                        + "{hasMore, select, yes {\n…и ещё {more}} other {}}"
                        + "{tooMany, select, yes {\n\n⚠️ Слишком много записей для одной блокировки: выберите промежуток короче.} "
                        + "other {\n\nКаждый клиент получит сообщение с причиной.}}",
                    en: "{changed, select, yes {⚠️ The bookings in this time changed while you looked: nothing was blocked. Check again.\n\n} other {}}"
                        + "⛔ Block {span}?\nReason: {reason}\n\n"
                        + "{count, plural, =0 {No confirmed bookings in this time.} one {# confirmed booking will be cancelled:} "
                        + "other {# confirmed bookings will be cancelled:}}\n{lines}"
                        + "{hasMore, select, yes {\n…and {more} more} other {}}"
                        + "{tooMany, select, yes {\n\n⚠️ Too many bookings for one block: choose a shorter time.} "
                        + "other {\n\nEach client will be told, with the reason.}}")
        case .bookingLine:
            return (ru: "• {date} {time} · {service} · {client}", en: "• {date} {time} · {service} · {client}")
        case .blocked:
            return (ru: "✅ Закрыто: {span}. {cancelled, plural, =0 {Записей не было.} one {Отменена # запись, клиенту отправлена причина.} "
                        + "few {Отменены # записи, клиентам отправлена причина.} many {Отменены # записей, клиентам отправлена причина.} "
                        + "other {Отменены # записи, клиентам отправлена причина.}}",
                    en: "✅ Blocked: {span}. {cancelled, plural, =0 {There were no bookings.} one {# booking cancelled; the client was told why.} "
                        + "other {# bookings cancelled; the clients were told why.}}")
        case .refused:
            return (ru: "⚠️ Ничего не закрыто: {why, select, past {это время уже прошло} too_far {это слишком далеко} "
                        + "bad_reason {причина не подходит} too_many {слишком много записей} other {промежуток пуст}}. Начните заново.",
                    en: "⚠️ Nothing was blocked: {why, select, past {that time is over} too_far {that is too far ahead} "
                        + "bad_reason {the reason won’t do} too_many {too many bookings} other {the time is empty}}. Start again.")
        case .span:
            return (ru: "{sameDay, select, yes {{fromDate}, {fromTime}–{toTime}} other {{fromDate}, {fromTime} – {toDate}, {toTime}}}",
                    en: "{sameDay, select, yes {{fromDate}, {fromTime}–{toTime}} other {{fromDate}, {fromTime} – {toDate}, {toTime}}}")
        case .auditCreated:
            return (ru: "закрыл(а) время ({reason}); отменено записей: {cancelled}",
                    en: "blocked time ({reason}); bookings cancelled: {cancelled}")
        case .auditRemoved:
            return (ru: "снял(а) блокировку{hasReason, select, yes { ({reason})} other {}}",
                    en: "removed a block{hasReason, select, yes { ({reason})} other {}}")
        case .buttonEntry:
            return (ru: "⛔ Закрыть время", en: "⛔ Block time")
        case .buttonBlock:
            return (ru: "⛔ {span} · {reason}", en: "⛔ {span} · {reason}")
        case .buttonNew:
            return (ru: "➕ Новая блокировка", en: "➕ New block")
        case .buttonUnblock:
            return (ru: "🔓 Снять блокировку", en: "🔓 Remove block")
        case .buttonConfirmUnblock:
            return (ru: "✅ Да, снять", en: "✅ Yes, remove it")
        case .buttonBackToList:
            return (ru: "⬅️ К блокировкам", en: "⬅️ Back to blocks")
        case .buttonBackToBlock:
            return (ru: "⬅️ К блокировке", en: "⬅️ Back to the block")
        case .buttonBackToKinds:
            return (ru: "⬅️ Начать заново", en: "⬅️ Start over")
        case .buttonOtherDay:
            return (ru: "📅 Другой день", en: "📅 Another day")
        case .buttonKind:
            return (ru: "{kind, select, slot {🕐 Один слот} hours {⏱ Часы одного дня} day {📅 Весь день} other {🗓 Несколько дней}}",
                    en: "{kind, select, slot {🕐 One slot} hours {⏱ Hours of one day} day {📅 A whole day} other {🗓 Several days}}")
        case .buttonDay:
            return (ru: "{picked, select, yes {✅{day}} other {{day}}}", en: "{picked, select, yes {✅{day}} other {{day}}}")
        case .buttonSlot:
            return (ru: "{time}", en: "{time}")
        case .buttonConfirm:
            return (ru: "✅ Закрыть{count, plural, =0 {} one { и отменить # запись} few { и отменить # записи} many { и отменить # записей} "
                        + "other { и отменить # записи}}",
                    en: "✅ Block{count, plural, =0 {} one { and cancel # booking} other { and cancel # bookings}}")
        }
    }
}
