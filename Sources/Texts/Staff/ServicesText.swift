/// The services screens' texts (SPEC admin 5): the list, a service's card, the delete
/// question, and the create/edit form's questions and preview.
public enum ServicesText: StaffScreenText, Hashable {
    /// The list (its services are the buttons), with what just happened, if anything.
    /// `page` from 1, of `pages`.
    case list(inUse: Int, archived: Int, page: Int, pages: Int, notice: ServicesNotice?)
    case card(ServiceCardInfo, notice: ServicesNotice?)
    /// Deleting a never-booked service: asked first.
    case deleteQuestion(name: String)
    case askName
    case askDescription
    case askDuration
    case askPriceText
    /// The numeric amount; `current` is the draft's (perhaps found in the price text).
    case askAmount(current: String?)
    case preview(ServicePreviewInfo)
    /// Confirmed: created or changed.
    case saved(name: String, created: Bool)
    /// The service to edit is gone or archived.
    case notEditable
}

/// What happened on the services screens, said above the list or the card.
public enum ServicesNotice: Hashable, Sendable {
    case activated, deactivated, archived, restored, moved
    case deleted(name: String)
    case notFound, isArchived, notArchived, hasBookings, neverBooked, nameTaken, atEdge, invalid
}

/// A service's state as the screens name it.
public enum ServiceStateName: String, Sendable, Hashable {
    case active, inactive, archived
}

/// A service's card.
public struct ServiceCardInfo: Sendable, Hashable {
    public var name: String
    public var description: String
    public var durationMinutes: Int
    public var priceText: String
    /// The numeric amount as typed ("1500.50"), nil when none.
    public var amount: String?
    public var state: ServiceStateName
    public var upcomingBookings: Int
    /// Place in the order of the services in use (from 1), nil for an archived one.
    public var position: Int?
    public var inUse: Int

    public init(name: String, description: String, durationMinutes: Int, priceText: String, amount: String?, state: ServiceStateName,
                upcomingBookings: Int, position: Int?, inUse: Int) {
        self.name = name
        self.description = description
        self.durationMinutes = durationMinutes
        self.priceText = priceText
        self.amount = amount
        self.state = state
        self.upcomingBookings = upcomingBookings
        self.position = position
        self.inUse = inUse
    }
}

/// The form's preview: the draft as it would be saved.
public struct ServicePreviewInfo: Sendable, Hashable {
    public var creating: Bool
    public var name: String
    public var description: String
    public var durationMinutes: Int
    public var priceText: String
    public var amount: String?

    public init(creating: Bool, name: String, description: String, durationMinutes: Int, priceText: String, amount: String?) {
        self.creating = creating
        self.name = name
        self.description = description
        self.durationMinutes = durationMinutes
        self.priceText = priceText
        self.amount = amount
    }
}

/// The services screens' buttons.
public enum ServicesButton: StaffLabel, Hashable {
    /// The staff menu's entry.
    case services
    case new
    /// A service in the list.
    case service(name: String, state: ServiceStateName, durationMinutes: Int)
    case edit, activate, deactivate, up, down, archive, delete, confirmDelete, restore, toList, openCard
    case fieldName, fieldDescription, fieldDuration, fieldPriceText, fieldAmount
}

enum ServicesKey: String, StaffTemplateSet {
    case list, notice, card, deleteQuestion, askName, askDescription, askDuration, askPriceText, askAmount, preview, saved, notEditable
    case buttonServices, buttonNew, buttonService, buttonEdit, buttonActivate, buttonDeactivate, buttonUp, buttonDown
    case buttonArchive, buttonDelete, buttonConfirmDelete, buttonRestore, buttonToList, buttonOpenCard
    case buttonFieldName, buttonFieldDescription, buttonFieldDuration, buttonFieldPriceText, buttonFieldAmount

    var pair: (ru: String, en: String) {
        switch self {
        case .list:
            return (ru: "{notice}🧴 Услуги\n\n{inUse, plural, =0 {Услуг в работе нет} one {# услуга в работе} "
                        + "few {# услуги в работе} many {# услуг в работе} other {# услуги в работе}}"
                        + "{archived, plural, =0 {} one {, # в архиве} few {, # в архиве} many {, # в архиве} other {, # в архиве}}.\n"
                        + "🟢 — клиенты видят и записываются (в этом порядке), ⚪️ — скрыта, 🗄 — в архиве.\nОткройте услугу, чтобы изменить её."
                        + "{paged, select, yes {\nСтраница {page} из {pages}.} other {}}",
                    en: "{notice}🧴 Services\n\n{inUse, plural, =0 {No services in use} one {# service in use} "
                        + "other {# services in use}}{archived, plural, =0 {} one {, # archived} other {, # archived}}.\n"
                        + "🟢 — clients see and book it (in this order), ⚪️ — hidden, 🗄 — archived.\nOpen a service to change it."
                        + "{paged, select, yes {\nPage {page} of {pages}.} other {}}")
        case .notice:
            return (ru: "{notice, select, "
                        + "activated {🟢 Услуга включена — клиенты видят её.} deactivated {⚪️ Услуга выключена — клиенты её больше не видят.} "
                        + "archived {🗄 Услуга в архиве: клиенты её не видят, записи сохранены.} "
                        + "restored {♻️ Услуга возвращена из архива выключенной — включите её, когда будете готовы.} "
                        + "moved {↕️ Порядок изменён.} deleted {🗑 Услуга «{name}» удалена.} "
                        + "notFound {⚠️ Такой услуги больше нет.} isArchived {⚠️ Услуга в архиве — сначала верните её.} "
                        + "notArchived {⚠️ Услуга не в архиве.} "
                        + "hasBookings {⚠️ На эту услугу уже записывались, поэтому её нельзя удалить — только отправить в архив.} "
                        + "neverBooked {⚠️ На эту услугу ни разу не записывались — её можно просто удалить.} "
                        + "nameTaken {⚠️ Название занято другой услугой в работе — сначала переименуйте одну из них.} "
                        + "atEdge {⚠️ Услуга уже с краю списка.} other {⚠️ Не удалось сохранить: проверьте поля и попробуйте ещё раз.}}\n\n",
                    en: "{notice, select, "
                        + "activated {🟢 Service activated — clients see it.} deactivated {⚪️ Service deactivated — clients no longer see it.} "
                        + "archived {🗄 Service archived: clients don't see it, its bookings are kept.} "
                        + "restored {♻️ Service restored, inactive — activate it when you are ready.} "
                        + "moved {↕️ Order changed.} deleted {🗑 Service “{name}” deleted.} "
                        + "notFound {⚠️ That service no longer exists.} isArchived {⚠️ The service is archived — restore it first.} "
                        + "notArchived {⚠️ The service is not archived.} "
                        + "hasBookings {⚠️ This service has been booked, so it cannot be deleted — only archived.} "
                        + "neverBooked {⚠️ This service was never booked — you can simply delete it.} "
                        + "nameTaken {⚠️ Another service in use has this name — rename one of them first.} "
                        + "atEdge {⚠️ The service is already at the edge of the list.} other {⚠️ Could not save: check the fields and try again.}}\n\n")
        case .card:
            return (ru: "{notice}🧴 {name}\n"
                        + "{state, select, active {🟢 Включена — клиенты видят её} inactive {⚪️ Выключена — клиенты её не видят} "
                        + "other {🗄 В архиве — клиенты её не видят}}\n\n"
                        + "⏱ Длительность: {duration}\n"
                        + "💬 Цена: {hasPrice, select, yes {{price}} other {не указана}}\n"
                        + "🔢 Сумма для подсчёта выручки: {hasAmount, select, yes {{amount}} other {нет}}\n"
                        + "📝 Описание: {hasDescription, select, yes {{description}} other {нет}}\n\n"
                        + "📅 Предстоящих записей: {upcoming}"
                        + "{hasPosition, select, yes {\n↕️ Место в списке: {position} из {inUse}} other {}}",
                    en: "{notice}🧴 {name}\n"
                        + "{state, select, active {🟢 Active — clients see it} inactive {⚪️ Inactive — clients don't see it} "
                        + "other {🗄 Archived — clients don't see it}}\n\n"
                        + "⏱ Duration: {duration}\n"
                        + "💬 Price: {hasPrice, select, yes {{price}} other {not shown}}\n"
                        + "🔢 Amount for revenue estimates: {hasAmount, select, yes {{amount}} other {none}}\n"
                        + "📝 Description: {hasDescription, select, yes {{description}} other {none}}\n\n"
                        + "📅 Upcoming bookings: {upcoming}"
                        + "{hasPosition, select, yes {\n↕️ Place in the list: {position} of {inUse}} other {}}")
        case .deleteQuestion:
            return (ru: "🗑 Удалить услугу «{name}» насовсем?\n\nНа неё ни разу не записывались, поэтому она исчезнет без следа.",
                    en: "🗑 Delete the service “{name}” for good?\n\nIt was never booked, so it will be gone without a trace.")
        case .askName:
            return (ru: "✏️ Название услуги: от 3 до 100 символов, хотя бы одна буква или цифра; не такое, как у другой услуги.",
                    en: "✏️ The service's name: 3 to 100 characters, at least one letter or digit; not the name of another service.")
        case .askDescription:
            return (ru: "📝 Описание для клиентов — до 500 символов. «-» — без описания; можно пропустить.",
                    en: "📝 A description for clients — up to 500 characters. “-” for none; you may skip it.")
        case .askDuration:
            return (ru: "⏱ Длительность: от 15 до 480 минут, кратно 5. Например: 90, 1:30 или 1ч 30м.",
                    en: "⏱ The length: 15 to 480 minutes, in steps of 5. For example: 90, 1:30 or 1h 30m.")
        case .askPriceText:
            return (ru: "💬 Цена, как её увидят клиенты (до 50 символов), например «1 500 ₽» или «от 2 000 ₽». "
                        + "«-» — без цены; можно пропустить.",
                    en: "💬 The price as clients will see it (up to 50 characters), for example “$25” or “from $40”. "
                        + "“-” for none; you may skip it.")
        case .askAmount:
            return (ru: "🔢 Сумма числом — для подсчёта выручки (не обязательно), например 1500 или 1500,50.\n"
                        + "{hasCurrent, select, yes {Сейчас: {current}. «Пропустить» оставит её, «-» — убрать.} "
                        + "other {«Пропустить» — без суммы.}}",
                    en: "🔢 The amount as a number — for revenue estimates (optional), for example 1500 or 1500.50.\n"
                        + "{hasCurrent, select, yes {Now: {current}. Skip keeps it, “-” removes it.} other {Skip for none.}}")
        case .preview:
            return (ru: "{creating, select, yes {🆕 Новая услуга} other {✏️ Изменение услуги}} — проверьте:\n\n"
                        + "Название: {name}\n"
                        + "Описание: {hasDescription, select, yes {{description}} other {—}}\n"
                        + "Длительность: {duration}\n"
                        + "Цена: {hasPrice, select, yes {{price}} other {—}}\n"
                        + "Сумма: {hasAmount, select, yes {{amount}} other {—}}\n\n"
                        + "Ничего не сохранится, пока вы не нажмёте «Подтвердить». Любое поле можно изменить кнопками ниже.",
                    en: "{creating, select, yes {🆕 New service} other {✏️ Editing the service}} — please check:\n\n"
                        + "Name: {name}\n"
                        + "Description: {hasDescription, select, yes {{description}} other {—}}\n"
                        + "Duration: {duration}\n"
                        + "Price: {hasPrice, select, yes {{price}} other {—}}\n"
                        + "Amount: {hasAmount, select, yes {{amount}} other {—}}\n\n"
                        + "Nothing is saved until you press Confirm. Any field can be changed with the buttons below.")
        case .saved:
            return (ru: "{created, select, yes {✅ Услуга «{name}» создана и включена — клиенты уже видят её.} "
                        + "other {✅ Услуга «{name}» сохранена — клиенты увидят изменения на следующем экране.}}",
                    en: "{created, select, yes {✅ The service “{name}” is created and active — clients see it now.} "
                        + "other {✅ The service “{name}” is saved — clients see the changes on their next screen.}}")
        case .notEditable:
            return (ru: "⚠️ Эту услугу нельзя изменить: её больше нет или она в архиве.",
                    en: "⚠️ This service cannot be edited: it no longer exists or it is archived.")
        case .buttonServices: return (ru: "🧴 Услуги", en: "🧴 Services")
        case .buttonNew: return (ru: "➕ Новая услуга", en: "➕ New service")
        case .buttonService:
            return (ru: "{state, select, active {🟢} inactive {⚪️} other {🗄}} {name} · {duration}",
                    en: "{state, select, active {🟢} inactive {⚪️} other {🗄}} {name} · {duration}")
        case .buttonEdit: return (ru: "✏️ Изменить", en: "✏️ Edit")
        case .buttonActivate: return (ru: "🟢 Включить", en: "🟢 Activate")
        case .buttonDeactivate: return (ru: "⚪️ Выключить", en: "⚪️ Deactivate")
        case .buttonUp: return (ru: "⬆️ Выше", en: "⬆️ Move up")
        case .buttonDown: return (ru: "⬇️ Ниже", en: "⬇️ Move down")
        case .buttonArchive: return (ru: "🗄 В архив", en: "🗄 Archive")
        case .buttonDelete: return (ru: "🗑 Удалить", en: "🗑 Delete")
        case .buttonConfirmDelete: return (ru: "🗑 Да, удалить", en: "🗑 Yes, delete")
        case .buttonRestore: return (ru: "♻️ Вернуть из архива", en: "♻️ Restore")
        case .buttonToList: return (ru: "⬅️ К услугам", en: "⬅️ To services")
        case .buttonOpenCard: return (ru: "🧴 Открыть услугу", en: "🧴 Open the service")
        case .buttonFieldName: return (ru: "Название", en: "Name")
        case .buttonFieldDescription: return (ru: "Описание", en: "Description")
        case .buttonFieldDuration: return (ru: "Длительность", en: "Duration")
        case .buttonFieldPriceText: return (ru: "Цена", en: "Price")
        case .buttonFieldAmount: return (ru: "Сумма", en: "Amount")
        }
    }
}

extension ServicesText {
    public func text(in language: Language) -> String {
        let values = Renderer(language: language)
        switch self {
        case .list(let inUse, let archived, let page, let pages, let notice):
            return ServicesKey.list.screen(["notice": .text(Self.notice(notice, in: language)), "inUse": .number(inUse),
                                            "archived": .number(archived), "paged": .flag(pages > 1), "page": .number(page),
                                            "pages": .number(pages)], in: language)
        case .card(let info, let notice):
            return ServicesKey.card.screen([
                "notice": .text(Self.notice(notice, in: language)), "name": .text(info.name), "state": .text(info.state.rawValue),
                "duration": .text(values.duration(info.durationMinutes)),
                "hasPrice": .flag(!info.priceText.isEmpty), "price": .text(info.priceText),
                "hasAmount": .flag(info.amount != nil), "amount": .text(info.amount ?? ""),
                "hasDescription": .flag(!info.description.isEmpty), "description": .text(info.description),
                "upcoming": .number(info.upcomingBookings),
                "hasPosition": .flag(info.position != nil), "position": .number(info.position ?? 0), "inUse": .number(info.inUse),
            ], in: language)
        case .deleteQuestion(let name):
            return ServicesKey.deleteQuestion.screen(["name": .text(name)], in: language)
        case .askName: return ServicesKey.askName.screen(in: language)
        case .askDescription: return ServicesKey.askDescription.screen(in: language)
        case .askDuration: return ServicesKey.askDuration.screen(in: language)
        case .askPriceText: return ServicesKey.askPriceText.screen(in: language)
        case .askAmount(let current):
            return ServicesKey.askAmount.screen(["hasCurrent": .flag(current != nil), "current": .text(current ?? "")], in: language)
        case .preview(let info):
            return ServicesKey.preview.screen([
                "creating": .flag(info.creating), "name": .text(info.name),
                "hasDescription": .flag(!info.description.isEmpty), "description": .text(info.description),
                "duration": .text(values.duration(info.durationMinutes)),
                "hasPrice": .flag(!info.priceText.isEmpty), "price": .text(info.priceText),
                "hasAmount": .flag(info.amount != nil), "amount": .text(info.amount ?? ""),
            ], in: language)
        case .saved(let name, let created):
            return ServicesKey.saved.screen(["name": .text(name), "created": .flag(created)], in: language)
        case .notEditable: return ServicesKey.notEditable.screen(in: language)
        }
    }

    /// The line said above a screen ("" for none).
    private static func notice(_ notice: ServicesNotice?, in language: Language) -> String {
        guard let notice else { return "" }
        let name: String
        switch notice {
        case .activated: name = "activated"
        case .deactivated: name = "deactivated"
        case .archived: name = "archived"
        case .restored: name = "restored"
        case .moved: name = "moved"
        case .deleted: name = "deleted"
        case .notFound: name = "notFound"
        case .isArchived: name = "isArchived"
        case .notArchived: name = "notArchived"
        case .hasBookings: name = "hasBookings"
        case .neverBooked: name = "neverBooked"
        case .nameTaken: name = "nameTaken"
        case .atEdge: name = "atEdge"
        case .invalid: name = "invalid"
        }
        var deleted = ""
        if case .deleted(let what) = notice { deleted = what }
        return ServicesKey.notice.render(["notice": .text(name), "name": .text(deleted)], in: language)
    }
}

extension ServicesButton {
    public func label(in language: Language) -> String {
        let key: ServicesKey
        switch self {
        case .services: key = .buttonServices
        case .new: key = .buttonNew
        case .service(let name, let state, let minutes):
            return ServicesKey.buttonService.buttonLabel(["state": .text(state.rawValue), "name": .text(name),
                                                          "duration": .text(Renderer(language: language).duration(minutes))],
                                                         in: language)
        case .edit: key = .buttonEdit
        case .activate: key = .buttonActivate
        case .deactivate: key = .buttonDeactivate
        case .up: key = .buttonUp
        case .down: key = .buttonDown
        case .archive: key = .buttonArchive
        case .delete: key = .buttonDelete
        case .confirmDelete: key = .buttonConfirmDelete
        case .restore: key = .buttonRestore
        case .toList: key = .buttonToList
        case .openCard: key = .buttonOpenCard
        case .fieldName: key = .buttonFieldName
        case .fieldDescription: key = .buttonFieldDescription
        case .fieldDuration: key = .buttonFieldDuration
        case .fieldPriceText: key = .buttonFieldPriceText
        case .fieldAmount: key = .buttonFieldAmount
        }
        return key.buttonLabel(in: language)
    }
}
