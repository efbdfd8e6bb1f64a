import Booking
@testable import Conversation
import Foundation

/// Target `callback-data`: any bytes as a button's data. Parsing must never trap; what a
/// flow's buttons accept must encode back to the same action within 64 bytes (version 2
/// data to the very same text); and the press must go through the router like any other,
/// answered once, reaching the store only when accepted.
@_cdecl("LLVMFuzzerTestOneInput")
public func callbackDataFuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let scenario = Scenario.plain
    let now = scenario.now
    if case .success(let parsed) = CallbackEnvelope.parse(text, now: now) {
        for type in actionTypes { roundTrip(text, parsed, as: type, now: now) }
    }
    let press = Incoming.button(queryID: "q", data: text, messageID: 1, from: Person(id: 1, firstName: "F"))
    _ = RouterCase.run(press, stored: nil, scenario: scenario)
    return 0
}

/// The buttons of every flow, and the router's own.
private let actionTypes: [any FlowAction.Type] = [
    StartFlow.Action.self, BookingFlow.Action.self, MyBookingsFlow.Action.self, CancelFlow.Action.self,
    MoveFlow.Action.self, ReviewFlow.Action.self, StaffMenuFlow.Action.self, AuditExportFlow.Action.self, AuditLogFlow.Action.self,
    // The staff side, one flow a line.
    NotificationsFlow.Action.self,
    DashboardFlow.Action.self,
    SettingsFlow.Action.self,
    ScheduleFlow.Action.self,
    StaffBookingFlow.Action.self,
    ClientsFlow.Action.self,
    ServicesFlow.Action.self,
    ServiceFormFlow.Action.self,
    MassChangeFlow.Action.self,
    AdminsFlow.Action.self,
    BookingsExportFlow.Action.self,
    BlockingFlow.Action.self,
    FieldEditorFlow.Action.self,
    BroadcastFlow.Action.self,
    CoreAction.self,
]

private func roundTrip<A: FlowAction>(_ text: String, _ parsed: CallbackEnvelope.Parsed, as type: A.Type, now: Date) {
    guard let action = CallbackEnvelope.decode(text, as: type, now: now) else { return }
    let again = CallbackEnvelope.encode(action, issuedAt: parsed.issuedAt)
    guard again.utf8.count <= CallbackEnvelope.maxBytes, CallbackEnvelope.decode(again, as: type, now: now) == action,
          action.encoded == parsed.button else {
        fatalError("'\(text)' decodes to \(action), which does not round-trip: '\(again)'")
    }
    if text.hasPrefix("2."), again != text { fatalError("'\(text)' decodes to \(action), which encodes as '\(again)'") }
}
