import Booking
import Foundation
import Postgres

/// The `settings` table: values edited in the bot, each overriding the configured
/// default of its key. Read inside every booking transaction, so every worker uses a
/// new value at once and no copy of a rule lives in memory.
public struct SettingsStore {
    /// The keys the bot can edit, with the JSON shape of their values.
    public enum Key: String, CaseIterable, Sendable {
        /// `{"1": [540, 1080], ..., "7": null}`: minutes since midnight per ISO weekday; null is a day off.
        case workHours = "work_hours"
        case slotStepMinutes = "slot_step_minutes"
        case bookingHorizonMonths = "booking_horizon_months"
        case minNoticeMinutes = "min_notice_minutes"
        case maxBookingsPerUser = "max_bookings_per_user"
        case cancellationHours = "cancellation_hours"
        case rescheduleHours = "reschedule_hours"
        /// `[1440, 120]`: lead times in minutes.
        case reminderOffsets = "reminder_offsets"
        case feedbackHoursAfter = "feedback_hours_after"
        /// A JSON string.
        case serviceLocation = "service_location"
    }

    private let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// The rules in force: `defaults` with every stored setting applied. A stored value
    /// of the wrong shape is ignored (the default stands) rather than stopping bookings.
    public func rules(defaults: BookingRules) throws -> BookingRules {
        try inForce(defaults: defaults).rules
    }

    /// The rules and the stored address, from one read of the table (what every update
    /// and every reminders round needs).
    public func inForce(defaults: BookingRules) throws -> (rules: BookingRules, serviceLocation: String?) {
        var rules = defaults
        var location: String?
        for row in try connection.query("SELECT key, value::text AS value FROM settings") {
            let key: String = try row.get("key")
            let json: String = try row.get("value")
            guard let setting = Key(rawValue: key),
                  let value = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) else { continue }
            if setting == .serviceLocation { location = value as? String }
            Self.apply(setting, value, to: &rules)
        }
        return (rules, location)
    }

    /// Stores one setting (an admin's edit; the audit entry is the caller's).
    public func set(_ key: Key, json: String, by adminID: Int64?) throws {
        try connection.query("""
            INSERT INTO settings (key, value, updated_by, updated_at) VALUES ($1, $2, $3, now())
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()
            """, [.text(key.rawValue), .json(json), adminID.map { .int($0) } ?? .null])
    }

    private static func apply(_ key: Key, _ value: Any, to rules: inout BookingRules) {
        func int(in range: ClosedRange<Int>) -> Int? {
            guard let number = value as? Int, range.contains(number) else { return nil }
            return number
        }
        switch key {
        case .workHours:
            guard let days = value as? [String: Any] else { return }
            var hours: [Weekday: DayHours] = [:]
            for weekday in Weekday.allCases {
                guard let pair = days[String(weekday.rawValue)] as? [Int], pair.count == 2,
                      let dayHours = DayHours(open: pair[0], close: pair[1]) else { continue }
                hours[weekday] = dayHours
            }
            rules.schedule = WorkSchedule(hours: hours)
        case .slotStepMinutes: if let v = int(in: 5...720) { rules.slotStepMinutes = v }
        case .bookingHorizonMonths: if let v = int(in: 0...24) { rules.horizonMonths = v }
        case .minNoticeMinutes: if let v = int(in: 0...43_200) { rules.minNoticeMinutes = v }
        case .maxBookingsPerUser: if let v = int(in: 1...100) { rules.maxActiveBookingsPerClient = v }
        case .cancellationHours: if let v = int(in: 0...720) { rules.cancellationCutoffHours = v }
        case .rescheduleHours: if let v = int(in: 0...720) { rules.rescheduleCutoffHours = v }
        case .feedbackHoursAfter: if let v = int(in: 0...720) { rules.feedbackHoursAfter = v }
        case .reminderOffsets:
            if let offsets = value as? [Int], offsets.allSatisfy({ (1...43_200).contains($0) }) {
                rules.reminderOffsetsMinutes = Array(Set(offsets)).sorted(by: >)
            }
        case .serviceLocation:
            break  // not a booking rule; `inForce` returns it beside the rules
        }
    }
}
