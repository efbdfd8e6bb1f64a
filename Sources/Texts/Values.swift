import Booking
import Foundation

/// A wall-clock moment in the business's zone: the day and the minute a client sees.
///
/// Messages carry this instead of a `Date` so that rendering needs no clock (and can
/// never fall back to the process's zone): the caller converts once with the business's
/// `BusinessClock`, which knows the zone's real offset on that date.
public struct LocalDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let date: LocalDate
    /// Minutes since local midnight, 0..<1440.
    public let minuteOfDay: Int

    public init(date: LocalDate, minuteOfDay: Int) {
        precondition((0..<1440).contains(minuteOfDay), "a minute of the day is 0..<1440")
        self.date = date
        self.minuteOfDay = minuteOfDay
    }

    /// The local day and minute of an instant in the business's zone.
    public init(_ instant: Date, clock: BusinessClock) {
        self.init(date: clock.localDate(of: instant), minuteOfDay: clock.minuteOfDay(of: instant))
    }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.date, lhs.minuteOfDay) < (rhs.date, rhs.minuteOfDay)
    }

    /// `2026-11-25 14:00`, for logs and test failures (never shown to clients).
    public var description: String {
        let (hour, minute) = (minuteOfDay / 60, minuteOfDay % 60)
        return "\(date) \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }
}

/// A service as a client sees it (About, the service buttons).
public struct ServiceInfo: Sendable, Hashable {
    public var name: String
    public var durationMinutes: Int
    /// The admin's price text ("1500 ₽", "from 40 €"); empty when none is shown.
    public var price: String
    /// Empty when the service has none.
    public var description: String

    public init(name: String, durationMinutes: Int, price: String, description: String = "") {
        self.name = name
        self.durationMinutes = durationMinutes
        self.price = price
        self.description = description
    }
}

/// One booking as a client sees it (My bookings, cancel and move screens, notices).
public struct BookingSummary: Sendable, Hashable {
    public var service: String
    public var start: LocalDateTime
    public var durationMinutes: Int
    /// Empty when the service shows no price.
    public var price: String

    public init(service: String, start: LocalDateTime, durationMinutes: Int, price: String) {
        self.service = service
        self.start = start
        self.durationMinutes = durationMinutes
        self.price = price
    }
}

/// The rules a client is told about (welcome, How it works, About). Always the live
/// values: the texts never contain a number of their own.
public struct ClientRules: Sendable, Hashable {
    /// Confirmed future bookings one client may hold.
    public var bookingLimit: Int
    public var cancellationHours: Int
    public var rescheduleHours: Int
    /// Reminder lead times in minutes, in any order (shown longest first).
    public var reminderOffsetsMinutes: [Int]
    public var minNoticeMinutes: Int

    public init(bookingLimit: Int, cancellationHours: Int, rescheduleHours: Int,
                reminderOffsetsMinutes: [Int], minNoticeMinutes: Int) {
        self.bookingLimit = bookingLimit
        self.cancellationHours = cancellationHours
        self.rescheduleHours = rescheduleHours
        self.reminderOffsetsMinutes = reminderOffsetsMinutes
        self.minNoticeMinutes = minNoticeMinutes
    }

    /// The values in force, as the booking rules hold them.
    public init(_ rules: BookingRules) {
        self.init(bookingLimit: rules.maxActiveBookingsPerClient,
                  cancellationHours: rules.cancellationCutoffHours,
                  rescheduleHours: rules.rescheduleCutoffHours,
                  reminderOffsetsMinutes: rules.reminderOffsetsMinutes,
                  minNoticeMinutes: rules.minNoticeMinutes)
    }
}

/// How a client reaches the business when the bot can no longer help (a late cancel).
public struct BusinessContact: Sendable, Hashable {
    /// `SERVICE_LOCATION`; empty when not set.
    public var address: String
    /// A phone, @username or other way to get in touch; empty when not set.
    public var contact: String

    public init(address: String, contact: String = "") {
        self.address = address
        self.contact = contact
    }
}

/// Everything the About screen shows, taken from the live settings.
public struct AboutInfo: Sendable, Hashable {
    /// Active services in the admin-defined order.
    public var services: [ServiceInfo]
    public var contact: BusinessContact
    public var schedule: WorkSchedule
    public var rules: ClientRules

    public init(services: [ServiceInfo], contact: BusinessContact, schedule: WorkSchedule, rules: ClientRules) {
        self.services = services
        self.contact = contact
        self.schedule = schedule
        self.rules = rules
    }
}

/// A client as admins see them in notifications.
public struct ClientInfo: Sendable, Hashable {
    public var id: Int64
    /// First and last name as Telegram gives them; may be empty.
    public var name: String
    /// Without the "@"; nil or empty when the user has none.
    public var username: String?

    public init(id: Int64, name: String, username: String? = nil) {
        self.id = id
        self.name = name
        self.username = username
    }
}
