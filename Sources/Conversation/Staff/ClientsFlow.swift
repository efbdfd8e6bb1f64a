import Booking
import Foundation
import Texts

/// Clients (SPEC admin 4), for moderators and super admins: how many there are (people who
/// ever booked) and how many are new this week, the ten with the most completed visits,
/// and a look-up by id or @username leading to a client's card, whose bookings open their
/// staff cards (`StaffBookingFlow`).
public struct ClientsFlow: Flow {
    public enum Action: FlowAction {
        /// Totals and the top ten (the staff menu's button).
        case home
        /// Asks for an id or @username.
        case find
        /// A client's card.
        case client(Int64)

        public static let flow: FlowID = "cl"
        public static let shapes: [String: [ButtonField]] = ["h": [], "f": [], "c": [.id]]
        public var encoded: ButtonCode {
            switch self {
            case .home: return ButtonCode("h")
            case .find: return ButtonCode("f")
            case .client(let id): return ButtonCode("c", [Int(id)])
            }
        }
        public init?(code: String, numbers: [Int]) {
            switch (code, numbers.count) {
            case ("h", 0): self = .home
            case ("f", 0): self = .find
            case ("c", 1): self = .client(Int64(numbers[0]))
            default: return nil
            }
        }
    }

    /// Whether the next text is a look-up.
    public struct State: Codable, Sendable, Equatable {
        public var searching: Bool

        public init(searching: Bool = false) {
            self.searching = searching
        }
    }

    public struct Query: FlowQuery {
        var overviewSince: Date?
        var client: ClientKey?

        public func read(from store: any StoreReads) throws -> Result {
            var result = Result()
            if let overviewSince { result.overview = try store.clientsOverview(newSince: overviewSince, top: ClientsFlow.topCount) }
            if let client, let found = try store.findClient(client) {
                result.client = found
                result.bookings = try store.bookings(ofClient: found.id, limit: ClientsFlow.bookingsRead)
            }
            return result
        }

        public struct Result: Sendable {
            var overview: ClientsOverview?
            var client: ClientInfo?
            var bookings: [StaffBooking] = []
        }
    }

    static let topCount = 10
    /// A client's bookings read for the card (the latest first); the card shows up to
    /// `bookingsShown` of them as buttons.
    static let bookingsRead = 60
    static let bookingsShown = 30

    public init() {}

    public func awaitsText(_ state: State) -> Bool { state.searching }

    public func plan(_ event: Event<Action>, state: State?, in context: Context) -> Plan<Query, NoChange> {
        switch event {
        case .pressed(.find, _): return Plan(query: Query())
        case .pressed(.client(let id), _): return Plan(query: Query(client: .id(id)))
        case .typed(let text): return Plan(query: Query(client: Self.key(text)))
        // "This week" as the dashboard counts it: since Monday 00:00 in the business's zone.
        case .pressed(.home, _), .opened:
            return Plan(query: Query(overviewSince: DashboardWindow(now: context.now, clock: context.clock).weekStart))
        }
    }

    public func respond(_ event: Event<Action>, state: State?, read: Query.Result, outcome: Void?,
                        in context: Context) -> Reply<State> {
        let say = context.say
        let menu = say.staffButton(StaffButton.back, StaffMenuFlow.Action.home)
        let backToClients = say.staffButton(ClientsButton.backToClients, Action.home)
        switch event {
        case .pressed(.find, let entry):
            return context.show(ClientsText.ask, buttons: [[backToClients]], entry: entry, next: .open(State(searching: true)))
        case .pressed(.client(let id), let entry):
            guard let client = read.client else {
                return context.show(ClientsText.notFound(query: String(id)), buttons: [[say.staffButton(ClientsButton.find, Action.find)],
                                                                                      [backToClients]],
                                    entry: entry, next: .open(State()))
            }
            return card(client, read.bookings, entry: entry, context: context)
        case .typed(let text):
            let clearing: [Outgoing] = context.openMessageID.map { [.clearButtons(messageID: $0)] } ?? []
            var reply: Reply<State>
            if let client = read.client {
                reply = card(client, read.bookings, entry: nil, context: context)
            } else if let key = Self.key(text) {
                let query: String
                switch key {
                case .id(let id): query = String(id)
                case .username(let name): query = "@" + name
                }
                reply = context.show(ClientsText.notFound(query: query), buttons: [[backToClients]], entry: nil,
                                     next: .open(State(searching: true)))
            } else {
                reply = context.show(ClientsText.badQuery, buttons: [[backToClients]], entry: nil, next: .open(State(searching: true)))
            }
            reply.replies = clearing + reply.replies
            return reply
        case .pressed(.home, _), .opened:
            var entry: Entry?
            if case .pressed(_, let at) = event { entry = at }
            let overview = read.overview ?? ClientsOverview(total: 0, newSince: 0, top: [])
            return context.show(ClientsText.home(total: overview.total, newThisWeek: overview.newSince,
                                                 top: overview.top.map { ClientVisitLine(client: $0.client, completed: $0.completed) }),
                                buttons: [[say.staffButton(ClientsButton.find, Action.find)], [menu]], entry: entry, next: .open(State()))
        }
    }

    private func card(_ client: ClientInfo, _ bookings: [StaffBooking], entry: Entry?, context: Context) -> Reply<State> {
        let say = context.say
        let upcoming = bookings.filter { $0.state == .confirmed && $0.start > context.now }.sorted { $0.start < $1.start }
        let past = bookings.filter { !($0.state == .confirmed && $0.start > context.now) }
        let shown = (upcoming + past).prefix(Self.bookingsShown).map { [ScheduleFlow.button(for: $0, withDate: true, say)] }
        return context.show(ClientsText.card(client, upcoming: upcoming.count, past: past.count,
                                             completed: bookings.filter { $0.state == .completed }.count),
                            buttons: shown + [[say.staffButton(ClientsButton.find, Action.find)],
                                              [say.staffButton(ClientsButton.backToClients, Action.home),
                                               say.staffButton(StaffButton.back, StaffMenuFlow.Action.home)]],
                            entry: entry, next: .open(State()))
    }

    /// A typed look-up: a numeric id, or a username with or without its "@"; nil for
    /// anything else (empty, too long, emoji, a negative or huge number).
    static func key(_ typed: String) -> ClientKey? {
        let text = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...40).contains(text.unicodeScalars.count) else { return nil }
        let isDigit = { (c: Unicode.Scalar) in ("0"..."9").contains(c) }
        let isNameCharacter = { (c: Unicode.Scalar) in
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || isDigit(c) || c == "_"
        }
        if text.unicodeScalars.allSatisfy(isDigit) {
            // Int64 refuses what would overflow; an id is positive.
            guard let id = Int64(text), id > 0 else { return nil }
            return .id(id)
        }
        let name = text.hasPrefix("@") ? String(text.dropFirst()) : text
        guard (1...32).contains(name.unicodeScalars.count), name.unicodeScalars.allSatisfy(isNameCharacter),
              name.unicodeScalars.contains(where: { !isDigit($0) }) else { return nil }
        return .username(name)
    }
}
