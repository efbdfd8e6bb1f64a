import Foundation
import Texts

/// Broadcasts (SPEC admin 8), for super admins: the staff menu's button lists the recent
/// ones; "New broadcast" asks for the text, which is shown back exactly as recipients will
/// get it (plain text, no parse mode) with how many people it reaches; Send is a change
/// (re-checked and audited by the change runner) that stores the broadcast, status
/// 'sending'. The reminders process then records every recipient with their outbox row
/// and the workers send them in the background lane; the sender gets a report when all
/// are settled, and a broadcast's screen shows its progress on request.
public struct BroadcastFlow: Flow {
    public enum Action: FlowAction {
        /// The recent broadcasts (the staff menu's button).
        case list
        /// Asks for a new broadcast's text.
        case new
        /// Sends the text waiting in the flow's state.
        case confirm
        /// One broadcast's figures so far.
        case show(Int64)

        public static let flow: FlowID = "bc"
        public static let shapes: [String: [ButtonField]] = ["l": [], "n": [], "k": [], "s": [.id]]
        public var encoded: ButtonCode {
            switch self {
            case .list: return ButtonCode("l")
            case .new: return ButtonCode("n")
            case .confirm: return ButtonCode("k")
            case .show(let id): return ButtonCode("s", [Int(id)])
            }
        }
        public init?(code: String, numbers: [Int]) {
            switch (code, numbers.count) {
            case ("l", 0): self = .list
            case ("n", 0): self = .new
            case ("k", 0): self = .confirm
            case ("s", 1): self = .show(Int64(numbers[0]))
            default: return nil
            }
        }
    }

    /// What the open flow waits for: a text or a photo (`asking`), or the Send of `draft`
    /// (with `photo`, the draft is its caption).
    public struct State: Codable, Sendable, Equatable {
        public var asking: Bool
        public var draft: String?
        public var photo: String?

        public init(asking: Bool = false, draft: String? = nil, photo: String? = nil) {
            self.asking = asking
            self.draft = draft
            self.photo = photo
        }
    }

    public struct Query: FlowQuery {
        var audienceOf: Int64?
        var broadcast: Int64?
        var recent = false

        public func read(from store: any StoreReads) throws -> Result {
            var result = Result()
            if let audienceOf { result.audience = try store.broadcastAudience(excluding: audienceOf) }
            if let broadcast { result.broadcast = try store.broadcast(broadcast) }
            if recent { result.recent = try store.recentBroadcasts(limit: BroadcastFlow.listed) }
            return result
        }

        public struct Result: Sendable {
            var audience = 0
            var broadcast: BroadcastFigures?
            var recent: [BroadcastFigures] = []
        }
    }

    /// Send: the broadcast stored with status 'sending', in the update's transaction.
    public struct SendBroadcast: FlowChange {
        let text: String
        let photo: String?
        let language: Language

        public func audit(of outcome: BroadcastCreated?) -> AuditAction? {
            outcome.map { .broadcastCreated(broadcast: $0.id, recipients: $0.recipients, length: text.utf16.count, refused: nil) }
        }

        public func apply(to store: any StoreChanges, by actor: ChangeActor) throws -> BroadcastCreated {
            try store.createBroadcast(text: text, photo: photo, language: language, by: actor)
        }
    }

    /// Telegram's bounds on a message's text and on a photo's caption.
    public static let textLimit = 4096
    public static let captionLimit = 1024
    /// Broadcasts on the list.
    static let listed = 10

    public init() {}

    public func awaitsText(_ state: State) -> Bool { state.asking || state.draft != nil }
    public func acceptsPhoto(_ state: State) -> Bool { awaitsText(state) }

    /// The text (or a photo's caption) as it will be sent, or what is wrong with it.
    /// Counted as Telegram counts (UTF-16 units); a NUL, which Telegram would refuse, is
    /// taken out. A photo may go without a caption.
    public static func check(_ typed: String, photo: Bool = false) -> Swift.Result<String, BroadcastProblem> {
        let text = typed.replacingOccurrences(of: "\u{0}", with: "")
        let blank = text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        if blank && photo { return .success("") }
        guard !blank else { return .failure(.empty) }
        let length = text.utf16.count
        let limit = photo ? captionLimit : textLimit
        guard length <= limit else { return .failure(.tooLong(length: length, limit: limit)) }
        return .success(text)
    }

    public func plan(_ event: Event<Action>, state: State?, in context: Context) -> Plan<Query, SendBroadcast> {
        switch event {
        case .opened, .pressed(.list, _):
            return Plan(query: Query(recent: true))
        case .pressed(.new, _):
            return Plan(query: Query())
        case .pressed(.show(let id), _):
            return Plan(query: Query(broadcast: id))
        case .pressed(.confirm, _):
            guard let draft = state?.draft, case .success(let text) = Self.check(draft, photo: state?.photo != nil) else { return Plan(query: Query()) }
            return Plan(query: Query(), change: SendBroadcast(text: text, photo: state?.photo, language: context.say.language))
        case .typed(let typed):
            guard case .success = Self.check(typed, photo: context.photo != nil) else { return Plan(query: Query()) }
            return Plan(query: Query(audienceOf: context.person.id))
        }
    }

    public func respond(_ event: Event<Action>, state: State?, read: Query.Result, outcome: BroadcastCreated?,
                        in context: Context) -> Reply<State> {
        let say = context.say
        let back = [say.staffButton(.back, StaffMenuFlow.Action.home)]
        let toList = [say.staffButton(BroadcastButton.list, Action.list)]
        switch event {
        case .opened, .pressed(.list, _):
            let entry = Self.entry(of: event)
            let items = read.recent.map { [say.staffButton(BroadcastButton.item($0), Action.show($0.id))] }
            return context.show(BroadcastText.list(count: read.recent.count),
                                buttons: [[say.staffButton(BroadcastButton.new, Action.new)]] + items + [back],
                                entry: entry, next: .open(State()))
        case .pressed(.new, let entry):
            return context.show(BroadcastText.ask(limit: Self.textLimit), buttons: [toList], entry: entry, next: .open(State(asking: true)))
        case .pressed(.show(let id), let entry):
            guard let figures = read.broadcast else {
                return context.show(BroadcastText.notFound, buttons: [toList, back], entry: entry, next: .open(State()))
            }
            return context.show(BroadcastText.progress(figures), buttons: [[say.staffButton(BroadcastButton.progress, Action.show(id))], toList],
                                entry: entry, next: .open(State()))
        case .pressed(.confirm, let entry):
            guard let outcome else {
                return context.show(BroadcastText.nothingToSend, buttons: [toList, back], entry: entry, next: .open(State()))
            }
            return context.show(BroadcastText.started(id: outcome.id, recipients: outcome.recipients),
                                buttons: [[say.staffButton(BroadcastButton.progress, Action.show(outcome.id))], toList],
                                entry: entry, next: .open(State()))
        case .typed(let typed):
            switch Self.check(typed, photo: context.photo != nil) {
            case .failure(let problem):
                return context.show(BroadcastText.askAgain(problem, limit: context.photo == nil ? Self.textLimit : Self.captionLimit),
                                    buttons: [toList], entry: nil,
                                    next: .open(State(asking: true)))
            case .success(let text):
                // The message exactly as recipients get it, then the question under it.
                let screen: Reply<State> = context.show(BroadcastText.preview(recipients: read.audience),
                                                        buttons: [[say.staffButton(BroadcastButton.send, Action.confirm)],
                                                                  [say.staffButton(BroadcastButton.edit, Action.new)], toList],
                                                        entry: nil, next: .open(State(draft: text, photo: context.photo)))
                return Reply(replies: [Self.message(text: text, photo: context.photo)] + screen.replies, next: screen.next)
            }
        }
    }

    /// The broadcast as every recipient gets it (and its preview shows it): the photo with the
    /// text as its caption, or the text; as typed, no parse mode, so nothing in it is markup.
    public static func message(text: String, photo: String?) -> Outgoing {
        photo.map { .photo(fileID: $0, caption: text.isEmpty ? nil : text, buttons: nil) } ?? .message(text: text, menu: nil, buttons: nil)
    }

    private static func entry(of event: Event<Action>) -> Entry? {
        if case .pressed(_, let entry) = event { return entry }
        return nil
    }
}
