import Foundation
import Texts

/// A registered flow with its type erased, so the router can hold flows of any types.
struct RegisteredFlow: Sendable {
    enum Input {
        case opened(Trigger)
        case pressed(ButtonCode, Entry)
        case typed(String)
    }

    /// What a flow's step came to, in terms the router assembles into a `Turn`.
    enum Output {
        case reply(replies: [Outgoing], alert: Texts.Alert?, next: ConversationState?, effects: [Effect])
        /// The change runner refused: the role changed since the screen was shown.
        case forbidden
        case invalid
    }

    let id: FlowID
    let access: Access
    let shapes: [String: [ButtonField]]
    /// Whether the code and numbers are one of this flow's actions (strictly).
    let accepts: @Sendable (ButtonCode, _ today: Int) -> Bool
    /// Whether a stored draft is this flow's State.
    let readsDraft: @Sendable (String?) -> Bool
    let awaitsText: @Sendable (String?) -> Bool
    /// Whether a forwarded message without text is still the flow's input.
    let takesForwards: Bool
    let acceptsPhoto: @Sendable (String?) -> Bool
    let run: @Sendable (Input, _ draft: String?, Context, any FlowSession) throws -> Output

    init<F: Flow>(_ flow: F, access: Access) {
        id = F.id
        self.access = access
        shapes = F.Action.shapes
        accepts = { code, today in F.Action.decode(code: code.code, numbers: code.numbers, today: today) != nil }
        readsDraft = { draft in Self.draft(F.State.self, draft) != nil }
        awaitsText = { draft in Self.draft(F.State.self, draft).map(flow.awaitsText) ?? false }
        takesForwards = F.takesForwards
        acceptsPhoto = { draft in Self.draft(F.State.self, draft).map(flow.acceptsPhoto) ?? false }
        run = { input, draft, context, session in
            let event: Event<F.Action>
            switch input {
            case .opened(let trigger):
                event = .opened(trigger)
            case .typed(let text):
                event = .typed(text)
            case .pressed(let code, let entry):
                let today = context.today.dayNumber
                guard let action = F.Action.decode(code: code.code, numbers: code.numbers, today: today) else { return .invalid }
                event = .pressed(action, entry)
            }
            let state = Self.draft(F.State.self, draft)
            let plan = flow.plan(event, state: state, in: context)
            var outcome: F.Change.Outcome?
            if let change = plan.change {
                guard let done = try session.run(change, flow: F.id, access: access, step: Router.step(input)) else { return .forbidden }
                outcome = done
            }
            let read = try plan.query.read(from: session.reads)
            var reply = flow.respond(event, state: state, read: read, outcome: outcome, in: context)
            // A job is started only by a staff change the runner allowed (and audited).
            if outcome == nil || !access.isStaff { reply.effects.removeAll(where: \.startsJob) }
            let next: ConversationState?
            switch reply.next {
            case .stay: next = nil
            case .close: next = .idle
            case .open(let state):
                let draft = state is NoState ? nil : (try? JSONEncoder().encode(state)).map { String(decoding: $0, as: UTF8.self) }
                next = ConversationState(flow: F.id, messageID: reply.shownOn, draft: draft)
            }
            return .reply(replies: reply.replies, alert: reply.alert, next: next, effects: reply.effects)
        }
    }

    private static func draft<State: Decodable>(_ type: State.Type, _ text: String?) -> State? {
        if State.self == NoState.self { return NoState() as? State }
        guard let text else { return nil }
        return try? JSONDecoder().decode(State.self, from: Data(text.utf8))
    }
}
