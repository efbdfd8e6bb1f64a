import Booking
import Foundation
import Texts

/// The buttons the router answers itself, for every flow.
public enum CoreAction: FlowAction {
    /// Leaves whatever flow is open (the Cancel button of every screen).
    case close
    /// A button that does nothing (a ⚫ day, a header).
    case noop

    public static let flow: FlowID = "x"
    public static let shapes: [String: [ButtonField]] = ["x": [], "n": []]
    public var encoded: ButtonCode { ButtonCode(self == .close ? "x" : "n") }
    public init?(code: String, numbers: [Int]) {
        switch code {
        case "x": self = .close
        case "n": self = .noop
        default: return nil
        }
    }
}

/// The result of one update: the next state, the replies to send, what else it causes,
/// and a problem the operators must hear of.
public struct Turn: Sendable, Equatable {
    public var state: ConversationState
    public var replies: [Outgoing]
    public var effects: [Effect]
    /// Logged as an error by the worker (so it reaches Sentry): a state that could not be
    /// read and was reset.
    public var problem: StateProblem?

    public init(state: ConversationState, replies: [Outgoing], effects: [Effect] = [], problem: StateProblem? = nil) {
        self.state = state
        self.replies = replies
        self.effects = effects
        self.problem = problem
    }
}

/// Classifies each update once and hands it to one flow (`Routes`), checking the flow's
/// access on every step. Owns the answers every flow shares: stale, invalid and forbidden
/// buttons, `/cancel`, `/start` taking the open flow's buttons away, a state that cannot
/// be read, and the answer of every press — exactly one, added here whatever the flow did.
public struct Router: Sendable {
    public let settings: ConversationSettings
    public let routes: Routes
    static let coreFlow = CoreAction.flow
    /// Commands after which the open flow's buttons are taken away.
    private static let closingCommands: Set<String> = ["start"]

    public init(settings: ConversationSettings, routes: Routes = .standard) {
        self.settings = settings
        self.routes = routes
    }

    /// Runs the update through its flow; `stored` is `conversations.data` (nil: none yet).
    public func handle(_ incoming: Incoming, stored: String?, situation: Situation, session: any FlowSession) throws -> Turn {
        let (state, problem) = open(stored)
        let context = Context(situation: situation, settings: settings, openMessageID: state.messageID, forwarded: incoming.forwardOrigin)
        var turn = try route(incoming, state: state, context: context, session: session)
        if problem != nil { turn.replies.insert(context.say.menu(.flowReset), at: 0) }
        turn.problem = problem
        return turn
    }

    private func route(_ incoming: Incoming, state: ConversationState, context: Context, session: any FlowSession) throws -> Turn {
        let say = context.say
        let keep = { (replies: [Outgoing]) in Turn(state: state, replies: replies) }
        switch incoming {
        case .command("cancel", _, _):
            guard state.flow != nil else { return Turn(state: .idle, replies: [say.menu(.nothingToCancel)]) }
            return Turn(state: .idle, replies: clearing(state) + [say.menu(.flowCancelled)])
        case .command(let name, let argument, _):
            guard let flow = routes.commands[name].flatMap({ routes.flows[$0] }) else { return keep([say.menu(.unknownInput)]) }
            let lead = Self.closingCommands.contains(name) ? clearing(state) : []
            var turn = try run(flow, .opened(.command(name, argument: argument)), state: state, query: nil, context: context, session: session)
            turn.replies = lead + turn.replies
            return turn
        case .text(let text, _):
            if let button = Texts.mainMenuButton(matching: text), let flow = routes.menuButtons[button].flatMap({ routes.flows[$0] }) {
                return try run(flow, .opened(.menuButton(button)), state: state, query: nil, context: context, session: session)
            }
            if let open = state.flow.flatMap({ routes.flows[$0] }), open.awaitsText(state.draft) {
                return try run(open, .typed(text), state: state, query: nil, context: context, session: session)
            }
            return keep([say.menu(.unknownInput)])
        case .photo(let fileID, let caption, _):
            guard let open = state.flow.flatMap({ routes.flows[$0] }), open.acceptsPhoto(state.draft) else { return keep([say.menu(.unknownInput)]) }
            var withPhoto = context
            withPhoto.photo = fileID
            return try run(open, .typed(caption ?? ""), state: state, query: nil, context: withPhoto, session: session)
        case .unsupported:
            return keep([say.menu(.unknownInput)])
        case .forwarded(_, let text, _):
            // A forward is text to the open flow, as before forwards were told apart; one
            // without text only reaches a flow that takes forwards (it reads the origin).
            if let open = state.flow.flatMap({ routes.flows[$0] }), open.awaitsText(state.draft), text != nil || open.takesForwards {
                return try run(open, .typed(text ?? ""), state: state, query: nil, context: context, session: session)
            }
            return keep([say.menu(.unknownInput)])
        case .button(let queryID, let data, let messageID, _):
            return try press(data, queryID: queryID, entry: Entry(messageID: messageID), state: state, context: context, session: session)
        }
    }

    private func press(_ data: String, queryID: String, entry: Entry, state: ConversationState, context: Context,
                       session: any FlowSession) throws -> Turn {
        func answered(_ replies: [Outgoing], _ alert: Texts.Alert?, next: ConversationState? = nil) -> Turn {
            Turn(state: next ?? state, replies: replies + answer(queryID, alert, context))
        }
        let today = context.today.dayNumber
        guard case .success(let parsed) = CallbackEnvelope.parse(data, now: context.now) else { return answered([], .invalidButton) }
        let flow = routes.flows[parsed.flow]
        let core = parsed.flow == Self.coreFlow ? CoreAction.decode(code: parsed.button.code, numbers: parsed.button.numbers, today: today) : nil
        guard core != nil || flow?.accepts(parsed.button, today) == true else { return answered([], .invalidButton) }
        // Judged after the shape, so forged data never reads as "out of date".
        guard context.now.timeIntervalSince(parsed.issuedAt) <= settings.callbackTTL else {
            return answered([context.say.menu(.staleButton)], .staleButton)
        }
        switch core {
        case .noop?:
            return answered([], nil)
        case .close?:
            let shown = context.show(.flowCancelled, buttons: [], entry: entry, alert: .flowCancelled, next: Next<NoState>.close)
            return answered(shown.replies, .flowCancelled, next: .idle)
        case nil:
            guard let flow else { return answered([], .invalidButton) }
            return try run(flow, .pressed(parsed.button, entry), state: state, query: queryID, context: context, session: session)
        }
    }

    /// Why a step is refused: staff are told it is for super admins, anyone else that it
    /// is for staff.
    private func refusal(_ context: Context) -> Texts.Message {
        context.role == .client ? .noAccess : .superAdminsOnly
    }

    /// One step of a flow, with its access checked first.
    private func run(_ flow: RegisteredFlow, _ input: RegisteredFlow.Input, state: ConversationState, query: String?,
                     context: Context, session: any FlowSession) throws -> Turn {
        let say = context.say
        let answer = { (alert: Texts.Alert?) in self.answer(query, alert, context) }
        guard flow.access.allows(context.role) else {
            try session.refused(.attempt(flow: flow.id, step: Self.step(input)))
            // A flow the person may no longer use does not stay open for them.
            let next = state.flow == flow.id ? ConversationState.idle : state
            return Turn(state: next, replies: query == nil ? [say.menu(refusal(context))] : answer(.noAccess))
        }
        let draft = state.flow == flow.id ? state.draft : nil
        switch try flow.run(input, draft, context, session) {
        case .invalid:
            return Turn(state: state, replies: answer(.invalidButton))
        case .forbidden:
            // Refused at commit (the role changed since the screen): that flow closes.
            let closes = state.flow == flow.id
            return Turn(state: closes ? .idle : state, replies: (closes ? clearing(state) : []) + (query == nil ? [say.menu(refusal(context))] : [])
                            + answer(.noAccess))
        case .reply(let replies, let alert, let next, let effects):
            // A flow never answers a press itself: the one answer is added here.
            let shown = replies.filter { if case .answer = $0 { return false } else { return true } }
            return Turn(state: next ?? state, replies: shown + answer(alert), effects: effects)
        }
    }

    /// The one answer of a press (none for a command or text).
    private func answer(_ query: String?, _ alert: Texts.Alert?, _ context: Context) -> [Outgoing] {
        query.map { [.answer(queryID: $0, text: alert.map(context.say.alert), alert: false)] } ?? []
    }

    static func step(_ input: RegisteredFlow.Input) -> String {
        switch input {
        case .opened(.command(let name, _)): return "/\(name)"
        case .opened(.menuButton): return "menu"
        case .pressed(let code, _): return code.code
        case .typed: return "text"
        }
    }

    /// Takes the buttons off the open flow's message, so it cannot be carried on by mistake
    /// after the person left it.
    private func clearing(_ state: ConversationState) -> [Outgoing] {
        guard state.flow != nil, let message = state.messageID else { return [] }
        return [.clearButtons(messageID: message)]
    }

    /// The stored state, or the problem that reset it: not readable at all, a flow that is
    /// not registered (any more), or a draft its flow cannot read.
    private func open(_ stored: String?) -> (ConversationState, StateProblem?) {
        guard let stored else { return (.idle, nil) }
        switch ConversationState.decode(stored) {
        case .failure(let problem):
            return (.idle, problem)
        case .success(let state):
            guard let id = state.flow else { return (state, nil) }
            guard let flow = routes.flows[id] else { return (.idle, StateProblem(reason: "the open flow '\(id)' is not registered")) }
            guard flow.readsDraft(state.draft) else { return (.idle, StateProblem(reason: "flow '\(id)' cannot read its stored draft")) }
            return (state, nil)
        }
    }

    // MARK: Answers outside any flow

    /// What to say when an update of this person was given up on.
    public func apology(for incoming: Incoming, now: Date) -> [Outgoing] {
        let language = settings.language(forCode: incoming.person.languageCode)
        let say = Speaker(language: language, now: now, clock: settings.clock)
        var replies = [say.menu(.somethingWentWrong)]
        if case .button(let queryID, _, _, _) = incoming {
            replies.insert(.answer(queryID: queryID, text: Texts.alert(.somethingWentWrong, in: language), alert: false), at: 0)
        }
        return replies
    }

    /// What an update dropped by the flood guard gets: a press is always answered; a
    /// "please wait" goes out only for the first excess of a window.
    public func tooFast(_ incoming: Incoming, warn: Bool) -> [Outgoing] {
        let language = settings.language(forCode: incoming.person.languageCode)
        if case .button(let queryID, _, _, _) = incoming {
            return [.answer(queryID: queryID, text: warn ? Texts.alert(.pleaseWait, in: language) : nil, alert: false)]
        }
        return warn ? [.message(text: Texts.text(.pleaseWait, in: language), menu: nil, buttons: nil)] : []
    }
}
