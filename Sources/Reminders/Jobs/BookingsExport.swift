import Booking
import Conversation
import Foundation
import Postgres
import Store
import Texts

/// The bookings export (SPEC admin 13): the bookings starting on a range of local days as
/// a CSV document for the requester's chat, then a short message with how many rows it
/// holds. One bounded read (`limit` rows, by start), so the job's transaction stays short
/// however busy the range was; a range holding more says so and asks for a shorter one.
struct BookingsExport {
    let clock: BusinessClock
    let limit: Int

    func replies(for requester: JobRequester, range: BookingsExportRange, in tx: PostgresConnection) throws -> [Outgoing] {
        let (rows, total) = try BookingExportStore(connection: tx).rows(from: clock.startOfDay(range.from),
                                                                        to: clock.startOfDay(range.to.adding(days: 1)), limit: limit)
        let contents = try Self.csv(rows, language: requester.language, clock: clock)
        return [.document(fileName: "bookings-\(range.from)-\(range.to).csv", contents: contents, caption: nil),
                .message(text: BookingsExportText.ready(rows: rows.count, total: total, from: range.from, to: range.to)
                    .text(in: requester.language), menu: nil, buttons: nil)]
    }

    /// One row per booking: id, local date, start, end, service, client, username, client
    /// id, status, price, who cancelled, why, when it was made (ISO 8601 in the business's zone).
    /// The username goes without its "@": a cell starting with "@" would be neutralised
    /// against formulas ("'@anna"), and the column's name says what it is.
    static func csv(_ rows: [BookingExportRow], language: Language, clock: BusinessClock) throws -> Data {
        let created = Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: clock.timeZone)
        let label = { (label: BookingsExportLabel) in label.label(in: language) }
        return try CSVDocument.make(header: BookingsExportLabel.header.map(label), rows: rows.map { row in
            let start = LocalDateTime(row.start, clock: clock), end = LocalDateTime(row.end, clock: clock)
            return [String(row.id), start.date.description, Self.time(start), Self.time(end), row.service,
                    Self.name(row.clientFirstName, row.clientLastName), row.clientUsername ?? "",
                    String(row.clientID), label(Self.status(row.status)), row.priceText,
                    Self.canceller(row), row.cancelReason ?? "", created.format(row.createdAt)]
        })
    }

    /// `14:05`.
    static func time(_ moment: LocalDateTime) -> String {
        let hour = moment.minuteOfDay / 60, minute = moment.minuteOfDay % 60
        return (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }

    static func name(_ first: String?, _ last: String?) -> String {
        [first, last].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Who cancelled: the client themselves or a staff member, by name and id.
    static func canceller(_ row: BookingExportRow) -> String {
        guard let id = row.cancelledBy else { return "" }
        let name = row.cancelledByName.flatMap { $0.isEmpty ? nil : $0 }
        return name.map { "\($0) (\(id))" } ?? String(id)
    }

    static func status(_ stored: String) -> BookingsExportLabel {
        switch stored {
        case "cancelled": return .cancelled
        case "completed": return .completed
        case "no_show": return .noShow
        default: return .confirmed
        }
    }
}
