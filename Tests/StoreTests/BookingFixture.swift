import Booking
import Foundation
import Postgres
import Store
import TestSupport
import XCTest

/// A scratch database with every migration applied, dropped after each test.
class MigratedDatabaseTestCase: XCTestCase {
    var database: ScratchDatabase!
    var db: PostgresConnection!

    override func setUpWithError() throws {
        database = try TestServices.freshDatabase()
        db = try database.connect()
        try Migrator(connection: db).migrate(Migration.bundled())
    }

    override func tearDown() {
        db = nil
        database?.drop()
    }
}

/// A migrated scratch database with clients and services, the default rules in
/// Europe/Moscow (9–18 every day, 60-minute step, 60 minutes notice, 3 bookings per
/// client, 24 h cut-offs, reminders 24h and 2h), and a clock the test sets.
class BookingStoreTestCase: MigratedDatabaseTestCase {
    var haircut: ServiceRecord!      // 60 minutes
    var coloring: ServiceRecord!     // 120 minutes

    let clock = BusinessClock(zoneIdentifier: "Europe/Moscow")!
    /// Tuesday 2026-12-01, 10:00 in Moscow.
    lazy var now = at("2026-12-01", 10)

    lazy var rules = BookingRules(
        clock: clock, schedule: .everyDay(DayHours(openHour: 9, closeHour: 18)!), slotStepMinutes: 60,
        horizonMonths: 3, minNoticeMinutes: 60, maxActiveBookingsPerClient: 3, cancellationCutoffHours: 24,
        rescheduleCutoffHours: 24, reminderOffsetsMinutes: [1440, 120], feedbackHoursAfter: 2)

    override func setUpWithError() throws {
        try super.setUpWithError()
        for client in 1...60 {
            try ClientStore(connection: db).register(id: Int64(client), firstName: "Client \(client)", now: now)
        }
        haircut = try ServiceStore(connection: db).create(name: "Haircut", durationMinutes: 60, priceText: "1500 ₽", priceAmount: 1500)
        coloring = try ServiceStore(connection: db).create(name: "Coloring", durationMinutes: 120)
    }

    /// A Moscow wall-clock time.
    func at(_ day: String, _ hour: Int, _ minute: Int = 0) -> Date {
        clock.instant(of: LocalDate(day)!, minute: hour * 60 + minute)!
    }

    func store(_ connection: PostgresConnection? = nil) -> BookingStore {
        BookingStore(connection: connection ?? db, defaults: rules)
    }

    /// Books in a transaction of its own, as a worker would.
    func book(_ client: Int64, _ service: ServiceRecord, at start: Date, by actor: Actor? = nil, now: Date? = nil,
              on connection: PostgresConnection? = nil) throws -> BookingOutcome<BookingRecord> {
        let connection = connection ?? db!
        return try connection.transaction { tx in
            try store(tx).create(client: client, service: service.id, start: start, by: actor ?? .client(client), now: now ?? self.now)
        }
    }

    func move(_ booking: Int64, to start: Date, by actor: Actor, now: Date? = nil) throws -> BookingOutcome<Move> {
        try db.transaction { tx in try store(tx).reschedule(booking: booking, to: start, by: actor, now: now ?? self.now) }
    }

    func cancel(_ booking: Int64, by actor: Actor, reason: String? = nil, now: Date? = nil) throws -> BookingOutcome<BookingRecord> {
        try db.transaction { tx in try store(tx).cancel(booking: booking, by: actor, reason: reason, now: now ?? self.now) }
    }

    func count(_ sql: String, _ parameters: [PostgresValue] = []) throws -> Int {
        try db.query(sql, parameters)[0].get(0)
    }

    /// Confirmed bookings that overlap each other: must always be zero.
    func overlappingConfirmedPairs() throws -> Int {
        try IntegrityReads(connection: db).overlappingConfirmedBookings()
    }
}

/// Runs `count` bodies on threads of their own that start together (each with its own
/// connection, opened before the start), and returns their results in order.
func raceOnThreads<T: Sendable>(_ count: Int, prepare: @escaping @Sendable (Int) throws -> PostgresConnection,
                                _ body: @escaping @Sendable (Int, PostgresConnection) throws -> T) throws -> [Result<T, Error>] {
    let connections = try (0..<count).map { try prepare($0) }
    let results = RaceResults<T>(count: count)
    let ready = DispatchGroup(), done = DispatchGroup()
    let start = DispatchSemaphore(value: 0)
    for index in 0..<count {
        ready.enter(); done.enter()
        nonisolated(unsafe) let connection = connections[index]
        let thread = Thread {
            ready.leave()
            start.wait()
            results.set(index, Result { try body(index, connection) })
            done.leave()
        }
        thread.start()
    }
    ready.wait()
    for _ in 0..<count { start.signal() }
    done.wait()
    return results.values
}

private final class RaceResults<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Result<T, Error>?]
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<T, Error>) { lock.withLock { items[index] = value } }
    var values: [Result<T, Error>] { lock.withLock { items.map { $0! } } }
}
