import Booking
@testable import Texts
import XCTest

/// The audit screen says a change the store refused did not happen, with why in words,
/// whatever the change was (one mechanism for bookings, services and settings).
final class AuditWordsTests: XCTestCase {
    private func page(_ action: StaffAuditAction, _ language: Language) -> String {
        let time = LocalDateTime(Date(timeIntervalSince1970: 1_796_281_200), clock: BusinessClock(zoneIdentifier: "Europe/Moscow")!)
        let line = StaffAuditLine(time: time, actorID: 1, actorName: "Olga", actorUsername: nil, action: action, target: nil, allowed: true)
        return StaffText.auditPage(lines: [line], page: 1, pages: 1, total: 1).text(in: language)
    }

    func testARefusedChangeSaysWhyInWordsForEveryKindOfChange() {
        let refused: [(StaffAuditAction, String, String)] = [
            (.refusedByStore(.bookingCancelled(reason: ""), why: "overlaps_booking"), "booking cancelled — not done: time taken",
             "— не выполнено: время занято"),
            (.refusedByStore(.serviceCreated(name: "Spa"), why: "nameTaken"), "service: created “Spa” — not done: name taken",
             "— не выполнено: название занято"),
            (.refusedByStore(.settingChanged(key: "slot_step_minutes", old: "", new: "0"), why: "outOfRange"),
             "— not done: value out of range", "— не выполнено: значение вне допустимого"),
            (.refusedByStore(.bookingMoved, why: "something_new"), "booking moved — not done: something_new", "— не выполнено: something_new"),
        ]
        for (action, english, russian) in refused {
            XCTAssertTrue(page(action, .en).contains(english), page(action, .en))
            XCTAssertTrue(page(action, .ru).contains(russian), page(action, .ru))
        }
        XCTAssertFalse(page(.bookingMoved, .en).contains("not done"), "an allowed change reads as done")
    }

    func testBlocksAndFieldEditsReadInWords() {
        XCTAssertTrue(page(.blockCreated(reason: "Holiday", cancelled: 3), .en).contains("blocked time (Holiday); bookings cancelled: 3"))
        XCTAssertTrue(page(.blockCreated(reason: "Отпуск", cancelled: 2), .ru).contains("закрыл(а) время (Отпуск); отменено записей: 2"))
        XCTAssertTrue(page(.refusedByStore(.blockCreated(reason: "Holiday", cancelled: 0), why: "bookings_changed"), .en).contains("not done"))
        XCTAssertTrue(page(.blockRemoved(reason: "Holiday"), .en).contains("removed a block (Holiday)"))
        XCTAssertTrue(page(.fieldEdited(field: "name", old: "Haircut", new: "Beard trim"), .en).contains("edited the field “name”: Haircut → Beard trim"))
        XCTAssertTrue(page(.fieldEdited(field: "display_name", old: "", new: "Max"), .ru).contains("«имя сотрудника»: — → Max"))
    }
}
