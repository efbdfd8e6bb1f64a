import Dispatch
import Foundation
import Telegram

// getUpdates: long polls answered at once when something is pending, else when something
// arrives or the timeout ends; a newer poll ends the older one, as Telegram does.
extension SandboxWorld {
    struct PollTicket {
        let id: Int
        let limit: Int
        let deadline: DispatchTime
    }

    enum PollStep {
        case answer(BotAPIResult)
        case wait(PollTicket, generation: Int)
    }

    /// Confirms what `offset` confirms and answers at once when there is something to
    /// answer; otherwise registers the long poll (ending any other one: Telegram tells
    /// the older request it was terminated).
    func startPoll(_ parameters: Parameters) throws -> PollStep {
        let offset = try parameters.int("offset")
        let limit = Int(min(max(try parameters.int("limit") ?? 100, 1), 100))
        let timeout = Int(max(try parameters.int("timeout") ?? 0, 0))
        let allowed = try parameters.decode("allowed_updates", as: [String].self, failure: .badRequest("can't parse allowed updates"))
        return try locked { state in
            if state.webhook.config != nil { throw BotAPIFailure.webhookActive }
            if state.polls.terminateActive() { state.changed() }
            if let offset, state.updates.confirm(offset) { state.changed() }
            if let allowed { state.updates.allow(allowed) }
            let batch = state.updates.first(limit)
            if !batch.isEmpty || timeout == 0 || state.stopped { return .answer(.updates(batch)) }
            let ticket = state.polls.begin(limit: limit, deadline: .now() + .seconds(timeout))
            return .wait(ticket, generation: state.version)
        }
    }

    func continuePoll(_ ticket: PollTicket) throws -> PollStep {
        try locked { state in
            if state.polls.wasTerminated(ticket) { throw BotAPIFailure.pollConflict }
            let batch = state.updates.first(ticket.limit)
            let done = !batch.isEmpty || state.stopped || state.webhook.config != nil || DispatchTime.now() >= ticket.deadline
            guard done else { return .wait(ticket, generation: state.version) }
            state.polls.end(ticket)
            if state.webhook.config != nil { throw BotAPIFailure.webhookActive }
            return .answer(.updates(batch))
        }
    }
}

/// The long poll waiting now, and the ones a newer poll ended (they answer with a conflict).
struct PollState {
    private var active: Int?
    private var terminated: Set<Int> = []
    private var nextID = 1

    /// Ends the waiting poll, if any; true when there was one.
    mutating func terminateActive() -> Bool {
        guard let active else { return false }
        terminated.insert(active)
        self.active = nil
        return true
    }

    mutating func begin(limit: Int, deadline: DispatchTime) -> SandboxWorld.PollTicket {
        let ticket = SandboxWorld.PollTicket(id: nextID, limit: limit, deadline: deadline)
        nextID += 1
        active = ticket.id
        return ticket
    }

    /// Whether a newer poll ended this one (asked once: the answer is then given).
    mutating func wasTerminated(_ ticket: SandboxWorld.PollTicket) -> Bool {
        terminated.remove(ticket.id) != nil
    }

    mutating func end(_ ticket: SandboxWorld.PollTicket) {
        if active == ticket.id { active = nil }
    }
}
