import Booking

/// Every text the staff side shows (`/admin` and its screens), with the values it shows.
/// Kept apart from the client's texts: its own messages, buttons, keys and catalog.
public enum StaffText: Sendable, Hashable {
    /// The staff menu, naming the person's role.
    case menu(role: StaffRoleName)
    /// The booking rules in force.
    case rules(StaffRulesInfo)
}

/// The booking rules as the staff's rules screen shows them.
public struct StaffRulesInfo: Sendable, Hashable {
    public var schedule: WorkSchedule
    public var slotStepMinutes: Int
    public var horizonMonths: Int
    public var client: ClientRules

    public init(_ rules: BookingRules) {
        schedule = rules.schedule
        slotStepMinutes = rules.slotStepMinutes
        horizonMonths = rules.horizonMonths
        client = ClientRules(rules)
    }
}

/// The buttons of the staff screens.
public enum StaffButton: Sendable, Hashable {
    case close
    case rules
    case back
}

/// A staff role as the texts name it.
public enum StaffRoleName: String, Sendable, Hashable, CaseIterable {
    case superAdmin
    case moderator
}

/// The name of every staff template; `StaffCatalog` answers each in every language.
enum StaffKey: String, CaseIterable, Sendable {
    case menu
    case rules
    case buttonClose, buttonRules, buttonBack
}

extension Texts {
    /// The staff message's text, within Telegram's 4096 characters.
    public static func text(_ message: StaffText, in language: Language) -> String {
        let render = { (key: StaffKey, values: [String: TemplateValue]) in
            TemplateRenderer(language: language, values: values).render(StaffCatalog.template(key, in: language))
        }
        let text: String
        switch message {
        case .menu(let role):
            text = render(.menu, ["role": .text(role.rawValue)])
        case .rules(let info):
            let values = Renderer(language: language)
            let reminders = Set(info.client.reminderOffsetsMinutes.filter { $0 > 0 }).sorted(by: >)
            text = render(.rules, ["hours": .text(values.workHours(info.schedule)), "step": .text(values.duration(info.slotStepMinutes)),
                                   "horizon": .number(info.horizonMonths), "notice": .text(values.duration(info.client.minNoticeMinutes)),
                                   "limit": .number(info.client.bookingLimit), "cancel": .number(info.client.cancellationHours),
                                   "move": .number(info.client.rescheduleHours), "hasReminders": .flag(!reminders.isEmpty),
                                   "reminders": .text(values.list(reminders.map(values.duration)))])
        }
        return Fitting.clamp(text, to: TelegramLimits.messageLength)
    }

    /// The staff button's label, within 64 characters.
    public static func label(_ button: StaffButton, in language: Language) -> String {
        let key: StaffKey
        switch button {
        case .close: key = .buttonClose
        case .rules: key = .buttonRules
        case .back: key = .buttonBack
        }
        return Fitting.clamp(TemplateRenderer(language: language, values: [:]).render(StaffCatalog.template(key, in: language)),
                             to: TelegramLimits.buttonLabelLength)
    }
}
