import Booking
import Foundation
import Texts

/// Work a turn starts and the reminders process does later (`Effect.startJob`): too
/// long for an update's transaction, its result sent to the requester's chat when ready.
/// The worker stores it as a `jobs` row (`kind` and `payload`), the runner reads it back.
public enum Job: Sendable, Equatable {
    /// The audit log as a CSV document (SPEC admin 12–13).
    case auditExport(JobRequester)
    /// The bookings of a range of local days as a CSV document (SPEC admin 13).
    case bookingsExport(JobRequester, BookingsExportRange)

    /// `jobs.kind`.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case auditExport = "audit_export"
        case bookingsExport = "bookings_export"
    }

    public var kind: Kind {
        switch self {
        case .auditExport: return .auditExport
        case .bookingsExport: return .bookingsExport
        }
    }

    /// Who asked, and where the result goes.
    public var requester: JobRequester {
        switch self {
        case .auditExport(let requester), .bookingsExport(let requester, _): return requester
        }
    }

    /// `jobs.payload`: JSON, keys sorted.
    public func payload() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        switch self {
        case .auditExport(let requester): return String(decoding: try encoder.encode(requester), as: UTF8.self)
        case .bookingsExport(let requester, let range):
            return String(decoding: try encoder.encode(BookingsExportPayload(requester: requester, from: range.from.dayNumber,
                                                                             to: range.to.dayNumber)), as: UTF8.self)
        }
    }

    /// A stored job read back; throws `JobProblem` for a kind or payload this version
    /// cannot read (written by another version, or by hand).
    public init(kind: String, payload: String) throws {
        guard let known = Kind(rawValue: kind) else { throw JobProblem(reason: "unknown job kind '\(kind.prefix(40))'") }
        switch known {
        case .auditExport:
            guard let requester = try? JSONDecoder().decode(JobRequester.self, from: Data(payload.utf8)) else {
                throw JobProblem(reason: "a \(kind) job's payload cannot be read")
            }
            self = .auditExport(requester)
        case .bookingsExport:
            guard let stored = try? JSONDecoder().decode(BookingsExportPayload.self, from: Data(payload.utf8)),
                  let range = BookingsExportRange(fromDay: stored.from, toDay: stored.to) else {
                throw JobProblem(reason: "a \(kind) job's payload cannot be read")
            }
            self = .bookingsExport(stored.requester, range)
        }
    }
}

/// The local days a bookings export covers, both included: at most `maxDays`, so one
/// export is one bounded read.
public struct BookingsExportRange: Sendable, Equatable {
    public static let maxDays = 366
    public let from: LocalDate
    public let to: LocalDate

    /// Nil unless `from` ≤ `to` and the range spans at most `maxDays` days.
    public init?(from: LocalDate, to: LocalDate) {
        guard from <= to, to.dayNumber - from.dayNumber < Self.maxDays else { return nil }
        self.from = from
        self.to = to
    }

    /// From stored day numbers (any value: they are checked against the calendar first).
    init?(fromDay: Int, toDay: Int) {
        let days = LocalDate.earliest.dayNumber...LocalDate.latest.dayNumber
        guard days.contains(fromDay), days.contains(toDay) else { return nil }
        self.init(from: LocalDate(dayNumber: fromDay), to: LocalDate(dayNumber: toDay))
    }

    public var days: Int { to.dayNumber - from.dayNumber + 1 }
}

/// A bookings export's stored payload.
private struct BookingsExportPayload: Codable {
    var requester: JobRequester
    var from: Int
    var to: Int
}

/// The person who started a job, the chat its result goes to and the language it speaks.
public struct JobRequester: Sendable, Equatable, Codable {
    public var person: Int64
    public var chat: Int64
    public var language: Language

    public init(person: Int64, chat: Int64, language: Language) {
        self.person = person
        self.chat = chat
        self.language = language
    }
}

/// A stored job this version cannot run.
public struct JobProblem: Error, Equatable, CustomStringConvertible {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
