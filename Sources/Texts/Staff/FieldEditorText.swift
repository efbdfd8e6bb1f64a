/// The field editor's screens (SPEC admin 10).
public enum FieldEditorText: StaffScreenText, Hashable {
    case home
    case services(count: Int)
    case blocks(count: Int)
    case staff(count: Int)
    case serviceFields(name: String)
    case askReason
    case askDisplayName
    /// `field`: the stored key (`name`, `duration`, `reason`, `display_name`, …).
    case saved(field: String, old: String, new: String)
    case notFound
    case refused(String)

    public func text(in language: Language) -> String {
        switch self {
        case .home: return FieldEditorKey.home.screen(in: language)
        case .services(let count): return FieldEditorKey.services.screen(["count": .number(count)], in: language)
        case .blocks(let count): return FieldEditorKey.blocks.screen(["count": .number(count)], in: language)
        case .staff(let count): return FieldEditorKey.staff.screen(["count": .number(count)], in: language)
        case .serviceFields(let name): return FieldEditorKey.serviceFields.screen(["name": .text(name)], in: language)
        case .askReason: return FieldEditorKey.askReason.screen(in: language)
        case .askDisplayName: return FieldEditorKey.askDisplayName.screen(in: language)
        case .saved(let field, let old, let new):
            return FieldEditorKey.saved.screen(["field": .text(Self.fieldName(field, in: language)), "old": .text(old.isEmpty ? "—" : old),
                                                "new": .text(new.isEmpty ? "—" : new)], in: language)
        case .notFound: return FieldEditorKey.notFound.screen(in: language)
        case .refused(let why): return FieldEditorKey.refused.screen(["why": .text(why)], in: language)
        }
    }

    static func fieldName(_ field: String, in language: Language) -> String {
        FieldEditorKey.field.render(["field": .text(field)], in: language)
    }

    /// The audit screen's words for a `field.edit` entry.
    static func audit(field: String, old: String, new: String, in language: Language) -> String {
        FieldEditorKey.audit.render(["field": .text(fieldName(field, in: language)), "old": .text(old.isEmpty ? "—" : old),
                                     "new": .text(new.isEmpty ? "—" : new)], in: language)
    }
}

/// A field's question under its value now.
public struct FieldEditorAsk: StaffScreenText {
    public let current: String
    public let prompt: any StaffScreenText

    public init(current: String, prompt: any StaffScreenText) {
        self.current = current
        self.prompt = prompt
    }

    public func text(in language: Language) -> String {
        FieldEditorKey.ask.screen(["current": .text(current.isEmpty ? "—" : current), "prompt": .text(prompt.text(in: language))], in: language)
    }
}

public enum FieldEditorButton: StaffLabel, Hashable {
    /// The staff menu's entry (super admins).
    case menuEntry
    case services, blocks, staff, backToKinds, backToServices, backToRecord
    case record(String)
    case member(ClientInfo, displayName: String?)

    public func label(in language: Language) -> String {
        switch self {
        case .menuEntry: return FieldEditorKey.buttonEntry.buttonLabel(in: language)
        case .services: return FieldEditorKey.buttonServices.buttonLabel(in: language)
        case .blocks: return FieldEditorKey.buttonBlocks.buttonLabel(in: language)
        case .staff: return FieldEditorKey.buttonStaff.buttonLabel(in: language)
        case .backToKinds: return FieldEditorKey.buttonBackToKinds.buttonLabel(in: language)
        case .backToServices: return FieldEditorKey.buttonBackToServices.buttonLabel(in: language)
        case .backToRecord: return FieldEditorKey.buttonBackToRecord.buttonLabel(in: language)
        case .record(let name): return FieldEditorKey.buttonRecord.buttonLabel(["name": .text(name)], in: language)
        case .member(let person, let displayName):
            return FieldEditorKey.buttonMember.buttonLabel(["person": .text(ScheduleText.person(person, in: language)),
                                                            "hasDisplay": .flag(!(displayName ?? "").isEmpty),
                                                            "display": .text(displayName ?? "")], in: language)
        }
    }
}

enum FieldEditorKey: String, StaffTemplateSet {
    /// Formats with no words, the same in both languages on purpose.
    static let neutral: Set<FieldEditorKey> = [.buttonRecord, .buttonMember]

    case home, services, blocks, staff, serviceFields, askReason, askDisplayName, ask, saved, notFound, refused, field, audit
    case buttonEntry, buttonServices, buttonBlocks, buttonStaff, buttonBackToKinds, buttonBackToServices, buttonBackToRecord
    case buttonRecord, buttonMember

    var pair: (ru: String, en: String) {
        switch self {
        case .home:
            return (ru: "🧰 Редактор полей\n\nЧто изменить? Каждое поле проверяется так же, как на его собственном экране, и попадает в журнал.",
                    en: "🧰 Field editor\n\nWhat do you want to change? Each field is checked as on its own screen, and logged.")
        case .services:
            return (ru: "🧴 Услуги: {count}. Выберите услугу.", en: "🧴 Services: {count}. Choose one.")
        case .blocks:
            return (ru: "⛔ Текущих и будущих блокировок: {count}. Выберите блокировку, чтобы изменить причину.",
                    en: "⛔ Ongoing and future blocks: {count}. Choose one to change its reason.")
        case .staff:
            return (ru: "👥 Сотрудники, добавленные в боте: {count}. Владельцы из настроек здесь не показываются. Выберите сотрудника.",
                    en: "👥 Staff added in the bot: {count}. The owners from the configuration are not listed. Choose one.")
        case .serviceFields:
            return (ru: "🧴 {name}\n\nКакое поле изменить?", en: "🧴 {name}\n\nWhich field do you want to change?")
        case .askReason:
            return (ru: "✏️ Напишите новую причину (от 3 до 500 символов).", en: "✏️ Type the new reason (3 to 500 characters).")
        case .askDisplayName:
            return (ru: "✏️ Напишите имя сотрудника в боте (от 1 до 64 символов).", en: "✏️ Type the staff member’s name in the bot (1 to 64 characters).")
        case .ask:
            return (ru: "Сейчас: {current}\n\n{prompt}", en: "Now: {current}\n\n{prompt}")
        case .saved:
            return (ru: "✅ Сохранено. {field}: {old} → {new}", en: "✅ Saved. {field}: {old} → {new}")
        case .notFound:
            return (ru: "⚠️ Такой записи нет (или её больше нельзя изменить).", en: "⚠️ There is no such record (or it can no longer be changed).")
        case .refused:
            return (ru: "⚠️ Не сохранено: {why, select, notFound {записи нет} not_found {записи нет} archived {услуга в архиве} "
                        + "other {значение не подходит}}.",
                    en: "⚠️ Not saved: {why, select, notFound {there is no such record} not_found {there is no such record} "
                        + "archived {the service is archived} other {the value won’t do}}.")
        case .field:
            return (ru: "{field, select, name {название} description {описание} duration {длительность} price {цена} amount {сумма} "
                        + "reason {причина блокировки} display_name {имя сотрудника} other {{field}}}",
                    en: "{field, select, name {name} description {description} duration {duration} price {price} amount {amount} "
                        + "reason {block reason} display_name {staff name} other {{field}}}")
        case .audit:
            return (ru: "изменил(а) поле «{field}»: {old} → {new}", en: "edited the field “{field}”: {old} → {new}")
        case .buttonEntry:
            return (ru: "🧰 Редактор полей", en: "🧰 Field editor")
        case .buttonServices:
            return (ru: "🧴 Поля услуг", en: "🧴 Service fields")
        case .buttonBlocks:
            return (ru: "⛔ Причины блокировок", en: "⛔ Block reasons")
        case .buttonStaff:
            return (ru: "👥 Имена сотрудников", en: "👥 Staff names")
        case .buttonBackToKinds:
            return (ru: "⬅️ Редактор полей", en: "⬅️ Field editor")
        case .buttonBackToServices:
            return (ru: "⬅️ К услугам", en: "⬅️ Back to services")
        case .buttonBackToRecord:
            return (ru: "⬅️ Назад", en: "⬅️ Back")
        case .buttonRecord:
            return (ru: "{name}", en: "{name}")
        case .buttonMember:
            return (ru: "{person}{hasDisplay, select, yes { — {display}} other {}}", en: "{person}{hasDisplay, select, yes { — {display}} other {}}")
        }
    }
}
