import Booking
import Conversation
import Foundation
import Postgres
import Store
import Texts

/// The audit log export (SPEC admin 12–13): the newest entries as a CSV document for the
/// requester's chat, and a short message saying how many it holds. One bounded read
/// (`limit` entries, the newest, oldest first), so the job's transaction stays short
/// however long the log grows.
struct AuditExport {
    let clock: BusinessClock
    let limit: Int

    /// What the requester gets: the file, then the message.
    func replies(for requester: JobRequester, in tx: PostgresConnection, now: Date) throws -> [Outgoing] {
        let (entries, total) = try AuditLog(connection: tx).latest(limit: limit)
        let contents = try Self.csv(entries, language: requester.language, clock: clock)
        return [.document(fileName: Self.fileName(now: now, clock: clock), contents: contents, caption: nil),
                .message(text: Texts.text(StaffText.auditExportReady(entries: entries.count, total: total), in: requester.language),
                         menu: nil, buttons: nil)]
    }

    /// `audit-log-2026-03-05.csv`: the business's date of the export.
    static func fileName(now: Date, clock: BusinessClock) -> String {
        "audit-log-\(clock.localDate(of: now)).csv"
    }

    /// The columns: time (ISO 8601 in the business's zone), actor id, actor (name and
    /// @username as last seen), action, target, details (JSON), allowed.
    static func csv(_ entries: [AuditEntry], language: Language, clock: BusinessClock) throws -> Data {
        let time = Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: clock.timeZone)
        let header: [AuditExportLabel] = [.time, .actorID, .actor, .action, .target, .details, .allowed]
        let (yes, no) = (Texts.label(AuditExportLabel.yes, in: language), Texts.label(AuditExportLabel.no, in: language))
        return try CSVDocument.make(header: header.map { Texts.label($0, in: language) }, rows: entries.map { entry in
            [time.format(entry.time), String(entry.actorID), actorName(entry), entry.action, entry.target ?? "", entry.details,
             entry.allowed ? yes : no]
        })
    }

    /// "Olga Ivanova @olga", as much of it as is known.
    static func actorName(_ entry: AuditEntry) -> String {
        let names = [entry.actorFirstName, entry.actorLastName].compactMap { $0 }.filter { !$0.isEmpty }
        let username = entry.actorUsername.flatMap { $0.isEmpty ? nil : "@\($0)" }
        return (names + [username].compactMap { $0 }).joined(separator: " ")
    }
}
