import Booking

/// A staff member's booking notices (SPEC admin 14): which events they are told of.
public enum NotificationsText: StaffScreenText, Hashable {
    /// Every kind, on or off.
    case choices([NoticeKind: Bool])

    public func text(in language: Language) -> String {
        switch self {
        case .choices(let choices):
            let lines = NoticeKind.allCases.map { kind in
                NotificationsKey.line.render(["on": .flag(choices[kind] ?? false), "kind": .text(kind.name(in: language))], in: language)
            }
            return NotificationsKey.screen.screen(["lines": .text(lines.joined(separator: "\n"))], in: language)
        }
    }
}

public enum NotificationsButton: StaffLabel, Hashable {
    /// The staff menu's entry.
    case menuEntry
    /// Turns a kind on or off; the label shows where it stands now.
    case toggle(NoticeKind, isOn: Bool)

    public func label(in language: Language) -> String {
        switch self {
        case .menuEntry: return NotificationsKey.buttonEntry.buttonLabel(in: language)
        case .toggle(let kind, let isOn):
            return NotificationsKey.buttonToggle.buttonLabel(["on": .flag(isOn), "kind": .text(kind.name(in: language))], in: language)
        }
    }
}

extension NoticeKind {
    /// The kind's name in a sentence ("new bookings").
    func name(in language: Language) -> String {
        switch self {
        case .newBooking: return NotificationsKey.kindNewBooking.render(in: language)
        case .cancellation: return NotificationsKey.kindCancellation.render(in: language)
        case .move: return NotificationsKey.kindMove.render(in: language)
        }
    }
}

enum NotificationsKey: String, StaffTemplateSet {
    case screen, line, kindNewBooking, kindCancellation, kindMove, buttonEntry, buttonToggle

    var pair: (ru: String, en: String) {
        switch self {
        case .screen:
            return (ru: "🔔 Уведомления\n\nО чём сообщать вам в этот чат:\n{lines}\n\nНажмите на событие, чтобы включить или выключить.",
                    en: "🔔 Notifications\n\nWhat you are told of in this chat:\n{lines}\n\nTap an event to turn it on or off.")
        case .line:
            return (ru: "{on, select, yes {✅} other {▫️}} {kind}", en: "{on, select, yes {✅} other {▫️}} {kind}")
        case .kindNewBooking:
            return (ru: "новые записи", en: "new bookings")
        case .kindCancellation:
            return (ru: "отмены", en: "cancellations")
        case .kindMove:
            return (ru: "переносы", en: "moved bookings")
        case .buttonEntry:
            return (ru: "🔔 Уведомления", en: "🔔 Notifications")
        case .buttonToggle:
            return (ru: "{on, select, yes {🔕 Выключить: {kind}} other {🔔 Включить: {kind}}}",
                    en: "{on, select, yes {🔕 Turn off {kind}} other {🔔 Turn on {kind}}}")
        }
    }
}
