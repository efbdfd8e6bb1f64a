import Booking
import Foundation
import Texts

/// The bookings as a CSV document (SPEC admin 13), for super admins: a range of local
/// days chosen with a button (this month, last month, the next 30 days) or typed
/// ("01.03.2026-31.03.2026"), at most `BookingsExportRange.maxDays` days; a confirmation
/// with how many bookings it holds; Confirm is a change (re-checked and audited by the
/// change runner) that starts the export as a background job, whose file the reminders
/// process sends to this chat.
public struct BookingsExportFlow: Flow {
    public enum Action: FlowAction {
        /// Choose a range (the staff menu's button).
        case ask
        /// The confirmation of a range (local day numbers, both included).
        case range(from: Int, to: Int)
        /// Start the export.
        case confirm(from: Int, to: Int)

        public static let flow: FlowID = "bx"
        public static let shapes: [String: [ButtonField]] = ["a": [], "r": [.day, .day], "k": [.day, .day]]
        public var encoded: ButtonCode {
            switch self {
            case .ask: return ButtonCode("a")
            case .range(let from, let to): return ButtonCode("r", [from, to])
            case .confirm(let from, let to): return ButtonCode("k", [from, to])
            }
        }
        public init?(code: String, numbers: [Int]) {
            switch (code, numbers.count) {
            case ("a", 0): self = .ask
            case ("r", 2): self = .range(from: numbers[0], to: numbers[1])
            case ("k", 2): self = .confirm(from: numbers[0], to: numbers[1])
            default: return nil
            }
        }
    }

    /// Whether the next text is a range.
    public struct State: Codable, Sendable, Equatable {
        public var asking: Bool

        public init(asking: Bool = false) {
            self.asking = asking
        }
    }

    public struct Query: FlowQuery {
        var range: BookingsExportRange?

        public func read(from store: any StoreReads) throws -> Int {
            guard let range else { return 0 }
            return try store.bookingsCount(from: range.from, to: range.to)
        }
    }

    /// Confirm: nothing in the store (the job row is the reply's effect, in the same
    /// transaction); the runner checks the role again and audits the export.
    public struct StartExport: FlowChange {
        let range: BookingsExportRange

        public func audit(of outcome: Void?) -> AuditAction? {
            outcome == nil ? nil : .bookingsExported(from: range.from, to: range.to)
        }

        public func apply(to store: any StoreChanges, by actor: ChangeActor) throws {}
    }

    public init() {}

    public func awaitsText(_ state: State) -> Bool { state.asking }

    public func plan(_ event: Event<Action>, state: State?, in context: Context) -> Plan<Query, StartExport> {
        switch event {
        case .opened, .pressed(.ask, _): return Plan(query: Query())
        case .pressed(.range(let from, let to), _): return Plan(query: Query(range: Self.checked(from, to, context).range))
        case .pressed(.confirm(let from, let to), _):
            guard let range = Self.checked(from, to, context).range else { return Plan(query: Query()) }
            return Plan(query: Query(range: range), change: StartExport(range: range))
        case .typed(let text): return Plan(query: Query(range: Self.typed(text, context).range))
        }
    }

    public func respond(_ event: Event<Action>, state: State?, read count: Int, outcome: Void?, in context: Context) -> Reply<State> {
        switch event {
        case .opened:
            return ask(nil, entry: nil, context)
        case .pressed(.ask, let entry):
            return ask(nil, entry: entry, context)
        case .pressed(.range(let from, let to), let entry):
            switch Self.checked(from, to, context) {
            case .range(let range): return confirm(range, count: count, entry: entry, context)
            case .problem(let problem): return ask(problem, entry: entry, context)
            }
        case .pressed(.confirm(let from, let to), let entry):
            switch Self.checked(from, to, context) {
            case .problem(let problem): return ask(problem, entry: entry, context)
            case .range(let range):
                let requester = JobRequester(person: context.person.id, chat: context.chat, language: context.say.language)
                return context.show(BookingsExportText.started(count: count),
                                    buttons: [[context.say.staffButton(StaffButton.back, StaffMenuFlow.Action.home)]], entry: entry,
                                    next: .close, effects: [.startJob(.bookingsExport(requester, range))])
            }
        case .typed(let text):
            let clearing: [Outgoing] = context.openMessageID.map { [.clearButtons(messageID: $0)] } ?? []
            var reply: Reply<State>
            switch Self.typed(text, context) {
            case .range(let range): reply = confirm(range, count: count, entry: nil, context)
            case .problem(let problem): reply = ask(problem, entry: nil, context)
            }
            reply.replies = clearing + reply.replies
            return reply
        }
    }

    private func ask(_ problem: BookingsExportProblem?, entry: Entry?, _ context: Context) -> Reply<State> {
        let say = context.say
        let today = context.today
        let thisMonth = MonthIndex.of(today)
        let first = { (month: Int) in MonthIndex.firstDay(month) ?? today }
        let presets: [(BookingsExportButton, LocalDate, LocalDate)] = [
            (.thisMonth, first(thisMonth), first(thisMonth + 1).adding(days: -1)),
            (.lastMonth, first(thisMonth - 1), first(thisMonth).adding(days: -1)),
            (.next30Days, today, today.adding(days: 29)),
        ]
        let buttons = presets.map { label, from, to in
            [say.staffButton(label, Action.range(from: from.dayNumber, to: to.dayNumber))]
        }
        return context.show(BookingsExportText.ask(maxDays: BookingsExportRange.maxDays, problem: problem),
                            buttons: buttons + [[say.staffButton(StaffButton.back, StaffMenuFlow.Action.home)]], entry: entry,
                            next: .open(State(asking: true)))
    }

    private func confirm(_ range: BookingsExportRange, count: Int, entry: Entry?, _ context: Context) -> Reply<State> {
        let say = context.say
        return context.show(BookingsExportText.confirm(from: range.from, to: range.to, count: count),
                            buttons: [[say.staffButton(BookingsExportButton.start, Action.confirm(from: range.from.dayNumber, to: range.to.dayNumber))],
                                      [say.staffButton(StaffButton.back, Action.ask)]],
                            entry: entry, next: .open(State()))
    }

    enum Checked: Equatable {
        case range(BookingsExportRange)
        case problem(BookingsExportProblem)

        var range: BookingsExportRange? {
            if case .range(let range) = self { return range }
            return nil
        }
    }

    /// Years from today a date may be: what a button can carry (`ButtonField.day`).
    static let reachYears = ButtonField.reachDays / 366

    /// A range from day numbers: within the buttons' reach of today, in order, not too long.
    static func checked(_ from: Int, _ to: Int, _ context: Context) -> Checked {
        let reach = ButtonField.day.range(today: context.today.dayNumber)
        guard reach.contains(from), reach.contains(to) else { return .problem(.outOfReach(years: reachYears)) }
        guard from <= to else { return .problem(.backwards) }
        guard let range = BookingsExportRange(from: LocalDate(dayNumber: from), to: LocalDate(dayNumber: to)) else {
            return .problem(.tooLong(maxDays: BookingsExportRange.maxDays))
        }
        return .range(range)
    }

    /// "01.03.2026-31.03.2026" (a dash, an en or em dash, spaces around it allowed): its
    /// length and digits checked before any number is read.
    static func typed(_ text: String, _ context: Context) -> Checked {
        guard text.utf8.count <= 64 else { return .problem(.notARange) }
        let normalized = text.replacingOccurrences(of: "–", with: "-").replacingOccurrences(of: "—", with: "-")
        let parts = normalized.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let from = day(parts[0]), let to = day(parts[1]) else { return .problem(.notARange) }
        return checked(from.dayNumber, to.dayNumber, context)
    }

    /// `dd.mm.yyyy` (one-digit day and month allowed), a date the calendar has.
    static func day(_ text: Substring) -> LocalDate? {
        let fields = text.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false)
        guard fields.count == 3, (1...2).contains(fields[0].utf8.count), (1...2).contains(fields[1].utf8.count), fields[2].utf8.count == 4,
              fields.allSatisfy({ $0.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }),
              let day = Int(fields[0]), let month = Int(fields[1]), let year = Int(fields[2]) else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }
}
