import Foundation

/// The instants the dashboard's figures are counted between (SPEC admin 1), all from one
/// `now` in the business's zone. Local days are turned into instants here, once, so the
/// store's queries compare plain timestamps (index range scans, no per-row zone math).
public struct DashboardWindow: Sendable, Hashable {
    public let now: Date
    /// The business's zone (IANA identifier), for the one query that groups by local day.
    public let zoneIdentifier: String
    public let today: LocalDate
    public let todayStart: Date
    public let tomorrowStart: Date
    /// Monday 00:00 of this ISO week: "new this week".
    public let weekStart: Date
    /// The end of the seven days after today: "next 7 days" is `tomorrowStart..<nextWeekEnd`.
    public let nextWeekEnd: Date
    public let last7DaysStart: Date
    public let last30DaysStart: Date
    /// The load is counted over the `loadWeeks` whole weeks before today, and today.
    public let loadFirstDay: LocalDate
    public let loadStart: Date

    /// Weeks of history the load per weekday (and "a day always full") looks at.
    public static let loadWeeks = 4

    public init(now: Date, clock: BusinessClock) {
        self.now = now
        zoneIdentifier = clock.timeZone.identifier
        today = clock.localDate(of: now)
        todayStart = clock.startOfDay(today)
        tomorrowStart = clock.startOfDay(today.adding(days: 1))
        weekStart = clock.startOfDay(today.adding(days: 1 - today.weekday.rawValue))
        nextWeekEnd = clock.startOfDay(today.adding(days: 8))
        last7DaysStart = now.addingTimeInterval(-7 * 86_400)
        last30DaysStart = now.addingTimeInterval(-30 * 86_400)
        loadFirstDay = today.adding(days: -7 * Self.loadWeeks)
        loadStart = clock.startOfDay(loadFirstDay)
    }

    /// The past days of the load window (today excluded), oldest first.
    public var loadPastDays: [LocalDate] {
        (0..<(7 * Self.loadWeeks)).map { loadFirstDay.adding(days: $0) }
    }
}

/// What the store counts for the dashboard: each group is one query.
public struct DashboardFigures: Sendable, Hashable {
    /// People who ever booked, staff excluded.
    public var clientsTotal: Int
    /// Of them, first seen since Monday 00:00 of this week.
    public var clientsNewThisWeek: Int
    /// Confirmed bookings that have not started.
    public var upcoming: Int
    /// Bookings (not cancelled) that start today.
    public var bookingsToday: Int
    /// Bookings (not cancelled) that start in the seven days after today.
    public var bookingsNext7Days: Int
    /// Bookings cancelled (by `cancelled_at`) in the last 7 and 30 days.
    public var cancelledLast7Days: Int
    public var cancelledLast30Days: Int
    /// No-shows among visits that started in the last 30 days, and ever.
    public var noShowsLast30Days: Int
    public var noShowsAllTime: Int
    public var reviewCount: Int
    /// The sum of all ratings (the average is `ratingSum / reviewCount`).
    public var ratingSum: Int
    /// Per service, visits (confirmed or completed) that started in the last 30 days.
    public var revenue: [ServiceRevenue]
    /// Minutes booked (not cancelled) per local day of the load window, by start day.
    public var bookedMinutes: [LocalDate: Int]
    /// Active services nobody booked in 30 days (and older than that).
    public var idleServices: [IdleService]

    public init(clientsTotal: Int = 0, clientsNewThisWeek: Int = 0, upcoming: Int = 0, bookingsToday: Int = 0,
                bookingsNext7Days: Int = 0, cancelledLast7Days: Int = 0, cancelledLast30Days: Int = 0, noShowsLast30Days: Int = 0,
                noShowsAllTime: Int = 0, reviewCount: Int = 0, ratingSum: Int = 0, revenue: [ServiceRevenue] = [],
                bookedMinutes: [LocalDate: Int] = [:], idleServices: [IdleService] = []) {
        self.clientsTotal = clientsTotal
        self.clientsNewThisWeek = clientsNewThisWeek
        self.upcoming = upcoming
        self.bookingsToday = bookingsToday
        self.bookingsNext7Days = bookingsNext7Days
        self.cancelledLast7Days = cancelledLast7Days
        self.cancelledLast30Days = cancelledLast30Days
        self.noShowsLast30Days = noShowsLast30Days
        self.noShowsAllTime = noShowsAllTime
        self.reviewCount = reviewCount
        self.ratingSum = ratingSum
        self.revenue = revenue
        self.bookedMinutes = bookedMinutes
        self.idleServices = idleServices
    }
}

/// One service's visits in the revenue period, and its numeric price (in hundredths)
/// when it has one.
public struct ServiceRevenue: Sendable, Hashable {
    public var serviceID: Int64
    public var name: String
    public var visits: Int
    public var priceCents: Int64?

    public init(serviceID: Int64, name: String, visits: Int, priceCents: Int64?) {
        self.serviceID = serviceID
        self.name = name
        self.visits = visits
        self.priceCents = priceCents
    }

    /// Visits × price, held at `Int64.max` rather than trapping; nil without a price.
    public var revenueCents: Int64? {
        priceCents.map { price in
            let (product, overflow) = price.multipliedReportingOverflow(by: Int64(visits))
            return overflow ? Int64.max : product
        }
    }
}

public struct IdleService: Sendable, Hashable {
    public var serviceID: Int64
    public var name: String

    public init(serviceID: Int64, name: String) {
        self.serviceID = serviceID
        self.name = name
    }
}

/// Booked and open minutes of a day or of a weekday's days.
public struct Load: Sendable, Hashable {
    public var bookedMinutes: Int
    public var openMinutes: Int

    public init(bookedMinutes: Int, openMinutes: Int) {
        self.bookedMinutes = bookedMinutes
        self.openMinutes = openMinutes
    }

    /// Booked share of the open time in whole percent (rounded down); nil on a closed day
    /// (nothing to divide by).
    public var percent: Int? {
        guard openMinutes > 0 else { return nil }
        let (scaled, overflow) = max(bookedMinutes, 0).multipliedReportingOverflow(by: 100)
        return overflow ? Int.max / openMinutes : scaled / openMinutes
    }
}

/// What the dashboard shows: the store's figures with the load worked out against the work
/// hours in force, and the recommendations.
public struct DashboardReport: Sendable, Hashable {
    public var figures: DashboardFigures
    /// Today's booked minutes against today's work hours.
    public var todayLoad: Load
    /// Per ISO weekday over the `DashboardWindow.loadWeeks` weeks before today.
    public var weekdayLoads: [Weekday: Load]
    public var advice: [DashboardAdvice]

    public init(figures: DashboardFigures, window: DashboardWindow, schedule: WorkSchedule) {
        self.figures = figures
        func load(_ day: LocalDate) -> Load {
            let hours = schedule.hours(on: day.weekday)
            return Load(bookedMinutes: figures.bookedMinutes[day] ?? 0, openMinutes: hours.map { $0.close - $0.open } ?? 0)
        }
        todayLoad = load(window.today)
        let days = window.loadPastDays.map { (day: $0, load: load($0)) }
        var weekdays: [Weekday: Load] = [:]
        for (day, dayLoad) in days {
            var sum = weekdays[day.weekday] ?? Load(bookedMinutes: 0, openMinutes: 0)
            sum.bookedMinutes += dayLoad.bookedMinutes
            sum.openMinutes += dayLoad.openMinutes
            weekdays[day.weekday] = sum
        }
        weekdayLoads = weekdays
        advice = DashboardAdvice.rules(figures: figures, todayLoad: todayLoad,
                                       pastDays: days.map { ($0.day.weekday, $0.load) })
    }

    /// The average rating in tenths (43 for 4.3), rounded half up; nil without reviews.
    public var averageRatingTenths: Int? {
        guard figures.reviewCount > 0 else { return nil }
        return (figures.ratingSum * 10 * 2 + figures.reviewCount) / (figures.reviewCount * 2)
    }

    /// The revenue estimate: the sum over services with a numeric price.
    public var revenueCents: Int64 {
        figures.revenue.compactMap(\.revenueCents).reduce(0) { sum, next in
            let (total, overflow) = sum.addingReportingOverflow(next)
            return overflow ? Int64.max : total
        }
    }

    /// Visits of services without a numeric price (not in the estimate).
    public var unpricedVisits: Int {
        figures.revenue.filter { $0.priceCents == nil }.reduce(0) { $0 + $1.visits }
    }
}

/// A recommendation drawn from the figures by a simple rule (SPEC admin 2).
public enum DashboardAdvice: Sendable, Hashable {
    /// Today is open and less than `lowLoadTodayPercent` of it is booked.
    case lowLoadToday(percent: Int)
    /// At least `manyCancellationsPerWeek` cancellations in the last 7 days.
    case manyCancellations(count: Int)
    /// An active service nobody booked in 30 days.
    case idleService(name: String)
    /// A weekday that was open and at least `fullDayPercent` booked on every one of its
    /// days of the load window.
    case alwaysFull(Weekday)

    public static let lowLoadTodayPercent = 30
    public static let manyCancellationsPerWeek = 5
    public static let fullDayPercent = 90

    /// Every rule, in the order the screen lists them.
    public static func rules(figures: DashboardFigures, todayLoad: Load, pastDays: [(weekday: Weekday, load: Load)]) -> [DashboardAdvice] {
        var advice: [DashboardAdvice] = []
        if let percent = todayLoad.percent, percent < lowLoadTodayPercent {
            advice.append(.lowLoadToday(percent: percent))
        }
        if figures.cancelledLast7Days >= manyCancellationsPerWeek {
            advice.append(.manyCancellations(count: figures.cancelledLast7Days))
        }
        advice += figures.idleServices.map { .idleService(name: $0.name) }
        for weekday in Weekday.allCases {
            let loads = pastDays.filter { $0.weekday == weekday }.map(\.load)
            // A weekday closed on any of its days (a day off) is not "always full".
            guard !loads.isEmpty, loads.allSatisfy({ ($0.percent ?? 0) >= fullDayPercent }) else { continue }
            advice.append(.alwaysFull(weekday))
        }
        return advice
    }
}
