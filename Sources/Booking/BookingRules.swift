import Foundation

/// Every rule that decides what can be booked, with the values in force (the settings
/// stored in the database over the configured defaults).
public struct BookingRules: Sendable {
    public var clock: BusinessClock
    public var schedule: WorkSchedule
    /// Distance between offered starts, counted from opening time.
    public var slotStepMinutes: Int
    /// Bookable through the last day of the current month + this many months.
    public var horizonMonths: Int
    /// The earliest start is this far from now.
    public var minNoticeMinutes: Int
    /// Confirmed bookings in the future that one client may hold.
    public var maxActiveBookingsPerClient: Int
    /// A client may cancel only while at least this much time remains.
    public var cancellationCutoffHours: Int
    /// A client may move a booking only while at least this much time remains.
    public var rescheduleCutoffHours: Int
    /// Reminder lead times, in minutes.
    public var reminderOffsetsMinutes: [Int]
    /// The review request goes this long after the visit ends.
    public var feedbackHoursAfter: Int

    public init(clock: BusinessClock, schedule: WorkSchedule, slotStepMinutes: Int, horizonMonths: Int,
                minNoticeMinutes: Int, maxActiveBookingsPerClient: Int, cancellationCutoffHours: Int,
                rescheduleCutoffHours: Int, reminderOffsetsMinutes: [Int], feedbackHoursAfter: Int) {
        precondition(slotStepMinutes > 0, "a slot step of zero offers nothing")
        self.clock = clock
        self.schedule = schedule
        self.slotStepMinutes = slotStepMinutes
        self.horizonMonths = horizonMonths
        self.minNoticeMinutes = minNoticeMinutes
        self.maxActiveBookingsPerClient = maxActiveBookingsPerClient
        self.cancellationCutoffHours = cancellationCutoffHours
        self.rescheduleCutoffHours = rescheduleCutoffHours
        self.reminderOffsetsMinutes = reminderOffsetsMinutes
        self.feedbackHoursAfter = feedbackHoursAfter
    }

    /// The last bookable day, seen from `now`.
    public func horizonEnd(now: Date) -> LocalDate {
        clock.localDate(of: now).lastOfMonth(addingMonths: horizonMonths)
    }

    /// The earliest instant a new booking may start.
    public func earliestStart(now: Date) -> Date {
        now.addingTimeInterval(Double(minNoticeMinutes) * 60)
    }

    /// When reminders for a visit starting at `start` fall due, booked or moved at `now`:
    /// only those still in the future, longest lead first.
    public func reminderDueTimes(start: Date, now: Date) -> [(offsetMinutes: Int, dueAt: Date)] {
        reminderOffsetsMinutes.sorted(by: >).compactMap { offset in
            let due = start.addingTimeInterval(-Double(offset) * 60)
            return due > now ? (offset, due) : nil
        }
    }
}
