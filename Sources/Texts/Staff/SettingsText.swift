import Booking

/// A setting the bot can edit (SPEC admin 6), named by the key it is stored under.
public enum SettingName: String, Sendable, Hashable, Codable, CaseIterable {
    case workHours = "work_hours"
    case slotStep = "slot_step_minutes"
    case horizon = "booking_horizon_months"
    case notice = "min_notice_minutes"
    case limit = "max_bookings_per_user"
    case cancelCutoff = "cancellation_hours"
    case moveCutoff = "reschedule_hours"
    case reminders = "reminder_offsets"
    case feedback = "feedback_hours_after"
    case address = "service_location"
    case contact = "business_contact"
}

/// Every setting's value in force (stored over configured), as the settings screens show
/// them and the audit records them.
public struct SettingValues: Sendable, Hashable {
    public var schedule: WorkSchedule
    public var slotStepMinutes: Int
    public var horizonMonths: Int
    public var minNoticeMinutes: Int
    public var bookingLimit: Int
    public var cancellationHours: Int
    public var rescheduleHours: Int
    /// Longest first, each once; empty: no reminders.
    public var reminderOffsetsMinutes: [Int]
    public var feedbackHours: Int
    /// Empty: none shown to clients.
    public var address: String
    public var contact: String

    public init(rules: BookingRules, address: String, contact: String) {
        schedule = rules.schedule
        slotStepMinutes = rules.slotStepMinutes
        horizonMonths = rules.horizonMonths
        minNoticeMinutes = rules.minNoticeMinutes
        bookingLimit = rules.maxActiveBookingsPerClient
        cancellationHours = rules.cancellationCutoffHours
        rescheduleHours = rules.rescheduleCutoffHours
        reminderOffsetsMinutes = Array(Set(rules.reminderOffsetsMinutes.filter { $0 > 0 })).sorted(by: >)
        feedbackHours = rules.feedbackHoursAfter
        self.address = address
        self.contact = contact
    }
}

/// Bookings a change of work hours leaves outside them, on one local day.
public struct StrandedDay: Sendable, Hashable {
    public var date: LocalDate
    public var count: Int

    public init(date: LocalDate, count: Int) {
        self.date = date
        self.count = count
    }
}

/// One setting before and after a change: `days` are the weekdays a change of hours
/// touched (the others are not shown).
public struct SettingDiff: Sendable, Hashable {
    public var setting: SettingName
    public var days: [Weekday]
    public var old: SettingValues
    public var new: SettingValues

    public init(setting: SettingName, days: [Weekday] = [], old: SettingValues, new: SettingValues) {
        self.setting = setting
        self.days = days
        self.old = old
        self.new = new
    }
}

/// What is wrong with a typed setting; the question is asked again after it.
public enum SettingsProblem: Error, Sendable, Hashable {
    /// Not a whole number within `min`…`max` (a multiple of `step` when it is over 1).
    case number(min: Int, max: Int, step: Int)
    /// Not hours like "10:00-16:00" with opening before closing within the day.
    case hours
    /// Not lead times like "24h, 2h": at most `max`, each from a minute to 30 days.
    case reminders(max: Int)
    /// Empty, or longer than `max` characters.
    case length(max: Int)
}

/// The settings screens (super admins).
public indirect enum SettingsText: StaffScreenText, Hashable {
    /// Every setting with its value in force.
    case overview(SettingValues)
    /// The question for one setting (not work hours), naming its value now.
    case ask(SettingName, SettingValues)
    /// The work hours, weekday by weekday.
    case week(WorkSchedule)
    /// The question for these weekdays' hours (all seven: every day at once), naming
    /// their hours now.
    case askHours(days: [Weekday], WorkSchedule)
    /// The question again, after what was wrong with the answer.
    case again(SettingsProblem, prompt: SettingsText)
    /// The change, old → new, before Confirm; with the bookings it would leave outside the hours.
    case confirm(SettingDiff, stranded: [StrandedDay])
    /// The change saved.
    case saved(SettingDiff, stranded: [StrandedDay])
    /// The store would not take the value (nothing was saved).
    case notSaved

    public func text(in language: Language) -> String {
        SettingsWords(language: language).screen(self)
    }
}

/// The settings screens' buttons.
public enum SettingsButton: StaffLabel, Hashable {
    /// The staff menu's way in.
    case menuEntry
    /// A setting's button on the overview.
    case setting(SettingName)
    /// A weekday with its hours, on the work hours screen.
    case weekday(Weekday, DayHours?)
    case allDays
    case dayOff
    case noReminders
    /// Clears the address or the contact.
    case clear
    /// Back to the overview.
    case backToSettings

    public func label(in language: Language) -> String {
        SettingsWords(language: language).label(self)
    }
}

/// Renders the settings' texts in one language.
struct SettingsWords {
    let language: Language
    private var values: Renderer { Renderer(language: language) }
    private var dates: DateFormat { DateFormat(language: language) }

    func screen(_ text: SettingsText) -> String {
        switch text {
        case .overview(let v):
            return SettingsKey.overview.screen([
                "hours": .text(values.workHours(v.schedule)), "step": .text(values.duration(v.slotStepMinutes)),
                "horizon": .number(v.horizonMonths), "notice": .text(values.duration(v.minNoticeMinutes)),
                "limit": .number(v.bookingLimit), "cancel": .number(v.cancellationHours), "move": .number(v.rescheduleHours),
                "reminders": .text(value(.reminders, v)), "feedback": .number(v.feedbackHours),
                "address": .text(value(.address, v)), "contact": .text(value(.contact, v)),
            ], in: language)
        case .ask(let setting, let v):
            return question(setting).screen(["now": .text(value(setting, v)), "max": .number(SettingsLimits.maxReminders),
                                             "length": .number(SettingsLimits.maxTextLength)], in: language)
        case .week(let schedule):
            let lines = Weekday.allCases.map { day in
                SettingsKey.dayLine.render(["day": .text(dates.weekdayName(day)), "hours": .text(hours(schedule.hours(on: day)))],
                                           in: language)
            }
            return SettingsKey.week.screen(["days": .text(lines.joined(separator: "\n"))], in: language)
        case .askHours(let days, let schedule):
            let all = days.count == Weekday.allCases.count
            let now = all || days.isEmpty ? values.workHours(schedule) : days.map { hours(schedule.hours(on: $0)) }.joined(separator: ", ")
            return SettingsKey.askHours.screen(["all": .flag(all), "days": .text(dayNames(days)), "now": .text(now)], in: language)
        case .again(let problem, let prompt):
            return SettingsKey.again.screen(["problem": .text(self.problem(problem)), "prompt": .text(screen(prompt))], in: language)
        case .confirm(let diff, let stranded):
            return SettingsKey.confirm.screen(diffValues(diff).merging(strandedValues(stranded)) { $1 }, in: language)
        case .saved(let diff, let stranded):
            return SettingsKey.saved.screen(diffValues(diff).merging(strandedValues(stranded)) { $1 }, in: language)
        case .notSaved:
            return SettingsKey.notSaved.screen(in: language)
        }
    }

    func label(_ button: SettingsButton) -> String {
        switch button {
        case .menuEntry: return SettingsKey.buttonMenuEntry.buttonLabel(in: language)
        case .setting(let setting): return name(setting).buttonLabel(in: language)
        case .weekday(let day, let dayHours):
            return SettingsKey.buttonWeekday.buttonLabel(["day": .text(dates.weekdayShortName(day)), "hours": .text(hours(dayHours))],
                                                         in: language)
        case .allDays: return SettingsKey.buttonAllDays.buttonLabel(in: language)
        case .dayOff: return SettingsKey.buttonDayOff.buttonLabel(in: language)
        case .noReminders: return SettingsKey.buttonNoReminders.buttonLabel(in: language)
        case .clear: return SettingsKey.buttonClear.buttonLabel(in: language)
        case .backToSettings: return SettingsKey.buttonBackToSettings.buttonLabel(in: language)
        }
    }

    /// A setting's name (its button's label; the confirmation's and the audit's words).
    func settingName(_ setting: SettingName) -> String { name(setting).render(in: language) }

    /// An audit entry of a settings change (`key` as stored; a key this version does not
    /// know is shown as it was stored).
    func auditChange(key: String, old: String, new: String) -> String {
        let shown = SettingName(rawValue: key).map(settingName) ?? key
        return SettingsKey.auditChange.render(["name": .text(shown), "old": .text(old), "new": .text(new)],
                                              in: language)
    }

    // MARK: Values

    /// One setting's value in words.
    func value(_ setting: SettingName, _ v: SettingValues, days: [Weekday] = Weekday.allCases) -> String {
        switch setting {
        case .workHours:
            if days.count == Weekday.allCases.count { return values.workHours(v.schedule) }
            return days.map { day in
                SettingsKey.dayLine.render(["day": .text(dates.weekdayName(day)), "hours": .text(hours(v.schedule.hours(on: day)))],
                                           in: language)
            }.joined(separator: "\n")
        case .slotStep: return values.duration(v.slotStepMinutes)
        case .horizon: return SettingsKey.valueMonths.render(["n": .number(v.horizonMonths)], in: language)
        case .notice: return values.duration(v.minNoticeMinutes)
        case .limit: return SettingsKey.valueBookings.render(["n": .number(v.bookingLimit)], in: language)
        case .cancelCutoff: return SettingsKey.valueHoursBefore.render(["n": .number(v.cancellationHours)], in: language)
        case .moveCutoff: return SettingsKey.valueHoursBefore.render(["n": .number(v.rescheduleHours)], in: language)
        case .reminders:
            guard !v.reminderOffsetsMinutes.isEmpty else { return SettingsKey.valueNoReminders.render(in: language) }
            return SettingsKey.valueReminders.render(["leads": .text(values.list(v.reminderOffsetsMinutes.map(values.duration)))],
                                                     in: language)
        case .feedback: return SettingsKey.valueHoursAfter.render(["n": .number(v.feedbackHours)], in: language)
        case .address: return v.address.isEmpty ? SettingsKey.valueNotSet.render(in: language) : v.address
        case .contact: return v.contact.isEmpty ? SettingsKey.valueNotSet.render(in: language) : v.contact
        }
    }

    private func hours(_ hours: DayHours?) -> String {
        guard let hours else { return SettingsKey.valueDayOff.render(in: language) }
        return SettingsKey.valueDayHours.render(["open": .text(dates.time(minuteOfDay: hours.open)),
                                                 "close": .text(dates.time(minuteOfDay: hours.close))], in: language)
    }

    private func dayNames(_ days: [Weekday]) -> String { values.list(days.map(dates.weekdayName)) }

    private func diffValues(_ diff: SettingDiff) -> [String: TemplateValue] {
        let days = diff.setting == .workHours && !diff.days.isEmpty ? diff.days : Weekday.allCases
        // Hours of one or a few days read better line under line than on one line.
        return ["name": .text(settingName(diff.setting)), "old": .text(value(diff.setting, diff.old, days: days)),
                "new": .text(value(diff.setting, diff.new, days: days)), "lines": .flag(diff.setting == .workHours)]
    }

    private func strandedValues(_ stranded: [StrandedDay]) -> [String: TemplateValue] {
        let count = stranded.reduce(0) { $0 + $1.count }
        let shown = stranded.prefix(SettingsLimits.strandedDatesShown).map { day in
            SettingsKey.strandedDate.render(["weekday": .text(dates.weekdayName(day.date.weekday)),
                                             "date": .text(dates.shortDate(day.date))], in: language)
        }
        let more = stranded.count - shown.count
        return ["stranded": .number(count), "dates": .text(shown.joined(separator: ", ")), "more": .number(max(0, more)),
                "hasMore": .flag(more > 0)]
    }

    private func problem(_ problem: SettingsProblem) -> String {
        switch problem {
        case .number(let min, let max, let step):
            return SettingsKey.problemNumber.render(["min": .number(min), "max": .number(max), "step": .number(step),
                                                     "stepped": .flag(step > 1)], in: language)
        case .hours: return SettingsKey.problemHours.render(in: language)
        case .reminders(let max): return SettingsKey.problemReminders.render(["max": .number(max)], in: language)
        case .length(let max): return SettingsKey.problemLength.render(["max": .number(max)], in: language)
        }
    }

    private func name(_ setting: SettingName) -> SettingsKey {
        switch setting {
        case .workHours: return .nameWorkHours
        case .slotStep: return .nameSlotStep
        case .horizon: return .nameHorizon
        case .notice: return .nameNotice
        case .limit: return .nameLimit
        case .cancelCutoff: return .nameCancelCutoff
        case .moveCutoff: return .nameMoveCutoff
        case .reminders: return .nameReminders
        case .feedback: return .nameFeedback
        case .address: return .nameAddress
        case .contact: return .nameContact
        }
    }

    private func question(_ setting: SettingName) -> SettingsKey {
        switch setting {
        case .workHours: return .week
        case .slotStep: return .askSlotStep
        case .horizon: return .askHorizon
        case .notice: return .askNotice
        case .limit: return .askLimit
        case .cancelCutoff: return .askCancelCutoff
        case .moveCutoff: return .askMoveCutoff
        case .reminders: return .askReminders
        case .feedback: return .askFeedback
        case .address: return .askAddress
        case .contact: return .askContact
        }
    }
}

/// The bounds the settings screens state (the flow checks with the same numbers).
public enum SettingsLimits {
    public static let maxReminders = 5
    public static let maxTextLength = 200
    /// Dates of stranded bookings named on a screen; the rest are counted.
    public static let strandedDatesShown = 10
}

extension Texts {
    /// An audit line's words for a settings change.
    static func settingsAuditChange(key: String, old: String, new: String, in language: Language) -> String {
        SettingsWords(language: language).auditChange(key: key, old: old, new: new)
    }
}

/// The settings' templates.
enum SettingsKey: String, StaffTemplateSet {
    case overview, week, dayLine, askHours, again, confirm, saved, notSaved, strandedDate
    case askSlotStep, askHorizon, askNotice, askLimit, askCancelCutoff, askMoveCutoff, askReminders, askFeedback, askAddress, askContact
    case nameWorkHours, nameSlotStep, nameHorizon, nameNotice, nameLimit, nameCancelCutoff, nameMoveCutoff, nameReminders
    case nameFeedback, nameAddress, nameContact
    case valueMonths, valueBookings, valueHoursBefore, valueHoursAfter, valueReminders, valueNoReminders, valueNotSet
    case valueDayOff, valueDayHours
    case problemNumber, problemHours, problemReminders, problemLength
    case buttonMenuEntry, buttonWeekday, buttonAllDays, buttonDayOff, buttonNoReminders, buttonClear, buttonBackToSettings
    case auditChange

    /// Formats with no words, the same in both languages.
    static let neutral: Set<SettingsKey> = [.dayLine, .again, .strandedDate, .valueDayHours, .buttonWeekday]

    var pair: (ru: String, en: String) {
        switch self {
        case .overview:
            return (ru: "⚙️ Настройки\n\n"
                        + "🕘 Часы работы:\n{hours}\n\n"
                        + "⏱ Шаг времени записи: {step}\n"
                        + "🗓 Запись открыта на {horizon, plural, one {# месяц} few {# месяца} many {# месяцев} other {# месяца}} вперёд\n"
                        + "⏳ Минимум до начала: {notice}\n"
                        + "👤 Записей у клиента: не больше {limit}\n"
                        + "❌ Отмена: не позднее чем за {cancel, plural, one {# час} few {# часа} many {# часов} other {# часа}}\n"
                        + "🔁 Перенос: не позднее чем за {move, plural, one {# час} few {# часа} many {# часов} other {# часа}}\n"
                        + "🔔 Напоминания: {reminders}\n"
                        + "⭐️ Просьба об отзыве: через {feedback, plural, one {# час} few {# часа} many {# часов} other {# часа}} после визита\n"
                        + "📍 Адрес: {address}\n"
                        + "📞 Контакт: {contact}\n\n"
                        + "Что изменить?",
                    en: "⚙️ Settings\n\n"
                        + "🕘 Opening hours:\n{hours}\n\n"
                        + "⏱ Time step: {step}\n"
                        + "🗓 Bookable {horizon, plural, one {# month} other {# months}} ahead\n"
                        + "⏳ Minimum notice: {notice}\n"
                        + "👤 Bookings per client: at most {limit}\n"
                        + "❌ Cancel: up to {cancel, plural, one {# hour} other {# hours}} before\n"
                        + "🔁 Move: up to {move, plural, one {# hour} other {# hours}} before\n"
                        + "🔔 Reminders: {reminders}\n"
                        + "⭐️ Review request: {feedback, plural, one {# hour} other {# hours}} after the visit\n"
                        + "📍 Address: {address}\n"
                        + "📞 Contact: {contact}\n\n"
                        + "What would you like to change?")
        case .week:
            return (ru: "🕘 Часы работы\n\n{days}\n\nВыберите день, чтобы изменить его часы, или задайте все дни сразу.",
                    en: "🕘 Opening hours\n\n{days}\n\nChoose a day to change its hours, or set every day at once.")
        case .dayLine:
            return (ru: "{day}: {hours}", en: "{day}: {hours}")
        case .askHours:
            return (ru: "🕘 {all, select, yes {Часы работы на все дни} other {Часы работы: {days}}}\nСейчас:\n{now}\n\n"
                        + "Напишите часы, например 10:00-16:00 или 10-16, или нажмите «Выходной».",
                    en: "🕘 {all, select, yes {Opening hours for every day} other {Opening hours: {days}}}\nNow:\n{now}\n\n"
                        + "Type the hours, for example 10:00-16:00 or 10-16, or press “Day off”.")
        case .again:
            return (ru: "⚠️ {problem}\n\n{prompt}", en: "⚠️ {problem}\n\n{prompt}")
        case .confirm:
            return (ru: "Изменить «{name}»?\n\n{lines, select, yes {Было:\n{old}\n\nСтанет:\n{new}} other {{old} → {new}}}"
                        + "{stranded, plural, =0 {} one {\n\n⚠️ # запись ({dates}{hasMore, select, yes { и ещё {more}} other {}}) окажется вне новых часов. "
                        + "Она не будет отменена — её можно найти в расписании.} "
                        + "few {\n\n⚠️ # записи ({dates}{hasMore, select, yes { и ещё {more}} other {}}) окажутся вне новых часов. "
                        + "Они не будут отменены — их можно найти в расписании.} "
                        + "many {\n\n⚠️ # записей ({dates}{hasMore, select, yes { и ещё {more}} other {}}) окажутся вне новых часов. "
                        + "Они не будут отменены — их можно найти в расписании.} "
                        + "other {\n\n⚠️ # записи ({dates}{hasMore, select, yes { и ещё {more}} other {}}) окажутся вне новых часов. "
                        + "Они не будут отменены — их можно найти в расписании.}}",
                    en: "Change “{name}”?\n\n{lines, select, yes {Was:\n{old}\n\nWill be:\n{new}} other {{old} → {new}}}"
                        + "{stranded, plural, =0 {} one {\n\n⚠️ # booking on {dates}{hasMore, select, yes { and {more} more days} other {}} "
                        + "would fall outside the new hours. It will not be cancelled — see it in the Schedule.} "
                        + "other {\n\n⚠️ # bookings on {dates}{hasMore, select, yes { and {more} more days} other {}} "
                        + "would fall outside the new hours. They will not be cancelled — see them in the Schedule.}}")
        case .saved:
            return (ru: "✅ Сохранено: «{name}».\n\n{lines, select, yes {Было:\n{old}\n\nСейчас:\n{new}} other {{old} → {new}}}"
                        + "{stranded, plural, =0 {} one {\n\n⚠️ # запись ({dates}{hasMore, select, yes { и ещё {more}} other {}}) вне новых часов — "
                        + "её можно найти в расписании.} "
                        + "few {\n\n⚠️ # записи ({dates}{hasMore, select, yes { и ещё {more}} other {}}) вне новых часов — "
                        + "их можно найти в расписании.} "
                        + "many {\n\n⚠️ # записей ({dates}{hasMore, select, yes { и ещё {more}} other {}}) вне новых часов — "
                        + "их можно найти в расписании.} "
                        + "other {\n\n⚠️ # записи ({dates}{hasMore, select, yes { и ещё {more}} other {}}) вне новых часов — "
                        + "их можно найти в расписании.}}",
                    en: "✅ Saved: “{name}”.\n\n{lines, select, yes {Was:\n{old}\n\nNow:\n{new}} other {{old} → {new}}}"
                        + "{stranded, plural, =0 {} one {\n\n⚠️ # booking on {dates}{hasMore, select, yes { and {more} more days} other {}} "
                        + "falls outside the new hours — see it in the Schedule.} "
                        + "other {\n\n⚠️ # bookings on {dates}{hasMore, select, yes { and {more} more days} other {}} "
                        + "fall outside the new hours — see them in the Schedule.}}")
        case .notSaved:
            return (ru: "⚠️ Это значение не удалось сохранить. Откройте настройки и попробуйте ещё раз.",
                    en: "⚠️ This value could not be saved. Open the settings and try again.")
        case .strandedDate:
            return (ru: "{weekday} {date}", en: "{weekday} {date}")
        case .askSlotStep:
            return (ru: "⏱ Шаг времени записи\nСейчас: {now}\n\n"
                        + "Напишите шаг в минутах — от 5 до 720, кратно 5 (например, 30). Время начала предлагается с этим шагом от открытия.",
                    en: "⏱ Time step\nNow: {now}\n\n"
                        + "Type the step in minutes — 5 to 720, a multiple of 5 (for example 30). Start times are offered this far apart from opening.")
        case .askHorizon:
            return (ru: "🗓 На сколько месяцев вперёд открыта запись\nСейчас: {now}\n\n"
                        + "Напишите число от 0 до 24: запись открыта до конца текущего месяца и ещё столько месяцев.",
                    en: "🗓 How many months ahead clients can book\nNow: {now}\n\n"
                        + "Type a number from 0 to 24: booking is open to the end of this month and that many months more.")
        case .askNotice:
            return (ru: "⏳ Минимум времени до начала записи\nСейчас: {now}\n\nНапишите число минут от 0 до 43200 (30 дней).",
                    en: "⏳ Minimum notice before a booking starts\nNow: {now}\n\nType the minutes, 0 to 43200 (30 days).")
        case .askLimit:
            return (ru: "👤 Сколько активных записей может быть у клиента\nСейчас: {now}\n\nНапишите число от 1 до 100.",
                    en: "👤 How many active bookings a client may hold\nNow: {now}\n\nType a number from 1 to 100.")
        case .askCancelCutoff:
            return (ru: "❌ За сколько часов до начала клиент ещё может отменить запись\nСейчас: {now}\n\nНапишите число часов от 0 до 720.",
                    en: "❌ How many hours before the start a client may still cancel\nNow: {now}\n\nType the hours, 0 to 720.")
        case .askMoveCutoff:
            return (ru: "🔁 За сколько часов до начала клиент ещё может перенести запись\nСейчас: {now}\n\nНапишите число часов от 0 до 720.",
                    en: "🔁 How many hours before the start a client may still move a booking\nNow: {now}\n\nType the hours, 0 to 720.")
        case .askReminders:
            return (ru: "🔔 Напоминания\nСейчас: {now}\n\n"
                        + "Напишите, за сколько до начала напоминать, через запятую: например, 24ч, 2ч или 30м или 1д. "
                        + "Не больше {max}, каждое — от минуты до 30 дней. Или нажмите «Без напоминаний». "
                        + "Новые значения действуют для записей, сделанных или перенесённых после изменения.",
                    en: "🔔 Reminders\nNow: {now}\n\n"
                        + "Type how long before the start to remind, separated by commas: for example 24h, 2h or 30m or 1d. "
                        + "At most {max}, each from a minute to 30 days. Or press “No reminders”. "
                        + "New values apply to bookings made or moved after the change.")
        case .askFeedback:
            return (ru: "⭐️ Через сколько часов после визита просить отзыв\nСейчас: {now}\n\nНапишите число часов от 0 до 720.",
                    en: "⭐️ How many hours after the visit to ask for a review\nNow: {now}\n\nType the hours, 0 to 720.")
        case .askAddress:
            return (ru: "📍 Адрес\nСейчас: {now}\n\n"
                        + "Напишите адрес, как его увидят клиенты (до {length, plural, one {# символа} few {# символов} many {# символов} other {# символа}}), "
                        + "или нажмите «Очистить».",
                    en: "📍 Address\nNow: {now}\n\n"
                        + "Type the address as clients will see it (up to {length, plural, one {# character} other {# characters}}), "
                        + "or press “Clear”.")
        case .askContact:
            return (ru: "📞 Как с вами связаться\nСейчас: {now}\n\n"
                        + "Напишите телефон, @имя или ссылку — клиенты увидят это, когда бот уже не может помочь "
                        + "(до {length, plural, one {# символа} few {# символов} many {# символов} other {# символа}}), или нажмите «Очистить».",
                    en: "📞 How clients reach you\nNow: {now}\n\n"
                        + "Type a phone, @username or link — clients see it when the bot can no longer help "
                        + "(up to {length, plural, one {# character} other {# characters}}), or press “Clear”.")
        case .nameWorkHours: return (ru: "🕘 Часы работы", en: "🕘 Opening hours")
        case .nameSlotStep: return (ru: "⏱ Шаг времени", en: "⏱ Time step")
        case .nameHorizon: return (ru: "🗓 Запись вперёд", en: "🗓 Booking ahead")
        case .nameNotice: return (ru: "⏳ Минимум до начала", en: "⏳ Minimum notice")
        case .nameLimit: return (ru: "👤 Записей у клиента", en: "👤 Bookings per client")
        case .nameCancelCutoff: return (ru: "❌ Срок отмены", en: "❌ Cancel cut-off")
        case .nameMoveCutoff: return (ru: "🔁 Срок переноса", en: "🔁 Move cut-off")
        case .nameReminders: return (ru: "🔔 Напоминания", en: "🔔 Reminders")
        case .nameFeedback: return (ru: "⭐️ Просьба об отзыве", en: "⭐️ Review request")
        case .nameAddress: return (ru: "📍 Адрес", en: "📍 Address")
        case .nameContact: return (ru: "📞 Контакт", en: "📞 Contact")
        case .valueMonths:
            return (ru: "{n, plural, one {# месяц} few {# месяца} many {# месяцев} other {# месяца}}",
                    en: "{n, plural, one {# month} other {# months}}")
        case .valueBookings:
            return (ru: "{n, plural, one {# запись} few {# записи} many {# записей} other {# записи}}",
                    en: "{n, plural, one {# booking} other {# bookings}}")
        case .valueHoursBefore:
            return (ru: "за {n, plural, one {# час} few {# часа} many {# часов} other {# часа}}",
                    en: "{n, plural, one {# hour} other {# hours}} before")
        case .valueHoursAfter:
            return (ru: "через {n, plural, one {# час} few {# часа} many {# часов} other {# часа}}",
                    en: "{n, plural, one {# hour} other {# hours}} after")
        case .valueReminders:
            return (ru: "за {leads}", en: "{leads} before")
        case .valueNoReminders:
            return (ru: "нет", en: "none")
        case .valueNotSet:
            return (ru: "не указан", en: "not set")
        case .valueDayOff:
            return (ru: "выходной", en: "day off")
        case .valueDayHours:
            return (ru: "{open}–{close}", en: "{open}–{close}")
        case .problemNumber:
            return (ru: "Нужно целое число от {min} до {max}{stepped, select, yes {, кратное {step}} other {}}.",
                    en: "It needs a whole number from {min} to {max}{stepped, select, yes {, a multiple of {step}} other {}}.")
        case .problemHours:
            return (ru: "Не понял часы. Напишите, например, 10:00-16:00 или 10-16: открытие раньше закрытия, в пределах 00:00–24:00.",
                    en: "I couldn’t read the hours. Type, for example, 10:00-16:00 or 10-16: opening before closing, within 00:00–24:00.")
        case .problemReminders:
            return (ru: "Не понял. Напишите, например, 24ч, 2ч или 30м: не больше {max}, каждое — от минуты до 30 дней.",
                    en: "I couldn’t read that. Type, for example, 24h, 2h or 30m: at most {max}, each from a minute to 30 days.")
        case .problemLength:
            return (ru: "Нужно от 1 до {max, plural, one {# символа} few {# символов} many {# символов} other {# символа}}.",
                    en: "It needs 1 to {max, plural, one {# character} other {# characters}}.")
        case .buttonMenuEntry: return (ru: "⚙️ Настройки", en: "⚙️ Settings")
        case .buttonWeekday: return (ru: "{day} · {hours}", en: "{day} · {hours}")
        case .buttonAllDays: return (ru: "📅 Все дни сразу", en: "📅 Every day at once")
        case .buttonDayOff: return (ru: "🚫 Выходной", en: "🚫 Day off")
        case .buttonNoReminders: return (ru: "🔕 Без напоминаний", en: "🔕 No reminders")
        case .buttonClear: return (ru: "🗑 Очистить", en: "🗑 Clear")
        case .buttonBackToSettings: return (ru: "⬅️ Настройки", en: "⬅️ Settings")
        case .auditChange:
            return (ru: "изменена настройка «{name}»: {old} → {new}", en: "setting changed “{name}”: {old} → {new}")
        }
    }
}
