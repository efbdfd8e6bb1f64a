import Booking
import Foundation
import Texts

/// Mass changes (SPEC admin 9), for whoever manages bookings (moderators and super
/// admins): shift every booking of a day, or of part of it, by ±N minutes; move every
/// future booking of a service to another service of the same length. Both are all or
/// nothing: a preview lists every booking (and for a shift every conflict, when Confirm is
/// not offered), and the store re-reads and re-checks everything at commit, moving only
/// the very bookings previewed. Each client is told once.
public struct MassChangeFlow: Flow {
    public enum Action: FlowAction {
        case home
        /// Shift: a month of the day grid.
        case month(Int)
        /// Shift: a day chosen; asks which part of it.
        case day(Int)
        /// Shift: the whole day; asks the minutes.
        case wholeDay(Int)
        /// Shift: asks the minutes again (the day and part kept in the state).
        case changeMinutes
        /// Shift: Confirm of the preview numbered `serial` (kept in the state with its ids).
        case confirmShift(serial: Int)
        /// Service move: the services to move from.
        case sources
        case source(Int64)
        case target(Int64, Int64)
        case confirmMove(Int64, Int64)

        public static let flow: FlowID = "mc"
        public static let shapes: [String: [ButtonField]] = [
            "o": [], "m": [.month], "d": [.day], "w": [.day], "n": [], "k": [.small], "s": [], "a": [.id], "b": [.id, .id], "c": [.id, .id],
        ]

        public var encoded: ButtonCode {
            switch self {
            case .home: return ButtonCode("o")
            case .month(let month): return ButtonCode("m", [month])
            case .day(let day): return ButtonCode("d", [day])
            case .wholeDay(let day): return ButtonCode("w", [day])
            case .changeMinutes: return ButtonCode("n")
            case .confirmShift(let serial): return ButtonCode("k", [serial])
            case .sources: return ButtonCode("s")
            case .source(let id): return ButtonCode("a", [Int(id)])
            case .target(let from, let to): return ButtonCode("b", [Int(from), Int(to)])
            case .confirmMove(let from, let to): return ButtonCode("c", [Int(from), Int(to)])
            }
        }

        public init?(code: String, numbers n: [Int]) {
            switch (code, n.count) {
            case ("o", 0): self = .home
            case ("m", 1): self = .month(n[0])
            case ("d", 1): self = .day(n[0])
            case ("w", 1): self = .wholeDay(n[0])
            case ("n", 0): self = .changeMinutes
            case ("k", 1): self = .confirmShift(serial: n[0])
            case ("s", 0): self = .sources
            case ("a", 1): self = .source(Int64(n[0]))
            case ("b", 2): self = .target(Int64(n[0]), Int64(n[1]))
            case ("c", 2): self = .confirmMove(Int64(n[0]), Int64(n[1]))
            default: return nil
            }
        }
    }

    /// What the flow remembers between steps: the shift being set up (its day, part,
    /// minutes, and the ids of the last preview that could be confirmed, numbered), or the
    /// service move previewed.
    public struct State: Codable, Sendable, Equatable {
        public enum Asking: String, Codable, Sendable { case range, minutes }

        public var asking: Asking?
        public var day: Int?
        public var from: Int?
        public var to: Int?
        public var minutes: Int?
        public var previewed: [Int64]?
        public var serial: Int = 0
        public var source: Int64?
        public var target: Int64?
        public var moving: [Int64]?

        public init() {}

        var window: ShiftWindow? {
            guard let day, let from, let to else { return nil }
            return ShiftWindow(day: LocalDate(dayNumber: day), from: from, to: to)
        }
    }

    public struct Query: FlowQuery {
        /// A day's bookings (its instants), to count them.
        var day: TimeRange?
        var preview: ShiftRequest?
        var services = false
        var serviceBookings: Int64?

        public func read(from store: any StoreReads) throws -> Result {
            Result(dayBookings: try day.map { try store.staffBookings(from: $0.start, to: $0.end, limit: 1000) } ?? [],
                   preview: try preview.map { try store.shiftPreview($0.window, minutes: $0.minutes) },
                   services: services ? try store.allServices() : [],
                   serviceBookings: try serviceBookings.map { try store.futureBookings(ofService: $0) } ?? [])
        }

        public struct Result: Sendable {
            var dayBookings: [StaffBooking]
            var preview: ShiftPreview?
            var services: [StaffService]
            var serviceBookings: [StaffBooking]
        }
    }

    struct ShiftRequest: Sendable, Equatable {
        var window: ShiftWindow
        var minutes: Int
    }

    public enum Change: FlowChange {
        case shift(ShiftWindow, minutes: Int, expected: [Int64])
        case moveService(from: Int64, to: Int64, expected: [Int64])

        public enum Outcome: Sendable, Equatable {
            case shifted(ShiftResult)
            case moved(ServiceMoveResult)
        }

        public func apply(to store: any StoreChanges, by actor: ChangeActor) throws -> Outcome {
            switch self {
            case .shift(let window, let minutes, let expected):
                return .shifted(try store.shiftDay(window, minutes: minutes, expected: expected, by: actor))
            case .moveService(let from, let to, let expected):
                return .moved(try store.moveServiceBookings(from: from, to: to, expected: expected, by: actor))
            }
        }

        /// The count is of the bookings moved, or of those the preview promised when nothing moved.
        public func audit(of outcome: Outcome?) -> AuditAction? {
            switch (self, outcome) {
            case (.shift(let window, let minutes, let expected), .shifted(let result)?):
                var count = expected.count
                if case .done(let lines) = result { count = lines.count }
                return .bookingsShifted(window: window, minutes: minutes, count: count, outcome: result.auditOutcome)
            case (.shift(let window, let minutes, let expected), _):
                return .bookingsShifted(window: window, minutes: minutes, count: expected.count, outcome: .refused("no_access"))
            case (.moveService(let from, let to, let expected), .moved(let result)?):
                var count = expected.count
                if case .done(let lines) = result { count = lines.count }
                return .serviceBookingsMoved(from: from, to: to, count: count, outcome: result.auditOutcome)
            case (.moveService(let from, let to, let expected), _):
                return .serviceBookingsMoved(from: from, to: to, count: expected.count, outcome: .refused("no_access"))
            }
        }
    }

    /// Months ahead the day grid reaches (staff are not held to the booking horizon).
    static let monthsAhead = 12
    /// Typed words that mean the whole day (the button says it too).
    static let wholeDayWords: Set<String> = ["whole day", "all day", "весь день", "целый день"]

    public init() {}

    public func awaitsText(_ state: State) -> Bool { state.asking != nil }

    public func plan(_ event: Event<Action>, state: State?, in context: Context) -> Plan<Query, Change> {
        switch event {
        case .opened:
            return Plan(query: Query())
        case .typed(let text):
            guard let state, state.asking == .minutes, let window = state.window, case .minutes(let minutes) = DayShift.minutes(text) else {
                return Plan(query: Query())
            }
            return Plan(query: Query(preview: ShiftRequest(window: window, minutes: minutes)))
        case .pressed(let action, _):
            switch action {
            case .home, .month, .wholeDay, .changeMinutes:
                return Plan(query: Query())
            case .day(let day):
                let date = LocalDate(dayNumber: day)
                return Plan(query: Query(day: TimeRange(start: context.clock.startOfDay(date), end: context.clock.startOfDay(date.adding(days: 1)))))
            case .confirmShift(let serial):
                guard let state, let window = state.window, let minutes = state.minutes else { return Plan(query: Query()) }
                guard let ids = state.previewed, serial == state.serial else {
                    // An older preview's Confirm: nothing moves; the preview as it is now.
                    return Plan(query: Query(preview: ShiftRequest(window: window, minutes: minutes)))
                }
                return Plan(query: Query(), change: .shift(window, minutes: minutes, expected: ids))
            case .sources:
                return Plan(query: Query(services: true))
            case .source:
                return Plan(query: Query(services: true))
            case .target(let from, _):
                return Plan(query: Query(services: true, serviceBookings: from))
            case .confirmMove(let from, let to):
                guard let state, state.source == from, state.target == to, let ids = state.moving else {
                    return Plan(query: Query(services: true, serviceBookings: from))
                }
                // Read after the change: the fresh list when it was refused as changed.
                return Plan(query: Query(services: true, serviceBookings: from), change: .moveService(from: from, to: to, expected: ids))
            }
        }
    }

    public func respond(_ event: Event<Action>, state: State?, read: Query.Result, outcome: Change.Outcome?,
                        in context: Context) -> Reply<State> {
        let screens = Screens(context: context, read: read)
        switch event {
        case .opened:
            return screens.home(entry: nil)
        case .typed(let text):
            var reply = screens.typed(text, state: state ?? State())
            let clearing: [Outgoing] = context.openMessageID.map { [.clearButtons(messageID: $0)] } ?? []
            reply.replies = clearing + reply.replies
            return reply
        case .pressed(let action, let entry):
            return screens.pressed(action, entry: entry, state: state ?? State(), outcome: outcome)
        }
    }

    /// The screens of one step, over what it read.
    private struct Screens {
        let context: Context
        let read: Query.Result

        var say: Speaker { context.say }
        var today: LocalDate { context.today }
        var backHome: InlineButton { say.staffButton(MassChangeButton.back, Action.home) }
        /// Home from a screen whose Back goes one step back.
        var toHome: InlineButton { say.staffButton(MassChangeButton.menuEntry, Action.home) }

        func pressed(_ action: Action, entry: Entry, state: State, outcome: Change.Outcome?) -> Reply<State> {
            switch action {
            case .home:
                return home(entry: entry)
            case .month(let index):
                guard index >= MonthIndex.of(today) else { return context.alertOnly(.monthBeforeRange) }
                guard index <= MonthIndex.of(today) + MassChangeFlow.monthsAhead else { return context.alertOnly(.monthBeyondHorizon) }
                return pickDay(index, entry: entry)
            case .day(let day):
                guard day >= today.dayNumber else { return context.alertOnly(.dayUnavailable) }
                let now = context.now
                let count = read.dayBookings.filter { $0.state == .confirmed && $0.start > now }.count
                var next = State()
                (next.asking, next.day) = (.range, day)
                return context.show(MassChangeText.askRange(day: LocalDate(dayNumber: day), count: count),
                                    buttons: [[say.staffButton(MassChangeButton.wholeDay, Action.wholeDay(day))],
                                              [say.staffButton(MassChangeButton.back, Action.month(MonthIndex.of(LocalDate(dayNumber: day))))]],
                                    entry: entry, next: .open(next))
            case .wholeDay(let day):
                guard day >= today.dayNumber, let window = ShiftWindow(day: LocalDate(dayNumber: day)) else {
                    return context.alertOnly(.dayUnavailable)
                }
                return askMinutes(window, entry: entry)
            case .changeMinutes:
                guard let window = state.window else { return lost(entry: entry) }
                return askMinutes(window, entry: entry)
            case .confirmShift:
                guard let window = state.window, let minutes = state.minutes else { return lost(entry: entry) }
                switch outcome {
                case .shifted(.done(let lines))?:
                    return shifted(lines, window: window, minutes: minutes, entry: entry)
                case .shifted(.changed(let preview))?, .shifted(.conflicts(let preview))?:
                    return self.preview(preview, window: window, minutes: minutes, changed: true, state: state, entry: entry)
                case .shifted(.nothing)?:
                    return nothingToShift(window, minutes: minutes, entry: entry)
                default:
                    guard let preview = read.preview else { return lost(entry: entry) }
                    return self.preview(preview, window: window, minutes: minutes, changed: true, state: state, entry: entry)
                }
            case .sources:
                return sources(entry: entry)
            case .source(let id):
                guard let source = read.services.first(where: { $0.id == id }), !source.archived else { return context.alertOnly(.invalidButton) }
                return targets(source, entry: entry)
            case .target(let from, let to), .confirmMove(let from, let to):
                return serviceMove(action, from: from, to: to, state: state, outcome: outcome, entry: entry)
            }
        }

        func typed(_ text: String, state: State) -> Reply<State> {
            switch state.asking {
            case .range?:
                guard let day = state.day else { return lost(entry: nil) }
                let date = LocalDate(dayNumber: day)
                let words = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
                let window = text.unicodeScalars.count <= 32 && MassChangeFlow.wholeDayWords.contains(words)
                    ? ShiftWindow(day: date) : ShiftWindow.parse(text, day: date)
                guard let window else {
                    let prompt = MassChangeText.askRange(day: date, count: 0)
                    return context.show(MassChangeText.again(.range, prompt: prompt),
                                        buttons: [[say.staffButton(MassChangeButton.wholeDay, Action.wholeDay(day))], [toHome]],
                                        entry: nil, next: .open(state))
                }
                return askMinutes(window, entry: nil)
            case .minutes?:
                guard let window = state.window else { return lost(entry: nil) }
                switch DayShift.minutes(text) {
                case .minutes(let minutes):
                    guard let preview = read.preview else { return lost(entry: nil) }
                    return self.preview(preview, window: window, minutes: minutes, changed: false, state: state, entry: nil)
                case .unreadable: return minutesAgain(.unreadable, window: window, state: state)
                case .zero: return minutesAgain(.zero, window: window, state: state)
                case .tooLarge: return minutesAgain(.tooLarge, window: window, state: state)
                case .offStep: return minutesAgain(.offStep, window: window, state: state)
                }
            case nil:
                return context.keep([say.menu(.unknownInput)])
            }
        }

        // MARK: Shift

        func home(entry: Entry?) -> Reply<State> {
            context.show(MassChangeText.home,
                         buttons: [[say.staffButton(MassChangeButton.shiftDay, Action.month(MonthIndex.of(today)))],
                                   [say.staffButton(MassChangeButton.moveService, Action.sources)],
                                   [say.staffButton(StaffButton.back, StaffMenuFlow.Action.home)]],
                         entry: entry, next: .open(State()))
        }

        /// The month's days, the past ones without a way in; ◀ ▶ between this month and a year ahead.
        func pickDay(_ index: Int, entry: Entry) -> Reply<State> {
            guard let first = MonthIndex.firstDay(index) else { return context.alertOnly(.invalidButton) }
            let noop = { (label: MassChangeButton) in say.staffButton(label, CoreAction.noop) }
            var grid: [[InlineButton]] = [[say.staffButton(MassChangeButton.previousMonth, Action.month(index - 1)),
                                           noop(.monthTitle(first)),
                                           say.staffButton(MassChangeButton.nextMonth, Action.month(index + 1))]]
            grid.append(Weekday.allCases.map { noop(.weekday($0)) })
            var week: [InlineButton] = Array(repeating: noop(.emptyDay), count: first.weekday.rawValue - 1)
            var date = first
            while date.month == first.month {
                let past = date < today
                week.append(past ? noop(.day(date.day, past: true)) : say.staffButton(MassChangeButton.day(date.day, past: false),
                                                                                       Action.day(date.dayNumber)))
                if week.count == 7 {
                    grid.append(week)
                    week = []
                }
                date = date.adding(days: 1)
            }
            if !week.isEmpty { grid.append(week + Array(repeating: noop(.emptyDay), count: 7 - week.count)) }
            return context.show(MassChangeText.pickDay, buttons: grid + [[backHome]], entry: entry, next: .open(State()))
        }

        func askMinutes(_ window: ShiftWindow, entry: Entry?) -> Reply<State> {
            context.show(MassChangeText.askMinutes(part(window, minutes: 0)),
                         buttons: [[say.staffButton(MassChangeButton.back, Action.day(window.day.dayNumber))], [toHome]],
                         entry: entry, next: .open(asking(.minutes, window)))
        }

        func minutesAgain(_ problem: MassChangeProblem, window: ShiftWindow, state: State) -> Reply<State> {
            context.show(MassChangeText.again(problem, prompt: .askMinutes(part(window, minutes: 0))),
                         buttons: [[say.staffButton(MassChangeButton.back, Action.day(window.day.dayNumber))], [toHome]],
                         entry: nil, next: .open(asking(.minutes, window)))
        }

        /// Confirm only when there is something to move and nothing in the way; the ids
        /// previewed wait in the state under a new number for that Confirm.
        func preview(_ preview: ShiftPreview, window: ShiftWindow, minutes: Int, changed: Bool, state: State, entry: Entry?) -> Reply<State> {
            guard !preview.lines.isEmpty else { return nothingToShift(window, minutes: minutes, entry: entry) }
            var next = asking(nil, window)
            next.minutes = minutes
            next.serial = (state.serial + 1) % 1000
            var rows: [[InlineButton]] = []
            if preview.canConfirm {
                next.previewed = preview.ids
                rows.append([say.staffButton(MassChangeButton.confirmShift(count: preview.lines.count), Action.confirmShift(serial: next.serial))])
            }
            rows += [[say.staffButton(MassChangeButton.changeMinutes, Action.changeMinutes)], [backHome]]
            let screen = ShiftScreen(part: part(window, minutes: minutes), lines: preview.lines.map(lineText), changed: changed)
            return context.show(MassChangeText.preview(screen), buttons: rows, entry: entry, next: .open(next))
        }

        /// Done: each client told once (all their moved bookings in one message), the staff who take move notices told of each.
        func shifted(_ lines: [MassLine], window: ShiftWindow, minutes: Int, entry: Entry) -> Reply<State> {
            var effects: [Effect] = []
            for (client, theirs) in byClient(lines) {
                effects.append(.notifyClient(client, .shiftedByBusiness(moves: theirs.map {
                    MovedTime(service: $0.service, from: say.local($0.from), to: say.local($0.to))
                })))
            }
            for line in lines {
                effects.append(.notifyStaff(.move, .adminMoved(client: line.client, service: line.service, from: say.local(line.from),
                                                               to: say.local(line.to))))
            }
            let screen = ShiftScreen(part: part(window, minutes: minutes), lines: lines.map(lineText))
            return context.show(MassChangeText.shifted(screen), buttons: [[backHome]], entry: entry, next: .open(State()), effects: effects)
        }

        func nothingToShift(_ window: ShiftWindow, minutes: Int, entry: Entry?) -> Reply<State> {
            context.show(MassChangeText.nothingToShift(part(window, minutes: minutes)),
                         buttons: [[say.staffButton(MassChangeButton.back, Action.month(MonthIndex.of(window.day)))], [toHome]],
                         entry: entry, next: .open(State()))
        }

        func lost(entry: Entry?) -> Reply<State> {
            context.show(MassChangeText.lost, buttons: [[backHome]], entry: entry, next: .open(State()))
        }

        // MARK: Service move

        func sources(entry: Entry) -> Reply<State> {
            let inUse = read.services.filter { !$0.archived }
            let buttons = inUse.map { [say.staffButton(MassChangeButton.service(name: $0.fields.name, durationMinutes: $0.fields.durationMinutes),
                                                       Action.source($0.id))] }
            return context.show(MassChangeText.pickSource(hasServices: !inUse.isEmpty), buttons: buttons + [[backHome]],
                                entry: entry, next: .open(State()))
        }

        /// Active services of the same length, other than the source.
        func targets(of source: StaffService) -> [StaffService] {
            read.services.filter {
                $0.id != source.id && $0.active && !$0.archived && $0.fields.durationMinutes == source.fields.durationMinutes
            }
        }

        func targets(_ source: StaffService, entry: Entry) -> Reply<State> {
            let targets = targets(of: source)
            let buttons = targets.map { [say.staffButton(MassChangeButton.service(name: $0.fields.name, durationMinutes: $0.fields.durationMinutes),
                                                         Action.target(source.id, $0.id))] }
            return context.show(MassChangeText.pickTarget(source: source.fields.name, durationMinutes: source.fields.durationMinutes,
                                                          hasTargets: !targets.isEmpty),
                                buttons: buttons + [[say.staffButton(MassChangeButton.back, Action.sources)]], entry: entry, next: .open(State()))
        }

        func serviceMove(_ action: Action, from: Int64, to: Int64, state: State, outcome: Change.Outcome?, entry: Entry) -> Reply<State> {
            let names = (source: read.services.first { $0.id == from }?.fields.name ?? "", target: read.services.first { $0.id == to }?.fields.name ?? "")
            switch outcome {
            case .moved(.done(let lines))?:
                var effects: [Effect] = []
                for (client, theirs) in byClient(lines) {
                    effects.append(.notifyClient(client, .serviceChangedByBusiness(from: names.source, to: names.target,
                                                                                   starts: theirs.map { say.local($0.from) })))
                }
                let screen = ServiceMoveScreen(source: names.source, target: names.target, lines: lines.map(lineText))
                return context.show(MassChangeText.serviceMoved(screen), buttons: [[backHome]], entry: entry, next: .open(State()),
                                    effects: effects)
            case .moved(.refused(let problem))? where problem != .changed:
                return context.show(MassChangeText.serviceRefused(source: names.source, target: names.target, why: problem.rawValue),
                                    buttons: [[say.staffButton(MassChangeButton.back, Action.sources)], [toHome]], entry: entry,
                                    next: .open(State()))
            default:
                break
            }
            // A preview: first, again after a refusal as changed, or for a Confirm that
            // no longer matches what was previewed. Only targets the screens offer.
            guard let source = read.services.first(where: { $0.id == from }), !source.archived,
                  targets(of: source).contains(where: { $0.id == to }) else {
                return context.show(MassChangeText.serviceRefused(source: names.source, target: names.target, why: "target_unavailable"),
                                    buttons: [[say.staffButton(MassChangeButton.back, Action.sources)], [toHome]], entry: entry,
                                    next: .open(State()))
            }
            let lines = read.serviceBookings.map {
                MassLine(id: $0.id, client: $0.client, service: $0.booking.service.name, from: $0.start, to: $0.start)
            }
            guard !lines.isEmpty else {
                return context.show(MassChangeText.serviceRefused(source: names.source, target: names.target, why: "nothing_to_move"),
                                    buttons: [[say.staffButton(MassChangeButton.back, Action.sources)], [toHome]], entry: entry,
                                    next: .open(State()))
            }
            var next = State()
            (next.source, next.target, next.moving) = (from, to, lines.map(\.id))
            let changed: Bool
            if case .confirmMove = action { changed = true } else { changed = false }
            let screen = ServiceMoveScreen(source: names.source, target: names.target, lines: lines.map(lineText), changed: changed)
            return context.show(MassChangeText.servicePreview(screen),
                                buttons: [[say.staffButton(MassChangeButton.confirmMove(count: lines.count), Action.confirmMove(from, to))],
                                          [say.staffButton(MassChangeButton.back, Action.source(from))], [toHome]],
                                entry: entry, next: .open(next))
        }

        // MARK: Pieces

        func asking(_ asking: State.Asking?, _ window: ShiftWindow) -> State {
            var state = State()
            (state.asking, state.day, state.from, state.to) = (asking, window.day.dayNumber, window.from, window.to)
            return state
        }

        func part(_ window: ShiftWindow, minutes: Int) -> ShiftPart {
            ShiftPart(day: window.day, from: window.from, to: window.to, minutes: minutes)
        }

        func lineText(_ line: MassLine) -> MassLineText {
            MassLineText(from: say.local(line.from), to: say.local(line.to), client: line.client, service: line.service,
                         conflict: line.conflict?.rawValue)
        }

        /// The lines per client, clients in the order of their first line.
        func byClient(_ lines: [MassLine]) -> [(Int64, [MassLine])] {
            var order: [Int64] = []
            var groups: [Int64: [MassLine]] = [:]
            for line in lines {
                if groups[line.client.id] == nil { order.append(line.client.id) }
                groups[line.client.id, default: []].append(line)
            }
            return order.map { ($0, groups[$0] ?? []) }
        }
    }
}
