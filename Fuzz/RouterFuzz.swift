import Booking
@testable import Conversation
import Foundation
import Texts

/// Target `router`: the conversation over an arbitrary stored state, update, role and
/// store, through `Router.handle` with an in-memory session (`FuzzSession`); then, when
/// the header says so, a press of one of the buttons the bot just made, from the state it
/// just stored. The header (`FuzzInput`) chooses the kind of update (byte 0), the stored
/// state (byte 1), the button to follow (byte 2), the role (byte 3) and the rest of the
/// world; the payload is the text, command or button data.
@_cdecl("LLVMFuzzerTestOneInput")
public func routerFuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    var input = FuzzInput(UnsafeRawBufferPointer(start: start, count: count))
    let kind = input.byte()
    let storedChoice = input.byte()
    let follow = input.byte()
    let scenario = Scenario(&input)
    let incoming = RouterCase.incoming(kind: kind, &input)
    let stored = RouterCase.stored(storedChoice, &input)
    let turn = RouterCase.run(incoming, stored: stored, scenario: scenario)
    _ = scenario.router.apology(for: incoming, now: scenario.now)
    _ = scenario.router.tooFast(incoming, warn: input.bool())

    // Follow one of the bot's own buttons, as the person would next.
    let buttons = turn.replies.flatMap { reply -> [InlineButton] in
        switch reply {
        case .message(_, _, let rows?), .edit(_, _, let rows?): return Array(rows.joined())
        default: return []
        }
    }
    if follow > 0, !buttons.isEmpty {
        let button = buttons[Int(follow - 1) % buttons.count]
        let press = Incoming.button(queryID: "q2", data: button.data, messageID: 900, from: incoming.person)
        _ = RouterCase.run(press, stored: turn.state.encoded(), scenario: scenario)
    }
    return 0
}
