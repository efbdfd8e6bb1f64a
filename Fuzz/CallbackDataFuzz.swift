import Booking
@testable import Conversation
import Foundation

/// Target `callback-data`: any bytes as a button's data. Decoding must never trap; what
/// it accepts must encode back to the same action within 64 bytes; and the dialogue's
/// first look at the press (`plan`, which checks plausibility) must not trap either.
@_cdecl("LLVMFuzzerTestOneInput")
public func callbackDataFuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let scenario = Scenario.plain
    let now = Scenario.baseNow
    let ttl = scenario.settings.callbackTTL
    if case .success(let decoded) = CallbackData.decode(text, now: now, ttl: ttl) {
        let again = CallbackData.encode(decoded.action, issuedAt: decoded.issuedAt)
        guard again.utf8.count <= CallbackData.maxBytes,
              case .success(let twice) = CallbackData.decode(again, now: now, ttl: ttl), twice.action == decoded.action else {
            fatalError("'\(text)' decodes to \(decoded.action), which does not round-trip: '\(again)'")
        }
    }
    let press = Incoming.button(queryID: "q", data: text, messageID: 1, from: Person(id: 1, firstName: "F"))
    _ = scenario.dialogue.plan(for: press, now: now)
    return 0
}
