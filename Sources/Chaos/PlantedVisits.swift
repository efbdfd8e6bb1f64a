import Booking
import DevSupport
import Foundation
import Postgres
import Store

/// Visits planted before the load so that the reminders process has work while the
/// faults run: the clients' own bookings are days away, and no reminder of theirs falls
/// due in minutes. Each planted client holds one visit at `upcoming` on a chair of its
/// own (resources 2…), and the business's reminder lead times are chosen so that one
/// falls due at each `reminderTimes` moment of the load; half of those visits are
/// cancelled midway (none of their later reminders may go). Each also had a visit that
/// ended before the run, whose review request (right after the visit: feedback after 0
/// hours) the client answers with stars.
struct PlantedVisits {
    /// The clients who got visits.
    let clients: [Int64]
    /// The lead times to configure (`REMINDER_OFFSETS`): 24 h, and the planted ones.
    let reminderOffsets: String
    let upcoming: [Int64]
    let past: [Int64]

    /// The business's rules as the processes will read them from the environment.
    static func rules(offsetsMinutes: [Int]) -> BookingRules {
        BookingRules(clock: BusinessClock(timeZone: TimeZone(identifier: "UTC")!), schedule: .everyDay(DayHours(openHour: 0, closeHour: 24)!),
                     slotStepMinutes: 30, horizonMonths: 3, minNoticeMinutes: 60, maxActiveBookingsPerClient: bookingLimit,
                     cancellationCutoffHours: 24, rescheduleCutoffHours: 24, reminderOffsetsMinutes: offsetsMinutes, feedbackHoursAfter: 0)
    }

    /// Plants `count` clients' visits for a load of `loadSeconds` starting about now.
    static func plant(on db: PostgresConnection, service: Int64, clients: [Int64], loadSeconds: Double) throws -> PlantedVisits {
        let now = Date()
        let halfHour = 1800.0
        // The first half hour mark at least 75 minutes past the load's end: every lead time
        // is then over an hour, past the notice a client must give (60 minutes).
        let upcomingStart = Date(timeIntervalSince1970: ((now.timeIntervalSince1970 + loadSeconds + 75 * 60) / halfHour).rounded(.up) * halfHour)
        let pastStart = Date(timeIntervalSince1970: ((now.timeIntervalSince1970 - 60 * 60) / halfHour).rounded(.down) * halfHour)
        let moments = (1...4).map { loadSeconds * Double($0) / 5 }
        let leads = Array(Set(moments.map { Int((upcomingStart.timeIntervalSince(now) - $0) / 60) })).sorted()
        let offsets = [24 * 60] + leads
        let rules = Self.rules(offsetsMinutes: offsets)
        var upcoming: [Int64] = []
        var past: [Int64] = []
        for (number, client) in clients.enumerated() {
            try db.transaction { tx in
                try ClientStore(connection: tx).register(id: client, firstName: "Client \(client)", now: now)
                let chair = try ResourceStore(connection: tx).add(name: "chair \(number + 2)")
                let store = BookingStore(connection: tx, defaults: rules)
                // Booked an hour before (past the notice, inside every planted lead time: its
                // reminders would have been due before the run, and were never made).
                guard let earlier = try store.create(client: client, service: service, start: pastStart, by: .client(client),
                                                     now: pastStart.addingTimeInterval(-61 * 60), resource: chair).value,
                      let next = try store.create(client: client, service: service, start: upcomingStart, by: .client(client),
                                                  now: now.addingTimeInterval(-60), resource: chair).value else {
                    throw ChaosError("a planted visit was refused")
                }
                past.append(earlier.id)
                upcoming.append(next.id)
            }
        }
        return PlantedVisits(clients: clients, reminderOffsets: offsets.map { "\($0)m" }.joined(separator: ","), upcoming: upcoming, past: past)
    }

    /// What was planted and what became of it, said in the report.
    func line(cancelled: Int?) -> String {
        "Planted before the load: \(clients.count) clients' visits on chairs of their own, reminders due at 1/5 to 4/5 of the load "
            + "(lead times \(reminderOffsets)), \(cancelled.map(String.init) ?? "NONE (the cancel failed: the run fails)") of them cancelled midway; "
            + "a visit each that ended before the run, its review request due at the start."
    }

    /// Cancels every other upcoming visit, as the business would (a staff cancel).
    func cancelHalf(on db: PostgresConnection) throws -> Int {
        let rules = Self.rules(offsetsMinutes: [])
        var cancelled = 0
        for booking in upcoming.enumerated().filter({ $0.offset % 2 == 0 }).map(\.element) {
            try db.transaction { tx in
                if try BookingStore(connection: tx, defaults: rules).cancel(booking: booking, by: .admin(ownerID), reason: "planted", now: Date()).value != nil {
                    cancelled += 1
                }
            }
        }
        return cancelled
    }
}
