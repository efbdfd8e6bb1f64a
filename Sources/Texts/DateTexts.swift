import Booking
import Foundation

/// Formats dates and times for one language in the business's zone: "среда, 25 ноября" /
/// "Wednesday, 25 November", "14:00", "Ноябрь 2026" / "November 2026", calendar column
/// headers, and "сегодня / завтра / через 3 дня" / "today / tomorrow / in 3 days".
///
/// Instants go through the business's `BusinessClock` (the zone's real offset on that
/// date, DST included), never the process's own zone; names come from the catalogs, not
/// from the system's locale data, so every machine renders the same text.
public struct DateTexts: Sendable {
    public let language: Language
    public let clock: BusinessClock

    public init(language: Language, clock: BusinessClock) {
        self.language = language
        self.clock = clock
    }

    private var format: DateFormat { DateFormat(language: language) }

    /// The local day and minute of an instant, for the `Message` values.
    public func localDateTime(of instant: Date) -> LocalDateTime { LocalDateTime(instant, clock: clock) }

    /// "среда, 25 ноября" / "Wednesday, 25 November".
    public func dateWithWeekday(_ date: LocalDate) -> String { format.dateWithWeekday(date) }
    public func dateWithWeekday(of instant: Date) -> String { format.dateWithWeekday(clock.localDate(of: instant)) }

    /// "25 ноября" / "25 November".
    public func dayMonth(_ date: LocalDate) -> String { format.dayMonth(date) }

    /// "25.11" / "25 Nov" (and "05.03" / "5 Mar"): for buttons.
    public func shortDate(_ date: LocalDate) -> String { format.shortDate(date) }

    /// "14:00" (24-hour in both languages).
    public func time(of instant: Date) -> String { format.time(minuteOfDay: clock.minuteOfDay(of: instant)) }
    public func time(minuteOfDay: Int) -> String { format.time(minuteOfDay: minuteOfDay) }

    /// "Ноябрь 2026" / "November 2026" for the month of `date`.
    public func monthTitle(_ date: LocalDate) -> String { format.monthTitle(date) }

    /// "понедельник" / "Monday".
    public func weekdayName(_ weekday: Weekday) -> String { format.weekdayName(weekday) }

    /// "Пн" / "Mo".
    public func weekdayShortName(_ weekday: Weekday) -> String { format.weekdayShortName(weekday) }

    /// The calendar's header row, Monday first.
    public var weekdayShortNames: [String] { Weekday.allCases.map(format.weekdayShortName) }

    /// "сегодня", "завтра", "через 3 дня", "вчера", "2 дня назад" (and the English ones)
    /// for `date` seen from `today`.
    public func relativeDay(_ date: LocalDate, today: LocalDate) -> String { format.relativeDay(date, today: today) }

    /// The same, for an instant seen from another, both on the business's calendar: an
    /// instant at 23:30 UTC may already be tomorrow in Moscow.
    public func relativeDay(of instant: Date, now: Date) -> String {
        format.relativeDay(clock.localDate(of: instant), today: clock.localDate(of: now))
    }
}

/// The clock-free half of `DateTexts`: a language's formats for days and minutes that are
/// already local. `Texts` uses it for the `LocalDate` / `LocalDateTime` in messages.
struct DateFormat: Sendable {
    let language: Language

    private var names: CalendarNames { Catalog.names(in: language) }

    private func render(_ key: CatalogKey, _ values: [String: TemplateValue]) -> String {
        TemplateRenderer(language: language, values: values).render(Catalog.template(key, in: language))
    }

    func dateWithWeekday(_ date: LocalDate) -> String {
        render(.dateWithWeekday, ["weekday": .text(weekdayName(date.weekday)), "day": .number(date.day),
                                  "month": .text(names.monthsAfterDay[date.month - 1])])
    }

    func dayMonth(_ date: LocalDate) -> String {
        render(.dayMonth, ["day": .number(date.day), "month": .text(names.monthsAfterDay[date.month - 1])])
    }

    func shortDate(_ date: LocalDate) -> String {
        // Russian writes day and month as two digits each ("05.03"), English the day and
        // a short month name ("5 Mar").
        switch language {
        case .ru:
            return render(.shortDate, ["day": .text(Self.twoDigits(date.day)), "month": .text(Self.twoDigits(date.month))])
        case .en:
            return render(.shortDate, ["day": .number(date.day), "month": .text(names.monthsShort[date.month - 1])])
        }
    }

    func time(minuteOfDay: Int) -> String {
        render(.time, ["hour": .text(Self.twoDigits(minuteOfDay / 60)), "minute": .text(Self.twoDigits(minuteOfDay % 60))])
    }

    func time(_ moment: LocalDateTime) -> String { time(minuteOfDay: moment.minuteOfDay) }

    func monthTitle(_ date: LocalDate) -> String {
        render(.monthTitle, ["month": .text(names.months[date.month - 1]), "year": .text(String(date.year))])
    }

    func weekdayName(_ weekday: Weekday) -> String { names.weekdays[weekday.rawValue - 1] }

    func weekdayShortName(_ weekday: Weekday) -> String { names.weekdaysShort[weekday.rawValue - 1] }

    func relativeDay(_ date: LocalDate, today: LocalDate) -> String {
        let days = date.dayNumber - today.dayNumber
        switch days {
        case 0: return render(.relativeToday, [:])
        case 1: return render(.relativeTomorrow, [:])
        case -1: return render(.relativeYesterday, [:])
        case 2...: return render(.relativeInDays, ["days": .number(days)])
        default: return render(.relativeDaysAgo, ["days": .number(-days)])
        }
    }

    /// Hours and minutes are zero-padded in both languages ("09:05").
    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
