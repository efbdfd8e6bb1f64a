import Booking
import Config

extension BookingRules {
    /// The configured defaults (environment / .env) as booking rules; `SettingsStore`
    /// lays the values edited in the bot over them. Config has already checked every
    /// value, so this cannot fail for a loaded configuration.
    public init(defaults: RuleDefaults) {
        guard let clock = BusinessClock(zoneIdentifier: defaults.timeZone),
              let hours = DayHours(openHour: defaults.workHoursStart, closeHour: defaults.workHoursEnd) else {
            preconditionFailure("RuleDefaults were not validated by AppConfig.load")
        }
        self.init(
            clock: clock,
            schedule: .everyDay(hours),
            slotStepMinutes: defaults.slotStepMinutes,
            horizonMonths: defaults.bookingHorizonMonths,
            minNoticeMinutes: defaults.minNoticeMinutes,
            maxActiveBookingsPerClient: defaults.maxBookingsPerUser,
            cancellationCutoffHours: defaults.cancellationHours,
            rescheduleCutoffHours: defaults.rescheduleHours,
            reminderOffsetsMinutes: defaults.reminderOffsetsMinutes,
            feedbackHoursAfter: defaults.feedbackHoursAfter)
    }
}
