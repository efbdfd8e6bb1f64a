import Booking
import BotTestSupport
import Foundation
@testable import Reminders
import Store
import Texts
import XCTest

/// The bookings export's CSV (SPEC admin 13): the header in the requester's language, one
/// row per booking with local dates and times, the hostile text of names and cancel
/// reasons kept whole (quoted, formulas neutralised), and Python's csv module reading it
/// back to exactly the rows written.
final class BookingsExportCSVTests: XCTestCase {
    private let clock = BusinessClock(zoneIdentifier: "Europe/Moscow")!
    /// 2026-03-05 11:00 UTC, 14:00 in Moscow.
    private let t0 = Date(timeIntervalSince1970: 1_772_708_400)

    private func row(_ id: Int64, start: Date, minutes: Double = 60, first: String? = "Анна", last: String? = nil, username: String? = nil,
                     status: String = "confirmed", by: Int64? = nil, byName: String? = nil, reason: String? = nil,
                     service: String = "Стрижка", price: String = "1 500 ₽") -> BookingExportRow {
        BookingExportRow(id: id, start: start, end: start.addingTimeInterval(minutes * 60), service: service, priceText: price, clientID: 100 + id,
                         clientFirstName: first, clientLastName: last, clientUsername: username, status: status, cancelledBy: by,
                         cancelledByName: byName, cancelReason: reason, createdAt: t0)
    }

    func testTheHeaderAndStatusesSpeakTheRequestersLanguageAndTimesAreLocal() throws {
        // 22:30 Moscow for two hours: the row's date is the start's, its end after midnight.
        let late = Date(timeIntervalSince1970: 1_772_739_000)
        let rows = [row(1, start: late, minutes: 120, last: "Иванова", username: "anna"),
                    row(2, start: t0, status: "cancelled", by: 1, byName: "Ольга", reason: "Болезнь"),
                    row(3, start: t0, first: nil, status: "no_show"), row(4, start: t0, first: "", status: "completed")]
        let ru = try PythonCSV.rows(of: try BookingsExport.csv(rows, language: .ru, clock: clock))
        XCTAssertEqual(ru[0], ["ID", "Дата", "Начало", "Конец", "Услуга", "Клиент", "Ник в Telegram", "ID клиента", "Статус", "Цена",
                               "Кто отменил", "Причина отмены", "Создана"])
        XCTAssertEqual(ru[1], ["1", "2026-03-05", "22:30", "00:30", "Стрижка", "Анна Иванова", "anna", "101", "подтверждена", "1 500 ₽", "", "",
                               "2026-03-05T14:00:00+03:00"])
        XCTAssertEqual(ru[2][8...11], ["отменена", "1 500 ₽", "Ольга (1)", "Болезнь"])
        XCTAssertEqual(ru.dropFirst(3).map { [$0[5], $0[8]] }, [["", "не пришёл"], ["", "состоялась"]])
        let en = try PythonCSV.rows(of: try BookingsExport.csv(rows, language: .en, clock: clock))
        XCTAssertEqual(en[0].first, "ID")
        XCTAssertEqual(en[0][8], "Status")
        XCTAssertEqual(en.dropFirst().map { $0[8] }, ["confirmed", "cancelled", "no-show", "completed"])
    }

    func testHostileTextRoundTripsThroughPythonsCSVModuleWithFormulasNeutralised() throws {
        let reasons = ["a, b", #"say "no""#, "line one\nline two", "crlf\r\ninside", "=HYPERLINK(\"http://x\")", "-1", "+7 999", "@home",
                       "Ёжик, \"в тумане\"\nи ещё", "🙂👨‍👩‍👧", String(repeating: "я,\"\n", count: 300)]
        let rows = reasons.enumerated().map { index, reason in
            row(Int64(index + 1), start: t0, first: "=cmd|' /C calc'!A0", last: "O'Neil, \"Jr\"", status: "cancelled", by: 9,
                byName: "Ольга", reason: reason, service: "Маникюр, \"люкс\"")
        }
        let data = try BookingsExport.csv(rows, language: .en, clock: clock)
        XCTAssertEqual(Array(data.prefix(3)), [0xEF, 0xBB, 0xBF], "a BOM, so Excel reads UTF-8")
        let parsed = try PythonCSV.rows(of: data)
        XCTAssertEqual(parsed.count, reasons.count + 1)
        for (index, reason) in reasons.enumerated() {
            let cells = parsed[index + 1]
            XCTAssertEqual(cells.count, 13)
            XCTAssertEqual(cells[11], CSVDocument.neutralised(reason), "reason \(index)")
            XCTAssertEqual(cells[5], "'=cmd|' /C calc'!A0 O'Neil, \"Jr\"", "a formula-looking name is neutralised, the rest kept")
            XCTAssertEqual(cells[4], "Маникюр, \"люкс\"")
        }
        XCTAssertEqual(parsed[5][11], "'=HYPERLINK(\"http://x\")")
        XCTAssertEqual(parsed[6][11], "'-1")
    }
}
