import Booking
@testable import Conversation
import Foundation

// Writes the seed corpora of Fuzz/corpus/ (`scripts/fuzz --make-seeds`): real shapes,
// with buttons made by the real encoder at `Scenario.baseNow`, so that libFuzzer
// starts from inputs that reach deep into each target. Rerun after a format change.

let root = URL(fileURLWithPath: CommandLine.arguments[1])
let now = Scenario.baseNow
let clock = Scenario.plain.clock
let today = clock.localDate(of: now)
let month = MonthIndex.of(today)
let tomorrow = today.adding(days: 1).dayNumber
let slot = MinuteStamp.of(clock.instant(of: today.adding(days: 1), minute: 11 * 60)!)

func data<Action: FlowAction>(_ action: Action) -> String { CallbackEnvelope.encode(action, issuedAt: now) }

let actions: [(name: String, data: String)] = [
    ("menu", data(StartFlow.Action.menu)), ("how-it-works", data(StartFlow.Action.howItWorks)),
    ("book-now", data(BookingFlow.Action.bookNow)), ("services", data(BookingFlow.Action.services)),
    ("pick-service", data(BookingFlow.Action.pickService(service: 1))), ("month", data(BookingFlow.Action.month(service: 1, month: month))),
    ("next-month", data(BookingFlow.Action.month(service: 1, month: month + 1))), ("day", data(BookingFlow.Action.day(service: 1, day: tomorrow))),
    ("slot", data(BookingFlow.Action.slot(service: 1, start: slot))), ("confirm", data(BookingFlow.Action.confirm(service: 1, start: slot))),
    ("cancel-flow", data(CoreAction.close)), ("noop", data(CoreAction.noop)), ("my-bookings", data(MyBookingsFlow.Action.list)),
    ("ask-cancel", data(CancelFlow.Action.ask(booking: 1))), ("confirm-cancel", data(CancelFlow.Action.confirm(booking: 1))),
    ("move", data(MoveFlow.Action.start(booking: 1))), ("move-month", data(MoveFlow.Action.month(booking: 1, month: month))),
    ("move-day", data(MoveFlow.Action.day(booking: 1, day: tomorrow))), ("move-slot", data(MoveFlow.Action.slot(booking: 1, start: slot))),
    ("confirm-move", data(MoveFlow.Action.confirm(booking: 1, start: slot))),
    ("rate", data(ReviewFlow.Action.rate(booking: 1, stars: 5))), ("skip-review", data(ReviewFlow.Action.skip(booking: 1))),
    ("staff-home", data(StaffMenuFlow.Action.home)), ("staff-rules", data(StaffMenuFlow.Action.rules)),
    ("audit-log-page", data(AuditLogFlow.Action.page(1))), ("audit-export", data(AuditExportFlow.Action.ask)), ("audit-export-confirm", data(AuditExportFlow.Action.confirm)),
    ("dashboard", data(DashboardFlow.Action.show)),
    ("settings", data(SettingsFlow.Action.overview)), ("settings-edit", data(SettingsFlow.Action.edit(1))),
    ("settings-week", data(SettingsFlow.Action.week)), ("settings-day", data(SettingsFlow.Action.day(1))),
    ("settings-all-days", data(SettingsFlow.Action.allDays)), ("settings-day-off", data(SettingsFlow.Action.dayOff)),
    ("settings-clear", data(SettingsFlow.Action.clear)), ("settings-confirm", data(SettingsFlow.Action.confirm)),
    ("schedule", data(ScheduleFlow.Action.overview)), ("schedule-day", data(ScheduleFlow.Action.day(tomorrow))),
    ("staff-card", data(StaffBookingFlow.Action.card(1))), ("staff-cancel", data(StaffBookingFlow.Action.cancel(1))),
    ("staff-confirm-cancel", data(StaffBookingFlow.Action.confirmCancel(1))), ("staff-move", data(StaffBookingFlow.Action.move(1))),
    ("staff-move-month", data(StaffBookingFlow.Action.moveMonth(1, month: month))),
    ("staff-move-day", data(StaffBookingFlow.Action.moveDay(1, day: tomorrow))),
    ("staff-move-slot", data(StaffBookingFlow.Action.moveSlot(1, start: slot))),
    ("staff-confirm-move", data(StaffBookingFlow.Action.confirmMove(1, start: slot))),
    ("staff-completed", data(StaffBookingFlow.Action.close(1, .completed))), ("staff-no-show", data(StaffBookingFlow.Action.close(1, .noShow))),
    ("clients", data(ClientsFlow.Action.home)), ("clients-find", data(ClientsFlow.Action.find)), ("client-card", data(ClientsFlow.Action.client(1))),
    ("staff-services", data(ServicesFlow.Action.list)), ("service-card", data(ServicesFlow.Action.card(1))),
    ("service-on", data(ServicesFlow.Action.activate(1))), ("service-off", data(ServicesFlow.Action.deactivate(1))),
    ("service-up", data(ServicesFlow.Action.up(1))), ("service-down", data(ServicesFlow.Action.down(1))),
    ("service-archive", data(ServicesFlow.Action.archive(1))), ("service-ask-delete", data(ServicesFlow.Action.askDelete(1))),
    ("service-delete", data(ServicesFlow.Action.delete(1))), ("service-restore", data(ServicesFlow.Action.restore(1))),
    ("service-page", data(ServicesFlow.Action.page(1))),
    ("service-new", data(ServiceFormFlow.Action.new)), ("service-edit", data(ServiceFormFlow.Action.edit(1))),
    ("service-form-skip", data(ServiceFormFlow.Action.form(.skip))), ("service-form-back", data(ServiceFormFlow.Action.form(.back))),
    ("service-form-edit", data(ServiceFormFlow.Action.form(.edit(0)))), ("service-form-confirm", data(ServiceFormFlow.Action.form(.confirm))),
    ("mass-home", data(MassChangeFlow.Action.home)), ("mass-month", data(MassChangeFlow.Action.month(month))),
    ("mass-day", data(MassChangeFlow.Action.day(tomorrow))), ("mass-whole-day", data(MassChangeFlow.Action.wholeDay(tomorrow))),
    ("mass-change-minutes", data(MassChangeFlow.Action.changeMinutes)), ("mass-confirm-shift", data(MassChangeFlow.Action.confirmShift(serial: 1))),
    ("mass-sources", data(MassChangeFlow.Action.sources)), ("mass-source", data(MassChangeFlow.Action.source(1))),
    ("mass-target", data(MassChangeFlow.Action.target(1, 2))), ("mass-confirm-move", data(MassChangeFlow.Action.confirmMove(1, 2))),
    ("admins", data(AdminsFlow.Action.list)), ("admins-member", data(AdminsFlow.Action.member(1))), ("admins-add", data(AdminsFlow.Action.add)),
    ("admins-add-as", data(AdminsFlow.Action.addAs(1, superAdmin: false))), ("admins-ask-role", data(AdminsFlow.Action.askRole(1, superAdmin: true))),
    ("admins-set-role", data(AdminsFlow.Action.setRole(1, superAdmin: true))), ("admins-ask-remove", data(AdminsFlow.Action.askRemove(1))),
    ("admins-remove", data(AdminsFlow.Action.remove(1))),
    ("bookings-export", data(BookingsExportFlow.Action.ask)),
    ("bookings-export-range", data(BookingsExportFlow.Action.range(from: tomorrow, to: tomorrow))),
    ("bookings-export-confirm", data(BookingsExportFlow.Action.confirm(from: tomorrow, to: tomorrow))),
    ("notifications", data(NotificationsFlow.Action.show)), ("notice-new", data(NotificationsFlow.Action.set(.newBooking, on: false))),
    ("notice-cancel", data(NotificationsFlow.Action.set(.cancellation, on: true))), ("notice-move", data(NotificationsFlow.Action.set(.move, on: true))),
    ("blocks", data(BlockingFlow.Action.list(0))), ("block-card", data(BlockingFlow.Action.card(1))),
    ("block-unblock", data(BlockingFlow.Action.unblock(1))), ("block-confirm-unblock", data(BlockingFlow.Action.confirmUnblock(1))),
    ("block-new", data(BlockingFlow.Action.new)), ("block-kind", data(BlockingFlow.Action.kind(.day))),
    ("block-kind-slot", data(BlockingFlow.Action.kind(.slot))), ("block-kind-hours", data(BlockingFlow.Action.kind(.hours))),
    ("block-kind-days", data(BlockingFlow.Action.kind(.days))),
    ("block-month", data(BlockingFlow.Action.month(month))), ("block-day", data(BlockingFlow.Action.day(tomorrow))),
    ("block-slot", data(BlockingFlow.Action.slot(start: slot))), ("block-confirm", data(BlockingFlow.Action.confirm)),
    ("field-editor", data(FieldEditorFlow.Action.home)), ("field-services", data(FieldEditorFlow.Action.services(page: 0))),
    ("field-blocks", data(FieldEditorFlow.Action.blocks(page: 0))), ("field-staff", data(FieldEditorFlow.Action.staff)),
    ("field-service", data(FieldEditorFlow.Action.service(1))), ("field-service-field", data(FieldEditorFlow.Action.serviceField(1, field: 0))),
    ("field-block", data(FieldEditorFlow.Action.block(1))), ("field-member", data(FieldEditorFlow.Action.member(1))),
    ("broadcasts", data(BroadcastFlow.Action.list)), ("broadcast-new", data(BroadcastFlow.Action.new)),
    ("broadcast-confirm", data(BroadcastFlow.Action.confirm)), ("broadcast-show", data(BroadcastFlow.Action.show(1))),
]

// Every action of every registered flow (and the router's) has its seed.
let seeded = Set(actions.map { action -> String in
    guard case .success(let parsed) = CallbackEnvelope.parse(action.data, now: now) else { fatalError("seed \(action.name) does not parse") }
    return "\(parsed.flow).\(parsed.button.code)"
})
let everyAction = Set((Routes.standard.registered.map { ($0.id, $0.shapes) } + [(CoreAction.flow, CoreAction.shapes)])
    .flatMap { flow, shapes in shapes.keys.map { "\(flow).\($0)" } })
precondition(seeded == everyAction, "seeds missing for \(everyAction.subtracting(seeded).sorted())")

/// The same button as version 1 wrote it (no flow), for the codes version 1 had.
func versionOne(_ data: String) -> String? {
    var fields = data.split(separator: ".").map(String.init)
    guard CallbackEnvelope.legacyFlows[fields[3]] != nil else { return nil }
    fields.remove(at: 2)
    fields[0] = "1"
    return fields.joined(separator: ".")
}

func write(_ target: String, _ name: String, _ bytes: [UInt8]) {
    let folder = root.appendingPathComponent(target)
    try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try! Data(bytes).write(to: folder.appendingPathComponent(name))
}

/// A router case: the header's bytes 0–3 are the kind, the stored state, the button to
/// follow and the role (see `RouterFuzz`), the rest zeros (the plainest world), then
/// the payload.
func routerCase(kind: UInt8, stored: UInt8 = 0, follow: UInt8 = 0, role: UInt8 = 0, _ payload: String) -> [UInt8] {
    var header = [UInt8](repeating: 0, count: FuzzInput.headerSize)
    header[0] = kind
    header[1] = stored
    header[2] = follow
    header[3] = role
    return header + Array(payload.utf8)
}

func json(_ text: String) -> [UInt8] { Array(text.utf8) }
let user = #""from":{"id":42,"is_bot":false,"first_name":"Anna","username":"anna","language_code":"en"}"#
let chat = #""chat":{"id":42,"type":"private","first_name":"Anna"}"#

for (name, data) in actions {
    write("callback-data", name, Array(data.utf8))
    write("router", "press-\(name)", routerCase(kind: 0, data))
    write("router", "press-\(name)-then-first-button", routerCase(kind: 0, stored: 2, follow: 1, data))
    write("update", "callback-\(name)", json("""
        {"update_id":1001,"callback_query":{"id":"4382",\(user),"message":{"message_id":900,"date":1796281100,\(chat),"text":"Choose"},"chat_instance":"-77","data":"\(data)"}}
        """))
    if let old = versionOne(data) {
        write("callback-data", "v1-\(name)", Array(old.utf8))
        write("router", "press-v1-\(name)", routerCase(kind: 0, old))
    }
}
write("router", "press-staff-home-moderator", routerCase(kind: 0, stored: 6, role: 1, data(StaffMenuFlow.Action.home)))
write("router", "press-audit-export-confirm-moderator", routerCase(kind: 0, role: 1, data(AuditExportFlow.Action.confirm)))
write("router", "press-settings-confirm-moderator", routerCase(kind: 0, role: 1, data(SettingsFlow.Action.confirm)))
write("router", "press-audit-export-confirm-super-admin", routerCase(kind: 0, role: 2, data(AuditExportFlow.Action.confirm)))
write("callback-data", "stale", Array(CallbackEnvelope.encode(StartFlow.Action.menu, issuedAt: now.addingTimeInterval(-72 * 3600)).utf8))
write("callback-data", "other-version", Array("3.abc.s.m".utf8))

for command in ["start", "help", "cancel", "book", "my", "admin", "start payload", "unknown"] {
    let name = command.replacingOccurrences(of: " ", with: "-")
    write("router", "command-\(name)", routerCase(kind: 2, command))
    write("router", "command-\(name)-in-a-flow", routerCase(kind: 2, stored: 2, command))
}
write("router", "command-admin-moderator", routerCase(kind: 2, role: 1, "admin"))
write("router", "command-book-then-first-button", routerCase(kind: 2, follow: 1, "book"))
write("router", "command-my-then-first-button", routerCase(kind: 2, follow: 1, "my"))
write("router", "text-book-en", routerCase(kind: 1, "Book"))
write("router", "text-book-ru", routerCase(kind: 1, "Записаться"))
write("router", "text-hello", routerCase(kind: 1, "hello"))
write("router", "text-review-comment", routerCase(kind: 1, stored: 7, String(repeating: "👍🏽", count: 1025)))
write("router", "text-review-comment-v1-state", routerCase(kind: 1, stored: 8, "Great"))
write("router", "text-unreadable-state", routerCase(kind: 1, stored: 11, "hello"))
write("router", "sticker", routerCase(kind: 3, ""))

let message = #"{"update_id":1000,"message":{"message_id":900,"#
write("update", "message-text", json(message + user + "," + chat + #","date":1796281100,"text":"hello"}}"#))
write("update", "message-command", json(message + user + "," + chat + #","date":1796281100,"text":"/start@booking_bot payload","entities":[{"type":"bot_command","offset":0,"length":18}]}}"#))
write("update", "message-menu", json(message + user + "," + chat + #","date":1796281100,"text":"Записаться"}}"#))
write("update", "message-photo", json(message + user + "," + chat + #","date":1796281100,"photo":[{"file_id":"a","file_unique_id":"b","width":90,"height":90,"file_size":1000}],"caption":"look"}}"#))
write("update", "edited-message", json(#"{"update_id":1002,"edited_message":{"message_id":900,"# + user + "," + chat + #","date":1796281100,"edit_date":1796281150,"text":"hello!"}}"#))
write("update", "my-chat-member", json(#"{"update_id":1003,"my_chat_member":{"# + chat + "," + user + #","date":1796281100,"old_chat_member":{"status":"member","user":{"id":7,"is_bot":true,"first_name":"Bot"}},"new_chat_member":{"status":"kicked","user":{"id":7,"is_bot":true,"first_name":"Bot"},"until_date":0}}}"#))
write("update", "unknown-kind", json(#"{"update_id":1004,"message_reaction":{"# + chat + #","user":{"id":42,"is_bot":false,"first_name":"Anna"},"message_id":900,"date":1796281100,"old_reaction":[],"new_reaction":[{"type":"emoji","emoji":"👍"}]}}"#))
write("update", "get-updates-answer", json(#"{"ok":true,"result":[{"update_id":1000,"message":{"message_id":1,"# + chat + #","date":0,"text":"a"}}]}"#))
print("seeds written under \(root.path)")
