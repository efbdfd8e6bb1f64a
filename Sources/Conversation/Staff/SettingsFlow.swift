import Booking
import Foundation
import Texts

/// Settings (SPEC admin 6), for super admins: an overview of every setting with its value
/// in force; each changed by typing a value (checked, asked again when wrong), then a
/// confirmation "old → new", then Confirm, a change the change runner re-checks and
/// audits. Work hours go weekday by weekday (or every day at once); a change that would
/// leave future bookings outside the hours says which, and cancels nothing. Workers read
/// the settings at every update, so the new values apply from the next one.
public struct SettingsFlow: Flow {
    public enum Action: FlowAction {
        /// Every setting with its value (the staff menu's button).
        case overview
        /// Ask for one setting (its index in `SettingName.allCases`; work hours: the week).
        case edit(Int)
        /// The work hours, weekday by weekday.
        case week
        /// Ask for one weekday's hours (ISO weekday, 1 = Monday).
        case day(Int)
        /// Ask for every day's hours at once.
        case allDays
        /// The asked weekdays become days off.
        case dayOff
        /// No reminders, or no address / contact: whichever is asked.
        case clear
        /// Save the change waiting on the confirmation screen.
        case confirm

        public static let flow: FlowID = "st"
        public static let shapes: [String: [ButtonField]] = [
            "o": [], "e": [.small], "w": [], "d": [.small], "a": [], "f": [], "c": [], "k": [],
        ]
        public var encoded: ButtonCode {
            switch self {
            case .overview: return ButtonCode("o")
            case .edit(let index): return ButtonCode("e", [index])
            case .week: return ButtonCode("w")
            case .day(let weekday): return ButtonCode("d", [weekday])
            case .allDays: return ButtonCode("a")
            case .dayOff: return ButtonCode("f")
            case .clear: return ButtonCode("c")
            case .confirm: return ButtonCode("k")
            }
        }
        public init?(code: String, numbers: [Int]) {
            switch (code, numbers.count) {
            case ("o", 0): self = .overview
            case ("e", 1): self = .edit(numbers[0])
            case ("w", 0): self = .week
            case ("d", 1): self = .day(numbers[0])
            case ("a", 0): self = .allDays
            case ("f", 0): self = .dayOff
            case ("c", 0): self = .clear
            case ("k", 0): self = .confirm
            default: return nil
            }
        }
    }

    /// What the open flow remembers between updates.
    public struct Draft: Codable, Sendable, Equatable {
        /// The setting the next text answers (nil: a screen of buttons only).
        var asking: SettingName?
        /// The weekdays whose hours are asked.
        var days: [Weekday] = []
        /// The change shown for confirmation: what Confirm saves.
        var pending: SettingChange?
    }

    /// The bookings a change of hours leaves outside them (none for any other step).
    public struct Query: FlowQuery {
        var hours: SettingChange?

        public func read(from store: any StoreReads) throws -> [StrandedDay] {
            guard case .hours(let days, let hours)? = hours else { return [] }
            return try store.bookingsOutside(hours: hours, on: Set(days))
        }
    }

    /// Confirm: the change, made by the store over the values in force at commit.
    public struct ApplySetting: FlowChange {
        let change: SettingChange

        public func audit(of outcome: SettingChangeResult?) -> AuditAction? {
            let key = change.setting.rawValue
            switch outcome {
            case nil:
                return nil
            case .done(let before, let after)?:
                return .settingChanged(key: key, old: change.auditText(of: before), new: change.auditText(of: after), refusal: nil)
            case .refused(let why)?:
                return .settingChanged(key: key, old: "", new: change.auditProposal, refusal: why)
            }
        }

        public func apply(to store: any StoreChanges, by actor: ChangeActor) throws -> SettingChangeResult {
            try store.changeSetting(change, by: actor)
        }
    }

    public init() {}

    public func awaitsText(_ state: Draft) -> Bool { state.asking != nil && state.pending == nil }

    public func plan(_ event: Event<Action>, state: Draft?, in context: Context) -> Plan<Query, ApplySetting> {
        switch event {
        case .typed(let text):
            guard let state, state.asking == .workHours, case .success(let hours) = SettingInput.hours(text) else { return Plan(query: Query()) }
            return Plan(query: Query(hours: .hours(state.days, hours)))
        case .pressed(.dayOff, _):
            guard let state, state.asking == .workHours, !state.days.isEmpty else { return Plan(query: Query()) }
            return Plan(query: Query(hours: .hours(state.days, nil)))
        case .pressed(.confirm, _):
            guard let pending = state?.pending else { return Plan(query: Query()) }
            return Plan(query: Query(hours: pending), change: ApplySetting(change: pending))
        default:
            return Plan(query: Query())
        }
    }

    public func respond(_ event: Event<Action>, state: Draft?, read: [StrandedDay], outcome: SettingChangeResult?,
                        in context: Context) -> Reply<Draft> {
        let screens = Screens(context: context)
        switch event {
        case .opened:
            return screens.overview(entry: nil)
        case .typed(let text):
            guard let state, let asking = state.asking, state.pending == nil else { return screens.overview(entry: nil) }
            return screens.answer(text, to: asking, days: state.days, stranded: read)
        case .pressed(let action, let entry):
            switch action {
            case .overview:
                return screens.overview(entry: entry)
            case .week:
                return screens.week(entry: entry)
            case .edit(let index):
                guard SettingName.allCases.indices.contains(index) else { return context.alertOnly(.invalidButton) }
                let setting = SettingName.allCases[index]
                return setting == .workHours ? screens.week(entry: entry) : screens.ask(setting, entry: entry)
            case .day(let number):
                guard let day = Weekday(rawValue: number) else { return context.alertOnly(.invalidButton) }
                return screens.askHours([day], entry: entry)
            case .allDays:
                return screens.askHours(Weekday.allCases, entry: entry)
            case .dayOff:
                guard let state, state.asking == .workHours, !state.days.isEmpty else { return context.alertOnly(.invalidButton) }
                return screens.confirmation(.hours(state.days, nil), stranded: read, entry: entry)
            case .clear:
                switch state?.asking {
                case .reminders?: return screens.confirmation(.reminders([]), stranded: [], entry: entry)
                case .address?: return screens.confirmation(.text(.address, ""), stranded: [], entry: entry)
                case .contact?: return screens.confirmation(.text(.contact, ""), stranded: [], entry: entry)
                default: return context.alertOnly(.invalidButton)
                }
            case .confirm:
                // No change waiting (the flow was left, or the button is from another screen).
                guard let change = state?.pending, let outcome else { return context.alertOnly(.invalidButton) }
                return screens.saved(change, outcome, stranded: read, entry: entry)
            }
        }
    }

    /// The flow's screens, over the values in force for this update.
    private struct Screens {
        let context: Context

        var say: Speaker { context.say }
        var values: SettingValues { SettingValues(rules: context.rules, address: context.address, contact: context.contact.contact) }
        var toOverview: InlineButton { say.staffButton(SettingsButton.backToSettings, Action.overview) }
        var cancel: InlineButton { say.button(.cancel, CoreAction.close) }

        func overview(entry: Entry?) -> Reply<Draft> {
            let settings = SettingName.allCases.enumerated().map { index, setting in
                say.staffButton(SettingsButton.setting(setting), setting == .workHours ? Action.week : Action.edit(index))
            }
            return context.show(SettingsText.overview(values), buttons: context.rows(settings, perRow: 2)
                                    + [[say.staffButton(StaffButton.back, StaffMenuFlow.Action.home)]],
                                entry: entry, next: .open(Draft()))
        }

        func week(entry: Entry?) -> Reply<Draft> {
            let days = Weekday.allCases.map { day in
                say.staffButton(SettingsButton.weekday(day, values.schedule.hours(on: day)), Action.day(day.rawValue))
            }
            return context.show(SettingsText.week(values.schedule), buttons: context.rows(days, perRow: 2)
                                    + [[say.staffButton(SettingsButton.allDays, Action.allDays)], [toOverview]],
                                entry: entry, next: .open(Draft()))
        }

        func ask(_ setting: SettingName, entry: Entry?, problem: SettingsProblem? = nil) -> Reply<Draft> {
            let prompt = SettingsText.ask(setting, values)
            var rows: [[InlineButton]] = []
            switch setting {
            case .reminders: rows.append([say.staffButton(SettingsButton.noReminders, Action.clear)])
            case .address, .contact: rows.append([say.staffButton(SettingsButton.clear, Action.clear)])
            default: break
            }
            return context.show(problem.map { SettingsText.again($0, prompt: prompt) } ?? prompt, buttons: rows + [[toOverview, cancel]],
                                entry: entry, next: .open(Draft(asking: setting)))
        }

        func askHours(_ days: [Weekday], entry: Entry?, problem: SettingsProblem? = nil) -> Reply<Draft> {
            let prompt = SettingsText.askHours(days: days, values.schedule)
            return context.show(problem.map { SettingsText.again($0, prompt: prompt) } ?? prompt,
                                buttons: [[say.staffButton(SettingsButton.dayOff, Action.dayOff)],
                                          [say.staffButton(StaffButton.back, Action.week), cancel]],
                                entry: entry, next: .open(Draft(asking: .workHours, days: days)))
        }

        /// A typed answer: the confirmation, or the question again with what was wrong.
        func answer(_ text: String, to setting: SettingName, days: [Weekday], stranded: [StrandedDay]) -> Reply<Draft> {
            if setting == .workHours {
                switch SettingInput.hours(text) {
                case .success(let hours): return confirmation(.hours(days, hours), stranded: stranded, entry: nil)
                case .failure(let problem): return askHours(days, entry: nil, problem: problem)
                }
            }
            switch SettingInput.read(text, for: setting) {
            case .success(let change): return confirmation(change, stranded: [], entry: nil)
            case .failure(let problem): return ask(setting, entry: nil, problem: problem)
            }
        }

        func confirmation(_ change: SettingChange, stranded: [StrandedDay], entry: Entry?) -> Reply<Draft> {
            let diff = SettingDiff(setting: change.setting, days: change.days, old: values, new: change.applied(to: values))
            let again: Action
            switch change {
            case .hours(let days, _): again = days.count == 1 ? .day(days[0].rawValue) : .allDays
            default: again = .edit(SettingName.allCases.firstIndex(of: change.setting) ?? 0)
            }
            return context.show(SettingsText.confirm(diff, stranded: stranded),
                                buttons: [[say.staffButton(StaffButton.confirm, Action.confirm)],
                                          [say.staffButton(StaffButton.back, again), cancel]],
                                entry: entry, next: .open(Draft(asking: change.setting, days: change.days, pending: change)))
        }

        func saved(_ change: SettingChange, _ outcome: SettingChangeResult, stranded: [StrandedDay], entry: Entry) -> Reply<Draft> {
            let buttons = [[toOverview], [say.staffButton(StaffButton.back, StaffMenuFlow.Action.home)]]
            switch outcome {
            case .done(let before, let after):
                let diff = SettingDiff(setting: change.setting, days: change.days, old: before, new: after)
                return context.show(SettingsText.saved(diff, stranded: stranded), buttons: buttons, entry: entry, next: .open(Draft()))
            case .refused:
                return context.show(SettingsText.notSaved, buttons: buttons, entry: entry, next: .open(Draft()))
            }
        }
    }
}
