import Booking
import Foundation
import Texts

/// One feature of the conversation: the buttons it makes, the draft it keeps between
/// updates, what each step reads and what it changes. Everything a flow does goes through
/// two pure calls per update (the worker runs the read and the change between them, in
/// the update's transaction):
///
/// ```swift
/// struct MyBookingsFlow: Flow {
///     enum Action: FlowAction { case list … }          // its buttons
///     struct Query: FlowQuery { … }                   // what a step reads
///     func plan(_ event: Event<Action>, state: NoState?, in context: Context) -> Plan<Query, NoChange> {
///         Plan(query: Query(person: context.person.id))
///     }
///     func respond(_ event: Event<Action>, state: NoState?, read: Query.Result, outcome: Never?,
///                  in context: Context) -> Reply<NoState> { context.show(.myBookings(…), …) }
/// }
/// ```
///
/// Who may use a flow is not its own business: its group in `Routes` says so, and the
/// router checks it on every step (the change runner again at commit).
public protocol Flow: Sendable {
    associatedtype Action: FlowAction
    /// What the flow remembers between updates while it is open (a form's draft).
    associatedtype State: Codable & Sendable & Equatable = NoState
    associatedtype Query: FlowQuery = NoQuery
    associatedtype Change: FlowChange = NoChange

    /// What this step reads, and the change it asks for (if any).
    func plan(_ event: Event<Action>, state: State?, in context: Context) -> Plan<Query, Change>
    /// What to show, given what was read (after the change) and the store's decision.
    func respond(_ event: Event<Action>, state: State?, read: Query.Result, outcome: Change.Outcome?,
                 in context: Context) -> Reply<State>
    /// Whether the open flow, in this state, takes the person's next text.
    func awaitsText(_ state: State) -> Bool
    static var takesForwards: Bool { get }
    /// Whether the open flow, in this state, takes a photo: it comes as `.typed(caption)`
    /// (empty without one) with the photo in `Context.photo`. No flow does unless it says so.
    func acceptsPhoto(_ state: State) -> Bool
}

extension Flow {
    public static var id: FlowID { Action.flow }
    public func awaitsText(_ state: State) -> Bool { false }
    /// Whether a forwarded message without text (a photo, a sticker) reaches the flow as
    /// `.typed("")`, its origin in `Context.forwarded`; a forwarded text always does.
    public static var takesForwards: Bool { false }
    public func acceptsPhoto(_ state: State) -> Bool { false }
}

/// What reached a flow.
public enum Event<Action: FlowAction>: Sendable, Equatable {
    /// A command or a main-menu button that `Routes` sends to this flow.
    case opened(Trigger)
    /// One of its buttons, already checked; `entry` is the message it sat on.
    case pressed(Action, Entry)
    /// Text typed while the flow was open and waiting for it.
    case typed(String)
}

/// What opened a flow.
public enum Trigger: Sendable, Equatable {
    /// `/start` etc. without the slash; `argument` is the rest of the line.
    case command(String, argument: String)
    case menuButton(Texts.Button)
}

/// The press a screen came from: its screen is edited in place, unless `messageID` is nil
/// (a new message goes below). The router answers the press itself.
public struct Entry: Sendable, Equatable {
    public var messageID: Int64?

    public init(messageID: Int64?) {
        self.messageID = messageID
    }
}

/// The draft of a flow that keeps none: its buttons carry everything.
public struct NoState: Codable, Sendable, Equatable {
    public init() {}
}

/// What a step reads and what it asks the store to change.
public struct Plan<Query: FlowQuery, Change: FlowChange>: Sendable {
    public var query: Query
    public var change: Change?

    public init(query: Query, change: Change? = nil) {
        self.query = query
        self.change = change
    }
}

extension Plan where Query == NoQuery {
    public init(change: Change? = nil) {
        self.init(query: NoQuery(), change: change)
    }
}

/// What a flow wants next.
public enum Next<State: Sendable & Equatable>: Sendable, Equatable {
    /// Whatever was open stays open, as it was (an alert, a stray message).
    case stay
    /// This flow is open, with this draft, on the message the reply showed.
    case open(State)
    /// Nothing is open any more.
    case close
}

/// A flow's answer to one step.
public struct Reply<State: Sendable & Equatable>: Sendable, Equatable {
    /// Messages and edits. A press's answer is not one of them: the router adds exactly
    /// one for every press, with `alert` as its text.
    public var replies: [Outgoing]
    public var alert: Texts.Alert?
    public var next: Next<State>
    /// The message the flow is now shown on (an edited one), for `/cancel` to clear.
    public var shownOn: Int64?
    public var effects: [Effect]

    public init(replies: [Outgoing], alert: Texts.Alert? = nil, next: Next<State>, shownOn: Int64? = nil, effects: [Effect] = []) {
        self.replies = replies
        self.alert = alert
        self.next = next
        self.shownOn = shownOn
        self.effects = effects
    }
}

/// What a turn does beyond this chat.
public enum Effect: Sendable, Equatable {
    /// The business's staff who take notices of this kind (owners by default, each as they
    /// chose), each in their language; never the person who made the change.
    case notifyStaff(NoticeKind, Texts.Message)
    /// A client of the business, in their language (a booking changed by staff).
    case notifyClient(Int64, Texts.Message)
    /// A background job, stored in the update's transaction and run by the reminders
    /// process, which sends its result to the requester. Kept only from a step whose
    /// change the change runner allowed in a staff flow (so it is audited): the router
    /// drops it from any other step.
    case startJob(Job)

    /// Whether the effect starts a job.
    public var startsJob: Bool {
        if case .startJob = self { return true }
        return false
    }
}
