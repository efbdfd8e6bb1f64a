import Booking
import Foundation
import Texts

/// Reviews (SPEC client 9): stars from the request's buttons, then an optional comment as
/// the next text. The store decides whether a rating counts (this client's visit, over,
/// not yet rated), at the press.
public struct ReviewFlow: Flow {
    public enum Action: FlowAction {
        case rate(booking: Int64, stars: Int)
        /// No comment after the stars.
        case skip(booking: Int64)

        public static let flow: FlowID = "r"
        public static let shapes: [String: [ButtonField]] = ["r": [.id, .stars], "rs": [.id]]
        public var encoded: ButtonCode {
            switch self {
            case .rate(let booking, let stars): return ButtonCode("r", [Int(booking), stars])
            case .skip(let booking): return ButtonCode("rs", [Int(booking)])
            }
        }
        public init?(code: String, numbers: [Int]) {
            switch (code, numbers.count) {
            case ("r", 2): self = .rate(booking: Int64(numbers[0]), stars: numbers[1])
            case ("rs", 1): self = .skip(booking: Int64(numbers[0]))
            default: return nil
            }
        }
    }

    /// Rated: the next text is this booking's comment.
    public struct State: Codable, Sendable, Equatable {
        public var booking: Int64
    }

    public enum Change: FlowChange {
        case rate(booking: Int64, stars: Int)
        case comment(booking: Int64, text: String)

        public func audit(of outcome: Outcome?) -> AuditAction? { nil }
        public func apply(to store: any StoreChanges, by actor: ChangeActor) throws -> Outcome {
            switch self {
            case .rate(let booking, let stars): return .rated(try store.rate(booking: booking, by: actor.id, stars: stars))
            case .comment(let booking, let text): return .commented(try store.comment(booking: booking, by: actor.id, text: text))
            }
        }

        public enum Outcome: Sendable, Equatable {
            case rated(RatingOutcome)
            case commented(Bool)
        }
    }

    public init() {}

    public func awaitsText(_ state: State) -> Bool { true }

    public func plan(_ event: Event<Action>, state: State?, in context: Context) -> Plan<NoQuery, Change> {
        switch event {
        case .pressed(.rate(let booking, let stars), _): return Plan(change: .rate(booking: booking, stars: stars))
        case .typed(let text):
            guard let state else { return Plan() }
            return Plan(change: .comment(booking: state.booking, text: ReviewLimits.storable(text)))
        default: return Plan()
        }
    }

    public func respond(_ event: Event<Action>, state: State?, read: Void, outcome: Change.Outcome?,
                        in context: Context) -> Reply<State> {
        let say = context.say
        switch event {
        case .pressed(.rate(let booking, let stars), let entry):
            switch outcome {
            case .rated(.saved)?:
                return context.show(.askReviewComment(stars: stars), buttons: [[say.button(.skipComment, Action.skip(booking: booking))]],
                                    entry: entry, alert: .ratingSaved(stars: stars), next: .open(State(booking: booking)))
            case .rated(.alreadyReviewed)?: return context.alertOnly(.alreadyReviewed)
            case .rated(.notYet)?: return context.alertOnly(.reviewTooEarly)
            default: return context.alertOnly(.bookingNotFound)
            }
        case .pressed(.skip, let entry):
            return context.show(.reviewThanks, buttons: [], entry: entry, next: .close)
        case .typed:
            // The comment arrived (or there was none left to take): thanks, and the menu.
            let clearing: [Outgoing] = context.openMessageID.map { [.clearButtons(messageID: $0)] } ?? []
            return context.idle(clearing + [say.menu(.reviewThanks)])
        case .opened:
            return context.keep([say.menu(.unknownInput)])
        }
    }
}

/// The review limits the dialogue keeps (the `reviews` table's CHECK says the same).
public enum ReviewLimits {
    /// In Unicode scalars: the CHECK counts with `char_length`, which counts code points.
    public static let maxCommentLength = 2000

    /// The comment as it can be stored: whole characters while they fit in
    /// `maxCommentLength` scalars. Counting characters would not do: "👍🏽" is one
    /// character but two scalars, and a comment over the CHECK fails its update on every
    /// attempt.
    /// NUL is dropped: PostgreSQL text cannot hold it, and a comment that can never be
    /// stored would fail its update on every attempt.
    public static func storable(_ raw: String) -> String {
        let text = raw.contains("\u{0}") ? raw.replacingOccurrences(of: "\u{0}", with: "") : raw
        var used = 0
        var end = text.startIndex
        while end < text.endIndex {
            let next = text.index(after: end)
            let size = text.unicodeScalars[end..<next].count
            if used + size > maxCommentLength { break }
            used += size
            end = next
        }
        // A single character longer than the whole limit (a letter under thousands of
        // combining marks) is cut inside.
        if end == text.startIndex, !text.isEmpty {
            return String(String.UnicodeScalarView(text.unicodeScalars.prefix(maxCommentLength)))
        }
        return String(text[..<end])
    }
}

