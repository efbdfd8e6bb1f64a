import Booking

/// Mass changes (SPEC admin 9): shifting the bookings of a day (or part of it) by ±N
/// minutes, and moving a service's future bookings to another service.
public indirect enum MassChangeText: StaffScreenText, Hashable {
    /// The feature's first screen: what it does.
    case home
    /// Shift: choose the day (the month grid is the buttons).
    case pickDay
    /// Shift: the day chosen, `count` confirmed bookings on it; which part of it?
    case askRange(day: LocalDate, count: Int)
    /// Shift: by how many minutes?
    case askMinutes(ShiftPart)
    /// A typed answer that was not right, and the question again.
    case again(MassChangeProblem, prompt: MassChangeText)
    /// Shift: what would happen (Confirm only without a conflict).
    case preview(ShiftScreen)
    /// Shift done.
    case shifted(ShiftScreen)
    /// Nothing to shift in that part of the day.
    case nothingToShift(ShiftPart)
    /// What the screen was about is no longer kept (an old message): start again.
    case lost
    /// Service move: which service's bookings?
    case pickSource(hasServices: Bool)
    /// Service move: to which service (same length, in use)?
    case pickTarget(source: String, durationMinutes: Int, hasTargets: Bool)
    /// Service move: what would happen.
    case servicePreview(ServiceMoveScreen)
    /// Service move done.
    case serviceMoved(ServiceMoveScreen)
    /// The store would not move them (`why`: the store's reason).
    case serviceRefused(source: String, target: String, why: String)
}

/// The part of a day a shift is about, and by how much (0 until asked).
public struct ShiftPart: Sendable, Hashable {
    public var day: LocalDate
    /// Minutes since midnight; the whole day is 0..<1440.
    public var from: Int
    public var to: Int
    public var minutes: Int

    public init(day: LocalDate, from: Int, to: Int, minutes: Int = 0) {
        self.day = day
        self.from = from
        self.to = to
        self.minutes = minutes
    }

    public var wholeDay: Bool { from == 0 && to == 1440 }
}

/// One booking of a mass change on a staff screen.
public struct MassLineText: Sendable, Hashable {
    public var from: LocalDateTime
    public var to: LocalDateTime
    public var client: ClientInfo
    public var service: String
    /// The shift's conflict (`ShiftConflict.rawValue`), if any.
    public var conflict: String?

    public init(from: LocalDateTime, to: LocalDateTime, client: ClientInfo, service: String, conflict: String?) {
        self.from = from
        self.to = to
        self.client = client
        self.service = service
        self.conflict = conflict
    }
}

/// A shift's preview or result.
public struct ShiftScreen: Sendable, Hashable {
    public var part: ShiftPart
    public var lines: [MassLineText]
    /// The bookings changed since the last screen (this is the fresh preview).
    public var changed: Bool

    public init(part: ShiftPart, lines: [MassLineText], changed: Bool = false) {
        self.part = part
        self.lines = lines
        self.changed = changed
    }
}

/// A service move's preview or result.
public struct ServiceMoveScreen: Sendable, Hashable {
    public var source: String
    public var target: String
    public var lines: [MassLineText]
    public var changed: Bool

    public init(source: String, target: String, lines: [MassLineText], changed: Bool = false) {
        self.source = source
        self.target = target
        self.lines = lines
        self.changed = changed
    }
}

/// What was wrong with a typed answer.
public enum MassChangeProblem: String, Sendable, Hashable, CaseIterable {
    /// Not a range of the day like 10:00-14:00.
    case range
    /// Not a number of minutes like +30, -60 or +1:30.
    case unreadable
    case zero
    /// More than 12 hours.
    case tooLarge
    /// Not a multiple of 5 minutes.
    case offStep
}

public enum MassChangeButton: StaffLabel, Hashable {
    /// The staff menu's entry.
    case menuEntry
    case shiftDay, moveService
    case wholeDay
    /// Asks for the minutes again (after a conflict, or to change them).
    case changeMinutes
    case confirmShift(count: Int)
    case confirmMove(count: Int)
    case back
    /// A day of the month grid (a past one is shown without a button's action).
    case day(Int, past: Bool)
    case monthTitle(LocalDate)
    case weekday(Weekday)
    case previousMonth, nextMonth, emptyDay
    case service(name: String, durationMinutes: Int)
}

extension MassChangeText {
    /// Lines listed on one screen; the rest are counted (4096 characters a message).
    static let shownLines = 30
    /// Characters the lines may take of a message's 4096.
    static let linesBudget = 3000

    public func text(in language: Language) -> String {
        let dates = DateFormat(language: language)
        switch self {
        case .home:
            return MassChangeKey.home.screen(in: language)
        case .pickDay:
            return MassChangeKey.pickDay.screen(in: language)
        case .askRange(let day, let count):
            return MassChangeKey.askRange.screen(["date": .text(dates.dateWithWeekday(day)), "count": .number(count)], in: language)
        case .askMinutes(let part):
            return MassChangeKey.askMinutes.screen(Self.part(part, in: language), in: language)
        case .again(let problem, let prompt):
            return MassChangeKey.again.screen(["problem": .text(MassChangeKey.problem.render(["problem": .text(problem.rawValue)], in: language)),
                                               "prompt": .text(prompt.text(in: language))], in: language)
        case .preview(let screen):
            let conflicts = screen.lines.filter { $0.conflict != nil }.count
            return MassChangeKey.preview.screen(Self.part(screen.part, in: language).merging([
                "changed": .flag(screen.changed), "count": .number(screen.lines.count), "conflicts": .number(conflicts),
                "lines": .text(Self.lines(screen.lines, in: language)),
            ]) { $1 }, in: language)
        case .shifted(let screen):
            return MassChangeKey.shifted.screen(Self.part(screen.part, in: language).merging([
                "count": .number(screen.lines.count), "lines": .text(Self.lines(screen.lines, in: language)),
            ]) { $1 }, in: language)
        case .nothingToShift(let part):
            return MassChangeKey.nothingToShift.screen(Self.part(part, in: language), in: language)
        case .lost:
            return MassChangeKey.lost.screen(in: language)
        case .pickSource(let hasServices):
            return MassChangeKey.pickSource.screen(["has": .flag(hasServices)], in: language)
        case .pickTarget(let source, let minutes, let hasTargets):
            return MassChangeKey.pickTarget.screen(["source": .text(source), "has": .flag(hasTargets),
                                                    "duration": .text(Renderer(language: language).duration(minutes))], in: language)
        case .servicePreview(let screen):
            return MassChangeKey.servicePreview.screen([
                "source": .text(screen.source), "target": .text(screen.target), "changed": .flag(screen.changed),
                "count": .number(screen.lines.count), "lines": .text(Self.lines(screen.lines, in: language)),
            ], in: language)
        case .serviceMoved(let screen):
            return MassChangeKey.serviceMoved.screen([
                "source": .text(screen.source), "target": .text(screen.target), "count": .number(screen.lines.count),
            ], in: language)
        case .serviceRefused(let source, let target, let why):
            return MassChangeKey.serviceRefused.screen(["source": .text(source), "target": .text(target), "why": .text(why)], in: language)
        }
    }

    private static func part(_ part: ShiftPart, in language: Language) -> [String: TemplateValue] {
        let dates = DateFormat(language: language)
        return ["date": .text(dates.dateWithWeekday(part.day)), "whole": .flag(part.wholeDay),
                "from": .text(dates.time(minuteOfDay: min(part.from, 1439))),
                "to": .text(part.to >= 1440 ? "24:00" : dates.time(minuteOfDay: part.to)),
                "later": .flag(part.minutes >= 0), "minutes": .number(abs(part.minutes))]
    }

    /// The lines, the first `shownLines` of them and how many more (conflicts first, so none is hidden by the cut).
    static func lines(_ lines: [MassLineText], in language: Language) -> String {
        let ordered = lines.filter { $0.conflict != nil } + lines.filter { $0.conflict == nil }
        let dates = DateFormat(language: language)
        let all = ordered.map { line in
            MassChangeKey.line.render([
                "oldDate": .text(dates.shortDate(line.from.date)), "old": .text(dates.time(line.from)),
                "newDate": .text(dates.shortDate(line.to.date)), "new": .text(dates.time(line.to)),
                "sameDay": .flag(line.from.date == line.to.date), "moves": .flag(line.from != line.to),
                "client": .text(ScheduleText.person(line.client, in: language)), "service": .text(line.service),
                "conflict": .text(line.conflict ?? "none"),
            ], in: language)
        }
        // At most `shownLines`, and no more than `linesBudget` characters, so the screen's own words always fit.
        var rendered: [String] = []
        var used = 0
        for line in all where rendered.count < shownLines && used + line.count + 1 <= linesBudget {
            rendered.append(line)
            used += line.count + 1
        }
        if all.count > rendered.count {
            rendered.append(MassChangeKey.more.render(["n": .number(all.count - rendered.count)], in: language))
        }
        return rendered.joined(separator: "\n")
    }

    /// The audit screen's words for a shift and a service move.
    static func auditShift(minutes: Int, count: Int, in language: Language) -> String {
        MassChangeKey.auditShift.render(["later": .flag(minutes >= 0), "minutes": .number(abs(minutes)), "count": .number(count)], in: language)
    }

    static func auditServiceMove(count: Int, in language: Language) -> String {
        MassChangeKey.auditServiceMove.render(["count": .number(count)], in: language)
    }
}

extension MassChangeButton {
    public func label(in language: Language) -> String {
        let dates = DateFormat(language: language)
        switch self {
        case .menuEntry: return MassChangeKey.buttonEntry.buttonLabel(in: language)
        case .shiftDay: return MassChangeKey.buttonShiftDay.buttonLabel(in: language)
        case .moveService: return MassChangeKey.buttonMoveService.buttonLabel(in: language)
        case .wholeDay: return MassChangeKey.buttonWholeDay.buttonLabel(in: language)
        case .changeMinutes: return MassChangeKey.buttonChangeMinutes.buttonLabel(in: language)
        case .confirmShift(let count): return MassChangeKey.buttonConfirmShift.buttonLabel(["count": .number(count)], in: language)
        case .confirmMove(let count): return MassChangeKey.buttonConfirmMove.buttonLabel(["count": .number(count)], in: language)
        case .back: return MassChangeKey.buttonBack.buttonLabel(in: language)
        case .day(let day, let past): return MassChangeKey.buttonDay.buttonLabel(["day": .text(String(day)), "past": .flag(past)], in: language)
        case .monthTitle(let date): return MassChangeKey.buttonMonth.buttonLabel(["month": .text(dates.monthTitle(date))], in: language)
        case .weekday(let weekday): return MassChangeKey.buttonMonth.buttonLabel(["month": .text(dates.weekdayShortName(weekday))], in: language)
        case .previousMonth: return MassChangeKey.buttonPrevious.buttonLabel(in: language)
        case .nextMonth: return MassChangeKey.buttonNext.buttonLabel(in: language)
        case .emptyDay: return MassChangeKey.buttonEmpty.buttonLabel(in: language)
        case .service(let name, let minutes):
            return MassChangeKey.buttonService.buttonLabel(["name": .text(name), "duration": .text(Renderer(language: language).duration(minutes))],
                                                           in: language)
        }
    }
}

enum MassChangeKey: String, StaffTemplateSet {
    /// Formats with no words, the same in both languages on purpose.
    static let neutral: Set<MassChangeKey> = [.buttonDay, .buttonMonth, .buttonPrevious, .buttonNext, .buttonEmpty, .buttonService, .again]

    case home, pickDay, askRange, askMinutes, again, problem, preview, line, more, shifted, nothingToShift, lost
    case pickSource, pickTarget, servicePreview, serviceMoved, serviceRefused
    case auditShift, auditServiceMove
    case buttonEntry, buttonShiftDay, buttonMoveService, buttonWholeDay, buttonChangeMinutes, buttonConfirmShift, buttonConfirmMove
    case buttonBack, buttonDay, buttonMonth, buttonPrevious, buttonNext, buttonEmpty, buttonService

    var pair: (ru: String, en: String) {
        switch self {
        case .home:
            return (ru: "🔀 Массовые изменения\n\n• Сдвинуть все записи дня (или его части) на ±N минут — всё или ничего, "
                        + "с предпросмотром и конфликтами.\n• Перенести все будущие записи услуги на другую услугу той же длительности.\n\n"
                        + "Каждому клиенту придёт одно сообщение.",
                    en: "🔀 Mass changes\n\n• Shift all bookings of a day (or part of it) by ±N minutes — all or nothing, "
                        + "with a preview and the conflicts.\n• Move all future bookings of a service to another service of the same length.\n\n"
                        + "Each client gets one message.")
        case .pickDay:
            return (ru: "📅 Сдвиг записей: выберите день.", en: "📅 Shift bookings: choose the day.")
        case .askRange:
            return (ru: "📅 {date}: {count, plural, one {# подтверждённая запись} few {# подтверждённые записи} many {# подтверждённых записей} "
                        + "other {# подтверждённой записи}}.\n\nКакую часть дня сдвинуть? Напишите время, например 10:00-14:00 "
                        + "(записи, начинающиеся в этом промежутке), или нажмите «Весь день».",
                    en: "📅 {date}: {count, plural, one {# confirmed booking} other {# confirmed bookings}}.\n\n"
                        + "Which part of the day to shift? Type the times, e.g. 10:00-14:00 (bookings starting in it), or press “Whole day”.")
        case .askMinutes:
            return (ru: "📅 {date}, {whole, select, yes {весь день} other {{from}–{to}}}\n\nНа сколько сдвинуть? Напишите, например, "
                        + "+30, -60 или +1:30 (до 12 часов, шаг 5 минут).",
                    en: "📅 {date}, {whole, select, yes {whole day} other {{from}–{to}}}\n\nBy how much? Type e.g. +30, -60 or +1:30 "
                        + "(up to 12 hours, in steps of 5 minutes).")
        case .again:
            return (ru: "⚠️ {problem}\n\n{prompt}", en: "⚠️ {problem}\n\n{prompt}")
        case .problem:
            return (ru: "{problem, select, range {Не понял промежуток: напишите его как 10:00-14:00.} "
                        + "zero {Сдвиг на 0 минут ничего не меняет.} tooLarge {Не больше 12 часов в любую сторону.} "
                        + "offStep {Сдвиг должен быть кратен 5 минутам.} other {Не понял: напишите, например, +30, -60 или +1:30.}}",
                    en: "{problem, select, range {I couldn’t read the range: type it as 10:00-14:00.} "
                        + "zero {A shift of 0 minutes changes nothing.} tooLarge {At most 12 hours either way.} "
                        + "offStep {The shift must be a multiple of 5 minutes.} other {I couldn’t read that: type e.g. +30, -60 or +1:30.}}")
        case .preview:
            return (ru: "{changed, select, yes {🔄 Записи изменились с прошлого экрана — вот новый предпросмотр.\n\n} other {}}"
                        + "🔀 {date}, {whole, select, yes {весь день} other {{from}–{to}}}: "
                        + "{later, select, yes {позже} other {раньше}} на {minutes} мин.\n\n{lines}\n\n"
                        + "{conflicts, plural, =0 {Конфликтов нет: {count, plural, one {# запись будет перенесена} few {# записи будут перенесены} "
                        + "many {# записей будут перенесены} other {# записи будут перенесены}}, клиентам придёт сообщение.} "
                        + "one {⛔ # конфликт — ничего не переносится.} few {⛔ # конфликта — ничего не переносится.} "
                        + "many {⛔ # конфликтов — ничего не переносится.} other {⛔ # конфликта — ничего не переносится.}}",
                    en: "{changed, select, yes {🔄 The bookings changed since the last screen — here is the fresh preview.\n\n} other {}}"
                        + "🔀 {date}, {whole, select, yes {whole day} other {{from}–{to}}}: "
                        + "{minutes} min {later, select, yes {later} other {earlier}}.\n\n{lines}\n\n"
                        + "{conflicts, plural, =0 {No conflicts: {count, plural, one {# booking will move} other {# bookings will move}}, "
                        + "each client is told.} one {⛔ # conflict — nothing moves.} other {⛔ # conflicts — nothing moves.}}")
        case .line:
            return (ru: "{conflict, select, none {✅} other {⛔}} {moves, select, yes {{old} → {sameDay, select, yes {{new}} other {{newDate} {new}}}} "
                        + "other {{oldDate} {old}}} · {client} · {service}"
                        + "{conflict, select, overlaps_booking { — наложится на другую запись} overlaps_block { — попадает на блокировку} "
                        + "outside_hours { — вне рабочих часов} other_day { — уйдёт на другой день} skipped_time { — такого времени нет (перевод часов)} "
                        + "too_soon { — в прошлом или раньше минимального срока} other {}}",
                    en: "{conflict, select, none {✅} other {⛔}} {moves, select, yes {{old} → {sameDay, select, yes {{new}} other {{newDate} {new}}}} "
                        + "other {{oldDate} {old}}} · {client} · {service}"
                        + "{conflict, select, overlaps_booking { — overlaps another booking} overlaps_block { — falls on a block} "
                        + "outside_hours { — outside work hours} other_day { — onto another day} skipped_time { — no such time (clock change)} "
                        + "too_soon { — in the past or within the minimum notice} other {}}")
        case .more:
            return (ru: "…и ещё {n}", en: "…and {n} more")
        case .shifted:
            return (ru: "✅ {date}, {whole, select, yes {весь день} other {{from}–{to}}}: "
                        + "{count, plural, one {# запись перенесена} few {# записи перенесены} many {# записей перенесены} other {# записи перенесены}} "
                        + "{later, select, yes {позже} other {раньше}} на {minutes} мин. Клиентам отправлены сообщения.\n\n{lines}",
                    en: "✅ {date}, {whole, select, yes {whole day} other {{from}–{to}}}: "
                        + "{count, plural, one {# booking moved} other {# bookings moved}} {minutes} min {later, select, yes {later} other {earlier}}. "
                        + "The clients have been told.\n\n{lines}")
        case .nothingToShift:
            return (ru: "📭 {date}, {whole, select, yes {весь день} other {{from}–{to}}}: нет предстоящих подтверждённых записей — сдвигать нечего.",
                    en: "📭 {date}, {whole, select, yes {whole day} other {{from}–{to}}}: no upcoming confirmed bookings — nothing to shift.")
        case .lost:
            return (ru: "⌛ Этот экран устарел. Начните заново.", en: "⌛ This screen is out of date. Please start again.")
        case .pickSource:
            return (ru: "{has, select, yes {🔁 Записи какой услуги перенести на другую услугу?} other {Услуг пока нет.}}",
                    en: "{has, select, yes {🔁 Which service’s bookings should move to another service?} other {There are no services yet.}}")
        case .pickTarget:
            return (ru: "🔁 «{source}» ({duration}): на какую услугу перенести будущие записи? "
                        + "{has, select, yes {Предлагаются только активные услуги той же длительности.} "
                        + "other {Нет другой активной услуги той же длительности.}}",
                    en: "🔁 “{source}” ({duration}): to which service should its future bookings move? "
                        + "{has, select, yes {Only active services of the same length are offered.} "
                        + "other {No other active service has the same length.}}")
        case .servicePreview:
            return (ru: "{changed, select, yes {🔄 Записи изменились с прошлого экрана — вот новый предпросмотр.\n\n} other {}}"
                        + "🔁 «{source}» → «{target}»\n\n{count, plural, one {# будущая запись} few {# будущие записи} many {# будущих записей} "
                        + "other {# будущей записи}}:\n{lines}\n\nВремя не меняется, клиентам придёт сообщение.",
                    en: "{changed, select, yes {🔄 The bookings changed since the last screen — here is the fresh preview.\n\n} other {}}"
                        + "🔁 “{source}” → “{target}”\n\n{count, plural, one {# future booking} other {# future bookings}}:\n{lines}\n\n"
                        + "The times stay; each client is told.")
        case .serviceMoved:
            return (ru: "✅ «{source}» → «{target}»: {count, plural, one {# запись перенесена} few {# записи перенесены} "
                        + "many {# записей перенесены} other {# записи перенесены}}. Клиентам отправлены сообщения.",
                    en: "✅ “{source}” → “{target}”: {count, plural, one {# booking moved} other {# bookings moved}}. The clients have been told.")
        case .serviceRefused:
            return (ru: "⛔ «{source}» → «{target}»: ничего не перенесено — "
                        + "{why, select, same_service {это одна и та же услуга.} target_unavailable {услуга неактивна или в архиве.} "
                        + "duration_differs {у услуг разная длительность.} nothing_to_move {будущих записей нет.} "
                        + "not_found {услуга не найдена.} other {что-то изменилось, откройте экран заново.}}",
                    en: "⛔ “{source}” → “{target}”: nothing moved — "
                        + "{why, select, same_service {it is the same service.} target_unavailable {the service is inactive or archived.} "
                        + "duration_differs {the services differ in length.} nothing_to_move {there are no future bookings.} "
                        + "not_found {no such service.} other {something changed; open the screen again.}}")
        case .auditShift:
            return (ru: "сдвиг записей {later, select, yes {позже} other {раньше}} на {minutes} мин "
                        + "({count, plural, one {# запись} few {# записи} many {# записей} other {# записи}})",
                    en: "bookings shifted {minutes} min {later, select, yes {later} other {earlier}} "
                        + "({count, plural, one {# booking} other {# bookings}})")
        case .auditServiceMove:
            return (ru: "записи перенесены на другую услугу ({count, plural, one {# запись} few {# записи} many {# записей} other {# записи}})",
                    en: "bookings moved to another service ({count, plural, one {# booking} other {# bookings}})")
        case .buttonEntry:
            return (ru: "🔀 Массовые изменения", en: "🔀 Mass changes")
        case .buttonShiftDay:
            return (ru: "⏩ Сдвинуть записи дня", en: "⏩ Shift a day’s bookings")
        case .buttonMoveService:
            return (ru: "🔁 Перенести записи услуги", en: "🔁 Move a service’s bookings")
        case .buttonWholeDay:
            return (ru: "🗓 Весь день", en: "🗓 Whole day")
        case .buttonChangeMinutes:
            return (ru: "✏️ Изменить сдвиг", en: "✏️ Change the shift")
        case .buttonConfirmShift:
            return (ru: "✅ Сдвинуть ({count})", en: "✅ Shift ({count})")
        case .buttonConfirmMove:
            return (ru: "✅ Перенести ({count})", en: "✅ Move ({count})")
        case .buttonBack:
            return (ru: "⬅️ Назад", en: "⬅️ Back")
        case .buttonDay:
            return (ru: "{past, select, yes {·} other {{day}}}", en: "{past, select, yes {·} other {{day}}}")
        case .buttonMonth:
            return (ru: "{month}", en: "{month}")
        case .buttonPrevious:
            return (ru: "◀", en: "◀")
        case .buttonNext:
            return (ru: "▶", en: "▶")
        case .buttonEmpty:
            return (ru: " ", en: " ")
        case .buttonService:
            return (ru: "{name} · {duration}", en: "{name} · {duration}")
        }
    }
}
