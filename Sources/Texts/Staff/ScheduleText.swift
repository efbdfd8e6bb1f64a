import Booking

/// The schedule's screens (SPEC admin 3): the days ahead, a day's bookings, a booking's
/// card and what staff do with it (cancel with a reason, move, mark how the visit went).
public enum ScheduleText: StaffScreenText, Hashable {
    /// The days ahead, each a button with its count.
    case overview(confirmed: Int, days: Int)
    /// One day's bookings (each a button), `count` of them not cancelled.
    case day(LocalDate, today: LocalDate, count: Int)
    /// A booking's card, with what just happened to it (or why nothing did) above.
    case card(StaffBookingCard, notice: ScheduleNotice?)
    /// Asks for the cancellation's reason.
    case askReason(StaffBookingCard)
    /// The reason typed: cancel?
    case confirmCancel(StaffBookingCard, reason: String)
    /// The reason asked before is no longer kept (an old screen): start again.
    case reasonLost
    /// Moving: choose a day (the month grid is the buttons).
    case moveCalendar(StaffBookingCard)
    /// Moving: the free times of a day.
    case moveSlots(StaffBookingCard, date: LocalDate, freeCount: Int)
    /// Moving: to this time?
    case confirmMove(StaffBookingCard, to: LocalDateTime)
    /// The store refused the new time (the day's free times are the buttons).
    case moveRefused(StaffBookingCard, refusal: BookingRefusal)
    /// No such booking (a forged or very old button).
    case notFound
}

/// What just happened to a booking shown on its card, or why nothing did.
public enum ScheduleNotice: Sendable, Hashable {
    case cancelled
    case moved(from: LocalDateTime)
    case completed
    case noShow
    /// Someone else changed it meanwhile: it is no longer confirmed.
    case noLongerConfirmed
    /// Completed / no-show pressed before the visit began.
    case notStarted
    /// Cancel or move pressed after the visit began.
    case started
}

/// A booking as its staff card shows it.
public struct StaffBookingCard: Sendable, Hashable {
    public var id: Int64
    public var client: ClientInfo
    public var summary: BookingSummary
    public var status: StaffBookingStatus
    /// Who cancelled it and why (when cancelled).
    public var cancelledBy: ClientInfo?
    public var reason: String

    public init(id: Int64, client: ClientInfo, summary: BookingSummary, status: StaffBookingStatus, cancelledBy: ClientInfo?,
                reason: String) {
        self.id = id
        self.client = client
        self.summary = summary
        self.status = status
        self.cancelledBy = cancelledBy
        self.reason = reason
    }
}

public enum StaffBookingStatus: String, Sendable, Hashable, CaseIterable {
    case confirmed, cancelled, completed, noShow
}

/// The schedule's buttons.
public enum ScheduleButton: StaffLabel, Hashable {
    /// The staff menu's entry.
    case schedule
    /// A day of the overview with its confirmed bookings.
    case day(LocalDate, today: LocalDate, count: Int)
    case previousDay(LocalDate)
    case nextDay(LocalDate)
    /// A booking of a day's list or a client's card.
    case booking(time: LocalDateTime, service: String, client: ClientInfo, status: StaffBookingStatus, withDate: Bool)
    case cancelBooking, moveBooking, markCompleted, markNoShow
    case confirmCancel, confirmMove
    case clientCard
    case backToBooking
    case backToDay(LocalDate)
}

enum ScheduleKey: String, StaffTemplateSet {
    /// Formats with no words, the same in both languages on purpose.
    static let neutral: Set<ScheduleKey> = [.cardWithNotice, .person, .buttonPreviousDay, .buttonNextDay, .buttonBooking, .buttonBackToDay]

    case overview, day, dayEmpty, card, cardCancelled, cardWithNotice, person, askReason, confirmCancel, reasonLost
    case moveCalendar, moveSlots, confirmMove, moveRefused, notFound
    case noticeCancelled, noticeMoved, noticeCompleted, noticeNoShow, noticeNoLongerConfirmed, noticeNotStarted, noticeStarted
    case buttonSchedule, buttonDay, buttonPreviousDay, buttonNextDay, buttonBooking, buttonCancel, buttonMove
    case buttonCompleted, buttonNoShow, buttonConfirmCancel, buttonConfirmMove, buttonClientCard, buttonBackToBooking, buttonBackToDay
    case status

    var pair: (ru: String, en: String) {
        switch self {
        case .overview:
            return (ru: "📅 Расписание на {days, plural, one {# день} few {# дня} many {# дней} other {# дня}}\n\n"
                        + "Подтверждённых записей: {confirmed}. Выберите день.",
                    en: "📅 Schedule for {days, plural, one {# day} other {# days}}\n\n"
                        + "Confirmed bookings: {confirmed}. Choose a day.")
        case .day:
            return (ru: "📅 {date} ({relative})\n\n{count, plural, one {# запись} few {# записи} many {# записей} other {# записи}} "
                        + "по времени. Нажмите на запись, чтобы открыть её.",
                    en: "📅 {date} ({relative})\n\n{count, plural, one {# booking} other {# bookings}} in time order. "
                        + "Press one to open it.")
        case .dayEmpty:
            return (ru: "📅 {date} ({relative})\n\nЗаписей нет.", en: "📅 {date} ({relative})\n\nNo bookings.")
        case .card:
            return (ru: "📋 Запись №{id}\n\n👤 {client}, id {clientID}\n🔹 {service}\n📅 {date}, {time}\n⏱ {duration}"
                        + "{hasPrice, select, yes {\n💰 {price}} other {}}\nСтатус: {status}",
                    en: "📋 Booking No. {id}\n\n👤 {client}, id {clientID}\n🔹 {service}\n📅 {date}, {time}\n⏱ {duration}"
                        + "{hasPrice, select, yes {\n💰 {price}} other {}}\nStatus: {status}")
        case .cardCancelled:
            return (ru: "{card}\nОтменил(а): {who}{hasReason, select, yes {\nПричина: {reason}} other {}}",
                    en: "{card}\nCancelled by: {who}{hasReason, select, yes {\nReason: {reason}} other {}}")
        case .cardWithNotice:
            return (ru: "{notice}\n\n{card}", en: "{notice}\n\n{card}")
        case .person:
            return (ru: "{hasName, select, yes {{name}} other {id {id}}}{hasUsername, select, yes { (@{username})} other {}}",
                    en: "{hasName, select, yes {{name}} other {id {id}}}{hasUsername, select, yes { (@{username})} other {}}")
        case .status:
            return (ru: "{status, select, confirmed {подтверждена} cancelled {отменена} completed {визит состоялся} other {клиент не пришёл}}",
                    en: "{status, select, confirmed {confirmed} cancelled {cancelled} completed {visit completed} other {no-show}}")
        case .askReason:
            return (ru: "{card}\n\n✏️ Напишите причину отмены одним сообщением (от 1 до 500 символов). Клиент её увидит.",
                    en: "{card}\n\n✏️ Type the reason for cancelling in one message (1 to 500 characters). The client will see it.")
        case .confirmCancel:
            return (ru: "{card}\n\nОтменить эту запись?\nПричина: {reason}\n\nКлиент получит сообщение с причиной.",
                    en: "{card}\n\nCancel this booking?\nReason: {reason}\n\nThe client will be told, with the reason.")
        case .reasonLost:
            return (ru: "⚠️ Причина отмены не сохранилась (экран устарел). Откройте запись и нажмите «Отменить запись» ещё раз.",
                    en: "⚠️ The reason was not kept (the screen is out of date). Open the booking and press “Cancel booking” again.")
        case .moveCalendar:
            return (ru: "{card}\n\n🔁 Перенос: выберите новый день.", en: "{card}\n\n🔁 Moving: choose the new day.")
        case .moveSlots:
            return (ru: "{card}\n\n🔁 Перенос на {date}: {free, plural, =0 {свободного времени нет} one {# свободное время} "
                        + "few {# свободных времени} many {# свободных времён} other {# свободного времени}}.",
                    en: "{card}\n\n🔁 Moving to {date}: {free, plural, =0 {no free times} one {# free time} other {# free times}}.")
        case .confirmMove:
            return (ru: "{card}\n\n🔁 Перенести на {date}, {time}? Клиент получит сообщение.",
                    en: "{card}\n\n🔁 Move it to {date}, {time}? The client will be told.")
        case .moveRefused:
            return (ru: "{card}\n\n⚠️ Это время не подходит: {why, select, overlaps_booking {оно уже занято} overlaps_block {оно закрыто} "
                        + "outside_hours {вне рабочих часов} not_aligned {не по сетке записи} in_past {оно уже прошло} "
                        + "not_active {услуга больше не доступна} other {так нельзя}}. Выберите другое.",
                    en: "{card}\n\n⚠️ That time won’t do: {why, select, overlaps_booking {it is taken} overlaps_block {it is blocked} "
                        + "outside_hours {outside the work hours} not_aligned {off the booking grid} in_past {it has passed} "
                        + "not_active {the service is no longer available} other {not allowed}}. Choose another.")
        case .notFound:
            return (ru: "⚠️ Такой записи нет.", en: "⚠️ There is no such booking.")
        case .noticeCancelled:
            return (ru: "✅ Запись отменена, клиенту отправлено сообщение.", en: "✅ The booking is cancelled; the client has been told.")
        case .noticeMoved:
            return (ru: "✅ Запись перенесена (было: {date}, {time}), клиенту отправлено сообщение.",
                    en: "✅ The booking is moved (it was {date}, {time}); the client has been told.")
        case .noticeCompleted:
            return (ru: "✅ Отмечено: визит состоялся.", en: "✅ Marked: the visit took place.")
        case .noticeNoShow:
            return (ru: "✅ Отмечено: клиент не пришёл.", en: "✅ Marked: the client did not come.")
        case .noticeNoLongerConfirmed:
            return (ru: "⚠️ Ничего не изменено: запись уже не подтверждена (её изменили за это время).",
                    en: "⚠️ Nothing changed: the booking is no longer confirmed (it was changed meanwhile).")
        case .noticeNotStarted:
            return (ru: "⚠️ Визит ещё не начался — отметить его можно после начала.",
                    en: "⚠️ The visit has not started yet — it can be marked once it has begun.")
        case .noticeStarted:
            return (ru: "⚠️ Визит уже начался: отменить или перенести его нельзя, можно отметить, как он прошёл.",
                    en: "⚠️ The visit has begun: it can no longer be cancelled or moved, only marked.")
        case .buttonSchedule:
            return (ru: "📅 Расписание", en: "📅 Schedule")
        case .buttonDay:
            return (ru: "{relative, select, today {Сегодня} tomorrow {Завтра} other {{weekday}}}, {date} — {count}",
                    en: "{relative, select, today {Today} tomorrow {Tomorrow} other {{weekday}}}, {date} — {count}")
        case .buttonPreviousDay:
            return (ru: "◀ {date}", en: "◀ {date}")
        case .buttonNextDay:
            return (ru: "{date} ▶", en: "{date} ▶")
        case .buttonBooking:
            return (ru: "{mark}{withDate, select, yes {{date} } other {}}{time} · {service} · {client}",
                    en: "{mark}{withDate, select, yes {{date} } other {}}{time} · {service} · {client}")
        case .buttonCancel:
            return (ru: "❌ Отменить запись", en: "❌ Cancel booking")
        case .buttonMove:
            return (ru: "🔁 Перенести", en: "🔁 Move")
        case .buttonCompleted:
            return (ru: "✅ Визит состоялся", en: "✅ Visit completed")
        case .buttonNoShow:
            return (ru: "🚫 Не пришёл", en: "🚫 No-show")
        case .buttonConfirmCancel:
            return (ru: "✅ Да, отменить", en: "✅ Yes, cancel it")
        case .buttonConfirmMove:
            return (ru: "✅ Перенести", en: "✅ Move it")
        case .buttonClientCard:
            return (ru: "👤 Карточка клиента", en: "👤 Client’s card")
        case .buttonBackToBooking:
            return (ru: "⬅️ К записи", en: "⬅️ Back to the booking")
        case .buttonBackToDay:
            return (ru: "⬅️ {date}", en: "⬅️ {date}")
        }
    }
}

extension ScheduleText {
    public func text(in language: Language) -> String {
        let dates = DateFormat(language: language)
        switch self {
        case .overview(let confirmed, let days):
            return ScheduleKey.overview.screen(["confirmed": .number(confirmed), "days": .number(days)], in: language)
        case .day(let date, let today, let count):
            let values: [String: TemplateValue] = ["date": .text(dates.dateWithWeekday(date)),
                                                   "relative": .text(dates.relativeDay(date, today: today)), "count": .number(count)]
            return (count == 0 ? ScheduleKey.dayEmpty : .day).screen(values, in: language)
        case .card(let card, let notice):
            let body = Self.card(card, in: language)
            guard let notice else { return Fitting.clamp(body, to: TelegramLimits.messageLength) }
            return ScheduleKey.cardWithNotice.screen(["notice": .text(Self.notice(notice, in: language)), "card": .text(body)], in: language)
        case .askReason(let card):
            return ScheduleKey.askReason.screen(["card": .text(Self.card(card, in: language))], in: language)
        case .confirmCancel(let card, let reason):
            return ScheduleKey.confirmCancel.screen(["card": .text(Self.card(card, in: language)), "reason": .text(reason)], in: language)
        case .reasonLost:
            return ScheduleKey.reasonLost.screen(in: language)
        case .moveCalendar(let card):
            return ScheduleKey.moveCalendar.screen(["card": .text(Self.card(card, in: language))], in: language)
        case .moveSlots(let card, let date, let free):
            return ScheduleKey.moveSlots.screen(["card": .text(Self.card(card, in: language)), "date": .text(dates.dateWithWeekday(date)),
                                                 "free": .number(free)], in: language)
        case .confirmMove(let card, let to):
            return ScheduleKey.confirmMove.screen(["card": .text(Self.card(card, in: language)), "date": .text(dates.dateWithWeekday(to.date)),
                                                   "time": .text(dates.time(to))], in: language)
        case .moveRefused(let card, let refusal):
            return ScheduleKey.moveRefused.screen(["card": .text(Self.card(card, in: language)), "why": .text(refusal.rawValue)], in: language)
        case .notFound:
            return ScheduleKey.notFound.screen(in: language)
        }
    }

    /// A person as staff read them: name (or id) and @username.
    static func person(_ client: ClientInfo, in language: Language) -> String {
        ScheduleKey.person.render(["id": .text(String(client.id)), "hasName": .flag(!client.name.isEmpty), "name": .text(client.name),
                                   "hasUsername": .flag(!(client.username ?? "").isEmpty), "username": .text(client.username ?? "")],
                                  in: language)
    }

    static func card(_ card: StaffBookingCard, in language: Language) -> String {
        let dates = DateFormat(language: language)
        let summary = card.summary
        let body = ScheduleKey.card.render([
            "id": .text(String(card.id)), "client": .text(person(card.client, in: language)), "clientID": .text(String(card.client.id)),
            "service": .text(summary.service), "date": .text(dates.dateWithWeekday(summary.start.date)), "time": .text(dates.time(summary.start)),
            "duration": .text(Renderer(language: language).duration(summary.durationMinutes)),
            "hasPrice": .flag(!summary.price.isEmpty), "price": .text(summary.price),
            "status": .text(ScheduleKey.status.render(["status": .text(card.status.rawValue)], in: language)),
        ], in: language)
        guard card.status == .cancelled else { return body }
        return ScheduleKey.cardCancelled.render([
            "card": .text(body), "who": .text(card.cancelledBy.map { person($0, in: language) } ?? "—"),
            "hasReason": .flag(!card.reason.isEmpty), "reason": .text(card.reason),
        ], in: language)
    }

    private static func notice(_ notice: ScheduleNotice, in language: Language) -> String {
        switch notice {
        case .cancelled: return ScheduleKey.noticeCancelled.render(in: language)
        case .moved(let from):
            let dates = DateFormat(language: language)
            return ScheduleKey.noticeMoved.render(["date": .text(dates.dateWithWeekday(from.date)), "time": .text(dates.time(from))],
                                                  in: language)
        case .completed: return ScheduleKey.noticeCompleted.render(in: language)
        case .noShow: return ScheduleKey.noticeNoShow.render(in: language)
        case .noLongerConfirmed: return ScheduleKey.noticeNoLongerConfirmed.render(in: language)
        case .notStarted: return ScheduleKey.noticeNotStarted.render(in: language)
        case .started: return ScheduleKey.noticeStarted.render(in: language)
        }
    }
}

extension ScheduleButton {
    public func label(in language: Language) -> String {
        let dates = DateFormat(language: language)
        switch self {
        case .schedule: return ScheduleKey.buttonSchedule.buttonLabel(in: language)
        case .day(let date, let today, let count):
            let relative = date == today ? "today" : date.dayNumber == today.dayNumber + 1 ? "tomorrow" : "other"
            return ScheduleKey.buttonDay.buttonLabel(["relative": .text(relative), "weekday": .text(dates.weekdayShortName(date.weekday)),
                                                      "date": .text(dates.shortDate(date)), "count": .number(count)], in: language)
        case .previousDay(let date): return ScheduleKey.buttonPreviousDay.buttonLabel(["date": .text(dates.shortDate(date))], in: language)
        case .nextDay(let date): return ScheduleKey.buttonNextDay.buttonLabel(["date": .text(dates.shortDate(date))], in: language)
        case .booking(let time, let service, let client, let status, let withDate):
            let mark: String
            switch status {
            case .confirmed: mark = ""
            case .cancelled: mark = "❌ "
            case .completed: mark = "✅ "
            case .noShow: mark = "🚫 "
            }
            return ScheduleKey.buttonBooking.buttonLabel([
                "mark": .text(mark), "withDate": .flag(withDate), "date": .text(dates.shortDate(time.date)), "time": .text(dates.time(time)),
                "service": .text(service), "client": .text(ScheduleText.person(client, in: language)),
            ], in: language)
        case .cancelBooking: return ScheduleKey.buttonCancel.buttonLabel(in: language)
        case .moveBooking: return ScheduleKey.buttonMove.buttonLabel(in: language)
        case .markCompleted: return ScheduleKey.buttonCompleted.buttonLabel(in: language)
        case .markNoShow: return ScheduleKey.buttonNoShow.buttonLabel(in: language)
        case .confirmCancel: return ScheduleKey.buttonConfirmCancel.buttonLabel(in: language)
        case .confirmMove: return ScheduleKey.buttonConfirmMove.buttonLabel(in: language)
        case .clientCard: return ScheduleKey.buttonClientCard.buttonLabel(in: language)
        case .backToBooking: return ScheduleKey.buttonBackToBooking.buttonLabel(in: language)
        case .backToDay(let date): return ScheduleKey.buttonBackToDay.buttonLabel(["date": .text(dates.shortDate(date))], in: language)
        }
    }
}
