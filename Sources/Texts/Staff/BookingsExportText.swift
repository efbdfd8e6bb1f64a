import Booking

/// What was wrong with a typed range of days.
public enum BookingsExportProblem: Sendable, Hashable {
    /// Not "01.03.2026-31.03.2026" (or a date that does not exist).
    case notARange
    /// The end before the start.
    case backwards
    /// Longer than `maxDays` days.
    case tooLong(maxDays: Int)
    /// A date more than `years` years from today.
    case outOfReach(years: Int)
}

/// The bookings export's screens and messages (SPEC admin 13), for super admins.
public enum BookingsExportText: StaffScreenText, Hashable {
    /// Choose a range: buttons, or typed; `problem`: what was wrong with the last one.
    case ask(maxDays: Int, problem: BookingsExportProblem?)
    case confirm(from: LocalDate, to: LocalDate, count: Int)
    /// The job was started: the file will follow.
    case started(count: Int)
    /// Sent after the file: `rows` of `total` (fewer when the cap cut it).
    case ready(rows: Int, total: Int, from: LocalDate, to: LocalDate)
    /// The job failed for good (after its retries).
    case failed

    public func text(in language: Language) -> String {
        switch self {
        case .ask(let maxDays, let problem):
            let ask = BookingsExportKey.ask.screen(["maxDays": .number(maxDays)], in: language)
            guard let problem else { return ask }
            let why: String
            switch problem {
            case .notARange: why = BookingsExportKey.problemNotARange.render(in: language)
            case .backwards: why = BookingsExportKey.problemBackwards.render(in: language)
            case .tooLong(let maxDays): why = BookingsExportKey.problemTooLong.render(["maxDays": .number(maxDays)], in: language)
            case .outOfReach(let years): why = BookingsExportKey.problemOutOfReach.render(["years": .number(years)], in: language)
            }
            return BookingsExportKey.again.screen(["problem": .text(why), "ask": .text(ask)], in: language)
        case .confirm(let from, let to, let count):
            return BookingsExportKey.confirm.screen(["from": .text(Self.day(from)), "to": .text(Self.day(to)), "count": .number(count)],
                                                    in: language)
        case .started(let count): return BookingsExportKey.started.screen(["count": .number(count)], in: language)
        case .ready(let rows, let total, let from, let to):
            return BookingsExportKey.ready.screen(["rows": .number(rows), "total": .number(total), "cut": .flag(rows < total),
                                                   "from": .text(Self.day(from)), "to": .text(Self.day(to))], in: language)
        case .failed: return BookingsExportKey.failed.screen(in: language)
        }
    }

    /// `01.03.2026`, as the range is typed.
    public static func day(_ date: LocalDate) -> String {
        let parts = date.description.split(separator: "-")
        return "\(parts[2]).\(parts[1]).\(parts[0])"
    }
}

public enum BookingsExportButton: StaffLabel, Hashable {
    case menuEntry, thisMonth, lastMonth, next30Days, start

    public func label(in language: Language) -> String {
        switch self {
        case .menuEntry: return BookingsExportKey.buttonMenuEntry.buttonLabel(in: language)
        case .thisMonth: return BookingsExportKey.buttonThisMonth.buttonLabel(in: language)
        case .lastMonth: return BookingsExportKey.buttonLastMonth.buttonLabel(in: language)
        case .next30Days: return BookingsExportKey.buttonNext30Days.buttonLabel(in: language)
        case .start: return BookingsExportKey.buttonStart.buttonLabel(in: language)
        }
    }
}

/// The export's header cells and status words.
public enum BookingsExportLabel: StaffLabel, Hashable, CaseIterable {
    case id, date, start, end, service, client, username, clientID, status, price, cancelledBy, cancelReason, created
    case confirmed, cancelled, completed, noShow

    public func label(in language: Language) -> String {
        let key: BookingsExportKey
        switch self {
        case .id: key = .columnID
        case .date: key = .columnDate
        case .start: key = .columnStart
        case .end: key = .columnEnd
        case .service: key = .columnService
        case .client: key = .columnClient
        case .username: key = .columnUsername
        case .clientID: key = .columnClientID
        case .status: key = .columnStatus
        case .price: key = .columnPrice
        case .cancelledBy: key = .columnCancelledBy
        case .cancelReason: key = .columnCancelReason
        case .created: key = .columnCreated
        case .confirmed: key = .statusConfirmed
        case .cancelled: key = .statusCancelled
        case .completed: key = .statusCompleted
        case .noShow: key = .statusNoShow
        }
        return key.render(in: language)
    }

    public static let header: [BookingsExportLabel] = [.id, .date, .start, .end, .service, .client, .username, .clientID, .status, .price,
                                                       .cancelledBy, .cancelReason, .created]
}

enum BookingsExportKey: String, StaffTemplateSet {
    case ask, again, problemNotARange, problemBackwards, problemTooLong, problemOutOfReach, confirm, started, ready, failed
    case buttonMenuEntry, buttonThisMonth, buttonLastMonth, buttonNext30Days, buttonStart
    case columnID, columnDate, columnStart, columnEnd, columnService, columnClient, columnUsername, columnClientID, columnStatus
    case columnPrice, columnCancelledBy, columnCancelReason, columnCreated
    case statusConfirmed, statusCancelled, statusCompleted, statusNoShow

    static let neutral: Set<BookingsExportKey> = [.again, .columnID]

    var pair: (ru: String, en: String) {
        switch self {
        case .ask:
            return (ru: "🗂 Выгрузка записей (CSV)\n\nВыберите период кнопкой или пришлите его так: 01.03.2026-31.03.2026 "
                        + "(не длиннее {maxDays, plural, one {# дня} few {# дней} many {# дней} other {# дня}}).",
                    en: "🗂 Bookings export (CSV)\n\nChoose a period with a button, or send it like this: 01.03.2026-31.03.2026 "
                        + "(at most {maxDays, plural, one {# day} other {# days}}).")
        case .again:
            return (ru: "⚠️ {problem}\n\n{ask}", en: "⚠️ {problem}\n\n{ask}")
        case .problemNotARange:
            return (ru: "Не удалось прочитать период: нужны две существующие даты через дефис, например 01.03.2026-31.03.2026.",
                    en: "That period could not be read: send two real dates with a dash, such as 01.03.2026-31.03.2026.")
        case .problemBackwards:
            return (ru: "Конец периода раньше начала.", en: "The period ends before it starts.")
        case .problemTooLong:
            return (ru: "Период длиннее {maxDays, plural, one {# дня} few {# дней} many {# дней} other {# дня}}: разбейте его на части.",
                    en: "The period is longer than {maxDays, plural, one {# day} other {# days}}: split it into parts.")
        case .problemOutOfReach:
            return (ru: "Даты должны быть не дальше {years, plural, one {# года} few {# лет} many {# лет} other {# года}} от сегодняшнего дня.",
                    en: "The dates must be within {years, plural, one {# year} other {# years}} of today.")
        case .confirm:
            return (ru: "🗂 Выгрузить записи с {from} по {to}?\n\nЗаписей за период: {count}. Файл придёт в этот чат.",
                    en: "🗂 Export the bookings from {from} to {to}?\n\nBookings in the period: {count}. The file will come to this chat.")
        case .started:
            return (ru: "⏳ Готовим выгрузку: {count, plural, one {# запись} few {# записи} many {# записей} other {# записи}}… Файл придёт сюда.",
                    en: "⏳ Preparing the export of {count, plural, one {# booking} other {# bookings}}… The file will come here.")
        case .ready:
            return (ru: "✅ Записи с {from} по {to}: {rows, plural, one {# строка} few {# строки} many {# строк} other {# строки}}"
                        + "{cut, select, yes { (первые из {total}: больше в одном файле не помещается — выгрузите период короче)} other {}}.",
                    en: "✅ Bookings from {from} to {to}: {rows, plural, one {# row} other {# rows}}"
                        + "{cut, select, yes { (the first of {total}: no more fit in one file — export a shorter period)} other {}}.")
        case .failed:
            return (ru: "⚠️ Не удалось подготовить выгрузку записей. Попробуйте позже.",
                    en: "⚠️ The bookings export could not be prepared. Please try again later.")
        case .buttonMenuEntry: return (ru: "🗂 Записи (CSV)", en: "🗂 Bookings (CSV)")
        case .buttonThisMonth: return (ru: "Этот месяц", en: "This month")
        case .buttonLastMonth: return (ru: "Прошлый месяц", en: "Last month")
        case .buttonNext30Days: return (ru: "Следующие 30 дней", en: "Next 30 days")
        case .buttonStart: return (ru: "✅ Выгрузить", en: "✅ Export")
        case .columnID: return (ru: "ID", en: "ID")
        case .columnDate: return (ru: "Дата", en: "Date")
        case .columnStart: return (ru: "Начало", en: "Start")
        case .columnEnd: return (ru: "Конец", en: "End")
        case .columnService: return (ru: "Услуга", en: "Service")
        case .columnClient: return (ru: "Клиент", en: "Client")
        case .columnUsername: return (ru: "Ник в Telegram", en: "Username")
        case .columnClientID: return (ru: "ID клиента", en: "Client ID")
        case .columnStatus: return (ru: "Статус", en: "Status")
        case .columnPrice: return (ru: "Цена", en: "Price")
        case .columnCancelledBy: return (ru: "Кто отменил", en: "Cancelled by")
        case .columnCancelReason: return (ru: "Причина отмены", en: "Cancel reason")
        case .columnCreated: return (ru: "Создана", en: "Created")
        case .statusConfirmed: return (ru: "подтверждена", en: "confirmed")
        case .statusCancelled: return (ru: "отменена", en: "cancelled")
        case .statusCompleted: return (ru: "состоялась", en: "completed")
        case .statusNoShow: return (ru: "не пришёл", en: "no-show")
        }
    }
}

/// The audit screen's words for a bookings export.
public struct BookingsExportAuditWords: Sendable, Hashable {
    public let from: LocalDate
    public let to: LocalDate

    public init(from: LocalDate, to: LocalDate) {
        self.from = from
        self.to = to
    }

    public func text(in language: Language) -> String {
        BookingsExportAuditKey.started.render(["from": .text(BookingsExportText.day(from)), "to": .text(BookingsExportText.day(to))],
                                              in: language)
    }
}

enum BookingsExportAuditKey: String, StaffTemplateSet {
    case started

    var pair: (ru: String, en: String) {
        (ru: "выгрузка записей с {from} по {to}", en: "bookings export from {from} to {to}")
    }
}
