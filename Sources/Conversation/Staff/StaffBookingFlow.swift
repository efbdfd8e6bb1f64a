import Booking
import Foundation
import Texts

/// A booking's card for staff (SPEC admin 3): client, service, time, status, and who
/// cancelled it and why. A confirmed booking is cancelled (the reason asked, then
/// confirmed) or moved (the client's calendar, for its own length) while it is ahead, and
/// marked completed or a no-show once it has begun. Every change is the store's, with the
/// staff rules, at commit; the client is told, and so are the other staff who take notices.
public struct StaffBookingFlow: Flow {
    public enum Action: FlowAction {
        case card(Int64)
        /// Asks for the reason.
        case cancel(Int64)
        /// Cancels with the reason typed (kept in the state, never on a button).
        case confirmCancel(Int64)
        case move(Int64)
        case moveMonth(Int64, month: Int)
        case moveDay(Int64, day: Int)
        case moveSlot(Int64, start: Int)
        case confirmMove(Int64, start: Int)
        case close(Int64, VisitOutcome)

        public static let flow: FlowID = "sb"
        public static let shapes: [String: [ButtonField]] = [
            "k": [.id], "x": [.id], "xk": [.id], "m": [.id], "mm": [.id, .month], "md": [.id, .day], "mt": [.id, .start],
            "mk": [.id, .start], "c": [.id], "n": [.id],
        ]

        public var encoded: ButtonCode {
            switch self {
            case .card(let id): return ButtonCode("k", [Int(id)])
            case .cancel(let id): return ButtonCode("x", [Int(id)])
            case .confirmCancel(let id): return ButtonCode("xk", [Int(id)])
            case .move(let id): return ButtonCode("m", [Int(id)])
            case .moveMonth(let id, let month): return ButtonCode("mm", [Int(id), month])
            case .moveDay(let id, let day): return ButtonCode("md", [Int(id), day])
            case .moveSlot(let id, let start): return ButtonCode("mt", [Int(id), start])
            case .confirmMove(let id, let start): return ButtonCode("mk", [Int(id), start])
            case .close(let id, .completed): return ButtonCode("c", [Int(id)])
            case .close(let id, .noShow): return ButtonCode("n", [Int(id)])
            }
        }

        public init?(code: String, numbers n: [Int]) {
            switch (code, n.count) {
            case ("k", 1): self = .card(Int64(n[0]))
            case ("x", 1): self = .cancel(Int64(n[0]))
            case ("xk", 1): self = .confirmCancel(Int64(n[0]))
            case ("m", 1): self = .move(Int64(n[0]))
            case ("mm", 2): self = .moveMonth(Int64(n[0]), month: n[1])
            case ("md", 2): self = .moveDay(Int64(n[0]), day: n[1])
            case ("mt", 2): self = .moveSlot(Int64(n[0]), start: n[1])
            case ("mk", 2): self = .confirmMove(Int64(n[0]), start: n[1])
            case ("c", 1): self = .close(Int64(n[0]), .completed)
            case ("n", 1): self = .close(Int64(n[0]), .noShow)
            default: return nil
            }
        }

        var booking: Int64 {
            switch self {
            case .card(let id), .cancel(let id), .confirmCancel(let id), .move(let id), .moveMonth(let id, _), .moveDay(let id, _),
                 .moveSlot(let id, _), .confirmMove(let id, _), .close(let id, _):
                return id
            }
        }
    }

    /// A cancellation under way: waiting for its reason (`reason` nil), then for Confirm.
    public struct State: Codable, Sendable, Equatable {
        public var cancelling: Int64?
        public var reason: String?

        public init(cancelling: Int64? = nil, reason: String? = nil) {
            self.cancelling = cancelling
            self.reason = reason
        }
    }

    public struct Query: FlowQuery {
        var booking: Int64?
        var days: DaysQuery?

        public func read(from store: any StoreReads) throws -> Result {
            Result(booking: try booking.flatMap { try store.staffBooking($0) }, occupancy: try days?.read(from: store) ?? .empty)
        }

        public struct Result: Sendable {
            var booking: StaffBooking?
            var occupancy: Occupancy
        }
    }

    /// The business changing a client's booking (the store applies the staff rules).
    public enum Change: FlowChange {
        case cancel(booking: Int64, reason: String)
        case move(booking: Int64, to: Date)
        case close(booking: Int64, as: VisitOutcome)

        public enum Outcome: Sendable, Equatable {
            case cancelled(ChangeResult<ClientBooking>)
            case moved(ChangeResult<BookingMove>)
            case closed(ChangeResult<ClientBooking>)
        }

        public func apply(to store: any StoreChanges, by actor: ChangeActor) throws -> Outcome {
            switch self {
            case .cancel(let booking, let reason): return .cancelled(try store.cancel(booking: booking, by: actor, reason: reason))
            case .move(let booking, let start): return .moved(try store.move(booking: booking, to: start, by: actor))
            case .close(let booking, let outcome): return .closed(try store.closeVisit(booking: booking, as: outcome, by: actor))
            }
        }

        /// Honest either way: a refusal for lack of access, or by the store, never reads as done.
        public func audit(of outcome: Outcome?) -> AuditAction? {
            let noAccess = AuditOutcome.refused("no_access")
            switch (self, outcome) {
            case (.cancel(let booking, let reason), .cancelled(let result)?):
                return .bookingCancelled(booking: booking, client: result.value?.clientID, reason: reason, outcome: result.auditOutcome)
            case (.cancel(let booking, let reason), _):
                return .bookingCancelled(booking: booking, client: nil, reason: reason, outcome: noAccess)
            case (.move(let booking, let start), .moved(let result)?):
                return .bookingMoved(booking: booking, client: result.value?.from.clientID, from: result.value?.from.start, to: start,
                                     outcome: result.auditOutcome)
            case (.move(let booking, let start), _):
                return .bookingMoved(booking: booking, client: nil, from: nil, to: start, outcome: noAccess)
            case (.close(let booking, let visit), .closed(let result)?):
                return .bookingClosed(booking: booking, client: result.value?.clientID, as: visit, outcome: result.auditOutcome)
            case (.close(let booking, let visit), _):
                return .bookingClosed(booking: booking, client: nil, as: visit, outcome: noAccess)
            }
        }
    }

    /// A cancellation's reason, in characters (Unicode scalars, as PostgreSQL counts).
    static let reasonLength = 1...500

    public init() {}

    public func awaitsText(_ state: State) -> Bool { state.cancelling != nil && state.reason == nil }

    public func plan(_ event: Event<Action>, state: State?, in context: Context) -> Plan<Query, Change> {
        switch event {
        case .opened:
            return Plan(query: Query())
        case .typed:
            return Plan(query: Query(booking: state?.cancelling))
        case .pressed(let action, _):
            let id = action.booking
            switch action {
            case .card, .cancel, .move:
                let days: DaysQuery? = action == .move(id) ? DaysQuery.month(MonthIndex.of(context.today))?.excluding(id) : nil
                return Plan(query: Query(booking: id, days: days))
            case .confirmCancel:
                guard let state, state.cancelling == id, let reason = state.reason else { return Plan(query: Query(booking: id)) }
                return Plan(query: Query(booking: id), change: .cancel(booking: id, reason: reason))
            case .moveMonth(_, let month):
                return Plan(query: Query(booking: id, days: DaysQuery.month(month)?.excluding(id)))
            case .moveDay(_, let day):
                return Plan(query: Query(booking: id, days: DaysQuery.day(LocalDate(dayNumber: day)).excluding(id)))
            case .moveSlot(_, let start):
                return Plan(query: Query(booking: id, days: DaysQuery.day(ofStart: start, clock: context.clock).excluding(id)))
            case .confirmMove(_, let start):
                return Plan(query: Query(booking: id, days: DaysQuery.day(ofStart: start, clock: context.clock).excluding(id)),
                            change: .move(booking: id, to: MinuteStamp.date(start)))
            case .close(_, let visit):
                return Plan(query: Query(booking: id), change: .close(booking: id, as: visit))
            }
        }
    }

    public func respond(_ event: Event<Action>, state: State?, read: Query.Result, outcome: Change.Outcome?,
                        in context: Context) -> Reply<State> {
        let screens = Screens(context: context, read: read)
        switch event {
        case .opened:
            return context.keep([context.say.menu(.unknownInput)])
        case .typed(let text):
            return screens.reasonTyped(text, state: state ?? State())
        case .pressed(let action, let entry):
            return screens.pressed(action, entry: entry, state: state, outcome: outcome)
        }
    }

    /// The screens of one step, over what it read.
    private struct Screens {
        let context: Context
        let read: Query.Result

        var say: Speaker { context.say }
        var calendar: CalendarScreens { CalendarScreens(context: context, occupancy: read.occupancy) }

        func pressed(_ action: Action, entry: Entry, state: State?, outcome: Change.Outcome?) -> Reply<State> {
            switch (action, outcome) {
            case (.confirmCancel, .cancelled(let result)?):
                return cancelled(result, entry: entry)
            case (.confirmCancel, _):
                return context.show(ScheduleText.reasonLost, buttons: [[back(action.booking)]], entry: entry, next: .open(State()))
            case (.confirmMove(_, let start), .moved(let result)?):
                return moved(result, start: MinuteStamp.date(start), entry: entry)
            case (.close(_, let visit), .closed(let result)?):
                return closed(result, visit: visit, entry: entry)
            default:
                break
            }
            guard let booking = read.booking else { return notFound(entry: entry) }
            if case .card = action { return card(booking, notice: nil, entry: entry) }
            // Everything else changes a confirmed booking: say so when it no longer is, or
            // when its visit has begun.
            guard booking.state == .confirmed else { return card(booking, notice: .noLongerConfirmed, entry: entry) }
            if booking.start <= context.now { return card(booking, notice: .started, entry: entry) }
            let summary = card(of: booking)
            switch action {
            case .cancel(let id):
                return context.show(ScheduleText.askReason(summary), buttons: [[back(id)]], entry: entry, next: .open(State(cancelling: id)))
            case .move, .moveMonth:
                var index = MonthIndex.of(context.today)
                if case .moveMonth(_, let month) = action { index = month }
                if let alert = calendar.monthRefusal(index) { return context.alertOnly(alert) }
                guard let first = MonthIndex.firstDay(index) else { return context.alertOnly(.invalidButton) }
                let grid = calendar.monthGrid(month: first, durationMinutes: booking.booking.durationMinutes, buttons: buttons(booking.id))
                return context.show(ScheduleText.moveCalendar(summary), buttons: grid + [[back(booking.id)]], entry: entry, next: .open(State()))
            case .moveDay(_, let day):
                let date = LocalDate(dayNumber: day)
                if let alert = calendar.dayRefusal(date, durationMinutes: booking.booking.durationMinutes) { return context.alertOnly(alert) }
                return slots(booking, on: date, text: ScheduleText.moveSlots(summary, date: date,
                                                                             freeCount: freeStarts(booking, on: date).count), entry: entry)
            case .moveSlot(_, let minutes):
                let start = MinuteStamp.date(minutes)
                let request = SlotRequest(start: start, durationMinutes: booking.booking.durationMinutes,
                                          serviceActive: booking.booking.service.bookable)
                let date = context.clock.localDate(of: start)
                if let refusal = context.rules.refusal(for: .move(request, currentStart: booking.start), by: .admin, now: context.now,
                                                       occupancy: read.occupancy) {
                    return slots(booking, on: date, text: ScheduleText.moveRefused(summary, refusal: refusal), entry: entry)
                }
                return context.show(ScheduleText.confirmMove(summary, to: say.local(start)),
                                    buttons: [[say.staffButton(ScheduleButton.confirmMove, Action.confirmMove(booking.id, start: minutes))],
                                              [say.staffButton(StaffButton.back, Action.moveDay(booking.id, day: date.dayNumber))],
                                              [back(booking.id)]],
                                    entry: entry, next: .open(State()))
            default:
                // A change the store did not run (it is planned for every such press).
                return card(booking, notice: nil, entry: entry)
            }
        }

        func reasonTyped(_ text: String, state: State) -> Reply<State> {
            let clearing: [Outgoing] = context.openMessageID.map { [.clearButtons(messageID: $0)] } ?? []
            var reply: Reply<State>
            if let booking = read.booking, booking.state == .confirmed, booking.start > context.now {
                let summary = card(of: booking)
                if let reason = StaffBookingFlow.reason(text) {
                    reply = context.show(ScheduleText.confirmCancel(summary, reason: reason),
                                         buttons: [[say.staffButton(ScheduleButton.confirmCancel, Action.confirmCancel(booking.id))],
                                                   [back(booking.id)]],
                                         entry: nil, next: .open(State(cancelling: booking.id, reason: reason)))
                } else {
                    let bounds = StaffBookingFlow.reasonLength
                    reply = context.show(FieldAgain(problem: .length(min: bounds.lowerBound, max: bounds.upperBound),
                                                    prompt: ScheduleText.askReason(summary)),
                                         buttons: [[back(booking.id)]], entry: nil, next: .open(state))
                }
            } else if let booking = read.booking {
                reply = card(booking, notice: booking.state == .confirmed ? .started : .noLongerConfirmed, entry: nil)
            } else {
                reply = notFound(entry: nil)
            }
            reply.replies = clearing + reply.replies
            return reply
        }

        // MARK: Outcomes

        private func cancelled(_ result: ChangeResult<ClientBooking>, entry: Entry) -> Reply<State> {
            guard let booking = read.booking else { return notFound(entry: entry) }
            switch result {
            case .done:
                let summary = say.summary(booking.booking)
                let reason = booking.cancelReason ?? ""
                return card(booking, notice: .cancelled, entry: entry, effects: [
                    .notifyClient(booking.client.id, .cancelledByBusiness(booking: summary, reason: reason)),
                    .notifyStaff(.cancellation, .adminCancelled(client: booking.client, booking: summary, reason: reason)),
                ])
            case .refused:
                return card(booking, notice: booking.state == .confirmed ? .started : .noLongerConfirmed, entry: entry)
            case .notFound:
                return card(booking, notice: .noLongerConfirmed, entry: entry)
            }
        }

        private func moved(_ result: ChangeResult<BookingMove>, start: Date, entry: Entry) -> Reply<State> {
            guard let booking = read.booking else { return notFound(entry: entry) }
            switch result {
            case .done(let move):
                let (from, to) = (say.local(move.from.start), say.local(move.to.start))
                return card(booking, notice: .moved(from: from), entry: entry, effects: [
                    .notifyClient(booking.client.id, .movedByBusiness(service: move.to.service.name, from: from, to: to, reason: "")),
                    .notifyStaff(.move, .adminMoved(client: booking.client, service: move.to.service.name, from: from, to: to)),
                ])
            case .refused(let refusal):
                guard booking.state == .confirmed else { return card(booking, notice: .noLongerConfirmed, entry: entry) }
                if booking.start <= context.now { return card(booking, notice: .started, entry: entry) }
                return slots(booking, on: context.clock.localDate(of: start), text: ScheduleText.moveRefused(card(of: booking), refusal: refusal),
                             entry: entry)
            case .notFound:
                return card(booking, notice: .noLongerConfirmed, entry: entry)
            }
        }

        private func closed(_ result: ChangeResult<ClientBooking>, visit: VisitOutcome, entry: Entry) -> Reply<State> {
            guard let booking = read.booking else { return notFound(entry: entry) }
            switch result {
            case .done: return card(booking, notice: visit == .completed ? .completed : .noShow, entry: entry)
            case .refused(.notStarted): return card(booking, notice: .notStarted, entry: entry)
            case .refused, .notFound: return card(booking, notice: .noLongerConfirmed, entry: entry)
            }
        }

        // MARK: Pieces

        func card(of booking: StaffBooking) -> StaffBookingCard {
            StaffBookingCard(id: booking.id, client: booking.client, summary: say.summary(booking.booking),
                             status: StaffBookingStatus(booking.state), cancelledBy: booking.cancelledBy, reason: booking.cancelReason ?? "")
        }

        func card(_ booking: StaffBooking, notice: ScheduleNotice?, entry: Entry?, effects: [Effect] = []) -> Reply<State> {
            var rows: [[InlineButton]] = []
            if booking.state == .confirmed {
                if booking.start > context.now {
                    rows.append([say.staffButton(ScheduleButton.cancelBooking, Action.cancel(booking.id)),
                                 say.staffButton(ScheduleButton.moveBooking, Action.move(booking.id))])
                } else {
                    rows.append([say.staffButton(ScheduleButton.markCompleted, Action.close(booking.id, .completed)),
                                 say.staffButton(ScheduleButton.markNoShow, Action.close(booking.id, .noShow))])
                }
            } else if booking.state == .completed {
                // Marked completed when it ended; the client may not have come.
                rows.append([say.staffButton(ScheduleButton.markNoShow, Action.close(booking.id, .noShow))])
            }
            rows.append([say.staffButton(ScheduleButton.clientCard, ClientsFlow.Action.client(booking.client.id))])
            let day = context.clock.localDate(of: booking.start)
            var last = [say.staffButton(ScheduleButton.schedule, ScheduleFlow.Action.overview)]
            if ButtonField.day.range(today: context.today.dayNumber).contains(day.dayNumber) {
                last.insert(say.staffButton(ScheduleButton.backToDay(day), ScheduleFlow.Action.day(day.dayNumber)), at: 0)
            }
            rows.append(last)
            return context.show(ScheduleText.card(card(of: booking), notice: notice), buttons: rows, entry: entry, next: .open(State()),
                                effects: effects)
        }

        func notFound(entry: Entry?) -> Reply<State> {
            context.show(ScheduleText.notFound, buttons: [[say.staffButton(ScheduleButton.schedule, ScheduleFlow.Action.overview),
                                                          say.staffButton(StaffButton.back, StaffMenuFlow.Action.home)]],
                         entry: entry, alert: .bookingNotFound, next: .open(State()))
        }

        func back(_ id: Int64) -> InlineButton { say.staffButton(ScheduleButton.backToBooking, Action.card(id)) }

        func buttons(_ id: Int64) -> CalendarButtons {
            CalendarButtons(month: { say.button($0, Action.moveMonth(id, month: $1)) },
                            day: { say.button($0, Action.moveDay(id, day: $1.dayNumber)) },
                            slot: { say.button($0, Action.moveSlot(id, start: MinuteStamp.of($1))) })
        }

        func freeStarts(_ booking: StaffBooking, on date: LocalDate) -> [Date] {
            calendar.freeStarts(on: date, durationMinutes: booking.booking.durationMinutes)
        }

        /// A day's free times for the booking, under `text`, with the way back.
        func slots(_ booking: StaffBooking, on date: LocalDate, text: ScheduleText, entry: Entry) -> Reply<State> {
            let starts = freeStarts(booking, on: date)
            return context.show(text, buttons: calendar.slotButtons(starts, buttons(booking.id))
                                    + [[buttons(booking.id).month(.otherDay, calendar.bookableMonth(near: date))], [back(booking.id)]],
                                entry: entry, next: .open(State()))
        }
    }

    /// The reason as it is kept, or nil when it is empty or too long (NUL dropped, ends
    /// trimmed).
    static func reason(_ typed: String) -> String? {
        let text = typed.replacingOccurrences(of: "\u{0}", with: "").trimmingCharacters(in: .whitespacesAndNewlines)
        return reasonLength.contains(text.unicodeScalars.count) ? text : nil
    }
}
