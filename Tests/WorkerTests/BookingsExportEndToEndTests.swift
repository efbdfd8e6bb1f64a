import Booking
import BotTestSupport
import Conversation
import Foundation
import HTTP
import Postgres
@testable import Reminders
import Sandbox
import Telegram
import Texts
import XCTest

/// Issue 17's acceptance 4, against the real ingress, worker and reminders processes and
/// the Sandbox: 1,000 bookings of clients with Cyrillic names, their cancel reasons full
/// of commas, quotes and line breaks, exported by the owner through the bot; the document
/// arrives through `sendDocument`, its bytes are fetched through the Sandbox's control API,
/// and Python's csv module reads them back to exactly the expected rows.
final class BookingsExportEndToEndTests: BotTestCase {
    private let owner: Int64 = 1000
    private let count = 1_000

    private func label(_ button: BookingsExportButton) -> String { button.label(in: .ru) }

    /// `14:05`.
    private func time(_ moment: Date) -> String {
        let minute = clock.minuteOfDay(of: moment)
        return String(format: "%02d:%02d", minute / 60, minute % 60)
    }

    func testAThousandBookingsRoundTripThroughTheCSVSentAsADocument() throws {
        try startBot(["ADMIN_IDS": "\(owner)", "BOT_LANGUAGE": "ru"])
        try startReminders()
        user(owner, "Ольга", language: "ru")
        try say("/start", from: owner, thenBotMessages: 1)

        // The bookings, written straight into the database (the booking flow is tested
        // elsewhere): half-hour visits from tomorrow 09:00 on, every third one cancelled.
        let db = try database.connect()
        let names = ["Анна", "Пётр, \"Петя\"", "Ёлка\nЗелёная", "=Злой,Хакер", "Мария-Луиза", "O'Brien; «Иван»"]
        for (index, name) in names.enumerated() {
            try db.query("INSERT INTO users (id, first_name, last_name, username) VALUES ($1, $2, $3, $4)",
                         [.int(Int64(2000 + index)), .text(name), index % 2 == 0 ? .text("Фамилия, \(index)") : .null,
                          index % 3 == 0 ? .text("client_\(index)") : .null])
        }
        let reasons = ["Заболела, \"температура\"", "Перенос —\nпозже, позвоню", "=1+1, \"формула\"", "Причина; с точкой с запятой",
                       "\"В кавычках\"", "Многострочная\r\nпричина, с запятыми, и \"кавычками\""]
        let first = clock.instant(of: clock.localDate(of: now).adding(days: 1), minute: 9 * 60)!
        let created = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 60).rounded(.down) * 60 - 86_400)
        let iso = ISO8601DateFormatter()
        iso.timeZone = clock.timeZone
        let statusWords = ["confirmed": "подтверждена", "cancelled": "отменена"]
        var expected: [[String]] = []
        try db.query("BEGIN")
        for index in 0..<count {
            let start = first.addingTimeInterval(Double(index) * 1800), end = start.addingTimeInterval(1800)
            let client = Int64(2000 + index % names.count)
            let cancelled = index % 3 == 0
            let reason = cancelled ? reasons[index % reasons.count] : nil
            let id: Int64 = try db.query("""
                INSERT INTO bookings (user_id, service_id, during, duration_minutes, status, cancelled_at, cancelled_by, cancel_reason, created_at)
                VALUES ($1, $2, tstzrange($3, $4, '[)'), 30, $5, $6, $7, $8, $9) RETURNING id
                """, [.int(client), .int(haircut), .timestamp(start), .timestamp(end), .text(cancelled ? "cancelled" : "confirmed"),
                      cancelled ? .timestamp(created) : .null, cancelled ? .int(index % 2 == 0 ? owner : client) : .null,
                      reason.map { .text($0) } ?? .null, .timestamp(created)])[0].get("id")
            let clientIndex = index % names.count
            let clientName = [names[clientIndex], clientIndex % 2 == 0 ? "Фамилия, \(clientIndex)" : nil].compactMap { $0 }.joined(separator: " ")
            let canceller = cancelled ? (index % 2 == 0 ? "Ольга (\(owner))" : "\(names[clientIndex]) (\(client))") : ""
            expected.append([String(id), clock.localDate(of: start).description, time(start), time(end), "Haircut", clientName,
                             clientIndex % 3 == 0 ? "client_\(clientIndex)" : "", String(client),
                             statusWords[cancelled ? "cancelled" : "confirmed"]!, "1500 ₽", canceller, reason ?? "", iso.string(from: created)]
                .map(CSVDocument.neutralised))
        }
        try db.query("COMMIT")

        // The owner exports the next 30 days through the bot.
        try say("/admin", from: owner, thenBotMessages: (sandbox.transcript(chatID: owner)?.botMessages.count ?? 0) + 1)
        try tap(label(.menuEntry), of: owner)
        try tap(label(.next30Days), of: owner)
        let today = clock.localDate(of: now)
        XCTAssertEqual(lastText(owner), BookingsExportText.confirm(from: today, to: today.adding(days: 29), count: count).text(in: .ru))
        try tap(label(.start), of: owner)
        XCTAssertEqual(lastText(owner), BookingsExportText.started(count: count).text(in: .ru), "the progress message")

        let ready = BookingsExportText.ready(rows: count, total: count, from: today, to: today.adding(days: 29)).text(in: .ru)
        _ = try waitFor(owner, timeout: 60) { $0.botMessages.contains { $0.text == ready } }
        XCTAssertEqual(sandbox.calls(method: "sendDocument").count, 1, "sent once, through sendDocument")

        // The bytes, as the control API gives them.
        let response = try HTTPClient().get("\(sandbox.baseURL)/control/chats/\(owner)")
        XCTAssertEqual(response.status, 200)
        struct Envelope: Decodable { let result: ChatTranscript }
        let transcript = try JSONDecoder().decode(Envelope.self, from: response.body).result
        let documents = transcript.messages.compactMap(\.document)
        XCTAssertEqual(documents.count, 1)
        let file = try XCTUnwrap(documents.first)
        XCTAssertEqual(file.fileName, "bookings-\(today)-\(today.adding(days: 29)).csv")
        let bytes = try XCTUnwrap(file.data)
        XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF])

        let rows = try PythonCSV.rows(of: bytes)
        XCTAssertEqual(rows.first, BookingsExportLabel.header.map { $0.label(in: .ru) })
        XCTAssertEqual(rows.count, count + 1)
        for (index, row) in rows.dropFirst().enumerated() where row != expected[index] {
            XCTFail("row \(index): \(row) != \(expected[index])")
            break
        }
        XCTAssertEqual(Array(rows.dropFirst()), expected)
        let audited: Int = try db.query("SELECT count(*) AS n FROM audit_log WHERE action = 'export.bookings' AND actor_id = $1",
                                        [.int(owner)])[0].get("n")
        XCTAssertEqual(audited, 1)
        try TranscriptWriter.save(sandbox.transcript(chatID: owner), as: "17-bookings-export-owner")
    }
}
