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
        /// A JSON string: a phone, @username or link clients are told to use.
        case businessContact = "business_contact"
    }

    /// The longest address or contact stored (a line a client reads).
    public static let maxTextLength = 200

    private let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// The rules in force: `defaults` with every stored setting applied. A stored value
    /// of the wrong shape is ignored (the default stands) rather than stopping bookings.
    public func rules(defaults: BookingRules) throws -> BookingRules {
        try inForce(defaults: defaults).rules
    }

    /// The rules, the stored address and the stored contact, from one read of the table
    /// (what every update and every reminders round needs).
    public func inForce(defaults: BookingRules) throws -> InForce {
        Self.inForce(defaults: defaults, stored: try connection.query(Self.readSQL).map { row in
            (key: try row.get("key"), json: try row.get("value"))
        })
    }

    /// The rules, the stored address and the stored contact.
    public typealias InForce = (rules: BookingRules, serviceLocation: String?, contact: String?)

    /// Every stored setting, as `inForce(defaults:stored:)` takes them (`TurnContextStore`
    /// runs it inside its statement).
    static let readSQL = "SELECT key, value::text AS value FROM settings"

    /// What is in force given the stored settings (key and JSON text, as `readSQL` reads them).
    static func inForce(defaults: BookingRules, stored: [(key: String, json: String)]) -> InForce {
        var rules = defaults
        var texts: [Key: String] = [:]
        for (key, json) in stored {
            guard let setting = Key(rawValue: key), let value = Self.value(json) else { continue }
            if let text = Self.text(setting, value) { texts[setting] = text }
            _ = Self.apply(setting, value, to: &rules)
        }
        return (rules, texts[.serviceLocation], texts[.businessContact])
    }

    /// Whether `json` is a value of `key` that `inForce` takes (a value it would ignore is
    /// never written: the screens would say one thing and the rules do another).
    public static func accepts(_ key: Key, json: String) -> Bool {
        guard let value = value(json) else { return false }
        if key == .serviceLocation || key == .businessContact { return text(key, value) != nil }
        var probe = BookingRules(clock: BusinessClock(timeZone: TimeZone(identifier: "UTC")!), schedule: WorkSchedule(hours: [:]),
                                 slotStepMinutes: 60, horizonMonths: 0, minNoticeMinutes: 0, maxActiveBookingsPerClient: 1,
                                 cancellationCutoffHours: 0, rescheduleCutoffHours: 0, reminderOffsetsMinutes: [], feedbackHoursAfter: 0)
        return apply(key, value, to: &probe)
    }

    /// Settings are changed one at a time: a change of one weekday's hours rewrites the
    /// whole week from what it read, so a second admin's change waits for the first's commit.
    public func lockForChange() throws {
        try connection.query("SELECT pg_advisory_xact_lock(hashtext('bookingbot.settings'))")
    }

    /// Stores one setting (an admin's edit; the audit entry is the caller's).
    public func set(_ key: Key, json: String, by adminID: Int64?) throws {
        try connection.query("""
            INSERT INTO settings (key, value, updated_by, updated_at) VALUES ($1, $2, $3, now())
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()
            """, [.text(key.rawValue), .json(json), adminID.map { .int($0) } ?? .null])
    }

    private static func value(_ json: String) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
    }

    private static func text(_ key: Key, _ value: Any) -> String? {
        guard key == .serviceLocation || key == .businessContact, let text = value as? String, text.count <= maxTextLength,
              !text.unicodeScalars.contains("\u{0}") else { return nil }
        return text
    }

    /// Applies a stored value to the rules; false (the rules untouched) for a value of the
    /// wrong shape or out of its range.
    private static func apply(_ key: Key, _ value: Any, to rules: inout BookingRules) -> Bool {
        func int(in range: ClosedRange<Int>, _ set: (inout BookingRules, Int) -> Void) -> Bool {
            guard let number = value as? Int, range.contains(number) else { return false }
            set(&rules, number)
            return true
        }
        switch key {
        case .workHours:
            guard let days = value as? [String: Any] else { return false }
            var hours: [Weekday: DayHours] = [:]
            for weekday in Weekday.allCases {
                guard let pair = days[String(weekday.rawValue)] as? [Int], pair.count == 2,
                      let dayHours = DayHours(open: pair[0], close: pair[1]) else { continue }
                hours[weekday] = dayHours
            }
            rules.schedule = WorkSchedule(hours: hours)
            return true
        case .slotStepMinutes: return int(in: 5...720) { $0.slotStepMinutes = $1 }
        case .bookingHorizonMonths: return int(in: 0...24) { $0.horizonMonths = $1 }
        case .minNoticeMinutes: return int(in: 0...43_200) { $0.minNoticeMinutes = $1 }
        case .maxBookingsPerUser: return int(in: 1...100) { $0.maxActiveBookingsPerClient = $1 }
        case .cancellationHours: return int(in: 0...720) { $0.cancellationCutoffHours = $1 }
        case .rescheduleHours: return int(in: 0...720) { $0.rescheduleCutoffHours = $1 }
        case .feedbackHoursAfter: return int(in: 0...720) { $0.feedbackHoursAfter = $1 }
        case .reminderOffsets:
            guard let offsets = value as? [Int], offsets.count <= maxReminders, offsets.allSatisfy({ (1...43_200).contains($0) }) else {
                return false
            }
            rules.reminderOffsetsMinutes = Array(Set(offsets)).sorted(by: >)
            return true
        case .serviceLocation, .businessContact:
            return false  // not booking rules; `inForce` returns them beside the rules
        }
    }

    /// The most reminders a booking gets.
    public static let maxReminders = 5
}
