import Booking

/// Every text the staff side shows (`/admin` and its screens), with the values it shows.
/// Kept apart from the client's texts: its own messages, buttons, keys and catalog.
public enum StaffText: StaffScreenText, Hashable {
    /// The staff menu, naming the person's role.
    case menu(role: StaffRoleName)
    /// Staff on a deployment with nothing bookable yet: the first steps (SPEC admin 15).
    case firstRun(canSetHours: Bool)
    /// The booking rules in force.
    case rules(StaffRulesInfo)
    /// The audit log export's confirmation screen.
    case auditExportAsk
    /// The export was started: the file will come to this chat.
    case auditExportStarted
    /// Sent after the file: how many entries it holds, of how many the log has.
    case auditExportReady(entries: Int, total: Int)
    /// The export failed for good (after its retries).
    case auditExportFailed
    /// A page of the audit log, newest first (`page` from 1).
    case auditPage(lines: [StaffAuditLine], page: Int, pages: Int, total: Int)
}

/// One entry of the audit log as the audit screen shows it.
public struct StaffAuditLine: Sendable, Hashable {
    public var time: LocalDateTime
    public var actorID: Int64
    public var actorName: String?
    public var actorUsername: String?
    public var action: StaffAuditAction
    public var target: String?
    public var allowed: Bool

    public init(time: LocalDateTime, actorID: Int64, actorName: String?, actorUsername: String?, action: StaffAuditAction,
                target: String?, allowed: Bool) {
        self.time = time
        self.actorID = actorID
        self.actorName = actorName
        self.actorUsername = actorUsername
        self.action = action
        self.target = target
        self.allowed = allowed
    }
}

/// What an audit entry records, in words the screen renders per language.
public indirect enum StaffAuditAction: Sendable, Hashable {
    /// A step of a flow (its command or button code): refused, or allowed without a
    /// more specific record.
    case step(String)
    case bookingCreated
    case bookingCancelled(reason: String)
    case bookingMoved
    /// A visit marked as having taken place, or the client as a no-show.
    case bookingCompleted
    case bookingNoShow
    /// Allowed, but the store refused it at commit (no such booking, a rule): nothing happened.
    case refusedByStore(StaffAuditAction, why: String)
    case exportStarted
    case noticeChanged(NoticeKind, enabled: Bool)
    /// A setting changed (`key` as stored; old and new values as recorded).
    case settingChanged(key: String, old: String, new: String)
    case serviceCreated(name: String)
    /// The fields changed (their stored names, as in the row's details).
    case serviceUpdated(fields: [String])
    case serviceActivated
    case serviceDeactivated
    case serviceArchived
    case serviceRestored
    case serviceDeleted(name: String)
    case serviceReordered(up: Bool)
    /// Mass changes: the bookings of a day shifted (`count` moved or previewed), a service's bookings moved.
    case bookingsShifted(minutes: Int, count: Int)
    case serviceBookingsMoved(count: Int)
    /// A block made (its reason, the bookings it cancelled) or removed.
    case blockCreated(reason: String, cancelled: Int)
    case blockRemoved(reason: String)
    /// A field edited in the field editor (its key, old → new).
    case fieldEdited(field: String, old: String, new: String)
    case broadcastCreated(recipients: Int)
    /// An action this version has no words for: its stored name.
    case other(String)
    /// A change of the staff (SPEC admin 11).
    case admins(AdminsAuditWords)
    /// A bookings export started (SPEC admin 13).
    case bookingsExported(BookingsExportAuditWords)
}

/// The audit CSV's header cells and the values of its "allowed" column (SPEC admin 13).
public enum AuditExportLabel: Sendable, Hashable, CaseIterable {
    case time, actorID, actor, action, target, details, allowed
    case yes, no
}

/// What is wrong with an answer typed into a form.
public enum FieldProblem: Sendable, Hashable {
    /// Text outside `min`…`max` characters.
    case length(min: Int, max: Int)
    /// Not a whole number within `min`…`max`.
    case number(min: Int, max: Int)
    /// Already used by another (a name must be unique).
    case taken
    /// Longer than `max` characters (an optional text).
    case tooLong(max: Int)
    /// Only symbols or emoji: a name needs a letter or a digit.
    case needsLetterOrDigit
    /// Not a length in minutes within `min`…`max` in steps of `step`.
    case minutes(min: Int, max: Int, step: Int)
    /// Not an amount ≥ 0 with at most two decimals.
    case amount
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
public enum StaffButton: StaffLabel, Hashable {
    case close
    case rules
    case back
    case skip
    case confirm
    /// The staff menu's audit log export (super admins).
    case auditExport
    case auditLog
    case previousPage
    case nextPage
}

/// A staff role as the texts name it.
public enum StaffRoleName: String, Sendable, Hashable, CaseIterable {
    case superAdmin
    case moderator
}

/// The name of every staff template; `StaffCatalog` answers each in every language.
enum StaffKey: String, StaffTemplateSet {
    case menu, firstRun
    case rules
    case fieldAgain, problemLength, problemNumber, problemTaken
    case problemTooLong, problemNeedsLetterOrDigit, problemMinutes, problemAmount
    case buttonClose, buttonRules, buttonBack, buttonSkip, buttonConfirm
    case auditExportAsk, auditExportStarted, auditExportReady, auditExportFailed, buttonAuditExport
    case auditPage, auditEmpty, auditLine, auditStep, auditBookingCreated, auditBookingCancelled, auditBookingMoved
    case auditBookingCompleted, auditBookingNoShow, auditRefusedByStore
    case auditExportStart, auditNoticeChanged, auditOther, auditService, auditServiceUpdated, auditServiceField
    case buttonAuditLog, buttonPreviousPage, buttonNextPage
    case exportTime, exportActorID, exportActor, exportAction, exportTarget, exportDetails, exportAllowed, exportYes, exportNo
}

extension StaffKey {
    var pair: (ru: String, en: String) { StaffCatalog.pair(self) }
}

extension StaffText {
    public func text(in language: Language) -> String { Texts.text(self, in: language) }
}

extension StaffButton {
    public func label(in language: Language) -> String { Texts.label(self, in: language) }
}

extension Texts {
    /// The staff message's text, within Telegram's 4096 characters.
    public static func text(_ message: StaffText, in language: Language) -> String {
        Fitting.clamp(body(message, in: language), to: TelegramLimits.messageLength)
    }

    private static func body(_ message: StaffText, in language: Language) -> String {
        let render = { (key: StaffKey, values: [String: TemplateValue]) in
            TemplateRenderer(language: language, values: values).render(StaffCatalog.template(key, in: language))
        }
        let text: String
        switch message {
        case .menu(let role):
            text = render(.menu, ["role": .text(role.rawValue)])
        case .firstRun(let canSetHours):
            text = render(.firstRun, ["hours": .flag(canSetHours)])
        case .rules(let info):
            let values = Renderer(language: language)
            let reminders = Set(info.client.reminderOffsetsMinutes.filter { $0 > 0 }).sorted(by: >)
            text = render(.rules, ["hours": .text(values.workHours(info.schedule)), "step": .text(values.duration(info.slotStepMinutes)),
                                   "horizon": .number(info.horizonMonths), "notice": .text(values.duration(info.client.minNoticeMinutes)),
                                   "limit": .number(info.client.bookingLimit), "cancel": .number(info.client.cancellationHours),
                                   "move": .number(info.client.rescheduleHours), "hasReminders": .flag(!reminders.isEmpty),
                                   "reminders": .text(values.list(reminders.map(values.duration)))])
        case .auditExportAsk:
            text = render(.auditExportAsk, [:])
        case .auditExportStarted:
            text = render(.auditExportStarted, [:])
        case .auditExportReady(let entries, let total):
            text = render(.auditExportReady, ["entries": .number(entries), "total": .number(total), "cut": .flag(total > entries)])
        case .auditExportFailed:
            text = render(.auditExportFailed, [:])
        case .auditPage(let lines, let page, let pages, let total):
            guard !lines.isEmpty else { return render(.auditEmpty, [:]) }
            let dates = DateFormat(language: language)
            func words(_ action: StaffAuditAction) -> String {
                switch action {
                case .step(let step): return render(.auditStep, ["step": .text(step)])
                case .bookingCreated: return render(.auditBookingCreated, [:])
                case .bookingCancelled(let reason):
                    return render(.auditBookingCancelled, ["hasReason": .flag(!reason.isEmpty), "reason": .text(reason)])
                case .bookingMoved: return render(.auditBookingMoved, [:])
                case .bookingCompleted: return render(.auditBookingCompleted, [:])
                case .bookingNoShow: return render(.auditBookingNoShow, [:])
                case .refusedByStore(let attempted, let why): return render(.auditRefusedByStore, ["what": .text(words(attempted)), "why": .text(why)])
                case .exportStarted: return render(.auditExportStart, [:])
                case .noticeChanged(let kind, let enabled):
                    return render(.auditNoticeChanged, ["kind": .text(kind.name(in: language)), "on": .flag(enabled)])
                case .settingChanged(let key, let old, let new):
                    return Texts.settingsAuditChange(key: key, old: old, new: new, in: language)
                case .serviceCreated(let name): return render(.auditService, ["what": .text("create"), "name": .text(name)])
                case .serviceUpdated(let fields):
                    let named = fields.map { render(.auditServiceField, ["field": .text($0)]) }
                    return render(.auditServiceUpdated, ["fields": .text(named.joined(separator: ", "))])
                case .serviceActivated: return render(.auditService, ["what": .text("activate"), "name": .text("")])
                case .serviceDeactivated: return render(.auditService, ["what": .text("deactivate"), "name": .text("")])
                case .serviceArchived: return render(.auditService, ["what": .text("archive"), "name": .text("")])
                case .serviceRestored: return render(.auditService, ["what": .text("restore"), "name": .text("")])
                case .serviceDeleted(let name): return render(.auditService, ["what": .text("delete"), "name": .text(name)])
                case .serviceReordered(let up):
                    return render(.auditService, ["what": .text(up ? "up" : "down"), "name": .text("")])
                case .blockCreated, .blockRemoved: return BlockingText.audit(action, in: language) ?? ""
                case .fieldEdited(let field, let old, let new): return FieldEditorText.audit(field: field, old: old, new: new, in: language)
                case .broadcastCreated(let recipients): return Texts.broadcastAuditWords(recipients: recipients, in: language)
                case .other(let name): return render(.auditOther, ["name": .text(name)])
                case .bookingsShifted(let minutes, let count): return MassChangeText.auditShift(minutes: minutes, count: count, in: language)
                case .serviceBookingsMoved(let count): return MassChangeText.auditServiceMove(count: count, in: language)
                case .admins(let words): return words.text(in: language)
                case .bookingsExported(let words): return words.text(in: language)
                }
            }
            let rendered = lines.map { line -> String in
                let what = words(line.action)
                return render(.auditLine, [
                    "allowed": .flag(line.allowed), "date": .text(dates.shortDate(line.time.date)), "time": .text(dates.time(line.time)),
                    "hasName": .flag(!(line.actorName ?? "").isEmpty), "name": .text(line.actorName ?? ""),
                    "hasUsername": .flag(!(line.actorUsername ?? "").isEmpty), "username": .text(line.actorUsername ?? ""),
                    "id": .text(String(line.actorID)), "what": .text(what),
                    "hasTarget": .flag(!(line.target ?? "").isEmpty), "target": .text(line.target ?? ""),
                ])
            }
            text = render(.auditPage, ["page": .number(page), "pages": .number(pages), "total": .number(total),
                                       "lines": .text(rendered.joined(separator: "\n\n"))])
        }
        return text
    }

    /// The staff button's label, within 64 characters.
    public static func label(_ button: StaffButton, in language: Language) -> String {
        let key: StaffKey
        switch button {
        case .close: key = .buttonClose
        case .rules: key = .buttonRules
        case .back: key = .buttonBack
        case .skip: key = .buttonSkip
        case .confirm: key = .buttonConfirm
        case .auditExport: key = .buttonAuditExport
        case .auditLog: key = .buttonAuditLog
        case .previousPage: key = .buttonPreviousPage
        case .nextPage: key = .buttonNextPage
        }
        return Fitting.clamp(TemplateRenderer(language: language, values: [:]).render(StaffCatalog.template(key, in: language)),
                             to: TelegramLimits.buttonLabelLength)
    }

    /// A cell of the audit CSV (a column's name, or an "allowed" value).
    public static func label(_ label: AuditExportLabel, in language: Language) -> String {
        let key: StaffKey
        switch label {
        case .time: key = .exportTime
        case .actorID: key = .exportActorID
        case .actor: key = .exportActor
        case .action: key = .exportAction
        case .target: key = .exportTarget
        case .details: key = .exportDetails
        case .allowed: key = .exportAllowed
        case .yes: key = .exportYes
        case .no: key = .exportNo
        }
        return TemplateRenderer(language: language, values: [:]).render(StaffCatalog.template(key, in: language))
    }
}
