/// One staff member as the admins screens show them (SPEC admin 11).
public struct AdminEntry: Sendable, Hashable {
    public var id: Int64
    /// In `ADMIN_IDS`.
    public var isOwner: Bool
    public var superAdmin: Bool
    /// The business's name for them (`admins.display_name`).
    public var displayName: String?
    /// Their Telegram first name and username as last seen.
    public var firstName: String?
    public var username: String?
    /// Who added them (nil for owners), and that person's first name.
    public var addedBy: Int64?
    public var addedByName: String?

    public init(id: Int64, isOwner: Bool, superAdmin: Bool, displayName: String? = nil, firstName: String? = nil, username: String? = nil,
                addedBy: Int64? = nil, addedByName: String? = nil) {
        self.id = id
        self.isOwner = isOwner
        self.superAdmin = superAdmin
        self.displayName = displayName
        self.firstName = firstName
        self.username = username
        self.addedBy = addedBy
        self.addedByName = addedByName
    }

    /// The name to call them by: the business's, else Telegram's, else the id.
    public var name: String {
        if let displayName, !displayName.isEmpty { return displayName }
        if let firstName, !firstName.isEmpty { return firstName }
        return String(id)
    }

    func values(in language: Language) -> [String: TemplateValue] {
        ["id": .text(String(id)), "name": .text(name), "owner": .flag(isOwner), "superAdmin": .flag(superAdmin),
         "hasDisplay": .flag(!(displayName ?? "").isEmpty), "display": .text(displayName ?? ""),
         "hasTelegram": .flag(!(firstName ?? "").isEmpty), "telegram": .text(firstName ?? ""),
         "hasUsername": .flag(!(username ?? "").isEmpty), "username": .text(username ?? ""),
         "hasAdder": .flag(addedBy != nil), "adder": .text(addedByName.flatMap { $0.isEmpty ? nil : $0 } ?? addedBy.map(String.init) ?? "")]
    }
}

/// What was wrong with the person sent to be added.
public enum AdminsInputProblem: Sendable, Hashable {
    /// Not a Telegram user id (digits, 1 to 2^52 − 1).
    case notAnID
    /// A forward from someone whose privacy settings hide their account.
    case hiddenUser(name: String)
    /// A forward from a bot: bots cannot be staff.
    case bot
    /// A forward from a channel or a group, not a person.
    case chat
}

/// Why a change of the staff was not made, as the screens say it.
public enum AdminsRefusal: String, Sendable, Hashable, CaseIterable {
    case notRegistered, alreadyStaff, notStaff, owner, themselves, lastSuperAdmin, hourlyLimit, unchanged
}

/// The admins screens (SPEC admin 11), for super admins.
public enum AdminsText: StaffScreenText, Hashable {
    /// Owners and staff; `limit`: additions per admin per hour.
    case list([AdminEntry])
    /// One member; `isYou`: the viewer themselves (nothing to change).
    case card(AdminEntry, isYou: Bool)
    /// Asks for the person's id or a forwarded message; `problem`: what was wrong with the last answer.
    case ask(limit: Int, problem: AdminsInputProblem?)
    /// Add this person, as which role?
    case confirmAdd(id: Int64, name: String, username: String?)
    case added(AdminEntry)
    case confirmRole(AdminEntry, toSuperAdmin: Bool)
    case roleChanged(AdminEntry)
    case confirmRemove(AdminEntry)
    case removed(AdminEntry)
    /// The store would not: `name` of the person, `limit` for the hourly limit.
    case refused(AdminsRefusal, name: String, limit: Int)

    public func text(in language: Language) -> String {
        switch self {
        case .list(let entries):
            let lines = entries.map { AdminsKey.line.render($0.values(in: language), in: language) }
            return AdminsKey.list.screen(["lines": .text(lines.joined(separator: "\n"))], in: language)
        case .card(let entry, let isYou):
            return AdminsKey.card.screen(entry.values(in: language).merging(["you": .flag(isYou)]) { $1 }, in: language)
        case .ask(let limit, let problem):
            let ask = AdminsKey.ask.screen(["limit": .number(limit)], in: language)
            guard let problem else { return ask }
            let why: String
            switch problem {
            case .notAnID: why = AdminsKey.problemNotAnID.render(in: language)
            case .hiddenUser(let name): why = AdminsKey.problemHidden.render(["name": .text(name)], in: language)
            case .bot: why = AdminsKey.problemBot.render(in: language)
            case .chat: why = AdminsKey.problemChat.render(in: language)
            }
            return AdminsKey.again.screen(["problem": .text(why), "ask": .text(ask)], in: language)
        case .confirmAdd(let id, let name, let username):
            return AdminsKey.confirmAdd.screen(["id": .text(String(id)), "name": .text(name), "hasUsername": .flag(!(username ?? "").isEmpty),
                                                "username": .text(username ?? "")], in: language)
        case .added(let entry): return AdminsKey.added.screen(entry.values(in: language), in: language)
        case .confirmRole(let entry, let toSuperAdmin):
            return AdminsKey.confirmRole.screen(entry.values(in: language).merging(["to": .flag(toSuperAdmin)]) { $1 }, in: language)
        case .roleChanged(let entry): return AdminsKey.roleChanged.screen(entry.values(in: language), in: language)
        case .confirmRemove(let entry): return AdminsKey.confirmRemove.screen(entry.values(in: language), in: language)
        case .removed(let entry): return AdminsKey.removed.screen(entry.values(in: language), in: language)
        case .refused(let why, let name, let limit):
            return AdminsKey.refused.screen(["why": .text(why.rawValue), "name": .text(name), "limit": .number(limit)], in: language)
        }
    }
}

public enum AdminsButton: StaffLabel, Hashable {
    /// The staff menu's entry.
    case menuEntry
    case add
    /// A member on the list.
    case member(AdminEntry)
    case addAs(superAdmin: Bool)
    case makeSuperAdmin
    case makeModerator
    case remove
    case confirmRemove
    case backToList

    public func label(in language: Language) -> String {
        switch self {
        case .menuEntry: return AdminsKey.buttonMenuEntry.buttonLabel(in: language)
        case .add: return AdminsKey.buttonAdd.buttonLabel(in: language)
        case .member(let entry): return AdminsKey.buttonMember.buttonLabel(entry.values(in: language), in: language)
        case .addAs(let superAdmin): return AdminsKey.buttonAddAs.buttonLabel(["superAdmin": .flag(superAdmin)], in: language)
        case .makeSuperAdmin: return AdminsKey.buttonMakeSuperAdmin.buttonLabel(in: language)
        case .makeModerator: return AdminsKey.buttonMakeModerator.buttonLabel(in: language)
        case .remove: return AdminsKey.buttonRemove.buttonLabel(in: language)
        case .confirmRemove: return AdminsKey.buttonConfirmRemove.buttonLabel(in: language)
        case .backToList: return AdminsKey.buttonBackToList.buttonLabel(in: language)
        }
    }
}

/// The audit screen's words for the staff changes.
public enum AdminsAuditWords: Sendable, Hashable {
    case added(person: String, superAdmin: Bool)
    case roleChanged(person: String, superAdmin: Bool)
    case removed(person: String)

    public func text(in language: Language) -> String {
        switch self {
        case .added(let person, let superAdmin):
            return AdminsKey.auditAdded.render(["person": .text(person), "superAdmin": .flag(superAdmin)], in: language)
        case .roleChanged(let person, let superAdmin):
            return AdminsKey.auditRole.render(["person": .text(person), "superAdmin": .flag(superAdmin)], in: language)
        case .removed(let person):
            return AdminsKey.auditRemoved.render(["person": .text(person)], in: language)
        }
    }
}

enum AdminsKey: String, StaffTemplateSet {
    case list, line, card, ask, again, problemNotAnID, problemHidden, problemBot, problemChat
    case confirmAdd, added, confirmRole, roleChanged, confirmRemove, removed, refused
    case buttonMenuEntry, buttonAdd, buttonMember, buttonAddAs, buttonMakeSuperAdmin, buttonMakeModerator, buttonRemove
    case buttonConfirmRemove, buttonBackToList
    case auditAdded, auditRole, auditRemoved

    static let neutral: Set<AdminsKey> = [.again, .buttonMember]

    var pair: (ru: String, en: String) {
        switch self {
        case .list:
            return (ru: "👥 Сотрудники\n\n{lines}\n\nВладельцев (ADMIN_IDS) меняют только в настройках развёртывания. "
                        + "Нажмите на сотрудника, чтобы сменить роль или удалить.",
                    en: "👥 Staff\n\n{lines}\n\nOwners (ADMIN_IDS) are changed only in the deployment’s configuration. "
                        + "Press a staff member to change their role or remove them.")
        case .line:
            return (ru: "{owner, select, yes {👑} other {{superAdmin, select, yes {⭐} other {🔹}}}} {name}"
                        + "{hasUsername, select, yes { @{username}} other {}}, id {id} — "
                        + "{owner, select, yes {владелец} other {{superAdmin, select, yes {супер-админ} other {модератор}}}}",
                    en: "{owner, select, yes {👑} other {{superAdmin, select, yes {⭐} other {🔹}}}} {name}"
                        + "{hasUsername, select, yes { @{username}} other {}}, id {id} — "
                        + "{owner, select, yes {owner} other {{superAdmin, select, yes {super admin} other {moderator}}}}")
        case .card:
            return (ru: "👤 {name}, id {id}\n\nРоль: {owner, select, yes {владелец (супер-админ)} other {{superAdmin, select, yes {супер-админ} other {модератор}}}}\n"
                        + "Имя в боте: {hasDisplay, select, yes {{display}} other {не задано}}\n"
                        + "В Telegram: {hasTelegram, select, yes {{telegram}} other {не писал боту}}{hasUsername, select, yes { @{username}} other {}}\n"
                        + "{hasAdder, select, yes {Добавил: {adder}} other {Из настроек развёртывания}}"
                        + "{you, select, yes {\n\nЭто вы: свою роль не меняют.} other {}}",
                    en: "👤 {name}, id {id}\n\nRole: {owner, select, yes {owner (super admin)} other {{superAdmin, select, yes {super admin} other {moderator}}}}\n"
                        + "Name in the bot: {hasDisplay, select, yes {{display}} other {not set}}\n"
                        + "On Telegram: {hasTelegram, select, yes {{telegram}} other {never wrote to the bot}}{hasUsername, select, yes { @{username}} other {}}\n"
                        + "{hasAdder, select, yes {Added by: {adder}} other {From the deployment’s configuration}}"
                        + "{you, select, yes {\n\nThis is you: nobody changes their own role.} other {}}")
        case .ask:
            return (ru: "➕ Новый сотрудник\n\nПришлите его числовой id в Telegram или перешлите сюда любое его сообщение. "
                        + "Человек должен сначала написать боту /start.\n\n"
                        + "Добавлять можно не больше {limit, plural, one {# сотрудника} few {# сотрудников} many {# сотрудников} other {# сотрудника}} в час.",
                    en: "➕ New staff member\n\nSend their numeric Telegram id, or forward any message of theirs here. "
                        + "They must have sent /start to the bot first.\n\n"
                        + "You can add at most {limit, plural, one {# person} other {# people}} per hour.")
        case .again:
            return (ru: "⚠️ {problem}\n\n{ask}", en: "⚠️ {problem}\n\n{ask}")
        case .problemNotAnID:
            return (ru: "Это не id: нужно целое положительное число, например 123456789.",
                    en: "That is not an id: send a whole positive number, such as 123456789.")
        case .problemHidden:
            return (ru: "{name} скрывает свой аккаунт при пересылке, и Telegram не сообщает его id. Попросите его прислать id или разрешить пересылку.",
                    en: "{name} hides their account in forwards, so Telegram does not give their id. Ask them for their id, or to allow forwards.")
        case .problemBot:
            return (ru: "Это сообщение бота: бот не может быть сотрудником.", en: "That message is from a bot: a bot cannot be staff.")
        case .problemChat:
            return (ru: "Это сообщение канала или группы, а не человека.", en: "That message is from a channel or a group, not a person.")
        case .confirmAdd:
            return (ru: "➕ Добавить в сотрудники {name}{hasUsername, select, yes { @{username}} other {}}, id {id}?\n\nВыберите роль:",
                    en: "➕ Add {name}{hasUsername, select, yes { @{username}} other {}}, id {id}, to the staff?\n\nChoose the role:")
        case .added:
            return (ru: "✅ {name} теперь {superAdmin, select, yes {супер-админ} other {модератор}}. Мы сообщили ему об этом.",
                    en: "✅ {name} is now {superAdmin, select, yes {a super admin} other {a moderator}}. We told them.")
        case .confirmRole:
            return (ru: "Сделать {name} {to, select, yes {супер-админом} other {модератором}}?",
                    en: "Make {name} {to, select, yes {a super admin} other {a moderator}}?")
        case .roleChanged:
            return (ru: "✅ {name} теперь {superAdmin, select, yes {супер-админ} other {модератор}}. Мы сообщили ему об этом.",
                    en: "✅ {name} is now {superAdmin, select, yes {a super admin} other {a moderator}}. We told them.")
        case .confirmRemove:
            return (ru: "Убрать {name} из сотрудников? Записи и история останутся.",
                    en: "Remove {name} from the staff? Their bookings and history stay.")
        case .removed:
            return (ru: "✅ {name} больше не сотрудник. Мы сообщили ему об этом.", en: "✅ {name} is no longer on the staff. We told them.")
        case .refused:
            return (ru: "⚠️ {why, select, notRegistered {{name} ещё не писал боту. Попросите его отправить боту /start и попробуйте снова.} "
                        + "alreadyStaff {{name} уже сотрудник.} notStaff {{name} больше не сотрудник.} "
                        + "owner {{name} — владелец: его меняют только в настройках развёртывания (ADMIN_IDS).} "
                        + "themselves {Свою роль менять нельзя: попросите другого супер-админа.} "
                        + "lastSuperAdmin {{name} — последний супер-админ: сначала назначьте другого.} "
                        + "hourlyLimit {За последний час вы уже добавили {limit, plural, one {# сотрудника} few {# сотрудников} many {# сотрудников} other {# сотрудника}}: это предел. Попробуйте позже.} "
                        + "unchanged {У {name} уже эта роль.} other {Не выполнено.}}",
                    en: "⚠️ {why, select, notRegistered {{name} has not written to the bot yet. Ask them to send /start to the bot, then try again.} "
                        + "alreadyStaff {{name} is already on the staff.} notStaff {{name} is no longer on the staff.} "
                        + "owner {{name} is an owner: owners are changed only in the deployment’s configuration (ADMIN_IDS).} "
                        + "themselves {Nobody changes their own role: ask another super admin.} "
                        + "lastSuperAdmin {{name} is the last super admin: make someone else a super admin first.} "
                        + "hourlyLimit {You have added {limit, plural, one {# person} other {# people}} within the last hour, the most allowed. Try again later.} "
                        + "unchanged {{name} already has that role.} other {Not done.}}")
        case .buttonMenuEntry:
            return (ru: "👥 Сотрудники", en: "👥 Staff")
        case .buttonAdd:
            return (ru: "➕ Добавить сотрудника", en: "➕ Add a staff member")
        case .buttonMember:
            return (ru: "{owner, select, yes {👑} other {{superAdmin, select, yes {⭐} other {🔹}}}} {name}",
                    en: "{owner, select, yes {👑} other {{superAdmin, select, yes {⭐} other {🔹}}}} {name}")
        case .buttonAddAs:
            return (ru: "{superAdmin, select, yes {⭐ Супер-админом} other {🔹 Модератором}}",
                    en: "{superAdmin, select, yes {⭐ As a super admin} other {🔹 As a moderator}}")
        case .buttonMakeSuperAdmin:
            return (ru: "⭐ Сделать супер-админом", en: "⭐ Make super admin")
        case .buttonMakeModerator:
            return (ru: "🔹 Сделать модератором", en: "🔹 Make moderator")
        case .buttonRemove:
            return (ru: "🗑 Убрать из сотрудников", en: "🗑 Remove from staff")
        case .buttonConfirmRemove:
            return (ru: "🗑 Да, убрать", en: "🗑 Yes, remove")
        case .buttonBackToList:
            return (ru: "⬅️ К сотрудникам", en: "⬅️ Back to staff")
        case .auditAdded:
            return (ru: "добавлен сотрудник {person}: {superAdmin, select, yes {супер-админ} other {модератор}}",
                    en: "staff member {person} added as {superAdmin, select, yes {super admin} other {moderator}}")
        case .auditRole:
            return (ru: "роль сотрудника {person}: {superAdmin, select, yes {супер-админ} other {модератор}}",
                    en: "staff member {person} made {superAdmin, select, yes {super admin} other {moderator}}")
        case .auditRemoved:
            return (ru: "сотрудник {person} удалён", en: "staff member {person} removed")
        }
    }
}
