import Booking
@testable import Conversation
import Foundation
@testable import Telegram

/// Target `update`: any bytes as an update's JSON, as the ingress queues it and the
/// worker reads it: `Update.decode`, then `IncomingUpdate.read` (the worker's, compiled
/// in from Sources/Worker), then the router with the plainest world and no stored state.
/// Valid JSON also goes through `RawJSON`'s scanner, which cuts getUpdates answers.
@_cdecl("LLVMFuzzerTestOneInput")
public func updateFuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = Data(UnsafeRawBufferPointer(start: start, count: count))
    // RawJSON's contract is valid JSON (the client decodes the answer first): on anything
    // else it may loop, so only valid documents go in.
    if (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil {
        _ = RawJSON.member("result", of: data)
        _ = RawJSON.elements(of: data)
    }
    guard let update = try? Update.decode(data) else { return 0 }
    _ = (update.chatID, update.fromID, update.from, update.kind.description)
    _ = update.message?.command
    guard let incoming = IncomingUpdate.read(update) else { return 0 }
    _ = RouterCase.run(incoming, stored: nil, scenario: Scenario.plain)
    return 0
}
