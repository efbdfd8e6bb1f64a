import Foundation

/// The conversation's state per chat and person, stored between updates: which flow is
/// open, on which message, and that flow's own draft (its `State` as JSON).
public struct ConversationState: Sendable, Equatable, Codable {
    public var flow: FlowID?
    /// The message the open flow is shown on, when known: `/cancel` and `/start` take its
    /// buttons away.
    public var messageID: Int64?
    /// The open flow's `State`, encoded.
    public var draft: String?

    public init(flow: FlowID? = nil, messageID: Int64? = nil, draft: String? = nil) {
        self.flow = flow
        self.messageID = messageID
        self.draft = draft
    }

    public static let idle = ConversationState()

    /// `conversations.state`: the open flow's id, or `idle`.
    public var storedName: String { flow?.rawValue ?? "idle" }

    /// `conversations.data`.
    public func encoded() -> String {
        String(decoding: (try? JSONEncoder().encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The stored state, or why it cannot be read. The shape before flows had names
    /// (`{"screen": …, "flowMessageID": …, "reviewBooking": …}`) is still read.
    public static func decode(_ data: String) -> Result<ConversationState, StateProblem> {
        let bytes = Data(data.utf8)
        let unreadable = StateProblem(reason: "the stored conversation state is not one this version reads")
        // Version 1's shape first: every field of the current one is optional, so any
        // object, version 1's included, would read as idle.
        if let legacy = try? JSONDecoder().decode(LegacyState.self, from: bytes) {
            return legacy.converted.map { .success($0) } ?? .failure(unreadable)
        }
        if let state = try? JSONDecoder().decode(ConversationState.self, from: bytes) { return .success(state) }
        return .failure(unreadable)
    }

    /// Version 1's state: a screen name and the fields some screens kept.
    private struct LegacyState: Decodable {
        var screen: String
        var flowMessageID: Int64?
        var reviewBooking: Int64?

        var converted: ConversationState? {
            let flows: [String: FlowID] = ["booking": BookingFlow.id, "myBookings": MyBookingsFlow.id, "cancelling": CancelFlow.id,
                                          "moving": MoveFlow.id, "reviewComment": ReviewFlow.id]
            if screen == "idle" { return .idle }
            guard let flow = flows[screen] else { return nil }
            var draft: String?
            if flow == ReviewFlow.id {
                guard let booking = reviewBooking else { return nil }
                draft = #"{"booking":\#(booking)}"#
            }
            return ConversationState(flow: flow, messageID: flowMessageID, draft: draft)
        }
    }
}

/// A stored state (or a flow's draft) that could not be read: the person is told the flow
/// was reset, and the operators hear of it (it is logged as an error, so it reaches Sentry).
public struct StateProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
