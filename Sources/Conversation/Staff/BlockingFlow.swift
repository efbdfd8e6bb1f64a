import Booking
import Foundation
import Texts

/// Blocking time (SPEC admin 7), for moderators and super admins: the blocks not yet over,
/// soonest first, each with Unblock; a new block of one slot, a time range of a day, a
/// whole day or a run of days, with a reason. Before it is confirmed the screen lists the
/// confirmed bookings it would cancel (by interval: one that began earlier and ends inside
/// counts); the store blocks and cancels them in one transaction, only if they are still
/// exactly those, and each client is told the reason.
public struct BlockingFlow: Flow {
    public enum Action: FlowAction {
        /// The list of blocks, a page from 0.
        case list(Int)
        case card(Int64)
        /// Asks to confirm the removal.
        case unblock(Int64)
        case confirmUnblock(Int64)
        /// A new block: choose its kind.
        case new
        case kind(BlockKind)
        case month(Int)
        case day(Int)
        case slot(start: Int)
        /// Confirms the previewed block kept in the state (never on the button).
        case confirm

        public static let flow: FlowID = "bl"
        public static let shapes: [String: [ButtonField]] = [
            "l": [.page], "c": [.id], "u": [.id], "uk": [.id], "n": [], "m": [.month], "d": [.day], "t": [.start], "ok": [],
            // One code a kind: every number a button may carry must mean something.
            "ks": [], "kh": [], "kd": [], "kn": [],
        ]

        /// By `BlockKind.rawValue`.
        static let kindCodes = ["ks", "kh", "kd", "kn"]

        public var encoded: ButtonCode {
            switch self {
            case .list(let page): return ButtonCode("l", [page])
            case .card(let id): return ButtonCode("c", [Int(id)])
            case .unblock(let id): return ButtonCode("u", [Int(id)])
            case .confirmUnblock(let id): return ButtonCode("uk", [Int(id)])
            case .new: return ButtonCode("n")
            case .kind(let kind): return ButtonCode(Self.kindCodes[kind.rawValue])
            case .month(let month): return ButtonCode("m", [month])
            case .day(let day): return ButtonCode("d", [day])
            case .slot(let start): return ButtonCode("t", [start])
            case .confirm: return ButtonCode("ok")
            }
        }

        public init?(code: String, numbers n: [Int]) {
            switch (code, n.count) {
            case ("l", 1): self = .list(n[0])
            case ("c", 1): self = .card(Int64(n[0]))
            case ("u", 1): self = .unblock(Int64(n[0]))
            case ("uk", 1): self = .confirmUnblock(Int64(n[0]))
            case ("n", 0): self = .new
            case (let code, 0) where Self.kindCodes.contains(code):
                guard let index = Self.kindCodes.firstIndex(of: code), let kind = BlockKind(rawValue: index) else { return nil }
                self = .kind(kind)
            case ("m", 1): self = .month(n[0])
            case ("d", 1): self = .day(n[0])
            case ("t", 1): self = .slot(start: n[0])
            case ("ok", 0): self = .confirm
            default: return nil
            }
        }
    }

    /// A new block under way, kept between updates: its kind, its day(s), its range once
    /// known, the reason, and the bookings its preview showed.
    public struct State: Codable, Sendable, Equatable {
        public enum Asking: String, Codable, Sendable { case times, reason }

        public var kind: BlockKind?
        /// The day picked (the first of a run of days).
        public var day: Int?
        /// The range, in `MinuteStamp`s, once known.
        public var start: Int?
        public var end: Int?
        public var asking: Asking?
        public var reason: String?
        /// The confirmed bookings the preview listed.
        public var expected: [Int64]?

        public init(kind: BlockKind? = nil, day: Int? = nil, start: Int? = nil, end: Int? = nil, asking: Asking? = nil,
                    reason: String? = nil, expected: [Int64]? = nil) {
            self.kind = kind
            self.day = day
            self.start = start
            self.end = end
            self.asking = asking
            self.reason = reason
            self.expected = expected
        }

        var range: TimeRange? {
            guard let start, let end, start < end else { return nil }
            return TimeRange(start: MinuteStamp.date(start), end: MinuteStamp.date(end))
        }
    }

    public struct Query: FlowQuery {
        var page: Int?
        var block: Int64?
        var preview: TimeRange?

        public func read(from store: any StoreReads) throws -> Result {
            Result(page: try page.map { try store.currentBlocks(offset: $0 * BlockingFlow.pageSize, limit: BlockingFlow.pageSize) },
                   block: try block.flatMap { try store.block($0) },
                   preview: try preview.map { try store.confirmedBookings(overlapping: $0, limit: BlockingFlow.mostCancelled + 1) })
        }

        public struct Result: Sendable {
            var page: BlockPage?
            var block: BlockInfo?
            var preview: [StaffBooking]?
        }
    }

    public enum Change: FlowChange {
        case create(BlockRequest)
        case remove(Int64)

        public enum Outcome: Sendable, Equatable {
            case created(BlockingOutcome)
            case removed(BlockInfo?)
        }

        public func apply(to store: any StoreChanges, by actor: ChangeActor) throws -> Outcome {
            switch self {
            case .create(let request):
                // Checked again here, at commit: a stale or replayed confirm must not block
                // the past, nothing, years, or with a reason the screens would refuse.
                if let problem = request.problem { return .created(.refused(problem)) }
                return .created(try store.block(request.range, reason: request.reason, expecting: request.expected, by: actor))
            case .remove(let id):
                return .removed(try store.unblock(id))
            }
        }

        public func audit(of outcome: Outcome?) -> AuditAction? {
            switch (self, outcome) {
            case (.create(let request), .created(let result)?):
                switch result {
                case .done(let block, let cancelled):
                    return .blockCreated(block: block, range: request.range, reason: request.reason, cancelled: cancelled.count, outcome: .done)
                case .changed:
                    return .blockCreated(block: nil, range: request.range, reason: request.reason, cancelled: 0,
                                         outcome: .refused("bookings_changed"))
                case .refused(let problem):
                    return .blockCreated(block: nil, range: request.range, reason: request.reason, cancelled: 0,
                                         outcome: .refused(problem.rawValue))
                }
            case (.create(let request), _):
                return .blockCreated(block: nil, range: request.range, reason: request.reason, cancelled: 0, outcome: .refused("no_access"))
            case (.remove(let id), .removed(let block)?):
                return .blockRemoved(block: id, range: block?.range, reason: block?.reason, outcome: block == nil ? .refused("not_found") : .done)
            case (.remove(let id), _):
                return .blockRemoved(block: id, range: nil, reason: nil, outcome: .refused("no_access"))
            }
        }
    }

    static let pageSize = 8
    /// Bookings named on a preview; the count above it is always whole.
    static let previewLimit = 30
    /// A block cancelling more than this at once is refused: too much to check on one screen.
    static let mostCancelled = 500
    /// What a typed time range may be at most, before it is read.
    static let timesLength = 40

    public init() {}

    public func awaitsText(_ state: State) -> Bool { state.asking != nil }

    public func plan(_ event: Event<Action>, state: State?, in context: Context) -> Plan<Query, Change> {
        switch event {
        case .opened:
            return Plan(query: Query(page: 0))
        case .typed(let text):
            guard let state, state.asking == .reason, let range = state.range, BlockingFlow.reason(text) != nil else { return Plan(query: Query()) }
            return Plan(query: Query(preview: range))
        case .pressed(let action, _):
            switch action {
            case .list(let page): return Plan(query: Query(page: page))
            case .card(let id), .unblock(let id): return Plan(query: Query(block: id))
            case .confirmUnblock(let id): return Plan(query: Query(), change: .remove(id))
            case .confirm:
                guard let state, let range = state.range, let reason = state.reason, let expected = state.expected else {
                    return Plan(query: Query())
                }
                let bounds = BlockBounds(context)
                // The preview is read after the change: when the bookings changed meanwhile,
                // it shows them as they are now.
                return Plan(query: Query(preview: range), change: .create(BlockRequest(range: range, reason: reason, expected: Set(expected), now: context.now,
                                                                        earliest: bounds.earliest, latest: bounds.latest,
                                                                        mostCancelled: Self.mostCancelled)))
            case .new, .kind, .month, .day, .slot:
                return Plan(query: Query())
            }
        }
    }

    public func respond(_ event: Event<Action>, state: State?, read: Query.Result, outcome: Change.Outcome?,
                        in context: Context) -> Reply<State> {
        let screens = Screens(context: context, read: read)
        switch event {
        case .opened:
            return screens.list(page: 0, entry: nil)
        case .typed(let text):
            return screens.typed(text, state: state ?? State())
        case .pressed(let action, let entry):
            return screens.pressed(action, entry: entry, state: state ?? State(), outcome: outcome)
        }
    }

    /// The reason as it is kept, or nil when `BlockReasonInput` refuses it.
    static func reason(_ typed: String) -> String? {
        let reason = BlockReasonInput.clean(typed)
        return BlockReasonInput.problem(reason) == nil ? reason : nil
    }

    /// The screens of one step, over what it read.
    private struct Screens {
        let context: Context
        let read: Query.Result

        var say: Speaker { context.say }
        var bounds: BlockBounds { BlockBounds(context) }
        var backToList: InlineButton { say.staffButton(BlockingButton.backToList, Action.list(0)) }
        var menu: InlineButton { say.staffButton(StaffButton.back, StaffMenuFlow.Action.home) }

        func pressed(_ action: Action, entry: Entry, state: State, outcome: Change.Outcome?) -> Reply<State> {
            switch action {
            case .list(let page):
                return list(page: page, entry: entry)
            case .card(let id):
                guard let block = read.block else { return notFound(entry: entry) }
                return card(block, entry: entry, id: id)
            case .unblock:
                guard let block = read.block, block.range.end > context.now else { return notFound(entry: entry) }
                return context.show(BlockingText.confirmUnblock(span(block.range), reason: block.reason),
                                    buttons: [[say.staffButton(BlockingButton.confirmUnblock, Action.confirmUnblock(block.id))],
                                              [say.staffButton(BlockingButton.backToBlock, Action.card(block.id))]],
                                    entry: entry, next: .open(State()))
            case .confirmUnblock:
                guard case .removed(let removed)? = outcome, let block = removed else { return notFound(entry: entry) }
                return context.show(BlockingText.unblocked(span(block.range)), buttons: [[backToList], [menu]], entry: entry,
                                    next: .open(State()))
            case .new:
                return context.show(BlockingText.chooseKind,
                                    buttons: BlockKind.allCases.map { [say.staffButton(BlockingButton.kind($0), Action.kind($0))] }
                                        + [[backToList]],
                                    entry: entry, next: .open(State()))
            case .kind(let kind):
                return month(MonthIndex.of(context.today), state: State(kind: kind), entry: entry)
            case .month(let index):
                guard state.kind != nil else { return lost(entry: entry) }
                guard (MonthIndex.of(bounds.firstDay)...MonthIndex.of(bounds.lastDay)).contains(index) else {
                    return context.alertOnly(.invalidButton)
                }
                return month(index, state: state, entry: entry)
            case .day(let number):
                return day(number, state: state, entry: entry)
            case .slot(let minutes):
                return slot(minutes, state: state, entry: entry)
            case .confirm:
                return confirmed(outcome, state: state, entry: entry)
            }
        }

        // MARK: The list and a block's card

        func list(page: Int, entry: Entry?) -> Reply<State> {
            let read = self.read.page ?? BlockPage(blocks: [], total: 0)
            let pages = max(1, (read.total + BlockingFlow.pageSize - 1) / BlockingFlow.pageSize)
            if page >= pages { return context.alertOnly(.invalidButton) }
            var paging: [InlineButton] = []
            if page > 0 { paging.append(say.staffButton(StaffButton.previousPage, Action.list(page - 1))) }
            if page + 1 < pages { paging.append(say.staffButton(StaffButton.nextPage, Action.list(page + 1))) }
            let blocks = read.blocks.map { [say.staffButton(BlockingButton.block(span($0.range), reason: $0.reason), Action.card($0.id))] }
            return context.show(BlockingText.list(total: read.total, page: page + 1, pages: pages),
                                buttons: blocks + (paging.isEmpty ? [] : [paging])
                                    + [[say.staffButton(BlockingButton.new, Action.new)], [menu]],
                                entry: entry, next: .open(State()))
        }

        func card(_ block: BlockInfo, entry: Entry, id: Int64) -> Reply<State> {
            let over = block.range.end <= context.now
            var rows: [[InlineButton]] = over ? [] : [[say.staffButton(BlockingButton.unblock, Action.unblock(block.id))]]
            rows.append([backToList])
            return context.show(BlockingText.card(span(block.range), reason: block.reason, over: over), buttons: rows, entry: entry,
                                next: .open(State()))
        }

        func notFound(entry: Entry) -> Reply<State> {
            context.show(BlockingText.notFound, buttons: [[backToList], [menu]], entry: entry, next: .open(State()))
        }

        func lost(entry: Entry?) -> Reply<State> {
            context.show(BlockingText.lost, buttons: [[say.staffButton(BlockingButton.new, Action.new)], [backToList]], entry: entry,
                         next: .open(State()))
        }

        // MARK: Choosing the time

        /// A month of days to pick from: today through the last day a block may reach.
        func month(_ index: Int, state: State, entry: Entry?) -> Reply<State> {
            guard let first = MonthIndex.firstDay(index), let kind = state.kind else { return lost(entry: entry) }
            let noop = { (label: Texts.Button) in say.button(label, CoreAction.noop) }
            var grid: [[InlineButton]] = [[index > MonthIndex.of(bounds.firstDay) ? say.button(.previousMonth, Action.month(index - 1)) : noop(.emptyDay),
                                           noop(.monthTitle(first)),
                                           index < MonthIndex.of(bounds.lastDay) ? say.button(.nextMonth, Action.month(index + 1)) : noop(.emptyDay)]]
            grid.append(Weekday.allCases.map { noop(.weekday($0)) })
            var week: [InlineButton] = Array(repeating: noop(.emptyDay), count: first.weekday.rawValue - 1)
            let last = first.lastOfMonth(addingMonths: 0)
            // A run of days ends on or after its first day.
            let earliest = kind == .days ? max(bounds.firstDay, LocalDate(dayNumber: state.day ?? 0)) : bounds.firstDay
            var date = first
            while date <= last {
                if date >= earliest, date <= bounds.lastDay {
                    week.append(say.staffButton(BlockingButton.day(date.day, picked: state.kind == .days && state.day == date.dayNumber),
                                                Action.day(date.dayNumber)))
                } else {
                    week.append(noop(.emptyDay))
                }
                if week.count == 7 {
                    grid.append(week)
                    week = []
                }
                date = date.adding(days: 1)
            }
            if !week.isEmpty { grid.append(week + Array(repeating: noop(.emptyDay), count: 7 - week.count)) }
            let text: BlockingText = kind == .days && state.day != nil
                ? .pickLastDay(first: LocalDate(dayNumber: state.day ?? 0)) : .pickDay(kind)
            return context.show(text, buttons: grid + [[say.staffButton(BlockingButton.backToKinds, Action.new)]], entry: entry,
                                next: .open(state))
        }

        func day(_ number: Int, state: State, entry: Entry) -> Reply<State> {
            guard let kind = state.kind else { return lost(entry: entry) }
            let date = LocalDate(dayNumber: number)
            guard date >= bounds.firstDay, date <= bounds.lastDay else { return context.alertOnly(.invalidButton) }
            let clock = context.clock
            switch kind {
            case .day:
                return askReason(State(kind: kind, day: number, start: MinuteStamp.of(clock.startOfDay(date)),
                                       end: MinuteStamp.of(clock.startOfDay(date.adding(days: 1))), asking: .reason), entry: entry)
            case .days:
                guard let firstNumber = state.day else {
                    return month(MonthIndex.of(date), state: State(kind: kind, day: number), entry: entry)
                }
                let first = LocalDate(dayNumber: firstNumber)
                guard first <= date else { return context.alertOnly(.invalidButton) }
                return askReason(State(kind: kind, day: firstNumber, start: MinuteStamp.of(clock.startOfDay(first)),
                                       end: MinuteStamp.of(clock.startOfDay(date.adding(days: 1))), asking: .reason), entry: entry)
            case .hours:
                return context.show(BlockingText.askTimes(date), buttons: [[say.staffButton(BlockingButton.backToKinds, Action.new)]],
                                    entry: entry, next: .open(State(kind: kind, day: number, asking: .times)))
            case .slot:
                let starts = slotStarts(on: date)
                let buttons = context.rows(starts.map { start in
                    say.staffButton(BlockingButton.slot(LocalDateTime(start, clock: clock)), Action.slot(start: MinuteStamp.of(start)))
                }, perRow: 4)
                return context.show(BlockingText.pickSlot(date, count: starts.count),
                                    buttons: buttons + [[say.staffButton(BlockingButton.otherDay, Action.month(MonthIndex.of(date)))],
                                                        [say.staffButton(BlockingButton.backToKinds, Action.new)]],
                                    entry: entry, next: .open(State(kind: kind, day: number)))
            }
        }

        /// The slots of a day on the booking grid (work hours, slot step) not yet over.
        func slotStarts(on date: LocalDate) -> [Date] {
            guard let hours = context.rules.schedule.hours(on: date.weekday) else { return [] }
            let step = max(context.rules.slotStepMinutes, 5)
            return stride(from: hours.open, to: hours.close, by: step).compactMap { minute in
                guard let start = context.clock.instant(of: date, minute: minute),
                      start.addingTimeInterval(Double(step) * 60) > context.now else { return nil }
                return start
            }
        }

        func slot(_ minutes: Int, state: State, entry: Entry) -> Reply<State> {
            guard state.kind == .slot, let day = state.day else { return lost(entry: entry) }
            let start = MinuteStamp.date(minutes)
            guard slotStarts(on: LocalDate(dayNumber: day)).contains(start) else { return context.alertOnly(.invalidButton) }
            let step = max(context.rules.slotStepMinutes, 5)
            return askReason(State(kind: .slot, day: day, start: minutes, end: minutes + step, asking: .reason), entry: entry)
        }

        func askReason(_ state: State, entry: Entry?) -> Reply<State> {
            guard let range = state.range else { return lost(entry: entry) }
            return context.show(BlockingText.askReason(span(range)), buttons: [[say.staffButton(BlockingButton.backToKinds, Action.new)]],
                                entry: entry, next: .open(state))
        }

        // MARK: Typed answers

        func typed(_ text: String, state: State) -> Reply<State> {
            switch state.asking {
            case .times?:
                guard let number = state.day else { return lost(entry: nil) }
                let date = LocalDate(dayNumber: number)
                switch BlockTimes.parse(text, on: date, clock: context.clock, now: context.now, maxLength: BlockingFlow.timesLength) {
                case .success(let range):
                    return askReason(State(kind: state.kind, day: number, start: MinuteStamp.of(range.start), end: MinuteStamp.of(range.end),
                                           asking: .reason), entry: nil)
                case .failure(let problem):
                    return context.show(BlockingText.timesAgain(problem, date), buttons: [[say.staffButton(BlockingButton.backToKinds, Action.new)]],
                                        entry: nil, next: .open(state))
                }
            case .reason?:
                guard let range = state.range else { return lost(entry: nil) }
                let cleaned = BlockReasonInput.clean(text)
                if let problem = BlockReasonInput.problem(cleaned) {
                    return context.show(FieldAgain(problem: problem, prompt: BlockingText.askReason(span(range))),
                                        buttons: [[say.staffButton(BlockingButton.backToKinds, Action.new)]], entry: nil, next: .open(state))
                }
                var next = state
                next.reason = cleaned
                next.asking = nil
                return preview(read.preview ?? [], state: next, changed: false, entry: nil)
            case nil:
                return context.keep([say.menu(.unknownInput)])
            }
        }

        // MARK: The preview and its confirmation

        func preview(_ bookings: [StaffBooking], state: State, changed: Bool, entry: Entry?) -> Reply<State> {
            guard let range = state.range, let reason = state.reason else { return lost(entry: entry) }
            var next = state
            next.expected = bookings.map(\.booking.id)
            let lines = bookings.prefix(BlockingFlow.previewLimit).map { booking in
                BlockBookingLine(client: booking.client, service: booking.booking.service.name, start: say.local(booking.booking.start))
            }
            // More than the preview read is "at least"; the store counts exactly at confirm.
            let tooMany = bookings.count > BlockingFlow.mostCancelled
            var rows: [[InlineButton]] = tooMany ? [] : [[say.staffButton(BlockingButton.confirm(cancelling: bookings.count), Action.confirm)]]
            rows.append([say.staffButton(BlockingButton.backToKinds, Action.new)])
            rows.append([say.button(.cancel, CoreAction.close)])
            return context.show(BlockingText.preview(span(range), reason: reason, count: bookings.count, lines: lines,
                                                     more: max(0, bookings.count - lines.count), changed: changed, tooMany: tooMany),
                                buttons: rows, entry: entry, next: .open(next))
        }

        func confirmed(_ outcome: Change.Outcome?, state: State, entry: Entry) -> Reply<State> {
            guard case .created(let result)? = outcome, let range = state.range else { return lost(entry: entry) }
            switch result {
            case .done(_, let cancelled):
                let reason = state.reason ?? ""
                let effects: [Effect] = cancelled.flatMap { booking -> [Effect] in
                    let summary = say.summary(booking.booking)
                    return [.notifyClient(booking.client.id, .cancelledByBlock(booking: summary, reason: reason)),
                            .notifyStaff(.cancellation, .adminCancelled(client: booking.client, booking: summary, reason: reason))]
                }
                return context.show(BlockingText.blocked(span(range), cancelled: cancelled.count), buttons: [[backToList], [menu]],
                                    entry: entry, next: .open(State()), effects: effects)
            case .changed:
                return preview(read.preview ?? [], state: state, changed: true, entry: entry)
            case .refused(let problem):
                return context.show(BlockingText.refused(problem.rawValue), buttons: [[say.staffButton(BlockingButton.new, Action.new)], [backToList]],
                                    entry: entry, next: .open(State()))
            }
        }

        func span(_ range: TimeRange) -> BlockSpan {
            BlockSpan(from: say.local(range.start), to: say.local(range.end))
        }
    }
}

/// The days a new block may cover: from today through a year past the booking horizon.
struct BlockBounds {
    let firstDay: LocalDate
    let lastDay: LocalDate
    let earliest: Date
    let latest: Date

    init(_ context: Context) {
        firstDay = context.today
        lastDay = context.rules.horizonEnd(now: context.now).lastOfMonth(addingMonths: 12)
        earliest = context.clock.startOfDay(firstDay)
        latest = context.clock.startOfDay(lastDay.adding(days: 1))
    }
}

/// A time range typed for one day, "10:00-14:30": each number's digits and range checked
/// before any arithmetic; "24:00" ends the day.
enum BlockTimes {
    static func parse(_ text: String, on date: LocalDate, clock: BusinessClock, now: Date, maxLength: Int) -> Result<TimeRange, BlockTimesProblem> {
        guard text.count <= maxLength, text.unicodeScalars.count <= maxLength * 4 else { return .failure(.format) }
        guard let (from, to) = TypedClock.span(text) else { return .failure(.format) }
        guard from < to, from < 1440 else { return .failure(.reversed) }
        guard let start = clock.instant(of: date, minute: from),
              let end = to == 1440 ? clock.startOfDay(date.adding(days: 1)) : clock.instant(of: date, minute: to) else {
            return .failure(.skipped)
        }
        guard start < end else { return .failure(.reversed) }
        guard end > now else { return .failure(.past) }
        return .success(TimeRange(start: start, end: end))
    }

}
