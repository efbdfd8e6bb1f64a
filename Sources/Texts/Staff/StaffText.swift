import Booking

/// Every text the staff side shows (`/admin` and its screens), with the values it shows.
/// Kept apart from the client's texts: its own messages, buttons, keys and catalog.
public enum StaffText: Sendable, Hashable {
    /// The staff menu, naming the person's role.
    case menu(role: StaffRoleName)
}

/// The buttons of the staff screens.
public enum StaffButton: Sendable, Hashable {
    case close
}

/// A staff role as the texts name it.
public enum StaffRoleName: String, Sendable, Hashable, CaseIterable {
    case superAdmin
    case moderator
}

/// The name of every staff template; `StaffCatalog` answers each in every language.
enum StaffKey: String, CaseIterable, Sendable {
    case menu
    case buttonClose
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
        }
        return Fitting.clamp(text, to: TelegramLimits.messageLength)
    }

    /// The staff button's label, within 64 characters.
    public static func label(_ button: StaffButton, in language: Language) -> String {
        let key: StaffKey
        switch button {
        case .close: key = .buttonClose
        }
        return Fitting.clamp(TemplateRenderer(language: language, values: [:]).render(StaffCatalog.template(key, in: language)),
                             to: TelegramLimits.buttonLabelLength)
    }
}
