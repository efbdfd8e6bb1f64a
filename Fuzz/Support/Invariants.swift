import Booking
@testable import Conversation
import Foundation
import Texts

/// What must hold for every update, beyond not trapping. A broken one is a finding: it
/// stops the process like a trap would, so libFuzzer keeps the input.
enum Invariants {
    static func check(incoming: Incoming, stored: String?, turn: Turn, session: FuzzSession, scenario: Scenario) {
        func fail(_ what: String) -> Never {
            fatalError("""
                \(what)
                  incoming: \(incoming)
                  stored: \(stored ?? "nil")
                  replies: \(turn.replies)
                  state: \(turn.state)
                  reads: \(session.readsAsked)
                  changes: \(session.changesAsked)
                """)
        }
        let routes = scenario.router.routes
        let say = Speaker(language: scenario.settings.language(forCode: incoming.person.languageCode), now: scenario.now,
                          clock: scenario.clock, staff: scenario.situation(for: incoming.person).role != .client)

        // A state that could not be read is reset, said, and reported; the flow starts idle.
        var start = ConversationState.idle
        var lead = 0
        if turn.problem != nil {
            if turn.replies.first != say.menu(.flowReset) { fail("a reset state was not said first") }
            lead = 1
        } else if let stored {
            guard case .success(let state) = ConversationState.decode(stored) else { fail("an unreadable state was not reported") }
            start = state
        }

        if case .button(let queryID, let data, _, _) = incoming {
            // Every press is answered exactly once, last (its spinner stops on the new screen).
            let answers = turn.replies.filter { if case .answer(let id, _, _) = $0 { return id == queryID } else { return false } }
            if answers.count != 1 { fail("a press got \(answers.count) answers") }
            guard case .answer? = turn.replies.last else { fail("a press's answer is not the last reply") }
            // Data the bot did not make, or made too long ago, reads nothing and changes nothing.
            if rejected(data, scenario: scenario) {
                if session.touched { fail("a rejected press reached the store") }
                if turn.state != start || !turn.effects.isEmpty || turn.replies.count - lead > 2 { fail("a rejected press changed something") }
            }
        } else if turn.replies.contains(where: { if case .answer = $0 { return true } else { return false } }) {
            fail("an answer without a press")
        }

        // At most one change an update; comments fit the reviews CHECK; forged times never
        // reach the store; a notice only for a change that ran, a job only for a staff one.
        if session.changesAsked.count > 1 { fail("\(session.changesAsked.count) changes in one update") }
        if session.changesRun.count > 1 { fail("\(session.changesRun.count) changes run in one update") }
        let plausible = ButtonField.start.range(today: scenario.today)
        for change in session.changesAsked {
            switch change {
            case .comment(let text):
                if text.unicodeScalars.count > ReviewLimits.maxCommentLength { fail("a comment of \(text.unicodeScalars.count) scalars would break the reviews CHECK") }
                if text.contains("\u{0}") { fail("a comment with NUL, which PostgreSQL text cannot hold") }
            case .book(let start), .move(let start):
                if !plausible.contains(MinuteStamp.of(start)) { fail("an implausible time reached the store: \(start)") }
            case .setting(let setting):
                if !SettingsStoreRanges.takes(setting) { fail("a setting the store would refuse reached it: \(setting)") }
            case .notice(let owner):
                if owner != session.person { fail("a notice choice reached the store for someone else: \(owner)") }

            case .service(let fields?):
                // What the services table's CHECKs hold, and what PostgreSQL text can.
                let texts = [fields.name, fields.description, fields.priceText]
                if !(3...100).contains(fields.name.unicodeScalars.count) || fields.description.unicodeScalars.count > 500
                    || fields.priceText.unicodeScalars.count > 50 || !(15...480).contains(fields.durationMinutes)
                    || !(0...999_999_999_999).contains(fields.priceCents ?? 0) || texts.contains(where: { $0.contains("\u{0}") }) {
                    fail("service fields the services table would refuse: \(fields)")
                }
            case .massShift(let minutes):
                if minutes == 0 || abs(minutes) > DayShift.maxMinutes || minutes % DayShift.stepMinutes != 0 {
                    fail("a shift the screens would not offer reached the store: \(minutes) minutes")
                }
            case .staff(let id):
                if id < 1 { fail("a staff change named id \(id)") }
            case .block(let range, let reason):
                // What the blocks table's CHECKs hold.
                if range.end <= range.start || reason.unicodeScalars.count > 500 || reason.contains("\u{0}") || BlockReasonInput.problem(reason) != nil {
                    fail("a block the blocks table (or its reason's check) would refuse: \(range) \(reason.prefix(40))")
                }
            case .fieldText(let text):
                if text.unicodeScalars.count > 500 || text.contains("\u{0}") { fail("a field value no column would hold: \(text.prefix(40))") }
                        case .broadcast(let text, let photo):
                // What the broadcasts table's CHECK holds, and what Telegram takes.
                let limit = photo == nil ? 4096 : 1024
                if text.utf16.count > limit || (text.isEmpty && photo == nil) || text.contains("\u{0}") {
                    fail("a broadcast text the table or Telegram would refuse: \(text.utf16.count) units")
                }
            case .cancel, .rate, .closeVisit, .service(nil), .serviceMove, .unblock:
                break
            }
        }
        if !turn.effects.isEmpty && session.changesRun.isEmpty { fail("an effect without a change") }
        if turn.effects.contains(where: \.startsJob) && !session.changesRun.contains(where: \.isStaff) {
            fail("a job started without a staff change")
        }
        if !session.refusals.isEmpty && !session.changesAsked.isEmpty { fail("a refused step changed something") }

        // The state stored is one the next update reads as it is.
        guard case .success(let again) = ConversationState.decode(turn.state.encoded()), again == turn.state else {
            fail("the state stored does not read back: \(turn.state.encoded())")
        }
        if let flow = turn.state.flow {
            guard let open = routes.flows[flow], open.readsDraft(turn.state.draft) else { fail("the open flow cannot read its own state") }
        }

        // The bot's own buttons work when pressed: within 64 bytes, fresh, and taken by the
        // flow they name (whatever dates the store holds: no button carries a stored date).
        for reply in turn.replies {
            let buttons: [[InlineButton]]
            switch reply {
            case .message(_, _, let rows?), .edit(_, _, let rows?): buttons = rows
            default: continue
            }
            for button in buttons.joined() {
                guard case .success(let parsed) = CallbackEnvelope.parse(button.data, now: scenario.now),
                      scenario.now.timeIntervalSince(parsed.issuedAt) <= max(scenario.settings.callbackTTL, 60),
                      accepts(parsed, scenario: scenario) else {
                    fail("the bot made a button it refuses: '\(button.data)' (\(button.text))")
                }
            }
        }
    }

    /// Whether the router turns these data away before any flow runs: not ours, or stale.
    static func rejected(_ data: String, scenario: Scenario) -> Bool {
        guard case .success(let parsed) = CallbackEnvelope.parse(data, now: scenario.now), accepts(parsed, scenario: scenario) else { return true }
        return scenario.now.timeIntervalSince(parsed.issuedAt) > scenario.settings.callbackTTL
    }

    /// Whether the numbers are an action of the flow the data name (or the router's own).
    static func accepts(_ parsed: CallbackEnvelope.Parsed, scenario: Scenario) -> Bool {
        if parsed.flow == CoreAction.flow {
            return CoreAction.decode(code: parsed.button.code, numbers: parsed.button.numbers, today: scenario.today) != nil
        }
        return scenario.router.routes.flows[parsed.flow]?.accepts(parsed.button, scenario.today) ?? false
    }
}

/// The values `SettingsStore` takes (its `apply` ranges), for the invariant that the
/// settings screens never send one it would refuse.
enum SettingsStoreRanges {
    static func takes(_ change: SettingChange) -> Bool {
        switch change {
        case .number(let setting, let number):
            let ranges: [SettingName: ClosedRange<Int>] = [.slotStep: 5...720, .horizon: 0...24, .notice: 0...43_200, .limit: 1...100,
                                                           .cancelCutoff: 0...720, .moveCutoff: 0...720, .feedback: 0...720]
            return ranges[setting]?.contains(number) ?? false
        case .reminders(let offsets):
            return offsets.count <= 5 && offsets.allSatisfy { (1...43_200).contains($0) }
        case .text(let setting, let text):
            return (setting == .address || setting == .contact) && text.count <= 200 && !text.contains("\u{0}")
        case .hours(let days, _):
            return !days.isEmpty && days.count <= 7
        }
    }
}
